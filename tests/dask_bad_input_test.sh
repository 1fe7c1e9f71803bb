#!/usr/bin/env bash
# The bad-input matrix of `python3 -m neardup.dask dedup` (issue #21), beside bad_input_test.sh's
# of `neardup dedup`: the command's exit codes and messages (README, "Command line").
#   - A usage error (bad option or value) exits 2 with one line, "neardup.dask: usage: ...",
#     before any cluster starts; a library option out of range (NaN and infinities too) is
#     refused with the message `neardup` gives for the same flag.
#   - Inputs that cannot be used (missing, unreadable, a directory, a FIFO; broken, mistyped and
#     repeated JSON lines; documents the library refuses) are each named on a line of their
#     own, as `neardup dedup` names them (file:line, with the id once it is read), the rest is
#     processed (the good documents' output byte for byte as in a clean run), and it exits 1.
#   - An unreachable scheduler is one line and exit 1, within --connect-timeout.
#   - Never a traceback; never a hang (every run is under `timeout`).
# A local cluster starts in about 3 seconds: the bad inputs share a few runs, 1 worker each.
# usage: dask_bad_input_test.sh PYTHON PYTHONPATH NEARDUP_BINARY SOURCE_DIR
set -euo pipefail
python=$1
pythonpath=$(realpath "$2")
neardup=$(realpath "$3")
src=$(realpath "$4")
source "$src/tests/test_lib.sh"
begin_test "$neardup" "$src"
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT
# As root, the command runs as nobody (unreadable files), with a home and a scratch directory
# of its own for Dask.
as_nobody_if_root test -x "$python"
mkdir -m 777 home scratch
dask_dedup() {  # the command, with a bound on its time: a hang fails the test
  timeout 120 "${run[@]}" env HOME="$work/home" DASK_TEMPORARY_DIRECTORY="$work/scratch" PYTHONPATH="$pythonpath" \
    "$python" -m neardup.dask dedup "$@"
}
# expect CODE LINES ARGS...: the run exits CODE; stderr has exactly the lines of the file LINES
# (each an extended regular expression for its line), and no traceback.
expect() {
  local code=$1 lines=$2; shift 2
  set +e; dask_dedup "$@" > out.txt 2> err.txt; local got=$?; set -e
  [ "$got" != 124 ] || fail "'$*' did not finish in 120 s"
  [ "$got" = "$code" ] || { cat err.txt >&2; fail "'$*' exited $got, expected $code"; }
  if grep -q 'Traceback' err.txt; then cat err.txt >&2; fail "'$*' printed a traceback"; fi
  [ "$(wc -l < err.txt)" = "$(wc -l < "$lines")" ] || fail "'$*': expected $(wc -l < "$lines") lines on stderr, got: $(cat err.txt)"
  local i=0 pattern
  while IFS= read -r pattern; do
    i=$((i + 1))
    sed -n "${i}p" err.txt | grep -Eq -- "^${pattern}\$" || fail "'$*': line $i of stderr is '$(sed -n "${i}p" err.txt)', expected '$pattern'"
  done < "$lines"
  cases=$((cases + 1))
}
cases=0
: > no-lines

# --- usage errors: exit 2, one line, before any work
usage() {  # usage MESSAGE ARGS...: MESSAGE (a regular expression) after "neardup.dask: usage: "
  local message=$1; shift
  printf 'neardup.dask: usage: %s\n' "$message" > usage.lines
  expect 2 usage.lines "$@"
  [ ! -s out.txt ] || fail "'$*' printed output"
}
printf '{"id": "a", "text": "Quelques mots pour commencer le texte."}\n' > one.jsonl
usage "argument --workers: expected a number of workers of at least 1, got '-1'" --workers -1 one.jsonl
usage "argument --workers: expected a number of workers of at least 1, got '0'" --workers 0 one.jsonl
usage "argument --workers: expected a number of workers of at least 1, got 'two'" --workers two one.jsonl
usage "--blocksize: expected a number of bytes such as 16MiB \(at least 1\), got 'abc'" --workers 1 --blocksize abc one.jsonl
usage "--blocksize: expected a number of bytes such as 16MiB \(at least 1\), got '0'" --workers 1 --blocksize 0 one.jsonl
usage "argument --memory-limit: expected a size such as 2GiB, or auto, got 'lots'" --workers 1 --memory-limit lots one.jsonl
usage "argument --workers: not allowed with argument --scheduler" --scheduler tcp://127.0.0.1:9 --workers 1 one.jsonl
usage "--connect-timeout: expected a positive number of seconds, got 0.0" --scheduler tcp://127.0.0.1:9 --connect-timeout 0 one.jsonl
usage "--scheduler: unknown address scheme 'foo'.*" --scheduler foo://x one.jsonl
usage "--shingle: expected N, word:N or char:N, got 'words:5'" --workers 1 --shingle words:5 one.jsonl
usage "argument --num-perm: invalid int value: 'many'" --workers 1 --num-perm many one.jsonl
usage "unrecognized arguments: --bogus" --workers 1 --bogus one.jsonl
usage "the following arguments are required: INPUT.jsonl" --workers 1
# The library's options: the message `neardup` gives for the same flag, word for word.
for flags in "--threshold nan" "--threshold 1.5" "--threshold=-inf" "--containment-threshold nan" \
             "--containment-threshold 2" "--translation-threshold nan" "--translation-threshold inf" \
             "--translation-threshold -0.5" "--num-perm 0" "--num-perm 5000" "--max-bytes 0" \
             "--max-bytes 2199023255552" "--seed -1" "--seed 18446744073709551616" "--shingle word:0" \
             "--shingle char:99999999999"; do
  expect_exit 2 "$neardup" dedup $flags one.jsonl
  message=$(sed -n 's/^neardup: usage: //p' err.txt)
  [ -n "$message" ] || fail "neardup dedup $flags: $(cat err.txt)"
  usage "$(printf '%s' "$message" | sed 's/[][()^$.*+?{}|\\]/\\&/g')" --workers 1 $flags one.jsonl
