"""Bad input, interrupted and concurrent builds, hostile content: kg answers, never breaks.

Every bad input gives one ``Error: ...`` line naming the file (and line where there is one)
and exit code 1; a build killed at any moment leaves the previous outputs and store usable;
text from the inputs is shown as text everywhere; nothing reaches the network.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.pipeline import build_review
from kg.build.staging import _exchange
from kg.cli import main
from kg.store.embedded import open_store

from .conftest import BIB, ROOT, SHARED, requires_shared, write_config

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _build(config: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "-c", str(config)])
    return result.exit_code, result.output


def _one_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert "Traceback" not in output
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1, output
    return errors[0]


# --- Bad input: a clear line each, exit 1 ---------------------------------------------------

BAD_BIBLIOGRAPHIES = {
    "latin1.bib": (b"@article{k,\n  title={Caf\xe9}, year=2001}\n", r"latin1\.bib:2: not UTF-8"),
    "binary.bib": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"binary\.bib:3: this is a binary"),
    "empty.bib": (b"", r"empty\.bib: the file is empty; no bibliography entry could be read"),
    "comments.bib": (b"% only a comment\n", r"no bibliography entry could be read from"),
    "utf16.bib": ("@book{k, title={T}}".encode("utf-16"), r"utf16\.bib:1: UTF-16 text, not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_BIBLIOGRAPHIES))
def test_bad_bibliography_file_is_one_line(tmp_path: Path, name: str) -> None:
    content, expected = BAD_BIBLIOGRAPHIES[name]
    bib = tmp_path / name
    bib.write_bytes(content)
    code, output = _build(write_config(tmp_path, bibliography=f'["{bib}"]'))
    assert code == 1
    assert re.search(expected, _one_error_line(output)), output
    assert not (tmp_path / "build" / "graph.trig").exists()


@requires_shared
def test_gbk_bibliography_is_refused_with_its_line(tmp_path: Path) -> None:
    gbk = SHARED / "corpora" / "bibtexparser-fixtures" / "gbk_test.bib"
    code, output = _build(write_config(tmp_path, bibliography=f'["{gbk}"]'))
    assert code == 1
    assert "gbk_test.bib:1: not UTF-8 (byte 0xbf at column 10)" in _one_error_line(output)


def test_missing_bibliography_and_folder(tmp_path: Path) -> None:
    code, output = _build(write_config(tmp_path, bibliography=f'["{tmp_path / "no.bib"}"]'))
    assert (code, _one_error_line(output)) == (
        1,
        f"Error: {tmp_path / 'no.bib'}: bibliography file not found",
    )
    code, output = _build(write_config(tmp_path, bibliography=f'["{tmp_path}"]'))
    assert code == 1
    assert "a folder, not a bibliography file" in _one_error_line(output)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", r"no-text\.txt: text file not found"),
        (b"GIF89a\x00\x01", r"binary\.txt: a binary file, not plain text"),
        (b"line one\nna\xefve\n", r"latin\.txt:2: not UTF-8"),
    ],
    ids=["missing", "binary", "not-utf8"],
)
def test_bad_text_file_is_one_line(tmp_path: Path, content: bytes, expected: str) -> None:
    name = {b"": "no-text.txt", b"GIF89a\x00\x01": "binary.txt"}.get(content, "latin.txt")
    text = tmp_path / name
    if content:
        text.write_bytes(content)
    config = write_config(tmp_path, texts=f'[{{path = "{text}", work = "nixon2020giving"}}]')
    code, output = _build(config)
    assert code == 1
    assert re.search(expected, _one_error_line(output))


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"title": "3"}, "'title' must be a non-empty string, got 3"),
        ({"bibliography": "5"}, "'bibliography' must be a file name or a list of file names"),
        ({"texts": '"nixon.txt"'}, "'texts' must be a list of [[texts]] tables"),
        ({"output": "[1, 2]"}, "'output' must be a non-empty string, got [1, 2]"),
        ({"base": '"not an iri"'}, "'base' must be an IRI ending in / or #"),
        ({"claims": "true"}, "'claims' must be a file name, got True"),
        ({"title": '"unterminated'}, "not valid TOML"),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else "",
)
def test_kg_toml_with_a_wrong_value_is_one_line(
    tmp_path: Path, override: dict[str, str], expected: str
) -> None:
    config = write_config(tmp_path, **override)
    code, output = _build(config)
    assert code == 1
    line = _one_error_line(output)
    assert str(config) in line
    assert expected in line


def test_kg_toml_not_utf8_or_missing(tmp_path: Path) -> None:
    config = tmp_path / "kg.toml"
    config.write_bytes(b'title = "Caf\xe9"\n')
    assert _build(config) == (1, f"Error: {config}: not UTF-8 text\n")
    code, output = _build(tmp_path / "none.toml")
    assert code == 1
    assert "none.toml: file not found" in _one_error_line(output)


def test_bad_themes_and_claims_files(tmp_path: Path) -> None:
    themes = tmp_path / "themes.ttl"
    themes.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\nthis is not turtle")
    code, output = _build(write_config(tmp_path, themes=f'"{themes}"'))
    assert code == 1
    assert "themes.ttl" in _one_error_line(output)
    claims = tmp_path / "claims.yaml"
    claims.write_text("claims:\n  - text: [unclosed\n")
    code, output = _build(write_config(tmp_path, claims=f'"{claims}"'))
    assert code == 1
    assert "claims.yaml:" in _one_error_line(output)


# --- Builds are atomic ----------------------------------------------------------------------


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def _store_answers(folder: Path) -> int:
    store = open_store(folder / "build" / "store")
    (row,) = list(store.query(COUNT))
    count = int(row["n"].value)
    del store
    return count


def _kill_build_at(config: Path, moment: str | float) -> int | None:
    """Start `kg build`; SIGKILL it when it prints ``moment`` or after ``moment`` seconds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", "-c", str(config)],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    if isinstance(moment, float):
        time.sleep(moment)
    else:
        for line in process.stderr:
            if moment in line:
                break
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    return process.returncode


