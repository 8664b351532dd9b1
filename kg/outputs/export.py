"""Exports of a built review for the tools researchers already use.

RDF (``ttl``, ``trig``, ``nt``, ``jsonld``) comes from the build's ``graph.trig``, the whole
dataset or one named graph; quads are sorted first, so the same build gives the same bytes.
Turtle and N-Triples have no named graphs: they hold the union of the chosen graphs.

Network formats are made from a view's networkx graph (``author-theme`` by default):
``graphml`` and ``gexf`` open in Gephi, Cytoscape and yEd; ``vosviewer`` is a VOSviewer
Online JSON file (items, links and clusters); ``csv`` is two tables, ``nodes.csv`` and
``edges.csv``, for spreadsheets and R; ``clusters`` is one CSV table, each node's cluster
(:mod:`kg.projections.clusters`), its rank in it and its place on the clustered map. These
formats hold only scalar attributes, so
``flatten_network`` turns each list of records (an edge's claims, an author's works) into
its count plus one column per record field, the values joined with `` | `` in a fixed order.

>>> export = export_review("bib/kg.toml", ExportFormat.GRAPHML)  # doctest: +SKIP
>>> sorted(export.files)  # doctest: +SKIP
['author-theme.graphml']
>>> write_export(export, Path("map.graphml"))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from pyoxigraph import BlankNode, Quad, RdfFormat, Triple, parse, serialize

from kg.errors import ExportError
from kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from kg.projections.clusters import Clustering

__all__ = [
    "GRAPH_PARTS",
    "VIEWS",
    "Export",
    "ExportFormat",
    "export_network",
    "export_rdf",
    "export_review",
    "flatten_network",
    "read_trig",
    "write_atomic",
    "write_export",
]

JOIN = " | "
GRAPH_PARTS = ("bibliography", "themes", "ontology", "claims")


class ExportFormat(StrEnum):
    """The formats ``kg export`` writes."""

    TTL = "ttl"
    TRIG = "trig"
    NT = "nt"
    JSONLD = "jsonld"
    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"
    VOSVIEWER = "vosviewer"
    CLUSTERS = "clusters"

    @property
    def is_rdf(self) -> bool:
        """True for the formats made from the RDF store rather than from a view."""
        return self in RDF_FORMATS


RDF_FORMATS = {
    ExportFormat.TTL: (RdfFormat.TURTLE, "ttl"),
    ExportFormat.TRIG: (RdfFormat.TRIG, "trig"),
    ExportFormat.NT: (RdfFormat.N_TRIPLES, "nt"),
    ExportFormat.JSONLD: (RdfFormat.JSON_LD, "jsonld"),
}
NETWORK_SUFFIX = {
    ExportFormat.GRAPHML: "graphml",
    ExportFormat.GEXF: "gexf",
    ExportFormat.VOSVIEWER: "json",
}


VIEWS = {
    "author-theme": "author_theme_network",
    "map": "author_theme_network",
    "citations": "citation_network",
    "co-citation": "cocitation_network",
    "themes": "theme_network",
}
"""View names (as ``kg view`` has them; ``author-theme`` is the map) and their projection
in ``kg.projections.network``."""
CLUSTERED = {
    "author-theme": "author_clusters",
    "map": "author_clusters",
    "co-citation": "cocitation_clusters",
    "themes": "theme_clusters",
}
"""The views with clusters, and the function of ``kg.projections.clusters`` giving them."""


def _project(view: str, store: Any, title: str) -> tuple[nx.Graph, Clustering | None]:
    """The view's whole graph, and its clusters if it has them."""
    from kg.projections import clusters, network

    if view not in VIEWS:
        raise ExportError(f"no view {view!r}; views: {', '.join(VIEWS)}")
    projection: Callable[..., nx.Graph] = getattr(network, VIEWS[view])
    data = network.ReviewData(store)
    graph = projection(store, title=title, data=data)
    if view not in CLUSTERED:
        return graph, None
    clustered: Callable[..., Clustering] = getattr(clusters, CLUSTERED[view])
    return graph, clustered(data, graph)


