"""Render networkx projections of the review as self-contained interactive HTML maps.

The author-theme map shows which authors support, dispute or merely mention which themes.
pyvis builds the node and edge lists and the vis-network options; kg writes the page itself,
because every pyvis template loads Bootstrap or vis-network from a CDN, and researchers often
work offline. The vis-network code and stylesheet that ship inside the pyvis package are
pasted into the page, and a Content-Security-Policy forbids every request to any other host,
so the file opens anywhere, from a USB stick or an e-mail attachment.

Everything that comes from the inputs reaches the page in one of two forms: tooltips are
HTML built here with every input string passed through :func:`html.escape`, and the side
panel builds its elements in the browser with ``textContent``. The data travel as JSON in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u003c``
and so on, so a title holding ``</script>`` cannot end the block.

>>> import networkx as nx
>>> g = nx.MultiGraph(title="Peer mentoring")
>>> g.add_node("author:maruna-s", kind="author", label="Maruna, S.", claims=1,
...            works=[{"key": "maruna2001", "title": "Making Good", "year": "2001"}])
>>> g.add_node("theme:desistance", kind="theme", label="Desistance", definition="", claims=1)
>>> _ = g.add_edge("author:maruna-s", "theme:desistance", key="supports", stance="supports",
...                weight=1, claims=[{"quote": "Q.", "key": "maruna2001",
...                                   "work": "Making Good", "year": "2001", "locator": None}])
>>> page = render_author_theme(g)
>>> 'data-kg-nodes="2" data-kg-edges="1"' in page, '<script src=' in page
(True, False)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import os
import re
import tempfile
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

__all__ = ["render_author_theme", "write_html"]

VIS_VERSION = "9.1.2"
AUTHOR_COLOR = "#3f6fa8"
AUTHOR_BORDER = "#284a73"
THEME_COLOR = "#fde7a9"
THEME_BORDER = "#c49a1c"
THEME_TEXT = "#3d3000"
TOOLTIP_CLAIMS = 4
TOOLTIP_WORKS = 6
LABEL_WIDTH = 24


@dataclass(frozen=True)
class _Stance:
    """How one stance looks on the map and reads in the legend."""

    name: str
    color: str
    dashes: bool
    meaning: str


STANCES = (
    _Stance("supports", "#2e9a48", False, "their work is cited in support of the theme"),
    _Stance("disputes", "#d1302f", True, "their work is cited against the theme"),
    _Stance("mentions", "#9a9a9a", False, "their work is cited, stance unknown"),
)
_STANCE_BY_NAME = {stance.name: stance for stance in STANCES}


def render_author_theme(graph: nx.MultiGraph, *, physics_threshold: int = 300) -> str:
    """Return the author-theme map of ``graph`` as one self-contained HTML document.

    ``graph`` is the projection made by ``kg.network``: ``author:*`` nodes (``label``,
    ``works``, ``claims``), ``theme:*`` nodes (``label``, ``definition``, ``claims``) and
    author-theme edges keyed by stance (``supports``, ``disputes`` or ``mentions``) with a
    ``weight`` and the ``claims`` behind them; the graph attribute ``title`` names the review.

    Authors are blue dots and themes yellow boxes, both sized by their number of claims; edges
    are as wide as their number of claims and coloured by stance (disputes also dashed, and the
    stance is written in every tooltip). Graphs with at most ``physics_threshold`` nodes are laid
    out in the browser by a short physics run that stops once it settles; larger ones get fixed
    positions computed here, with physics and curved edges off, so they are usable at once.

    The page needs no network: vis-network is inline and a Content-Security-Policy blocks any
    request. The same graph always gives the same bytes. The network container carries
    ``data-kg-nodes`` and ``data-kg-edges`` and the page exposes ``window.kgNetwork``.

    Raises ``ValueError`` if a node has no known ``kind`` or an edge an unknown stance.
    """
    authors = sorted(_nodes_of_kind(graph, "author"), key=lambda n: (_label(graph, n), n))
    themes = sorted(_nodes_of_kind(graph, "theme"), key=lambda n: (_label(graph, n), n))
    unknown = set(graph.nodes) - set(authors) - set(themes)
    if unknown:
        raise ValueError(f"nodes with no kind 'author' or 'theme': {sorted(map(str, unknown))}")
    large = graph.number_of_nodes() > physics_threshold
    net = Network(height="100%", width="100%", heading="")

    positions = _fixed_positions(graph, authors, themes) if large else {}
    for node_id in authors + themes:
        _add_node(net, graph, node_id, positions.get(node_id))
    for edge in _author_theme_edges(graph):
        net.edges.append(_edge_options(graph, *edge, curved=not large))

    claim_count = len(
        {claim["quote"] for _, _, data in graph.edges(data=True) for claim in data["claims"]}
    )
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(net, large=large),
        "stances": [{"name": s.name, "color": s.color, "dashes": s.dashes} for s in STANCES],
    }
    return _page(
        title=str(graph.graph.get("title") or "Literature review"),
        counts=(len(authors), len(themes), claim_count),
        node_count=len(net.nodes),
        edge_count=len(net.edges),
        data=data,
    )


def write_html(html: str, path: Path) -> None:
    """Write ``html`` to ``path`` so that readers see the old file or the new one, never half.

    The text goes to a temporary file in the same folder, is flushed to disk, and then
    replaces ``path`` with :func:`os.replace`. If anything fails on the way, the temporary file
    is removed, ``path`` is untouched and the error propagates. The new file keeps the old
    one's permissions, or gets ``0o644`` when there was none.
    """
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    temporary = ""
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        ) as handle:
            temporary = handle.name
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise


def _nodes_of_kind(graph: nx.MultiGraph, kind: str) -> list[str]:
    return [node for node, data in graph.nodes(data=True) if data.get("kind") == kind]


def _label(graph: nx.MultiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def _author_theme_edges(graph: nx.MultiGraph) -> list[tuple[str, str, str, int]]:
    """Edges as ``(author, theme, stance, index)``, sorted; ``index`` numbers parallel edges."""
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        author, theme = (u, v) if graph.nodes[u].get("kind") == "author" else (v, u)
        stance = str(data.get("stance", key))
        if stance not in _STANCE_BY_NAME:
            raise ValueError(
                f"edge {author} - {theme} has stance {stance!r}; "
                f"expected one of {', '.join(_STANCE_BY_NAME)}"
            )
        edges.append((author, theme, stance))
    edges.sort(key=lambda e: (e[0], e[1], [s.name for s in STANCES].index(e[2])))
    seen: dict[tuple[str, str], int] = defaultdict(int)
    numbered = []
    for author, theme, stance in edges:
        numbered.append((author, theme, stance, seen[author, theme]))
        seen[author, theme] += 1
    return numbered


def _add_node(
    net: Network, graph: nx.MultiGraph, node_id: str, position: tuple[float, float] | None
) -> None:
    """Append one node through pyvis's ``Node`` (``add_node`` rescans the list on every call)."""
    data = graph.nodes[node_id]
    claims = int(data.get("claims") or 0)
    label = _label(graph, node_id)
    if data["kind"] == "author":
        works = [dict(w) for w in data.get("works") or []]
        options: dict[str, Any] = {
            "size": round(min(10 + 4 * math.sqrt(claims), 40), 2),
            "color": _color(AUTHOR_COLOR, AUTHOR_BORDER),
            "font": {"size": 24, "color": "#1f2937", "strokeWidth": 5, "strokeColor": "#ffffff"},
            "title": _author_tip(label, works, claims),
            "kg": {"kind": "author", "label": label, "claims": claims, "works": works},
        }
        node = Node(node_id, "dot", _wrap(label), **options)
    else:
        definition = str(data.get("definition") or "")
        options = {
            "color": _color(THEME_COLOR, THEME_BORDER),
            "font": {"size": round(min(24 + 2 * math.sqrt(claims), 40), 2), "color": THEME_TEXT},
            "margin": 10,
            "borderWidth": 2,
            "mass": 2,
            "title": _theme_tip(label, definition, claims),
            "kg": {"kind": "theme", "label": label, "claims": claims, "definition": definition},
        }
        node = Node(node_id, "box", _wrap(label), **options)
    if position is not None:
        node.options["x"], node.options["y"] = position
    net.nodes.append(node.options)
    net.node_ids.append(node_id)
    net.node_map[node_id] = node.options


