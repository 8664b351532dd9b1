"""Render networkx projections of the review as self-contained interactive HTML maps.

Four views, each one HTML file (see :data:`VIEWS`): the author-theme map (which authors
support, dispute or merely mention which themes), the citation network (citing text, its
claims, the works they cite), co-citation (works cited together in one claim) and theme
co-occurrence (themes tagged on one claim). :func:`render_index` writes the page that links
them, and the timeline (:data:`TIMELINE`, drawn by :mod:`kg.outputs.timeline`).

pyvis builds the node and edge options and the vis-network options; kg writes the page
itself, because every pyvis template loads Bootstrap or vis-network from a CDN, and
researchers often work offline. The vis-network code and stylesheet that ship inside the pyvis
package are pasted into the page, and a Content-Security-Policy forbids every request to any
other host, so the file opens anywhere, from a USB stick or an e-mail attachment. kg's own
script and stylesheets are files beside this module, pasted in as they are: ``views.js`` and
``views.css`` for the views (after ``dom.js``, the helpers the timeline's script shares),
``views-index.css`` for the page linking them.

Text from the inputs reaches the page in two ways only: in the header, passed through
:func:`html.escape`, and as JSON in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` written as ``\\u003c`` and so on (a title holding ``</script>`` cannot end the
block), from which the page's script builds tooltips and the side panel with
``textContent``: no input string is ever parsed as HTML.

>>> import networkx as nx
>>> g = nx.MultiGraph(title="Peer mentoring")
>>> g.add_node("author:maruna-s", kind="author", label="Maruna, S.", claims=1,
...            works=[{"key": "maruna2001", "title": "Making Good", "year": "2001"}])
>>> g.add_node("theme:desistance", kind="theme", label="Desistance", detail="", claims=1)
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
import re
import textwrap
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from kg.outputs.figure import figure_legend, node_box, render_svg, write_png
from kg.outputs.files import write_text
from kg.outputs.layout import Placed, arrange
from kg.projections import clusters
from kg.projections import network as projections
from kg.projections.clusters import Clustering
from kg.projections.network import GUESS_BELOW, VIEW_LIMIT

__all__ = [
    "TIMELINE",
    "VIEWS",
    "VIEW_LIMIT",
    "Page",
    "View",
    "ViewFile",
    "find_view",
    "lighter",
    "render_author_theme",
    "render_figure",
    "render_index",
    "render_view",
    "write_figure",
    "write_html",
    "write_view",
    "write_views",
    "year_range",
]

VIS_VERSION = "9.1.2"
LABEL_WIDTH = 24
PHYSICS_THRESHOLD = 300


@dataclass(frozen=True)
class NodeStyle:
    """How one kind of node looks, reads in the legend and heads its part of the side panel.

    ``meta`` is the line under a node's name; ``{claims}`` becomes "3 claims".
    """

    kind: str
    noun: str
    shape: str
    color: str
    border: str
    legend: str
    meta: str
    section: str


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of edge (a stance, or a plain link) looks and reads in the legend.

    ``dashes`` is the line's dash pattern (dash, gap, ...), empty for a solid line: a figure
    printed in greyscale still tells the stances apart.
    """

    name: str
    color: str
    dashes: tuple[int, ...]
    meaning: str


# A print palette: dark green, vermilion and grey stay apart in greyscale, and the line
# style says the stance again (solid supports, dashed disputes, dotted mentions).
STANCES = (
    EdgeStyle("supports", "#1b7837", (), "cited in support"),
    EdgeStyle("disputes", "#d55e00", (12, 6), "cited against, disputed or critiqued"),
    EdgeStyle("mentions", "#9a9a9a", (2, 5), "cited, stance unknown"),
)
_STANCE_NAMES = [s.name for s in STANCES]

AUTHOR = NodeStyle(
    "author", "author", "dot", "#3f6fa8", "#284a73", "Author (size: claims citing them)",
    "Author · their works cited in {claims}", "Claims by theme",
)  # fmt: skip
THEME = NodeStyle(
    "theme", "theme", "box", "#fde7a9", "#c49a1c", "Theme (size: claims)",
    "Theme · {claims}", "Claims by author",
)  # fmt: skip
CO_THEME = replace(THEME, section="Shares claims with")
CITING = NodeStyle(
    "citing", "citing text", "diamond", "#7c3aed", "#4c1d95", "Citing text (size: claims)",
    "Citing text · makes {claims}", "Its claims",
)  # fmt: skip
CLAIM = NodeStyle(
    "claim", "claim", "square", "#cbd5e1", "#64748b", "Claim (a citing sentence)",
    "Claim", "What it cites",
)  # fmt: skip
WORK = NodeStyle(
    "work", "cited work", "dot", "#0f766e", "#134e4a", "Cited work (size: claims)",
    "Cited work · cited in {claims}", "Claims citing it",
)  # fmt: skip
CO_WORK = replace(
    WORK, noun="work", legend="Work (size: claims citing it)", meta="Work · cited in {claims}",
    section="Cited together with",
)  # fmt: skip
MAKES = EdgeStyle("makes", "#a78bfa", (), "the text makes the claim")
CO_CITED = EdgeStyle("co-cited", "#64748b", (), "cited together in one claim")
CO_OCCURS = EdgeStyle("co-occurs", "#b45309", (), "tagged together on one claim")


@dataclass(frozen=True)
class View:
    """One interactive view: what it shows, how it looks, and how it is projected.

    ``anchors`` are the node kinds placed on a circle when a large graph gets fixed positions (the
    rest sit beside the anchors they link to); empty means the busiest nodes. ``rank`` is the node
    kind the side panel lists by number of claims before any click. ``project`` takes the store,
    ``title=`` and ``data=`` (:class:`kg.projections.network.ReviewData`, so that
    :func:`write_views` reads the store once for all the views).
    """

    name: str
    filename: str
    heading: str
    description: str
    nodes: tuple[NodeStyle, ...]
    edges: tuple[EdgeStyle, ...]
    project: Callable[..., nx.MultiGraph]
    rank: str
    anchors: tuple[str, ...] = ()
    cluster: Callable[[projections.ReviewData, nx.MultiGraph], Clustering] | None = None
    """The view's clusters (:mod:`kg.projections.clusters`), given the review's data and the
    graph drawn; None for a view with none."""