@dataclass(frozen=True)
class Export:
    """An export's files by name: one file, or ``nodes.csv`` and ``edges.csv`` for CSV."""

    format: ExportFormat
    files: dict[str, bytes]


def read_trig(path: str | Path) -> list[Quad]:
    """The quads of a build's ``graph.trig``, blank nodes renamed in order of appearance.

    RDF exports start from this file, not from the store: Oxigraph's store gives literals
    back in canonical form (``"1.00"^^xsd:decimal`` as ``"1"``, ``xsd:nonNegativeInteger``
    as ``xsd:integer``), the TriG keeps them as the build wrote them.
    """
    path = Path(path)
    try:
        parsed = parse(path=str(path), format=RdfFormat.TRIG)  # type: ignore[arg-type]
        names: dict[str, BlankNode] = {}

        def rename(term: Any) -> Any:
            if isinstance(term, BlankNode):
                return names.setdefault(term.value, BlankNode(f"b{len(names)}"))
            return term

        return [
            Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in parsed
        ]
    except FileNotFoundError:
        raise ExportError(f"no built graph at {path}; run `kg build` first") from None
    except SyntaxError as error:
        raise ExportError(f"{path}: not valid TriG ({error}); run `kg build` again") from None


def export_rdf(
    quads: Iterable[Quad], fmt: ExportFormat, *, base: str, graph: str | None = None
) -> bytes:
    """The quads (or one named graph's) in an RDF format, sorted.

    ``graph`` is a part of the review, named as in ``GRAPH_PARTS`` (``claims`` is every
    claims graph; ``claims/KEY`` the one of a citing work), or None for the whole dataset.
    """
    if fmt not in RDF_FORMATS:
        raise ExportError(f"{fmt} is not an RDF format; use one of {', '.join(RDF_FORMATS)}")
    chosen = _quads_of(list(quads), base, graph)
    rdf_format, _ = RDF_FORMATS[fmt]
    ordered = sorted(set(chosen), key=_sort_key)
    if rdf_format.supports_datasets:
        return serialize(ordered, format=rdf_format, prefixes=PREFIXES)  # type: ignore[return-value]
    triples = sorted({Triple(q.subject, q.predicate, q.object) for q in ordered}, key=_sort_key)
    return serialize(triples, format=rdf_format, prefixes=PREFIXES)  # type: ignore[return-value]


def _sort_key(statement: Quad | Triple) -> tuple[str, ...]:
    graph = str(statement.graph_name) if isinstance(statement, Quad) else ""
    return (graph, str(statement.subject), str(statement.predicate), str(statement.object))


def _quads_of(quads: list[Quad], base: str, graph: str | None) -> list[Quad]:
    if graph is None:
        return quads
    part, _, key = graph.partition("/")
    if part not in GRAPH_PARTS or (key and part != "claims"):
        raise ExportError(
            f"no graph {graph!r}; choose one of {', '.join(GRAPH_PARTS)} or claims/BIBKEY"
        )
    prefix = f"{base}graph/"
    name = f"{prefix}{graph}"

    def wanted(graph_name: str) -> bool:
        return graph_name == name or (graph == "claims" and graph_name.startswith(f"{name}/"))

    chosen = [q for q in quads if wanted(getattr(q.graph_name, "value", ""))]
    if not chosen:
        names = {getattr(q.graph_name, "value", "") for q in quads}
        present = sorted(n.removeprefix(prefix) for n in names if n.startswith(prefix))
        raise ExportError(
            f"the build has no graph {graph!r}; it has: {', '.join(present) or 'none'}"
        )
    return chosen


