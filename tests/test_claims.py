"""Tests for ``kg.load.claims``: stance suggestions kept apart from decisions, curation (and
learning from it), and the draft claims file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.load.bib import parse_bibliography
from kg.load.citations import find_citations, resolve_citations
from kg.load.claims import (
    Origin,
    Stance,
    apply_curation,
    extract_claims,
    load_curated,
    render_draft_claims,
)
from kg.load.tagging import TagMethod
from kg.load.themes import load_themes

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "bib" / "nixon2020-excerpt.txt"
BIB = ROOT / "bib" / "references.bib"


@pytest.fixture(scope="module")
def seed() -> tuple[str, list, set[str]]:
    text = TEXT.read_text(encoding="utf-8")
    works = parse_bibliography([BIB]).works
    mentions, _ = resolve_citations(find_citations(text), works)
    return text, mentions, {w.key for w in works}


def test_suggestions_are_kept_apart_and_curation_wins(seed, tmp_path):
    text, mentions, keys = seed
    claims = extract_claims(text, mentions, (), source=TEXT.name, citing="nixon2020giving")
    argue = next(c for c in claims if "hucklesby2014assistance" in c.cited_keys)
    # kg reads the critics' words as theirs: they take the critical side (the seed gold's reading)
    assert dict(argue.suggested) == {"hucklesby2014assistance": Stance.CRITIQUES}
    plain = next(c for c in claims if "giordano2002gender" in c.cited_keys and not c.suggested)
    assert dict(plain.stances)["giordano2002gender"] is Stance.CITES_AS_EVIDENCE
    curated = tmp_path / "claims.yaml"
    curated.write_text(
        "claims:\n  - text: nixon2020-excerpt.txt\n"
        '    quote: "Hucklesby and Wincup (2014: 1) argue"\n'
        "    stance: {hucklesby2014assistance: supports}\n",  # CiTO's reading: the author agrees
        encoding="utf-8",
    )
    applied = apply_curation(
        claims, load_curated(curated), text, source=TEXT.name, citing="nixon2020giving",
        themes=(), known_keys=keys,
    )  # fmt: skip
    decided = next(c for c in applied if "hucklesby2014assistance" in c.cited_keys)
    assert decided.origin is Origin.CURATED
    assert dict(decided.stances)["hucklesby2014assistance"] is Stance.SUPPORTS
    assert dict(decided.suggested) == {"hucklesby2014assistance": Stance.CRITIQUES}


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
    assert "# cue phrase 'argue that' suggests critiques" in draft.read_text(encoding="utf-8")


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


def test_a_curated_entry_that_matches_nothing_or_twice_is_one_line_and_the_build_goes_on(
    tmp_path,
):
    from kg.build.pipeline import build_review

    from .conftest import write_config

    curated = tmp_path / "claims.yaml"
    curated.write_text(
        "claims:\n"
        "  - text: nixon2020-excerpt.txt\n"
        '    quote: "words the excerpt never says"\n'
        "    stance: {maruna2001making: cites}\n"
        "  - text: nixon2020-excerpt.txt\n"
        '    quote: "peer mentoring"\n'
        "    themes: [hope]\n"
        "  - text: nixon2020-excerpt.txt\n"
        '    quote: "Hucklesby and Wincup (2014: 1) argue"\n'
        "    stance: {hucklesby2014assistance: critiques}\n",
        encoding="utf-8",
    )
    report = build_review(write_config(tmp_path, claims=f'"{curated}"'))
    # Each note as FILE:LINE: message with FILE as given, whatever the working folder.
    shown = [note.shown(Path("/")) for note in report.warnings]
    curated = curated.relative_to("/")
    assert any(
        f"{curated}:2: quote 'words the excerpt never says' is not in nixon2020-excerpt.txt;"
        " copy the words from the text" in line
        for line in shown
    ), shown
    assert any(f"{curated}:5: quote 'peer mentoring' is in nixon2020-excerpt.txt" in line
               for line in shown), shown  # fmt: skip
    assert report.counts["claims"] >= 15


def test_curated_themes_teach_the_rest_of_the_text(seed, tmp_path):
    text, mentions, keys = seed
    scheme = load_themes(ROOT / "ontology" / "themes.ttl")
    claims = extract_claims(text, mentions, scheme.themes, source=TEXT.name, citing="n")
    curated = tmp_path / "claims.yaml"
    curated.write_text(
        "claims:\n  - text: nixon2020-excerpt.txt\n"
        '    quote: "This article draws upon findings from a wider PhD study"\n'
        "    themes: [desistance, identity-transformation, peer-mentoring]\n"
        "  - text: nixon2020-excerpt.txt\n"
        '    quote: "Peer mentoring developed a sense of"\n'
        "    themes: [hope, identity-transformation]\n",
        encoding="utf-8",
    )
    applied = apply_curation(
        claims, load_curated(curated), text, source=TEXT.name, citing="n",
        themes=scheme.themes, known_keys=keys,
    )  # fmt: skip
    before = {(c.start, c.end): c for c in claims}
    extracted = [c for c in applied if c.origin is Origin.EXTRACTED]
    # kg tagged the second "reintegration" too; the researcher left it out, so the rest of
    # the text keeps it less often
    dropped = {t for c in extracted for t in set(before[c.start, c.end].themes) - set(c.themes)}
    assert "reintegration" in dropped
    assert all(c.themes == tuple(t.theme for t in c.tags) for c in extracted)
    confirmed = [c for c in applied if c.origin is Origin.CURATED]
    assert [(t.theme, t.score, t.method) for t in confirmed[1].tags] == [
        ("hope", 1.0, TagMethod.CURATED), ("identity-transformation", 1.0, TagMethod.CURATED),
    ]  # fmt: skip


def test_kg_suggest_lists_the_least_sure_first_and_accept_appends_them(tmp_path):
    from .conftest import write_config

    curated = tmp_path / "claims.yaml"
    curated.write_text("# my notes stay\nclaims: []\n", encoding="utf-8")
    config = write_config(tmp_path, claims=f'"{curated}"')
    result = CliRunner().invoke(main, ["suggest", "-c", str(config), "-n", "2", "--accept"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    sure = [float(line.rsplit(" ", 1)[1]) for line in lines]
    assert len(sure) == 2 and sure == sorted(sure)
    written = curated.read_text(encoding="utf-8")
    assert written.startswith("# my notes stay\nclaims:\n  - text: ")
    assert len(load_curated(curated)) == 2
    assert f"Appended 2 claims to {curated}" in result.stderr


def test_a_running_header_is_no_heading_of_the_sentences_under_it():
    from kg.load.claims import _Reading, tagger_for

    gold = ROOT / "benchmarks" / "gold" / "range2015"
    text = (gold / "text.txt").read_text(encoding="utf-8")
    assert text.count("Frontiers in Psychology\n") >= 3
    reading = _Reading(text, tagger_for(load_themes(gold / "themes.ttl").themes))
    assert "Frontiers in Psychology" not in reading.headings
    assert reading.heading(text.index("Dogs have proven successful")) == "INTRODUCTION"
    assert "KEY CONCEPT 4 | Canine Cooperation Hypothesis" in reading.headings
