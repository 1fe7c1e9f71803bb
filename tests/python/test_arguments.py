"""What Python gives the library (issue #21, item 8): every option checked by the library's one
validation, with the command's message; texts and ids by one rule (a str, or bytes holding its
UTF-8), None and lone surrogates refused naming the argument; one limit on document ids; Ctrl-C
honoured between the documents of add_many. neardup.dask's functions are checked here too, on
Dask's synchronous scheduler (its command: tests/dask_bad_input_test.sh).

Run by ctest (`python` test) with PYTHONPATH, NEARDUP_CLI and NEARDUP_SOURCE_DIR set.
"""
import json
import math
import os
import subprocess
import sys

import dask
import dask.bag as db
import numpy as np
import pytest

import neardup
import neardup.dask as nd

SOURCE = os.environ["NEARDUP_SOURCE_DIR"]
CLI = os.environ["NEARDUP_CLI"]
SEEDS = os.path.join(SOURCE, "seeds")
SEED_NAMES = sorted(os.listdir(SEEDS))
FRENCH, ITALIAN = SEED_NAMES[0], SEED_NAMES[1]


def seed_text(name):
    with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
        return f.read()


def dask_links(docs, **options):
    """neardup.dask.dedup_links on `docs`, computed in this process."""
    with dask.config.set(scheduler="sync"):
        return nd.dedup_links(db.from_sequence(docs, npartitions=2), **options)


# --- Options: the library's check, the command's message -----------------------------------

NAN, INF = math.nan, math.inf
# Keyword arguments, and the same values as the command's flags.
BAD_OPTIONS = [
    ({"translation_threshold": NAN}, ["--translation-threshold", "nan"]),
    ({"translation_threshold": INF}, ["--translation-threshold", "inf"]),
    ({"translation_threshold": -0.5}, ["--translation-threshold", "-0.5"]),
    ({"threshold": NAN}, ["--threshold", "nan"]),
    ({"threshold": -INF}, ["--threshold", "-inf"]),
    ({"threshold": 1.5}, ["--threshold", "1.5"]),
    ({"containment_threshold": NAN}, ["--containment-threshold", "nan"]),
    ({"containment_threshold": INF}, ["--containment-threshold", "inf"]),
    ({"num_perm": 0}, ["--num-perm", "0"]),
    ({"num_perm": 5000}, ["--num-perm", "5000"]),
    ({"max_bytes": 0}, ["--max-bytes", "0"]),
    ({"max_bytes": 2**41}, ["--max-bytes", str(2**41)]),
    ({"max_bytes": -1}, ["--max-bytes", "-1"]),
    ({"seed": -1}, ["--seed", "-1"]),
    ({"seed": 2**64}, ["--seed", str(2**64)]),
]


