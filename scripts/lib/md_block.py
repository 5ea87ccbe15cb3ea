#!/usr/bin/env python3
"""Replaces the block between `<!-- BEGIN NAME -->` and `<!-- END NAME -->` in a Markdown file with stdin
(appends the block at the end when the file has none). How scripts/eval-quality and scripts/bench
regenerate their tables in BENCHMARKS.md (--update-benchmarks).

Usage: md_block.py FILE NAME < CONTENT
"""
import os
import sys


def main():
    path, name = sys.argv[1], sys.argv[2]
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{sys.stdin.read().strip()}\n{end}"
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


if __name__ == "__main__":
    main()
