"""The rows the views and the summary read, worked out graph by graph (kg.projections.rows), are
what the same named queries answer on the whole built review: on the seed, on the seed with works
missing from its bibliography (unresolved citations), with two citing works, and on a synthetic
review of 300 works with many texts."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse

from kg.build.pipeline import build_review
from kg.config import load_config
from kg.graph import GraphNames
from kg.outputs.pages import write_pages
from kg.outputs.review import render_review
from kg.projections.rows import QUERIES, review_rows_of, rows_of_graph
from kg.store.embedded import open_store
from kg.store.query import list_queries, load_query, run_query
from tests.conftest import BIB, ROOT, write_config


def _rows_by_graph(config: Path) -> tuple[dict[str, list[tuple[str, ...]]], Store]:
    """The built review's rows put together from its graphs, and its whole graph in memory."""
    review = load_config(config)
    names = GraphNames(review.base)
    quads = defaultdict(list)
    for quad in parse(path=str(review.output / "graph.trig"), format=RdfFormat.TRIG):
        quads[f"<{quad.graph_name.value}>"].append(quad)
    themes = quads[str(names.themes)]
    merged = review_rows_of(
        {graph: rows_of_graph(graph, q, names, lambda: themes) for graph, q in quads.items()},
        names,
    )
    whole = Store()
    whole.bulk_extend(q for graph in quads.values() for q in graph)
    return merged, whole


def _same_as_whole(config: Path, tmp_path: Path) -> None:
    merged, whole = _rows_by_graph(config)
    assert set(merged) == set(QUERIES)
    for name, variables in QUERIES.items():
        answered = run_query(whole, load_query(name)).values(*variables)
        # Each row once: Oxigraph's union of the named graphs answers a work that two texts'
        # reference lists give once per graph (the pages below are drawn from such a store).
        assert merged[name] == list(dict.fromkeys(answered)), name
    # And so the build drew the views and wrote the summary as they are drawn from its store.
    review = load_config(config)
    drawn = tmp_path / "drawn"
    drawn.mkdir(parents=True)
    store = open_store(review.output / "store")
    write_pages(store, drawn, title=review.title)
    for page in drawn.iterdir():
        assert page.read_bytes() == (review.output / page.name).read_bytes(), page.name
    built = (review.output / "review.md").read_text(encoding="utf-8")
    assert built.startswith(render_review(store, title=review.title).rstrip("\n"))


def _built(folder: Path, **overrides: str) -> Path:
    config = write_config(folder, **overrides)
    build_review(config)
    return config


def test_seed_rows_by_graph_are_the_whole_reviews(tmp_path: Path) -> None:
    config = _built(tmp_path)
    merged, _ = _rows_by_graph(config)
    assert len(merged["claims"]) == 17 and merged["unresolved-works"] == []
    _same_as_whole(config, tmp_path)


def test_unresolved_and_uncited_works_by_graph(tmp_path: Path) -> None:
    """Works left out of the bibliography are cited unresolved; a second citing work (a text
    of its own) is neither uncited nor unresolved."""
    bib = tmp_path / "refs.bib"
    source = (BIB / "references.bib").read_text("utf-8")
    start = source.index("@misc{webster2013unidentified")
    bib.write_text(source[:start] + source[source.index("@article{maruna2007") :], "utf-8")
    second = tmp_path / "second.txt"
    second.write_text(
        "Desistance is a process (Maruna, 2001). Webster (2013) saw it too.\n", "utf-8"
    )
    texts = (
        f'[{{path = "{BIB / "nixon2020-excerpt.txt"}", work = "nixon2020giving"}},'
        f' {{path = "{second}", work = "nixon2018just"}}]'
    )
    config = _built(tmp_path, bibliography=f'["{bib}"]', texts=texts)
    merged, _ = _rows_by_graph(config)
    assert merged["unresolved-works"] and merged["unresolved-citations"]
    assert "nixon2018just" not in {row[0] for row in merged["uncited-works"]}
    _same_as_whole(config, tmp_path / "first")
    # A rebuild after one text changed reads the other graphs' rows from the cache, and
    # (given a second core) draws the map in a forked process: the same outputs again.
    second.write_text("Desistance is a process (Maruna, 2001; Webster, 2013).\n", "utf-8")
    steps: list[str] = []
    build_review(config, progress=steps.append)
    assert any(step.startswith("updating the store (1 of") for step in steps)
    _same_as_whole(config, tmp_path / "again")


