"""The views in a real browser: Debian's chromium driven by Playwright, headless and offline.

Each test opens the built HTML files as a researcher would (``file://``), records every
request the page makes, and reads the drawn graph through ``window.kgNetwork``. Screenshots
of every view are written into the test's temporary folder (``SCREENSHOTS`` below).

CI installs chromium (apt) and playwright (the ``test`` extra); elsewhere, without them,
these tests are skipped with the reason.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.build.pipeline import build_review
from kg.outputs import views
from kg.outputs.views import TIMELINE, VIEW_LIMIT, VIEWS, find_view
from kg.projections.network import readable_subgraph
from kg.store.query import run_query

from .conftest import BIB, write_config

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAYLOAD = "<img src=x onerror=alert(1)>"

pytestmark = [
    pytest.mark.skipif(
        sync_playwright is None,
        reason="playwright is not installed (pip install -e '.[test]'); browser tests skipped",
    ),
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped",
    ),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


class Visit:
    """One page opened from disk, with what it requested, alerted and threw."""

    def __init__(self, browser: Browser, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.page: Page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

        def dialog(opened: Any) -> None:
            self.dialogs.append(opened.message)
            opened.dismiss()

        self.page.on("dialog", dialog)
        self.page.goto(self.url)

    def wait_drawn(self, timeout: float = 30.0) -> None:
        """Until the map is drawn and its layout has stopped moving."""
        deadline = time.monotonic() + timeout
        previous = None
        while time.monotonic() < deadline:
            if self.page.evaluate("window.kgReady === true"):
                positions = self.page.evaluate("JSON.stringify(kgNetwork.getPositions())")
                if positions == previous:
                    return
                previous = positions
            time.sleep(0.15)
        raise AssertionError(f"{self.url} was not drawn within {timeout} s")

    def details(self) -> str:
        """The side panel's text as shown (headings upper-cased by CSS), one line each."""
        text = str(self.page.locator("#kg-details").inner_text())
        return "\n".join(line for line in text.splitlines() if line.strip())

    def point_of(self, node: str) -> tuple[float, float]:
        """Where ``node`` is on the screen, checked to be the node found there."""
        found = self.page.evaluate(
            """(id) => {
                const at = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
                return {x: at.x, y: at.y, hit: kgNetwork.getNodeAt(at)};
            }""",
            node,
        )
        assert found["hit"] == node, f"{node} is covered by {found['hit']}"
        box = self.page.locator("#kg-network").bounding_box()
        assert box is not None
        return box["x"] + found["x"], box["y"] + found["y"]

    def shown(self, collection: str) -> int:
        return int(
            self.page.evaluate(
                f"kgNetwork.body.data.{collection}.get({{filter: (i) => !i.hidden}}).length"
            )
        )

    def offline(self) -> bool:
        return self.requests == [self.url]


@pytest.fixture
def visit(browser: Browser) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.page.close()


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_view_loads_offline_and_draws_what_it_says(
    view, built, store, visit, tmp_path: Path
) -> None:
    report, _ = built
    page = visit(report.output / view.filename)
    page.wait_drawn()
    page.page.screenshot(path=tmp_path / f"{view.name}.png")
    assert page.offline(), f"requests to other places: {page.requests}"
    assert page.errors == [] and page.dialogs == []
    graph, total_nodes, _ = readable_subgraph(view.project(store), VIEW_LIMIT)
    drawn = page.page.evaluate(
        "[kgNetwork.body.data.nodes.length, kgNetwork.body.data.edges.length]"
    )
    assert drawn == [graph.number_of_nodes(), graph.number_of_edges()]
    banner = page.page.locator(".kg-banner")
    assert banner.count() == (1 if total_nodes > graph.number_of_nodes() else 0)
    container = page.page.locator("#kg-network")
    assert container.get_attribute("data-kg-nodes") == str(graph.number_of_nodes())
    assert container.get_attribute("data-kg-edges") == str(graph.number_of_edges())
    assert page.shown("nodes") == graph.number_of_nodes()
    assert "BY NUMBER OF CLAIMS" in page.details()


