"""Clusters (kg.projections.clusters) on the bundled seed review and on a review built from the
real PDFs in ../shared/corpora/pdfs: deterministic, named by their heads, in the views, the
summary and the exports; and in real Chromium, listed in the side panel, a click selecting
the cluster's nodes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.build.pipeline import build_review
from kg.cli import main
from kg.outputs.export import CLUSTER_COLUMNS, ExportFormat, export_review
from kg.outputs.review import CLUSTERS_LISTED
from kg.outputs.views import find_view, render_view
from kg.projections.clusters import (
    PALETTE,
    Clustering,
    author_clusters,
    cluster_layout,
    cocitation_clusters,
    find_clusters,
    theme_clusters,
)
from kg.projections.louvain import louvain_communities
from kg.projections.network import (
    ReviewData,
    author_theme_network,
    cocitation_network,
    theme_network,
    weighted_network,
)
from kg.store.embedded import open_store

from .conftest import SHARED, requires_shared, write_config
from .test_browser import browser, visit  # noqa: F401  (fixtures)
from .test_query_shapes import synthetic_store  # noqa: F401  (fixture)

PDFS = SHARED / "corpora" / "pdfs"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A review made by ``kg init --pdfs`` from the eight real articles, built: its kg.toml."""
    if not PDFS.is_dir():
        pytest.skip("../shared/corpora/pdfs is not beside this clone")
    folder = tmp_path_factory.mktemp("corpus") / "review"
    result = CliRunner().invoke(main, ["init", str(folder), "--pdfs", str(PDFS)])
    assert result.exit_code == 0, result.output
    build_review(folder / "kg.toml")
    return folder / "kg.toml"


def _check_clusters(graph: nx.Graph, clustering: Clustering) -> None:
    """What any clustering of ``graph`` must be: disjoint clusters of two or more linked
    nodes, largest first, each named by its most central members, a partition better than
    none (modularity above zero)."""
    seen: set[str] = set()
    sizes = [len(c.members) for c in clustering.clusters]
    assert sizes == sorted(sizes, reverse=True) and all(size > 1 for size in sizes)
    for number, cluster in enumerate(clustering.clusters, start=1):
        assert cluster.number == number
        members = set(cluster.members)
        assert not members & seen
        seen |= members
        assert all(clustering.number[node] == number for node in members)
        inside = graph.subgraph(members)
        strength = {
            node: inside.degree(node, weight="weight")
            if graph.nodes[node]["kind"] != "theme"
            else graph.nodes[node]["claims"]
            for node in members
        }
        assert strength[cluster.members[0]] == max(strength.values())
        assert [strength[n] for n in cluster.members] == sorted(strength.values(), reverse=True)
        heads = [graph.nodes[n]["label"] for n in cluster.members[: len(cluster.heads)]]
        assert list(cluster.heads) == heads and cluster.label == " · ".join(heads)
        assert cluster.color == (PALETTE[number - 1] if number <= len(PALETTE) else "#DDDDDD")
    assert seen == set(clustering.number)
    linked = [n for n in graph if graph.degree(n)]
    unclustered = [n for n in linked if n not in seen]
    parts = [set(cl.members) for cl in clustering.clusters]
    parts += [{n} for n in graph if n not in seen]
    if len(clustering.clusters) > 1:
        assert nx.community.modularity(graph, parts, weight="weight") > 0.1
    # A node linked to others is clustered unless Louvain left it on its own.
    assert len(unclustered) <= len(linked) // 2


