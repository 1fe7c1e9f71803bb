"""Near-duplicate and translation detection on Dask: the pairs `neardup dedup` finds,
computed partition by partition on a cluster, whatever the partitioning or the number of
workers.

    import neardup.dask
    docs = neardup.dask.read_jsonl(["corpus.jsonl"], "16MiB")   # a bag of {"id", "text", "lang"}
    pairs = neardup.dask.dedup(docs)          # [{"id_a", "id_b", "kind", "score", ...}, ...]
    drop = neardup.dask.duplicates(frame, keep="longest", id_field="doc_id")  # ids to drop, and why
    kept = neardup.dask.remove_duplicates(frame, id_field="doc_id")           # the frame without them

    python3 -m neardup.dask dedup --workers 2 corpus.jsonl

How: the Deduplicator, taken apart so that no worker holds more than its share. `neardup
dedup` adds documents one at a time, so each step finds what Add found when the document
came. A document's time is its rank among the documents added (input order): how many the
collection holds once it is in. Design and measurements: python/DESIGN.md.

The package, one concern a module: _jsonl (reading), _sketches (fingerprints, and the moves
and bucket scans both paths use), _text (the text path), _translations (the translation path),
_links (the pipeline end to end), _output (the lines, written by the library), _command
(python3 -m neardup.dask).
  1. Each partition fingerprints its documents on a worker: kept 32-bit signature values, set
     sizes, and with translations the language, anchor profile and translation signature.
  2. Text path: band and sample keys are shuffled together by key. In each bucket, a
     document's candidates are the max_bucket_scan members just before it (the index reads
     buckets newest first); a sample key's, its 256 newest holders. Candidate pairs go to the
     later document's partition, and each block of pairs between two partitions meets those
     partitions' signatures and is judged there, by the library's own text verdict.
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
from neardup.dask._jsonl import read_jsonl
from neardup.dask._links import clusters, dedup, dedup_links, duplicates, remove_duplicates
from neardup.dask._output import format_cluster, format_pair
from neardup.dask._command import main

__all__ = ["read_jsonl", "dedup", "dedup_links", "duplicates", "remove_duplicates", "clusters", "format_pair",
           "format_cluster", "main"]
