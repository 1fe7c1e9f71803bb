"""JSON Lines in blocks cut at line starts, each line read by the library's rule (neardup/jsonl.h), the
command's."""

import os
import stat

import dask
import dask.bag as db
import numpy as np

from neardup import _neardup


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


def _parse_line(line, where="?", first_line=False):
    """A JSON line (bytes, without its newline) as {"id", "text", "lang", "where"}, or {"error":
    reason, "where": place[, "id"]}; None for a blank line. `where` is file:line. The line is
    read by the library's rule (neardup/jsonl.h), the command's: the same documents, and the
    same reasons for the lines refused; a document's problems after its id is read name it, as
    "file:line (id X)"."""
    kind, doc_id, text, lang, error = _neardup._parse_jsonl_line(line, first_line)
    if kind == "blank":
        return None
    named = where if not doc_id else "%s (id %s)" % (where, _id_for_message(doc_id))
    if kind == "error":
        return dict({"error": error, "where": named}, **({"id": doc_id} if doc_id else {}))
    return {"id": doc_id, "text": text, "lang": lang, "where": named}


def _read_block(path, start, end, first_lines, block):
    """The records of the lines that start in [start, end) of `path`, the first being line
    first_lines[block] + 1. A read error is a record naming the file."""
    # As in every task of the package (binding/allocator.cc): under Dask's malloc setting, each
    # block's bytes were mapped afresh, and reading the perf corpus's blocks took 1.5x as long.
    _neardup._worker_allocator()
    try:
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(end - start)
    except OSError as e:
        return [{"error": "cannot read: %s" % (e.strerror or e), "where": path}]
    lines = data.split(b"\n")
    first = first_lines[block] + 1
    return [d for d in (_parse_line(line, "%s:%d" % (path, first + i), first_line=start == 0 and i == 0)
                        for i, line in enumerate(lines))
            if d is not None]


def _count_lines(path, start, end):
    """The line ends in [start, end) of `path` (0 if it cannot be read: _read_block says why)."""
    _neardup._worker_allocator()  # counting took 2.6x as long without (see _read_block)
    try:
        with open(path, "rb") as f:
            f.seek(start)
            return int(np.count_nonzero(np.frombuffer(f.read(end - start), dtype=np.uint8) == 10))
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
