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

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse, serialize

from kg.errors import InputError
from kg.iris import slug
from kg.load.bib import Person, Work
from kg.load.citations import Mention, Reference
from kg.load.claims import Claim, Origin, Stance, StanceGuess
from kg.load.themes import ThemeScheme
from kg.namespaces import BIBO, CITO, DCTERMS, FOAF, KG, OA, PREFIXES, PROV, RDF, RDFS, XSD

__all__ = [
    "GraphNames",
    "ReviewIris",
    "TextOrigin",
    "bibliography_graph",
    "build_quads",
    "claims_graph",
    "join_trig",
    "read_turtle",
    "review_graphs",
    "serialize_graph",
    "serialize_trig",
    "trig_parts",
    "turtle_graph",
    "works_graph",
]


class Term:
    """The vocabulary terms kg writes, as pyoxigraph IRIs made once at import: an rdflib
    namespace lookup costs microseconds, and a large review writes a million quads."""

    bibo_AcademicArticle = NamedNode(BIBO.AcademicArticle)
    bibo_Book = NamedNode(BIBO.Book)
    bibo_Chapter = NamedNode(BIBO.Chapter)
    bibo_Document = NamedNode(BIBO.Document)
    bibo_Journal = NamedNode(BIBO.Journal)
    bibo_Manuscript = NamedNode(BIBO.Manuscript)
    bibo_Proceedings = NamedNode(BIBO.Proceedings)
    bibo_Report = NamedNode(BIBO.Report)
    bibo_Thesis = NamedNode(BIBO.Thesis)
    bibo_Webpage = NamedNode(BIBO.Webpage)
    bibo_authorList = NamedNode(BIBO.authorList)
    bibo_doi = NamedNode(BIBO.doi)
    bibo_editor = NamedNode(BIBO.editor)
    bibo_editorList = NamedNode(BIBO.editorList)
    bibo_isbn = NamedNode(BIBO.isbn)
    bibo_issn = NamedNode(BIBO.issn)
    bibo_issue = NamedNode(BIBO.issue)
    bibo_pageEnd = NamedNode(BIBO.pageEnd)
    bibo_pageStart = NamedNode(BIBO.pageStart)
    bibo_pages = NamedNode(BIBO.pages)
    bibo_uri = NamedNode(BIBO.uri)
    bibo_volume = NamedNode(BIBO.volume)
    cito_Citation = NamedNode(CITO.Citation)
    cito_cites = NamedNode(CITO.cites)
    cito_hasCitationCharacterization = NamedNode(CITO.hasCitationCharacterization)
    cito_hasCitedEntity = NamedNode(CITO.hasCitedEntity)
    cito_hasCitingEntity = NamedNode(CITO.hasCitingEntity)
    dcterms_creator = NamedNode(DCTERMS.creator)
    dcterms_format = NamedNode(DCTERMS.format)
    dcterms_isFormatOf = NamedNode(DCTERMS.isFormatOf)
    dcterms_isPartOf = NamedNode(DCTERMS.isPartOf)
    dcterms_issued = NamedNode(DCTERMS.issued)
    dcterms_publisher = NamedNode(DCTERMS.publisher)
    dcterms_references = NamedNode(DCTERMS.references)
    dcterms_source = NamedNode(DCTERMS.source)
    dcterms_subject = NamedNode(DCTERMS.subject)
    dcterms_title = NamedNode(DCTERMS.title)
    foaf_Document = NamedNode(FOAF.Document)
    foaf_familyName = NamedNode(FOAF.familyName)
    foaf_givenName = NamedNode(FOAF.givenName)
    foaf_name = NamedNode(FOAF.name)
    foaf_Organization = NamedNode(FOAF.Organization)
    foaf_Person = NamedNode(FOAF.Person)
    kg_Claim = NamedNode(KG.Claim)
    kg_Review = NamedNode(KG.Review)
    kg_UnresolvedWork = NamedNode(KG.UnresolvedWork)
    kg_bibKey = NamedNode(KG.bibKey)
    kg_citedVia = NamedNode(KG.citedVia)
    kg_claimOrigin = NamedNode(KG.claimOrigin)
    kg_claimText = NamedNode(KG.claimText)
    kg_hasCitation = NamedNode(KG.hasCitation)
    kg_incomplete = NamedNode(KG.incomplete)
    kg_parsedFrom = NamedNode(KG.parsedFrom)
    kg_referenceString = NamedNode(KG.referenceString)
    dcterms_conformsTo = NamedNode(DCTERMS.conformsTo)
    oa_FragmentSelector = NamedNode(OA.FragmentSelector)
    rdf_value = NamedNode(RDF.value)
    pdf_fragments = NamedNode("http://tools.ietf.org/rfc/rfc3778")
    kg_locator = NamedNode(KG.locator)
    kg_mentionText = NamedNode(KG.mentionText)
    kg_resolutionConfidence = NamedNode(KG.resolutionConfidence)
    kg_suggestedCharacterization = NamedNode(KG.suggestedCharacterization)
    kg_stanceConfidence = NamedNode(KG.stanceConfidence)
    kg_stanceCue = NamedNode(KG.stanceCue)
    kg_tagMethod = NamedNode(KG.tagMethod)
    kg_tagScore = NamedNode(KG.tagScore)
    oa_hasBody = NamedNode(OA.hasBody)
    kg_surfaceNames = NamedNode(KG.surfaceNames)
    kg_unresolved = NamedNode(KG.unresolved)
    oa_SpecificResource = NamedNode(OA.SpecificResource)
    oa_TextPositionSelector = NamedNode(OA.TextPositionSelector)
    oa_TextQuoteSelector = NamedNode(OA.TextQuoteSelector)
    oa_end = NamedNode(OA.end)
    oa_exact = NamedNode(OA.exact)
    oa_hasSelector = NamedNode(OA.hasSelector)
    oa_hasSource = NamedNode(OA.hasSource)
    oa_hasTarget = NamedNode(OA.hasTarget)
    oa_prefix = NamedNode(OA.prefix)
    oa_start = NamedNode(OA.start)
    oa_suffix = NamedNode(OA.suffix)
    prov_wasDerivedFrom = NamedNode(PROV.wasDerivedFrom)
    rdf_Seq = NamedNode(RDF.Seq)
    rdf_type = NamedNode(RDF.type)
    rdfs_comment = NamedNode(RDFS.comment)
    xsd_boolean = NamedNode(XSD.boolean)
    xsd_decimal = NamedNode(XSD.decimal)
    xsd_integer = NamedNode(XSD.integer)
    xsd_gYear = NamedNode(XSD.gYear)
    xsd_nonNegativeInteger = NamedNode(XSD.nonNegativeInteger)


