"""Fingerprints on the workers, and the text path: band entries shuffled by key, candidate pairs,
the library's text verdict on each."""

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


def _bucket_candidates(entries, scan, distinct=True, carry=None):
    """Per bucket: each querying member b with the `scan` members before it (0 = all), as
    pairs (a, b): what the index scans, newest first, when b comes. Unless `distinct`, a pair
    comes once for each bucket it shares. `carry` names an entries column to give each pair
    a's value of, as column `carry`."""
    bucket, t = entries["bucket"].to_numpy(np.int64), entries["t"].to_numpy(np.int64)
    order = np.lexsort((t, bucket))
    bucket, t, query = bucket[order], t[order], entries["query"].to_numpy(bool)[order]
    n = len(t)
    # Each member's rank in its bucket: how many members came before it.
    first = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]]) if n else np.empty(0, dtype=np.int64)
    rank = np.arange(n, dtype=np.int64) - np.repeat(first, np.diff(np.r_[first, n]))
    scanned = np.where(query, rank if scan == 0 else np.minimum(rank, scan), 0)
    at_b = np.repeat(np.arange(n, dtype=np.int64), scanned)
    # The k-th pair of b pairs it with the member k + 1 places before it.
    distance = np.arange(len(at_b), dtype=np.int64) - np.repeat(np.cumsum(scanned) - scanned, scanned) + 1
    at_a = at_b - distance
    pairs = pd.DataFrame({"a": t[at_a], "b": t[at_b]})
    if carry is not None:
        pairs[carry] = entries[carry].to_numpy()[order][at_a]
    return _distinct(pairs) if distinct else pairs


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


_LINK_COLUMNS = {"a": "int64", "b": "int64", "kind": "object", "score": "float64", "jaccard": "float64",
                 "containment": "float64", "a_is_smaller": "bool"}


def _judge_text(pairs, docs, options):
    """At a: the linked pairs, as Deduplicator::Add judges new document b against a."""
    pipeline = _pipeline(options)
    pairs = _with(pairs, docs, "a", ["kept", "set_size", "filter", "id"])
    rows = []
    for a, b, kept_a, size_a, filter_a, kept_b, size_b, filter_b, id_a in zip(
            pairs["a"], pairs["b"], pairs["kept_a"], pairs["set_size_a"], pairs["filter_a"], pairs["kept_b"],
            pairs["set_size_b"], pairs["filter_b"], pairs["id_a"]):
        linked, kind, score, jaccard, containment, a_is_smaller = pipeline.judge(kept_b, size_b, filter_b, kept_a,
                                                                                 size_a, filter_a)
        if linked:
            rows.append((a, b, kind, score, jaccard, containment, a_is_smaller, id_a))
    return pd.DataFrame(rows, columns=list(_LINK_COLUMNS) + ["id_a"]) if rows else \
        _empty(dict(_LINK_COLUMNS, id_a="object"))


def _sample_entries(frame):
    """(bucket, t, query, n) for every containment sample key of every document: its postings,
    with the size of its document's sample, which the verdict on sharing reads."""
    keys, lengths = _unpack(frame["sample"], np.uint32)
    return pd.DataFrame({"bucket": keys.astype(np.int64), "t": np.repeat(frame["t"].to_numpy(np.int64), lengths),
                         "query": np.ones(len(keys), dtype=bool), "n": np.repeat(lengths, lengths)})


def _sample_sizes(frame, docs, side):
    """How many sample keys `side`'s document has, for each row of `frame` (at its partition)."""
    at = _at(docs, frame[side].to_numpy(np.int64))
    return docs["sample"].map(len).to_numpy(np.int64)[at] // 4


_PAIR_WITH_B = {"a": "int64", "b": "int64", "kept_b": "object", "set_size_b": "int64", "filter_b": "object"}

_SHARED_COLUMNS = {"a": "int64", "b": "int64", "shared": "int64", "n_a": "int64"}


def _count_shared(pairs):
    """(a, b, shared, n_a): the copies of each pair (a, b, n_a) counted, summing `shared` when
    given (the copies of one pair from several key partitions)."""
    code = (pairs["a"].to_numpy(np.int64) << 32) | pairs["b"].to_numpy(np.int64)
    order = np.argsort(code, kind="stable")
    code = code[order]
    first = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.empty(0, dtype=np.int64)
    if "shared" in pairs:
        shared = np.add.reduceat(pairs["shared"].to_numpy(np.int64)[order], first) if len(first) else first
    else:
        shared = np.diff(np.r_[first, len(code)])
    return pd.DataFrame({"a": code[first] >> 32, "b": code[first] & 0xFFFFFFFF, "shared": shared,
                         "n_a": pairs["n_a"].to_numpy(np.int64)[order][first]})


def _sharing_pairs(docs, layout, options, scan):
    """At b: the pairs (a, b) the posting table makes candidates (enough sample keys shared
    among each key's `scan` newest holders)."""
    entries = docs.map_partitions(_sample_entries, meta={"bucket": "int64", "t": "int64", "query": "bool",
                                                         "n": "int64"})
    # A pair's copies are counted where they are made (its keys in one key partition), then at b.
    shared = entries.shuffle("bucket").map_partitions(
        lambda e: _count_shared(_bucket_candidates(e, scan, False, "n").rename(columns={"n": "n_a"})),
        meta=_SHARED_COLUMNS)

    def enough_at_b(pairs, d):
        counted = _count_shared(pairs)
        enough = _pipeline(options).shares_enough_sample(counted["shared"].to_numpy(np.int64),
                                                          counted["n_a"].to_numpy(np.int64),
                                                          _sample_sizes(counted, d, "b"))
        return counted[enough][["a", "b"]]

    return layout.local(enough_at_b, layout.move(shared, "b"), docs, meta={"a": "int64", "b": "int64"})


def _text_links(docs, layout, options, pipeline):
    """The text links (a, b, kind, score, jaccard, containment, a_is_smaller, id_a, id_b)."""
    pairs = _candidate_pairs(docs, layout, options, pipeline.max_bucket_scan)
    if pipeline.uses_sketches:
        # A pair found both ways is judged once, as the index visits it once.
        pairs = layout.local(lambda p, q: _distinct(pd.concat([p, q])), pairs,
                             _sharing_pairs(docs, layout, options, pipeline.posting_scan),
                             meta={"a": "int64", "b": "int64"})
    pairs = layout.move(layout.local(lambda p, d: _with(p, d, "b", ["kept", "set_size", "filter"]), pairs, docs,
                                     meta=_PAIR_WITH_B), "a")
    links = layout.local(_judge_text, pairs, docs, args=(options,), meta=dict(_LINK_COLUMNS, id_a="object"))
    return layout.local(lambda f, d: _with(f, d, "b", ["id"]), layout.move(links, "b"), docs,
                        meta=dict(_LINK_COLUMNS, id_a="object", id_b="object"))


def _unpack(blobs, dtype):
    """The arrays in `blobs` (bytes), concatenated, and each one's length."""
    arrays = [np.frombuffer(b, dtype=dtype) for b in blobs]
    lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=len(arrays))
    return (np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)), lengths