def flatten_network(graph: nx.Graph) -> nx.MultiGraph | nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes are all strings or numbers, nodes sorted by id.

    A list of records (``claims`` on an edge: quote, key, work, year, locator) becomes
    ``claims`` (how many) and ``claims_quote``, ``claims_key``, ... (the values, joined
    with `` | ``, records sorted, so the columns line up); a list of plain values becomes
    its count and the values joined; None values are left out.

    >>> g = nx.MultiGraph()
    >>> _ = g.add_edge("a", "b", key="supports", claims=[{"quote": "Q2"}, {"quote": "Q1"}])
    >>> flatten_network(g).edges["a", "b", "supports"]
    {'claims': 2, 'claims_quote': 'Q1 | Q2'}
    """
    flat = (nx.MultiDiGraph if graph.is_directed() else nx.MultiGraph)(**_flat(graph.graph))
    for node in sorted(graph.nodes):
        flat.add_node(node, **_flat(graph.nodes[node]))
    edges = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, 0, d) for u, v, d in graph.edges(data=True))
    )
    ends = (lambda u, v: (u, v)) if graph.is_directed() else (lambda u, v: tuple(sorted((u, v))))
    for u, v, key, data in sorted(edges, key=lambda e: (*ends(e[0], e[1]), str(e[2]))):
        source, target = ends(u, v)
        flat.add_edge(source, target, key=key, **_flat(data))
    return flat


def _flat(data: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, str | int | float | bool):
            flat[name] = value
        elif isinstance(value, Mapping):
            flat[name] = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        elif isinstance(value, list | tuple | set | frozenset):
            items = list(value)
            flat[name] = len(items)
            if items and all(isinstance(item, Mapping) for item in items):
                items.sort(key=lambda item: json.dumps(item, sort_keys=True, default=str))
                fields = sorted({field for item in items for field in item})
                for field in fields:
                    flat[f"{name}_{field}"] = JOIN.join(_text(item.get(field)) for item in items)
            elif items:
                flat[f"{name}_values"] = JOIN.join(sorted(_text(item) for item in items))
        else:
            flat[name] = _text(value)
    return flat


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def export_network(
    graph: nx.Graph,
    fmt: ExportFormat,
    *,
    name: str = "network",
    clustering: Clustering | None = None,
) -> Export:
    """A view's graph as GraphML, GEXF, VOSviewer JSON, two CSV tables, or its clusters.

    ``name`` names the file (``NAME.graphml``, ``NAME.gexf``, ``NAME.json``,
    ``NAME-clusters.csv``). ``clustering`` (:mod:`kg.projections.clusters`), the view's
    clusters, gives VOSviewer's cluster column and the ``clusters`` table; if None, the
    graph's own Louvain clusters do. VOSviewer's x and y, and the table's, are the places
    :func:`kg.projections.clusters.cluster_layout` gives, each cluster a region.
    """
    from kg.projections.clusters import find_clusters

    if clustering is None:
        clustering = find_clusters(_weighted(graph))
    if fmt is ExportFormat.CLUSTERS:
        return Export(fmt, {f"{name}-clusters.csv": _cluster_table(graph, clustering)})
    flat = flatten_network(graph)
    if fmt is ExportFormat.CSV:
        return Export(fmt, _csv_tables(flat))
    if fmt not in NETWORK_SUFFIX:
        raise ExportError(f"{fmt} is not a network format; use graphml, gexf, csv or vosviewer")
    file_name = f"{name}.{NETWORK_SUFFIX[fmt]}"
    if fmt is ExportFormat.VOSVIEWER:
        document = _vosviewer(flat, clustering)
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
        return Export(fmt, {file_name: (text + "\n").encode("utf-8")})
    buffer = io.BytesIO()
    if fmt is ExportFormat.GRAPHML:
        nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
    else:
        _write_gexf(flat, buffer)
    return Export(fmt, {file_name: buffer.getvalue()})


def _write_gexf(graph: nx.MultiGraph, buffer: io.BytesIO) -> None:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        # the writer stamps today's date, which would make two exports of one build differ
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(graph)
    writer.write(buffer)


def _csv_tables(graph: nx.MultiGraph) -> dict[str, bytes]:
    node_columns = _columns(data for _, data in graph.nodes(data=True))
    edge_columns = _columns(data for _, _, data in graph.edges(data=True))
    nodes = [["id", *node_columns]]
    nodes.extend(
        [node, *(_text(data.get(c)) for c in node_columns)] for node, data in graph.nodes(data=True)
    )
    edges = [["source", "target", "key", *edge_columns]]
    edges.extend(
        [u, v, _text(key), *(_text(data.get(c)) for c in edge_columns)]
        for u, v, key, data in graph.edges(keys=True, data=True)
    )
    return {"nodes.csv": _csv(nodes), "edges.csv": _csv(edges)}


def _columns(records: Iterable[Mapping[str, Any]]) -> list[str]:
    first = ("kind", "label", "stance", "weight")
    names = {name for record in records for name in record}
    return [n for n in first if n in names] + sorted(names.difference(first))


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _weighted(graph: nx.Graph) -> nx.Graph:
    """``graph`` as a simple graph, each pair's weights summed, nodes with their ``kind``,
    ``label`` and ``claims``."""
    simple = nx.Graph()
    for node, data in graph.nodes(data=True):
        simple.add_node(
            node, kind=data.get("kind"), label=str(data.get("label", node)),
            claims=data.get("claims", 0),
        )  # fmt: skip
    for u, v, data in graph.edges(data=True):
        weight = data.get("weight", 1)
        if simple.has_edge(u, v):
            simple.edges[u, v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


def _vosviewer(graph: nx.MultiGraph, clustering: Clustering) -> dict[str, Any]:
    """The VOSviewer Online JSON document: items (with their cluster and x, y), links
    (stances summed) and clusters."""
    from kg.projections.clusters import cluster_layout

    simple = _weighted(graph)
    places = cluster_layout(list(graph.nodes), clustering).positions
    ids = {node: number for number, node in enumerate(graph.nodes, start=1)}
    items = []
    for node, data in graph.nodes(data=True):
        item: dict[str, Any] = {
            "id": ids[node],
            "label": str(data.get("label", node)),
            "description": _vos_description(data),
            "x": places[node][0],
            "y": places[node][1],
        }
        cluster = clustering.number.get(node)
        if cluster:
            item["cluster"] = min(cluster, 1000)
        item["weights"] = {
            "Claims": data.get("claims", 0),
            "Links": simple.degree(node),
            "Total link strength": simple.degree(node, weight="weight"),
        }
        items.append(item)
    links = [
        {"source_id": ids[u], "target_id": ids[v], "strength": data["weight"]}
        for u, v, data in sorted(simple.edges(data=True), key=lambda e: (ids[e[0]], ids[e[1]]))
    ]
    labels = [(min(c.number, 1000), c.label) for c in clustering.clusters if c.number <= 1000]
    title = str(graph.graph.get("title", ""))
    return {
        "config": {
            "terminology": {
                "item": "author or theme",
                "items": "authors and themes",
                "link": "claim link",
                "links": "claim links",
                "link_strength": "claims",
                "total_link_strength": "total claims",
            }
        },
        "info": {
            "title": title or "Author-theme map",
            "description": "Authors and the themes their cited works are claimed to support or"
            " dispute; link strength is the number of claims. Made by kg.",
        },
        "network": {
            "items": items,
            "links": links,
            "clusters": [{"cluster": number, "label": label} for number, label in labels],
        },
    }


CLUSTER_COLUMNS = ["cluster", "cluster_label", "rank", "id", "label", "kind", "claims", "x", "y"]


def _cluster_table(graph: nx.Graph, clustering: Clustering) -> bytes:
    """One row per node of ``graph``: its cluster's number and name, its rank in the
    cluster (1 the most central), id, label, kind, claims, and its place on the clustered
    map; the clusters in number order, then the nodes in none (cluster and rank empty)."""
    from kg.projections.clusters import cluster_layout

    places = cluster_layout(list(graph.nodes), clustering).positions
    rows: list[list[Any]] = [CLUSTER_COLUMNS]

    def row(node: Any, cluster: Any, name: str, rank: Any) -> list[Any]:
        data = graph.nodes[node]
        x, y = places[node]
        label, claims = data.get("label", node), data.get("claims", 0)
        return [cluster, name, rank, node, label, data.get("kind", ""), claims, x, y]

    for cluster in clustering.clusters:
        members = [node for node in cluster.members if node in graph]
        for rank, node in enumerate(members, start=1):
            rows.append(row(node, cluster.number, cluster.label, rank))
    rows += [row(n, "", "", "") for n in sorted(graph, key=str) if n not in clustering.number]
    return _csv(rows)


def _vos_description(data: Mapping[str, Any]) -> str:
    rows = [("Kind", data.get("kind", "")), ("Claims", data.get("claims", ""))]
    if data.get("name"):
        rows.append(("Name", data["name"]))
    if data.get("definition"):
        rows.append(("Definition", data["definition"]))
    if data.get("works_key"):
        rows.append(("Works", data["works_key"]))
    cells = "".join(
        f"<tr><td>{html.escape(str(k))}:</td><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    return f"<table>{cells}</table>"


def export_review(
    config: str | Path | None,
    fmt: ExportFormat,
    *,
    view: str | None = None,
    graph: str | None = None,
    store: Any = None,
    trig: str | Path | None = None,
) -> Export:
    """Export the built review of ``config`` (found with ``find_config`` if None).

    RDF formats take ``graph`` (whole dataset if None); network formats take ``view``
    (``author-theme`` if None) and read the review's built store, or ``store`` (a
    pyoxigraph store or a ``kg.store.remote`` endpoint). RDF formats read the build's
    ``graph.trig``, or ``trig``.
    """
    from kg.config import find_config, load_config
    from kg.store.embedded import STORE_DIR, open_store

    review = load_config(config or find_config())
    if fmt.is_rdf and view is not None:
        raise ExportError(f"--view is for network formats, not {fmt}; use --graph")
    if not fmt.is_rdf and graph is not None:
        raise ExportError(f"--graph is for RDF formats, not {fmt}; use --view")
    if fmt.is_rdf:
        quads = read_trig(trig or review.output / "graph.trig")
        data = export_rdf(quads, fmt, base=review.base, graph=graph)
        stem = f"graph-{graph.replace('/', '-')}" if graph else "graph"
        return Export(fmt, {f"{stem}.{RDF_FORMATS[fmt][1]}": data})
    store = store if store is not None else open_store(review.output / STORE_DIR)
    view = view or "author-theme"
    graph, clustering = _project(view, store, review.title)
    return export_network(graph, fmt, name=view, clustering=clustering)


def write_export(export: Export, path: Path) -> list[Path]:
    """Write the export's files to ``path`` atomically (temporary file, then rename).

    One file goes to ``path`` itself. CSV's two tables go into a zip file when ``path``
    ends in ``.zip`` and otherwise into the folder ``path`` (made if needed).
    """
    path = Path(path)
    try:
        if len(export.files) == 1:
            (data,) = export.files.values()
            write_atomic(path, data)
            return [path]
        if path.suffix.lower() == ".zip":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for name, data in sorted(export.files.items()):
                    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    archive.writestr(info, data)
            write_atomic(path, buffer.getvalue())
            return [path]
        if path.exists() and not path.is_dir():
            raise ExportError(f"{path}: is a file; CSV writes a folder (or give a .zip name)")
        path.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in sorted(export.files.items()):
            write_atomic(path / name, data)
            written.append(path / name)
        return written
    except OSError as error:
        raise ExportError(f"{path}: cannot write ({error.strerror or error})") from None


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place, so a reader
    never sees half a file and a failure leaves the old one; errors raise ``ExportError``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise ExportError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write ({error.strerror or error})") from None
