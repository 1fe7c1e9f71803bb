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
)
from neardup.dask._text import _text_links
from neardup.dask._translations import _choose_translations, _document_count, _translation_verdicts


def _as_bag(data, fields=None):
    """`data` as a bag of records with "id", "text" and "lang", read from the fields `fields`
    names (id, text, lang) when they are others."""
    id_field, text_field, lang_field = fields or ("id", "text", "lang")
    renamed = (id_field, text_field, lang_field) != ("id", "text", "lang")
    if isinstance(data, dd.DataFrame):
        # Named here, on the client, not as a failure inside the workers.
        for name in (id_field, text_field):
            if name not in data.columns:
                raise ValueError("the dataframe has no column '%s' (its columns: %s); name the id and text columns "
                                 "with id_field and text_field" % (name, ", ".join("'%s'" % c for c in data.columns)))
        if renamed:
            columns = [id_field, text_field] + ([lang_field] if lang_field in data.columns else [])
            data = data[columns].rename(columns={id_field: "id", text_field: "text", lang_field: "lang"})
        return data.to_bag(format="dict")
    if renamed:
        def rename(record):
            if not isinstance(record, dict) or record.get("error") is not None:
                return record
            out = {k: v for k, v in record.items() if k not in (id_field, text_field, lang_field)}
            out.update(id=record.get(id_field), text=record.get(text_field), lang=record.get(lang_field))
            return out
        return data.map(rename)
    return data


def _documents(data, options, pipeline, fields=None, progress=None):
    """The documents that Add would take, persisted on the workers where they were
    fingerprinted, numbered by time (partition i holds consecutive times), with their layout;
    and the ones it would refuse, as (input partition, row, where, id, reason), in input order."""
    # Kept on the workers: both the documents and the errors come from them (computed once).
    parts = dask.persist(*[dask.delayed(_sketch_partition)(p, i, options)
                           for i, p in enumerate(_as_bag(data, fields).to_delayed())])
    if progress is not None:
        progress.fingerprinting(parts)
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
                translations=True, id_field="id", text_field="text", lang_field="lang"):
    """The links among `data` (a dask bag of {"id", "text"[, "lang"]} or a dask dataframe with
    those columns) as a pandas DataFrame (id_a, id_b, kind, score, jaccard, containment,
    a_is_smaller, seq_a, seq_b; a_is_smaller: of a contained pair, whether id_a is inside id_b), in the order `neardup dedup` prints them, with the documents that could
    not be added as a list of (id, reason), in input order. A record that is not a document
    (an id or text missing or not a str, a str without UTF-8, an id over the library's
    limit, read_jsonl's {"error"} records) is one of those, never an exception on a worker.
    seq is a document's time: 1 + the number of documents added before it. Options as
    neardup.Deduplicator's, and shingle, strip_diacritics and replace_invalid as `neardup
    dedup`'s --shingle, --strip-diacritics and --replace-invalid. id_field, text_field and
    lang_field name the records' (or the dataframe's columns') id, text and language."""
    options = _options(threshold=threshold, num_perm=num_perm, containment_threshold=containment_threshold,
                       translation_threshold=translation_threshold, seed=seed, max_bytes=max_bytes,
                       shingle=shingle, strip_diacritics=strip_diacritics, replace_invalid=replace_invalid,
                       translations=translations)
    out, problems, _ = _links(data, options, fields=(id_field, text_field, lang_field))
    return out, [(doc_id, reason) for _, _, _, doc_id, reason in problems]


