"""Clusters of the co-citation and theme co-occurrence networks, named as VOSviewer names
them, and positions that draw each cluster as a region of its own.

A network is clustered with networkx's Louvain method (:func:`networkx.community.
louvain_communities`, taken step for step by :func:`kg.projections.louvain.
louvain_communities`, which finds the same clusters faster) on its whole weighted graph
(:func:`kg.projections.network.weighted_network`), with a fixed seed and the nodes added in
id order, so the same review always gives the same clusters, numbered from 1, largest
first. Leiden would guarantee connected clusters, but networkx has it only through a
separate backend, and leidenalg needs python-igraph: Louvain keeps the default install
light, and at a review's scale (a few thousand nodes) it finds the same kind of partition.

A node linked to nothing (a work never cited beside another) is in no cluster. Each
cluster is named by its heads: the themes tagged on the most claims (theme network), or
the works with the most co-citations inside the cluster (co-citation network).

The author-theme map's themes are grouped by the theme network's clusters, so one cluster
is one cluster in the map, the theme view, ``review.md`` and the exports; each author joins
the cluster of the themes their claims weigh most on (:func:`map_clusters`).

>>> clustering = theme_clusters(data)  # doctest: +SKIP
>>> clustering.clusters[0].label  # doctest: +SKIP
'Hook for change · Identity · Hope'
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx

from kg.projections.louvain import louvain_communities
from kg.projections.network import (
    ReviewData,
    cocitation_network,
    theme_network,
    weighted_network,
)

__all__ = [
    "CLUSTER_SEED",
    "PALETTE",
    "Cluster",
    "Clustering",
    "Layout",
    "author_clusters",
    "cluster_layout",
    "cocitation_clusters",
    "find_clusters",
    "map_clusters",
    "theme_clusters",
]

CLUSTER_SEED = 1
"""The Louvain seed: fixed, so a rebuild finds the same clusters."""
PALETTE = (
    "#77AADD", "#EE8866", "#EEDD88", "#FFAABB", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00",
)  # fmt: skip
"""Paul Tol's "light" scheme: colour-blind safe, light enough for black labels, and it
prints. Clusters past the eighth share :data:`OTHER`."""
OTHER = "#DDDDDD"
"""The colour of the clusters past the palette's, and of nodes in no cluster."""
HEADS = {"theme": 2, "work": 2}
"""How many heads name a cluster, by the kind of node it groups."""


@dataclass(frozen=True)
class Cluster:
    """A cluster: its number (1 is the largest), its name, its members (node ids, the most
    central first) and the labels of its heads (the first members), and its colour."""

    number: int
    label: str
    members: tuple[str, ...]
    heads: tuple[str, ...]
    color: str

    @property
    def border(self) -> str:
        """A darker shade of :attr:`color`, for borders and lines."""
        return _darker(self.color)


@dataclass(frozen=True)
class Clustering:
    """The clusters of a network, in number order, and each clustered node's cluster."""

    clusters: tuple[Cluster, ...]
    noun: str = "work"
    """What the clusters group ("work", "theme"), for the pages to say."""
    number: Mapping[str, int] = field(default_factory=dict)
    """Each clustered node's cluster number; a node in no cluster is not here."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Each clustered node's label."""

    def of(self, node: str) -> Cluster | None:
        """The cluster of ``node``, or None."""
        number = self.number.get(node)
        return self.clusters[number - 1] if number else None


def find_clusters(
    graph: nx.Graph, *, seed: int = CLUSTER_SEED, ordered: bool = False
) -> Clustering:
    """The Louvain clusters of ``graph``, a simple weighted graph whose nodes have a
    ``kind``, ``label`` and ``claims`` (:func:`kg.projections.network.weighted_network`).

    Clusters are numbered largest first (ties by their first member's id); a cluster of
    one node is none. Members go most central first: themes by claims, other nodes by
    their link strength within the cluster, then claims, label and id. ``ordered``: the
    graph's nodes and edges were added sorted by id, as :func:`weighted_network` adds
    them (it is then not copied in that order first: 0.05 s of a rebuild at 10,000 works).

    >>> g = nx.Graph()
    >>> for n in "abcdef":
    ...     g.add_node(n, kind="work", label=n.upper(), claims=1)
    >>> g.add_weighted_edges_from([("a", "b", 3), ("b", "c", 1), ("a", "c", 1),
    ...                            ("d", "e", 2), ("c", "d", 1)])
    >>> [(c.number, c.members) for c in find_clusters(g).clusters]
    [(1, ('a', 'b', 'c')), (2, ('d', 'e'))]
    """
    if not ordered:
        graph = _ordered(graph)
    found = louvain_communities(graph, seed=seed)
    groups = [sorted(group, key=str) for group in found if len(group) > 1]
    groups.sort(key=lambda group: (-len(group), str(group[0])))
    clusters, number = [], {}
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    noun = "theme" if kinds == {"theme"} else "work"
    for index, group in enumerate(groups, start=1):
        members = _ranked(graph, set(group))
        heads = tuple(str(graph.nodes[n].get("label") or n) for n in members[: HEADS[noun]])
        color = PALETTE[index - 1] if index <= len(PALETTE) else OTHER
        clusters.append(Cluster(index, " · ".join(heads), tuple(members), heads, color))
        number.update(dict.fromkeys(members, index))
    labels = {node: str(graph.nodes[node].get("label") or node) for node in number}
    return Clustering(tuple(clusters), noun, number, labels)


