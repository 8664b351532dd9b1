"""Tests for ``kg.load.qdpx``: coded text of a REFI-QDA project read as the tagger's examples.

The projects are made here, in the shape QualCoder (ccbogel/QualCoder, ``refi.py``) exports
a REFI-QDA 1.5 project: a zip holding ``project.qde`` (``<Project
xmlns="urn:QDA-XML:project:1.0">`` with ``<Users>``, ``<CodeBook><Codes><Code guid name
isCodable color>``, ``<Sources><TextSource guid name plainTextPath="internal://GUID.txt">``
and in it ``<PlainTextSelection guid startPosition endPosition name creatingUser
creationDateTime><Coding guid creatingUser><CodeRef targetGUID/></Coding>``) and each
source's text as ``Sources/GUID.txt``; positions are characters of that text, the end
exclusive. The coded source is a development gold text (``benchmarks/gold/range2015``, CC BY),
its codes a tenth of the gold sentences with their gold themes by label.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

import pytest

from kg.build.pipeline import build_review
from kg.checks.tagging import GoldSentence, read_theme_gold, score_tagging
from kg.errors import InputError
from kg.load.citations import find_citations
from kg.load.claims import CuratedClaim, apply_curation, extract_claims
from kg.load.qdpx import qda_examples, read_coded_segments
from kg.load.themes import ThemeScheme, load_themes, normalise_text

from .conftest import write_config

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold" / "range2015"
USER = "11111111-1111-4111-8111-111111111111"
STAMP = "2026-12-07T10:00:00Z"


def make_qdpx(path: Path, text: str, selections: list[tuple[int, int, list[str]]]) -> Path:
    """A REFI-QDA project as QualCoder exports one: one text source, ``selections`` of it
    (start, end, code names), each code once in the codebook."""
    names = sorted({code for _, _, codes in selections for code in codes})
    guid = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"code:{name}")) for name in names}
    source = str(uuid.uuid5(uuid.NAMESPACE_URL, "source:text"))
    codes = "".join(
        f'<Code guid="{guid[n]}" name={quoteattr(n)} isCodable="true" color="#EDA100"></Code>\n'
        for n in names
    )
    coded = "".join(
        f'<PlainTextSelection guid="{uuid.uuid5(uuid.NAMESPACE_URL, f"sel:{start}")}" '
        f'startPosition="{start}" endPosition="{end}" name={quoteattr(text[start:end][:60])} '
        f'creatingUser="{USER}" creationDateTime="{STAMP}">\n'
        + "".join(
            f'<Coding guid="{uuid.uuid5(uuid.NAMESPACE_URL, f"coding:{start}:{c}")}" '
            f'creatingUser="{USER}" ><CodeRef targetGUID="{guid[c]}" />\n</Coding>\n'
            for c in codes_of
        )
        + "</PlainTextSelection>\n"
        for start, end, codes_of in selections
    )
    project = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="kg test" origin="QualCoder 3.5" '
        f'creatingUserGUID="{USER}" creationDateTime="{STAMP}">\n'
        f'<Users>\n<User guid="{USER}" name="default" />\n</Users>\n'
        f"<CodeBook>\n<Codes>\n{codes}</Codes>\n</CodeBook>\n"
        f'<Sources>\n<TextSource guid="{source}" name={quoteattr("range2015.txt")} '
        f'plainTextPath="internal://{source}.txt" creatingUser="{USER}" '
        f'creationDateTime="{STAMP}">\n{coded}</TextSource>\n</Sources>\n</Project>\n'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", project)
        archive.writestr(f"Sources/{source}.txt", text)
    return path


class Gold(NamedTuple):
    """range2015's theme scheme, its gold sentences and its text."""

    scheme: ThemeScheme
    sentences: list[GoldSentence]
    text: str


@pytest.fixture(scope="module")
def range_gold() -> Gold:
    scheme = load_themes(GOLD / "themes.ttl")
    gold, text_path, _ = read_theme_gold(GOLD / "gold.json", scheme)
    return Gold(scheme, gold, text_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory, range_gold: Gold) -> tuple[Path, list[int]]:
    """A project coding every tenth gold sentence of range2015 with its gold themes' labels;
    and the indexes of those sentences."""
    scheme, gold, text = range_gold
    labels = {theme.ident: theme.label for theme in scheme.themes}
    tenth = list(range(0, len(gold), 10))
    selections = [
        (gold[i].start, gold[i].end, [labels[t] for t in sorted(gold[i].core)]) for i in tenth
    ]
    path = make_qdpx(tmp_path_factory.mktemp("qda") / "range.qdpx", text, selections)
    return path, tenth


def test_coded_segments_are_read_with_their_codes(coded, range_gold: Gold) -> None:
    path, tenth = coded
    segments = read_coded_segments(path)
    assert len(segments) == len(tenth)
    scheme, gold, text = range_gold
    labels = {theme.ident: theme.label for theme in scheme.themes}
    for segment, index in zip(segments, tenth, strict=True):
        assert segment.source == "range2015.txt"
        assert segment.text == text[gold[index].start : gold[index].end]
        assert segment.codes == tuple(labels[t] for t in sorted(gold[index].core))


