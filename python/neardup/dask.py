"""Near-duplicate detection on Dask: the pairs `neardup dedup --no-translations` finds, computed
partition by partition on a cluster, whatever the partitioning or the number of workers.

    import neardup.dask
    docs = neardup.dask.read_jsonl(["corpus.jsonl"], "16MiB")   # a bag of {"id", "text", "lang"}
    pairs = neardup.dask.dedup(docs)          # [{"id_a", "id_b", "kind", "score", ...}, ...]

    python3 -m neardup.dask dedup --workers 2 --no-translations corpus.jsonl

How (the Deduplicator's text path, taken apart so that no worker holds more than its share):
  1. Each partition fingerprints its documents (kept 32-bit signature values and set sizes)
     and their band keys in the text index, on the workers. A document's place in the input
     (partition, then row) is its sequence number: the order `neardup dedup` adds it in.
  2. Band entries are shuffled by (band, key). In each bucket, a document's candidates are
     the max_bucket_scan members just before it: those the Deduplicator's index would scan
     when the document came (buckets are read newest first).
  3. Candidate pairs are joined with their two signatures (shuffles by each side) and judged
     where they land, by the library's own text verdict.
  4. The links, which are the output, are ordered as `neardup dedup` prints them: by the later
     document, near before contained, best first, then the earlier document.
So the pairs do not depend on the partitioning, and memory per worker follows the partition
size. Translations are not distributed yet: dedup() refuses translations=True.
"""
import argparse
import json
import os
import sys

import dask
import dask.bag as db
import dask.dataframe as dd
import numpy as np
import pandas as pd

from neardup import _neardup

# Near before contained, as the Deduplicator orders a new document's matches.
_KIND_ORDER = {"near": 0, "contained": 1}
# A sequence number: partition index in the high bits, row in the low (rows < 2^32).
_ROW_BITS = 32


def _pipeline(options):
    return _neardup._TextPipeline(**options)


def _sketch_partition(records, partition, options):
    """(seq, id, kept, set_size) for the documents of one partition, and its errors."""
    pipeline = _pipeline(options)
    records = list(records)
    results = pipeline.sketch([r["text"] for r in records])
    rows, errors = [], []
    for row, (record, result) in enumerate(zip(records, results)):
        seq = (partition << _ROW_BITS) | row
        if isinstance(result, str):
            errors.append((seq, record["id"], result))
        else:
            rows.append((seq, record["id"], result[0], result[1]))
    return pd.DataFrame(rows, columns=["seq", "id", "kept", "set_size"]), errors


def _band_entries(sketches, options):
    """(bucket, seq) for every band of every document: bucket = band << 32 | key."""
    keys = _pipeline(options).band_keys(list(sketches["kept"]))  # (n, bands) uint32
    n, bands = keys.shape
    bucket = (np.arange(bands, dtype=np.int64)[None, :] << 32) | keys.astype(np.int64)
    return pd.DataFrame({"bucket": bucket.reshape(-1), "seq": np.repeat(sketches["seq"].to_numpy(np.int64), bands)})


def _bucket_candidates(entries, scan):
    """Per bucket: each member with the `scan` members before it (0 = all), as pairs (a, b)
    with a earlier: what the index scans, newest first, when b is added."""
    e = entries.sort_values(["bucket", "seq"], kind="stable").reset_index(drop=True)
    bucket, seq = e["bucket"].to_numpy(), e["seq"].to_numpy()
    a, b = [], []
    distance = 1
    while distance < len(e) and (scan == 0 or distance <= scan):
        same = bucket[distance:] == bucket[:-distance]
        if not same.any():
            break  # no bucket has more than `distance` members
        a.append(seq[:-distance][same])
        b.append(seq[distance:][same])
        distance += 1
    if not a:
        return pd.DataFrame({"a": pd.Series(dtype="int64"), "b": pd.Series(dtype="int64")})
    return pd.DataFrame({"a": np.concatenate(a), "b": np.concatenate(b)})


def _judge(pairs, options):
    pipeline = _pipeline(options)
    rows = []
    for a, b, kept_a, size_a, kept_b, size_b in zip(pairs["a"], pairs["b"], pairs["kept_a"], pairs["set_size_a"],
                                                     pairs["kept_b"], pairs["set_size_b"]):
        # The new document (b) against the earlier one (a), as Deduplicator::Add judges.
        linked, kind, score, jaccard, containment = pipeline.judge(kept_b, size_b, kept_a, size_a)
        if linked:
            rows.append((a, b, kind, score, jaccard, containment))
    return pd.DataFrame(rows, columns=["a", "b", "kind", "score", "jaccard", "containment"])


def _as_bag(data):
    if isinstance(data, dd.DataFrame):
        return data.to_bag(format="dict")
    return data


