#!/usr/bin/env bash
# The persistent index from the command line (issue #12): `neardup index add` in batches,
# then `index pairs`, prints what one `neardup dedup` run prints, in both modes; query adds
# nothing; remove, stats, check; a store made with other options, a damaged store, a second
# writer, and a reader beside a writer. With the shared corpora, the same on wire-dev.
# usage: index_test.sh NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
begin_test "$@"

# The documents: the seeds, and copies of them (a byline, a trimmed half) as JSON Lines.
cp -r "$src/seeds" seeds
python3 - <<'PY'
import json, os
names = sorted(os.listdir("seeds"))
with open("copies.jsonl", "w", encoding="utf-8") as f:
    for name in names:
        text = open("seeds/" + name, encoding="utf-8").read()
        f.write(json.dumps({"id": name + "/byline", "text": "By our correspondent.\n\n" + text}) + "\n")
        f.write(json.dumps({"id": name + "/half", "text": text[: len(text) // 2]}) + "\n")
PY

# --- add in two runs, then pairs: exactly dedup's lines, with and without translations
for mode in "" "--no-translations"; do
  rm -f s.ndup*
  expect_exit 0 "$neardup" index add $mode --format tsv s.ndup seeds
  expect_exit 0 "$neardup" index add --format tsv s.ndup copies.jsonl   # the store's own options
  [ -s out.txt ] || fail "index add prints the new documents' matches"
  # JSON Lines, the default format: the pairs' evidence (Jaccard, containment) too.
  expect_exit 0 "$neardup" index pairs s.ndup
  mv out.txt pairs.tsv
  expect_exit 0 "$neardup" dedup $mode seeds copies.jsonl
  cmp -s pairs.tsv out.txt || fail "index pairs ($mode) differs from dedup: $(diff pairs.tsv out.txt | head -5)"
  expect_exit 0 "$neardup" index pairs --clusters --format tsv s.ndup
  mv out.txt clusters.tsv
  expect_exit 0 "$neardup" dedup $mode --clusters --format tsv seeds copies.jsonl
  cmp -s clusters.tsv out.txt || fail "index pairs --clusters ($mode) differs from dedup --clusters"
done
[ "$(wc -l < pairs.tsv)" -ge 10 ] || fail "the copies must give pairs: $(cat pairs.tsv)"

# --- query finds without adding; stats; check
expect_exit 0 "$neardup" index query --format tsv s.ndup seeds/002_66eeb38fcdd390e7.txt
grep -q "$(printf '^seeds/002_66eeb38fcdd390e7.txt\tseeds/002_66eeb38fcdd390e7.txt\t1.0000\tnear')" out.txt \
  || fail "query finds the stored copy: $(cat out.txt)"
expect_exit 0 "$neardup" index stats s.ndup
python3 -c '
import json
s = json.load(open("out.txt"))
assert s["documents"] == 15 and s["live_documents"] == 15, s
assert s["format_version"] == 4 and s["bytes_on_disk"] > 0 and s["memory_bytes"] > 0, s
assert s["parameters"]["translations"] == "false" and s["parameters"]["num_perm"] == "128", s'
expect_exit 0 "$neardup" index check s.ndup
grep -q 'ok, 15 documents' out.txt || fail "check: $(cat out.txt)"

# --- remove: the document and its links go; an unknown id is named (exit 1)
expect_exit 1 "$neardup" index remove s.ndup seeds/000_3664230153151b7b.txt no-such-id
grep -q 'no-such-id: .*not present' err.txt || fail "unknown id named: $(cat err.txt)"
expect_exit 0 "$neardup" index pairs --format tsv s.ndup
if grep -q '^seeds/000_3664230153151b7b.txt' out.txt; then fail "removed document still linked"; fi
expect_exit 0 "$neardup" index check s.ndup

# --- refused: other options (exit 2, the difference named), no store, a damaged store
expect_exit 2 "$neardup" index add --num-perm 64 s.ndup seeds
grep -q 'num_perm: the store has 128, the options say 64' err.txt || fail "option difference named: $(cat err.txt)"
expect_exit 1 "$neardup" index pairs missing.ndup
expect_exit 2 "$neardup" index pairs s.ndup extra-argument
head -c 20000 /dev/urandom > junk.ndup
expect_exit 1 "$neardup" index check junk.ndup
expect_exit 1 "$neardup" index pairs junk.ndup

# --- one writer at a time; readers beside it. The writer waits on a FIFO, holding the store.
rm -f w.ndup*
"$neardup" index add --format tsv w.ndup seeds > /dev/null
mkfifo feed
"$neardup" index add --stdin-jsonl --format tsv w.ndup - < feed > writer.out 2> writer.err &
writer=$!
exec 3> feed  # the writer now reads standard input, with the store open
# Until the writer holds its lock, seen in /proc/locks (taking the lock to test it would race
# with the writer's own attempt).
ino=$(stat -c %i w.ndup-writer)
for _ in $(seq 200); do grep -q ":$ino " /proc/locks && break; sleep 0.05; done
grep -q ":$ino " /proc/locks || fail "the writer did not take its lock: $(cat writer.err)"
expect_exit 1 "$neardup" index add w.ndup copies.jsonl
grep -q 'another process has the store .* open for writing' err.txt || fail "second writer told: $(cat err.txt)"
expect_exit 0 "$neardup" index query --format tsv w.ndup seeds/004_8292aa4e23abaed3.txt
grep -q 'seeds/004_8292aa4e23abaed3.txt' out.txt || fail "a reader queries beside the writer: $(cat out.txt)"
head -n 2 copies.jsonl >&3
exec 3>&-
wait $writer || fail "the writer failed: $(cat writer.err)"
grep -q 'byline' writer.out || fail "the writer printed its matches: $(cat writer.out)"
expect_exit 0 "$neardup" index check w.ndup
grep -q 'ok, 7 documents' out.txt || fail "the writer's documents are in: $(cat out.txt)"

# --- wire-dev, added in 4 batches: the lines of one dedup run, in both modes
if [ -f "$data/wire-dev/docs.jsonl.xz" ]; then
  xz -dc "$data/wire-dev/docs.jsonl.xz" > wire.jsonl
  total=$(wc -l < wire.jsonl)
  split -n l/4 -d --additional-suffix=.jsonl wire.jsonl batch-
  for mode in "" "--no-translations"; do
    rm -f c.ndup*
    for b in batch-0*.jsonl; do "$neardup" index add -q $mode --format tsv c.ndup "$b" > /dev/null; done
    "$neardup" index pairs c.ndup > index.tsv
    "$neardup" dedup -q $mode wire.jsonl > dedup.tsv
    cmp -s index.tsv dedup.tsv || fail "wire-dev ($mode): index pairs differs from dedup: $(diff index.tsv dedup.tsv | head -5)"
    [ "$(wc -l < dedup.tsv)" -gt 100 ] || fail "wire-dev gives pairs"
  done
  echo "index_test: wire-dev ($total documents) in 4 batches equals dedup, both modes"
  # Readers in other processes while a writer commits batches: each opens a consistent
  # snapshot (LMDB's MVCC); its check passes and its query finds the stored seed.
  rm -f r.ndup*
  "$neardup" index add -q --no-translations --format tsv r.ndup seeds > /dev/null
  "$neardup" index add -q --format tsv r.ndup wire.jsonl > /dev/null 2> writer.err &
  writer=$!
  reads=0
  while kill -0 $writer 2> /dev/null; do
    expect_exit 0 "$neardup" index check r.ndup
    grep -q ': ok, ' out.txt || fail "a reader beside the writer: $(cat out.txt err.txt)"
    expect_exit 0 "$neardup" index query --format tsv r.ndup seeds/004_8292aa4e23abaed3.txt
    grep -q "$(printf '^seeds/004_8292aa4e23abaed3.txt\tseeds/004_8292aa4e23abaed3.txt\t1.0000\tnear')" out.txt \
      || fail "a reader's query beside the writer: $(cat out.txt err.txt)"
    reads=$((reads + 1))
  done
  wait $writer || fail "the writer beside the readers failed: $(cat writer.err)"
  [ "$reads" -ge 1 ] || fail "no reader ran while the writer added"
  expect_exit 0 "$neardup" index check r.ndup
  grep -q "ok, $((total + 5)) documents" out.txt || fail "after the writer: $(cat out.txt)"
  echo "index_test: $reads readers checked and queried the store while a writer added $total documents"
elif [ "${NEARDUP_REQUIRE_DATA:-0}" = 1 ]; then
  fail "$data/wire-dev/docs.jsonl.xz is missing (NEARDUP_REQUIRE_DATA=1)"
else
  echo "index_test: no wire-dev corpus, that part not run"
fi
echo "index_test: all passed"