def _wrap(label: str) -> str:
    """The label drawn on the map, broken into lines so long organisation names stay compact."""
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH, break_long_words=False)) or label


def _color(background: str, border: str) -> dict[str, Any]:
    return {
        "background": background,
        "border": border,
        "highlight": {"background": background, "border": "#111827"},
        "hover": {"background": background, "border": "#111827"},
    }


def _edge_width(weight: int) -> float:
    """Line width for ``weight`` claims: grows with the square root so one edge cannot swamp."""
    return round(min(1 + 2 * math.sqrt(max(weight, 1)), 12), 2)


def _edge_options(
    graph: nx.MultiGraph, author: str, theme: str, stance_name: str, index: int, *, curved: bool
) -> dict[str, Any]:
    stance = _STANCE_BY_NAME[stance_name]
    data = graph.edges[author, theme, stance_name]
    claims = [_claim(c) for c in data.get("claims") or []]
    weight = int(data.get("weight") or len(claims))
    options: dict[str, Any] = {
        "id": f"{author}|{theme}|{stance.name}",
        "width": _edge_width(weight),
        "color": {"color": stance.color, "highlight": stance.color, "hover": stance.color},
        "dashes": stance.dashes,
        "title": _edge_tip(_label(graph, author), stance, _label(graph, theme), claims, weight),
        "kg": {"stance": stance.name, "weight": weight, "claims": claims},
    }
    if curved:
        # Parallel edges (an author who both supports and disputes a theme) bend apart.
        options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * index}
    return Edge(author, theme, **options).options