WORK_TYPES = {
    "article": Term.bibo_AcademicArticle,
    "book": Term.bibo_Book,
    "mvbook": Term.bibo_Book,
    "inbook": Term.bibo_Chapter,
    "incollection": Term.bibo_Chapter,
    "inproceedings": Term.bibo_AcademicArticle,
    "conference": Term.bibo_AcademicArticle,
    "proceedings": Term.bibo_Proceedings,
    "phdthesis": Term.bibo_Thesis,
    "mastersthesis": Term.bibo_Thesis,
    "thesis": Term.bibo_Thesis,
    "techreport": Term.bibo_Report,
    "report": Term.bibo_Report,
    "unpublished": Term.bibo_Manuscript,
    "online": Term.bibo_Webpage,
}
PAGES = re.compile(r"^\s*(\w+)\s*[-–—]+\s*(\w+)\s*$")


@lru_cache(maxsize=4096)
def _n(iri: str) -> NamedNode:
    """A pyoxigraph IRI from a string or an rdflib ``URIRef`` (a ``str`` too)."""
    return NamedNode(str(iri))


def _lit(value: str | int | float | bool, datatype: NamedNode | None = None) -> Literal:
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=Term.xsd_boolean)
    if isinstance(value, int):
        return Literal(str(value), datatype=Term.xsd_integer)
    if isinstance(value, float):
        return Literal(f"{value:.2f}", datatype=Term.xsd_decimal)
    return Literal(value, datatype=datatype) if datatype else Literal(value)


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


