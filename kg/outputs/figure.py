"""A view as a figure for a paper: SVG drawn from the same positions the page draws.

:func:`render_svg` takes a view's drawing (the nodes with their positions, the edges and
their styles, as :mod:`kg.outputs.views` gives the page) and writes an SVG in the map's own
units: nodes, lines with each stance's colour and dash pattern (solid supports, dashed
disputes, dotted mentions, so a greyscale print tells them apart), labels in Arial as the
page draws them, and the legend below. The page's "Download SVG" button (``figure.js``)
draws the same from the positions on screen and inserts the same legend
(:func:`figure_legend`).

:func:`write_png` renders an SVG to PNG in headless Chromium through Playwright, the
optional extra ``pip install 'kg[figures]'``.

>>> svg = render_svg({"nodes": [{"id": "a", "label": "A", "shape": "dot", "size": 10,
...     "group": "author", "x": 0, "y": 0}], "edges": [], "options": {"groups": {"author":
...     {"color": {"background": "#3f6fa8", "border": "#284a73"}, "font": {"size": 22}}}},
...     "legend": {"svg": "<g/>", "width": 10, "height": 10}})
>>> svg.startswith("<svg") and 'data-id="a"' in svg
True
"""

from __future__ import annotations

import html
import math
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kg.errors import ExportError
from kg.outputs.layout import node_extent, text_width
from kg.projections.clusters import PALETTE

__all__ = ["FONT", "figure_legend", "node_box", "render_svg", "write_png"]

FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif"
"""The figure's typeface: the one the page's canvas measures and draws with."""

MARGIN = 30.0
LEGEND_FONT = 20.0
KEY_WIDTH = 1000.0
"""How wide a row of the clusters' key may grow when the legend above it is narrower."""
ARROW_SCALE = 0.5
BOX_RADIUS = 6.0


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _dash(dashes: Sequence[int] | None) -> str:
    return f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"' if dashes else ""


