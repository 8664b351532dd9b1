"""Shared fixtures: the bundled seed review, built once per test session into a temp folder."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "bib"
SHARED = ROOT.parent / "shared"

requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared (seed gold file and corpora) is not beside this clone"
)


def write_config(folder: Path, **overrides: str) -> Path:
    """A kg.toml in ``folder`` for the bundled review, writing its outputs into ``folder``."""
    values = {
        "title": '"Seed review"',
        "base": '"https://example.org/review/"',
        "bibliography": f'["{BIB / "references.bib"}"]',
        "themes": f'"{ROOT / "ontology" / "themes.ttl"}"',
        "claims": f'"{BIB / "claims.yaml"}"',
        "output": f'"{folder / "build"}"',
        "texts": f'[{{path = "{BIB / "nixon2020-excerpt.txt"}", work = "nixon2020giving"}}]',
    }
    values.update(overrides)
    text = "\n".join(f"{key} = {value}" for key, value in values.items() if value is not None)
    path = folder / "kg.toml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The seed review built once: (report, config path)."""
    from kg.build.pipeline import build_review

    folder = tmp_path_factory.mktemp("seed")
    config = write_config(folder)
    return build_review(config), config


@pytest.fixture(scope="session")
def store(built):
    """The built seed review's store, opened read-only."""
    from kg.store.embedded import open_store

    report, _ = built
    return open_store(report.output / "store")


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@contextlib.contextmanager
def running_oxigraph(folder: Path, *options: str) -> Iterator[str]:
    """``oxigraph serve --location FOLDER/data --bind 127.0.0.1:PORT OPTIONS`` on a free
    port, waited for until it answers and stopped afterwards: its base URL."""
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed; pip install -e '.[test]' brings it")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [binary, "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}"]
    with open(folder / "server.log", "wb") as log:
        process = subprocess.Popen([*command, *options], stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    log.flush()
                    output = (folder / "server.log").read_text(errors="replace")
                    pytest.fail(f"oxigraph serve exited with {process.returncode}: {output}")
                try:
                    urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"oxigraph serve did not answer on {url} within 30 s")
                    time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph SPARQL server for the session, its default graph the union of its
    named graphs (``--union-default-graph``), as the README suggests: its base URL."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph"), "--union-default-graph") as url:
        yield url