def test_a_cut_view_says_so_and_draws_its_part(store, visit, tmp_path: Path) -> None:
    from kg.outputs.views import write_view

    written = write_view(store, find_view("map"), tmp_path / "map.html", limit=12)
    page = visit(written.path)
    page.wait_drawn()
    assert page.offline() and page.errors == []
    drawn = page.page.evaluate(
        "[kgNetwork.body.data.nodes.length, kgNetwork.body.data.edges.length]"
    )
    assert drawn == [written.nodes, written.edges] and written.nodes == 12
    banner = page.page.locator(".kg-banner")
    assert banner.is_visible()
    assert banner.inner_text() == (
        f"Showing the 12 most-cited of {written.total_nodes} authors and themes, and "
        f"{written.edges} of {written.total_edges} links. For the whole graph: kg view map --all"
    )


def test_index_links_the_views_offline(built, visit, tmp_path: Path) -> None:
    report, _ = built
    page = visit(report.output / "index.html")
    page.page.screenshot(path=tmp_path / "index.png")
    assert page.offline() and page.errors == []
    links = page.page.eval_on_selector_all("a.kg-view", "(links) => links.map((a) => a.href)")
    pages = (*VIEWS, TIMELINE)
    assert links == [(report.output / v.filename).resolve().as_uri() for v in pages]
    page.page.click("text=Citation network")
    page.page.wait_for_url("**/citations.html")


def test_clicking_an_author_shows_the_claims_behind_it(built, visit, tmp_path: Path) -> None:
    report, _ = built
    page = visit(report.output / "map.html")
    page.wait_drawn()
    page.page.mouse.click(*page.point_of("author:hucklesby-anthea"))
    text = page.details()
    page.page.screenshot(path=tmp_path / "map-author-clicked.png")
    assert text.startswith("Hucklesby, A.\nAuthor · their works cited in 1 claim")
    assert "transferring mentoring into the coercive and punitive environment" in text
    assert "Hucklesby and Wincup (2014), p. 1" in text
    assert "disputes" in text


def test_hovering_an_author_shows_a_tooltip_with_claims(built, visit, tmp_path: Path) -> None:
    report, _ = built
    page = visit(report.output / "map.html")
    page.wait_drawn()
    page.page.mouse.move(*page.point_of("author:giordano-peggy-c"))
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=5000)
    page.page.screenshot(path=tmp_path / "map-author-hovered.png")
    text = tooltip.inner_text()
    assert text.startswith("Giordano, P. C.")
    assert "Gender, Crime, and Desistance" in text
    assert "hook for change" in text


def test_search_focuses_a_theme_and_filters_hide_the_rest(built, visit, tmp_path: Path) -> None:
    report, _ = built
    page = visit(report.output / "map.html")
    page.wait_drawn()
    page.page.fill("#kg-search", "hook for")
    page.page.press("#kg-search", "Enter")
    assert page.details().startswith("Hook for change\nTheme · 1 claim")
    assert page.page.evaluate("kgNetwork.getSelectedNodes()") == ["theme:hook-for-change"]
    page.page.select_option("#kg-theme", "theme:hook-for-change")
    assert page.shown("nodes") == 4  # the theme and its three authors
    page.page.select_option("#kg-theme", "")
    page.page.uncheck("input[value=supports]")
    page.page.uncheck("input[value=mentions]")
    stances = page.page.evaluate(
        "kgNetwork.body.data.edges.get({filter: (e) => !e.hidden}).map((e) => e.id.split('|')[2])"
    )
    assert set(stances) == {"disputes"}
    page.page.screenshot(path=tmp_path / "map-disputes-only.png")
    page.page.click("#kg-reset")
    assert page.shown("edges") == page.page.evaluate("kgNetwork.body.data.edges.length")


