"""A build's inputs read into records, each through the build cache.

The bibliography, the themes and each citing text are read anew only when their files (or
kg) changed; otherwise what the last build made of them comes from the cache
(:class:`~kg.build.cache.BuildCache`). A text that did not change is not even read for its
claims: the build needs its small facts (counts, problems, the keys it cites) and its claims
only if its citing work's graph must be made again (:class:`TextClaims`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kg.build.cache import BuildCache, file_key, key_of
from kg.build.report import Note
from kg.config import Review, TextSource
from kg.errors import ConfigError, InputError
from kg.graph import TextOrigin
from kg.load.bib import Beside, Bibliography, Work, parse_bibliography
from kg.load.citations import (
    WorksIndex,
    extend_index,
    find_citations,
    index_works,
    resolve_citations,
)
from kg.load.claims import (
    CuratedClaim,
    CurationProblem,
    apply_curation,
    extract_claims,
    load_curated,
)
from kg.load.pdf import PdfText, is_pdf
from kg.load.qdpx import qda_examples
from kg.load.references import read_references
from kg.load.tagging import TagSettings
from kg.load.texts import citing_texts, load_text
from kg.load.themes import ThemeScheme, load_themes
from kg.parallel.forked import map_beside

if TYPE_CHECKING:
    from kg.load.citations import Mention, ResolutionIssue
    from kg.load.claims import Claim

__all__ = [
    "BibliographyRead",
    "TextClaims",
    "TextRead",
    "read_bibliography",
    "read_texts",
    "save_texts",
]


@dataclass(frozen=True)
class BibliographyRead:
    """The bibliography, with what is kept beside it as each takes 0.3 s at 10,000 works: the
    number of people, and how citations are looked up in it; ``key`` is its files' key."""

    bibliography: Bibliography
    people: int
    index: WorksIndex
    key: str


def read_bibliography(
    review: Review, cache: BuildCache, beside: Beside | None = None
) -> BibliographyRead:
    """The review's bibliography (``beside``: see :func:`kg.load.bib.parse_bibliography`)."""
    key = file_key(*review.bibliographies)
    cached = cache.get("bibliography", key)
    if isinstance(cached, BibliographyRead):
        return cached
    if review.bibliographies:
        bibliography = parse_bibliography(review.bibliographies, beside=beside)
    else:  # a review of PDFs alone: its works come from their reference lists
        bibliography = Bibliography(())
    people = len({p.ident for w in bibliography.works for p in w.authors + w.editors})
    read = BibliographyRead(bibliography, people, index_works(bibliography.works), key)
    cache.put("bibliography", key, read)
    return read


def read_themes(review: Review, cache: BuildCache) -> ThemeScheme:
    """The review's theme scheme (rdflib reads 200 themes in 0.25 s: cached too)."""
    key = file_key(review.themes)
    scheme = cache.get("themes", key)
    if not isinstance(scheme, ThemeScheme):
        scheme = load_themes(review.themes)
        cache.put("themes", key, scheme)
    return scheme


@dataclass(frozen=True)
class TextFacts:
    """What every build needs of a text it has read: its numbers of citations and claims,
    the problems with its citations, the keys its claims cite. Cached small, so that a
    rebuild reads these for the texts that did not change, not their claims."""

    mentions: int
    issues: tuple[ResolutionIssue, ...]
    claims: int
    cited: frozenset[str]
    curation: tuple[CurationProblem, ...] = ()


_Extracted = tuple[
    tuple["Mention", ...],
    tuple["ResolutionIssue", ...],
    tuple["Claim", ...],
    tuple[CurationProblem, ...],
]


class TextClaims(Sequence["Claim"]):
    """A text's claims, citations and their problems, found by ``extract`` or, when an
    earlier build kept them, read from the build cache, and only when needed: when the graph
    of the text's citing work must be made, or for ``--strict``."""

    def __init__(
        self, cache: BuildCache, key: str, extract: Callable[[], _Extracted], size: int = 0
    ) -> None:
        self.cache, self.key, self.extract, self.size = cache, key, extract, size
        self.cache.keep("claims", key)
        self._found: _Extracted | None = None

    @staticmethod
    def extract_all(texts: Sequence[TextClaims]) -> None:
        """Each text's claims found (:meth:`extracted`) now, on two cores where kg may fork
        (:func:`kg.parallel.forked.map_beside`), shared out by the texts' ``size``."""
        found = map_beside(TextClaims.extracted, texts, [text.size for text in texts])
        for text, extracted in zip(texts, found, strict=True):
            text._found = extracted

    def extracted(self) -> _Extracted:
        """The text's citations, their problems and its claims."""
        if self._found is None:
            found = self.cache.get("claims", self.key)
            if not (isinstance(found, tuple) and len(found) == 4):
                found = self.extract()
                self.cache.put("claims", self.key, found)
            self._found = found
        return self._found

    def mentions(self) -> tuple[Mention, ...]:
        """The text's citations."""
        return self.extracted()[0]

    def __len__(self) -> int:
        return len(self.extracted()[2])

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        return self.extracted()[2][index]


