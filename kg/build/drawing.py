"""The views, their index and the summary drawn into the staging folder, in one process or three.

A build that loads its store anew draws everything in this process, as the store takes the
second core. A rebuild (it only updates the store) leaves the drawing to a second process,
the *drawer*, forked as the build begins so that it imports what drawing needs while the
build reads its inputs, and reads ahead from the build cache what the last build's pages
read there, which a rebuild after one text changed needs all of but that text's. Once the
graphs are made, the drawer reads the rows it still lacks from the build cache, works out
once what the pages share (the claims joined, the theme
clusters), then forks a helper that inherits all of it: the two draw the pages in the two
:data:`SHARES` on the machine's two cores, while this process waits (its store is updated in
a thread). Each share keeps together the pages that read one clustering, so each clustering
is made once. Either way the pages and the summary are byte for byte the same.

>>> with rebuild_drawer(review) as drawer:  # doctest: +SKIP
...     ...  # read the inputs and make the graphs
...     draw(review, staging, graphs, notes, cache, progress, drawer=drawer)
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kg.build.cache import CACHE_DIR, BuildCache
from kg.build.graphs import ClaimsPart, NotCached, ReviewGraphs, keep_claims_parts
from kg.build.report import Note
from kg.config import Review
from kg.graph import GraphNames
from kg.parallel.forked import Channel, Forked, can_fork
from kg.store.embedded import STORE_DIR, store_manifest

if TYPE_CHECKING:
    from kg.outputs.views import ViewFile
    from kg.projections.network import ReviewData

__all__ = ["DRAWING_MODULES", "SHARES", "Drawer", "Share", "dismiss", "draw", "rebuild_drawer"]

Drawer = Forked["list[str] | None"]


@dataclass(frozen=True)
class Share:
    """Some of the pages: views by name, and whether the timeline and the summary."""

    views: tuple[str, ...]
    timeline: bool = False
    summary: bool = False


SHARES = (
    Share(("map", "citations", "themes")),
    Share(("co-citation",), timeline=True, summary=True),
)
"""The rebuild's two shares of the pages, about even at 10,000 works: the co-citation view
and the summary read the co-citation clusters (made once, in the second share); the map,
the theme view and the summary read the theme clusters (made before the split)."""
DRAWING_MODULES = ("kg.outputs.review", "kg.outputs.timeline", "kg.outputs.views")
"""What drawing the pages imports (pyvis, networkx, ...: about 0.5 s), which the drawer
imports while the build reads its inputs (and ``kg serve``'s build zygote once for all)."""
EVERYTHING = Share(("map", "citations", "co-citation", "themes"), timeline=True, summary=True)


@contextlib.contextmanager
def rebuild_drawer(review: Review) -> Iterator[Drawer | None]:
    """The drawer (see the module) for the block, if this build may be a rebuild (there is
    a store to update) and there is a second core; None otherwise. Ended after the block."""
    drawer = None
    if store_manifest(review.output / STORE_DIR) is not None and can_fork():
        # Not daemonic: the drawer forks a helper of its own.
        drawer = Forked(partial(_draw_in_drawer, review), talk=True, daemon=False)
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
    """Write the views, their index and the summary into ``staging``, by ``drawer`` where it
    can read the rows, in this process otherwise. ``release_quads`` drops the quads the
    build made once the rows are read (~0.3 GB at 1M triples)."""
    if drawer is not None:
        graphs.cache_rows(cache)
        drawer.send((staging, graphs.keys, notes))
        progress("drawing the map and the other views")
        keys = drawer.receive()  # its end is waited for after the build (``rebuild_drawer``)
        if keys is not None:
            keep_claims_parts(cache, keys)
            return
    progress("reading the graph for the views")
    data, parts = graphs.review_data(cache)
    if release_quads:
        graphs.made.clear()
    progress("drawing the map and the other views")
    written = _draw_share(EVERYTHING, review, staging, data, parts, notes, progress)
    _write_index(review, staging, written)


def dismiss(drawer: Drawer | None) -> None:
    """Tell ``drawer`` it is not needed after all (the store is loaded anew); it ends."""
    if drawer is not None:
        drawer.send(None)


def _draw_in_drawer(review: Review, channel: Channel) -> list[str] | None:
    """In the drawer: once told where (the staging folder, the graphs' keys and the build's
    notes), read every graph's rows from the build cache and draw every page, in two shares
    (:data:`SHARES`) where a helper can be forked; return the keys of the claims graphs'
    parts (``ClaimsPart``), for the build to keep in its cache. If a graph's rows are not in
    the cache (a damaged entry), return None and draw nothing."""
    for module in DRAWING_MODULES:  # while the build reads its inputs
        importlib.import_module(module)
    cache = BuildCache(review.output / CACHE_DIR)
    _read_ahead(review, cache, until=channel.sent)

    order = channel.receive()
    if order is None:
        return []
    staging, keys, notes = order
    graphs = ReviewGraphs(GraphNames(review.base), keys=keys)
    try:
        data, parts = graphs.review_data(cache)
    except NotCached:
        return None
    _share_out(data)
    first, second = (partial(_draw_share, share, review, staging, data, parts, notes, keep=_LEFT)
                     for share in SHARES)  # fmt: skip
    helper = Forked(second) if can_fork() else None
    written = first()
    written += helper.result() if helper is not None else second()
    _write_index(review, staging, written)
    # The drawer ends once it has answered: what it read is left to its end, not freed
    # object by object while the build waits for the answer (0.05 s at 10,000 works).
    _LEFT.append((data, parts))
    return [part.key for part in parts]


_LEFT: list[object] = []
"""What the drawer read and drew, kept from being freed before it answers
(:func:`_draw_in_drawer`); the helper's copy keeps what it drew until it ends."""


def _read_ahead(review: Review, cache: BuildCache, *, until: Callable[[], bool]) -> None:
    """In the drawer, while the build reads its inputs and until it sends its order
    (``until()``): read from ``cache`` what drawing the last build's pages read there
    (``BuildCache.read_ahead``), as a rebuild after one text changed needs all of it but
    that text's: each graph's rows, under the keys the last build's store records, and, if
    any was there (the cache is this kg's), the claims graphs' joined claims, then their
    summary parts (which the helper reads after the fork, if they are not read here)."""
    recorded = store_manifest(review.output / STORE_DIR)
    if recorded and cache.read_ahead("rows", recorded.values(), until=until):
        cache.read_ahead("joined", until=until)
        cache.read_ahead("tags", until=until)
        cache.read_ahead("summary", until=until)


def _share_out(data: ReviewData) -> None:
    """Work out what pages of both shares read, before the drawer forks its helper: the
    claims joined, and the theme clusters (the map, the theme view and the summary), whose
    projection the theme view takes (``ReviewData.share_projections``, as the co-citation
    view and its clusters do)."""
    from kg.projections.clusters import theme_clusters

    data.share_projections()
    data.claims()
    theme_clusters(data)


def _draw_share(
    share: Share,
    review: Review,
    staging: Path,
    data: ReviewData,
    parts: Sequence[ClaimsPart],
    notes: list[Note],
    progress: Callable[[str], None] = lambda _: None,
    *,
    keep: list[object] | None = None,
) -> list[ViewFile]:
    """Write ``share``'s pages into ``staging``, from ``data`` and the claims graphs'
    parts (``ReviewGraphs.review_data``); what the views, the timeline and the summary
    made is put in ``keep``, if given, not freed (in a drawer, which ends once they are
    written)."""
    written = _draw_views(review, staging, data, share.views, keep)
    if share.timeline:
        written.append(_draw_timeline(review, staging, data, keep))
    if share.summary:
        progress("writing the summary")
        _summarise(review, staging, data, parts, notes, keep)
    return written


def _draw_views(
    review: Review,
    staging: Path,
    data: ReviewData,
    names: Sequence[str],
    keep: list[object] | None = None,
) -> list[ViewFile]:
    """Draw the views called ``names`` of ``data`` into ``staging`` (``keep`` as for
    ``kg.outputs.views.write_view``)."""
    from kg.outputs.layout import read_layouts
    from kg.outputs.views import VIEW_LIMIT, find_view, write_view

    limit = review.view_limit or VIEW_LIMIT
    layouts = read_layouts(review.layout)
    return [
        write_view(
            None,
            find_view(name),
            staging / find_view(name).filename,
            title=review.title,
            limit=limit,
            data=data,
            layouts=layouts,
            keep=keep,
        )
        for name in names
    ]


def _draw_timeline(
    review: Review, staging: Path, data: ReviewData, keep: list[object] | None = None
) -> ViewFile:
    """Draw the timeline of ``data`` into ``staging`` (``keep`` as for ``_draw_views``)."""
    from kg.outputs.timeline import write_timeline
    from kg.outputs.views import TIMELINE

    path = staging / TIMELINE.filename
    return write_timeline(None, path, title=review.title, data=data, keep=keep)


def _write_index(review: Review, staging: Path, written: list[ViewFile]) -> None:
    """Write the index of the pages ``written``, in the order of :data:`EVERYTHING`."""
    from kg.outputs.views import render_index, write_html

    order = [*EVERYTHING.views, "timeline"]
    written = sorted(written, key=lambda page: order.index(page.view.name))
    write_html(render_index(review.title, written), staging / "index.html")


def _summarise(
    review: Review,
    staging: Path,
    data: ReviewData,
    parts: Sequence[ClaimsPart],
    notes: list[Note],
    keep: list[object] | None = None,
) -> None:
    """Write the summary (``review.md``) into ``staging``, from ``data`` and the claims
    graphs' parts (``keep`` as for ``_draw_views``)."""
    from kg.outputs.review import render_review

    warnings = [note.shown(review.config_path.parent) for note in notes]
    said = (part.summary(data) for part in parts)
    summary = render_review(
        None, title=review.title, warnings=warnings, data=data, parts=said, keep=keep
    )
    (staging / "review.md").write_text(summary, encoding="utf-8")
