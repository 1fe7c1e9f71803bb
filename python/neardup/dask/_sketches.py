"""Fingerprints on the workers, and what the text and translation paths share: rows moved to
the documents they name, band entries shuffled by key, the pairs a bucket scan makes."""

from dask.dataframe.shuffle import rearrange_by_column
import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from neardup import _neardup


_TEXT_COLUMNS = {"t": "int64", "id": "object", "kept": "object", "set_size": "int64", "sample": "object",
                 "filter": "object"}
_TRANSLATION_COLUMNS = {"lang": "object", "profile": "object", "tkept": "object", "tsize": "int64",
                        "keys": "object", "tails": "object"}


def _pipeline(options):
    # Every task of the package makes one, on the worker that runs it: Dask starts workers with
    # a malloc setting that made this package 2.6x slower (binding/allocator.cc).
    _neardup._worker_allocator()
    return _neardup._Pipeline(**options)


def _empty(columns):
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def _columns(pipeline):
    return dict(_TEXT_COLUMNS, **(_TRANSLATION_COLUMNS if pipeline.translations else {}), part="int64")


def _field(record, key):
    return record.get(key) if isinstance(record, dict) else None


def _lang(record):
    """A record's language tag; a dataframe's missing value (NaN, pd.NA) is no tag, as None is."""
    lang = _field(record, "lang")
    return None if lang is pd.NA or (isinstance(lang, float) and lang != lang) else lang


def _sketch_partition(records, partition, options):
    """The fingerprints of one input partition's documents (t holding the row for now, part
    the partition), and the rows that could not be added, as (row, where, id, reason): a
    record of read_jsonl's that is an error ({"error", "where"}), or a document the
    Deduplicator would refuse (its id, text or lang not a str, or a str without UTF-8, an id
    over the library's limit, bad UTF-8, no words...). `where` is the record's "where" (file:line
    from read_jsonl), or None. Nothing here raises for a bad record: it is named instead."""
    pipeline = _pipeline(options)
    records = list(records)
    wheres = [_field(r, "where") for r in records]
    usable = [i for i, r in enumerate(records) if isinstance(r, dict) and r.get("error") is None]
    results = pipeline.sketch([_field(records[i], "id") for i in usable], [_field(records[i], "text") for i in usable],
                              [_lang(records[i]) for i in usable])
    rows, errors = [], []
    for row, record in enumerate(records):
        if not isinstance(record, dict):
            errors.append((row, None, None, "a document is a mapping with 'id' and 'text', not %s" %
                           type(record).__name__))
        elif record.get("error") is not None:
            errors.append((row, wheres[row], record.get("id"), record["error"]))
    for row, result in zip(usable, results):
        doc_id = _field(records[row], "id")
        if isinstance(doc_id, bytes) and not isinstance(result, str):
            doc_id = doc_id.decode()  # checked by sketch: the str it encodes, as Deduplicator.add takes it
        if isinstance(result, str):
            errors.append((row, wheres[row], doc_id, result))
        else:
            rows.append((row, doc_id) + tuple(result) + (partition, wheres[row]))
    columns = dict(_columns(pipeline), where="object")
    frame = pd.DataFrame(rows, columns=list(columns)) if rows else _empty(columns)
    return frame, sorted(errors, key=lambda e: e[0])


def _number(frame, repeated, offsets, partition_info=None):
    """Drops the repeated ids of this partition and gives each document its time: 1 + how
    many documents were added before it."""
    i = partition_info["number"] if partition_info else 0
    frame = frame[~frame["t"].isin(repeated.get(i, ()))].copy()
    frame["t"] = np.arange(offsets[i] + 1, offsets[i] + 1 + len(frame), dtype=np.int64)
    return frame


# --- Moving rows to the documents they name ------------------------------------------------
#
# Documents stay where they were fingerprinted: partition i holds consecutive times, from
# starts[i]. Candidate pairs, questions and answers move to the partition of the document
# whose data they need (a range shuffle of small rows), and are joined there by position.

class _Layout:
    def __init__(self, starts):
        self.starts = np.asarray(starts, dtype=np.int64)

    @property
    def npartitions(self):
        return len(self.starts)

    def move(self, frame, column):
        """The rows of `frame`, partition i holding those whose `column` is a time of i."""
        starts = self.starts

        def destination(f):
            return pd.Series(np.searchsorted(starts, f[column].to_numpy(np.int64), side="right") - 1, index=f.index,
                             dtype="int64")

        marked = frame.assign(_partitions=frame.map_partitions(destination, meta=("_partitions", "int64")))
        moved = rearrange_by_column(marked, "_partitions", npartitions=self.npartitions, shuffle="tasks",
                                    ignore_index=True)
        return moved.drop(columns="_partitions")

    def blocks(self, func, pairs, column, frame, meta, args=()):
        """At each partition j of `pairs` (rows at their j side): func(the rows whose `column`
        is a time of partition i, partition i of `frame`, partition j of `frame`, *args) for
        every i <= j, concatenated. Each partition of `frame` travels once to a worker that
        needs it, instead of a row of it travelling with every pair."""
        starts, frames = self.starts, frame.to_delayed(optimize_graph=False)
        empty = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in meta.items()})

        def split(rows, count):
            part = np.searchsorted(starts, rows[column].to_numpy(np.int64), side="right") - 1
            return tuple(rows[part == i] for i in range(count))

        def concat(pieces):
            return pd.concat([empty] + list(pieces), ignore_index=True)

        out = []
        for j, rows in enumerate(pairs.to_delayed(optimize_graph=False)):
            pieces = dask.delayed(split, nout=j + 1)(rows, j + 1)
            out.append(dask.delayed(concat)([dask.delayed(func)(pieces[i], frames[i], frames[j], *args)
                                             for i in range(j + 1)]))
        return dd.from_delayed(out, meta=meta, verify_meta=False)

    @staticmethod
    def local(func, *frames, meta, args=()):
        """func(partition i of each frame..., *args) for every i: frames moved to one layout."""
        return dd.map_partitions(func, *frames, *args, meta=meta, align_dataframes=False)