done

# --- the good documents: the seeds and a copy, as JSON Lines
python3 - "$src/seeds" <<'PY'
import json, os, sys
seeds = sys.argv[1]
with open("good.jsonl", "w", encoding="utf-8") as f:
    for name in sorted(os.listdir(seeds)):
        f.write(json.dumps({"id": name, "text": open(os.path.join(seeds, name), encoding="utf-8").read()}) + "\n")
    f.write(json.dumps({"id": "copy", "text": "By our correspondent in Paris\n" +
                        open(os.path.join(seeds, sorted(os.listdir(seeds))[2]), encoding="utf-8").read()}) + "\n")
PY
"$neardup" dedup --format tsv good.jsonl > clean.tsv
[ "$(wc -l < clean.tsv)" = 2 ] || fail "the good documents must give a copy and a translation: $(cat clean.tsv)"
expect 0 no-lines --workers 1 --format tsv good.jsonl
cmp -s out.txt clean.tsv || fail "clean run: $(diff clean.tsv out.txt)"

# --- bad inputs among them. bad.jsonl: the first good line, then one bad line of each kind
# (each with the reason `neardup dedup` gives; JSON syntax errors are Python's words after
# "invalid JSON: "), then the other good lines.
python3 - <<'PY'
import json
good = open("good.jsonl", "rb").read().splitlines()
bad = [  # (line, place, reason: a regular expression)
    (b'{"id": "t", "text": "Le texte s arr', "", "invalid JSON: .+"),
    (b'{"id": "n", "text": "x", "lang": NaN}', "", "invalid JSON: .+"),
    (b'["id", "text"]', "", 'expected a JSON object \\{"id": \\.\\.\\., "text": \\.\\.\\.\\}'),
    (b'{"text": "sans identifiant"}', "", 'missing "id"'),
    (b'{"id": "x"}', " \\(id x\\)", 'missing "text"'),
    (b'{"id": true, "text": "x"}', "", '"id" must be a string or an integer'),
    (b'{"id": 2.5, "text": "x"}', "", '"id" must be an integer from -2\\^63 to 2\\^64-1 \\(or a string\\)'),
    (b'{"id": "n", "text": 42}', " \\(id n\\)", '"text" must be a string'),
    (b'{"id": "l", "text": "x y z", "lang": ["fr"]}', " \\(id l\\)", '"lang" must be a string'),
    (b'{"id": "a", "id": "b", "text": "x"}', "", 'duplicate key "id"'),
    (b'{"id": "latin1", "text": "caf\xe9"}', "", "invalid JSON: The input is not valid UTF-8"),
    (b'{"id": "sur", "text": "Le texte \\ud800 continue."}', "", "invalid JSON: .+"),
    (b'{"id": "tag", "text": "Un texte en fran\\u00e7ais.", "lang": "french"}', " \\(id tag\\)",
     "language tag 'french' is not a BCP 47 tag such as 'fr' or 'pt-BR'"),
    (b'{"id": "empty", "text": ""}', " \\(id empty\\)", "document 'empty' has no words to compare; not added"),
    (b'{"id": "blank", "text": " \\n\\t\\u3000 "}', " \\(id blank\\)",
     "document 'blank' has no words to compare; not added"),
    (b'{"id": "nul", "text": "Un texte\\u0000avec un NUL."}', " \\(id nul\\)", "invalid UTF-8 at byte 8: NUL byte.*"),
    (b'{"id": "' + b"u" * 65537 + b'", "text": "Un identifiant trop long."}', " \\(id u{100}\\.\\.\\. \\(65537 bytes\\)\\)",
     "a document id of 65537 bytes is longer than the limit of 65536 bytes .*"),
    (b"", None, None),
    (b"   \r", None, None),
    (good[0].replace(b'"text": "', b'"text": "Un autre texte. ', 1), " \\(id %s\\)" % json.loads(good[0])["id"],
     "duplicate document id; this copy was skipped"),
]
lines = [good[0]] + [line for line, _, _ in bad] + good[1:]
open("bad.jsonl", "wb").write(b"\n".join(lines) + b"\n")
with open("bad.lines", "w") as f:
    for number, (_, place, reason) in enumerate(bad, 2):
        if place is not None:
            f.write("neardup.dask: bad\\.jsonl:%d%s: %s\n" % (number, place, reason))
