"""``kg serve`` as a researcher meets it: a real server process on 127.0.0.1 serving a copy of
the bundled review, and Debian's chromium driven by Playwright.

Every test starts ``python -m kg.cli serve`` on a free port and talks to it over HTTP; the
security tests send what a hostile page or a careless request would.
"""

from __future__ import annotations

import contextlib
import csv
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from kg.store.embedded import open_store
from kg.store.query import list_queries, load_query, run_query
from kg.store.remote import (
    RESULTS_JSON,
    RESULTS_TSV,
    SparqlEndpoint,
    open_endpoint,
    review_endpoint,
)

from .conftest import BIB, ROOT

try:
    from playwright.sync_api import Browser, Page, sync_playwright
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
NEW_SENTENCE = (
    "\nA later study found that mentors gained confidence from their work with mentees "
    "(Buck, 2016).\n"
)


def copy_review(folder: Path) -> Path:
    """The bundled review copied into ``folder`` (texts, bibliography, claims, themes): its
    kg.toml, whose paths (``../ontology/themes.ttl``, ``../build``) stay inside ``folder``."""
    shutil.copytree(BIB, folder / "bib")
    (folder / "ontology").mkdir()
    shutil.copy(ROOT / "ontology" / "themes.ttl", folder / "ontology" / "themes.ttl")
    return folder / "bib" / "kg.toml"


@dataclass
class Server:
    """A running ``kg serve``: its folder, base URL, port and process."""

    folder: Path
    url: str
    port: int
    process: subprocess.Popen[bytes]

    @property
    def build(self) -> Path:
        return self.folder / "build"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """One raw request (the path sent as it is); the status and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
            if body is not None:
                sent.setdefault("Content-Length", str(len(body)))
            for name, value in sent.items():
                connection.putheader(name, value)
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def status(self) -> dict[str, Any]:
        code, body = self.request("GET", "/_kg/status")
        assert code == 200
        result: dict[str, Any] = json.loads(body)
        return result


@contextlib.contextmanager
def running_serve(folder: Path, *options: str) -> Iterator[Server]:
    """``kg serve`` on a copy of the bundled review in ``folder``, on a free port, waited for
    until ``build/.kg-serve.json`` names it, and stopped (Ctrl-C) afterwards."""
    config = copy_review(folder)
    command = [sys.executable, "-m", "kg.cli", "serve", "-c", str(config), "--port", "0"]
    log = (folder / "serve.log").open("wb")
    process = subprocess.Popen([*command, *options], stdout=log, stderr=subprocess.STDOUT)
    state = folder / "build" / ".kg-serve.json"
    try:
        deadline = time.monotonic() + 300
        while not state.is_file():
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"kg serve did not start: {(folder / 'serve.log').read_text()}")
            time.sleep(0.05)
        url = json.loads(state.read_text())["url"].removesuffix("sparql")
        port = urllib.parse.urlsplit(url).port
        assert port is not None
        yield Server(folder, url, port, process)
    finally:
        process.send_signal(2)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read, with a short query time limit."""
    with running_serve(tmp_path_factory.mktemp("serve"), "--query-timeout", "2") as running:
        yield running


# The endpoint


def test_the_state_file_names_the_endpoint_and_goes_away_on_exit(tmp_path: Path) -> None:
    with running_serve(tmp_path) as running:
        state = json.loads((running.build / ".kg-serve.json").read_text())
        assert state == {
            "url": f"http://127.0.0.1:{running.port}/sparql",
            "pid": running.process.pid,
            "config": str((tmp_path / "bib" / "kg.toml").resolve()),
            "token_free_read": True,
        }
        # The first build is a build, not a rebuild, and says what it built.
        log = (tmp_path / "serve.log").read_text()
        assert re.search(r"^built in [0-9.]+ s: 18 works, 23 people", log, re.M), log
    assert running.process.returncode == 0
    assert not (running.build / ".kg-serve.json").exists()


def _review_endpoint(server: Server) -> SparqlEndpoint:
    """The server's /sparql as ``kg query --endpoint`` opens it, for the seed review."""
    return review_endpoint(
        open_endpoint(server.url + "sparql"), "https://w3id.org/kg/review/nixon2020/"
    )


