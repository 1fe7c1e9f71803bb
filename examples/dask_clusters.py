#!/usr/bin/env python3
"""Deduplicates a JSON Lines file ({"id", "text"[, "lang"]} per line) on a local Dask cluster and plots
how large its clusters of copies are.

usage: PYTHONPATH=build/python /usr/bin/python3 examples/dask_clusters.py DOCS.jsonl PLOT.png [--workers N]

Prints the number of documents, pairs and clusters, the five largest clusters, and writes a
bar chart of cluster sizes to PLOT.png. Copies and translations, as `neardup dedup` links
them ("lang" per line is used when given, else detected).
"""
import argparse
import collections

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import neardup.dask  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs")
    parser.add_argument("plot")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster):
        docs = neardup.dask.read_jsonl([args.docs], "4MiB").filter(lambda d: "error" not in d)
        links, problems = neardup.dask.dedup_links(docs)
        documents = docs.count().compute()
    clusters = neardup.dask.clusters(links)
    sizes = collections.Counter(len(c["members"]) for c in clusters)

    print("%d documents, %d pairs, %d clusters (%d documents could not be used)"
          % (documents, len(links), len(clusters), len(problems)))
    for c in sorted(clusters, key=lambda c: -len(c["members"]))[:5]:
        print("  %3d copies of %s" % (len(c["members"]), c["canonical"]))

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar([str(s) for s in sorted(sizes)], [sizes[s] for s in sorted(sizes)])
    ax.set_xlabel("documents in the cluster")
    ax.set_ylabel("clusters")
    ax.set_title("Copies of one text, %s" % args.docs.rsplit("/", 1)[-1])
    fig.tight_layout()
    fig.savefig(args.plot)
    print("wrote", args.plot)


if __name__ == "__main__":
    main()
