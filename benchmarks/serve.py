"""``kg serve`` measured: named queries through its endpoint, change-to-reload, memory.

    python benchmarks/serve.py [--sizes seed,10000] [--repeat 5] [--no-browser]

For each review (``seed``: a copy of the bundled review; N: the synthetic review of N works
that ``run.py`` also uses, written by ``synth.py`` into ``--data`` if missing) it starts
``kg serve`` on a free port of 127.0.0.1, waits for its first build, then measures:

- every named query through ``/sparql`` with ``kg.store.remote`` (what ``kg query
  --endpoint`` uses), the median of ``--repeat`` runs, and authors-by-theme with one theme;
- in headless Chromium, from a text file's write to the open map page reloaded and drawn
  again: the time of the new page's navigation start and of its first draw
  (``performance.timeOrigin``, ``window.kgDrawnAt``) after the write, on the same clock;
- the resident memory of the server, its build zygote and its SPARQL worker.

Targets (issue 17): each named query < 1 s (median) at 10,000 works, authors-by-theme with
a theme < 0.3 s; a saved change on the page in <= 1.5 s on the seed and <= 3 s at 10,000
works; the server's memory < 2 GB. Results go to ``benchmarks/results/serve.md`` and
``serve.json``. The machine's load moves the absolute times: ``uptime`` is printed with them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from kg.config import load_config  # noqa: E402
from kg.store.query import list_queries, run_query  # noqa: E402
from kg.store.remote import open_endpoint, review_endpoint  # noqa: E402

SEED_SENTENCE = (
    "\nA later study found that mentors gained confidence from their work with mentees "
    "(Buck, 2016).\n"
)


@contextlib.contextmanager
def serving(config: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``kg serve`` of ``config`` on a free port, once its first build is served."""
    state = load_config(config).output / ".kg-serve.json"
    state.unlink(missing_ok=True)
    command = [sys.executable, "-m", "kg.cli", "serve", "-c", str(config), "--port", "0"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 1800
            while not state.is_file():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"kg serve did not start: {log.read_text()}")
                time.sleep(0.1)
            yield json.loads(state.read_text())["url"], process
        finally:
            process.send_signal(2)
            process.wait(timeout=60)


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory (MB) of ``pid`` and of each of its children, by command."""

    def rss(p: int) -> float:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def children(p: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{p}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(c) for c in text]
        return found

    out = {"server": rss(pid)}
    for child in children(pid):
        command = Path(f"/proc/{child}/cmdline").read_bytes()
        name = "sparql worker" if b"kg.serve.sparql" in command else "build zygote"
        out[name] = out.get(name, 0.0) + rss(child)
    out["total"] = sum(out.values())
    return out


def time_queries(url: str, base: str, repeat: int) -> dict[str, float]:
    """The median seconds of each named query through the endpoint."""
    endpoint = review_endpoint(open_endpoint(url, timeout=600), base)
    times: dict[str, float] = {}
    for named in list_queries():
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            run_query(endpoint, named.text)
            runs.append(time.perf_counter() - start)
        times[named.name] = statistics.median(runs)
    theme = run_query(endpoint, "SELECT ?t WHERE { ?t a skos:Concept } ORDER BY ?t LIMIT 1")
    ident = theme.values("t")[0][0].rpartition("/")[2]
    authors = next(q for q in list_queries() if q.name == "authors-by-theme")
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        run_query(endpoint, authors.text, {"theme": ident})
        runs.append(time.perf_counter() - start)
    times[f"authors-by-theme --theme {ident}"] = statistics.median(runs)
    return times


def time_reloads(url: str, text: Path, sentence: str, repeat: int) -> list[dict[str, float]]:
    """Write ``text`` (``sentence`` added, then taken away, in turns) with the map open:
    seconds from the write to the new page's navigation start and to its first draw."""
    from playwright.sync_api import Error, sync_playwright

    original = text.read_text(encoding="utf-8")
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url.removesuffix("sparql") + "map.html")
        _wait(page, "window.kgReady === true", 120)
        for number in range(repeat):
            page.evaluate("window.notReloaded = true")
            content = original + sentence if number % 2 == 0 else original
            written = time.time()
            text.write_text(content, encoding="utf-8")
            _wait(page, "window.notReloaded === undefined && window.kgReady === true", 120, Error)
            origin, drawn = page.evaluate("[performance.timeOrigin, window.kgDrawnAt]")
            results.append(
                {"navigation": origin / 1000 - written, "drawn": (origin + drawn) / 1000 - written}
            )
            time.sleep(1.0)
        browser.close()
    text.write_text(original, encoding="utf-8")
    return results


