#!/usr/bin/env python3
"""One accuracy report over every shared set, in one run (issue #22, item 4).

usage: eval_all.py NEARDUP_BINARY DATA_DIR [--out REPORT.md]

DATA_DIR is ../shared/data (or $NEARDUP_DATA). Runs `neardup dedup --format tsv` once on each
of: xlang-dev, xlang-wild-dev, wire-dev, licenses-dev, wire-dev with xlang-dev (issue #22's
open-world bar), and all four mixed, and scores the
output against the sets' own truth files, independently of neardup's code:

  * translations: a reported pair of documents in different languages is a claim whatever
    its kind. True pairs: xlang-dev's and xlang-wild-dev's pairs.tsv, wire-dev's
    translations.tsv, and (when both are in the input) wire-dev's cross translations with
    xlang-dev. Precision and recall overall, per family (xlang-wild-dev's meta.tsv `source`;
    xlang-dev as one family) and per language pair; false translation links per 1,000
    documents; hard negatives reported.
  * copies: containment recall on licenses-dev by size ratio (larger / smaller shingle set)
    for pairs at exact containment 0.9 or more, and the precision of near and contained
    pairs there (right when truth.tsv's Jaccard or containment is at least 0.7); on
    wire-dev, recall of the listed copies at containment 0.9 or more.

Prints Markdown; --out also writes it to a file. --detect-languages withholds every document's
"lang" from neardup, which then detects it (as on text that comes without one), while the
scoring still reads the sets' own languages.
"""
import argparse
import collections
import json
import lzma
import os
import subprocess
import sys
import tempfile

import eval_copies  # bench/, beside this script
import markdown_out


def read_jsonl_xz(path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def tsv_rows(path):
    with open(path, encoding="utf-8") as f:
        header = next(f).rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]