def dedup_links(data, *, threshold=None, num_perm=None, containment_threshold=None, seed=None, max_bytes=None,
                translations=False):
    """The links among `data` (a dask bag of {"id", "text"[, "lang"]} or a dask dataframe with
    those columns) as a pandas DataFrame (id_a, id_b, kind, score, jaccard, containment), in
    the order `neardup dedup` prints them, with the documents that could not be added as a
    list of (id, reason). Options as neardup.Deduplicator's."""
    if translations:
        raise NotImplementedError("translations are not distributed yet: pass translations=False "
                                  "(neardup dedup --no-translations)")
    options = {k: v for k, v in dict(threshold=threshold, num_perm=num_perm, containment_threshold=containment_threshold,
                                     seed=seed, max_bytes=max_bytes).items() if v is not None}
    pipeline = _pipeline(options)  # checks the options here, before any work is sent
    bag = _as_bag(data)
    parts = [dask.delayed(_sketch_partition)(p, i, options) for i, p in enumerate(bag.to_delayed())]
    meta = pd.DataFrame({"seq": pd.Series(dtype="int64"), "id": pd.Series(dtype="object"),
                         "kept": pd.Series(dtype="object"), "set_size": pd.Series(dtype="int64")})
    sketches = dd.from_delayed([dask.delayed(lambda r: r[0])(p) for p in parts], meta=meta)
    errors = dask.delayed(lambda *e: [x for part in e for x in part])(*[dask.delayed(lambda r: r[1])(p) for p in parts])

    # A repeated id: the first is added, the others refused, as the Deduplicator does.
    first = sketches[["id", "seq"]].groupby("id")["seq"].min().to_frame("first").reset_index()
    marked = sketches.merge(first, on="id")
    repeated = marked[marked["seq"] != marked["first"]][["seq", "id"]]
    sketches = marked[marked["seq"] == marked["first"]].drop(columns="first")

    entries = sketches.map_partitions(_band_entries, options, meta={"bucket": "int64", "seq": "int64"})
    entries = entries.shuffle("bucket")
    candidates = entries.map_partitions(_bucket_candidates, pipeline.max_bucket_scan, meta={"a": "int64", "b": "int64"})
    candidates = candidates.drop_duplicates()
    side = sketches[["seq", "kept", "set_size"]]
    pairs = candidates.merge(side.rename(columns={"seq": "a", "kept": "kept_a", "set_size": "set_size_a"}), on="a")
    pairs = pairs.merge(side.rename(columns={"seq": "b", "kept": "kept_b", "set_size": "set_size_b"}), on="b")
    links = pairs.map_partitions(_judge, options, meta={"a": "int64", "b": "int64", "kind": "object",
                                                         "score": "float64", "jaccard": "float64",
                                                         "containment": "float64"})
    ids = sketches[["seq", "id"]]
    links = links.merge(ids.rename(columns={"seq": "a", "id": "id_a"}), on="a")
    links = links.merge(ids.rename(columns={"seq": "b", "id": "id_b"}), on="b")
    links, errors, repeated = dask.compute(links, errors, repeated)
    links["kind_order"] = links["kind"].map(_KIND_ORDER)
    links = links.sort_values(["b", "kind_order", "score", "a"], ascending=[True, True, False, True], kind="stable")
    out = pd.DataFrame({"id_a": links["id_a"], "id_b": links["id_b"], "kind": links["kind"], "score": links["score"],
                        "jaccard": links["jaccard"], "containment": links["containment"], "seq_a": links["a"],
                        "seq_b": links["b"]}).reset_index(drop=True)
    problems = [(i, reason) for _, i, reason in sorted(errors)]
    problems += [(i, "document id '%s' was added before" % i) for _, i in sorted(zip(repeated["seq"], repeated["id"]))]
    return out, problems


def dedup(data, **options):
    """The pairs `neardup dedup --no-translations` reports for `data`, as dicts {id_a, id_b,
    kind, score, jaccard, containment}, in its order. See dedup_links for the arguments."""
    links, _ = dedup_links(data, **options)
    return [{"id_a": r.id_a, "id_b": r.id_b, "kind": r.kind, "score": r.score, "jaccard": r.jaccard,
             "containment": r.containment} for r in links.itertuples()]


def clusters(links):
    """Connected components of dedup_links' links, as `neardup dedup --clusters` gives them:
    groups of two or more, members in input order, ordered by their first member."""
    parent = {}

    def find(x):
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    names = {}
    for a, b, ida, idb in zip(links["seq_a"], links["seq_b"], links["id_a"], links["id_b"]):
        names[a], names[b] = ida, idb
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for seq in sorted(names):
        groups.setdefault(find(seq), []).append(names[seq])
    return [{"canonical": members[0], "members": members} for _, members in sorted(groups.items())]


# --- The command: the lines `neardup dedup` prints ------------------------------------------

