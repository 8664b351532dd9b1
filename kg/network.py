"""Projections of the review graph into networkx graphs for views and analysis.

Each projection runs a named SPARQL query, so the maps always show what ``kg query`` answers.
All of them share one shape, which ``kg.views`` draws: every node has a ``kind``, a
``label``, a ``claims`` count (how much the literature relies on it) and a ``detail`` line;
every edge has a ``stance`` (also its key), a ``weight`` (its number of claims), the
``claims`` behind it (quote, cited work and how it is cited, page locator), and the
``themes`` and ``stances`` of those claims, which the views filter on.

>>> graph = author_theme_network(store)  # doctest: +SKIP
>>> graph.nodes["theme:hook-for-change"]["label"]  # doctest: +SKIP
'Hook for change'
>>> work_labels(store)["giordano2002gender"]  # doctest: +SKIP
'Giordano, Cernkovich and Rudolph (2002)'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import networkx as nx
from pyoxigraph import Store

from kg.query import Backend, QueryResult, load_query, run_query

__all__ = [
    "CitedWork",
    "ReviewClaim",
    "Source",
    "author_label",
    "author_theme_network",
    "citation_network",
    "cocitation_network",
    "load_claims",
    "readable_subgraph",
    "review_title",
    "theme_network",
    "work_labels",
]

STANCE_ORDER = ("supports", "disputes", "mentions")
VIEW_LIMIT = 1500
"""The most nodes a view draws by default; above ~2,000 a map is a hairball (DESIGN.md)."""
ANCHOR_KINDS = ("citing", "theme")
"""Kinds a mixed graph keeps before any other (the citing texts, the map's themes)."""

Source = Store | Backend
"""Where a projection reads: the embedded store or a SPARQL server (``kg.remote``)."""


@dataclass(frozen=True)
class CitedWork:
    """One citation in a claim: the work, how a reader names it, the stance, the page."""

    key: str
    label: str
    title: str
    year: str
    stance: str
    locator: str


@dataclass(frozen=True)
class ReviewClaim:
    """A claim of a citing text with the works it cites and the themes it is tagged with."""

    ident: str
    text: str
    citing: str
    start: int
    cites: tuple[CitedWork, ...]
    themes: tuple[tuple[str, str], ...]


def author_label(family: str, given: str, name: str) -> str:
    """How a map labels an author: "Giordano, P. C."; an organisation by its name."""
    if not family:
        return name
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", given) if part)
    return f"{family}, {initials}" if initials else family


def _records(result: QueryResult) -> list[dict[str, str]]:
    return [
        {
            name: term.value if term is not None else ""
            for name, term in zip(result.variables, row, strict=True)
        }
        for row in result.rows
    ]


def _tail(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def review_title(store: Source) -> str:
    """The review's title as ``kg build`` stored it, or "" when it has none."""
    rows = _records(run_query(store, load_query("review-title")))
    return next((row["title"] for row in rows if row["title"]), "")


def work_labels(store: Source) -> dict[str, str]:
    """How each work is named in author-date style, by BibTeX key.

    "Giordano, Cernkovich and Rudolph (2002)"; four or more authors "Visher et al. (2008)";
    when one author-year pair names several works, letters in key order: "Buck (2017a)".
    """
    return {key: label for key, (label, _) in _works(store).items()}


def _works(store: Source) -> dict[str, tuple[str, str]]:
    """Each work's author-date label and title, by BibTeX key."""
    rows = _records(run_query(store, load_query("work-labels")))
    named: dict[tuple[str, str], list[str]] = defaultdict(list)
    titles = {}
    for row in rows:
        named[row["authors"] or row["title"] or row["work"], row["year"]].append(row["work"])
        titles[row["work"]] = row["title"]
    works = {}
    for (authors, year), keys in named.items():
        for index, key in enumerate(sorted(keys)):
            suffix = chr(ord("a") + index) if len(keys) > 1 and index < 26 else ""
            works[key] = (f"{authors} ({year or 'n.d.'}{suffix})", titles[key])
    return works


def author_theme_network(
    store: Source, *, title: str = "", theme: str | None = None
) -> nx.MultiGraph:
    """Authors and themes joined by one edge per stance, weighted by the number of claims.

    Node ids are ``author:<IRI tail>`` and ``theme:<id>``; each edge (key = stance) carries
    the claims behind it: quote, cited work, year and page locator.
    """
    params = {"theme": theme} if theme else {}
    result = run_query(store, load_query("author-theme-claims"), params)
    labels = work_labels(store)
    graph = nx.MultiGraph(title=title)
    claims_of: dict[object, set[str]] = {}
    for value in _records(result):
        author_id = "author:" + _tail(value["authorIri"])
        theme_id = "theme:" + _tail(value["themeIri"])
        work = {"key": value["work"], "title": value["title"], "year": value["year"]}
        if author_id not in graph:
            label = author_label(value["family"], value["given"], value["author"])
            graph.add_node(author_id, kind="author", label=label, detail=value["author"], works=[])
        if work not in graph.nodes[author_id]["works"]:
            graph.nodes[author_id]["works"].append(work)
        if theme_id not in graph:
            graph.add_node(theme_id, kind="theme", label=value["theme"], detail=value["definition"])
        stance = value["stance"]
        if not graph.has_edge(author_id, theme_id, key=stance):
            graph.add_edge(
                author_id, theme_id, key=stance, stance=stance, weight=0, claims=[],
                themes=[theme_id], stances=[stance],
            )  # fmt: skip
        edge = graph.edges[author_id, theme_id, stance]
        edge["claims"].append(
            {
                "id": _tail(value["claim"]),
                "quote": value["claimText"],
                "key": work["key"],
                "cite": labels.get(work["key"], work["key"]),
                "work": work["title"],
                "year": work["year"],
                "locator": value["locator"] or None,
                "stance": stance,
            }
        )
        for owner in (author_id, theme_id, (author_id, theme_id, stance)):
            claims_of.setdefault(owner, set()).add(value["claim"])
        edge["weight"] = len(claims_of[(author_id, theme_id, stance)])
    for node, data in graph.nodes(data=True):
        data["claims"] = len(claims_of.get(node, ()))
    return graph


def load_claims(store: Source, *, theme: str | None = None) -> list[ReviewClaim]:
    """Every claim (or those tagged with ``theme``) with its citations and themes, in text order."""
    return _load_claims(store, theme, work_labels(store))


def _load_claims(store: Source, theme: str | None, labels: Mapping[str, str]) -> list[ReviewClaim]:
    params = {"theme": theme} if theme else {}
    rows = _records(run_query(store, load_query("claim-citations"), params))
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["claim"], []).append(row)
    claims = []
    for ident, group in grouped.items():
        cites: dict[str, CitedWork] = {}
        themes: dict[str, str] = {}
        for row in group:
            key = row["work"] or "unresolved:" + _tail(row["citation"])
            if key not in cites:
                written = f"{row['names']} ({row['year']})" if row["names"] else key
                cites[key] = CitedWork(
                    key=key,
                    label=labels.get(row["work"], written),
                    title=row["title"],
                    year=row["year"],
                    stance=row["stance"],
                    locator=row["locator"],
                )
            if row["themeIri"]:
                themes["theme:" + _tail(row["themeIri"])] = row["theme"]
        first = group[0]
        claims.append(
            ReviewClaim(
                ident=_tail(ident),
                text=first["claimText"],
                citing=first["citing"],
                start=int(first["start"]),
                cites=tuple(cites.values()),
                themes=tuple(sorted(themes.items())),
            )
        )
    claims.sort(key=lambda c: (c.citing, c.start, c.ident))
    return claims


def _claim_entry(claim: ReviewClaim, cited: CitedWork) -> dict[str, Any]:
    return {
        "id": claim.ident,
        "quote": claim.text,
        "key": cited.key,
        "cite": cited.label,
        "work": cited.title,
        "year": cited.year,
        "locator": cited.locator or None,
        "stance": cited.stance,
    }


def _add_edge(
    graph: nx.MultiGraph, u: str, v: str, stance: str, entries: Iterable[dict[str, Any]],
    claim: ReviewClaim,
) -> None:  # fmt: skip
    """Add ``entries`` (the claim's rows) to the edge ``u``-``v`` of ``stance``."""
    if not graph.has_edge(u, v, key=stance):
        graph.add_edge(u, v, key=stance, stance=stance, weight=0, claims=[], themes=[], stances=[])
    edge = graph.edges[u, v, stance]
    new = [e for e in entries if e not in edge["claims"]]
    edge["claims"].extend(new)
    edge["weight"] = len({c["id"] for c in edge["claims"]})
    edge["themes"] = sorted(set(edge["themes"]) | {t for t, _ in claim.themes})
    edge["stances"] = sorted(
        set(edge["stances"]) | {c["stance"] for c in new}, key=STANCE_ORDER.index
    )


def _theme_line(claim: ReviewClaim) -> str:
    return ", ".join(label for _, label in claim.themes)


def citation_network(
    store: Source,
    *,
    title: str = "",
    theme: str | None = None,
    claims: Sequence[ReviewClaim] | None = None,
) -> nx.MultiDiGraph:
    """Citing works, their claims and the works the claims cite.

    Nodes ``work:<key>`` of kind ``citing`` (a text of the review) and ``work`` (a cited
    work; ``claims`` = the claims resting on it), and ``claim:<id>``. Edges run from a citing
    work to each of its claims (stance ``makes``) and from a claim to each work it cites,
    keyed by the stance toward that work. ``claims``, if given, are :func:`load_claims`'s
    answer for ``theme``, read once for several projections (it is the slow part).
    """
    works = _works(store)
    graph = nx.MultiDiGraph(title=title)
    relied: dict[str, set[str]] = defaultdict(set)
    if claims is None:
        claims = _load_claims(store, theme, {key: label for key, (label, _) in works.items()})
    for number, claim in enumerate(claims, start=1):
        citing_id, claim_id = f"work:{claim.citing}", f"claim:{claim.ident}"
        label, work_title = works.get(claim.citing, (claim.citing, ""))
        graph.add_node(citing_id, kind="citing", label=label, detail=work_title)
        graph.add_node(
            claim_id, kind="claim", label=f"Claim {number}", detail=claim.text,
            themes=[t for t, _ in claim.themes], claims=1,
        )  # fmt: skip
        relied[citing_id].add(claim.ident)
        entries = [_claim_entry(claim, cited) for cited in claim.cites]
        _add_edge(graph, citing_id, claim_id, "makes", entries, claim)
        for cited, entry in zip(claim.cites, entries, strict=True):
            work_id = f"work:{cited.key}"
            if work_id not in graph:
                graph.add_node(work_id, kind="work", label=cited.label, detail=cited.title)
            relied[work_id].add(claim.ident)
            _add_edge(graph, claim_id, work_id, cited.stance, [entry], claim)
    for node, data in graph.nodes(data=True):
        if data["kind"] != "claim":
            data["claims"] = len(relied[node])
    graph.graph["themes"] = _theme_labels(claims)
    return graph


def _theme_labels(claims: Iterable[ReviewClaim]) -> dict[str, str]:
    """The themes the claims are tagged with, by id: the views' theme filter."""
    return dict(sorted({t: label for claim in claims for t, label in claim.themes}.items()))


def cocitation_network(
    store: Source,
    *,
    title: str = "",
    theme: str | None = None,
    claims: Sequence[ReviewClaim] | None = None,
) -> nx.MultiGraph:
    """Works cited together in one claim, weighted by the number of such claims.

    Nodes ``work:<key>`` (kind ``work``; ``claims`` = the claims citing it); one edge (key
    ``co-cited``) per pair of works that a claim cites together, carrying those claims.
    ``claims`` as for :func:`citation_network`.
    """
    graph = nx.MultiGraph(title=title)
    relied: dict[str, set[str]] = defaultdict(set)
    if claims is None:
        claims = load_claims(store, theme=theme)
    for claim in claims:
        for cited in claim.cites:
            work_id = f"work:{cited.key}"
            if work_id not in graph:
                graph.add_node(work_id, kind="work", label=cited.label, detail=cited.title)
            relied[work_id].add(claim.ident)
        for a, b in combinations(sorted(claim.cites, key=lambda c: c.key), 2):
            entries = [_claim_entry(claim, a), _claim_entry(claim, b)]
            _add_edge(graph, f"work:{a.key}", f"work:{b.key}", "co-cited", entries, claim)
    for node, data in graph.nodes(data=True):
        data["claims"] = len(relied[node])
    graph.graph["themes"] = _theme_labels(claims)
    return graph


def theme_network(
    store: Source, *, title: str = "", claims: Sequence[ReviewClaim] | None = None
) -> nx.MultiGraph:
    """Themes joined when one claim is tagged with both, weighted by the number of claims.

    Nodes ``theme:<id>`` (kind ``theme``; ``claims`` = the claims tagged with it, ``detail``
    its definition); one edge (key ``co-occurs``) per pair of themes sharing claims.
    ``claims``, if given, are :func:`load_claims`'s answer (all claims).
    """
    definitions = {
        f"theme:{row['id']}": row["definition"]
        for row in _records(run_query(store, load_query("themes")))
    }
    graph = nx.MultiGraph(title=title)
    tagged: dict[str, set[str]] = defaultdict(set)
    for claim in load_claims(store) if claims is None else claims:
        for theme_id, label in claim.themes:
            if theme_id not in graph:
                detail = definitions.get(theme_id, "")
                graph.add_node(theme_id, kind="theme", label=label, detail=detail)
            tagged[theme_id].add(claim.ident)
        entries = [_claim_entry(claim, cited) for cited in claim.cites]
        for (a, _), (b, _) in combinations(claim.themes, 2):
            _add_edge(graph, a, b, "co-occurs", entries, claim)
    for node, data in graph.nodes(data=True):
        data["claims"] = len(tagged[node])
    return graph


def readable_subgraph(
    graph: nx.MultiGraph, limit: int = VIEW_LIMIT
) -> tuple[nx.MultiGraph, int, int]:
    """The part of ``graph`` a reader can take in: at most ``limit`` nodes, the most relied-on.

    Returns the subgraph with every edge among the kept nodes, and the whole graph's numbers of
    nodes and edges (for the page to say what it leaves out). A graph within the limit comes
    back as it is. In a graph of several kinds the anchor kinds (:data:`ANCHOR_KINDS`: the
    citing texts, the map's themes) are kept first; the rest of the room goes to the other
    nodes with the most ``claims``. A claim node counts the claims of the works it cites, so
    the claims kept are those resting on the most-cited works. Ties go by node id, so the same
    graph always gives the same subgraph.

    >>> g = nx.MultiGraph()
    >>> g.add_nodes_from([("a", {"claims": 3}), ("b", {"claims": 1}), ("c", {"claims": 3})])
    >>> _ = g.add_edge("a", "b"); _ = g.add_edge("a", "c")
    >>> sub, nodes, edges = readable_subgraph(g, 2)
    >>> sorted(sub), nodes, edges, sub.number_of_edges()
    (['a', 'c'], 3, 2, 1)
    """
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    if total_nodes <= limit:
        return graph, total_nodes, total_edges
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    anchors = kinds & set(ANCHOR_KINDS) if len(kinds) > 1 else set()

    def weight(node: Any) -> int:
        data = graph.nodes[node]
        if data.get("kind") == "claim":
            cited = graph.successors(node) if graph.is_directed() else graph.neighbors(node)
            return sum(int(graph.nodes[w].get("claims") or 0) for w in cited)
        return int(data.get("claims") or 0)

    ranked = sorted(
        graph.nodes,
        key=lambda n: (graph.nodes[n].get("kind") not in anchors, -weight(n), str(n)),
    )
    subgraph = graph.subgraph(ranked[:limit]).copy()
    return subgraph, total_nodes, total_edges