VIEWS = (
    View(
        "map", "map.html", "author-theme map",
        "Which authors support, dispute or merely mention which themes, with the claims "
        "behind every line.",
        (AUTHOR, THEME), STANCES, projections.author_theme_network, "theme", ("theme",),
        clusters.author_clusters,
    ),
    View(
        "citations", "citations.html", "citation network",
        "Each citing text, the claims it makes and the works each claim cites, coloured by "
        "stance.",
        (CITING, CLAIM, WORK), (MAKES, *STANCES), projections.citation_network, "work",
    ),
    View(
        "co-citation", "co-citation.html", "co-citation network",
        "Works cited together in one claim: the literature the review reads side by side.",
        (CO_WORK,), (CO_CITED,), projections.cocitation_network, "work",
        cluster=clusters.cocitation_clusters,
    ),
    View(
        "themes", "themes.html", "theme co-occurrence",
        "Themes tagged together on one claim: how the review's ideas hang together.",
        (CO_THEME,), (CO_OCCURS,), projections.theme_network, "theme",
        cluster=clusters.theme_clusters,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Page:
    """A page of the review that is not a network, drawn by a module of its own: what the
    index and the views' links say of it."""

    name: str
    filename: str
    heading: str
    description: str


TIMELINE = Page(
    "timeline", "timeline.html", "timeline",
    "Each theme's claims by the year of the works they cite, coloured by stance: how the "
    "literature behind each theme grew.",
)  # fmt: skip
"""The timeline, drawn by :mod:`kg.outputs.timeline`."""


@dataclass(frozen=True)
class ViewFile:
    """A view written by :func:`write_views`: where, how many nodes and edges it draws, and
    how many the whole graph has (more when the view draws its readable part)."""

    view: View | Page
    path: Path
    nodes: int
    edges: int
    counts: str
    total_nodes: int
    total_edges: int

    @property
    def cut(self) -> bool:
        """Whether the view draws part of the graph
        (:func:`kg.projections.network.readable_subgraph`)."""
        return self.total_nodes > self.nodes or self.total_edges > self.edges


def find_view(name: str) -> View:
    """The view called ``name`` (or written to the file ``name``); ``KeyError`` lists them."""
    for view in VIEWS:
        if name in (view.name, view.filename, view.filename.removesuffix(".html")):
            return view
    raise KeyError(f"no view {name!r}; views: {', '.join(v.name for v in VIEWS)}")


def render_author_theme(graph: nx.MultiGraph, *, physics_threshold: int = PHYSICS_THRESHOLD) -> str:
    """Return the author-theme map of ``graph`` as one self-contained HTML document.

    ``graph`` is the projection made by :func:`kg.projections.network.author_theme_network`:
    ``author:*`` nodes, ``theme:*`` nodes and author-theme edges keyed by stance
    (``supports``, ``disputes`` or ``mentions``). See :func:`render_view`.
    """
    return render_view(graph, VIEWS[0], physics_threshold=physics_threshold)


def render_view(
    graph: nx.MultiGraph,
    view: View,
    *,
    physics_threshold: int = PHYSICS_THRESHOLD,
    whole: tuple[int, int] | None = None,
    clustering: Clustering | None = None,
) -> str:
    """Return ``graph`` drawn as ``view``: one self-contained HTML document.

    ``graph`` has the shape :mod:`kg.projections.network` gives every projection: nodes with
    ``kind``, ``label``, ``claims`` and optionally ``detail``, ``works`` and ``year``; edges keyed
    by their stance with a ``weight``, the ``claims`` behind them and the ``themes``, ``stances``
    and cited works' ``years`` those claims have. The graph attribute ``title`` names the review.

    Nodes are shaped and coloured by kind and sized by their number of claims; edges are as
    wide as their number of claims and coloured by stance (disputes also dashed). Graphs with
    at most ``physics_threshold`` nodes are laid out in the browser by a short physics run
    that stops once it settles; larger ones (and clustered ones of more than
    :data:`DENSE_EDGES` edges) get fixed positions computed here, with physics and curved
    edges off, so they are usable at once.

    ``whole`` is the number of nodes and edges of the graph that ``graph`` was cut from
    (:func:`kg.projections.network.readable_subgraph`); when it has more of either, the header says
    how many of each are shown and how to draw them all.

    The page needs no network: vis-network is inline and a Content-Security-Policy blocks any
    request. The same graph always gives the same bytes. The network container carries
    ``data-kg-nodes`` and ``data-kg-edges``; the page exposes ``window.kgNetwork``, notes
    when the graph was first drawn in ``window.kgDrawnAt`` (ms since navigation) and sets
    ``window.kgReady`` once it is drawn and the claims behind it are loaded.

    ``clustering`` (:mod:`kg.projections.clusters`), if given, colours the nodes by cluster and
    lists the clusters in the side panel; a large graph is then laid out cluster by cluster,
    each a region named on the map, its nodes' labels shown by importance as one zooms in
    (:func:`_clustered`).

    Raises ``ValueError`` if a node's ``kind`` or an edge's stance is not one of the view's.
    """
    return _render_view(
        graph, view, physics_threshold=physics_threshold, whole=whole, clustering=clustering
    )[0]


def _render_view(
    graph: nx.MultiGraph,
    view: View,
    *,
    physics_threshold: int,
    whole: tuple[int, int] | None,
    saved: Mapping[str, Placed] | None = None,
    clustering: Clustering | None = None,
    keep: list[object] | None = None,
) -> tuple[str, str]:
    """:func:`render_view`'s page, and the line of counts its header shows; what it drew
    is put in ``keep``, if given, not freed (:func:`write_view`)."""
    net, data, details, counts = _drawn(
        graph, view, physics_threshold=physics_threshold, saved=saved, clustering=clustering
    )
    if keep is not None:
        keep.append((net, data, details))
    shown = " · ".join(counts)
    page = _page(
        title=str(graph.graph.get("title") or "Literature review"),
        view=view,
        counts=shown,
        banner=_banner(view, (len(net.nodes), len(net.edges)), whole),
        node_count=len(net.nodes),
        edge_count=len(net.edges),
        data=data,
        details=details.take_nodes(net.nodes),
    )
    return page, shown


def _drawn(
    graph: nx.MultiGraph,
    view: View,
    *,
    physics_threshold: int,
    saved: Mapping[str, Placed] | None,
    clustering: Clustering | None = None,
) -> tuple[Network, dict[str, Any], _Details, list[str]]:
    """What a view of ``graph`` draws: its nodes (placed) and edges with their vis-network
    options, the page's data, the claims behind the edges, and the counts of what is shown."""
    styles = {style.kind: style for style in view.nodes}
    order = {style.kind: i for i, style in enumerate(view.nodes)}
    unknown = sorted(str(n) for n, kind in graph.nodes(data="kind") if kind not in styles)
    if unknown:
        kinds = ", ".join(repr(k) for k in styles)
        raise ValueError(f"nodes with no kind {kinds}: {unknown}")
    nodes = sorted(
        graph.nodes, key=lambda n: (order[graph.nodes[n]["kind"]], _label(graph, n), str(n))
    )
    edges = _edges(graph, view, order)
    large = graph.number_of_nodes() > physics_threshold or (
        clustering is not None and graph.number_of_edges() > DENSE_EDGES
    )
    layout = None
    if large and clustering is not None:
        layout = clusters.cluster_layout(nodes, clustering, _room(graph))

    net = Network(height="100%", width="100%", heading="", directed=graph.is_directed())
    for node_id in nodes:
        _add_node(net, graph, node_id, styles[graph.nodes[node_id]["kind"]], {})
    edge_styles = {style.name: style for style in view.edges}
    details = _Details()
    for edge in edges:
        net.edges.append(_edge_options(edge_styles, *edge, details, curved=not large))
    _place_nodes(
        net, graph, nodes, view, large=large, saved=saved or {},
        placed=layout.positions if layout is not None else None,
    )  # fmt: skip

    counts = [
        _plural(sum(1 for n in net.nodes if n["kg"]["kind"] == s.kind), s.noun) for s in view.nodes
    ]
    if CLAIM not in view.nodes:
        counts.append(_plural(len(details.quotes), "claim"))
    data = {
        "view": view.name,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(net, large=large) | {"groups": {s.kind: _group(s) for s in view.nodes}},
        "stances": [{"name": s.name, "color": s.color} for s in STANCES],
        "kinds": {s.kind: {"meta": s.meta, "section": s.section} for s in view.nodes},
        "themes": sorted(_themes(graph).items(), key=lambda t: (t[1].lower(), t[0])),
        "rank": {"kind": view.rank, "noun": styles[view.rank].noun},
        "stanceEdges": any(s in STANCES for s in view.edges),
        "guesses": any(e["kg"].get("guess") for e in net.edges),
        "legend": figure_legend(view.nodes, view.edges, [(w, _edge_width(w)) for w in (1, 9)]),
        "pinned": sorted(n for n, spot in (saved or {}).items() if spot.pinned and n in graph),
        "years": _year_span(net.edges),
    }
    if clustering is not None:
        data.update(_clustered(net.nodes, clustering, layout))
        for name, group in data.pop("clusterGroups").items():
            base = data["options"]["groups"][group.pop("base")]
            data["options"]["groups"][name] = base | group
        data["legend"] = figure_legend(
            view.nodes, view.edges, [(w, _edge_width(w)) for w in (1, 9)],
            fill=_cluster_fill(view, " (key below)"),
            keys=[(c["color"], c["border"], f"{c['number']}. {c['label']}")
                  for c in data["clusters"] if c["color"] != clusters.OTHER],
        )  # fmt: skip
        if layout is not None:
            _fade_between(net.edges, clustering)
            scaling = data["options"].setdefault("nodes", {}).setdefault("scaling", {})
            scaling["label"] = {"drawThreshold": LABEL_THRESHOLD, "maxVisible": 40}
    return net, data, details, counts


def _place_nodes(
    net: Network,
    graph: nx.MultiGraph,
    nodes: Sequence[str],
    view: View,
    *,
    large: bool,
    saved: Mapping[str, Placed],
    placed: Mapping[str, tuple[float, float]] | None = None,
) -> None:
    """Give every node of ``net`` its ``x`` and ``y``: a large graph's from ``placed`` (a
    clustered layout) or :func:`_fixed_positions`, a small one's from
    :func:`kg.outputs.layout.arrange` (labels kept apart); nodes pinned in ``saved`` stay
    where they were saved."""
    if large:
        if placed is not None:
            positions = dict(placed)
        else:
            positions = _fixed_positions(graph, nodes, _anchors(graph, nodes, view))
        positions.update({n: (p.x, p.y) for n, p in saved.items() if p.pinned and n in positions})
    else:
        links: dict[tuple[str, str], float] = defaultdict(float)
        for edge in net.edges:
            links[tuple(sorted((edge["from"], edge["to"])))] += 1.0  # type: ignore[index]
        groups = {style.kind: _group(style) for style in view.nodes}
        extents = {node["id"]: node_box(node, groups[node["group"]]) for node in net.nodes}
        positions = arrange(nodes, links, extents, saved)
    # vis-network reads a position as a whole number (parseInt): give it one, so the page
    # draws a node exactly where a figure or a saved layout has it.
    for node in net.nodes:
        x, y = positions[node["id"]]
        node["x"], node["y"] = round(x), round(y)


class _Details:
    """What only a click or hover shows, kept out of the nodes and edges: the claims (each
    quote and each cited work once, referred to by id), and the nodes' details.

    The page reads these only when first needed, so they cost nothing before the first draw.
    """

    def __init__(self) -> None:
        self.quotes: dict[str, str] = {}
        self.works: dict[str, dict[str, str]] = {}
        self.edges: dict[str, list[list[Any]]] = {}
        # Each entry read, by identity: the projections share one entry between edges.
        self.read: dict[int, tuple[str, str, tuple[str, ...]]] = {}

    def add_edge(self, edge_id: str, entries: Iterable[Mapping[str, Any]]) -> int:
        """Keep the claims behind an edge, one per claim with each work it cites there
        once; return their number."""
        claims: dict[str, tuple[str, list[tuple[str, ...]]]] = {}
        for entry in entries:
            read = self.read.get(id(entry))
            if read is None:
                read = self.read[id(entry)] = _read_entry(entry)
            ident, quote, cite = read
            if ident not in claims:
                claims[ident] = (quote, [cite])
            elif cite not in claims[ident][1]:
                claims[ident][1].append(cite)
        compact = []
        works = self.works
        for ident, (quote, cites) in claims.items():
            self.quotes[ident] = quote
            refs = []
            for label, key, work, year, locator, stance in cites:
                ref = key or label
                if ref not in works:
                    works[ref] = {"cite": label, "work": work, "year": year}
                refs.append([ref, locator, stance])
            compact.append([ident, refs])
        self.edges[edge_id] = compact
        return len(claims)

    def take_nodes(self, nodes: Iterable[dict[str, Any]]) -> dict[str, Any]:
        """Everything, with the nodes' details taken out of ``nodes``."""
        node_details = {}
        for node in nodes:
            more = {key: node["kg"].pop(key) for key in ("detail", "works") if key in node["kg"]}
            node_details[node["id"]] = more
        return {
            "quotes": self.quotes,
            "works": self.works,
            "edges": self.edges,
            "nodes": node_details,
        }


def _read_entry(entry: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """A claim entry of an edge as text: its claim id, quote, and the work it cites (label,
    key, title, year, locator, stance)."""
    get = entry.get
    quote = str(get("quote") or "")
    key = str(get("key") or "")
    cite = (
        str(get("cite") or key), key, str(get("work") or ""), str(get("year") or ""),
        str(get("locator") or ""), str(get("stance") or ""),
    )  # fmt: skip
    return str(get("id") or quote), quote, cite


def write_view(
    store: projections.Source | None,
    view: View,
    path: Path,
    *,
    title: str | None = None,
    limit: int | None = VIEW_LIMIT,
    data: projections.ReviewData | None = None,
    layouts: Mapping[str, Mapping[str, Placed]] | None = None,
    keep: list[object] | None = None,
) -> ViewFile:
    """Project the store into ``view`` and write it to ``path`` atomically.

    ``layouts`` are saved layouts by view (:func:`kg.outputs.layout.read_layouts`): the
    view's pinned nodes stay where they were saved, and the rest start there.

    ``keep``, if given, is where the graph and what was drawn of it are put, not freed: a
    process that ends once its views are written (``kg build``'s drawer) leaves them to its
    end, as freeing them object by object took a twentieth of drawing at 10,000 works.

    ``title`` defaults to the one the store holds. ``data``
    (:class:`kg.projections.network.ReviewData`), if given, is what the store holds, already read
    for another view; the store may then be None, if ``title`` is given.

    A graph of more than ``limit`` nodes, or more than ``3 * limit`` edges
    (:data:`kg.projections.network.EDGES_PER_NODE`), is drawn as its readable part
    (:func:`kg.projections.network.readable_subgraph`: the most-cited nodes and the heaviest edges
    among them), and the page says so; ``limit=None`` draws the whole graph.
    """
    data = data or projections.ReviewData(store)
    graph, total_nodes, total_edges = projections.readable_network(
        view.project, store, title=_review_title(store, title), data=data, limit=limit
    )
    page, counts = _render_view(
        graph,
        view,
        physics_threshold=PHYSICS_THRESHOLD,
        whole=(total_nodes, total_edges),
        saved=(layouts or {}).get(view.name),
        clustering=view.cluster(data, graph) if view.cluster else None,
        keep=keep,
    )
    write_html(page, path)
    written = ViewFile(
        view, path, graph.number_of_nodes(), graph.number_of_edges(), counts, total_nodes,
        total_edges,
    )  # fmt: skip
    if keep is not None:
        keep.append(graph)
    else:
        # A networkx graph holds reference cycles: emptied, it is freed at once, not at the
        # next cycle collection (paused while a view is drawn).
        graph.clear()
    return written


def _review_title(store: projections.Source | None, title: str | None) -> str:
    """``title``, or else the one the store holds."""
    if title is not None:
        return title
    if store is None:
        raise ValueError("a view of no store needs the review's title")
    return projections.review_title(store)


def write_views(
    store: projections.Source | None,
    folder: Path,
    *,
    title: str | None = None,
    views: Sequence[View] = VIEWS,
    limit: int | None = VIEW_LIMIT,
    data: projections.ReviewData | None = None,
    layouts: Mapping[str, Mapping[str, Placed]] | None = None,
) -> list[ViewFile]:
    """Write every view of ``views`` into ``folder`` (:func:`write_view`, each cut to
    ``limit`` nodes and ``3 * limit`` edges), and ``index.html`` linking them.

    The views read the store once, through ``data`` (:class:`kg.projections.network.ReviewData`),
    made here unless given (``kg build`` gives it, and the summary reads it too). Each view
    links to the timeline: :func:`kg.outputs.pages.write_pages` writes the views with it, as
    ``kg build`` does.
    """
    title = _review_title(store, title)
    data = data or projections.ReviewData(store)
    written = [
        write_view(
            store,
            view,
            folder / view.filename,
            title=title,
            limit=limit,
            data=data,
            layouts=layouts,
        )
        for view in views
    ]
    write_html(render_index(title, written), folder / "index.html")
    return written


def render_figure(
    graph: nx.MultiGraph,
    view: View,
    *,
    physics_threshold: int = PHYSICS_THRESHOLD,
    saved: Mapping[str, Placed] | None = None,
    clustering: Clustering | None = None,
) -> str:
    """``graph`` drawn as ``view`` in SVG (:func:`kg.outputs.figure.render_svg`): the nodes
    where the page places them, coloured by ``clustering`` as the page colours them, the same
    lines and labels, and the legend."""
    _, data, _, _ = _drawn(
        graph, view, physics_threshold=physics_threshold, saved=saved, clustering=clustering
    )
    return render_svg(data)


def write_figure(
    store: projections.Source | None,
    view: View,
    *,
    svg: Path | None = None,
    png: Path | None = None,
    width: int = 2000,
    title: str | None = None,
    limit: int | None = VIEW_LIMIT,
    layouts: Mapping[str, Mapping[str, Placed]] | None = None,
) -> str:
    """Project the store into ``view`` (as :func:`write_view` does) and write it as a figure:
    an SVG to ``svg``, a PNG ``width`` pixels wide to ``png`` (headless Chromium,
    :func:`kg.outputs.figure.write_png`). Returns the SVG."""
    data = projections.ReviewData(store)
    graph, _, _ = projections.readable_network(
        view.project, store, title=_review_title(store, title), data=data, limit=limit
    )
    drawn = render_figure(
        graph,
        view,
        saved=(layouts or {}).get(view.name),
        clustering=view.cluster(data, graph) if view.cluster else None,
    )
    graph.clear()
    if svg is not None:
        write_html(drawn, svg)
    if png is not None:
        write_png(drawn, png, width=width)
    return drawn


def write_html(html: str, path: Path) -> None:
    """Write ``html`` to ``path`` whole (:func:`kg.outputs.files.write_text`): readers see the
    old file or the new one, never half, and a failure leaves ``path`` untouched."""
    write_text(html, path)


def _label(graph: nx.MultiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)


def _themes(graph: nx.MultiGraph) -> dict[str, str]:
    """The themes to filter by: the projection's list, else the graph's theme nodes."""
    themes = dict(graph.graph.get("themes") or {})
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "theme":
            themes[node] = _label(graph, node)
    return themes


def _edges(
    graph: nx.MultiGraph, view: View, order: Mapping[str, int]
) -> list[tuple[str, str, str, int, Mapping[str, Any]]]:
    """Edges as ``(from, to, stance, index, data)``, sorted; ``index`` numbers parallel edges.

    An undirected edge runs from the node whose kind the view lists first (author before
    theme), so the page does not depend on the order edges were added in.
    """
    known = {s.name: i for i, s in enumerate(view.edges)}
    rank = {n: (order[kind], str(n)) for n, kind in graph.nodes(data="kind")}
    directed = graph.is_directed()
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if not directed and rank[v] < rank[u]:
            u, v = v, u
        stance = str(data.get("stance", key))
        if stance not in known:
            raise ValueError(
                f"edge {u} - {v} has stance {stance!r}; expected one of {', '.join(known)}"
            )
        edges.append((str(u), str(v), known[stance], u, v, stance, data))
    edges.sort(key=itemgetter(0, 1, 2))
    seen: dict[tuple[str, str], int] = defaultdict(int)
    numbered = []
    for _, _, _, u, v, stance, data in edges:
        numbered.append((u, v, stance, seen[u, v], data))
        seen[u, v] += 1
    return numbered


def _add_node(
    net: Network,
    graph: nx.MultiGraph,
    node_id: str,
    style: NodeStyle,
    positions: Mapping[str, tuple[float, float]],
) -> None:
    """Append one node through pyvis's ``Node`` (``add_node`` rescans the list on every call)."""
    data = graph.nodes[node_id]
    claims = int(data.get("claims") or 0)
    label = _label(graph, node_id)
    payload: dict[str, Any] = {
        "kind": style.kind,
        "label": label,
        "claims": claims,
        "detail": str(data.get("detail") or data.get("definition") or ""),
    }
    if "year" in data:
        payload["year"] = projections.publication_year(str(data["year"] or ""))
    if data.get("works"):
        payload["works"] = [
            {"title": str(w.get("title") or w.get("key") or ""), "year": str(w.get("year") or "")}
            for w in data["works"]
        ]
    options: dict[str, Any] = {"group": style.kind, "kg": payload}
    if style.shape == "box":
        options["font"] = {"size": round(min(24 + 2 * math.sqrt(claims), 40), 2)}
    else:
        options["size"] = round(min(10 + 4 * math.sqrt(claims), 40), 2)
    node = Node(node_id, style.shape, _wrap(label), **options)
    if node_id in positions:
        node.options["x"], node.options["y"] = positions[node_id]
    net.nodes.append(node.options)
    net.node_ids.append(node_id)
    net.node_map[node_id] = node.options


def _group(style: NodeStyle) -> dict[str, Any]:
    """vis-network options shared by every node of a kind (set once, not on each node)."""
    group: dict[str, Any] = {
        "shape": style.shape,
        "color": {
            "background": style.color,
            "border": style.border,
            "highlight": {"background": style.color, "border": "#111827"},
            "hover": {"background": style.color, "border": "#111827"},
        },
    }
    if style.shape == "box":
        group.update(font={"color": "#3d3000"}, margin=10, borderWidth=2, mass=2)
    else:
        group["font"] = {"size": 22, "color": "#1f2937", "strokeWidth": 5, "strokeColor": "#ffffff"}
    return group


def _wrap(label: str) -> str:
    """The label drawn on the map, broken into lines so long organisation names stay compact."""
    if len(label) <= LABEL_WIDTH:
        return label
    return "\n".join(textwrap.wrap(label, LABEL_WIDTH, break_long_words=False)) or label


@cache
def _edge_width(weight: int) -> float:
    """Line width for ``weight`` claims: grows with the square root so one edge cannot swamp."""
    return round(min(1 + 2 * math.sqrt(max(weight, 1)), 12), 2)


def _edge_options(
    styles: Mapping[str, EdgeStyle],
    u: str,
    v: str,
    stance_name: str,
    index: int,
    data: Mapping[str, Any],
    details: _Details,
    *,
    curved: bool,
) -> dict[str, Any]:
    style = styles[stance_name]
    edge_id = f"{u}|{v}|{style.name}"
    claims = details.add_edge(edge_id, data.get("claims") or [])
    weight = int(data.get("weight") or claims)
    stances = [s for s in _STANCE_NAMES if s in (data.get("stances") or [stance_name])]
    options: dict[str, Any] = {
        "id": edge_id,
        "width": _edge_width(weight),
        "color": style.color,
        "kg": {
            "stance": style.name,
            "weight": weight,
            "themes": sorted(map(str, data.get("themes") or [])),
            "stances": stances or _STANCE_NAMES,
            "years": list(data.get("years") or ()),
        },
    }
    if style.dashes:
        options["dashes"] = list(style.dashes)
    if data.get("guess"):
        _mark_guess(options)
    if curved:
        # Parallel edges (an author who both supports and disputes a theme) bend apart.
        options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * index}
    return Edge(u, v, **options).options


GUESS_LIGHTNESS = 0.7
"""How much lighter an edge whose themes kg guessed is drawn (``guess`` in its data,
:data:`kg.projections.network.GUESS_BELOW`): its colour this far toward white, whatever its
stance's colour or line. A plain colour, so the figures (SVG, PNG) draw it as the page does."""


def lighter(color: str) -> str:
    """``color`` (``#rrggbb``) :data:`GUESS_LIGHTNESS` of the way to white.

    >>> lighter("#2e9a48")
    '#c0e1c8'
    """
    channels = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(c + (255 - c) * GUESS_LIGHTNESS) for c in channels)
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _mark_guess(options: dict[str, Any]) -> None:
    """Draw an edge as a guess: lighter, and marked for the "Confirmed themes only" control."""
    options["color"] = lighter(options["color"])
    options["kg"]["guess"] = True


def _guess_control() -> str:
    """The control that hides the edges resting on guessed themes, and its legend line."""
    line = _line(lighter("#6b7280"), 4)
    return (
        '<label class="kg-check" title="Hide the lines whose themes kg only guessed">'
        '<input type="checkbox" id="kg-confirmed">Confirmed themes only</label>'
        f'<p class="kg-help">{line}lighter: a theme kg guessed (score below '
        f"{GUESS_BELOW}); <code>kg suggest</code> to confirm it.</p>"
    )


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _banner(view: View, shown: tuple[int, int], whole: tuple[int, int] | None) -> str:
    """What the header says when the view draws part of the graph (``shown`` of its nodes
    and edges), and how to see it all: "Showing the 1,500 most-cited of 8,632 authors and
    themes, and 4,500 of 64,322 links. For the whole graph: kg view map --all" """
    if whole is None or (whole[0] <= shown[0] and whole[1] <= shown[1]):
        return ""
    nouns = [f"{style.noun}s" for style in view.nodes]
    kinds = nouns[0] if len(nouns) == 1 else f"{', '.join(nouns[:-1])} and {nouns[-1]}"
    nodes = f"the {shown[0]:,} most-cited of" if whole[0] > shown[0] else "all"
    return (
        f"Showing {nodes} {whole[0]:,} {kinds}, and {shown[1]:,} of {_plural(whole[1], 'link')}. "
        f"For the whole graph: kg view {view.name} --all"
    )


def _anchors(graph: nx.MultiGraph, nodes: Sequence[str], view: View) -> list[str]:
    """The nodes a large layout places first, on a circle: the view's anchor kinds, else the
    busiest nodes (about the square root of their number)."""
    if view.anchors:
        return [n for n in nodes if graph.nodes[n]["kind"] in view.anchors]
    count = max(3, round(math.sqrt(len(nodes))))
    busiest = sorted(nodes, key=lambda n: (-int(graph.nodes[n].get("claims") or 0), str(n)))
    chosen = set(busiest[:count])
    return [n for n in nodes if n in chosen]


def _fixed_positions(
    graph: nx.MultiGraph, nodes: Sequence[str], anchors: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """Positions for a large map, computed in linear time with no randomness.

    The anchors sit evenly on a circle; every other node, taken breadth-first from them,
    sits at the claim-weighted centre of its neighbours placed so far (a node hanging off a
    single anchor just outside the circle), and nodes that share a spot are spread around it
    in a sunflower pattern. networkx's spring_layout would take minutes at a few thousand
    nodes (and needs numpy); this takes a fraction of a second and keeps each node beside
    the ones it is linked to.
    """
    radius = 400 + 60 * math.sqrt(max(len(nodes) - len(anchors), 1))
    positions: dict[str, tuple[float, float]] = {}
    crowds: dict[tuple[float, float], int] = defaultdict(int)
    golden = math.pi * (3 - math.sqrt(5))

    def place(node: str, spot: tuple[float, float]) -> None:
        k = crowds[spot]
        crowds[spot] += 1
        r = 45 * math.sqrt(k)
        position = (
            round(spot[0] + r * math.cos(k * golden), 1),
            round(spot[1] + r * math.sin(k * golden), 1),
        )
        positions[node] = position
        if position != spot:
            crowds[position] += 1  # a node whose spot is this one's goes beside it

    for i, anchor in enumerate(anchors):
        angle = 2 * math.pi * i / len(anchors)
        place(anchor, (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1)))
    anchor_set = set(anchors)
    rank = {node: i for i, node in enumerate(nodes)}
    adjacency = _adjacency(graph)
    order: list[str] = []
    queued: set[str] = set()

    def visit(start: list[str]) -> None:
        queue = deque(start)
        queued.update(start)
        while queue:
            current = queue.popleft()
            order.append(current)
            for neighbour in sorted(set().union(*adjacency[current]), key=rank.__getitem__):
                if neighbour not in queued:
                    queued.add(neighbour)
                    queue.append(neighbour)

    # Breadth-first from the anchors, then from the first node of each part they miss.
    visit(list(anchors))
    for node in nodes:
        if node not in queued:
            visit([node])
    for node in order:
        if node in positions:
            continue
        weights: dict[str, float] = defaultdict(float)
        for side in adjacency[node]:
            for other, keyed in side.items():
                if other in positions:
                    for data in keyed.values():
                        weights[other] += float(data.get("weight") or 1)
        total = sum(weights.values())
        if not total:
            place(node, (0.0, 0.0))
            continue
        x = sum(positions[n][0] * w for n, w in weights.items()) / total
        y = sum(positions[n][1] * w for n, w in weights.items()) / total
        scale = 1.25 if len(weights) == 1 and next(iter(weights)) in anchor_set else 1.0
        place(node, (round(x * scale, 1), round(y * scale, 1)))
    return positions


def _adjacency(graph: nx.MultiGraph) -> dict[str, tuple[dict[str, dict[Any, Any]], ...]]:
    """Each node's neighbours with the edges to each (key to data), in the graph's order: in
    a directed graph its predecessors, then its successors. Read once, as networkx's own
    dicts: its views, edge by edge, were most of the time of the layout."""
    sides = [dict(graph.adjacency())]
    if graph.is_directed():
        sides.insert(0, dict(graph.reverse(copy=False).adjacency()))
    return {node: tuple(side[node] for side in sides) for node in graph}


def _options(net: Network, *, large: bool) -> dict[str, Any]:
    """vis-network options: pyvis's option objects, plus what pyvis has no setter for."""
    net.inherit_edge_colors(False)
    # Positions come from Python (_place_nodes): the browser runs no physics, so the page,
    # the figure kg view --svg writes and a saved layout all show the same map.
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False
    if large:
        net.toggle_hide_edges_on_drag(True)
        net.options.interaction.hideEdgesOnZoom = True
    options: dict[str, Any] = json.loads(net.options.to_json())
    options["layout"] = {"randomSeed": 7, "improvedLayout": False}
    options["interaction"].update(
        {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "multiselect": False}
    )
    if net.directed:
        options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    return options


@cache
def _asset(name: str) -> str:
    """The text of a script or stylesheet that ships beside this module (``views.js``,
    ``views.css``, ``views-index.css``), as the page holds it: its element's text starts on a
    new line. Cached, so the CSP hash of the script is taken once."""
    return "\n" + (resources.files("kg.outputs") / name).read_text(encoding="utf-8")


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
    """JSON that cannot end or alter the ``<script>`` element it is pasted into: compact,
    keys sorted, characters as they are but ``<``, ``>``, ``&``, U+2028 and U+2029.

    Written by orjson: the same text as ``json.dumps(value, ensure_ascii=False,
    sort_keys=True, separators=(",", ":"))`` for what the pages hold (strings, whole
    numbers, and floats rounded to tenths or hundredths, which both write alike), five times
    as fast (the four views of a 10,000-work review hold 17 MB of it, a tenth of a rebuild).
    A value orjson refuses (a key that is not a string, an integer past 64 bits, a named
    tuple) is written by ``json``.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    for char in "<>&\u2028\u2029":
        text = text.replace(char.encode(), f"\\u{ord(char):04x}".encode())
    return text.decode()


@cache
def _sha256(text: str) -> str:
    """The CSP hash of an inline script; kept, since the page's scripts are the same each time."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _swatch(style: NodeStyle) -> str:
    """A small SVG of a node kind for the legend."""
    paint = f'fill="{style.color}" stroke="{style.border}"'
    shapes = {
        "box": f'<rect x="3" y="3" width="28" height="14" rx="4" {paint} stroke-width="2"/>',
        "diamond": f'<path d="M17 2 L25 10 L17 18 L9 10 Z" {paint}/>',
        "square": f'<rect x="11" y="4" width="12" height="12" {paint}/>',
    }
    shape = shapes.get(style.shape, f'<circle cx="17" cy="10" r="7" {paint}/>')
    return f'<svg width="34" height="20" aria-hidden="true">{shape}</svg>'


def _line(color: str, width: float, dashes: tuple[int, ...] = ()) -> str:
    dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
    return (
        '<svg width="34" height="20" aria-hidden="true"><line x1="2" y1="10" x2="32" y2="10" '
        f'stroke="{color}" stroke-width="{width}"{dash}/></svg>'
    )


def _legend(view: View) -> str:
    """The legend: node kinds, edge colours and what line width means, drawn in SVG."""
    rows = [f"<li>{_swatch(style)}{html.escape(style.legend)}</li>" for style in view.nodes]
    for edge in view.edges:
        rows.append(
            f'<li title="{html.escape(edge.meaning)}">{_line(edge.color, 4, edge.dashes)}'
            f"{edge.name}</li>"
        )
    for weight in (1, 9):
        rows.append(f"<li>{_line('#6b7280', _edge_width(weight))}{_plural(weight, 'claim')}</li>")
    if view.cluster is not None:
        rows.append(_cluster_legend(view))
    return '<ul class="kg-legend">' + "".join(rows) + "</ul>"


def _stance_boxes(view: View) -> str:
    def swatch(stance: EdgeStyle) -> str:
        if stance not in view.edges:
            return ""
        return f'<span class="kg-swatch" style="background:{stance.color}"></span>'

    return "".join(
        f'<label class="kg-check" title="{html.escape(s.meaning)}"><input type="checkbox" '
        f'name="stance" value="{s.name}" checked>{swatch(s)}{s.name}</label>'
        for s in STANCES
    )


def _year_span(edges: Iterable[Mapping[str, Any]]) -> list[int]:
    """The first and last year of the works the edges' claims cite, or [] if none has one."""
    years = [year for edge in edges for year in edge["kg"]["years"]]
    return [min(years), max(years)] if years else []


YEAR_NOTES = {
    "map": "Years of the cited works: an author stays while a work of theirs in range is "
    "cited; the themes stay.",
    "citations": "Years of the cited works: the citing text stays, with its claims citing a "
    "work in range; a work with no year is hidden.",
    "co-citation": "A work with no year is hidden while a year is set.",
    "themes": "Years of the cited works: a line stays while one of its claims cites a work in "
    "range.",
    "timeline": "Years of the cited works; the n.d. column is hidden while a year is set.",
    "dated": "Years of the cited works.",
}
"""What the year filter keeps, by view, said under it: it filters the cited works, so what
has no year of its own (a citing text, an author, a theme) stays while it links to one in
range. ("dated": the timeline of a review whose cited works all have a year.)"""


def year_range(first: int, last: int, *, note: str = "") -> str:
    """The filter by year of publication: two number inputs, empty (no filter) at first, and
    ``note`` under them (:data:`YEAR_NOTES`)."""

    def box(ident: str, what: str, placeholder: int) -> str:
        return (
            f'<input id="{ident}" class="kg-year" type="number" min="{first}" max="{last}" '
            f'step="1" placeholder="{placeholder}" aria-label="{what}" inputmode="numeric">'
        )

    return (
        '<fieldset class="kg-years"><legend class="kg-label">Works published</legend>'
        f'{box("kg-year-from", "From year", first)}<span class="kg-year-dash">to</span>'
        f"{box('kg-year-to', 'To year', last)}"
        + (f'<p class="kg-year-note">{html.escape(note)}</p>' if note else "")
        + "</fieldset>"
    )


def _csp(scripts: Iterable[str]) -> str:
    """A policy that allows no request at all, and only the given inline scripts."""
    hashes = " ".join(f"'{_sha256(s)}'" for s in scripts)
    script_src = f"script-src {hashes}" if hashes else "script-src 'none'"
    return "; ".join(
        ["default-src 'none'", script_src, "style-src 'unsafe-inline'", "img-src data:"]
    )


def _view_links(current: View | Page) -> str:
    links = ['<a href="index.html">All views</a>']
    for view in (*VIEWS, TIMELINE):
        name = html.escape(view.heading)
        if view is current:
            links.append(f'<span aria-current="page">{name}</span>')
        else:
            links.append(f'<a href="{html.escape(view.filename)}">{name}</a>')
    return '<nav class="kg-nav" aria-label="Views">' + " · ".join(links) + "</nav>"


def _searched(view: View) -> str:
    """ "an author or theme": what the search box finds, named after the view's ends."""
    nouns = [view.nodes[0].noun] + ([view.nodes[-1].noun] if len(view.nodes) > 1 else [])
    article = "an" if nouns[0][0] in "aeiou" else "a"
    return html.escape(f"{article} {' or '.join(nouns)}")


def _page(
    *,
    title: str,
    view: View,
    counts: str,
    banner: str,
    node_count: int,
    edge_count: int,
    data: Mapping[str, Any],
    details: Mapping[str, Any],
) -> str:
    vis_script, vis_style = _vis_assets()
    script, style = _asset("views.js"), _asset("views.css")
    figure_script = _asset("figure.js")
    extra = _asset("views-clusters.js") if "clusters" in data else ""
    helpers = _asset("dom.js")
    csp = _csp([vis_script, helpers, script, figure_script, *([extra] if extra else [])])
    theme_filter = (
        '<label class="kg-label" for="kg-theme">Theme</label>'
        '<select id="kg-theme"><option value="">All themes</option></select>'
    )
    parts: Iterable[str] = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{html.escape(title)} · {view.heading}</title>\n",
        f"<style>\n{vis_style}\n</style>\n<style>{style}</style>\n",
        f"<script>{vis_script}</script>\n</head>\n<body>\n",
        '<header class="kg-header">',
        f'<h1>{html.escape(title)}</h1><p class="kg-counts">{html.escape(counts)}</p>',
        f'<p class="kg-banner" role="note">{html.escape(banner)}</p>' if banner else "",
        f"{_view_links(view)}</header>\n",
        '<main class="kg-main">\n<aside class="kg-controls" aria-label="Search and filters">',
        f'<label class="kg-label" for="kg-search">Find {_searched(view)}</label>',
        '<input id="kg-search" type="search" list="kg-labels" autocomplete="off" '
        'placeholder="Name, then Enter">',
        '<datalist id="kg-labels"></datalist><p id="kg-search-status" class="kg-status"></p>',
        theme_filter if data["themes"] else "",
        '<fieldset class="kg-stances"><legend class="kg-label">Stance</legend>'
        f"{_stance_boxes(view)}</fieldset>",
        _guess_control() if data.get("guesses") else "",
        year_range(*data["years"], note=YEAR_NOTES.get(view.name, "")) if data["years"] else "",
        '<button id="kg-reset" type="button">Show everything</button>',
        '<p id="kg-filter-status" class="kg-status"></p>',
        f'<h2 class="kg-label">Legend</h2>{_legend(view)}',
        _figure_controls(),
        '<p class="kg-help">Hover for a summary, click for every claim. Drag to pan, scroll to '
        "zoom.</p></aside>\n",
        f'<div id="kg-network" data-kg-nodes="{node_count}" data-kg-edges="{edge_count}" '
        f'role="img" aria-label="{html.escape(view.heading)}"></div>\n',
        '<aside id="kg-panel" class="kg-panel" aria-live="polite"><div id="kg-details">',
        "</div></aside>\n</main>\n",
        f'<script type="application/json" id="kg-data">{_script_json(data)}</script>\n',
        f"<script>{helpers}</script>\n",
        f"<script>{script}</script>\n",
        f"<script>{figure_script}</script>\n",
        f"<script>{extra}</script>\n" if extra else "",
        f'<script type="application/json" id="kg-details-data">{_script_json(details)}</script>\n',
        "</body>\n</html>\n",
    )
    return "".join(parts)


