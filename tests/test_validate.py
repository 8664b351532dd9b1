"""`kg validate`: SHACL shapes and bibliography checks, their report and exit codes."""

from __future__ import annotations

import json
import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, parse

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
from kg.errors import KgError, ValidationError
from kg.load.bib import parse_bibliography

from .conftest import BIB, ROOT, SHARED, requires_shared, write_config

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
        (("entries", 2), ("texts", 1), ("files", 1), ("citations", 0)),
    )
    assert format_report(report, ReportFormat.TEXT).splitlines() == [
        "Errors (1):",
        "  a.bib:3: bad",
        "Warnings (1):",
        "  a.bib:1: meh",
        "Notes (1):",
        "  a.bib: fyi \\x1b[31mred",
        "Does not conform: 1 error, 1 warning, 1 note"
        " (2 entries, 1 text, 1 file, 0 citations checked).",
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


# --- kg's shape checker against pySHACL -------------------------------------------------------
# kg.checks.shapes runs ontology/shapes.ttl as SPARQL over pyoxigraph; pySHACL (a test
# dependency, the engine kg used before) is the reference. A result is compared by focus
# node, path, value, severity, constraint component and message: the shape's sh:message
# where it has one, the component alone where pySHACL makes up a message of its own.

SH = "http://www.w3.org/ns/shacl#"
OA = "http://www.w3.org/ns/oa#"
CITO = "http://purl.org/spar/cito/"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = f"{RDF}type"


def _term_key(term: object) -> object:
    """A term of either library as compared: blank nodes alike (their labels differ),
    literals by their text."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, BlankNode | rdflib.BNode):
        return "_:"
    if isinstance(term, Literal | rdflib.Literal):
        return ("literal", term.value if isinstance(term, Literal) else str(term))
    return term.value if isinstance(term, NamedNode) else str(term)


def _shape_messages() -> set[str]:
    from kg.config import ontology_path

    text = (ontology_path() / "shapes.ttl").read_text("utf-8")
    shapes = parse(input=text, format=RdfFormat.TURTLE)
    return {q.object.value for q in shapes if q.predicate.value == f"{SH}message"}


def _pyshacl_results(quads: list[Quad]) -> set[tuple[object, ...]]:
    """pySHACL's results on the union of the quads' graphs, nested ones (sh:detail) too."""
    import rdflib
    from pyshacl import validate

    from kg.config import ontology_path

    def term(node: object) -> rdflib.term.Node:
        if isinstance(node, NamedNode):
            return rdflib.URIRef(node.value)
        if isinstance(node, BlankNode):
            return rdflib.BNode(node.value)
        assert isinstance(node, Literal)
        if node.language:
            return rdflib.Literal(node.value, lang=node.language)
        if node.datatype.value == f"{XSD}string":
            return rdflib.Literal(node.value)
        return rdflib.Literal(node.value, datatype=rdflib.URIRef(node.datatype.value))

    graph = rdflib.Graph()
    for quad in quads:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    shapes = str(ontology_path() / "shapes.ttl")
    with warnings.catch_warnings():  # pySHACL uses rdflib's deprecated Dataset API
        warnings.simplefilter("ignore", DeprecationWarning)
        _, report, _ = validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    said = _shape_messages()
    found = set()
    for result in report.subjects(rdflib.RDF.type, rdflib.URIRef(f"{SH}ValidationResult")):

        def value(name: str, result: object = result) -> object:
            return report.value(result, rdflib.URIRef(f"{SH}{name}"))

        path, message = value("resultPath"), str(value("resultMessage"))
        found.add((
            _term_key(value("focusNode")), str(path) if isinstance(path, rdflib.URIRef) else None,
            _term_key(value("value")), str(value("resultSeverity")),
            str(value("sourceConstraintComponent")), message if message in said else None,
        ))  # fmt: skip
    return found


def _kg_results(quads: list[Quad]) -> set[tuple[object, ...]]:
    from kg.checks.shapes import load_shapes

    said = _shape_messages()
    return {
        (
            _term_key(r.focus),
            r.path.value if r.path else None,
            _term_key(r.value),
            r.severity.value,
            r.component.value,
            r.message if r.message in said else None,
        )
        for r in load_shapes().check(quads)
    }


def _lit(text: str, datatype: str = "", language: str = "") -> Literal:
    if language:
        return Literal(text, language=language)
    return Literal(text, datatype=NamedNode(f"{XSD}{datatype}")) if datatype else Literal(text)


# Each way to break the seed review's graph: the quad changed (the first whose predicate is
# this and whose subject, or object, holds the text), and what is done to it.
BREAKAGES: dict[str, tuple[str, str, str, object]] = {
    "as built": ("", "", "keep", None),
    "claim without text": (f"{KG}claimText", "", "drop", None),
    "claim with two texts": (f"{KG}claimText", "", "add", _lit("another")),
    "claim text empty": (f"{KG}claimText", "", "swap", _lit("")),
    "claim text in a language": (f"{KG}claimText", "", "swap", _lit("words", language="en")),
    "claim text an IRI": (f"{KG}claimText", "", "swap", NamedNode(f"{BASE}x")),
    "claim without origin": (f"{KG}claimOrigin", "", "drop", None),
    "claim origin unknown": (f"{KG}claimOrigin", "", "swap", _lit("invented")),
    "claim with two origins": (f"{KG}claimOrigin", "", "add", _lit("curated")),
    "claim without anchor": (f"{OA}hasTarget", "", "drop", None),
    "claim anchor empty": (f"{OA}hasTarget", "", "swap", NamedNode(f"{BASE}nothing")),
    "claim without citation": (f"{KG}hasCitation", "", "drop", None),
    "claim citing a non-citation": (f"{KG}hasCitation", "", "swap", NamedNode(f"{BASE}x")),
    "claim theme outside the scheme": (f"{DCTERMS}subject", "", "swap", NamedNode(f"{BASE}t")),
    "anchor without source": (f"{OA}hasSource", "", "drop", None),
    "anchor source a literal": (f"{OA}hasSource", "", "swap", _lit("text")),
    "anchor with two sources": (f"{OA}hasSource", "", "add", NamedNode(f"{BASE}text/other")),
    "anchor without position": (f"{OA}hasSelector", "#position", "drop object", None),
    "anchor without quote": (f"{OA}hasSelector", "#quote", "drop object", None),
    "quote without exact": (f"{OA}exact", "", "drop", None),
    "quote exact empty": (f"{OA}exact", "", "swap", _lit("")),
    "quote with two prefixes": (f"{OA}prefix", "", "add", _lit("more")),
    "quote untyped": (RDF_TYPE, "#quote", "drop", None),
    "position without start": (f"{OA}start", "", "drop", None),
    "position start negative": (f"{OA}start", "", "swap", _lit("-1", "nonNegativeInteger")),
    "position start an integer": (f"{OA}start", "", "swap", _lit("5", "integer")),
    "position start a string": (f"{OA}start", "", "swap", _lit("five")),
    "position start with leading zeros": (
        f"{OA}start", "", "swap", _lit("0007", "nonNegativeInteger")
    ),
    "position start with a plus": (f"{OA}start", "", "swap", _lit("+7", "nonNegativeInteger")),
    "position start after end": (f"{OA}start", "", "swap", _lit("99999", "nonNegativeInteger")),
    "position with two ends": (f"{OA}end", "", "add", _lit("1", "nonNegativeInteger")),
    "position end ill-typed": (f"{OA}end", "", "swap", _lit("abc", "nonNegativeInteger")),
    "citation without citing work": (f"{CITO}hasCitingEntity", "", "drop", None),
    "citation citing nothing known": (
        f"{CITO}hasCitingEntity", "", "swap", NamedNode(f"{BASE}work/nobody")
    ),
    "citation with two citing works": (
        f"{CITO}hasCitingEntity", "", "add", NamedNode(f"{BASE}work/maruna2007")
    ),
    "citation without cited work": (f"{CITO}hasCitedEntity", "", "drop", None),
    "citation cited a literal": (f"{CITO}hasCitedEntity", "", "swap", _lit("someone")),
    "citation cited unknown": (f"{CITO}hasCitedEntity", "", "swap", NamedNode(f"{BASE}nobody")),
    "citation cited a blank node": (f"{CITO}hasCitedEntity", "", "swap", BlankNode("b1")),
    "citation without stance": (f"{CITO}hasCitationCharacterization", "", "drop", None),
    "stance not CiTO": (
        f"{CITO}hasCitationCharacterization", "", "swap", NamedNode(f"{CITO}Cites")
    ),
    "stance a literal": (f"{CITO}hasCitationCharacterization", "", "swap", _lit(f"{CITO}cites")),
    "citation with two stances": (
        f"{CITO}hasCitationCharacterization", "", "add", NamedNode(f"{CITO}extends")
    ),
    "confidence above one": (f"{KG}resolutionConfidence", "", "swap", _lit("1.5", "decimal")),
    "confidence a word": (f"{KG}resolutionConfidence", "", "swap", _lit("high")),
    "confidence twice": (f"{KG}resolutionConfidence", "", "add", _lit("0.5", "decimal")),
    "work without title": (f"{DCTERMS}title", "/work/", "drop", None),
    "work incomplete false": (
        f"{KG}bibKey", "", "add", (f"{KG}incomplete", _lit("false", "boolean"))
    ),
    "work with two keys": (f"{KG}bibKey", "", "add", _lit("other")),
    "work key an integer": (f"{KG}bibKey", "", "swap", _lit("7", "integer")),
    "work with two years": (f"{DCTERMS}issued", "", "add", _lit("1999", "gYear")),
    "theme without scheme": (f"{SKOS}inScheme", "", "drop", None),
    "theme in a non-scheme": (f"{SKOS}inScheme", "", "swap", NamedNode(f"{BASE}not-a-scheme")),
    "theme without label": (f"{SKOS}prefLabel", "", "drop", None),
    "theme with two English labels": (f"{SKOS}prefLabel", "", "add", _lit("Other", language="en")),
    "tag without claim": (f"{OA}hasTarget", "#tag-", "drop", None),
    "tag of a non-claim": (f"{OA}hasTarget", "#tag-", "swap", NamedNode(f"{BASE}x")),
    "tag body a literal": (f"{OA}hasBody", "", "swap", _lit("desistance")),
    "tag score above one": (f"{KG}tagScore", "", "swap", _lit("1.5", "decimal")),
    "tag method unknown": (f"{KG}tagMethod", "", "swap", NamedNode(f"{KG}Guess")),
    "stance confidence twice": (f"{KG}stanceConfidence", "", "add", _lit("0.2", "decimal")),
    "text taken for a page": (
        f"{DCTERMS}isFormatOf", "/text/", "add", (RDF_TYPE, NamedNode(f"{OA}SpecificResource"))
    ),
}  # fmt: skip


STILL_CONFORMING = {"as built", "position start with leading zeros", "position start with a plus"}


def _broken(quads: list[Quad], predicate: str, where: str, action: str, new: object) -> list[Quad]:
    if action == "keep":
        return quads
    place = "object" if action == "drop object" else "subject"
    index = next(
        i
        for i, q in enumerate(quads)
        if q.predicate.value == predicate and where in getattr(q, place).value
    )
    quad, rest = quads[index], quads[:index] + quads[index + 1 :]
    if action in ("drop", "drop object"):
        return rest
    if action == "swap":
        return [*rest, Quad(quad.subject, quad.predicate, new, quad.graph_name)]  # type: ignore[arg-type]
    if isinstance(new, tuple):  # another property of the same subject
        return [*quads, Quad(quad.subject, NamedNode(new[0]), new[1], quad.graph_name)]
    return [*quads, Quad(quad.subject, quad.predicate, new, quad.graph_name)]  # type: ignore[arg-type]


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_shapes_find_what_pyshacl_finds_in_a_review(built, breakage: str) -> None:
    report, _ = built
    quads = list(parse(path=str(report.output / "graph.trig"), format=RdfFormat.TRIG))
    broken = _broken(quads, *BREAKAGES[breakage])
    expected = _pyshacl_results(broken)
    assert _kg_results(broken) == expected
    assert bool(expected) is (breakage not in STILL_CONFORMING)


# A review of one PDF: its claims derived from pages, its reference list's works parsed.
PDF_BREAKAGES: dict[str, tuple[str, str, str, object]] = {
    "as built": ("", "", "keep", None),
    "page selector without value": (f"{RDF}value", "", "drop", None),
    "page zero": (f"{RDF}value", "", "swap", _lit("page=0")),
    "page with two selectors": (
        f"{OA}hasSelector", "page", "add", NamedNode(f"{BASE}selector")
    ),
    "page selector of the wrong class": (
        f"{OA}hasSelector", "page", "swap", NamedNode(f"{OA}TextQuoteSelector")
    ),
    "parsed work without its entry": (f"{KG}referenceString", "", "drop", None),
    "parsed work's entry empty": (f"{KG}referenceString", "", "swap", _lit("")),
    "parsed from a literal": (f"{KG}parsedFrom", "", "swap", _lit("the PDF")),
}  # fmt: skip


@pytest.fixture(scope="module")
def pdf_review(tmp_path_factory: pytest.TempPathFactory) -> list[Quad]:
    """The quads of a built review of one shared PDF and no bibliography."""
    folder = tmp_path_factory.mktemp("pdf-review")
    pdf = next((CORPORA / "pdfs").glob("nuijten2016*.pdf"))
    (folder / "kg.toml").write_text(
        f'title = "PDF review"\noutput = "build"\nthemes = "{ROOT / "ontology" / "themes.ttl"}"\n'
        f'texts = [{{path = "{pdf}", work = "nuijten2016prevalence"}}]\n',
        encoding="utf-8",
    )
    build_review(folder / "kg.toml")
    return list(parse(path=str(folder / "build" / "graph.trig"), format=RdfFormat.TRIG))


@requires_shared
@pytest.mark.parametrize("breakage", PDF_BREAKAGES)
def test_shapes_find_what_pyshacl_finds_in_a_review_of_a_pdf(pdf_review, breakage: str) -> None:
    broken = _broken(pdf_review, *PDF_BREAKAGES[breakage])
    expected = _pyshacl_results(broken)
    assert _kg_results(broken) == expected
    assert bool(expected) is (breakage != "as built")


def _corpus_bibliographies() -> list[list[Path]]:
    if not CORPORA.is_dir():
        return []
    papers = CORPORA / "biber-papers"
    files = [[path] for path in sorted(CORPORA.glob("*/*.bib"))]
    return [*files, [papers / "definitions.bib", papers / "papers.bib"]]


@requires_shared
@pytest.mark.parametrize(
    "paths", _corpus_bibliographies() or [[CORPORA]], ids=lambda ps: "+".join(p.name for p in ps)
)
def test_bib_shapes_find_what_pyshacl_finds_in_the_whole_graph(paths: list[Path]) -> None:
    """``validate --bib`` checks only the works' quads; pySHACL, the whole bibliography
    graph. They find the same, on every corpus bibliography and the seed's."""
    from kg.checks.validate import BIBLIOGRAPHY_BASE
    from kg.graph import bibliography_graph, works_graph

    bibliography = parse_bibliography(paths, tolerant=True)
    whole = bibliography_graph(BIBLIOGRAPHY_BASE, bibliography.works)
    assert _kg_results(works_graph(BIBLIOGRAPHY_BASE, bibliography.works)) == _pyshacl_results(
        whole
    )


def test_bib_shapes_on_the_seed_bibliography_and_broken_works() -> None:
    from kg.checks.validate import BIBLIOGRAPHY_BASE
    from kg.graph import bibliography_graph, works_graph

    works = parse_bibliography([BIB / "references.bib"]).works
    broken = [replace(works[0], title=""), *works[1:]]
    for kept in (works, broken):
        whole = bibliography_graph(BIBLIOGRAPHY_BASE, kept)
        assert _kg_results(works_graph(BIBLIOGRAPHY_BASE, kept)) == _pyshacl_results(whole)


def test_shapes_kg_cannot_check_are_refused(tmp_path: Path) -> None:
    from kg.checks.shapes import load_shapes

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<https://example.org/S> a sh:NodeShape ; sh:targetClass <https://example.org/C> ;\n"
        "    sh:closed true .\n",
        encoding="utf-8",
    )
    with pytest.raises(KgError, match=r"shapes\.ttl: shape https://example.org/S uses sh:closed,"):
        load_shapes(shapes)
    with pytest.raises(KgError, match=r"missing\.ttl: the SHACL shapes are missing"):
        load_shapes(tmp_path / "missing.ttl")


