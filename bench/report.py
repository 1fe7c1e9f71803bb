#!/usr/bin/env python3
"""Runs the benchmark suite and writes a report: a Markdown table and PNG plots.

usage: bench/report.py BUILD_DIR OUT_DIR        (what `make bench-report` runs)

Writes OUT_DIR/REPORT.md (the machine, compiler, flags and commit; hash functions with medians
and spread over repetitions; MinHash variants with accuracy next to speed; LSH; the text and
translation paths), OUT_DIR/hashes.png (short-key ns/hash against key size and shingle-loop
MB/s, with the spread of the repetitions), OUT_DIR/minhash.png (throughput and estimate error
against k) and OUT_DIR/benchmark.json (Google Benchmark's output of both runs). Needs
matplotlib (Debian: python3-matplotlib) for the plots; the tables are written anyway.
Numbers are from one run on one machine: compare rows with each other, not with other runs.

The hash benchmarks run with repetitions, randomly interleaved, and the table gives each
median with the minimum and maximum of the repetitions; the other sections run once, as their
benchmarks' set-up (an index of a million signatures) would make repetitions take long.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

HASH_FILTER = "BM_HashKey/|BM_HashBuffer/|BM_ShingleLoop/|BM_ShingleHashing/"
HASH_REPETITIONS = 5
HASH_MIN_TIME = "0.1"  # seconds per repetition; Google Benchmark 1.7.1 wants no "s" suffix
OTHER_FILTER = "BM_MinHash/|BM_Lsh[A-Za-z]*/[0-9]+$|BM_TextSignature|BM_TranslationPath"
OTHER_MIN_TIME = "0.2"

# Table order: the xxHash family, then the others as hash_functions.h lists them; a function
# not named here (added later) follows in the order the benchmark ran it.
HASH_ORDER = ("XXH3_64", "XXH64", "XXH32", "XXH128", "MurmurHash3_x64_128", "FarmHash64", "HighwayHash64",
              "SipHash-2-4", "SipHash-1-3", "wyhash")
KEY_SIZES = (4, 8, 16, 32, 64)
BUFFER_SIZES = ((65536, "64 KiB"), (1048576, "1 MiB"))
NEARDUP_SHINGLES = "BM_ShingleHashing/65536"
UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def run_bench(build_dir, out_path, bench_filter, min_time, extra=()):
    subprocess.run([os.path.join(build_dir, "bench", "neardup_bench"), "--benchmark_filter=" + bench_filter,
                    "--benchmark_min_time=" + min_time, "--benchmark_format=console",
                    "--benchmark_out_format=json", "--benchmark_out=" + out_path, *extra], check=True)
    with open(out_path) as f:
        return json.load(f)


def run(build_dir, out_dir):
    """Both runs of the suite, saved together as OUT_DIR/benchmark.json."""
    raw = os.path.join(out_dir, "benchmark.json")
    part = raw + ".part"
    hashes = run_bench(build_dir, part, HASH_FILTER, HASH_MIN_TIME,
                       (f"--benchmark_repetitions={HASH_REPETITIONS}", "--benchmark_report_aggregates_only=false",
                        "--benchmark_enable_random_interleaving=true"))
    others = run_bench(build_dir, part, OTHER_FILTER, OTHER_MIN_TIME)
    os.remove(part)
    merged = {"context": hashes["context"], "context_other_sections": others["context"],
              "benchmarks": hashes["benchmarks"] + others["benchmarks"]}
    with open(raw, "w") as f:
        json.dump(merged, f, indent=1)
    return merged


def command_output(args, cwd=None):
    try:
        return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def cmake_cache(build_dir):
    cache = {}
    try:
        with open(os.path.join(build_dir, "CMakeCache.txt")) as f:
            for line in f:
                m = re.match(r"([A-Za-z0-9_]+):[A-Z]+=(.*)$", line.rstrip("\n"))
                if m:
                    cache[m.group(1)] = m.group(2)
    except OSError:
        pass
    return cache


def machine_block(build_dir, context, seconds):
    """The header: CPU, compiler, flags, commit, date, the benchmark library's context."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    cache = cmake_cache(build_dir)
    compiler = cache.get("CMAKE_CXX_COMPILER", "c++")
    version = command_output([compiler, "--version"]).splitlines()
    build_type = cache.get("CMAKE_BUILD_TYPE", "")
    type_flags = cache.get(f"CMAKE_CXX_FLAGS_{build_type.upper()}", "") if build_type else ""
    compiled = ""
    try:
        with open(os.path.join(build_dir, "bench", "CMakeFiles", "neardup_bench.dir", "flags.make")) as f:
            compiled = next((line.split("=", 1)[1].strip() for line in f if line.startswith("CXX_FLAGS")), "")
    except OSError:
        pass
    source_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    commit = command_output(["git", "rev-parse", "--short", "HEAD"], cwd=source_dir) or "unknown"
    # The report's own files are rewritten by this run: they do not make the code uncommitted.
    if command_output(["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no", "--", ".",
                       ":(exclude)bench/report"], cwd=source_dir):
        commit += " + uncommitted changes"
    caches = ", ".join(f"L{c['level']}{'d' if c['type'] == 'Data' else 'i' if c['type'] == 'Instruction' else ''} "
                       f"{c['size'] // 1024} KiB" for c in context.get("caches", []))
    load = ", ".join(f"{x:.2f}" for x in context.get("load_avg", []))
    try:
        with open("/proc/loadavg") as f:
            load_end = ", ".join(f.read().split()[:3])
    except OSError:
        load_end = "?"
    return [
        f"- **CPU**: {cpu} (/proc/cpuinfo), {context.get('num_cpus', os.cpu_count())} CPUs at "
        f"{context.get('mhz_per_cpu', '?')} MHz as Google Benchmark reads it; caches {caches or 'not reported'}; "
        f"frequency scaling {'on' if context.get('cpu_scaling_enabled') else 'off'}",
        f"- **Compiler**: `{compiler}`"
        + (f" (→ `{os.path.realpath(compiler)}`)" if os.path.realpath(compiler) != compiler else "")
        + f": {version[0] if version else 'unknown'}",
        f"- **Flags**: CMAKE_BUILD_TYPE={build_type or '(none)'}, CMAKE_CXX_FLAGS=\"{cache.get('CMAKE_CXX_FLAGS', '')}\" "
        f"+ CMAKE_CXX_FLAGS_{build_type.upper() or '?'}=\"{type_flags}\"; neardup_bench compiled with `{compiled}`",
        f"- **Commit**: {commit}",
        f"- **Date**: {context.get('date', '?')}; host {context.get('host_name', '?')}",
        f"- **Benchmark library**: load average {load} at the start of the hash run, {load_end} at the end of the "
        f"report; library build type \"{context.get('library_build_type', '?')}\" (Debian's libbenchmark says "
        f"debug: that is the harness, the timed code is ours, built as above)",
        f"- **Runs**: hash benchmarks {HASH_REPETITIONS} repetitions of at least {HASH_MIN_TIME} s each, randomly "
        f"interleaved; the other sections one run of at least {OTHER_MIN_TIME} s; the whole report took "
        f"{seconds:.0f} s",
    ]


