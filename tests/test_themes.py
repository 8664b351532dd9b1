"""Tests for ``kg.load.themes``: reading a SKOS scheme, and what is wrong with a hand-written
one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.load.themes import load_themes, normalise_text

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold"

HEAD = """@prefix t: <https://example.org/t/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
t:scheme a skos:ConceptScheme .
"""


def test_the_bundled_scheme_reads_with_related_labels():
    scheme = load_themes(ROOT / "ontology" / "themes.ttl")
    themes = scheme.by_ident()
    assert scheme.problems == ()
    assert themes["authenticity"].related_labels == ("Role models and experts by experience",)
    assert "Authenticity" in themes["role-models"].related_labels
    assert "previous experience" in themes["authenticity"].alt_labels


@pytest.mark.parametrize("name", ["range2015", "teickner2020"])
def test_the_development_schemes_have_twelve_themes_with_four_synonyms(name):
    scheme = load_themes(GOLD / name / "themes.ttl")
    assert len(scheme.themes) == 12 and scheme.problems == ()
    assert all(len(t.alt_labels) == 4 and t.definition for t in scheme.themes)


def test_a_bad_scheme_gives_one_line_per_problem_and_keeps_what_is_good(tmp_path):
    path = tmp_path / "themes.ttl"
    path.write_text(
        HEAD
        + 't:hope a skos:Concept ;\n    skos:prefLabel "Hope" ;\n'
        + '    skos:definition "Optimism." .\n'
        + 't:nolabel a skos:Concept ;\n    skos:definition "A theme nobody named." .\n'
        + 't:hope2 a skos:Concept ;\n    skos:prefLabel "hope" .\n',
        encoding="utf-8",
    )
    scheme = load_themes(path)
    assert [t.ident for t in scheme.themes] == ["hope", "hope2"]
    assert [str(p) for p in scheme.problems] == [
        f"{path}:9: theme 'hope2' has no skos:definition: a one-line definition lets kg tag"
        " claims that do not use its label",
        f"{path}:9: theme 'hope2' has the same label as 'hope' ('hope'): rename one, or merge them",
        f"{path}:7: theme 'nolabel' has no skos:prefLabel: give it one (left out until then)",
    ]


def test_a_scheme_with_no_labelled_theme_is_an_error(tmp_path):
    path = tmp_path / "themes.ttl"
    path.write_text(HEAD + "t:a a skos:Concept .\n", encoding="utf-8")
    with pytest.raises(InputError, match="no skos:Concept with a skos:prefLabel"):
        load_themes(path)


def test_hyphenated_line_breaks_are_joined_as_a_reader_would():
    assert normalise_text("sub-\nstance use by ex-\noffenders") == "substance use by ex-offenders"