def figure_legend(
    nodes: Sequence[Any],
    edges: Sequence[Any],
    widths: Sequence[tuple[int, float]],
    *,
    fill: str | None = None,
    keys: Sequence[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """The legend a figure carries: an SVG group (its top left at 0, 0), its width and height.

    ``nodes`` and ``edges`` are the view's styles (:class:`kg.outputs.views.NodeStyle`, with
    ``shape``, ``color``, ``border`` and ``legend``; :class:`kg.outputs.views.EdgeStyle`).

    One row of node kinds, one of line styles, one of line widths (``widths``: claims and
    the width of a line of that many). A clustered view adds the page's line on what fill
    colour means (``fill``) and a key to the clusters (``keys``: fill, border and name of
    each), in rows as wide as the legend above, or :data:`KEY_WIDTH`. The texts are the
    view's and the clusters' names, never raw input: they are escaped here.
    """
    rows: list[list[tuple[str, str]]] = [[], [], []]
    for style in nodes:
        paint = f'fill="{style.color}" stroke="{style.border}" stroke-width="2"'
        shape = {
            "box": f'<rect x="2" y="-9" width="36" height="18" rx="5" {paint}/>',
            "diamond": f'<path d="M20 -11 L31 0 L20 11 L9 0 Z" {paint}/>',
            "square": f'<rect x="11" y="-9" width="18" height="18" {paint}/>',
        }.get(style.shape, f'<circle cx="20" cy="0" r="10" {paint}/>')
        rows[0].append((shape, style.legend))
    for edge in edges:
        line = (
            f'<line x1="2" y1="0" x2="38" y2="0" stroke="{edge.color}" stroke-width="4"'
            f"{_dash(edge.dashes)}/>"
        )
        rows[1].append((line, edge.name))
    for weight, stroke in widths:
        line = f'<line x1="2" y1="0" x2="38" y2="0" stroke="#6b7280" stroke-width="{stroke:g}"/>'
        rows[2].append((line, f"{weight} claim" + ("" if weight == 1 else "s")))
    if fill is not None:
        cells = "".join(
            f'<rect x="{2 + 9 * i}" y="-8" width="9" height="16" fill="{color}"/>'
            for i, color in enumerate(PALETTE[:4])
        )
        rows.append([(cells, fill)])
    widest = max(_row_width(row) for row in rows)
    key_row: list[tuple[str, str]] = []
    for color, border, name in keys:
        sample = (
            f'<rect x="8" y="-9" width="24" height="18" rx="4" fill="{_esc(color)}" '
            f'stroke="{_esc(border)}" stroke-width="2"/>'
        )
        if key_row and _row_width([*key_row, (sample, name)]) > max(widest, KEY_WIDTH):
            rows.append(key_row)
            key_row = []
        key_row.append((sample, name))
    if key_row:
        rows.append(key_row)
    parts = []
    y = LEGEND_FONT / 2 + 4
    for row in rows:
        x = 0.0
        for sample, text in row:
            parts.append(
                f'<g transform="translate({x:g},{y:g})">{sample}<text x="48" y="0" '
                f'dominant-baseline="central">{_esc(text)}</text></g>'
            )
            x += 48 + text_width(text, LEGEND_FONT) + 36
        y += LEGEND_FONT * 1.8
    width = max(_row_width(row) for row in rows)
    svg = f'<g class="kg-legend" font-size="{LEGEND_FONT:g}" fill="#1f2937">{"".join(parts)}</g>'
    return {"svg": svg, "width": round(width, 1), "height": round(y - LEGEND_FONT * 0.8, 1)}


def _row_width(row: Sequence[tuple[str, str]]) -> float:
    """How wide a legend row of (sample, text) items is drawn."""
    return sum(48 + text_width(text, LEGEND_FONT) + 36 for _, text in row) - 36 if row else 0.0


def _font(node: Mapping[str, Any], group: Mapping[str, Any]) -> dict[str, Any]:
    return {**(group.get("font") or {}), **(node.get("font") or {})}


def node_box(
    node: Mapping[str, Any], group: Mapping[str, Any]
) -> tuple[float, float, float, float]:
    """A drawn node's box around its centre (:func:`kg.outputs.layout.node_extent`), from its
    vis-network options and its group's."""
    font = _font(node, group)
    return node_extent(
        node.get("shape") or group.get("shape") or "dot", str(node.get("label") or "").split("\n"),
        size=float(node.get("size") or 25), font=float(font.get("size") or 14),
        margin=float(group.get("margin") or 0),
    )  # fmt: skip


def _border(node: Mapping[str, Any], group: Mapping[str, Any], dx: float, dy: float) -> float:
    """How far from a node's centre its outline is, along the direction (dx, dy)."""
    shape = node.get("shape") or group.get("shape")
    size = float(node.get("size") or 25)
    length = math.hypot(dx, dy) or 1.0
    ux, uy = abs(dx) / length, abs(dy) / length
    if shape == "box":
        _, top, right, _ = node_box(node, group)
        half_w, half_h = right, -top
        return min(half_w / ux if ux else math.inf, half_h / uy if uy else math.inf)
    if shape == "square":
        return size / max(ux, uy)
    if shape == "diamond":
        return size / (ux + uy)
    return size


def _edge_svg(
    edge: Mapping[str, Any],
    ends: tuple[Mapping[str, Any], Mapping[str, Any]],
    groups: Mapping[str, Any],
    directed: bool,
) -> str:
    one, two = ends
    x1, y1, x2, y2 = float(one["x"]), float(one["y"]), float(two["x"]), float(two["y"])
    width = float(edge.get("width") or 1)
    color = str(edge.get("color") or "#848484")
    smooth = edge.get("smooth") or {}
    via = None
    if smooth.get("enabled") and smooth.get("type") == "curvedCW" and smooth.get("roundness"):
        factor = float(smooth["roundness"])
        dx, dy = x2 - x1, y1 - y2
        length = math.hypot(dx, dy)
        angle = math.atan2(dy, dx) + (0.5 * factor + 0.5) * math.pi
        via = (
            x1 + (0.5 * factor + 0.5) * length * math.sin(angle),
            y1 + (0.5 * factor + 0.5) * length * math.cos(angle),
        )
    path = f"M{x1:.1f} {y1:.1f} " + (
        f"Q{via[0]:.1f} {via[1]:.1f} {x2:.1f} {y2:.1f}" if via else f"L{x2:.1f} {y2:.1f}"
    )
    out = (
        f'<path d="{path}" fill="none" stroke="{_esc(color)}" stroke-width="{width:g}"'
        f"{_dash(edge.get('dashes'))}/>"
    )
    if directed:
        fx, fy = via or (x1, y1)
        dx, dy = x2 - fx, y2 - fy
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        tip = _border(two, groups.get(str(two.get("group")), {}), dx, dy)
        tx, ty = x2 - ux * tip, y2 - uy * tip
        size = 15 * ARROW_SCALE + 3 * width
        bx, by = tx - ux * size, ty - uy * size
        px, py = -uy * size * 0.45, ux * size * 0.45
        out += (
            f'<path d="M{tx:.1f} {ty:.1f} L{bx + px:.1f} {by + py:.1f} '
            f'L{bx - px:.1f} {by - py:.1f} Z" fill="{_esc(color)}"/>'
        )
    return out


def _node_svg(node: Mapping[str, Any], group: Mapping[str, Any]) -> str:
    x, y = float(node["x"]), float(node["y"])
    shape = node.get("shape") or group.get("shape") or "dot"
    colors = group.get("color") or {}
    fill, stroke = colors.get("background", "#97c2fc"), colors.get("border", "#2b7ce9")
    border = float(group.get("borderWidth") or 1)
    font = _font(node, group)
    size = float(node.get("size") or 25)
    font_size = float(font.get("size") or 14)
    lines = [line for line in str(node.get("label") or "").split("\n") if line]
    paint = f'fill="{_esc(fill)}" stroke="{_esc(stroke)}" stroke-width="{border:g}"'
    left, top, right, bottom = node_box(node, group)
    if shape == "box":
        body = (
            f'<rect x="{x + left:.1f}" y="{y + top:.1f}" width="{right - left:.1f}" '
            f'height="{bottom - top:.1f}" rx="{BOX_RADIUS:g}" {paint}/>'
        )
        first = y - font_size * len(lines) / 2
    else:
        if shape == "square":
            body = (
                f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:g}" '
                f'height="{2 * size:g}" {paint}/>'
            )
        elif shape == "diamond":
            body = (
                f'<path d="M{x:.1f} {y + size:.1f} L{x + size:.1f} {y:.1f} L{x:.1f} '
                f'{y - size:.1f} L{x - size:.1f} {y:.1f} Z" {paint}/>'
            )
        else:
            body = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:g}" {paint}/>'
        first = y + size + font_size / 2 + 4
    halo = ""
    if font.get("strokeWidth"):
        halo = (
            f' stroke="{_esc(font.get("strokeColor") or "#ffffff")}" '
            f'stroke-width="{float(font["strokeWidth"]):g}" paint-order="stroke" '
            'stroke-linejoin="round"'
        )
    texts = "".join(
        f'<text x="{x:.1f}" y="{first + font_size * (i + 0.5):.1f}">{_esc(line)}</text>'
        for i, line in enumerate(lines)
    )
    label = (
        f'<g font-size="{font_size:g}" dominant-baseline="central" '
        f'fill="{_esc(font.get("color") or "#343434")}"{halo}>'
        f"{texts}</g>"
        if lines
        else ""
    )
    return f'<g class="kg-node" data-id="{_esc(node["id"])}">{body}{label}</g>'


