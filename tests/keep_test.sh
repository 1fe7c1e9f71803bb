#!/usr/bin/env bash
# `neardup dedup --keep` (issue #25): the input without its copies. On the seeds with copies
# made here: which copy each policy keeps, lines written as read, translations never dropped,
# files and standard input, refused documents, usage errors. On wire-dev (the shared corpora;
# NEARDUP_REQUIRE_DATA=1 makes their absence a failure): kept + dropped = the input, no two
# kept documents of one language reported as near or contained, every dropped one naming a
# kept one it copies (bench/eval_keep.py), and --keep first equal to a reference computed in
# Python from the reported pairs.
# usage: keep_test.sh NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
begin_test "$1" "$2"
cp -r "$src/seeds" seeds

# The seeds (000 and 001 are a translation pair), then 002 trimmed to its first half, 002 with
# a byline (the longest of the three), and a document with no words. One line carries a key
# neardup does not read, which must survive.
python3 - <<'PY'
import json, os
seeds = sorted(os.listdir("seeds"))
text = {n: open("seeds/" + n, encoding="utf-8").read() for n in seeds}
story = text[seeds[2]]
paragraphs = story.split("\n\n")
docs = [{"id": n, "text": text[n]} for n in seeds]
docs[3]["source"] = "wire \u00e9"  # kept as read
docs.append({"id": "trimmed", "text": "\n\n".join(paragraphs[: len(paragraphs) // 2])})
docs.append({"id": "byline", "text": "By a staff reporter, with agencies\n\n" + story})
docs.append({"id": "empty", "text": "  ...  "})
with open("docs.jsonl", "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
os.mkdir("files")
for d in docs[:-1]:
    open("files/" + d["id"], "w", encoding="utf-8").write(d["text"])
PY
s2=$(ls seeds | sed -n 3p)

ids() { python3 -c 'import json,sys; print(" ".join(json.loads(l)["id"] for l in open(sys.argv[1])))' "$1"; }

# The copies are linked as the test means them: trimmed inside 002, byline near 002.
expect_exit 1 "$neardup" dedup -q --format tsv docs.jsonl
grep -q "id empty" err.txt || fail "the empty document is not reported: $(cat err.txt)"
grep -q "^$s2	trimmed	.*	contained	b$" out.txt || fail "trimmed is not contained in $s2 as the smaller: $(cat out.txt)"
grep -q "^$s2	byline	.*	near	$" out.txt || fail "byline is not near $s2: $(cat out.txt)"
grep -q "	translation	$" out.txt || fail "no translation line: $(cat out.txt)"
cp out.txt pairs.tsv

# longest (the default the README names): the byline copy holds the others' text.
expect_exit 1 "$neardup" dedup -q --keep longest docs.jsonl
cp out.txt kept_longest.jsonl
seeds_but_2=$(ls seeds | grep -v "^$s2$" | tr '\n' ' ')
[ "$(ids kept_longest.jsonl)" = "${seeds_but_2}byline" ] || fail "--keep longest kept: $(ids kept_longest.jsonl)"
grep -q "id empty" err.txt || fail "the refused document is not named: $(cat err.txt)"
# Each kept line is the input's line, byte for byte (the extra key included).
python3 - <<'PY' || fail "kept lines differ from the input's"
lines = {l for l in open("docs.jsonl", encoding="utf-8")}
assert all(l in lines for l in open("kept_longest.jsonl", encoding="utf-8"))
assert '"source": "wire \u00e9"' in open("kept_longest.jsonl", encoding="utf-8").read()
PY
expect_exit 1 "$neardup" dedup -q --keep longest --dropped docs.jsonl
python3 - "$s2" <<'PY' || fail "--dropped (longest): $(cat out.txt)"
import json, sys
rows = [json.loads(l) for l in open("out.txt")]
by_id = {r["id"]: r for r in rows}
assert set(by_id) == {sys.argv[1], "trimmed"}, rows
assert by_id[sys.argv[1]]["kept"] == "byline" and by_id[sys.argv[1]]["kind"] == "near", rows
assert "smaller" not in by_id[sys.argv[1]]
t = by_id["trimmed"]
assert t["kept"] == "byline" and t["kind"] == "contained" and t["smaller"] == "id" and 0.8 <= t["score"] <= 1, rows
PY

# first: the first added of each group, whatever the others hold.
expect_exit 1 "$neardup" dedup -q --keep first docs.jsonl
[ "$(ids out.txt)" = "$(ls seeds | tr '\n' ' ' | sed 's/ $//')" ] || fail "--keep first kept: $(ids out.txt)"
expect_exit 1 "$neardup" dedup -q --keep first --dropped --format tsv docs.jsonl
[ "$(cut -f1,2,4,5 out.txt | tr '\t\n' ',;')" = "trimmed,$s2,contained,id;byline,$s2,near,;" ] ||
  fail "--keep first --dropped: $(cat out.txt)"

# Standard input (compressed, too) gives what the file gives: it is kept in a temporary file
# to be read twice.
set +e; xz -c docs.jsonl | "$neardup" dedup -q --keep longest - > out.txt 2> err.txt; code=$?; set -e
[ "$code" = 1 ] && cmp -s out.txt kept_longest.jsonl || fail "--keep from standard input: exit $code, $(cat err.txt)"

# Files: each kept one written as {"id", "text"}, its text as the file holds it.
expect_exit 0 "$neardup" dedup -q --keep longest files
python3 - <<'PY' || fail "--keep over files: $(cat out.txt)"
import json
rows = [json.loads(l) for l in open("out.txt", encoding="utf-8")]
assert [r["id"] for r in rows] == ["files/000_3664230153151b7b.txt"] or len(rows) == 5, rows
for r in rows:
    assert r["text"] == open(r["id"], encoding="utf-8").read()
assert sorted(r["id"] for r in rows)[-1] == "files/byline", [r["id"] for r in rows]
PY

# Usage errors: exit 2, nothing written.
expect_exit 2 "$neardup" dedup -q --dropped docs.jsonl
grep -q "needs --keep" err.txt || fail "--dropped alone: $(cat err.txt)"
expect_exit 2 "$neardup" dedup -q --keep longest --clusters docs.jsonl
expect_exit 2 "$neardup" dedup -q --keep biggest docs.jsonl
[ ! -s out.txt ] || fail "a usage error printed: $(cat out.txt)"

# wire-dev: the issue's bars.
if [ -f "$data/wire-dev/docs.jsonl.xz" ]; then
  xz -dc "$data/wire-dev/docs.jsonl.xz" > wire.jsonl
  expect_exit 0 "$neardup" dedup -q --format tsv wire.jsonl
  cp out.txt wire_pairs.tsv
  for policy in longest first; do
    expect_exit 0 "$neardup" dedup -q --keep "$policy" wire.jsonl
    cp out.txt kept.jsonl
    expect_exit 0 "$neardup" dedup -q --keep "$policy" --dropped --format tsv wire.jsonl
    cp out.txt dropped.tsv
    first=(); [ "$policy" = first ] && first=(--first)
    python3 "$src/bench/eval_keep.py" wire.jsonl kept.jsonl dropped.tsv "$data/wire-dev/pairs.tsv" \
      --pairs wire_pairs.tsv "${first[@]}" --check > eval.txt 2>&1 || fail "wire-dev --keep $policy: $(cat eval.txt)"
    echo "keep_test: wire-dev --keep $policy: $(head -1 eval.txt)"
  done
elif [ "${NEARDUP_REQUIRE_DATA:-0}" = 1 ]; then
  fail "$data/wire-dev/docs.jsonl.xz is missing (NEARDUP_REQUIRE_DATA=1)"
else
  echo "keep_test: no wire-dev corpus, that part not run"
fi
echo "keep_test: ok"
