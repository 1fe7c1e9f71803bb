#!/usr/bin/env python3
"""Runs the benchmark suite and writes a report: a Markdown table and a PNG plot.

usage: bench/report.py BUILD_DIR OUT_DIR        (what `make bench-report` runs)

Writes OUT_DIR/REPORT.md (hash functions, MinHash variants with accuracy next to speed, LSH,
the text and translation paths) and OUT_DIR/minhash.png (throughput and estimate error against
k). Needs matplotlib (Debian: python3-matplotlib) for the plot; the table is written anyway.
Numbers are from one run on one machine: compare rows with each other, not with other runs.
"""
import json
import os
import re
import subprocess
import sys


def run(build_dir, out_dir):
    raw = os.path.join(out_dir, "benchmark.json")
    subprocess.run([os.path.join(build_dir, "bench", "neardup_bench"),
                    "--benchmark_filter=BM_Hash/|BM_MinHash/|BM_Lsh[A-Za-z]*/[0-9]+$|BM_TextSignature|BM_TranslationPath|BM_ShingleHashing",
                    "--benchmark_min_time=0.2", "--benchmark_format=console",
                    "--benchmark_out_format=json", "--benchmark_out=" + raw], check=True)
    with open(raw) as f:
        return json.load(f)["benchmarks"]


def human_bytes(x):
    return f"{x / 1e9:.2f} GB/s" if x >= 1e9 else f"{x / 1e6:.1f} MB/s"


def main():
    build_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    rows = run(build_dir, out_dir)
    by_name = {r["name"]: r for r in rows}
    md = ["# neardup benchmark report", "",
          "One run of `bench/report.py` on this machine. Throughputs are comparable within the report.", ""]

    md += ["## Hash functions (bytes/s)", "", "| function | 8 B | 16 B | 32 B | 64 B | 4 KiB | 64 KiB | 1 MiB |",
           "|---|---|---|---|---|---|---|---|"]
    for fn in ("XXH3_64", "XXH64", "XXH32", "XXH128"):
        cells = [human_bytes(by_name[f"BM_Hash/{fn}/{n}"]["bytes_per_second"])
                 for n in (8, 16, 32, 64, 4096, 65536, 1048576) if f"BM_Hash/{fn}/{n}" in by_name]
        md.append(f"| {fn} | " + " | ".join(cells) + " |")
    md += ["", "Shingle hashing over normalized text (word 5-shingles):", ""]
    for name in ("BM_ShingleHashing/4096", "BM_ShingleHashing/65536", "BM_ShingleHashingRehash/4096",
                 "BM_ShingleHashingRehash/65536"):
        if name in by_name:
            how = "combined from token hashes" if "Rehash" not in name else "XXH3 over each shingle's bytes"
            md.append(f"- {name.split('/')[1]} bytes, {how}: {human_bytes(by_name[name]['bytes_per_second'])}")

    md += ["", "## MinHash variants", "",
           "Shingles per second, and the root mean square error of the Jaccard estimate over 200 pairs at J = 1/3 "
           "beside the binomial σ = sqrt(J(1−J)/k).", "",
           "| algorithm | k | set size | shingles/s | RMSE | σ |", "|---|---|---|---|---|---|"]
    series = {}
    for r in rows:
        m = re.match(r"BM_MinHash/algorithm:(\d)/k:(\d+)/n:(\d+)$", r["name"])
        if not m:
            continue
        algo = "k permutations" if m.group(1) == "1" else "one permutation"
        k, n = int(m.group(2)), int(m.group(3))
        md.append(f"| {algo} | {k} | {n} | {r['items_per_second'] / 1e6:.1f} M | {r['rmse']:.4f} | {r['sigma']:.4f} |")
        series.setdefault((algo, n), []).append((k, r["items_per_second"], r["rmse"], r["sigma"]))

    md += ["", "## LSH index", ""]
    for r in rows:
        if r["name"].startswith("BM_Lsh"):
            md.append(f"- {r['name']}: {r['items_per_second'] / 1e6:.2f} M items/s")
    md += ["", "## Text and translation paths (same bytes)", "",
           "On the seed articles unless NEARDUP_BENCH_CORPUS names a corpus; with only five documents the index set-up",
           "weighs on the translation path, so compare on a corpus.", ""]
    for name in ("BM_TextSignature", "BM_TranslationPath", "BM_TranslationPathKnownLanguage"):
        if name in by_name:
            md.append(f"- {name}: {human_bytes(by_name[name]['bytes_per_second'])}")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
        for (algo, n), points in sorted(series.items()):
            points.sort()
            ks = [p[0] for p in points]
            left.plot(ks, [p[1] / 1e6 for p in points], marker="o", label=f"{algo}, n={n}")
            right.plot(ks, [p[2] for p in points], marker="o", label=f"{algo}, n={n}")
        sigma_points = sorted({(p[0], p[3]) for pts in series.values() for p in pts})
        right.plot([k for k, _ in sigma_points], [s for _, s in sigma_points], "k--", label="binomial σ")
        left.set(xlabel="k (signature length)", ylabel="million shingles / s", yscale="log", title="Throughput")
        right.set(xlabel="k (signature length)", ylabel="RMSE of Jaccard estimate", title="Accuracy (J = 1/3)")
        for ax in (left, right):
            ax.set_xscale("log", base=2)
            ax.grid(alpha=0.3)
        left.legend(fontsize=7)
        right.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "minhash.png"), dpi=110)
        md += ["", "![throughput and error against k](minhash.png)"]
    except ImportError:
        md += ["", "(matplotlib not installed: no plot; `apt-get install python3-matplotlib`)"]

    with open(os.path.join(out_dir, "REPORT.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("wrote", os.path.join(out_dir, "REPORT.md"))


if __name__ == "__main__":
    main()
