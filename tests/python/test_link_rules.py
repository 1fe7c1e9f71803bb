"""Add's link rules (index/link_graph.h), which neardup.dask reaches through the binding,
against a slow reference written here from the rules' statement: the pure-Python bookkeeping
neardup.dask kept before it used the library's (one translation per language, copies of one
text counting as one, a later and better translation retracting the weaker), and a
breadth-first search for the clusters. Random link sets, with few documents and languages so
that ties, copies and retractions are common."""
import random

import numpy as np

from neardup import _neardup
import neardup.dask as nd


def reference_translations(verdicts, text):
    near, copies = {}, set()
    for a, b in text:
        near.setdefault(b, set()).add(a)
        copies.update({(a, b), (b, a)})
    language, found = {}, {}
    for a, b, lang_a, lang_b, score in verdicts:
        language[a], language[b] = lang_a, lang_b
        found.setdefault(b, []).append((a, score))
    links, links_of = [], {}
    for b in sorted(found):
        near_b = near.get(b, set())

        def live(doc, lang):
            for i in links_of.get(doc, ()):
                a, c, score, alive = links[i]
                other = c if a == doc else a
                if alive and language[other] == lang and other not in near_b:
                    yield i, score

        linked = [(a, s) for a, s in found[b] if max((x for _, x in live(a, language[b])), default=0) < s]
        linked.sort(key=lambda x: (-x[1], x[0]))
        chosen = []
        for a, s in linked:
            better = next((c for c, _ in chosen if language[c] == language[a]), None)
            if better is not None and (better, a) not in copies:
                continue
            chosen.append((a, s))
        for a, s in chosen:
            for i, score in list(live(a, language[b])):
                if score < s:
                    links[i][3] = False
        for a, s in chosen:
            links_of.setdefault(a, []).append(len(links))
            links_of.setdefault(b, []).append(len(links))
            links.append([a, b, s, True])
    return [(a, b, s) for a, b, s, alive in links if alive]


def reference_clusters(links):
    adjacent = {}
    for a, b, score in links:
        adjacent.setdefault(a, []).append((b, score))
        adjacent.setdefault(b, []).append((a, score))
    seen, out = set(), []
    for start in sorted(adjacent):
        if start in seen:
            continue
        component, queue = [], [start]
        seen.add(start)
        while queue:
            x = queue.pop()
            component.append(x)
            for y, _ in adjacent[x]:
                if y not in seen:
                    seen.add(y)
                    queue.append(y)
        component.sort()
        canonical = max(component, key=lambda x: (len(adjacent[x]), -x))
        hops, frontier = {canonical: 0}, [canonical]
        for x in frontier:
            for y, _ in adjacent[x]:
                if y not in hops:
                    hops[y] = hops[x] + 1
                    frontier.append(y)
        members = [canonical] + [x for x in component if x != canonical]
        direct = {}
        for y, score in adjacent[canonical]:
            direct[y] = max(direct.get(y, 0.0), score)
        out.append((members, [hops[x] for x in members], [direct.get(x, 0.0) for x in members]))
    return out


def random_case(rng, n):
    langs = [rng.choice("abc") for _ in range(n)]
    text = sorted({tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randrange(0, n))}, key=lambda p: (p[1], p[0]))
    text = [(a, b) for a, b in text if langs[a] == langs[b]]
    verdicts = []
    for _ in range(rng.randrange(1, 3 * n)):
        a, b = sorted(rng.sample(range(n), 2))
        if langs[a] != langs[b] and (a, b) not in {(x, y) for x, y, *_ in verdicts}:
            verdicts.append((a, b, langs[a], langs[b], rng.choice([0.7, 0.75, 0.8, 0.9, 0.95])))
    verdicts.sort(key=lambda v: v[1])
    return text, verdicts


def test_translation_choice_is_the_reference_bookkeeping():
    rng = random.Random(5)
    retracted_somewhere = 0
    for case in range(400):
        n = rng.randrange(3, 14)
        text, verdicts = random_case(rng, n)
        expected = reference_translations(verdicts, text)
        got = _neardup._choose_translations(
            n, [a for a, _ in text], [b for _, b in text], ["near"] * len(text), [0.9] * len(text),
            [v[0] for v in verdicts], [v[1] for v in verdicts], [v[2] for v in verdicts], [v[3] for v in verdicts],
            [v[4] for v in verdicts])
        assert [tuple(x) for x in got] == expected, (case, text, verdicts)
        retracted_somewhere += len({(a, b) for a, b, *_ in verdicts}) > len(expected)
    # The cases exercised the rules: many dropped or retracted a verified translation.
    assert retracted_somewhere > 100


def test_clusters_are_a_breadth_first_search_over_the_links():
    rng = random.Random(6)
    chained = 0
    for case in range(300):
        n = rng.randrange(2, 30)
        links = []
        for _ in range(rng.randrange(1, 2 * n)):
            a, b = sorted(rng.sample(range(n), 2))
            links.append((a, b, rng.choice([0.81, 0.85, 0.9, 0.97])))
        expected = reference_clusters(links)
        got = _neardup._clusters(n, [a for a, _, _ in links], [b for _, b, _ in links], ["near"] * len(links),
                                 [s for _, _, s in links])
        assert [(list(m), list(h), list(s)) for m, h, s in got] == expected, (case, links)
        chained += any(max(h) >= 3 for _, h, _ in expected)
    assert chained > 30


def test_dask_clusters_name_members_by_id():
    links = {"seq_a": np.array([0, 1, 1]), "seq_b": np.array([1, 2, 3]), "id_a": ["x", "y", "y"],
             "id_b": ["y", "z", "w"], "kind": ["near", "near", "contained"], "score": [0.9, 0.85, 0.95]}
    assert nd.clusters(links) == [{"canonical": "y", "members": ["y", "x", "z", "w"], "hops": [0, 1, 1, 1],
                                   "scores": [0.0, 0.9, 0.85, 0.95]}]
