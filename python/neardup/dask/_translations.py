"""The translation path: anchor weights as of a time (occurrences and questions shuffled by
key), trimmed translation signatures, candidates, and the library's translation verdicts."""

import hashlib

import dask.dataframe as dd
import numpy as np
import pandas as pd

from neardup import _neardup
from neardup.dask._sketches import _at, _candidate_pairs, _pipeline, _unpack, _with


# --- Anchor weights as of a time ----------------------------------------------------------

# AnchorWeights::kMinDocumentsForIdf: below this many documents, no frequency is read.
_MIN_DOCUMENTS_FOR_IDF = 20

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
        # Sorted questions read the sorted arrays in order (searchsorted is much faster so).
        by_key = np.lexsort((qt, qkey))
        sk, st = qkey[by_key], qt[by_key]
        at = np.minimum(np.searchsorted(distinct, sk), len(distinct) - 1)
        counted = np.searchsorted(code, (at << 32) | st, side="right") - first[at]
        df[by_key] = np.where(distinct[at] == sk, counted, 0)
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


def _similar(pairs, trimmed_a, trimmed_b, options, min_similarity):
    """The pairs (a of trimmed_a's partition, b of trimmed_b's) in two known, different
    languages whose translation signatures agree on at least min_similarity of their slots
    (LshIndex::Query's estimate), with it."""
    at_a, at_b = _at(trimmed_a, pairs["a"].to_numpy(np.int64)), _at(trimmed_b, pairs["b"].to_numpy(np.int64))
    lang_a, lang_b = trimmed_a["lang"].to_numpy(np.int64)[at_a], trimmed_b["lang"].to_numpy(np.int64)[at_b]
    known = (lang_a != 0) & (lang_a != lang_b)
    at_a, at_b, lang_a = at_a[known], at_b[known], lang_a[known]
    similarity = _pipeline(options).agreement(trimmed_a["tkept"].to_numpy()[at_a].tolist(),
                                              trimmed_b["tkept"].to_numpy()[at_b].tolist())
    out = pd.DataFrame({"a": trimmed_a["t"].to_numpy(np.int64)[at_a], "b": trimmed_b["t"].to_numpy(np.int64)[at_b],
                        "lang_a": lang_a, "similarity": similarity})
    return out[out["similarity"] >= min_similarity]


def _ranks(*keys):
    """Each row's rank in its run of equal `keys` (rows sorted by them)."""
    n = len(keys[0])
    change = np.zeros(n, dtype=bool)
    change[:1] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    first = np.flatnonzero(change)
    return np.arange(n, dtype=np.int64) - np.repeat(first, np.diff(np.r_[first, n]))


def _select(candidates, text_codes, per_language, most):
    """At b: SelectTranslationCandidates per document b: most similar first (ties: earlier
    a), not linked to b by text, at most `per_language` per language and `most` in all."""
    a, b = candidates["a"].to_numpy(np.int64), candidates["b"].to_numpy(np.int64)
    lang, similarity = candidates["lang_a"].to_numpy(np.int64), candidates["similarity"].to_numpy(np.float64)
    kept = ~np.isin((a << 32) | b, text_codes)
    a, b, lang, similarity = a[kept], b[kept], lang[kept], similarity[kept]
    # The best per_language of each (b, language), then the best `most` of those per b.
    order = np.lexsort((a, -similarity, lang, b))
    order = order[_ranks(b[order], lang[order]) < per_language]
    order = order[np.lexsort((a[order], -similarity[order], b[order]))]
    order = order[_ranks(b[order]) < most]
    return pd.DataFrame({"a": a[order], "b": b[order]})


def _verdict_questions(pairs, docs):
    """At b: each document with candidates asks the frequencies, at its time, of its own keys
    and its candidates' (each key once)."""
    b = np.unique(pairs["b"].to_numpy(np.int64))
    own = _questions(pd.DataFrame({"keys": docs["keys"].to_numpy()[_at(docs, b)], "b": b}), "keys", at="b")
    asked = pd.concat([own, _questions(pairs, "keys_a", at="b")])
    key, t = asked["key"].to_numpy(np.int64), asked["t"].to_numpy(np.int64)
    # (key, t) as one exact int64: the key's rank among the distinct keys, then t in this partition.
    rank = pd.factorize(key)[0].astype(np.int64)
    span = int(t.max() - t.min()) + 1 if len(t) else 1
    once = ~pd.Series(rank * span + (t - (t.min() if len(t) else 0))).duplicated().to_numpy()
    return pd.DataFrame({"key": key[once], "t": t[once], "q": t[once]})


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
    candidates = layout.blocks(_similar, pairs, "a", trimmed,
                               meta={"a": "int64", "b": "int64", "lang_a": "int64", "similarity": "float64"},
                               args=(options, pipeline.min_translation_similarity))
    text_codes = np.sort((text_links["a"].to_numpy(np.int64) << 32) | text_links["b"].to_numpy(np.int64))
    selected = candidates.map_partitions(
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
