"""neardup: near-duplicate texts, trimmed copies and translations, in one language and across.

    import neardup
    d = neardup.Deduplicator()                 # or Deduplicator(store="crawl.ndup")
    d.add("a", "Le président a annoncé ...")   # [] : nothing seen before
    d.add("b", "Il presidente ha annunciato ...")
    # [{'id': 'a', 'kind': 'translation', 'score': 0.92, 'jaccard': None, 'containment': None,
    #   'id_is_smaller': None}]
    # Results are dicts; neardup.results describes their shapes (Match, Pair, ...) for type checkers.
    d.pairs(), d.clusters(), d.stats()
    d.duplicates(keep="longest")               # what to drop: each copy with the kept one
    neardup.signature("some text")             # numpy.uint64 array, k = 128
    neardup.compare(text_a, text_b)            # what `neardup compare --format json` prints
    neardup.options()                          # (name, help, default) of every option

The work is done by the C++ library (the module neardup._neardup), with the GIL released.
Errors are raised as subclasses of NeardupError that are also the builtin a caller expects:
InvalidArgumentError (ValueError), NotFoundError and AlreadyExistsError (KeyError),
FailedPreconditionError (RuntimeError), DataLossError and UnavailableError (OSError),
UnimplementedError (NotImplementedError), ResourceExhaustedError (MemoryError),
AbortedError (RuntimeError). Their message is the library's.

Options are checked by the library's one validation, the command's messages included. Texts,
ids and language tags are str, or bytes holding their UTF-8; bytes that are not UTF-8 and a
str with a lone surrogate raise InvalidArgumentError naming the argument, None a TypeError
naming it. Ctrl-C stops add_many between documents, saying how many were added.
"""
from neardup._neardup import (  # noqa: F401
    AbortedError,
    AlreadyExistsError,
    DataLossError,
    Deduplicator,
    FailedPreconditionError,
    InvalidArgumentError,
    NeardupError,
    NotFoundError,
    ResourceExhaustedError,
    UnavailableError,
    UnimplementedError,
    __version__,
    compare,
    options,
    signature,
)
from neardup.results import Cluster, Duplicate, Match, Pair, Stats  # noqa: F401  (the results' shapes)

__all__ = [
    "Deduplicator", "signature", "compare", "options", "NeardupError", "InvalidArgumentError", "NotFoundError",
    "AlreadyExistsError", "FailedPreconditionError", "DataLossError", "UnavailableError",
    "UnimplementedError", "ResourceExhaustedError", "AbortedError", "__version__",
    "Match", "Pair", "Duplicate", "Cluster", "Stats",
]
