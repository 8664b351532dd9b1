"""The seed review pushed to a real Oxigraph server: same answers as the embedded store.

The server is the session fixture ``oxigraph_server`` (tests/conftest.py); the HTTP failures
that a healthy Oxigraph never gives (timeouts, 5xx, a login) come from a small stand-in
server in this file.
"""

from __future__ import annotations

import base64
import http.server
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, RdfFormat, parse

from kg.cli import main
from kg.errors import QueryError, RemoteError
from kg.store.query import (
    OutputFormat,
    format_result,
    list_queries,
    load_query,
    run_query,
    run_update,
)
from kg.store.remote import (
    SparqlEndpoint,
    default_urls,
    open_endpoint,
    push_review,
    review_endpoint,
)

from .conftest import running_oxigraph

BASE = "https://example.org/review/"
OTHER = "https://example.org/other-review/graph/claims/x"
OTHER_CLAIM = (
    b"<https://example.org/other/claim> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    b" <https://w3id.org/kg/ontology#Claim> .\n"
)


@pytest.fixture(scope="module")
def server(oxigraph_server: str, built) -> SparqlEndpoint:
    """The session's Oxigraph (union default graph) holding the seed review and nothing else."""
    report, _ = built
    endpoint = open_endpoint(f"{oxigraph_server}/query", timeout=30)
    push_review(report.output / "graph.trig", endpoint, BASE)
    return endpoint


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory, built) -> Iterator[SparqlEndpoint]:
    """A second Oxigraph, started plain (no union default graph), holding the seed review
    beside another review's graph."""
    report, _ = built
    with running_oxigraph(tmp_path_factory.mktemp("plain")) as url:
        endpoint = open_endpoint(f"{url}/query", timeout=30)
        endpoint.put_graph(OTHER, OTHER_CLAIM)
        push_review(report.output / "graph.trig", endpoint, BASE)
        yield endpoint


@pytest.fixture(params=["union", "shared", "plain"])
def remote(request, server, plain_server) -> Iterator[SparqlEndpoint]:
    """The seed review read from a server three ways: alone on a union-default-graph server,
    beside another review's graph on it, and on a plain server beside another review."""
    if request.param == "shared":
        server.put_graph(OTHER, OTHER_CLAIM)
    try:
        yield review_endpoint(plain_server if request.param == "plain" else server, BASE)
    finally:
        if request.param == "shared":
            server.delete_graph(OTHER)


def _graph_sizes(endpoint: SparqlEndpoint) -> dict[str, int]:
    result = run_query(
        endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    return {row[0].value: int(row[1].value) for row in result.rows}


def _local_sizes(trig: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for quad in parse(path=str(trig), format=RdfFormat.TRIG):
        sizes[quad.graph_name.value] = sizes.get(quad.graph_name.value, 0) + 1
    return sizes


def test_push_replaces_the_review_graphs_only_and_is_idempotent(plain_server, built) -> None:
    report, _ = built
    trig = report.output / "graph.trig"
    stale = f"{BASE}graph/claims/a-text-taken-out"
    plain_server.put_graph(stale, b'<http://example.org/s> <http://example.org/p> "1" .\n')
    first = push_review(trig, plain_server, BASE)
    assert first.removed == (stale,)
    after_one = _graph_sizes(plain_server)
    second = push_review(trig, plain_server, BASE)
    assert second.removed == ()
    assert _graph_sizes(plain_server) == after_one
    expected = _local_sizes(trig)
    assert {g: n for g, n in after_one.items() if g.startswith(BASE)} == expected
    assert dict(second.graphs) == expected
    assert after_one[OTHER] == 1


def test_the_review_graphs_are_named_only_when_needed(server, plain_server, built) -> None:
    report, _ = built
    graphs = tuple(sorted(_local_sizes(report.output / "graph.trig")))
    assert review_endpoint(server, BASE).dataset is None
    assert review_endpoint(plain_server, BASE).dataset == graphs
    server.put_graph(OTHER, OTHER_CLAIM)
    try:
        assert review_endpoint(server, BASE).dataset == graphs
    finally:
        server.delete_graph(OTHER)


def test_every_named_query_gives_the_same_answer_remotely(store, remote) -> None:
    for named in list_queries():
        local = run_query(store, named.text)
        answer = run_query(remote, named.text)
        assert answer.variables == local.variables, named.name
        assert answer.rows == local.rows, named.name
        assert format_result(answer, OutputFormat.JSON) == format_result(local, OutputFormat.JSON)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("authors-by-theme", {"theme": "hook-for-change"}),
        ("authors-by-theme", {"stance": "disputes"}),
        ("claims-for-theme", {"theme": "liminality"}),
        ("claim-themes", {"theme": "hope"}),
        ("themes-of-author", {"author": "Buck"}),
        ("contested-themes", {"theme": "peer mentoring"}),
        ("co-cited-pairs", {"work": "buck2017core"}),
    ],
)
def test_named_queries_with_parameters_agree(store, remote, name, params) -> None:
    text = load_query(name)
    assert run_query(remote, text, params).rows == run_query(store, text, params).rows


