"""The plain prefix table agrees with the typed namespaces, and the namespaces are closed."""

from __future__ import annotations

import pytest
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.namespaces import BIBO, CITO, KG, OA
from kg.prefixes import PREFIXES


def test_prefixes_match_namespaces() -> None:
    expected = {
        "bibo": BIBO._NS, "cito": CITO._NS, "kg": KG._NS, "oa": OA._NS, "dcterms": DCTERMS,
        "foaf": FOAF, "owl": OWL, "prov": PROV, "rdf": RDF, "rdfs": RDFS, "skos": SKOS,
        "xsd": XSD,
    }  # fmt: skip
    assert {name: str(namespace) for name, namespace in expected.items()} == PREFIXES


def test_misspelt_terms_are_refused() -> None:
    with pytest.raises(AttributeError):
        _ = CITO.citesAsEvidance
    with pytest.raises(AttributeError):
        _ = KG.claimTxt