def test_synthetic_review_rows_by_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    synth = importlib.import_module("synth")
    config = synth.make_review(tmp_path / "review", works=300, seed=7)
    build_review(config)
    _same_as_whole(config, tmp_path)


# The seed's first four works as its reference list prints them (Probation Journal's style).
_REFERENCE_LIST = """
References

Giordano PC, Cernkovich SA and Rudolph JL (2002) Gender, crime, and desistance: Toward a
theory of cognitive transformation. American Journal of Sociology 107(4): 990-1064.

Kavanagh L and Borrill J (2013) Exploring the experiences of ex-offender mentors. Probation
Journal 60(4): 400-414.

Maruna S (2001) Making Good: How Ex-Convicts Reform and Rebuild Their Lives. Washington, DC:
American Psychological Association.
"""


def test_works_from_a_reference_list_by_graph(tmp_path: Path) -> None:
    """A review with no bibliography (as `kg init --pdfs` makes one): the citing work and the
    works of its reference list live in its claims graph, and the views and the summary name
    them as the whole review's queries do (the build's pages were empty of them)."""
    text = tmp_path / "nixon.txt"
    seed = (BIB / "nixon2020-excerpt.txt").read_text("utf-8")
    text.write_text(seed + _REFERENCE_LIST, "utf-8")
    texts = f'[{{path = "{text}", work = "nixon2020giving"}}]'
    config = _built(tmp_path, bibliography=None, claims=None, texts=texts)
    merged, _ = _rows_by_graph(config)
    labelled = {row[0] for row in merged["work-labels"]}
    assert {"nixon2020giving", "maruna2001making", "kavanagh2013exploring"} <= labelled
    assert "Maruna" in {row[3] for row in merged["work-authors"]}
    _same_as_whole(config, tmp_path / "first")
    # With a second text and its own list, a rebuild after the second changed reads the
    # first's rows and parts (with the works of its list) from the cache: the same pages.
    second = tmp_path / "second.txt"
    second.write_text(
        "Mentors need the core conditions (Buck, 2017).\n\nReferences\n\nBuck G (2017) The core"
        " conditions of peer mentoring. Criminology & Criminal Justice 18(2): 190-206.\n",
        "utf-8",
    )
    texts = texts[:-1] + f', {{path = "{second}", work = "nixon2018just"}}]'
    config = _built(tmp_path, bibliography=None, claims=None, texts=texts)
    _same_as_whole(config, tmp_path / "second")
    second.write_text(second.read_text("utf-8").replace("(Buck, 2017)", "(Buck, 2017: 3)"))
    steps: list[str] = []
    build_review(config, progress=steps.append)
    assert any(step.startswith("updating the store (1 of") for step in steps)
    _same_as_whole(config, tmp_path / "again")
    # A third text giving the first's reference list: its works are in two graphs.
    third = tmp_path / "third.txt"
    third.write_text("Desistance is a process (Maruna, 2001).\n" + _REFERENCE_LIST, "utf-8")
    texts = texts[:-1] + f', {{path = "{third}", work = "maruna2007amputation"}}]'
    config = _built(tmp_path, bibliography=None, claims=None, texts=texts)
    _same_as_whole(config, tmp_path / "third")


def test_named_queries_answer_each_row_once_where_texts_share_a_reference_list(
    tmp_path: Path,
) -> None:
    """Two texts giving the same reference list put its works' descriptions in two graphs,
    and Oxigraph's union of the named graphs answers each such triple once per graph
    (oxigraph/oxigraph#1919, fixed after 0.5): the named queries joined a work's title, year,
    key, creators and names into every combination (work-authors answered each author of the
    list's works four times). Each row of every named query is now answered once."""
    texts = []
    for name, work in (("first", "nixon2020giving"), ("second", "maruna2007amputation")):
        text = tmp_path / f"{name}.txt"
        text.write_text("Desistance is a process (Maruna, 2001; Kavanagh and Borrill, 2013).\n"
                        + _REFERENCE_LIST, "utf-8")  # fmt: skip
        texts.append(f'{{path = "{text}", work = "{work}"}}')
    config = _built(tmp_path, bibliography=None, claims=None, texts=f"[{', '.join(texts)}]")
    store = open_store(load_config(config).output / "store")
    for named in list_queries():
        rows = run_query(store, named.text).rows
        assert len(rows) == len(set(rows)), named.name
    # the list's works are there to be answered, once each
    authors = run_query(store, load_query("work-authors")).values("workIri", "author")
    assert [name for iri, name in authors if iri.endswith("/maruna2001making")] == ["S Maruna"]
