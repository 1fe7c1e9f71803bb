#!/usr/bin/env bash
# Input as people have it (issue #25): gzip, xz and zstd files and streams are read as the
# decompressed bytes give them, JSON Lines on standard input is recognised without
# --stdin-jsonl, and damaged or oversized compressed input is named, never silently empty.
# usage: compressed_input_test.sh NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
begin_test "$1" "$2"
cp -r "$src/seeds" seeds

# Six documents: the seeds and a copy of 002 with a byline, as JSON Lines.
python3 - "$work" <<'PY'
import json, os, sys
seeds = sorted(os.listdir("seeds"))
with open("docs.jsonl", "w", encoding="utf-8") as f:
    for name in seeds:
        f.write(json.dumps({"id": name, "text": open("seeds/" + name, encoding="utf-8").read()}) + "\n")
    f.write(json.dumps({"id": "copy", "text": "By a staff reporter\n" + open("seeds/" + seeds[2], encoding="utf-8").read()}) + "\n")
PY
expect_exit 0 "$neardup" dedup -q --format tsv docs.jsonl
cp out.txt plain.tsv
[ "$(wc -l < plain.tsv)" = 2 ] || fail "the plain file: a translation and a copy expected: $(cat plain.tsv)"

for tool in gzip xz zstd; do
  case $tool in gzip) ext=gz ;; xz) ext=xz ;; zstd) ext=zst ;; esac
  "$tool" -q -c docs.jsonl > "docs.jsonl.$ext"
  # A compressed JSON Lines file, by name.
  expect_exit 0 "$neardup" dedup -q --format tsv "docs.jsonl.$ext"
  cmp -s out.txt plain.tsv || fail "docs.jsonl.$ext: $(cat out.txt err.txt)"
  # The same bytes on standard input, recognised by their magic number and their first line.
  set +e; "$neardup" dedup -q --format tsv - < "docs.jsonl.$ext" > out.txt 2> err.txt; code=$?; set -e
  [ "$code" = 0 ] || fail "$tool stream on stdin exited $code: $(cat err.txt)"
  cmp -s out.txt plain.tsv || fail "$tool stream on stdin: $(cat out.txt err.txt)"
  # Damaged: cut in the middle. Named with the reason, exit 1.
  head -c $(( $(wc -c < "docs.jsonl.$ext") / 2 )) "docs.jsonl.$ext" > "cut.jsonl.$ext"
  expect_exit 1 "$neardup" dedup -q --format tsv "cut.jsonl.$ext"
  grep -q "cut.jsonl.$ext: cannot read the rest: damaged $tool data" err.txt || fail "cut $tool file: $(cat err.txt)"
done

# A decompressed stream on standard input is JSON Lines without --stdin-jsonl (it used to be
# one document, and the run printed nothing).
set +e; xz -dc docs.jsonl.xz | "$neardup" dedup -q --format tsv - > out.txt 2> err.txt; code=$?; set -e
[ "$code" = 0 ] && cmp -s out.txt plain.tsv || fail "xz -dc | neardup dedup -: $(cat out.txt err.txt)"

# Concatenated members (cat a.gz b.gz) and frames (cat a.zst b.zst) are read whole.
head -3 docs.jsonl | gzip -c > two.jsonl.gz; tail -n +4 docs.jsonl | gzip -c >> two.jsonl.gz
expect_exit 0 "$neardup" dedup -q --format tsv two.jsonl.gz
cmp -s out.txt plain.tsv || fail "concatenated gzip members: $(cat out.txt err.txt)"
head -3 docs.jsonl | zstd -q -c > two.jsonl.zst; tail -n +4 docs.jsonl | zstd -q -c >> two.jsonl.zst
expect_exit 0 "$neardup" dedup -q --format tsv two.jsonl.zst
cmp -s out.txt plain.tsv || fail "concatenated zstd frames: $(cat out.txt err.txt)"

# A compressed single document is its decompressed text (its id is its path).
gzip -c seeds/002_66eeb38fcdd390e7.txt > story.txt.gz
expect_exit 0 "$neardup" dedup -q --format tsv seeds/002_66eeb38fcdd390e7.txt story.txt.gz
[ "$(cut -f1,2,3,4 out.txt)" = "$(printf 'seeds/002_66eeb38fcdd390e7.txt\tstory.txt.gz\t1.0000\tnear')" ] \
  || fail "a gzip document: $(cat out.txt err.txt)"
# --max-bytes counts the decompressed bytes: a small file that expands past it is refused.
head -c 2000000 /dev/zero | tr '\0' 'a' | gzip -c > big.txt.gz
expect_exit 1 "$neardup" dedup -q --max-bytes 1MiB big.txt.gz seeds/000_3664230153151b7b.txt
grep -q 'big.txt.gz: cannot read: larger than the limit of 1048576 bytes' err.txt || fail "expanding file: $(cat err.txt)"
# Bytes that open like gzip but are not: named.
printf '\x1f\x8bnot gzip at all' > fake.jsonl.gz
expect_exit 1 "$neardup" dedup -q fake.jsonl.gz seeds/000_3664230153151b7b.txt
grep -q 'fake.jsonl.gz: cannot read the rest: damaged gzip data' err.txt || fail "fake gzip: $(cat err.txt)"

# Plain text on standard input stays one document, even when it holds braces.
{ echo '{ not a JSON Lines document }'; cat seeds/002_*.txt; } > braces.txt
expect_exit 0 "$neardup" dedup -q --format tsv seeds/002_66eeb38fcdd390e7.txt - < braces.txt
[ "$(cut -f1,2,4 out.txt)" = "$(printf 'seeds/002_66eeb38fcdd390e7.txt\t-\tnear')" ] || fail "text on stdin: $(cat out.txt)"

# The shared wire-dev corpus, as it is shipped (xz): the file by name and the pipe give what
# the decompressed file gives.
if [ -f "$data/wire-dev/docs.jsonl.xz" ]; then
  xz -dc "$data/wire-dev/docs.jsonl.xz" > wire.jsonl
  expect_exit 0 "$neardup" dedup -q --format tsv wire.jsonl
  cp out.txt wire.tsv
  [ "$(wc -l < wire.tsv)" -gt 500 ] || fail "wire-dev: $(wc -l < wire.tsv) pairs"
  expect_exit 0 "$neardup" dedup -q --format tsv "$data/wire-dev/docs.jsonl.xz"
  cmp -s out.txt wire.tsv || fail "wire-dev .xz by name differs from the decompressed file"
  set +e; xz -dc "$data/wire-dev/docs.jsonl.xz" | "$neardup" dedup -q --format tsv - > out.txt 2> err.txt; code=$?; set -e
  [ "$code" = 0 ] && cmp -s out.txt wire.tsv || fail "wire-dev through xz -dc | neardup dedup -: $(cat err.txt)"
  echo "compressed_input_test: wire-dev gives $(wc -l < wire.tsv) pairs from the file, the .xz and the pipe"
elif [ "${NEARDUP_REQUIRE_DATA:-0}" = 1 ]; then
  fail "$data/wire-dev/docs.jsonl.xz is missing (NEARDUP_REQUIRE_DATA=1)"
else
  echo "compressed_input_test: no wire-dev corpus, that part not run"
fi
echo "compressed_input_test: all passed"