def repetition_stats(rows):
    """run_name -> (median, min, max) of wall-clock ns per iteration and of bytes/s on wall-clock time."""
    reps = {}
    for r in rows:
        if r.get("run_type", "iteration") != "iteration" or r.get("error_occurred"):
            continue
        ns = r["real_time"] * UNIT_NS[r.get("time_unit", "ns")]
        # bytes_per_second is on CPU time: bytes per iteration = rate × CPU seconds per iteration.
        cpu_s = r["cpu_time"] * UNIT_NS[r.get("time_unit", "ns")] * 1e-9
        rate = r["bytes_per_second"] * cpu_s / (ns * 1e-9) if "bytes_per_second" in r and ns > 0 else None
        reps.setdefault(r.get("run_name", r["name"]), []).append((ns, rate))
    stats = {}
    for name, values in reps.items():
        times = [v[0] for v in values]
        rates = [v[1] for v in values if v[1] is not None]
        stats[name] = {"ns": (statistics.median(times), min(times), max(times)), "n": len(values),
                       "rate": (statistics.median(rates), min(rates), max(rates)) if rates else None}
    return stats


def fmt_ns(t):
    digits = 2 if t[0] < 10 else 1
    return f"{t[0]:.{digits}f} ({t[1]:.{digits}f}–{t[2]:.{digits}f})"


def fmt_gbs(t):
    return f"{t[0] / 1e9:.2f} ({t[1] / 1e9:.2f}–{t[2] / 1e9:.2f})"