@lru_cache(maxsize=65536)
@dataclass(frozen=True)
class TextOrigin:
    """What a citing text brings beside its claims: the PDF it was extracted from (its file
    name, the saved text's name and where each page starts in the text) and the works parsed
    from its reference list that the bibliography lacks."""

    pdf: str = ""
    saved: str = ""
    pages: tuple[int, ...] = ()
    title: str = ""
    """The PDF's title, from its metadata."""
    references: tuple[Work, ...] = ()
    citing: Work | None = None
    """The citing work itself, when no bibliography has it (a review of PDFs alone)."""
    section: tuple[int, int] = (0, 0)
    """Where the text's reference list starts and ends: the names and years in it are not
    citations."""

    def in_references(self, offset: int) -> bool:
        """Whether ``offset`` lies in the text's reference list."""
        return self.section[0] <= offset < self.section[1]

    def page_at(self, offset: int) -> int:
        """The PDF page (from 1) of a character of the text."""
        return max(1, bisect.bisect_right(self.pages, offset))


def _key(key: str) -> str:
    return quote(key, safe="-_.~")


def build_quads(
    base: str,
    works: Sequence[Work],
    scheme: ThemeScheme,
    claims_by_text: Sequence[tuple[str, str, Sequence[Claim]]],
    *,
    themes: Sequence[Quad] = (),
    ontology: Sequence[Quad] = (),
    title: str = "",
) -> list[Quad]:
    """All quads of a review, each once: bibliography, themes, ontology, a claims graph per
    citing work; the graphs of :func:`review_graphs`, all made.

    ``claims_by_text`` holds, for each citing text, its file name, its citing work's key and
    its claims. ``themes`` and ``ontology`` are the triples of their Turtle files
    (``read_turtle``); ``scheme`` is the same themes as records, to link claims to them.
    """
    graphs = review_graphs(
        base, works, scheme, claims_by_text, themes=themes, ontology=ontology, title=title
    )
    return [quad for make in graphs.values() for quad in make()]


def review_graphs(
    base: str,
    works: Sequence[Work],
    scheme: ThemeScheme,
    claims_by_text: Sequence[tuple[str, str, Sequence[Claim]]],
    *,
    themes: Sequence[Quad] = (),
    ontology: Sequence[Quad] = (),
    title: str = "",
    origins: Mapping[str, TextOrigin] | None = None,
) -> dict[str, Callable[[], list[Quad]]]:
    """Each named graph of a review, by its name as ``str`` (``<iri>``), with a function that
    makes its quads: ``graph/bibliography``, ``graph/themes``, ``graph/ontology``, then
    ``graph/claims/<citing>`` per citing work (all the texts of one work go in one graph).
    Arguments as for :func:`build_quads`; ``origins`` says, by text file name, which texts
    came from a PDF and which works their reference lists added. The graphs are made on
    demand, which is how ``kg build`` makes only those whose inputs changed.
    """
    names = GraphNames(base)
    texts: dict[str, list[tuple[str, Sequence[Claim]]]] = {}
    for source, citing, claims in claims_by_text:
        texts.setdefault(citing, []).append((source, claims))
    graphs: dict[str, Callable[[], list[Quad]]] = {
        str(names.bibliography): partial(bibliography_graph, base, works, title=title),
        str(names.themes): partial(turtle_graph, names.themes, themes),
        str(names.ontology): partial(turtle_graph, names.ontology, ontology),
    }
    for citing, parts in texts.items():
        graphs[str(names.claims(citing))] = partial(
            claims_graph, base, citing, parts, scheme, origins=origins or {}
        )
    return graphs


def bibliography_graph(base: str, works: Sequence[Work], *, title: str = "") -> list[Quad]:
    """The quads of ``graph/bibliography``, each once: the review, its works, people, venues."""
    graph = GraphNames(base).bibliography
    review = _n(base)
    quads = [Quad(review, Term.rdf_type, Term.kg_Review, graph)]
    if title:
        quads.append(Quad(review, Term.dcterms_title, Literal(title), graph))
    quads.extend(_bibliography_quads(ReviewIris(base), works, graph, review))
    return list(dict.fromkeys(quads))


def turtle_graph(graph: NamedNode, triples: Iterable[Quad]) -> list[Quad]:
    """The triples of a Turtle file (``read_turtle``) as quads of ``graph``, each once."""
    return list(dict.fromkeys(Quad(q.subject, q.predicate, q.object, graph) for q in triples))


