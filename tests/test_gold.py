"""The development gold (``benchmarks/gold/*/``), every folder of it: written as its README says
and still read whole by kg, so that ``kg evaluate themes`` scores every sentence of every gold.
A change to the citation finder or the sentence splitter that loses a gold sentence, or a new
gold that breaks the format, fails here rather than quietly lowering a figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.checks.evaluate import development_golds
from kg.checks.tagging import read_theme_gold, run_theme_evaluation
from kg.load.citations import citing_mentions
from kg.load.claims import extract_claims
from kg.load.themes import load_themes
from tests.conftest import ROOT

GOLD = ROOT / "benchmarks" / "gold"
FOLDERS = sorted(path.parent for path in GOLD.glob("*/gold.json"))
STANCES = {"supports", "discusses", "disputes"}
# Golds whose text is made from ../shared (no copy kept here) and cannot be made without it.
UNMADE = {path.parent for path in development_golds()[1]}


def _text_at_hand(folder: Path) -> None:
    if folder in UNMADE:
        pytest.skip(f"{folder.name}'s text.txt is made from ../shared, not beside this clone")


def test_there_are_golds_and_the_readme_names_each():
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    assert len(FOLDERS) >= 5
    assert [f.name for f in FOLDERS if f"`{f.name}/`" not in readme] == []


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_a_scheme_of_twelve_to_fourteen_themes_each_with_four_synonyms(folder: Path):
    scheme = load_themes(folder / "themes.ttl")
    assert not scheme.problems
    assert 12 <= len(scheme.themes) <= 14
    for theme in scheme.themes:
        assert theme.label and theme.definition, theme.ident
        assert len(theme.alt_labels) == 4, theme.ident


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: path.name)
def test_every_gold_sentence_is_a_claim_kg_finds_and_every_key_a_work_it_cites(folder: Path):
    _text_at_hand(folder)
    data = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    scheme = load_themes(folder / data["themes"])
    gold, text_path, unmapped = read_theme_gold(folder / "gold.json", scheme)
    assert unmapped == ()
    assert text_path == folder / "text.txt"
    text = text_path.read_text(encoding="utf-8")
    claims = extract_claims(text, citing_mentions(text), (), source="text.txt", citing="")
    for sentence in gold:
        assert 0 <= sentence.start < sentence.end <= len(text)
        assert not sentence.core & sentence.also
        claim = next((c for c in claims if c.start <= sentence.start < c.end), None)
        assert claim is not None, text[sentence.start : sentence.end]
        cited = {f"{r.surnames[0]} {r.year}{r.suffix}" for m in claim.mentions for r in m.refs}
        keys = {key for key, _ in sentence.stance}
        assert keys - {"*"} <= cited, text[sentence.start : sentence.end]
        assert {word for _, word in sentence.stance} <= STANCES | {"mentions"}
    starts = [s.start for s in gold]
    assert len(set(starts)) == len(starts)


def test_kg_evaluate_finds_every_gold_folder():
    scored = {s.name for s in run_theme_evaluation(curated=(0.0,))}
    assert {f.name for f in FOLDERS if f not in UNMADE} <= scored