def _figure_controls() -> str:
    """The buttons of ``figure.js``: the map as SVG or PNG, and its layout saved."""
    return (
        '<h2 class="kg-label">Figure and layout</h2><div class="kg-figure">'
        '<button id="kg-svg" type="button">Download SVG</button>'
        '<button id="kg-png" type="button">Download PNG</button>'
        '<label class="kg-width">PNG width <input id="kg-png-width" type="number" min="100" '
        'max="20000" step="100" placeholder="2x"> px</label>'
        '<button id="kg-save-layout" type="button">Save layout</button></div>'
        '<p id="kg-layout-status" class="kg-status"></p>'
    )


def _index_counts(written: ViewFile) -> str:
    """ "1,500 of 8,632 nodes · 4,500 of 64,322 edges" for a cut view, else the plain counts."""
    if isinstance(written.view, Page):
        return _plural(written.nodes, "mark")
    if not written.cut:
        return f"{_plural(written.nodes, 'node')} · {_plural(written.edges, 'edge')}"
    return (
        f"{written.nodes:,} of {_plural(written.total_nodes, 'node')} · "
        f"{written.edges:,} of {_plural(written.total_edges, 'edge')}"
    )


def _index_whole(written: ViewFile) -> str:
    if not written.cut:
        return ""
    return (
        f'<p class="kg-count">The most-cited part; for the whole graph: '
        f"<code>kg view {html.escape(written.view.name)} --all</code></p>"
    )