def claims_graph(
    base: str,
    citing: str,
    texts: Sequence[tuple[str, Sequence[Claim]]],
    scheme: ThemeScheme,
    *,
    origins: Mapping[str, TextOrigin] | None = None,
) -> list[Quad]:
    """The quads of ``graph/claims/<citing>``, each once: the claims of the texts (file name
    and claims) of the citing work ``citing``, their anchors and citations; for a text from
    a PDF, the page of each claim; the works parsed from the texts' reference lists."""
    graph = GraphNames(base).claims(citing)
    iris = ReviewIris(base)
    theme_iris = {t.ident: _n(t.iri) for t in scheme.themes}
    origins = origins or {}
    quads = [
        quad
        for source, claims in texts
        for quad in _claims_quads(
            iris, source, citing, claims, theme_iris, graph, origins.get(source, TextOrigin())
        )
    ]
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


def works_graph(base: str, works: Sequence[Work]) -> list[Quad]:
    """The part of ``graph/bibliography`` that is about the works themselves: each work's
    type, key, title (or the flag that it has none) and year, and the review's reference to
    it; not their people, venues or identifiers.

    It is what the SHACL shapes read of a bibliography, so ``kg validate --bib`` checks it
    rather than the whole graph, at a sixth of the quads.
    """
    graph = GraphNames(base).bibliography
    iris, review = ReviewIris(base), _n(base)
    return [
        quad for work in works for quad in _work_quads(iris.work(work.key), work, graph, review)
    ]


def _work_quads(node: NamedNode, work: Work, graph: NamedNode, review: NamedNode) -> Iterator[Quad]:
    yield Quad(node, Term.rdf_type, WORK_TYPES.get(work.entry_type, Term.bibo_Document), graph)
    yield Quad(node, Term.kg_bibKey, Literal(work.key), graph)
    yield Quad(review, Term.dcterms_references, node, graph)
    if work.title:
        yield Quad(node, Term.dcterms_title, Literal(work.title), graph)
    else:
        yield Quad(node, Term.kg_incomplete, _lit(True), graph)
    if work.year:
        yield Quad(node, Term.dcterms_issued, _lit(work.year, Term.xsd_gYear), graph)


def _bibliography_quads(
    iris: ReviewIris, works: Sequence[Work], graph: NamedNode, review: NamedNode
) -> Iterator[Quad]:
    a = Term.rdf_type
    people: dict[str, Person] = {}
    venues: dict[str, tuple[str, NamedNode]] = {}
    journals: set[str] = set()
    for work in works:
        node = iris.work(work.key)
        yield from _work_quads(node, work, graph, review)
        for role, persons, list_property in (
            (Term.dcterms_creator, work.authors, Term.bibo_authorList),
            (Term.bibo_editor, work.editors, Term.bibo_editorList),
        ):  # fmt: skip
            listed = [p for p in persons if p.family != "others"]
            if not listed:
                continue
            seq = _n(f"{node.value}#{'authors' if role == Term.dcterms_creator else 'editors'}")
            yield Quad(node, list_property, seq, graph)
            yield Quad(seq, a, Term.rdf_Seq, graph)
            for index, person in enumerate(listed, start=1):
                person_node = iris.person(person)
                people[person_node.value] = person
                yield Quad(node, role, person_node, graph)
                yield Quad(seq, _n(f"{RDF}_{index}"), person_node, graph)
        for field_name, prop in (
            ("doi", Term.bibo_doi), ("volume", Term.bibo_volume), ("number", Term.bibo_issue),
            ("isbn", Term.bibo_isbn), ("issn", Term.bibo_issn), ("url", Term.bibo_uri),
        ):  # fmt: skip
            value = work.get(field_name)
            if value:
                yield Quad(node, prop, Literal(value), graph)
        pages = work.get("pages")
        if pages:
            match = PAGES.match(pages)
            if match:
                yield Quad(node, Term.bibo_pageStart, Literal(match.group(1)), graph)
                yield Quad(node, Term.bibo_pageEnd, Literal(match.group(2)), graph)
            else:
                yield Quad(node, Term.bibo_pages, Literal(pages), graph)
        for field_name in ("publisher", "institution", "school", "organization"):
            value = work.get(field_name)
            if value:
                yield Quad(node, Term.dcterms_publisher, Literal(value), graph)
        journal = work.get("journal") or work.get("journaltitle")
        venue = journal or work.get("booktitle")
        journals.update(name for name in (work.get("journal"), work.get("journaltitle")) if name)
        if venue:
            venue_node = iris.venue(venue)
            venues[venue_node.value] = (venue, venue_node)
            yield Quad(node, Term.dcterms_isPartOf, venue_node, graph)
    for iri, person in people.items():
        node = _n(iri)
        kind = Term.foaf_Organization if person.organisation else Term.foaf_Person
        yield Quad(node, a, kind, graph)
        yield Quad(node, Term.foaf_name, Literal(person.name), graph)
        if not person.organisation:
            yield Quad(node, Term.foaf_familyName, Literal(person.family), graph)
            if person.given:
                yield Quad(node, Term.foaf_givenName, Literal(person.given), graph)
    for name, venue_node in venues.values():
        kind = Term.bibo_Journal if name in journals else Term.bibo_Document
        yield Quad(venue_node, a, kind, graph)
        yield Quad(venue_node, Term.dcterms_title, Literal(name), graph)


