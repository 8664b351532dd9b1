"""Projections of the review graph into networkx graphs for views and analysis.

Every projection is built from a few named SPARQL queries that answer one row per thing
(``claims``, ``citations``, ``claim-themes``, ``work-labels``, ``work-authors``,
``unresolved-works``, ``themes``), joined here, so the maps always show what ``kg query``
answers; :class:`ReviewData` reads them once for all the views and the summary.
The projections share one shape, which ``kg.views`` draws: every node has a ``kind``, a
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
from collections.abc import Container, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import combinations, groupby
from operator import attrgetter, itemgetter
from typing import Any

import networkx as nx
from pyoxigraph import Store

from kg.query import Backend, load_query, run_query

__all__ = [
    "Author",
    "Citation",
    "CitedWork",
    "ClaimText",
    "ReviewClaim",
    "ReviewData",
    "Source",
    "Work",
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


def _tail(iri: str) -> str:
    """The last segment of an IRI, after its last ``/`` or ``#`` (trailing ones ignored).

    >>> _tail("https://w3id.org/kg/themes/hope"), _tail("https://example.org/a#b/")
    ('hope', 'b')
    """
    iri = iri.rstrip("/#")
    return iri[max(iri.rfind("/"), iri.rfind("#")) + 1 :]


def review_title(store: Source) -> str:
    """The review's title as ``kg build`` stored it, or "" when it has none."""
    rows = run_query(store, load_query("review-title")).values("title")
    return next((title for (title,) in rows if title), "")


@dataclass(frozen=True, slots=True)
class Work:
    """A work of the bibliography: its key, how a reader names it, its title and year."""

    key: str
    label: str
    title: str
    year: str


