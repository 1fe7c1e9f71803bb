"""Near-duplicate and translation detection on Dask: the pairs `neardup dedup` finds,
computed partition by partition on a cluster, whatever the partitioning or the number of
workers.

    import neardup.dask
    docs = neardup.dask.read_jsonl(["corpus.jsonl"], "16MiB")   # a bag of {"id", "text", "lang"}
    pairs = neardup.dask.dedup(docs)          # [{"id_a", "id_b", "kind", "score", ...}, ...]

    python3 -m neardup.dask dedup --workers 2 corpus.jsonl

How: the Deduplicator, taken apart so that no worker holds more than its share. `neardup
dedup` adds documents one at a time, so each step finds what Add found when the document
came. A document's time is its rank among the documents added (input order): how many the
collection holds once it is in. Design and measurements: python/DESIGN.md.
  1. Each partition fingerprints its documents on a worker: kept 32-bit signature values, set
     sizes, and with translations the language, anchor profile and translation signature.
  2. Text path: band entries are shuffled by (band, key). In each bucket, a document's
     candidates are the max_bucket_scan members just before it (the index reads buckets
     newest first). Candidate pairs meet their two signatures and are judged there, by the
     library's own text verdict.
  3. Translation path. Anchor weights are document frequencies as of a time: occurrences
     (key, time) and questions (key, time) are shuffled together by key, and each question
     is answered by counting. These give each document's boilerplate tail, so its
     translation signature as indexed; then translation-index buckets give candidates as in
     2, the most similar are chosen per document as Add chooses them, and the library's
     translation verdict judges each with the weights of the later document's time.
  4. On the client, in input order and over linked pairs only (the output's size): the rule
     of one translation per document and language, with its retractions, as Add applies it.
So the pairs do not depend on the partitioning, and memory per worker follows its share of
the corpus's fingerprints.
"""
import argparse
import hashlib
import json
import os
import stat
import sys

import dask
import dask.bag as db
import dask.dataframe as dd
from dask.dataframe.shuffle import rearrange_by_column
import numpy as np
import pandas as pd

from neardup import _neardup

# Near before contained, as the Deduplicator orders a new document's matches.
_KIND_ORDER = {"near": 0, "contained": 1}
# AnchorWeights::kMinDocumentsForIdf: below this many documents, no frequency is read.
_MIN_DOCUMENTS_FOR_IDF = 20
_TEXT_COLUMNS = {"t": "int64", "id": "object", "kept": "object", "set_size": "int64", "sample": "object",
                 "filter": "object"}
_TRANSLATION_COLUMNS = {"lang": "object", "profile": "object", "tkept": "object", "tsize": "int64",
                        "keys": "object", "tails": "object"}


def _pipeline(options):
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


def _bucket_candidates(entries, scan, distinct=True):
    """Per bucket: each querying member b with the `scan` members before it (0 = all), as
    pairs (a, b): what the index scans, newest first, when b comes. Unless `distinct`, a pair
    comes once for each bucket it shares."""
    e = entries.sort_values(["bucket", "t"], kind="stable").reset_index(drop=True)
    bucket, t, query = e["bucket"].to_numpy(), e["t"].to_numpy(), e["query"].to_numpy()
    a, b = [], []
    distance = 1
    while distance < len(e) and (scan == 0 or distance <= scan):
        same = bucket[distance:] == bucket[:-distance]
        if not same.any():
            break  # no bucket has more than `distance` members
        same &= query[distance:]
        a.append(t[:-distance][same])
        b.append(t[distance:][same])
        distance += 1
    if not a:
        return _empty({"a": "int64", "b": "int64"})
    pairs = pd.DataFrame({"a": np.concatenate(a), "b": np.concatenate(b)})
    return pairs.drop_duplicates() if distinct else pairs


def _candidate_pairs(frame, layout, options, scan, kept="kept", translation=False):
    """Band-sharing pairs (a, b), each once, at b's partition."""
    entries = frame.map_partitions(_band_entries, options, kept, translation,
                                   meta={"bucket": "int64", "t": "int64", "query": "bool"})
    pairs = entries.shuffle("bucket").map_partitions(_bucket_candidates, scan, meta={"a": "int64", "b": "int64"})
    # A pair sharing several bands comes from several buckets: at b, all its copies meet.
    return layout.move(pairs, "b").map_partitions(lambda f: f.drop_duplicates(), meta={"a": "int64", "b": "int64"})


def _with(frame, docs, side, columns):
    """`frame` (at `side`'s partition) with `columns` of its `side` document, suffixed."""
    at = _at(docs, frame[side].to_numpy(np.int64))
    return frame.assign(**{c + "_" + side: docs[c].to_numpy()[at] for c in columns})


_LINK_COLUMNS = {"a": "int64", "b": "int64", "kind": "object", "score": "float64", "jaccard": "float64",
                 "containment": "float64"}


