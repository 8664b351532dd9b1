"""Tests for ``kg.load.themes``: tagging sentences with the labels of a SKOS concept scheme."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.load.themes import Theme, load_themes, normalise_text, stem_words, tag_themes

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scheme() -> tuple[Theme, ...]:
    return load_themes(ROOT / "ontology" / "themes.ttl").themes


def theme(ident: str, label: str, *alt_labels: str) -> Theme:
    return Theme(f"https://example.org/{ident}", ident, label, "", alt_labels)


def test_labels_tag_the_bundled_scheme(scheme):
    assert tag_themes("Peer work acts as a hook for change", scheme) == (
        "hook-for-change",
        "peer-mentoring",
    )
    assert tag_themes("Role models gave hope to the mentees", scheme) == (
        "hope",
        "peer-mentoring",
        "role-models",
    )


def test_themes_come_in_scheme_order_whatever_the_order_in_the_text():
    themes = (theme("b-first", "peer support"), theme("a-second", "turning point"))
    assert tag_themes("A turning point, then peer support.", themes) == ("b-first", "a-second")


def test_a_label_matches_whole_words_in_a_row():
    themes = (theme("peer-work", "peer work"), theme("peer-support", "peer support"))
    assert tag_themes("peer working and peer supports", themes) == ("peer-work", "peer-support")
    assert tag_themes("a peer, working", themes) == ("peer-work",)
    assert tag_themes("support of peer groups", themes) == ()
    assert tag_themes("peerwork by peer workers", themes) == ()


def test_labels_sharing_words_and_themes_sharing_labels_are_all_found():
    themes = (
        theme("one", "social capital", "capital"),
        theme("two", "social bond"),
        theme("three", "capital"),
    )
    assert tag_themes("their social bond and social capital", themes) == ("one", "two", "three")
    assert tag_themes("social capital", themes[1:]) == ("three",)


def test_hyphenated_line_breaks_are_joined_before_tagging():
    themes = (theme("recovery", "substance use"), theme("offending", "ex-offender"))
    assert tag_themes("sub-\nstance use by ex-\noffenders", themes) == ("recovery", "offending")


def test_a_list_and_a_tuple_of_the_same_themes_tag_alike():
    themes = (theme("hope", "hope"), theme("trust", "mutual trust"))
    other = (theme("trust", "trust"),)
    for _ in range(2):
        assert tag_themes("hope and mutual trust", list(themes)) == ("hope", "trust")
        assert tag_themes("hope and mutual trust", themes) == ("hope", "trust")
        assert tag_themes("hope and mutual trust", other) == ("trust",)


WORDS = st.sampled_from(["peer", "peers", "work", "working", "support", "hope", "role", "models"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=12), st.lists(st.lists(WORDS, min_size=1, max_size=3), max_size=6))
def test_a_theme_is_tagged_when_its_stemmed_label_is_a_run_of_the_texts_words(words, labels):
    themes = tuple(theme(f"t{i}", " ".join(label)) for i, label in enumerate(labels))
    stems = stem_words(normalise_text(" ".join(words)))
    expected = tuple(
        f"t{i}"
        for i, label in enumerate(labels)
        if any(
            stems[at : at + len(label)] == stem_words(" ".join(label)) for at in range(len(stems))
        )
    )
    assert tag_themes(" ".join(words), themes) == expected
