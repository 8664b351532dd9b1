"""The review's named graphs, each made anew only when its inputs changed, and their rows.

A graph's key hashes what it is made from; a graph whose key is in the build cache is taken
from there as its TriG block, so a rebuild after one text changed makes one graph. The views
and the summary read each graph's rows (:mod:`kg.projections.rows`), also kept in the cache
by the graph's key, so a rebuild reads the rows of the changed graph alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import chain
from typing import TYPE_CHECKING

from pyoxigraph import Quad, RdfFormat, parse

from kg.build.cache import BuildCache, code_version, file_key, key_of
from kg.build.inputs import TextRead
from kg.config import Review, ontology_path
from kg.graph import GraphNames, join_trig, read_turtle, review_graphs, serialize_graph
from kg.load.bib import Bibliography
from kg.load.themes import ThemeScheme
from kg.projections.rows import GraphRows, claims_rows, review_rows_of, rows_of_graph

if TYPE_CHECKING:
    from kg.outputs.review import SummaryPart
    from kg.projections.network import ReviewClaim, ReviewData, Tagged

__all__ = ["ClaimsPart", "NotCached", "ReviewGraphs", "make_graphs"]


@dataclass
class ReviewGraphs:
    """The review's named graphs (``names``) as TriG blocks (``kg.graph.serialize_graph``)
    by graph (``<iri>``), each with the key of the inputs it was made from and its number of
    quads, and the quads of the graphs made in this build (the others came from the build
    cache)."""

    names: GraphNames
    blocks: dict[str, bytes] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    made: dict[str, list[Quad]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def rows_of(self, graph: str, cache: BuildCache) -> GraphRows:
        """The rows of ``graph``: kept in ``cache`` under the graph's key, or read from its
        quads in a store of their own (``NotCached`` if this holds neither)."""
        found = cache.get("rows", self.keys[graph])
        if not isinstance(found, GraphRows):
            if graph not in self.made and graph not in self.blocks:
                raise NotCached(graph)

            def themes() -> list[Quad]:
                return self._theme_quads

            found = rows_of_graph(graph, self.quads_of(graph), self.names, themes)
            cache.put("rows", self.keys[graph], found)
        return found

    def cache_rows(self, cache: BuildCache) -> None:
        """Keep in ``cache`` the rows of each graph it has none of (those made here), and
        all of them through its ``prune``."""
        for graph, key in self.keys.items():
            if not cache.has("rows", key):
                self.rows_of(graph, cache)

    @cached_property
    def _theme_quads(self) -> list[Quad]:
        """The quads of the themes graph, beside which a claims graph's rows are read."""
        return self.quads_of(str(self.names.themes))

    def review_data(self, cache: BuildCache) -> tuple[ReviewData, list[ClaimsPart]]:
        """What the views and the summary read: the review's rows (``kg.projections.rows``,
        from each graph's, ``rows_of``), with its claims joined; and each claims graph's
        part of them (``ClaimsPart``), whose ``summary`` are the summary's parts.

        A claims graph's part is worked out from its rows alone (``ReviewData.part``) and
        kept in ``cache`` under a key of what it comes from: the graph's key, the
        bibliography's (the works' labels and authors), the rows of the works it cites that
        another claims graph holds (a work of a text's reference list, ``kg.projections.rows``),
        and the unresolved works the graph cites with their names (the first graph to cite
        such a work names it for all). Each
        is read when first needed, the claims by the views and the parts by the summary: in
        a rebuild, in two processes (:mod:`kg.build.drawing`).
        """
        from kg.projections.network import ReviewData

        rows = {graph: self.rows_of(graph, cache) for graph in self.keys}
        merged = review_rows_of(rows, self.names)
        data = ReviewData(None, rows=merged)
        special = {str(self.names.bibliography), str(self.names.themes), str(self.names.ontology)}
        bibliography = self.keys[str(self.names.bibliography)]
        elsewhere = _works_outside(merged, rows[str(self.names.bibliography)])
        parts = []
        for graph in sorted(set(rows) - special):
            cited = {row[2] for row in rows[graph].rows["citations"]}
            unresolved = sorted(cited - data.by_iri.keys())
            named = repr([(iri, data.unresolved.get(iri)) for iri in unresolved])
            works = repr([elsewhere[iri] for iri in sorted(cited & elsewhere.keys())])
            key = key_of(self.keys[graph], bibliography, named, works)
            parts.append(ClaimsPart(cache, graph, key, partial(claims_rows, rows[graph])))
        joined = data.with_claims(
            chain.from_iterable(part.claims(data) for part in parts),
            (part.tagged(data) for part in parts),
        )
        return joined, parts

    @property
    def triples(self) -> int:
        """The number of quads of all graphs."""
        return sum(self.counts.values())

    def __len__(self) -> int:
        return len(self.keys)

    def quads_of(self, graph: str) -> list[Quad]:
        """The quads of one graph: as made, or read back from its cached block."""
        made = self.made.get(graph)
        if made is not None:
            return made
        document = join_trig({graph: self.blocks[graph]})
        return list(parse(document, format=RdfFormat.TRIG))  # type: ignore[arg-type]

    def all_quads(self) -> Iterator[Quad]:
        """Every quad of the review, graph by graph."""
        for graph in sorted(self.blocks):
            yield from self.quads_of(graph)