def _judge_text(pairs, docs, options):
    """At a: the linked pairs, as Deduplicator::Add judges new document b against a."""
    pipeline = _pipeline(options)
    pairs = _with(pairs, docs, "a", ["kept", "set_size", "filter", "id"])
    rows = []
    for a, b, kept_a, size_a, filter_a, kept_b, size_b, filter_b, id_a in zip(
            pairs["a"], pairs["b"], pairs["kept_a"], pairs["set_size_a"], pairs["filter_a"], pairs["kept_b"],
            pairs["set_size_b"], pairs["filter_b"], pairs["id_a"]):
        linked, kind, score, jaccard, containment = pipeline.judge(kept_b, size_b, filter_b, kept_a, size_a, filter_a)
        if linked:
            rows.append((a, b, kind, score, jaccard, containment, id_a))
    return pd.DataFrame(rows, columns=list(_LINK_COLUMNS) + ["id_a"]) if rows else \
        _empty(dict(_LINK_COLUMNS, id_a="object"))


def _sample_entries(frame):
    """(bucket, t, query) for every containment sample key of every document: its postings."""
    keys, lengths = _unpack(frame["sample"], np.uint32)
    return pd.DataFrame({"bucket": keys.astype(np.int64), "t": np.repeat(frame["t"].to_numpy(np.int64), lengths),
                         "query": np.ones(len(keys), dtype=bool)})


def _sample_sizes(frame, docs, side):
    """How many sample keys `side`'s document has, for each row of `frame` (at its partition)."""
    at = _at(docs, frame[side].to_numpy(np.int64))
    return docs["sample"].map(len).to_numpy(np.int64)[at] // 4


_PAIR_WITH_B = {"a": "int64", "b": "int64", "kept_b": "object", "set_size_b": "int64", "filter_b": "object"}


def _sharing_pairs(docs, layout, options, scan):
    """At a: the pairs the posting table makes candidates (enough sample keys shared among
    each key's `scan` newest holders), with b's columns as _PAIR_WITH_B."""
    entries = docs.map_partitions(_sample_entries, meta={"bucket": "int64", "t": "int64", "query": "bool"})
    shared = entries.shuffle("bucket").map_partitions(_bucket_candidates, scan, False, meta={"a": "int64", "b": "int64"})

    def count_at_b(pairs, d):
        counted = pairs.groupby(["a", "b"], sort=False).size().reset_index(name="shared")
        counted["nkeys_b"] = _sample_sizes(counted, d, "b")
        return _with(counted, d, "b", ["kept", "set_size", "filter"])

    def enough_at_a(pairs, d):
        nkeys_a = _sample_sizes(pairs, d, "a")
        enough = _pipeline(options).shares_enough_sample(pairs["shared"].to_numpy(np.int64), nkeys_a,
                                                          pairs["nkeys_b"].to_numpy(np.int64))
        return pairs[enough][list(_PAIR_WITH_B)]

    at_b = layout.local(count_at_b, layout.move(shared, "b"), docs,
                        meta=dict({"a": "int64", "b": "int64", "shared": "int64", "nkeys_b": "int64"},
                                  **{k: v for k, v in _PAIR_WITH_B.items() if k not in ("a", "b")}))
    return layout.local(enough_at_a, layout.move(at_b, "a"), docs, meta=_PAIR_WITH_B)


def _text_links(docs, layout, options, pipeline):
    """The text links (a, b, kind, score, jaccard, containment, id_a, id_b)."""
    pairs = _candidate_pairs(docs, layout, options, pipeline.max_bucket_scan)
    pairs = layout.move(layout.local(lambda p, d: _with(p, d, "b", ["kept", "set_size", "filter"]), pairs, docs,
                                     meta=_PAIR_WITH_B), "a")
    if pipeline.uses_sketches:
        # A pair found both ways is judged once, as the index visits it once.
        pairs = layout.local(lambda p, q: pd.concat([p, q]).drop_duplicates(["a", "b"]), pairs,
                             _sharing_pairs(docs, layout, options, pipeline.posting_scan), meta=_PAIR_WITH_B)
    links = layout.local(_judge_text, pairs, docs, args=(options,), meta=dict(_LINK_COLUMNS, id_a="object"))
    return layout.local(lambda f, d: _with(f, d, "b", ["id"]), layout.move(links, "b"), docs,
                        meta=dict(_LINK_COLUMNS, id_a="object", id_b="object"))


# --- Anchor weights as of a time ----------------------------------------------------------

def _unpack(blobs, dtype):
    """The arrays in `blobs` (bytes), concatenated, and each one's length."""
    arrays = [np.frombuffer(b, dtype=dtype) for b in blobs]
    lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=len(arrays))
    return (np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)), lengths


_QUESTION_COLUMNS = {"key": "int64", "t": "int64", "q": "int64"}


def _questions(frame, column, at=None):
    """(key, t, q) for the keys in each row's `column` blob: at the row's time `at` (and asked
    by it) when given, else as occurrences at the row's own time (q = -1)."""
    keys, lengths = _unpack(frame[column], np.uint64)
    t = np.repeat(frame[at or "t"].to_numpy(np.int64), lengths)
    q = t if at else np.full(len(t), -1, dtype=np.int64)
    return pd.DataFrame({"key": keys.view(np.int64), "t": t, "q": q})


def _occurrences(frame):
    """Each key a document counts in the anchor weights (AddDocument), at its time."""
    return _questions(frame, "keys")


def _tail_questions(frame):
    """The frequencies of each document's tail keys at its own time, which decide its
    boilerplate tail (none below _MIN_DOCUMENTS_FOR_IDF documents)."""
    return _questions(frame[frame["t"] >= _MIN_DOCUMENTS_FOR_IDF], "tails", at="t")


