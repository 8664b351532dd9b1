"""``kg query`` asks a running ``kg serve`` of the same review (kg.store.served).

The server here is a real Oxigraph SPARQL server on 127.0.0.1 holding a copy of the seed
review, and ``.kg-serve.json`` is written the way ``kg serve`` writes it. The server's copy
is given a title of its own, so an answer shows where it came from.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.pipeline import build_review
from kg.cli import main
from kg.store.remote import open_endpoint, push_review
from kg.store.served import SERVE_FILE, Served, find_served, served_endpoint

from .conftest import running_oxigraph, write_config

BASE = "https://example.org/review/"
SERVED_TITLE = "The served copy"


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A seed review built for this module alone (its build folder gets a serve file):
    (config, build folder)."""
    folder = tmp_path_factory.mktemp("served")
    config = write_config(folder)
    report = build_review(config)
    return config, report.output


@pytest.fixture(scope="module")
def sparql_url(tmp_path_factory: pytest.TempPathFactory, review) -> Iterator[str]:
    """A real Oxigraph server holding the review, its title changed: its query URL."""
    _, output = review
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph") as url:
        endpoint = open_endpoint(f"{url}/query", timeout=30)
        push_review(output / "graph.trig", endpoint, BASE)
        endpoint.update(
            "DELETE { GRAPH ?g { ?r dcterms:title ?t } }"
            f' INSERT {{ GRAPH ?g {{ ?r dcterms:title "{SERVED_TITLE}" }} }}'
            " WHERE { GRAPH ?g { ?r a kg:Review ; dcterms:title ?t } }"
        )
        yield endpoint.query_url


@pytest.fixture
def serve_file(review) -> Iterator[Path]:
    """Where ``kg serve`` keeps its file for the review; removed after each test."""
    _, output = review
    path = output / SERVE_FILE
    yield path
    path.unlink(missing_ok=True)


def _write(path: Path, url: str, pid: int, config: Path, change: dict | None = None) -> None:
    record = {"url": url, "pid": pid, "config": str(config.resolve()), "token_free_read": True}
    path.write_text(json.dumps(record | (change or {})), encoding="utf-8")


def _dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/sparql"


def _title(runner: CliRunner, config: Path, *options: str, quiet: bool = False) -> tuple[str, str]:
    """The review title ``kg query`` answers, and what it said on stderr."""
    args = ["-q"] * quiet + ["query", "review-title", "-c", str(config), "-f", "csv", *options]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[1].split(",", 1)[1], result.stderr


def test_kg_query_asks_the_running_serve(review, sparql_url, serve_file) -> None:
    config, _ = review
    runner = CliRunner()
    assert _title(runner, config)[0] == "Seed review"
    _write(serve_file, sparql_url, os.getpid(), config)
    title, said = _title(runner, config)
    assert title == SERVED_TITLE
    assert said == f"Asking kg serve at {sparql_url} (--no-serve reads the built store)\n"
    for args in (
        ["authors-by-theme", "--theme", "hook-for-change"],
        ["claim-citations", "-f", "csv"],
        ["co-cited-pairs", "-f", "json"],
    ):
        served = runner.invoke(main, ["query", *args, "-c", str(config)])
        stored = runner.invoke(main, ["query", *args, "-c", str(config), "--no-serve"])
        assert served.exit_code == stored.exit_code == 0, served.output
        assert served.stdout == stored.stdout
        assert "Asking kg serve" in served.stderr and stored.stderr == ""


def test_no_serve_and_store_read_the_store(review, sparql_url, serve_file) -> None:
    config, output = review
    _write(serve_file, sparql_url, os.getpid(), config)
    runner = CliRunner()
    assert _title(runner, config, "--no-serve") == ("Seed review", "")
    assert _title(runner, config, "--store", str(output / "store")) == ("Seed review", "")
    assert _title(runner, config, quiet=True) == (SERVED_TITLE, "")


def test_a_dead_process_is_not_asked(review, sparql_url, serve_file) -> None:
    config, output = review
    _write(serve_file, sparql_url, _dead_pid(), config)
    assert find_served(output, config) is None
    assert _title(CliRunner(), config) == ("Seed review", "")


def test_a_server_gone_falls_back_to_the_store(review, serve_file) -> None:
    config, output = review
    url = _closed_port_url()
    _write(serve_file, url, os.getpid(), config)
    served = find_served(output, config)
    assert served == Served(url, os.getpid())
    assert served_endpoint(served) is None
    title, said = _title(CliRunner(), config)
    assert title == "Seed review"
    assert said == f"kg serve at {url} did not answer; reading the built store\n"


@pytest.mark.parametrize(
    "change",
    [
        {"config": "/elsewhere/kg.toml"},
        {"url": "http://192.0.2.1:8000/sparql"},
        {"url": "https://127.0.0.1:8000/sparql"},
        {"token_free_read": False},
        {"pid": "12"},
    ],
)
def test_a_file_for_another_review_or_address_is_ignored(
    review, sparql_url, serve_file, change
) -> None:
    config, output = review
    _write(serve_file, sparql_url, os.getpid(), config, change)
    assert find_served(output, config) is None
    assert _title(CliRunner(), config) == ("Seed review", "")


@pytest.mark.parametrize("text", ["", "{", "[]", '{"url": 1}', "\xff"])
def test_an_unreadable_file_is_ignored(review, serve_file, text) -> None:
    config, output = review
    serve_file.write_text(text, encoding="latin-1")
    assert find_served(output, config) is None