def _tags(store) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The (claim id, theme id) pairs the store holds, and those of them it records as
    guesses, by the named query."""
    from kg.projections.network import is_guess
    from kg.store.query import load_query, run_query

    tags, guessed = set(), set()
    for row in run_query(store, load_query("claim-themes")).records():
        pair = (row["claim"].rpartition("/claim/")[2], "theme:" + row["themeIri"].rsplit("/", 1)[1])
        tags.add(pair)
        if row["method"] and is_guess(row["method"], row["score"]):
            guessed.add(pair)
    return tags, guessed


@pytest.mark.parametrize("name", ["map", "citations"])
def test_guessed_themes_are_lighter_and_confirmed_only_hides_them(
    built, store, visit, tmp_path: Path, name: str
) -> None:
    report, _ = built
    tags, guessed = _tags(store)
    assert guessed, "the seed review has no guessed tag to show"
    page = visit(report.output / f"{name}.html")
    page.wait_drawn()
    pale = {views.lighter(style.color) for style in find_view(name).edges}
    drawn = page.page.evaluate(
        "() => kgNetwork.body.data.edges.get().map((e) => [e.id, e.color.color || e.color])"
    )
    lighter = {edge for edge, color in drawn if color in pale}
    assert lighter and len(lighter) < len(drawn)
    behind = json.loads(page.page.locator("#kg-details-data").text_content() or "{}")["edges"]
    claims_of = {edge: {claim for claim, _ in behind[edge]} for edge in behind}
    for edge in lighter:
        if name == "map":  # author|theme|stance: every claim's tag of that theme a guess
            theme = edge.split("|")[1]
            assert all((claim, theme) in guessed for claim in claims_of[edge]), edge
        else:  # every claim behind the line has themes, all guessed
            for claim in claims_of[edge]:
                themes = {pair for pair in tags if pair[0] == claim}
                assert themes and themes <= guessed, edge
    total = len(drawn)
    page.page.check("#kg-confirmed")
    hidden = set(
        page.page.evaluate(
            "kgNetwork.body.data.edges.get({filter: (e) => e.hidden}).map((e) => e.id)"
        )
    )
    assert hidden == lighter
    assert "Showing" in page.page.locator("#kg-filter-status").inner_text()
    page.page.screenshot(path=tmp_path / f"{name}-confirmed-only.png")
    page.page.click("#kg-reset")
    assert not page.page.is_checked("#kg-confirmed")
    assert page.shown("edges") == total


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A review whose bibliography and title hold markup: its output folder."""
    folder = tmp_path_factory.mktemp("hostile")
    bib = (BIB / "references.bib").read_text(encoding="utf-8")
    title = "{Gender, Crime, and Desistance: Toward a Theory of Cognitive Transformation}"
    assert title in bib
    bib = bib.replace(title, "{Gender, Crime " + PAYLOAD + "}")
    (folder / "references.bib").write_text(bib, encoding="utf-8")
    config = write_config(
        folder,
        bibliography=json.dumps([str(folder / "references.bib")]),
        title=json.dumps(f"Seed {PAYLOAD}"),
    )
    report = build_review(config)
    return report.output


def test_markup_in_the_bibliography_shows_as_text(hostile: Path, visit, tmp_path: Path) -> None:
    page = visit(hostile / "map.html")
    page.wait_drawn()
    page.page.mouse.move(*page.point_of("author:giordano-peggy-c"))
    page.page.locator("div.vis-tooltip").wait_for(state="visible", timeout=5000)
    assert "Gender, Crime " + PAYLOAD in page.page.locator("div.vis-tooltip").inner_text()
    page.page.mouse.click(*page.point_of("author:giordano-peggy-c"))
    assert "Gender, Crime " + PAYLOAD in page.details()
    assert page.page.locator("h1").inner_text() == f"Seed {PAYLOAD}"
    page.page.screenshot(path=tmp_path / "hostile-map.png")

    citations = visit(hostile / find_view("citations").filename)
    citations.wait_drawn()
    citations.page.mouse.click(*citations.point_of("work:giordano2002gender"))
    assert "Gender, Crime " + PAYLOAD in citations.details()
    citations.page.screenshot(path=tmp_path / "hostile-citations.png")

    index = visit(hostile / "index.html")
    for opened in (page, citations, index):
        assert opened.dialogs == [], "the payload ran"
        assert opened.offline(), f"the payload made a request: {opened.requests}"
        assert opened.errors == []
        assert opened.page.locator("img").count() == 0


# The timeline (kg.outputs.timeline) and the year filter of the views.


def _marks(page: Any) -> dict[tuple[str, str, str], int]:
    """The timeline's drawn bar parts: (theme, year, stance) to the claims each says."""
    drawn = page.page.eval_on_selector_all(
        ".kg-tl-mark",
        "(marks) => marks.map((m) => [m.dataset.theme, m.dataset.year, m.dataset.stance,"
        " Number(m.dataset.count), m.getBoundingClientRect().height])",
    )
    assert all(height >= 3 for *_, height in drawn), "a mark too small to see or click"
    return {(theme, year, stance): count for theme, year, stance, count, _ in drawn}


