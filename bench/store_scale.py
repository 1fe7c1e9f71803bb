#!/usr/bin/env python3
"""Grows a persistent index (neardup index) to 10k, 100k and 1M documents and reports, at each
size: add throughput, the time to open the store (it replays the documents), query throughput,
bytes on disk per document and the peak memory of the adding process.

The documents are the perf corpus, then mutated copies of it (each copy replaces one word in
ten, so copies are near duplicates of their originals and of each other), with new ids.

usage: store_scale.py NEARDUP_BINARY PERF_DOCS_JSONL WORK_DIR [--sizes 10000,100000,1000000]
                      [--no-translations]
"""
import argparse
import json
import os
import random
import re
import subprocess
import time


def documents(perf_path):
    """The perf corpus, then copy 1, 2, ... of it, each word replaced with probability 0.1."""
    with open(perf_path, encoding="utf-8") as f:
        originals = [json.loads(line) for line in f if line.strip()]
    copy = 0
    while True:
        rng = random.Random(copy)
        for doc in originals:
            if copy == 0:
                yield doc
                continue
            words = doc["text"].split(" ")
            for i in range(len(words)):
                if rng.random() < 0.1:
                    words[i] = "w%d" % rng.randrange(1 << 20)
            yield {"id": "%s~%d" % (doc["id"], copy), "text": " ".join(words)}
        copy += 1


def timed(command, stdout=subprocess.DEVNULL):
    """Runs command under /usr/bin/time; returns (seconds, peak RSS in MB)."""
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - started
    if result.returncode not in (0, 1):
        raise SystemExit("%s failed: %s" % (command, result.stderr))
    peak_kb = int(re.findall(r"^(\d+)$", result.stderr, re.M)[-1])
    return seconds, peak_kb / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("neardup")
    parser.add_argument("perf")
    parser.add_argument("work")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--no-translations", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    os.makedirs(args.work, exist_ok=True)
    store = os.path.join(args.work, "scale.ndup")
    for suffix in ("", "-lock", "-writer"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    mode = ["--no-translations"] if args.no_translations else []
    stream = documents(args.perf)
    added = 0
    print("| documents | add docs/s | add MB/s | open s | query docs/s | bytes on disk / doc | peak RSS MB (add) |")
    print("|---|---|---|---|---|---|---|")
    for size in sizes:
        batch = os.path.join(args.work, "batch.jsonl")
        probes = []
        megabytes = 0.0
        with open(batch, "w", encoding="utf-8") as f:
            while added < size:
                doc = next(stream)
                line = json.dumps(doc, ensure_ascii=False)
                megabytes += len(line.encode("utf-8")) / 1e6
                f.write(line + "\n")
                # Enough probes that querying takes longer than opening: 1 in 5, up to 20,000.
                if len(probes) < 20000 and added % 5 == 0:
                    probes.append({"id": "probe-" + doc["id"], "text": doc["text"]})
                added += 1
        n = sum(1 for _ in open(batch, encoding="utf-8"))
        add_seconds, add_rss = timed([args.neardup, "index", "add", "-q", "--format", "tsv"] + mode + [store, batch])
        open_seconds, _ = timed([args.neardup, "index", "stats", store])
        probe_path = os.path.join(args.work, "probes.jsonl")
        with open(probe_path, "w", encoding="utf-8") as f:
            for p in probes:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
        query_seconds, _ = timed([args.neardup, "index", "query", "-q", "--format", "tsv", store, probe_path])
        stats = json.loads(subprocess.run([args.neardup, "index", "stats", store], capture_output=True, text=True).stdout)
        # The query run opens the store too (a replay): its time, measured alone, is taken off.
        query_rate = len(probes) / max(query_seconds - open_seconds, 1e-3)
        print("| %d | %.0f | %.1f | %.1f | %.0f | %.0f | %.0f |" % (
            stats["documents"], n / add_seconds, megabytes / add_seconds, open_seconds, query_rate,
            stats["bytes_per_document"], add_rss), flush=True)


if __name__ == "__main__":
    main()
