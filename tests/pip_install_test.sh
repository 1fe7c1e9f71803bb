#!/usr/bin/env bash
# What a data engineer does (issue #25): `python3 -m pip install --no-build-isolation .` into a
# fresh virtual environment made with --system-site-packages (Debian's setuptools, wheel,
# NumPy and Dask), offline (--no-index), from a copy of the source tree; then, from another
# directory, import neardup from the environment, use it, and find its stubs and py.typed.
# The build compiles the library again (CMake driven by setup.py): about two minutes on 2 cores.
# usage: pip_install_test.sh PYTHON SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/test_lib.sh"
python=$1
begin_test /bin/true "$2"

# The tree as a checkout has it (git's files when it is one), without build directories.
mkdir src
if git -C "$src" rev-parse --git-dir > /dev/null 2>&1; then
  git -C "$src" ls-files -co --exclude-standard -z | (cd "$src" && tar --null -cf - -T -) | tar -xf - -C src
else
  (cd "$src" && tar --exclude='./build*' -cf - .) | tar -xf - -C src
fi
"$python" -m venv --system-site-packages venv || fail "python3 -m venv failed (Debian: python3-venv)"
CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-2} venv/bin/python -m pip install --no-build-isolation \
  --no-index ./src > pip.log 2>&1 || fail "pip install failed: $(tail -30 pip.log)"
cd /
"$work/venv/bin/python" - "$src/seeds" <<'PY' || fail "the installed package does not work"
import os, sys
import neardup, neardup.dask
here = os.path.dirname(neardup.__file__)
assert here.startswith(os.path.realpath(sys.prefix)) or here.startswith(sys.prefix), (here, sys.prefix)
assert os.path.exists(os.path.join(here, "py.typed")) and os.path.exists(os.path.join(here, "_neardup.pyi"))
seeds = sorted(os.listdir(sys.argv[1]))
text = {n: open(os.path.join(sys.argv[1], n), encoding="utf-8").read() for n in seeds}
d = neardup.Deduplicator()
d.add(seeds[0], text[seeds[0]])
assert [m["kind"] for m in d.add(seeds[1], text[seeds[1]])] == ["translation"]
assert neardup.compare(text[seeds[0]], text[seeds[1]])["verdict"]["kind"] == "translation"
print("installed neardup %s at %s" % (neardup.__version__, here))
PY
echo "pip_install_test: ok"
