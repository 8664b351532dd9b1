"""Where a view's nodes sit: a seeded force layout with every label kept apart, and the
layouts a researcher saves.

The views are drawn with positions computed here, not by physics in the browser, so the page
and the figure ``kg view NAME --svg`` writes (:mod:`kg.outputs.figure`) show the same
map, the same inputs give the same map, and a saved layout holds across rebuilds.

:func:`arrange` runs a Fruchterman-Reingold layout from a fixed start (no randomness), then
pushes apart any two nodes whose boxes (shape and label together, :func:`node_extent`,
measured with Arial's advance widths) overlap, so that no label sits on another at any
zoom: a label grows with the zoom as its node does. Pinned nodes never move; a node new since
the layout was saved starts beside its placed neighbours.

A layout file is JSON (:func:`layout_document`), one or more views, node id to position::

    {"kg-layout": 1,
     "views": {"map": {"author:maruna-shadd": {"x": -120.5, "y": 40.0, "pinned": true}}}}

The page's "Save layout" button downloads one; under ``kg serve`` it sends it to the server,
which merges it into the review's layout file (:func:`write_layout`: a file that holds
other views keeps them). ``layout = "layout.json"`` in ``kg.toml`` (a file name or a list of
them; ``layout.json`` beside kg.toml when it names none) makes ``kg build`` and ``kg view``
read it back (:func:`read_layouts`). A missing file is no layout (it may not have been saved
yet).

>>> spots = arrange(["a", "b", "c"], {("a", "b"): 1.0}, {n: (-10, -10, 10, 10) for n in "abc"})
>>> sorted(spots) == ["a", "b", "c"] and spots == arrange(
...     ["a", "b", "c"], {("a", "b"): 1.0}, {n: (-10, -10, 10, 10) for n in "abc"})
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from kg.errors import ConfigError
from kg.outputs.files import write_text

__all__ = [
    "FORMAT",
    "Placed",
    "arrange",
    "check_layout",
    "layout_document",
    "node_extent",
    "read_layouts",
    "text_width",
    "write_layout",
]

FORMAT = 1
"""The layout file's version, under its ``kg-layout`` key."""

GAP = 12.0
"""Room left between two nodes' boxes, in the map's units (a label's font is 14 to 40)."""

LABEL_GAP = 4.0
"""How far below a round node, past half its font size, vis-network draws its label."""

# Advance widths of Arial (and Liberation Sans, its metric twin, which Linux draws for
# "arial"), in 1/2048 em, for U+0020-U+007E and U+00A0-U+017F; other characters count 0.6 em.
_ASCII = (
    "569 569 727 1139 1139 1821 1366 391 682 682 797 1196 569 682 569 569 1139 1139 1139 1139 "
    "1139 1139 1139 1139 1139 1139 569 569 1196 1196 1196 1139 2079 1366 1366 1479 1479 1366 "
    "1251 1593 1479 569 1024 1366 1139 1706 1479 1593 1366 1593 1479 1366 1251 1479 1366 1933 "
    "1366 1366 1251 569 569 569 961 1139 682 1139 1139 1024 1139 1139 569 1139 1139 455 455 "
    "1024 455 1706 1139 1139 1139 1139 682 1024 569 1139 1024 1479 1024 1024 1024 684 532 684 "
    "1196"
)
_LATIN = (
    "569 682 1139 1139 1139 1139 532 1139 682 1509 758 1139 1196 0 1509 1131 819 1124 682 682 "
    "682 1180 1100 569 682 682 748 1139 1708 1708 1708 1251 1366 1366 1366 1366 1366 1366 2048 "
    "1479 1366 1366 1366 1366 569 569 569 569 1479 1479 1593 1593 1593 1593 1593 1196 1593 1479 "
    "1479 1479 1479 1366 1366 1251 1139 1139 1139 1139 1139 1139 1821 1024 1139 1139 1139 1139 "
    "569 569 569 569 1139 1139 1139 1139 1139 1139 1139 1124 1251 1139 1139 1139 1139 1024 1139 "
    "1024 1366 1139 1366 1139 1366 1139 1479 1024 1479 1024 1479 1024 1479 1024 1479 1259 1479 "
    "1139 1366 1139 1366 1139 1366 1139 1366 1139 1366 1139 1593 1139 1593 1139 1593 1139 1593 "
    "1139 1479 1139 1479 1139 569 569 569 569 569 569 569 455 569 569 1505 909 1024 455 1366 "
    "1024 1024 1139 455 1139 455 1139 597 1139 684 1139 455 1479 1139 1479 1139 1479 1139 1237 "
    "1481 1139 1593 1139 1593 1139 1593 1139 2048 1933 1479 682 1479 682 1479 682 1366 1024 1366 "
    "1024 1366 1024 1366 1024 1251 569 1251 768 1251 569 1479 1139 1479 1139 1479 1139 1479 1139 "
    "1479 1139 1479 1139 1933 1479 1366 1024 1366 1251 1024 1251 1024 1251 1024 455"
)
_WIDTHS = {
    **{chr(0x20 + i): int(w) for i, w in enumerate(_ASCII.split())},
    **{chr(0xA0 + i): int(w) for i, w in enumerate(_LATIN.split())},
}


