"""`python3 -m neardup.dask dedup ...`: the command, with `neardup dedup`'s flags, messages and
exit codes."""

import argparse
import sys

import dask
import pandas as pd

from neardup import _neardup
from neardup.dask._jsonl import _blocksize, _read, _usable_inputs
from neardup.dask._links import _links, _options, clusters
from neardup.dask._output import format_cluster, format_pair
from neardup.dask._progress import Progress


# --- The command --------------------------------------------------------------------------

_PROG = "neardup.dask"
_DESCRIPTION = ("Near-duplicate and translation detection on Dask: the pairs `neardup dedup` finds, "
                "computed partition by partition on a cluster, whatever the partitioning or the number of workers.")
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
            progress = Progress(not args.quiet)
            try:
                links, problems, _ = _links(bag, options, progress=progress)
            finally:
                progress.done()
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
    return pd.DataFrame({"id_a": [], "id_b": [], "kind": [], "score": [], "jaccard": [], "containment": [], "a_is_smaller": [],
                         "seq_a": [], "seq_b": []})


def main(argv=None):
    """`python3 -m neardup.dask dedup ...`: the lines `neardup dedup` prints, with its exit
    codes and messages: 2 for a usage error (one line), 1 when some input could not be read
    or used (each named, file:line for a line, the rest processed), 0 otherwise. Never a
    traceback: an unexpected error is one line too (exit 1)."""
    parser = _Parser(prog="python3 -m neardup.dask", description=_DESCRIPTION,
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
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress line on stderr (shown only when stderr is a terminal: partitions "
                        "fingerprinted, the share of the input, the time left)")
    # The pipeline's options: the library's table (neardup.options()), with its help and defaults.
    types = {"threshold": float, "containment_threshold": float, "translation_threshold": float, "num_perm": int,
             "seed": int, "shingle": str, "max_bytes": str}
    for name, help_text, default in _neardup.options():
        flag = "--" + name.replace("_", "-")
        if name in types:
            p.add_argument(flag, type=types[name], help="%s (default %s)" % (help_text, default))
        elif default == "true":
            p.add_argument("--no-" + flag[2:], action="store_true", help=_neardup._off_help(name))
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

