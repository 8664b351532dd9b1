"""`kg validate`: SHACL shapes and bibliography checks, their report and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.build.pipeline import build_review
from kg.checks.validate import (
    Finding,
    Report,
    ReportFormat,
    Severity,
    check_review,
    format_report,
    read_citations,
    validate_bibliography,
    validate_review,
)
from kg.cli import main
from kg.config import load_config
from kg.errors import ValidationError
from kg.load.bib import parse_bibliography

from .conftest import BIB, SHARED, requires_shared, write_config

CORPORA = SHARED / "corpora"
KG = "https://w3id.org/kg/ontology#"
BASE = "https://example.org/review/"


def _without_webster(folder: Path) -> Path:
    """The seed review with the entry of "(Webster, 2013)" removed: one unresolved citation."""
    source = (BIB / "references.bib").read_text("utf-8")
    start = source.index("@misc{webster2013unidentified")
    bib = folder / "refs.bib"
    bib.write_text(source[:start] + source[source.index("@article{maruna2007") :], "utf-8")
    return write_config(folder, bibliography=f'["{bib}"]')


def test_seed_review_conforms(built) -> None:
    _, config = built
    report = validate_review(config)
    assert report.conforms, format_report(report)
    assert report.exit_code == 0
    assert dict(report.checked)["entries"] == 18
    assert dict(report.checked)["triples"] > 1000
    misspelt = [f for f in report.findings if "'Borril' taken as 'Borrill'" in f.message]
    assert misspelt and all(f.severity is Severity.WARNING for f in misspelt)
    assert all(f.file.endswith("nixon2020-excerpt.txt") and f.line for f in misspelt)


def test_cli_exit_codes(built, tmp_path: Path) -> None:
    _, config = built
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", "-c", str(config)])
    assert ok.exit_code == 0, ok.output
    assert "Conforms: 0 errors" in ok.output
    failing = _without_webster(tmp_path)
    build_review(failing)
    bad = runner.invoke(main, ["validate", "-c", str(failing)])
    assert bad.exit_code == 1
    assert "Errors (4):" in bad.output
    assert "nixon2020-excerpt.txt:" in bad.output
    assert "no work in the bibliography matches 'Webster, 2013'" in bad.output
    assert "Does not conform: 4 errors" in bad.output
    missing = runner.invoke(main, ["validate", "-c", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2
    assert "nope.toml: file not found" in missing.output
    (tmp_path / "x").mkdir()
    unbuilt = runner.invoke(main, ["validate", "-c", str(write_config(tmp_path / "x"))])
    assert unbuilt.exit_code == 2
    assert "no built graph to validate; run `kg build` first" in unbuilt.output


def test_json_report(built) -> None:
    _, config = built
    result = CliRunner().invoke(main, ["validate", "-c", str(config), "--format", "json"])
    data = json.loads(result.output)
    assert data["conforms"] is True
    assert data["counts"]["error"] == 0
    assert {"severity", "file", "line", "key", "check", "message"} <= set(data["findings"][0])


def test_strict_build_fails_where_validate_does(tmp_path: Path) -> None:
    config = _without_webster(tmp_path)
    with pytest.raises(ValidationError, match=r"nixon2020-excerpt\.txt:\d+: no work .*--strict"):
        build_review(config, strict=True)
    assert not (tmp_path / "build" / "graph.trig").exists()
    build_review(config)
    assert validate_review(config).exit_code == 1
    (tmp_path / "seed").mkdir()
    seed = write_config(tmp_path / "seed")
    build_review(seed, strict=True)
    assert validate_review(seed).conforms


def _seed_parts(built):
    report, config = built
    review = load_config(config)
    bibliography = parse_bibliography(review.bibliographies)
    texts = [read_citations(source, bibliography.works) for source in review.texts]
    quads = list(parse(path=str(report.output / "graph.trig"), format=RdfFormat.TRIG))
    return review, bibliography, texts, quads


def test_shapes_find_a_broken_graph_and_say_where(built) -> None:
    review, bibliography, texts, quads = _seed_parts(built)
    dropped: set[str] = set()
    broken = []
    for quad in quads:
        name, subject = quad.predicate.value, quad.subject.value
        kind = {
            f"{KG}hasCitation": "citation",
            "http://purl.org/dc/terms/title": "title" if "/work/" in subject else "",
            "http://purl.org/spar/cito/hasCitationCharacterization": "stance",
            "http://www.w3.org/ns/oa#exact": "exact",
        }.get(name, "")
        if kind and kind not in dropped:
            dropped.add(kind)
            continue
        broken.append(quad)
    theme = NamedNode(f"{BASE}theme/not-in-the-scheme")
    claim = next(q.subject for q in quads if q.predicate.value == f"{KG}claimText")
    subject = NamedNode("http://purl.org/dc/terms/subject")
    broken.append(Quad(claim, subject, theme, quads[0].graph_name))
    report = check_review(review, bibliography, texts, broken)
    errors = [f for f in report.findings if f.check == "shapes"]
    messages = "\n".join(f.shown() for f in errors)
    assert not report.conforms
    assert "a claim cites at least one work" in messages
    assert "a work needs a title, or kg:incomplete true" in messages
    assert "a citation needs exactly one CiTO characterisation" in messages
    assert "a claim's anchor needs a text quote selector" in messages
    assert "a claim's theme must be a concept of the theme scheme" in messages
    untitled = next(f for f in errors if "needs a title" in f.message)
    assert untitled.file.endswith("references.bib") and untitled.line > 0 and untitled.key
    on_claims = [f for f in errors if "claim/" in f.message or "citation/" in f.message]
    assert on_claims and all(f.file.endswith("nixon2020-excerpt.txt") for f in on_claims)
    assert all(f.line > 0 for f in on_claims)


def test_incomplete_work_without_title_conforms(built) -> None:
    review, bibliography, texts, quads = _seed_parts(built)
    title = "http://purl.org/dc/terms/title"
    work = next(q.subject for q in quads if q.predicate.value == f"{KG}bibKey")
    kept = [q for q in quads if not (q.subject == work and q.predicate.value == title)]
    flag = Literal("true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    kept.append(Quad(work, NamedNode(f"{KG}incomplete"), flag, quads[0].graph_name))
    assert check_review(review, bibliography, texts, kept).conforms


def test_bibliography_checks_with_severity_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(
        "@article{a, author={Doe, Jane}, title={One}, year=2001}\n"  # 1
        "@article{a, author={Doe, Jane}, title={Other}, year=2001}\n"  # 2
        "@article{b, title={No author}, year=2002}\n"  # 3
        "@article{c, author={Roe, Ann}, title={No year}}\n"  # 4
        "@inbook{d, author={Roe, Ann}, title={T}, year=2003, crossref={gone}}\n"  # 5
        "@article{e, author={Roe, Ann}, title={T}, year=2004, journal=undefinedmacro}\n"  # 6
        "@weird{f, author={Roe, Ann}, title={T}, year=2005}\n"  # 7
        "@article{broken, title={never closed, year=2006\n\n"  # 8
        "@article{g, author={Roe, Ann}, title={T}, year=2007}\n",  # 10
        encoding="utf-8",
    )
    report = validate_bibliography([path])
    found = {(f.severity.value, f.line): f.message for f in report.findings}
    assert "duplicate key 'a' with different content, first defined at line 1" in found["error", 2]
    assert "entry 'b' has no author or editor" in found["warning", 3]
    assert "entry 'c' has no year or date" in found["warning", 4]
    assert "crossref to 'gone', which is not in the bibliography" in found["warning", 5]
    assert "undefined @string macro 'undefinedmacro'" in found["warning", 6]
    assert "unknown entry type @weird" in found["warning", 7]
    assert "cannot parse entry 'broken'" in found["error", 8]
    assert report.exit_code == 1
    assert dict(report.checked)["entries"] == 7
    assert all(f.file == str(path) for f in report.findings)


def test_entry_never_cited_is_a_warning(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    text = (BIB / "references.bib").read_text("utf-8") + "\n\n@book{never2001cited,\n"
    bib.write_text(text + "  author = {Nobody, Ann}, title = {Uncited}, year = 2001}\n", "utf-8")
    config = write_config(tmp_path, bibliography=f'["{bib}"]')
    build_review(config)
    report = validate_review(config)
    assert report.conforms
    (uncited,) = [f for f in report.findings if "never cited" in f.message]
    assert uncited.key == "never2001cited"
    assert uncited.severity is Severity.WARNING
    assert uncited.line == text.count("\n")


def test_unreadable_files_are_findings_not_crashes(tmp_path: Path) -> None:
    binary = tmp_path / "binary.bib"
    binary.write_bytes(b"@book{x,\x00\x01}")
    report = validate_bibliography([binary, tmp_path / "missing.bib", tmp_path])
    shown = [f.shown(tmp_path) for f in report.findings]
    assert shown == [
        ".: a folder, not a bibliography file",
        "binary.bib:1: this is a binary file, not BibTeX",
        "missing.bib: bibliography file not found",
    ]
    assert report.exit_code == 1


def test_text_report_groups_by_severity() -> None:
    report = Report(
        (
            Finding(Severity.ERROR, "bad", "a.bib", 3),
            Finding(Severity.WARNING, "meh", "a.bib", 1),
            Finding(Severity.INFO, "fyi \x1b[31mred", "a.bib"),
        ),
        (("entries", 2),),
    )
    assert format_report(report, ReportFormat.TEXT).splitlines() == [
        "Errors (1):",
        "  a.bib:3: bad",
        "Warnings (1):",
        "  a.bib:1: meh",
        "Notes (1):",
        "  a.bib: fyi \\x1b[31mred",
        "Does not conform: 1 errors, 1 warnings, 1 notes (2 entries checked).",
    ]


CORPUS_FILES = (
    sorted((CORPORA / "bibtexparser-fixtures").glob("*.bib")) if CORPORA.is_dir() else []
) + [CORPORA / "biblatex-examples" / "biblatex-examples.bib"]
NOT_CONFORMING = {"gbk_test.bib", "biber-examples.bib"}


@requires_shared
@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_validate_reports_on_every_corpus_file(path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--bib", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == (1 if path.name in NOT_CONFORMING else 0), result.output
    assert result.output.rstrip().splitlines()[-1].startswith(("Conforms:", "Does not conform:"))
