"""``kg build``: the whole flow, from a ``kg.toml`` to the graph, store, map and summary.

Outputs are written into a temporary folder beside the final ones and renamed into place
only when everything has been made, so a failed or interrupted build leaves the previous
build as it was. A lock file keeps two builds of one review from writing at once.

>>> report = build_review("bib/kg.toml")  # doctest: +SKIP
>>> report.counts["claims"]  # doctest: +SKIP
16
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Quad

from kg.bib import parse_bibliography
from kg.citations import find_citations, resolve_citations
from kg.claims import apply_curation, extract_claims, load_curated
from kg.config import Review, find_config, load_config
from kg.errors import ConfigError, InputError, KgError, StoreError
from kg.graph import build_quads, read_turtle, serialize_trig
from kg.store import STORE_DIR, load_store

__all__ = ["OUTPUTS", "BuildReport", "Note", "build_review", "ontology_path", "read_text"]

OUTPUTS = ("graph.trig", "map.html", "review.md", STORE_DIR)


@dataclass(frozen=True)
class BuildReport:
    """What a build made and what it noticed."""

    output: Path
    counts: dict[str, int]
    warnings: tuple[Note, ...] = ()
    unresolved: tuple[Note, ...] = ()
    files: tuple[Path, ...] = field(default=())


def ontology_path() -> Path:
    """The folder holding ``kg.ttl``: the repository's ``ontology/`` or the installed copy."""
    package = Path(__file__).resolve().parent
    installed = package / "ontology"
    return installed if (installed / "kg.ttl").is_file() else package.parent / "ontology"


def read_text(path: Path) -> str:
    """A full text as UTF-8; a missing, binary or non-UTF-8 file raises ``InputError``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: text file not found") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    if b"\x00" in raw:
        raise InputError(f"{path}: a binary file, not plain text; extract its text first")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8; re-save the text as UTF-8") from None


@dataclass(frozen=True)
class Note:
    """Something a build noticed, at a place in an input file."""

    path: Path
    line: int
    message: str

    def shown(self, folder: Path | None = None) -> str:
        """``FILE:LINE: message``, FILE relative to ``folder`` (default: the working folder)."""
        relative = os.path.relpath(self.path, folder or Path.cwd())
        return (
            f"{relative}:{self.line}: {self.message}"
            if self.line
            else f"{relative}: {self.message}"
        )

    def __str__(self) -> str:
        return self.shown()


@contextlib.contextmanager
def _lock(output: Path) -> Iterator[None]:
    output.mkdir(parents=True, exist_ok=True)
    with open(output / ".kg-build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{output}: another kg build is writing here; try again") from None
        yield


def build_review(
    config: str | Path | None = None,
    *,
    strict: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildReport:
    """Build the review described by ``config`` (found with ``find_config`` if None).

    With ``strict``, unresolved or ambiguous citations and bibliography errors fail the
    build (``KgError``) before anything is replaced.
    """
    review = load_config(config or find_config())
    progress("reading the bibliography")
    bibliography = parse_bibliography(review.bibliographies)
    warnings = [Note(Path(p.path), p.line, p.message) for p in bibliography.problems]
    keys = {w.key for w in bibliography.works}
    progress("reading the themes")
    from kg.themes import load_themes

    scheme = load_themes(review.themes)
    curated = load_curated(review.claims) if review.claims else []
    claims_by_text = []
    unresolved = []
    mention_count = 0
    for source in review.texts:
        if source.work not in keys:
            raise ConfigError(
                f"{review.config_path}: text {source.path.name} belongs to work"
                f" {source.work!r}, which is not in the bibliography"
            )
        progress(f"finding citations in {source.path.name}")
        text = read_text(source.path)
        mentions, issues = resolve_citations(find_citations(text), bibliography.works)
        mention_count += sum(len(m.refs) for m in mentions)
        for issue in issues:
            message = issue.message.removeprefix(f"line {issue.line}: ")
            note = Note(source.path, issue.line, message)
            (unresolved if issue.kind in ("unresolved", "ambiguous") else warnings).append(note)
        claims = extract_claims(
            text, mentions, scheme.themes, source=source.path.name, citing=source.work
        )
        claims = apply_curation(
            claims, curated, text, source=source.path.name, citing=source.work,
            themes=scheme.themes, known_keys=keys,
        )  # fmt: skip
        claims_by_text.append((source.path.name, source.work, claims))
    if strict and (unresolved or any(p.severity == "error" for p in bibliography.problems)):
        first = (unresolved or warnings)[0]
        raise KgError(f"{first} (--strict: fix this or build without --strict)")
    progress("making the graph")
    quads = build_quads(
        review.base,
        bibliography.works,
        scheme,
        claims_by_text,
        themes=read_turtle(review.themes),
        ontology=read_turtle(ontology_path() / "kg.ttl"),
        title=review.title,
    )
    all_claims = [c for _, _, claims in claims_by_text for c in claims]
    counts = {
        "works": len(bibliography.works),
        "people": len({p.ident for w in bibliography.works for p in w.authors + w.editors}),
        "claims": len(all_claims),
        "citations": mention_count,
        "themes": len(scheme.themes),
        "triples": len(set(quads)),
    }
    with _lock(review.output):
        files = _write_outputs(review, quads, warnings + unresolved, progress)
    return BuildReport(review.output, counts, tuple(warnings), tuple(unresolved), files)


def _write_outputs(
    review: Review, quads: list[Quad], notes: list[Note], progress: Callable[[str], None]
) -> tuple[Path, ...]:
    from kg.network import author_theme_network
    from kg.review import render_review
    from kg.views import render_author_theme

    output = review.output
    staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=output))
    try:
        progress("writing the graph")
        (staging / "graph.trig").write_bytes(serialize_trig(quads))
        progress("loading the store")
        store = load_store(quads, staging / STORE_DIR)
        progress("drawing the map")
        network = author_theme_network(store, title=review.title)
        (staging / "map.html").write_text(render_author_theme(network), encoding="utf-8")
        progress("writing the summary")
        folder = review.config_path.parent
        summary = render_review(
            store, title=review.title, warnings=[n.shown(folder) for n in notes]
        )
        (staging / "review.md").write_text(summary, encoding="utf-8")
        del store
        return tuple(_swap_into_place(staging, output))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_into_place(staging: Path, output: Path) -> Iterator[Path]:
    for name in OUTPUTS:
        new, final = staging / name, output / name
        if new.is_dir():
            old = staging / f"{name}.old"
            if final.exists():
                os.replace(final, old)
            os.replace(new, final)
        else:
            os.replace(new, final)
        yield final
