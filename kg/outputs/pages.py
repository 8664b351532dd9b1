"""Every page of a review's views, as ``kg build`` writes them: the four network views
(:mod:`kg.outputs.views`), the timeline (:mod:`kg.outputs.timeline`) and ``index.html``
linking them all.

>>> written = write_pages(store, Path("build"))  # doctest: +SKIP
>>> [page.view.name for page in written]  # doctest: +SKIP
['map', 'citations', 'co-citation', 'themes', 'timeline']
"""

from __future__ import annotations

from pathlib import Path

from kg.outputs.timeline import write_timeline
from kg.outputs.views import (
    TIMELINE,
    VIEW_LIMIT,
    VIEWS,
    ViewFile,
    _review_title,
    render_index,
    write_html,
    write_view,
)
from kg.projections import network as projections

__all__ = ["write_pages"]


def write_pages(
    store: projections.Source | None,
    folder: Path,
    *,
    title: str | None = None,
    limit: int | None = VIEW_LIMIT,
    data: projections.ReviewData | None = None,
) -> list[ViewFile]:
    """Write every view into ``folder`` (:func:`kg.outputs.views.write_view`, each cut to
    ``limit`` nodes), the timeline, and ``index.html`` linking them, reading the store once
    (through ``data``, made here unless given)."""
    title = _review_title(store, title)
    data = data or projections.ReviewData(store)
    written = [
        write_view(store, view, folder / view.filename, title=title, limit=limit, data=data)
        for view in VIEWS
    ]
    written.append(write_timeline(store, folder / TIMELINE.filename, title=title, data=data))
    write_html(render_index(title, written), folder / "index.html")
    return written