def _four_decimals(x):
    """As the command prints a score (cli/output.cc): llround(min(1, x) * 10^4)."""
    scaled = int(min(1.0, max(0.0, x)) * 10000.0 + 0.5)
    return "%d.%04d" % (scaled // 10000, scaled % 10000)


def _json_quote(s):
    """As cli/output.cc's JsonQuote: only quote, backslash and control characters escaped."""
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20:
            out.append("\\u00%02x" % ord(c))
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def _tsv_field(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0")


def format_pair(pair, fmt):
    if fmt == "tsv":
        return "%s\t%s\t%s\t%s" % (_tsv_field(pair["id_a"]), _tsv_field(pair["id_b"]), _four_decimals(pair["score"]),
                                   pair["kind"])
    return '{"id_a":%s,"id_b":%s,"score":%s,"kind":"%s","jaccard":%s,"containment":%s}' % (
        _json_quote(pair["id_a"]), _json_quote(pair["id_b"]), _four_decimals(pair["score"]), pair["kind"],
        _four_decimals(pair["jaccard"]), _four_decimals(pair["containment"]))


def format_cluster(number, cluster, fmt):
    if fmt == "tsv":
        return "\n".join("%d\t%s" % (number, _tsv_field(m)) for m in cluster["members"])
    return '{"cluster":%d,"canonical":%s,"members":[%s]}' % (
        number, _json_quote(cluster["canonical"]), ",".join(_json_quote(m) for m in cluster["members"]))


def _parse_line(line):
    """A JSON line (bytes) as {"id", "text", "lang"}, or {"error": reason}; None for a blank
    line. Invalid UTF-8 is an error, as in the command, never replaced."""
    if not line.strip():
        return None
    try:
        d = json.loads(line)
    except UnicodeDecodeError:
        return {"error": "invalid UTF-8"}
    except ValueError as e:
        return {"error": "invalid JSON (%s)" % e}
    if not isinstance(d, dict) or not isinstance(d.get("id"), str) or not isinstance(d.get("text"), str):
        return {"error": "not a JSON object with string 'id' and 'text'"}
    return {"id": d["id"], "text": d["text"], "lang": d.get("lang") or ""}


def _read_block(path, start, end):
    """The documents of the lines that start in [start, end) of `path`."""
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    return [d for d in map(_parse_line, data.split(b"\n")) if d is not None]


def _line_starts(path, blocksize):
    """Offsets that cut `path` into blocks of about `blocksize` bytes, each at a line start."""
    size = os.path.getsize(path)
    cuts = [0]
    with open(path, "rb") as f:
        while cuts[-1] + blocksize < size:
            f.seek(cuts[-1] + blocksize)
            f.readline()  # to the end of the line the cut fell in
            if f.tell() >= size:
                break
            cuts.append(f.tell())
    return cuts + [size]


def read_jsonl(paths, blocksize):
    """A bag of {"id", "text", "lang"} from JSON Lines files, in file and line order, a
    partition per block of about `blocksize` bytes; a line that is not a document becomes
    {"error": reason}. (dask.bag.read_text splits lines in Python at about 20 MB/s, slower
    than fingerprinting them.)"""
    blocksize = dask.utils.parse_bytes(blocksize) if isinstance(blocksize, str) else int(blocksize)
    parts = []
    for path in paths:
        cuts = _line_starts(path, blocksize)
        parts += [dask.delayed(_read_block)(path, a, b) for a, b in zip(cuts, cuts[1:])]
    return db.from_delayed(parts)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m neardup.dask", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dedup", help="report near-duplicate pairs (or clusters) among JSON Lines inputs")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--workers", type=int, default=0, help="start a local cluster of N workers (default: one per core)")
    p.add_argument("--format", choices=["jsonl", "tsv"], default="jsonl")
    p.add_argument("--clusters", action="store_true")
    p.add_argument("--no-translations", action="store_true", help="near and contained copies only (required for now)")
    p.add_argument("--threshold", type=float)
    p.add_argument("--containment-threshold", type=float)
    p.add_argument("--num-perm", type=int)
    p.add_argument("--max-bytes", type=int)
    p.add_argument("--blocksize", default="16MiB", help="bytes of input per partition")
    p.add_argument("inputs", nargs="+")
    args = parser.parse_args(argv)
    if not args.no_translations:
        print("neardup.dask: translations are not distributed yet; pass --no-translations", file=sys.stderr)
        return 2
    from distributed import Client, LocalCluster
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers or None, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        bag = read_jsonl(args.inputs, args.blocksize)
        bad = bag.filter(lambda d: "error" in d).count().compute()
        docs = bag.filter(lambda d: "error" not in d)
        links, problems = dedup_links(docs, threshold=args.threshold, containment_threshold=args.containment_threshold,
                                      num_perm=args.num_perm, max_bytes=args.max_bytes)
    finally:
        client.close()
    for doc_id, reason in problems:
        print("neardup.dask: %s: %s" % (doc_id, reason), file=sys.stderr)
    if bad:
        print("neardup.dask: %d input lines are not documents" % bad, file=sys.stderr)
    out = sys.stdout
    if args.clusters:
        for number, c in enumerate(clusters(links), 1):
            out.write(format_cluster(number, c, args.format) + "\n")
    else:
        for r in links.itertuples():
            out.write(format_pair(r._asdict(), args.format) + "\n")
    return 1 if problems or bad else 0


if __name__ == "__main__":
    sys.exit(main())