def _answer(rows):
    """For each question (q >= 0) among `rows` (all the rows of its key), the number of
    occurrences of its key at or before its time: (q, key, df)."""
    key, t, q = rows["key"].to_numpy(np.int64), rows["t"].to_numpy(np.int64), rows["q"].to_numpy(np.int64)
    asked = q >= 0
    okey, ot = key[~asked], t[~asked]
    order = np.lexsort((ot, okey))
    okey, ot = okey[order], ot[order]
    distinct, first = np.unique(okey, return_index=True)
    qkey, qt = key[asked], t[asked]
    df = np.zeros(len(qkey), dtype=np.int64)
    if len(distinct) and len(qkey):
        # One sorted array of (key's index in `distinct`, time): indexes below 2^31, times below 2^32.
        index = np.repeat(np.arange(len(distinct), dtype=np.int64), np.diff(np.r_[first, len(okey)]))
        code = (index << 32) | ot
        at = np.minimum(np.searchsorted(distinct, qkey), len(distinct) - 1)
        counted = np.searchsorted(code, (at << 32) | qt, side="right") - first[at]
        df = np.where(distinct[at] == qkey, counted, 0)
    return pd.DataFrame({"q": q[asked], "key": qkey, "df": df.astype(np.uint32)})


def _pack(answers, docs):
    """At the askers' partition: each document's answers as two blobs, its keys (u64) and
    their frequencies (u32), aligned with `docs` (empty blobs for a document that asked
    nothing)."""
    q = answers["q"].to_numpy(np.int64)
    order = np.argsort(q, kind="stable")
    q = q[order]
    keys = answers["key"].to_numpy(np.int64)[order].view(np.uint64)
    dfs = answers["df"].to_numpy(np.uint32)[order]
    fkeys, fdfs = [b""] * len(docs), [b""] * len(docs)
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]]) if len(q) else np.empty(0, dtype=np.int64)
    for begin, end, at in zip(starts, np.r_[starts[1:], len(q)], _at(docs, q[starts])):
        fkeys[at], fdfs[at] = keys[begin:end].tobytes(), dfs[begin:end].tobytes()
    return pd.DataFrame({"fkeys": fkeys, "fdfs": fdfs})


def _frequencies(occurrences, questions, docs, layout):
    """Per document (aligned with `docs`): the document frequencies of the keys it asked
    about, at the times it gave."""
    rows = dd.concat([occurrences, questions]).shuffle("key")
    answers = rows.map_partitions(_answer, meta={"q": "int64", "key": "int64", "df": "uint32"})
    return layout.local(_pack, layout.move(answers, "q"), docs, meta={"fkeys": "object", "fdfs": "object"})


# --- The translation path -----------------------------------------------------------------

def _language_code(tag):
    """A language tag as an integer, so that pairs' languages travel and compare as numbers:
    0 for unknown; an ASCII tag of up to 8 bytes is its bytes (positive); a longer one, a
    63-bit hash, negated (so never equal to a short tag's code)."""
    data = tag.encode()
    if len(data) <= 8 and data.isascii():
        return int.from_bytes(data, "little")
    return -1 - (int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little") >> 1)


_TRIMMED_COLUMNS = {"t": "int64", "lang": "int64", "tkept": "object", "tsize": "int64"}


def _trim(docs, tails, options):
    """Each document's translation signature as indexed and queried: without its boilerplate
    tail as the collection knew it at the document's time."""
    pipeline = _pipeline(options)
    tkept, tsize = list(docs["tkept"]), docs["tsize"].to_numpy(np.int64).copy()
    for i, (t, profile, keys, dfs) in enumerate(zip(docs["t"], docs["profile"], tails["fkeys"], tails["fdfs"])):
        if keys:
            trimmed = pipeline.trimmed_translation(profile, int(t), keys, dfs)
            if trimmed is not None:
                tkept[i], tsize[i] = trimmed
    return pd.DataFrame({"t": docs["t"].to_numpy(np.int64), "lang": [_language_code(x) for x in docs["lang"]],
                         "tkept": tkept, "tsize": tsize})


def _similar(pairs, trimmed, options, min_similarity):
    """At a: the pairs in two known, different languages whose translation signatures agree
    on at least min_similarity of their slots (LshIndex::Query's estimate), with it."""
    pairs = _with(pairs, trimmed, "a", ["tkept", "lang"])
    pairs = pairs[(pairs["lang_a"] != 0) & (pairs["lang_a"] != pairs["lang_b"])]
    similarity = _pipeline(options).agreement(list(pairs["tkept_a"]), list(pairs["tkept_b"]))
    out = pd.DataFrame({"a": pairs["a"].to_numpy(np.int64), "b": pairs["b"].to_numpy(np.int64),
                        "lang_a": pairs["lang_a"].to_numpy(np.int64), "similarity": similarity})
    return out[out["similarity"] >= min_similarity]


def _select(candidates, text_codes, per_language, most):
    """At b: SelectTranslationCandidates per document b: most similar first (ties: earlier
    a), not linked to b by text, at most `per_language` per language and `most` in all."""
    code = (candidates["a"].to_numpy(np.int64) << 32) | candidates["b"].to_numpy(np.int64)
    c = candidates[~np.isin(code, text_codes)]
    c = c.assign(neg=-c["similarity"]).sort_values(["b", "neg", "a"], kind="stable")
    c = c[c.groupby(["b", "lang_a"], sort=False).cumcount() < per_language]
    c = c[c.groupby("b", sort=False).cumcount() < most]
    return c[["a", "b"]]


def _verdict_questions(pairs, docs):
    """At b: each document with candidates asks the frequencies, at its time, of its own keys
    and its candidates' (each key once)."""
    b = np.unique(pairs["b"].to_numpy(np.int64))
    own = _questions(pd.DataFrame({"keys": docs["keys"].to_numpy()[_at(docs, b)], "b": b}), "keys", at="b")
    return pd.concat([own, _questions(pairs, "keys_a", at="b")]).drop_duplicates()


def _judge_translations(pairs, docs, frequencies, options):
    """At b: (a, b, lang_a, lang_b, score) of the linked pairs, Add's verdict on new document
    b with the anchor weights of its time."""
    pipeline = _pipeline(options)
    pairs = pairs.sort_values(["b", "a"], kind="stable")
    a, b = pairs["a"].to_numpy(np.int64), pairs["b"].to_numpy(np.int64)
    profile_a = pairs["profile_a"].to_numpy()
    linked = np.zeros(len(b), dtype=bool)
    score = np.zeros(len(b))
    starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]]) if len(b) else np.empty(0, dtype=np.int64)
    for begin, end in zip(starts, np.r_[starts[1:], len(b)]):
        at = _at(docs, b[begin])
        verdicts = pipeline.judge_translations(docs["profile"].iat[at], int(b[begin]), frequencies["fkeys"].iat[at],
                                               frequencies["fdfs"].iat[at], list(profile_a[begin:end]))
        for i, (is_linked, s) in enumerate(verdicts, begin):
            linked[i], score[i] = is_linked, s
    out = pd.DataFrame({"a": a[linked], "b": b[linked], "lang_a": pairs["lang_a"].to_numpy()[linked],
                        "score": score[linked]})
    return _with(out, docs, "b", ["lang"])


