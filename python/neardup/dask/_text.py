"""The text path: the band and sample keys of every document in one shuffle by key, the
candidate pairs each key partition makes, and blocks of partition pairs judged by the
library's text verdict. Rows travel as numpy arrays, never as frames: pandas' shuffles of the
10M copies of posting pairs were most of the path's time."""

from collections import namedtuple

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from neardup.dask._sketches import _empty, _pipeline, _scanned, _unpack

_LOW = 0xFFFFFFFF  # a pair is one int64 code, a << 32 | b: times are below 2^32

_LINK_COLUMNS = {"a": "int64", "b": "int64", "kind": "object", "score": "float64", "jaccard": "float64",
                 "containment": "float64", "a_is_smaller": "bool", "id_a": "object", "id_b": "object"}

# A documents partition as the verdict reads it, made once and shipped once to each worker
# that judges a block with it: kept values (n x num_perm uint32), set sizes, shingle filters
# (concatenated, cut at n + 1 offsets), how many sample keys each has, and ids.
_Side = namedtuple("_Side", "start kept sizes filters offsets samples ids")


def _side(frame, num_perm):
    n = len(frame)
    lengths = frame["filter"].map(len).to_numpy(np.int64)
    return _Side(int(frame["t"].iat[0]) if n else 0,
                 np.frombuffer(b"".join(frame["kept"]), dtype="<u4").reshape(n, num_perm),
                 frame["set_size"].to_numpy(np.uint64), b"".join(frame["filter"]),
                 np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                 frame["sample"].map(len).to_numpy(np.int64) // 4, frame["id"].to_numpy(object))


def _hashed(keys, count):
    """The key partition of each key: its top bits after a multiplicative hash."""
    return (((keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(33)) % np.uint64(count)).astype(np.int64)


def _split(values, destination, count):
    """`values` (arrays of one length) cut by destination, in count pieces, each keeping
    their order."""
    order = np.argsort(destination, kind="stable")
    cuts = np.searchsorted(destination[order], np.arange(count + 1))
    sorted_values = [v[order] for v in values]
    return tuple(tuple(v[cuts[k]:cuts[k + 1]] for v in sorted_values) for k in range(count))


def _keys(frame, options, count):
    """A documents partition's (bucket, t) of every text band (bucket = band << 32 | key) and
    (key, t) of every sample key, in `count` pieces by key partition."""
    pipeline = _pipeline(options)
    t = frame["t"].to_numpy(np.int64)
    if len(frame):
        keys = pipeline.band_keys(list(frame["kept"]))  # (n, bands) uint32
        bands = keys.shape[1]
        bucket = ((np.arange(bands, dtype=np.int64)[None, :] << 32) | keys.astype(np.int64)).reshape(-1)
        band_t = np.repeat(t, bands)
    else:
        bucket = band_t = np.empty(0, dtype=np.int64)
    if pipeline.uses_sketches:
        sample, lengths = _unpack(frame["sample"], np.uint32)
        sample, sample_t = sample.astype(np.int64), np.repeat(t, lengths)
    else:
        sample = sample_t = np.empty(0, dtype=np.int64)
    bands = _split((bucket, band_t), _hashed(bucket, count), count)
    samples = _split((sample, sample_t), _hashed(sample, count), count)
    return tuple(bands[k] + samples[k] for k in range(count))


def _key_pairs(pieces, starts, band_scan, sample_scan):
    """In one key partition: each band pair (a, b) once, and each pair of sample holders with
    the number of keys of this partition it shares (the newest sample_scan holders of a key,
    as the posting table reads them), in pieces by b's partition."""
    bucket, band_t, sample, sample_t = (np.concatenate([p[k] for p in pieces]) for k in range(4))
    # Pieces come in time order, so a stable sort by key leaves each key's holders in time order.
    order = np.argsort(bucket, kind="stable")
    bucket, band_t = bucket[order], band_t[order]
    at_a, at_b = _scanned(bucket, np.ones(len(bucket), dtype=bool), band_scan)
    band = np.unique((band_t[at_a] << 32) | band_t[at_b])
    order = np.argsort(sample, kind="stable")
    sample, sample_t = sample[order], sample_t[order]
    at_a, at_b = _scanned(sample, np.ones(len(sample), dtype=bool), sample_scan)
    shared_code, shared = np.unique((sample_t[at_a] << 32) | sample_t[at_b], return_counts=True)
    bands = _split((band,), _partition(starts, band & _LOW), len(starts))
    samples = _split((shared_code, shared), _partition(starts, shared_code & _LOW), len(starts))
    return tuple(bands[j] + samples[j] for j in range(len(starts)))


def _partition(starts, t):
    return np.searchsorted(starts, t, side="right") - 1


def _at_b(pieces, starts, j):
    """At b's partition j: each band pair once and each sample pair with its keys shared, summed
    over the key partitions, in pieces by a's partition (0 to j)."""
    band = np.unique(np.concatenate([p[0] for p in pieces]))
    code, shared = np.concatenate([p[1] for p in pieces]), np.concatenate([p[2] for p in pieces])
    order = np.argsort(code, kind="stable")
    code, shared = code[order], shared[order]
    first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.empty(0, dtype=np.int64)
    code, shared = code[first], (np.add.reduceat(shared, first) if len(first) else shared[first])
    bands = _split((band,), _partition(starts, band >> 32), j + 1)
    samples = _split((code, shared), _partition(starts, code >> 32), j + 1)
    return tuple(bands[i] + samples[i] for i in range(j + 1))


def _judge_block(piece, side_a, side_b, options):
    """The links of a block: pairs with a in one partition (side_a) and b in another (side_b),
    the band pairs and those sharing enough sample keys, as Deduplicator::Add judges new
    document b against a."""
    band, code, shared = piece
    pipeline = _pipeline(options)
    if len(code):
        enough = pipeline.shares_enough_sample(shared.astype(np.int64), side_a.samples[(code >> 32) - side_a.start],
                                               side_b.samples[(code & _LOW) - side_b.start])
        # A pair found both ways is judged once, as the index visits it once.
        band = np.union1d(band, code[enough])
    at_a, at_b = (band >> 32) - side_a.start, (band & _LOW) - side_b.start
    linked, kinds, score, jaccard, containment, a_is_smaller = pipeline.judge_block(
        at_a, at_b, side_a.kept, side_a.sizes, side_a.filters, side_a.offsets, side_b.kept, side_b.sizes,
        side_b.filters, side_b.offsets)
    at_a, at_b = at_a[linked], at_b[linked]
    return pd.DataFrame({"a": at_a + side_a.start, "b": at_b + side_b.start, "kind": pd.Series(kinds, dtype=object),
                         "score": score, "jaccard": jaccard, "containment": containment, "a_is_smaller": a_is_smaller,
                         "id_a": side_a.ids[at_a], "id_b": side_b.ids[at_b]})


def _concat(frames):
    return pd.concat([_empty(_LINK_COLUMNS)] + list(frames), ignore_index=True)


def _text_links(docs, layout, options, pipeline):
    """The text links (a, b, kind, score, jaccard, containment, a_is_smaller, id_a, id_b).
    Three steps of tasks: keys by key partition, pairs by b's partition, and at each b's
    partition j one block (i, j) for every i <= j, given the two partitions' sides."""
    parts = docs.to_delayed(optimize_graph=False)
    count, starts = len(parts), layout.starts
    sides = [dask.delayed(_side)(p, pipeline.num_perm) for p in parts]
    keys = [dask.delayed(_keys, nout=count)(p, options, count) for p in parts]
    pairs = [dask.delayed(_key_pairs, nout=count)([k[h] for k in keys], starts, pipeline.max_bucket_scan,
                                                  pipeline.posting_scan) for h in range(count)]
    out = []
    for j in range(count):
        blocks = dask.delayed(_at_b, nout=j + 1)([p[j] for p in pairs], starts, j)
        out.append(dask.delayed(_concat)([dask.delayed(_judge_block)(blocks[i], sides[i], sides[j], options)
                                          for i in range(j + 1)]))
    return dd.from_delayed(out, meta=_empty(_LINK_COLUMNS), verify_meta=False)