def _works_outside(
    merged: dict[str, list[tuple[str, ...]]], bibliography: GraphRows
) -> dict[str, tuple[list[tuple[str, ...]], ...]]:
    """The label and author rows of each work (by IRI) that a claims graph holds and the
    bibliography does not: what a claims graph's part reads of another claims graph."""
    own = {row[4] for row in bibliography.rows["work-labels"]}
    outside: dict[str, tuple[list[tuple[str, ...]], ...]] = {}
    for row in merged["work-labels"]:
        if row[4] not in own:
            outside.setdefault(row[4], ([], []))[0].append(row)
    for row in merged["work-authors"]:
        if row[0] in outside:
            outside[row[0]][1].append(row)
    return outside


class NotCached(Exception):
    """A graph's rows are neither in the build cache nor to be made (``ReviewGraphs.rows_of``)."""


class ClaimsPart:
    """One claims graph's (``graph``) part of the views and of the summary
    (``ReviewGraphs.review_data``): read from the build cache under ``key`` or worked out
    from the graph's rows (``rows()``, its ``kg.projections.rows.claims_rows``), when first
    needed."""

    def __init__(
        self,
        cache: BuildCache,
        graph: str,
        key: str,
        rows: Callable[[], dict[str, list[tuple[str, ...]]]],
    ) -> None:
        self.cache, self.graph, self.key, self.rows = cache, graph, key, rows
        keep_claims_parts(cache, [key])

    def claims(self, data: ReviewData) -> list[ReviewClaim]:
        """The graph's claims joined (``ReviewData.claims``); ``data`` is the whole review's."""
        found = self.cache.get("joined", self.key)
        if not isinstance(found, list):
            found = data.part(self.rows()).claims()
            self.cache.put("joined", self.key, found)
        return found

    def tagged(self, data: ReviewData) -> Tagged:
        """The themes of the graph's claims and which kg guessed (``ReviewData.tagged``)."""
        found = self.cache.get("tags", self.key)
        if not (isinstance(found, tuple) and len(found) == 2):
            found = data.part(self.rows()).tagged()
            self.cache.put("tags", self.key, found)
        return found

    def summary(self, data: ReviewData) -> SummaryPart:
        """The summary's part for the graph's claims."""
        from kg.outputs.review import SummaryPart, summary_part

        found = self.cache.get("summary", self.key)
        if not isinstance(found, SummaryPart):
            found = summary_part(data.part(self.rows()))
            self.cache.put("summary", self.key, found)
        return found


def keep_claims_parts(cache: BuildCache, keys: Iterable[str]) -> None:
    """Keep the cached joined claims, tags and summary parts of the claims graphs' parts of
    ``keys`` (``ClaimsPart.key``) through ``cache``'s prune: read, or made, in another
    process (:mod:`kg.build.drawing`)."""
    for key in keys:
        cache.keep("joined", key)
        cache.keep("tags", key)
        cache.keep("summary", key)


def make_graphs(
    review: Review,
    bibliography: Bibliography,
    bibliography_key: str,
    scheme: ThemeScheme,
    texts: Sequence[TextRead],
    cache: BuildCache,
) -> ReviewGraphs:
    """Each named graph of the review, made anew only when its inputs changed.

    A graph's key hashes what it is made from: the bibliography's files and the review's
    title; a Turtle file; a citing work's texts (their keys cover the bibliography, themes
    and curated claims they were read with).
    """
    names = GraphNames(review.base)
    ontology = ontology_path() / "kg.ttl"
    claims_by_text = [(text.source.path.name, text.source.work, text.claims) for text in texts]
    makers = review_graphs(
        review.base, bibliography.works, scheme, claims_by_text,
        themes=read_turtle(review.themes), ontology=read_turtle(ontology), title=review.title,
        origins={text.source.path.name: text.origin for text in texts},
    )  # fmt: skip
    text_keys: dict[str, list[str]] = {}
    for text in texts:
        text_keys.setdefault(text.source.work, []).append(text.key)
    inputs = {
        str(names.bibliography): key_of(bibliography_key, review.title),
        str(names.themes): file_key(review.themes),
        str(names.ontology): file_key(ontology),
        **{str(names.claims(citing)): key_of(*keys) for citing, keys in text_keys.items()},
    }
    graphs = ReviewGraphs(names)
    for graph, make in makers.items():
        key = key_of(code_version(), review.base, graph, inputs[graph])
        found = cache.get("graph", key)
        if not (isinstance(found, tuple) and len(found) == 2):
            quads = make()
            found = (serialize_graph(quads), len(quads))
            cache.put("graph", key, found)
            graphs.made[graph] = quads
        graphs.blocks[graph], graphs.counts[graph] = found
        graphs.keys[graph] = key
    return graphs
