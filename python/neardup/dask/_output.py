"""The lines `neardup dedup` prints, written by the library (neardup/report.h)."""

from neardup import _neardup


# --- The command: the lines `neardup dedup` prints ------------------------------------------

def format_pair(pair, fmt):
    """A pair as `neardup dedup --format FMT` prints it (the library's report.h), without newline."""
    return _neardup._pair_line(fmt, pair["id_a"], pair["id_b"], pair["kind"], float(pair["score"]),
                               float(pair["jaccard"]), float(pair["containment"]), bool(pair.get("a_is_smaller", False)))


def format_cluster(number, cluster, fmt):
    """A cluster as `neardup dedup --clusters --format FMT` prints it, without the last newline."""
    return _neardup._cluster_lines(fmt, number, list(cluster["members"]), [int(h) for h in cluster["hops"]],
                                   [float(s) for s in cluster["scores"]])
