#!/usr/bin/env python3
"""Tiny random-weight Hugging Face model folders plus an independent numpy reference forward pass.

Writes, next to this script, one folder per architecture (config.json, tokenizer.json, safetensors
weights, reference.json):
  bert/         BERT (absolute positions, GELU feed-forward), F32 weights, model.safetensors,
                1_Pooling/config.json + modules.json asking for CLS pooling
  xlm-roberta/  XLM-RoBERTa (positions start at pad_token_id + 1), F16 weights
  jinabert/     JinaBERT (ALiBi, no position embeddings, GEGLU feed-forward), BF16 weights in two
                shards + model.safetensors.index.json, max_position_embeddings 8192

The reference is written from the published architectures (Hugging Face BertModel / XLMRobertaModel,
jina-embeddings-v2's JinaBertModel: ALiBi slopes from Press et al., bias -slope*|i-j|, GEGLU with
GELU on the first half of gated_layers), in float64, from the weights exactly as stored (F16/BF16
values upcast). Only python3 + numpy. Deterministic (fixed seed). Run: python3 make_tiny_models.py
"""
import json
import math
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS = ("the a an of to and in is was for on that with as by it he she they we you this from at "
         "be are or not have has had but his her their its which one all were there been when who "
         "will more no if out so said what up about into than them can only other new some could "
         "time these two may then do first any my now such like our over man me even most made "
         "after also did many before must through back years where much your way well down should "
         "because each just those people how too little state good very make world still own see "
         "men work long get here between both life being under never day same another know while "
         "last might us great old year off come since against go came right used take three dog "
         "cat weather storm today drew").split()
ERF = np.frompyfunc(math.erf, 1, 1)


def vocab_for(specials):
    toks = list(specials) + WORDS + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    toks += ["##" + chr(c) for c in range(ord("a"), ord("z") + 1)] + list(".,;:!?'\"()-0123456789")
    seen, out = set(), []
    for t in toks:
        if t not in seen:
            seen.add(t)
            out.append(t)
    return out


def tokenizer_json(vocab, cls, sep, pad, unk, specials):
    ids = {t: i for i, t in enumerate(vocab)}
    added = [{"id": ids[s], "content": s, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for s in specials]
    st = lambda t, ty: {"SpecialToken": {"id": t, "type_id": ty}}
    seq = lambda a, ty: {"Sequence": {"id": a, "type_id": ty}}
    return {
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [st(cls, 0), seq("A", 0), st(sep, 0)],
            "pair": [st(cls, 0), seq("A", 0), st(sep, 0), seq("B", 1), st(sep, 1)],
            "special_tokens": {t: {"id": t, "ids": [ids[t]], "tokens": [t]} for t in (cls, sep)}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": unk, "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": ids},
    }


def to_bf16_bits(a):
    u = a.astype(np.float32).view(np.uint32)
    return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)


def stored(a, dtype):
    """(bytes as stored, the float64 values the model actually holds)."""
    a = a.astype(np.float32)
    if dtype == "F32":
        return a.tobytes(), a.astype(np.float64)
    if dtype == "F16":
        h = a.astype("<f2")
        return h.tobytes(), h.astype(np.float64)
    if dtype == "BF16":
        b = to_bf16_bits(a)
        return b.astype("<u2").tobytes(), (b.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    raise ValueError(dtype)


def write_safetensors(path, tensors):
    """tensors: list of (name, dtype, shape, bytes)."""
    header, off, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [off, off + len(data)]}
        off += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def alibi_slopes(n):
    def pow2(n):
        start = 2 ** (-(2 ** -(math.log2(n) - 3)))
        return [start * start ** i for i in range(n)]
    if math.log2(n).is_integer():
        return pow2(n)
    c = 2 ** math.floor(math.log2(n))
    return pow2(c) + alibi_slopes(2 * c)[0::2][: n - c]


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    return 0.5 * x * (1.0 + ERF(x / math.sqrt(2.0)).astype(np.float64))