@pytest.mark.parametrize("results", [RESULTS_JSON, RESULTS_TSV])
def test_every_named_query_answers_as_the_embedded_store(server: Server, results: str) -> None:
    """Through ``kg.store.remote`` (what ``kg query --endpoint`` uses), as JSON and as TSV
    (which kg query asks a running kg serve for), each answer holds the same RDF terms as the
    embedded store's: datatypes, languages and IRIs, not only the text."""
    endpoint = replace(_review_endpoint(server), results=results)
    store = open_store(server.build / "store")
    answered = typed = 0
    for named in list_queries():
        here = run_query(store, named.text)
        there = run_query(endpoint, named.text)
        assert there.variables == here.variables, named.name
        assert sorted(map(repr, there.rows)) == sorted(map(repr, here.rows)), named.name
        answered += bool(here.rows)
        typed += sum(1 for row in here.rows for t in row if "datatype" in repr(t)
                     and "#string>" not in repr(t))  # fmt: skip
    assert answered >= 15
    assert typed > 100


def test_kg_query_endpoint_works_against_it(server: Server) -> None:
    config = str(server.folder / "bib" / "kg.toml")
    remote = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "themes-of-author", "-c", config,
         "--endpoint", server.url + "sparql", "--format", "csv", "-p", "author=Buck"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    local = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "themes-of-author", "-c", config,
         "--format", "csv", "-p", "author=Buck", "--no-serve"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(remote.stdout.splitlines()) > 2


