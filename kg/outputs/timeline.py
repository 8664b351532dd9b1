"""The timeline page: themes down the side, the years of the cited works along the bottom.

Each theme's row holds, for every year, a bar of its claims citing works of that year
(:mod:`kg.projections.timeline`), in parts by stance: supports solid, disputes hatched,
mentions an outline, so that a greyscale print still tells them apart; a bar grows with the
square root of its claims. A click on a part lists its claims in the side panel (quote, citing
text, the works cited, stance, page), as the other views do. Works with no year have a column
of their own, after the last year.

The page is built like the views (:mod:`kg.outputs.views`): one file, no network, its script
(``timeline.js``) and styles (``timeline.css`` after ``views.css``) pasted in, allowed by a
Content-Security-Policy hash. The chart is plain SVG that the script draws from a small block
of counts; the claims behind the counts come in a second block, read on the first click. The
same review always gives the same bytes.

>>> written = write_timeline(store, Path("build/timeline.html"))  # doctest: +SKIP
>>> written.counts  # doctest: +SKIP
'17 themes · 2001–2018 · 17 claims'
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.outputs.views import (
    STANCES,
    TIMELINE,
    YEAR_NOTES,
    ViewFile,
    _asset,
    _csp,
    _plural,
    _review_title,
    _script_json,
    _view_links,
    write_html,
    year_range,
)
from kg.projections import network as projections
from kg.projections.network import STANCE_ORDER, CitedWork
from kg.projections.timeline import Timeline, review_timeline

__all__ = ["render_timeline", "write_timeline"]

MARKS = {"supports": "solid", "disputes": "hatched", "mentions": "outline"}
"""How each stance's part of a bar is drawn, besides its colour (for greyscale)."""


def write_timeline(
    store: projections.Source | None,
    path: Path,
    *,
    title: str | None = None,
    data: projections.ReviewData | None = None,
    keep: list[object] | None = None,
) -> ViewFile:
    """Write the timeline of the review in ``store`` (or ``data``, already read, as for
    :func:`kg.outputs.views.write_view`) to ``path`` atomically; what it made is put in
    ``keep``, if given, not freed (as :func:`kg.outputs.views.write_view` does)."""
    title = _review_title(store, title)
    timeline = review_timeline(data or projections.ReviewData(store), title)
    page, counts = _render(timeline, keep)
    write_html(page, path)
    if keep is not None:
        keep.append((timeline, page))
    marks = len(timeline.cells)
    return ViewFile(TIMELINE, path, marks, 0, counts, marks, 0)


def render_timeline(timeline: Timeline) -> str:
    """The timeline page of ``timeline``: one self-contained HTML document."""
    return _render(timeline)[0]


def _counts(timeline: Timeline) -> str:
    """ "17 themes · 2001–2018 · 17 claims": what the header and the index say."""
    themes = sum(1 for row in timeline.themes if row[3])
    span = f"{timeline.years[0]}–{timeline.years[-1]}" if timeline.years else "no years"
    if timeline.undated:
        span += " and n.d."
    return " · ".join((_plural(themes, "theme"), span, _plural(timeline.claim_count(), "claim")))


def _render(timeline: Timeline, keep: list[object] | None = None) -> tuple[str, str]:
    """:func:`render_timeline`'s page, and its line of counts; its data put in ``keep``,
    if given."""
    places: dict[int, int] = {}
    for cell in timeline.cells:
        for place in cell.claims:
            places.setdefault(place, len(places))
    rows = {row[0]: i for i, row in enumerate(timeline.themes)}
    stance = {name: i for i, name in enumerate(STANCE_ORDER)}
    data = {
        "themes": [[row[0], row[1], row[3]] for row in timeline.themes],
        "years": [timeline.years[0], timeline.years[-1]] if timeline.years else [],
        "undated": timeline.undated,
        "stances": [
            {"name": s.name, "color": s.color, "mark": MARKS[s.name], "meaning": s.meaning}
            for s in STANCES
        ],
        "cells": [[rows[c.theme], c.year, stance[c.stance], len(c.claims)] for c in timeline.cells],
        "claims": timeline.claim_count(),
        "untagged": timeline.untagged,
    }
    ordered = sorted(places, key=places.__getitem__)
    works = _works(timeline.claims[place].cites for place in ordered)
    details = {
        "definitions": [row[2] for row in timeline.themes],
        "cells": [[places[place] for place in c.claims] for c in timeline.cells],
        "claims": [_claim(timeline, place, works) for place in ordered],
        "works": [list(work) for work in works],
    }
    counts = _counts(timeline)
    if keep is not None:
        keep.append((data, details))
    return _page(timeline, counts, data, details), counts


def _works(cited: Iterable[Iterable[CitedWork]]) -> dict[tuple[str, ...], int]:
    """Each work the claims cite, once, as ``(label, title, year)``, numbered in order."""
    works: dict[tuple[str, ...], int] = {}
    for cites in cited:
        for work in cites:
            works.setdefault((work.label, work.title, work.year), len(works))
    return works