def test_other_reviews_on_the_server_stay_out_of_the_answers(store, remote) -> None:
    count = "SELECT (COUNT(?c) AS ?n) WHERE { ?c a kg:Claim }"
    assert run_query(remote, count).rows == run_query(store, count).rows


def test_parameter_with_sparql_syntax_is_only_a_value_remotely(remote) -> None:
    echo = "SELECT ?v WHERE { VALUES ?v_param { UNDEF } BIND(?v_param AS ?v) }"
    for hostile in ('x" || true || "', '"} } UNION { ?s ?p ?o } #', "'''\n\\u0022 ."):
        assert run_query(remote, echo, {"v": hostile}).rows == ((Literal(hostile),),)
        result = run_query(remote, load_query("authors-by-theme"), {"theme": hostile})
        assert result.rows == ()


def test_construct_and_ask_remotely(store, remote) -> None:
    construct = "CONSTRUCT { ?t skos:prefLabel ?l } WHERE { ?t a skos:Concept ; skos:prefLabel ?l }"
    local = run_query(store, construct)
    answer = run_query(remote, construct)
    assert answer.triples and set(answer.triples) == set(local.triples or ())
    assert run_query(remote, "ASK { ?c a kg:Claim }").boolean is True
    assert format_result(answer, OutputFormat.TURTLE).count("skos:prefLabel") == len(answer.triples)


def test_syntax_error_names_the_same_place_remotely(store, remote) -> None:
    bad = "SELECT ?x\nWHERE { ?x ?y }"
    with pytest.raises(QueryError) as local:
        run_query(store, bad)
    with pytest.raises(QueryError) as remotely:
        run_query(remote, bad)
    assert str(remotely.value) == str(local.value)
    assert str(local.value).startswith("SPARQL syntax error at line 2, column")


def test_update_goes_to_the_update_url(server) -> None:
    graph = "https://example.org/scratch/graph"
    insert = f'INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/a> rdfs:label "a" }} }}'
    with pytest.raises(QueryError, match="read-only"):
        run_query(server, insert)
    try:
        run_update(server, insert)
        assert run_query(server, f"ASK {{ GRAPH <{graph}> {{ ?s rdfs:label 'a' }} }}").boolean
    finally:  # the module's server is shared: leave it as found
        run_update(server, f"DROP SILENT GRAPH <{graph}>")


def test_a_review_never_pushed_says_to_push(server) -> None:
    with pytest.raises(RemoteError, match=r"no graphs of the review .* run `kg push"):
        review_endpoint(server, "https://example.org/never-pushed/")


def test_default_urls() -> None:
    assert default_urls("http://localhost:7878/query") == (
        "http://localhost:7878/update",
        "http://localhost:7878/store",
    )
    assert default_urls("https://h/fuseki/reviews/sparql") == (
        "https://h/fuseki/reviews/update",
        "https://h/fuseki/reviews/data",
    )
    assert default_urls("http://h:7200/repositories/kg") == (
        "http://h:7200/repositories/kg/statements",
        "http://h:7200/repositories/kg/rdf-graphs/service",
    )
    assert default_urls("http://h:8890/sparql") == (
        "http://h:8890/sparql",
        "http://h:8890/sparql-graph-crud",
    )
    assert default_urls("http://h:7019/") == ("http://h:7019/", None)


