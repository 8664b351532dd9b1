"""Figures, labels and saved layouts, in real headless Chromium (see tests/test_browser.py).

Labels are checked from the boxes vis-network drew them in (each node's ``labelModule.size``
and ``shape`` box, in canvas units), not by eye; figures by comparing the node positions an
SVG holds with the positions on the page.
"""

from __future__ import annotations

import json
import re
import shutil
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from kg.build.pipeline import build_review

from . import test_browser
from .conftest import BIB, write_config

pytestmark = test_browser.pytestmark
browser = test_browser.browser
visit = test_browser.visit

BOXES = """() => {
    const out = {};
    for (const [id, node] of Object.entries(kgNetwork.body.nodes)) {
        if (node.options.hidden || id.startsWith("edgeId:")) { continue; }
        const label = node.labelModule.size;
        const s = node.shape;
        const shape = {left: node.x - s.width / 2, top: node.y - s.height / 2,
                       right: node.x + s.width / 2, bottom: node.y + s.height / 2};
        out[id] = {shape: shape, label: {left: label.left, top: label.top,
                   right: label.left + label.width, bottom: label.top + label.height},
                   box: node.shape.constructor.name === "Box" || node.options.shape === "box"};
    }
    return out;
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return min(a["right"], b["right"]) > max(a["left"], b["left"]) and min(
        a["bottom"], b["bottom"]
    ) > max(a["top"], b["top"])


def drawn_overlaps(page: Any) -> list[str]:
    """Pairs of nodes whose drawn labels overlap, or where a label covers another node."""
    boxes = page.evaluate(BOXES)
    found = []
    for (one, a), (two, b) in combinations(sorted(boxes.items()), 2):
        if _overlap(a["label"], b["label"]):
            found.append(f"label {one} on label {two}")
        elif _overlap(a["label"], b["shape"]) or _overlap(a["shape"], b["label"]):
            found.append(f"label of {one} or {two} on the other node")
    return found


@pytest.mark.parametrize("name", ["map", "citations"])
def test_no_two_labels_overlap_at_the_default_zoom(built, visit, name: str) -> None:
    report, _ = built
    page = visit(report.output / f"{name}.html")
    page.wait_drawn()
    assert page.page.evaluate("kgNetwork.getScale()") > 0
    assert page.shown("nodes") > 15
    # Labels are drawn, not below vis-network's threshold for skipping tiny text.
    assert page.page.evaluate(
        "Object.values(kgNetwork.body.nodes).every(n => n.labelModule.size.width > 0)"
    )
    assert drawn_overlaps(page.page) == []


EXACT = """() => Object.fromEntries(Object.keys(kgNetwork.getPositions()).map(
    (id) => [id, {x: kgNetwork.body.nodes[id].x, y: kgNetwork.body.nodes[id].y}]))"""


def _svg_positions(svg: str) -> dict[str, tuple[float, float]]:
    """Each node's centre as the SVG draws it, from its shape's geometry."""
    from xml.etree import ElementTree

    ns = "{http://www.w3.org/2000/svg}"
    found = {}
    for group in ElementTree.fromstring(svg).iter(f"{ns}g"):
        if group.get("class") != "kg-node":
            continue
        shape = group[0]
        if shape.tag == f"{ns}circle":
            at = (float(shape.get("cx")), float(shape.get("cy")))
        elif shape.tag == f"{ns}rect":
            at = (
                float(shape.get("x")) + float(shape.get("width")) / 2,
                float(shape.get("y")) + float(shape.get("height")) / 2,
            )
        else:  # a diamond: "M x y+size L x+size y ..."
            numbers = [float(n) for n in re.findall(r"-?[\d.]+", shape.get("d"))]
            at = (numbers[0], numbers[3])
        found[group.get("data-id")] = at
    return found


def _svg_fills(svg: str) -> dict[str, str]:
    """Each node's fill colour in ``svg``, by node id."""
    from xml.etree import ElementTree

    ns = "{http://www.w3.org/2000/svg}"
    return {
        group.get("data-id"): group[0].get("fill")
        for group in ElementTree.fromstring(svg).iter(f"{ns}g")
        if group.get("class") == "kg-node"
    }