def _claim(timeline: Timeline, place: int, works: dict[tuple[str, ...], int]) -> list[Any]:
    """A claim as the page reads it: quote, citing text, and each work it cites as
    ``[work, stance, locator]`` (the work a place in the page's list of works)."""
    claim = timeline.claims[place]
    cites = [
        [works[work.label, work.title, work.year], STANCE_ORDER.index(work.stance), work.locator]
        for work in claim.cites
    ]
    return [claim.text, timeline.citing.get(claim.citing, claim.citing), cites]


def _swatch(stance: str, width: int, height: int) -> str:
    """A stance's mark for the legend and the stance boxes, painted by the page's script."""
    return (
        f'<svg width="{width + 2}" height="{height + 2}" data-kg-stance="{stance}" '
        f'aria-hidden="true"><rect x="1" y="1" width="{width}" height="{height}"/></svg>'
    )


def _legend() -> str:
    """The legend: each stance's mark, and what a bar's height means."""
    rows = [
        f'<li title="{html.escape(s.meaning)}">{_swatch(s.name, 12, 16)}{s.name}</li>'
        for s in STANCES
    ]
    rows.append(
        '<li><svg width="22" height="18" aria-hidden="true"><rect x="2" y="11" width="7" '
        'height="6" fill="#9ca3af"/><rect x="12" y="1" width="7" height="16" fill="#9ca3af"/>'
        "</svg>bar height: claims (square root)</li>"
    )
    return '<ul class="kg-legend">' + "".join(rows) + "</ul>"


def _stance_boxes() -> str:
    return "".join(
        f'<label class="kg-check" title="{html.escape(s.meaning)}"><input type="checkbox" '
        f'name="stance" value="{s.name}" checked>{_swatch(s.name, 12, 12)}{s.name}</label>'
        for s in STANCES
    )


def _hatch() -> str:
    """The pattern of the disputes' marks (diagonal lines of their colour), which the chart
    and the legend share."""
    color = next(s.color for s in STANCES if MARKS[s.name] == "hatched")
    return (
        '<svg class="kg-tl-defs" width="0" height="0" aria-hidden="true"><defs>'
        '<pattern id="kg-tl-hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" fill="#fde8e8"/>'
        f'<line x1="0" y1="0" x2="0" y2="4" stroke="{color}" stroke-width="2.4"/></pattern>'
        "</defs></svg>"
    )


def _page(timeline: Timeline, counts: str, data: dict[str, Any], details: dict[str, Any]) -> str:
    helpers, script = _asset("dom.js"), _asset("timeline.js")
    style = _asset("views.css") + _asset("timeline.css")
    title = timeline.title or "Literature review"
    note = ""
    if timeline.untagged:
        note = (
            f'<p class="kg-status">{_plural(timeline.untagged, "claim")} with no theme '
            "not shown.</p>"
        )
    parts = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp([helpers, script])}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html.escape(title)} · {TIMELINE.heading}</title>\n",
        f"<style>{style}</style>\n</head>\n<body>\n",
        '<header class="kg-header">',
        f'<h1>{html.escape(title)}</h1><p class="kg-counts">{html.escape(counts)}</p>',
        f"{_view_links(TIMELINE)}</header>\n",
        '<main class="kg-main">\n<aside class="kg-controls" aria-label="Search and filters">',
        '<label class="kg-label" for="kg-search">Find a theme</label>',
        '<input id="kg-search" type="search" list="kg-labels" autocomplete="off" '
        'placeholder="Name, then Enter">',
        '<datalist id="kg-labels"></datalist><p id="kg-search-status" class="kg-status"></p>',
        '<fieldset class="kg-stances"><legend class="kg-label">Stance</legend>'
        f"{_stance_boxes()}</fieldset>",
        year_range(*data["years"], note=YEAR_NOTES[TIMELINE.name if timeline.undated else "dated"])
        if data["years"]
        else "",
        '<button id="kg-reset" type="button">Show everything</button>',
        f'<p id="kg-filter-status" class="kg-status"></p>{note}',
        f'<h2 class="kg-label">Legend</h2>{_legend()}',
        '<p class="kg-help">Each bar is a theme\'s claims citing works of that year. Hover '
        "for the numbers, click a bar for its claims, click a theme for all of its.</p>"
        "</aside>\n",
        f'<div id="kg-timeline" class="kg-timeline" data-kg-marks="{len(timeline.cells)}" '
        'role="img" aria-label="Timeline of the themes\' claims by year of the cited works">'
        "</div>\n",
        '<aside id="kg-panel" class="kg-panel" aria-live="polite"><div id="kg-details">',
        "</div></aside>\n</main>\n",
        _hatch(),
        f'<script type="application/json" id="kg-data">{_script_json(data)}</script>\n',
        f"<script>{helpers}</script>\n",
        f"<script>{script}</script>\n",
        f'<script type="application/json" id="kg-details-data">{_script_json(details)}</script>\n',
        "</body>\n</html>\n",
    )
    return "".join(parts)