def _claim(claim: Mapping[str, Any]) -> dict[str, str]:
    return {
        "quote": str(claim.get("quote") or ""),
        "key": str(claim.get("key") or ""),
        "work": str(claim.get("work") or ""),
        "year": str(claim.get("year") or ""),
        "locator": str(claim.get("locator") or ""),
    }


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _source(claim: Mapping[str, str]) -> str:
    """``Work title (2013), p. 8``: the citation under a quote, as plain text."""
    text = claim["work"] or claim["key"]
    if claim["year"]:
        text += f" ({claim['year']})"
    if claim["locator"]:
        text += f", {claim['locator']}"
    return text


def _more(shown: int, total: int, what: str) -> str:
    if total <= shown:
        return ""
    return f'<div class="kg-tip-more">… and {total - shown} more {what}: click to see all</div>'


def _author_tip(label: str, works: list[dict[str, Any]], claims: int) -> str:
    e = html.escape
    items = "".join(
        f"<li><i>{e(str(w.get('title') or w.get('key') or ''))}</i>{_year(w)}</li>"
        for w in works[:TOOLTIP_WORKS]
    )
    return (
        f'<div class="kg-tip-head">{e(label)}</div>'
        f'<div class="kg-tip-meta">Author · {_plural(claims, "claim")} cite their works</div>'
        f"<ul>{items}</ul>{_more(TOOLTIP_WORKS, len(works), 'works')}"
    )


def _year(work: Mapping[str, Any]) -> str:
    return f" ({html.escape(str(work['year']))})" if work.get("year") else ""


def _theme_tip(label: str, definition: str, claims: int) -> str:
    e = html.escape
    body = f'<div class="kg-tip-body">{e(definition)}</div>' if definition else ""
    return (
        f'<div class="kg-tip-head">{e(label)}</div>'
        f'<div class="kg-tip-meta">Theme · {_plural(claims, "claim")}</div>{body}'
    )


def _edge_tip(
    author: str, stance: _Stance, theme: str, claims: list[dict[str, str]], weight: int
) -> str:
    e = html.escape
    items = "".join(
        f'<li>“{e(c["quote"])}”<div class="kg-tip-source">{e(_source(c))}</div></li>'
        for c in claims[:TOOLTIP_CLAIMS]
    )
    return (
        f'<div class="kg-tip-head">{e(author)} <span class="kg-chip" '
        f'style="background:{stance.color}">{stance.name}</span> {e(theme)}</div>'
        f'<div class="kg-tip-meta">{_plural(weight, "claim")}</div>'
        f"<ol>{items}</ol>{_more(TOOLTIP_CLAIMS, len(claims), 'claims')}"
    )


