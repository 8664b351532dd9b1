"""Tests for kg.outputs.views: the self-contained maps, the index page and their atomic writing."""

from __future__ import annotations

import base64
import dataclasses
import doctest
import gc
import hashlib
import html
import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import kg.outputs.files
import kg.outputs.views
from kg.build.staging import OUTPUTS
from kg.outputs.layout import Placed
from kg.outputs.views import (
    VIEWS,
    find_view,
    render_author_theme,
    render_view,
    write_html,
    write_view,
    write_views,
)
from kg.projections.network import ReviewData, readable_subgraph

PAYLOAD = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>alert(2)</script>"

AUTHORS = {
    "nixon-s": "Nixon, S.",
    "giordano-p-c": "Giordano, P. C.",
    "cernkovich-s-a": "Cernkovich, S. A.",
    "galnander-r": "Gålnander, R.",
    "unodc": "United Nations Office on Drugs and Crime",
    "visher-c": "Visher, C.",
    "apel-r": "Apel, R.",
    "sweeten-g": "Sweeten, G.",
    "bushway-s-d": "Bushway, S. D.",
    "grayling-c": "Grayling, C.",
    "buck-g": "Buck, G.",
    "jaffe-m": "Jaffe, M.",
    "kavanagh-l": "Kavanagh, L.",
    "borrill-j": "Borrill, J.",
    "perrin-c": "Perrin, C.",
    "blagden-n": "Blagden, N.",
    "hucklesby-a": "Hucklesby, A.",
    "wincup-e": "Wincup, E.",
    "maruna-s": "Maruna, S.",
}

WORKS = {
    "nixon2020giving": (["nixon-s"], "'Giving back and getting on with my life'", "2020"),
    "giordano2002gender": (
        ["giordano-p-c", "cernkovich-s-a"],
        "Gender, Crime, and Desistance: Toward a Theory of Cognitive Transformation",
        "2002",
    ),
    "galnander2020desistance": (["galnander-r"], "Desistance from crime \u2013 to what?", "2020"),
    "unodc2003peer": (["unodc"], "Peer to Peer: Using Peer to Peer Strategies", "2003"),
    "visher2008employment": (["visher-c"], "Employment after Prison", "2008"),
    "apel2010impact": (
        ["apel-r", "sweeten-g"],
        "The Impact of Incarceration on Employment",
        "2010",
    ),
    "bushway2012signaling": (["bushway-s-d", "apel-r"], "A Signaling Perspective", "2012"),
    "grayling2012speech": (["grayling-c"], f"Speech on rehabilitation {PAYLOAD}", "2012"),
    "buck2014civic": (["buck-g"], "Civic re-engagements amongst former prisoners", "2014"),
    "buck2016mimesis": (["buck-g"], '"I wanted to feel the way they did": Mimesis', "2016"),
    "buck2017core": (["buck-g"], "The core conditions of peer mentoring", "2017"),
    "jaffe2012peer": (["jaffe-m"], "Peer support & seeking help in prison", "2012"),
    "kavanagh2013exploring": (["kavanagh-l", "borrill-j"], "Exploring the experiences", "2013"),
    "perrin2014accumulating": (["perrin-c", "blagden-n"], "Accumulating meaning", "2014"),
    "hucklesby2014assistance": (["hucklesby-a", "wincup-e"], "Assistance, support and", "2014"),
    "maruna2001making": (["maruna-s"], "Making Good: How Ex-Convicts Reform", "2001"),
}

THEMES = {
    "peer-mentoring": ("Peer mentoring", "Support offered by people with lived experience."),
    "desistance": ("Desistance", "The process of ceasing to offend."),
    "reciprocal-benefits": ("Reciprocal benefits", "Mentor and mentee both gain."),
    "coercion": ("Coercion", "Mentoring made compulsory inside criminal justice."),
    "transforming-rehabilitation": ("Transforming Rehabilitation", "The 2014 reforms."),
    "employment": ("Employment", "Work after release."),
    "identity": ("Identity transformation", "A new, non-offending self: “who I am now”."),
    "giving-back": ("Giving back", "Generativity: wanting to repay & help others."),
    "lived-experience": ("Lived experience", "Knowledge gained from having been there."),
    "professionalisation": ("Professionalisation", "Peer roles turned into paid posts."),
    "recovery": ("Recovery", "Recovery from substance misuse."),
    "stigma": ("Stigma", f"Labels that follow a conviction {PAYLOAD}."),
    "hope": ("Hope", "Belief that change is possible."),
    "social-capital": ("Social capital", "Networks and trust."),
    "listeners": ("Listener schemes", "Prisoners trained by Samaritans."),
    "reentry": ("Re-entry", "Return to the community."),
    "mimesis": ("Mimesis", "Imitating those who have changed."),
}

