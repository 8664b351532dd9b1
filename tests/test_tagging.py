"""Tests for ``kg.load.tagging`` and its scoring (``kg.checks.tagging``): themes from all the
scheme says and the claim's context, learning from curated claims, and the figures on the
seed's gold and the development gold (``benchmarks/gold``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.checks.tagging import score_theme_gold
from kg.cli import main
from kg.load.citations import find_citations
from kg.load.claims import extract_claims
from kg.load.tagging import TagMethod, TagSettings, ThemeTagger, content_stems
from kg.load.themes import Theme, load_themes

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold"
SEED = ROOT.parent / "shared" / "seed"


@pytest.fixture(scope="module")
def dogs() -> tuple[Theme, ...]:
    return load_themes(GOLD / "range2015" / "themes.ttl").themes


def test_word_forms_are_one_stem_and_function_words_go():
    assert content_stems("Peer mentors' identities were transformed") == [
        "peer", "mentor", "ident", "transform",
    ]  # fmt: skip
    assert content_stems("mentoring, mentored; self-esteem") == [
        "mentor",
        "mentor",
        "self",
        "esteem",
    ]


def test_plurals_in_lves_and_words_broken_at_a_line_end_are_one_stem():
    assert content_stems("wolves, a wolf; selves, the self") == ["wolf", "wolf", "self", "self"]
    seed = (ROOT / "bib" / "nixon2020-excerpt.txt").read_text(encoding="utf-8")
    broken = seed[seed.index("attachment to legit") :][:40]
    assert "legit-\n" in broken
    assert "legitim" in content_stems(broken) and "imat" not in content_stems(broken)


def test_a_label_in_the_sentence_is_a_label_match(dogs):
    (tag, *_) = ThemeTagger(dogs).tag("Free-roaming dogs scavenge at rubbish dumps.")
    assert (tag.theme, tag.method) == ("free-ranging-dogs", TagMethod.LABEL)


def test_the_definition_tags_a_sentence_that_uses_no_label(dogs):
    tags = ThemeTagger(dogs).tag("Wolves depend on each other to raise their young.")
    assert tags[0].theme == "wolves"
    assert tags[0].method is TagMethod.SCHEME
    assert 0 < tags[0].score <= 1 and "wolf" in tags[0].words


def test_context_and_heading_weigh_in_but_less_than_the_sentence(dogs):
    tagger = ThemeTagger(dogs)
    sentence = "Such differences were reported earlier."
    assert tagger.tag(sentence) == ()
    with_heading = tagger.tag(sentence, heading="Aggression and fear of humans")
    assert [t.theme for t in with_heading] == ["fear-emotional-reactivity"]
    sentence = "Pups learn by watching their parents hunt."
    alone = dict((i, score) for i, score, *_ in tagger.score(sentence))
    near = dict(
        (i, score) for i, score, *_ in tagger.score(sentence, "Imitation of a demonstrator.")
    )
    learning = [t.ident for t in dogs].index("social-learning")
    assert alone.get(learning, 0.0) < near[learning]


def test_the_threshold_keeps_only_strong_tags(dogs):
    sentence = "Wolves hunt together."
    assert ThemeTagger(dogs).tag(sentence)
    assert ThemeTagger(dogs, settings=TagSettings(threshold=0.99)).tag(sentence) == ()


def test_curated_examples_teach_the_tagger_words_the_scheme_lacks(dogs):
    sentence = "Tamarins avoid food after a display of disgust by a conspecific."
    before = [t.theme for t in ThemeTagger(dogs).tag(sentence)]
    taught = ThemeTagger(
        dogs,
        examples=[("Marmosets and tamarins share food with a partner.", ("primate-comparison",))],
    ).tag(sentence)
    assert "primate-comparison" not in before
    assert taught[0].theme == "primate-comparison"
    assert taught[0].method is TagMethod.EXAMPLES


def test_claims_of_a_real_article_carry_their_scores_and_methods(dogs):
    text = (GOLD / "range2015" / "text.txt").read_text(encoding="utf-8")
    claims = extract_claims(text, find_citations(text), dogs, source="text.txt", citing="x")
    tagged = [c for c in claims if c.tags]
    assert len(tagged) >= 0.9 * len(claims)
    assert all(c.themes == tuple(t.theme for t in c.tags) for c in claims)
    assert {t.method for c in claims for t in c.tags} >= {TagMethod.LABEL, TagMethod.SCHEME}
    assert all(0 <= c.confidence <= 1 for c in claims)


@pytest.mark.parametrize("name", ["range2015", "teickner2020"])
def test_scheme_alone_reaches_the_targets_on_the_development_gold(name):
    scores = score_theme_gold(GOLD / name / "gold.json")
    assert scores.sentences >= 40
    assert scores.themes.f1 >= 0.70
    assert scores.stance.accuracy >= 0.70
    assert (scores.stance.recall("disputes") or 0) >= 0.67


@pytest.mark.parametrize("name", ["range2015", "teickner2020"])
def test_curating_a_tenth_lifts_the_rest(name):
    scores = score_theme_gold(GOLD / name / "gold.json", curated=0.1)
    assert scores.curated >= 4 and scores.unlearnt is not None
    assert scores.themes.f1 > scores.unlearnt.f1


def test_an_example_teaches_by_likeness_and_leaves_the_scheme_profiles_alone(dogs):
    example = ("Wolves and dogs were tested on the string-pulling task with a partner.",
               ("wolves", "cooperation"))  # fmt: skip
    plain, taught = ThemeTagger(dogs), ThemeTagger(dogs, examples=[example])
    assert [set(p) for p in taught.profiles] == [set(p) for p in plain.profiles]
    near = "Pairs of wolves pulled the string together with a partner."
    wolves = [t.ident for t in dogs].index("wolves")
    assert (
        dict((i, s) for i, s, _ in taught.score(near))[wolves]
        > dict((i, s) for i, s, _ in plain.score(near))[wolves]
    )


@pytest.mark.skipif(not (SEED / "themes.gold.json").is_file(), reason="needs ../shared/seed")
def test_curating_a_tenth_of_the_seed_does_not_lower_the_rest():
    scores = score_theme_gold(
        SEED / "themes.gold.json", themes=ROOT / "ontology" / "themes.ttl",
        bibliographies=[SEED / "references.bib"], curated=0.1,
    )  # fmt: skip
    assert scores.curated == 2 and scores.unlearnt is not None
    assert scores.themes.f1 >= scores.unlearnt.f1


@pytest.mark.skipif(not (SEED / "themes.gold.json").is_file(), reason="needs ../shared/seed")
def test_the_seed_gold_maps_by_label_and_scores():
    scores = score_theme_gold(
        SEED / "themes.gold.json", themes=ROOT / "ontology" / "themes.ttl",
        bibliographies=[SEED / "references.bib"],
    )  # fmt: skip
    assert scores.sentences == 16
    assert scores.unmapped == (
        "criminal justice policy", "social exclusion", "support from criminal justice staff",
    )  # fmt: skip
    assert scores.themes.recall >= 0.85
    assert scores.stance.total == 25


def test_kg_evaluate_themes_prints_the_figures(tmp_path):
    result = CliRunner().invoke(
        main, ["evaluate", "--themes-gold", str(GOLD / "range2015" / "gold.json"),
               "--curated", "0", "--curated", "0.1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| gold | sentences | curated | theme P / R / F1 |")
    assert [line.split(" | ")[0] for line in lines[2:]] == ["| range2015", "| range2015"]


@pytest.mark.parametrize("name", ["range2015", "teickner2020"])
def test_a_text_stemmed_once_gives_each_sentence_the_stems_it_has_alone(name):
    from kg.load.citations import find_citations, sentence_span
    from kg.load.tagging import FUNCTION_WORDS, StemmedText

    text = (GOLD / name / "text.txt").read_text(encoding="utf-8")
    stemmed = StemmedText(text)
    mentions = find_citations(text)
    spans = {sentence_span(text, m.start, m.end) for m in mentions}
    assert len(spans) > 40
    for start, end in sorted(spans):
        chars = list(text[start:end])
        skip = [(m.start, m.end) for m in mentions if start <= m.start < end]
        for a, b in skip:
            chars[a - start : b - start] = " " * (min(b, end) - a)
        alone = content_stems("".join(chars)[: end - start], FUNCTION_WORDS)
        sentence, context = stemmed.sentence_and_context(start, end, skip, 160)
        assert sentence == alone, text[start:end]
        assert set(context) <= set(content_stems(text[max(0, start - 170) : end + 220]))
