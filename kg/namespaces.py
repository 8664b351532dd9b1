"""The vocabularies kg writes, as closed namespaces that refuse misspelt terms.

rdflib ships DCTERMS, FOAF, SKOS, PROV, RDF, RDFS, OWL and XSD; BIBO, CiTO and the W3C
Web Annotation vocabulary are declared here with just the terms kg uses, and ``KG`` holds
the few project terms, each declared in ``ontology/kg.ttl``.
"""

from __future__ import annotations

from rdflib.namespace import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.term import URIRef

from kg.prefixes import PREFIXES

__all__ = [
    "BIBO",
    "CITO",
    "DCTERMS",
    "FOAF",
    "KG",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
]


class BIBO(DefinedNamespace):
    """The Bibliographic Ontology (http://purl.org/ontology/bibo/)."""

    _fail = True
    _NS = Namespace("http://purl.org/ontology/bibo/")

    AcademicArticle: URIRef
    Article: URIRef
    Book: URIRef
    Chapter: URIRef
    Document: URIRef
    Journal: URIRef
    Manuscript: URIRef
    Proceedings: URIRef
    Report: URIRef
    Thesis: URIRef
    Webpage: URIRef
    authorList: URIRef
    editor: URIRef
    editorList: URIRef
    doi: URIRef
    isbn: URIRef
    issn: URIRef
    issue: URIRef
    pageEnd: URIRef
    pageStart: URIRef
    pages: URIRef
    uri: URIRef
    volume: URIRef
    degree: URIRef


class CITO(DefinedNamespace):
    """The Citation Typing Ontology (http://purl.org/spar/cito/)."""

    _fail = True
    _NS = Namespace("http://purl.org/spar/cito/")

    Citation: URIRef
    cites: URIRef
    citesAsEvidence: URIRef
    citesAsAuthority: URIRef
    critiques: URIRef
    disputes: URIRef
    supports: URIRef
    obtainsSupportFrom: URIRef
    hasCitingEntity: URIRef
    hasCitedEntity: URIRef
    hasCitationCharacterization: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (http://www.w3.org/ns/oa#)."""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    Annotation: URIRef
    FragmentSelector: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasBody: URIRef
    hasSelector: URIRef
    hasSource: URIRef
    hasTarget: URIRef
    exact: URIRef
    prefix: URIRef
    suffix: URIRef
    start: URIRef
    end: URIRef
    refinedBy: URIRef
    describing: URIRef
    tagging: URIRef
    motivatedBy: URIRef


class KG(DefinedNamespace):
    """kg's own terms, only where no standard one fits (declared in ontology/kg.ttl)."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg/ontology#")

    Claim: URIRef
    Curated: URIRef
    CuratedExamples: URIRef
    LabelMatch: URIRef
    Review: URIRef
    SchemeSimilarity: URIRef
    TagMethod: URIRef
    bibKey: URIRef
    claimOrigin: URIRef
    claimText: URIRef
    hasCitation: URIRef
    locator: URIRef
    citedVia: URIRef
    mentionText: URIRef
    resolutionConfidence: URIRef
    surfaceNames: URIRef
    stanceConfidence: URIRef
    stanceCue: URIRef
    suggestedCharacterization: URIRef
    tagMethod: URIRef
    tagScore: URIRef
    unresolved: URIRef
    UnresolvedWork: URIRef
    incomplete: URIRef
    referenceString: URIRef
    parsedFrom: URIRef
