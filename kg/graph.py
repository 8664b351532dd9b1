"""Records to RDF: works, people, themes, citations and claims as named graphs of quads.

Bulk work goes through pyoxigraph's terms (fast, and what the store loads). Every IRI is
made from the review's base IRI and something stable in the input (a BibTeX key, a person's
normalised name, a theme id, a claim's offsets), never from a counter or a random id, and
``serialize_trig`` sorts the quads, so the same inputs give byte-identical TriG.

Named graphs, below the base IRI: ``graph/bibliography``, ``graph/themes``,
``graph/ontology`` and ``graph/claims/<citing key>`` (one per citing text), so any one can
be replaced without touching the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse, serialize

from kg.bib import Person, Work, slug
from kg.citations import Mention, Reference
from kg.claims import Claim, Stance
from kg.errors import InputError
from kg.namespaces import BIBO, CITO, DCTERMS, FOAF, KG, OA, PREFIXES, PROV, RDF, RDFS, XSD
from kg.themes import ThemeScheme

__all__ = ["GraphNames", "ReviewIris", "build_quads", "read_turtle", "serialize_trig"]

WORK_TYPES = {
    "article": BIBO.AcademicArticle,
    "book": BIBO.Book,
    "mvbook": BIBO.Book,
    "inbook": BIBO.Chapter,
    "incollection": BIBO.Chapter,
    "inproceedings": BIBO.AcademicArticle,
    "conference": BIBO.AcademicArticle,
    "proceedings": BIBO.Proceedings,
    "phdthesis": BIBO.Thesis,
    "mastersthesis": BIBO.Thesis,
    "thesis": BIBO.Thesis,
    "techreport": BIBO.Report,
    "report": BIBO.Report,
    "unpublished": BIBO.Manuscript,
    "online": BIBO.Webpage,
}
PAGES = re.compile(r"^\s*(\w+)\s*[-–—]+\s*(\w+)\s*$")


@lru_cache(maxsize=4096)
def _n(iri: str) -> NamedNode:
    """A pyoxigraph IRI from a string or an rdflib ``URIRef`` (a ``str`` too)."""
    return NamedNode(str(iri))


def _lit(value: str | int | float | bool, datatype: str | None = None) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_n(XSD.boolean))
    if isinstance(value, int):
        return Literal(str(value), datatype=_n(XSD.integer))
    if isinstance(value, float):
        return Literal(f"{value:.2f}", datatype=_n(XSD.decimal))
    return Literal(value, datatype=_n(datatype)) if datatype else Literal(value)


@dataclass(frozen=True)
class GraphNames:
    """The named graphs of one review."""

    base: str

    @property
    def bibliography(self) -> NamedNode:
        return _n(f"{self.base}graph/bibliography")

    @property
    def themes(self) -> NamedNode:
        return _n(f"{self.base}graph/themes")

    @property
    def ontology(self) -> NamedNode:
        return _n(f"{self.base}graph/ontology")

    def claims(self, citing: str) -> NamedNode:
        return _n(f"{self.base}graph/claims/{_key(citing)}")


@dataclass(frozen=True)
class ReviewIris:
    """How things of one review are named."""

    base: str

    def work(self, key: str) -> NamedNode:
        return _n(f"{self.base}work/{_key(key)}")

    def person(self, person: Person) -> NamedNode:
        kind = "org" if person.organisation else "person"
        return _n(f"{self.base}{kind}/{person.ident}")

    def venue(self, name: str) -> NamedNode:
        return _n(f"{self.base}venue/{slug(name)}")

    def text(self, citing: str) -> NamedNode:
        return _n(f"{self.base}text/{_key(citing)}")

    def claim(self, citing: str, start: int, end: int) -> NamedNode:
        return _n(f"{self.base}claim/{_key(citing)}/{start}-{end}")

    def citation(self, citing: str, start: int, end: int, key: str = "") -> NamedNode:
        tail = f"/{_key(key)}" if key else ""
        return _n(f"{self.base}citation/{_key(citing)}/{start}-{end}{tail}")

    def unresolved(self, ref: Reference) -> NamedNode:
        return _n(f"{self.base}unresolved/{slug(' '.join(ref.surnames))}-{ref.year}{ref.suffix}")


def _key(key: str) -> str:
    return quote(key, safe="-_.~")


def build_quads(
    base: str,
    works: Sequence[Work],
    scheme: ThemeScheme,
    claims_by_text: Sequence[tuple[str, str, Sequence[Claim]]],
    *,
    themes: Iterable[Quad] = (),
    ontology: Iterable[Quad] = (),
    title: str = "",
) -> list[Quad]:
    """All quads of a review, each once: bibliography, themes, ontology, a claims graph per text.

    ``claims_by_text`` holds, for each citing text, its file name, its citing work's key and
    its claims. ``themes`` and ``ontology`` are the triples of their Turtle files
    (``read_turtle``); ``scheme`` is the same themes as records, to link claims to them.
    """
    names = GraphNames(base)
    iris = ReviewIris(base)
    quads: list[Quad] = []
    bibliography = names.bibliography
    review = _n(base)
    quads.append(Quad(review, _n(RDF.type), _n(KG.Review), bibliography))
    if title:
        quads.append(Quad(review, _n(DCTERMS.title), _lit(title), bibliography))
    quads.extend(_bibliography_quads(iris, works, bibliography, review))
    quads.extend(Quad(q.subject, q.predicate, q.object, names.themes) for q in themes)
    quads.extend(Quad(q.subject, q.predicate, q.object, names.ontology) for q in ontology)
    theme_iris = {t.ident: _n(t.iri) for t in scheme.themes}
    for source, citing, claims in claims_by_text:
        graph = names.claims(citing)
        quads.extend(_claims_quads(iris, source, citing, claims, theme_iris, graph))
    return list(dict.fromkeys(quads))


def read_turtle(path: str | Path) -> list[Quad]:
    """Triples of a Turtle file as quads of the default graph; bad Turtle names the line.

    Blank nodes are renamed in the order they appear in the file (the parser gives them
    random ids), so the same file always gives the same quads.
    """
    path = Path(path)
    try:
        quads = list(parse(path=str(path), format=RdfFormat.TURTLE))  # type: ignore[arg-type]
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except SyntaxError as error:
        raise InputError(f"{path}: not valid Turtle ({error})") from None
    names: dict[str, BlankNode] = {}

    def rename(term: Any) -> Any:
        if isinstance(term, BlankNode):
            return names.setdefault(term.value, BlankNode(f"{slug(path.stem)}{len(names)}"))
        return term

    return [Quad(rename(q.subject), q.predicate, rename(q.object)) for q in quads]


def _bibliography_quads(
    iris: ReviewIris, works: Sequence[Work], graph: NamedNode, review: NamedNode
) -> Iterator[Quad]:
    a = _n(RDF.type)
    people: dict[str, Person] = {}
    venues: dict[str, tuple[str, NamedNode]] = {}
    journals: set[str] = set()
    for work in works:
        node = iris.work(work.key)
        yield Quad(node, a, _n(WORK_TYPES.get(work.entry_type, BIBO.Document)), graph)
        yield Quad(node, _n(KG.bibKey), _lit(work.key), graph)
        yield Quad(review, _n(DCTERMS.references), node, graph)
        if work.title:
            yield Quad(node, _n(DCTERMS.title), _lit(work.title), graph)
        else:
            yield Quad(node, _n(KG.incomplete), _lit(True), graph)
        if work.year:
            yield Quad(node, _n(DCTERMS.issued), _lit(work.year, str(XSD.gYear)), graph)
        for role, persons, list_property in (
            (DCTERMS.creator, work.authors, BIBO.authorList),
            (BIBO.editor, work.editors, BIBO.editorList),
        ):  # fmt: skip
            listed = [p for p in persons if p.family != "others"]
            if not listed:
                continue
            seq = _n(f"{node.value}#{'authors' if role == DCTERMS.creator else 'editors'}")
            yield Quad(node, _n(list_property), seq, graph)
            yield Quad(seq, a, _n(RDF.Seq), graph)
            for index, person in enumerate(listed, start=1):
                person_node = iris.person(person)
                people[person_node.value] = person
                yield Quad(node, _n(role), person_node, graph)
                yield Quad(seq, _n(f"{RDF}_{index}"), person_node, graph)
        for field_name, prop in (
            ("doi", BIBO.doi), ("volume", BIBO.volume), ("number", BIBO.issue),
            ("isbn", BIBO.isbn), ("issn", BIBO.issn), ("url", BIBO.uri),
        ):  # fmt: skip
            value = work.get(field_name)
            if value:
                yield Quad(node, _n(prop), _lit(value), graph)
        pages = work.get("pages")
        if pages:
            match = PAGES.match(pages)
            if match:
                yield Quad(node, _n(BIBO.pageStart), _lit(match.group(1)), graph)
                yield Quad(node, _n(BIBO.pageEnd), _lit(match.group(2)), graph)
            else:
                yield Quad(node, _n(BIBO.pages), _lit(pages), graph)
        for field_name in ("publisher", "institution", "school", "organization"):
            value = work.get(field_name)
            if value:
                yield Quad(node, _n(DCTERMS.publisher), _lit(value), graph)
        journal = work.get("journal") or work.get("journaltitle")
        venue = journal or work.get("booktitle")
        journals.update(name for name in (work.get("journal"), work.get("journaltitle")) if name)
        if venue:
            venue_node = iris.venue(venue)
            venues[venue_node.value] = (venue, venue_node)
            yield Quad(node, _n(DCTERMS.isPartOf), venue_node, graph)
    for iri, person in people.items():
        node = _n(iri)
        kind = FOAF.Organization if person.organisation else FOAF.Person
        yield Quad(node, a, _n(kind), graph)
        yield Quad(node, _n(FOAF.name), _lit(person.name), graph)
        if not person.organisation:
            yield Quad(node, _n(FOAF.familyName), _lit(person.family), graph)
            if person.given:
                yield Quad(node, _n(FOAF.givenName), _lit(person.given), graph)
    for name, venue_node in venues.values():
        kind = BIBO.Journal if name in journals else BIBO.Document
        yield Quad(venue_node, a, _n(kind), graph)
        yield Quad(venue_node, _n(DCTERMS.title), _lit(name), graph)


def _claims_quads(
    iris: ReviewIris,
    source: str,
    citing: str,
    claims: Sequence[Claim],
    theme_iris: dict[str, NamedNode],
    graph: NamedNode,
) -> Iterator[Quad]:
    a = _n(RDF.type)
    citing_node = iris.work(citing)
    text_node = iris.text(citing)
    yield Quad(text_node, a, _n(FOAF.Document), graph)
    yield Quad(text_node, _n(DCTERMS.isFormatOf), citing_node, graph)
    yield Quad(text_node, _n(DCTERMS.source), _lit(Path(source).name), graph)
    yield Quad(text_node, _n(DCTERMS.format), _lit("text/plain"), graph)
    cited: set[str] = set()
    for claim in claims:
        node = iris.claim(citing, claim.start, claim.end)
        stances = dict(claim.stances)
        suggested = dict(claim.suggested)
        yield Quad(node, a, _n(KG.Claim), graph)
        yield Quad(node, _n(KG.claimText), _lit(claim.text), graph)
        yield Quad(node, _n(KG.claimOrigin), _lit(claim.origin.value), graph)
        yield Quad(node, _n(PROV.wasDerivedFrom), text_node, graph)
        yield Quad(node, _n(DCTERMS.isPartOf), citing_node, graph)
        if claim.note:
            yield Quad(node, _n(RDFS.comment), _lit(claim.note), graph)
        for ident in claim.themes:
            if ident in theme_iris:
                yield Quad(node, _n(DCTERMS.subject), theme_iris[ident], graph)
        yield from _anchor_quads(node, text_node, claim, graph)
        for mention in claim.mentions:
            yield from _mention_quads(
                iris, citing_node, citing, node, mention, stances, suggested, graph
            )
            cited.update(r.bibkey for r in mention.refs if r.bibkey)
        for key in claim.extra_cites:
            citation = iris.citation(citing, claim.start, claim.end, key)
            stance = stances.get(key)
            yield from _citation_quads(citation, citing_node, iris.work(key), stance, None, graph)
            yield Quad(node, _n(KG.hasCitation), citation, graph)
            cited.add(key)
    for key in sorted(cited):
        yield Quad(citing_node, _n(CITO.cites), iris.work(key), graph)


def _anchor_quads(
    node: NamedNode, text_node: NamedNode, claim: Claim, graph: NamedNode
) -> Iterator[Quad]:
    a = _n(RDF.type)
    target = _n(f"{node.value}#target")
    quote_selector = _n(f"{node.value}#quote")
    position = _n(f"{node.value}#position")
    yield Quad(node, _n(OA.hasTarget), target, graph)
    yield Quad(target, a, _n(OA.SpecificResource), graph)
    yield Quad(target, _n(OA.hasSource), text_node, graph)
    yield Quad(target, _n(OA.hasSelector), quote_selector, graph)
    yield Quad(target, _n(OA.hasSelector), position, graph)
    yield Quad(quote_selector, a, _n(OA.TextQuoteSelector), graph)
    yield Quad(quote_selector, _n(OA.exact), _lit(claim.exact), graph)
    yield Quad(quote_selector, _n(OA.prefix), _lit(claim.prefix), graph)
    yield Quad(quote_selector, _n(OA.suffix), _lit(claim.suffix), graph)
    yield Quad(position, a, _n(OA.TextPositionSelector), graph)
    integer = str(XSD.nonNegativeInteger)
    yield Quad(position, _n(OA.start), _lit(str(claim.start), integer), graph)
    yield Quad(position, _n(OA.end), _lit(str(claim.end), integer), graph)


def _mention_quads(
    iris: ReviewIris,
    citing_node: NamedNode,
    citing: str,
    claim_node: NamedNode,
    mention: Mention,
    stances: Mapping[str, Stance],
    suggested: Mapping[str, Stance],
    graph: NamedNode,
) -> Iterator[Quad]:
    nodes = [iris.citation(citing, ref.start, ref.end) for ref in mention.refs]
    for ref, citation in zip(mention.refs, nodes, strict=True):
        yield Quad(claim_node, _n(KG.hasCitation), citation, graph)
        if ref.bibkey:
            cited = iris.work(ref.bibkey)
        else:
            cited = iris.unresolved(ref)
            yield Quad(cited, _n(RDF.type), _n(KG.UnresolvedWork), graph)
            yield Quad(cited, _n(KG.surfaceNames), _lit(" and ".join(ref.surnames)), graph)
            yield Quad(cited, _n(DCTERMS.issued), _lit(ref.year + ref.suffix), graph)
        stance = stances.get(ref.bibkey) if ref.bibkey else None
        yield from _citation_quads(
            citation, citing_node, cited, stance, suggested.get(ref.bibkey or ""), graph
        )
        yield Quad(citation, _n(KG.mentionText), _lit(mention.surface), graph)
        if ref.locator:
            yield Quad(citation, _n(KG.locator), _lit(ref.locator), graph)
        if ref.bibkey:
            yield Quad(citation, _n(KG.resolutionConfidence), _lit(float(ref.confidence)), graph)
        else:
            yield Quad(citation, _n(KG.unresolved), _lit(True), graph)
        if ref.secondary_source is not None:
            yield Quad(citation, _n(KG.citedVia), nodes[ref.secondary_source], graph)


def _citation_quads(
    citation: NamedNode,
    citing_node: NamedNode,
    cited: NamedNode,
    stance: Stance | None,
    suggested: Stance | None,
    graph: NamedNode,
) -> Iterator[Quad]:
    yield Quad(citation, _n(RDF.type), _n(CITO.Citation), graph)
    yield Quad(citation, _n(CITO.hasCitingEntity), citing_node, graph)
    yield Quad(citation, _n(CITO.hasCitedEntity), cited, graph)
    characterisation = f"{CITO._NS}{stance or 'cites'}"
    yield Quad(citation, _n(CITO.hasCitationCharacterization), _n(characterisation), graph)
    if suggested:
        suggestion = _n(f"{CITO._NS}{suggested}")
        yield Quad(citation, _n(KG.suggestedCharacterization), suggestion, graph)


def serialize_trig(quads: Iterable[Quad]) -> bytes:
    """The quads as TriG, sorted, with kg's prefixes: the same quads give the same bytes.

    Quads are grouped by graph (graphs in IRI order) and sorted within a graph by their
    N-Quads text, that is by subject, predicate and object.
    """
    groups: dict[Any, set[Quad]] = {}
    for quad in quads:
        groups.setdefault(quad.graph_name, set()).add(quad)
    ordered = [quad for graph in sorted(groups, key=str) for quad in sorted(groups[graph], key=str)]
    return serialize(ordered, format=RdfFormat.TRIG, prefixes=PREFIXES)  # type: ignore[return-value]