class Placed(NamedTuple):
    """A node's saved position, and whether the researcher pinned it there."""

    x: float
    y: float
    pinned: bool


def text_width(text: str, size: float) -> float:
    """The width of one line of ``text`` in Arial at ``size`` (what a canvas measures,
    without kerning).

    >>> text_width("Apel, R.", 22)
    78.2568359375
    """
    return sum(_WIDTHS.get(char, 1229) for char in text) * size / 2048


def node_extent(
    shape: str, lines: Sequence[str], *, size: float, font: float, margin: float = 0
) -> tuple[float, float, float, float]:
    """A node's box as vis-network draws it, around its centre: (left, top, right, bottom).

    A ``box`` holds its label (``margin`` around the text); any other shape is ``size`` in
    radius with its label's lines (``font`` high each) centred below it.
    """
    width = max((text_width(line, font) for line in lines), default=0.0)
    height = font * len(lines)
    if shape == "box":
        half_w, half_h = width / 2 + margin, height / 2 + margin
        return (-half_w, -half_h, half_w, half_h)
    half = max(size, width / 2)
    bottom = size + font / 2 + LABEL_GAP + height if lines else size
    return (-half, -size, half, bottom)


def arrange(
    nodes: Sequence[str],
    links: Mapping[tuple[str, str], float],
    extents: Mapping[str, tuple[float, float, float, float]],
    saved: Mapping[str, Placed] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions for ``nodes``, each ``(x, y)`` rounded to 0.1, none of their boxes overlapping
    (nor closer than :data:`GAP`, so rounding to whole units keeps them apart).

    ``links`` are the node pairs joined by lines, with their weight; ``extents`` each node's
    box around its centre (:func:`node_extent`). ``saved`` positions are where nodes start;
    pinned ones stay there exactly, and nodes not in ``saved`` start beside their saved
    neighbours, so a saved map keeps its shape. The same arguments give the same positions.
    """
    saved = saved or {}
    count = len(nodes)
    if not count:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    sizes = [max(r - left, b - t) for left, t, r, b in (extents[n] for n in nodes)]
    k = max(60.0, 0.55 * sum(sizes) / count)
    pairs = [(index[u], index[v], w) for (u, v), w in sorted(links.items()) if u != v]
    pinned = [bool(node in saved and saved[node].pinned) for node in nodes]
    xs, ys = _start(nodes, index, pairs, saved, k)
    restarted = any(node in saved for node in nodes)
    _relax(xs, ys, pairs, pinned, k, warm=restarted)
    _separate(xs, ys, [extents[n] for n in nodes], pinned)
    return {
        node: ((saved[node].x, saved[node].y) if pinned[i] else (round(xs[i], 1), round(ys[i], 1)))
        for i, node in enumerate(nodes)
    }


_GOLDEN = math.pi * (3 - math.sqrt(5))


def _start(
    nodes: Sequence[str],
    index: Mapping[str, int],
    pairs: Sequence[tuple[int, int, float]],
    saved: Mapping[str, Placed],
    k: float,
) -> tuple[list[float], list[float]]:
    """Where the layout starts: saved nodes where they were, the others on a sunflower
    spiral, or, if linked to saved nodes, at their centre (each a little apart)."""
    xs = [0.0] * len(nodes)
    ys = [0.0] * len(nodes)
    near: dict[int, list[int]] = {}
    for u, v, _ in pairs:
        near.setdefault(u, []).append(v)
        near.setdefault(v, []).append(u)
    for i, node in enumerate(nodes):
        if node in saved:
            xs[i], ys[i] = saved[node].x, saved[node].y
    for i, node in enumerate(nodes):
        if node in saved:
            continue
        placed = [j for j in near.get(i, ()) if nodes[j] in saved]
        r = k * 0.8 * math.sqrt(i + 0.5)
        angle = i * _GOLDEN
        if placed:
            cx = sum(xs[j] for j in placed) / len(placed)
            cy = sum(ys[j] for j in placed) / len(placed)
            r = k * 0.6
        else:
            cx = cy = 0.0
        xs[i], ys[i] = cx + r * math.cos(angle), cy + r * math.sin(angle)
    return xs, ys


def _relax(
    xs: list[float],
    ys: list[float],
    pairs: Sequence[tuple[int, int, float]],
    pinned: Sequence[bool],
    k: float,
    *,
    warm: bool,
) -> None:
    """Fruchterman-Reingold steps, in place: every pair repels, linked nodes attract, a weak
    pull to the centre keeps loose parts near; the step shrinks each round. About a million
    and a half pair visits at most (300 nodes: 30 rounds)."""
    count = len(xs)
    rounds = max(30, min(300, 1_500_000 // max(count * count, 1)))
    step = k * (0.5 if warm else 2.0)
    k2 = k * k
    for round_ in range(rounds):
        dx = [0.0] * count
        dy = [0.0] * count
        for i in range(count):
            xi, yi = xs[i], ys[i]
            for j in range(i + 1, count):
                ex, ey = xi - xs[j], yi - ys[j]
                d2 = ex * ex + ey * ey
                if d2 < 1e-6:
                    ex, ey, d2 = 0.1 * (1 + (i + j) % 3), 0.1, 0.02
                push = k2 / d2
                dx[i] += ex * push
                dy[i] += ey * push
                dx[j] -= ex * push
                dy[j] -= ey * push
        for u, v, weight in pairs:
            ex, ey = xs[u] - xs[v], ys[u] - ys[v]
            pull = math.sqrt(ex * ex + ey * ey) * (1 + math.log(max(weight, 1))) / k
            dx[u] -= ex * pull
            dy[u] -= ey * pull
            dx[v] += ex * pull
            dy[v] += ey * pull
        limit = step * (1 - round_ / rounds) + 1
        for i in range(count):
            if pinned[i]:
                continue
            fx = dx[i] - 0.12 * xs[i] * math.sqrt(xs[i] * xs[i] + ys[i] * ys[i]) / k
            fy = dy[i] - 0.12 * ys[i] * math.sqrt(xs[i] * xs[i] + ys[i] * ys[i]) / k
            length = math.sqrt(fx * fx + fy * fy)
            if length > 1e-9:
                move = min(length, limit) / length
                xs[i] += fx * move
                ys[i] += fy * move


def _separate(
    xs: list[float],
    ys: list[float],
    extents: Sequence[tuple[float, float, float, float]],
    pinned: Sequence[bool],
) -> None:
    """Push apart, in place, every two nodes whose boxes (with :data:`GAP` between) overlap,
    along the axis where they overlap least; a pinned node does not move, its neighbour
    moves the whole way. Repeats until no two overlap (or 400 passes).

    A layout denser than its boxes allow is first spread from its centre (pinned nodes
    stay), so that pushing does not go on for hundreds of passes; each pass compares a node
    only with those in its cell of a grid and the cells around.
    """
    count = len(xs)
    half = GAP / 2 + 0.5  # rounding to whole units afterwards must not close the gap
    sizes = [(e[2] - e[0] + 2 * half, e[3] - e[1] + 2 * half) for e in extents]
    _spread(xs, ys, sizes, pinned)
    # Two boxes that overlap have centres less than a cell apart on each axis.
    cell = 2 * (max(abs(v) for e in extents for v in e) + half)
    for _ in range(400):
        boxes = [
            (xs[i] + e[0] - half, ys[i] + e[1] - half, xs[i] + e[2] + half, ys[i] + e[3] + half)
            for i, e in enumerate(extents)
        ]
        grid: dict[tuple[int, int], list[int]] = {}
        for i in range(count):
            grid.setdefault((math.floor(xs[i] / cell), math.floor(ys[i] / cell)), []).append(i)
        moved = False
        for (gx, gy), members in sorted(grid.items()):
            for ox, oy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
                others = members if (ox, oy) == (0, 0) else grid.get((gx + ox, gy + oy), ())
                for a, i in enumerate(members):
                    for j in others[a + 1 :] if (ox, oy) == (0, 0) else others:
                        moved |= _push_apart(i, j, boxes, xs, ys, pinned)
        if not moved:
            return
    _settle(xs, ys, extents, pinned, half)


def _settle(
    xs: list[float],
    ys: list[float],
    extents: Sequence[tuple[float, float, float, float]],
    pinned: Sequence[bool],
    half: float,
) -> None:
    """What pushing could not part (a node caught between pinned ones): each free node
    still overlapping another moves to the nearest free spot on a spiral around it."""
    count = len(xs)

    def box(i: int, x: float, y: float) -> tuple[float, float, float, float]:
        e = extents[i]
        return (x + e[0] - half, y + e[1] - half, x + e[2] + half, y + e[3] + half)

    def clear(i: int, x: float, y: float) -> bool:
        a = box(i, x, y)
        for j in range(count):
            if j != i:
                b = box(j, xs[j], ys[j])
                if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]):
                    return False
        return True

    for i in range(count):
        if pinned[i] or clear(i, xs[i], ys[i]):
            continue
        for step in range(1, 5000):
            r = 6.0 * math.sqrt(step)
            x, y = xs[i] + r * math.cos(step * _GOLDEN), ys[i] + r * math.sin(step * _GOLDEN)
            if clear(i, x, y):
                xs[i], ys[i] = x, y
                break


def _push_apart(
    i: int,
    j: int,
    boxes: list[tuple[float, float, float, float]],
    xs: list[float],
    ys: list[float],
    pinned: Sequence[bool],
) -> bool:
    """Move nodes ``i`` and ``j`` apart if their boxes overlap; whether they did."""
    bi, bj = boxes[i], boxes[j]
    over_x = min(bi[2], bj[2]) - max(bi[0], bj[0])
    over_y = min(bi[3], bj[3]) - max(bi[1], bj[1])
    if over_x <= 0 or over_y <= 0 or (pinned[i] and pinned[j]):
        return False
    share_i = 0.0 if pinned[i] else (1.0 if pinned[j] else 0.5)
    share_j = 1.0 - share_i
    if over_x < over_y:
        sign = -1.0 if (xs[i], i) < (xs[j], j) else 1.0
        move_i, move_j = sign * (over_x + 0.01) * share_i, -sign * (over_x + 0.01) * share_j
        xs[i] += move_i
        xs[j] += move_j
        boxes[i] = (bi[0] + move_i, bi[1], bi[2] + move_i, bi[3])
        boxes[j] = (bj[0] + move_j, bj[1], bj[2] + move_j, bj[3])
    else:
        sign = -1.0 if (ys[i], i) < (ys[j], j) else 1.0
        move_i, move_j = sign * (over_y + 0.01) * share_i, -sign * (over_y + 0.01) * share_j
        ys[i] += move_i
        ys[j] += move_j
        boxes[i] = (bi[0], bi[1] + move_i, bi[2], bi[3] + move_i)
        boxes[j] = (bj[0], bj[1] + move_j, bj[2], bj[3] + move_j)
    return True


def _spread(
    xs: list[float], ys: list[float], sizes: Sequence[tuple[float, float]], pinned: Sequence[bool]
) -> None:
    """Scale the free nodes' positions out from their centre when the boxes would fill more
    than half of the area the layout covers."""
    free = [i for i in range(len(xs)) if not pinned[i]]
    if len(free) < 2:
        return
    cx = sum(xs[i] for i in free) / len(free)
    cy = sum(ys[i] for i in free) / len(free)
    spread = sum((xs[i] - cx) ** 2 + (ys[i] - cy) ** 2 for i in free) / len(free)
    needed = sum(sizes[i][0] * sizes[i][1] for i in free) / math.pi
    if spread <= 0 or needed <= spread:
        return
    scale = math.sqrt(needed / spread)
    for i in free:
        xs[i] = cx + (xs[i] - cx) * scale
        ys[i] = cy + (ys[i] - cy) * scale


def layout_document(
    view: str, positions: Mapping[str, tuple[float, float]], pinned: Iterable[str] = ()
) -> dict[str, Any]:
    """A layout file's content for one view (what the page's "Save layout" downloads)."""
    held = set(pinned)
    return {
        "kg-layout": FORMAT,
        "views": {
            view: {
                node: {"x": x, "y": y, "pinned": node in held}
                for node, (x, y) in sorted(positions.items())
            }
        },
    }


def write_layout(path: Path, document: Any) -> None:
    """Write the views of ``document`` (:func:`layout_document`, or a layout the page sent)
    into the layout file ``path``, keeping the other views it holds; readers see the old
    file or the new one, never half of one.

    ``document`` is checked as a file is (:func:`check_layout`) and written as read: no key
    it holds besides the views and their nodes' ``x``, ``y`` and ``pinned`` reaches the file.
    A ``path`` that holds something other than a layout, or a ``document`` that is not one,
    raises :class:`ConfigError` and leaves the file as it was.
    """
    path = Path(path)
    views = read_layouts([path])  # refuses what is not a layout
    views.update(check_layout(document, "the layout to save"))
    text = json.dumps(
        {
            "kg-layout": FORMAT,
            "views": {
                view: {node: _spot(placed) for node, placed in nodes.items()}
                for view, nodes in views.items()
            },
        },
        indent=1,
        sort_keys=True,
    )
    write_text(text + "\n", path)


def _spot(placed: Placed) -> dict[str, Any]:
    """A node's entry in a layout file: whole numbers written as such."""
    x, y = (int(v) if float(v).is_integer() else v for v in (placed.x, placed.y))
    return {"x": x, "y": y, "pinned": placed.pinned}


