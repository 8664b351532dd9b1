"""The Turtle files in ontology/: the review's SKOS themes and kg's own terms."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS

from kg.namespaces import BIBO, CITO, KG

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
THEME = "https://w3id.org/kg/themes/desistance/"
SCHEME = URIRef(THEME + "scheme")
ONTOLOGY_IRI = URIRef("https://w3id.org/kg/ontology")

REQUIRED_THEMES = {
    "peer-mentoring", "desistance", "identity-transformation", "hook-for-change", "role-models",
    "hope", "giving-back", "liminality", "reciprocal-benefits", "employment-barriers",
    "coercion", "trust-social-capital", "purpose-empowerment", "recovery", "authenticity",
    "internalised-failure", "strengths-based",
}  # fmt: skip

KG_TERMS = {KG._NS[name] for name in KG.__annotations__}
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}


@pytest.fixture(scope="module")
def themes() -> Graph:
    return Graph().parse(ONTOLOGY / "themes.ttl")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "kg.ttl")


@pytest.fixture(scope="module")
def concepts(themes: Graph) -> set[URIRef]:
    return {c for c in themes.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}


def english(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return [
        str(value)
        for value in graph.objects(subject, predicate)
        if isinstance(value, Literal) and value.language == "en"
    ]


def test_scheme_is_described(themes: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in themes
    assert english(themes, SCHEME, DCTERMS.title)
    assert english(themes, SCHEME, SKOS.definition) or english(themes, SCHEME, DCTERMS.description)


def test_every_concept_is_complete(themes: Graph, concepts: set[URIRef]) -> None:
    for concept in concepts:
        assert str(concept).startswith(THEME), concept
        assert (concept, SKOS.inScheme, SCHEME) in themes, concept
        assert len(english(themes, concept, SKOS.prefLabel)) == 1, concept
        assert len(list(themes.objects(concept, SKOS.prefLabel))) == 1, concept
        assert english(themes, concept, SKOS.definition), concept
        assert len(english(themes, concept, SKOS.altLabel)) >= 2, concept


def test_concept_ids_are_kebab_case(concepts: set[URIRef]) -> None:
    for concept in concepts:
        local = str(concept).removeprefix(THEME)
        assert local == local.lower(), concept
        assert all(part.isalpha() for part in local.split("-")), concept


def test_required_themes_exist(concepts: set[URIRef]) -> None:
    assert len(concepts) >= 15
    ids = {str(concept).removeprefix(THEME) for concept in concepts}
    assert ids >= REQUIRED_THEMES, REQUIRED_THEMES - ids


def test_hook_for_change_is_tagged_by_both_numbers(themes: Graph) -> None:
    labels = set(english(themes, URIRef(THEME + "hook-for-change"), SKOS.altLabel))
    assert {"hook for change", "hooks for change"} <= labels


def test_no_label_is_shared_between_concepts(themes: Graph, concepts: set[URIRef]) -> None:
    owners: Counter[str] = Counter()
    for concept in concepts:
        labels = english(themes, concept, SKOS.prefLabel) + english(themes, concept, SKOS.altLabel)
        owners.update({label.casefold() for label in labels})
    shared = sorted(label for label, count in owners.items() if count > 1)
    assert not shared, shared


def test_alt_labels_are_distinct_within_a_concept(themes: Graph, concepts: set[URIRef]) -> None:
    for concept in concepts:
        labels = [label.casefold() for label in english(themes, concept, SKOS.altLabel)]
        assert len(labels) == len(set(labels)), concept


def test_hierarchy_stays_in_the_scheme(themes: Graph, concepts: set[URIRef]) -> None:
    for predicate in (SKOS.broader, SKOS.narrower, SKOS.related):
        for source, target in themes.subject_objects(predicate):
            assert source in concepts and target in concepts, (source, predicate, target)
    tops = set(themes.objects(SCHEME, SKOS.hasTopConcept))
    assert tops
    assert tops == set(themes.subjects(SKOS.topConceptOf, SCHEME))
    assert tops <= concepts
    for top in tops:
        assert not list(themes.objects(top, SKOS.broader)), top


def test_every_concept_reaches_a_top_concept(themes: Graph, concepts: set[URIRef]) -> None:
    tops = set(themes.objects(SCHEME, SKOS.hasTopConcept))
    for concept in concepts:
        ancestors = set(themes.transitive_objects(concept, SKOS.broader))
        assert ancestors & tops, concept


def test_related_concepts_are_not_in_one_line(themes: Graph) -> None:
    for source, target in themes.subject_objects(SKOS.related):
        assert target not in set(themes.transitive_objects(source, SKOS.broader))
        assert source not in set(themes.transitive_objects(target, SKOS.broader))


def test_ontology_is_described(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, predicate) is not None, predicate


@pytest.mark.parametrize("term", sorted(KG_TERMS), ids=lambda term: term.fragment)
def test_every_kg_term_is_declared(ontology: Graph, term: URIRef) -> None:
    types = set(ontology.objects(term, RDF.type))
    assert types & DECLARATION_TYPES, term
    assert english(ontology, term, RDFS.label), term
    assert english(ontology, term, RDFS.comment), term
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_ontology_declares_only_kg_terms(ontology: Graph) -> None:
    declared = {
        subject
        for subject in ontology.subjects()
        if isinstance(subject, URIRef) and str(subject).startswith(str(KG._NS))
    }
    assert declared == KG_TERMS, declared ^ KG_TERMS


def test_terms_are_aligned_with_standard_vocabularies(ontology: Graph) -> None:
    assert (KG.Claim, RDFS.subClassOf, PROV.Entity) in ontology
    assert (KG.UnresolvedWork, RDFS.subClassOf, BIBO.Document) in ontology
    assert (KG.Review, RDFS.subClassOf, PROV.Collection) in ontology
    assert (KG.hasCitation, RDFS.range, CITO.Citation) in ontology
    assert (KG.citedVia, RDFS.domain, CITO.Citation) in ontology
    assert (KG.citedVia, RDFS.range, CITO.Citation) in ontology


def test_suggestion_is_kept_apart_from_curated_characterization(ontology: Graph) -> None:
    curated = CITO.hasCitationCharacterization
    assert curated not in set(
        ontology.transitive_objects(KG.suggestedCharacterization, RDFS.subPropertyOf)
    )


def test_claim_origin_is_a_closed_set(ontology: Graph) -> None:
    datatype = ontology.value(KG.claimOrigin, RDFS.range)
    assert isinstance(datatype, BNode)
    members = ontology.collection(ontology.value(datatype, OWL.oneOf))
    assert {str(member) for member in members} == {"extracted", "curated"}