# (sentence, cited work, locator, themes, stance)
CLAIMS = [
    ("Peer mentoring yielded many positive benefits.", "kavanagh2013exploring", "p. 8",
     ["peer-mentoring", "reciprocal-benefits"], "supports"),
    ("Mentors described wanting to give something back.", "buck2014civic", None,
     ["giving-back", "peer-mentoring"], "supports"),
    ("Mentees imitated mentors they admired.", "buck2016mimesis", "p. 3",
     ["mimesis", "identity"], "supports"),
    ("Care, trust & hope are the core conditions.", "buck2017core", "pp. 10\u201312",
     ["peer-mentoring", "hope"], "supports"),
    ("Listeners in four prisons sought help from peers.", "jaffe2012peer", None,
     ["listeners", "peer-mentoring"], "supports"),
    ("Meaning accumulates as people help others.", "perrin2014accumulating", "p. 907",
     ["reciprocal-benefits", "identity", "giving-back"], "supports"),
    ("Mentoring in a coercive system departs from its principles.",
     "hucklesby2014assistance", "p. 1", ["coercion", "peer-mentoring"], "disputes"),
    ("Grayling claimed mentors would \"meet them at the gate\" " + PAYLOAD + ".",
     "grayling2012speech", None, ["transforming-rehabilitation", "reentry"], "supports"),
    ("The reforms promised mentoring " + BREAKOUT + " for all.", "grayling2012speech", None,
     ["transforming-rehabilitation"], "disputes"),
    ("Cognitive transformation precedes desistance.", "giordano2002gender", "p. 990",
     ["desistance", "identity"], "supports"),
    ("Hooks for change matter less than agency.", "giordano2002gender", None,
     ["desistance"], "disputes"),
    ("Desistance is a process, not an event — så att säga.", "galnander2020desistance", "s. 4",
     ["desistance", "stigma"], "mentions"),
    ("Peer-to-peer strategies reach hidden populations.", "unodc2003peer", None,
     ["peer-mentoring", "recovery", "lived-experience"], "supports"),
    ("Employment is a key correlate of desistance.", "visher2008employment", "p. 3",
     ["employment", "desistance", "reentry"], "supports"),
    ("Incarceration reduces later employment.", "apel2010impact", None,
     ["employment", "stigma"], "supports"),
    ("Programme completion signals desistance to employers.", "bushway2012signaling", None,
     ["employment", "desistance", "social-capital"], "mentions"),
    ("Redemption scripts make good of the past.", "maruna2001making", "p. 87",
     ["identity", "desistance", "giving-back", "hope"], "supports"),
    ("Wounded healers professionalise lived experience.", "maruna2001making", "p. 102",
     ["professionalisation", "lived-experience"], "mentions"),
    ("Paid peer posts risk losing what made peers credible.", "nixon2020giving", None,
     ["professionalisation", "peer-mentoring"], "disputes"),
    ("Mentoring builds bridging social capital.", "buck2014civic", "p. 58",
     ["social-capital", "peer-mentoring"], "supports"),
    ("Recovery and desistance run together.", "kavanagh2013exploring", None,
     ["recovery", "desistance"], "supports"),
    ("Mentoring is not inherently reciprocal.", "kavanagh2013exploring", "p. 9",
     ["reciprocal-benefits"], "disputes"),
]  # fmt: skip