def render_index(title: str, views: Sequence[ViewFile]) -> str:
    """The page linking the views, with what each shows and its node and edge counts."""
    rows = []
    for written in views:
        view = written.view
        rows.append(
            f'<li><a class="kg-view" href="{html.escape(view.filename)}">'
            f"{html.escape(view.heading.capitalize())}</a>"
            f'<p>{html.escape(view.description)}</p><p class="kg-count" '
            f'data-kg-nodes="{written.nodes}" data-kg-edges="{written.edges}" '
            f'data-kg-total-nodes="{written.total_nodes}" '
            f'data-kg-total-edges="{written.total_edges}">{_index_counts(written)}'
            f"{' · ' + html.escape(written.counts) if written.counts else ''}</p>"
            f"{_index_whole(written)}</li>"
        )
    return "".join(
        (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{_csp([])}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{html.escape(title)} · views</title>\n",
            f"<style>{_asset('views-index.css')}</style>\n",
            "</head>\n<body>\n<main>\n",
            f"<h1>{html.escape(title)}</h1>\n<p>Interactive views of the review's citation "
            "graph, each one file that works offline. The summary is in "
            '<a href="review.md">review.md</a>; the graph in '
            '<a href="graph.trig">graph.trig</a>.</p>\n',
            f'<ul class="kg-views">{"".join(rows)}</ul>\n</main>\n</body>\n</html>\n',
        )
    )