@dataclass(frozen=True, slots=True)
class ClaimText:
    """What a claim says and where: its sentence, its offset in the citing text, its origin
    (``extracted`` or ``curated``)."""

    text: str
    start: int
    origin: str


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation a claim makes (a row of the ``citations`` query, IRIs in full)."""

    claim: str
    citation: str
    work: str
    citing: str
    stance: str
    characterisation: str
    locator: str


@dataclass(frozen=True, slots=True)
class Author:
    """An author of a work: IRI, name, and for a person the family and given names."""

    iri: str
    name: str
    family: str
    given: str


class ReviewData:
    """What the projections and the summary read from the store, each part read when first
    needed and then kept, so that the four views and the summary read a review once.

    Each part is a named query that answers one row per thing (claim, citation, tag, work,
    author), and the projections join them here. Joined in SPARQL, they repeat each claim's
    text for every citation, theme and author of it (440,000 rows at 10,000 works), and
    reading those rows was most of the time and memory of drawing the views. The store must
    not change while the data is in use.

    >>> data = ReviewData(store)  # doctest: +SKIP
    >>> len(data.claims()), len(citation_network(store, data=data))  # doctest: +SKIP
    (17, 35)
    """

    def __init__(self, store: Source) -> None:
        self.store = store
        self._tags: dict[str | None, dict[str, list[tuple[str, str]]]] = {}
        self._claims: dict[str | None, list[ReviewClaim]] = {}

    def _rows(self, name: str, *variables: str, **params: str) -> list[tuple[str, ...]]:
        return run_query(self.store, load_query(name), params).values(*variables)

    @cached_property
    def _bibliography(self) -> list[tuple[str, ...]]:
        return self._rows("work-labels", "work", "authors", "year", "title", "workIri")

    @cached_property
    def works(self) -> dict[str, Work]:
        """The bibliography's works by key, named as readers cite them (:func:`work_labels`)."""
        named: dict[tuple[str, str], list[str]] = defaultdict(list)
        details = {}
        for key, authors, year, title, _ in self._bibliography:
            named[authors or title or key, year].append(key)
            details[key] = (title, year)
        works = {}
        for (authors, year), keys in named.items():
            for index, key in enumerate(sorted(keys)):
                suffix = chr(ord("a") + index) if len(keys) > 1 and index < 26 else ""
                title, own_year = details[key]
                works[key] = Work(key, f"{authors} ({year or 'n.d.'}{suffix})", title, own_year)
        return works

    @cached_property
    def by_iri(self) -> dict[str, Work]:
        """The works of the bibliography by IRI."""
        works = self.works
        return {iri: works[key] for key, _, _, _, iri in self._bibliography}

    @cached_property
    def unresolved(self) -> dict[str, tuple[str, str, str]]:
        """Works cited that match no entry, by IRI: the names and year as written, the title."""
        found: dict[str, tuple[str, str, str]] = {}
        for iri, names, year, title in self._rows(
            "unresolved-works", "workIri", "names", "year", "title"
        ):
            found.setdefault(iri, (names, year, title))
        return found

    @cached_property
    def texts(self) -> dict[str, ClaimText]:
        """Every claim's sentence, offset and origin, by claim IRI."""
        return {
            claim: ClaimText(text, int(start), origin)
            for claim, text, start, origin in self._rows(
                "claims", "claim", "claimText", "start", "origin"
            )
        }

    @cached_property
    def citations(self) -> list[Citation]:
        """Every citation of every claim, by claim IRI then citation IRI."""
        rows = self._rows(
            "citations", "claim", "citation", "workIri", "citingIri", "stance",
            "characterisation", "locator",
        )  # fmt: skip
        return sorted((Citation(*row) for row in rows), key=lambda c: (c.claim, c.citation))

    @cached_property
    def authors(self) -> dict[str, list[Author]]:
        """The authors of each work, by the work's IRI."""
        authors: dict[str, list[Author]] = defaultdict(list)
        for work, *author in self._rows(
            "work-authors", "workIri", "authorIri", "author", "family", "given"
        ):
            authors[work].append(Author(*author))
        return dict(authors)

    @cached_property
    def themes(self) -> list[dict[str, str]]:
        """The themes of the scheme (the ``themes`` query): id, label, definition, IRI."""
        return run_query(self.store, load_query("themes")).records()

    def tags(self, theme: str | None = None) -> dict[str, list[tuple[str, str]]]:
        """The themes (IRI and label) each claim is tagged with, by claim IRI; only the
        themes ``theme`` names (an id or words of a label) if given."""
        if theme not in self._tags:
            tags: dict[str, list[tuple[str, str]]] = defaultdict(list)
            params = {"theme": theme} if theme else {}
            for claim, iri, label in self._rows(
                "claim-themes", "claim", "themeIri", "theme", **params
            ):
                tags[claim].append((iri, label))
            self._tags[theme] = dict(tags)
        return self._tags[theme]

    def cited(self, citation: Citation) -> CitedWork:
        """The work ``citation`` cites, as a claim shows it. A work with no bibliography entry
        is named as the text wrote it and keyed by the citation, one per citation."""
        work = self.by_iri.get(citation.work)
        if work is not None:
            return CitedWork(
                work.key, work.label, work.title, work.year, citation.stance, citation.locator
            )
        names, year, title = self.unresolved.get(citation.work, ("", "", ""))
        key = "unresolved:" + _tail(citation.citation)
        label = f"{names} ({year})" if names else key
        return CitedWork(key, label, title, year, citation.stance, citation.locator)

    def claims(self, theme: str | None = None) -> list[ReviewClaim]:
        """Every claim, or those tagged with a theme ``theme`` names, with its citations and
        all its themes, in text order (:func:`load_claims`)."""
        if theme not in self._claims:
            self._claims[theme] = self._join_claims(set(self.tags(theme)) if theme else None)
        return self._claims[theme]

    def _join_claims(self, wanted: Container[str] | None) -> list[ReviewClaim]:
        tags, texts, works = self.tags(), self.texts, self.by_iri
        claims = []
        for claim, group in groupby(self.citations, key=attrgetter("claim")):
            said = texts.get(claim)
            if said is None or (wanted is not None and claim not in wanted):
                continue
            # A claim's citations come from one citing text: by it, then by IRI, as the
            # claim-citations query orders them.
            made = sorted(
                ((works[c.citing].key, c) for c in group if c.citing in works),
                key=lambda pair: (pair[0], pair[1].citation),
            )
            if not made:
                continue
            cites: dict[str, CitedWork] = {}
            for _, citation in made:
                cited = self.cited(citation)
                cites.setdefault(cited.key, cited)
            themes = {"theme:" + _tail(iri): label for iri, label in tags.get(claim, ())}
            claims.append(
                ReviewClaim(
                    _tail(claim), said.text, made[0][0], said.start, tuple(cites.values()),
                    tuple(sorted(themes.items())),
                )
            )  # fmt: skip
        claims.sort(key=lambda c: (c.citing, c.start, c.ident))
        return claims