def _at(docs, t):
    """Positions in a documents partition of the documents of times `t` (all in it)."""
    return t - (docs["t"].iat[0] if len(docs) else 0)


def _band_entries(frame, options, kept="kept", translation=False):
    """(bucket, t, query) for every band of every document: bucket = band << 32 | key; query
    says whether the document asks the index (every document does in the text index)."""
    if translation:
        frame = frame[frame["tsize"] > 0]  # an empty set is never indexed
    if len(frame) == 0:
        return _empty({"bucket": "int64", "t": "int64", "query": "bool"})
    keys = _pipeline(options).band_keys(list(frame[kept]), translation)  # (n, bands) uint32
    n, bands = keys.shape
    bucket = (np.arange(bands, dtype=np.int64)[None, :] << 32) | keys.astype(np.int64)
    query = frame["lang"].to_numpy() != 0 if translation else np.ones(n, dtype=bool)
    return pd.DataFrame({"bucket": bucket.reshape(-1), "t": np.repeat(frame["t"].to_numpy(np.int64), bands),
                         "query": np.repeat(query, bands)})


def _bucket_candidates(entries, scan):
    """Per bucket: each querying member b with the `scan` members before it (0 = all), as
    pairs (a, b), each once: what the index scans, newest first, when b comes."""
    bucket, t = entries["bucket"].to_numpy(np.int64), entries["t"].to_numpy(np.int64)
    order = np.lexsort((t, bucket))
    at_a, at_b = _scanned(bucket[order], entries["query"].to_numpy(bool)[order], scan)
    t = t[order]
    return _distinct(pd.DataFrame({"a": t[at_a], "b": t[at_b]}))


def _scanned(bucket, query, scan):
    """For entries sorted by (bucket, time): the positions (at_a, at_b) of every pair of a
    querying member b and one of the `scan` members before it in its bucket (0 = all)."""
    n = len(bucket)
    # Each member's rank in its bucket: how many members came before it.
    first = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]]) if n else np.empty(0, dtype=np.int64)
    rank = np.arange(n, dtype=np.int64) - np.repeat(first, np.diff(np.r_[first, n]))
    scanned = np.where(query, rank if scan == 0 else np.minimum(rank, scan), 0)
    at_b = np.repeat(np.arange(n, dtype=np.int64), scanned)
    # The k-th pair of b pairs it with the member k + 1 places before it.
    distance = np.arange(len(at_b), dtype=np.int64) - np.repeat(np.cumsum(scanned) - scanned, scanned) + 1
    return at_b - distance, at_b


def _distinct(pairs):
    """The pairs (a, b) of `pairs`, each once (ordered by a, b): through one int64 code, times
    being below 2^32."""
    code = np.unique((pairs["a"].to_numpy(np.int64) << 32) | pairs["b"].to_numpy(np.int64))
    return pd.DataFrame({"a": code >> 32, "b": code & 0xFFFFFFFF})


def _candidate_pairs(frame, layout, options, scan, kept="kept", translation=False):
    """Band-sharing pairs (a, b), each once, at b's partition."""
    entries = frame.map_partitions(_band_entries, options, kept, translation,
                                   meta={"bucket": "int64", "t": "int64", "query": "bool"})
    pairs = entries.shuffle("bucket").map_partitions(_bucket_candidates, scan, meta={"a": "int64", "b": "int64"})
    # A pair sharing several bands comes from several buckets: at b, all its copies meet.
    return layout.move(pairs, "b").map_partitions(_distinct, meta={"a": "int64", "b": "int64"})


def _with(frame, docs, side, columns):
    """`frame` (at `side`'s partition) with `columns` of its `side` document, suffixed."""
    at = _at(docs, frame[side].to_numpy(np.int64))
    return frame.assign(**{c + "_" + side: docs[c].to_numpy()[at] for c in columns})


def _unpack(blobs, dtype):
    """The arrays in `blobs` (bytes), concatenated, and each one's length."""
    arrays = [np.frombuffer(b, dtype=dtype) for b in blobs]
    lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=len(arrays))
    return (np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)), lengths