def command_refusal(flags):
    """The command's one-line refusal of `flags`, without its "neardup: usage: "."""
    out = subprocess.run([CLI, "dedup", *flags, os.path.join(SEEDS, FRENCH)], capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == "", out
    assert out.stderr.startswith("neardup: usage: ") and out.stderr.count("\n") == 1, out.stderr
    return out.stderr[len("neardup: usage: "):-1]


@pytest.mark.parametrize("kwargs,flags", BAD_OPTIONS, ids=[" ".join(f) for _, f in BAD_OPTIONS])
def test_bad_options_are_refused_with_the_commands_message(kwargs, flags, tmp_path):
    message = command_refusal(flags)
    assert message.startswith(next(iter(kwargs)) + " must be "), message  # names the option
    with pytest.raises(neardup.InvalidArgumentError) as e:
        neardup.Deduplicator(**kwargs)
    assert str(e.value) == message and isinstance(e.value, ValueError)
    store = tmp_path / "s.ndup"
    with pytest.raises(neardup.InvalidArgumentError) as e:
        neardup.Deduplicator(store=str(store), **kwargs)
    assert str(e.value) == message and not store.exists()
    with pytest.raises(ValueError) as e:  # neardup.dask, before any work
        dask_links([], **kwargs)
    assert str(e.value) == message
    if "seed" in kwargs or "num_perm" in kwargs:
        with pytest.raises(neardup.InvalidArgumentError) as e:
            neardup.signature("some words to sign", **kwargs)
        assert str(e.value) == message
    if "threshold" in next(iter(kwargs)):
        with pytest.raises(neardup.InvalidArgumentError) as e:
            neardup.compare("some words here", "some words there", **kwargs)
        assert str(e.value) == message


def test_the_edges_of_each_range_are_taken():
    neardup.Deduplicator(max_bytes=2**40, translation_threshold=0, containment_threshold=1, threshold=1,
                         num_perm=4096, seed=2**64 - 1)
    neardup.Deduplicator(max_bytes=1, translation_threshold=1.0, containment_threshold=0.0, num_perm=1, seed=0)
    neardup.Deduplicator(threshold=np.float32(0.5), num_perm=np.int64(64))  # NumPy numbers are numbers
    assert neardup.signature("a few words", num_perm=np.int32(16)).shape == (16,)


@pytest.mark.parametrize("kwargs,name,kind", [
    ({"threshold": "0.5"}, "threshold", "a number"), ({"translation_threshold": None, "threshold": [1]}, "threshold",
                                                      "a number"),
    ({"num_perm": 64.0}, "num_perm", "an integer"), ({"seed": True}, "seed", "an integer"),
    ({"max_bytes": 1000.0}, "max_bytes", "an integer"), ({"containment_threshold": False}, "containment_threshold",
                                                         "a number")])
def test_options_of_another_type_are_type_errors_naming_them(kwargs, name, kind):
    with pytest.raises(TypeError, match="^%s must be %s, not " % (name, kind)):
        neardup.Deduplicator(**kwargs)


# --- Texts, ids and language tags ----------------------------------------------------------

def test_bytes_are_taken_as_the_utf8_of_a_text():
    """The rule: bytes are accepted where a str is, when they are some str's UTF-8, and give
    exactly what that str gives; other bytes raise InvalidArgumentError naming the argument."""
    french, italian = seed_text(FRENCH), seed_text(ITALIAN)
    by_str, by_bytes = neardup.Deduplicator(), neardup.Deduplicator()
    by_str.add("fr é", french)
    by_bytes.add("fr é".encode(), french.encode())
    assert by_bytes.add(b"it", italian.encode(), b"it") == by_str.add("it", italian, "it")
    assert by_bytes.pairs() == by_str.pairs() and "fr é" in by_bytes and "fr é".encode() in by_bytes
    assert isinstance(by_bytes.pairs()[0]["id_a"], str)  # ids come back as the str they encode
    assert by_bytes.query(french.encode()) == by_str.query(french)
    assert np.array_equal(neardup.signature(french.encode()), neardup.signature(french))
    assert neardup.compare(french.encode(), italian.encode()) == neardup.compare(french, italian)
    # Not UTF-8: refused, naming the argument and the first bad byte, as the command names it.
    cases = [(lambda d: d.add("x", b"caf\xe9 au lait et le reste"), "text: invalid UTF-8 at byte 3: "),
             (lambda d: d.add(b"caf\xe9", "du texte en plus"), "id: invalid UTF-8 at byte 3: "),
             (lambda d: d.add(b"\xed\xa0\x80", "du texte en plus"),
              "id: invalid UTF-8 at byte 0: UTF-16 surrogate encoded as UTF-8"),
             (lambda d: d.add("x", "du texte en plus", b"\xff"), "lang: invalid UTF-8 at byte 0: "),
             (lambda d: d.query(b"\xc3"), "text: invalid UTF-8 at byte 0: "),
             (lambda d: d.remove(b"\x80"), "id: invalid UTF-8 at byte 0: "),
             (lambda d: neardup.signature(b"\xff"), "text: invalid UTF-8 at byte 0: "),
             (lambda d: neardup.compare(french, b"\xff"), "b: invalid UTF-8 at byte 0: ")]
    for call, message in cases:
        with pytest.raises(neardup.InvalidArgumentError) as e:
            call(by_bytes)
        assert str(e.value).startswith(message), (message, str(e.value))
    assert len(by_bytes) == 2
    # A NUL byte may be in an id, given as str or bytes (the library's rule), not in a text.
    assert by_bytes.add(b"a\x00b", seed_text(SEED_NAMES[2]).encode()) == []
    assert "a\x00b" in by_bytes
    with pytest.raises(neardup.InvalidArgumentError, match="NUL byte"):
        by_bytes.add("nul", b"du texte\x00avec un NUL")


# Each way a text, id or tag enters, as a function of the bad value, with the argument's name.
FRENCH_TEXT = "Le texte commence bien, puis continue avec d'autres mots."
ENTRIES = [
    ("add id", lambda d, x: d.add(x, FRENCH_TEXT), "id"),
    ("add text", lambda d, x: d.add("doc", x), "text"),
    ("add lang", lambda d, x: d.add("doc", FRENCH_TEXT, x), "lang"),
    ("query text", lambda d, x: d.query(x), "text"),
    ("query lang", lambda d, x: d.query(FRENCH_TEXT, x), "lang"),
    ("remove id", lambda d, x: d.remove(x), "id"),
    ("in", lambda d, x: x in d, "id"),
    ("signature", lambda d, x: neardup.signature(x), "text"),
    ("compare a", lambda d, x: neardup.compare(x, FRENCH_TEXT), "a"),
    ("compare b", lambda d, x: neardup.compare(FRENCH_TEXT, x), "b"),
    ("compare lang_a", lambda d, x: neardup.compare(FRENCH_TEXT, FRENCH_TEXT, lang_a=x), "lang_a"),
    ("add_many tuple id", lambda d, x: d.add_many([("ok", FRENCH_TEXT), (x, FRENCH_TEXT)]), r"docs[1][0] (id)"),
    ("add_many tuple text", lambda d, x: d.add_many([("ok", FRENCH_TEXT), ("doc", x)]), r"docs[1][1] (text)"),
    ("add_many tuple lang", lambda d, x: d.add_many([("doc", FRENCH_TEXT, x)]), r"docs[0][2] (lang)"),
    ("add_many mapping id", lambda d, x: d.add_many([{"id": x, "text": FRENCH_TEXT}]), "docs[0]['id']"),
    ("add_many mapping text", lambda d, x: d.add_many([{"id": "doc", "text": x}]), "docs[0]['text']"),
]


@pytest.mark.parametrize("entry,call,name", ENTRIES, ids=[e[0] for e in ENTRIES])
def test_none_is_a_type_error_and_a_lone_surrogate_a_value_error_naming_the_argument(entry, call, name):
    d = neardup.Deduplicator()
    if "lang" not in name:  # None as a language tag means "detect it"
        with pytest.raises(TypeError) as e:
            call(d, None)
        assert str(e.value) == "%s must be str or bytes, not None" % name
    with pytest.raises(TypeError, match=r"^%s must be str or bytes, not int$" % name.replace("[", r"\[")
                       .replace("(", r"\(").replace(")", r"\)")):
        call(d, 42)
    with pytest.raises(neardup.InvalidArgumentError) as e:
        call(d, "ab\ud800cd")
    assert str(e.value) == "%s: lone surrogate U+D800 at index 2 (a str with one has no UTF-8)" % name
    assert isinstance(e.value, ValueError)
    assert len(d) == 0  # add_many refuses the whole call before adding anything


def test_none_as_a_language_tag_detects_it():
    d = neardup.Deduplicator()
    d.add(FRENCH, seed_text(FRENCH), None)
    assert d.add_many([(ITALIAN, seed_text(ITALIAN), None)])[0][0]["kind"] == "translation"
    assert neardup.compare(seed_text(FRENCH), seed_text(ITALIAN), lang_a=None)["a"]["lang"] == "fr"


def test_add_many_names_a_document_of_the_wrong_shape():
    d = neardup.Deduplicator()
    with pytest.raises(TypeError, match=r"^docs\[1\] must be \(id, text\), \(id, text, lang\) or a mapping"):
        d.add_many([("a", FRENCH_TEXT), "ab"])
    with pytest.raises(ValueError, match=r"^docs\[0\]: a document mapping needs 'id' and 'text'"):
        d.add_many([{"id": "a"}])
    with pytest.raises(ValueError, match=r"^threads must be 0"):
        d.add_many([("a", FRENCH_TEXT)], threads=-1)
    assert len(d) == 0


def test_dask_names_bad_documents_instead_of_failing_on_a_worker():
    docs = [{"id": name, "text": seed_text(name)} for name in SEED_NAMES]
    bad = [{"id": "none", "text": None}, {"id": "surrogate", "text": "ab\ud800cd"}, {"id": 7, "text": "a b c"},
           {"text": "no id"}, ("a", "tuple"), {"id": "latin1", "text": b"caf\xe9 au lait"},
           {"id": b"bytes", "text": seed_text(SEED_NAMES[2]).encode()}]
    links, problems = dask_links(docs[:2] + bad + docs[2:])
    assert problems == [("none", "text must be str or bytes, not None"),
                        ("surrogate", "text: lone surrogate U+D800 at index 2 (a str with one has no UTF-8)"),
                        (7, "id must be str or bytes, not int"), (None, "id must be str or bytes, not None"),
                        (None, "a document is a mapping with 'id' and 'text', not tuple"),
                        ("latin1", "text: invalid UTF-8 at byte 3: sequence starting with 0xE9 lacks a continuation "
                                   "byte (found 0x20)")]
    # The good ones, and the bytes one (a copy of seed 2), are linked as the Deduplicator links them.
    memory = neardup.Deduplicator()
    for d in docs[:2] + [bad[-1]] + docs[2:]:
        memory.add(d["id"], d["text"])
    assert sorted((p["id_a"], p["id_b"], p["kind"]) for p in memory.pairs()) == \
        sorted(zip(links["id_a"], links["id_b"], links["kind"]))
    assert ("bytes", SEED_NAMES[2], "near") in zip(links["id_a"], links["id_b"], links["kind"])


def test_dask_takes_a_dataframes_missing_language_as_none():
    import dask.dataframe as dd
    import pandas as pd
    docs = [{"id": name, "text": seed_text(name)} for name in SEED_NAMES]
    docs[1]["lang"] = "it"  # the others' "lang" is NaN in the frame
    with dask.config.set(scheduler="sync"):
        links, problems = nd.dedup_links(dd.from_pandas(pd.DataFrame(docs), npartitions=2))
    assert problems == [] and list(links["kind"]) == ["translation"]


# --- Document ids: one limit --------------------------------------------------------------

def test_document_ids_have_the_commands_limit_and_message(tmp_path):
    text = seed_text(SEED_NAMES[3])
    too_long = "u" * 65537
    path = tmp_path / "ids.jsonl"
    path.write_text(json.dumps({"id": too_long, "text": text}) + "\n", encoding="utf-8")
    out = subprocess.run([CLI, "dedup", str(path)], capture_output=True, text=True)
    assert out.returncode == 1
    message = out.stderr.rstrip("\n").rsplit("): ", 1)[1]
    assert message.startswith("a document id of 65537 bytes is longer than the limit of 65536 bytes"), message
    d = neardup.Deduplicator()
    for call in (lambda: d.add(too_long, text), lambda: d.add(too_long.encode(), text), lambda: d.remove(too_long)):
        with pytest.raises(neardup.InvalidArgumentError) as e:
            call()
        assert str(e.value) == message
    [refused] = d.add_many([(too_long, text)], errors="collect")
    assert isinstance(refused, neardup.InvalidArgumentError)
    assert str(refused) == "document '%s... (65537 bytes)': %s" % ("u" * 100, message)  # as the command shortens it
    assert too_long not in d and len(d) == 0
    assert d.add("u" * 65536, text) == [] and "u" * 65536 in d  # the limit itself is an id
    links, problems = dask_links([{"id": too_long, "text": text}, {"id": "short", "text": text}])
    assert problems == [(too_long, message)] and len(links) == 0


# --- Ctrl-C during add_many ---------------------------------------------------------------

INTERRUPTED = r"""
import json, signal, sys, threading, time
import neardup
store = sys.argv[1] or None
words = open(sys.argv[2], encoding="utf-8").read().split()
total = 40000
# Short documents, each its own (a number in every shingle): fingerprinting them is quick.
docs = [("d%d" % i, " ".join("%s%d" % (w, i) for w in words[i % 50:i % 50 + 40])) for i in range(total)]
d = neardup.Deduplicator(translations=False, store=store)

def interrupt():  # Ctrl-C once the first batch is in
    while len(d) == 0:
        time.sleep(0.001)
    signal.raise_signal(signal.SIGINT)

threading.Thread(target=interrupt, daemon=True).start()
try:
    d.add_many(docs, threads=2)
    report = {"interrupted": False}
except KeyboardInterrupt as e:
    report = {"interrupted": True, "message": str(e), "processed": e.processed, "added": e.added,
              "results": len(e.results), "all_empty": all(r == [] for r in e.results)}
report["len"] = len(d)
report["first_missing"] = next((i for i, (doc_id, _) in enumerate(docs) if doc_id not in d), None)
report["total"] = total
print(json.dumps(report))
"""


@pytest.mark.parametrize("stored", [False, True], ids=["in memory", "with a store"])
def test_ctrl_c_stops_add_many_between_documents_and_says_what_was_added(stored, tmp_path):
    store = str(tmp_path / "s.ndup") if stored else ""
    out = subprocess.run([sys.executable, "-c", INTERRUPTED, store, os.path.join(SEEDS, FRENCH)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["interrupted"], r  # not only after every document was added
    # Whole batches went in, in order, and nothing else; the exception says how many.
    assert 0 < r["processed"] < r["total"] and r["processed"] % 1000 == 0, r
    assert r["len"] == r["added"] == r["processed"] == r["results"] == r["first_missing"], r
    assert r["all_empty"]
    assert r["message"] == ("add_many interrupted: the first %d of %d documents went through add (%d added; see "
                            ".results), the other %d were not" % (r["processed"], r["total"], r["processed"],
                                                                  r["total"] - r["processed"]))
    if stored:  # committed: another process opens the store with exactly those documents
        count = subprocess.run([sys.executable, "-c", "import neardup, sys; print(len(neardup.Deduplicator("
                                "store=sys.argv[1], read_only=True)))", store], capture_output=True, text=True)
        assert count.returncode == 0, count.stderr
        assert int(count.stdout) == r["processed"]


def test_text_options_are_parsed_by_the_library_as_the_command_parses_its_flags():
    # max_bytes as a str takes a unit, as --max-bytes does; shingle is --shingle's spec.
    with pytest.raises(neardup.ResourceExhaustedError, match="^document is 1500 bytes, larger than the limit of 1024"):
        neardup.Deduplicator(max_bytes="1KiB").add("b", "word " * 300)
    neardup.Deduplicator(max_bytes="1000").add("c", "word " * 150)  # 750 bytes: under the limit
    with pytest.raises(neardup.InvalidArgumentError, match=r"^max_bytes must be a size in \[1, 2\^40\] bytes"):
        neardup.Deduplicator(max_bytes="64 apples")
    with pytest.raises(neardup.InvalidArgumentError, match="^--shingle: expected N, word:N or char:N, got 'bigram'$"):
        neardup.Deduplicator(shingle="bigram")
    names = [name for name, _, _ in neardup.options()]
    assert names[:3] == ["threshold", "containment_threshold", "translation_threshold"] and "shingle" in names
    assert dict((n, d) for n, _, d in neardup.options())["shingle"] == "word:5"
