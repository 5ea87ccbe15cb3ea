#!/usr/bin/env python3
"""MinHash + LSH baseline for scripts/eval-quality, run the way text-dedup / datasketch users run it.

Word 5-gram shingles (lower-cased, split on non-word characters; in scripts written without spaces (Han,
kana, Thai, Lao, Khmer, Myanmar, Tibetan) every character is a word, as in Doppel's LexicalSketch, so a
Japanese or Chinese text gets character 5-grams rather than whole sentences as "words"), 256 permutations of a 32-bit SHA-1
token hash (h -> (a*h + b) mod (2^61 - 1), low 32 bits), LSH banding with the (bands, rows) that
minimise the equally weighted false-positive and false-negative areas for each threshold (datasketch's
MinHashLSH rule), and every candidate verified by the exact Jaccard of the two shingle sets. A pair is
predicted at threshold t when LSH built for t makes it a candidate and its Jaccard is >= t; clusters are
then the connected components (the scorer builds them). A text shorter than 5 words is one shingle;
an empty text has no signature and pairs with nothing.

Usage: minhash_lsh.py TEXTS.json OUT.tsv FROM TO STEP
Writes `threshold path_a path_b` rows (tab-separated, with a header) and prints the time per step and
one `RESULT docs signature_seconds lsh_seconds_at_0.70 peak_rss_mb` line.
"""
import hashlib
import json
import re
import resource
import struct
import sys
import time

import numpy as np

NUM_PERM = 256
NGRAM = 5
SEED = 42
MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
UNSPACED = "\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(f"[{UNSPACED}]|[^\\W{UNSPACED}]+")


def shingles(text):
    words = WORD.findall(text.lower())
    if len(words) < NGRAM:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + NGRAM]) for i in range(len(words) - NGRAM + 1)}


def signatures(sets):
    rng = np.random.RandomState(SEED)
    a = rng.randint(1, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
    b = rng.randint(0, (1 << 61) - 1, size=NUM_PERM, dtype=np.uint64)
    sigs = np.full((len(sets), NUM_PERM), MAX_HASH, dtype=np.uint64)
    for i, s in enumerate(sets):
        if not s:
            continue
        hv = np.fromiter((struct.unpack("<I", hashlib.sha1(x.encode("utf-8")).digest()[:4])[0] for x in s),
                         dtype=np.uint64, count=len(s))
        for k in range(0, len(hv), 4096):  # uint64 products wrap, as in datasketch
            block = ((hv[k:k + 4096, None] * a + b) % MERSENNE) & MAX_HASH
            sigs[i] = np.minimum(sigs[i], block.min(axis=0))
    return sigs


def optimal_bands(threshold, num_perm=NUM_PERM):
    """(bands, rows) minimising 0.5 * P(false positive) + 0.5 * P(false negative), integrated over similarity."""
    lo, hi = np.linspace(0.0, threshold, 513), np.linspace(threshold, 1.0, 513)
    best, best_err = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = np.trapezoid(1 - (1 - lo ** r) ** b, lo)
            fn = np.trapezoid((1 - hi ** r) ** b, hi)
            if 0.5 * fp + 0.5 * fn < best_err:
                best, best_err = (b, r), 0.5 * fp + 0.5 * fn
    return best


def candidates(sigs, has_text, bands, rows):
    out = set()
    for band in range(bands):
        buckets = {}
        part = sigs[:, band * rows:(band + 1) * rows]
        for i in np.flatnonzero(has_text):
            buckets.setdefault(part[i].tobytes(), []).append(i)
        for members in buckets.values():
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    out.add((members[x], members[y]))
    return out


def main():
    texts_json, out_tsv = sys.argv[1], sys.argv[2]
    start, stop, step = (float(x) for x in sys.argv[3:6])
    docs = json.load(open(texts_json, encoding="utf-8"))
    paths = [d["path"] for d in docs]
    t0 = time.time()
    sets = [shingles(d["text"]) for d in docs]
    sigs = signatures(sets)
    has_text = np.array([bool(s) for s in sets])
    sig_seconds = time.time() - t0
    print(f"{len(docs)} documents ({int((~has_text).sum())} empty), shingles + signatures in {sig_seconds:.1f} s")
    jaccard = {}
    lsh_default = None
    n = int(round((stop - start) / step)) + 1
    with open(out_tsv, "w", encoding="utf-8") as out:
        out.write("threshold\tpath_a\tpath_b\n")
        for k in range(n):
            t = round(start + k * step, 6)
            t1 = time.time()
            bands, rows = optimal_bands(t)
            cand = candidates(sigs, has_text, bands, rows)
            kept = 0
            for i, j in sorted(cand):
                if (i, j) not in jaccard:
                    jaccard[(i, j)] = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
                if jaccard[(i, j)] >= t - 1e-9:
                    out.write(f"{t:.3f}\t{paths[i]}\t{paths[j]}\n")
                    kept += 1
            seconds = time.time() - t1
            if abs(t - 0.7) < 1e-6:
                lsh_default = seconds
            print(f"  threshold {t:.2f}: {bands} bands x {rows} rows, {len(cand)} candidates, {kept} verified ({seconds:.1f} s)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"RESULT {len(docs)} {sig_seconds:.2f} {lsh_default if lsh_default is not None else float('nan'):.2f} {rss}")


if __name__ == "__main__":
    main()
