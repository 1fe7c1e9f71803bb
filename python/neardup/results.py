"""The shapes of neardup's results, for type checkers and readers: each is a plain dict at run
time (what the binding returns), described here as a TypedDict.

    from neardup.results import Match
    def first_copy(matches: list[Match]) -> str | None: ...
"""
from typing import Dict, List, Literal, Optional, TypedDict

Kind = Literal["near", "contained", "translation"]


class Match(TypedDict):
    """An earlier document that a new one (add, add_many) or a query duplicates or translates."""
    id: str
    kind: Kind
    score: float                   # near: Jaccard; contained: containment; translation: its score
    jaccard: Optional[float]       # None for translations
    containment: Optional[float]   # None for translations
    id_is_smaller: Optional[bool]  # contained: `id` is inside the new document; else None


class Pair(TypedDict):
    """A live link (Deduplicator.pairs(), neardup.dask.dedup()): what `neardup dedup` prints."""
    id_a: str                      # added first
    id_b: str
    kind: Kind
    score: float
    jaccard: Optional[float]
    containment: Optional[float]
    smaller: Optional[Literal["a", "b"]]  # contained: which one is inside the other; else None


class Duplicate(TypedDict):
    """A document to drop (Deduplicator.duplicates()): what `neardup dedup --keep --dropped` prints."""
    id: str
    kept: str                      # the kept document it copies
    kind: Literal["near", "contained"]
    score: float
    smaller: Optional[Literal["id", "kept"]]  # contained: which one is inside the other; else None


class Cluster(TypedDict):
    """A group of linked documents (Deduplicator.clusters())."""
    canonical: str
    members: List[str]             # canonical first
    hops: List[int]                # links to the canonical
    scores: List[float]            # of the direct link to the canonical, 0 without one


class StoreStats(TypedDict):
    documents: int
    live_documents: int
    links: int
    live_links: int
    bytes_on_disk: int
    bytes_used: int
    format_version: int
    created_by: str
    parameters: Dict[str, str]


class _StatsBase(TypedDict):
    documents: int
    memory_bytes: int


class Stats(_StatsBase, total=False):
    """Deduplicator.stats(): 'store' only for a Deduplicator with a store."""
    store: StoreStats


__all__ = ["Kind", "Match", "Pair", "Duplicate", "Cluster", "Stats", "StoreStats"]