@pytest.mark.parametrize(
    "project, cluster",
    [(theme_network, theme_clusters), (cocitation_network, cocitation_clusters)],
    ids=["themes", "co-citation"],
)
def test_seed_clusters_are_deterministic_and_named_by_their_heads(store, project, cluster):
    data = ReviewData(store)
    graph = weighted_network(project, data)
    first = cluster(data)
    _check_clusters(graph, first)
    assert len(first.clusters) >= 2
    assert cluster(ReviewData(store)) == first  # read afresh, clustered again
    # The graph's order does not matter: the same nodes and edges added backwards.
    backwards = nx.Graph()
    backwards.add_nodes_from(reversed(list(graph.nodes(data=True))))
    backwards.add_edges_from(reversed(list(graph.edges(data=True))))
    assert find_clusters(backwards) == first


def _same_as_networkx(graph: nx.Graph, seeds: range) -> None:
    """kg's Louvain (:mod:`kg.projections.louvain`) finds networkx's communities, in its order."""
    for seed in seeds:
        expected = nx.community.louvain_communities(graph, weight="weight", seed=seed)
        assert louvain_communities(graph, seed=seed) == expected, seed


@pytest.mark.parametrize("project", [theme_network, cocitation_network], ids=["themes", "co"])
def test_louvain_finds_networkx_communities_in_the_seed_networks(store, project) -> None:
    _same_as_networkx(weighted_network(project, ReviewData(store)), range(1, 6))


def test_louvain_finds_networkx_communities_in_other_graphs() -> None:
    """networkx's weighted and unweighted example graphs, one with self-loops, and random
    graphs of many components, dense and sparse, with float weights."""
    import random

    miserables = nx.les_miserables_graph()
    karate = nx.karate_club_graph()
    looped = nx.Graph(karate)
    looped.add_weighted_edges_from([(0, 0, 2.0), (33, 33, 1.5), (5, 5, 1.0)])
    graphs = [miserables, karate, looped, nx.davis_southern_women_graph()]
    for size, links in ((60, 90), (300, 2000), (2000, 2500)):
        draw = random.Random(size)
        graph = nx.gnm_random_graph(size, links, seed=size)
        for u, v in graph.edges:
            graph[u][v]["weight"] = draw.choice([1.0, 2.0, 0.5, 3.25])
        graphs.append(graph)
    for graph in graphs:
        _same_as_networkx(graph, range(1, 4))
    empty = nx.empty_graph(3)
    assert louvain_communities(empty, seed=1) == [{0}, {1}, {2}]


@requires_shared
@pytest.mark.parametrize(
    "project, cluster",
    [(theme_network, theme_clusters), (cocitation_network, cocitation_clusters)],
    ids=["themes", "co-citation"],
)
def test_corpus_clusters_are_deterministic_and_named_by_their_heads(corpus, project, cluster):
    store = open_store(corpus.parent / "build" / "store")
    data = ReviewData(store)
    graph = weighted_network(project, data)
    clustering = cluster(data)
    _check_clusters(graph, clustering)
    assert cluster(ReviewData(store)) == clustering
    if project is cocitation_network:
        # Eight articles from four fields: their reference lists are cited apart.
        assert len(clustering.clusters) >= 4


def test_map_authors_join_the_cluster_their_claims_weigh_most_on(store) -> None:
    data = ReviewData(store)
    graph = author_theme_network(store, data=data)
    themes = theme_clusters(data)
    clustering = author_clusters(data, graph)
    assert [c.label for c in clustering.clusters] == [c.label for c in themes.clusters]
    for node, kind in graph.nodes(data="kind"):
        if kind == "theme":
            assert clustering.number.get(node) == themes.number.get(node)
            continue
        weights: dict[int, int] = {}
        for _, theme, weight in graph.edges(node, data="weight"):
            if theme in themes.number:
                weights[themes.number[theme]] = weights.get(themes.number[theme], 0) + weight
        if not weights:  # an author whose themes are in no cluster joins none
            assert node not in clustering.number
            continue
        best = max(weights.values())
        assert weights[clustering.number[node]] == best
        assert clustering.number[node] == min(n for n, w in weights.items() if w == best)


