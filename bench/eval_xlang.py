#!/usr/bin/env python3
"""Translation detection quality on a cross-language set (xlang-dev layout).

usage: eval_xlang.py PAIRS.tsv HARD_NEGATIVES.tsv DOCS.jsonl REPORTED.tsv [MIN_PRECISION MIN_RECALL MAX_HARD_NEGATIVES]

REPORTED.tsv is `neardup dedup --format tsv DOCS.jsonl` output. A reported pair of documents in
different languages counts as a translation claim whatever its kind (a translated page whose
text is mostly shared code may come out as `near`). Prints precision and recall overall and
per language pair, and the share of hard negatives reported. With the three bounds, exits 1
when any is missed (the test suite uses that).
"""
import collections
import json
import sys


def load_pairs(path):
    """The unordered id pairs of a TSV file's first two columns, header skipped."""
    with open(path, encoding="utf-8") as f:
        next(f)
        return {frozenset(line.split("\t")[:2]) for line in f}


def main():
    pairs_path, negatives_path, docs_path, reported_path = sys.argv[1:5]
    lang = {}
    with open(docs_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            lang[d["id"]] = d["lang"]
    truth, negatives = load_pairs(pairs_path), load_pairs(negatives_path)
    claims, kinds = set(), collections.Counter()
    with open(reported_path, encoding="utf-8") as f:
        for line in f:
            a, b, _, kind = line.rstrip("\n").split("\t")[:4]
            if lang[a] != lang[b]:
                claims.add(frozenset((a, b)))
                kinds[kind] += 1

    def key(p):
        return "-".join(sorted(lang[i] for i in p))

    per = collections.defaultdict(lambda: [0, 0, 0])  # true positives, claims, truths
    for p in claims:
        per[key(p)][1] += 1
        per[key(p)][0] += p in truth
    for p in truth:
        per[key(p)][2] += 1
    tp = sum(v[0] for v in per.values())
    print(f"cross-language claims: {len(claims)} {dict(kinds)}; true pairs: {len(truth)}")
    print(f"overall: precision {tp / max(1, len(claims)):.4f}  recall {tp / len(truth):.4f}")
    for k in sorted(per):
        t, c, n = per[k]
        print(f"  {k}: precision {t / max(1, c):.4f} ({t}/{c})  recall {t / max(1, n):.4f} ({t}/{n})")
    hit = len(claims & negatives)
    print(f"hard negatives reported: {hit}/{len(negatives)} = {hit / len(negatives):.4f}")
    if len(sys.argv) > 5:
        min_precision, min_recall, max_negatives = map(float, sys.argv[5:8])
        precision, recall = tp / max(1, len(claims)), tp / len(truth)
        ok = precision >= min_precision and recall >= min_recall and hit / len(negatives) < max_negatives
        print("bounds " + ("met" if ok else "MISSED") +
              f": precision >= {min_precision}, recall >= {min_recall}, hard negatives < {max_negatives}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
