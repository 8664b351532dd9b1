"""Real texts as pdftotext gives them (benchmarks/gold) and as kg reads the shared PDFs: a
text's own reference list is not its claims, and a sentence runs on across a page break."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.load.citations import citing_mentions, find_citations, sentence_span
from kg.load.claims import extract_claims
from kg.load.pdf import read_pdf
from kg.load.references import reference_section
from tests.conftest import ROOT, SHARED, requires_shared

GOLD = ROOT / "benchmarks" / "gold"


def _claims(text: str, mentions: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return [(c.start, c.end) for c in extract_claims(text, mentions, (), source="t", citing="")]


def test_no_claim_is_made_of_a_reference_list_entry() -> None:
    """robinson2015 (Springer: names and years in entries read as citations): 123 claims, 69
    of them entries of the list; none of those once it is cut, every claim before it kept."""
    text = (GOLD / "robinson2015" / "text.txt").read_text(encoding="utf-8")
    start, end = reference_section(text) or (0, 0)
    assert text[start:end].lstrip().startswith("References")
    everything = _claims(text, find_citations(text))
    cited = _claims(text, citing_mentions(text))
    assert len(everything) == 123
    assert len(cited) == 54
    assert all(claim_start < start for claim_start, _ in cited)
    assert cited == [claim for claim in everything if claim[0] < start]


@pytest.mark.parametrize("name", ["teickner2020", "range2015"])
def test_text_after_the_list_is_the_texts_again(name: str) -> None:
    """An appendix (teickner2020) or the article's footer after the list is not the list:
    its citations stay."""
    text = (GOLD / name / "text.txt").read_text(encoding="utf-8")
    _, end = reference_section(text) or (0, 0)
    assert end < len(text)
    after = [m for m in citing_mentions(text) if m.start >= end]
    assert after == [m for m in find_citations(text) if m.start >= end]
    assert after


@pytest.mark.parametrize(
    "heading", ["\fReferences", "12\n\n\fBibliography", "Literature Cited", "Literaturverzeichnis",
                "Références", "Referencias bibliográficas", "  WORKS CITED:"],
)  # fmt: skip
def test_the_heading_is_found_alone_on_its_line_after_a_page_break(heading: str) -> None:
    """The list's heading as pdftotext may give it (a page number and form feed before it) and
    in other languages: the same section, the same citations left."""
    text = (GOLD / "robinson2015" / "text.txt").read_text(encoding="utf-8")
    start, end = reference_section(text) or (0, 0)
    at = text.index("References", start)
    changed = text[:at] + heading + text[at + len("References") :]
    shift = len(heading) - len("References")
    found = reference_section(changed)
    assert found is not None
    assert found[1] == end + shift
    assert [m.start for m in citing_mentions(changed)] == [m.start for m in citing_mentions(text)]


def test_a_heading_word_inside_a_sentence_is_no_list() -> None:
    text = (GOLD / "nuijten2016" / "text.txt").read_text(encoding="utf-8")
    start, _ = reference_section(text) or (0, 0)
    body = text[:start]
    assert reference_section(body) is None
    assert len(citing_mentions(body)) == len(find_citations(body))


def test_extract_with_a_bibliography_leaves_the_list_out(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`kg extract TEXT --bib FILE --claims`: no draft claim of a reference list entry."""
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{robinson2014a, author={Robinson, K. J.}, title={T}, year={2014}}\n")
    claims = tmp_path / "claims.yaml"
    text = GOLD / "robinson2015" / "text.txt"
    result = CliRunner().invoke(
        main, ["extract", str(text), "--bib", str(bib), "--format", "json", "--claims", str(claims)]
    )
    assert result.exit_code == 0, result.output
    start, _ = reference_section(text.read_text(encoding="utf-8")) or (0, 0)
    rows = json.loads(result.stdout)
    assert rows and all(row["start"] < start for row in rows)
    assert claims.read_text(encoding="utf-8").count("quote:") == 54


@requires_shared
@pytest.mark.parametrize(
    ("prefix", "before", "after"),
    [("robinson2015", 143, 74), ("pearson2019", 89, 88), ("nuijten2016", 74, 74)],
)
def test_the_list_is_cut_from_pdfs_as_kg_reads_them(prefix: str, before: int, after: int) -> None:
    (pdf,) = (SHARED / "corpora" / "pdfs").glob(f"{prefix}_*.pdf")
    text = read_pdf(pdf).text
    start, end = reference_section(text) or (0, 0)
    assert len(find_citations(text)) == before
    kept = citing_mentions(text)
    assert len(kept) == after
    assert not [m for m in kept if start <= m.start < end]