def work_labels(store: Source) -> dict[str, str]:
    """How each work is named in author-date style, by BibTeX key.

    "Giordano, Cernkovich and Rudolph (2002)"; four or more authors "Visher et al. (2008)";
    when one author-year pair names several works, letters in key order: "Buck (2017a)".
    """
    return {key: work.label for key, work in ReviewData(store).works.items()}


def author_theme_network(
    store: Source, *, title: str = "", theme: str | None = None, data: ReviewData | None = None
) -> nx.MultiGraph:
    """Authors and themes joined by one edge per stance, weighted by the number of claims.

    Node ids are ``author:<IRI tail>`` and ``theme:<id>``; each edge (key = stance) carries
    the claims behind it: quote, cited work, year and page locator. An author is linked to a
    theme by each citation of one of their works in a claim tagged with the theme (only the
    themes ``theme`` names, if given). ``data``, if given, is what the store holds, read once
    for several projections (:class:`ReviewData`).
    """
    data = data or ReviewData(store)
    tags, texts, works = data.tags(theme or None), data.texts, data.by_iri
    definitions = {row["themeIri"]: row["definition"] for row in data.themes}
    cited = []
    for citation in data.citations:
        said, work = texts.get(citation.claim), works.get(citation.work)
        if said is not None and work is not None:
            order = (said.start, work.key, citation.stance, citation.claim, citation.citation)
            cited.append((order, citation, said, work))
    # In the order of the map's rows: by theme and author, then by place in the text, work,
    # stance, claim and citation (the last two so that the order never depends on the store).
    cited.sort(key=itemgetter(0))
    rows: dict[tuple[str, str], list[tuple[Author, str, Citation, Work, dict[str, Any]]]]
    rows = defaultdict(list)
    for (*_, claim, _), citation, said, work in cited:
        authors, themes = data.authors.get(citation.work), tags.get(claim)
        if not authors or not themes:
            continue
        entry = _claim_entry(_tail(claim), said.text, data.cited(citation))
        for author in authors:
            for theme_iri, label in themes:
                rows[theme_iri, author.iri].append((author, label, citation, work, entry))
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    claims_of: dict[object, set[str]] = defaultdict(set)
    listed: dict[str, set[str]] = defaultdict(set)
    author_ids = cache(lambda iri: "author:" + _tail(iri))
    theme_ids = cache(lambda iri: "theme:" + _tail(iri))
    for theme_iri, author_iri in sorted(rows):
        pairs = rows[theme_iri, author_iri]
        author_id, theme_id = author_ids(author_iri), theme_ids(theme_iri)
        author, label = pairs[0][0], pairs[0][1]
        if author_id not in nodes:
            nodes[author_id] = {
                "kind": "author", "label": author_label(author.family, author.given, author.name),
                "detail": author.name, "works": [],
            }  # fmt: skip
        if theme_id not in nodes:
            definition = definitions.get(theme_iri, "")
            nodes[theme_id] = {"kind": "theme", "label": label, "detail": definition}
        works_of, listed_of = nodes[author_id]["works"], listed[author_id]
        of_author, of_theme = claims_of[author_id], claims_of[theme_id]
        for _, _, citation, work, entry in pairs:
            if work.key not in listed_of:
                listed_of.add(work.key)
                works_of.append({"key": work.key, "title": work.title, "year": work.year})
            ends = (author_id, theme_id, citation.stance)
            edge = edges.get(ends)
            if edge is None:
                edge = edges[ends] = {
                    "stance": citation.stance, "weight": 0, "claims": [], "themes": [theme_id],
                    "stances": [citation.stance],
                }  # fmt: skip
            edge["claims"].append(entry)
            of_author.add(citation.claim)
            of_theme.add(citation.claim)
            claims_of[ends].add(citation.claim)
    for node, attributes in nodes.items():
        attributes["claims"] = len(claims_of[node])
    for ends, attributes in edges.items():
        attributes["weight"] = len(claims_of[ends])
    graph = nx.MultiGraph(title=title)
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((u, v, stance, attributes) for (u, v, stance), attributes in edges.items())
    return graph


def load_claims(
    store: Source, *, theme: str | None = None, data: ReviewData | None = None
) -> list[ReviewClaim]:
    """Every claim (or those tagged with ``theme``) with its citations and themes, in text order.

    ``data``, if given, is what the store holds, read once (:class:`ReviewData`).
    """
    return list((data or ReviewData(store)).claims(theme or None))


