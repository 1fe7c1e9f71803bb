#!/usr/bin/env python3
"""The library's layers, and the includes that would go against them (issue #24).

usage: check_layers.py SOURCE_DIR

Code outside lib/ reaches it through the public headers, and the binding through its one seam
(OUTSIDE). Each file of lib/ belongs to the layer of its folder (lib/<layer>/), each public header
(include/neardup/) to the layer given in PUBLIC, where its declarations are implemented. A layer may include its own headers and those of the layers it is
built on (LAYERS); anything else is reported as file:line and the exit status is 1. The
build refuses such an include too (lib/CMakeLists.txt gives each layer an include root with
its lower layers only), but only where a file of the lower layer is compiled with it; this
test reads every file, public headers included, and states the order in one place. The two
tables must agree with lib/CMakeLists.txt's (layer_*_below, layer_*_public).
"""
import os
import re
import sys

# Each layer with the layers it is built on. sketch and xlang are independent of each other.
LAYERS = {
    "base": set(),
    "text": {"base"},
    "sketch": {"base", "text"},
    "xlang": {"base", "text"},
    "fingerprint": {"base", "text", "sketch", "xlang"},
    "index": {"base", "text", "sketch", "xlang", "fingerprint"},
    "store": {"base", "text", "sketch", "xlang", "fingerprint", "index"},
    "dedup": {"base", "text", "sketch", "xlang", "fingerprint", "index", "store"},
    # Headers only: the documented doors for code outside lib/ (seam/python.h for python/).
    "seam": {"base", "text", "sketch", "xlang", "fingerprint", "index", "store", "dedup"},
}

# Code outside lib/ and which of lib/'s headers it may include (beside the public ones in
# include/neardup/ and its own folder's files): the binding its one seam, the command and the
# benchmarks none.
OUTSIDE = {"python": {"seam/python.h"}, "cli": set(), "bench": set(), "examples": set()}

PUBLIC = {
    "version.h": "base",
    "utf8.h": "text", "normalize.h": "text", "tokenize.h": "text", "shingle.h": "text",
    "minhash.h": "sketch", "packed_signature.h": "sketch", "containment.h": "sketch",
    "language.h": "xlang", "anchor.h": "xlang", "translation.h": "xlang", "align.h": "xlang",
    "fingerprint.h": "fingerprint", "verdict.h": "fingerprint",
    "lsh.h": "index", "serialize.h": "index", "dedup_options.h": "index",
    "dedup.h": "dedup", "compare.h": "dedup", "report.h": "dedup", "jsonl.h": "dedup", "neardup.h": "dedup",
}

# Libraries outside the project, which any layer may use.
EXTERNAL = ("absl/", "unicode/", "xxhash", "lmdb", "compact_enc_det", "public/")

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of_header(path):
    """The layer of an included header ("neardup/x.h" or "<layer>/x.h")."""
    folder, _, name = path.partition("/")
    if folder == "neardup":
        return PUBLIC.get(name)
    return folder if folder in LAYERS else None


def layer_of_file(relative):
    parts = relative.split("/")
    if parts[0] == "include":
        return PUBLIC.get(parts[-1])
    return parts[1] if len(parts) == 3 and parts[1] in LAYERS else None


def main():
    source = sys.argv[1]
    problems, checked = [], 0
    for top in ("lib", "include/neardup"):
        for root, _, files in os.walk(os.path.join(source, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cc", ".h.in")):
                    continue
                relative = os.path.relpath(os.path.join(root, name), source)
                layer = layer_of_file(relative.replace(".h.in", ".h"))
                if layer is None:
                    problems.append("%s: no layer (put it in a layer's folder, or a public header in PUBLIC)" % relative)
                    continue
                checked += 1
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        if m.group(1).startswith(EXTERNAL):
                            continue
                        target = layer_of_header(m.group(1))
                        if target is None:
                            problems.append("%s:%d: includes %s, of no known layer" % (relative, number, m.group(1)))
                        elif target != layer and target not in LAYERS[layer]:
                            problems.append("%s:%d: %s (layer %s) includes %s (layer %s)" %
                                            (relative, number, relative, layer, m.group(1), target))
    for top, allowed in OUTSIDE.items():
        for root, _, files in os.walk(os.path.join(source, top)):
            for name in sorted(files):
                if not name.endswith((".h", ".cc")):
                    continue
                relative = os.path.relpath(os.path.join(root, name), source)
                checked += 1
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m or m.group(1) in allowed or m.group(1).startswith(EXTERNAL):
                            continue
                        if layer_of_header(m.group(1)) is not None and not m.group(1).startswith("neardup/"):
                            problems.append("%s:%d: includes %s, a private header of lib/ (%s may include %s)" %
                                            (relative, number, m.group(1), top,
                                             ", ".join(sorted(allowed)) or "public headers only"))
    if checked < 50:
        problems.append("only %d files found under %s: wrong source directory?" % (checked, source))
    for p in problems:
        print(p)
    print("%d files checked, %d includes against the layers" % (checked, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
