"""The named queries reshaped for the on-disk store give the answers their first shapes gave.

``tests/data/queries-before/`` holds each reshaped query as it was before (see its README);
both run, parameters bound the same way, on the built seed review and on a synthetic review
of 300 works with many texts, and must give the same rows, in the same order as far as
their ORDER BY says (rows that tie on it come in whichever order the engine's plan gives).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Store

from kg.build.pipeline import build_review
from kg.store.embedded import open_store
from kg.store.query import list_queries, load_query, memory_shape, ordered_by_kg, run_query
from tests.conftest import ROOT

BEFORE = Path(__file__).parent / "data" / "queries-before"
RESHAPED = sorted(path.stem for path in BEFORE.glob("*.rq"))


def _params(store: Store) -> list[dict[str, str]]:
    """Parameter values that select something in ``store``: no parameters, the most used
    theme by id and by a word of its label, a stance, an author, a work."""
    themes = run_query(store, load_query("themes")).records()
    top = max(themes, key=lambda row: int(row["claims"]))
    author = run_query(store, load_query("work-authors")).records()[0]
    pair = run_query(store, load_query("co-cited-pairs")).records()[0]
    return [
        {},
        {"theme": top["id"]},
        {"theme": top["theme"].split()[0].upper()},
        {"stance": "disputes"},
        {"theme": top["id"], "stance": "supports"},
        {"author": author["family"] or author["author"]},
        {"work": pair["workB"]},
        {"theme": "no such theme"},
    ]


Term = NamedNode | BlankNode | Literal


def _multiset(rows: tuple[tuple[Term | None, ...], ...]) -> list[tuple[str, ...]]:
    return sorted(tuple(str(term) for term in row) for row in rows)


def _order_keys(sparql: str) -> list[str]:
    """The variables of the query's ORDER BY: rows that tie on them may come in any order."""
    return re.findall(r"\?(\w+)", sparql.rsplit("ORDER BY", 1)[1])


def _compare(store: Store) -> set[str]:
    """Run every reshaped query before and after with each parameter set it takes; the
    queries that gave some rows."""
    answered = set()
    for name in RESHAPED:
        before = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
        after = load_query(name)
        for params in _params(store):
            if not all(f"?{p}_param" in after for p in params):
                continue
            old = run_query(store, before, params)
            new = run_query(store, after, params)
            assert new.variables == old.variables, name
            assert _multiset(new.rows) == _multiset(old.rows), f"{name} {params}"
            assert new.values(*_order_keys(before)) == old.values(*_order_keys(before)), name
            if old.rows:
                answered.add(name)
    return answered


_SYNTHETIC: dict[str, Path] = {}
"""The synthetic review's build folder, once built in this session."""


def _synthetic_output(factory: pytest.TempPathFactory) -> Path:
    """A synthetic review of 300 works (benchmarks/synth.py), built once: its build folder."""
    if "output" not in _SYNTHETIC:
        import sys

        sys.path.insert(0, str(ROOT / "benchmarks"))
        try:
            synth = importlib.import_module("synth")
        finally:
            sys.path.remove(str(ROOT / "benchmarks"))
        config = synth.make_review(factory.mktemp("synthetic") / "review", works=300, seed=7)
        _SYNTHETIC["output"] = build_review(config).output
    return _SYNTHETIC["output"]


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The synthetic review's store (tests/test_clusters.py imports this fixture too)."""
    yield open_store(_synthetic_output(tmp_path_factory) / "store")


def test_every_reshaped_query_is_kept_before_and_after() -> None:
    assert len(RESHAPED) >= 10
    for name in RESHAPED:
        before = (BEFORE / f"{name}.rq").read_text(encoding="utf-8")
        header = [line for line in before.splitlines() if line.startswith("#")]
        assert load_query(name).splitlines()[: len(header)] == header, name


def test_same_answers_on_the_seed(store) -> None:
    assert _compare(store) == set(RESHAPED)


def test_same_answers_on_a_synthetic_review(synthetic_store) -> None:
    assert _compare(synthetic_store) == set(RESHAPED)


def _served_order(output: Path) -> set[str]:
    """Every named query, parameters bound, as kg serve's worker answers it from memory
    (``# in memory:`` ORDER BY in place, answered as TSV) and as the embedded store answers
    it: the same rows, in the same order as far as the ORDER BY says. The queries that gave
    rows."""
    from pyoxigraph import QueryResultsFormat, parse_query_results

    from kg.serve.sparql import answer_request, load_review
    from kg.store.query import bind_parameters, list_queries, read_answer

    embedded = open_store(output / "store")
    memory = load_review(output / "graph.trig")
    answered = set()
    for named in list_queries():
        for params in _params(embedded):
            if not all(f"?{p}_param" in named.text for p in params):
                continue
            here = run_query(embedded, named.text, params)
            request = {"query": bind_parameters(named.text, params), "format": "tsv"}
            status, _, body = answer_request(memory, request, False)
            assert status == 200, named.name
            there = read_answer(parse_query_results(body, format=QueryResultsFormat.TSV))
            assert there.variables == here.variables, named.name
            assert _multiset(there.rows) == _multiset(here.rows), f"{named.name} {params}"
            # Keys made in a sub-SELECT and not projected (claim-citations' ?citingKey) are
            # left out: the projected ones still come in one sequence however rows tie.
            keys = [key for key in _order_keys(named.text) if key in here.variables]
            assert there.values(*keys) == here.values(*keys), f"{named.name} {params}"
            if here.rows:
                answered.add(named.name)
    return answered