def test_cluster_layout_gives_each_cluster_its_own_region(store) -> None:
    data = ReviewData(store)
    clustering = cocitation_clusters(data)
    nodes = sorted(weighted_network(cocitation_network, data))
    layout = cluster_layout(nodes, clustering, lambda node: 50.0)
    assert set(layout.positions) == set(nodes)
    regions = layout.regions
    for cluster in clustering.clusters:
        x, y, r = regions[cluster.number]
        for node in cluster.members:
            px, py = layout.positions[node]
            assert (px - x) ** 2 + (py - y) ** 2 <= r**2
    numbers = sorted(regions)
    for i, a in enumerate(numbers):
        for b in numbers[i + 1 :]:
            (ax, ay, ar), (bx, by, br) = regions[a], regions[b]
            assert ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 >= ar + br
    assert cluster_layout(list(reversed(nodes)), clustering, lambda node: 50.0) == layout


def test_a_rebuild_gives_the_same_clusters_byte_for_byte(built, tmp_path: Path) -> None:
    report, _ = built
    again = build_review(write_config(tmp_path))
    for name in ("co-citation.html", "themes.html", "map.html", "review.md"):
        assert (again.output / name).read_bytes() == (report.output / name).read_bytes(), name
    for view in ("co-citation", "themes", "map"):
        made = [
            export_review(None, ExportFormat.CLUSTERS, view=view, store=open_store(out / "store"))
            for out in (report.output, again.output)
        ]
        assert made[0] == made[1]


def test_review_md_lists_the_clusters(built, store) -> None:
    report, _ = built
    summary = (report.output / "review.md").read_text(encoding="utf-8")
    section = summary.split("\n## Clusters\n", 1)[1].split("\n## ", 1)[0]
    data = ReviewData(store)
    for heading, clustering in (
        ("### Theme clusters", theme_clusters(data)),
        ("### Co-citation clusters", cocitation_clusters(data)),
    ):
        part = section.split(heading, 1)[1].split("###", 1)[0]
        lines = [line for line in part.splitlines() if line[:1].isdigit()]
        listed = clustering.clusters[:CLUSTERS_LISTED]
        assert len(lines) == len(listed)
        for line, cluster in zip(lines, listed, strict=True):
            assert line.startswith(f"{cluster.number}. **")
            first = clustering.labels[cluster.members[0]]
            assert f"({len(cluster.members)} " in line and first.split(" (")[0] in line


