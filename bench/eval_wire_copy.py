#!/usr/bin/env python3
"""Recall and precision of `neardup dedup` on a corpus with known near-duplicate pairs.

usage: eval_wire_copy.py DOCS.jsonl PAIRS.tsv REPORTED.tsv [MIN_RECALL MIN_PRECISION]

PAIRS.tsv is the perf corpus' list of injected copies (id_a id_b jaccard ops); REPORTED.tsv is
`neardup dedup --format tsv` output. Exact Jaccard is recomputed for every reported pair with
the corpus' own definition (word 5-shingles after lowercasing and splitting on non-word
characters), independently of neardup's code, so that precision does not trust the tool.
With the bounds, exits 1 unless recall at J >= 0.85 and the share of reported pairs with exact
J >= 0.5 (a copy, not a coincidence) reach them.
"""
import json
import re
import sys

WORD = re.compile(r"\w+")


def shingles(text, n=5):
    words = WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def main():
    docs_path, pairs_path, reported_path = sys.argv[1:4]
    injected = {}
    with open(pairs_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            a, b, j = line.rstrip("\n").split("\t")[:3]
            injected[frozenset((a, b))] = float(j)
    reported = set()
    with open(reported_path, encoding="utf-8") as f:
        for line in f:
            a, b, _, kind = line.rstrip("\n").split("\t")[:4]
            if kind == "near":
                reported.add(frozenset((a, b)))
    wanted = {i for p in reported for i in p}
    texts = {}
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["id"] in wanted:
                texts[d["id"]] = d["text"]
    cache = {}

    def sh(i):
        if i not in cache:
            cache[i] = shingles(texts[i])
        return cache[i]

    recall = {}
    for floor in (0.85, 0.9):
        truth = [p for p, j in injected.items() if j >= floor]
        found = sum(1 for p in truth if p in reported)
        recall[floor] = found / len(truth)
        print(f"recall, injected pairs with J >= {floor}: {found}/{len(truth)} = {found / len(truth):.4f}")
    exact = [jaccard(*(sh(i) for i in p)) for p in reported]
    n = len(exact)
    print(f"reported near pairs: {n} ({sum(1 for p in reported if p in injected)} injected, the rest natural)")
    precision = {}
    for floor in (0.5, 0.7, 0.75, 0.8):
        ok = sum(1 for j in exact if j >= floor)
        precision[floor] = ok / max(1, n)
        print(f"precision, reported pairs with exact J >= {floor}: {ok}/{n} = {ok / max(1, n):.4f}")
    if len(sys.argv) > 4:
        min_recall, min_precision = map(float, sys.argv[4:6])
        ok = recall[0.85] >= min_recall and precision[0.5] >= min_precision
        print("bounds " + ("met" if ok else "MISSED") + f": recall >= {min_recall}, precision >= {min_precision}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