def _claims_quads(
    iris: ReviewIris,
    source: str,
    citing: str,
    claims: Sequence[Claim],
    theme_iris: dict[str, NamedNode],
    graph: NamedNode,
    origin: TextOrigin,
) -> Iterator[Quad]:
    a = Term.rdf_type
    citing_node = iris.work(citing)
    text_node = iris.text(citing)
    yield Quad(text_node, a, Term.foaf_Document, graph)
    yield Quad(text_node, Term.dcterms_isFormatOf, citing_node, graph)
    yield Quad(text_node, Term.dcterms_source, Literal(origin.saved or Path(source).name), graph)
    yield Quad(text_node, Term.dcterms_format, Literal("text/plain"), graph)
    pdf_node = _n(f"{text_node.value}/pdf")
    if origin.pdf:
        yield Quad(pdf_node, a, Term.foaf_Document, graph)
        yield Quad(pdf_node, Term.dcterms_isFormatOf, citing_node, graph)
        yield Quad(pdf_node, Term.dcterms_source, Literal(origin.pdf), graph)
        yield Quad(pdf_node, Term.dcterms_format, Literal("application/pdf"), graph)
        yield Quad(text_node, Term.prov_wasDerivedFrom, pdf_node, graph)
    if origin.citing is not None:
        yield from _bibliography_quads(iris, (origin.citing,), graph, _n(iris.base))
    if origin.references:
        review = _n(iris.base)
        yield from _bibliography_quads(iris, origin.references, graph, review)
        for work in origin.references:
            node = iris.work(work.key)
            yield Quad(node, Term.kg_parsedFrom, text_node, graph)
            yield Quad(
                node, Term.kg_referenceString, Literal(work.get("kg-reference") or ""), graph
            )
    cited: set[str] = set()
    for claim in claims:
        node = iris.claim(citing, claim.start, claim.end)
        stances = dict(claim.stances)
        suggested = dict(claim.suggested)
        yield Quad(node, a, Term.kg_Claim, graph)
        yield Quad(node, Term.kg_claimText, Literal(claim.text), graph)
        yield Quad(node, Term.kg_claimOrigin, Literal(claim.origin.value), graph)
        yield Quad(node, Term.prov_wasDerivedFrom, text_node, graph)
        yield Quad(node, Term.dcterms_isPartOf, citing_node, graph)
        if claim.note:
            yield Quad(node, Term.rdfs_comment, Literal(claim.note), graph)
        for ident in claim.themes:
            if ident in theme_iris:
                yield Quad(node, Term.dcterms_subject, theme_iris[ident], graph)
        yield from _tag_quads(node, claim, theme_iris, graph)
        yield from _anchor_quads(node, text_node, claim, graph)
        if origin.pdf:
            yield from _page_quads(node, pdf_node, origin.page_at(claim.start), graph)
        guesses = dict(claim.guesses) if claim.origin is Origin.EXTRACTED else {}
        for mention in claim.mentions:
            yield from _mention_quads(
                iris, citing_node, citing, node, mention, stances, suggested, guesses, graph
            )
            cited.update(r.bibkey for r in mention.refs if r.bibkey)
        for key in claim.extra_cites:
            citation = iris.citation(citing, claim.start, claim.end, key)
            stance = stances.get(key)
            yield from _citation_quads(citation, citing_node, iris.work(key), stance, None, graph)
            yield Quad(node, Term.kg_hasCitation, citation, graph)
            cited.add(key)
    for key in sorted(cited):
        yield Quad(citing_node, Term.cito_cites, iris.work(key), graph)