def review_graph(reverse: bool = False) -> nx.MultiGraph:
    """A graph shaped like kg.projections.network's author-theme projection of a peer-mentoring
    review.

    ``reverse`` inserts every node and edge in the opposite order, to show that the page does
    not depend on insertion order.
    """
    graph = nx.MultiGraph(title=f"Peer mentoring & desistance: a review {PAYLOAD}")
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    author_claims: dict[str, set[str]] = defaultdict(set)
    theme_claims: dict[str, set[str]] = defaultdict(set)
    for quote, key, locator, themes, stance in CLAIMS:
        authors, title, year = WORKS[key]
        claim = {"quote": quote, "key": key, "work": title, "year": year, "locator": locator}
        for author in authors:
            author_claims[author].add(quote)
            for theme in themes:
                theme_claims[theme].add(quote)
                edges[f"author:{author}", f"theme:{theme}", stance].append(claim)
    nodes: list[tuple[str, dict[str, Any]]] = []
    for slug, label in AUTHORS.items():
        works = [
            {"key": key, "title": title, "year": year}
            for key, (authors, title, year) in WORKS.items()
            if slug in authors
        ]
        attrs = {"kind": "author", "label": label, "works": works}
        nodes.append((f"author:{slug}", attrs | {"claims": len(author_claims[slug])}))
    for ident, (label, definition) in THEMES.items():
        attrs = {"kind": "theme", "label": label, "definition": definition}
        nodes.append((f"theme:{ident}", attrs | {"claims": len(theme_claims[ident])}))
    edge_list = list(edges.items())
    if reverse:
        nodes.reverse()
        edge_list.reverse()
    graph.add_nodes_from(nodes)
    for (author, theme, stance), claims in edge_list:
        ends = (theme, author) if reverse else (author, theme)
        graph.add_edge(*ends, key=stance, stance=stance, weight=len(claims), claims=claims)
    return graph


@pytest.fixture(scope="module")
def graph() -> nx.MultiGraph:
    return review_graph()


@pytest.fixture(scope="module")
def page(graph: nx.MultiGraph) -> str:
    return render_author_theme(graph)


def page_data(page: str) -> dict[str, Any]:
    """The page's data, with the claims and details (a second block, read lazily) put back."""
    blocks = {
        name: json.loads(text)
        for name, text in re.findall(
            r'<script type="application/json" id="(kg-data|kg-details-data)">(.*?)</script>',
            page,
            re.S,
        )
    }
    data: dict[str, Any] = blocks["kg-data"]
    more = blocks["kg-details-data"]
    for node in data["nodes"]:
        node["kg"].update(more["nodes"][node["id"]])
    for edge in data["edges"]:
        edge["kg"]["claims"] = [
            {
                "id": ident,
                "quote": more["quotes"][ident],
                "cites": [
                    {"key": key, **more["works"][key], "locator": locator, "stance": stance}
                    for key, locator, stance in cites
                ],
            }
            for ident, cites in more["edges"][edge["id"]]
        ]
    return data


def test_fixture_is_realistic(graph: nx.MultiGraph) -> None:
    kinds = [kind for _, kind in graph.nodes(data="kind")]
    assert 10 <= kinds.count("author") <= 20
    assert kinds.count("theme") == 17
    assert {key for _, _, key in graph.edges(keys=True)} == {"supports", "disputes", "mentions"}


def test_no_reference_to_another_host(page: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "//cdn" not in page.lower()
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert "sourceMappingURL" not in page


def test_content_security_policy_blocks_requests_and_allows_only_our_scripts(page: str) -> None:
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    assert "default-src 'none'" in csp.group(1)
    assert "unsafe-inline" not in csp.group(1).split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 4  # vis-network, dom.js, views.js, figure.js
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)


def test_vis_network_is_inline(page: str) -> None:
    folder = resources.files("pyvis") / "lib" / "vis-9.1.2"
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    assert script[:5000] in page
    assert script.split("\n//# sourceMappingURL")[0][-5000:] in page
    assert style[:2000] in page
    assert "window.kgNetwork = network" in page


def test_payload_appears_only_escaped(page: str) -> None:
    assert PAYLOAD not in page
    assert "onerror=alert(1)>" not in page
    assert BREAKOUT not in page
    assert page.count("</script>") == 6  # four scripts, two JSON blocks
    assert html.escape(PAYLOAD) in page  # the review title in <h1> and <title>
    data = page_data(page)
    quotes = [c["quote"] for e in data["edges"] for c in e["kg"]["claims"]]
    assert any(PAYLOAD in quote for quote in quotes), "the page's script shows the raw text"
    assert any(BREAKOUT in quote for quote in quotes)
    details = [n["kg"]["detail"] for n in data["nodes"]]
    assert any(PAYLOAD in detail for detail in details)


