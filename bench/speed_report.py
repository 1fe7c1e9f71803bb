#!/usr/bin/env python3
"""Every speed figure of issue #26 from one invocation, on one corpus, so that its ratios come
from one run of one machine:

  * the stages, single-threaded (neardup_corpus_bench): the floor loop, signatures (with and
    without the containment sketch), language, anchors, profiles, translation signatures,
    fingerprints, near mode's Add (with and without containment), the default Add and the
    index stage alone, in MB/s, ms/MB and as a ratio to the floor;
  * the command end to end, `neardup dedup` with --no-translations (near) and the default
    (translations on), at 1 and 2 threads: wall and CPU seconds, MB/s, and the default's speed
    as a ratio of near mode's at the same threads;
  * neardup.dask with 1 and 2 workers beside the command's single thread, both modes
    (bench/dask_vs_cli.py), unless --no-dask.

usage: PYTHONPATH=build/python /usr/bin/python3 bench/speed_report.py BUILD_DIR DOCS.jsonl
       [--threads 1,2] [--no-dask] [--out REPORT.md]
(`make bench-speed` runs it on the perf corpus.)
"""
import argparse
import os
import platform
import resource
import subprocess
import sys
import time

import markdown_out  # bench/, beside this script


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def run_corpus_bench(build, docs, out):
    bench = os.path.join(build, "bench", "neardup_corpus_bench")
    lines = subprocess.run([bench, docs], capture_output=True, text=True, check=True).stdout.splitlines()
    out += ["## Stages, one thread (neardup_corpus_bench)", ""]
    out += [line for line in lines if line.startswith("corpus:")] + [""]
    out += ["| stage | MB/s | ms/MB | x floor |", "|---|---|---|---|"]
    for line in lines:
        fields = line.split()
        if len(fields) == 4 and fields[0] != "stage":
            out.append("| %s |" % " | ".join(fields))
    out.append("")


def timed(command):
    """Wall and CPU (user + system) seconds of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_command(build, docs, threads, out):
    cli = os.path.join(build, "cli", "neardup")
    mb = os.path.getsize(docs) / 1e6
    out += ["## The command end to end (`neardup dedup -q`)", "",
            "| threads | mode | wall s | CPU s | MB/s | default / near (speed) |", "|---|---|---|---|---|---|"]
    for t in threads:
        near_wall, near_cpu = timed([cli, "dedup", "-q", "--no-translations", "--threads", str(t), docs])
        out.append("| %d | near (--no-translations) | %.2f | %.2f | %.1f | |" % (t, near_wall, near_cpu, mb / near_wall))
        wall, cpu = timed([cli, "dedup", "-q", "--threads", str(t), docs])
        out.append("| %d | default (translations) | %.2f | %.2f | %.1f | %.3f |" % (t, wall, cpu, mb / wall, near_wall / wall))
    out.append("")


def run_dask(build, docs, out):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dask_vs_cli.py")
    env = dict(os.environ, PYTHONPATH=os.path.join(build, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = subprocess.run([sys.executable, script, os.path.join(build, "cli", "neardup"), docs],
                            capture_output=True, text=True, env=env)
    out += ["## neardup.dask beside the command's single thread (bench/dask_vs_cli.py)", ""]
    if result.returncode != 0:
        out += ["not measured: %s" % (result.stderr.strip().splitlines() or ["dask_vs_cli.py failed"])[-1], ""]
        return
    out += [line for line in result.stdout.splitlines() if line.startswith("|")] + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build")
    parser.add_argument("docs")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip() or "unknown"
    out = ["# Speed on %s" % os.path.basename(args.docs), "",
           "Commit %s, %s, %d cores, load %.2f at the start; every ratio below is within this run." %
           (commit, cpu_model(), os.cpu_count(), os.getloadavg()[0]), ""]
    run_corpus_bench(args.build, args.docs, out)
    run_command(args.build, args.docs, [int(t) for t in args.threads.split(",")], out)
    if not args.no_dask:
        run_dask(args.build, args.docs, out)
    markdown_out.emit(out, args.out)


if __name__ == "__main__":
    main()