def _translation_verdicts(docs, layout, text_links, options, pipeline):
    """The linked translation verdicts (a, b, lang_a, lang_b, score): what Add's verification
    finds, before its choice of one translation per language."""
    occurrences = docs.map_partitions(_occurrences, meta=_QUESTION_COLUMNS)
    tails = _frequencies(occurrences, docs.map_partitions(_tail_questions, meta=_QUESTION_COLUMNS), docs, layout)
    trimmed = layout.local(_trim, docs, tails, args=(options,), meta=_TRIMMED_COLUMNS)
    pairs = _candidate_pairs(trimmed, layout, options, pipeline.translation_bucket_scan, kept="tkept",
                             translation=True)
    pairs = layout.local(lambda p, d: _with(p, d, "b", ["tkept", "lang"]), pairs, trimmed,
                         meta={"a": "int64", "b": "int64", "tkept_b": "object", "lang_b": "int64"})
    candidates = layout.local(_similar, layout.move(pairs, "a"), trimmed,
                              args=(options, pipeline.min_translation_similarity),
                              meta={"a": "int64", "b": "int64", "lang_a": "int64", "similarity": "float64"})
    text_codes = np.sort((text_links["a"].to_numpy(np.int64) << 32) | text_links["b"].to_numpy(np.int64))
    selected = layout.move(candidates, "b").map_partitions(
        _select, text_codes, pipeline.max_candidates_per_language, pipeline.max_translation_candidates,
        meta={"a": "int64", "b": "int64"})
    pairs = layout.local(lambda p, d: _with(p, d, "a", ["profile", "lang", "keys"]), layout.move(selected, "a"), docs,
                         meta={"a": "int64", "b": "int64", "profile_a": "object", "lang_a": "object", "keys_a": "object"})
    pairs = layout.move(pairs, "b")
    frequencies = _frequencies(occurrences, layout.local(_verdict_questions, pairs, docs, meta=_QUESTION_COLUMNS),
                               docs, layout)
    return layout.local(_judge_translations, pairs, docs, frequencies, args=(options,),
                        meta={"a": "int64", "b": "int64", "lang_a": "object", "score": "float64",
                              "lang_b": "object"})


def _document_count(*columns):
    """One more than the largest document number in the columns (0 if all are empty)."""
    return 1 + max((int(np.max(c)) for c in columns if len(c)), default=-1)


def _choose_translations(verdicts, text_links):
    """Add's bookkeeping over the linked verdicts, in input order: a document keeps one
    translation per language (copies of one text count as one); a later, better one retracts
    the weaker. The library's own rules (index/link_graph.h), as the Deduplicator follows
    them. Returns the live translation links (a, b, score) in the order made."""
    columns = [np.asarray(c, dtype=np.int64) for c in (text_links["a"], text_links["b"], verdicts["a"], verdicts["b"])]
    return _neardup._choose_translations(
        _document_count(*columns), columns[0].tolist(), columns[1].tolist(), [str(k) for k in text_links["kind"]],
        [float(x) for x in text_links["score"]], columns[2].tolist(), columns[3].tolist(),
        [str(x) for x in verdicts["lang_a"]], [str(x) for x in verdicts["lang_b"]],
        [float(x) for x in verdicts["score"]])


def _as_bag(data):
    if isinstance(data, dd.DataFrame):
        return data.to_bag(format="dict")
    return data