def render_svg(drawing: Mapping[str, Any], *, scale: float = 0.5) -> str:
    """An SVG of ``drawing`` (a view's ``nodes`` with ``x`` and ``y``, ``edges``, ``options``
    with its ``groups``, and ``legend`` from :func:`figure_legend`), hidden nodes and edges
    left out.

    Coordinates are the map's own (the page's canvas units), so a node's position in the
    file is its position on the page; ``scale`` sets the printed size (width and height
    attributes), 0.5 making a label about 11 px high.
    """
    groups = drawing["options"].get("groups") or {}
    directed = bool(((drawing["options"].get("edges") or {}).get("arrows") or {}).get("to"))
    nodes = {n["id"]: n for n in drawing["nodes"] if not n.get("hidden")}
    boxes = [
        (float(n["x"]) + e[0], float(n["y"]) + e[1], float(n["x"]) + e[2], float(n["y"]) + e[3])
        for n in nodes.values()
        for e in [node_box(n, groups.get(n.get("group"), {}))]
    ] or [(0.0, 0.0, 0.0, 0.0)]
    legend = drawing["legend"]
    left = min(b[0] for b in boxes) - MARGIN
    top = min(b[1] for b in boxes) - MARGIN
    right = max(max(b[2] for b in boxes) + MARGIN, left + legend["width"] + 2 * MARGIN)
    graph_bottom = max(b[3] for b in boxes) + MARGIN
    bottom = graph_bottom + legend["height"] + MARGIN
    width, height = right - left, bottom - top
    edges = [
        _edge_svg(e, (nodes[e["from"]], nodes[e["to"]]), groups, directed)
        for e in drawing["edges"]
        if not e.get("hidden") and e["from"] in nodes and e["to"] in nodes
    ]
    drawn = [_node_svg(n, groups.get(n.get("group"), {})) for n in nodes.values()]
    return "".join(
        (
            '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" ',
            f'width="{width * scale:.1f}" height="{height * scale:.1f}" ',
            f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" ',
            f'font-family="{FONT}" text-anchor="middle">\n',
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" '
            'fill="#ffffff"/>\n',
            f'<g class="kg-edges">{"".join(edges)}</g>\n',
            f'<g class="kg-nodes">{"".join(drawn)}</g>\n',
            f'<g transform="translate({left + MARGIN:.1f},{graph_bottom:.1f})" '
            f'text-anchor="start">{legend["svg"]}</g>\n',
            "</svg>\n",
        )
    )


