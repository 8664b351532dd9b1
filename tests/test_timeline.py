"""The timeline (kg.projections.timeline, kg.outputs.timeline) on real builds: its cells are
what a SPARQL query of the graph counts, works with no year get a column of their own, and
the page is the same bytes on a rebuild. The page in a browser: tests/test_browser.py."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from kg.build.pipeline import build_review
from kg.cli import main
from kg.outputs.timeline import render_timeline
from kg.outputs.views import YEAR_NOTES
from kg.projections.network import ReviewData
from kg.projections.timeline import review_timeline
from kg.store.query import run_query

from .conftest import write_config

# Each claim tagged with a theme, counted once per theme, year of a cited work and stance.
COUNTS = """
SELECT ?theme ?year ?stance (COUNT(DISTINCT ?claim) AS ?claims)
WHERE {
  ?claim a kg:Claim ; dcterms:subject ?theme ; kg:hasCitation ?citation .
  ?citation cito:hasCitedEntity ?work ; cito:hasCitationCharacterization ?kind .
  OPTIONAL { ?work dcterms:issued ?issued }
  BIND(IF(BOUND(?issued) && REGEX(STR(?issued), "^[0-9]{4}"), SUBSTR(STR(?issued), 1, 4),
          "n.d.") AS ?year)
  BIND(IF(?kind IN (cito:supports, cito:citesAsEvidence), "supports",
       IF(?kind IN (cito:disputes, cito:critiques), "disputes", "mentions")) AS ?stance)
}
GROUP BY ?theme ?year ?stance
"""


def counted_in_graph(store) -> dict[tuple[str, str, str], int]:
    """The timeline's cells as SPARQL counts them in the store: (theme id, year, stance)."""
    rows = run_query(store, COUNTS).values("theme", "year", "stance", "claims")
    return {
        ("theme:" + re.split(r"[/#]", theme)[-1], year, stance): int(claims)
        for theme, year, stance, claims in rows
    }


def cells_of(timeline) -> dict[tuple[str, str, str], int]:
    return {
        (c.theme, "n.d." if c.year is None else str(c.year), c.stance): len(c.claims)
        for c in timeline.cells
    }


def test_the_seed_timeline_holds_what_the_graph_counts(store) -> None:
    timeline = review_timeline(ReviewData(store))
    expected = counted_in_graph(store)
    assert len(expected) > 20
    assert cells_of(timeline) == expected
    assert timeline.years == tuple(range(2001, 2019)) and not timeline.undated
    # Rows: every theme of the scheme, the busiest first; claim counts of distinct claims.
    tagged = Counter(theme for theme, _, _ in expected)
    assert [row[0] for row in timeline.themes][:1] == ["theme:peer-mentoring"]
    assert len(timeline.themes) == 21 and {row[0] for row in timeline.themes} >= set(tagged)
    counts = [row[3] for row in timeline.themes]
    assert counts == sorted(counts, reverse=True) and counts[0] == 14
    assert timeline.claim_count() == 17 and timeline.untagged == 0


def _undated_review(folder: Path) -> Path:
    """A review citing one work of 2010 and one with no year ("n.d."), in ``folder``."""
    (folder / "refs.bib").write_text(
        "@article{smith2010peer, author = {Smith, Anna}, title = {Peer mentoring in prisons},"
        " journal = {Probation Journal}, year = {2010}}\n"
        "@misc{jones_mentors, author = {Jones, Bob}, title = {Mentors who were there}}\n"
        "@article{lee2020review, author = {Lee, Carol}, title = {A review of peer mentoring},"
        " journal = {Criminology}, year = {2020}}\n",
        encoding="utf-8",
    )
    (folder / "text.txt").write_text(
        "Peer mentoring supports desistance (Smith, 2010). However, Jones (n.d.) overlooks "
        "that peer mentors are cheap labour.\n",
        encoding="utf-8",
    )
    return write_config(
        folder,
        bibliography=json.dumps([str(folder / "refs.bib")]),
        texts=f'[{{path = "{folder / "text.txt"}", work = "lee2020review"}}]',
        claims=None,
    )


def test_a_work_with_no_year_has_a_column_of_its_own(tmp_path: Path, store) -> None:
    from kg.store.embedded import open_store

    seed = render_timeline(review_timeline(ReviewData(store)))  # every cited work has a year
    report = build_review(_undated_review(tmp_path))
    store = open_store(report.output / "store")
    timeline = review_timeline(ReviewData(store))
    assert timeline.years == (2010,) and timeline.undated
    assert cells_of(timeline) == counted_in_graph(store)
    undated = [c for c in timeline.cells if c.year is None]
    assert {c.stance for c in undated} == {"disputes"}
    assert all(timeline.claims[c.claims[0]].cites[0].key == "jones_mentors" for c in undated)
    page = (report.output / "timeline.html").read_text(encoding="utf-8")
    assert "2010 and n.d." in page
    # The year filter's note says what a range does to the n.d. column, where there is one.
    note = '<p class="kg-year-note">{}</p>'
    assert note.format(YEAR_NOTES["timeline"]) in page and "n.d. column" in YEAR_NOTES["timeline"]
    assert note.format(YEAR_NOTES["dated"]) in seed and "n.d." not in YEAR_NOTES["dated"]


def test_the_page_is_the_same_bytes_on_a_rebuild(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    report = build_review(config)
    first = (report.output / "timeline.html").read_bytes()
    again = build_review(config)  # from the cache, drawn beside the drawer
    assert (again.output / "timeline.html").read_bytes() == first
    index = (report.output / "index.html").read_text(encoding="utf-8")
    from kg.store.embedded import open_store

    marks = len(review_timeline(ReviewData(open_store(report.output / "store"))).cells)
    assert 'href="timeline.html"' in index and f"{marks} marks" in index
    assert '<a href="timeline.html">timeline</a>' in (report.output / "map.html").read_text(
        encoding="utf-8"
    )


def test_the_page_is_made_from_the_rows_alone(store) -> None:
    data = ReviewData(store)
    page = render_timeline(review_timeline(data, "Seed review"))
    assert page == render_timeline(review_timeline(ReviewData(store), "Seed review"))
    assert "<script src=" not in page and "http" not in page.split("<body>")[1].split("<script")[0]
    assert f'data-kg-marks="{len(review_timeline(data).cells)}"' in page


def test_kg_view_timeline_writes_the_page(built, tmp_path: Path) -> None:
    _, config = built
    output = tmp_path / "timeline.html"
    result = CliRunner().invoke(main, ["view", "timeline", "-c", str(config), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {output.resolve()}: 18 themes · 2001–2018 · 17 claims" in result.output
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
