"""``kg build``: the whole flow, from a ``kg.toml`` to the graph, store, map and summary.

It reads top to bottom as the flow does: the inputs (:mod:`kg.build.inputs`), the named
graphs (:mod:`kg.build.graphs`), then the outputs, written into a staging folder and swapped
into place together (:mod:`kg.build.staging`) while the store is written in a thread
(:mod:`kg.build.storing`) and the views are drawn (:mod:`kg.build.drawing`). What each step
works out is kept in the build cache (:mod:`kg.build.cache`) for the next build, so a rebuild
after one text changed redoes that text's part alone.

>>> report = build_review("bib/kg.toml")  # doctest: +SKIP
>>> report.counts["claims"]  # doctest: +SKIP
17
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kg.build.cache import CACHE_DIR, BuildCache
from kg.build.drawing import Drawer, dismiss, draw, rebuild_drawer
from kg.build.graphs import ReviewGraphs, make_graphs
from kg.build.inputs import (
    BibliographyRead,
    TextRead,
    read_bibliography,
    read_coded,
    read_texts,
    read_themes,
    save_texts,
)
from kg.build.report import BuildReport, Note
from kg.build.staging import build_lock, staged, swap_into_place
from kg.build.storing import StoreWriter
from kg.checks.validate import TextCitations, check_review
from kg.config import Review, find_config, load_config
from kg.errors import ValidationError
from kg.load.texts import read_text
from kg.load.themes import ThemeScheme
from kg.parallel.collector import collection_paused
from kg.parallel.forked import converse_beside

__all__ = ["BuildReport", "Note", "build_review"]


def build_review(
    config: str | Path | None = None,
    *,
    strict: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> BuildReport:
    """Build the review described by ``config`` (found with ``find_config`` if None).

    With ``strict``, the build runs the checks of ``kg validate`` on what it is about to
    write and fails (``ValidationError``) where validation would, before anything is replaced:
    unresolved or ambiguous citations, bibliography errors, a graph that breaks the shapes.

    Python's cycle collector is paused throughout (``kg.parallel.collector``): the build makes
    millions of small objects and no cycles worth collecting, and each collection would
    walk all it holds (0.3 s at 10,000 works, a tenth of a rebuild). They are all freed
    before it resumes, as :func:`_build` returns, so that its first collection does not
    walk them once more (0.05-0.1 s at 10,000 works).
    """
    review = load_config(config or find_config())
    with collection_paused(), rebuild_drawer(review) as drawer:
        return _build(review, drawer, strict=strict, progress=progress)


def _build(
    review: Review, drawer: Drawer | None, *, strict: bool, progress: Callable[[str], None]
) -> BuildReport:
    """:func:`build_review`'s work, with the drawer ``rebuild_drawer`` gave."""
    cache = BuildCache(review.output / CACHE_DIR)
    progress("reading the bibliography")
    read = read_bibliography(review, cache, beside=converse_beside)
    progress("reading the themes")
    scheme = read_themes(review, cache)
    coded, coded_notes = read_coded(review, scheme)
    texts = read_texts(review, read, scheme, cache, progress, coded)
    progress("making the graph")
    graphs = make_graphs(review, read.bibliography, read.key, scheme, texts, cache)
    if strict:
        progress("validating")
        _check(review, read, texts, graphs)
    warnings = [Note(Path(p.path), p.line, p.message) for p in read.bibliography.problems]
    warnings += [Note(Path(p.path), p.line, p.message) for p in scheme.problems]
    warnings += coded_notes
    warnings += [note for text in texts for note in text.notes(unresolved=False)]
    unresolved = [note for text in texts for note in text.notes(unresolved=True)]
    with build_lock(review.output):
        files = _write_outputs(
            review, texts, graphs, warnings + unresolved, cache, progress, drawer
        )
        cache.prune()
    return BuildReport(
        review.output,
        _counts(read, scheme, texts, graphs),
        tuple(warnings),
        tuple(unresolved),
        files,
        _uncited(read, texts),
    )


def _check(
    review: Review, read: BibliographyRead, texts: list[TextRead], graphs: ReviewGraphs
) -> None:
    """``--strict``: the first problem ``kg validate`` would report, raised."""
    cited = [
        TextCitations(t.source, read_text(t.source.path), t.claims.mentions(), t.facts.issues)
        for t in texts
    ]
    first = check_review(review, read.bibliography, cited, graphs.all_quads()).first_error()
    if first is not None:
        raise ValidationError(
            f"{first.shown()} (--strict: `kg validate` lists every problem; fix them or"
            " build without --strict)"
        )


def _write_outputs(
    review: Review,
    texts: list[TextRead],
    graphs: ReviewGraphs,
    notes: list[Note],
    cache: BuildCache,
    progress: Callable[[str], None],
    drawer: Drawer | None,
) -> tuple[Path, ...]:
    """Write every output into a staging folder, then swap them into place.

    The TriG and the store are written in a thread while this process reads the rows and
    draws the views; in a rebuild, which only updates the store, the drawer draws the map
    and writes the summary meanwhile. The PDFs' extracted texts, which the claims' selectors
    slice, are written with the rest.
    """
    with staged(review.output) as staging:
        save_texts(texts, staging)
        progress("writing the graph")
        store = StoreWriter(staging, review.output, graphs)
        if store.updating:
            progress(f"updating the store ({len(store.changed)} of {len(graphs)} graphs changed)")
        else:
            dismiss(drawer)  # not a rebuild after all
            drawer = None
            progress("loading the store")
        with store:
            draw(review, staging, graphs, notes, cache, progress,
                 drawer=drawer, release_quads=not store.updating)  # fmt: skip
            progress("finishing the store")
        return swap_into_place(staging, review.output)


def _counts(
    read: BibliographyRead, scheme: ThemeScheme, texts: list[TextRead], graphs: ReviewGraphs
) -> dict[str, int]:
    parsed = {work.key: work for text in texts for work in text.origin.references}
    people = {p.ident for work in parsed.values() for p in work.authors + work.editors}
    return {
        "works": len(read.bibliography.works) + len(parsed),
        "people": read.people + len(people),
        "claims": sum(text.facts.claims for text in texts),
        "citations": sum(text.facts.mentions for text in texts),
        "themes": len(scheme.themes),
        "triples": graphs.triples,
    }


def _uncited(read: BibliographyRead, texts: list[TextRead]) -> tuple[Note, ...]:
    """An entry never cited by any text, and not itself a citing work, at its line."""
    cited = set().union(*(text.facts.cited for text in texts))
    citing = {text.source.work for text in texts}
    files_of = {path: Path(path) for path in {work.path for work in read.bibliography.works}}
    return tuple(
        Note(files_of[work.path], work.line, f"entry {work.key!r} is never cited")
        for work in read.bibliography.works
        if work.key not in cited and work.key not in citing
    )
