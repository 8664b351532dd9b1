"""Property tests: the BibTeX loader and the citation finder on input nobody wrote by hand.

Bounded (``max_examples``) so the whole file runs in a few seconds in CI. What must hold:

- the loader never raises anything but kg's ``InputError`` (or its ``BibliographyError``), and
  with ``tolerant=True`` never raises at all; every problem names the file and a real line;
- the citation finder never raises, and every span indexes the text it came from;
- a citation written for an entry of a generated bibliography resolves back to that entry.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.load.bib import decode_latex, parse_bibliography
from kg.load.citations import find_citations, resolve_citations

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BIBTEX_PIECES = st.sampled_from(
    [
        "@article{", "@book(", "@string{", "@comment{", "@preamble{", "@misc{k,", "@", "{", "}",
        "(", ")", ",", "=", '"', "#", "%", "\\", "\n", " ", "author", "title", "year", "crossref",
        "xref", "ids", "date", " and ", "others", "{\\'e}", "\\\"u", "{\\v{r}}", "~", "--", "$",
        "jan", "2001", "key1", "key2", "Doe, Jane", "{United Nations}", "von Berg, A.",
    ]
)  # fmt: skip
BIBTEX_TEXT = st.lists(BIBTEX_PIECES | st.text(max_size=6), max_size=40).map("".join)


def _load(content: bytes, tolerant: bool = False):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.bib"
        path.write_bytes(content)
        bibliography = parse_bibliography([path], tolerant=tolerant)
        lines = content.count(b"\n") + 1
        for problem in bibliography.problems:
            assert problem.path == str(path)
            assert 0 <= problem.line <= lines, (problem, content)
        for work in bibliography.works:
            assert 1 <= work.line <= lines
        return bibliography


@FUZZ
@given(BIBTEX_TEXT)
def test_loader_on_bibtex_like_text_raises_only_kg_errors(text: str) -> None:
    with contextlib.suppress(InputError):
        _load(text.encode("utf-8"))
    _load(text.encode("utf-8"), tolerant=True)


@FUZZ
@given(st.binary(max_size=200))
def test_loader_on_random_bytes_raises_only_kg_errors(content: bytes) -> None:
    with contextlib.suppress(InputError):
        _load(content)
    _load(content, tolerant=True)


@FUZZ
@given(st.text(max_size=60))
def test_latex_decoding_never_raises(value: str) -> None:
    assert isinstance(decode_latex(value), str)


@FUZZ
@given(st.lists(st.text(max_size=12) | st.sampled_from(["(", ")", "2001", "et al.", ", ", ";",
                                                       " and ", "\n", "-\n", "p. 3", "a"]),
                max_size=40).map("".join))  # fmt: skip
def test_citation_finder_never_raises_and_spans_index_the_text(text: str) -> None:
    for mention in find_citations(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.surface
        for ref in mention.refs:
            assert mention.start <= ref.start < ref.end <= mention.end


# Family names as a BibTeX file spells them, and as a text writes them.
FAMILIES = [
    ("Smith", "Smith"),
    ('M{\\"u}ller', "Müller"),
    ("{\\O}stergaard", "Østergaard"),
    ("Nu{\\~n}ez", "Nuñez"),
    ("Dvo{\\v{r}}{\\'a}k", "Dvořák"),
    ("Kowalski", "Kowalski"),
    ("Okonkwo", "Okonkwo"),
    ("Giordano", "Giordano"),
    ("Lefèvre", "Lefèvre"),
    ("Brown", "Brown"),
]
GIVEN = ["Jane", "A. B.", "Jos{\\'e}", "Mar{\\'\\i}a", "Li"]


@st.composite
def bibliographies(draw: st.DrawFn) -> list[tuple[str, str, list[str]]]:
    """BibTeX entries (key, entry text, family names as written) with unique first authors."""
    firsts = draw(st.lists(st.sampled_from(range(len(FAMILIES))), min_size=1, max_size=5,
                           unique=True))  # fmt: skip
    entries = []
    for number, first in enumerate(firsts):
        others = draw(st.lists(st.sampled_from(range(len(FAMILIES))), max_size=3, unique=True))
        authors = [FAMILIES[first], *(FAMILIES[i] for i in others if i != first)]
        names = " and ".join(
            f"{latex}, {draw(st.sampled_from(GIVEN))}"
            if draw(st.booleans())
            else f"{draw(st.sampled_from(GIVEN))} {latex}"
            for latex, _ in authors
        )
        year = draw(st.integers(1950, 2024))
        year_field = draw(st.sampled_from([f"year = {year}", f"year = {{{year}}}",
                                           f"date = {{{year}-03-01}}"]))  # fmt: skip
        key = f"k{number}x{year}"
        kind = draw(st.sampled_from(["article", "book", "incollection", "ARTICLE"]))
        entry = f"@{kind}{{{key},\n  author = {{{names}}},\n  title = {{T}},\n  {year_field}\n}}\n"
        entries.append((key, entry, [unicode for _, unicode in authors], str(year)))
    return entries


def _cite(families: list[str], year: str, form: int) -> str:
    if len(families) == 1:
        authors = families[0]
    elif len(families) == 2:
        authors = f"{families[0]} and {families[1]}"
    else:
        authors = f"{families[0]} et al."
    return [f"({authors}, {year})", f"{authors} ({year})", f"(see {authors}, {year}: 12)"][form]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bibliographies(), st.data())
def test_citations_of_a_generated_bibliography_resolve_back(entries, data) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gen.bib"
        path.write_text("\n".join(entry for _, entry, _, _ in entries), encoding="utf-8")
        bibliography = parse_bibliography([path])
    assert [w.key for w in bibliography.works] == [key for key, _, _, _ in entries]
    assert bibliography.problems == ()
    sentences, expected = [], []
    for key, _, families, year in entries:
        form = data.draw(st.integers(0, 2))
        sentences.append(f"One finding is reported {_cite(families, year, form)} here.")
        expected.append(key)
    text = "\n".join(sentences)
    mentions, _ = resolve_citations(find_citations(text), bibliography.works)
    assert [ref.bibkey for m in mentions for ref in m.refs] == expected, text
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.surface