def fmt_mbs(t):
    return f"{t[0] / 1e6:.0f} ({t[1] / 1e6:.0f}–{t[2] / 1e6:.0f})"


def hash_functions_in(stats):
    found = []
    for name in stats:
        m = re.match(r"BM_(?:HashKey|HashBuffer|ShingleLoop)/([^/]+)", name)
        if m and m.group(1) not in found:
            found.append(m.group(1))
    return [f for f in HASH_ORDER if f in found] + [f for f in found if f not in HASH_ORDER]


def hash_section(stats):
    functions = hash_functions_in(stats)
    md = ["## Hash functions", ""]
    repetitions = max((s["n"] for s in stats.values()), default=0)
    loop = {f: stats[f"BM_ShingleLoop/{f}"]["rate"] for f in functions if f"BM_ShingleLoop/{f}" in stats}
    ours = stats.get(NEARDUP_SHINGLES, {}).get("rate")
    if ours and loop.get("XXH3_64"):
        ratio = ours[0] / loop["XXH3_64"][0]
        how = (f"{ratio:.2f}x the speed of XXH3 over each shingle's bytes in the same shingle loop"
               if ratio >= 1 else
               f"{ratio:.2f}x the speed of XXH3 over each shingle's bytes in the same shingle loop, which was "
               f"{1 / ratio:.2f}x faster")
        md += [f"In this run neardup's own shingle hashing (`ShingleHashes`: each token hashed once with XXH3, "
               f"shingle hashes combined from token hashes) ran at {how} ({ours[0] / 1e6:.0f} against "
               f"{loop['XXH3_64'][0] / 1e6:.0f} MB/s, medians of {repetitions} repetitions).", ""]
    fastest = []
    for label, name_of, key, best in (("8-byte keys", lambda f: f"BM_HashKey/{f}/8", "ns", min),
                                      ("1 MiB buffers", lambda f: f"BM_HashBuffer/{f}/1048576", "rate", max),
                                      ("the shingle loop", lambda f: f"BM_ShingleLoop/{f}", "rate", max)):
        have = [(stats[name_of(f)][key][0], f) for f in functions if name_of(f) in stats and stats[name_of(f)][key]]
        if have:
            fastest.append(f"{best(have)[1]} on {label}")
    if fastest:
        md += ["Fastest by median: " + "; ".join(fastest) + ".", ""]
    md += ["Each cell is the median of the repetitions with their minimum and maximum in parentheses, on wall-clock "
           "time. Short keys: nanoseconds per hash, 1 MiB of random keys of the size cycled, hashes independent of "
           "each other (throughput, not latency). Buffers: GB/s over one random buffer. Shingle loop: MB/s over 64 KiB "
           "of normalized seed text, the bytes of each word 5-shingle (first word to fifth, separators included) "
           "hashed and stored in text order. Every function is called the same way, through a function pointer to a "
           "wrapper in bench/hash_functions*.cc (the call is part of every figure); 128-bit results are folded to "
           "64 bits, 32-bit ones widened; HighwayHash and SipHash take the seed as a key word, HighwayHash through "
           "its C binding, which picks the best implementation for the CPU at run time.", "",
           "| function | ns/hash 4 B | 8 B | 16 B | 32 B | 64 B | GB/s 64 KiB | GB/s 1 MiB | shingle loop MB/s |",
           "|---|---|---|---|---|---|---|---|---|"]

    def cell(name, key, fmt):
        s = stats.get(name)
        return fmt(s[key]) if s and s[key] else "–"

    for f in functions:
        cells = [cell(f"BM_HashKey/{f}/{n}", "ns", fmt_ns) for n in KEY_SIZES]
        cells += [cell(f"BM_HashBuffer/{f}/{n}", "rate", fmt_gbs) for n, _ in BUFFER_SIZES]
        cells.append(cell(f"BM_ShingleLoop/{f}", "rate", fmt_mbs))
        md.append(f"| {f} | " + " | ".join(cells) + " |")
    if ours:
        md.append("| neardup `ShingleHashes` (token hashes combined) | – | – | – | – | – | – | – | "
                  f"{fmt_mbs(ours)} |")
    missing = [f for f in HASH_ORDER if f not in functions]
    if missing:
        md += ["", "Not compiled in (library not found at configure time): " + ", ".join(missing) + "."]
    return md, functions, loop, ours