def _claim_entry(ident: str, quote: str, cited: CitedWork) -> dict[str, Any]:
    """A claim as an edge of a view carries it: its id and sentence, and one work it cites."""
    return {
        "id": ident,
        "quote": quote,
        "key": cited.key,
        "cite": cited.label,
        "work": cited.title,
        "year": cited.year,
        "locator": cited.locator or None,
        "stance": cited.stance,
    }


class _Edges:
    """The edges of a projection while it is made: each takes a claim's entries once, and
    its weight, themes and stances are worked out when it goes into the graph."""

    def __init__(self, graph: nx.MultiGraph) -> None:
        self.graph = graph
        self.directed = graph.is_directed()
        # By ends and stance: the edge's data, its entries (as tuples), themes and stances.
        self.edges: dict[
            tuple[str, str, str], tuple[dict[str, Any], set[tuple[Any, ...]], set[str], set[str]]
        ] = {}

    def add(
        self, u: str, v: str, stance: str, entries: Iterable[dict[str, Any]], claim: ReviewClaim
    ) -> None:
        """Add ``entries`` (the claim's, from :func:`_claim_entry`) to the edge ``u``-``v``
        of ``stance``, and the claim's themes to the edge's."""
        record = self.edges.get((u, v, stance))
        if record is None and not self.directed:
            record = self.edges.get((v, u, stance))
        if record is None:
            edge: dict[str, Any] = {
                "stance": stance, "weight": 0, "claims": [], "themes": [], "stances": []
            }  # fmt: skip
            record = self.edges[u, v, stance] = (edge, set(), set(), set())
        edge, seen, themes, stances = record
        for entry in entries:
            signature = tuple(entry.values())
            if signature not in seen:
                seen.add(signature)
                edge["claims"].append(entry)
                stances.add(entry["stance"])
        themes.update(theme for theme, _ in claim.themes)

    def close(self) -> None:
        """Put the edges into the graph, in the order they were first added."""
        for edge, _, themes, stances in self.edges.values():
            edge["weight"] = len({entry["id"] for entry in edge["claims"]})
            edge["themes"] = sorted(themes)
            edge["stances"] = sorted(stances, key=STANCE_ORDER.index)
        self.graph.add_edges_from(
            (u, v, key, edge) for (u, v, key), (edge, _, _, _) in self.edges.items()
        )


def citation_network(
    store: Source, *, title: str = "", theme: str | None = None, data: ReviewData | None = None
) -> nx.MultiDiGraph:
    """Citing works, their claims and the works the claims cite.

    Nodes ``work:<key>`` of kind ``citing`` (a text of the review) and ``work`` (a cited
    work; ``claims`` = the claims resting on it), and ``claim:<id>``. Edges run from a citing
    work to each of its claims (stance ``makes``) and from a claim to each work it cites,
    keyed by the stance toward that work. ``data`` as for :func:`author_theme_network`.
    """
    data = data or ReviewData(store)
    works = data.works
    graph = nx.MultiDiGraph(title=title)
    edges = _Edges(graph)
    relied: dict[str, set[str]] = defaultdict(set)
    claims = data.claims(theme or None)
    for number, claim in enumerate(claims, start=1):
        citing_id, claim_id = f"work:{claim.citing}", f"claim:{claim.ident}"
        citing = works.get(claim.citing)
        label, work_title = (citing.label, citing.title) if citing else (claim.citing, "")
        graph.add_node(citing_id, kind="citing", label=label, detail=work_title)
        graph.add_node(
            claim_id, kind="claim", label=f"Claim {number}", detail=claim.text,
            themes=[t for t, _ in claim.themes], claims=1,
        )  # fmt: skip
        relied[citing_id].add(claim.ident)
        entries = [_claim_entry(claim.ident, claim.text, cited) for cited in claim.cites]
        edges.add(citing_id, claim_id, "makes", entries, claim)
        for cited, entry in zip(claim.cites, entries, strict=True):
            work_id = f"work:{cited.key}"
            if work_id not in graph:
                graph.add_node(work_id, kind="work", label=cited.label, detail=cited.title)
            relied[work_id].add(claim.ident)
            edges.add(claim_id, work_id, cited.stance, [entry], claim)
    edges.close()
    for node, attributes in graph.nodes(data=True):
        if attributes["kind"] != "claim":
            attributes["claims"] = len(relied[node])
    graph.graph["themes"] = _theme_labels(claims)
    return graph


