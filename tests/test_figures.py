"""Figures, labels and saved layouts, in real headless Chromium (see tests/test_browser.py).

Labels are checked from the boxes vis-network drew them in (each node's ``labelModule.size``
and ``shape`` box, in canvas units), not by eye; figures by comparing the node positions an
SVG holds with the positions on the page.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from . import test_browser

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