@dataclass(frozen=True)
class TextRead:
    """A citing text as the build knows it: where it is, the key of all it was read with
    (text, bibliography, themes, curated claims), its facts and its claims."""

    source: TextSource
    key: str
    facts: TextFacts
    claims: TextClaims
    origin: TextOrigin = field(default_factory=TextOrigin)
    warnings: tuple[Note, ...] = ()
    extracted: str = ""
    """A PDF's text, which the build saves beside its outputs as ``origin.saved``."""

    def notes(self, *, unresolved: bool) -> list[Note]:
        """The problems of its citations at their lines: those that left a citation
        unresolved (no entry, or several), or the others (a misspelt name taken, say)."""
        notes = [
            Note(self.source.path, issue.line, issue.detail)
            for issue in self.facts.issues
            if (issue.kind in ("unresolved", "ambiguous")) == unresolved
        ]
        if not unresolved:
            notes += list(self.warnings)
            notes += [Note(Path(p.path), p.line, p.message) for p in self.facts.curation]
        return notes


def read_coded(review: Review, scheme: ThemeScheme) -> tuple[list[CuratedClaim], list[Note]]:
    """The coded text of the review's QDA projects (``qda`` in ``kg.toml``) as examples for
    the tagger, and a note for each code no theme has (:func:`kg.load.qdpx.qda_examples`)."""
    examples: list[CuratedClaim] = []
    notes = []
    for project in review.qda:
        coded, unknown = qda_examples(project, scheme.themes)
        examples += coded
        notes += [Note(project, 0, message.split(": ", 1)[1]) for message in unknown]
    return examples, notes


def read_texts(
    review: Review,
    read: BibliographyRead,
    scheme: ThemeScheme,
    cache: BuildCache,
    progress: Callable[[str], None],
    coded: Sequence[CuratedClaim] = (),
) -> list[TextRead]:
    """Each citing text's citations found and resolved, and its claims extracted, tagged and
    curated (``coded``: more curated examples, :func:`read_coded`). A plain text whose work
    is not in the bibliography raises ``ConfigError`` (a mistyped key, most likely); a PDF's
    work stands on its own, titled from the PDF, with a warning (``kg init --pdfs`` keys PDFs
    by their file names)."""
    bib_works = read.bibliography.works
    keys = {work.key for work in bib_works}
    curated = [*(load_curated(review.claims) if review.claims else []), *coded]
    inputs = file_key(review.themes, *([review.claims] if review.claims else []), *review.qda)
    inputs += f" {review.theme_threshold}"
    settings = TagSettings(threshold=review.theme_threshold) if review.theme_threshold else None
    sources = citing_texts(review, bib_works)
    texts: list[tuple[TextSource, str, TextClaims, TextOrigin, tuple[Note, ...], str]] = []
    for number, source in enumerate(sources, start=1):
        if source.work not in keys and review.bibliographies and not is_pdf(source.path):
            raise ConfigError(
                f"{review.config_path}: text {source.path.name} belongs to work"
                f" {source.work!r}, which is not in the bibliography"
            )
        progress(f"finding citations in {source.path.name} ({number}/{len(sources)})")
        text, origin, warnings = _read_text(source, cache, bib_works)
        if source.work not in keys:  # the text's work is known by its key (and the PDF's title)
            origin = replace(origin, citing=Work(source.work, "article", origin.title, None, ()))
            if review.bibliographies:
                warnings = (*warnings, _own_work_note(review, source))
        parsed = origin.references
        works = bib_works + parsed
        index = extend_index(read.index, parsed) if parsed else read.index
        known = keys | {work.key for work in parsed}
        key = key_of(read.key, inputs, source.path.name, source.work, text)

        def extract(
            text: str = text, source: TextSource = source, works: tuple[Work, ...] = works,
            index: WorksIndex = index, known: set[str] = known, origin: TextOrigin = origin,
        ) -> _Extracted:  # fmt: skip
            found = [m for m in find_citations(text) if not origin.in_references(m.start)]
            mentions, issues = resolve_citations(found, works, index=index)
            titles = {work.key: work.title for work in works if work.title}
            claims = extract_claims(
                text, mentions, scheme.themes, source=source.path.name, citing=source.work,
                settings=settings, titles=titles,
            )  # fmt: skip
            problems: list[CurationProblem] = []
            claims = apply_curation(
                claims, curated, text, source=source.path.name, citing=source.work,
                themes=scheme.themes, known_keys=known, settings=settings, problems=problems,
                titles=titles,
            )  # fmt: skip
            return tuple(mentions), tuple(issues), tuple(claims), tuple(problems)

        extracted = text if origin.saved else ""
        claims = TextClaims(cache, key, extract, len(text))
        texts.append((source, key, claims, origin, warnings, extracted))
    facts: list[object] = [cache.get("text", key) for _, key, *_ in texts]
    fresh = [
        claims
        for (_, _, claims, *_), cached in zip(texts, facts, strict=True)
        if not isinstance(cached, TextFacts)
    ]
    if fresh:
        progress(f"extracting the claims of {len(fresh)} texts")
    TextClaims.extract_all(fresh)
    done = []
    for (source, key, claims, origin, warnings, extracted), cached in zip(
        texts, facts, strict=True
    ):
        if not isinstance(cached, TextFacts):
            mentions, issues, found, problems = claims.extracted()
            cached = TextFacts(
                sum(len(m.refs) for m in mentions), issues, len(found),
                frozenset(key for claim in found for key in claim.cited_keys), problems,
            )  # fmt: skip
            cache.put("text", key, cached)
        done.append(TextRead(source, key, cached, claims, origin, warnings, extracted))
    return done