def _room(graph: nx.MultiGraph) -> Callable[[str], float]:
    """How much room a node takes in a clustered layout: a theme's box its label's width,
    any other node a little more than its dot."""

    def room(node: str) -> float:
        data = graph.nodes[node]
        if data.get("kind") == "theme":
            longest = max(map(len, _wrap(_label(graph, node)).split("\n")))
            claims = int(data.get("claims") or 0)
            return 40 + 0.6 * longest * min(24 + 2 * math.sqrt(claims), 40)
        return 60.0

    return room


DENSE_EDGES = 1000
"""A clustered view with more edges than this is laid out cluster by cluster, however few
its nodes (200 themes with 4,500 lines are a hairball in any force layout)."""
LABEL_THRESHOLD = 9
"""In a large clustered view, a label is drawn once it would be this many pixels high: the
labels of the most relied-on nodes, drawn largest, appear first as one zooms in."""


def _clustered(
    nodes: list[dict[str, Any]], clustering: Clustering, layout: clusters.Layout | None
) -> dict[str, Any]:
    """Colour ``nodes`` (vis-network's options) by cluster, through a group for each kind
    and cluster (``clusterGroups``), an author (in the map) keeping its own; in a large view
    (``layout``) size the labels by claims, against the most of their kind. What the page's
    script needs of the clusters: each cluster drawn, with its members drawn and, in a large
    view, its region."""
    drawn = {node["id"] for node in nodes}
    most: dict[str, int] = defaultdict(lambda: 1)
    for node in nodes:
        kind = node["kg"]["kind"]
        most[kind] = max(most[kind], int(node["kg"]["claims"]))
    groups: dict[str, dict[str, Any]] = {}
    for node in nodes:
        cluster = clustering.of(node["id"])
        if node["kg"]["kind"] != "author":
            # One group per kind and cluster: vis-network reads a group's colours once, where
            # colours on each of 5,000 nodes are copied and parsed node by node.
            group = f"{node['group']}:{cluster.number if cluster else 0}"
            if group not in groups:
                fill = cluster.color if cluster else clusters.OTHER
                groups[group] = {
                    "base": node["group"], "color": {
                        "background": fill, "border": cluster.border if cluster else "#8a8a8a",
                        "highlight": {"background": fill, "border": "#111827"},
                        "hover": {"background": fill, "border": "#111827"},
                    },
                }  # fmt: skip
            node["group"] = group
        if layout is not None and node.get("shape") != "box":
            share = math.sqrt(int(node["kg"]["claims"]) / most[node["kg"]["kind"]])
            node["font"] = {"size": round(12 + 30 * share, 1)}
    listed = []
    for cluster in clustering.clusters:
        members = [node for node in cluster.members if node in drawn]
        if not members:
            continue
        entry: dict[str, Any] = {
            "number": cluster.number, "label": cluster.label, "color": cluster.color,
            "border": cluster.border, "members": members, "size": len(cluster.members),
        }  # fmt: skip
        if layout is not None and cluster.number in layout.regions:
            entry["region"] = list(layout.regions[cluster.number])
        listed.append(entry)
    return {"clusters": listed, "clusterNoun": clustering.noun, "clusterGroups": groups}


