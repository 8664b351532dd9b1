"""Exports read back by independent readers: rdflib for RDF, networkx for GraphML and GEXF,
the csv module for CSV, json for VOSviewer; each compared with what it was made from."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import EXPORT_FORMATS, main
from kg.errors import ExportError
from kg.outputs.export import (
    ExportFormat,
    export_network,
    export_review,
    flatten_network,
    write_export,
)
from kg.projections.network import author_theme_network, citation_network


@pytest.fixture(scope="module")
def dataset(built) -> rdflib.Dataset:
    """The build's canonical TriG, read by rdflib: what every RDF export must match."""
    report, _ = built
    data = rdflib.Dataset()
    data.parse(report.output / "graph.trig", format="trig")
    return data


def _graphs(data: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in data.graphs() if len(g)}


def _union(data: rdflib.Dataset) -> rdflib.Graph:
    union = rdflib.Graph()
    for graph in data.graphs():
        for triple in graph:
            union.add(triple)
    return union


def _export(built, store, fmt: str, **options: str) -> bytes:
    _, config = built
    export = export_review(config, ExportFormat(fmt), store=store, **options)
    (data,) = export.files.values()
    return data


def test_cli_formats_are_the_export_formats() -> None:
    assert tuple(f.value for f in ExportFormat) == EXPORT_FORMATS


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt")])
def test_triples_read_back_as_the_union_of_graphs(built, store, dataset, fmt, rdflib_format):
    read = rdflib.Graph().parse(data=_export(built, store, fmt), format=rdflib_format)
    assert len(read) > 1000
    assert isomorphic(read, _union(dataset))


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("jsonld", "json-ld")])
def test_datasets_read_back_graph_by_graph(built, store, dataset, fmt, rdflib_format):
    read = rdflib.Dataset()
    read.parse(data=_export(built, store, fmt), format=rdflib_format)
    expected, got = _graphs(dataset), _graphs(read)
    assert sorted(got) == sorted(expected)
    assert len(expected) == 4
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), name


def test_one_named_graph(built, store, dataset) -> None:
    themes = rdflib.Graph().parse(data=_export(built, store, "ttl", graph="themes"))
    assert isomorphic(themes, _graphs(dataset)["https://example.org/review/graph/themes"])
    claims = rdflib.Graph().parse(data=_export(built, store, "ttl", graph="claims"))
    one = rdflib.Graph().parse(data=_export(built, store, "ttl", graph="claims/nixon2020giving"))
    assert isomorphic(claims, one)
    assert len(claims) > 500


def test_unknown_graph_names_the_ones_there(built, store) -> None:
    with pytest.raises(ExportError) as error:
        _export(built, store, "ttl", graph="claims/nobody2020")
    assert str(error.value) == (
        "the build has no graph 'claims/nobody2020'; it has: bibliography,"
        " claims/nixon2020giving, ontology, themes"
    )
    with pytest.raises(ExportError, match="choose one of bibliography, themes, ontology, claims"):
        _export(built, store, "ttl", graph="people")


@pytest.mark.parametrize("fmt", [f.value for f in ExportFormat if f is not ExportFormat.CSV])
def test_exports_are_deterministic(built, store, fmt) -> None:
    assert _export(built, store, fmt) == _export(built, store, fmt)


def _normalised(graph: nx.Graph) -> tuple[dict, dict]:
    """Nodes and edges with their attributes; parallel edges listed per pair of nodes.

    networkx's GEXF reader gives a simple graph when no two edges join the same nodes, and
    adds an ``id`` to every edge, so edge keys and ids are left out here.
    """
    nodes = {n: dict(d) for n, d in graph.nodes(data=True)}
    edges: dict[tuple, list] = {}
    for u, v, data in graph.edges(data=True):
        data = {k: v for k, v in data.items() if k not in ("id", "networkx_key")}
        if "weight" in data:
            data["weight"] = float(data["weight"])
        ends = (u, v) if graph.is_directed() else tuple(sorted((u, v)))
        edges.setdefault(ends, []).append(json.dumps(data, sort_keys=True))
    return nodes, {ends: sorted(found) for ends, found in edges.items()}


def _read_graphml(source: io.BytesIO) -> nx.Graph:
    return nx.read_graphml(source, force_multigraph=True)


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", _read_graphml), ("gexf", nx.read_gexf)])
@pytest.mark.parametrize("projection", [author_theme_network, citation_network])
def test_networks_read_back_by_networkx(store, fmt, reader, projection) -> None:
    original = projection(store, title="Seed review")
    export = export_network(original, ExportFormat(fmt), name="view")
    read = reader(io.BytesIO(export.files[f"view.{fmt}"]))
    assert read.is_directed() == original.is_directed()
    assert read.number_of_nodes() == original.number_of_nodes() > 10
    assert read.number_of_edges() == original.number_of_edges() > 10
    assert _normalised(read) == _normalised(flatten_network(original))
    if fmt == "graphml":
        assert sorted(map(str, read.edges(keys=True))) == sorted(
            map(str, flatten_network(original).edges(keys=True))
        )


