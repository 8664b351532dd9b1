"""What the views and the summary read from a review, worked out one named graph at a time.

The projections and the summary read a few named queries that answer one row per thing
(:class:`kg.projections.network.ReviewData`). Over a whole review those rows decompose by named
graph: a claim, its citations and its themes all live in its citing work's ``graph/claims/...`` (the
themes' labels beside it in ``graph/themes``), the works' labels and authors in
``graph/bibliography``. So ``kg build`` reads each graph's rows from that graph alone, in a small
in-memory store, and keeps them in its cache under the graph's key; a rebuild after one text changed
reads one graph's rows, not the whole review's. :func:`review_rows` puts the parts together into
what the same queries answer on the whole review (``tests/test_rows.py`` checks that on real and
synthetic reviews).

A claims graph can hold works too: a citing work with no bibliography entry, and the works
its text's reference list adds (:mod:`kg.load.references`); such a graph's rows are also
those of the bibliography's queries, put together with the bibliography's.

The three whole-review facts no single graph holds are worked out here from the parts:
a cited work is unresolved when no graph has it as a work with a key; a work is uncited when
no graph cites it or holds a text of it; a theme's number of claims sums over the graphs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Protocol

from pyoxigraph import NamedNode, Quad, Store

from kg.prefixes import PREFIXES
from kg.store.query import load_query, run_query

__all__ = [
    "BIBLIOGRAPHY_QUERIES",
    "CLAIMS_QUERIES",
    "CLAIM_PARTS",
    "QUERIES",
    "THEMES_QUERIES",
    "GraphRows",
    "Names",
    "claims_rows",
    "graph_rows",
    "review_rows",
    "review_rows_of",
    "rows_of_graph",
]

Rows = list[tuple[str, ...]]

CLAIMS_QUERIES: dict[str, tuple[str, ...]] = {
    "claims": ("claim", "claimText", "start", "origin"),
    "citations": (
        "claim",
        "citation",
        "workIri",
        "citingIri",
        "stance",
        "characterisation",
        "locator",
    ),
    "claim-themes": ("claim", "themeIri", "theme", "method", "score"),
    "unresolved-works": ("workIri", "names", "year", "title"),
    "unresolved-citations": ("names", "year", "mention", "citingWork", "citingIri", "citation"),
}
"""The named queries read on each claims graph (with the themes graph beside it), and the
variables of their rows."""

BIBLIOGRAPHY_QUERIES: dict[str, tuple[str, ...]] = {
    "work-labels": ("work", "authors", "year", "title", "workIri"),
    "work-authors": ("workIri", "authorIri", "author", "family", "given"),
    "uncited-works": ("work", "title", "year", "workIri"),
}
"""The named queries read on the bibliography graph."""

THEMES_QUERIES: dict[str, tuple[str, ...]] = {
    "themes": ("id", "theme", "definition", "broader", "claims", "themeIri"),
}
"""The named queries read on the themes graph."""

QUERIES = CLAIMS_QUERIES | BIBLIOGRAPHY_QUERIES | THEMES_QUERIES
"""Every named query :class:`kg.projections.network.ReviewData` reads whole, with its row
variables."""

_USES = (
    NamedNode(PREFIXES["cito"] + "hasCitedEntity"),
    NamedNode(PREFIXES["dcterms"] + "isFormatOf"),
)
"""The two links that make a work count as used (``uncited-works``' FILTER NOT EXISTS)."""
_BIB_KEY = NamedNode(PREFIXES["kg"] + "bibKey")
"""What a work of the review has, in whichever graph it is made (``work-labels``)."""


@dataclass(frozen=True)
class GraphRows:
    """The rows one named graph gives each query of its kind, and the works it uses (cites,
    or holds a text of), which the bibliography graph alone cannot know."""

    rows: dict[str, Rows]
    used: frozenset[str] = field(default=frozenset())


def graph_rows(
    quads: Iterable[Quad],
    queries: Mapping[str, tuple[str, ...]],
    beside: Iterable[Quad] = (),
    with_works: Mapping[str, tuple[str, ...]] | None = None,
) -> GraphRows:
    """The rows of ``queries`` over one graph's ``quads`` (and ``beside``: the themes graph
    for a claims graph, whose labels ``claim-themes`` reads), in a store of their own; and
    those of ``with_works`` too when the graph holds works (a work's ``kg:bibKey``)."""
    store = Store()
    store.bulk_extend(quads)
    used = frozenset(
        quad.object.value
        for predicate in _USES
        for quad in store.quads_for_pattern(None, predicate, None)
        if isinstance(quad.object, NamedNode)
    )
    if with_works and next(store.quads_for_pattern(None, _BIB_KEY, None), None) is not None:
        queries = {**queries, **with_works}
    store.bulk_extend(beside)
    rows = {
        name: run_query(store, load_query(name)).values(*names) for name, names in queries.items()
    }
    return GraphRows(rows, used)


class Names(Protocol):
    """A review's special named graphs, each ``str`` as ``<iri>`` (``kg.graph.GraphNames``)."""

    @property
    def bibliography(self) -> object: ...
    @property
    def themes(self) -> object: ...
    @property
    def ontology(self) -> object: ...


def rows_of_graph(
    graph: str, quads: Iterable[Quad], names: Names, themes: Callable[[], Iterable[Quad]]
) -> GraphRows:
    """The rows of the review's graph ``graph`` (``<iri>``), given its ``quads``: those of
    the bibliography's or the themes' queries, none for the ontology, and those of a claims
    graph's queries for any other graph, read with the quads of the themes graph beside (and
    the bibliography's queries too where the graph holds works)."""
    special = {
        str(names.bibliography): BIBLIOGRAPHY_QUERIES,
        str(names.themes): THEMES_QUERIES,
        str(names.ontology): {},
    }
    if graph in special:
        return graph_rows(quads, special[graph])
    return graph_rows(quads, CLAIMS_QUERIES, themes(), with_works=BIBLIOGRAPHY_QUERIES)


_ORDER = {
    "claims": itemgetter(0),
    "citations": itemgetter(0, 1),
    "claim-themes": itemgetter(0, 1),
    "unresolved-citations": itemgetter(0, 1, 5),
}
"""How the claims graphs' queries order their rows (ORDER BY)."""


def claims_rows(part: GraphRows) -> dict[str, Rows]:
    """The rows of one claims graph's claims, their citations and themes, in the order their
    queries give those of the whole review (:meth:`kg.projections.network.ReviewData.part`)."""
    return {name: sorted(part.rows[name], key=_ORDER[name]) for name in CLAIM_PARTS}


CLAIM_PARTS = ("claims", "citations", "claim-themes")
"""The queries whose rows on the whole review are those of the claims graphs put together."""


def review_rows_of(rows: Mapping[str, GraphRows], names: Names) -> dict[str, Rows]:
    """:func:`review_rows` from the rows of every graph of a review, by graph."""
    special = {str(names.bibliography), str(names.themes), str(names.ontology)}
    claims = [part for graph, part in sorted(rows.items()) if graph not in special]
    return review_rows(rows[str(names.bibliography)], rows[str(names.themes)], claims)


def review_rows(
    bibliography: GraphRows, themes: GraphRows, claims: Sequence[GraphRows]
) -> dict[str, Rows]:
    """The rows each query of :data:`QUERIES` answers on the whole review, from the rows of
    its bibliography, themes and claims graphs, in the order the queries give them."""
    merged: dict[str, Rows] = {
        name: [row for part in claims for row in part.rows[name]] for name in CLAIMS_QUERIES
    }
    for name, order in _ORDER.items():
        merged[name].sort(key=order)
    works = _with_works(bibliography, claims, "work-labels", itemgetter(0))
    entries = {row[4]: row[0] for row in works}
    # The citing work's key, which its entry gives (all citing works have one).
    merged["unresolved-citations"] = [
        (*row[:3], row[3] or entries.get(row[4], ""), *row[4:])
        for row in merged["unresolved-citations"]
    ]
    # A work is unresolved when no graph names it with a key: no work has its IRI.
    merged["unresolved-works"] = sorted(
        {row for row in merged["unresolved-works"] if row[0] not in entries}
    )
    used = frozenset().union(*(part.used for part in claims))
    merged["uncited-works"] = [
        row
        for row in _with_works(bibliography, claims, "uncited-works", itemgetter(0))
        if row[3] not in used
    ]
    merged["work-labels"] = works
    merged["work-authors"] = _with_works(bibliography, claims, "work-authors", itemgetter(0, 1))
    tagged = Counter(theme for _, theme in {row[:2] for row in merged["claim-themes"]})
    merged["themes"] = sorted(
        ((*row[:4], str(tagged[row[5]]), *row[5:]) for row in themes.rows["themes"]),
        key=lambda row: (-int(row[4]), row[1]),
    )
    return merged


def _with_works(
    bibliography: GraphRows,
    claims: Sequence[GraphRows],
    name: str,
    order: Callable[[tuple[str, ...]], tuple[str, ...] | str],
) -> Rows:
    """The bibliography's rows of ``name`` with those of the claims graphs that hold works,
    each row once (a work two texts' reference lists give is in both graphs), in ``order``
    and then by the whole row, as the query orders them on the whole review."""
    rows = bibliography.rows[name]
    more = [row for part in claims for row in part.rows.get(name, ())]
    if not more:
        return rows
    return sorted(set(rows).union(more), key=lambda row: (order(row), row))
