#!/usr/bin/env python3
"""Markdown summary of one scripts/eval-quality run (called by it; reads its work folder).

Per method (Doppel via `doppel eval`; MinHash+LSH; truncated bge embedding): P / R / F1 / ARI at the
method's default threshold and at its best threshold (highest pair F1; ties: higher ARI, then lower
threshold); the recall per label and transform of ground_truth.csv (flagged rate for negatives); where
Doppel finds fewer pairs of a transform than a baseline; seconds per method; whether the baselines'
texts are the run's.
"""
import argparse
import csv
import datetime
import json
import os
import re

MINHASH_DEFAULT = 0.70  # text-dedup's --threshold default
EMBED_DEFAULT = 0.75    # sentence-transformers community_detection's threshold default
METHODS = [
    ("doppel", "Doppel"),
    ("minhash", "MinHash+LSH, word 5-grams, 256 perm."),
    ("ort", "bge-small, 1 vector/doc truncated to 512 tokens (OnnxRuntime)"),
]


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def at(sweep, t):
    """The sweep row at threshold t (nearest if t is off the grid)."""
    return min(sweep, key=lambda r: abs(float(r["threshold"]) - t))


def best(sweep, ari_key):
    return max(sweep, key=lambda r: (float(r["f1"]), float(r[ari_key]), -float(r["threshold"])))


def fmt(x):
    return f"{float(x):.3f}"