def _fixed_positions(
    graph: nx.MultiGraph, authors: list[str], themes: list[str]
) -> dict[str, tuple[float, float]]:
    """Positions for a large map, computed in linear time with no randomness.

    Themes sit on a circle, the busiest ones spread evenly; each author sits at the
    claim-weighted centre of its themes (authors of a single theme just outside the circle),
    and authors who share a spot are spread around it in a sunflower pattern. spring_layout
    would take minutes at a few thousand nodes; this takes milliseconds and keeps each author
    beside the themes they write about.
    """
    radius = 400 + 60 * math.sqrt(len(authors))
    theme_xy = {}
    for i, theme in enumerate(themes):
        angle = 2 * math.pi * i / max(len(themes), 1)
        theme_xy[theme] = (radius * math.cos(angle), radius * math.sin(angle))
    spots: dict[tuple[float, float], list[str]] = defaultdict(list)
    for author in authors:
        weights: dict[str, float] = defaultdict(float)
        for _, theme, data in graph.edges(author, data=True):
            weights[theme] += float(data.get("weight") or 1)
        total = sum(weights.values())
        if not total:
            spots[0.0, 0.0].append(author)
            continue
        x = sum(theme_xy[t][0] * w for t, w in weights.items()) / total
        y = sum(theme_xy[t][1] * w for t, w in weights.items()) / total
        scale = 1.25 if len(weights) == 1 else 1.0
        spots[round(x * scale, 1), round(y * scale, 1)].append(author)
    positions = {theme: (round(x, 1), round(y, 1)) for theme, (x, y) in theme_xy.items()}
    golden = math.pi * (3 - math.sqrt(5))
    for (x, y), crowd in spots.items():
        for k, author in enumerate(crowd):
            r = 45 * math.sqrt(k)
            positions[author] = (
                round(x + r * math.cos(k * golden), 1),
                round(y + r * math.sin(k * golden), 1),
            )
    return positions


def _options(net: Network, *, large: bool) -> dict[str, Any]:
    """vis-network options: pyvis's option objects, plus what pyvis has no setter for."""
    net.inherit_edge_colors(False)
    if large:
        net.toggle_physics(False)
        net.options.edges.smooth.enabled = False
        net.toggle_hide_edges_on_drag(True)
    else:
        net.force_atlas_2based(
            gravity=-120, central_gravity=0.015, spring_length=100, spring_strength=0.06,
            damping=0.5, overlap=1,
        )  # fmt: skip
        net.options.physics.stabilization.iterations = 600
        net.options.physics.stabilization.updateInterval = 50
        net.options.physics.minVelocity = 1
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["layout"] = {"randomSeed": 7, "improvedLayout": not large}
    options["interaction"].update(
        {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "multiselect": False}
    )
    return options


@cache
def _vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet bundled with pyvis, safe to paste inline."""
    folder = resources.files("pyvis") / "lib" / f"vis-{VIS_VERSION}"
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    # The source map is not shipped; a browser would look for it next to the HTML file.
    script = re.sub(r"^//# sourceMappingURL=.*$", "", script, flags=re.MULTILINE).rstrip()
    script = re.sub(r"</(script)", r"<\\/\1", script, flags=re.IGNORECASE)
    style = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", style).rstrip()
    return script, re.sub(r"</(style)", r"<\\/\1", style, flags=re.IGNORECASE)


def _script_json(value: Any) -> str:
    """JSON that cannot end or alter the ``<script>`` element it is pasted into."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _legend() -> str:
    """The legend: node kinds, stance colours and what line width means, drawn in SVG."""
    rows = [
        '<li><svg width="34" height="20" aria-hidden="true"><circle cx="17" cy="10" r="7" '
        f'fill="{AUTHOR_COLOR}" stroke="{AUTHOR_BORDER}"/></svg>Author (size: claims)</li>',
        '<li><svg width="34" height="20" aria-hidden="true"><rect x="3" y="3" width="28" '
        f'height="14" rx="4" fill="{THEME_COLOR}" stroke="{THEME_BORDER}" stroke-width="2"/>'
        "</svg>Theme (size: claims)</li>",
    ]
    for stance in STANCES:
        dash = ' stroke-dasharray="6 4"' if stance.dashes else ""
        rows.append(
            f'<li title="{html.escape(stance.meaning)}"><svg width="34" height="20" '
            f'aria-hidden="true"><line x1="2" y1="10" x2="32" y2="10" stroke="{stance.color}" '
            f'stroke-width="4"{dash}/></svg>{stance.name}</li>'
        )
    for weight in (1, 9):
        rows.append(
            '<li><svg width="34" height="20" aria-hidden="true"><line x1="2" y1="10" x2="32" '
            f'y2="10" stroke="#6b7280" stroke-width="{_edge_width(weight)}"/></svg>'
            f"{_plural(weight, 'claim')}</li>"
        )
    return '<ul class="kg-legend">' + "".join(rows) + "</ul>"


