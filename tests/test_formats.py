"""RIS, CSL-JSON and EndNote XML bibliographies (``kg.load.formats`` through
``kg.load.bib.parse_bibliography``): the hand-written exports in ``tests/data/exports`` (see
its README), the seed bibliography converted to RIS and CSL-JSON and read back, and the
errors a broken export gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.config import attached_texts
from kg.errors import InputError
from kg.load.bib import Work, parse_bibliography
from kg.load.formats import BibliographyFormat, detect_format, mint_key

from .conftest import BIB

EXPORTS = Path(__file__).resolve().parent / "data" / "exports"


def summary(work: Work) -> tuple[str, str | None, str, tuple[tuple[str, str, bool], ...], str]:
    """What a reader of the reference list sees: key, year, title, authors, container."""
    container = work.get("journal") or work.get("booktitle") or ""
    people = tuple((p.family, p.given, p.organisation) for p in work.authors)
    return work.key, work.year, work.title, people, container


def test_zotero_ris() -> None:
    bib = parse_bibliography([EXPORTS / "zotero.ris"])
    assert bib.problems == ()
    assert [summary(w)[:2] for w in bib.works] == [
        ("farrall2002longterm", "2002"),
        ("farrall2002rethinking", "2002"),
        ("laub2001understanding", "2001"),
        ("hip2019annual", "2019"),
        ("nixon2018just", "2018"),
    ]
    article, book, chapter, report, thesis = bib.works
    assert (article.entry_type, article.get("journal"), article.get("pages")) == (
        "article",
        "Probation Journal",
        "123\u2013137",
    )
    assert (article.get("doi"), article.get("volume"), article.get("number")) == (
        "10.1177/026455050204900201",
        "49",
        "2",
    )
    assert article.get("keywords") == "desistance, probation"
    assert (book.entry_type, book.get("publisher"), book.get("address")) == (
        "book",
        "Willan",
        "Cullompton",
    )
    assert [(p.family, p.given) for p in chapter.authors] == [
        ("Laub", "John H."),
        ("Sampson", "Robert J."),
    ]
    assert [p.family for p in chapter.editors] == ["Tonry"]
    assert chapter.get("booktitle") == "Crime and Justice: A Review of Research"
    assert [(p.family, p.organisation) for p in report.authors] == [
        ("HM Inspectorate of Probation", True)
    ]
    assert report.get("institution") == "HM Inspectorate of Probation"
    assert (thesis.entry_type, thesis.get("school")) == ("thesis", "De Montfort University")
    assert [w.line for w in bib.works] == [1, 19, 29, 43, 52]


def test_ris_attachments_are_found_as_bibtex_file_fields_are() -> None:
    article, *_, report, _ = parse_bibliography([EXPORTS / "zotero.ris"]).works
    assert attached_texts(article.get("file") or "", article.path) == [
        EXPORTS / "files" / "farrall2002.txt"
    ]
    assert report.get("file") == "/home/researcher/Zotero/storage/ABCD1234/HMIP 2019.txt"


def test_windows_attachment_paths_are_read_with_slashes(tmp_path: Path) -> None:
    (tmp_path / "files" / "12").mkdir(parents=True)
    (tmp_path / "files" / "12" / "maruna.txt").write_text("Text.", encoding="utf-8")
    path = tmp_path / "windows.ris"
    path.write_text(
        "TY  - BOOK\r\nAU  - Maruna, Shadd\r\nPY  - 2001\r\nTI  - Making Good\r\n"
        "L1  - files\\12\\maruna.txt\r\nER  - \r\n",
        encoding="utf-8",
    )
    (work,) = parse_bibliography([path]).works
    assert attached_texts(work.get("file") or "", work.path) == [
        tmp_path / "files" / "12" / "maruna.txt"
    ]


def test_scopus_ris() -> None:
    mcneill, sampson = parse_bibliography([EXPORTS / "scopus.ris"]).works
    assert summary(mcneill)[3] == (
        ("McNeill", "F.", False),
        ("Farrall", "S.", False),
        ("Lightowler", "C.", False),
        ("Maruna", "S.", False),
    )
    assert mcneill.get("journal") == "Justice Research and Policy"
    assert mcneill.get("abstract") == (
        "Evidence-based practice in community corrections has come to mean what works."
    )
    assert summary(sampson)[:3] == (
        "sampson1993turning",
        "1993",
        "Turning points in the life course: Why change matters to the study of crime",
    )


def test_better_bibtex_csl_json_keeps_its_keys() -> None:
    maruna, vandijk, noms = parse_bibliography([EXPORTS / "better-bibtex.json"]).works
    assert [maruna.key, vandijk.key, noms.key] == [
        "maruna2001making",
        "vandijk2019turning",
        "noms2015targets",
    ]
    assert summary(vandijk)[1:] == (
        "2019",
        "Turning points and the \u201cex-offender\u201d identity",
        (("van Dijk", "Jan", False), ("4Children", "", True)),
        "European Journal of Criminology",
    )
    assert (vandijk.get("volume"), vandijk.get("pages"), vandijk.get("date")) == (
        "16",
        "44\u201367",
        "2019-03-05",
    )
    assert [(p.family, p.organisation) for p in noms.authors] == [
        ("National Offender Management Service/Ministry of Justice", True)
    ]
    assert (noms.year, maruna.get("address")) == ("2015", "Washington, DC")


def test_zotero_csl_json_gets_keys_minted_for_its_item_uris() -> None:
    bottoms, farrall = parse_bibliography([EXPORTS / "zotero-csl.json"]).works
    assert (bottoms.key, farrall.key) == ("bottoms2017desistance", "farrall2002desistance")
    assert [p.family for p in bottoms.editors] == ["Liebling", "Maruna", "McAra"]
    assert (bottoms.entry_type, bottoms.get("booktitle"), bottoms.get("edition")) == (
        "incollection",
        "The Oxford Handbook of Criminology",
        "6",
    )
    assert [bottoms.line, farrall.line] == [2, 23]


def test_endnote_xml() -> None:
    robinson, bottoms, children = parse_bibliography([EXPORTS / "endnote.xml"]).works
    assert summary(robinson) == (
        "robinson2013end",
        "2013",
        "The end of probation as we know it",
        (("Robinson", "Gwen", False), ("Burke", "Lol", False)),
        "British Journal of Community Justice",
    )
    assert robinson.get("file") is None  # internal-pdf://, and no Desistance.Data beside it
    assert (bottoms.entry_type, bottoms.get("booktitle")) == (
        "incollection",
        "The Explanation of Crime: Context, Mechanisms and Development",
    )
    assert [p.name for p in bottoms.editors] == ["Per-Olof H. Wikstr\u00f6m", "Robert J. Sampson"]
    assert [(p.family, p.organisation) for p in children.authors] == [("4Children", True)]
    assert children.get("file") == "C:/Users/researcher/Documents/census.txt"
    assert children.get("url") == "https://www.4children.org.uk/census"
    assert [w.line for w in (robinson, bottoms, children)] == [1, 2, 3]


def test_endnote_internal_pdf_links_find_the_librarys_data_folder(tmp_path: Path) -> None:
    """EndNote's internal-pdf://ID/name.pdf is a file in <Library>.Data/PDF/ID/ beside the
    library; an export saved beside it attaches it, one saved elsewhere says so."""
    export = tmp_path / "endnote.xml"
    export.write_bytes((EXPORTS / "endnote.xml").read_bytes())
    read = parse_bibliography([export])
    assert [(p.line, p.severity, p.message) for p in read.problems] == [
        (1, "warning", "internal-pdf://1234567890/Robinson-2013.pdf: not found in the"
         " library's .Data folder beside the export (Desistance.Data/PDF); export to the folder"
         " that holds the library to attach it"),
    ]  # fmt: skip
    pdf = tmp_path / "Desistance.Data" / "PDF" / "1234567890" / "Robinson-2013.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4\n")
    read = parse_bibliography([export])
    assert read.problems == ()
    robinson = read.works[0]
    assert robinson.get("file") == "Desistance.Data/PDF/1234567890/Robinson-2013.pdf"
    assert attached_texts(robinson.get("file") or "", export) == [pdf]


def test_web_of_science_plain_text() -> None:
    farrall, maruna, sampson, inspectorate = parse_bibliography([EXPORTS / "wos.txt"]).works
    assert summary(farrall) == (
        "farrall2002desistance",
        "2002",
        "Desistance from crime: a longitudinal study of the role of social capital",
        (("Farrall", "Stephen", False), ("Bottoms", "Anthony", False)),
        "BRITISH JOURNAL OF CRIMINOLOGY",
    )
    assert (farrall.get("pages"), farrall.get("doi"), farrall.get("number")) == (
        "589–612", "10.1093/bjc/42.3.589", "3",
    )  # fmt: skip
    assert (maruna.entry_type, maruna.get("series"), maruna.get("isbn")) == (
        "book", "Law and Public Policy", "1-55798-731-5",
    )  # fmt: skip
    assert (sampson.entry_type, sampson.get("booktitle")) == (
        "incollection", "DEVELOPMENTAL THEORIES OF CRIME AND DELINQUENCY",
    )  # fmt: skip
    assert [p.name for p in sampson.editors] == ["DP Farrington"]
    assert [(p.family, p.organisation) for p in inspectorate.authors] == [
        ("HM Inspectorate of Probation", True)
    ]
    assert inspectorate.get("pages") == "0264550519"  # an article number
    assert [w.line for w in (farrall, maruna, sampson, inspectorate)] == [3, 27, 41, 60]
    assert detect_format("savedrecs.txt", "FN Clarivate Analytics Web of Science\n").value == "wos"


def test_a_web_of_science_file_cut_short_is_one_line(tmp_path: Path) -> None:
    cut = tmp_path / "savedrecs.txt"
    cut.write_text((EXPORTS / "wos.txt").read_text(encoding="utf-8-sig").rsplit("EF", 1)[0])
    with pytest.raises(InputError, match=r"savedrecs\.txt:\d+: not a Web of Science plain-text"
                       r" export \(Encountered EOF before 'EF' marker\)"):  # fmt: skip
        parse_bibliography([cut])


def test_formats_mixed_in_one_review_keep_keys_apart(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{farrall2002longterm, author = {Farrall, Stephen}, title = {Another},"
        " year = {2002}}\n",
        encoding="utf-8",
    )
    works = parse_bibliography(
        [EXPORTS / "zotero.ris", bib, EXPORTS / "endnote.xml", EXPORTS / "better-bibtex.json"]
    ).works
    keys = [w.key for w in works]
    assert len(keys) == len(set(keys)) == 12
    # The .bib's own key stays its; the RIS record that would have had it gets the next.
    assert keys[:2] == ["farrall2002longterma", "farrall2002rethinking"]
    assert "farrall2002longterm" in keys


def test_the_same_keys_from_the_same_exports() -> None:
    paths = [EXPORTS / "zotero.ris", EXPORTS / "endnote.xml", EXPORTS / "zotero-csl.json"]
    first = [w.key for w in parse_bibliography(paths).works]
    assert first == [w.key for w in parse_bibliography(paths).works]


def test_mint_key_disambiguates_in_order() -> None:
    taken = {"smith2010social"}
    assert mint_key("Smith", "2010", "The social world", taken) == "smith2010sociala"
    assert mint_key("Smith", "2010", "Social worlds", taken) == "smith2010socialb"
    assert mint_key("Ó Súilleabháin", None, "Éire", set()) == "osuilleabhaineire"


def test_a_record_repeated_in_an_export_is_kept_once(tmp_path: Path) -> None:
    record = "TY  - BOOK\nAU  - Maruna, Shadd\nPY  - 2001\nTI  - Making Good\nER  - \n"
    path = tmp_path / "twice.ris"
    path.write_text(record + "\n" + record, encoding="utf-8")
    bib = parse_bibliography([path])
    assert [w.key for w in bib.works] == ["maruna2001making"]
    assert [(p.line, p.severity, p.message) for p in bib.problems] == [
        (
            7,
            "warning",
            "the same record as at line 1 (key 'maruna2001making'); this copy is ignored",
        )
    ]


def test_csl_json_ids_repeated_with_other_content_are_an_error(tmp_path: Path) -> None:
    items = [
        {"id": "maruna2001", "type": "book", "title": "Making Good", "issued": {"raw": "2001"}},
        {"id": "maruna2001", "type": "book", "title": "Other", "issued": {"raw": "2001"}},
    ]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    bib = parse_bibliography([path])
    assert [w.title for w in bib.works] == ["Making Good"]
    assert [str(p) for p in bib.problems] == [
        f"{path}:10: duplicate key 'maruna2001' with different content, first defined at line 2;"
        " this one is ignored (BibTeX keeps the first too): give it its own key"
    ]


def test_an_unended_ris_record_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.ris"
    path.write_text(
        "TY  - BOOK\nAU  - Maruna, Shadd\nPY  - 2001\nTI  - Making Good\n\n"
        "TY  - JOUR\nAU  - Farrall, Stephen\nPY  - 2002\nTI  - Long-term absences\nER  - \n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    assert [w.key for w in bib.works] == ["farrall2002longterm"]
    assert [str(p) for p in bib.problems] == [
        f"{path}:1: the record starting here has no 'ER  -' line before the next starts at line"
        " 6; it is skipped: add the 'ER  -' line (or re-export the library) and rebuild"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "refs.json",
            '[\n  {"id": "a", "title": "x"},\n  {"id": "b" "title": "y"}\n]\n',
            "refs.json:3: not valid JSON (Expecting ',' delimiter at column 14); export the"
            " library as CSL JSON again",
        ),
        (
            "refs.xml",
            "<xml><records>\n<record><titles><title>x</title></record>\n</records></xml>\n",
            "refs.xml:2: not well-formed XML (mismatched tag at column 35); export the library"
            " from EndNote as XML again",
        ),
        (
            "refs.xml",
            "<html><body>Not a library</body></html>\n",
            "refs.xml:1: no EndNote <record> found (the root element is <html>); export the"
            " library from EndNote with File > Export, 'XML'",
        ),
        (
            "refs.ris",
            "Title: Making Good\nAuthor: Maruna\n",
            "refs.ris:1: no RIS record (a 'TY  - ' line) found; export the library as RIS"
            " again, or give the file the extension of its format",
        ),
        (
            "refs.json",
            '"just a string"',
            "refs.json:1: not CSL-JSON (a list of items was expected)",
        ),
    ],
)
def test_a_broken_export_gives_one_line(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        parse_bibliography([path])
    assert str(raised.value) == f"{tmp_path}/{message}"
    tolerant = parse_bibliography([path], tolerant=True)
    assert [str(p) for p in tolerant.problems] == [f"{tmp_path}/{message}"]


def test_formats_are_told_by_extension_then_content() -> None:
    assert detect_format("x.RIS", "") is BibliographyFormat.RIS
    assert detect_format("savedrecs.txt", "\ufeffTY  - JOUR\n") is BibliographyFormat.RIS
    assert detect_format("export", '[{"id": "a"}]') is BibliographyFormat.CSL_JSON
    assert detect_format("My Library", "<?xml version='1.0'?><xml/>") is (
        BibliographyFormat.ENDNOTE_XML
    )
    assert detect_format("refs", "@book{a, title={x}}") is BibliographyFormat.BIBTEX


# The seed bibliography converted to RIS and CSL-JSON by the writers below, and read back.


def to_ris(works: tuple[Work, ...]) -> str:
    types = {"article": "JOUR", "book": "BOOK", "incollection": "CHAP", "phdthesis": "THES",
             "techreport": "RPRT", "misc": "GEN", "online": "ELEC"}  # fmt: skip
    lines = []
    for work in works:
        lines.append(f"TY  - {types.get(work.entry_type, 'GEN')}")
        for person in work.authors:
            lines.append(f"AU  - {person.family}, {person.given}".rstrip(", "))
        lines.append(f"TI  - {work.title}")
        if work.year:
            lines.append(f"PY  - {work.year}")
        container = work.get("journal") or work.get("booktitle")
        if container:
            lines.append(f"T2  - {container}")
        lines += ["ER  - ", ""]
    return "\n".join(lines)


def to_csl_json(works: tuple[Work, ...]) -> str:
    types = {"article": "article-journal", "book": "book", "incollection": "chapter",
             "phdthesis": "thesis", "techreport": "report", "online": "webpage"}  # fmt: skip
    items = []
    for work in works:
        item: dict[str, object] = {"id": work.key, "type": types.get(work.entry_type, "document")}
        item["title"] = work.title
        item["author"] = [
            {"literal": p.family} if p.organisation else {"family": p.family, "given": p.given}
            for p in work.authors
        ]
        if work.year:
            item["issued"] = {"date-parts": [[int(work.year)]]}
        container = work.get("journal") or work.get("booktitle")
        if container:
            item["container-title"] = container
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2)


@pytest.mark.parametrize(("name", "write"), [("seed.ris", to_ris), ("seed.json", to_csl_json)])
def test_the_seed_bibliography_round_trips(tmp_path: Path, name: str, write) -> None:
    seed = parse_bibliography([BIB / "references.bib"]).works
    path = tmp_path / name
    path.write_text(write(seed), encoding="utf-8")
    read = parse_bibliography([path])
    assert read.problems == ()
    assert [summary(w)[1:] for w in read.works] == [summary(w)[1:] for w in seed]
    if name.endswith(".json"):
        assert [w.key for w in read.works] == [w.key for w in seed]


def test_kg_extract_and_validate_take_exports(tmp_path: Path) -> None:
    seed = parse_bibliography([BIB / "references.bib"]).works
    ris = tmp_path / "seed.ris"
    ris.write_text(to_ris(seed), encoding="utf-8")
    runner = CliRunner()
    text = str(BIB / "nixon2020-excerpt.txt")
    result = runner.invoke(main, ["extract", text, "--bib", str(ris), "-f", "json"])
    assert result.exit_code == 0, result.output
    refs = [r for m in json.loads(result.stdout) for r in m["refs"]]
    assert len(refs) == 25
    assert all(r["bibkey"] for r in refs)
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    result = runner.invoke(main, ["extract", text, "--bib", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"Error: {broken}:1: not valid JSON")
    result = runner.invoke(main, ["validate", "--bib", str(EXPORTS / "zotero.ris")])
    assert "Traceback" not in result.output
