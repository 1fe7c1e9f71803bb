#!/usr/bin/env python3
"""`neardup compare A B` and `neardup dedup` reach the same verdict on every pair of a sample.

usage: agreement_test.py NEARDUP_BINARY DATA_DIR

The sample (at least 200 pairs, fixed by a seeded random generator) mixes what the verdicts
must tell apart: listed wire copies of every Jaccard and containment band, translation pairs,
hard negatives, and random pairs. For each pair, dedup reads the two documents as JSON Lines
(with their languages) and compare reads them as files with --lang-a/--lang-b; the kind that
dedup reports (or none) must be the kind of compare's verdict (null when not linked), and for
a reported pair the verdict `dedup --explain` prints must equal compare's, figure for figure.
A data set that yields fewer than 200 pairs fails the test: it never passes on no data.
"""
import json
import os
import random
import subprocess
import sys
import tempfile

MIN_PAIRS = 200


def read_jsonl_xz(path):
    out = subprocess.run(["xz", "-dc", path], check=True, capture_output=True).stdout.decode("utf-8")
    return {d["id"]: d for d in map(json.loads, out.splitlines())}


def read_pairs(path):
    with open(path, encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def main():
    neardup, data = sys.argv[1:3]
    wire = read_jsonl_xz(f"{data}/wire-dev/docs.jsonl.xz")
    xlang = read_jsonl_xz(f"{data}/xlang-dev/docs.jsonl.xz")
    rng = random.Random(20261202)
    copies = read_pairs(f"{data}/wire-dev/pairs.tsv")
    copies.sort(key=lambda r: float(r["containment"]))
    sample = [(wire, r["id_a"], r["id_b"]) for r in copies[::max(1, len(copies) // 80)]]
    sample += [(xlang, r["id_a"], r["id_b"]) for r in rng.sample(read_pairs(f"{data}/xlang-dev/pairs.tsv"), 50)]
    sample += [(xlang, r["id_a"], r["id_b"]) for r in rng.sample(read_pairs(f"{data}/xlang-dev/hard_negatives.tsv"), 50)]
    ids = sorted(xlang)
    sample += [(xlang, *rng.sample(ids, 2)) for _ in range(30)]
    if len(sample) < MIN_PAIRS:
        sys.exit(f"only {len(sample)} pairs in the sample, {MIN_PAIRS} needed")

    disagreements, kinds = [], {}
    with tempfile.TemporaryDirectory() as work:
        for docs, a, b in sample:
            da, db = docs[a], docs[b]
            pa, pb = os.path.join(work, "a.txt"), os.path.join(work, "b.txt")
            for path, d in ((pa, da), (pb, db)):
                with open(path, "w", encoding="utf-8") as f:
                    f.write(d["text"])
            jsonl = os.path.join(work, "pair.jsonl")
            with open(jsonl, "w", encoding="utf-8") as f:
                for d in (da, db):
                    f.write(json.dumps({"id": d["id"], "text": d["text"], "lang": d["lang"]}) + "\n")
            dedup = subprocess.run([neardup, "dedup", "-q", "--explain", jsonl], capture_output=True, text=True)
            compare = subprocess.run([neardup, "compare", "--format", "json", "--lang-a", da["lang"], "--lang-b",
                                      db["lang"], pa, pb], capture_output=True, text=True)
            if dedup.returncode != 0 or compare.returncode != 0:
                sys.exit(f"{a} {b}: dedup exited {dedup.returncode}, compare {compare.returncode}: "
                         f"{dedup.stderr}{compare.stderr}")
            lines = [json.loads(line) for line in dedup.stdout.splitlines()]
            reported = lines[0]["kind"] if lines else None
            verdict = json.loads(compare.stdout)["verdict"]
            # A linked pair that the index does not propose (LSH) is not reported: the verdict
            # says so (found: false).
            kind = None if verdict["kind"] == "undecided" or not verdict["found"] else verdict["kind"]
            kinds[reported] = kinds.get(reported, 0) + 1
            if reported != kind:
                disagreements.append((a, b, reported, kind))
            elif lines:
                # The same verdict, figure for figure: dedup --explain prints what Add acted on.
                explained = lines[0]["verdict"]
                for key in ("kind", "score", "jaccard", "containment", "containment_slots"):
                    if explained[key] != verdict[key]:
                        disagreements.append((a, b, key, explained[key], verdict[key]))
    print(f"{len(sample)} pairs; dedup's kinds: {kinds}")
    for d in disagreements:
        print("disagree:", *d)
    # The sample must hold pairs of every kind and pairs not linked, or agreement proves little.
    missing = [k for k in ("near", "contained", "translation", None) if kinds.get(k, 0) == 0]
    if missing:
        sys.exit(f"the sample has no pair of kind {missing}")
    sys.exit(1 if disagreements else 0)


if __name__ == "__main__":
    main()