def _stance_boxes() -> str:
    return "".join(
        f'<label class="kg-check"><input type="checkbox" name="stance" value="{s.name}" checked>'
        f'<span class="kg-swatch" style="background:{s.color}"></span>{s.name}</label>'
        for s in STANCES
    )


def _page(
    *,
    title: str,
    counts: tuple[int, int, int],
    node_count: int,
    edge_count: int,
    data: Mapping[str, Any],
) -> str:
    vis_script, vis_style = _vis_assets()
    authors, themes, claims = counts
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src '{_sha256(vis_script)}' '{_sha256(_APP_SCRIPT)}'",
            "style-src 'unsafe-inline'",
            "img-src data:",
        ]
    )
    parts: Iterable[str] = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html.escape(title)} · author-theme map</title>\n",
        f"<style>\n{vis_style}\n</style>\n<style>{_APP_STYLE}</style>\n",
        f"<script>{vis_script}</script>\n</head>\n<body>\n",
        '<header class="kg-header">',
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="kg-counts">{_plural(authors, "author")} · {_plural(themes, "theme")} · '
        f"{_plural(claims, 'claim')}</p></header>\n",
        '<main class="kg-main">\n<aside class="kg-controls" aria-label="Search and filters">',
        '<label class="kg-label" for="kg-search">Find an author or theme</label>',
        '<input id="kg-search" type="search" list="kg-labels" autocomplete="off" '
        'placeholder="Name, then Enter">',
        '<datalist id="kg-labels"></datalist><p id="kg-search-status" class="kg-status"></p>',
        '<label class="kg-label" for="kg-theme">Theme</label>',
        '<select id="kg-theme"><option value="">All themes</option></select>',
        f'<fieldset class="kg-stances"><legend class="kg-label">Stance</legend>{_stance_boxes()}'
        "</fieldset>",
        '<button id="kg-reset" type="button">Show everything</button>',
        '<p id="kg-filter-status" class="kg-status"></p>',
        f'<h2 class="kg-label">Legend</h2>{_legend()}',
        '<p class="kg-help">Hover for a summary, click for every claim. Drag to pan, scroll to '
        "zoom.</p></aside>\n",
        f'<div id="kg-network" data-kg-nodes="{node_count}" data-kg-edges="{edge_count}" '
        'role="img" aria-label="Map of authors and themes"></div>\n',
        '<aside id="kg-panel" class="kg-panel" aria-live="polite"><div id="kg-details">',
        '<p class="kg-hint">Click an author, a theme or a line to read the claims behind it, '
        "with their quotes and pages.</p></div></aside>\n</main>\n",
        f'<script type="application/json" id="kg-data">{_script_json(data)}</script>\n',
        f"<script>{_APP_SCRIPT}</script>\n</body>\n</html>\n",
    )
    return "".join(parts)


