"""``kg validate``: is a review (or one bibliography) well formed, and if not, where not.

Two kinds of checks, reported together as ``Finding`` records with file and line:

- bibliography checks, on the ``.bib`` files: blocks that cannot be parsed, duplicate keys
  (an error when the entries differ), entries without author or year, ``crossref`` or
  ``xref`` to a missing key, undefined ``@string`` macros, unknown entry types; for a review
  also citations with no entry (or several) and entries never cited;
- the SHACL shapes of ``ontology/shapes.ttl``, run by ``kg.checks.shapes`` (SPARQL over
  pyoxigraph, with pySHACL's findings) over the graph the build wrote (``build/graph.trig``,
  all named graphs as one), each result traced back to the bibliography entry or the line
  of the text it comes from.

A report *conforms* when it holds no error; warnings and notes are shown but do not fail.
``kg validate`` exits as pySHACL does: 0 conforms, 1 does not conform, 2 could not run
(no kg.toml, no build, no shapes file). ``kg build --strict`` runs ``check_review`` on what
it is about to write and refuses where ``kg validate`` would fail.

>>> report = validate_review("bib/kg.toml")  # doctest: +SKIP
>>> report.conforms, report.count(Severity.WARNING)  # doctest: +SKIP
(True, 2)
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse

from kg.checks.shapes import ShapeResult, load_shapes, prefixed
from kg.config import Review, TextSource, find_config, load_config
from kg.errors import InputError, KgError
from kg.load.bib import Bibliography, Problem, Work, parse_bibliography
from kg.load.citations import Mention, ResolutionIssue, find_citations, line_of, resolve_citations
from kg.namespaces import CITO, KG
from kg.parallel.forked import Forked, can_fork, converse_beside

__all__ = [
    "Finding",
    "Report",
    "ReportFormat",
    "Severity",
    "TextCitations",
    "check_review",
    "format_report",
    "validate_bibliography",
    "validate_review",
]

# Entry types of BibTeX and BibLaTeX (and the aliases biber accepts); others are reported.
ENTRY_TYPES = frozenset([
    "article", "book", "mvbook", "inbook", "bookinbook", "suppbook", "booklet", "collection",
    "mvcollection", "incollection", "suppcollection", "dataset", "manual", "misc", "online",
    "patent", "periodical", "suppperiodical", "proceedings", "mvproceedings", "inproceedings",
    "reference", "mvreference", "inreference", "report", "set", "software", "thesis",
    "unpublished", "xdata", "conference", "electronic", "mastersthesis", "phdthesis",
    "techreport", "www", "artwork", "audio", "bibnote", "commentary", "image", "jurisdiction",
    "legislation", "legal", "letter", "movie", "music", "performance", "review", "standard",
    "video", "customa", "customb", "customc", "customd", "custome", "customf",
])  # fmt: skip
# Entry types that need no author: their editors, organisation or title stand for it.
NO_AUTHOR_NEEDED = frozenset([
    "proceedings", "mvproceedings", "collection", "mvcollection", "periodical", "reference",
    "mvreference", "manual", "booklet", "online", "misc", "set", "xdata", "www", "electronic",
])  # fmt: skip
SHACL = "http://www.w3.org/ns/shacl#"
# Where ``validate --bib`` names the works it checks; a review uses its own base.
BIBLIOGRAPHY_BASE = "urn:kg:validate/"
KEY = NamedNode(str(KG.bibKey))
CITES = NamedNode(str(CITO.cites))
SEVERITIES = {f"{SHACL}Violation": "error", f"{SHACL}Warning": "warning", f"{SHACL}Info": "info"}
PLACE = re.compile(r"/(?:claim|citation)/([^/#]+)/(\d+)-(\d+)")
MINTED = re.compile(r".*/((?:claim|citation|work|person|org|venue|text|unresolved)/[^/].*)$")


class Severity(StrEnum):
    """How bad a finding is; only errors make a review fail to conform."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ReportFormat(StrEnum):
    """How ``kg validate`` prints its report."""

    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True)