@pytest.mark.parametrize("subclass", [NamedNode(f"{BASE}Conjecture"), BlankNode("conjecture")])
def test_shapes_see_instances_of_subclasses(built, subclass: NamedNode | BlankNode) -> None:
    """A node typed with a subclass of kg:Claim (named, or a blank node, which kg's checker
    cannot name in a query) is a claim to both engines."""
    report, _ = built
    quads = list(parse(path=str(report.output / "graph.trig"), format=RdfFormat.TRIG))
    sub_class_of = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    odd = NamedNode(f"{BASE}claim/odd")
    quads += [
        Quad(subclass, sub_class_of, NamedNode(f"{KG}Claim")),
        Quad(odd, NamedNode(RDF_TYPE), subclass),
    ]
    found = _kg_results(quads)
    assert found == _pyshacl_results(quads)
    assert {result[0] for result in found} == {odd.value}


@pytest.mark.parametrize("forking", [True, False], ids=["forked", "in this process"])
def test_the_graph_is_read_with_or_without_a_fork(built, tmp_path: Path, monkeypatch, forking):
    """The graph is read in a forked process where kg may fork, here otherwise: the same
    report either way, and a graph that cannot be read says so (exit 2)."""
    import kg.checks.validate as validate

    _, config = built
    forked = validate_review(config)
    monkeypatch.setattr(validate, "can_fork", lambda: forking)
    assert validate_review(config) == forked
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "graph.trig").write_text("<a> <b> .\n", encoding="utf-8")
    broken = CliRunner().invoke(main, ["validate", "-c", str(write_config(tmp_path))])
    assert broken.exit_code == 2
    assert "graph.trig: cannot read the built graph (" in broken.output
    assert "run `kg build`" in broken.output