def test_timeline_draws_each_themes_claims_by_year_and_opens_them(
    built, store, visit, tmp_path: Path
) -> None:
    from .test_timeline import counted_in_graph

    report, _ = built
    page = visit(report.output / "timeline.html")
    page.page.wait_for_function("window.kgReady === true")
    page.page.screenshot(path=tmp_path / "timeline.png")
    assert page.offline(), f"requests to other places: {page.requests}"
    assert page.errors == [] and page.dialogs == []
    expected = counted_in_graph(store)
    assert _marks(page) == expected
    per_cell = Counter((theme, year) for theme, year, _ in expected)
    drawn_cells = Counter((theme, year) for theme, year, _ in _marks(page))
    assert drawn_cells == per_cell
    labels = page.page.eval_on_selector_all(
        ".kg-tl-axis text", "(t) => t.map((e) => e.textContent)"
    )
    assert "2002" in labels and "2018" in labels and "n.d." not in labels
    # Every theme's name is read whole: a long one takes a second line inside its row.
    cut = page.page.eval_on_selector_all(
        ".kg-tl-theme .kg-link",
        "(names) => names.filter((a) => a.scrollHeight > a.clientHeight + 1"
        " || a.scrollWidth > a.clientWidth + 1"
        " || a.getBoundingClientRect().height > a.parentElement.clientHeight)"
        ".map((a) => a.textContent)",
    )
    assert cut == []

    mark = page.page.locator(
        '.kg-tl-mark[data-theme="theme:coercion"][data-year="2014"][data-stance="disputes"]'
    )
    mark.click()
    text = page.details()
    page.page.screenshot(path=tmp_path / "timeline-clicked.png")
    heading = "Exploitation and coercion in criminal justice\n2014 · disputes: 1 claim"
    assert text.startswith(heading)
    assert "transferring mentoring into the coercive and punitive environment" in text
    assert "In Nixon (2020), citing:" in text
    assert "Hucklesby and Wincup (2014), p. 1" in text
    assert "disputes" in text

    page.page.click("text=Peer mentoring")
    # as many claims as the graph tags with it (the tagger learns from the curated claims)
    from kg.projections.network import ReviewData
    from kg.projections.timeline import review_timeline

    rows = review_timeline(ReviewData(store)).themes
    (count,) = [row[3] for row in rows if row[0] == "theme:peer-mentoring"]
    assert count >= 10
    assert page.details().startswith(f"Peer mentoring\nTheme · {count} claims")


def test_timeline_filters_by_stance_and_years(built, visit) -> None:
    report, _ = built
    page = visit(report.output / "timeline.html")
    page.page.wait_for_function("window.kgReady === true")
    everything = _marks(page)
    page.page.uncheck("input[value=supports]")
    assert _marks(page) == {k: n for k, n in everything.items() if k[2] != "supports"}
    page.page.fill("#kg-year-from", "2010")
    page.page.fill("#kg-year-to", "2014")
    assert _marks(page) == {
        k: n for k, n in everything.items() if k[2] != "supports" and 2010 <= int(k[1]) <= 2014
    }
    page.page.click("#kg-reset")
    assert _marks(page) == everything


def _cited_years(store) -> dict[str, int]:
    """Each work a claim cites, as the citation network names it, with its year (SPARQL)."""
    rows = run_query(
        store,
        "SELECT DISTINCT ?key ?issued WHERE { ?c cito:hasCitedEntity ?w . "
        "?w kg:bibKey ?key ; dcterms:issued ?issued }",
    ).values("key", "issued")
    return {f"work:{key}": int(issued[:4]) for key, issued in rows}