class Finding:
    """One thing validation found, at a place in an input file (line 0: the whole file)."""

    severity: Severity
    message: str
    file: str = ""
    line: int = 0
    key: str | None = None
    check: str = "bibliography"

    def shown(self, folder: Path | None = None) -> str:
        """``FILE:LINE: message``, FILE relative to ``folder`` (default: the working folder)."""
        if not self.file:
            return self.message
        relative = os.path.relpath(self.file, folder or Path.cwd())
        shown = self.file if relative.startswith("..") else relative
        where = f"{shown}:{self.line}" if self.line else shown
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Report:
    """The findings of one validation, and what was checked (entries, texts, triples...)."""

    findings: tuple[Finding, ...]
    checked: tuple[tuple[str, int], ...] = ()

    @property
    def conforms(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 when the review conforms, 1 when it does not (pySHACL's convention)."""
        return 0 if self.conforms else 1

    def count(self, severity: Severity) -> int:
        """How many findings have ``severity``."""
        return sum(1 for f in self.findings if f.severity is severity)

    def first_error(self) -> Finding | None:
        """The first error, in report order, or None."""
        return next((f for f in self.findings if f.severity is Severity.ERROR), None)


@dataclass(frozen=True)
class TextCitations:
    """A citing text as the build read it: its source, content, citations and their issues."""

    source: TextSource
    text: str
    mentions: tuple[Mention, ...]
    issues: tuple[ResolutionIssue, ...]


def validate_bibliography(paths: Sequence[str | Path]) -> Report:
    """Check bibliography files on their own: the bibliography checks, then the work shapes.

    A file that cannot be read (missing, binary, not UTF-8) is an error finding, not an
    exception, so every file given is checked. The shapes see the works as the graph would
    hold them (``kg.graph.works_graph``), not the people and venues, which no shape reads.
    A large file is read in two halves at once, as ``kg build`` reads it.
    """
    bibliography = parse_bibliography(paths, tolerant=True, beside=converse_beside)
    findings = check_bibliography(bibliography, paths)
    checked = [("files", len(paths)), ("entries", len(bibliography.works))]
    if bibliography.works:
        from kg.graph import works_graph

        quads = works_graph(BIBLIOGRAPHY_BASE, bibliography.works)
        locate = _locator(bibliography, ())
        findings.extend(_result_finding(r, locate) for r in load_shapes().check(quads))
        checked.append(("triples", len(quads)))
    return Report(tuple(_ordered(findings)), tuple(checked))


def validate_review(config: str | Path | None = None) -> Report:
    """Check a built review: its bibliography, its citations and the graph in its build folder.

    The graph is read and checked against the shapes in a forked process (where kg may
    fork: ``kg.parallel.forked``) while this one reads the bibliography and the texts: at
    10,000 works the graph takes about two thirds of the work, the rest a third.

    Raises ``KgError`` when validation cannot run: no ``kg.toml``, no build to check (run
    ``kg build`` first), or a built graph that cannot be read.
    """
    review = load_config(config or find_config())
    graph_file = review.output / "graph.trig"
    if not graph_file.is_file():
        raise KgError(f"{graph_file}: no built graph to validate; run `kg build` first")
    read_graph = partial(_read_graph_file, graph_file)
    forked = Forked(read_graph) if can_fork() else None
    try:
        bibliography = (
            parse_bibliography(review.bibliographies, tolerant=True)
            if review.bibliographies
            else Bibliography(())
        )
        texts: list[TextCitations] = []
        findings: list[Finding] = []
        from kg.load.texts import citing_texts

        for source in citing_texts(review, bibliography.works):
            try:
                texts.append(read_citations(source, bibliography.works))
            except InputError as error:
                findings.append(
                    Finding(Severity.ERROR, str(error), str(source.path), check="texts")
                )
        graph = forked.result() if forked else read_graph()
    finally:
        if forked:
            forked.close()
    report = _review_report(review, bibliography, texts, graph)
    return Report(tuple(_ordered([*findings, *report.findings])), report.checked)


def read_citations(source: TextSource, works: Sequence[Work]) -> TextCitations:
    """Read a citing text (a PDF's extracted) and find and resolve its citations against
    the bibliography and the works its own reference list adds, as the build does."""
    from kg.load.pdf import PdfText
    from kg.load.references import read_references
    from kg.load.texts import load_text

    loaded = load_text(source.path)
    text = loaded.text if isinstance(loaded, PdfText) else loaded
    references = read_references(text, source.path.name, works)
    cited = [m for m in find_citations(text) if not references.holds(m.start)]
    # The bibliography itself where the text adds no work, so that its index (made once,
    # kg.load.citations.index_works) serves every text, as in the build: made anew for each
    # text, it took 12 of the 20 s of validating a review of 10,000 works.
    known = (*works, *references.works) if references.works else works
    mentions, issues = resolve_citations(cited, known)
    return TextCitations(source, text, tuple(mentions), tuple(issues))


def check_review(
    review: Review,
    bibliography: Bibliography,
    texts: Sequence[TextCitations],
    quads: Iterable[Quad],
) -> Report:
    """Every check of a review on what is in memory: used by ``validate_review`` and strict builds.

    ``texts`` are the citing texts with their resolved citations; ``quads`` the review graph.
    """
    return _review_report(review, bibliography, texts, _read_graph(quads))


@dataclass(frozen=True)
class _Graph:
    """What the checks need of a review's graph: the SHACL results, the keys of the works
    that a work cites (``cito:cites``), and how many quads it holds (as read). Small, so a
    forked process sends it back cheaply."""

    results: tuple[ShapeResult, ...]
    cited: frozenset[str]
    quads: int


def _read_graph(quads: Iterable[Quad]) -> _Graph:
    """Check the quads against the shapes and find the cited works, in one reading."""
    quads = quads if isinstance(quads, list) else list(quads)
    links = [q for q in quads if q.predicate in (KEY, CITES)]
    key_of = {
        q.subject: q.object.value
        for q in links
        if q.predicate == KEY and isinstance(q.object, Literal)
    }
    cited = frozenset(
        key_of[q.object] for q in links if q.predicate == CITES and q.object in key_of
    )
    return _Graph(tuple(load_shapes().check(quads)), cited, len(quads))


def _read_graph_file(path: Path) -> _Graph:
    """``_read_graph`` of a TriG file; one that cannot be read says to build again."""
    try:
        return _read_graph(parse(path=str(path), format=RdfFormat.TRIG))  # type: ignore[arg-type]
    except (OSError, SyntaxError) as error:
        raise KgError(f"{path}: cannot read the built graph ({error}); run `kg build`") from None


def _review_report(
    review: Review, bibliography: Bibliography, texts: Sequence[TextCitations], graph: _Graph
) -> Report:
    findings = check_bibliography(bibliography, review.bibliographies)
    findings.extend(_citation_findings(texts))
    findings.extend(_uncited_findings(bibliography, texts, graph.cited))
    locate = _locator(bibliography, texts)
    findings.extend(_result_finding(result, locate) for result in graph.results)
    checked = (
        ("entries", len(bibliography.works)),
        ("texts", len(texts)),
        ("citations", sum(len(m.refs) for t in texts for m in t.mentions)),
        ("triples", graph.quads),
    )
    return Report(tuple(_ordered(findings)), checked)


def check_bibliography(
    bibliography: Bibliography, paths: Sequence[str | Path] = ()
) -> list[Finding]:
    """The bibliography's reading problems, and entries that lack what a reference needs.

    ``paths`` are the files read; one that holds no entry at all is noted.
    """
    findings = [_from_problem(problem) for problem in bibliography.problems]
    for work in bibliography.works:
        findings.extend(
            Finding(severity, message, work.path, work.line, work.key)
            for severity, message in _entry_findings(work)
        )
    with_entries = {w.path for w in bibliography.works}
    unreadable = {p.path for p in bibliography.problems if p.severity == "error" and not p.key}
    for path in map(str, paths):
        if path not in with_entries and path not in unreadable:
            findings.append(Finding(Severity.INFO, "no entry in this file", path))
    return findings


def _entry_findings(work: Work) -> Iterator[tuple[Severity, str]]:
    """What one entry lacks for a reference: a known type, an author, a year, a title."""
    if work.entry_type not in ENTRY_TYPES:
        yield (
            Severity.WARNING,
            f"entry {work.key!r}: unknown entry type @{work.entry_type}; kg reads it as a document",
        )
    if not work.authors and not work.editors and work.entry_type not in NO_AUTHOR_NEEDED:
        yield (
            Severity.WARNING,
            f"entry {work.key!r} has no author or editor; citations cannot be matched to it",
        )
    if not work.year:
        yield (
            Severity.WARNING,
            f"entry {work.key!r} has no year or date; author-date citations cannot match it",
        )
    if not work.title:
        yield Severity.INFO, f"entry {work.key!r} has no title; it is marked incomplete"


def _from_problem(problem: Problem) -> Finding:
    return Finding(
        Severity(problem.severity), problem.message, problem.path, problem.line, problem.key
    )


def _citation_findings(texts: Sequence[TextCitations]) -> list[Finding]:
    severity = {"unresolved": Severity.ERROR, "ambiguous": Severity.ERROR}
    findings = []
    for text in texts:
        for issue in text.issues:
            findings.append(Finding(
                severity.get(issue.kind, Severity.WARNING), issue.detail, str(text.source.path),
                issue.line, issue.ref.bibkey, "citations",
            ))  # fmt: skip
    return findings


def _uncited_findings(
    bibliography: Bibliography, texts: Sequence[TextCitations], cited: frozenset[str]
) -> list[Finding]:
    """Entries no text cites (nor a cited entry's crossref), except the citing works."""
    works = bibliography.by_key()
    used = set(cited) | {text.source.work for text in texts}
    for key in cited:
        parent = works[key].get("crossref") if key in works else None
        while parent and parent not in used:
            used.add(parent)
            parent = works[parent].get("crossref") if parent in works else None
    return [
        Finding(
            Severity.WARNING,
            f"entry {work.key!r} is never cited in the review's texts",
            file=work.path,
            line=work.line,
            key=work.key,
            check="citations",
        )
        for work in bibliography.works
        if work.key not in used
    ]


def _locator(
    bibliography: Bibliography, texts: Sequence[TextCitations]
) -> Callable[[str], tuple[str, int, str | None]]:
    """Where in the inputs a node of the graph comes from: (file, line, bibliography key)."""
    works = bibliography.by_key()
    by_citing = {t.source.work: t for t in texts}

    def locate(iri: str) -> tuple[str, int, str | None]:
        place = PLACE.search(iri)
        if place:
            text = by_citing.get(unquote(place.group(1)))
            if text is not None:
                return str(text.source.path), line_of(text.text, int(place.group(2))), None
        key = unquote(iri.rsplit("/work/", 1)[1].split("#")[0]) if "/work/" in iri else None
        work = works.get(key or "")
        if work is not None:
            return work.path, work.line, work.key
        return "", 0, None

    return locate


def _result_finding(
    result: ShapeResult, locate: Callable[[str], tuple[str, int, str | None]]
) -> Finding:
    message = result.message
    if result.path is not None:
        said = _short(result.path.value)
        if result.value is not None:
            value = result.value.value
            said += f" = {_short(value) if isinstance(result.value, NamedNode) else value}"
        message += f" ({said})"
    file, line, key = locate(result.focus.value)
    return Finding(
        Severity(SEVERITIES.get(result.severity.value, "error")),
        f"{_short(result.focus.value)}: {message}",
        file, line, key, "shapes",
    )  # fmt: skip


def _short(iri: str) -> str:
    """An IRI as a message shows it: ``prefix:name`` for vocabularies, ``claim/KEY/START-END``
    for what the review minted."""
    shown = prefixed(iri)
    if shown != iri:
        return shown
    minted = MINTED.search(iri)
    return minted.group(1) if minted else iri


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(set(findings), key=lambda f: (rank[f.severity], f.file, f.line, f.message))


def format_report(report: Report, fmt: ReportFormat = ReportFormat.TEXT) -> str:
    """The report as text grouped by severity (errors first), or as JSON."""
    if fmt is ReportFormat.JSON:
        return json.dumps(
            {
                "conforms": report.conforms,
                "counts": {s.value: report.count(s) for s in Severity},
                "checked": dict(report.checked),
                "findings": [asdict(f) for f in report.findings],
            },
            ensure_ascii=False,
            indent=1,
        )
    lines = []
    titles = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Notes"}
    for severity in Severity:
        found = [f for f in report.findings if f.severity is severity]
        if found:
            lines.append(f"{titles[severity]} ({len(found)}):")
            lines.extend(f"  {_printable(f.shown())}" for f in found)
    checked = ", ".join(_counted(n, name) for name, n in report.checked)
    verdict = "conforms" if report.conforms else "does not conform"
    counts = ", ".join(_counted(report.count(s), titles[s].lower()) for s in Severity)
    lines.append(f"{verdict.capitalize()}: {counts} ({checked} checked).")
    return "\n".join(lines)


def _counted(number: int, plural: str) -> str:
    """``3 entries``, ``1 entry``; ``2 texts``, ``1 text``."""
    if number != 1:
        return f"{number} {plural}"
    return f"1 {plural[:-3] + 'y' if plural.endswith('ies') else plural.removesuffix('s')}"


def _printable(text: str) -> str:
    """Control characters from the inputs shown as escapes, so a terminal never obeys them."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