def _documents(data, options, pipeline):
    """The documents that Add would take, persisted on the workers where they were
    fingerprinted, numbered by time (partition i holds consecutive times), with their layout;
    and the ones it would refuse, as (input partition, row, where, id, reason), in input order."""
    # Kept on the workers: both the documents and the errors come from them (computed once).
    parts = dask.persist(*[dask.delayed(_sketch_partition)(p, i, options)
                           for i, p in enumerate(_as_bag(data).to_delayed())])
    meta = _empty(dict(_columns(pipeline), where="object"))
    sketches = dd.from_delayed([dask.delayed(lambda r: r[0])(p) for p in parts], meta=meta)
    errors = [dask.delayed(lambda r: r[1])(p) for p in parts]
    # A repeated id: the first is added, the others refused, as the Deduplicator does.
    keyed = sketches[["id", "part", "t", "where"]].assign(code=sketches["part"] * 2**32 + sketches["t"])
    first = keyed.groupby("id")["code"].min().to_frame("first").reset_index()
    marked = keyed.merge(first, on="id")
    counts, errors, repeated_rows = dask.compute(sketches.map_partitions(len), errors,
                                                 marked[marked["code"] != marked["first"]])
    repeated_rows = repeated_rows.sort_values("code")
    repeated = {}
    for part, row in zip(repeated_rows["part"], repeated_rows["t"]):
        repeated.setdefault(int(part), set()).add(int(row))
    added = [n - len(repeated.get(i, ())) for i, n in enumerate(counts)]
    offsets = np.concatenate([[0], np.cumsum(added)[:-1]]).astype(np.int64)
    docs = sketches.drop(columns="where").map_partitions(_number, repeated, offsets, meta=meta.drop(columns="where"))
    docs = docs.drop(columns="part").persist()
    problems = [(i, row, where, doc_id, reason) for i, part in enumerate(errors) for row, where, doc_id, reason in part]
    problems += [(int(part), int(row), where, doc_id, _REPEATED)
                 for part, row, where, doc_id in zip(repeated_rows["part"], repeated_rows["t"], repeated_rows["where"],
                                                     repeated_rows["id"])]
    return docs, _Layout(offsets + 1), sorted(problems, key=lambda p: (p[0], p[1]))


# What `neardup dedup` says of a document whose id came before.
_REPEATED = "duplicate document id; this copy was skipped"


def _options(translations, shingle=None, **given):
    """The pipeline's options: those given (None = the library's default); `shingle` as the
    command's --shingle ("N", "word:N" or "char:N"). Raises ValueError (neardup's
    InvalidArgumentError for the library's checks, with the messages of `neardup` and
    neardup.Deduplicator) for a bad value, TypeError for a value of the wrong type, before any
    work is sent."""
    options = {k: v for k, v in given.items() if v is not None and v is not False}
    options["translations"] = bool(translations)
    if shingle is not None:
        options["shingle"] = shingle  # parsed by the library, as the command's --shingle
    _pipeline(options)  # the library's parsing and checks (ValidateDedupOptions), with its messages
    return options


def dedup_links(data, *, threshold=None, num_perm=None, containment_threshold=None, translation_threshold=None,
                seed=None, max_bytes=None, shingle=None, strip_diacritics=False, replace_invalid=False,
                translations=True):
    """The links among `data` (a dask bag of {"id", "text"[, "lang"]} or a dask dataframe with
    those columns) as a pandas DataFrame (id_a, id_b, kind, score, jaccard, containment,
    seq_a, seq_b), in the order `neardup dedup` prints them, with the documents that could
    not be added as a list of (id, reason), in input order. A record that is not a document
    (an id or text missing or not a str, a str without UTF-8, an id over the library's
    limit, read_jsonl's {"error"} records) is one of those, never an exception on a worker.
    seq is a document's time: 1 + the number of documents added before it. Options as
    neardup.Deduplicator's, and shingle, strip_diacritics and replace_invalid as `neardup
    dedup`'s --shingle, --strip-diacritics and --replace-invalid."""
    options = _options(threshold=threshold, num_perm=num_perm, containment_threshold=containment_threshold,
                       translation_threshold=translation_threshold, seed=seed, max_bytes=max_bytes,
                       shingle=shingle, strip_diacritics=strip_diacritics, replace_invalid=replace_invalid,
                       translations=translations)
    out, problems = _links(data, options)
    return out, [(doc_id, reason) for _, _, _, doc_id, reason in problems]


def _links(data, options):
    """dedup_links with options made by _options; the problems as (partition, row, where, id,
    reason)."""
    translations = options["translations"]
    pipeline = _pipeline(options)
    docs, layout, problems = _documents(data, options, pipeline)
    text = _text_links(docs, layout, options, pipeline).compute()
    text["kind_order"] = text["kind"].map(_KIND_ORDER)
    text = text.sort_values(["b", "kind_order", "score", "a"], ascending=[True, True, False, True], kind="stable")
    links = [text.drop(columns="kind_order")]
    if translations:
        verdicts = _translation_verdicts(docs, layout, text, options, pipeline).compute()
        chosen = pd.DataFrame(_choose_translations(verdicts, text), columns=["a", "b", "score"])
        needed = np.unique(np.concatenate([chosen["a"].to_numpy(np.int64), chosen["b"].to_numpy(np.int64)]))
        names = docs[["t", "id"]][docs["t"].isin(needed)].compute().set_index("t")["id"]
        links.append(pd.DataFrame({"a": chosen["a"], "b": chosen["b"], "kind": "translation", "score": chosen["score"],
                                   "jaccard": 0.0, "containment": 0.0, "id_a": names.reindex(chosen["a"]).to_numpy(),
                                   "id_b": names.reindex(chosen["b"]).to_numpy()}))
    links = pd.concat(links, ignore_index=True)
    out = pd.DataFrame({"id_a": links["id_a"], "id_b": links["id_b"], "kind": links["kind"], "score": links["score"],
                        "jaccard": links["jaccard"], "containment": links["containment"], "seq_a": links["a"],
                        "seq_b": links["b"]}).reset_index(drop=True)
    return out, problems