def _links(data, options, fields=None, facts=False, progress=None):
    """dedup_links with options made by _options; the problems as (partition, row, where, id,
    reason); with `facts`, the linked documents' set sizes and languages as a DataFrame
    indexed by time (set_size, lang), else None."""
    translations = options["translations"]
    pipeline = _pipeline(options)
    docs, layout, problems = _documents(data, options, pipeline, fields, progress)
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
    linked = None
    if facts:
        needed = np.unique(np.concatenate([out["seq_a"].to_numpy(np.int64), out["seq_b"].to_numpy(np.int64)]))
        columns = ["t", "set_size"] + (["lang"] if translations else [])
        linked = docs[columns][docs["t"].isin(needed)].compute().set_index("t")
        if not translations:
            linked["lang"] = ""  # not read without translations, as the Deduplicator does
    return out, problems, linked


def dedup(data, **options):
    """The pairs `neardup dedup` reports for `data`, as dicts {id_a, id_b, kind, score,
    jaccard, containment, smaller}, in its order (smaller: "a" or "b", the one of a contained
    pair inside the other, else None, as Deduplicator.pairs()). See dedup_links for the
    arguments."""
    links, _ = dedup_links(data, **options)
    return [{"id_a": r.id_a, "id_b": r.id_b, "kind": r.kind, "score": r.score, "jaccard": r.jaccard,
             "containment": r.containment, "smaller": ("a" if r.a_is_smaller else "b") if r.kind == "contained" else None}
            for r in links.itertuples()]


def duplicates(data, keep="longest", **options):
    """What to drop of `data` so that each text is kept once, as Deduplicator.duplicates(keep)
    gives it (the library's rule, index/keep.h, through the binding): a pandas DataFrame (id,
    kept, kind, score, smaller), one row per document to drop, in input order: `id` is a copy
    ('near' or 'contained') of the kept document `kept` in its language; smaller ('id' or
    'kept') says which of a contained pair is inside the other, else None. keep='longest'
    keeps the document of the most distinct shingles of each group of copies, keep='first' the
    first in input order; translations are never dropped. Options as dedup_links's (id_field,
    text_field and lang_field included)."""
    fields = (options.pop("id_field", "id"), options.pop("text_field", "text"), options.pop("lang_field", "lang"))
    _neardup._choose_drops(1, [], [], [], [], [0], [""], keep)  # a bad policy fails before any work
    made = _options(**options) if "translations" in options else _options(True, **options)
    links, _, facts = _links(data, made, fields=fields, facts=True)
    columns = ["id", "kept", "kind", "score", "smaller"]
    if links.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score" else "object") for c in columns})
    n = int(max(links["seq_a"].max(), links["seq_b"].max())) + 1
    sizes, languages = [0] * n, [""] * n
    for t, size, lang in zip(facts.index.tolist(), facts["set_size"].tolist(), facts["lang"].tolist()):
        sizes[t], languages[t] = int(size), str(lang)
    drops = _neardup._choose_drops(n, links["seq_a"].tolist(), links["seq_b"].tolist(),
                                   [str(k) for k in links["kind"]], links["score"].astype(float).tolist(), sizes,
                                   languages, keep)
    names = {}
    for t_a, t_b, id_a, id_b in zip(links["seq_a"].tolist(), links["seq_b"].tolist(), links["id_a"], links["id_b"]):
        names[t_a], names[t_b] = id_a, id_b
    rows = []
    for dropped, kept, link, dropped_is_smaller in drops:
        kind = links["kind"].iat[link]
        rows.append((names[dropped], names[kept], kind, float(links["score"].iat[link]),
                     ("id" if dropped_is_smaller else "kept") if kind == "contained" else None))
    return pd.DataFrame(rows, columns=columns)


def remove_duplicates(data, keep="longest", **options):
    """`data` (a dask dataframe, or a bag of records) without the documents duplicates() would
    drop: the same kind of collection, its other columns or fields untouched. Options as
    duplicates'."""
    id_field = options.get("id_field", "id")
    dropped = set(duplicates(data, keep, **options)["id"])
    if isinstance(data, dd.DataFrame):
        return data[~data[id_field].isin(list(dropped))]
    return data.filter(lambda r: not (isinstance(r, dict) and r.get(id_field) in dropped))


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
