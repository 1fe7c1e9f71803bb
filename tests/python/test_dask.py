"""neardup.dask against the neardup command: on a distributed.LocalCluster with 1 and 2 worker
processes and several partitionings, exactly the command's lines, with translations and
without.

The shared corpora (wire-dev, xlang-dev) come from NEARDUP_DATA; where NEARDUP_REQUIRE_DATA=1
says they must be there (CI), a missing corpus fails the test."""
import json
import lzma
import os
import subprocess
import sys

import dask.bag as db
import dask.dataframe as dd
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import neardup
import neardup.dask as nd

SOURCE = os.environ["NEARDUP_SOURCE_DIR"]
CLI = os.environ["NEARDUP_CLI"]


def corpus(name):
    """The documents of ../shared/data/NAME/docs.jsonl.xz, as dicts, or a skip/failure."""
    data = os.environ.get("NEARDUP_DATA", "")
    path = os.path.join(data, name, "docs.jsonl.xz")
    if not data or not os.path.exists(path):
        if os.environ.get("NEARDUP_REQUIRE_DATA") == "1":
            pytest.fail("%s is missing (NEARDUP_REQUIRE_DATA=1)" % path)
        pytest.skip("no %s corpus (set NEARDUP_DATA)" % name)
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def seed_documents():
    names = sorted(os.listdir(os.path.join(SOURCE, "seeds")))
    docs = []
    for name in names:
        with open(os.path.join(SOURCE, "seeds", name), encoding="utf-8") as f:
            text = f.read()
        docs += [{"id": name, "text": text}, {"id": name + "/byline", "text": "By our correspondent.\n\n" + text},
                 {"id": name + "/half", "text": text[: len(text) // 2]}]
    return docs


MODES = {"translations": True, "near": False}


def cli_lines(docs, *flags, translations=False):
    feed = "".join(json.dumps(d) + "\n" for d in docs)
    mode = [] if translations else ["--no-translations"]
    out = subprocess.run([CLI, "dedup", "-q", "--stdin-jsonl", *mode, *flags, "-"], input=feed,
                         capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def dask_lines(docs, npartitions, fmt="jsonl", translations=False):
    links, problems = nd.dedup_links(db.from_sequence(docs, npartitions=npartitions), translations=translations)
    return [nd.format_pair(r._asdict(), fmt) for r in links.itertuples()], problems


@pytest.fixture(scope="module", params=[1, 2], ids=["1 worker", "2 workers"])
def client(request):
    cluster = LocalCluster(n_workers=request.param, threads_per_worker=1, processes=True, dashboard_address=":0")
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_seeds_give_the_commands_lines(client, npartitions, mode):
    docs = seed_documents()
    expected = cli_lines(docs, translations=MODES[mode])
    assert len(expected) >= 10
    lines, problems = dask_lines(docs, npartitions, translations=MODES[mode])
    assert lines == expected and problems == []
    tsv, _ = dask_lines(docs, npartitions, "tsv", translations=MODES[mode])
    assert tsv == cli_lines(docs, "--format", "tsv", translations=MODES[mode])


# The least number of lines each corpus gives: near mode, and translation lines with
# translations (wire-dev has 366 near and contained pairs and 11 translations, xlang-dev 15
# and 4,382), so that a run finding nothing fails.
LEAST = {("wire-dev", "near"): 300, ("wire-dev", "translations"): 5, ("xlang-dev", "near"): 10,
         ("xlang-dev", "translations"): 4000}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["wire-dev", "xlang-dev"])
def test_corpora_give_the_commands_lines_and_clusters(client, name, mode):
    # As given, with their languages: the command reads "lang" too. Each step of the
    # translation path is needed for these lines: without the retractions, the boilerplate
    # tails, document frequencies as of each document's time, the per-language cap, the
    # 16-member bucket scan or the best-translation rule, xlang-dev gives other lines (each
    # tried once), and without the copies exception, wire-dev does.
    docs = corpus(name)
    translations = MODES[mode]
    expected = cli_lines(docs, translations=translations)
    found = sum('"translation"' in line for line in expected) if translations else len(expected)
    assert found >= LEAST[name, mode], found
    for npartitions in (2, 9):
        links, problems = nd.dedup_links(db.from_sequence(docs, npartitions=npartitions), translations=translations)
        assert [nd.format_pair(r._asdict(), "jsonl") for r in links.itertuples()] == expected
    clusters = nd.clusters(links)
    cli_clusters = cli_lines(docs, "--clusters", translations=translations)
    assert [nd.format_cluster(i, c, "jsonl") for i, c in enumerate(clusters, 1)] == cli_clusters


def test_text_links_are_not_translation_candidates(client):
    # A copy of the French seed labelled German is a near copy of it, and so never verified
    # as its translation (internal::SelectTranslationCandidates' exclusion), though its
    # anchors would make one (0.79). The Italian translation links to both, one per language.
    docs = seed_documents()
    french, italian = docs[0], docs[3]
    docs = [dict(french, lang="fr"), {"id": "labelled-de", "text": french["text"], "lang": "de"},
            dict(italian, lang="it")]
    expected = cli_lines(docs, translations=True)
    kinds = [(json.loads(line)["id_a"], json.loads(line)["id_b"], json.loads(line)["kind"]) for line in expected]
    assert kinds == [(french["id"], "labelled-de", "near"), (french["id"], italian["id"], "translation"),
                     ("labelled-de", italian["id"], "translation")]
    assert dask_lines(docs, 2, translations=True)[0] == expected


def test_dataframe_input_and_the_pairs_api(client):
    docs = seed_documents()
    frame = dd.from_pandas(pd.DataFrame(docs), npartitions=4)
    pairs = nd.dedup(frame)
    assert "translation" in [p["kind"] for p in pairs]
    memory = neardup.Deduplicator()
    for d in docs:
        memory.add(d["id"], d["text"])
    # As the command prints them: copies as found, then the translations still live.
    made = memory.pairs()
    made = [p for p in made if p["kind"] != "translation"] + [p for p in made if p["kind"] == "translation"]
    assert [(p["id_a"], p["id_b"], p["kind"]) for p in pairs] == [(p["id_a"], p["id_b"], p["kind"]) for p in made]
    assert [round(p["score"], 12) for p in pairs] == [round(p["score"], 12) for p in made]


@pytest.mark.parametrize("keep", ["longest", "first"])
@pytest.mark.parametrize("mode", MODES)
def test_duplicates_and_their_removal_with_named_fields(client, keep, mode):
    """duplicates() is Deduplicator.duplicates() (the library's rule) on a dataframe whose id
    and text columns have other names; remove_duplicates() drops exactly those rows."""
    docs = seed_documents()
    frame = dd.from_pandas(pd.DataFrame({"doc_id": [d["id"] for d in docs], "body": [d["text"] for d in docs],
                                         "source": "wire"}), npartitions=3)
    got = nd.duplicates(frame, keep, id_field="doc_id", text_field="body", translations=MODES[mode])
    memory = neardup.Deduplicator(translations=MODES[mode])
    for d in docs:
        memory.add(d["id"], d["text"])
    expected = memory.duplicates(keep=keep)
    assert len(expected) >= 8  # the byline and half copies
    assert [tuple(r) for r in got[["id", "kept", "kind", "smaller"]].itertuples(index=False)] == \
        [(e["id"], e["kept"], e["kind"], e["smaller"]) for e in expected]
    assert [round(x, 12) for x in got["score"]] == [round(e["score"], 12) for e in expected]
    kept = nd.remove_duplicates(frame, keep, id_field="doc_id", text_field="body",
                                translations=MODES[mode]).compute()
    assert list(kept.columns) == ["doc_id", "body", "source"]
    assert set(kept["doc_id"]) == {d["id"] for d in docs} - {e["id"] for e in expected}
    with pytest.raises(ValueError, match="no column 'id'"):
        nd.duplicates(frame.rename(columns={"doc_id": "key"}), id_field="id", text_field="body", lang_field="x")
    with pytest.raises(ValueError, match="longest or first"):
        nd.duplicates(frame, "biggest", id_field="doc_id", text_field="body")


def test_bad_documents_are_named_and_the_rest_kept(client):
    seeds = seed_documents()
    docs = seeds[:6] + [{"id": "empty", "text": " ... "}, {"id": seeds[0]["id"], "text": "a repeated id"}]
    links, problems = nd.dedup_links(db.from_sequence(docs, npartitions=3))
    reasons = dict(problems)
    assert "no words" in reasons["empty"] and reasons[seeds[0]["id"]] == "duplicate document id; this copy was skipped"
    assert len(problems) == 2
    # The others are judged as the command judges them without the bad two.
    assert [nd.format_pair(r._asdict(), "jsonl") for r in links.itertuples()] == cli_lines(seeds[:6], translations=True)


def test_bad_options_are_refused_before_any_work():
    with pytest.raises(ValueError, match="threshold"):
        nd.dedup_links(db.from_sequence(seed_documents()), threshold=3.0)


def test_the_example_plots_the_clusters(tmp_path):
    # examples/dask_clusters.py on the seeds and their copies: it must report the command's
    # clusters and write a PNG.
    docs = seed_documents()
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    plot = tmp_path / "sizes.png"
    out = subprocess.run([os.sys.executable, os.path.join(SOURCE, "examples", "dask_clusters.py"), str(path),
                          str(plot), "--workers", "1"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    clusters = len(cli_lines(docs, "--clusters", translations=True))
    pairs = len(cli_lines(docs, translations=True))
    assert "%d documents, %d pairs, %d clusters" % (len(docs), pairs, clusters) in out.stdout
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_read_jsonl_cuts_blocks_at_line_starts_and_names_bad_lines(tmp_path):
    docs = seed_documents()
    lines = [json.dumps(d).encode() for d in docs]
    lines.insert(4, b'{"id": "broken", "text": ')        # not JSON
    lines.insert(7, b'{"id": "latin1", "text": "caf\xe9"}')  # not UTF-8
    lines.insert(9, b"")                                  # blank: skipped
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    for blocksize in (100, 3000, 10 ** 6):  # lines longer than a block, and one block
        got = nd.read_jsonl([str(path)], blocksize).compute(scheduler="sync")
        assert [d["id"] for d in got if "error" not in d] == [d["id"] for d in docs]
        assert [d["text"] for d in got if "error" not in d] == [d["text"] for d in docs]
        assert [d["error"].split(" ")[0] for d in got if "error" in d] == ["invalid", "invalid"]
        # Each named by its line in the file, whatever block it fell in, as the command names it.
        assert [d["where"] for d in got if "error" in d] == ["%s:5" % path, "%s:8" % path]
        assert [d["where"] for d in got if "error" not in d][:4] == ["%s:%d (id %s)" % (path, n, docs[i]["id"])
                                                                    for i, n in enumerate([1, 2, 3, 4])]
        assert got[-1]["where"] == "%s:%d (id %s)" % (path, len(lines), docs[-1]["id"])


def test_the_command_prints_the_commands_lines(tmp_path):
    docs = seed_documents()
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    base = [os.sys.executable, "-m", "neardup.dask", "dedup"]
    out = subprocess.run(base + ["--workers", "1", "--blocksize", "2000", "--no-translations", "--format", "tsv",
                                 str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == cli_lines(docs, "--format", "tsv")
    out = subprocess.run(base + ["--workers", "2", "--memory-limit", "1GiB", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == cli_lines(docs, translations=True)
    refused = subprocess.run(base + ["--workers", "1", "--threshold", "3", str(path)], capture_output=True, text=True)
    assert refused.returncode == 2 and "threshold" in refused.stderr and "Traceback" not in refused.stderr
    # The command's text options reach the fingerprints: other shingles, seed and normalization
    # give the command's other lines.
    text_flags = ["--seed", "7", "--shingle", "char:9", "--strip-diacritics", "--replace-invalid"]
    out = subprocess.run(base + ["--workers", "1", "--no-translations", *text_flags, str(path)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == cli_lines(docs, *text_flags) != cli_lines(docs)
    for bad in (["--shingle", "words:5"], ["--seed", "-1"], ["--shingle", "word:0"]):
        refused = subprocess.run(base + ["--workers", "1", *bad, str(path)], capture_output=True, text=True)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, (bad, refused.stderr)


def test_crowded_buckets_are_scanned_as_the_index_scans_them(client):
    # 45 copies of one text share every bucket of the text index, which scans them all (no
    # max_bucket_scan): every one of the 990 pairs is near.
    text = seed_documents()[0]["text"]
    docs = [{"id": "copy%02d" % i, "text": text} for i in range(45)]
    expected = cli_lines(docs)
    assert len(expected) == 45 * 44 // 2 == 990
    lines, _ = dask_lines(docs, 4)
    assert lines == expected


def test_crowded_sample_keys_are_scanned_as_the_posting_table_scans_them(client):
    # A paragraph, then 270 long documents that each quote it among words of their own. Each
    # long one holds the paragraph's sample keys, and the posting table reads a key's 256
    # newest holders: long document j finds the paragraph while it is among them (j < 256).
    # No two long ones are linked (each holds the other's paragraph only).
    rng = __import__("random").Random(23)
    words = ["w%d" % i for i in range(5000)]
    paragraph = " ".join(rng.choice(words) for _ in range(120))
    docs = [{"id": "paragraph", "text": paragraph}]
    for j in range(270):
        own = " ".join(rng.choice(words) for _ in range(1500))
        docs.append({"id": "long%03d" % j, "text": own + " " + paragraph})
    expected = cli_lines(docs, "--format", "tsv")
    assert len(expected) == 256 and all(line.split("\t")[::3] == ["paragraph", "contained"] and line.split("\t")[1] == "long%03d" % j
                                        for j, line in enumerate(expected)), expected[:3]
    lines, _ = dask_lines(docs, 4, fmt="tsv")
    assert lines == expected


def test_the_progress_line_gives_the_share_and_the_time_left():
    from neardup.dask import _progress
    assert _progress.line(3, 12, 30) == "neardup.dask: fingerprints, 3 of 12 partitions, 25%, 1m30s left"
    assert _progress.line(1, 2, 0.5) == "neardup.dask: fingerprints, 1 of 2 partitions, 50%"  # too early to say
    assert _progress.duration(7500) == "2h05m"


def test_the_command_draws_its_progress_on_a_terminal_only(tmp_path):
    """On a terminal, the fingerprinting stage's share; with -q or into a file, nothing."""
    import pty
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps(d) + "\n" for d in seed_documents()), encoding="utf-8")
    command = [sys.executable, "-m", "neardup.dask", "dedup", "--workers", "1", "--blocksize", "4KiB",
               "--format", "tsv", str(docs)]
    seen = {}
    for quiet in (False, True):
        main, secondary = pty.openpty()
        out = subprocess.run(command + (["-q"] if quiet else []), stdout=subprocess.PIPE, stderr=secondary,
                             timeout=300)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main)
        seen[quiet] = b"".join(chunks).decode("utf-8", "replace")
        assert out.returncode == 0
        assert out.stdout.decode().splitlines() == cli_lines(seed_documents(), "--format", "tsv", translations=True)
    assert "partitions, 100%" in seen[False], seen[False]
    assert "partitions" not in seen[True], seen[True]
