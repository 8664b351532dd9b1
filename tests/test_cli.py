"""The kg command line through click's CliRunner: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

from .conftest import BIB, write_config


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_every_command_has_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "citation knowledge graph" in result.output
    for name, command in main.commands.items():
        assert command.help, name
        sub = runner.invoke(main, [name, "--help"])
        assert sub.exit_code == 0, name
        assert "Usage: main" in sub.output or f"{name} [OPTIONS]" in sub.output


def test_build_then_query(runner: CliRunner, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    built = runner.invoke(main, ["build", "-c", str(config)])
    assert built.exit_code == 0, built.output
    assert "18 works" in built.stderr
    assert built.stdout == ""
    result = runner.invoke(
        main, ["query", "authors-by-theme", "--theme", "hook-for-change", "-c", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert "Peggy C. Giordano" in result.stdout
    csv = runner.invoke(
        main,
        ["query", "-e", "SELECT ?t WHERE { ?w kg:bibKey 'maruna2001making' ; dcterms:title ?t }",
         "-f", "csv", "-c", str(config)],
    )  # fmt: skip
    assert csv.exit_code == 0, csv.output
    assert csv.stdout.splitlines() == [
        "t",
        "Making Good: How Ex-Convicts Reform and Rebuild Their Lives",
    ]
    as_json = runner.invoke(
        main, ["query", "works-by-citation-count", "-f", "json", "-c", str(config)]
    )
    rows = json.loads(as_json.stdout)["results"]["bindings"]
    mentions = {row["work"]["value"]: int(row["mentions"]["value"]) for row in rows}
    assert mentions["webster2013unidentified"] == 4
    assert max(mentions.values()) == 4
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?c a kg:Claim }", encoding="utf-8")
    from_file = runner.invoke(main, ["query", str(rq), "-f", "csv", "-c", str(config)])
    assert from_file.exit_code == 0
    assert int(from_file.stdout.splitlines()[1]) >= 15


def test_query_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    missing = runner.invoke(main, ["query", "authors-by-theme", "-c", str(config)])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (
        f"Error: no built store at {tmp_path / 'build' / 'store'}; run `kg build` first"
    )
    assert "Traceback" not in missing.output
    runner.invoke(main, ["-q", "build", "-c", str(config)])
    bad = runner.invoke(main, ["query", "-e", "SELECT ?x WHERE {", "-c", str(config)])
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: SPARQL syntax error at line 1, column")
    unknown = runner.invoke(main, ["query", "no-such-query", "-c", str(config)])
    assert unknown.exit_code == 1
    assert "named queries: author-theme-claims, authors-by-theme" in unknown.stderr
    usage = runner.invoke(main, ["query", "-c", str(config)])
    assert usage.exit_code == 2


def test_list_queries(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--list"])
    assert result.exit_code == 0
    assert "authors-by-theme" in result.stdout
    assert "--param theme=" in result.stdout


def test_bad_bib_gives_one_line_and_keeps_build(runner: CliRunner, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    assert runner.invoke(main, ["-q", "build", "-c", str(config)]).exit_code == 0
    before = (tmp_path / "build" / "graph.trig").read_bytes()
    bad = tmp_path / "bad.bib"
    bad.write_bytes(b"@article{x, title={caf\xe9}}")
    broken = write_config(tmp_path, bibliography=f'["{bad}"]')
    result = runner.invoke(main, ["build", "-c", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {bad}:1: not UTF-8 (byte 0xe9")
    assert "Traceback" not in result.output
    assert (tmp_path / "build" / "graph.trig").read_bytes() == before


def test_bad_config_gives_one_line(runner: CliRunner, tmp_path: Path) -> None:
    config = write_config(tmp_path, output="42")
    result = runner.invoke(main, ["build", "-c", str(config)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {config}: 'output' must be a non-empty string, got 42"


def test_extract_json(runner: CliRunner) -> None:
    result = runner.invoke(
        main,
        ["extract", str(BIB / "nixon2020-excerpt.txt"), "--bib", str(BIB / "references.bib"),
         "-f", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    mentions = json.loads(result.stdout)
    assert len(mentions) == 19
    assert sum(len(m["refs"]) for m in mentions) == 25
    assert all(r["bibkey"] for m in mentions for r in m["refs"])


def test_progress_on_a_terminal_ticks_with_a_bar_and_clears(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from kg.cli import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(Progress, "DELAY", 0.0)
    with Progress(steps=False) as progress:
        progress("finding citations in a.txt (6/8)")
        for _ in range(40):
            if "[" in capsys.readouterr().err:
                break
            progress.done.wait(0.05)
        else:
            pytest.fail("no progress line within 2 s")
        progress.done.wait(0.3)
        shown = capsys.readouterr().err
    cleared = capsys.readouterr().err
    assert "... finding citations in a.txt (6/8) [" + "#" * 18 + "." * 6 + "] [" in shown
    assert cleared.startswith("\r") and cleared.strip() == ""


def test_progress_off_a_terminal_logs_steps_only_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kg.cli import Progress

    with Progress(steps=False) as single:
        single("running the query")
    with Progress() as steps:
        steps("reading the bibliography")
    with Progress(quiet=True) as quiet:
        quiet("reading the bibliography")
    assert capsys.readouterr().err == "... reading the bibliography\n"


def test_query_output_has_no_progress_lines_in_a_pipe(built) -> None:
    _, config = built
    result = CliRunner().invoke(
        main, ["query", "authors-by-theme", "--format", "json", "-c", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"]


def test_open_with_no_browser_says_where_the_page_is(built, tmp_path: Path) -> None:
    """`kg view map --open` where no browser can be started (a server reached over SSH) says
    so and where the page is, instead of opening nothing in silence; the page is written."""
    _, config = built
    page = tmp_path / "map.html"
    bin_folder = Path(sys.executable).parent
    env = {"PATH": str(bin_folder), "HOME": str(tmp_path), "BROWSER": str(tmp_path / "none")}
    result = subprocess.run(
        [str(bin_folder / "kg"), "view", "map", "-c", str(config), "-o", str(page), "--open"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert page.is_file()
    assert f"No browser to open it here: open {page.as_uri()} in yours" in result.stderr


def test_a_theme_no_theme_is_is_an_error(runner: CliRunner, built) -> None:
    """A misspelt --theme is one line saying so (exit 1), not an empty table; a theme with
    no claims (the seed's liminality) is an empty table."""
    _, config = built
    args = ["query", "authors-by-theme", "--no-serve", "-c", str(config), "--theme"]
    misspelt = runner.invoke(main, [*args, "hook for chnge"])
    assert misspelt.exit_code == 1
    assert misspelt.stdout == ""
    assert misspelt.stderr == (
        "Error: no theme has the id 'hook for chnge' or those words in its label;"
        " `kg query themes` lists them\n"
    )
    empty = runner.invoke(main, [*args, "liminality"])
    assert empty.exit_code == 0, empty.output
    assert empty.stdout.rstrip().endswith("(0 rows)")