@pytest.mark.parametrize("view", ["co-citation", "themes", "map"])
def test_cluster_export_lists_every_node_with_its_cluster(built, store, view) -> None:
    _, config = built
    result = CliRunner().invoke(
        main, ["export", "-c", str(config), "-f", "clusters", "--view", view]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == CLUSTER_COLUMNS
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    data = ReviewData(store)
    project = find_view(view).project
    graph = project(store, data=data)
    assert sorted(r["id"] for r in records) == sorted(graph)
    clustering = find_view(view).cluster(data, graph)
    for record in records:
        number = clustering.number.get(record["id"])
        assert record["cluster"] == (str(number) if number else "")
        if number:
            cluster = clustering.clusters[number - 1]
            assert record["cluster_label"] == cluster.label
            assert cluster.members[int(record["rank"]) - 1] == record["id"]
        float(record["x"]), float(record["y"])
    vos = json.loads(
        CliRunner()
        .invoke(main, ["export", "-c", str(config), "-f", "vosviewer", "--view", view])
        .output
    )
    by_label = {item["label"]: item for item in vos["network"]["items"]}
    for record in records:
        item = by_label[record["label"]]
        assert (item["x"], item["y"]) == (float(record["x"]), float(record["y"]))
        assert item.get("cluster") == (int(record["cluster"]) if record["cluster"] else None)
    named = {c["cluster"]: c["label"] for c in vos["network"]["clusters"]}
    assert named == {c.number: c.label for c in clustering.clusters}


def test_a_large_clustered_view_draws_clusters_as_regions(store) -> None:
    data = ReviewData(store)
    view = find_view("co-citation")
    graph = cocitation_network(store, data=data)
    clustering = cocitation_clusters(data)
    page = render_view(graph, view, physics_threshold=5, clustering=clustering)
    blob = page.split('<script type="application/json" id="kg-data">', 1)[1]
    drawn = json.loads(blob.split("</script>", 1)[0])
    assert [c["number"] for c in drawn["clusters"]] == [c.number for c in clustering.clusters]
    assert all(len(c["region"]) == 3 for c in drawn["clusters"])
    groups = drawn["options"]["groups"]
    colour = {n["id"]: groups[n["group"]]["color"]["background"] for n in drawn["nodes"]}
    assert all(groups[n["group"]]["shape"] == "dot" for n in drawn["nodes"])
    for cluster in clustering.clusters:
        assert {colour[m] for m in cluster.members if m in colour} == {cluster.color}
    assert drawn["options"]["nodes"]["scaling"]["label"]["drawThreshold"] > 5
    assert page == render_view(graph, view, physics_threshold=5, clustering=clustering)


@pytest.mark.parametrize("name", ["co-citation", "themes", "map"])
def test_cluster_list_in_the_panel_highlights_its_nodes(built, visit, name) -> None:  # noqa: F811
    report, _ = built
    page = visit(report.output / find_view(name).filename)
    page.wait_drawn()
    assert not page.errors and page.offline()
    items = page.page.locator("ol.kg-clusters li")
    store = open_store(report.output / "store")
    data = ReviewData(store)
    view = find_view(name)
    graph = view.project(store, data=data)
    clustering = view.cluster(data, graph)
    assert items.count() == len(clustering.clusters) >= 2
    for index, cluster in enumerate(clustering.clusters):
        assert cluster.label in items.nth(index).inner_text()
    second = clustering.clusters[1]
    items.nth(1).locator("a").click()
    page.page.wait_for_timeout(600)
    selected = page.page.evaluate("kgNetwork.getSelectedNodes()")
    assert sorted(selected) == sorted(second.members)
    assert second.label in page.details()
    # Back to every cluster.
    page.page.get_by_role("button", name="All clusters").click()
    assert page.page.evaluate("kgNetwork.getSelectedNodes()") == []
    assert page.page.locator("ol.kg-clusters li").count() == len(clustering.clusters)
    # A node's own panel names its cluster.
    first = clustering.clusters[0]
    page.page.mouse.click(*page.point_of(first.members[0]))
    assert f"In cluster 1: {first.label}" in page.details().replace("\n", " ")


def test_region_names_on_a_large_map_do_not_overlap(built, visit, tmp_path: Path) -> None:  # noqa: F811
    """A clustered view drawn as regions (its physics threshold lowered, as a large review's
    would be): zoomed out, the regions' names are drawn, none over another."""
    store = open_store(built[0].output / "store")
    data = ReviewData(store)
    view = find_view("co-citation")
    graph = cocitation_network(store, data=data)
    path = tmp_path / "co-citation.html"
    clustering = cocitation_clusters(data)
    path.write_text(
        render_view(graph, view, physics_threshold=5, clustering=clustering), encoding="utf-8"
    )
    page = visit(path)
    page.wait_drawn()
    # Zoomed out as a large review opens (the seed's regions are small).
    labels = page.page.evaluate(
        "kgNetwork.moveTo({scale: 0.3}); kgNetwork.redraw(); window.kgRegionLabels"
    )
    assert labels, "no region named"
    boxes = [label["box"] for label in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["right"] <= b["left"] or b["right"] <= a["left"]
                or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            )  # fmt: skip
            assert apart, (a, b)
    assert {label["number"] for label in labels} <= {c.number for c in clustering.clusters}


def test_labels_of_a_large_clustered_view_appear_by_claims_as_one_zooms(
    built,
    visit,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Zoomed out, only the most-cited works are named; zoomed in, every one."""
    store = open_store(built[0].output / "store")
    data = ReviewData(store)
    graph = cocitation_network(store, data=data)
    path = tmp_path / "co-citation.html"
    page_text = render_view(
        graph, find_view("co-citation"), physics_threshold=5, clustering=cocitation_clusters(data)
    )
    path.write_text(page_text, encoding="utf-8")
    page = visit(path)
    page.wait_drawn()
    named = """(scale) => {
        kgNetwork.moveTo({scale: scale});
        const nodes = kgNetwork.body.nodes;
        return Object.keys(nodes).filter((id) => nodes[id].labelModule.visible()).sort();
    }"""
    claims = {node: graph.nodes[node]["claims"] for node in graph}
    far = page.page.evaluate(named, 0.25)
    assert far and len(far) < len(claims)
    most, least = max(claims.values()), min(claims.values())
    assert {n for n in claims if claims[n] == most} <= set(far)
    assert not {n for n in claims if claims[n] == least} & set(far)
    assert min(claims[n] for n in far) >= max(claims[n] for n in claims if n not in far)
    assert page.page.evaluate(named, 1.5) == sorted(claims)


DRAWN_LABELS = """() => Object.entries(kgNetwork.body.nodes).filter(([id, node]) =>
    !id.startsWith("edgeId:") && !node.options.hidden && node.options.label &&
        node.labelModule.visible()).map(([id, node]) => {
    if (node.options.shape === "box") {
        const s = node.shape;
        return [id, {left: node.x - s.width / 2, top: node.y - s.height / 2,
                     right: node.x + s.width / 2, bottom: node.y + s.height / 2}];
    }
    const l = node.labelModule.size;
    return [id, {left: l.left, top: l.top, right: l.left + l.width, bottom: l.top + l.height}];
})"""


@pytest.mark.parametrize("name", ["map", "co-citation"])
def test_region_names_sit_where_no_label_is(synthetic_store, visit, tmp_path, name) -> None:  # noqa: F811
    """A synthetic review of 300 works, its view drawn as regions (as a large review's is):
    at every zoom that names the regions, no name covers a label drawn at that zoom (a
    theme's whole box, if its label is drawn) nor another name; the largest cluster is
    always named, and names that find no free place wait for a closer zoom."""
    data = ReviewData(synthetic_store)
    view = find_view(name)
    graph = view.project(synthetic_store, data=data)
    clustering = view.cluster(data, graph)
    path = tmp_path / f"{name}.html"
    path.write_text(
        render_view(graph, view, physics_threshold=5, clustering=clustering), encoding="utf-8"
    )
    page = visit(path)
    page.wait_drawn()
    drawn_labels = 0
    for scale in (0.2, 0.3, 0.45, 0.6):
        names = page.page.evaluate(
            "(scale) => { kgNetwork.moveTo({scale: scale}); kgNetwork.redraw();"
            " return window.kgRegionLabels; }",
            scale,
        )
        labels = dict(page.page.evaluate(DRAWN_LABELS))
        drawn_labels = max(drawn_labels, len(labels))
        assert 1 in {n["number"] for n in names}, scale
        boxes = [n["box"] for n in names]
        for i, box in enumerate(boxes):
            for other in boxes[i + 1 :]:
                assert not _covers(box, other), (scale, box, other)
            covered = [node for node, label in labels.items() if _covers(box, label)]
            assert covered == [], (scale, names[i]["number"], covered)
        page.page.screenshot(path=tmp_path / f"{name}-{scale}.png")
    assert drawn_labels == graph.number_of_nodes()  # at 0.6 every label is drawn
    assert page.errors == []


def _covers(a: dict[str, float], b: dict[str, float]) -> bool:
    return min(a["right"], b["right"]) > max(a["left"], b["left"]) and min(
        a["bottom"], b["bottom"]
    ) > max(a["top"], b["top"])
