#!/usr/bin/env python3
"""Labelled non-English near-duplicate corpus in the neardup-small layout, from Debian's translated docs.

Runs the shared generator (../shared/tools/make_neardup_corpus.py: same formats, transforms, exact copies,
hard negatives, scans, ground_truth.csv / clusters.csv / manifest.csv) over another language's sources:
the translated manual pages (manpages-ja, manpages-zh, manpages-ru, manpages-de, manpages-fr, ...) rendered
by man(1), and the debian-reference translation where Debian ships one. Only what is language-bound is
replaced: which sources, how a page becomes paragraphs, what a sentence and a word are (scripts written
without spaces count every character as a term, as Doppel's LexicalSketch does), and the prose filter.
Same-family hard negatives are pages of the same manual section.

Usage: make_multilingual_corpus.py LANG --out DIR [--docs N] [--seed S] [--min-words N=80] [--max-words N=400] [--force]
LANG: ja | zh | ru | de | fr | es
"""
import glob
import gzip
import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "tools", "make_neardup_corpus.py"))

# man page folder and debian-reference suffix per language
LANGS = {
    "ja": ("ja", "ja"), "zh": ("zh_CN", "zh-cn"), "ru": ("ru", None),
    "de": ("de", "de"), "fr": ("fr", "fr"), "es": ("es", "es"),
}
PACKAGES = {
    "ja": ["manpages-ja", "debian-reference-ja"], "zh": ["manpages-zh", "debian-reference-zh-cn"],
    "ru": ["manpages-ru"], "de": ["manpages-de", "debian-reference-de"], "fr": ["manpages-fr", "debian-reference-fr"],
    "es": ["manpages-es", "debian-reference-es"],
}
UNSPACED = re.compile(r"[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TERM = re.compile(r"[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W_]+")
# a sentence ends at . ! ? followed by space, or at a full-width stop (no space follows in CJK text)
SENT = re.compile(r"(?<=[.!?])\s+(?=[^\s\da-z])|(?<=[。！？])\s*")
HEADER = re.compile(r"^\S.*$")


def load_generator():
    if not os.path.exists(GENERATOR):
        sys.exit(f"make-multilingual-corpus: {GENERATOR} not found (../shared must sit beside the repo)")
    spec = importlib.util.spec_from_file_location("make_neardup_corpus", GENERATOR)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen


def terms(text):
    return TERM.findall(text.lower())


def render_man(path):
    """A man page as plain text via man(1), lines as wide as the source paragraphs (no hyphenation)."""
    env = dict(os.environ, MANWIDTH="100000", LANG="C.UTF-8", MAN_KEEP_FORMATTING="")
    r = subprocess.run(["man", "-l", "-E", "UTF-8", path], capture_output=True, env=env, timeout=60)
    if r.returncode != 0:
        return ""
    return re.sub(r".\x08", "", r.stdout.decode("utf-8", "replace"))


def man_paras(text):
    """Section headings (unindented lines) as 'h', indented blocks between blank lines as 'p'."""
    out, cur = [], []

    def flush():
        if cur:
            out.append(("p", " ".join(" ".join(cur).split())))
            cur.clear()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if i == 0 or (i == len(lines) - 1 and line.strip()):
            continue  # the page header and footer lines (name, section, date)
        if not line.strip():
            flush()
        elif HEADER.match(line):
            flush()
            out.append(("h", line.strip()))
        else:
            cur.append(line.strip())
    flush()
    return out


def main():
    args = sys.argv[1:]
    if not args or args[0] not in LANGS:
        sys.exit(__doc__)
    lang = args.pop(0)
    man_dir, ref_suffix = LANGS[lang]
    gen = load_generator()
    rendered = {}

    def discover_sources():
        pages = sorted(glob.glob(f"/usr/share/man/{man_dir}/man*/*.gz"))
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            for p, text in zip(pages, ex.map(render_man, pages)):
                rendered[p] = text
        srcs = [(p, "man:" + os.path.basename(os.path.dirname(p)), man_paras) for p in pages]
        if ref_suffix:
            for p in sorted(glob.glob(f"/usr/share/debian-reference/*.{ref_suffix}.html")):
                srcs.append((p, "debian:reference", gen.extract_html))
        return srcs

    def read(path):
        if path in rendered:
            return rendered[path]
        with open(path, "rb") as f:
            data = f.read()
        return (gzip.decompress(data) if path.endswith(".gz") else data).decode("utf-8", "replace")

    def nwords(paras):
        return sum(len(terms(t)) for _, t in paras)

    def prose_ok(paras):
        body = " ".join(t for k, t in paras if k == "p")
        if not body:
            return False
        letters = sum(c.isalpha() for c in body)
        sentences = len(SENT.findall(body)) + 1
        return letters / len(body) > 0.55 and sentences >= nwords(paras) / 120

    def shingle_sample(paras, mod=8):
        ts = terms(" ".join(t for _, t in paras))
        out = set()
        for i in range(len(ts) - 7):
            v = int.from_bytes(gen.hashlib.blake2b(" ".join(ts[i:i + 8]).encode(), digest_size=8).digest(), "little")
            if v % mod == 0:
                out.add(v)
        return out

    gen.discover_sources = discover_sources
    gen.read = read
    gen.nwords = nwords
    gen.prose_ok = prose_ok
    gen.shingle_sample = shingle_sample
    gen.SENT = SENT
    # short articles by default (80-400 terms; longer pages are split into parts, which are same-family hard
    # negatives of each other): the regime where a document cosine weighs most in the decision
    if "--min-words" not in args:
        args += ["--min-words", "80"]
    if "--max-words" not in args:
        args += ["--max-words", "400"]
    sys.argv = ["make_neardup_corpus.py"] + args
    gen.main()
    out = args[args.index("--out") + 1]
    with open(os.path.join(out, "README.txt"), "a", encoding="utf-8") as f:
        f.write(f"\nThis set: language '{lang}', made by scripts/make-multilingual-corpus from Debian packages "
                f"{', '.join(PACKAGES[lang])} (manual pages rendered by man(1); see /usr/share/doc/<pkg>/copyright);\n"
                "the English source list above does not apply. A 'word' here is a run of letters, or one character\n"
                "in scripts written without spaces. Boilerplate transforms add English headers and disclaimers.\n")


if __name__ == "__main__":
    main()
