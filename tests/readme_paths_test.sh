#!/usr/bin/env bash
# The README's four paths (issue #25), run as written: each block marked `<!-- tested: NAME -->`
# in README.md runs with bash -e in a copy of the tree whose build/ is this build, beside
# docs.jsonl.xz (the seeds and three wire copies, as the README says). Then what each path
# should have given is checked. The python path installs the package with pip into a fresh
# virtual environment (it compiles the library again: about two minutes on 2 cores).
# usage: readme_paths_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
build=$(realpath "$1")
begin_test /bin/true "$2"

mkdir tree
if git -C "$src" rev-parse --git-dir > /dev/null 2>&1; then
  git -C "$src" ls-files -co --exclude-standard -z | (cd "$src" && tar --null -cf - -T -) | tar -xf - -C tree
else
  (cd "$src" && tar --exclude='./build*' -cf - .) | tar -xf - -C tree
fi
ln -s "$build" tree/build
cd tree
python3 - <<'PY'
import json, os
seeds = sorted(os.listdir("seeds"))
text = {n[:3]: open("seeds/" + n, encoding="utf-8").read() for n in seeds}
docs = [{"id": i, "text": t} for i, t in text.items()]
docs.append({"id": "002/byline", "text": "By a staff reporter, with agencies\n\n" + text["002"]})
for i in ("002", "003"):
    lines = text[i].split("\n")
    docs.append({"id": i + "/half", "text": "\n".join(lines[: len(lines) // 2])})
with open("docs.jsonl", "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
xz docs.jsonl

# The blocks, by name.
python3 - README.md <<'PY'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"<!-- tested: (\w+) -->\n```sh\n(.*?)```", readme, re.S)
names = [n for n, _ in blocks]
assert names == ["editor", "crawler", "python", "bench"], "README's tested blocks: %s" % names
for name, body in blocks:
    open("path_%s.sh" % name, "w").write(body)
PY
for name in editor crawler python bench; do
  bash -e "path_$name.sh" > "$name.out" 2> "$name.err" || fail "the README's $name path failed: $(tail -20 "$name.err")"
done

# The editor: the copies found, the kept file, what was dropped and why, the explanation.
grep -q "^002	002/half	.*	contained	b$" editor.out || fail "editor: 002/half not contained in 002: $(cat editor.out)"
grep -q "^000	001	.*	translation	$" editor.out || fail "editor: no translation: $(cat editor.out)"
[ "$(python3 -c 'import json; print(" ".join(json.loads(l)["id"] for l in open("kept.jsonl")))')" = \
  "000 001 003 004 002/byline" ] || fail "editor: kept $(cat kept.jsonl | cut -c1-40)"
grep -q '"id":"002","kept":"002/byline","score":.*"kind":"near"' editor.out || fail "editor: --dropped: $(cat editor.out)"
grep -q '"id":"003/half","kept":"003",.*"kind":"contained","smaller":"id"' editor.out || fail "editor: --dropped: $(cat editor.out)"
grep -q "^b: 002/half " editor.out && grep -q "^verdict  *contained" editor.out || fail "editor: compare --from: $(cat editor.out)"
# The crawler's developer: the example built against the installed library, the store's answer.
grep -q "^wire-2 duplicates wire-1" crawler.out || fail "crawler: quickstart: $(cat crawler.out)"
grep -q "^000	.*	translation" crawler.out || fail "crawler: index query: $(cat crawler.out)"
[ -f prefix/lib/pkgconfig/neardup.pc ] || fail "crawler: no neardup.pc under the prefix"
# The data engineer: the drops and the verdict, from the installed package, typed.
grep -q "^002/half is a contained copy of 002/byline" python.out || fail "python: $(cat python.out)"
grep -q "^translation$" python.out || fail "python: compare: $(cat python.out)"
ls .venv/lib/python3*/site-packages/neardup/py.typed .venv/lib/python3*/site-packages/neardup/_neardup.pyi \
  > /dev/null || fail "python: the installed package has no py.typed or stubs"
# The benchmarker: the cells asked for.
grep -q "BM_HashKey/wyhash/8" bench.out && grep -q "BM_ShingleLoop/XXH3_64" bench.out || fail "bench: $(cat bench.out)"
echo "readme_paths_test: the editor, crawler, python and bench paths ran as written"
