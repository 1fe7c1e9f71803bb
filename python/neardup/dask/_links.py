"""The pipeline end to end: documents numbered in input order, text and translation links,
Add's choice of translations (the library's link graph, through the binding), clusters."""

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd

from neardup import _neardup
from neardup.dask._sketches import (
    _Layout,
    _columns,
    _empty,
    _number,
    _pipeline,
    _sketch_partition,
    _text_links,
)
from neardup.dask._translations import _choose_translations, _document_count, _translation_verdicts


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
    a_is_smaller, seq_a, seq_b; a_is_smaller: of a contained pair, whether id_a is inside id_b), in the order `neardup dedup` prints them, with the documents that could
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
    # In the order Add makes them (the library's rule, through the binding).
    order = _neardup._text_link_order(text["a"].tolist(), text["b"].tolist(), [str(k) for k in text["kind"]],
                                      text["score"].tolist())
    text = text.iloc[order]
    links = [text]
    if translations:
        verdicts = _translation_verdicts(docs, layout, text, options, pipeline).compute()
        chosen = pd.DataFrame(_choose_translations(verdicts, text), columns=["a", "b", "score"])
        needed = np.unique(np.concatenate([chosen["a"].to_numpy(np.int64), chosen["b"].to_numpy(np.int64)]))
        names = docs[["t", "id"]][docs["t"].isin(needed)].compute().set_index("t")["id"]
        links.append(pd.DataFrame({"a": chosen["a"], "b": chosen["b"], "kind": "translation", "score": chosen["score"],
                                   "jaccard": 0.0, "containment": 0.0, "a_is_smaller": False, "id_a": names.reindex(chosen["a"]).to_numpy(),
                                   "id_b": names.reindex(chosen["b"]).to_numpy()}))
    links = pd.concat(links, ignore_index=True)
    out = pd.DataFrame({"id_a": links["id_a"], "id_b": links["id_b"], "kind": links["kind"], "score": links["score"],
                        "jaccard": links["jaccard"], "containment": links["containment"],
                        "a_is_smaller": links["a_is_smaller"].astype(bool), "seq_a": links["a"],
                        "seq_b": links["b"]}).reset_index(drop=True)
    return out, problems


def dedup(data, **options):
    """The pairs `neardup dedup` reports for `data`, as dicts {id_a, id_b, kind, score,
    jaccard, containment, smaller}, in its order (smaller: "a" or "b", the one of a contained
    pair inside the other, else None, as Deduplicator.pairs()). See dedup_links for the
    arguments."""
    links, _ = dedup_links(data, **options)
    return [{"id_a": r.id_a, "id_b": r.id_b, "kind": r.kind, "score": r.score, "jaccard": r.jaccard,
             "containment": r.containment, "smaller": ("a" if r.a_is_smaller else "b") if r.kind == "contained" else None}
            for r in links.itertuples()]


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