def dedup(data, **options):
    """The pairs `neardup dedup` reports for `data`, as dicts {id_a, id_b, kind, score,
    jaccard, containment}, in its order. See dedup_links for the arguments."""
    links, _ = dedup_links(data, **options)
    return [{"id_a": r.id_a, "id_b": r.id_b, "kind": r.kind, "score": r.score, "jaccard": r.jaccard,
             "containment": r.containment} for r in links.itertuples()]


def clusters(links):
    """Connected components of dedup_links' links, as `neardup dedup --clusters` gives them
    (Deduplicator::Clusters, through the binding): groups of two or more, ordered by their
    first member in input order; the canonical member (the one with the most links, the first
    of those) first, the others in input order; "hops" gives each member's links on a shortest
    path to the canonical and "scores" the score of its direct link to it (0 without one)."""
    a = np.asarray(links["seq_a"], dtype=np.int64)
    b = np.asarray(links["seq_b"], dtype=np.int64)
    names = {}
    for x, y, id_x, id_y in zip(a.tolist(), b.tolist(), links["id_a"], links["id_b"]):
        names[x], names[y] = id_x, id_y
    found = _neardup._clusters(_document_count(a, b), a.tolist(), b.tolist(), [str(k) for k in links["kind"]],
                               [float(x) for x in links["score"]])
    return [{"canonical": names[members[0]], "members": [names[m] for m in members], "hops": list(hops),
             "scores": list(scores)} for members, hops, scores in found]


# --- The command: the lines `neardup dedup` prints ------------------------------------------

def format_pair(pair, fmt):
    """A pair as `neardup dedup --format FMT` prints it (the library's report.h), without newline."""
    return _neardup._pair_line(fmt, pair["id_a"], pair["id_b"], pair["kind"], float(pair["score"]),
                               float(pair["jaccard"]), float(pair["containment"]))


def format_cluster(number, cluster, fmt):
    """A cluster as `neardup dedup --clusters --format FMT` prints it, without the last newline."""
    return _neardup._cluster_lines(fmt, number, list(cluster["members"]), [int(h) for h in cluster["hops"]],
                                   [float(s) for s in cluster["scores"]])


class _Object(dict):
    """A JSON object, with the first of "id", "text" and "lang" that it gives twice."""
    repeated = None


def _object(pairs):
    obj = _Object(pairs)
    seen = set()
    for key, _ in pairs:
        if key in ("id", "text", "lang"):
            if key in seen:
                obj.repeated = key
                break
            seen.add(key)
    return obj


def _no_constant(name):
    raise ValueError("%s is not JSON" % name)


def _has_surrogate(s):
    return isinstance(s, str) and any("\ud800" <= c <= "\udfff" for c in s)


def _id_for_message(doc_id):
    """An id as the library names it in messages (neardup::IdForMessage, dedup.h): whole up
    to 100 bytes, else its first 100 bytes (whole UTF-8 characters) and its length."""
    data = doc_id.encode("utf-8", "surrogatepass")
    if len(data) <= 100:
        return doc_id
    cut = 100
    while cut > 0 and (data[cut] & 0xC0) == 0x80:
        cut -= 1
    return "%s... (%d bytes)" % (data[:cut].decode("utf-8", "replace"), len(data))


def _parse_line(line, where="?"):
    """A JSON line (bytes) as {"id", "text", "lang", "where"}, or {"error": reason, "where": place};
    None for a blank line. `where` is file:line. Reasons and places are the command's
    (cli/document_reader.cc): a document's problems after its id is read name it, as
    "file:line (id X)". Invalid UTF-8 is an error, as in the command, never replaced."""
    if not line.strip(b" \t\r"):
        return None
    try:
        text = line.decode("utf-8")  # strict: no surrogates either
    except UnicodeDecodeError:
        return {"error": "invalid JSON: The input is not valid UTF-8", "where": where}
    try:
        d = json.loads(text, object_pairs_hook=_object, parse_constant=_no_constant)
    except ValueError as e:
        return {"error": "invalid JSON: %s" % e, "where": where}
    if not isinstance(d, dict):
        return {"error": 'expected a JSON object {"id": ..., "text": ...}', "where": where}
    if d.repeated:
        return {"error": 'duplicate key "%s"' % d.repeated, "where": where}
    if any(_has_surrogate(d.get(k)) for k in ("id", "text", "lang")):  # simdjson refuses "\ud800" alone
        return {"error": "invalid JSON: a string holds a lone surrogate", "where": where}
    if "id" not in d:
        return {"error": 'missing "id"', "where": where}
    doc_id = d["id"]
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        return {"error": '"id" must be an integer from -2^63 to 2^64-1 (or a string)' if isinstance(doc_id, float)
                else '"id" must be a string or an integer', "where": where}
    if isinstance(doc_id, int):
        if not -2**63 <= doc_id < 2**64:
            return {"error": '"id" must be an integer from -2^63 to 2^64-1 (or a string)', "where": where}
        doc_id = str(doc_id)
    named = where if not doc_id else "%s (id %s)" % (where, _id_for_message(doc_id))
    if "text" not in d:
        return {"error": 'missing "text"', "where": named, "id": doc_id}
    if not isinstance(d["text"], str):
        return {"error": '"text" must be a string', "where": named, "id": doc_id}
    lang = d.get("lang")
    if lang is not None and not isinstance(lang, str):
        return {"error": '"lang" must be a string', "where": named, "id": doc_id}
    return {"id": doc_id, "text": d["text"], "lang": lang or "", "where": named}