def result_line(log):
    if not os.path.exists(log):
        return None
    for line in open(log, encoding="utf-8"):
        if line.startswith("RESULT "):
            return line.split()[1:]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--default", type=float, required=True)
    ap.add_argument("--commit", required=True, help="the commit the run was made at")
    ap.add_argument("--extract-seconds", type=float)
    ap.add_argument("--doppel-only", action="store_true")
    a = ap.parse_args()
    w = a.work
    summary = json.load(open(os.path.join(w, "report", "summary.json")))
    docs = rows(os.path.join(w, "report", "documents.csv"))
    out = []
    p = out.append

    doppel_eval = rows(os.path.join(w, "doppel-eval.csv"))
    sweeps = {"doppel": doppel_eval}
    transforms = {"doppel": rows(os.path.join(w, "doppel-transform.csv"))}
    methods = METHODS[:1] if a.doppel_only else METHODS
    for key, _ in methods[1:]:
        sweeps[key] = rows(os.path.join(w, f"{key}-sweep.csv"))
        transforms[key] = rows(os.path.join(w, f"{key}-transform.csv"))
    defaults = {"doppel": a.default, "minhash": MINHASH_DEFAULT, "ort": EMBED_DEFAULT}
    default_why = {"doppel": "default", "minhash": "default (text-dedup)", "ort": "default (sentence-transformers)"}
    ari_key = {"doppel": "ari_guarded" if "ari_guarded" in doppel_eval[0] else "ari", "minhash": "ari", "ort": "ari"}
    chosen = {}
    for key, _ in methods:
        chosen[key] = {"default": at(sweeps[key], defaults[key]), "best": best(sweeps[key], ari_key[key])}

    positives = sum(int(chosen["doppel"]["best"][k]) for k in ("tp", "fn"))
    p(f"### {a.corpus}")
    p("")
    p(f"{len(docs)} documents, {positives} positive pairs (every pair within a truth cluster); measured "
      f"{datetime.date.today().isoformat()} at commit {a.commit}; Doppel run at threshold "
      f"{summary.get('threshold')} and swept by `doppel eval`.")
    p("")
    if not a.doppel_only:
        texts = json.load(open(os.path.join(w, "texts.json"), encoding="utf-8"))
        run_sha = {d["path"]: d["text_sha256"] for d in docs}
        same = sum(1 for t in texts if (t["text_sha256"] or "") == (run_sha.get(t["path"]) or ""))
        empty = sum(1 for t in texts if not t["text"].strip())
        p(f"Baselines read the texts Doppel's own extraction gives ({len(texts)} files; {same} of them "
          f"identical to the run's text_sha256; {empty} empty, which pair with nothing).")
        p("")
    p("| method | threshold | P | R | F1 | ARI (pair graph) | ARI (clusters) | pairs |")
    p("|---|---|---|---|---|---|---|---|")
    for key, label in methods:
        for which in ("default", "best"):
            r = chosen[key][which]
            why = default_why[key] if which == "default" else "best F1"
            p(f"| {label} | {why} {float(r['threshold']):.2f} | {fmt(r['precision'])} | {fmt(r['recall'])} | "
              f"**{fmt(r['f1'])}** | {fmt(r['ari'])} | {fmt(r[ari_key[key]])} | {r['pairs']} |")
    p("")
    p("ARI (pair graph): connected components of the flagged pairs, for every method. ARI (clusters): Doppel's "
      "hub-guarded clusters (what its report holds); for the baselines the connected components.")
    p("")

    # Shared scorer vs doppel eval: they must agree unless eval re-decides the pairs.
    mine = {round(float(r["threshold"]), 3): r for r in rows(os.path.join(w, "doppel-sweep.csv"))}
    off = [r["threshold"] for r in doppel_eval
           if round(float(r["threshold"]), 3) in mine
           and any(abs(float(r[k]) - float(mine[round(float(r["threshold"]), 3)][k])) > 1e-3 for k in ("precision", "recall", "ari"))]
    if off:
        p(f"Note: the shared scorer over pairs.csv disagrees with `doppel eval` at thresholds {', '.join(off)}.")
        p("")

    trans = {}
    for key, _ in methods:
        for which in ("default", "best"):
            t = float(chosen[key][which]["threshold"])
            for r in transforms[key]:
                if abs(float(r["threshold"]) - t) < 1e-6:
                    trans.setdefault((r["label"], r["kind"]), {})[(key, which)] = (int(r["flagged"]), int(r["pairs"]))
    if trans:
        cols = [(key, which) for key, _ in methods for which in ("default", "best")]
        names = {"doppel": "Doppel", "minhash": "MinHash", "ort": "bge-trunc."}
        p("Recall per label and transform of ground_truth.csv (a pair counts under every step of its transform); "
          "for `different` pairs the share flagged (false positives, lower is better):")
        p("")
        p("| label | transform | pairs | " + " | ".join(f"{names[k]} {'default' if wch == 'default' else 'best'}" for k, wch in cols) + " |")
        p("|---|---|---|" + "---|" * len(cols))
        order = sorted(trans, key=lambda lk: (lk[0] == "different", lk[0], lk[1] != "*", lk[1]))
        for label, kind in order:
            cells = trans[(label, kind)]
            n = next(iter(cells.values()))[1]
            vals = [cells.get(c) for c in cols]
            p(f"| {label} | {'all' if kind == '*' else kind} | {n} | "
              + " | ".join("" if v is None else fmt(v[0] / v[1] if v[1] else 0) for v in vals) + " |")
        p("")
        losses = []
        for label, kind in order:
            cells = trans[(label, kind)]
            negative = label == "different"
            d_def, d_best = cells.get(("doppel", "default")), cells.get(("doppel", "best"))
            if d_def is None or d_def[1] == 0:
                continue
            better = lambda b, d: b[0] < d[0] if negative else b[0] > d[0]
            beaten = [(names[key], cells[(key, "best")][0]) for key, _ in methods[1:]
                      if (key, "best") in cells and (better(cells[(key, "best")], d_def) or better(cells[(key, "best")], d_best))]
            if beaten:
                verb = "flags" if negative else "finds"
                losses.append(f"- `{label}` / `{'all' if kind == '*' else kind}` ({d_def[1]} pairs): Doppel {verb} {d_def[0]} "
                              f"at its default, {d_best[0]} at its best; "
                              + ", ".join(f"{n} at its best {v}" for n, v in beaten) + ".")
        if a.doppel_only:
            pass
        elif losses:
            p("Where Doppel loses to a baseline (same transform, baseline at its best threshold):")
            p("")
            out.extend(losses)
        else:
            p("Doppel loses to no baseline on any transform (at its default and at its best threshold).")
        p("")

    stages = summary.get("stage_seconds", {})
    p("Seconds on this machine (same documents):")
    p("")
    p("| method | seconds | what is counted |")
    p("|---|---|---|")
    total = sum(float(v) for v in stages.values())
    p(f"| Doppel (whole run) | {total:.1f} | stages {', '.join(f'{k} {float(v):.1f}' for k, v in stages.items())} |")
    if not a.doppel_only:
        after = total - float(stages.get("extract", 0)) - float(stages.get("list", 0))
        p(f"| Doppel after extraction | {after:.1f} | every stage but list/extract |")
        if a.extract_seconds:
            p(f"| text dump for the baselines | {a.extract_seconds:.1f} | Doppel's extraction in one JVM, 2 threads (not counted below) |")
        m = result_line(os.path.join(w, "minhash.log"))
        if m:
            p(f"| MinHash+LSH | {float(m[1]) + float(m[2]):.1f} | shingles + signatures {float(m[1]):.1f} s, LSH + verification at 0.70 {float(m[2]):.1f} s (Python+numpy) |")
        o = result_line(os.path.join(w, "ort.log"))
        if o:
            p(f"| bge-small truncated (OnnxRuntime) | {float(o[2]) + float(o[3]):.1f} | tokenise + embed {o[1]} tokens {float(o[2]):.1f} s, all-pairs cosine {float(o[3]):.1f} s; peak RSS {o[4]} MB |")
    p("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