def test_no_input_text_is_parsed_as_html(page: str) -> None:
    script = re.findall(r"<script>(.*?)</script>", page, re.S)[1]
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "textContent" in script
    assert not any("title" in item for item in page_data(page)["nodes"])


def test_counts_match_the_graph(graph: nx.MultiGraph, page: str) -> None:
    nodes = graph.number_of_nodes()
    edges = graph.number_of_edges()
    assert f'data-kg-nodes="{nodes}" data-kg-edges="{edges}"' in page
    data = page_data(page)
    assert len(data["nodes"]) == nodes
    assert len(data["edges"]) == edges
    assert f"19 authors · 17 themes · {len(CLAIMS)} claims" in page


def test_same_graph_gives_the_same_bytes(graph: nx.MultiGraph, page: str) -> None:
    assert render_author_theme(graph) == page
    assert render_author_theme(review_graph(reverse=True)) == page


def test_nodes_and_edges_are_styled_by_kind_and_stance(page: str) -> None:
    data = page_data(page)
    groups = data["options"]["groups"]
    shapes = {n["kg"]["kind"]: groups[n["group"]]["shape"] for n in data["nodes"]}
    assert shapes == {"author": "dot", "theme": "box"}
    assert groups["author"]["color"]["background"] != groups["theme"]["color"]["background"]
    colours = {e["kg"]["stance"]: e["color"] for e in data["edges"]}
    assert len(set(colours.values())) == 3
    # Stance by line style as well as colour: solid supports, dashed disputes, dotted mentions.
    dashes = {e["kg"]["stance"]: tuple(e.get("dashes") or ()) for e in data["edges"]}
    assert dashes["supports"] == () and len(set(dashes.values())) == 3
    assert dashes["disputes"][0] > dashes["mentions"][0]
    for edge in data["edges"]:
        assert edge["kg"]["weight"] == len(edge["kg"]["claims"])
        assert edge["kg"]["stances"] == [edge["kg"]["stance"]]
    widths = {e["kg"]["weight"]: e["width"] for e in data["edges"]}
    assert widths[max(widths)] > widths[min(widths)]
    sizes = {n["kg"]["claims"]: n["size"] for n in data["nodes"] if n["kg"]["kind"] == "author"}
    assert sizes[max(sizes)] > sizes[min(sizes)]


def test_parallel_stances_between_one_pair_are_both_kept(page: str) -> None:
    ids = {e["id"] for e in page_data(page)["edges"]}
    pair = "author:kavanagh-l|theme:reciprocal-benefits"
    assert {f"{pair}|supports", f"{pair}|disputes"} <= ids


def test_small_graph_is_placed_here_with_labels_apart(page: str) -> None:
    from kg.outputs.figure import node_box

    data = page_data(page)
    assert data["options"]["physics"]["enabled"] is False
    groups = data["options"]["groups"]
    boxes = []
    for node in data["nodes"]:
        left, top, right, bottom = node_box(node, groups[node["group"]])
        boxes.append((node["x"] + left, node["y"] + top, node["x"] + right, node["y"] + bottom))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1])


def test_large_graph_gets_fixed_positions(graph: nx.MultiGraph) -> None:
    data = page_data(render_author_theme(graph, physics_threshold=10))
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"]["enabled"] is False
    positions = [(node["x"], node["y"]) for node in data["nodes"]]
    assert len(set(positions)) == len(positions)


def test_unknown_stance_is_refused(graph: nx.MultiGraph) -> None:
    bad = graph.copy()
    bad.add_edge("author:maruna-s", "theme:hope", key="praises", stance="praises", claims=[])
    with pytest.raises(ValueError, match="'praises'"):
        render_author_theme(bad)