def compare_rebuilds(config: Path, text: Path, sentence: str, repeat: int) -> dict[str, float]:
    """Median seconds of a rebuild after one text changed: in a child forked from kg serve's
    build zygote (``kg.serve.builder``), and as a ``kg build`` subprocess would take it."""
    from kg.serve.builder import Builder

    original = text.read_text(encoding="utf-8")
    forked, spawned = [], []
    builder = Builder(config)
    try:
        for number in range(repeat):
            text.write_text(original + sentence * (number + 1), encoding="utf-8")
            forked.append(builder.build().seconds)
            text.write_text(original + sentence * (number + 2), encoding="utf-8")
            start = time.perf_counter()
            command = [sys.executable, "-m", "kg.cli", "-q", "build", "-c", str(config)]
            subprocess.run(command, check=True, capture_output=True)
            spawned.append(time.perf_counter() - start)
    finally:
        builder.close()
        text.write_text(original, encoding="utf-8")
    return {
        "forked from the zygote": statistics.median(forked),
        "kg build subprocess": statistics.median(spawned),
    }


def _wait(page: Any, expression: str, timeout: float, error: type[Exception] = Exception) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if page.evaluate(expression):
                return
        except error:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{expression} not true within {timeout} s")


def measure(name: str, config: Path, text: Path, sentence: str, args: Any) -> dict[str, Any]:
    review = load_config(config)
    print(f"{name}: starting kg serve (first build)", file=sys.stderr)
    started = time.monotonic()
    with serving(config, Path(tempfile.gettempdir()) / f"kg-serve-bench-{name}.log") as (
        url,
        process,
    ):
        out: dict[str, Any] = {"first build and start (s)": time.monotonic() - started}
        if not args.no_queries:
            print(f"{name}: queries", file=sys.stderr)
            out["queries"] = time_queries(url, review.base, args.repeat)
        out["memory after queries (MB)"] = memory_mb(process.pid)
        if not args.no_browser:
            print(f"{name}: change to reload", file=sys.stderr)
            out["reloads"] = time_reloads(url, text, sentence, args.repeat)
        out["memory at the end (MB)"] = memory_mb(process.pid)
    print(f"{name}: rebuilds, forked and as a subprocess", file=sys.stderr)
    out["rebuild (s)"] = compare_rebuilds(config, text, sentence, args.repeat)
    return out


def report(results: dict[str, Any]) -> str:
    lines = ["# kg serve", "", f"uptime: {results['uptime']}", ""]
    for name, out in results["reviews"].items():
        lines += [
            f"## {name}",
            "",
            f"First build and start: {out['first build and start (s)']:.1f} s",
            "",
        ]
        if "queries" in out:
            lines += ["| query through /sparql | median (s) |", "| --- | ---: |"]
            lines += [f"| {q} | {s:.3f} |" for q, s in out["queries"].items()]
        if "reloads" in out:
            navigation = statistics.median(r["navigation"] for r in out["reloads"])
            drawn = statistics.median(r["drawn"] for r in out["reloads"])
            lines += ["", f"Write to reload (median of {len(out['reloads'])}): navigation "
                      f"{navigation:.2f} s, map drawn {drawn:.2f} s"]  # fmt: skip
        lines += ["", "Rebuild after one text changed (median): " + ", ".join(
            f"{k} {v:.2f} s" for k, v in out["rebuild (s)"].items())]  # fmt: skip
        memory = out["memory at the end (MB)"]
        lines += ["", "Memory (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()), ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="seed,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--no-queries",
        action="store_true",
        help="skip the named queries: the reload and rebuilds alone, printed, not written",
    )
    parser.add_argument("--data", default=str(HERE / ".data"))
    args = parser.parse_args()
    results: dict[str, Any] = {"uptime": os.popen("uptime").read().strip(), "reviews": {}}
    for size in args.sizes.split(","):
        if size == "seed":
            with tempfile.TemporaryDirectory(prefix="kg-serve-seed-") as folder:
                shutil.copytree(ROOT / "bib", Path(folder) / "bib")
                (Path(folder) / "ontology").mkdir()
                shutil.copy(ROOT / "ontology" / "themes.ttl", Path(folder) / "ontology")
                config = Path(folder) / "bib" / "kg.toml"
                text = Path(folder) / "bib" / "nixon2020-excerpt.txt"
                results["reviews"]["seed"] = measure("seed", config, text, SEED_SENTENCE, args)
            continue
        from synth import make_review

        folder = Path(args.data) / f"review-{size}"
        if not (folder / "kg.toml").is_file():
            make_review(folder, int(size))
        text = sorted((folder / "texts").iterdir())[0]
        sentence = "\nThe study's mentors felt more able to help others afterwards.\n"
        results["reviews"][size] = measure(size, folder / "kg.toml", text, sentence, args)
    if args.no_queries:
        print(report(results))
        return
    out = HERE / "results"
    (out / "serve.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out / "serve.md").write_text(report(results), encoding="utf-8")
    print(report(results))


if __name__ == "__main__":
    main()
