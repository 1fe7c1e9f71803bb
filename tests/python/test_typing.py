"""The package's stubs and result types against the module itself: every public function and
method of neardup._neardup has a stub with the same parameters (names, order, which take a
default, which are keyword-only), read from the signatures pybind11 writes; every stub names
something the module has; and the dicts the module returns have exactly the keys of their
TypedDicts in neardup.results."""
import ast
import os
import re
import typing

import neardup
import neardup._neardup as module
import neardup.results as results

SOURCE = os.environ["NEARDUP_SOURCE_DIR"]
STUB = os.path.join(SOURCE, "python", "neardup", "_neardup.pyi")
SEEDS = os.path.join(SOURCE, "seeds")


def split_top_level(text):
    """`text` split at the commas outside brackets."""
    parts, depth, current = [], 0, ""
    for c in text:
        depth += c in "[(" and 1 or (c in "])" and -1 or 0)
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    if current.strip():
        parts.append(current.strip())
    return parts


def runtime_parameters(function):
    """(name, has_default, keyword_only) of each parameter, from pybind11's signature line."""
    first = function.__doc__.splitlines()[0]
    inside = re.match(r"^\w+\((.*)\) -> .*$", first).group(1)
    out, keyword_only = [], False
    for p in split_top_level(inside):
        if p == "*":
            keyword_only = True
            continue
        name = p.split(":")[0].strip()
        out.append((name, "=" in p, keyword_only))
    return out


def stub_parameters(node):
    args = node.args
    positional = args.posonlyargs + args.args
    defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(args.defaults)
    out = [(a.arg, d, False) for a, d in zip(positional, defaults)]
    out += [(a.arg, d is not None, True) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    return out


def stub_functions():
    """{"name" or "Class.method": parameters} of the stub."""
    tree = ast.parse(open(STUB, encoding="utf-8").read())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            out[node.name] = stub_parameters(node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    out[node.name + "." + item.name] = stub_parameters(item)
    return out


def test_every_public_callable_has_a_stub_with_its_parameters():
    stubs = stub_functions()
    checked = 0
    for name in dir(module):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            continue
        if isinstance(value, type):
            methods = [m for m in vars(value) if not m.startswith("_") or m in ("__init__", "__contains__", "__len__")]
            for m in methods:
                assert name + "." + m in stubs, "no stub for %s.%s" % (name, m)
                assert stubs[name + "." + m] == runtime_parameters(getattr(value, m)), name + "." + m
                checked += 1
        elif callable(value):
            assert name in stubs, "no stub for " + name
            assert stubs[name] == runtime_parameters(value), name
            checked += 1
    assert checked >= 14, checked
    # ...and no stub of something the module lacks.
    for name in stubs:
        owner = module
        for part in name.split("."):
            assert hasattr(owner, part), "the stub names %s, which the module lacks" % name
            owner = getattr(owner, part)


def keys_of(typed_dict):
    return set(typing.get_type_hints(typed_dict))


def test_results_have_the_keys_of_their_types():
    names = sorted(os.listdir(SEEDS))
    d = neardup.Deduplicator()
    matches = []
    for name in names:
        text = open(os.path.join(SEEDS, name), encoding="utf-8").read()
        matches += d.add(name, text)
        matches += d.add(name + "/byline", "By our correspondent.\n\n" + text)
        matches += d.add(name + "/half", text[: len(text) // 2])
    kinds = {m["kind"] for m in matches}
    assert kinds == {"near", "contained", "translation"}, kinds  # every shape of a match seen
    for m in matches:
        assert set(m) == keys_of(results.Match)
    for p in d.pairs():
        assert set(p) == keys_of(results.Pair)
    duplicates = d.duplicates()
    assert {x["kind"] for x in duplicates} == {"near", "contained"}
    for x in duplicates:
        assert set(x) == keys_of(results.Duplicate)
    for c in d.clusters():
        assert set(c) == keys_of(results.Cluster)
    assert set(d.stats()) == keys_of(results.Stats) - {"store"}
    assert results.Stats.__required_keys__ == {"documents", "memory_bytes"}


def test_the_package_is_marked_typed():
    assert os.path.exists(os.path.join(os.path.dirname(neardup.__file__), "py.typed"))
    assert os.path.exists(os.path.join(os.path.dirname(neardup.__file__), "_neardup.pyi"))