def test_the_in_memory_order_is_marked_where_it_pays() -> None:
    marked = {name for name in RESHAPED if memory_shape(load_query(name)) != load_query(name)}
    assert marked == {
        "author-theme-claims",
        "authors-by-theme",
        "claims-for-theme",
        "contested-themes",
        "themes-of-author",
    }
    for name in marked:
        shaped = memory_shape(load_query(name))
        assert "CONCAT" not in shaped.rsplit("ORDER BY", 1)[1], name
        assert shaped.count("ORDER BY") == 1, name


def test_kg_serve_answers_in_the_embedded_stores_order_on_the_seed(built) -> None:
    report, _ = built
    assert len(_served_order(report.output)) >= 15


def test_kg_serve_answers_in_the_embedded_stores_order_on_a_synthetic_review(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    answered = _served_order(_synthetic_output(tmp_path_factory))
    assert {"author-theme-claims", "themes-of-author"} <= answered


KG_SORTS = re.compile(r"^#[ \t]*kg sorts:[^\n]*\n", re.M)


def _sorted_by_kg_and_by_the_engine(store: Store) -> set[str]:
    """Every named query marked ``# kg sorts:``, answered as run_query gives it (rows sorted
    by kg) and with the mark removed (sorted by the engine's ORDER BY): the same rows in the
    same order as far as the ORDER BY says. The queries that gave rows."""
    answered = set()
    for named in list_queries():
        if not KG_SORTS.search(named.text):
            continue
        engine = KG_SORTS.sub("", named.text)
        for params in _params(store):
            if not all(f"?{p}_param" in named.text for p in params):
                continue
            by_kg = run_query(store, named.text, params)
            by_engine = run_query(store, engine, params)
            assert _multiset(by_kg.rows) == _multiset(by_engine.rows), f"{named.name} {params}"
            keys = [key for key in _order_keys(engine) if key in by_kg.variables]
            assert by_kg.values(*keys) == by_engine.values(*keys), f"{named.name} {params}"
            if by_kg.rows:
                answered.add(named.name)
    return answered


def test_kg_sorts_as_the_engine_would_on_the_seed(store) -> None:
    assert _sorted_by_kg_and_by_the_engine(store) >= {"citations", "work-authors"}


def test_kg_sorts_as_the_engine_would_on_a_synthetic_review(synthetic_store) -> None:
    assert _sorted_by_kg_and_by_the_engine(synthetic_store) >= {"citations", "work-authors"}


def test_kg_sorts_only_what_it_can_sort_as_sparql_does() -> None:
    """Integers by value, descending where asked, unbound last when descending; a column with
    a blank node, or a LIMIT after the ORDER BY, leaves the sort to the engine: same answer."""
    ex = "http://example.org/"
    text = (
        f"SELECT ?s ?n WHERE {{ ?s <{ex}m>|<{ex}n> ?v OPTIONAL {{ ?s <{ex}n> ?n }} }}\n"
        "# kg sorts: DESC(?n) ?s\nORDER BY DESC(?n) ?s"
    )
    store = Store()
    data = f"<{ex}b> <{ex}n> 10 . <{ex}a> <{ex}n> 9 . <{ex}c> <{ex}n> 10 . <{ex}d> <{ex}m> 1"
    store.update(f"INSERT DATA {{ GRAPH <{ex}g> {{ {data} }} }}")
    assert ordered_by_kg(text) == (text.rsplit("ORDER BY", 1)[0], (("n", True), ("s", False)))
    rows = run_query(store, text).values("s", "n")
    assert rows == [(f"{ex}b", "10"), (f"{ex}c", "10"), (f"{ex}a", "9"), (f"{ex}d", "")]
    assert run_query(store, text).rows == run_query(store, KG_SORTS.sub("", text)).rows
    assert ordered_by_kg(text + "\nLIMIT 3") is None
    assert run_query(store, text + "\nLIMIT 3").rows == run_query(store, text).rows[:3]
    store.update(f"INSERT DATA {{ GRAPH <{ex}g> {{ _:x <{ex}n> 11 }} }}")
    with_blank = run_query(store, text)
    assert with_blank.rows == run_query(store, KG_SORTS.sub("", text)).rows
    assert isinstance(with_blank.rows[0][0], BlankNode)
