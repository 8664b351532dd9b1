"""Tests for kg.projections.network: the SPARQL projections the views draw, on the built seed
review."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import networkx as nx
import pytest
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

import kg.projections.network
from kg.namespaces import BIBO, DCTERMS, FOAF, KG, RDF
from kg.projections.network import (
    ReviewData,
    author_label,
    author_theme_network,
    citation_network,
    cocitation_network,
    load_claims,
    readable_network,
    readable_subgraph,
    review_title,
    theme_network,
    work_labels,
)
from kg.store.query import load_query, run_query, run_update


def test_author_label() -> None:
    assert author_label("Giordano", "Peggy C.", "Peggy C. Giordano") == "Giordano, P. C."
    assert author_label("", "", "United Nations Office on Drugs and Crime") == (
        "United Nations Office on Drugs and Crime"
    )


def test_work_labels_name_works_as_readers_cite_them(store) -> None:
    labels = work_labels(store)
    assert labels["giordano2002gender"] == "Giordano, Cernkovich and Rudolph (2002)"
    assert labels["hucklesby2014assistance"] == "Hucklesby and Wincup (2014)"
    assert labels["buck2017core"] == "Buck (2017)"
    assert labels["unodc2003peer"] == "United Nations Office on Drugs and Crime (2003)"


def _work(store: Store, key: str, year: str, *families: str) -> None:
    base = "https://example.org/"
    work = NamedNode(f"{base}work/{key}")
    seq = NamedNode(f"{base}work/{key}#authors")
    store.add(Quad(work, NamedNode(str(KG.bibKey)), Literal(key)))
    store.add(Quad(work, NamedNode(str(DCTERMS.issued)), Literal(year)))
    store.add(Quad(work, NamedNode(str(BIBO.authorList)), seq))
    for index, family in enumerate(families, start=1):
        person = NamedNode(f"{base}person/{family}")
        store.add(Quad(seq, NamedNode(f"{RDF}_{index}"), person))
        store.add(Quad(person, NamedNode(str(FOAF.familyName)), Literal(family)))
        store.add(Quad(person, NamedNode(str(FOAF.name)), Literal(family)))


def test_work_labels_et_al_and_year_letters() -> None:
    store = Store()
    _work(store, "buck2017b", "2017", "Buck")
    _work(store, "buck2017a", "2017", "Buck")
    _work(store, "visher2008", "2008", "Visher", "Debus", "Yahner", "Smith")
    _work(
        store,
        "nobody",
        "",
    )
    assert work_labels(store) == {
        "buck2017a": "Buck (2017a)",
        "buck2017b": "Buck (2017b)",
        "visher2008": "Visher et al. (2008)",
        "nobody": "nobody (n.d.)",
    }


def test_author_theme_network(store) -> None:
    graph = author_theme_network(store, title="Seed")
    assert graph.graph["title"] == "Seed"
    hook = graph["theme:hook-for-change"]
    authors = sorted(graph.nodes[a]["label"] for a in hook)
    assert authors == ["Cernkovich, S. A.", "Giordano, P. C.", "Rudolph, J. L."]
    edge = graph.edges["author:giordano-peggy-c", "theme:hook-for-change", "supports"]
    assert edge["weight"] == 1
    assert edge["claims"][0]["cite"] == "Giordano, Cernkovich and Rudolph (2002)"
    assert "hook for change" in edge["claims"][0]["quote"]
    disputes = {
        graph.nodes[a]["label"]
        for a, _, stance in graph.edges(keys=True)
        if stance == "disputes" and graph.nodes[a]["kind"] == "author"
    }
    assert disputes == {"Hucklesby, A.", "Wincup, E.", "Grayling, C."}


def test_load_claims_in_text_order_with_themes(store) -> None:
    claims = load_claims(store)
    assert len(claims) == 17
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    hucklesby = next(c for c in claims if c.text.startswith("Hucklesby and Wincup"))
    assert [(w.label, w.stance, w.locator) for w in hucklesby.cites] == [
        ("Hucklesby and Wincup (2014)", "disputes", "p. 1")
    ]
    assert ("theme:coercion", "Exploitation and coercion in criminal justice") in hucklesby.themes
    hope = load_claims(store, theme="hope")
    assert hope and all("theme:hope" in dict(c.themes) for c in hope)


def test_citation_network(store) -> None:
    graph = citation_network(store)
    assert graph.is_directed()
    citing = graph.nodes["work:nixon2020giving"]
    assert (citing["kind"], citing["label"], citing["claims"]) == ("citing", "Nixon (2020)", 17)
    claims = [n for n, kind in graph.nodes(data="kind") if kind == "claim"]
    assert len(claims) == 17
    assert all(graph.has_edge("work:nixon2020giving", c, "makes") for c in claims)
    kavanagh = graph.nodes["work:kavanagh2013exploring"]
    assert kavanagh["claims"] == graph.in_degree("work:kavanagh2013exploring") == 4
    assert graph.graph["themes"]["theme:hope"] == "Hope"


def test_cocitation_network(store) -> None:
    graph = cocitation_network(store)
    edge = graph.edges["work:visher2008employment", "work:apel2010impact", "co-cited"]
    assert edge["weight"] == 1
    assert {c["key"] for c in edge["claims"]} == {"visher2008employment", "apel2010impact"}
    # "Those released from prison tend to experience long-standing ...": employment barriers,
    # as the seed's gold reads it (Reintegration, the curated claims beside it leave out)
    assert edge["themes"] == ["theme:employment-barriers"]
    assert graph.has_edge("work:buck2014civic", "work:jaffe2012peer")
    assert graph.degree("work:giordano2002gender") == 0


def test_theme_network(store) -> None:
    graph = theme_network(store)
    edge = graph.edges["theme:identity-transformation", "theme:peer-mentoring", "co-occurs"]
    # three claims: "Peer mentoring developed a sense of hope ..." (core identity
    # transformation in the seed's gold) loses it to the curated claims beside it
    assert edge["weight"] == 3
    # 14 of the seed's 17 claims: bib/claims.yaml's five curated claims give it, and the
    # tagger learns from them where else it belongs
    assert graph.nodes["theme:peer-mentoring"]["claims"] == 14
    assert graph.nodes["theme:hope"]["detail"].startswith("Hope and optimism")


def test_review_title(store) -> None:
    assert review_title(store) == "Seed review"
    assert review_title(Store()) == ""


def test_named_queries_of_the_views(store) -> None:
    themes = run_query(store, load_query("themes"))
    ids = [row[themes.variables.index("id")].value for row in themes.rows]
    assert ids[0] == "peer-mentoring" and "liminality" in ids
    rows = run_query(store, load_query("claim-citations"), {"theme": "hook-for-change"})
    assert {row[rows.variables.index("work")].value for row in rows.rows} == {"giordano2002gender"}
    labels = run_query(store, load_query("work-labels"))
    authors = dict(
        (row[0].value, row[labels.variables.index("authors")].value) for row in labels.rows
    )
    assert authors["visher2008employment"] == "Visher, Debus and Yahner"


def test_docstring_example_is_marked() -> None:
    assert doctest.testmod(kg.projections.network).failed == 0


def star_map(authors: int, themes: int) -> nx.MultiGraph:
    """An author-theme map where author ``i`` has ``i % 50`` claims, linked to two themes."""
    graph = nx.MultiGraph(title="Big")
    for t in range(themes):
        graph.add_node(f"theme:t{t:03}", kind="theme", label=f"T{t}", claims=t)
    for a in range(authors):
        graph.add_node(f"author:a{a:05}", kind="author", label=f"A{a}", claims=a % 50)
        for t in (a % themes, (a * 7) % themes):
            graph.add_edge(f"author:a{a:05}", f"theme:t{t:03}", key="supports", weight=1)
    return graph


def test_readable_subgraph_keeps_themes_and_the_most_cited_authors() -> None:
    graph = star_map(5000, 40)
    sub, nodes, edges = readable_subgraph(graph, 300)
    assert (nodes, edges) == (graph.number_of_nodes(), graph.number_of_edges())
    assert sub.number_of_nodes() == 300
    kinds = [kind for _, kind in sub.nodes(data="kind")]
    assert kinds.count("theme") == 40
    kept = [n for n in sub if sub.nodes[n]["kind"] == "author"]
    dropped = [n for n in graph if n not in sub]
    assert min(graph.nodes[n]["claims"] for n in kept) >= max(
        graph.nodes[n]["claims"] for n in dropped
    )
    assert sub.number_of_edges() == sum(1 for u, v in graph.edges() if u in sub and v in sub), (
        "every edge among the kept nodes, no other"
    )
    assert sub.graph["title"] == "Big"
    reversed_order = nx.MultiGraph(title="Big")
    reversed_order.add_nodes_from(reversed(list(graph.nodes(data=True))))
    reversed_order.add_edges_from(reversed(list(graph.edges(keys=True, data=True))))
    again, _, _ = readable_subgraph(reversed_order, 300)
    assert sorted(again) == sorted(sub), "ties go by id, not by the order nodes were added"


def test_readable_subgraph_when_themes_alone_exceed_the_limit() -> None:
    sub, _, _ = readable_subgraph(star_map(100, 40), 10)
    assert sorted(sub) == [f"theme:t{t:03}" for t in range(30, 40)]


def test_readable_subgraph_leaves_a_small_graph_whole() -> None:
    graph = star_map(10, 3)
    assert readable_subgraph(graph, 13) == (graph, 13, graph.number_of_edges())


def test_readable_subgraph_of_the_citation_network_keeps_the_citing_text(store) -> None:
    graph = citation_network(store)
    sub, nodes, _ = readable_subgraph(graph, 10)
    assert nodes == graph.number_of_nodes() > 10 == sub.number_of_nodes()
    assert "work:nixon2020giving" in sub and sub.nodes["work:nixon2020giving"]["kind"] == "citing"
    works = sorted(graph.nodes[n]["claims"] for n in graph if graph.nodes[n]["kind"] == "work")
    kept = [n for n in sub if sub.nodes[n]["kind"] == "work"]
    assert all(sub.nodes[n]["claims"] >= works[-len(kept)] for n in kept) or not kept


def dense_map(authors: int, themes: int) -> nx.MultiGraph:
    """A map linking every author to every theme: with 5 claims when ``a + t`` is a multiple
    of 10, else 1; and a last author, linked to the last theme only, with 1."""
    graph = nx.MultiGraph(title="Dense")
    graph.add_nodes_from((f"theme:t{t:02}", {"kind": "theme", "claims": 9}) for t in range(themes))
    for a in range(authors):
        graph.add_node(f"author:a{a:02}", kind="author", claims=5)
        for t in range(themes):
            weight = 5 if (a + t) % 10 == 0 else 1
            graph.add_edge(f"author:a{a:02}", f"theme:t{t:02}", key="supports", weight=weight)
    graph.add_node("author:lonely", kind="author", claims=1)
    graph.add_edge("author:lonely", f"theme:t{themes - 1:02}", key="mentions", weight=1)
    return graph


def test_readable_subgraph_keeps_the_heaviest_edges_and_one_for_every_node() -> None:
    graph = dense_map(60, 20)
    sub, nodes, edges = readable_subgraph(graph, 100)
    assert (nodes, edges) == (81, 1201) and list(sub) == list(graph)
    assert sub.number_of_edges() == 300, "at most three edges per node the view may draw"
    assert all(sub.degree(node) for node in sub), "every node keeps an edge"
    lonely = ("theme:t19", "author:lonely", "mentions")
    heavy = [(u, v, k) for u, v, k, w in graph.edges(keys=True, data="weight") if w == 5]
    light = [(u, v, k) for u, v, k, w in graph.edges(keys=True, data="weight") if w == 1]
    kept = list(sub.edges(keys=True))
    assert set(heavy) <= set(kept), "the heaviest edges"
    assert lonely in kept and light[-1] == lonely, "its only edge, though the graph's last"
    assert [e for e in light if e in kept][:-1] == light[: 300 - len(heavy) - 1], (
        "then the light ones, ties going to the edge the graph lists first"
    )
    assert kept == [e for e in graph.edges(keys=True) if e in set(kept)], "in the graph's order"
    again, _, _ = readable_subgraph(graph, 100)
    assert list(again.edges(keys=True, data=True)) == list(sub.edges(keys=True, data=True))
    assert readable_subgraph(graph, 401)[0] is graph, "within both limits: the graph itself"


@pytest.mark.parametrize("limit", [5, 10, 20, 30])
def test_readable_network_is_the_readable_subgraph_of_the_projection(
    store, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(kg.projections.network, "EDGES_PER_NODE", 1)  # the seed is too small to cap
    data = ReviewData(store)
    for project in (author_theme_network, citation_network, cocitation_network, theme_network):
        whole = project(store, title="Seed", data=data)
        made = readable_network(project, store, title="Seed", data=data, limit=limit)
        expected = readable_subgraph(whole, limit)
        assert made[1:] == expected[1:] == (whole.number_of_nodes(), whole.number_of_edges())
        assert made[0].graph == expected[0].graph
        assert list(made[0].nodes(data=True)) == list(expected[0].nodes(data=True))
        assert list(made[0].edges(keys=True, data=True)) == list(
            expected[0].edges(keys=True, data=True)
        ), project.__name__
        assert made[0].number_of_edges() <= limit
        everything, nodes, edges = readable_network(project, store, data=data, limit=None)
        assert nx.utils.graphs_equal(everything, project(store, data=data))
        assert (nodes, edges) == (whole.number_of_nodes(), whole.number_of_edges())


def test_projections_from_data_read_once_are_the_same(store) -> None:
    data = ReviewData(store)
    for project in (author_theme_network, citation_network, cocitation_network, theme_network):
        alone, shared = project(store), project(store, data=data)
        assert nx.utils.graphs_equal(alone, shared), project.__name__
        assert list(alone.edges(keys=True)) == list(shared.edges(keys=True)), project.__name__
    for project in (author_theme_network, citation_network, cocitation_network):
        alone, shared = project(store, theme="hope"), project(store, theme="hope", data=data)
        assert nx.utils.graphs_equal(alone, shared), project.__name__
    assert load_claims(store, theme="hope", data=data) == load_claims(store, theme="hope")


def test_readable_subgraph_keeps_the_graph_order_and_copies_the_data() -> None:
    graph = star_map(400, 12)
    sub, _, _ = readable_subgraph(graph, 100)
    assert list(sub) == [n for n in graph if n in sub]
    assert list(sub.edges(keys=True)) == [
        (u, v, k) for u, v, k in graph.edges(keys=True) if u in sub and v in sub
    ]
    node = next(iter(sub))
    assert sub.nodes[node] == graph.nodes[node] and sub.nodes[node] is not graph.nodes[node]


def extended_store(built) -> Store:
    """The seed review's graph in memory, with two more citations in the "hook for change"
    claim: Giordano et al. (2002) again, at page 99, by a citation whose IRI sorts before the
    first one; and "Nobody (1999)", a work with no bibliography entry whose statements two
    graphs both hold, as two texts citing it would."""
    report, _ = built
    store = Store()
    store.bulk_load(path=str(report.output / "graph.trig"), format=RdfFormat.TRIG)
    result = run_query(
        store,
        """SELECT ?graph ?claim ?citation ?work ?citing WHERE { GRAPH ?graph {
             ?claim dcterms:subject ?theme ; kg:hasCitation ?citation .
             ?citation cito:hasCitedEntity ?work ; cito:hasCitingEntity ?citing } .
           FILTER(STRENDS(STR(?theme), "/hook-for-change")) }""",
    )
    ((graph, claim, citation, work, citing),) = result.values(*result.variables)
    texts = citation.rsplit("/", 1)[0]
    again, unresolved = f"{texts}/0000-0001", f"{texts}/9999-9999"
    nobody = f"{work.rsplit('/work/', 1)[0]}/unresolved/nobody-1999"
    statements = (
        f'<{nobody}> a kg:UnresolvedWork ; kg:surfaceNames "Nobody" ; dcterms:issued "1999" .'
    )
    run_update(
        store,
        f"""INSERT DATA {{
          GRAPH <{graph}> {{
            <{claim}> kg:hasCitation <{again}>, <{unresolved}> .
            <{again}> a cito:Citation ; cito:hasCitedEntity <{work}> ;
              cito:hasCitingEntity <{citing}> ;
              cito:hasCitationCharacterization cito:citesAsEvidence ; kg:locator "p. 99" .
            <{unresolved}> a cito:Citation ; cito:hasCitedEntity <{nobody}> ;
              cito:hasCitingEntity <{citing}> ; cito:hasCitationCharacterization cito:cites ;
              kg:unresolved true ; kg:mentionText "(Nobody, 1999)" .
            {statements}
          }}
          GRAPH <{graph}-elsewhere> {{ {statements} }}
        }}""",
    )
    return store


def test_a_work_cited_twice_in_one_claim_and_a_work_with_no_entry(built) -> None:
    store = extended_store(built)
    graph = author_theme_network(store)
    edge = graph.edges["author:giordano-peggy-c", "theme:hook-for-change", "supports"]
    assert edge["weight"] == 1
    assert [entry["locator"] for entry in edge["claims"]] == ["p. 99", None], "citation order"
    (claim,) = load_claims(store, theme="hook-for-change")
    assert [(cited.key, cited.label, cited.locator) for cited in claim.cites] == [
        ("giordano2002gender", "Giordano, Cernkovich and Rudolph (2002)", "p. 99"),
        ("unresolved:nixon2020giving/9999-9999", "Nobody (1999)", ""),
    ], "a work once, as first cited; a work with no entry named as written, once"
    cited = citation_network(store)
    assert cited.nodes["work:unresolved:nixon2020giving/9999-9999"]["label"] == "Nobody (1999)"


def test_claims_at_the_same_place_in_two_texts_stay_two(tmp_path: Path) -> None:
    """Two citing works whose texts have claims at the same offsets: each claim is its own
    node, and counts and weights count both (claim IRIs end alike: ``.../10-52``)."""
    from kg.build.pipeline import build_review
    from kg.store.embedded import open_store
    from tests.conftest import BIB, write_config

    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    for text in (first, second):
        shutil.copy(BIB / "nixon2020-excerpt.txt", text)
    texts = (
        f'[{{path = "{first}", work = "nixon2020giving"}},'
        f' {{path = "{second}", work = "nixon2018just"}}]'
    )
    report = build_review(write_config(tmp_path, texts=texts, claims=None))
    store = open_store(report.output / "store")
    claims = load_claims(store)
    assert (
        len(claims) == report.counts["claims"] == 2 * len({c.ident.split("/")[-1] for c in claims})
    )
    cited = citation_network(store)
    assert sum(1 for _, kind in cited.nodes(data="kind") if kind == "claim") == len(claims)
    single = author_theme_network(store)
    edge = single.edges["author:giordano-peggy-c", "theme:hook-for-change", "supports"]
    assert edge["weight"] == 2 and len({entry["id"] for entry in edge["claims"]}) == 2