_APP_STYLE = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1f2937; background: #f6f7f9; display: flex; flex-direction: column; }
.kg-header { padding: 10px 20px; background: #ffffff; border-bottom: 1px solid #e5e7eb; }
.kg-header h1 { margin: 0; font-size: 19px; font-weight: 650; line-height: 1.3; }
.kg-counts { margin: 2px 0 0; color: #4b5563; }
.kg-main { flex: 1; display: flex; min-height: 0; }
.kg-controls { width: 230px; flex: none; padding: 14px 16px; overflow-y: auto;
  background: #ffffff; border-right: 1px solid #e5e7eb; }
.kg-label { display: block; margin: 14px 0 5px; font-size: 12px; font-weight: 650;
  text-transform: uppercase; letter-spacing: .04em; color: #4b5563; padding: 0; }
.kg-controls .kg-label:first-child { margin-top: 0; }
#kg-search, #kg-theme { width: 100%; padding: 6px 8px; font: inherit;
  border: 1px solid #cbd5e1; border-radius: 6px; background: #ffffff; }
.kg-stances { border: 0; margin: 14px 0 0; padding: 0; }
.kg-stances .kg-label { margin-top: 0; }
.kg-check { display: flex; align-items: center; gap: 7px; margin: 3px 0; cursor: pointer; }
.kg-swatch { display: inline-block; width: 18px; height: 5px; border-radius: 2px; }
#kg-reset { margin-top: 12px; padding: 5px 10px; font: inherit; border: 1px solid #cbd5e1;
  border-radius: 6px; background: #f8fafc; cursor: pointer; }
#kg-reset:hover { background: #eef2f7; }
.kg-status { margin: 5px 0 0; min-height: 1em; font-size: 12px; color: #6b7280; }
.kg-legend { list-style: none; margin: 0; padding: 0; }
.kg-legend li { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
.kg-help { margin-top: 16px; font-size: 12px; color: #6b7280; }
#kg-network { flex: 1; min-width: 0; position: relative; background: #ffffff; }
.kg-panel { width: 340px; flex: none; overflow-y: auto; padding: 14px 18px;
  background: #ffffff; border-left: 1px solid #e5e7eb; }
.kg-hint { color: #6b7280; }
.kg-panel h2 { margin: 0 0 2px; font-size: 17px; line-height: 1.3; }
.kg-panel h3 { margin: 16px 0 6px; font-size: 13px; text-transform: uppercase;
  letter-spacing: .04em; color: #4b5563; }
.kg-panel h4 { margin: 14px 0 4px; font-size: 14px; }
.kg-kind { color: #6b7280; margin: 0 0 8px; }
.kg-definition { margin: 6px 0; }
.kg-works { margin: 0; padding-left: 18px; }
.kg-claims { margin: 0; padding-left: 20px; }
.kg-claims li { margin: 0 0 10px; }
.kg-quote { margin: 0; font-style: italic; }
.kg-source { color: #4b5563; font-size: 12.5px; }
.kg-overview { margin: 0; padding-left: 22px; }
.kg-overview li { margin: 1px 0; }
.kg-link { padding: 0; border: 0; background: none; font: inherit; color: #1d4ed8;
  cursor: pointer; text-align: left; }
.kg-link:hover { text-decoration: underline; }
.kg-count { color: #6b7280; font-size: 12.5px; }
.kg-chip { display: inline-block; padding: 0 7px; border-radius: 9px; color: #ffffff;
  font-size: 11.5px; font-weight: 600; font-style: normal; vertical-align: 1px; }
div.vis-tooltip { white-space: normal; max-width: 440px; padding: 8px 10px;
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937;
  background: #ffffff; border: 1px solid #cbd5e1; border-radius: 6px; }
.kg-tip-head { font-weight: 650; }
.kg-tip-meta { color: #6b7280; font-size: 12px; }
.kg-tip-body { margin-top: 4px; }
.kg-tip-source { color: #6b7280; font-size: 12px; }
div.vis-tooltip ol, div.vis-tooltip ul { margin: 4px 0 0; padding-left: 18px; }
div.vis-tooltip li { margin-bottom: 4px; }
.kg-tip-more { color: #6b7280; font-size: 12px; font-style: italic; }
@media (max-width: 1000px) { .kg-panel { width: 300px; } .kg-controls { width: 210px; } }
"""

_APP_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var stanceColor = {};
  data.stances.forEach(function (s) { stanceColor[s.name] = s.color; });

  // Tooltip HTML was built in Python from html.escape'd strings only.
  function tip(markup) {
    var box = document.createElement("div");
    box.innerHTML = markup;
    return box;
  }
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, {title: tip(n.title)});
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return Object.assign({}, e, {title: tip(e.title)});
  }));
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.kgNetwork = network;
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
    });
  }
  // Box sizes are known only once drawn, so fit again then, with a margin for the labels.
  function fitAll() {
    var shown = nodes.getIds({filter: function (n) { return !n.hidden; }});
    network.fit({nodes: shown, animation: false});
    network.moveTo({scale: network.getScale() * 0.88});
  }
  network.once("afterDrawing", fitAll);

  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgesOf = {};
  data.edges.forEach(function (e) {
    (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
    (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function chip(stance) {
    var c = el("span", "kg-chip", stance);
    c.style.background = stanceColor[stance];
    return c;
  }
  function source(c) {
    var text = c.work || c.key;
    if (c.year) { text += " (" + c.year + ")"; }
    if (c.locator) { text += ", " + c.locator; }
    if (c.key && c.work) { text += " [" + c.key + "]"; }
    return text;
  }
  function claimList(claims) {
    var list = el("ol", "kg-claims");
    claims.forEach(function (c) {
      var item = el("li");
      item.appendChild(el("p", "kg-quote", "\\u201c" + c.quote + "\\u201d"));
      item.appendChild(el("div", "kg-source", source(c)));
      list.appendChild(item);
    });
    return list;
  }
  function edgeHeading(tag, e, otherEnd) {
    var h = el(tag);
    h.appendChild(document.createTextNode(byId[otherEnd].kg.label + " "));
    h.appendChild(chip(e.kg.stance));
    h.appendChild(document.createTextNode(" " + plural(e.kg.weight, "claim")));
    return h;
  }
  var details = document.getElementById("kg-details");
  function show(children) {
    details.replaceChildren.apply(details, children);
    details.parentNode.scrollTop = 0;
  }
  function showEdge(id) {
    var e = edges.get(id);
    var h = el("h2");
    h.appendChild(document.createTextNode(byId[e.from].kg.label + " "));
    h.appendChild(chip(e.kg.stance));
    h.appendChild(document.createTextNode(" " + byId[e.to].kg.label));
    show([h, el("p", "kg-kind", plural(e.kg.weight, "claim")), claimList(e.kg.claims)]);
  }
  // Each edge of a node, headed by the node at its other end ("from" or "to"), in label order.
  function listEdges(parts, list, end) {
    list.sort(function (a, b) {
      return byId[a[end]].kg.label.localeCompare(byId[b[end]].kg.label);
    });
    list.forEach(function (e) {
      parts.push(edgeHeading("h4", e, e[end]), claimList(e.kg.claims));
    });
  }
  function showNode(id) {
    var n = byId[id];
    var parts = [el("h2", null, n.kg.label)];
    var mine = (edgesOf[id] || []).slice();
    if (n.kg.kind === "author") {
      parts.push(el("p", "kg-kind", "Author \\u00b7 " + plural(n.kg.claims, "claim") +
        " cite their works"));
      if (n.kg.works.length) {
        parts.push(el("h3", null, "Works"));
        var works = el("ul", "kg-works");
        n.kg.works.forEach(function (w) {
          var year = w.year ? " (" + w.year + ")" : "";
          works.appendChild(el("li", null, (w.title || w.key) + year));
        });
        parts.push(works);
      }
      parts.push(el("h3", null, "Claims by theme"));
      listEdges(parts, mine, "to");
    } else {
      parts.push(el("p", "kg-kind", "Theme \\u00b7 " + plural(n.kg.claims, "claim")));
      if (n.kg.definition) { parts.push(el("p", "kg-definition", n.kg.definition)); }
      parts.push(el("h3", null, "Claims by author"));
      listEdges(parts, mine, "from");
    }
    show(parts);
  }
  function link(text, onClick) {
    var button = el("button", "kg-link", text);
    button.type = "button";
    button.addEventListener("click", onClick);
    return button;
  }
  function goTo(id) {
    if (nodes.get(id).hidden) { reset(); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 400}});
    showNode(id);
  }
  function overview() {
    var parts = [el("p", "kg-hint", "Click an author, a theme or a line to read the claims " +
      "behind it, with their quotes and pages.")];
    parts.push(el("h3", null, "Themes by number of claims"));
    var themes = el("ol", "kg-overview");
    data.nodes.filter(function (n) { return n.kg.kind === "theme"; })
      .sort(function (a, b) { return b.kg.claims - a.kg.claims; })
      .forEach(function (n) {
        var item = el("li");
        item.appendChild(link(n.kg.label, function () { goTo(n.id); }));
        item.appendChild(el("span", "kg-count", " " + n.kg.claims));
        themes.appendChild(item);
      });
    parts.push(themes);
    var disputes = data.edges.filter(function (e) { return e.kg.stance === "disputes"; })
      .sort(function (a, b) { return b.kg.weight - a.kg.weight; });
    if (disputes.length) {
      parts.push(el("h3", null, "Where the literature disagrees"));
      var list = el("ul", "kg-overview");
      disputes.slice(0, 30).forEach(function (e) {
        var item = el("li");
        item.appendChild(link(byId[e.from].kg.label + " \u2013 " + byId[e.to].kg.label,
          function () { network.selectEdges([e.id]); showEdge(e.id); }));
        list.appendChild(item);
      });
      parts.push(list);
      if (disputes.length > 30) {
        parts.push(el("p", "kg-count", "\u2026 and " + (disputes.length - 30) +
          " more: untick supports and mentions to see them all on the map."));
      }
    }
    show(parts);
  }
  overview();
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { overview(); }
  });

  var themeSelect = document.getElementById("kg-theme");
  var labels = document.getElementById("kg-labels");
  data.nodes.forEach(function (n) {
    labels.appendChild(el("option", null, n.kg.label));
    if (n.kg.kind === "theme") {
      var option = el("option", null, n.kg.label);
      option.value = n.id;
      themeSelect.appendChild(option);
    }
  });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=stance]"));
  var filterStatus = document.getElementById("kg-filter-status");
  function applyFilters() {
    var theme = themeSelect.value;
    var stances = {};
    boxes.forEach(function (b) { if (b.checked) { stances[b.value] = true; } });
    var visible = {};
    var edgeUpdates = data.edges.map(function (e) {
      var shown = Boolean(stances[e.kg.stance]) && (!theme || e.to === theme);
      if (shown) { visible[e.from] = true; visible[e.to] = true; }
      return {id: e.id, hidden: !shown};
    });
    var authorsShown = 0;
    var authorsAll = 0;
    var nodeUpdates = data.nodes.map(function (n) {
      var shown;
      if (n.kg.kind === "theme") { shown = !theme || n.id === theme; }
      else {
        authorsAll += 1;
        shown = Boolean(visible[n.id]) || (!theme && !(edgesOf[n.id] || []).length);
        if (shown) { authorsShown += 1; }
      }
      return {id: n.id, hidden: !shown};
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    var all = !theme && boxes.every(function (b) { return b.checked; });
    filterStatus.textContent = all ? "" :
      "Showing " + authorsShown + " of " + plural(authorsAll, "author") + ".";
    fitAll();
  }
  themeSelect.addEventListener("change", applyFilters);
  boxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  function reset() {
    themeSelect.value = "";
    boxes.forEach(function (b) { b.checked = true; });
    applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", function () {
    reset();
    network.unselectAll();
  });

  var search = document.getElementById("kg-search");
  var searchStatus = document.getElementById("kg-search-status");
  function find() {
    var needle = search.value.trim().toLowerCase();
    if (!needle) { searchStatus.textContent = ""; return; }
    var hits = data.nodes.filter(function (n) {
      return n.kg.label.toLowerCase().indexOf(needle) !== -1;
    });
    if (!hits.length) { searchStatus.textContent = "No author or theme matches."; return; }
    var exact = hits.filter(function (n) { return n.kg.label.toLowerCase() === needle; });
    var hit = (exact.length ? exact : hits)[0];
    goTo(hit.id);
    searchStatus.textContent = hits.length === 1 ? "" :
      hits.length + " matches; showing " + hit.kg.label + ".";
  }
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(); }
  });
  search.addEventListener("change", find);
})();
"""