def _read_block(path, start, end, first_lines, block):
    """The records of the lines that start in [start, end) of `path`, the first being line
    first_lines[block] + 1. A read error is a record naming the file."""
    try:
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(end - start)
    except OSError as e:
        return [{"error": "cannot read: %s" % (e.strerror or e), "where": path}]
    lines = data.split(b"\n")
    if start == 0 and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]  # a byte-order mark an editor put before the first object
    first = first_lines[block] + 1
    return [d for d in (_parse_line(line, "%s:%d" % (path, first + i)) for i, line in enumerate(lines))
            if d is not None]


def _count_lines(path, start, end):
    """The line ends in [start, end) of `path` (0 if it cannot be read: _read_block says why)."""
    try:
        with open(path, "rb") as f:
            f.seek(start)
            return f.read(end - start).count(b"\n")
    except OSError:
        return 0


def _first_lines(counts):
    """The number of lines before each block, from each block's count of line ends."""
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64).tolist()


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


def _blocksize(blocksize):
    """A block size in bytes (an int, or a str such as "16MiB"), at least 1; ValueError
    otherwise."""
    try:
        n = dask.utils.parse_bytes(blocksize) if isinstance(blocksize, str) else int(blocksize)
    except (ValueError, TypeError):
        n = None
    if n is None or n < 1:
        raise ValueError("--blocksize: expected a number of bytes such as 16MiB (at least 1), got '%s'" % blocksize)
    return n


def read_jsonl(paths, blocksize):
    """A bag of {"id", "text", "lang", "where"} from JSON Lines files, in file and line order, a
    partition per block of about `blocksize` bytes; `where` is "file:line" (with the id, as the
    command names a document: "file:line (id X)"). A line that is not a document becomes
    {"error": reason, "where": ...} with the command's reason; dedup_links names such records
    among the documents it could not add. (dask.bag.read_text splits lines in Python at about
    20 MB/s, slower than fingerprinting them.) A path that cannot be opened raises OSError;
    the command checks its inputs first (_usable_inputs)."""
    return _read(paths, blocksize)[0]


def _read(paths, blocksize):
    """read_jsonl's bag, and the index in `paths` of each of its partitions."""
    blocksize = _blocksize(blocksize)
    parts, sources = [], []
    for index, path in enumerate(paths):
        cuts = _line_starts(path, blocksize)
        blocks = list(zip(cuts, cuts[1:]))
        first_lines = dask.delayed(_first_lines)([dask.delayed(_count_lines)(path, a, b) for a, b in blocks])
        parts += [dask.delayed(_read_block)(path, a, b, first_lines, i) for i, (a, b) in enumerate(blocks)]
        sources += [index] * len(blocks)
    return (db.from_delayed(parts) if parts else db.from_sequence([], npartitions=1)), sources


def _usable_inputs(paths):
    """(position, path) of the paths that can be read as JSON Lines, and (position, path, reason)
    for each other, with the command's reasons: missing, unreadable, a directory, not a
    regular file."""
    good, bad = [], []
    for position, path in enumerate(paths):
        try:
            st = os.stat(path)
            if stat.S_ISDIR(st.st_mode):
                bad.append((position, path, "is a directory: expected a JSON Lines file"))
                continue
            if not stat.S_ISREG(st.st_mode):
                bad.append((position, path, "not a regular file (a FIFO, socket or device): skipped"))
                continue
            with open(path, "rb"):
                pass
        except OSError as e:
            bad.append((position, path, "cannot read: %s" % (e.strerror or e)))
            continue
        good.append((position, path))
    return good, bad


# --- The command --------------------------------------------------------------------------

_PROG = "neardup.dask"
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2  # as `neardup`'s (cli/main.cc)