TEXTS_DIR = "texts"


def _read_text(
    source: TextSource, cache: BuildCache, known: Sequence[Work]
) -> tuple[str, TextOrigin, tuple[Note, ...]]:
    """A citing text, where it came from and what went wrong reading it.

    A PDF's text is extracted once per PDF (the cache is keyed by its contents); the build
    saves it with its outputs as ``build/texts/<name>.txt`` (``origin.saved``), the file its
    claims' selectors slice (:func:`save_texts`). A PDF that has no
    text (a scan, encrypted, damaged) is a warning and an empty text, so the rest of the
    review builds. The works of its reference list that ``known`` lacks join the review.
    """
    path = source.path
    pdf_key = file_key(path) if is_pdf(path) else ""
    loaded = cache.get("pdf", pdf_key) if pdf_key else None
    if not isinstance(loaded, PdfText):
        try:
            loaded = load_text(path)
        except InputError as error:
            if not pdf_key:
                raise
            return "", TextOrigin(pdf=path.name), (Note(path, 0, str(error).split(": ", 1)[-1]),)
        if pdf_key:
            cache.put("pdf", pdf_key, loaded)
    if isinstance(loaded, PdfText):
        text, saved = loaded.text, f"{TEXTS_DIR}/{path.stem}.txt"
    else:
        text, saved = loaded, ""
    references = read_references(text, path.name, known)
    warnings = [
        Note(path, text.count("\n", 0, entry.offset) + 1,
             f"reference {entry.raw[:60]!r}: {entry.problem}")
        for entry in references.problems
    ]  # fmt: skip
    return (
        text,
        TextOrigin(
            pdf=path.name if isinstance(loaded, PdfText) else "",
            saved=saved,
            pages=loaded.starts if isinstance(loaded, PdfText) else (),
            title=loaded.title if isinstance(loaded, PdfText) else "",
            references=references.works,
            section=(references.start, references.end),
        ),
        tuple(warnings),
    )


def save_texts(texts: Sequence[TextRead], folder: Path) -> None:
    """Write the PDFs' extracted texts into ``folder`` (a build's staging folder) as
    ``texts/<name>.txt``, the files their claims' selectors slice."""
    for text in texts:
        if text.origin.saved:
            path = folder / text.origin.saved
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.extracted, encoding="utf-8")


def _own_work_note(review: Review, source: TextSource) -> Note:
    return Note(
        review.config_path,
        0,
        f"text {source.path.name} belongs to work {source.work!r}, which is not in the"
        " bibliography: it stands as a work of its own, titled from the PDF; give the text"
        " the key your reference manager has for it to join the two",
    )