def _close(svg: dict[str, tuple[float, float]], screen: dict[str, Any], within: float) -> None:
    assert set(svg) == set(screen)
    for node, (x, y) in svg.items():
        assert abs(x - screen[node]["x"]) <= within and abs(y - screen[node]["y"]) <= within, node


@pytest.mark.parametrize("name", ["map", "citations"])
def test_svg_and_png_figures_match_the_screen(built, store, visit, tmp_path, name: str) -> None:
    from kg.outputs.views import find_view, write_figure

    report, _ = built
    page = visit(report.output / f"{name}.html")
    page.wait_drawn()
    screen = page.page.evaluate(EXACT)
    # The page's own "Download SVG": what is on screen.
    with page.page.expect_download() as got:
        page.page.click("#kg-svg")
    downloaded = Path(got.value.path()).read_text(encoding="utf-8")
    _close(_svg_positions(downloaded), screen, 0.06)
    assert 'class="kg-legend"' in downloaded
    # kg view NAME --svg, from Python: the same positions, without a browser.
    python_svg = write_figure(store, find_view(name), svg=tmp_path / "figure.svg")
    _close(_svg_positions(python_svg), screen, 0.06)
    # ... and the same colours (the map's themes by their cluster, as on the page).
    assert _svg_fills(python_svg) == _svg_fills(downloaded)
    assert name != "map" or len(set(_svg_fills(python_svg).values())) >= 3
    assert (tmp_path / "figure.svg").read_text(encoding="utf-8") == python_svg
    # "Download PNG" at 2x the SVG's size, and at a chosen width.
    width = float(re.search(r'width="([\d.]+)"', downloaded).group(1))
    for chosen, expected in (("", round(2 * width)), ("1200", 1200)):
        page.page.fill("#kg-png-width", chosen)
        with page.page.expect_download() as got:
            page.page.click("#kg-png")
        png = Path(got.value.path()).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == expected
    assert page.offline() and page.errors == []