def _tag_quads(
    node: NamedNode, claim: Claim, theme_iris: dict[str, NamedNode], graph: NamedNode
) -> Iterator[Quad]:
    """Each theme tag as a Web Annotation on the claim (``oa:hasTarget``, which makes it an
    ``oa:Annotation``) whose body is the theme, with its score and how it was found
    (``kg:Curated`` for a researcher's tag, the others guesses). Four triples a tag: a review
    of 20,000 claims has 40,000 tags."""
    for tag in claim.tags:
        if tag.theme not in theme_iris:
            continue
        annotation = _n(f"{node.value}#tag-{tag.theme}")
        yield Quad(annotation, Term.oa_hasTarget, node, graph)
        yield Quad(annotation, Term.oa_hasBody, theme_iris[tag.theme], graph)
        yield Quad(annotation, Term.kg_tagScore, _lit(float(tag.score)), graph)
        yield Quad(annotation, Term.kg_tagMethod, _n(f"{KG._NS}{tag.method.value}"), graph)


def _anchor_quads(
    node: NamedNode, text_node: NamedNode, claim: Claim, graph: NamedNode
) -> Iterator[Quad]:
    a = Term.rdf_type
    target = _n(f"{node.value}#target")
    quote_selector = _n(f"{node.value}#quote")
    position = _n(f"{node.value}#position")
    yield Quad(node, Term.oa_hasTarget, target, graph)
    yield Quad(target, a, Term.oa_SpecificResource, graph)
    yield Quad(target, Term.oa_hasSource, text_node, graph)
    yield Quad(target, Term.oa_hasSelector, quote_selector, graph)
    yield Quad(target, Term.oa_hasSelector, position, graph)
    yield Quad(quote_selector, a, Term.oa_TextQuoteSelector, graph)
    yield Quad(quote_selector, Term.oa_exact, Literal(claim.exact), graph)
    yield Quad(quote_selector, Term.oa_prefix, Literal(claim.prefix), graph)
    yield Quad(quote_selector, Term.oa_suffix, Literal(claim.suffix), graph)
    yield Quad(position, a, Term.oa_TextPositionSelector, graph)
    integer = Term.xsd_nonNegativeInteger
    yield Quad(position, Term.oa_start, _lit(str(claim.start), integer), graph)
    yield Quad(position, Term.oa_end, _lit(str(claim.end), integer), graph)


def _page_quads(node: NamedNode, pdf: NamedNode, page: int, graph: NamedNode) -> Iterator[Quad]:
    """The claim's page in the PDF its text came from, which the claim is derived from: a
    Web Annotation specific resource, the PDF with a fragment selector (RFC 3778's
    ``page=N``). A second ``oa:hasTarget`` would read as a second anchor."""
    target = _n(f"{node.value}#page")
    selector = _n(f"{node.value}#page-selector")
    yield Quad(node, Term.prov_wasDerivedFrom, target, graph)
    yield Quad(target, Term.rdf_type, Term.oa_SpecificResource, graph)
    yield Quad(target, Term.oa_hasSource, pdf, graph)
    yield Quad(target, Term.oa_hasSelector, selector, graph)
    yield Quad(selector, Term.rdf_type, Term.oa_FragmentSelector, graph)
    yield Quad(selector, Term.dcterms_conformsTo, Term.pdf_fragments, graph)
    yield Quad(selector, Term.rdf_value, Literal(f"page={page}"), graph)