def read_layouts(paths: Iterable[Path]) -> dict[str, dict[str, Placed]]:
    """The saved layouts in ``paths``, by view and node; a later file wins for a node.

    A missing file is skipped; a file that is not a layout raises :class:`ConfigError`
    naming it and what is wrong.
    """
    layouts: dict[str, dict[str, Placed]] = {}
    for path in paths:
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ConfigError(f"{path}: not a layout file (not JSON: {error})") from None
        for view, nodes in check_layout(document, str(path)).items():
            layouts.setdefault(view, {}).update(nodes)
    return layouts


def check_layout(document: Any, where: str) -> dict[str, dict[str, Placed]]:
    """The views of a layout ``document`` (JSON as read), by view and node; what is not a
    layout raises :class:`ConfigError`, its message starting with ``where``."""
    if not isinstance(document, dict) or document.get("kg-layout") != FORMAT:
        raise ConfigError(f'{where}: not a layout file (no "kg-layout": {FORMAT})')
    views = document.get("views")
    if not isinstance(views, dict):
        raise ConfigError(f'{where}: "views" must map view names to nodes')
    layouts: dict[str, dict[str, Placed]] = {}
    for view, nodes in views.items():
        if not isinstance(nodes, dict):
            raise ConfigError(f'{where}: view "{view}" must map node ids to positions')
        layouts[view] = {node: _placed(where, view, node, spot) for node, spot in nodes.items()}
    return layouts


def _placed(where: str, view: str, node: str, spot: Any) -> Placed:
    if isinstance(spot, dict):
        x, y, pinned = spot.get("x"), spot.get("y"), spot.get("pinned", False)
        numbers = all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            for v in (x, y)
        )
        if numbers and isinstance(pinned, bool):
            return Placed(float(x), float(y), pinned)  # type: ignore[arg-type]
    raise ConfigError(
        f'{where}: view "{view}", node "{node}": expected {{"x": number, "y": number, '
        f'"pinned": true or false}}, got {json.dumps(spot)}'
    )
