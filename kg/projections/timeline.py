"""The review over time: each theme's claims by the year of the works they cite.

A claim tagged with a theme that cites a work published in a year, with a stance (supports,
disputes or mentions), is one of the claims of that theme's *cell* for that year and stance. A
claim citing works of several years sits in each of their columns, and once in a column
however many of its works are from that year; a work with no year ("n.d.", "forthcoming") puts
it in a column of its own. Claims with no theme are counted, not placed. The rows are read from
:class:`kg.projections.network.ReviewData` (the claims joined with their citations, themes and
the works' years), so the timeline shows what ``kg query`` answers.

>>> timeline = review_timeline(ReviewData(store))  # doctest: +SKIP
>>> timeline.years[0], timeline.cells[0].theme, len(timeline.cells[0].claims)  # doctest: +SKIP
(2001, 'theme:peer-mentoring', 1)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kg.projections.network import STANCE_ORDER, ReviewClaim, ReviewData, publication_year

__all__ = ["Timeline", "TimelineCell", "review_timeline"]


@dataclass(frozen=True)
class TimelineCell:
    """The claims of one theme citing works of one year with one stance (``year`` None: of
    no year), as places in :attr:`Timeline.claims`, in text order."""

    theme: str
    year: int | None
    stance: str
    claims: tuple[int, ...]


@dataclass(frozen=True)
class Timeline:
    """A review's claims by theme and year of the works they cite.

    ``themes`` are the rows, top to bottom, as ``(id, label, definition, claims)``: the
    scheme's themes by number of claims, then label (those with none last). ``years`` are the
    columns, every year from the first to the last that a placed claim cites, and ``undated``
    whether a column of works with no year follows. ``cells`` are ordered by row, year (no
    year last) and stance. ``untagged`` is the number of claims with no theme, left out.
    ``citing`` names each citing text, by key, as readers cite it.
    """

    title: str
    themes: tuple[tuple[str, str, str, int], ...]
    years: tuple[int, ...]
    undated: bool
    cells: tuple[TimelineCell, ...]
    claims: tuple[ReviewClaim, ...]
    untagged: int
    citing: dict[str, str]

    def claim_count(self) -> int:
        """The number of claims placed on the timeline (those with a theme)."""
        return len(self.claims) - self.untagged


def review_timeline(data: ReviewData, title: str = "") -> Timeline:
    """The timeline of the review ``data`` holds (:class:`Timeline`)."""
    claims = tuple(data.claims())
    places: dict[tuple[str, int | None, str], list[int]] = defaultdict(list)
    labels: dict[str, str] = {}
    untagged = 0
    years_of: dict[str, int | None] = {}  # few distinct, read once each
    for place, claim in enumerate(claims):
        if not claim.themes:
            untagged += 1
            continue
        kept = set()
        for cited in claim.cites:
            issued = cited.year
            if issued not in years_of:
                years_of[issued] = publication_year(issued)
            kept.add((years_of[issued], cited.stance))
        for theme, label in claim.themes:
            labels.setdefault(theme, label)
            for year, stance in kept:
                places[theme, year, stance].append(place)
    tagged: dict[str, set[int]] = defaultdict(set)
    for (theme, _, _), found in places.items():
        tagged[theme].update(found)
    rows = []
    for row in data.themes:
        theme = f"theme:{row['id']}"
        rows.append((theme, row["theme"], row["definition"], len(tagged.get(theme, ()))))
    listed = {row[0] for row in rows}
    rows += [(theme, label, "", len(tagged[theme])) for theme, label in labels.items()
             if theme not in listed]  # fmt: skip
    rows.sort(key=lambda row: (-row[3], row[1].lower(), row[0]))
    order = {row[0]: i for i, row in enumerate(rows)}
    cells = sorted(
        (TimelineCell(theme, year, stance, tuple(found))
         for (theme, year, stance), found in places.items()),
        key=lambda c: (order[c.theme], c.year is None, c.year or 0, STANCE_ORDER.index(c.stance)),
    )  # fmt: skip
    dated = [cell.year for cell in cells if cell.year is not None]
    years = tuple(range(min(dated), max(dated) + 1)) if dated else ()
    undated = any(cell.year is None for cell in cells)
    works = data.works
    citing = {
        claim.citing: works[claim.citing].label if claim.citing in works else claim.citing
        for claim in claims
    }
    return Timeline(
        title,
        tuple(rows),
        years,
        undated,
        tuple(cells),
        claims,
        untagged,
        dict(sorted(citing.items())),
    )