PY
grep -q '000_3664230153151b7b.txt' bad.lines || fail "the repeated id is the first seed's"
# The same places and reasons as `neardup dedup` on that file (JSON syntax details aside).
expect_exit 1 "$neardup" dedup --format tsv bad.jsonl
cmp -s out.txt clean.tsv || fail "neardup dedup bad.jsonl: the good documents' output changed"
# An id over 100 bytes is shortened in messages as the command does since it learnt to
# (neardup::IdForMessage): compared without it, so that this holds on either side of that change.
normalize() { sed 's/^neardup: /neardup.dask: /; s/\(invalid JSON: \).*/\1/; s/(id uu*[^:]*): a document id/(id LONG): a document id/'; }
normalize < err.txt > cli.err
expect 1 bad.lines --workers 1 --format tsv bad.jsonl
cmp -s out.txt clean.tsv || fail "bad.jsonl: the good documents' output changed: $(diff clean.tsv out.txt | head -5)"
normalize < err.txt | diff cli.err - || fail "bad.jsonl: other places or reasons than neardup dedup's"
# Lines across many small blocks (partitions): the same places, the same output.
expect 1 bad.lines --workers 1 --format tsv --blocksize 300 bad.jsonl
cmp -s out.txt clean.tsv || fail "bad.jsonl in blocks of 300 bytes: $(diff clean.tsv out.txt | head -5)"

# Paths that cannot be used, among the good documents split in two files: each named, in
# input order, the rest read.
head -n 3 good.jsonl > part1.jsonl
tail -n +4 good.jsonl > part2.jsonl
mkdir adir
mkfifo fifo.jsonl
printf '{"id": "secret", "text": "Un texte que personne ne peut lire."}\n' > unreadable.jsonl
chmod 000 unreadable.jsonl
printf '{"id": "x", "text": "Un texte dans un lien vers rien."}\n' > target.jsonl
ln -s nowhere.jsonl broken.jsonl
cat > paths.lines <<'EOF'
neardup.dask: missing\.jsonl: cannot read: No such file or directory
neardup.dask: adir: is a directory: expected a JSON Lines file
neardup.dask: unreadable\.jsonl: cannot read: Permission denied
neardup.dask: fifo\.jsonl: not a regular file \(a FIFO, socket or device\): skipped
neardup.dask: broken\.jsonl: cannot read: No such file or directory
EOF
expect 1 paths.lines --workers 1 --format tsv missing.jsonl part1.jsonl adir unreadable.jsonl fifo.jsonl part2.jsonl \
  broken.jsonl
cmp -s out.txt clean.tsv || fail "paths: the good documents' output changed: $(diff clean.tsv out.txt | head -5)"
# Nothing usable at all: each named, no cluster needed, nothing printed.
head -n 2 paths.lines > two.lines
expect 1 two.lines --workers 1 missing.jsonl adir
[ ! -s out.txt ] || fail "no input: printed $(cat out.txt)"
# Only bad lines: each named, nothing printed.
printf '%s\n' '["id", "text"]' '{"id": "empty", "text": ""}' > only-bad.jsonl
cat > only-bad.lines <<'EOF'
neardup.dask: only-bad\.jsonl:1: expected a JSON object \{"id": \.\.\., "text": \.\.\.\}
neardup.dask: only-bad\.jsonl:2 \(id empty\): document 'empty' has no words to compare; not added
EOF
expect 1 only-bad.lines --workers 1 only-bad.jsonl
[ ! -s out.txt ] || fail "only bad lines: printed $(cat out.txt)"

# --- an unreachable scheduler: one line, exit 1, within the timeout
start=$(date +%s)
echo "neardup.dask: cannot reach the scheduler at tcp://127\\.0\\.0\\.1:9: .*" > unreachable.lines
expect 1 unreachable.lines --scheduler tcp://127.0.0.1:9 --connect-timeout 2 good.jsonl
[ $(($(date +%s) - start)) -lt 60 ] || fail "an unreachable scheduler took $(($(date +%s) - start)) s to give up"

[ "$cases" -ge 36 ] || fail "only $cases cases ran"
echo "dask_bad_input_test: $cases cases passed"
