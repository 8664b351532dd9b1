"""Tests for ``kg.checks.evaluate``: the figures on the seed gold and on GROBID's callouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.checks.evaluate import score_gold_file, score_spans, score_tei_corpus, tei_to_text
from kg.cli import main

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seed"
GROBID = SHARED / "corpora" / "grobid-callouts"

needs_seed = pytest.mark.skipif(
    not (SEED / "citations.gold.json").exists(), reason=f"{SEED} is absent (../shared)"
)
needs_grobid = pytest.mark.skipif(not GROBID.is_dir(), reason=f"{GROBID} is absent (../shared)")


@needs_seed
def test_seed_every_mention_and_key_right():
    scores = score_gold_file(
        SEED / "citations.gold.json", SEED / "nixon2020-excerpt.txt", [SEED / "references.bib"]
    )
    for rate in (scores.exact, scores.overlap):
        assert (rate.precision, rate.recall, rate.f1) == (1.0, 1.0, 1.0)
    assert (scores.keys_right, scores.keys_total, scores.key_accuracy) == (25, 25, 1.0)
    assert scores.missed == scores.spurious == ()


# Floors a little below the measured figures (README), so that a regression fails.
@needs_grobid
@pytest.mark.parametrize(
    ("prose_only", "exact_p", "exact_r", "overlap_p", "overlap_r"),
    [(False, 0.80, 0.88, 0.89, 0.98), (True, 0.84, 0.88, 0.93, 0.98)],
)
def test_grobid_callouts(prose_only, exact_p, exact_r, overlap_p, overlap_r):
    scores = score_tei_corpus(GROBID, prose_only=prose_only)
    assert scores.documents == 91
    assert scores.overlap.gold == (643 if prose_only else 649)
    assert scores.exact.precision >= exact_p
    assert scores.exact.recall >= exact_r
    assert scores.overlap.precision >= overlap_p
    assert scores.overlap.recall >= overlap_r
    assert scores.key_accuracy is None


def test_tei_to_text_keeps_line_breaks_and_author_date_callouts(tmp_path):
    tei = tmp_path / "a.training.fulltext.tei.xml"
    tei.write_text(
        '<tei><text><p>As shown <ref type="biblio">(Hueso<lb/> et al. 2010)</ref> and'
        ' <ref type="biblio">[12]</ref>.<lb/></p><figure>Table <ref type="biblio">'
        "Smith 2001</ref></figure></text></tei>",
        encoding="utf-8",
    )
    parsed = tei_to_text(tei)
    assert parsed.text == "As shown (Hueso\n et al. 2010) and [12].\nTable Smith 2001"
    assert [parsed.text[a:b] for a, b in parsed.callouts] == [
        "(Hueso\n et al. 2010)",
        "Smith 2001",
    ]
    assert [parsed.text[a:b] for a, b in parsed.numeric] == ["[12]"]
    assert [parsed.text[a:b] for a, b in parsed.figures] == ["Table Smith 2001"]
    scores = score_tei_corpus(tmp_path)
    assert (scores.overlap.gold, scores.overlap.found_gold, scores.overlap.right) == (2, 1, 1)
    prose = score_tei_corpus(tmp_path, prose_only=True)
    assert (prose.overlap.gold, prose.overlap.recall) == (1, 1.0)


def test_overlap_counts_each_side_once():
    gold = [(0, 10), (12, 20), (30, 40)]
    found = [(0, 20), (50, 60), (70, 80)]
    exact, overlap, missed, spurious = score_spans(gold, found, ignore=[(68, 90)])
    assert (exact.right, exact.found_gold) == (0, 0)
    assert (overlap.right, overlap.found, overlap.found_gold, overlap.gold) == (1, 2, 2, 3)
    assert (missed, spurious) == ([2], [1])


@needs_seed
def test_cli_evaluate_prints_the_table():
    result = CliRunner().invoke(main, ["evaluate", "seed"])
    assert result.exit_code == 0, result.output
    assert "exact spans    19  19      1.000   1.000  1.000" in result.stdout
    assert "resolved keys: 25/25 right (accuracy 1.000)" in result.stdout


def test_cli_evaluate_gold_needs_text_and_bib(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text("{}")
    result = CliRunner().invoke(main, ["evaluate", "--gold", str(gold)])
    assert result.exit_code == 2
    assert "--gold needs --text and --bib" in result.output