def _ordered(graph: nx.Graph) -> nx.Graph:
    """``graph`` with its nodes added sorted by id, then its edges (each with its ends
    sorted by id, its weight a number) sorted by their ends: as :func:`weighted_network`
    makes it, so that Louvain visits any graph in one order."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    ordered.add_weighted_edges_from(
        sorted(
            ((*sorted((u, v), key=str), float(w or 0)) for u, v, w in graph.edges(data="weight")),
            key=lambda edge: (str(edge[0]), str(edge[1])),
        )
    )
    return ordered


def _ranked(graph: nx.Graph, group: set[Any]) -> list[Any]:
    """The members of ``group``, most central first (:func:`find_clusters`)."""

    def key(node: Any) -> tuple[float, float, str, str]:
        data = graph.nodes[node]
        claims = float(data.get("claims") or 0)
        if data.get("kind") == "theme":
            strength = claims
        else:
            strength = sum(w for other, w in _weights(graph, node) if other in group)
        return (-strength, -claims, str(data.get("label") or ""), str(node))

    return sorted(group, key=key)


def _weights(graph: nx.Graph, node: Any) -> Iterable[tuple[Any, float]]:
    return ((other, float(data.get("weight") or 0)) for other, data in graph[node].items())


_MADE: WeakKeyDictionary[ReviewData, dict[str, Clustering]] = WeakKeyDictionary()


def _once(name: str, data: ReviewData, make: Callable[[], Clustering]) -> Clustering:
    """``make()``, kept for ``data``: the views, the summary and the exports of one build
    ask for the same clusters."""
    made = _MADE.setdefault(data, {})
    if name not in made:
        made[name] = make()
    return made[name]


def theme_clusters(data: ReviewData, graph: nx.MultiGraph | None = None) -> Clustering:
    """The clusters of the review's theme co-occurrence network, named by their themes with
    the most claims. ``graph`` (the part a view draws) is ignored: the clusters are the
    whole network's."""
    return _once(
        "themes", data, lambda: find_clusters(weighted_network(theme_network, data), ordered=True)
    )


def cocitation_clusters(data: ReviewData, graph: nx.MultiGraph | None = None) -> Clustering:
    """The clusters of the review's co-citation network, named by their most central works
    (the most co-citations inside the cluster). ``graph`` is ignored, as for
    :func:`theme_clusters`."""
    return _once(
        "co-citation",
        data,
        lambda: find_clusters(weighted_network(cocitation_network, data), ordered=True),
    )


def author_clusters(data: ReviewData, graph: nx.MultiGraph) -> Clustering:
    """The author-theme map ``graph``'s clusters: the review's theme clusters
    (:func:`theme_clusters`), each with the authors :func:`map_clusters` gives it."""
    return map_clusters(graph, theme_clusters(data))


def map_clusters(graph: nx.MultiGraph, themes: Clustering) -> Clustering:
    """The theme clusters ``themes`` with the author-theme map ``graph``'s authors added: each
    author joins the cluster whose themes the author's edges weigh most on (ties to the
    lower number). Each cluster lists its themes, then its authors by claims."""
    joined: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for node, kind in graph.nodes(data="kind"):
        if kind == "theme":
            continue
        weights: dict[int, int] = defaultdict(int)
        for _, other, weight in graph.edges(node, data="weight"):
            theirs = themes.number.get(other)
            if theirs:
                weights[theirs] += int(weight or 1)
        if weights:
            best = min(weights, key=lambda n: (-weights[n], n))
            claims = int(graph.nodes[node].get("claims") or 0)
            joined[best].append((-claims, str(node)))
    clusters, number = [], dict(themes.number)
    for cluster in themes.clusters:
        authors = tuple(node for _, node in sorted(joined[cluster.number]))
        clusters.append(
            Cluster(
                cluster.number, cluster.label, cluster.members + authors, cluster.heads,
                cluster.color,
            )
        )  # fmt: skip
        number.update(dict.fromkeys(authors, cluster.number))
    labels = dict(themes.labels)
    labels.update(
        (node, str(graph.nodes[node].get("label") or node)) for node in number if node in graph
    )
    return Clustering(tuple(clusters), themes.noun, number, labels)