def test_flattening_keeps_every_claim(store) -> None:
    original = author_theme_network(store)
    flat = flatten_network(original)
    for u, v, key, data in original.edges(keys=True, data=True):
        edge = flat.edges[(*sorted((u, v)), key)]
        assert edge["claims"] == len(data["claims"])
        quotes = edge["claims_quote"].split(" | ")
        assert sorted(quotes) == sorted(c["quote"] for c in data["claims"])
        assert all(isinstance(value, str | int | float) for value in edge.values())


def test_csv_tables(built, store, tmp_path: Path) -> None:
    _, config = built
    export = export_review(config, ExportFormat.CSV, store=store)
    flat = flatten_network(author_theme_network(store))
    folder = write_export(export, tmp_path / "tables")
    assert [p.name for p in folder] == ["edges.csv", "nodes.csv"]
    with open(tmp_path / "tables" / "nodes.csv", encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    assert [row["id"] for row in nodes] == sorted(flat.nodes)
    assert {row["kind"] for row in nodes} == {"author", "theme"}
    with open(tmp_path / "tables" / "edges.csv", encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert len(edges) == flat.number_of_edges()
    for row in edges:
        assert int(row["weight"]) == flat.edges[row["source"], row["target"], row["key"]]["weight"]
    zipped = write_export(export, tmp_path / "tables.zip")
    with zipfile.ZipFile(zipped[0]) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        assert archive.read("nodes.csv") == (tmp_path / "tables" / "nodes.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tables", "tables.zip"]


def test_vosviewer_json(built, store) -> None:
    document = json.loads(_export(built, store, "vosviewer"))
    network = document["network"]
    original = author_theme_network(store)
    items = {item["id"]: item for item in network["items"]}
    assert len(items) == original.number_of_nodes()
    assert sorted(item["label"] for item in items.values()) == sorted(
        data["label"] for _, data in original.nodes(data=True)
    )
    clusters = {c["cluster"] for c in network["clusters"]}
    # a node in no cluster (a theme that shares no claim with another, and its authors) has
    # no cluster column
    assert sum("cluster" in item for item in items.values()) >= 0.8 * len(items)
    for item in items.values():
        assert isinstance(item["id"], int)
        assert "cluster" not in item or (item["cluster"] in clusters
                                         and 1 <= item["cluster"] <= 1000)  # fmt: skip
        assert all(value >= 0 for value in item["weights"].values())
    simple_pairs = {tuple(sorted((u, v))) for u, v in original.edges()}
    assert len(network["links"]) == len(simple_pairs)
    total = sum(link["strength"] for link in network["links"])
    assert total == sum(w for _, _, w in original.edges(data="weight"))
    assert all(
        link["source_id"] in items and link["target_id"] in items for link in network["links"]
    )
    assert document["config"]["terminology"]["link_strength"] == "claims"


def test_cli_export(built, store, tmp_path: Path) -> None:
    _, config = built
    runner = CliRunner()
    out = runner.invoke(main, ["export", "-f", "nt", "--graph", "themes", "-c", str(config)])
    assert out.exit_code == 0, out.output
    assert len(rdflib.Graph().parse(data=out.stdout, format="nt")) > 50
    written = runner.invoke(
        main, ["export", "-f", "gexf", "-o", str(tmp_path / "map.gexf"), "-c", str(config)]
    )
    assert written.exit_code == 0, written.output
    assert written.stderr.strip() == f"Wrote {tmp_path / 'map.gexf'}"
    assert nx.read_gexf(tmp_path / "map.gexf").number_of_nodes() > 10
    assert list(tmp_path.iterdir()) == [tmp_path / "map.gexf"]
    no_output = runner.invoke(main, ["export", "-f", "csv", "-c", str(config)])
    assert no_output.exit_code == 2
    assert "give -o FOLDER or -o FILE.zip" in no_output.stderr
    wrong = runner.invoke(main, ["export", "-f", "ttl", "--view", "map", "-c", str(config)])
    assert wrong.exit_code == 1
    assert wrong.stderr.strip() == "Error: --view is for network formats, not ttl; use --graph"
    view = runner.invoke(main, ["export", "-f", "graphml", "--view", "nope", "-c", str(config)])
    assert view.exit_code == 1
    assert view.stderr.startswith("Error: no view 'nope'; views: author-theme, map, citations")