# The command line against the server.


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_push_and_query_match_the_embedded_store(runner, built, server) -> None:
    _, config = built
    pushed = runner.invoke(main, ["push", "--endpoint", server.query_url, "-c", str(config)])
    assert pushed.exit_code == 0, pushed.output
    assert pushed.stderr.startswith("Pushed 4 graphs (")
    for args in (
        ["authors-by-theme", "--theme", "hook-for-change"],
        ["claims-for-theme", "--param", "theme=liminality", "-f", "csv"],
        ["works-by-citation-count", "-f", "json"],
        ["secondary-citations", "-f", "tsv"],
    ):
        local = runner.invoke(main, ["query", *args, "-c", str(config)])
        remote = runner.invoke(
            main, ["query", *args, "-c", str(config), "--endpoint", server.query_url]
        )
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout


def test_cli_summary_matches_the_embedded_store(runner, built, server) -> None:
    _, config = built
    local = runner.invoke(main, ["summary", "-c", str(config)])
    remote = runner.invoke(main, ["summary", "-c", str(config), "--endpoint", server.query_url])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    assert "## Contested themes" in local.stdout


@pytest.mark.parametrize("name", ["map", "citations", "co-citation", "themes"])
def test_cli_views_are_the_same_bytes(runner, built, server, tmp_path, name) -> None:
    _, config = built
    local, remote = tmp_path / "local.html", tmp_path / "remote.html"
    made = runner.invoke(main, ["view", name, "-c", str(config), "-o", str(local)])
    assert made.exit_code == 0, made.output
    made = runner.invoke(main, ["view", name, "-c", str(config), "-o", str(remote),
                                "--endpoint", server.query_url])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert remote.read_bytes() == local.read_bytes()


def test_the_map_projection_matches(store, remote) -> None:
    from kg.projections.network import author_theme_network

    local, answer = author_theme_network(store), author_theme_network(remote)
    assert dict(answer.nodes(data=True)) == dict(local.nodes(data=True))
    assert list(answer.edges(keys=True, data=True)) == list(local.edges(keys=True, data=True))


def test_cli_update_needs_the_flag(runner, server) -> None:
    graph = "https://example.org/scratch/cli"
    insert = f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/a> rdfs:label 'b' }} }}"
    refused = runner.invoke(main, ["query", "-e", insert, "--endpoint", server.query_url])
    assert refused.exit_code == 1
    assert "read-only unless given --update" in refused.stderr
    try:
        done = runner.invoke(
            main, ["query", "--update", "-e", insert, "--endpoint", server.query_url]
        )
        assert done.exit_code == 0, done.output
        assert run_query(server, f"ASK {{ GRAPH <{graph}> {{ ?s ?p 'b' }} }}").boolean
    finally:  # the module's server is shared: leave it as found
        run_update(server, f"DROP SILENT GRAPH <{graph}>")


# Failures: one line, exit 1, no traceback.


@dataclass
class StandIn:
    """One stand-in server: what it answers, the requests it saw, the errors its handlers
    raised. Each test gets its own (the ``stand_in`` fixture); nothing is shared."""

    url: str
    status: int = 500
    body: bytes = b"internal trouble\nsecond line"
    delay: float = 0.0
    seen: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    closing: threading.Event = field(default_factory=threading.Event)


