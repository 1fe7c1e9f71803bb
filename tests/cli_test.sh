#!/usr/bin/env bash
# CLI tests (xxHash style): every command, every bad input, every exit code.
# usage: cli_test.sh NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
neardup=$(realpath "$1")
src=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
source "$src/tests/test_lib.sh"
cp -r "$src/seeds" seeds

# --- help, version, usage errors
expect_exit 0 "$neardup" --version
grep -q '^neardup [0-9]' out.txt || fail "--version prints 'neardup X.Y.Z'"
expect_exit 0 "$neardup" dedup --help
grep -q -- '--threshold' out.txt || fail "dedup --help lists --threshold"
expect_exit 0 "$neardup" compare --help
expect_exit 2 "$neardup"
expect_exit 2 "$neardup" dedup
expect_exit 2 "$neardup" dedup --threshold 1.5 seeds
expect_exit 2 "$neardup" dedup --shingle word:x seeds
grep -q 'shingle' err.txt || fail "bad --shingle is explained"
expect_exit 2 "$neardup" dedup --format xml seeds

# --- the seeds: exactly one line, 000/001 as a translation; nothing with 002/003/004
expect_exit 0 "$neardup" dedup --format tsv seeds/
if grep -E '00[234]_' out.txt; then fail "a pair involving 002/003/004 was reported"; fi
[ "$(cut -f1,2,4 out.txt)" = "$(printf 'seeds/000_3664230153151b7b.txt\tseeds/001_6ebbe6dfb4cd8eb4.txt\ttranslation')" ] \
  || fail "seeds: expected only the 000/001 translation, got: $(cat out.txt)"

# --- a copy on standard input is found; TSV has exactly 5 columns
{ echo "By a staff reporter"; cat seeds/002_*.txt; } > copy.txt
expect_exit 0 "$neardup" dedup --format tsv seeds/002_66eeb38fcdd390e7.txt - < copy.txt
[ "$(wc -l < out.txt)" = 1 ] || fail "one pair expected from stdin"
awk -F'\t' 'NF != 5 { exit 1 }' out.txt || fail "TSV lines have 5 fields"
[ "$(cut -f1,2,4 out.txt)" = "$(printf 'seeds/002_66eeb38fcdd390e7.txt\t-\tnear')" ] || fail "stdin pair: $(cat out.txt)"
score=$(cut -f3 out.txt)
awk -v s="$score" 'BEGIN { exit !(s >= 0.8 && s <= 1) }' || fail "score $score out of range"

# --- JSON Lines default output, clusters
cp seeds/002_*.txt a.txt; cp copy.txt b.txt; { cat copy.txt; echo "One more closing line."; } > c.txt
expect_exit 0 "$neardup" dedup a.txt b.txt c.txt
[ "$(wc -l < out.txt)" = 3 ] || fail "three pairs among three copies: $(cat out.txt)"
grep -q '"id_a":"a.txt","id_b":"b.txt","score":' out.txt || fail "JSONL pair format: $(cat out.txt)"
grep -q '"kind":"near"' out.txt || fail "JSONL kind"
expect_exit 0 "$neardup" dedup --clusters a.txt b.txt c.txt seeds/004_8292aa4e23abaed3.txt
# All three linked to each other: the first added is canonical, the others one link from it
# with their link's score (a near copy: 0.8 or more; JSON numbers are rounded to four decimals
# and written shortest, report.h).
grep -Eqx '\{"cluster":1,"canonical":"a.txt","members":\["a.txt","b.txt","c.txt"\],"hops":\[0,1,1\],"scores":\[0\.0,(0\.[89][0-9]{0,3}|1\.0),(0\.[89][0-9]{0,3}|1\.0)\]\}' out.txt ||
  fail "clusters: $(cat out.txt)"
[ "$(wc -l < out.txt)" = 1 ] || fail "one cluster: $(cat out.txt)"
expect_exit 0 "$neardup" dedup --clusters --format tsv a.txt b.txt c.txt
[ "$(cut -f1-3 out.txt)" = "$(printf '1\ta.txt\t0\n1\tb.txt\t1\n1\tc.txt\t1')" ] || fail "tsv clusters: $(cat out.txt)"
[ "$(cut -f4 out.txt | head -1)" = 0.0000 ] || fail "tsv clusters: the canonical's score: $(cat out.txt)"