@dataclass(frozen=True)
class Layout:
    """Positions that draw each cluster as a region: each node's (x, y), and each cluster's
    centre and radius by number (0: the nodes in no cluster)."""

    positions: dict[str, tuple[float, float]]
    regions: dict[int, tuple[float, float, float]]


GOLDEN = math.pi * (3 - math.sqrt(5))


def cluster_layout(
    nodes: Sequence[str],
    clustering: Clustering,
    room: Callable[[str], float] = lambda node: 40.0,
    *,
    gap: float = 120.0,
) -> Layout:
    """Positions for ``nodes``, computed in little more than linear time with no randomness:
    each cluster a disc of its own, its members in a sunflower from its centre outwards in
    their order (the most central at the centre), each given a square of side ``room(node)``;
    the discs, largest cluster first, packed along a spiral from the middle with ``gap``
    between them; the nodes in no cluster together in a last disc, by id. The order of
    ``nodes`` does not matter.

    >>> c = Clustering((Cluster(1, "A", ("a", "b"), ("A",), PALETTE[0]),), "work",
    ...                {"a": 1, "b": 1})
    >>> layout = cluster_layout(["a", "b", "z"], c)
    >>> layout.positions["a"], sorted(layout.regions)
    ((0.0, 0.0), [0, 1])
    """
    present = set(nodes)
    groups: list[tuple[int, list[str]]] = []
    for cluster in clustering.clusters:
        members = [node for node in cluster.members if node in present]
        if members:
            groups.append((cluster.number, members))
    loose = sorted((node for node in nodes if node not in clustering.number), key=str)
    if loose:
        groups.append((0, loose))
    discs = []
    for number, members in groups:
        spots, radius = _sunflower(members, room)
        discs.append((number, spots, radius))
    order = sorted(range(len(discs)), key=lambda i: (-discs[i][2], discs[i][0]))
    centres: dict[int, tuple[float, float, float]] = {}
    placed: list[tuple[float, float, float]] = []
    for index in order:
        number, _, radius = discs[index]
        x, y = _free_spot(placed, radius, gap)
        placed.append((x, y, radius))
        centres[number] = (x, y, radius)
    positions = {}
    for number, spots, _ in discs:
        cx, cy, _ = centres[number]
        for node, (dx, dy) in spots.items():
            positions[node] = (round(cx + dx, 1), round(cy + dy, 1))
    regions = {n: (round(x, 1), round(y, 1), round(r, 1)) for n, (x, y, r) in centres.items()}
    return Layout(positions, dict(sorted(regions.items())))


def _sunflower(
    members: Sequence[str], room: Callable[[str], float]
) -> tuple[dict[str, tuple[float, float]], float]:
    """``members`` in a sunflower around (0, 0), each with its square of room, and the
    radius of the disc they fill."""
    spots = {}
    area = 0.0
    radius = 0.0
    for k, node in enumerate(members):
        side = room(node)
        r = 0.0 if k == 0 else math.sqrt((area + side * side / 2) / math.pi)
        area += side * side
        spots[node] = (r * math.cos(k * GOLDEN), r * math.sin(k * GOLDEN))
        radius = max(radius, r + side / 2)
    return spots, radius


def _free_spot(
    placed: Sequence[tuple[float, float, float]], radius: float, gap: float
) -> tuple[float, float]:
    """The first point along a spiral from (0, 0) where a disc of ``radius`` overlaps none
    of the ``placed`` discs (x, y, radius), ``gap`` apart."""
    if not placed:
        return 0.0, 0.0
    step = max(radius / 4, 10.0)
    turn = 0.0
    # The disc that blocked the last point is asked first: the spiral's next point is most
    # often blocked by it too (the same answer, found without asking all the others).
    blocker = placed[0]
    while True:
        distance = step * turn / (2 * math.pi) * 2
        x, y = distance * math.cos(turn), distance * math.sin(turn)
        px, py, pr = blocker
        if math.hypot(x - px, y - py) >= radius + pr + gap:
            for disc in placed:
                px, py, pr = disc
                if math.hypot(x - px, y - py) < radius + pr + gap:
                    blocker = disc
                    break
            else:
                return x, y
        turn += max(0.05, min(0.5, step / max(distance, 1.0)))


def _darker(color: str, factor: float = 0.55) -> str:
    """``color`` (``#rrggbb``) with each channel scaled by ``factor``."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (red, green, blue)))