def hash_plot(plt, stats, functions, loop, ours, path):
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.8), gridspec_kw={"width_ratios": [1.15, 1]})
    markers = "osD^vP*Xh<>p"
    key_times = [stats[f"BM_HashKey/{f}/{n}"]["ns"] for f in functions for n in KEY_SIZES
                 if f"BM_HashKey/{f}/{n}" in stats]
    low = min((t[1] for t in key_times), default=1)
    high = max((t[2] for t in key_times), default=100)
    repetitions = max((stats[name]["n"] for name in stats if name.startswith("BM_HashKey/")), default=0)
    colors = plt.get_cmap("tab10").colors
    for i, f in enumerate(functions):
        points = [(n, stats[f"BM_HashKey/{f}/{n}"]["ns"]) for n in KEY_SIZES if f"BM_HashKey/{f}/{n}" in stats]
        if not points:
            continue
        xs = [n * (1 + 0.012 * (i - (len(functions) - 1) / 2)) for n, _ in points]  # a small dodge per function
        med = [t[0] for _, t in points]
        err = [[t[0] - t[1] for _, t in points], [t[2] - t[0] for _, t in points]]
        left.errorbar(xs, med, yerr=err, marker=markers[i % len(markers)], color=colors[i % len(colors)],
                      capsize=3, markersize=5, linewidth=1.3, label=f)
    left.set_xscale("log", base=2)
    left.set_yscale("log")
    left.set_xticks(KEY_SIZES, [f"{n} B" for n in KEY_SIZES])
    ticks = [t for t in (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500) if low / 1.5 <= t <= high * 1.5]
    left.set_yticks(ticks, [str(t) for t in ticks])
    left.yaxis.set_minor_formatter(plt.NullFormatter())
    left.set(xlabel="key size", ylabel="ns per hash (median, bars: min–max)", title="Short keys: time per hash")
    left.grid(alpha=0.3, which="both")
    left.legend(fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.12))

    names = [f for f in functions if f in loop] + (["neardup ShingleHashes"] if ours else [])
    values = [loop[f] for f in functions if f in loop] + ([ours] if ours else [])
    med = [v[0] / 1e6 for v in values]
    err = [[(v[0] - v[1]) / 1e6 for v in values], [(v[2] - v[0]) / 1e6 for v in values]]
    bar_colors = [colors[functions.index(f) % len(colors)] if f in functions else "black" for f in names]
    ys = range(len(names))
    right.barh(ys, med, xerr=err, color=bar_colors, alpha=0.85, capsize=3)
    for y, m, v in zip(ys, med, values):
        right.text(v[2] / 1e6, y, f"  {m:.0f}", va="center", ha="left", fontsize=8)
    right.set_yticks(list(ys), names, fontsize=9)
    right.invert_yaxis()
    right.set_xlim(0, max(v[2] for v in values) / 1e6 * 1.15 if values else 1)
    right.set(xlabel="MB/s over the text (median, bars: min–max)",
              title="Word 5-shingles of 64 KiB normalized text")
    right.grid(alpha=0.3, axis="x")
    fig.suptitle(f"Hash functions: medians of {repetitions} repetitions, bars from their minimum to their maximum",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    build_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    start = time.monotonic()
    result = run(build_dir, out_dir)
    seconds = time.monotonic() - start
    rows = result["benchmarks"]
    stats = repetition_stats(rows)
    by_name = {r["name"]: r for r in rows if r.get("run_type", "iteration") == "iteration"}
    md = ["# neardup benchmark report", "",
          "One run of `bench/report.py` on this machine. Throughputs are comparable within the report.", ""]
    md += machine_block(build_dir, result["context"], seconds) + [""]
    hash_md, functions, loop, ours = hash_section(stats)
    md += hash_md
    hash_plot_at = len(md)

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
        if functions:
            hash_plot(plt, stats, functions, loop, ours, os.path.join(out_dir, "hashes.png"))
            md[hash_plot_at:hash_plot_at] = ["", "![short-key ns/hash against key size, shingle-loop MB/s](hashes.png)"]
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
        md += ["", "(matplotlib not installed: no plots; `apt-get install python3-matplotlib`)"]

    with open(os.path.join(out_dir, "REPORT.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("wrote", os.path.join(out_dir, "REPORT.md"), f"({seconds:.0f} s of benchmarks)")


def human_bytes(x):
    return f"{x / 1e9:.2f} GB/s" if x >= 1e9 else f"{x / 1e6:.1f} MB/s"


if __name__ == "__main__":
    main()
