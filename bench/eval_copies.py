#!/usr/bin/env python3
"""Copies found: recall by size ratio and precision of `near` and `contained` pairs, scored
against the data's own definition of shingles, independently of neardup's code (issue #23).

usage: eval_copies.py licenses|wire DATA_DIR DOCS.jsonl PAIRS.tsv [--check]

  licenses  licenses-dev: recall of truth.tsv's pairs at exact containment >= 0.9, per size
            ratio (larger / smaller shingle set: 1-2, 2-8, 8-32, 32+); precision of the reported
            near and contained pairs (right when truth.tsv's Jaccard or containment is >= 0.7;
            a pair truth.tsv does not list shares no shingle). --check asserts issue #23's bars:
            recall >= 0.95 in every band, >= 0.8 above ratio 8, precision >= 0.99, and no
            translation link.
  wire      wire-dev: recall of pairs.tsv's copies at containment >= 0.9; precision of the
            reported near and contained pairs (exact Jaccard or containment >= 0.7, computed
            here). --check asserts precision >= 0.99 and recall >= 0.95.

PAIRS.tsv is `neardup dedup --format tsv` output (id_a, id_b, score, kind).
"""
import argparse
import collections
import json
import os
import sys

SIZE_BANDS = ("1-2", "2-8", "8-32", "32+")


def truth_shingles(text):
    """The data README's word 5-shingles: lowercase, split on white space, keep letters and
    digits."""
    words = ["".join(c for c in w if c.isalnum()) for w in text.lower().split()]
    words = [w for w in words if w]
    return {tuple(words[i:i + 5]) for i in range(max(0, len(words) - 4))}


def exact(a, b):
    """(Jaccard, containment of the smaller) of two shingle sets."""
    common = len(a & b)
    return common / max(1, len(a | b)), common / max(1, min(len(a), len(b)))


def tsv_rows(path):
    with open(path, encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def size_band(a, b):
    ratio = max(a, b) / max(1, min(a, b))
    return "1-2" if ratio < 2 else "2-8" if ratio < 8 else "8-32" if ratio < 32 else "32+"


def score_licenses(truth_rows, reported, ids):
    """{"bands": {band: [found, total]}, "claimed", "right", "translations"} for reported rows
    (id_a, id_b, score, kind) among the documents `ids`."""
    truth = {frozenset((r["id_a"], r["id_b"])): r for r in truth_rows}
    pairs = {frozenset(r[:2]) for r in reported if r[3] in ("near", "contained") and r[0] in ids and r[1] in ids}
    bands = collections.OrderedDict((b, [0, 0]) for b in SIZE_BANDS)
    for p, r in truth.items():
        if float(r["containment"]) >= 0.9:
            band = bands[size_band(int(r["shingles_a"]), int(r["shingles_b"]))]
            band[1] += 1
            band[0] += p in pairs
    right = sum(1 for p in pairs if p in truth and max(float(truth[p]["jaccard"]), float(truth[p]["containment"])) >= 0.7)
    translations = sum(1 for r in reported if r[3] == "translation" and r[0] in ids and r[1] in ids)
    return {"bands": bands, "claimed": len(pairs), "right": right, "translations": translations}


def score_wire(pairs_rows, texts, reported):
    """{"found", "listed", "claimed", "right"}: recall of the listed copies at containment >= 0.9
    and precision of the reported near and contained pairs among `texts` (id -> text)."""
    pairs = {frozenset(r[:2]) for r in reported if r[3] in ("near", "contained") and r[0] in texts and r[1] in texts}
    listed = [frozenset((r["id_a"], r["id_b"])) for r in pairs_rows if float(r["containment"]) >= 0.9]
    shingles = {}
    right = 0
    for a, b in (tuple(p) for p in pairs):
        for i in (a, b):
            if i not in shingles:
                shingles[i] = truth_shingles(texts[i])
        right += max(exact(shingles[a], shingles[b])) >= 0.7
    return {"found": sum(p in pairs for p in listed), "listed": len(listed), "claimed": len(pairs), "right": right}


def ratio(a, b):
    return a / b if b else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", choices=("licenses", "wire"))
    parser.add_argument("data")
    parser.add_argument("docs")
    parser.add_argument("pairs")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    with open(args.docs, encoding="utf-8") as f:
        texts = {str(d["id"]): d["text"] for d in (json.loads(line) for line in f)}
    with open(args.pairs, encoding="utf-8") as f:
        reported = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    failures = []
    if args.set == "licenses":
        s = score_licenses(tsv_rows(os.path.join(args.data, "licenses-dev", "truth.tsv")), reported, set(texts))
        precision = ratio(s["right"], s["claimed"])
        print("licenses-dev: %d near and contained pairs, precision %.4f; %d translation links"
              % (s["claimed"], precision, s["translations"]))
        for band, (found, total) in s["bands"].items():
            recall = ratio(found, total)
            print("  size ratio %-5s recall %.3f (%d/%d) at containment >= 0.9" % (band, recall, found, total))
            if total == 0:
                failures.append("no true pair of size ratio %s: the truth file was not read" % band)
            elif recall < 0.95:
                failures.append("recall %.3f at size ratio %s, under 0.95" % (recall, band))
        above8 = [s["bands"][b] for b in ("8-32", "32+")]
        if ratio(sum(f for f, _ in above8), sum(t for _, t in above8)) < 0.8:
            failures.append("recall under 0.8 above size ratio 8")
        if not precision >= 0.99:
            failures.append("precision %.4f under 0.99" % precision)
        if s["translations"]:
            failures.append("%d translation links among English files" % s["translations"])
    else:
        s = score_wire(tsv_rows(os.path.join(args.data, "wire-dev", "pairs.tsv")), texts, reported)
        recall, precision = ratio(s["found"], s["listed"]), ratio(s["right"], s["claimed"])
        print("wire-dev: copies at containment >= 0.9 found %.3f (%d/%d); %d near and contained pairs, precision %.4f"
              % (recall, s["found"], s["listed"], s["claimed"], precision))
        if not recall >= 0.95:
            failures.append("recall %.3f under 0.95" % recall)
        if not precision >= 0.99:
            failures.append("precision %.4f under 0.99" % precision)
    if args.check and failures:
        print("FAIL: " + "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
