"""Tests for ``kg.load.claims``: cue-phrase stance suggestions, curation, and the draft claims
file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.load.bib import parse_bibliography
from kg.load.citations import find_citations, resolve_citations
from kg.load.claims import (
    Origin,
    Stance,
    apply_curation,
    extract_claims,
    find_cue,
    load_curated,
    render_draft_claims,
    suggest_stance,
)
from kg.load.claims import _cue as cue

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "bib" / "nixon2020-excerpt.txt"
BIB = ROOT / "bib" / "references.bib"


@pytest.fixture(scope="module")
def seed() -> tuple[str, list, set[str]]:
    text = TEXT.read_text(encoding="utf-8")
    works = parse_bibliography([BIB]).works
    mentions, _ = resolve_citations(find_citations(text), works)
    return text, mentions, {w.key for w in works}


@pytest.mark.parametrize(
    ("sentence", "stance", "cue"),
    [
        ("Smith (2010) found that mentors gain.", Stance.CITES_AS_EVIDENCE, "found that"),
        ("In support of this, see (Smith, 2010).", Stance.SUPPORTS, "In support of"),
        ("Maruna (2001) argues that it is a process.", Stance.CITES, "argues"),
        ("However, Smith (2010) saw no effect.", Stance.DISPUTES, "However"),
        ("Smith (2010) offers a critique of peer work.", Stance.CRITIQUES, "critique"),
        ("Contrary to Smith (2010), it works.", Stance.CRITIQUES, "Contrary to"),
    ],
)
def test_cue_phrases(sentence, stance, cue):
    assert find_cue(sentence) == (stance, cue)
    assert suggest_stance(sentence) is stance


def test_no_cue_gives_no_suggestion():
    assert suggest_stance("Peer work is described (Smith, 2010).") is None


def test_cues_are_found_in_any_case():
    assert find_cue("SMITH (2010) SHOWED IT") == (Stance.CITES_AS_EVIDENCE, "SHOWED")
    assert find_cue("it is Questionable") == (Stance.CRITIQUES, "Questionable")


# Case-insensitive matching folds a few letters beyond ASCII onto the cue phrases' letters.
CUE_FRAGMENTS = st.sampled_from(
    [
        " ", ", ", "-", "x", "shows", "SHOW", "\u017fhows", "identified", "\u0130dentif",
        "\u0131dentify", "in support of", "In Support  of", "critique", "CRITIQUES", "however",
        "\u212a", "k", "s", "i", "\u0131", "\u0130", "\u017f", "e\u0301",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(CUE_FRAGMENTS, max_size=12).map("".join))
def test_a_cue_pattern_finds_what_its_phrases_find(sentence):
    phrases = ("shows?", r"identif\w*", "in support of", r"critiqu\w*", "however", "kin")
    plain = re.compile(rf"\b({'|'.join(phrases)})\b", re.IGNORECASE).search(sentence)
    found = cue(*phrases).search(sentence)
    assert (found and found.span(1)) == (plain and plain.span(1))


def test_suggestions_are_kept_apart_and_curation_wins(seed, tmp_path):
    text, mentions, keys = seed
    claims = extract_claims(text, mentions, (), source=TEXT.name, citing="nixon2020giving")
    argue = next(c for c in claims if "hucklesby2014assistance" in c.cited_keys)
    assert dict(argue.suggested) == {"hucklesby2014assistance": Stance.CITES}
    plain = next(c for c in claims if "giordano2002gender" in c.cited_keys and not c.suggested)
    assert dict(plain.stances)["giordano2002gender"] is Stance.CITES_AS_EVIDENCE
    curated = tmp_path / "claims.yaml"
    curated.write_text(
        "claims:\n  - text: nixon2020-excerpt.txt\n"
        '    quote: "Hucklesby and Wincup (2014: 1) argue"\n'
        "    stance: {hucklesby2014assistance: critiques}\n",
        encoding="utf-8",
    )
    applied = apply_curation(
        claims, load_curated(curated), text, source=TEXT.name, citing="nixon2020giving",
        themes=(), known_keys=keys,
    )  # fmt: skip
    decided = next(c for c in applied if "hucklesby2014assistance" in c.cited_keys)
    assert decided.origin is Origin.CURATED
    assert dict(decided.stances)["hucklesby2014assistance"] is Stance.CRITIQUES
    assert dict(decided.suggested) == {"hucklesby2014assistance": Stance.CITES}


def test_draft_claims_load_back_and_apply(seed, tmp_path):
    text, mentions, keys = seed
    claims = extract_claims(text, mentions, (), source=TEXT.name, citing="nixon2020giving")
    draft = tmp_path / "claims.yaml"
    draft.write_text(render_draft_claims(claims, source=TEXT.name), encoding="utf-8")
    loaded = load_curated(draft)
    assert len(loaded) == len(claims)
    assert [dict(entry.stance) for entry in loaded] == [dict(c.stances) for c in claims]
    applied = apply_curation(
        claims, loaded, text, source=TEXT.name, citing="nixon2020giving", themes=(),
        known_keys=keys,
    )  # fmt: skip
    assert [(c.start, c.end) for c in applied] == [(c.start, c.end) for c in claims]
    assert "# cue phrase 'argue' suggests cites" in draft.read_text(encoding="utf-8")


def test_draft_of_a_text_without_citations_loads(tmp_path):
    draft = tmp_path / "claims.yaml"
    draft.write_text(render_draft_claims([], source="empty.txt"), encoding="utf-8")
    assert load_curated(draft) == []


def test_extract_writes_draft_claims(tmp_path):
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(
        main, ["extract", str(TEXT), "--bib", str(BIB), "--claims", str(draft)]
    )
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(load_curated(draft))} draft claims to {draft}" in result.stderr
    assert "nixon2020giving is never cited in nixon2020-excerpt.txt" in result.stderr