def _cluster_legend(view: View) -> str:
    """The legend's line for a clustered view: fill colour is the cluster; grey, the clusters
    past the palette and the nodes in none."""
    cells = "".join(
        f'<rect x="{2 + 8 * i}" y="4" width="8" height="12" fill="{color}"/>'
        for i, color in enumerate(clusters.PALETTE[:4])
    )
    return (
        f'<li class="kg-legend-clusters"><svg width="34" height="20" aria-hidden="true">{cells}'
        f"</svg>{html.escape(_cluster_fill(view, ' (listed right)'))}</li>"
    )


def _cluster_fill(view: View, where: str) -> str:
    """The legend's line on what a clustered view's fill colour means, the page's and the
    figure's alike; ``where`` says where the clusters are named."""
    what = "themes' " if view.cluster is clusters.author_clusters else ""
    return f"Fill: the {what}cluster{where}; grey: a smaller cluster or none"


def _fade_between(edges: list[dict[str, Any]], clustering: Clustering) -> None:
    """In a large clustered view, draw the lines between two clusters faint, so each
    cluster reads as a whole; the line keeps its colour (``kg.color``) for the legend."""
    number = clustering.number
    for edge in edges:
        ends = number.get(edge["from"]), number.get(edge["to"])
        color = edge.get("color")
        if ends[0] != ends[1] and isinstance(color, str) and color.startswith("#"):
            red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
            edge["kg"]["color"] = color
            edge["color"] = f"rgba({red},{green},{blue},0.16)"