class _Usage(Exception):
    """A usage error: one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise _Usage(message)


def _workers(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError("expected a number of workers of at least 1, got '%s'" % text)
    return n


def _memory_limit(text):
    if text == "auto":
        return text
    try:
        if dask.utils.parse_bytes(text) >= 1:
            return text
    except (ValueError, TypeError):
        pass
    raise argparse.ArgumentTypeError("expected a size such as 2GiB, or auto, got '%s'" % text)


def _say(message):
    print("%s: %s" % (_PROG, message), file=sys.stderr)


def _connect(args):
    """A client of the scheduler given, or of a new local cluster; exits the command (1) with a
    one-line error when the scheduler cannot be reached in --connect-timeout seconds."""
    import logging
    from distributed import Client, LocalCluster
    # Distributed's own log lines (a lost connection's retries, a worker's restart) are not
    # the command's output: only its errors reach stderr, as `neardup`'s do.
    for name in ("distributed", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if args.scheduler:
        try:
            return Client(args.scheduler, timeout=args.connect_timeout), None
        except (OSError, TimeoutError) as e:
            raise _Unreachable("cannot reach the scheduler at %s: %s" % (args.scheduler, e)) from None
        except ValueError as e:
            raise _Usage("--scheduler: %s" % e) from None
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           memory_limit=args.memory_limit)
    return Client(cluster), cluster


class _Unreachable(Exception):
    """The scheduler cannot be reached: one line, exit 1."""


def _run(args):
    given = dict(threshold=args.threshold, containment_threshold=args.containment_threshold,
                 translation_threshold=args.translation_threshold, num_perm=args.num_perm, max_bytes=args.max_bytes,
                 seed=args.seed, shingle=args.shingle, strip_diacritics=args.strip_diacritics,
                 replace_invalid=args.replace_invalid)
    try:
        options = _options(not args.no_translations, **given)
    except (ValueError, TypeError) as e:
        raise _Usage(str(e)) from None
    paths, unusable = _usable_inputs(args.inputs)
    # Every input that could not be used is named as the command names it, in input order:
    # (input, partition, row) orders them.
    named = [((position, -1, -1), "%s: %s" % (path, reason)) for position, path, reason in unusable]
    links = _links_of_nothing()
    if paths:
        client, cluster = _connect(args)
        try:
            bag, sources = _read([path for _, path in paths], args.blocksize)
            links, problems = _links(bag, options)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        for part, row, where, doc_id, reason in problems:
            position = paths[sources[part]][0] if part < len(sources) else len(args.inputs)
            named.append(((position, part, row), "%s: %s" % (where if where is not None else "(id %s)" % doc_id,
                                                             reason)))
    for _, message in sorted(named, key=lambda m: m[0]):
        _say(message)
    out = sys.stdout
    if args.clusters:
        for number, c in enumerate(clusters(links), 1):
            out.write(format_cluster(number, c, args.format) + "\n")
    else:
        for r in links.itertuples():
            out.write(format_pair(r._asdict(), args.format) + "\n")
    out.flush()
    return EXIT_INPUT if named else EXIT_OK


def _links_of_nothing():
    return pd.DataFrame({"id_a": [], "id_b": [], "kind": [], "score": [], "jaccard": [], "containment": [],
                         "seq_a": [], "seq_b": []})


def main(argv=None):
    """`python3 -m neardup.dask dedup ...`: the lines `neardup dedup` prints, with its exit
    codes and messages: 2 for a usage error (one line), 1 when some input could not be read
    or used (each named, file:line for a line, the rest processed), 0 otherwise. Never a
    traceback: an unexpected error is one line too (exit 1)."""
    parser = _Parser(prog="python3 -m neardup.dask", description=__doc__.splitlines()[0],
                     epilog="exit status: 0 all documents used; 1 some input files, lines or documents could not be "
                            "used (each named on stderr, the rest processed); 2 bad usage or options")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("dedup", help="report near-duplicate pairs (or clusters) among JSON Lines inputs")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler")
    where.add_argument("--workers", type=_workers,
                       help="start a local cluster of N workers (default: one per core)")
    p.add_argument("--connect-timeout", type=float, default=10.0,
                   help="seconds to wait for --scheduler before giving up (default 10)")
    p.add_argument("--memory-limit", default="auto", type=_memory_limit,
                   help="memory of each worker of the local cluster, e.g. 1GiB (default: RAM / workers); Dask "
                        "spills data to disk beyond 60%% of it")
    p.add_argument("--format", choices=["jsonl", "tsv"], default="jsonl")
    p.add_argument("--clusters", action="store_true")
    # The pipeline's options: the library's table (neardup.options()), with its help and defaults.
    types = {"threshold": float, "containment_threshold": float, "translation_threshold": float, "num_perm": int,
             "seed": int, "shingle": str, "max_bytes": str}
    for name, help_text, default in _neardup.options():
        flag = "--" + name.replace("_", "-")
        if name in types:
            p.add_argument(flag, type=types[name], help="%s (default %s)" % (help_text, default))
        elif default == "true":
            p.add_argument("--no-" + flag[2:], action="store_true",
                           help="Do not " + help_text[0].lower() + help_text[1:])
        else:
            p.add_argument(flag, action="store_true", help=help_text)
    p.add_argument("--blocksize", default="16MiB", help="bytes of input per partition")
    p.add_argument("inputs", nargs="+", metavar="INPUT.jsonl")
    try:
        args = parser.parse_args(argv)
        try:
            _blocksize(args.blocksize)
        except ValueError as e:
            raise _Usage(str(e)) from None
        if not 0 < args.connect_timeout < float("inf"):
            raise _Usage("--connect-timeout: expected a positive number of seconds, got %s" % args.connect_timeout)
        return _run(args)
    except _Usage as e:
        _say("usage: %s" % e)
        return EXIT_USAGE
    except _Unreachable as e:
        _say(str(e))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except Exception as e:  # noqa: BLE001 - the command's promise: one line, never a traceback
        _say("error: %s: %s" % (type(e).__name__, e))
        return EXIT_INPUT


if __name__ == "__main__":
    sys.exit(main())
