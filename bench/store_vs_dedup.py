#!/usr/bin/env python3
"""The persistent index against one `neardup dedup` run, on the same documents in one run of
this script (issue #12's acceptance figures), for near mode and the default mode:

  - dedup: one `neardup dedup` over all documents;
  - index, 1 run: `neardup index add STORE ALL` into a new store;
  - index, 4 runs: four `neardup index add` into a new store, a quarter of the documents each
    (each run opens the store and replays what is in it);
  - then `neardup index pairs`, which must print exactly dedup's lines (checked here), and the
    bytes per document on disk (`neardup index stats`) and peak RSS of each run.

usage: store_vs_dedup.py NEARDUP_BINARY DOCS_JSONL WORK_DIR [--modes near,default]
"""
import argparse
import json
import os
import shutil
import subprocess
import time


def run(command, out_path=None):
    """Runs `command`; returns (seconds, peak RSS in KiB of the child)."""
    start = time.perf_counter()
    with open(out_path or os.devnull, "wb") as out:
        child = subprocess.Popen(command, stdout=out)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("failed: %s" % " ".join(command))
    return elapsed, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("neardup")
    parser.add_argument("docs")
    parser.add_argument("work")
    parser.add_argument("--modes", default="near,default")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    # Streamed, never held: a forked child's peak RSS counts its parent's pages until exec.
    with open(args.docs, "rb") as f:
        count = sum(1 for line in f if line.strip())
    quarters = [os.path.join(args.work, "quarter%d.jsonl" % q) for q in range(4)]
    outs = [open(path, "wb") for path in quarters]
    with open(args.docs, "rb") as f:
        n = 0
        for line in f:
            if line.strip():
                outs[min(3, n * 4 // count)].write(line)
                n += 1
    for out in outs:
        out.close()
    mb = os.path.getsize(args.docs) / 1e6
    print("%d documents, %.1f MB" % (count, mb))
    print("| mode | run | seconds | of dedup's speed | peak RSS (MB) | bytes/doc on disk | pairs = dedup |")
    print("|---|---|---|---|---|---|---|")
    for mode in args.modes.split(","):
        flags = ["--no-translations"] if mode == "near" else []
        dedup_out = os.path.join(args.work, "dedup_%s.out" % mode)
        dedup_s, dedup_rss = run([args.neardup, "dedup"] + flags + [args.docs], dedup_out)
        print("| %s | dedup | %.2f | 1.00 | %.0f | | |" % (mode, dedup_s, dedup_rss / 1024))
        with open(dedup_out, "rb") as f:
            expected = f.read()
        for runs, inputs in (("1 run", [[args.docs]]), ("4 runs", [[q] for q in quarters])):
            store = os.path.join(args.work, "store_%s" % mode)
            for leftover in (store, store + "-lock", store + "-writer"):
                if os.path.isdir(leftover):
                    shutil.rmtree(leftover)
                elif os.path.exists(leftover):
                    os.remove(leftover)
            total, rss = 0.0, 0
            for batch in inputs:
                seconds, peak = run([args.neardup, "index", "add"] + flags + [store] + batch)
                total, rss = total + seconds, max(rss, peak)
            pairs_out = os.path.join(args.work, "pairs_%s.out" % mode)
            run([args.neardup, "index", "pairs", store], pairs_out)
            with open(pairs_out, "rb") as f:
                same = f.read() == expected
            stats = json.loads(subprocess.run([args.neardup, "index", "stats", store], check=True,
                                              capture_output=True).stdout)
            print("| %s | index, %s | %.2f | %.2f | %.0f | %.0f | %s |" % (
                mode, runs, total, dedup_s / total, rss / 1024, stats["bytes_on_disk"] / stats["documents"],
                "yes" if same else "NO"))


if __name__ == "__main__":
    main()
