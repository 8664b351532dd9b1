"""Bibliography loading on the bundled bibliography and the real corpora."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from kg.bib import decode_latex, parse_bibliography
from kg.errors import BibliographyError, InputError

from .conftest import BIB, SHARED, requires_shared

CORPORA = SHARED / "corpora"


def test_seed_bibliography_is_read_whole() -> None:
    bib = parse_bibliography([BIB / "references.bib"])
    assert len(bib.works) == 18
    assert bib.problems == ()
    works = bib.by_key()
    giordano = works["giordano2002gender"]
    assert [(p.family, p.given) for p in giordano.authors] == [
        ("Giordano", "Peggy C."),
        ("Cernkovich", "Stephen A."),
        ("Rudolph", "Jennifer L."),
    ]
    assert giordano.year == "2002"
    assert giordano.entry_type == "article"
    assert works["bushway2012signaling"].get("journal") == "Criminology & Public Policy"
    assert works["buck2016mimesis"].title.startswith("\u201cI wanted to feel")
    assert works["visher2008employment"].get("month") == "10"


def test_corporate_author_in_braces_is_one_organisation() -> None:
    unodc = parse_bibliography([BIB / "references.bib"]).by_key()["unodc2003peer"]
    (author,) = unodc.authors
    assert author.organisation
    assert author.family == "United Nations Office on Drugs and Crime"


def test_one_person_across_entries() -> None:
    bib = parse_bibliography([BIB / "references.bib"]).by_key()
    apel = {p.ident for w in ("apel2010impact", "bushway2012signaling") for p in bib[w].authors
            if p.family == "Apel"}  # fmt: skip
    assert len(apel) == 1


def test_latex_is_decoded_to_unicode() -> None:
    assert decode_latex(r"Jos{\'e} M{\"u}ller") == "José Müller"
    assert decode_latex("{DNA} and {RNA}") == "DNA and RNA"
    assert decode_latex("plain text") == "plain text"


def test_field_names_in_any_case_and_biblatex_date(tmp_path: Path) -> None:
    path = tmp_path / "mixed.bib"
    path.write_text(
        "@Article{a1, AUTHOR = {van der Berg, Jan}, Title = {Upper}, DATE = {2019-05-01}}\n",
        encoding="utf-8",
    )
    (work,) = parse_bibliography([path]).works
    assert work.title == "Upper"
    assert work.year == "2019"
    assert work.authors[0].family == "van der Berg"


def test_bad_entry_keeps_its_neighbours(tmp_path: Path) -> None:
    path = tmp_path / "bad.bib"
    path.write_text(
        "@article{good1, author={A, B}, title={One}, year=2001}\n\n"
        "@article{broken, author={A, B}, title={Two, year=2002\n\n"
        "@article{good2, author={C, D}, title={Three}, year=2003}\n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    assert "good1" in bib.by_key()
    assert bib.problems, "the broken block must be reported"
    assert all(str(path) in str(p) for p in bib.problems)


def test_duplicate_key_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "dup.bib"
    path.write_text(
        "@article{k, title={First}, year=2001}\n@article{k, title={Second}, year=2002}\n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    assert bib.by_key()["k"].title == "First"
    assert any("duplicate key 'k'" in str(p) and ":2" in str(p) for p in bib.problems)


def test_missing_binary_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        parse_bibliography([tmp_path / "nope.bib"])
    binary = tmp_path / "binary.bib"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        parse_bibliography([binary])
    latin = tmp_path / "latin.bib"
    latin.write_bytes(b"@article{k,\n title={Caf\xe9}}\n")
    with pytest.raises(InputError, match=r"latin\.bib:2: not UTF-8"):
        parse_bibliography([latin])


def test_nothing_readable_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.bib"
    path.write_text("@article{broken, title={never closed\n", encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"junk\.bib"):
        parse_bibliography([path])


@requires_shared
def test_macros_are_shared_across_files() -> None:
    papers = CORPORA / "biber-papers" / "papers.bib"
    alone = parse_bibliography([papers])
    assert any("undefined @string macro" in p.message for p in alone.problems)
    assert all(w.get("journal") != "or" for w in alone.works)
    both = parse_bibliography([CORPORA / "biber-papers" / "definitions.bib", papers])
    assert both.problems == ()
    assert len(both.works) == len(alone.works) == 2157
    assert both.by_key()["AardalHLT02"].get("journal")


@requires_shared
@pytest.mark.parametrize("name", ["tugboat/tugboat.bib", "biblatex-examples/biblatex-examples.bib"])
def test_corpus_entry_counts_match_bibtexparser(name: str) -> None:
    path = CORPORA / name
    expected = len(bibtexparser.parse_file(str(path)).entries)
    assert len(parse_bibliography([path]).works) == expected


@requires_shared
def test_biblatex_date_fields() -> None:
    bib = parse_bibliography([CORPORA / "biblatex-examples" / "biblatex-examples.bib"])
    dated = [w for w in bib.works if w.get("date") and not w.get("year")]
    assert len(dated) > 50
    assert all(w.year and w.year.isdigit() for w in dated if w.get("date")[:4].isdigit())
