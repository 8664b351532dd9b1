"""Projections of the review graph into networkx graphs for views and analysis.

Each projection runs a named SPARQL query, so the map always shows what ``kg query`` answers.

>>> graph = author_theme_network(store)  # doctest: +SKIP
>>> graph.nodes["theme:hook-for-change"]["label"]  # doctest: +SKIP
'hook for change'
"""

from __future__ import annotations

import re

import networkx as nx
from pyoxigraph import Store

from kg.query import load_query, run_query

__all__ = ["author_label", "author_theme_network"]


def author_label(family: str, given: str, name: str) -> str:
    """How a map labels an author: "Giordano, P. C."; an organisation by its name."""
    if not family:
        return name
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", given) if part)
    return f"{family}, {initials}" if initials else family


def author_theme_network(
    store: Store, *, title: str = "", theme: str | None = None
) -> nx.MultiGraph:
    """Authors and themes joined by one edge per stance, weighted by the number of claims.

    Node ids are ``author:<IRI tail>`` and ``theme:<id>``; each edge (key = stance) carries
    the claims behind it: quote, cited work, year and page locator.
    """
    params = {"theme": theme} if theme else {}
    result = run_query(store, load_query("author-theme-claims"), params)
    graph = nx.MultiGraph(title=title)
    columns = result.variables
    claims_of: dict[object, set[str]] = {}
    for row in result.rows:
        value = {
            name: term.value if term is not None else ""
            for name, term in zip(columns, row, strict=True)
        }
        author_id = "author:" + value["authorIri"].rsplit("/", 1)[-1]
        theme_id = "theme:" + re.split(r"[/#]", value["themeIri"].rstrip("/#"))[-1]
        work = {"key": value["work"], "title": value["title"], "year": value["year"]}
        if author_id not in graph:
            label = author_label(value["family"], value["given"], value["author"])
            graph.add_node(author_id, kind="author", label=label, name=value["author"], works=[])
        if work not in graph.nodes[author_id]["works"]:
            graph.nodes[author_id]["works"].append(work)
        if theme_id not in graph:
            graph.add_node(
                theme_id, kind="theme", label=value["theme"], definition=value["definition"]
            )
        stance = value["stance"]
        if not graph.has_edge(author_id, theme_id, key=stance):
            graph.add_edge(author_id, theme_id, key=stance, stance=stance, weight=0, claims=[])
        edge = graph.edges[author_id, theme_id, stance]
        edge["claims"].append(
            {
                "quote": value["claimText"],
                "key": work["key"],
                "work": work["title"],
                "year": work["year"],
                "locator": value["locator"] or None,
            }
        )
        for owner in (author_id, theme_id, (author_id, theme_id, stance)):
            claims_of.setdefault(owner, set()).add(value["claim"])
        edge["weight"] = len(claims_of[(author_id, theme_id, stance)])
    for node, data in graph.nodes(data=True):
        data["claims"] = len(claims_of.get(node, ()))
    return graph