def _theme_labels(claims: Iterable[ReviewClaim]) -> dict[str, str]:
    """The themes the claims are tagged with, by id: the views' theme filter."""
    return dict(sorted({t: label for claim in claims for t, label in claim.themes}.items()))


def cocitation_network(
    store: Source, *, title: str = "", theme: str | None = None, data: ReviewData | None = None
) -> nx.MultiGraph:
    """Works cited together in one claim, weighted by the number of such claims.

    Nodes ``work:<key>`` (kind ``work``; ``claims`` = the claims citing it); one edge (key
    ``co-cited``) per pair of works that a claim cites together, carrying those claims.
    ``data`` as for :func:`author_theme_network`.
    """
    graph = nx.MultiGraph(title=title)
    edges = _Edges(graph)
    relied: dict[str, set[str]] = defaultdict(set)
    claims = (data or ReviewData(store)).claims(theme or None)
    for claim in claims:
        for cited in claim.cites:
            work_id = f"work:{cited.key}"
            if work_id not in graph:
                graph.add_node(work_id, kind="work", label=cited.label, detail=cited.title)
            relied[work_id].add(claim.ident)
        for a, b in combinations(sorted(claim.cites, key=lambda c: c.key), 2):
            entries = [_claim_entry(claim.ident, claim.text, c) for c in (a, b)]
            edges.add(f"work:{a.key}", f"work:{b.key}", "co-cited", entries, claim)
    edges.close()
    for node, attributes in graph.nodes(data=True):
        attributes["claims"] = len(relied[node])
    graph.graph["themes"] = _theme_labels(claims)
    return graph


def theme_network(
    store: Source, *, title: str = "", data: ReviewData | None = None
) -> nx.MultiGraph:
    """Themes joined when one claim is tagged with both, weighted by the number of claims.

    Nodes ``theme:<id>`` (kind ``theme``; ``claims`` = the claims tagged with it, ``detail``
    its definition); one edge (key ``co-occurs``) per pair of themes sharing claims.
    ``data`` as for :func:`author_theme_network`.
    """
    data = data or ReviewData(store)
    definitions = {f"theme:{row['id']}": row["definition"] for row in data.themes}
    graph = nx.MultiGraph(title=title)
    edges = _Edges(graph)
    tagged: dict[str, set[str]] = defaultdict(set)
    for claim in data.claims():
        for theme_id, label in claim.themes:
            if theme_id not in graph:
                detail = definitions.get(theme_id, "")
                graph.add_node(theme_id, kind="theme", label=label, detail=detail)
            tagged[theme_id].add(claim.ident)
        entries = [_claim_entry(claim.ident, claim.text, cited) for cited in claim.cites]
        for (a, _), (b, _) in combinations(claim.themes, 2):
            edges.add(a, b, "co-occurs", entries, claim)
    edges.close()
    for node, attributes in graph.nodes(data=True):
        attributes["claims"] = len(tagged[node])
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
    nodes = dict(graph.nodes(data=True))
    kinds = {data.get("kind") for data in nodes.values()}
    anchors = kinds & set(ANCHOR_KINDS) if len(kinds) > 1 else set()

    def weight(node: Any) -> int:
        data = nodes[node]
        if data.get("kind") == "claim":
            cited = graph.successors(node) if graph.is_directed() else graph.neighbors(node)
            return sum(int(nodes[w].get("claims") or 0) for w in cited)
        return int(data.get("claims") or 0)

    ranked = sorted(nodes, key=lambda n: (nodes[n].get("kind") not in anchors, -weight(n), str(n)))
    kept = set(ranked[:limit])
    # Made directly, in the graph's own order: the copy of a subgraph view walks the kept set
    # in hash order, so the page's layout changed from one run to the next, and is slow.
    subgraph = graph.__class__()
    subgraph.graph.update(graph.graph)
    subgraph.add_nodes_from((n, data.copy()) for n, data in nodes.items() if n in kept)
    subgraph.add_edges_from(
        (u, v, key, data.copy())
        for u, v, key, data in graph.edges(keys=True, data=True)
        if u in kept and v in kept
    )
    return subgraph, total_nodes, total_edges