def test_dragged_nodes_stay_pinned_across_a_rebuild(visit, tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    shutil.copy(BIB / "nixon2020-excerpt.txt", text)
    config = write_config(
        tmp_path,
        texts=f'[{{path = "{text}", work = "nixon2020giving"}}]',
        layout='"layout.json"',
    )
    report = build_review(config)
    page = visit(report.output / "map.html")
    page.wait_drawn()
    dragged = ["theme:hope", "author:maruna-shadd", "theme:peer-mentoring"]
    dragged = [n for n in dragged if n in page.page.evaluate("kgNetwork.getPositions()")]
    before = page.page.evaluate("kgNetwork.getPositions()")
    for node, (dx, dy) in zip(dragged, [(60, 40), (-70, 30), (40, -60)], strict=False):
        x, y = page.point_of(node)
        page.page.mouse.move(x, y)
        page.page.mouse.down()
        page.page.mouse.move(x + dx / 2, y + dy / 2, steps=4)
        page.page.mouse.move(x + dx, y + dy, steps=4)
        page.page.mouse.up()
        page.page.wait_for_timeout(400)  # apart, or hammer.js takes two drags for one gesture
    with page.page.expect_download() as got:
        page.page.click("#kg-save-layout")
    saved = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
    (tmp_path / "layout.json").write_text(json.dumps(saved), encoding="utf-8")
    spots = saved["views"]["map"]
    assert sorted(n for n, s in spots.items() if s["pinned"]) == sorted(dragged)
    for node in dragged:
        assert (
            abs(spots[node]["x"] - before[node]["x"]) > 20
            or abs(spots[node]["y"] - before[node]["y"]) > 20
        )

    # A text change: one more claim, so the graph (and its layout) changes.
    text.write_text(
        text.read_text(encoding="utf-8")
        + "\nPeer mentors describe hope as a turning point (Maruna, 2001).\n",
        encoding="utf-8",
    )
    rebuilt = build_review(config)
    again = visit(rebuilt.output / "map.html")
    again.wait_drawn()
    now = again.page.evaluate("kgNetwork.getPositions()")
    assert now != before
    for node in dragged:
        assert abs(now[node]["x"] - spots[node]["x"]) <= 1, node
        assert abs(now[node]["y"] - spots[node]["y"]) <= 1, node
    assert sorted(again.page.evaluate("Object.keys(kgPinned)")) == sorted(dragged)
    assert drawn_overlaps(again.page) == []


def test_side_panel_text_selects_and_a_claim_copies_as_a_citation(built, visit) -> None:
    report, _ = built
    page = visit(report.output / "map.html")
    page.wait_drawn()
    page.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    x, y = page.point_of("author:buck-gillian")
    page.page.mouse.click(x, y)
    quote = page.page.locator("#kg-details .kg-quote").first
    quote.click(click_count=3)
    selected = page.page.evaluate("window.getSelection().toString()")
    assert selected.strip() and selected.strip() in quote.inner_text()
    button = page.page.locator("#kg-details .kg-copy").first
    button.click()
    page.page.wait_for_timeout(200)
    assert button.inner_text() == "Copied"
    copied = page.page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("\u201c") and "\u201d (Buck, 20" in copied
    assert page.errors == []


def test_kg_view_writes_svg_and_png_figures_or_says_what_is_missing(built, tmp_path) -> None:
    import os
    import subprocess
    import sys

    _, config = built
    kg = [str(Path(sys.executable).parent / "kg")]
    svg, png = tmp_path / "map.svg", tmp_path / "map.png"
    done = subprocess.run(
        [*kg, "view", "map", "-c", str(config), "--svg", str(svg), "--png", str(png),
         "--width", "900"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(header[16:20], "big") == 900
    # No Chromium on the PATH and none of Playwright's own: one line saying so, exit 1.
    env = {**os.environ, "PATH": str(Path(sys.executable).parent),
           "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-browsers")}  # fmt: skip
    missing = subprocess.run(
        [*kg, "view", "map", "-c", str(config), "--png", str(tmp_path / "other.png")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert missing.returncode == 1
    assert missing.stderr.strip().splitlines() == [
        "Error: --png needs Chromium and found none: apt-get install chromium "
        "(or: playwright install chromium)"
    ]
    assert not (tmp_path / "other.png").exists()


def _legend_texts(svg: str) -> list[str]:
    from xml.etree import ElementTree

    ns = "{http://www.w3.org/2000/svg}"
    [legend] = [
        g for g in ElementTree.fromstring(svg).iter(f"{ns}g") if g.get("class") == "kg-legend"
    ]
    return [text.text or "" for text in legend.iter(f"{ns}text")]


@pytest.mark.parametrize("name", ["map", "themes", "citations"])
def test_the_figures_legend_says_what_the_pages_says(built, store, visit, tmp_path, name) -> None:
    """Every line of the page's legend is in the SVG's, from Python and from the page alike
    (where the page lists the clusters on the right, the figure has a key below); a
    clustered view's figure names each coloured cluster."""
    from kg.outputs.views import find_view, write_figure
    from kg.projections.clusters import OTHER

    report, _ = built
    page = visit(report.output / f"{name}.html")
    page.wait_drawn()
    on_page = page.page.locator(".kg-legend li").all_inner_texts()
    with page.page.expect_download() as got:
        page.page.click("#kg-svg")
    downloaded = _legend_texts(Path(got.value.path()).read_text(encoding="utf-8"))
    python = _legend_texts(write_figure(store, find_view(name)))
    assert downloaded == python
    for line in on_page:
        line = " ".join(line.split())
        assert line.replace("(listed right)", "(key below)") in python, line
    clusters = page.page.evaluate("kgData.clusters || []")
    keys = [f"{c['number']}. {c['label']}" for c in clusters if c["color"] != OTHER]
    assert [text for text in python if text[:1].isdigit() and ". " in text] == keys
    assert (name == "citations") == (not keys)
    assert any(text.startswith("Fill: the") for text in python) == bool(keys)