def test_kg_query_asks_the_running_serve_of_its_review(server: Server) -> None:
    """With no --store or --endpoint, kg query finds this server by its .kg-serve.json, says
    so on stderr, and answers as the built store does."""
    config = str(server.folder / "bib" / "kg.toml")
    command = [sys.executable, "-m", "kg.cli", "query", "claim-citations", "-c", config,
               "--format", "csv"]  # fmt: skip
    served = subprocess.run(command, capture_output=True, text=True, check=True)
    local = subprocess.run([*command, "--no-serve"], capture_output=True, text=True, check=True)
    assert f"Asking kg serve at {server.url}sparql" in served.stderr
    assert "kg serve" not in local.stderr
    assert sorted(served.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(local.stdout.splitlines()) > 20


@pytest.mark.parametrize(
    ("accept", "fmt", "media", "first"),
    [
        ("application/sparql-results+json", None, "application/sparql-results+json", b"{"),
        ("text/csv", None, "text/csv", b"label\r\n"),
        ("text/tab-separated-values", None, "text/tab-separated-values", b"?label\n"),
        (None, "xml", "application/sparql-results+xml", b"<?xml"),
    ],
)
def test_results_come_in_the_format_asked_for(
    server: Server, accept: str | None, fmt: str | None, media: str, first: bytes
) -> None:
    query = "SELECT ?label WHERE { ?t a skos:Concept ; skos:prefLabel ?label } ORDER BY ?label"
    params = {"query": query, **({"format": fmt} if fmt else {})}
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.request("GET", "/sparql?" + urllib.parse.urlencode(params),
                       headers={"Accept": accept} if accept else {})  # fmt: skip
    response = connection.getresponse()
    body = response.read()
    assert response.status == 200
    assert response.getheader("Content-Type", "").startswith(media)
    assert body.startswith(first)
    assert b"Authenticity" in body


def test_construct_answers_turtle_and_post_bodies_work(server: Server) -> None:
    query = b"CONSTRUCT { ?t a skos:Concept } WHERE { ?t a skos:Concept }"
    status, body = server.request(
        "POST", "/sparql", query, {"Content-Type": "application/sparql-query"}
    )
    assert status == 200
    assert b"skos:Concept" in body
    assert body.count(b"skos:Concept") == 21


# Security


def test_it_listens_on_the_loopback_address_only(server: Server) -> None:
    listening = [
        line.split()[1]
        for name in ("/proc/net/tcp", "/proc/net/tcp6")
        if Path(name).exists()
        for line in Path(name).read_text().splitlines()[1:]
        if line.split()[3] == "0A"  # LISTEN
    ]
    mine = [address for address in listening if address.endswith(f":{server.port:04X}")]
    assert mine == [f"0100007F:{server.port:04X}"]


def test_another_address_needs_an_explicit_flag(tmp_path: Path) -> None:
    config = copy_review(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", "-c", str(config), "--host", "0.0.0.0"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--host 0.0.0.0 needs --allow-remote" in result.stderr


@pytest.mark.parametrize("host", ["evil.example:80", "attacker.test", "127.0.0.1", ""])
def test_a_request_for_another_host_is_refused(server: Server, host: str) -> None:
    """DNS rebinding: a page of another site, its name pointed at 127.0.0.1, sends its own
    Host; only the bound address and port are answered."""
    status, _ = server.request("GET", "/index.html", headers={"Host": host})
    assert status == 421
    assert server.request("GET", "/index.html")[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../bib/kg.toml",
        "/%2e%2e/bib/kg.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fbib%2fkg.toml",
        "/store%2f..%2f..%2fbib%2fkg.toml",
        "/..%5cbib%5ckg.toml",
        "/.cache",
        "/.kg-serve.json",
        "/outside-link.toml",
        "/store/../../bib/kg.toml",
    ],
)
def test_no_path_outside_the_build_folder_is_served(server: Server, path: str) -> None:
    link = server.build / "outside-link.toml"
    if not link.is_symlink():
        link.symlink_to(server.folder / "bib" / "kg.toml")
    status, body = server.request("GET", path)
    assert status in (400, 404)
    assert b"title" not in body and b"root:" not in body


def test_a_write_without_the_pages_token_is_refused(server: Server) -> None:
    claims = server.folder / "bib" / "claims.yaml"
    before = claims.read_bytes()
    edit = json.dumps({"claim": "nixon2020giving/1937-2191", "confirm": True}).encode()
    for headers in ({}, {"X-KG-Token": "guessed"}):
        status, body = server.request(
            "POST", "/_kg/curate", edit, {"Content-Type": "application/json", **headers}
        )
        assert status == 403, body
    assert claims.read_bytes() == before


def test_a_large_body_is_refused(server: Server) -> None:
    """Refused from its Content-Length, before any of it is read: the server answers while
    the client has sent only the first bytes (sending all 2 MB would race its close)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.putrequest("POST", "/sparql", skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{server.port}")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", str(2 << 20))
        connection.endheaders(b"query=")
        response = connection.getresponse()
        status, body = response.status, response.read()
    finally:
        connection.close()
    assert status == 413
    assert b"limit" in body


def test_updates_and_service_are_refused(server: Server) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    update = urllib.parse.urlencode({"update": "INSERT DATA { <a:b> <a:c> <a:d> }"}).encode()
    assert server.request("POST", "/sparql", update, form)[0] == 403
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    query = urllib.parse.urlencode({"query": service}).encode()
    assert server.request("POST", "/sparql", query, form)[0] == 403
    count = urllib.parse.urlencode({"query": "ASK { <a:b> <a:c> <a:d> }"})
    status, body = server.request("GET", "/sparql?" + count)
    assert status == 200 and b"false" in body


def test_a_query_past_the_time_limit_is_stopped(server: Server) -> None:
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    start = time.monotonic()
    status, body = server.request("GET", "/sparql?" + urllib.parse.urlencode({"query": endless}))
    assert status == 503
    assert b"2 s limit" in body
    assert time.monotonic() - start < 30
    quick = urllib.parse.urlencode({"query": "SELECT ?t WHERE { ?t a skos:Concept }"})
    assert server.request("GET", "/sparql?" + quick)[0] == 200


# In the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None or not CHROMIUM.exists():
        pytest.skip("playwright or chromium is missing")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


def open_page(browser: Browser, url: str, errors: list[str]) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(url)
    return page


def wait_for(page: Page, expression: str, timeout: float = 120.0) -> Any:
    """Poll ``expression`` until true (the pages' CSP forbids the eval of wait_for_function);
    a reload under way in between is waited out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = page.evaluate(expression)
        except PlaywrightError:  # the page is being replaced
            value = None
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{expression} was not true within {timeout} s")


def page_data(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        "JSON.parse(document.getElementById('kg-details-data').textContent)"
    )
    return result


def test_an_edited_text_reloads_the_page_with_its_new_claim_keeping_the_view(
    browser: Browser, tmp_path: Path
) -> None:
    errors: list[str] = []
    with running_serve(tmp_path) as running:
        page = open_page(browser, running.url + "map.html", errors)
        wait_for(page, "window.kgReady === true")
        page.evaluate("kgGoTo('theme:peer-mentoring')")
        page.uncheck("input[name=stance][value=mentions]")
        page.wait_for_timeout(600)  # the focus animation
        page.evaluate("kgNetwork.moveTo({scale: 1.7, position: {x: 40, y: -25}})")
        page.evaluate("window.notReloaded = true")
        assert NEW_SENTENCE.strip() not in json.dumps(page_data(page)["quotes"])
        assert len(page_data(page)["quotes"]) == 17
        text = running.folder / "bib" / "nixon2020-excerpt.txt"
        with text.open("a", encoding="utf-8") as handle:
            handle.write(NEW_SENTENCE)
        wait_for(page, "window.notReloaded === undefined && window.kgRestored === true")
        quotes = page_data(page)["quotes"].values()
        assert any("mentors gained confidence" in quote for quote in quotes)
        assert page.evaluate("kgNetwork.getSelectedNodes()") == ["theme:peer-mentoring"]
        page.wait_for_timeout(600)
        view = page.evaluate("[kgNetwork.getScale(), kgNetwork.getViewPosition()]")
        assert view[0] == pytest.approx(1.7, rel=0.02)
        assert (view[1]["x"], view[1]["y"]) == (pytest.approx(40, abs=5), pytest.approx(-25, abs=5))
        assert not page.is_checked("input[name=stance][value=mentions]")
        assert "Peer mentoring" in page.locator("#kg-details h2").inner_text()
        page.close()
        # The endpoint swaps to the new build too, once the pages have reloaded.
        count = urllib.parse.urlencode(
            {"query": "SELECT (COUNT(?c) AS ?n) WHERE { ?c a kg:Claim }", "format": "csv"}
        )
        deadline = time.monotonic() + 120
        while running.request("GET", "/sparql?" + count)[1] != b"n\r\n18\r\n":
            assert time.monotonic() < deadline, running.request("GET", "/sparql?" + count)
            time.sleep(0.2)
    assert errors == []


def test_a_stance_changed_in_the_side_panel_is_written_and_redrawn(
    browser: Browser, tmp_path: Path
) -> None:
    errors: list[str] = []
    with running_serve(tmp_path) as running:
        claims = running.folder / "bib" / "claims.yaml"
        before = claims.read_text(encoding="utf-8")
        inputs = {
            p: p.read_bytes() for p in running.folder.rglob("*") if p.is_file()
            and "build" not in p.relative_to(running.folder).parts and p.suffix != ".log"
        }  # fmt: skip
        page = open_page(browser, running.url + "citations.html", errors)
        wait_for(page, "window.kgReady === true")
        quotes = page_data(page)["quotes"]
        [ident] = [k for k, q in quotes.items() if q.startswith("Kavanagh and Borril (2013) res")]
        claim = f"claim:{ident}"
        assert page.evaluate(f"kgGoTo('{claim}')")
        page.click("button.kg-curate-open")
        stance = page.locator("select[data-key=kavanagh2013exploring]")
        stance.wait_for()
        assert stance.input_value() == "citesAsEvidence"
        stance.select_option("disputes")
        page.evaluate("window.notReloaded = true")
        page.click("form.kg-curate button[type=submit]")
        wait_for(page, "window.notReloaded === undefined && window.kgReady === true")
        edges = page.evaluate(
            "JSON.parse(document.getElementById('kg-data').textContent).edges"
            f".filter(e => e.from === '{claim}').map(e => [e.to, e.kg.stance])"
        )
        assert edges == [["work:kavanagh2013exploring", "disputes"]]
        page.close()
        after = claims.read_text(encoding="utf-8")
    entries = yaml.safe_load(after)["claims"]
    edited = [e for e in entries if e["quote"].startswith("Kavanagh and Borril (2013)")]
    assert edited[0]["stance"] == {"kavanagh2013exploring": "disputes"}
    assert edited[0]["themes"] == ["peer-mentoring"]
    # Every other line, the comments included, is as it was; no other input changed.
    assert len(after.splitlines()) == len(before.splitlines())
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        (
            "    stance: {kavanagh2013exploring: citesAsEvidence}",
            "    stance: {kavanagh2013exploring: disputes}",
        )
    ]
    for path, data in inputs.items():
        assert path == claims or path.read_bytes() == data, path
    assert errors == []


def test_a_named_query_runs_in_the_query_page_and_downloads_as_csv(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    errors: list[str] = []
    page = open_page(browser, server.url + "query", errors)
    page.select_option("#kg-query-name", "authors-by-theme")
    page.fill("#kg-params input[name=theme]", "peer-mentoring")
    page.click("#kg-named button[type=submit]")
    wait_for(page, "document.querySelectorAll('#kg-results tbody tr').length > 0")
    rows = page.locator("#kg-results tbody tr").count()
    expected = run_query(
        open_store(server.build / "store"), load_query("authors-by-theme"),
        {"theme": "peer-mentoring"},
    )  # fmt: skip
    assert rows == len(expected.rows)
    link = page.locator("#kg-results a.kg-node-link").first
    assert link.get_attribute("href").startswith("map.html#label=")  # type: ignore[union-attr]
    page.click("#kg-results th:has-text('claims')")
    page.click("#kg-results th:has-text('claims')")
    counts = [int(c) for c in page.locator("#kg-results tbody td:nth-child(4)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    with page.expect_download() as download:
        page.click("#kg-csv")
    saved = tmp_path / "result.csv"
    download.value.save_as(saved)
    table = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert download.value.suggested_filename == "authors-by-theme.csv"
    assert table[0] == ["author", "theme", "stance", "claims"]
    assert sorted(tuple(r) for r in table[1:]) == sorted(expected.values(*expected.variables))
    page.close()
    assert errors == []


def test_a_result_links_to_its_node_on_the_map(browser: Browser, server: Server) -> None:
    errors: list[str] = []
    page = open_page(browser, server.url + "map.html#label=Peer%20mentoring", errors)
    wait_for(page, "window.kgReady === true")
    wait_for(page, "kgNetwork.getSelectedNodes().length === 1")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == ["theme:peer-mentoring"]
    page.close()
    assert errors == []


def test_the_static_pages_are_left_as_built(server: Server) -> None:
    """The server adds its script to the pages it sends, never to the files."""
    for name in ("index.html", "map.html"):
        on_disk = (server.build / name).read_text(encoding="utf-8")
        assert "KG_SERVE" not in on_disk
        status, sent = server.request("GET", "/" + name)
        assert status == 200 and b"KG_SERVE" in sent
    assert os.access(server.build / "map.html", os.R_OK)


def test_confirming_and_retheming_an_extracted_claim_appends_entries(tmp_path: Path) -> None:
    """With the token a served page carries: a confirmed suggestion is appended as
    ``kg suggest --accept`` writes it, an edited one as a hand-written entry; the file keeps
    its comments and the rebuild makes both claims curated."""
    with running_serve(tmp_path) as running:
        claims = running.folder / "bib" / "claims.yaml"
        before = claims.read_text(encoding="utf-8")
        page = running.request("GET", "/map.html")[1].decode()
        token = json.loads(page.split("window.KG_SERVE = ", 1)[1].split(";\n", 1)[0])["token"]
        data = json.loads(page.split('id="kg-details-data">', 1)[1].split("</script>", 1)[0])
        extracted = [ident for ident in data["quotes"] if ident.endswith("1937-2191")]
        other = [i for i, q in data["quotes"].items() if q.startswith("Peer mentoring developed")]
        built = running.status()["build"]

        def curate(edit: dict[str, Any]) -> dict[str, Any]:
            status, body = running.request(
                "POST", "/_kg/curate", json.dumps(edit).encode(),
                {"Content-Type": "application/json", "X-KG-Token": token},
            )  # fmt: skip
            assert status == 200, body
            answer: dict[str, Any] = json.loads(body)
            return answer

        assert curate({"claim": extracted[0], "confirm": True})["ok"]
        assert curate({"claim": other[0], "themes": ["hope", "peer-mentoring"]})["ok"]
        status, body = running.request(
            "POST", "/_kg/curate", json.dumps({"claim": other[0], "themes": ["nope"]}).encode(),
            {"Content-Type": "application/json", "X-KG-Token": token},
        )  # fmt: skip
        assert status == 400 and b"'nope' is not a theme id" in body
        deadline = time.monotonic() + 120
        while running.status()["build"] == built or running.status()["error"]:
            assert time.monotonic() < deadline, running.status()
            time.sleep(0.1)
        after = claims.read_text(encoding="utf-8")
        details = running.request("GET", f"/_kg/claim?id={other[0]}")[1]
    assert after.startswith(before)
    entries = yaml.safe_load(after)["claims"]
    assert len(entries) == len(yaml.safe_load(before)["claims"]) + 2
    assert entries[-2]["quote"].startswith("This article draws upon findings")
    assert entries[-1]["themes"] == ["hope", "peer-mentoring"]
    assert json.loads(details)["claim"]["origin"] == "curated"


def test_a_failed_rebuild_shows_its_error_and_keeps_the_last_good_build(
    browser: Browser, tmp_path: Path
) -> None:
    errors: list[str] = []
    with running_serve(tmp_path) as running:
        page = open_page(browser, running.url + "map.html", errors)
        wait_for(page, "window.kgReady === true")
        claims = running.folder / "bib" / "claims.yaml"
        good = claims.read_text(encoding="utf-8")
        claims.write_text(good + "  - text: [unclosed\n", encoding="utf-8")
        banner = wait_for(page, "document.querySelector('.kg-serve-banner').textContent")
        assert banner.startswith("Rebuild failed: ")
        assert "claims.yaml" in banner and "\n" not in banner
        assert page.is_visible(".kg-serve-banner")
        assert running.request("GET", "/map.html")[0] == 200
        page.evaluate("window.notReloaded = true")
        claims.write_text(good, encoding="utf-8")
        wait_for(page, "window.notReloaded === undefined && window.kgReady === true")
        assert not page.is_visible(".kg-serve-banner")
        page.close()
    assert errors == []


def test_a_first_build_that_fails_is_one_line_and_nothing_is_served(tmp_path: Path) -> None:
    config = copy_review(tmp_path)
    (tmp_path / "bib" / "references.bib").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", "-c", str(config), "--port", "0"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "references.bib" in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "build" / ".kg-serve.json").exists()


def test_a_rebuild_stops_the_sparql_load_under_way(tmp_path: Path) -> None:
    """A new graph being loaded when a rebuild starts is not loaded (the rebuild needs the
    cores, and its graph replaces that one); queries still go to the loaded worker, and the
    load after the rebuild swaps the new graph in."""
    from kg.serve.sparql import SparqlService

    def trig(name: str, objects: int) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8") as out:
            out.write("<https://example.org/g> {\n")
            out.writelines(f'<https://example.org/s{n}> <https://example.org/p> "{name} {n}" .\n'
                           for n in range(objects))  # fmt: skip
            out.write("}\n")
        return path

    old, large, new = trig("old", 1), trig("large", 400_000), trig("new", 1)
    query = {"query": "SELECT ?o WHERE { ?s ?p ?o } LIMIT 1", "format": "csv"}
    service = SparqlService(old, timeout=30)
    try:
        outcome: dict[str, bool] = {}
        loader = threading.Thread(target=lambda: outcome.update(loaded=service.reload(large)))
        loader.start()
        time.sleep(0.3)  # its worker is reading the large graph
        with service.paused():
            loader.join(30)
            assert outcome == {"loaded": False}
            assert service.reload(new) is False
            assert b"old 0" in service.answer(query).body
        assert service.reload(new) is True
        assert b"new 0" in service.answer(query).body
    finally:
        service.close()