def test_write_html_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    write_html("<p>new · ünïcode</p>", target)
    assert target.read_text(encoding="utf-8") == "<p>new · ünïcode</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_failure_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_html("<p>" + "x" * 100_000 + "\udc80 a lone surrogate cannot be encoded", target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_failure_before_replace_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError("disk full")

    target = tmp_path / "map.html"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(kg.outputs.files.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_html("<p>new</p>", target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_docstring_example_runs() -> None:
    assert doctest.testmod(kg.outputs.views).failed == 0


def test_every_view_of_the_seed_review(store, tmp_path: Path) -> None:
    written = write_views(store, tmp_path, title="Seed <b>review</b>")
    assert [w.view.filename for w in written] == [v.filename for v in VIEWS]
    for view_file in written:
        page = view_file.path.read_text(encoding="utf-8")
        graph = view_file.view.project(store, title="Seed <b>review</b>")
        counts = (
            f'data-kg-nodes="{graph.number_of_nodes()}" data-kg-edges="{graph.number_of_edges()}"'
        )
        assert counts in page, view_file.view.name
        view = view_file.view
        clustering = view.cluster(ReviewData(store), graph) if view.cluster else None
        assert render_view(graph, view, clustering=clustering) == page, "same graph, same bytes"
        assert "Seed &lt;b&gt;review&lt;/b&gt;" in page and "<b>review" not in page
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
        data = page_data(page)
        assert len(data["nodes"]) == graph.number_of_nodes() > 0
        assert len(data["edges"]) == graph.number_of_edges() > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["index.html", *(v.filename for v in VIEWS)]
    )


def test_index_links_every_view_with_its_counts(store, tmp_path: Path) -> None:
    written = write_views(store, tmp_path, title=f"Seed {PAYLOAD}")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for view_file in written:
        assert f'href="{view_file.view.filename}"' in index
        assert f'data-kg-nodes="{view_file.nodes}" data-kg-edges="{view_file.edges}"' in index
    assert "23 authors · 18 themes · 17 claims" in index
    assert PAYLOAD not in index and html.escape(PAYLOAD) in index
    assert "<script" not in index
    assert "script-src 'none'" in index and "default-src 'none'" in index


def test_citation_view_runs_from_text_to_claims_to_works(store) -> None:
    view = find_view("citations")
    data = page_data(render_view(view.project(store), view))
    kinds = {n["id"]: n["kg"]["kind"] for n in data["nodes"]}
    assert kinds["work:nixon2020giving"] == "citing"
    assert data["options"]["edges"]["arrows"]["to"]["enabled"] is True
    for edge in data["edges"]:
        ends = (kinds[edge["from"]], kinds[edge["to"]])
        assert ends in {("citing", "claim"), ("claim", "work")}, edge["id"]
        assert (edge["kg"]["stance"] == "makes") == (ends == ("citing", "claim"))
    disputed = {e["to"] for e in data["edges"] if e["kg"]["stance"] == "disputes"}
    assert disputed == {"work:grayling2012speech", "work:hucklesby2014assistance"}


def test_co_cited_claim_lists_both_works_once(store) -> None:
    view = find_view("co-citation")
    data = page_data(render_view(view.project(store), view))
    edge = next(
        e
        for e in data["edges"]
        if e["id"] == "work:apel2010impact|work:bushway2012signaling|co-cited"
    )
    assert edge["kg"]["weight"] == len(edge["kg"]["claims"]) == 1
    cites = [c["cite"] for c in edge["kg"]["claims"][0]["cites"]]
    assert cites == ["Apel and Sweeten (2010)", "Bushway and Apel (2012)"]


def test_large_view_without_anchor_kinds_gets_fixed_positions(store) -> None:
    view = find_view("co-citation")
    data = page_data(render_view(view.project(store), view, physics_threshold=5))
    assert data["options"]["physics"]["enabled"] is False
    positions = [(node["x"], node["y"]) for node in data["nodes"]]
    assert len(set(positions)) == len(positions)


def test_unknown_kind_is_refused(graph: nx.MultiGraph) -> None:
    bad = graph.copy()
    bad.add_node("journal:x", kind="journal", label="A journal")
    with pytest.raises(ValueError, match=r"journal:x"):
        render_author_theme(bad)


def test_find_view() -> None:
    assert find_view("map") is VIEWS[0]
    assert find_view("citations.html").name == "citations"
    with pytest.raises(KeyError, match="views: map, citations, co-citation, themes"):
        find_view("sankey")


def test_build_writes_every_view_atomically() -> None:
    assert {"index.html", *(v.filename for v in VIEWS)} <= set(OUTPUTS)


def test_kg_view_writes_one_view(built, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    _, config = built
    target = tmp_path / "citations.html"
    result = CliRunner().invoke(main, ["view", "citations", "-c", str(config), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "1 citing text · 17 claims · 17 cited works" in result.output
    assert 'data-kg-nodes="35"' in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["citations.html"]
    unknown = CliRunner().invoke(main, ["view", "sankey", "-c", str(config)])
    assert unknown.exit_code == 2


def big_map(authors: int, themes: int) -> nx.MultiGraph:
    """An author-theme map too large to read: author ``i`` has ``i % 40`` claims."""
    graph = nx.MultiGraph(title="Big <review>")
    for t in range(themes):
        graph.add_node(f"theme:t{t:02}", kind="theme", label=f"Theme {t}", claims=t + 1)
    for a in range(authors):
        author = f"author:a{a:05}"
        graph.add_node(author, kind="author", label=f"Author {a}", claims=a % 40)
        for t, stance in ((a % themes, "supports"), ((a * 7 + 1) % themes, "disputes")):
            claim = {"id": f"c{a}-{t}", "quote": "Q.", "key": f"w{a}", "work": "W", "year": ""}
            graph.add_edge(
                author, f"theme:t{t:02}", key=stance, stance=stance, weight=1, claims=[claim]
            )
    return graph


def test_large_graph_is_drawn_as_its_readable_part_with_a_banner() -> None:
    graph = big_map(3000, 30)
    sub, nodes, edges = readable_subgraph(graph, 500)
    page = render_view(sub, VIEWS[0], whole=(nodes, edges))
    data = page_data(page)
    assert len(data["nodes"]) == 500 and len(data["edges"]) == sub.number_of_edges()
    assert f'data-kg-nodes="500" data-kg-edges="{sub.number_of_edges()}"' in page
    banner = (
        f"Showing the 500 most-cited of 3,030 authors and themes, and "
        f"{sub.number_of_edges():,} of {edges:,} links. For the whole graph: kg view map --all"
    )
    assert f'<p class="kg-banner" role="note">{html.escape(banner)}</p>' in page
    assert "Big &lt;review&gt;" in page
    kinds = [n["kg"]["kind"] for n in data["nodes"]]
    assert kinds.count("theme") == 30
    authors = [n["kg"]["claims"] for n in data["nodes"] if n["kg"]["kind"] == "author"]
    assert len(authors) == 470 and min(authors) == 33, "the 470 authors with the most claims"
    whole = render_view(graph, VIEWS[0], whole=(nodes, edges))
    assert "--all" not in whole and f'data-kg-nodes="{nodes}"' in whole


def test_views_of_a_large_review_show_their_part_and_the_whole_counts(
    store, tmp_path: Path
) -> None:
    written = write_views(store, tmp_path, limit=10)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for view_file in written:
        graph = view_file.view.project(store)
        assert (view_file.total_nodes, view_file.total_edges) == (
            graph.number_of_nodes(),
            graph.number_of_edges(),
        )
        assert view_file.nodes == min(10, graph.number_of_nodes())
        page = view_file.path.read_text(encoding="utf-8")
        assert f'data-kg-nodes="{view_file.nodes}" data-kg-edges="{view_file.edges}"' in page
        cut = (view_file.total_nodes, view_file.total_edges) != (view_file.nodes, view_file.edges)
        assert view_file.cut == cut
        assert (f"kg view {view_file.view.name} --all" in page) == cut
        if cut:
            assert (
                f"{view_file.nodes} of {view_file.total_nodes} nodes · "
                f"{view_file.edges} of {view_file.total_edges} edges"
            ) in index
    assert "<code>kg view map --all</code>" in index


def dense_map(authors: int, themes: int) -> nx.MultiGraph:
    """An author-theme map linking every author to every theme, with 1 to 3 claims."""
    graph = nx.MultiGraph(title="Dense")
    for t in range(themes):
        graph.add_node(f"theme:t{t:02}", kind="theme", label=f"Theme {t}", claims=authors)
    for a in range(authors):
        graph.add_node(f"author:a{a:03}", kind="author", label=f"Author {a}", claims=themes)
        for t in range(themes):
            claim = {"id": f"c{a}-{t}", "quote": "Q.", "key": f"w{a}", "work": "W", "year": ""}
            graph.add_edge(
                f"author:a{a:03}", f"theme:t{t:02}", key="supports", stance="supports",
                weight=1 + (a + t) % 3, claims=[claim],
            )  # fmt: skip
    return graph


def test_a_view_with_too_many_edges_draws_the_heaviest_and_says_so(store, tmp_path: Path) -> None:
    dense = dataclasses.replace(VIEWS[0], project=lambda store, **options: dense_map(60, 20))
    written = write_view(store, dense, tmp_path / "map.html", title="Dense", limit=100)
    assert (written.nodes, written.edges) == (80, 300) and written.cut
    assert (written.total_nodes, written.total_edges) == (80, 1200)
    page = written.path.read_text(encoding="utf-8")
    assert 'data-kg-nodes="80" data-kg-edges="300"' in page
    banner = (
        "Showing all 80 authors and themes, and 300 of 1,200 links. "
        "For the whole graph: kg view map --all"
    )
    assert f'<p class="kg-banner" role="note">{banner}</p>' in page
    drawn = sorted((edge["kg"]["weight"] for edge in page_data(page)["edges"]), reverse=True)
    weights = sorted((w for *_, w in dense_map(60, 20).edges(data="weight")), reverse=True)
    assert drawn == weights[:300], "the heaviest"
    whole = write_view(store, dense, tmp_path / "all.html", title="Dense", limit=None)
    assert (whole.nodes, whole.edges, whole.cut) == (80, 1200, False)
    assert 'class="kg-banner"' not in whole.path.read_text(encoding="utf-8")


def test_kg_view_all_draws_the_whole_graph(built, store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    _, config = built
    limited = config.with_name("limited.toml")
    limited.write_text("view_limit = 10\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "map.html"
    whole = find_view("map").project(store)
    for options, nodes in (([], 10), (["--all"], whole.number_of_nodes())):
        args = ["view", "map", "-c", str(limited), "-o", str(target), *options]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert f'data-kg-nodes="{nodes}"' in target.read_text(encoding="utf-8")
    limited.write_text("view_limit = 0\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    refused = CliRunner().invoke(main, ["view", "map", "-c", str(limited), "-o", str(target)])
    assert refused.exit_code == 1
    assert "'view_limit' must be a positive whole number, got 0" in refused.output


def test_drawing_views_leaves_the_cycle_collector_as_it_was(store, tmp_path: Path) -> None:
    assert gc.isenabled()
    write_views(store, tmp_path, views=VIEWS[2:])
    assert gc.isenabled()
    gc.disable()
    try:
        write_views(store, tmp_path, views=VIEWS[2:])
        assert not gc.isenabled()
    finally:
        gc.enable()

    def failing(store: Any, **options: Any) -> nx.MultiGraph:
        raise RuntimeError("projection failed")

    broken = dataclasses.replace(VIEWS[0], project=failing)
    with pytest.raises(RuntimeError, match="projection failed"):
        write_views(store, tmp_path, views=[broken])
    assert gc.isenabled()


def _json_module(value: Any) -> str:
    """The pages' JSON as Python's json module writes it, escaped as ``_script_json`` says."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def test_script_json_writes_what_json_writes(built) -> None:
    # Every JSON block of every page the seed build wrote, read back and written again by
    # the pages' writer (orjson) and by json: the same text, byte for byte.
    script_json = kg.outputs.views._script_json
    report, _ = built
    blocks = 0
    for page in sorted(report.output.glob("*.html")):
        found = re.findall(
            r'<script type="application/json" id="[^"]+">(.*?)</script>',
            page.read_text(encoding="utf-8"),
            re.S,
        )
        for block in found:
            value = json.loads(block)
            assert script_json(value) == _json_module(value) == block, page.name
            blocks += 1
    assert blocks >= 10
    # What input text may hold: controls, quotes, markup, the line separators JavaScript
    # ends a line at, accents and emoji; floats as the pages round them.
    text = "".join(map(chr, range(32))) + '"\\ </script><!-- & é \u2028\u2029 \U0001f600'
    tricky = {"quote": text, "b": [0.1, 2.5, 12.34, -0.0, 100.0, 3, -7], "a": {"z": None}}
    assert script_json(tricky) == _json_module(tricky)
    assert "</" not in script_json(tricky) and "\u2028" not in script_json(tricky)
    # What orjson refuses is written by json: keys not text, huge integers, named tuples.
    for refused in ({1: "a", 2: "b"}, [2**70], {"t": Placed(1.0, 2.0, True)}):
        assert script_json(refused) == _json_module(refused)
