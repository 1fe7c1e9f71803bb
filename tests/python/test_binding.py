"""The Python binding against the neardup command: the same documents must give the same
lines, and every error a clear exception. Run by ctest (`python` test) with PYTHONPATH set to
the build's python/ directory, NEARDUP_CLI to the command and NEARDUP_SOURCE_DIR to the tree.
"""
import json
import math
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import neardup

SOURCE = os.environ["NEARDUP_SOURCE_DIR"]
CLI = os.environ["NEARDUP_CLI"]
SEEDS = os.path.join(SOURCE, "seeds")
SEED_NAMES = sorted(os.listdir(SEEDS))
FRENCH, ITALIAN = SEED_NAMES[0], SEED_NAMES[1]  # one article and its translation


def seed_text(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return f.read()


def documents():
    """The seeds, then a byline copy and a trimmed half of each: near, contained and
    translation links among untranslated, unrelated stories (002-004 link to nothing)."""
    docs = [(name, seed_text(name)) for name in SEED_NAMES]
    for name in SEED_NAMES:
        text = seed_text(name)
        docs.append((name + "/byline", "By our correspondent.\n\n" + text))
        docs.append((name + "/half", text[: len(text) // 2]))
    return docs


def cli_lines(docs, *flags):
    """What `neardup dedup` prints for `docs`, given as JSON Lines on stdin."""
    feed = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in docs)
    out = subprocess.run([CLI, "dedup", "--stdin-jsonl", *flags, "-"], input=feed, capture_output=True,
                         text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def four_decimals(x):
    """As the command prints a TSV score (report.h's FormatScore): llround(min(1, x) * 10^4), halves away
    from zero, where Python's round() would round 0.53125 to even."""
    return math.floor(min(1.0, x) * 10000.0 + 0.5) / 10000.0


def as_cli(pair):
    """A pairs() dict as the command prints it: four decimals, no evidence for translations."""
    out = {"id_a": pair["id_a"], "id_b": pair["id_b"], "score": four_decimals(pair["score"]), "kind": pair["kind"]}
    if pair["kind"] != "translation":
        out["jaccard"] = four_decimals(pair["jaccard"])
        out["containment"] = four_decimals(pair["containment"])
    if pair["kind"] == "contained":
        out["smaller"] = pair["smaller"]
    return out


def cli_order(pairs):
    """dedup prints near and contained links as they are made, translations at the end."""
    return [p for p in pairs if p["kind"] != "translation"] + [p for p in pairs if p["kind"] == "translation"]


@pytest.mark.parametrize("translations", [True, False])
def test_pairs_are_the_commands_lines(translations):
    docs = documents()
    d = neardup.Deduplicator(translations=translations)
    for doc_id, text in docs:
        d.add(doc_id, text)
    expected = cli_lines(docs, *([] if translations else ["--no-translations"]))
    assert len(expected) >= 10, expected
    assert [as_cli(p) for p in cli_order(d.pairs())] == expected
    if translations:
        assert {"id_a": FRENCH, "id_b": ITALIAN} in [{k: p[k] for k in ("id_a", "id_b")} for p in d.pairs()]
    # The unrelated stories link to nothing but their own copies.
    for p in d.pairs():
        for other in SEED_NAMES[2:]:
            if p["id_a"].startswith(other) or p["id_b"].startswith(other):
                assert p["id_a"].split("/")[0] == p["id_b"].split("/")[0], p
    assert len(d) == len(docs)
    assert SEED_NAMES[3] in d and "missing" not in d


def test_add_returns_matches_and_query_does_not_add():
    d = neardup.Deduplicator()
    assert d.add(FRENCH, seed_text(FRENCH)) == []
    matches = d.add(ITALIAN, seed_text(ITALIAN), lang="it")
    assert [(m["id"], m["kind"]) for m in matches] == [(FRENCH, "translation")]
    assert matches[0]["jaccard"] is None and 0.65 <= matches[0]["score"] <= 1
    found = d.query("By our correspondent.\n\n" + seed_text(FRENCH))
    assert found[0]["id"] == FRENCH and found[0]["kind"] == "near" and found[0]["jaccard"] >= 0.8
    assert len(d) == 2
    clusters = d.clusters()
    assert len(clusters) == 1 and clusters[0]["canonical"] == FRENCH
    assert clusters[0]["members"] == [FRENCH, ITALIAN] and clusters[0]["hops"] == [0, 1]
    assert clusters[0]["scores"][0] == 0 and clusters[0]["scores"][1] == matches[0]["score"]
    d.remove(ITALIAN)
    assert d.pairs() == [] and len(d) == 1
    assert d.stats()["documents"] == 1 and d.stats()["memory_bytes"] > 0


def test_add_many_equals_add_one_by_one():
    docs = documents()
    one = neardup.Deduplicator()
    singles = [one.add(i, t) for i, t in docs]
    many = neardup.Deduplicator()
    batch = many.add_many([{"id": i, "text": t} for i, t in docs], threads=2)
    assert batch == singles
    assert many.pairs() == one.pairs()
    # A document that cannot be added: skipped, its error in its place, the rest added.
    mixed = neardup.Deduplicator()
    results = mixed.add_many([("a", seed_text(FRENCH)), ("b", "  \n "), ("c", seed_text(ITALIAN), "it")],
                             errors="collect")
    assert results[0] == [] and results[2][0]["id"] == "a"
    assert isinstance(results[1], neardup.InvalidArgumentError) and "'b'" in str(results[1])
    assert "b" not in mixed and len(mixed) == 2
    with pytest.raises(ValueError, match="document 'b'"):
        neardup.Deduplicator().add_many([("a", seed_text(FRENCH)), ("b", "")])
    with pytest.raises(ValueError):
        mixed.add_many([("x",)])


def test_signature_is_deterministic_and_estimates_the_commands_exact_jaccard():
    text = seed_text(FRENCH)
    sig = neardup.signature(text)
    assert isinstance(sig, np.ndarray) and sig.dtype == np.uint64 and sig.shape == (128,)
    assert np.array_equal(sig, neardup.signature(text))
    assert neardup.signature(text, num_perm=64).shape == (64,)
    assert not np.array_equal(sig, neardup.signature(text, seed=7))
    # A byline copy: the fraction of equal slots estimates the exact Jaccard that
    # `neardup compare` computes from the shingle sets, within 4 standard errors
    # sqrt(J(1-J)/k) (minhash.h), plus 1/k for J near 0 or 1.
    copy = "By our correspondent, with a longer byline than usual.\n\n" + text[: len(text) * 3 // 4]
    estimate = float(np.mean(sig == neardup.signature(copy)))
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "neardup_py_copy_%d.txt" % os.getpid())
    with open(path, "w", encoding="utf-8") as f:
        f.write(copy)
    try:
        out = subprocess.run([CLI, "compare", "--format", "json", os.path.join(SEEDS, FRENCH), path],
                             capture_output=True, text=True, check=True)
    finally:
        os.remove(path)
    exact = json.loads(out.stdout)["exact_jaccard"]
    assert 0.3 < exact < 0.9
    assert abs(estimate - exact) <= 4 * (exact * (1 - exact) / 128) ** 0.5 + 1 / 128


@pytest.mark.parametrize("pair, flags", [((FRENCH, ITALIAN), []), ((FRENCH, ITALIAN), ["--no-translations"]),
                                         ((SEED_NAMES[2], SEED_NAMES[4]), []), ((SEED_NAMES[2], SEED_NAMES[2]), [])])
def test_compare_is_what_the_command_prints(pair, flags):
    """neardup.compare gives, as Python objects, exactly what `neardup compare --format json` prints."""
    paths = [os.path.join(SEEDS, name) for name in pair]
    out = subprocess.run([CLI, "compare", "--format", "json", *flags, *paths], capture_output=True, text=True, check=True)
    v = neardup.compare(seed_text(pair[0]), seed_text(pair[1]), id_a=paths[0], id_b=paths[1],
                        translations=not flags)
    assert v == json.loads(out.stdout)
    expected_kind = {(FRENCH, ITALIAN): "translation" if not flags else None, (SEED_NAMES[2], SEED_NAMES[2]): "near"}
    assert v["verdict"]["kind"] == expected_kind.get(pair)
    if pair == (FRENCH, ITALIAN) and not flags:
        assert (v["a"]["lang"], v["b"]["lang"]) == ("fr", "it") and len(v["verdict"]["translation"]["chain"]) > 10


def test_errors_are_exceptions_with_the_librarys_message():
    d = neardup.Deduplicator()
    with pytest.raises(neardup.InvalidArgumentError, match="UTF-8") as bad:
        d.add("x", b"caf\xe9 au lait et le reste")
    assert isinstance(bad.value, ValueError) and isinstance(bad.value, neardup.NeardupError)
    with pytest.raises(ValueError, match="no words"):
        d.add("empty", "  ...  ")
    d.add("a", seed_text(FRENCH))
    with pytest.raises(neardup.AlreadyExistsError, match="'a' was added before") as again:
        d.add("a", seed_text(ITALIAN))
    assert isinstance(again.value, KeyError)
    with pytest.raises(neardup.NotFoundError):
        d.remove("nobody")
    with pytest.raises(KeyError):
        d.remove("nobody")
    with pytest.raises(ValueError, match="threshold"):
        neardup.Deduplicator(threshold=2.0)
    with pytest.raises(ValueError, match="num_perm"):
        neardup.signature("some words here and there", num_perm=0)
    with pytest.raises(ValueError, match="language tag"):
        d.query(seed_text(FRENCH), lang="french")
    with pytest.raises(TypeError):
        d.add("a")  # noqa: missing text
    assert "translation" in neardup.Deduplicator.add.__doc__  # help() shows the docstrings


def in_another_process(code, path):
    """Runs `code` (with `neardup` imported and `path` set) in a new interpreter; its output."""
    script = "import neardup, sys\npath = sys.argv[1]\n" + code
    out = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_store_round_trip_and_its_errors(tmp_path):
    path = str(tmp_path / "crawl.ndup")
    docs = documents()
    writer = neardup.Deduplicator(store=path, translations=True)
    writer.add_many(docs[:6])
    # Another process: a second writer is refused at once; a reader sees what was committed
    # and may not change it.
    assert in_another_process(
        "try:\n    neardup.Deduplicator(store=path)\nexcept neardup.UnavailableError as e:\n    print('refused:', e)",
        path).startswith("refused: another process has the store")
    assert in_another_process(
        "r = neardup.Deduplicator(store=path, read_only=True)\n"
        "try:\n    r.add('z', 'some words here and there')\nexcept neardup.FailedPreconditionError as e:\n"
        "    print(len(r), e)", path) == "6 the store was opened read-only"
    # This process has it open: one Deduplicator serves all threads, a second open is refused.
    with pytest.raises(neardup.FailedPreconditionError, match="open in this process"):
        neardup.Deduplicator(store=path, read_only=True)
    writer.add_many(docs[6:])
    pairs = writer.pairs()
    stats = writer.stats()
    assert stats["store"]["documents"] == len(docs) and stats["store"]["format_version"] == 4
    assert stats["store"]["parameters"]["num_perm"] == "128"
    del writer
    reopened = neardup.Deduplicator(store=path)  # its own options
    assert reopened.pairs() == pairs
    memory = neardup.Deduplicator()
    for doc_id, text in docs:
        memory.add(doc_id, text)
    assert memory.pairs() == pairs  # stored and in memory: the same answers
    del reopened
    with pytest.raises(neardup.FailedPreconditionError, match="num_perm: the store has 128, the options say 64"):
        neardup.Deduplicator(store=path, num_perm=64)
    with pytest.raises(neardup.NotFoundError):
        neardup.Deduplicator(store=str(tmp_path / "none.ndup"), read_only=True)
    junk = tmp_path / "junk.ndup"
    junk.write_bytes(b"not a store" * 1000)
    with pytest.raises(neardup.DataLossError):
        neardup.Deduplicator(store=str(junk))


def test_the_gil_is_released_during_library_calls():
    # A Python thread counts while the main thread is inside one long library call. The
    # switch interval is set far beyond the call, so if the call kept the GIL the counter
    # could not move during it: the check is deterministic, not a timing.
    docs = documents() * 1
    texts = [t for _, t in docs] * 20
    d = neardup.Deduplicator()
    counter = [0]
    done = threading.Event()

    def count():
        while not done.is_set():
            counter[0] += 1
            if counter[0] % 1000 == 0:
                time.sleep(0)  # lets the main thread take the GIL back

    old = sys.getswitchinterval()
    sys.setswitchinterval(30.0)
    thread = threading.Thread(target=count)
    thread.start()
    try:
        while counter[0] == 0:
            time.sleep(0.001)
        before = counter[0]
        d.add_many([("d%d" % i, t) for i, t in enumerate(texts)], threads=1)
        during = counter[0] - before
    finally:
        done.set()
        thread.join()
        sys.setswitchinterval(old)
    assert during > 0


@pytest.mark.parametrize("keep", ["longest", "first"])
def test_duplicates_are_the_commands_dropped_documents(keep):
    """duplicates(keep=) gives what `neardup dedup --keep KEEP --dropped` prints, and at least
    one contained copy names its smaller side."""
    docs = documents()
    d = neardup.Deduplicator()
    for doc_id, text in docs:
        d.add(doc_id, text)
    expected = cli_lines(docs, "--keep", keep, "--dropped")
    got = d.duplicates(keep=keep)
    assert expected, "the documents hold no copies: the test would prove nothing"
    assert [{k: v for k, v in dict(g, score=four_decimals(g["score"])).items() if v is not None} for g in got] == expected
    assert d.duplicates() == d.duplicates(keep="longest")
    with pytest.raises(ValueError, match="longest or first"):
        d.duplicates(keep="biggest")


def test_add_many_takes_a_dataframe_and_names_its_columns():
    pd = pytest.importorskip("pandas")
    docs = documents()
    frame = pd.DataFrame({"doc_id": [i for i, _ in docs], "body": [t for _, t in docs],
                          "language": [None] * len(docs)})
    one_by_one = neardup.Deduplicator()
    expected = [one_by_one.add(i, t) for i, t in docs]
    d = neardup.Deduplicator()
    assert d.add_many(frame, id_field="doc_id", text_field="body", lang_field="language") == expected
    assert d.pairs() == one_by_one.pairs()
    with pytest.raises(ValueError, match=r"docs has no column 'id' \(its columns: 'doc_id', 'body', 'language'\)"):
        neardup.Deduplicator().add_many(frame)
    # Mappings with other field names, and NaN for an unknown language.
    rows = frame.to_dict("records")
    rows[0]["language"] = float("nan")
    assert neardup.Deduplicator().add_many(rows, id_field="doc_id", text_field="body", lang_field="language") == expected


def test_add_many_raises_after_adding_the_others_and_keeps_their_matches():
    docs = documents()
    bad = docs[:2] + [("empty", "  ...  "), (docs[0][0], "again")] + docs[2:]
    d = neardup.Deduplicator()
    with pytest.raises(neardup.InvalidArgumentError, match="document 'empty': .*no words") as e:
        d.add_many(bad)
    collected = neardup.Deduplicator().add_many(bad, errors="collect")
    got = e.value.results
    assert len(got) == len(bad) and e.value.processed == len(bad) and e.value.added == len(bad) - 2
    assert isinstance(got[2], neardup.InvalidArgumentError) and isinstance(got[3], neardup.AlreadyExistsError)
    assert [r for r in got if isinstance(r, list)] == [r for r in collected if isinstance(r, list)]
    assert len(d) == len(docs)  # the others were added
