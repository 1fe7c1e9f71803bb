#!/usr/bin/env python3
"""What `neardup dedup --keep` keeps and drops, judged by the data's own word 5-shingles
(eval_copies.py's truth_shingles), independently of neardup's code.

usage: eval_keep.py DOCS.jsonl KEPT.jsonl DROPPED.tsv TRUTH.tsv [--pairs PAIRS.tsv [--first]] [--check]

  KEPT.jsonl   `neardup dedup --keep POLICY DOCS.jsonl`
  DROPPED.tsv  `neardup dedup --keep POLICY --dropped --format tsv DOCS.jsonl` (id, kept, score,
               kind, smaller)
  TRUTH.tsv    the set's listed copies (id_a, id_b, ..., containment): wire-dev's pairs.tsv or
               licenses-dev's truth.tsv
  PAIRS.tsv    `neardup dedup --format tsv DOCS.jsonl`: with it, --check also asserts that no
               two kept documents of one language are reported as near or contained, and that
               each dropped one's link to its kept one is reported; with --first (the run was
               --keep first), that the kept documents are exactly those a reference computes
               from the reported pairs: in input order, each kept unless a reported copy in its
               language was kept before it

Prints: the documents kept and dropped; drop precision (a drop is right when the dropped
document and the kept one it names have exact Jaccard or containment >= 0.7, the bar
eval_copies.py counts a reported pair right at); the text a drop loses (the share of the
dropped document's shingles its kept document lacks: mean and the worst); the listed copies
at containment >= 0.9 in one language that both stay (copies the run left); and, where
TRUTH.tsv names originals (wire-dev's orig-variant rows, id_a the original), how many
originals are kept. --check asserts what every policy must give: kept + dropped = the
documents, each kept line equal to its input line, every dropped document naming a kept one
in its language, and drop precision >= 0.99.
"""
import argparse
import json
import sys

from eval_copies import exact, truth_shingles


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    return {str(json.loads(line)["id"]): line for line in lines}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs")
    parser.add_argument("kept")
    parser.add_argument("dropped")
    parser.add_argument("truth")
    parser.add_argument("--pairs")
    parser.add_argument("--first", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    input_lines = read_jsonl(args.docs)
    docs = {i: json.loads(line) for i, line in input_lines.items()}
    kept_lines = read_jsonl(args.kept)
    with open(args.dropped, encoding="utf-8") as f:
        drops = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    dropped = {d[0]: d for d in drops}
    shingles = {}

    def sh(i):
        if i not in shingles:
            shingles[i] = truth_shingles(docs[i]["text"])
        return shingles[i]

    failures = []
    if set(kept_lines) & set(dropped):
        failures.append("%d documents both kept and dropped" % len(set(kept_lines) & set(dropped)))
    if set(kept_lines) | set(dropped) != set(docs):
        failures.append("kept + dropped are not the input: %d missing, %d unknown"
                        % (len(set(docs) - set(kept_lines) - set(dropped)), len(set(kept_lines) | set(dropped) - set(docs))))
    changed = [i for i, line in kept_lines.items() if input_lines.get(i) != line]
    if changed:
        failures.append("%d kept lines differ from the input's, e.g. %s" % (len(changed), changed[0]))
    right, lost = 0, []
    for i, d in dropped.items():
        kept = d[1]
        if kept not in kept_lines:
            failures.append("%s is dropped for %s, which is not kept" % (i, kept))
            continue
        if docs[i].get("lang") != docs[kept].get("lang"):
            failures.append("%s (%s) is dropped for %s (%s): another language"
                            % (i, docs[i].get("lang"), kept, docs[kept].get("lang")))
        jaccard, containment = exact(sh(i), sh(kept))
        right += jaccard >= 0.7 or containment >= 0.7
        lost.append(len(sh(i) - sh(kept)) / max(1, len(sh(i))))
    precision = right / len(dropped) if dropped else 1.0

    with open(args.truth, encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        truth = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]
    left = [r for r in truth if float(r["containment"]) >= 0.9 and r["id_a"] in kept_lines and r["id_b"] in kept_lines
            and docs[r["id_a"]].get("lang") == docs[r["id_b"]].get("lang")]
    originals = {r["id_a"] for r in truth if r.get("kind") == "orig-variant"}

    if args.pairs:
        with open(args.pairs, encoding="utf-8") as f:
            reported = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        copies = [(r[0], r[1]) for r in reported if r[3] in ("near", "contained")
                  and docs[r[0]].get("lang") == docs[r[1]].get("lang")]
        both = [p for p in copies if p[0] in kept_lines and p[1] in kept_lines]
        if both:
            failures.append("%d reported copies in one language are both kept, e.g. %s" % (len(both), both[0]))
        linked = {frozenset(p) for p in copies}
        unlinked = [i for i, d in dropped.items() if frozenset((i, d[1])) not in linked]
        if unlinked:
            failures.append("%d dropped documents name a kept one they have no reported link to, e.g. %s"
                            % (len(unlinked), unlinked[0]))
        if args.first:
            order = list(input_lines)  # the input's order
            neighbours = {i: set() for i in order}
            for a, b in copies:
                neighbours[a].add(b), neighbours[b].add(a)
            reference = set()
            for i in order:
                if not neighbours[i] & reference:
                    reference.add(i)
            if reference != set(kept_lines):
                failures.append("--keep first kept %d documents, the reference %d (%d differ)"
                                % (len(kept_lines), len(reference), len(reference ^ set(kept_lines))))
    print("%d documents: %d kept, %d dropped" % (len(docs), len(kept_lines), len(dropped)))
    print("drop precision %.4f (%d of %d name a kept copy at exact Jaccard or containment >= 0.7)"
          % (precision, right, len(dropped)))
    if lost:
        print("text lost by a drop: mean %.4f, worst %.4f of the dropped document's shingles"
              % (sum(lost) / len(lost), max(lost)))
    print("listed copies (containment >= 0.9, one language) both kept: %d" % len(left))
    if originals:
        print("originals kept: %d of %d" % (len(originals & set(kept_lines)), len(originals)))
    if args.check:
        if precision < 0.99:
            failures.append("drop precision %.4f < 0.99" % precision)
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