def softmax(s):
    s = s - s.max(-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(-1, keepdims=True)


def forward(arch, cfg, W, ids):
    """Last hidden state [L, hidden] of one unpadded sequence."""
    H, nh, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    hd, L, I = H // nh, len(ids), cfg["intermediate_size"]
    x = W["embeddings.word_embeddings.weight"][ids]
    if arch == "bert":
        x = x + W["embeddings.position_embeddings.weight"][np.arange(L)]
    elif arch == "xlm-roberta":
        # create_position_ids_from_input_ids: cumsum(mask) + padding_idx for real tokens
        x = x + W["embeddings.position_embeddings.weight"][np.arange(L) + cfg["pad_token_id"] + 1]
    x = x + W["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"], eps)
    bias = 0.0
    if arch == "jinabert":
        pos = np.arange(L)
        rel = np.abs(pos[None, :] - pos[:, None])
        bias = np.array(alibi_slopes(nh))[:, None, None] * -rel[None, :, :]
    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        lin = lambda t, n: t @ W[p + n + ".weight"].T + W[p + n + ".bias"]
        q = lin(x, "attention.self.query").reshape(L, nh, hd).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(L, nh, hd).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(L, nh, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd) + bias
        ctx = (softmax(s) @ v).transpose(1, 0, 2).reshape(L, H)
        a = layer_norm(lin(ctx, "attention.output.dense") + x,
                       W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"], eps)
        if arch == "jinabert":
            g = a @ W[p + "mlp.gated_layers.weight"].T
            f = gelu(g[:, :I]) * g[:, I:]
            x = layer_norm(f @ W[p + "mlp.wo.weight"].T + W[p + "mlp.wo.bias"] + a,
                           W[p + "mlp.layernorm.weight"], W[p + "mlp.layernorm.bias"], eps)
        else:
            f = gelu(lin(a, "intermediate.dense"))
            x = layer_norm(lin(f, "output.dense") + a,
                           W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"], eps)
    return x


def make(arch, rng):
    if arch == "xlm-roberta":
        specials = ["<s>", "<pad>", "</s>", "<unk>"]
        cls, sep, pad, unk = "<s>", "</s>", "<pad>", "<unk>"
    else:
        specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        cls, sep, pad, unk = "[CLS]", "[SEP]", "[PAD]", "[UNK]"
    vocab = vocab_for(specials)
    V, H, I, nL = len(vocab), 32, 64, 2
    nh = {"bert": 4, "xlm-roberta": 2, "jinabert": 4}[arch]
    cfg = {"hidden_size": H, "num_attention_heads": nh, "num_hidden_layers": nL,
           "intermediate_size": I, "vocab_size": V, "layer_norm_eps": 1e-12 if arch != "xlm-roberta" else 1e-5,
           "hidden_act": "gelu", "pad_token_id": vocab.index(pad)}
    if arch == "bert":
        cfg.update(model_type="bert", architectures=["BertModel"], max_position_embeddings=128,
                   type_vocab_size=2, position_embedding_type="absolute")
        lens, dtype = [3, 9, 40, 128], "F32"
    elif arch == "xlm-roberta":
        cfg.update(model_type="xlm-roberta", architectures=["XLMRobertaModel"], max_position_embeddings=66,
                   type_vocab_size=1, position_embedding_type="absolute", bos_token_id=0, eos_token_id=2)
        lens, dtype = [4, 21, 64], "F16"
    else:
        cfg.update(model_type="bert", architectures=["JinaBertForMaskedLM"], max_position_embeddings=8192,
                   type_vocab_size=2, position_embedding_type="alibi", feed_forward_type="geglu",
                   auto_map={"AutoModel": "jinaai/jina-bert-implementation--modeling_bert.JinaBertModel"})
        lens, dtype = [5, 33, 700], "BF16"

    def t(*shape, scale=0.2, base=0.0):
        return base + scale * rng.standard_normal(shape)

    raw = [("embeddings.word_embeddings.weight", t(V, H, scale=1.0)),
           ("embeddings.token_type_embeddings.weight", t(cfg["type_vocab_size"], H, scale=0.5))]
    if arch != "jinabert":
        raw.append(("embeddings.position_embeddings.weight", t(cfg["max_position_embeddings"], H, scale=0.5)))
    raw += [("embeddings.LayerNorm.weight", t(H, scale=0.1, base=1.0)), ("embeddings.LayerNorm.bias", t(H, scale=0.1))]
    for i in range(nL):
        p = f"encoder.layer.{i}."
        for n in ("query", "key", "value"):
            raw += [(p + f"attention.self.{n}.weight", t(H, H)), (p + f"attention.self.{n}.bias", t(H, scale=0.1))]
        raw += [(p + "attention.output.dense.weight", t(H, H)), (p + "attention.output.dense.bias", t(H, scale=0.1)),
                (p + "attention.output.LayerNorm.weight", t(H, scale=0.1, base=1.0)),
                (p + "attention.output.LayerNorm.bias", t(H, scale=0.1))]
        if arch == "jinabert":
            raw += [(p + "mlp.gated_layers.weight", t(2 * I, H)), (p + "mlp.wo.weight", t(H, I, scale=0.15)),
                    (p + "mlp.wo.bias", t(H, scale=0.1)), (p + "mlp.layernorm.weight", t(H, scale=0.1, base=1.0)),
                    (p + "mlp.layernorm.bias", t(H, scale=0.1))]
        else:
            raw += [(p + "intermediate.dense.weight", t(I, H)), (p + "intermediate.dense.bias", t(I, scale=0.1)),
                    (p + "output.dense.weight", t(H, I, scale=0.15)), (p + "output.dense.bias", t(H, scale=0.1)),
                    (p + "output.LayerNorm.weight", t(H, scale=0.1, base=1.0)),
                    (p + "output.LayerNorm.bias", t(H, scale=0.1))]
    # A pooler (unused by embedders) as real checkpoints have one.
    raw += [("pooler.dense.weight", t(H, H)), ("pooler.dense.bias", t(H, scale=0.1))]

    out = os.path.join(HERE, arch)
    os.makedirs(out, exist_ok=True)
    prefix = {"bert": "", "xlm-roberta": "roberta.", "jinabert": ""}[arch]
    W, entries = {}, []
    for name, a in raw:
        data, vals = stored(a, dtype)
        W[name] = vals
        entries.append((prefix + name, dtype, a.shape, data))
    for f in os.listdir(out):
        if f.endswith(".safetensors") or f.endswith(".json"):
            os.remove(os.path.join(out, f))
    if arch == "jinabert":
        half = len(entries) // 2
        shards = [entries[:half], entries[half:]]
        wmap = {}
        for k, sh in enumerate(shards):
            fn = f"model-{k + 1:05d}-of-{len(shards):05d}.safetensors"
            write_safetensors(os.path.join(out, fn), sh)
            for e in sh:
                wmap[e[0]] = fn
        total = sum(len(e[3]) for e in entries)
        with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": total}, "weight_map": wmap}, f, indent=1)
    else:
        write_safetensors(os.path.join(out, "model.safetensors"), entries)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(tokenizer_json(vocab, cls, sep, pad, unk, specials), f)
    if arch == "bert":
        os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
        with open(os.path.join(out, "1_Pooling", "config.json"), "w") as f:
            json.dump({"word_embedding_dimension": H, "pooling_mode_cls_token": True,
                       "pooling_mode_mean_tokens": False}, f, indent=1)
        with open(os.path.join(out, "modules.json"), "w") as f:
            json.dump([{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                       {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}], f)

    n_content = V - len(specials)
    seqs = []
    for L in lens:
        body = (len(specials) + rng.integers(0, n_content, L - 2)).tolist()
        ids = [vocab.index(cls)] + body + [vocab.index(sep)]
        h = forward(arch, cfg, W, np.array(ids))
        mean = h.mean(0)
        clsv = h[0]
        r = lambda v: [float(np.float32(x)) for x in v]
        seqs.append({"ids": ids, "hidden": r(h.reshape(-1)), "mean": r(mean / np.linalg.norm(mean)),
                     "cls": r(clsv / np.linalg.norm(clsv))})
    ref = {"architecture": arch, "dtype": dtype, "sequences": seqs,
           "alibi_slopes": {str(n): alibi_slopes(n) for n in (1, 2, 3, 4, 6, 8, 12, 16, 24)}}
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(ref, f)
    print(arch, "vocab", V, "lens", lens, "dtype", dtype)


if __name__ == "__main__":
    rng = np.random.default_rng(20261123)
    for a in ("bert", "xlm-roberta", "jinabert"):
        make(a, rng)
