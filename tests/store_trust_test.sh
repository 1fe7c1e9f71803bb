#!/usr/bin/env bash
# A store a crawler can trust, from the command line (issue #21): ids of any length up to the
# documented limit, in `index add` and `dedup` alike; a store cut at any page boundary is
# refused by every command with exit 1 and DATA_LOSS, never a signal; `index compact`; a
# reader in a directory it cannot write. With the shared corpora: wire-dev added in one run,
# in runs of 150 and one document at a time makes files within 1.5x of each other.
# usage: store_trust_test.sh NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
begin_test "$@"
chmod 755 "$work"  # a reader without write permission reads in it (below)

# --- ids: 600 bytes (a long URL, past LMDB's 511-byte keys) is taken; 100 KB is refused by
# name, the other documents are added, and the store still checks out.
python3 - "$src" <<'PY'
import json, os, sys
seeds = sorted(os.listdir(sys.argv[1] + "/seeds"))
texts = [open(sys.argv[1] + "/seeds/" + n, encoding="utf-8").read() for n in seeds]
url = "https://example.org/" + "p" * 580
with open("ids.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "short", "text": texts[0]}) + "\n")
    f.write(json.dumps({"id": url, "text": texts[2]}) + "\n")
    f.write(json.dumps({"id": "x" * 100_000, "text": texts[3]}) + "\n")
    f.write(json.dumps({"id": "after", "text": "By our correspondent.\n\n" + texts[2]}) + "\n")
open("url_id.txt", "w").write(url)
PY
expect_exit 1 "$neardup" index add --format tsv s.ndup ids.jsonl
grep -q "ids.jsonl:3.*longer than the limit of 65536 bytes" err.txt || fail "the 100 KB id is not named: $(cat err.txt)"
grep -q "$(cat url_id.txt)	after	" out.txt || fail "the 600-byte id's copy was not found: $(cat out.txt)"
expect_exit 0 "$neardup" index check s.ndup
grep -q "ok, 3 documents" out.txt || fail "index check after a refused id: $(cat out.txt)"
expect_exit 0 "$neardup" index pairs --format tsv s.ndup
mv out.txt stored_pairs.tsv
expect_exit 1 "$neardup" dedup --format tsv ids.jsonl   # the same rule, the same lines
grep -q "ids.jsonl:3.*longer than the limit of 65536 bytes" err.txt || fail "dedup does not name the 100 KB id"
cmp -s stored_pairs.tsv out.txt || fail "dedup and the store disagree: $(diff stored_pairs.tsv out.txt)"
# The rest of the run goes on after the refused one (a later add of the same input refuses
# only what was refused before, and what exists).
expect_exit 1 "$neardup" index add s.ndup ids.jsonl
[ "$(grep -c "duplicate document id\|was added before" err.txt)" = 3 ] || fail "re-adding: $(head -c 2000 err.txt)"
expect_exit 0 "$neardup" index check s.ndup

# --- every cut of a store at a page boundary: exit 1 and DATA_LOSS from every command that
# opens it, never a signal (a signal is an exit status over 128)
rm -f s.ndup*
expect_exit 0 "$neardup" index add s.ndup "$src/seeds"
size=$(stat -c %s s.ndup)
[ $((size % 4096)) = 0 ] || fail "the store is not whole pages: $size"
cuts=0
for ((at = 0; at < size; at += 4096)); do
  head -c "$at" s.ndup > cut.ndup
  for command in check pairs stats; do
    expect_exit 1 "$neardup" index "$command" cut.ndup
    grep -q "DATA_LOSS" err.txt || fail "a cut at $at: index $command: $(cat err.txt)"
  done
  expect_exit 1 "$neardup" index query cut.ndup "$src/seeds/000_3664230153151b7b.txt"
  grep -q "DATA_LOSS" err.txt || fail "a cut at $at: index query: $(cat err.txt)"
  expect_exit 1 "$neardup" index add cut.ndup "$src/seeds/000_3664230153151b7b.txt"
  grep -q "DATA_LOSS" err.txt || fail "a cut at $at: index add: $(cat err.txt)"
  rm -f cut.ndup*
  cuts=$((cuts + 1))
done
[ "$cuts" -ge 8 ] || fail "only $cuts cuts tried"
: > empty.ndup
expect_exit 1 "$neardup" index check empty.ndup
grep -q "empty (0 bytes)" err.txt || fail "a 0-byte store: $(cat err.txt)"
mkdir folder.ndup
expect_exit 2 "$neardup" index check folder.ndup
grep -q "is a directory" err.txt || fail "a directory: $(cat err.txt)"

# --- index compact: the same answers from a smaller file; stats reports the bytes in use
rm -f s.ndup*
for f in "$src"/seeds/*.txt; do expect_exit 0 "$neardup" index add s.ndup "$f"; done
expect_exit 0 "$neardup" index remove s.ndup "$(ls "$src"/seeds/004_*.txt)"
expect_exit 0 "$neardup" index pairs s.ndup
mv out.txt before.jsonl
expect_exit 0 "$neardup" index compact s.ndup
python3 -c 'import json,sys; s=json.load(open("out.txt")); assert s["bytes_after"] <= s["bytes_before"], s'
expect_exit 0 "$neardup" index pairs s.ndup
cmp -s before.jsonl out.txt || fail "compact changed the pairs"
expect_exit 0 "$neardup" index stats s.ndup
python3 -c 'import json; s=json.load(open("out.txt")); assert 0 < s["bytes_used"] <= s["bytes_on_disk"], s'
expect_exit 0 "$neardup" index check s.ndup

# --- a reader that cannot write the store's directory reads it all the same (as root, the
# permission is dropped with setpriv to the unprivileged user "nobody")
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  mkdir shelf && cp s.ndup s.ndup-writer shelf/ && chmod 755 shelf && chmod 644 shelf/*
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  expect_exit 0 as_nobody "$neardup" index pairs shelf/s.ndup
  cmp -s before.jsonl out.txt || fail "a reader without write permission: $(cat err.txt)"
  [ ! -e shelf/s.ndup-lock ] || fail "the reader made a lock file"
  # Beside a writer it cannot read (it has no reader slot to protect its snapshot): it says so.
  python3 - "$neardup" <<'PY' &
import fcntl, os, sys, time
fd = os.open("shelf/s.ndup-writer", os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)   # what a writer holds while it has the store open
open("locked", "w").close()
time.sleep(120)
PY
  for _ in $(seq 600); do [ -e locked ] && break; sleep 0.05; done
  [ -e locked ] || fail "the stand-in writer did not start"
  expect_exit 1 as_nobody "$neardup" index pairs shelf/s.ndup
  grep -q "is being written" err.txt || fail "a reader without write permission beside a writer: $(cat err.txt)"
  kill %1 2>/dev/null || true
  wait || true
else
  echo "note: not root or no setpriv: the read-only directory case was not run"
fi

# --- a full disk: the batch that does not fit is refused, named as a full disk, and the store
# keeps every batch committed before it (a 600 KB tmpfs, where this test may mount one)
mkdir tiny
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=600k tmpfs tiny 2>/dev/null; then
  trap 'umount "$work/tiny" 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
  python3 - <<'PY'
import json, random
rng = random.Random(7)
words = ["w%d" % i for i in range(5000)]
with open("many.jsonl", "w") as f:
    for i in range(400):
        f.write(json.dumps({"id": "d%d" % i, "text": " ".join(rng.choice(words) for _ in range(500))}) + "\n")
PY
  expect_exit 1 "$neardup" index add --batch 50 tiny/full.ndup many.jsonl
  grep -q "the disk is full" err.txt || fail "a full disk: $(head -3 err.txt)"
  [ "$(grep -c "no batch is open" err.txt)" = 0 ] || fail "after a full disk: $(grep -m1 "no batch is open" err.txt)"
  grep -q "later documents were not added" err.txt || fail "after a full disk, the rest is not named once"
  [ "$(wc -l < err.txt)" -le 51 ] || fail "after a full disk, $(wc -l < err.txt) lines of errors"
  expect_exit 0 "$neardup" index check tiny/full.ndup
  kept=$(sed -n 's/.*ok, \([0-9]*\) documents/\1/p' out.txt)
  [ "$kept" -gt 0 ] && [ $((kept % 50)) = 0 ] || fail "a full disk kept $kept documents, not whole batches"
  umount tiny
else
  echo "note: cannot mount a tmpfs here: the full-disk case was not run"
fi

# --- the file size does not depend on batching (wire-dev: one run, runs of 150, one at a time)
if [ -f "$data/wire-dev/docs.jsonl.xz" ]; then
  xz -dc "$data/wire-dev/docs.jsonl.xz" > wire.jsonl
  expect_exit 0 "$neardup" index add one.ndup wire.jsonl
  split -l 150 --additional-suffix=.jsonl wire.jsonl run_
  for f in run_*.jsonl; do expect_exit 0 "$neardup" index add runs.ndup "$f"; done
  # One document at a time through one process: index add commits each batch; a batch of one
  # document is one Add. (1,103 processes would spend their time replaying the store.)
  python3 - <<'PY'
import json
with open("wire.jsonl", encoding="utf-8") as f:
    for i, line in enumerate(f):
        open("single_%04d.jsonl" % i, "w", encoding="utf-8").write(line)
PY
  singles=(single_*.jsonl)  # (no `ls | head`: under pipefail, ls may die of SIGPIPE)
  printf '%s\n' "${singles[@]:0:400}" | xargs -n 1 "$neardup" index add single.ndup >/dev/null
  printf '%s\n' "${singles[@]:400}" | xargs -n 100 "$neardup" index add --batch 1 single.ndup >/dev/null
  for s in one runs single; do
    expect_exit 0 "$neardup" index stats $s.ndup
    cp out.txt $s.stats
  done
  python3 - <<'PY'
import json
sizes = {s: json.load(open(s + ".stats")) for s in ("one", "runs", "single")}
for s, st in sizes.items():
    assert st["documents"] == 1103, (s, st["documents"])
    print(s, st["bytes_on_disk"], "bytes,", st["bytes_on_disk"] // st["documents"], "a document")
b = [st["bytes_on_disk"] for st in sizes.values()]
assert max(b) <= 1.5 * min(b), b
PY
else
  [ -z "${NEARDUP_REQUIRE_DATA:-}" ] || fail "NEARDUP_REQUIRE_DATA is set but $data/wire-dev is missing"
  echo "note: no shared corpora at $data: the batching sizes were not measured"
fi
echo "store_trust: all passed"