def _sentence(name: str, words: str) -> str:
    text = (GOLD / name / "text.txt").read_text(encoding="utf-8")
    at = text.index(words)
    return " ".join(text[slice(*sentence_span(text, at, at + len(words)))].split())


@pytest.mark.parametrize(
    ("name", "words", "starts", "ends"),
    [
        # a page number between the halves: "... in grey seals | 1392 | (Robinson 2014)."
        ("robinson2015", "1392\n\n(Robinson 2014)", "Therefore, in grey seals,",
         "maternal behaviour in grey seals 1392 (Robinson 2014)."),
        # a running header between them
        ("robinson2015", "characteristics of pupping", "These",
         "chances to interact with each other."),
        # a page number before the form feed
        ("teickner2020", "(Wickham, 2016)", "All computations were conducted",
         "cowplot (Wilke, 2018)."),
        ("nuijten2016", "Wicherts et al. (2011) reported", "Moreover, Wicherts",
         "failure to share data upon request."),
    ],
)  # fmt: skip
def test_a_sentence_runs_on_across_a_page_break(
    name: str, words: str, starts: str, ends: str
) -> None:
    sentence = _sentence(name, words)
    assert sentence.startswith(starts)
    assert sentence.endswith(ends)


@pytest.mark.parametrize(
    ("name", "words", "starts"),
    [
        # a heading, a table or a new paragraph after the break stays a break
        ("robinson2015", "Table 1 Behavioural categories", "Table 1"),
        ("nuijten2016", "Table 1 Specifications of the years", "Table 1"),
        # a date on a cover page is not the start of the next page's sentence
        ("teickner2020", "(Himmelsbach,\n2012)", "whereas nomadic herding"),
    ],
)
def test_a_page_break_before_a_new_start_stays_a_break(name: str, words: str, starts: str) -> None:
    assert _sentence(name, words).startswith(starts)


def test_a_bracket_opened_at_a_line_end_goes_on() -> None:
    """ "... towards strangers (De" | "Dreu 2012)." is one sentence, not two overlapping ones."""
    text = (GOLD / "robinson2015" / "text.txt").read_text(encoding="utf-8")
    claims = _claims(text, citing_mentions(text))
    assert all(later[0] >= earlier[1] for earlier, later in itertools.pairwise(claims))
    at = text.index("(Lee et al. 2009;")
    span = sentence_span(text, at, at + 5)
    assert text[slice(*span)].startswith("Elevated levels")
    assert text[slice(*span)].endswith("(De\nDreu 2012).")


@pytest.mark.parametrize(
    ("name", "cited", "begins"),
    [
        ("teickner2020", "R Core Team, 2017", "Data analysis was conducted in the open-source"),
        ("nuijten2016", "Fiedler & Schwarz, 2015", "This is in line with the finding"),
        ("pearson2019", "Gaspelin et al.’s (2017) experiment", "Methodological differences"),
        ("robinson2015", "Andrews (Bennett et al. 2007).", "The protocol for capturing"),
    ],
)
def test_a_line_that_wraps_before_a_capital_goes_on(name: str, cited: str, begins: str) -> None:
    """A full line inside a paragraph that breaks before a name, an acronym or a proper noun
    ("software environment" / "R (R Core Team, 2017)", "admit to more" / "QRPs") wraps the
    sentence: its citations were cut off from the words before them."""
    text = (GOLD / name / "text.txt").read_text(encoding="utf-8")
    at = text.index(cited)
    start, _ = sentence_span(text, at, at + len(cited))
    assert text.startswith(begins, start), text[start : start + 80]


@pytest.mark.parametrize(
    ("name", "line", "after"),
    [
        ("robinson2015", "Behavioural frequencies during stranger/familiar trials", "Pups"),
        ("teickner2020", "4.2.2. Categorizing households based on movement characteristics",
         "Qualitative"),
        ("nuijten2016", "in which the p-value was inconsistent", "Table 7"),
    ],
)  # fmt: skip
def test_a_heading_or_a_caption_still_ends_the_line_before(name: str, line: str, after: str):
    """A heading (after a paragraph's end or a short line) and a table's caption stay breaks,
    however long their lines."""
    text = (GOLD / name / "text.txt").read_text(encoding="utf-8")
    newline = text.index(line + "\n") + len(line)
    assert text.startswith(after, newline + 1)
    start, _ = sentence_span(text, newline + 1, newline + 2)
    assert start == newline + 1
