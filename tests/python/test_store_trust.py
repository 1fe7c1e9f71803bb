"""A store a crawler can trust, from Python (issue #21): long ids in add_many, and fork."""
import os
import subprocess

import pytest

import neardup

CLI = os.environ.get("NEARDUP_CLI")
SOURCE = os.environ.get("NEARDUP_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def seed_texts():
    folder = os.path.join(SOURCE, "seeds")
    return [open(os.path.join(folder, name), encoding="utf-8").read() for name in sorted(os.listdir(folder))]


def index_check(path):
    """`neardup index check` on the store, in another process: its exit code and output."""
    assert CLI, "NEARDUP_CLI names the command (ctest sets it)"
    done = subprocess.run([CLI, "index", "check", path], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def test_add_many_with_long_ids_adds_the_rest_and_keeps_the_store_whole(tmp_path):
    path = str(tmp_path / "crawl.ndup")
    texts = seed_texts()
    url = "https://example.org/" + "p" * 580  # 600 bytes: longer than an LMDB key
    d = neardup.Deduplicator(store=path)
    results = d.add_many([("short", texts[0]), ("x" * 100_000, texts[2]), (url, texts[3]),
                          ("after", "By our correspondent.\n\n" + texts[3])], errors="collect")
    assert isinstance(results[1], neardup.InvalidArgumentError) and isinstance(results[1], ValueError)
    assert "longer than the limit of 65536 bytes" in str(results[1])
    assert [m["id"] for m in results[3]] == [url]
    assert len(d) == 3 and url in d
    # errors='raise': the same refusal, raised once the batch is done; nothing else breaks.
    with pytest.raises(ValueError, match="longer than the limit"):
        d.add_many([("y" * 70_000, texts[1]), ("later", texts[4])])
    assert "later" in d and len(d) == 4
    d.add("single", texts[1])
    with pytest.raises(ValueError, match="longer than the limit"):
        d.add("z" * 65_537, texts[2])
    assert len(d) == 5
    pairs = d.pairs()
    del d
    code, output = index_check(path)
    assert code == 0 and "ok, 5 documents" in output, output
    assert neardup.Deduplicator(store=path, read_only=True).pairs() == pairs


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX")
def test_a_forked_child_is_refused_and_the_parent_keeps_working(tmp_path):
    path = str(tmp_path / "crawl.ndup")
    texts = seed_texts()
    d = neardup.Deduplicator(store=path)
    d.add("first", texts[0])
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its writes must be refused, and it must leave the parent's store alone
        os.close(read)
        try:
            try:
                d.add("from the child", texts[2])
                message = "added"
            except neardup.FailedPreconditionError as e:
                message = "refused: " + str(e)
            # Reading memory is fine in the child; what it knew at the fork.
            message += "\n%d" % len(d)
            os.write(write, message.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        told = f.read()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert told.startswith("refused: the store") and "forked process" in told, told
    assert told.endswith("\n1"), told
    # The parent goes on: adds, and the store holds exactly its documents.
    d.add("second", texts[2])
    d.add("third", texts[3])
    assert len(d) == 3 and "from the child" not in d
    del d
    code, output = index_check(path)
    assert code == 0 and "ok, 3 documents" in output, output