# --- JSONL input with broken lines: bad lines named, the rest processed, exit 1
python3 - <<'PY'
import json
a = open("a.txt", encoding="utf-8").read()
with open("docs.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "first", "text": a, "lang": "fr"}) + "\n")
    f.write("{not json\n")
    f.write(json.dumps({"id": "no-text"}) + "\n")
    f.write(json.dumps({"text": "no id here"}) + "\n")
    f.write("\n")
    f.write(json.dumps({"id": 17, "text": "By AFP. " + a}) + "\n")
    f.write(json.dumps({"id": "first", "text": "a duplicate id"}) + "\n")
    f.write(json.dumps({"id": "nums", "text": 42}) + "\n")
PY
expect_exit 1 "$neardup" dedup --format tsv docs.jsonl
[ "$(cut -f1,2 out.txt)" = "$(printf 'first\t17')" ] || fail "JSONL pair: $(cat out.txt)"
grep -q 'docs.jsonl:2: invalid JSON' err.txt || fail "broken line named: $(cat err.txt)"
grep -q 'docs.jsonl:3 (id no-text): missing "text"' err.txt || fail "missing text named: $(cat err.txt)"
grep -q 'docs.jsonl:4: missing "id"' err.txt || fail "missing id named"
grep -q 'docs.jsonl:7 (id first): duplicate document id' err.txt || fail "duplicate id named by file:line: $(cat err.txt)"
grep -q 'docs.jsonl:8 (id nums): "text" must be a string' err.txt || fail "non-string text named"
set +e
"$neardup" dedup --stdin-jsonl --format tsv - < docs.jsonl > stdin.txt 2>/dev/null
code=$?
set -e
[ "$code" = 1 ] || fail "stdin JSONL with bad lines exited $code, expected 1"
[ "$(cut -f1,2 stdin.txt)" = "$(printf 'first\t17')" ] || fail "stdin JSONL pair"

# --- integer ids up to 2^64-1 are ids; a larger or fractional number is named as such
printf '{"id": 18446744073709551615, "text": "one two three four five six"}\n{"id": 1.5, "text": "x"}\n{"id": 18446744073709551616, "text": "y"}\n' > ids.jsonl
expect_exit 1 "$neardup" dedup ids.jsonl
grep -q 'ids.jsonl:1' err.txt && fail "2^64-1 is a valid id: $(cat err.txt)"
grep -q 'ids.jsonl:2: "id" must be an integer from' err.txt || fail "fractional id named: $(cat err.txt)"
grep -q 'ids.jsonl:3: ' err.txt || fail "id over 2^64-1 named: $(cat err.txt)"  # simdjson: not a number it reads

# --- a UTF-8 byte-order mark before the first JSON line does not lose that document
{ printf '\xef\xbb\xbf'; head -1 docs.jsonl; sed -n 6p docs.jsonl; } > bom.jsonl
expect_exit 0 "$neardup" dedup --format tsv bom.jsonl
[ "$(cut -f1,2 out.txt)" = "$(printf 'first\t17')" ] || fail "BOM: first document lost: $(cat out.txt) $(cat err.txt)"

# --- an id with a NUL byte is printed whole in TSV (escaped), not cut
python3 - <<'PY'
import json
a = open("a.txt", encoding="utf-8").read()
with open("nul.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "first\u0000hidden", "text": a}) + "\n")
    f.write(json.dumps({"id": "second", "text": "By AFP. " + a}) + "\n")
PY
expect_exit 0 "$neardup" dedup --format tsv nul.jsonl
[ "$(cut -f1 out.txt)" = 'first\0hidden' ] || fail "NUL in an id: $(cut -f1 out.txt)"

# --- bad values of --seed and --max-bytes are usage errors (exit 2), never a silent default
for bad in "--seed -1" "--seed 18446744073709551616" "--seed 1x" "--max-bytes -1" "--max-bytes 0"; do
  expect_exit 2 "$neardup" dedup $bad a.txt
done
expect_exit 0 "$neardup" dedup --seed 18446744073709551615 a.txt
# Every option's range is the library's (ValidateDedupOptions): NaN and infinities too, each
# refused with its one message, the one Python and neardup.dask give (tests/python,
# tests/dask_bad_input_test.sh). Every command that takes the options refuses them.
bad_option() {  # bad_option MESSAGE FLAGS...: exit 2, and MESSAGE as the only line on stderr
  local message=$1; shift
  for command in "dedup" "compare a.txt" "align a.txt" "index add new.ndup"; do
    expect_exit 2 "$neardup" $command "$@" a.txt
    [ "$(cat err.txt)" = "neardup: usage: $message" ] || fail "$command $*: expected '$message', got: $(cat err.txt)"
  done
  [ ! -e new.ndup ] || fail "$*: a store was created with bad options"
}
bad_option 'translation_threshold must be in [0, 1], got nan' --translation-threshold nan
bad_option 'translation_threshold must be in [0, 1], got inf' --translation-threshold inf
bad_option 'translation_threshold must be in [0, 1], got -0.5' --translation-threshold -0.5
bad_option 'threshold must be in (0, 1], got nan' --threshold nan
bad_option 'threshold must be in (0, 1], got -inf' --threshold -inf
bad_option 'threshold must be in (0, 1], got 1.5' --threshold 1.5
bad_option 'containment_threshold must be in [0, 1], got nan' --containment-threshold nan
bad_option 'containment_threshold must be in [0, 1], got inf' --containment-threshold inf
bad_option 'num_perm must be an integer in [1, 4096], got 0' --num-perm 0
bad_option 'num_perm must be an integer in [1, 4096], got 5000' --num-perm 5000
bad_option 'max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got 0' --max-bytes 0
bad_option 'max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got 2199023255552' --max-bytes 2199023255552
bad_option 'max_bytes must be a size in [1, 2^40] bytes (an integer, or with a unit: 64MiB), got -1' --max-bytes -1
bad_option 'seed must be an integer in [0, 2^64-1], got -1' --seed -1
bad_option 'shingle size must be an integer in [1, 64], got 0' --shingle word:0
expect_exit 0 "$neardup" dedup --max-bytes 1099511627776 --translation-threshold 0 --containment-threshold 1 a.txt

# --- threads: the same output, byte for byte, with 1 and 4 threads; --stats on stderr
for i in $(seq 1 150); do printf '{"id":"c%d","text":"%s copy %d"}\n' "$i" "$(head -c 1500 a.txt | tr -d '\n"\\')" "$((i % 7))"; done > many.jsonl
cat docs.jsonl >> many.jsonl
set +e
"$neardup" dedup --threads 1 many.jsonl seeds > t1.txt 2> t1.err
"$neardup" dedup --threads 4 --stats many.jsonl seeds > t4.txt 2> t4.err
set -e
cmp t1.txt t4.txt || fail "--threads 4 output differs from --threads 1"
[ "$(grep -v 'documents,' t4.err)" = "$(cat t1.err)" ] || fail "stderr differs between thread counts"
grep -q 'bytes per document' t4.err || fail "--stats reports index memory per document"
[ "$(wc -l < t1.txt)" -gt 100 ] || fail "many near pairs expected among the copies"

# --- a directory with bad files: each named, the good ones still compared
mkdir -p dir/sub
cp a.txt dir/one.txt; cp b.txt dir/sub/two.txt
printf 'caf\xc3 au lait\n' > dir/bad-utf8.txt
printf 'PK\x03\x04\x00\x00binary' > dir/archive.bin
: > dir/empty.txt
expect_exit 1 "$neardup" dedup --format tsv dir missing-file.txt
[ "$(cut -f1,2 out.txt)" = "$(printf 'dir/one.txt\tdir/sub/two.txt')" ] || fail "directory pair: $(cat out.txt)"
grep -q 'dir/bad-utf8.txt: invalid UTF-8 at byte 3' err.txt || fail "invalid UTF-8 named: $(cat err.txt)"
grep -q 'dir/archive.bin: invalid UTF-8 at byte 4: NUL byte' err.txt || fail "binary file named: $(cat err.txt)"
grep -q 'dir/empty.txt: .*no words' err.txt || fail "empty file named: $(cat err.txt)"
grep -q 'missing-file.txt: cannot read' err.txt || fail "missing file named"
# What a walk cannot read is named, never skipped silently: a broken link, a link loop, a FIFO,
# an unreadable subdirectory, a link to a directory (not followed).
mkdir -p walk/sub walk/locked
cp a.txt walk/one.txt; cp b.txt walk/sub/two.txt; cp a.txt walk/locked/three.txt
ln -s nowhere walk/broken-link
ln -s loop-b walk/loop-a; ln -s loop-a walk/loop-b
ln -s sub walk/dir-link
mkfifo walk/pipe
chmod 000 walk/locked
expect_exit 1 "$neardup" dedup --format tsv walk
chmod 755 walk/locked
grep -q "$(printf '^walk/one.txt\twalk/sub/two.txt\t')" out.txt || fail "walk pair: $(cat out.txt)"
grep -q 'walk/broken-link: cannot read' err.txt || fail "broken link named: $(cat err.txt)"
grep -q 'walk/loop-a: cannot read' err.txt || fail "link loop named: $(cat err.txt)"
grep -q 'walk/pipe: not a regular file' err.txt || fail "FIFO named: $(cat err.txt)"
grep -q 'walk/dir-link: symbolic link to a directory' err.txt || fail "directory link named: $(cat err.txt)"
if [ "$(id -u)" != 0 ]; then  # root reads anything: the unreadable directory exists only for others
  grep -q 'walk/locked: cannot walk directory' err.txt || fail "unreadable directory named: $(cat err.txt)"
fi
# With --replace-invalid the bad bytes become U+FFFD and the file is used.
expect_exit 0 "$neardup" dedup --replace-invalid dir/bad-utf8.txt dir/one.txt
# A document over --max-bytes is refused with its size, and never read whole (a file stops
# being read past the limit; a JSON line past 6 times it and 1 MiB is skipped unheld).
expect_exit 1 "$neardup" dedup --max-bytes 100 a.txt
grep -q 'a.txt: .*larger than the limit of 100' err.txt || fail "huge document explained: $(cat err.txt)"
python3 -c '
import json
a = open("a.txt", encoding="utf-8").read()
with open("long.jsonl", "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "huge", "text": "x " * 1200000}) + "\n")
    f.write(json.dumps({"id": "first", "text": a}) + "\n")
    f.write(json.dumps({"id": "second", "text": "By AFP. " + a}) + "\n")'
expect_exit 1 "$neardup" dedup --max-bytes 20000 --format tsv long.jsonl
grep -q 'long.jsonl:1: line longer than' err.txt || fail "huge JSON line named: $(cat err.txt)"
[ "$(cut -f1,2 out.txt)" = "$(printf 'first\tsecond')" ] || fail "lines after a huge one are read: $(cat out.txt)"
expect_exit 1 "$neardup" compare --max-bytes 100 a.txt b.txt
grep -q 'larger than the limit of 100' err.txt || fail "compare over --max-bytes named: $(cat err.txt)"

# --- compare
expect_exit 0 "$neardup" compare a.txt b.txt
grep -q 'exact Jaccard' out.txt || fail "compare shows exact Jaccard"
grep -q 'verdict *near ' out.txt || fail "compare verdict"
expect_exit 0 "$neardup" compare --format json seeds/000_3664230153151b7b.txt seeds/001_6ebbe6dfb4cd8eb4.txt
python3 -c 'import json,sys; d=json.load(open("out.txt")); v=d["verdict"]; assert v["kind"] == "translation" and d["exact_jaccard"] < 0.1 and v["translation"]["score"] >= 0.5, d'
expect_exit 0 "$neardup" compare seeds/001_6ebbe6dfb4cd8eb4.txt seeds/003_7c67ba99932143d3.txt
grep -q 'translation score' out.txt || fail "cross-language compare explains the translation score"
grep -q 'verdict *not a duplicate' out.txt || fail "001/003 is not a translation: $(cat out.txt)"
expect_exit 1 "$neardup" compare a.txt nowhere.txt
expect_exit 2 "$neardup" compare --lang-a french a.txt b.txt
grep -q "language tag 'french' is not a BCP 47 tag" err.txt || fail "bad --lang-a explained: $(cat err.txt)"
expect_exit 2 "$neardup" anchors --lang f a.txt
# Bad bytes replaced on one side of a cross-language pair: explained, no crash (issue #11).
printf 'Le 3 mars 2024, Anthropic a lev\xc3\xa9 7 milliards. \xff\n' > bad-fr.txt
printf 'Il 3 marzo 2024, Anthropic ha raccolto 7 miliardi.\n' > it.txt
expect_exit 0 "$neardup" compare --replace-invalid --lang-a fr --lang-b it bad-fr.txt it.txt
grep -q 'matched in order  5: n:3 m:3 n:2024 anthropic n:7000000000' out.txt || fail "repaired compare: $(cat out.txt)"
expect_exit 1 "$neardup" compare --lang-a fr --lang-b it bad-fr.txt it.txt
# An empty or blank document has nothing to compare: exit 1, named.
printf '  \n\n' > blank.txt
expect_exit 1 "$neardup" compare a.txt blank.txt
grep -q 'blank.txt: no words to compare' err.txt || fail "blank compare named: $(cat err.txt)"
expect_exit 1 "$neardup" align a.txt blank.txt

# --- align: every paragraph of 000 with its Italian counterpart, text and JSON
expect_exit 0 "$neardup" align seeds/000_3664230153151b7b.txt seeds/001_6ebbe6dfb4cd8eb4.txt
grep -q '11 and 11 paragraphs, 11 aligned steps' out.txt || fail "align: $(head -1 out.txt)"
expect_exit 0 "$neardup" align --format json seeds/000_3664230153151b7b.txt seeds/001_6ebbe6dfb4cd8eb4.txt
python3 -c '
import json
d = json.load(open("out.txt"))
assert [(p["a"], p["b"]) for p in d["pairs"]] == [([i], [i]) for i in range(1, 12)], d["pairs"]
assert "nvidia" in d["pairs"][0]["shared_anchors"]'
expect_exit 1 "$neardup" align seeds/000_3664230153151b7b.txt dir/bad-utf8.txt
# --replace-invalid: aligned, the bad byte shown as U+FFFD, as dedup and compare take it.
expect_exit 0 "$neardup" align --replace-invalid seeds/000_3664230153151b7b.txt dir/bad-utf8.txt
grep -q "caf$(printf '\xef\xbf\xbd') au lait" out.txt || fail "align --replace-invalid: $(cat out.txt err.txt)"
expect_exit 0 "$neardup" align --replace-invalid --format json dir/bad-utf8.txt seeds/000_3664230153151b7b.txt
python3 -c '
import json
d = json.load(open("out.txt"))
assert ["caf\ufffd au lait"] in [p["text_a"] for p in d["pairs"]], d["pairs"]'

# --- anchors
expect_exit 0 "$neardup" anchors --lang fr seeds/000_3664230153151b7b.txt
grep -q 'n:1000000 *un million' out.txt || fail "anchors: spelled-out number"
grep -q 'jensen huang' out.txt || fail "anchors: multi-word name"

# --- compare and align by id, from a JSON Lines file (compressed too): the files' verdict
python3 -c '
import json, os
with open("pair.jsonl", "w") as f:
    f.write(json.dumps({"id": "other", "text": "unrelated words here and there"}) + "\n")
    for name, lang in (("000_3664230153151b7b.txt", "fr"), ("001_6ebbe6dfb4cd8eb4.txt", None)):
        f.write(json.dumps({"id": name[:3], "text": open("seeds/" + name).read(), "lang": lang}) + "\n")'
gzip -c pair.jsonl > pair.jsonl.gz
expect_exit 0 "$neardup" compare --format json seeds/000_3664230153151b7b.txt seeds/001_6ebbe6dfb4cd8eb4.txt
cp out.txt by_files.json
for from in pair.jsonl pair.jsonl.gz; do
  expect_exit 0 "$neardup" compare --format json --from "$from" 000 001
  python3 -c '
import json
a, b = json.load(open("by_files.json")), json.load(open("out.txt"))
assert (b["a"]["id"], b["b"]["id"]) == ("000", "001"), b["a"]
assert a["verdict"] == b["verdict"] and a["exact_jaccard"] == b["exact_jaccard"], (a["verdict"], b["verdict"])' ||
    fail "compare --from $from differs from the files: $(cat out.txt)"
done
expect_exit 0 "$neardup" align --from pair.jsonl 000 001
grep -q "^000 (fr) | 001 (it)" out.txt || fail "align --from: $(head -2 out.txt)"
expect_exit 1 "$neardup" compare --from pair.jsonl 000 nobody
grep -q "pair.jsonl: no document with id nobody" err.txt || fail "compare --from, a missing id: $(cat err.txt)"

echo "cli_test: all passed"