def write_png(svg: str, path: Path, *, width: int) -> None:
    """Render ``svg`` to a PNG ``width`` pixels wide in headless Chromium (Playwright).

    Raises :class:`ExportError` in one line when Playwright or a Chromium is missing.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise ExportError(
            "--png needs Playwright and Chromium: pip install 'kg[figures]' and "
            "apt-get install chromium (or: playwright install chromium)"
        ) from None
    size = re.search(r'width="([\d.]+)" height="([\d.]+)"', svg)
    if size is None:
        raise ExportError("--png: the figure has no size")
    height = max(1, round(float(size.group(2)) * width / float(size.group(1))))
    # Drawn at its pixel size: a fractional size would be rounded up by the screenshot.
    svg = svg[: size.start()] + f'width="{width}" height="{height}"' + svg[size.end() :]
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        with sync_playwright() as playwright:
            launch: dict[str, Any] = {"headless": True, "args": ["--no-sandbox", "--disable-gpu"]}
            if chromium:
                launch["executable_path"] = chromium
            browser = playwright.chromium.launch(**launch)
            try:
                page = browser.new_page(
                    viewport={"width": width, "height": height}, java_script_enabled=False
                )
                page.set_content(f'<html><body style="margin:0">{svg}</body></html>')
                page.locator("svg").first.screenshot(path=str(path), omit_background=False)
            finally:
                browser.close()
    except Error as error:
        if "Executable doesn't exist" in str(error):
            raise ExportError(
                "--png needs Chromium and found none: apt-get install chromium "
                "(or: playwright install chromium)"
            ) from None
        first = str(error).strip().splitlines()[0] if str(error).strip() else "failed"
        raise ExportError(f"--png: Chromium could not draw the figure ({first})") from None