def test_the_year_filter_hides_exactly_the_works_outside_the_range(
    built, store, visit, tmp_path: Path
) -> None:
    report, _ = built
    page = visit(report.output / "citations.html")
    page.wait_drawn()
    years = _cited_years(store)
    assert min(years.values()) < 2010 and max(years.values()) > 2015
    page.page.fill("#kg-year-from", "2010")
    page.page.fill("#kg-year-to", "2015")
    page.page.screenshot(path=tmp_path / "citations-2010-2015.png")
    shown = set(
        page.page.evaluate(
            "kgNetwork.body.data.nodes.get({filter: (n) => !n.hidden}).map((n) => n.id)"
        )
    )
    drawn_works = {w for w in shown if w.startswith("work:") and w in years}
    assert drawn_works == {w for w, year in years.items() if 2010 <= year <= 2015}
    # A claim stays only if it cites a work in the range; a citing text only with a claim.
    cites = page.page.evaluate(
        "kgNetwork.body.data.edges.get().filter((e) => e.from.startsWith('claim:'))"
        ".map((e) => [e.from, e.to])"
    )
    kept_claims = {claim for claim, work in cites if work in drawn_works}
    assert {n for n in shown if n.startswith("claim:")} == kept_claims
    # The citing text has no year on this axis: it stays with its claims, and the note says so.
    assert "work:nixon2020giving" in shown
    note = page.page.locator(".kg-years .kg-year-note").inner_text()
    assert note == views.YEAR_NOTES["citations"] and "citing text stays" in note
    assert "Showing" in page.page.locator("#kg-filter-status").inner_text()
    page.page.click("#kg-reset")
    assert page.shown("nodes") == page.page.evaluate("kgNetwork.body.data.nodes.length")


def test_the_year_filter_on_the_map_keeps_authors_of_works_in_the_range(built, visit) -> None:
    report, _ = built
    page = visit(report.output / "map.html")
    page.wait_drawn()
    page.page.fill("#kg-year-from", "2014")
    page.page.fill("#kg-year-to", "2014")
    shown = set(
        page.page.evaluate(
            "kgNetwork.body.data.nodes.get({filter: (n) => !n.hidden}).map((n) => n.id)"
        )
    )
    assert "author:hucklesby-anthea" in shown  # Hucklesby and Wincup (2014)
    assert "author:giordano-peggy-c" not in shown  # Giordano et al. (2002) only


def test_a_busy_bar_lists_its_claims_a_page_at_a_time(
    visit, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from .test_timeline import _undated_review

    folder = tmp_path_factory.mktemp("busy")
    config = _undated_review(folder)
    text = "".join(
        f"Peer mentoring programme {n} supports desistance (Smith, 2010).\n" for n in range(45)
    )
    (folder / "text.txt").write_text(text, encoding="utf-8")
    report = build_review(config)
    page = visit(report.output / "timeline.html")
    page.page.wait_for_function("window.kgReady === true")
    mark = '.kg-tl-mark[data-theme="theme:peer-mentoring"][data-year="2010"]'
    assert page.page.locator(mark).get_attribute("data-count") == "45"
    page.page.locator(mark).click()
    assert page.page.locator("#kg-details .kg-claims > li").count() == 40
    page.page.click("text=Show 5 more")
    assert page.page.locator("#kg-details .kg-claims > li").count() == 45
    assert page.page.locator(".kg-tl-more").count() == 0
    assert page.errors == [] and page.offline()


PANEL_WIDER = """() => {
    const panel = document.getElementById("kg-panel");
    return panel.scrollWidth > panel.clientWidth ?
        document.getElementById("kg-details").innerText.slice(0, 80) : null;
}"""


@pytest.mark.parametrize("view", [*VIEWS, TIMELINE], ids=lambda v: v.name)
def test_the_side_panel_never_scrolls_sideways(built, visit, view) -> None:
    """The overview, and each node's panel (the timeline: each theme's), fit the panel's
    width: a long note or word wraps."""
    report, _ = built
    page = visit(report.output / view.filename)
    page.page.wait_for_function("window.kgReady === true")
    assert page.page.evaluate(PANEL_WIDER) is None
    if view is TIMELINE:
        themes = page.page.locator(".kg-tl-theme .kg-link")
        for index in range(themes.count()):
            themes.nth(index).click()
            assert page.page.evaluate(PANEL_WIDER) is None
    else:
        wider = page.page.evaluate(
            """() => Object.keys(kgNetwork.getPositions()).filter((id) => {
                kgGoTo(id);
                const panel = document.getElementById("kg-panel");
                return panel.scrollWidth > panel.clientWidth;
            })"""
        )
        assert wider == []
    assert page.errors == []
