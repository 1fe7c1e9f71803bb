#!/usr/bin/env python3
"""neardup.dask beside `neardup dedup` on the same JSON Lines file, in one run (issue #13): the
MB/s of the command and of the Dask path on a local cluster of 1 and 2 worker processes, the
peak RSS of the busiest worker, and whether the lines are the same, in both modes (near:
--no-translations; and the default, with translations).

usage: PYTHONPATH=build/python /usr/bin/python3 bench/dask_vs_cli.py NEARDUP_BINARY DOCS.jsonl
       [--workers 1,2] [--blocksize 16MiB] [--modes near,translations]
"""
import argparse
import os
import resource
import subprocess
import time

from distributed import Client, LocalCluster

import neardup.dask as nd


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("neardup")
    parser.add_argument("docs")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--blocksize", default="16MiB")
    parser.add_argument("--modes", default="near,translations")
    args = parser.parse_args()
    mb = os.path.getsize(args.docs) / 1e6

    print("%s: %.1f MB" % (args.docs, mb))
    print("| mode | run | seconds | MB/s | of the command's speed | peak RSS of a worker (MB) | lines = command's |")
    print("|---|---|---|---|---|---|---|")
    for mode in args.modes.split(","):
        translations = mode == "translations"
        flags = [] if translations else ["--no-translations"]
        start = time.perf_counter()
        cli = subprocess.run([args.neardup, "dedup", "-q", *flags, "--threads", "1", args.docs],
                             capture_output=True, text=True, check=True).stdout
        cli_seconds = time.perf_counter() - start
        print("| %s | neardup dedup, 1 thread | %.2f | %.1f | 1.00 | | |" % (mode, cli_seconds, mb / cli_seconds),
              flush=True)
        for workers in [int(w) for w in args.workers.split(",")]:
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                start = time.perf_counter()
                bag = nd.read_jsonl([args.docs], args.blocksize)
                links, _ = nd.dedup_links(bag.filter(lambda d: "error" not in d), translations=translations)
                seconds = time.perf_counter() - start
                peaks = client.run(peak_rss_mb)
            lines = "".join(nd.format_pair(r._asdict(), "jsonl") + "\n" for r in links.itertuples())
            print("| %s | neardup.dask, %d worker%s | %.2f | %.1f | %.2f | %.0f | %s |" % (
                mode, workers, "s" if workers > 1 else "", seconds, mb / seconds, cli_seconds / seconds,
                max(peaks.values()), "yes" if lines == cli else "NO"), flush=True)

if __name__ == "__main__":
    main()