def run_dedup(neardup, docs, work, name, detect_languages=False):
    path = os.path.join(work, name + ".jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            if detect_languages:
                d = {k: v for k, v in d.items() if k != "lang"}
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    out = subprocess.run([neardup, "dedup", "-q", "--format", "tsv", path], capture_output=True, text=True)
    if out.returncode not in (0, 1):
        sys.exit("neardup failed on %s: %s" % (name, out.stderr[-500:]))
    return [line.split("\t") for line in out.stdout.splitlines()]


def ratio(a, b):
    return "%.3f" % (a / b) if b else "n/a"


class Truth:
    def __init__(self, data):
        self.sets = {}
        self.lang, self.family = {}, {}
        self.translations, self.hard_negatives = set(), set()
        for name in ("xlang-dev", "xlang-wild-dev", "wire-dev", "licenses-dev"):
            docs = read_jsonl_xz(os.path.join(data, name, "docs.jsonl.xz"))
            self.sets[name] = docs
            for d in docs:
                self.lang[str(d["id"])] = d.get("lang", "en")
                self.family[str(d["id"])] = name
        for row in tsv_rows(os.path.join(data, "xlang-wild-dev", "meta.tsv")):
            self.family[row["id"]] = "xlang-wild-dev/" + row["source"]
        for path in ("xlang-dev/pairs.tsv", "xlang-wild-dev/pairs.tsv", "wire-dev/translations.tsv"):
            self.translations |= {frozenset((r["id_a"], r["id_b"])) for r in tsv_rows(os.path.join(data, path))}
        self.cross = {frozenset((r["id_a"], r["id_b"]))
                      for r in tsv_rows(os.path.join(data, "wire-dev/cross_translations_xlang-dev.tsv"))}
        for path in ("xlang-dev/hard_negatives.tsv", "xlang-wild-dev/hard_negatives.tsv"):
            self.hard_negatives |= {frozenset((r["id_a"], r["id_b"])) for r in tsv_rows(os.path.join(data, path))}
        self.licenses_rows = tsv_rows(os.path.join(data, "licenses-dev/truth.tsv"))
        self.wire_copies = tsv_rows(os.path.join(data, "wire-dev/pairs.tsv"))

    def true_translations(self, ids):
        pairs = {p for p in self.translations if p <= ids}
        if any(self.family[i] == "wire-dev" for i in ids) and any(self.family[i] == "xlang-dev" for i in ids):
            pairs |= {p for p in self.cross if p <= ids}
        return pairs


def translation_section(truth, name, ids, reported, out):
    true = truth.true_translations(ids)
    claims = [(frozenset(r[:2]), r) for r in reported if truth.lang[r[0]] != truth.lang[r[1]]]
    right = [p for p, _ in claims if p in true]
    false_links = [p for p, r in claims if p not in true and r[3] == "translation"]
    out.append("### %s: translations (%d documents, %d true pairs)" % (name, len(ids), len(true)))
    out.append("")
    out.append("precision %s (%d/%d), recall %s (%d/%d); false translation links per 1,000 documents: %.2f; "
               "hard negatives reported: %d" % (ratio(len(right), len(claims)), len(right), len(claims),
                                               ratio(len(right), len(true)), len(right), len(true),
                                               1000 * len(false_links) / max(1, len(ids)),
                                               sum(p in truth.hard_negatives for p, _ in claims)))
    out.append("")
    if any(truth.family[i] == "wire-dev" for i in ids) and len(ids) > len(truth.sets["wire-dev"]):
        # Issue #22's bar for wire copy in the open world: false links that touch wire-dev.
        wire = [p for p in false_links if any(truth.family[i] == "wire-dev" for i in p)]
        out.append("false translation links touching wire-dev documents: %d (%.2f per 1,000 documents)"
                   % (len(wire), 1000 * len(wire) / max(1, len(ids))))
        out.append("")
    key = lambda p: "-".join(sorted(truth.lang[i] for i in p))
    family = lambda p: " + ".join(sorted({truth.family[i] for i in p}))
    for label, of in (("family", family), ("language pair", key)):
        found, claimed, total = collections.Counter(), collections.Counter(), collections.Counter()
        for p in true:
            total[of(p)] += 1
        for p, _ in claims:
            claimed[of(p)] += 1
            found[of(p)] += p in true
        rows = sorted(set(total) | set(claimed))
        if len(rows) < 2 and label == "family":
            continue
        out.append("| %s | true | claimed | precision | recall |" % label)
        out.append("|---|---|---|---|---|")
        for k in rows:
            out.append("| %s | %d | %d | %s | %s |" % (k, total[k], claimed[k], ratio(found[k], claimed[k]),
                                                    ratio(found[k], total[k])))
        out.append("")


def copies_section(truth, reported, out):
    ids = {str(d["id"]) for d in truth.sets["licenses-dev"]}
    s = eval_copies.score_licenses(truth.licenses_rows, reported, ids)
    out.append("### licenses-dev: copies")
    out.append("")
    out.append("near and contained pairs reported between its files: %d, precision %s (right: exact Jaccard or "
               "containment >= 0.7)" % (s["claimed"], ratio(s["right"], s["claimed"])))
    out.append("")
    out.append("| size ratio | pairs at containment >= 0.9 | reported | recall |")
    out.append("|---|---|---|---|")
    for band, (found, total) in s["bands"].items():
        out.append("| %s | %d | %d | %s |" % (band, total, found, ratio(found, total)))
    out.append("")


def wire_copies_section(truth, reported, out):
    texts = {str(d["id"]): d["text"] for d in truth.sets["wire-dev"]}
    s = eval_copies.score_wire(truth.wire_copies, texts, reported)
    out.append("### wire-dev: copies")
    out.append("")
    out.append("recall of the listed copies at containment >= 0.9: %s (%d/%d)" % (ratio(s["found"], s["listed"]),
                                                                                s["found"], s["listed"]))
    out.append("")
    out.append("near and contained pairs reported between its documents: %d, precision %s (right: exact Jaccard or "
               "containment >= 0.7)" % (s["claimed"], ratio(s["right"], s["claimed"])))
    out.append("")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("neardup")
    parser.add_argument("data")
    parser.add_argument("--out")
    parser.add_argument("--detect-languages", action="store_true",
                        help="give neardup the documents without their \"lang\": it detects them")
    args = parser.parse_args()
    truth = Truth(args.data)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip() or "unknown"
    out = ["# Accuracy over every shared set", "",
           "`python3 bench/eval_all.py build/cli/neardup ../shared/data%s` at commit %s"
           % (" --detect-languages" if args.detect_languages else "", commit), ""]
    with tempfile.TemporaryDirectory() as work:
        runs = {name: truth.sets[name] for name in truth.sets}
        runs["wire-dev + xlang-dev"] = truth.sets["wire-dev"] + truth.sets["xlang-dev"]
        runs["all four mixed"] = [d for name in truth.sets for d in truth.sets[name]]
        for name, docs in runs.items():
            ids = {str(d["id"]) for d in docs}
            reported = run_dedup(args.neardup, docs, work, name.replace(" ", "_"), args.detect_languages)
            out.append("## %s" % name)
            out.append("")
            translation_section(truth, name, ids, reported, out)
            if name in ("licenses-dev", "all four mixed"):
                copies_section(truth, reported, out)
            if name in ("wire-dev", "all four mixed"):
                wire_copies_section(truth, reported, out)
    markdown_out.emit(out, args.out)


if __name__ == "__main__":
    main()