def test_coded_text_teaches_the_tagger_as_curated_claims_do(coded, range_gold: Gold) -> None:
    path, tenth = coded
    scheme, gold, text = range_gold
    examples, unknown = qda_examples(path, scheme.themes)
    assert unknown == [] and len(examples) == len(tenth)
    assert {t for e in examples for t in e.themes or ()} <= {t.ident for t in scheme.themes}
    claims = extract_claims(
        text, find_citations(text), scheme.themes, source="text.txt", citing="x"
    )
    before, _ = score_tagging(claims, gold, skip=frozenset(tenth))
    taught = apply_curation(
        claims, examples, text, source="range2015.txt", citing="x", themes=scheme.themes,
        known_keys=set(), problems=[],
    )  # fmt: skip
    after, _ = score_tagging(taught, gold, skip=frozenset(tenth))
    assert after != before
    # a coded segment is read in its source's text as a claim is: the same sentences
    # curated in claims.yaml for this text teach the rest the very same tags
    entries = [
        CuratedClaim("range2015.txt", normalise_text(text[gold[i].start : gold[i].end]), 0,
                     themes=tuple(sorted(gold[i].core)))
        for i in tenth
    ]  # fmt: skip
    curated = apply_curation(
        claims, entries, text, source="range2015.txt", citing="x", themes=scheme.themes,
        known_keys=set(), problems=[],
    )  # fmt: skip
    spans = {(gold[i].start, gold[i].end) for i in tenth}
    rest = [(c.start, c.tags) for c in taught if (c.start, c.end) not in spans]
    assert rest == [(c.start, c.tags) for c in curated if (c.start, c.end) not in spans]
    assert after == score_tagging(curated, gold, skip=frozenset(tenth))[0]


def test_a_coded_segment_is_read_as_a_claim_citations_out_with_its_context(
    coded, range_gold: Gold
) -> None:
    path, tenth = coded
    scheme, gold, text = range_gold
    examples, _ = qda_examples(path, scheme.themes)
    for example, index in zip(examples, tenth, strict=True):
        reading = example.reading
        assert reading is not None and reading.themes == example.themes
        cited = [m for m in find_citations(text) if gold[index].start <= m.start < gold[index].end]
        assert cited, "every gold sentence cites"
        for mention in cited:
            surname = mention.refs[0].surnames[0]
            assert surname not in reading.sentence or surname in reading.context
        assert reading.context and reading.context.split()[-1] in text[gold[index].end :][:400]
    # the first tenth's sentences sit under headings of the article
    headings = [e.reading.heading for e in examples if e.reading]
    assert headings[:2] == ["INTRODUCTION", "INTRODUCTION"]


def test_a_quote_from_a_text_not_at_hand_teaches_without_its_citations() -> None:
    scheme = load_themes(GOLD / "themes.ttl")
    text = (GOLD / "text.txt").read_text(encoding="utf-8")
    claims = extract_claims(
        text, find_citations(text), scheme.themes, source="text.txt", citing="x"
    )
    quote = "Wolves hunt large prey together (Mech, 1970; Mech and Boitani, 2003)."
    blank = "Wolves hunt large prey together ."

    def taught(sentence: str) -> list[tuple[str, ...]]:
        entry = CuratedClaim("elsewhere.txt", sentence, 0, themes=("wolves",))
        return [
            c.themes for c in apply_curation(
                claims, [entry], text, source="text.txt", citing="x", themes=scheme.themes,
                known_keys=set(), problems=[],
            )
        ]  # fmt: skip

    assert taught(quote) == taught(blank)


def test_a_code_no_theme_has_is_one_warning_and_a_broken_project_one_error(tmp_path) -> None:
    text = "Wolves hunt together (Mech, 1970). Dogs follow pointing (Hare, 2002).\n"
    path = make_qdpx(tmp_path / "p.qdpx", text, [(0, 34, ["Wolf social life", "Unheard of"])])
    examples, unknown = qda_examples(path, load_themes(GOLD / "themes.ttl").themes)
    assert [e.themes for e in examples] == [("wolves",)]
    assert unknown == [
        f"{path}: code 'Unheard of' is no theme's id, label or altLabel; its segments teach nothing"
    ]
    (tmp_path / "not.qdpx").write_text("plain text", encoding="utf-8")
    with pytest.raises(InputError, match=r"not\.qdpx: not a REFI-QDA project"):
        read_coded_segments(tmp_path / "not.qdpx")
    with zipfile.ZipFile(tmp_path / "empty.qdpx", "w") as archive:
        archive.writestr("Sources/a.txt", escape(text))
    with pytest.raises(InputError, match=r"empty\.qdpx: no project\.qde inside"):
        read_coded_segments(tmp_path / "empty.qdpx")


def test_kg_build_reads_the_projects_named_in_kg_toml(tmp_path) -> None:
    text = "Peer mentors felt hopeful about the future (Maruna, 2001).\n"
    path = make_qdpx(tmp_path / "coding.qdpx", text, [(0, 58, ["Hope", "No such theme"])])
    config = write_config(tmp_path, qda=json.dumps(str(path)))
    report = build_review(config)
    notes = [note.shown(tmp_path) for note in report.warnings]
    assert any("code 'No such theme' is no theme's" in note for note in notes), notes