def test_build_killed_at_any_moment_leaves_a_usable_build(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder, title in ((old, '"Old"'), (new, '"New"')):
        folder.mkdir()
        build_review(write_config(folder, title=title))
    before = (old / "build" / "graph.trig").read_bytes()
    after = (new / "build" / "graph.trig").read_bytes()
    triples = _store_answers(old)
    assert before != after
    config = write_config(old, title='"New"', output=f'"{old / "build"}"')
    moments: list[str | float] = [
        "writing the graph", "loading the store", "drawing the map", "writing the summary",
        0.3, 1.0, 2.0,
    ]  # fmt: skip
    for moment in moments:
        code = _kill_build_at(config, moment)
        graph = (old / "build" / "graph.trig").read_bytes()
        if code == -signal.SIGKILL:
            assert graph in (before, after), moment
        assert _store_answers(old) >= triples - 10, moment
        assert (old / "build" / "map.html").is_file()
        assert (old / "build" / "review.md").is_file()
        if graph == after:
            build_review(write_config(old, title='"Old"'))
            assert (old / "build" / "graph.trig").read_bytes() == before
            config = write_config(old, title='"New"', output=f'"{old / "build"}"')
    result = _kg("-q", "build", "-c", str(config), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (old / "build" / "graph.trig").read_bytes() == after
    assert not list((old / "build").glob(".kg-build-*"))
    query = _kg("query", "-c", str(config), "-e", COUNT, "--format", "csv", cwd=tmp_path)
    assert query.returncode == 0, query.stderr


def test_stale_staging_folders_are_cleared(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    stale = tmp_path / "build" / ".kg-build-stale" / "store"
    stale.mkdir(parents=True)
    (stale / "CURRENT").write_text("half a store")
    build_review(config)
    assert not list((tmp_path / "build").glob(".kg-build-*"))
    assert _store_answers(tmp_path) > 1000


def test_exchange_swaps_two_folders(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "f").write_text("first")
    (second / "f").write_text("second")
    _exchange(first, second)
    assert (first / "f").read_text() == "second"
    assert (second / "f").read_text() == "first"


def test_second_build_says_the_store_is_busy(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    build_review(config)
    before = {p.name: p.read_bytes() for p in (tmp_path / "build").glob("*.*") if p.is_file()}
    with open(tmp_path / "build" / ".kg-build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, output = _build(config)
    assert code == 1
    assert "another kg build is writing here; try again" in _one_error_line(output)
    assert before == {
        p.name: p.read_bytes() for p in (tmp_path / "build").glob("*.*") if p.is_file()
    }


def test_two_builds_at_once_corrupt_nothing(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    build_review(config)
    expected = (tmp_path / "build" / "graph.trig").read_bytes()
    command = [sys.executable, "-m", "kg.cli", "build", "-c", str(config)]
    processes = [
        subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        for _ in range(3)
    ]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in processes]
    assert any(code == 0 for code, _ in results)
    for code, stderr in results:
        assert code in (0, 1), stderr
        assert "Traceback" not in stderr
        if code == 1:
            assert "another kg build is writing here" in stderr
    assert (tmp_path / "build" / "graph.trig").read_bytes() == expected
    assert _store_answers(tmp_path) > 1000
    assert not list((tmp_path / "build").glob(".kg-build-*"))


# --- Hostile content is shown as text -------------------------------------------------------

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    '"; DROP',
    "$(rm -rf ~)",
    'x" || true || "',
    "</script>",
)
HOSTILE = " ".join(PAYLOADS)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed review with payloads in a cited title, an author's given name and a theme label."""
    folder = tmp_path_factory.mktemp("hostile")
    source = (BIB / "references.bib").read_text("utf-8")
    start = source.index("@article{giordano2002gender")
    title = source.index("title", start)
    title_end = source.index("\n", title)
    source = f"{source[:title]}title = {{{HOSTILE}}},{source[title_end:]}"
    source = source.replace("Giordano, Peggy C.", f"Giordano, Peggy {HOSTILE}", 1)
    bib = folder / "refs.bib"
    bib.write_text(source, encoding="utf-8")
    themes = (ROOT / "ontology" / "themes.ttl").read_text("utf-8")
    escaped = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    themes = themes.replace('skos:prefLabel "Hook for change"@en', f'skos:prefLabel "{escaped}"@en')
    (folder / "themes.ttl").write_text(themes, encoding="utf-8")
    config = write_config(folder, bibliography=f'["{bib}"]', themes=f'"{folder / "themes.ttl"}"')
    build_review(config)
    return config


def test_review_md_escapes_every_payload(hostile: Path) -> None:
    summary = (hostile.parent / "build" / "review.md").read_text("utf-8")
    assert "<img" not in summary
    assert "</script>" not in summary
    assert "&lt;img src=x onerror=alert(1)&gt;" in summary
    assert "&lt;/script&gt;" in summary
    assert "$(rm -rf ~)" in summary
    assert "Peggy &lt;img" in summary


def test_html_views_never_hold_raw_payload_html(hostile: Path) -> None:
    pages = sorted((hostile.parent / "build").glob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text("utf-8")
        assert "<img src=x" not in html, page.name
        assert '|| " </script>' not in html, page.name
        assert "\\u003cimg src=x" in html or "&lt;img src=x" in html or page.name == "index.html"


def test_query_tables_and_csv_show_payloads_as_text(hostile: Path) -> None:
    runner = CliRunner()
    titles = "SELECT ?title WHERE { GRAPH ?g { ?w kg:bibKey ?k ; dcterms:title ?title } }"
    table = runner.invoke(main, ["query", "-c", str(hostile), "-e", titles])
    assert table.exit_code == 0, table.output
    assert HOSTILE[:50] in table.output
    out = runner.invoke(main, ["query", "-c", str(hostile), "-e", titles, "--format", "csv"])
    rows = list(csv.reader(io.StringIO(out.output)))
    assert [HOSTILE] in rows
    names = "SELECT ?name WHERE { GRAPH ?g { ?p foaf:givenName ?name } }"
    out = runner.invoke(main, ["query", "-c", str(hostile), "-e", names, "--format", "json"])
    values = [b["name"]["value"] for b in json.loads(out.output)["results"]["bindings"]]
    # In a name "~" is a BibTeX tie, a space, as BibTeX reads it; the rest stays as typed.
    assert f"Peggy {HOSTILE}".replace("~", "") in values


def test_query_parameters_are_bound_not_pasted(hostile: Path) -> None:
    runner = CliRunner()
    everything = runner.invoke(main, ["query", "authors-by-theme", "-c", str(hostile), "-f", "csv"])
    injected = runner.invoke(
        main, ["query", "authors-by-theme", "-c", str(hostile), "-f", "csv",
               "--theme", 'zz" || true || "'],
    )  # fmt: skip
    assert everything.exit_code == 0
    assert len(everything.output.splitlines()) > 5
    # Bound as a literal, the string is no theme's id or label: no rows, which kg query says.
    assert injected.exit_code == 1
    assert injected.stdout == ""
    assert "no theme has the id 'zz\" || true || \"'" in injected.stderr
    exact = runner.invoke(
        main, ["query", "authors-by-theme", "-c", str(hostile), "-f", "csv", "--theme", HOSTILE]
    )
    rows = list(csv.DictReader(io.StringIO(exact.output)))
    assert rows and {row["theme"] for row in rows} == {HOSTILE}


def test_service_is_refused_by_default(built) -> None:
    _, config = built
    sparql = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    result = CliRunner().invoke(main, ["query", "-c", str(config), "-e", sparql])
    assert result.exit_code == 1
    assert "SERVICE" in _one_error_line(result.output)


def test_build_validate_and_query_never_touch_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    config = write_config(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "-c", str(config)]).exit_code == 0
    assert runner.invoke(main, ["validate", "-c", str(config)]).exit_code == 0
    query = runner.invoke(main, ["query", "authors-by-theme", "-c", str(config)])
    assert query.exit_code == 0, query.output