class _StandInHandler(http.server.BaseHTTPRequestHandler):
    """Answers every request with its server's status and body, after its delay."""

    server: _StandInServer
    timeout = 10  # a request never finished cannot hold up the fixture's teardown

    def _answer(self) -> None:
        state = self.server.state
        state.seen.append(dict(self.headers))
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if state.closing.wait(state.delay):
            return  # the test is over: nobody waits for this answer
        try:
            self.send_response(state.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Location", "http://elsewhere.example/query")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)
        except ConnectionError:
            pass  # the client stopped waiting (a timeout test)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        """Silent: the tests read the answers, not the log."""


class _StandInServer(http.server.ThreadingHTTPServer):
    """Keeps its handler threads (not daemons) so ``server_close`` joins them, and keeps a
    handler's error for the test instead of printing it into whichever test runs then."""

    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StandInHandler)
        self.state = StandIn(f"http://127.0.0.1:{self.server_address[1]}/query")

    def handle_error(self, request: object, client_address: object) -> None:
        self.state.errors.append(traceback.format_exc())


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    """A stand-in server of this test's own, shut down with every handler thread finished
    before the next test starts, so no test sees another's requests or output."""
    httpd = _StandInServer()
    serving = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    serving.start()
    try:
        yield httpd.state
    finally:
        httpd.state.closing.set()  # wakes a handler still in its delay
        httpd.shutdown()
        serving.join()
        httpd.server_close()  # joins the handler threads
    if httpd.state.errors:
        pytest.fail("the stand-in's handler failed:\n" + "\n".join(httpd.state.errors))


def _one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_server_error_is_one_line(runner, built, stand_in) -> None:
    _, config = built
    result = runner.invoke(main, ["query", "uncited-works", "-c", str(config),
                                  "--endpoint", stand_in.url])  # fmt: skip
    line = _one_line_error(result)
    assert line == f"Error: {stand_in.url} answered 500 Internal Server Error: internal trouble"


def test_timeout_is_one_line(runner, built, stand_in) -> None:
    _, config = built
    stand_in.delay = 1.0
    result = runner.invoke(main, ["query", "uncited-works", "-c", str(config),
                                  "--endpoint", stand_in.url, "--timeout", "0.3"])  # fmt: skip
    line = _one_line_error(result)
    assert line == (
        f"Error: {stand_in.url} did not answer within 0.3 s; raise --timeout or check the server"
    )


def test_refused_connection_is_one_line(runner, built) -> None:
    _, config = built
    closed = "http://127.0.0.1:1/query"
    result = runner.invoke(main, ["query", "uncited-works", "-c", str(config),
                                  "--endpoint", closed])  # fmt: skip
    line = _one_line_error(result)
    assert line == f"Error: cannot connect to {closed}: connection refused; is the server running?"


def test_credentials_are_sent_and_never_shown(runner, built, stand_in, monkeypatch) -> None:
    _, config = built
    stand_in.status = 401
    monkeypatch.setenv("KG_ENDPOINT_USER", "reader")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret-pw")
    result = runner.invoke(main, ["push", "-c", str(config), "--endpoint", stand_in.url])
    line = _one_line_error(result)
    assert "401" in line and "KG_ENDPOINT_USER" in line
    assert "s3cret" not in result.output
    expected = base64.b64encode(b"reader:s3cret-pw").decode()
    assert stand_in.seen[0]["Authorization"] == f"Basic {expected}"
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "t0ken")
    runner.invoke(main, ["push", "-c", str(config), "--endpoint", stand_in.url])
    assert stand_in.seen[-1]["Authorization"] == "Bearer t0ken"


def test_redirects_are_not_followed(stand_in, monkeypatch) -> None:
    stand_in.status = 301
    monkeypatch.setenv("KG_ENDPOINT_TOKEN", "t0ken")
    with pytest.raises(
        RemoteError, match=r"301 Moved Permanently; give .*//elsewhere\.example/query"
    ):
        run_query(open_endpoint(stand_in.url), "ASK {}")
    assert len(stand_in.seen) == 1


def test_results_that_are_not_sparql_are_refused(stand_in) -> None:
    stand_in.status = 200
    with pytest.raises(RemoteError, match="answered text/plain, not SPARQL results"):
        run_query(open_endpoint(stand_in.url), "SELECT * WHERE { ?s ?p ?o }")


def test_push_without_a_graph_store_url_says_which_option() -> None:
    endpoint = open_endpoint("http://127.0.0.1:1/sparql-endpoint")
    assert endpoint.store_url is None
    with pytest.raises(RemoteError, match="--store-url"):
        endpoint.put_graph(f"{BASE}graph/themes", b"")
