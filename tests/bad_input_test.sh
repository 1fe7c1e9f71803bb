#!/usr/bin/env bash
# The bad-input matrix (issue #11). Each bad input is given to `neardup dedup` between good
# documents (the seeds and a copy of one), as a file and, where it can be one, as a JSON line.
# Every case must:
#   - exit 1, the documented code for "some input could not be read or used";
#   - name the bad input on stderr with its reason, and nothing else;
#   - leave the good documents' output exactly as in a clean run, byte for byte.
# usage: bad_input_test.sh NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
begin_test "$@"
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
as_nobody_if_root test -x "$neardup"
# Documents over --max-bytes: small enough for a test, larger than every good document.
max_bytes=20000
dedup() { "${run[@]}" "$neardup" dedup --format tsv --max-bytes "$max_bytes" "$@"; }

# --- the good documents, as files and as JSON Lines with the same ids
mkdir good
cp "$src"/seeds/*.txt good/
{ echo "By our correspondent in Paris"; cat "$src"/seeds/002_*.txt; } > good/005_copy_of_002.txt
python3 - <<'PY'
import json, os
with open("good.jsonl", "w", encoding="utf-8") as f:
    for name in sorted(os.listdir("good")):
        f.write(json.dumps({"id": "good/" + name, "text": open("good/" + name, encoding="utf-8").read()}) + "\n")
PY
good_files=(good/*.txt)
dedup "${good_files[@]}" > clean-files.tsv 2> clean-files.err || fail "clean run of files: $(cat clean-files.err)"
dedup good.jsonl > clean-jsonl.tsv 2> clean-jsonl.err || fail "clean run of JSON Lines: $(cat clean-jsonl.err)"
[ "$(wc -l < clean-files.tsv)" -ge 2 ] || fail "the good documents must give pairs (a copy and a translation): $(cat clean-files.tsv)"
[ ! -s clean-files.err ] && [ ! -s clean-jsonl.err ] || fail "clean runs must not complain"
cmp -s clean-files.tsv clean-jsonl.tsv || fail "files and JSON Lines of the same documents differ"

cases=0
# check NAME WHERE REASON: the last run exited 1, named WHERE with REASON (a grep pattern) on
# its only stderr line, and printed the clean output ($clean).
check() {
  local name=$1 where=$2 reason=$3
  [ "$code" = 1 ] || { cat err.txt >&2; fail "$name: exit $code, expected 1"; }
  [ "$(wc -l < err.txt)" = 1 ] || fail "$name: expected one line on stderr, got: $(cat err.txt)"
  grep -Eq -- "^neardup: $where: $reason" err.txt || fail "$name: expected '$where: $reason', got: $(cat err.txt)"
  cmp -s out.txt "$clean" || fail "$name: the good documents' output changed: $(diff "$clean" out.txt | head -5)"
  cases=$((cases + 1))
}
# bad_file NAME REASON: the file bad/NAME, given among the good files.
bad_file() {
  local name=$1 reason=$2
  set +e; dedup "${good_files[0]}" "bad/$name" "${good_files[@]:1}" > out.txt 2> err.txt; code=$?; set -e
  clean=clean-files.tsv check "file $name" "bad/$name" "$reason"
}
# bad_line NAME REASON: the line in bad/NAME.line, inserted after the first good JSON line.
bad_line() {
  local name=$1 reason=$2
  { head -n 1 good.jsonl; cat "bad/$name.line"; tail -n +2 good.jsonl; } > "bad/$name.jsonl"
  set +e; dedup "bad/$name.jsonl" > out.txt 2> err.txt; code=$?; set -e
  clean=clean-jsonl.tsv check "JSON line $name" "bad/$name.jsonl:2( \\(id [^)]*\\))?" "$reason"
}
# bad_json NAME LINE REASON: bad_line with LINE (printf format) as the line.
bad_json() {
  printf "$2\n" > "bad/$1.line"
  bad_line "$1" "$3"
}
# bad_text NAME BYTES REASON: a document whose text holds BYTES (printf format) inside French
# words, as a file and as a JSON line with the bytes raw in the string.
bad_text() {
  local name=$1 bytes=$2 reason=$3
  printf "Le texte commence bien, $bytes puis continue.\n" > "bad/$name"
  bad_file "$name" "$reason"
  { printf '{"id": "%s", "text": "' "$name"; printf "Le texte commence bien, $bytes puis continue."; printf '"}\n'; } > "bad/$name.line"
  bad_line "$name" "invalid JSON: The input is not valid UTF-8"
}
mkdir bad

# --- invalid UTF-8 of each kind (Unicode table 3-7), and binary data
bad_text lone-continuation '\x80'          'invalid UTF-8 at byte 24: unexpected continuation byte 0x80'
bad_text missing-continuation 'caf\xc3 '   'invalid UTF-8 at byte 27: sequence starting with 0xC3 lacks a continuation byte'
bad_text overlong-2 '\xc0\xaf'             'invalid UTF-8 at byte 24: byte 0xC0 never appears in UTF-8'
bad_text overlong-3 '\xe0\x80\xaf'         'invalid UTF-8 at byte 24: overlong encoding 0xE0 0x80'
bad_text overlong-4 '\xf0\x80\x80\xaf'     'invalid UTF-8 at byte 24: overlong encoding 0xF0 0x80'
bad_text surrogate '\xed\xa0\x80'          'invalid UTF-8 at byte 24: UTF-16 surrogate encoded as UTF-8'
bad_text above-10ffff '\xf4\x90\x80\x80'   'invalid UTF-8 at byte 24: code point above U\+10FFFF'
bad_text five-byte-form '\xf8\x88\x80\x80\x80' 'invalid UTF-8 at byte 24: byte 0xF8 never appears in UTF-8'
bad_text latin1 'r\xe9sum\xe9'             'invalid UTF-8 at byte 25: sequence starting with 0xE9 lacks a continuation byte'
printf 'Une phrase, puis une s\xc3' > bad/cut-at-end
bad_file cut-at-end 'invalid UTF-8 at byte 22: sequence starting with 0xC3 cut by the end of the text'
printf 'Un texte\x00avec un NUL.\n' > bad/nul-byte
bad_file nul-byte 'invalid UTF-8 at byte 8: NUL byte'
bad_json nul-escape '{"id": "nul", "text": "Un texte\\u0000avec un NUL."}' 'invalid UTF-8 at byte 8: NUL byte'
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' > bad/image.png
bad_file image.png 'invalid UTF-8 at byte 0: unexpected continuation byte 0x89'
# A whole gzip file is read decompressed (compressed_input_test.sh); one cut short is named.
gzip -c good/000_*.txt | head -c 300 > bad/article.gz
bad_file article.gz 'cannot read: damaged gzip data: it ends too early'
printf '\x7fELF\x02\x01\x01\x00' > bad/program
bad_file program 'invalid UTF-8 at byte 7: NUL byte'

# --- nothing to compare: empty, blank, punctuation only
: > bad/empty.txt
bad_file empty.txt "document 'bad/empty.txt' has no words to compare"
printf ' \n\t\r\n\xe3\x80\x80\n' > bad/blank.txt  # with U+3000 IDEOGRAPHIC SPACE
bad_file blank.txt "document 'bad/blank.txt' has no words to compare"
printf '... !!! --- ?\n' > bad/punctuation.txt
bad_file punctuation.txt "document 'bad/punctuation.txt' has no words to compare"
bad_json empty-text '{"id": "empty", "text": ""}' "document 'empty' has no words to compare"
bad_json blank-text '{"id": "blank", "text": " \\n\\t\\u3000 "}' "document 'blank' has no words to compare"

# --- over --max-bytes: a file is refused unread; a JSON line over 6 times it and 1 MiB unheld
head -c $((max_bytes + 1)) /dev/zero | tr '\0' 'a' > bad/large.txt
bad_file large.txt "cannot read: larger than the limit of $max_bytes bytes"
python3 -c 'print("{\"id\": \"huge\", \"text\": \"" + "mot " * 300000 + "\"}")' > bad/huge.line
bad_line huge 'line longer than'
python3 -c 'print("{\"id\": \"large\", \"text\": \"" + "mot " * 6000 + "\"}")' > bad/large.line
bad_line large "document is 24000 bytes, larger than the limit of $max_bytes"

# --- broken JSON: truncated, not an object, fields missing, mistyped or repeated, bad tags
bad_json truncated '{"id": "t", "text": "Le texte s arr' 'invalid JSON: '
printf '{"id": "t", "text": "x"' > bad/unclosed.line; echo >> bad/unclosed.line
bad_line unclosed 'invalid JSON: '
bad_json array '["id", "text"]' 'expected a JSON object'
bad_json no-id '{"text": "sans identifiant"}' 'missing "id"'
bad_json no-text '{"id": "x"}' 'missing "text"'
bad_json bool-id '{"id": true, "text": "x"}' '"id" must be a string or an integer'
bad_json fraction-id '{"id": 2.5, "text": "x"}' '"id" must be an integer'
bad_json number-text '{"id": "n", "text": 42}' '"text" must be a string'
bad_json array-lang '{"id": "l", "text": "x y z", "lang": ["fr"]}' '"lang" must be a string'
bad_json bad-tag '{"id": "l", "text": "Un texte en fran\\u00e7ais.", "lang": "french"}' "language tag 'french' is not a BCP 47 tag"
bad_json repeated-key '{"id": "a", "id": "b", "text": "x"}' 'duplicate key "id"'

# --- duplicate ids: the first document stays, the second is named
python3 -c '
import json
print(json.dumps({"id": "good/000_3664230153151b7b.txt", "text": "Un autre texte sous le meme identifiant."}))' > bad/duplicate-id.line
bad_line duplicate-id 'duplicate document id'
set +e; dedup "${good_files[@]}" "${good_files[0]}" > out.txt 2> err.txt; code=$?; set -e
clean=clean-files.tsv check "a file given twice" "${good_files[0]}" 'duplicate document id'

# --- paths: missing, unreadable, and what a directory walk cannot use
bad_walk() {  # bad_walk NAME REASON: bad/walk-NAME/ holds one entry NAME that cannot be used
  local name=$1 reason=$2
  set +e; dedup "${good_files[0]}" "bad/walk-$name" "${good_files[@]:1}" > out.txt 2> err.txt; code=$?; set -e
  clean=clean-files.tsv check "walk $name" "bad/walk-$name/$name" "$reason"
}
bad_file missing.txt 'cannot read: No such file or directory'
printf 'Un texte que personne ne peut lire.\n' > bad/unreadable.txt; chmod 000 bad/unreadable.txt
bad_file unreadable.txt 'cannot read: Permission denied'
printf 'Un texte que personne ne peut lire.\n' > bad/unreadable.jsonl; chmod 000 bad/unreadable.jsonl
bad_file unreadable.jsonl 'cannot read: Permission denied'
mkdir bad/walk-unreadable.txt; cp bad/unreadable.txt bad/walk-unreadable.txt/
bad_walk unreadable.txt 'cannot read: Permission denied'
mkdir -p bad/walk-locked/locked; cp good/004_*.txt bad/walk-locked/locked/; chmod 000 bad/walk-locked/locked
bad_walk locked 'cannot walk directory: Permission denied'
mkdir bad/walk-loop; ln -s loop bad/walk-loop/loop
bad_walk loop 'cannot read: Too many levels of symbolic links'
mkdir bad/walk-broken; ln -s nowhere bad/walk-broken/broken
bad_walk broken 'cannot read: No such file or directory'
mkdir bad/walk-fifo; mkfifo bad/walk-fifo/fifo
bad_walk fifo 'not a regular file'
mkdir bad/walk-dirlink; ln -s ../../good bad/walk-dirlink/dirlink
bad_walk dirlink 'symbolic link to a directory: not followed'

[ "$cases" -ge 54 ] || fail "only $cases cases ran"
echo "bad_input_test: $cases cases passed"
