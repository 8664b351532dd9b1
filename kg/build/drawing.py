"""The views, their index and the summary drawn into the staging folder, in one process or two.

A build that loads its store anew draws everything in this process, as the store takes the
second core. A rebuild (it only updates the store) draws the map and writes the summary in a
second process, the *drawer*, forked as the build begins so that it imports what drawing needs
while the build reads its inputs; the drawer reads every graph's rows from the build cache,
while this process draws the other three views and the timeline. Either way the pages and the
summary are byte for byte the same.

>>> with rebuild_drawer(review) as drawer:  # doctest: +SKIP
...     ...  # read the inputs and make the graphs
...     draw(review, staging, graphs, notes, cache, progress, drawer=drawer)
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from kg.build.cache import CACHE_DIR, BuildCache
from kg.build.graphs import ClaimsPart, NotCached, ReviewGraphs
from kg.build.report import Note
from kg.config import Review
from kg.graph import GraphNames
from kg.parallel.forked import Channel, Forked, can_fork
from kg.projections.rows import claims_rows
from kg.store.embedded import STORE_DIR, store_manifest

if TYPE_CHECKING:
    from kg.outputs.views import View, ViewFile
    from kg.projections.network import ReviewData

__all__ = ["Drawer", "dismiss", "draw", "rebuild_drawer"]

Drawer = Forked[list["ViewFile"]]


@contextlib.contextmanager
def rebuild_drawer(review: Review) -> Iterator[Drawer | None]:
    """The drawer (see the module) for the block, if this build may be a rebuild (there is
    a store to update) and there is a second core; None otherwise. Ended after the block."""
    drawer = None
    if store_manifest(review.output / STORE_DIR) is not None and can_fork():
        drawer = Forked(partial(_draw_in_drawer, review), talk=True)
    try:
        yield drawer
    finally:
        if drawer is not None:
            drawer.close()


def draw(
    review: Review,
    staging: Path,
    graphs: ReviewGraphs,
    notes: list[Note],
    cache: BuildCache,
    progress: Callable[[str], None],
    *,
    drawer: Drawer | None = None,
    release_quads: bool = False,
) -> None:
    """Write the views, their index and the summary into ``staging``, with ``drawer``'s help
    where it can read the rows, in this process otherwise. ``release_quads`` drops the
    quads the build made once the rows are read (~0.3 GB at 1M triples)."""
    if drawer is not None and _draw_beside(drawer, review, staging, graphs, notes, cache, progress):
        return
    progress("reading the graph for the views")
    data, parts = graphs.review_data(cache)
    if release_quads:
        graphs.made.clear()
    _draw_here(review, staging, data, parts, notes, progress)


def dismiss(drawer: Drawer | None) -> None:
    """Tell ``drawer`` it is not needed after all (the store is loaded anew); it ends."""
    if drawer is not None:
        drawer.send(None)


def _draw_in_drawer(review: Review, channel: Channel) -> list[ViewFile]:
    """In the drawer: once told where (the staging folder, the graphs' keys and the build's
    notes), read every graph's rows from the build cache, send back what the build needs of
    them for its three views (each claims graph's part key; the themes' and the unresolved
    works' rows), draw the map and write the summary. If a graph's rows are not in the
    cache (a damaged entry), send None and draw nothing."""
    for module in ("kg.outputs.review", "kg.outputs.views"):  # while the build reads its inputs
        importlib.import_module(module)

    order = channel.receive()
    if order is None:
        return []
    staging, keys, notes = order
    graphs = ReviewGraphs(GraphNames(review.base), keys=keys)
    try:
        data, parts = graphs.review_data(BuildCache(review.output / CACHE_DIR))
    except NotCached:
        channel.send(None)
        return []
    rows = {name: data.rows(name) for name in ("themes", "unresolved-works")}
    channel.send(([(part.graph, part.key) for part in parts], rows))
    written = _draw_views(review, staging, data, _views(drawer=True))
    _summarise(review, staging, data, parts, notes)
    return written


def _draw_beside(
    drawer: Drawer,
    review: Review,
    staging: Path,
    graphs: ReviewGraphs,
    notes: list[Note],
    cache: BuildCache,
    progress: Callable[[str], None],
) -> bool:
    """Have ``drawer`` draw the map and write the summary into ``staging`` while this
    process draws the other views, and write their index: False, drawing nothing, if the
    drawer could not read the rows (``_draw_in_drawer``).

    This process reads only what its views need: each claims graph's claims, joined
    (``ClaimsPart``, from the cache but for those of the changed graphs), and the
    bibliography's rows; the drawer sends the rest.
    """
    graphs.cache_rows(cache)
    drawer.send((staging, graphs.keys, notes))
    progress("drawing the map and the other views")
    # Imported while the drawer reads the rows.
    from kg.outputs.views import render_index, write_html
    from kg.projections.network import ReviewData

    sent = drawer.receive()
    if sent is None:
        drawer.result()
        return False
    keys, rows = sent
    bibliography = graphs.rows_of(str(graphs.names.bibliography), cache)
    whole = ReviewData(None, rows={"work-labels": bibliography.rows["work-labels"], **rows})
    parts = [
        ClaimsPart(cache, graph, key, partial(_claims_rows_of, graphs, graph, cache))
        for graph, key in keys
    ]
    data = whole.with_claims(chain.from_iterable(part.claims(whole) for part in parts))
    others = _draw_views(review, staging, data, _views(drawer=False))
    others.append(_draw_timeline(review, staging, data))
    written = drawer.result() + others
    write_html(render_index(review.title, written), staging / "index.html")
    return True


def _claims_rows_of(
    graphs: ReviewGraphs, graph: str, cache: BuildCache
) -> dict[str, list[tuple[str, ...]]]:
    return claims_rows(graphs.rows_of(graph, cache))


def _draw_here(
    review: Review,
    staging: Path,
    data: ReviewData,
    parts: Sequence[ClaimsPart],
    notes: list[Note],
    progress: Callable[[str], None],
) -> None:
    """Write the views, their index and the summary into ``staging``, from ``data`` and the
    claims graphs' parts (``ReviewGraphs.review_data``), in this process."""
    from kg.outputs.views import VIEWS, render_index, write_html

    progress("drawing the map and the other views")
    written = _draw_views(review, staging, data, VIEWS)
    written.append(_draw_timeline(review, staging, data))
    progress("writing the summary")
    _summarise(review, staging, data, parts, notes)
    write_html(render_index(review.title, written), staging / "index.html")


def _views(*, drawer: bool) -> list[View]:
    """The views the drawer draws with the summary (``drawer``), or the others: the map
    takes about as long as the other three (10,000 works)."""
    from kg.outputs.views import VIEWS

    return [view for view in VIEWS if (view.name == "map") == drawer]


def _draw_views(
    review: Review, staging: Path, data: ReviewData, views: Sequence[View]
) -> list[ViewFile]:
    """Draw ``views`` of ``data`` into ``staging``."""
    from kg.outputs.layout import read_layouts
    from kg.outputs.views import VIEW_LIMIT, write_view

    limit = review.view_limit or VIEW_LIMIT
    layouts = read_layouts(review.layout)
    return [
        write_view(
            None,
            view,
            staging / view.filename,
            title=review.title,
            limit=limit,
            data=data,
            layouts=layouts,
        )
        for view in views
    ]


def _draw_timeline(review: Review, staging: Path, data: ReviewData) -> ViewFile:
    """Draw the timeline of ``data`` into ``staging``."""
    from kg.outputs.timeline import write_timeline
    from kg.outputs.views import TIMELINE

    return write_timeline(None, staging / TIMELINE.filename, title=review.title, data=data)


def _summarise(
    review: Review, staging: Path, data: ReviewData, parts: Sequence[ClaimsPart], notes: list[Note]
) -> None:
    """Write the summary (``review.md``) into ``staging``, from ``data`` and the claims
    graphs' parts."""
    from kg.outputs.review import render_review

    warnings = [note.shown(review.config_path.parent) for note in notes]
    said = (part.summary(data) for part in parts)
    summary = render_review(None, title=review.title, warnings=warnings, data=data, parts=said)
    (staging / "review.md").write_text(summary, encoding="utf-8")