def _mention_quads(
    iris: ReviewIris,
    citing_node: NamedNode,
    citing: str,
    claim_node: NamedNode,
    mention: Mention,
    stances: Mapping[str, Stance],
    suggested: Mapping[str, Stance],
    guesses: Mapping[int, StanceGuess],
    graph: NamedNode,
) -> Iterator[Quad]:
    nodes = [iris.citation(citing, ref.start, ref.end) for ref in mention.refs]
    for ref, citation in zip(mention.refs, nodes, strict=True):
        yield Quad(claim_node, Term.kg_hasCitation, citation, graph)
        if ref.bibkey:
            cited = iris.work(ref.bibkey)
        else:
            cited = iris.unresolved(ref)
            yield Quad(cited, Term.rdf_type, Term.kg_UnresolvedWork, graph)
            yield Quad(cited, Term.kg_surfaceNames, Literal(" and ".join(ref.surnames)), graph)
            yield Quad(cited, Term.dcterms_issued, Literal(ref.year + ref.suffix), graph)
        guess = guesses.get(ref.start)
        stance = stances.get(ref.bibkey) if ref.bibkey else (guess.stance if guess else None)
        yield from _citation_quads(
            citation, citing_node, cited, stance, suggested.get(ref.bibkey or ""), graph
        )
        if guess is not None and guess.stance is stance:
            yield Quad(citation, Term.kg_stanceConfidence, _lit(float(guess.confidence)), graph)
            if guess.cue:
                yield Quad(citation, Term.kg_stanceCue, Literal(guess.cue), graph)
        yield Quad(citation, Term.kg_mentionText, Literal(mention.surface), graph)
        if ref.locator:
            yield Quad(citation, Term.kg_locator, Literal(ref.locator), graph)
        if ref.bibkey:
            yield Quad(citation, Term.kg_resolutionConfidence, _lit(float(ref.confidence)), graph)
        else:
            yield Quad(citation, Term.kg_unresolved, _lit(True), graph)
        if ref.secondary_source is not None:
            yield Quad(citation, Term.kg_citedVia, nodes[ref.secondary_source], graph)


def _citation_quads(
    citation: NamedNode,
    citing_node: NamedNode,
    cited: NamedNode,
    stance: Stance | None,
    suggested: Stance | None,
    graph: NamedNode,
) -> Iterator[Quad]:
    yield Quad(citation, Term.rdf_type, Term.cito_Citation, graph)
    yield Quad(citation, Term.cito_hasCitingEntity, citing_node, graph)
    yield Quad(citation, Term.cito_hasCitedEntity, cited, graph)
    characterisation = f"{CITO._NS}{stance or 'cites'}"
    yield Quad(citation, Term.cito_hasCitationCharacterization, _n(characterisation), graph)
    if suggested:
        suggestion = _n(f"{CITO._NS}{suggested}")
        yield Quad(citation, Term.kg_suggestedCharacterization, suggestion, graph)


def serialize_trig(quads: Iterable[Quad]) -> bytes:
    """The quads as TriG, sorted, with kg's prefixes: the same quads give the same bytes.

    Quads are grouped by graph (graphs in IRI order) and sorted within a graph by their
    N-Quads text, that is by subject, predicate and object. The document is the prefix lines
    followed by each graph's ``serialize_graph`` block, so blocks kept from an earlier build
    join into the same bytes (``join_trig``).
    """
    groups: dict[str, dict[Quad, None]] = {}
    for quad in quads:
        groups.setdefault(str(quad.graph_name), {})[quad] = None
    return join_trig({graph: serialize_graph(group) for graph, group in groups.items()})


def serialize_graph(quads: Iterable[Quad]) -> bytes:
    """One graph's quads, each once (as the graph functions give them), as a TriG block,
    sorted, without the prefix lines."""
    ordered = sorted(quads, key=str)
    block: bytes = serialize(ordered, format=RdfFormat.TRIG, prefixes=PREFIXES)  # type: ignore[assignment]
    header = _trig_header()
    if not block.startswith(header):
        raise AssertionError("pyoxigraph wrote TriG without kg's prefix lines first")
    return block[len(header) :]


def join_trig(blocks: Mapping[str, bytes]) -> bytes:
    """A TriG document from ``serialize_graph`` blocks keyed by their graph's ``str``
    (``<iri>``), in graph order, after the prefix lines."""
    return b"".join(trig_parts(blocks))


def trig_parts(blocks: Mapping[str, bytes]) -> Iterator[bytes]:
    """:func:`join_trig`'s document in parts, to be written one after the other."""
    yield _trig_header()
    for graph in sorted(blocks):
        yield blocks[graph]


@lru_cache(maxsize=1)
def _trig_header() -> bytes:
    """The prefix lines pyoxigraph writes before any graph (it writes none for no quads)."""
    probe = NamedNode("urn:kg:probe")
    document: bytes = serialize(
        [Quad(probe, probe, probe, probe)], format=RdfFormat.TRIG, prefixes=PREFIXES
    )  # type: ignore[assignment]
    return document[: document.index(b"<urn:kg:probe>")]
