"""Projections of the review graph into networkx graphs for views and analysis.

Every projection is built from a few named SPARQL queries that answer one row per thing
(``claims``, ``citations``, ``claim-themes``, ``work-labels``, ``work-authors``,
``unresolved-works``, ``themes``), joined here, so the maps always show what ``kg query``
answers; :class:`ReviewData` reads them once for all the views and the summary.
The projections share one shape, which ``kg.outputs.views`` draws: every node has a ``kind``, a
``label``, a ``claims`` count (how much the literature relies on it) and a ``detail`` line;
every edge has a ``stance`` (also its key), a ``weight`` (its number of claims), the
``claims`` behind it (quote, cited work and how it is cited, page locator), and the
``themes`` and ``stances`` of those claims and the ``years`` of the works they cite, which the
views filter on.

>>> graph = author_theme_network(store)  # doctest: +SKIP
>>> graph.nodes["theme:hook-for-change"]["label"]  # doctest: +SKIP
'Hook for change'
>>> work_labels(store)["giordano2002gender"]  # doctest: +SKIP
'Giordano, Cernkovich and Rudolph (2002)'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property, wraps
from itertools import chain, combinations, groupby
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, TypeVar

import networkx as nx
from pyoxigraph import Store

from kg.projections.rows import QUERIES
from kg.store.query import Backend, load_query, run_query

__all__ = [
    "GUESS_BELOW",
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
    "is_guess",
    "load_claims",
    "publication_year",
    "readable_network",
    "readable_subgraph",
    "review_title",
    "theme_network",
    "weighted_network",
    "work_labels",
]

STANCE_ORDER = ("supports", "disputes", "mentions")
VIEW_LIMIT = 1500
"""The most nodes a view draws by default; above ~2,000 a map is a hairball (DESIGN.md)."""
ANCHOR_KINDS = ("citing", "theme")
"""Kinds a mixed graph keeps before any other (the citing texts, the map's themes)."""
EDGES_PER_NODE = 3
"""A view draws at most this many edges per node it may draw: more, and the lines hide the
nodes, however few (a 1,500-node map with 41,000 lines is a hairball)."""

Source = Store | Backend
"""Where a projection reads: the embedded store or a SPARQL server (``kg.store.remote``)."""


class CitedWork(NamedTuple):
    """One citation in a claim: the work, how a reader names it, the stance, the page."""

    key: str
    label: str
    title: str
    year: str
    stance: str
    locator: str


class ReviewClaim(NamedTuple):
    """A claim of a citing text with the works it cites and the themes it is tagged with
    (``guessed``: those of them kg guessed, :func:`is_guess`)."""

    ident: str
    text: str
    citing: str
    start: int
    cites: tuple[CitedWork, ...]
    themes: tuple[tuple[str, str], ...]
    guessed: tuple[str, ...] = ()

    @property
    def only_guessed(self) -> bool:
        """Whether the claim has themes and kg guessed every one of them."""
        return bool(self.themes) and len(self.guessed) == len(self.themes)


GUESS_BELOW = 0.3
"""A tag kg found by likeness to the scheme or to curated examples (``kg:SchemeSimilarity``,
``kg:CuratedExamples``) scoring below this is a guess: the views draw it lighter and
``review.md`` marks it. On the development gold (``benchmarks/gold``) four in five such tags
below 0.3 were wrong, three in four above it right; a label found word for word, or a
researcher's tag (``kg:Curated``), is never a guess."""

_GUESS_METHODS = frozenset(("SchemeSimilarity", "CuratedExamples"))


def is_guess(method: str, score: str) -> bool:
    """Whether a tag (its ``kg:TagMethod`` IRI and score, as ``claim-themes`` gives them) is a
    guess (:data:`GUESS_BELOW`); a tag the graph records no method for is not.

    >>> is_guess("https://w3id.org/kg/ontology#SchemeSimilarity", "0.21")
    True
    >>> is_guess("https://w3id.org/kg/ontology#LabelMatch", "0.21")
    False
    """
    return _tail(method) in _GUESS_METHODS and float(score or 0) < GUESS_BELOW


def author_label(family: str, given: str, name: str) -> str:
    """How a map labels an author: "Giordano, P. C."; an organisation by its name."""
    if not family:
        return name
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", given) if part)
    return f"{family}, {initials}" if initials else family


@cache
def _tail(iri: str) -> str:
    """The last segment of an IRI, after its last ``/`` or ``#`` (trailing ones ignored);
    kept, as the same IRIs (a tag's method, an author) are asked for again and again.

    >>> _tail("https://w3id.org/kg/themes/hope"), _tail("https://example.org/a#b/")
    ('hope', 'b')
    """
    iri = iri.rstrip("/#")
    return iri[max(iri.rfind("/"), iri.rfind("#")) + 1 :]


def _local(iri: str, kind: str) -> str:
    """What a kg IRI names after its kind's segment: ``<citing>/<start>-<end>`` for a claim
    (``kind`` "claim") or a citation ("citation"), unique across the texts of a review, where
    the last segment alone repeats from one text to the next. Other IRIs: their :func:`_tail`.

    >>> _local("https://example.org/r/claim/nixon2020giving/10-52", "claim")
    'nixon2020giving/10-52'
    """
    return iri.rpartition(f"/{kind}/")[2] or _tail(iri)


_YEAR = re.compile(r"\s*(\d{4})(?!\d)")


@cache
def publication_year(issued: str) -> int | None:
    """The year a work's ``dcterms:issued`` gives ("2017", "2017a", "2017-03-01"), or None
    when it gives none ("", "n.d.", "forthcoming"): what the views' year filter and the
    timeline place a work by. Kept: a review's works give a few hundred such values, each
    asked for by every edge that cites it.

    >>> publication_year("2017a"), publication_year("2003-05-01"), publication_year("n.d.")
    (2017, 2003, None)
    """
    found = _YEAR.match(issued or "")
    return int(found.group(1)) if found else None


def _years(entries: Iterable[Mapping[str, Any]]) -> list[int]:
    """The years of the works the claim entries of an edge cite, each once, in order."""
    return sorted({year for entry in entries if (year := publication_year(entry["year"]))})


def review_title(store: Source) -> str:
    """The review's title as ``kg build`` stored it, or "" when it has none."""
    rows = run_query(store, load_query("review-title")).values("title")
    return next((title for (title,) in rows if title), "")


class Work(NamedTuple):
    """A work of the bibliography: its key, how a reader names it, its title and year.

    This and the other records read in bulk (claims and their texts, citations, authors) are
    named tuples, not frozen dataclasses: at 10,000 works there are 100,000 of them, made,
    and read back from the build cache, in about half the time.
    """

    key: str
    label: str
    title: str
    year: str


class ClaimText(NamedTuple):
    """What a claim says and where: its sentence, its offset in the citing text, its origin
    (``extracted`` or ``curated``)."""

    text: str
    start: int
    origin: str


class Citation(NamedTuple):
    """One citation a claim makes (a row of the ``citations`` query, IRIs in full)."""

    claim: str
    citation: str
    work: str
    citing: str
    stance: str
    characterisation: str
    locator: str


class Author(NamedTuple):
    """An author of a work: IRI, name, and for a person the family and given names."""

    iri: str
    name: str
    family: str
    given: str


T = TypeVar("T")


Tagged = tuple[dict[str, list[tuple[str, str]]], frozenset[tuple[str, str]]]
"""What a part of the review's claims are tagged with (:meth:`ReviewData.tagged`): the
themes of each claim, and those kg guessed."""


def _whole_review(method: Callable[[ReviewData], T]) -> cached_property[T]:
    """A cached property of the whole review, which the data of a part of it
    (:meth:`ReviewData.part`, :meth:`ReviewData.with_claims`) takes from the data it came
    from, when first asked: worked out once for all the parts."""

    @wraps(method)
    def get(self: ReviewData) -> T:
        whole = self._whole
        return getattr(whole, method.__name__) if whole is not None else method(self)

    return cached_property(get)


class ReviewData:
    """What the projections and the summary read from the store, each part read when first
    needed and then kept, so that the four views and the summary read a review once.

    Each part is a named query that answers one row per thing (claim, citation, tag, work,
    author), and the projections join them here. Joined in SPARQL, they repeat each claim's
    text for every citation, theme and author of it (440,000 rows at 10,000 works), and
    reading those rows was most of the time and memory of drawing the views. The store must
    not change while the data is in use.

    ``rows``, if given, are the rows of the named queries of :data:`kg.projections.rows.QUERIES`
    already worked out (``kg build`` puts them together from its graphs,
    :func:`kg.projections.rows.review_rows`); the store is then read only for what they leave out (a
    theme filter), and may be None.

    >>> data = ReviewData(store)  # doctest: +SKIP
    >>> len(data.claims()), len(citation_network(store, data=data))  # doctest: +SKIP
    (17, 35)
    """

    def __init__(
        self,
        store: Source | None,
        rows: Mapping[str, Sequence[tuple[str, ...]]] | None = None,
        claims: Iterable[ReviewClaim] | None = None,
    ) -> None:
        self.store = store
        self._given = dict(rows or {})
        self._tags: dict[str | None, dict[str, list[tuple[str, str]]]] = {}
        self._claims: dict[str | None, list[ReviewClaim]] = {}
        self._joined = claims
        self._whole: ReviewData | None = None
        self._tagged: Iterable[Tagged] | None = None
        self._shared: dict[Callable[..., _Projection], _Projection] | None = None

    def part(self, rows: Mapping[str, Sequence[tuple[str, ...]]]) -> ReviewData:
        """The data of some of the review's claims (one claims graph's, say): ``rows`` of the
        ``claims``, ``citations`` and ``claim-themes`` queries, in their queries' order, with
        this data's bibliography, themes and unresolved works, worked out once for all parts.

        A claim's citations and themes are in its citing work's graph, so a part's claims
        are joined as they are in the whole (``kg build`` keeps each graph's, and gives them
        to the whole as ``claims``).
        """
        return self._sharing({**self._given, **rows}, None)

    def with_claims(
        self, claims: Iterable[ReviewClaim], tagged: Iterable[Tagged] | None = None
    ) -> ReviewData:
        """This data, with ``claims`` for all of the review's claims, joined part by part
        (read when first needed); and ``tagged``, if given, the :meth:`tagged` of those
        parts, put together when this data's :meth:`tags` or :attr:`guessed` are first
        asked for, instead of being read from all of the review's tags again."""
        data = self._sharing(self._given, claims)
        data._tagged = tagged
        return data

    def tagged(self) -> Tagged:
        """This data's :meth:`tags` (of every theme) and :attr:`guessed`: of a part of the
        review (:meth:`part`), what :meth:`with_claims` puts together for the whole."""
        return self.tags(), self.guessed

    def _put_together(self) -> None:
        """The tags and the guesses, from the parts' (:meth:`with_claims`). A claim is in
        one part, and its tags are in the order of the whole's rows within it."""
        tagged, self._tagged = self._tagged, None
        tags: dict[str, list[tuple[str, str]]] = {}
        guessed: set[tuple[str, str]] = set()
        for part_tags, part_guessed in tagged or ():
            tags.update(part_tags)
            guessed.update(part_guessed)
        self._tags[None] = tags
        self.__dict__["guessed"] = frozenset(guessed)

    def _sharing(
        self, rows: Mapping[str, Sequence[tuple[str, ...]]], claims: Iterable[ReviewClaim] | None
    ) -> ReviewData:
        data = ReviewData(self.store, rows=rows, claims=claims)
        data._whole = self._whole or self
        return data

    def share_projections(self) -> None:
        """From now on, a projection made of this data for one of two uses, a view
        (:func:`readable_network`) and its clusters (:func:`weighted_network`), is kept for
        the other, and handed to it (then no longer kept): in a rebuild's drawer, where the
        co-citation view and its clusters are drawn by one process and the theme view by a
        process that inherits the theme clusters (0.1 s each at 10,000 works). Off by
        default, so that a build that draws all the views in one process keeps no
        projection longer than it did."""
        if self._shared is None:
            self._shared = {}

    def _projected(self, make: Callable[[ReviewData, str], _Projection], title: str) -> _Projection:
        """``make(self, title)``, or the same projection kept (:meth:`share_projections`)."""
        shared = self._shared
        if shared is None:
            return make(self, title)
        made = shared.pop(make, None)
        if made is None:
            made = shared[make] = make(self, "")
        return made.titled(title)

    def _rows(self, name: str, **params: str) -> Sequence[tuple[str, ...]]:
        """The rows of the named query ``name``, with the variables :data:`QUERIES` lists
        (each once: the queries keep a work that two texts' reference lists give, in two
        claims graphs, from repeating; see work-authors.rq)."""
        if not params and name in self._given:
            return self._given[name]
        if self.store is None:
            raise ValueError(f"no store to read the {name!r} query from")
        return run_query(self.store, load_query(name), params).values(*QUERIES[name])

    def rows(self, name: str) -> Sequence[tuple[str, ...]]:
        """The rows of the named query ``name`` (on the review, or on this part of it), with
        the variables :data:`kg.projections.rows.QUERIES` lists."""
        return self._rows(name)

    def _records(self, name: str) -> list[dict[str, str]]:
        return [dict(zip(QUERIES[name], row, strict=True)) for row in self._rows(name)]

    @cached_property
    def _bibliography(self) -> Sequence[tuple[str, ...]]:
        return self._rows("work-labels")

    @_whole_review
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

    @_whole_review
    def labels(self) -> dict[str, str]:
        """How readers name each work (:attr:`works`), by key."""
        return {key: work.label for key, work in self.works.items()}

    @_whole_review
    def by_iri(self) -> dict[str, Work]:
        """The works of the bibliography by IRI."""
        works = self.works
        return {iri: works[key] for key, _, _, _, iri in self._bibliography}

    @_whole_review
    def unresolved(self) -> dict[str, tuple[str, str, str]]:
        """Works cited that match no entry, by IRI: the names and year as written, the title."""
        found: dict[str, tuple[str, str, str]] = {}
        for iri, names, year, title in self._rows("unresolved-works"):
            found.setdefault(iri, (names, year, title))
        return found

    @cached_property
    def texts(self) -> dict[str, ClaimText]:
        """Every claim's sentence, offset and origin, by claim IRI."""
        return {
            claim: ClaimText(text, int(start), origin)
            for claim, text, start, origin in self._rows("claims")
        }

    @cached_property
    def citations(self) -> list[Citation]:
        """Every citation of every claim, by claim IRI then citation IRI."""
        return sorted(map(Citation._make, self._rows("citations")), key=itemgetter(0, 1))

    @_whole_review
    def authors(self) -> dict[str, list[Author]]:
        """The authors of each work, by the work's IRI."""
        authors: dict[str, list[Author]] = defaultdict(list)
        for work, *author in self._rows("work-authors"):
            authors[work].append(Author(*author))
        return dict(authors)

    @_whole_review
    def themes(self) -> list[dict[str, str]]:
        """The themes of the scheme (the ``themes`` query): id, label, definition, IRI."""
        return self._records("themes")

    @_whole_review
    def uncited(self) -> list[dict[str, str]]:
        """The works of the bibliography never cited and with no text (``uncited-works``)."""
        return self._records("uncited-works")

    @_whole_review
    def unresolved_citations(self) -> list[dict[str, str]]:
        """Each citation of a work with no entry (``unresolved-citations``)."""
        return self._records("unresolved-citations")

    def tags(self, theme: str | None = None) -> dict[str, list[tuple[str, str]]]:
        """The themes (IRI and label) each claim is tagged with, by claim IRI; only the
        themes ``theme`` names (an id or words of a label) if given."""
        if theme is None and self._tagged is not None:
            self._put_together()
        if theme not in self._tags:
            tags: dict[str, list[tuple[str, str]]] = defaultdict(list)
            params = {"theme": theme} if theme else {}
            for claim, iri, label, *_ in self._rows("claim-themes", **params):
                tags[claim].append((iri, label))
            self._tags[theme] = dict(tags)
        return self._tags[theme]

    @cached_property
    def guessed(self) -> frozenset[tuple[str, str]]:
        """The tags kg guessed (:func:`is_guess`), as (claim IRI, theme IRI) pairs."""
        if self._tagged is not None:
            self._put_together()
            return self.__dict__["guessed"]  # type: ignore[no-any-return]
        return frozenset(
            (claim, iri)
            for claim, iri, _, method, score in self._rows("claim-themes")
            if method and is_guess(method, score)
        )

    def cited(self, citation: Citation) -> CitedWork:
        """The work ``citation`` cites, as a claim shows it. A work with no bibliography entry
        is named as the text wrote it and keyed by the citation, one per citation."""
        work = self.by_iri.get(citation.work)
        if work is not None:
            return CitedWork(
                work.key, work.label, work.title, work.year, citation.stance, citation.locator
            )
        names, year, title = self.unresolved.get(citation.work, ("", "", ""))
        key = "unresolved:" + _local(citation.citation, "citation")
        label = f"{names} ({year})" if names else key
        return CitedWork(key, label, title, year, citation.stance, citation.locator)

    def claims(self, theme: str | None = None) -> list[ReviewClaim]:
        """Every claim, or those tagged with a theme ``theme`` names, with its citations and
        all its themes, in text order (:func:`load_claims`)."""
        if theme not in self._claims:
            if theme is None and self._joined is not None:
                self._claims[None] = sorted(self._joined, key=_claim_order)
            else:
                self._claims[theme] = self._join_claims(set(self.tags(theme)) if theme else None)
        return self._claims[theme]

    def _join_claims(self, wanted: Container[str] | None) -> list[ReviewClaim]:
        tags, texts, works, cited = self.tags(), self.texts, self.by_iri, self.cited
        guessed = self.guessed
        theme_ids: dict[str, str] = {}
        claims = []
        for claim, group in groupby(self.citations, key=attrgetter("claim")):
            said = texts.get(claim)
            if said is None or (wanted is not None and claim not in wanted):
                continue
            # A claim's citations come from one citing text: by it, then by IRI, as the
            # claim-citations query orders them.
            made = [(works[c.citing].key, c) for c in group if c.citing in works]
            if not made:
                continue
            if len(made) > 1:
                made.sort(key=lambda pair: (pair[0], pair[1].citation))
            cites: dict[str, CitedWork] = {}
            for _, citation in made:
                work = cited(citation)
                cites.setdefault(work.key, work)
            themes = {}
            guesses = set()
            for iri, label in tags.get(claim, ()):
                ident = theme_ids.get(iri)
                if ident is None:
                    ident = theme_ids[iri] = "theme:" + _tail(iri)
                themes[ident] = label
                if guessed and (claim, iri) in guessed:
                    guesses.add(ident)
            claims.append(
                ReviewClaim(
                    _local(claim, "claim"), said.text, made[0][0], said.start,
                    tuple(cites.values()),
                    tuple(sorted(themes.items())),
                    tuple(sorted(guesses)),
                )
            )  # fmt: skip
        claims.sort(key=_claim_order)
        return claims


def _claim_order(claim: ReviewClaim) -> tuple[str, int, str]:
    """Claims in text order: by citing work, place in the text, id."""
    return claim.citing, claim.start, claim.ident


def work_labels(store: Source) -> dict[str, str]:
    """How each work is named in author-date style, by BibTeX key.

    "Giordano, Cernkovich and Rudolph (2002)"; four or more authors "Visher et al. (2008)";
    when one author-year pair names several works, letters in key order: "Buck (2017a)".
    """
    return ReviewData(store).labels


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
    return _author_theme(data or ReviewData(store), title, theme).graph()


def _author_theme(data: ReviewData, title: str, theme: str | None = None) -> _Projection:
    """:func:`author_theme_network` before it is a graph."""
    cited = _cited_in_order(data)
    tags = data.tags(theme or None)
    rows, claims_of = _map_rows(data, cited, tags)
    ids = {iri: "theme:" + _tail(iri) for iri in rows}
    ids.update((iri, "author:" + _tail(iri)) for iri in set(chain.from_iterable(rows.values())))
    stances = [citation.stance for citation, _, _ in cited]
    kinds: dict[str, str] = {}
    # Each author's rows, pair by pair, with the author's IRI there (the first names it);
    # each theme's IRI and first row, that name it.
    rows_of: dict[str, list[tuple[str, list[int]]]] = defaultdict(list)
    first: dict[str, tuple[str, int]] = {}
    edges: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for theme_iri in sorted(rows):
        theme_id, of_theme = ids[theme_iri], rows[theme_iri]
        for author_iri in sorted(of_theme):
            places, author_id = of_theme[author_iri], ids[author_iri]
            if author_id not in kinds:
                kinds[author_id] = "author"
            if theme_id not in kinds:
                kinds[theme_id] = "theme"
                first[theme_id] = (theme_iri, places[0])
            rows_of[author_id].append((author_iri, places))
            for place in places:
                edges[author_id, theme_id, stances[place]].append(place)
    # Two IRIs with one tail are one node, with the claims of both.
    iris: dict[str, list[str]] = defaultdict(list)
    for iri, node in ids.items():
        iris[node].append(iri)
    of_iri = claims_of.__getitem__
    claims = {
        node: len(of_iri(of[0]) if len(of) == 1 else set().union(*map(of_iri, of)))
        for node, of in iris.items()
    }
    claim_of = [citation.claim for citation, _, _ in cited]
    ends, behind = list(edges), list(edges.values())
    # Most edges rest on one citation.
    weights = [1 if len(p) == 1 else len(set(map(claim_of.__getitem__, p))) for p in behind]
    definitions = {row["themeIri"]: row["definition"] for row in data.themes}

    @cache
    def entry(place: int) -> dict[str, Any]:
        citation, said, _ = cited[place]
        return _claim_entry(_local(citation.claim, "claim"), said.text, data.cited(citation))

    guessed = data.guessed

    def edge_data(index: int) -> dict[str, Any]:
        _, theme_id, stance = ends[index]
        made = {
            "stance": stance, "weight": weights[index],
            "claims": [entry(place) for place in behind[index]], "themes": [theme_id],
            "stances": [stance], "years": _years(map(entry, behind[index])),
        }  # fmt: skip
        theme_iri = first[theme_id][0]
        if guessed and all((claim_of[p], theme_iri) in guessed for p in behind[index]):
            made["guess"] = True
        return made

    def node_data(node: str) -> dict[str, Any]:
        if kinds[node] == "theme":
            iri, place = first[node]
            claim = cited[place][0].claim
            label = next(label for theme_iri, label in tags[claim] if theme_iri == iri)
            detail = definitions.get(iri, "")
            return {"kind": "theme", "label": label, "detail": detail, "claims": claims[node]}
        iri, places = rows_of[node][0]
        named = data.authors[cited[places[0]][0].work]
        author = next(author for author in named if author.iri == iri)
        works: dict[str, dict[str, str]] = {}
        for _, places in rows_of[node]:
            for place in places:
                work = cited[place][2]
                if work.key not in works:
                    works[work.key] = {"key": work.key, "title": work.title, "year": work.year}
        return {
            "kind": "author", "label": author_label(author.family, author.given, author.name),
            "detail": author.name, "works": list(works.values()), "claims": claims[node],
        }  # fmt: skip

    return _Projection(
        nx.MultiGraph, {"title": title}, kinds, claims, ends, weights, node_data, edge_data
    )


def _map_rows(
    data: ReviewData,
    cited: list[tuple[Citation, ClaimText, Work]],
    tags: Mapping[str, list[tuple[str, str]]],
) -> tuple[dict[str, dict[str, list[int]]], dict[str, set[str]]]:
    """The author-theme map's rows: by theme IRI, then author IRI, the places in ``cited`` of
    the citations of the author's works in claims tagged (``tags``) with the theme; and the
    claims behind each theme and author, by IRI."""
    rows: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    claims_of: dict[str, set[str]] = defaultdict(set)
    authors_of, themes_of = data.authors.get, tags.get
    for place, (citation, _, _) in enumerate(cited):
        authors, themes = authors_of(citation.work), themes_of(citation.claim)
        if authors and themes:
            claim = citation.claim
            for theme_iri, _ in themes:
                claims_of[theme_iri].add(claim)
                of_theme = rows[theme_iri]
                for author in authors:
                    of_theme[author.iri].append(place)
            for author in authors:
                claims_of[author.iri].add(claim)
    return dict(rows), claims_of


def _cited_in_order(data: ReviewData) -> list[tuple[Citation, ClaimText, Work]]:
    """The citations of works of the bibliography, each with its claim's sentence and the
    work, in the order of the map's rows: by place in the text, work, stance, claim and
    citation (the last two so that the order never depends on the store)."""
    texts, works = data.texts, data.by_iri
    cited = []
    for citation in data.citations:
        said, work = texts.get(citation.claim), works.get(citation.work)
        if said is not None and work is not None:
            order = (said.start, work.key, citation.stance, citation.claim, citation.citation)
            cited.append((order, citation, said, work))
    cited.sort(key=itemgetter(0))
    return [(citation, said, work) for _, citation, said, work in cited]


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


@dataclass(frozen=True)
class _Projection:
    """A projection before it is a networkx graph: what :func:`readable_subgraph` cuts by
    (each node's kind and claims, each edge's ends and weight), and how to make the
    attributes of a node or an edge, made only for the part of the graph a view draws.

    At 10,000 works a projection has tens of thousands of edges with the claims behind
    them, and a view draws a few thousand: making the claims and labels of the rest was
    most of the work of drawing the views.
    """

    graph_class: type[nx.MultiGraph]
    attributes: dict[str, Any]
    """The graph's attributes (``title``, ``themes``)."""
    kinds: dict[Any, Any]
    """Each node's ``kind``, in the order the graph adds the nodes."""
    claims: dict[Any, int]
    """Each node's ``claims``."""
    ends: list[tuple[Any, Any, Any]]
    """Each edge's ends and key, in the order the graph adds the edges."""
    weights: list[int]
    """Each edge's ``weight``."""
    node_data: Callable[[Any], dict[str, Any]]
    """The attributes of a node."""
    edge_data: Callable[[int], dict[str, Any]]
    """The attributes of the edge at that place in :attr:`ends`."""

    @classmethod
    def of(cls, graph: nx.MultiGraph) -> _Projection:
        """``graph`` as a projection, its edges listed as ``graph.edges()`` lists them; a
        node or edge put into a new graph gets a copy of its attributes."""
        nodes = dict(graph.nodes(data=True))
        edges = list(graph.edges(keys=True, data=True))
        return cls(
            graph.__class__, dict(graph.graph),
            {node: data.get("kind") for node, data in nodes.items()},
            {node: int(data.get("claims") or 0) for node, data in nodes.items()},
            [(u, v, key) for u, v, key, _ in edges],
            [int(data.get("weight") or 0) for *_, data in edges],
            lambda node: dict(nodes[node]), lambda index: dict(edges[index][3]),
        )  # fmt: skip

    @property
    def directed(self) -> bool:
        return issubclass(self.graph_class, nx.DiGraph)

    def titled(self, title: str) -> _Projection:
        """This projection, its graph titled ``title`` (what the makers' ``title`` sets)."""
        if self.attributes.get("title") == title:
            return self
        return replace(self, attributes={**self.attributes, "title": title})

    def graph(
        self, nodes: Iterable[Any] | None = None, edges: Iterable[int] | None = None
    ) -> nx.MultiGraph:
        """The networkx graph, or its part of ``nodes`` and ``edges`` (places in
        :attr:`ends`), added in the order given."""
        graph = self.graph_class()
        graph.graph.update(self.attributes)
        chosen = self.kinds if nodes is None else nodes
        graph.add_nodes_from((node, self.node_data(node)) for node in chosen)
        listed = range(len(self.ends)) if edges is None else edges
        graph.add_edges_from((*self.ends[index], self.edge_data(index)) for index in listed)
        return graph

    def readable(self, limit: int) -> tuple[nx.MultiGraph, int, int]:
        """:func:`readable_subgraph` of :meth:`graph`, made without the part it leaves out."""
        total_nodes, total_edges = len(self.kinds), len(self.ends)
        if _readable(total_nodes, total_edges, limit):
            return self.graph(), total_nodes, total_edges
        kept = self._most_relied_on(limit)
        nodes = [node for node in self.kinds if node in kept]
        among = [i for i, (u, v, _) in enumerate(self.ends) if u in kept and v in kept]
        edges = self._strongest(self._listed(nodes, among), EDGES_PER_NODE * limit)
        return self.graph(nodes, edges), total_nodes, total_edges

    def _most_relied_on(self, limit: int) -> set[Any]:
        """The ``limit`` nodes a view keeps: the anchor kinds first, then by claims (a claim
        node by the claims of the works it cites), ties by id."""
        kinds = self.kinds
        if len(kinds) <= limit:
            return set(kinds)
        present = set(kinds.values())
        anchors = present & set(ANCHOR_KINDS) if len(present) > 1 else set()
        weight = dict(self.claims)
        cited: dict[Any, set[Any]] = {
            node: set() for node, kind in kinds.items() if kind == "claim"
        }
        directed = self.directed
        for u, v, _ in self.ends:
            if u in cited:
                cited[u].add(v)
            if v in cited and not directed:
                cited[v].add(u)
        for claim, works in cited.items():
            weight[claim] = sum(map(self.claims.__getitem__, works))
        # Sorted by id, then (stable) by weight, then anchors first.
        ranked = sorted(sorted(kinds, key=str), key=weight.__getitem__, reverse=True)
        ranked = [n for n in ranked if kinds[n] in anchors] + [
            n for n in ranked if kinds[n] not in anchors
        ]
        return set(ranked[:limit])

    def _listed(self, nodes: list[Any], edges: list[int]) -> list[int]:
        """``edges`` (places in :attr:`ends`, in order) among ``nodes`` (in order) as
        ``graph.edges()`` lists them: node by node, each node's neighbours in the order of
        the first edge to each, and (in a graph with no direction) each edge once."""
        neighbours: dict[Any, dict[Any, list[int]]] = {node: {} for node in nodes}
        ends, directed = self.ends, self.directed
        for index in edges:
            u, v, _ = ends[index]
            keyed = neighbours[u].get(v)
            if keyed is None:
                keyed = neighbours[u][v] = []
                if not directed:
                    neighbours[v][u] = keyed
            keyed.append(index)
        listed: list[int] = []
        done: set[Any] = set()
        for node, around in neighbours.items():
            for other, keyed in around.items():
                if directed or other not in done:
                    listed.extend(keyed)
            done.add(node)
        return listed

    def _strongest(self, edges: list[int], cap: int) -> list[int]:
        """At most ``cap`` of ``edges`` (places in :attr:`ends`), in their order: every
        node's heaviest edge, so that none is left unlinked, then the heaviest of the rest;
        ties go to the edge listed first."""
        if len(edges) <= cap:
            return edges
        heaviest = sorted(edges, key=self.weights.__getitem__, reverse=True)  # stable
        best: dict[Any, int] = {}
        for index in heaviest:
            u, v, _ = self.ends[index]
            best.setdefault(u, index)
            best.setdefault(v, index)
        chosen = set(best.values())
        for index in heaviest:
            if len(chosen) >= cap:
                break
            chosen.add(index)
        return [index for index in edges if index in chosen]


def _weight(behind: list[tuple[ReviewClaim, Sequence[int]]]) -> int:
    """The number of claims behind an edge (that cite a work there); most edges have one."""
    if len(behind) == 1:
        return 1 if behind[0][1] else 0
    return len({claim.ident for claim, cites in behind if cites})


def _readable(nodes: int, edges: int, limit: int) -> bool:
    """Whether a graph of ``nodes`` and ``edges`` is drawn whole with a view's ``limit``."""
    return nodes <= limit and edges <= EDGES_PER_NODE * limit


class _Edges:
    """The edges of a projection while it is made, each with the claims behind it and the
    works (places in the claim's ``cites``) it cites there; their attributes are made from
    these only for the edges put into a graph (:meth:`data`). With ``guesses``, an edge
    whose claims' themes kg all guessed says so (``guess``), for the views to draw it lighter."""

    def __init__(self, graph_class: type[nx.MultiGraph], *, guesses: bool = False) -> None:
        self.graph_class = graph_class
        self.guesses = guesses
        self.directed = issubclass(graph_class, nx.DiGraph)
        self.behind: dict[tuple[str, str, str], list[tuple[ReviewClaim, Sequence[int]]]] = {}
        self.entries: dict[int, list[dict[str, Any]]] = {}

    def add(self, u: str, v: str, stance: str, claim: ReviewClaim, cites: Sequence[int]) -> None:
        """Add ``claim`` citing the works at ``cites`` in its ``cites`` to the edge
        ``u``-``v`` of ``stance``."""
        if not self.directed and (v, u, stance) in self.behind:
            u, v = v, u
        self.behind.setdefault((u, v, stance), []).append((claim, cites))

    def projection(
        self,
        kinds: dict[str, str],
        claims: dict[str, int],
        node_data: Callable[[str], dict[str, Any]],
        **attributes: Any,
    ) -> _Projection:
        """The projection of these edges and the nodes ``kinds`` (and ``claims``); each
        edge weighs its number of claims."""
        ends, behind = list(self.behind), list(self.behind.values())
        weights = list(map(_weight, behind))

        def edge_data(place: int) -> dict[str, Any]:
            return self.data(ends[place][2], weights[place], behind[place])

        return _Projection(
            self.graph_class, attributes, kinds, claims, ends, weights, node_data, edge_data
        )

    def data(
        self, stance: str, weight: int, behind: list[tuple[ReviewClaim, Sequence[int]]]
    ) -> dict[str, Any]:
        """The attributes of an edge: its stance and weight, the claims behind it (each
        entry of :func:`_claim_entry` once), and the themes and stances of those claims.

        A claim cites each work once, so only an edge of several claims can get one entry
        twice; most edges have one claim, and are spared the search.
        """
        entries: list[dict[str, Any]] = []
        for claim, cites in behind:
            entries.extend(map(self._entries(claim).__getitem__, cites))
        if len(behind) > 1:
            seen: set[tuple[Any, ...]] = set()
            unique = []
            for entry in entries:
                signature = tuple(entry.values())
                if signature not in seen:
                    seen.add(signature)
                    unique.append(entry)
            entries = unique
        themes = {theme for claim, _ in behind for theme, _ in claim.themes}
        stances = {entry["stance"] for entry in entries}
        made = {
            "stance": stance, "weight": weight, "claims": entries, "themes": sorted(themes),
            "stances": sorted(stances, key=STANCE_ORDER.index), "years": _years(entries),
        }  # fmt: skip
        if self.guesses and all(claim.only_guessed for claim, _ in behind):
            made["guess"] = True
        return made

    def _entries(self, claim: ReviewClaim) -> list[dict[str, Any]]:
        """The entries of ``claim``, one per work it cites, made once for all its edges."""
        made = self.entries.get(id(claim))
        if made is None:
            made = [_claim_entry(claim.ident, claim.text, cited) for cited in claim.cites]
            self.entries[id(claim)] = made
        return made


def citation_network(
    store: Source, *, title: str = "", theme: str | None = None, data: ReviewData | None = None
) -> nx.MultiDiGraph:
    """Citing works, their claims and the works the claims cite.

    Nodes ``work:<key>`` of kind ``citing`` (a text of the review) and ``work`` (a cited
    work; ``claims`` = the claims resting on it, ``year`` as published), and ``claim:<id>``.
    Edges run from a citing work to each of its claims (stance ``makes``) and from a claim to
    each work it cites, keyed by the stance toward that work. ``data`` as for
    :func:`author_theme_network`.
    """
    return _citations(data or ReviewData(store), title, theme).graph()


def _citations(data: ReviewData, title: str, theme: str | None = None) -> _Projection:
    """:func:`citation_network` before it is a graph."""
    claims = data.claims(theme or None)
    edges = _Edges(nx.MultiDiGraph, guesses=True)
    kinds: dict[str, str] = {}
    # What names each node: a citing work's key, a cited work, a claim and its number; a
    # node named twice takes the citing work's name or the last claim's, as the graph would.
    named: dict[str, Any] = {}
    relied: dict[str, set[str]] = defaultdict(set)
    for number, claim in enumerate(claims, start=1):
        citing_id, claim_id = f"work:{claim.citing}", f"claim:{claim.ident}"
        kinds[citing_id], named[citing_id] = "citing", claim.citing
        kinds[claim_id], named[claim_id] = "claim", (number, claim)
        relied[citing_id].add(claim.ident)
        edges.add(citing_id, claim_id, "makes", claim, range(len(claim.cites)))
        for index, cited in enumerate(claim.cites):
            work_id = f"work:{cited.key}"
            if work_id not in kinds:
                kinds[work_id], named[work_id] = "work", cited
            relied[work_id].add(claim.ident)
            edges.add(claim_id, work_id, cited.stance, claim, (index,))
    counts = {node: 1 if kind == "claim" else len(relied[node]) for node, kind in kinds.items()}
    works = data.works

    def node_data(node: str) -> dict[str, Any]:
        kind, name = kinds[node], named[node]
        if kind == "claim":
            number, claim = name
            return {
                "kind": kind, "label": f"Claim {number}", "detail": claim.text,
                "themes": [t for t, _ in claim.themes], "claims": 1,
            }  # fmt: skip
        if kind == "citing":
            citing = works.get(name)
            label, detail = (citing.label, citing.title) if citing else (name, "")
            return {"kind": kind, "label": label, "detail": detail, "claims": counts[node]}
        return {
            "kind": kind, "label": name.label, "detail": name.title, "claims": counts[node],
            "year": name.year,
        }  # fmt: skip

    return edges.projection(kinds, counts, node_data, title=title, themes=_theme_labels(claims))


def _theme_labels(claims: Iterable[ReviewClaim]) -> dict[str, str]:
    """The themes the claims are tagged with, by id: the views' theme filter."""
    return dict(sorted({t: label for claim in claims for t, label in claim.themes}.items()))


def cocitation_network(
    store: Source, *, title: str = "", theme: str | None = None, data: ReviewData | None = None
) -> nx.MultiGraph:
    """Works cited together in one claim, weighted by the number of such claims.

    Nodes ``work:<key>`` (kind ``work``; ``claims`` = the claims citing it, ``year`` as
    published); one edge (key
    ``co-cited``) per pair of works that a claim cites together, carrying those claims.
    ``data`` as for :func:`author_theme_network`.
    """
    return _cocitations(data or ReviewData(store), title, theme).graph()


def _cocitations(data: ReviewData, title: str, theme: str | None = None) -> _Projection:
    """:func:`cocitation_network` before it is a graph."""
    claims = data.claims(theme or None)
    edges = _Edges(nx.MultiGraph)
    named: dict[str, CitedWork] = {}  # each work as first cited, in the graph's order
    relied: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        for cited in claim.cites:
            work_id = f"work:{cited.key}"
            named.setdefault(work_id, cited)
            relied[work_id].add(claim.ident)
        if len(claim.cites) < 2:
            continue
        by_key = sorted(range(len(claim.cites)), key=lambda index: claim.cites[index].key)
        for a, b in combinations(by_key, 2):
            ends = f"work:{claim.cites[a].key}", f"work:{claim.cites[b].key}"
            edges.add(*ends, "co-cited", claim, (a, b))
    counts = {node: len(relied[node]) for node in named}

    def node_data(node: str) -> dict[str, Any]:
        cited = named[node]
        return {
            "kind": "work", "label": cited.label, "detail": cited.title, "claims": counts[node],
            "year": cited.year,
        }  # fmt: skip

    kinds = dict.fromkeys(named, "work")
    return edges.projection(kinds, counts, node_data, title=title, themes=_theme_labels(claims))


def theme_network(
    store: Source, *, title: str = "", data: ReviewData | None = None
) -> nx.MultiGraph:
    """Themes joined when one claim is tagged with both, weighted by the number of claims.

    Nodes ``theme:<id>`` (kind ``theme``; ``claims`` = the claims tagged with it, ``detail``
    its definition); one edge (key ``co-occurs``) per pair of themes sharing claims.
    ``data`` as for :func:`author_theme_network`.
    """
    return _themes(data or ReviewData(store), title).graph()


def _themes(data: ReviewData, title: str) -> _Projection:
    """:func:`theme_network` before it is a graph."""
    edges = _Edges(nx.MultiGraph)
    labels: dict[str, str] = {}  # each theme as first tagged, in the graph's order
    tagged: dict[str, set[str]] = defaultdict(set)
    for claim in data.claims():
        for theme_id, label in claim.themes:
            labels.setdefault(theme_id, label)
            tagged[theme_id].add(claim.ident)
        every = range(len(claim.cites))
        for (a, _), (b, _) in combinations(claim.themes, 2):
            edges.add(a, b, "co-occurs", claim, every)
    counts = {node: len(tagged[node]) for node in labels}
    definitions = {f"theme:{row['id']}": row["definition"] for row in data.themes}

    def node_data(node: str) -> dict[str, Any]:
        detail = definitions.get(node, "")
        return {"kind": "theme", "label": labels[node], "detail": detail, "claims": counts[node]}

    return edges.projection(dict.fromkeys(labels, "theme"), counts, node_data, title=title)


def readable_subgraph(
    graph: nx.MultiGraph, limit: int = VIEW_LIMIT
) -> tuple[nx.MultiGraph, int, int]:
    """The part of ``graph`` a reader can take in: at most ``limit`` nodes, the most relied-on,
    and at most ``EDGES_PER_NODE * limit`` edges among them, the heaviest.

    Returns the subgraph and the whole graph's numbers of nodes and edges (for the page to
    say what it leaves out). A graph within both limits comes back as it is. In a graph of
    several kinds the anchor kinds (:data:`ANCHOR_KINDS`: the citing texts, the map's themes)
    are kept first; the rest of the room goes to the other nodes with the most ``claims``. A
    claim node counts the claims of the works it cites, so the claims kept are those resting
    on the most-cited works. Ties go by node id. Of the edges among the kept nodes, if there
    are too many, every node keeps its heaviest (by ``weight``), so that none is left
    unlinked, and the heaviest of the rest fill the room; ties go to the edge
    ``graph.edges()`` lists first. So the same graph always gives the same subgraph, its
    nodes and edges in the graph's order.

    >>> g = nx.MultiGraph()
    >>> g.add_nodes_from([("a", {"claims": 3}), ("b", {"claims": 1}), ("c", {"claims": 3})])
    >>> _ = g.add_edge("a", "b"); _ = g.add_edge("a", "c")
    >>> sub, nodes, edges = readable_subgraph(g, 2)
    >>> sorted(sub), nodes, edges, sub.number_of_edges()
    (['a', 'c'], 3, 2, 1)
    """
    total_nodes, total_edges = graph.number_of_nodes(), graph.number_of_edges()
    if _readable(total_nodes, total_edges, limit):
        return graph, total_nodes, total_edges
    return _Projection.of(graph).readable(limit)


def readable_network(
    project: Callable[..., nx.MultiGraph],
    store: Source | None,
    *,
    title: str = "",
    data: ReviewData | None = None,
    limit: int | None = VIEW_LIMIT,
) -> tuple[nx.MultiGraph, int, int]:
    """What a view draws of the projection ``project`` (called with ``store``, ``title`` and
    ``data``): its :func:`readable_subgraph` for ``limit``, or all of it if ``limit`` is
    None, with the whole graph's numbers of nodes and edges.

    The projections of this module make only the part they draw: at 10,000 works the map
    has 64,000 edges and draws 4,500, and gathering the claims behind the rest, only to cut
    them, was most of the work of drawing the views. The result is the same either way.
    """
    made = _PROJECTIONS.get(project)
    if made is None:
        whole = project(store, title=title, data=data)
        if limit is None:
            return whole, whole.number_of_nodes(), whole.number_of_edges()
        return readable_subgraph(whole, limit)
    projection = (data or ReviewData(store))._projected(made, title)
    if limit is None:
        return projection.graph(), len(projection.kinds), len(projection.ends)
    return projection.readable(limit)


_PROJECTIONS: dict[Callable[..., nx.MultiGraph], Callable[[ReviewData, str], _Projection]] = {
    author_theme_network: _author_theme,
    citation_network: _citations,
    cocitation_network: _cocitations,
    theme_network: _themes,
}


def weighted_network(project: Callable[..., nx.MultiGraph], data: ReviewData) -> nx.Graph:
    """The whole projection ``project`` (one of this module's) as a simple graph for
    analysis: each node with its ``kind``, ``label`` and ``claims``, each pair of nodes
    linked once, its ``weight`` the sum of the weights of the edges between them.

    Made from the projection's outline, without the claims behind each edge, so a
    10,000-work co-citation network (10,000 edges) takes a fraction of a second. Nodes and
    edges are added sorted by id, so the same review always gives the same graph, whatever
    order the store answered in (:mod:`kg.projections.clusters` relies on it).
    """
    made = _PROJECTIONS.get(project)
    projection = (
        data._projected(made, "") if made is not None else _Projection.of(project(None, data=data))
    )
    simple = nx.Graph()
    for node in sorted(projection.kinds, key=str):
        label = projection.node_data(node).get("label") or node
        simple.add_node(
            node, kind=projection.kinds[node], label=str(label), claims=projection.claims[node]
        )
    summed: dict[tuple[Any, Any], int] = defaultdict(int)
    for (u, v, _), weight in zip(projection.ends, projection.weights, strict=True):
        if u != v:
            summed[(u, v) if str(u) <= str(v) else (v, u)] += weight
    ordered = sorted(summed.items(), key=lambda edge: (str(edge[0][0]), str(edge[0][1])))
    simple.add_weighted_edges_from((u, v, weight) for (u, v), weight in ordered)
    return simple
