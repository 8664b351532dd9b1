"""kg at scale, side by side with the libraries it is built on, in one command.

    python benchmarks/run.py [--sizes 1000,10000] [--repeat 3] [--no-browser]
    python benchmarks/run.py --only-validate --sizes 10000   # `kg validate` alone
    python benchmarks/run.py --only-rebuild --sizes 10000    # the build and the rebuild alone

For each size N it writes a synthetic review of N works (``synth.py``, seeded, kept in
``--data`` so later runs reuse it), then measures, each in a fresh Python process so that
one measurement's memory never counts in another's:

- every stage of a build, called through kg's library functions: bibliography, extraction
  (citations, resolution, claims, themes), graph, TriG, store, the authors-by-theme query,
  the rows the views read (graph by graph, as ``kg build`` does), views, summary; with the
  peak resident memory during each stage;
- the whole ``build_review`` from nothing, and again after one text changed (in a process of
  its own, as a second ``kg build`` is);
- the baselines on the same input: bibtexparser's raw parse of the same ``.bib`` (no
  middleware), bibtexparser with its LaTeX-decoding and name-splitting middlewares (small
  sizes only: it manages ~300 entries/s), pyoxigraph's bulk load of the same quads as
  N-Quads, and the same named query on pyoxigraph directly and on rdflib's in-memory
  ``Dataset`` (up to ``--rdflib-max`` works: ~2 minutes at 10,000);

at the largest size, every named query in a fresh ``kg query`` before and after its
reshaping (``queries.py``); then ``kg validate --bib`` of the same ``.bib`` in turns with
the raw parse, and ``kg validate`` of the built review; then the real corpora (tugboat,
biber papers), ``kg query`` on the bundled seed review (wall time of the command, and which
modules it imported), and the 5,000-node view in headless Chromium (``bench_views.py``).
Medians of ``--repeat`` runs. It prints Markdown tables with the ratios and PASS/FAIL for
each target of the scale issue, and writes them to ``benchmarks/results/latest.md`` (and
``latest.json``).

The machine's load matters: absolute times move with it, ratios measured in one run much
less. ``uptime`` is printed with the results.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path[:0] = [str(ROOT), str(HERE)]


# --- measuring inside a worker process -------------------------------------------------------


def _reset_peak() -> None:
    """Reset the process's resident-memory high-water mark (Linux), so a stage has its own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Stages:
    """Times and peak memory of named steps, in order."""

    def __init__(self) -> None:
        self.figures: dict[str, dict[str, float]] = {}

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        _reset_peak()
        started = time.perf_counter()
        value = step()
        self.figures[name] = {"s": time.perf_counter() - started, "mb": _peak_mb()}
        return value


def read_bibliography(paths: list[str], **options: Any) -> Any:
    """A bibliography read as ``kg build`` and ``kg validate`` read it: a large file in two
    halves at once, the cycle collector paused."""
    from kg.load.bib import parse_bibliography
    from kg.parallel.collector import collection_paused
    from kg.parallel.forked import converse_beside

    with collection_paused():
        return parse_bibliography(paths, beside=converse_beside, **options)


def job_stages(config: str, work: str) -> dict[str, Any]:
    """Each stage of a build by kg's library functions; leaves the store and N-Quads in work."""
    from pyoxigraph import RdfFormat, serialize

    from kg.config import load_config, ontology_path
    from kg.graph import GraphNames, build_quads, read_turtle, serialize_trig
    from kg.load.citations import find_citations, resolve_citations
    from kg.load.claims import extract_claims
    from kg.load.texts import citing_texts, read_text
    from kg.load.themes import load_themes
    from kg.outputs.review import render_review
    from kg.outputs.views import write_views
    from kg.parallel.collector import collection_paused
    from kg.projections.network import ReviewData
    from kg.projections.rows import review_rows_of, rows_of_graph
    from kg.store.embedded import load_store
    from kg.store.query import load_query, run_query

    stages = Stages()
    review = load_config(config)
    bib = stages.run("bibliography", lambda: read_bibliography(review.bibliographies))
    scheme = stages.run("themes", lambda: load_themes(review.themes))

    def extract() -> list[tuple[str, str, list[Any]]]:
        out = []
        for source in citing_texts(review, bib.works):
            text = read_text(source.path)
            mentions, _ = resolve_citations(find_citations(text), bib.works)
            claims = extract_claims(
                text, mentions, scheme.themes, source=source.path.name, citing=source.work
            )
            out.append((source.path.name, source.work, claims))
        return out

    claims = stages.run("extraction", extract)

    def graph() -> list[Any]:
        return build_quads(
            review.base, bib.works, scheme, claims,
            themes=read_turtle(review.themes),
            ontology=read_turtle(ontology_path() / "kg.ttl"), title=review.title,
        )  # fmt: skip

    quads = stages.run("graph", graph)
    stages.run("trig", lambda: serialize_trig(quads))
    folder = Path(work)
    store = stages.run("store", lambda: load_store(quads, folder / "store"))
    query = load_query("authors-by-theme")
    rows = stages.run("query", lambda: run_query(store, query).rows)
    # As build_review does: the views and the summary read the rows of each graph.
    names = GraphNames(review.base)

    def read_rows() -> dict[str, list[tuple[str, ...]]]:
        by_graph: dict[str, list[Any]] = defaultdict(list)
        for quad in quads:
            by_graph[f"<{quad.graph_name.value}>"].append(quad)
        themes = by_graph[str(names.themes)]
        parts = {g: rows_of_graph(g, q, names, lambda: themes) for g, q in by_graph.items()}
        return review_rows_of(parts, names)

    with collection_paused():
        data = ReviewData(None, rows=stages.run("rows", read_rows))
        views = folder / "views"
        views.mkdir()
        written = stages.run(
            "views", lambda: write_views(None, views, title=review.title, data=data)
        )
        stages.run("summary", lambda: render_review(None, title=review.title, data=data))
    serialize(quads, output=str(folder / "quads.nq"), format=RdfFormat.N_QUADS)
    texts = citing_texts(review, bib.works)
    return {
        "stages": stages.figures,
        "entries": len(bib.works),
        "texts": len(texts),
        "claims": sum(len(c) for _, _, c in claims),
        "mentions": sum(len(c.mentions) for _, _, cs in claims for c in cs),
        "triples": len(set(quads)),
        "query_rows": len(rows),
        "views": {v.view.name: [v.nodes, v.edges] for v in written},
    }


def job_build(config: str) -> dict[str, Any]:
    """``build_review`` from nothing."""
    from kg.build.pipeline import build_review
    from kg.config import load_config

    review = load_config(config)
    shutil.rmtree(review.output, ignore_errors=True)
    stages = Stages()
    report = stages.run("build", lambda: build_review(config))
    return {"stages": stages.figures, "counts": report.counts}


def job_rebuild(config: str) -> dict[str, Any]:
    """``build_review`` again after one text changed (its last sentence gone), in a process
    of its own as ``kg build`` would be, on the outputs and cache of the build before."""
    from kg.build.pipeline import build_review
    from kg.config import load_config

    review = load_config(config)
    text = review.texts[len(review.texts) // 2].path
    original = text.read_text(encoding="utf-8")
    stages = Stages()
    try:
        text.write_text(original.rstrip()[: original.rstrip().rfind(".", 0, -1) + 1] + "\n")
        stages.run("rebuild", lambda: build_review(config))
    finally:
        text.write_text(original, encoding="utf-8")
    return {"stages": stages.figures}


def job_raw_parse(*bibs: str) -> dict[str, Any]:
    """bibtexparser's raw parse of the files (reading them included), no middleware."""
    import bibtexparser

    stages = Stages()

    def parse() -> int:
        return sum(
            len(bibtexparser.parse_string(Path(b).read_text("utf-8"), parse_stack=[]).entries)
            for b in bibs
        )

    entries = stages.run("raw_parse", parse)
    return {"stages": stages.figures, "entries": entries}


def job_bibtexparser_latex(*bibs: str) -> dict[str, Any]:
    """bibtexparser with the middlewares that do what kg does: macros, LaTeX, names."""
    import bibtexparser
    from bibtexparser import middlewares as m

    stack = [
        m.ResolveStringReferencesMiddleware(),
        m.RemoveEnclosingMiddleware(),
        m.LatexDecodingMiddleware(),
        m.SeparateCoAuthors(),
        m.SplitNameParts(),
    ]
    stages = Stages()

    def parse() -> int:
        text = "\n".join(Path(b).read_text("utf-8") for b in bibs)
        return len(bibtexparser.parse_string(text, parse_stack=stack).entries)

    entries = stages.run("bibtexparser_latex", parse)
    return {"stages": stages.figures, "entries": entries}


def job_kg_bib(*bibs: str) -> dict[str, Any]:
    stages = Stages()
    bib = stages.run("bibliography", lambda: read_bibliography(list(bibs), tolerant=True))
    return {"stages": stages.figures, "entries": len(bib.works)}


def job_validate_bib(*bibs: str) -> dict[str, Any]:
    """``kg validate --bib``: ``validate_bibliography`` of the files, as the CLI calls it
    (with the cycle collector paused, as every kg command runs)."""
    from kg.checks.validate import validate_bibliography
    from kg.parallel.collector import collection_paused

    stages = Stages()
    with collection_paused():
        report = stages.run("validate_bib", lambda: validate_bibliography(list(bibs)))
    return {"stages": stages.figures, "findings": len(report.findings)}


def job_validate(config: str) -> dict[str, Any]:
    """``kg validate``: ``validate_review`` of a built review, as the CLI calls it."""
    from kg.checks.validate import validate_review
    from kg.parallel.collector import collection_paused

    stages = Stages()
    with collection_paused():
        report = stages.run("validate", lambda: validate_review(config))
    return {"stages": stages.figures, "findings": len(report.findings)}


def job_oxigraph_load(nquads: str, work: str) -> dict[str, Any]:
    """pyoxigraph's bulk load of an N-Quads file into a new on-disk store."""
    from pyoxigraph import RdfFormat, Store

    stages = Stages()

    def load() -> None:
        store = Store(str(Path(work) / "baseline-store"))
        store.bulk_load(path=nquads, format=RdfFormat.N_QUADS)
        store.flush()

    stages.run("oxigraph_load", load)
    return {"stages": stages.figures}


def _query_text(plain: bool = False) -> str:
    """authors-by-theme as kg runs it, or (``plain``) in the plain shape it had before its
    patterns became sub-SELECTs for the on-disk store (kept for tests/test_query_shapes.py):
    rdflib evaluates sub-SELECTs one by one, without joining them by hash, and would be
    measured on a shape no rdflib user would write."""
    from kg.store.query import bind_parameters, load_query

    if plain:
        name = str(ROOT / "tests" / "data" / "queries-before" / "authors-by-theme.rq")
        return bind_parameters(load_query(name), {})
    return bind_parameters(load_query("authors-by-theme"), {})


def job_oxigraph_query(store_path: str) -> dict[str, Any]:
    """The same query on pyoxigraph directly: its text, the union graph, rows as tuples."""
    from pyoxigraph import Store

    from kg.namespaces import PREFIXES

    store = Store.read_only(store_path)
    text = _query_text()
    stages = Stages()

    def run() -> int:
        answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        variables = answer.variables
        return len([tuple(row[v] for v in variables) for row in answer])

    rows = stages.run("oxigraph_query", run)
    return {"stages": stages.figures, "rows": rows}


def job_kg_query(store_path: str) -> dict[str, Any]:
    """The named query through ``kg.store.query.run_query`` on the same store."""
    from kg.store.embedded import open_store
    from kg.store.query import load_query, run_query

    store = open_store(Path(store_path))
    stages = Stages()
    rows = stages.run(
        "kg_query", lambda: len(run_query(store, load_query("authors-by-theme")).rows)
    )
    return {"stages": stages.figures, "rows": rows}


def job_rdflib_query(nquads: str) -> dict[str, Any]:
    """The same query on rdflib's in-memory Dataset (default graph = union of graphs)."""
    from rdflib import Dataset

    from kg.namespaces import PREFIXES

    stages = Stages()
    dataset = Dataset(default_union=True)
    stages.run("rdflib_load", lambda: dataset.parse(nquads, format="nquads"))
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    text = prologue + _query_text(plain=True)
    rows = stages.run("rdflib_query", lambda: len(list(dataset.query(text))))
    return {"stages": stages.figures, "rows": rows}


def job_cli_imports(config: str) -> dict[str, Any]:
    """Which heavy libraries ``kg query`` imports (run in a fresh process)."""
    import contextlib
    import io

    from kg.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main(["query", "-c", config, "authors-by-theme"], standalone_mode=False)
    heavy = ("pyvis", "bibtexparser", "rdflib", "networkx", "pyshacl", "pylatexenc")
    return {"imported": [name for name in heavy if name in sys.modules]}


def job_browser(nodes: str, edges: str, runs: str) -> dict[str, Any]:
    """The 5,000-node author-theme view (bench_views.py) drawn in headless Chromium."""
    from bench_views import ARGS, CHROMIUM, author_theme_graph, measure_in_browser
    from playwright.sync_api import sync_playwright

    from kg.outputs.views import VIEWS, render_view

    graph = author_theme_graph(int(nodes), int(edges))
    started = time.perf_counter()
    page = render_view(graph, VIEWS[0])
    render = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.html"
        path.write_text(page, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            figures = measure_in_browser(browser, path, int(runs))
            browser.close()
    return {"render_s": render, **figures}


JOBS: dict[str, Callable[..., dict[str, Any]]] = {
    name.removeprefix("job_"): value for name, value in globals().items() if name.startswith("job_")
}


def worker(job: str, *args: str) -> dict[str, Any]:
    """Run ``job`` in a fresh Python process and return what it printed as JSON."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", job, *args],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{job} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def medians(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per stage, the median time and the median peak memory over runs."""
    names = results[0]["stages"]
    return {
        name: {
            "s": statistics.median(r["stages"][name]["s"] for r in results),
            "mb": statistics.median(r["stages"][name]["mb"] for r in results),
        }
        for name in names
    }


def repeat(times: int, job: str, *args: str, before: Callable[[], None] | None = None) -> Any:
    results = []
    for _ in range(times):
        if before:
            before()
        results.append(worker(job, *args))
    return medians(results), results[-1]


# --- the run ----------------------------------------------------------------------------------


def measure_size(size: int, args: argparse.Namespace, log: Callable[[str], None]) -> dict:
    from synth import make_review

    folder = Path(args.data) / f"review-{size}"
    config = folder / "kg.toml"
    if not config.is_file():
        log(f"writing the synthetic review of {size:,} works to {folder}")
        make_review(folder, size)
    bib = str(folder / "references.bib")
    out: dict[str, Any] = {"size": size}
    with tempfile.TemporaryDirectory(prefix=f"kg-bench-{size}-") as work:
        stage_runs = []
        for _ in range(args.repeat):
            shutil.rmtree(Path(work), ignore_errors=True)
            Path(work).mkdir()
            log(f"{size:,} works: stages")
            stage_runs.append(worker("stages", str(config), work))
        out["stages"] = medians(stage_runs)
        out["info"] = {k: v for k, v in stage_runs[-1].items() if k != "stages"}
        log(f"{size:,} works: baselines")
        out["raw_parse"], _ = repeat(args.repeat, "raw_parse", bib)
        if size <= args.bibtexparser_max:
            out["bibtexparser_latex"], _ = repeat(1, "bibtexparser_latex", bib)
        nquads = str(Path(work) / "quads.nq")

        def fresh_baseline_store() -> None:
            shutil.rmtree(Path(work) / "baseline-store", ignore_errors=True)

        out["oxigraph_load"], _ = repeat(
            args.repeat, "oxigraph_load", nquads, work, before=fresh_baseline_store
        )
        store = str(Path(work) / "store")
        out["kg_query"], _ = repeat(args.repeat, "kg_query", store)
        out["oxigraph_query"], _ = repeat(args.repeat, "oxigraph_query", store)
        if size <= args.rdflib_max:
            log(f"{size:,} works: rdflib")
            out["rdflib"], _ = repeat(1, "rdflib_query", nquads)
    log(f"{size:,} works: whole build and rebuild")
    builds, rebuilds = [], []
    for _ in range(args.repeat):  # each rebuild starts from the build just before it
        builds.append(worker("build", str(config)))
        rebuilds.append(worker("rebuild", str(config)))
    out["build"] = medians(builds) | medians(rebuilds)
    out["counts"] = builds[-1]["counts"]
    out["validate"] = measure_validate(folder, args, log)
    if size == max(int(s) for s in args.sizes.split(",")) and not args.no_queries:
        from queries import measure_queries

        log(f"{size:,} works: every named query cold, before and after their reshaping")
        out["named_queries"] = measure_queries(config, args.repeat, log)
    shutil.rmtree(folder / "build", ignore_errors=True)
    return out


def measure_rebuild(size: int, args: argparse.Namespace, log: Callable[[str], None]) -> str:
    """The whole build and the rebuild after one text changed, in turns as
    :func:`measure_size` takes them: their medians and ratio as a table row."""
    from synth import make_review

    folder = Path(args.data) / f"review-{size}"
    config = folder / "kg.toml"
    if not config.is_file():
        log(f"writing the synthetic review of {size:,} works to {folder}")
        make_review(folder, size)
    log(f"{size:,} works: whole build and rebuild")
    builds, rebuilds = [], []
    for _ in range(args.repeat):
        builds.append(worker("build", str(config))["stages"]["build"]["s"])
        rebuilds.append(worker("rebuild", str(config))["stages"]["rebuild"]["s"])
    build, rebuild = statistics.median(builds), statistics.median(rebuilds)
    ratio = rebuild / build
    return f"| {size:,} | {build:.2f} | {rebuild:.2f} | {ratio:.1%} | {_verdict(ratio <= 0.10)} |"


def measure_validate(folder: Path, args: argparse.Namespace, log: Callable[[str], None]) -> dict:
    """``kg validate --bib`` of the review's bibliography, in turns with bibtexparser's raw
    parse and kg's own reading of the same file (so that all three see the same load), then
    ``kg validate`` of the review, built first if it is not."""
    bib, config = str(folder / "references.bib"), str(folder / "kg.toml")
    log(f"{folder.name}: validate --bib, raw parse and kg's bibliography in turns")
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _ in range(args.repeat):
        for job in ("raw_parse", "kg_bib", "validate_bib"):
            runs[job].append(worker(job, bib))
    if not (folder / "build" / "graph.trig").is_file():
        log(f"{folder.name}: building it for validate")
        worker("build", config)
    log(f"{folder.name}: validate")
    validate, _ = repeat(args.repeat, "validate", config)
    return {job: medians(results) for job, results in runs.items()} | {"validate": validate}


def measure_corpora(args: argparse.Namespace) -> list[dict[str, Any]]:
    corpora = [
        ("tugboat", [CORPORA / "tugboat" / "tugboat.bib"]),
        ("biber papers", [CORPORA / "biber-papers" / "definitions.bib",
                          CORPORA / "biber-papers" / "papers.bib"]),
    ]  # fmt: skip
    found = []
    for name, paths in corpora:
        if not all(p.is_file() for p in paths):
            continue
        files = [str(p) for p in paths]
        kg_bib, info = repeat(args.repeat, "kg_bib", *files)
        raw, _ = repeat(args.repeat, "raw_parse", *files)
        found.append({"name": name, "entries": info["entries"], "kg": kg_bib, "raw": raw})
    return found


def measure_seed_query(args: argparse.Namespace) -> dict[str, Any]:
    """``kg query`` on the bundled review, built into a scratch copy first."""
    kg = Path(sys.executable).with_name("kg")
    with tempfile.TemporaryDirectory(prefix="kg-bench-seed-") as work:
        for name in ("bib", "ontology"):
            shutil.copytree(ROOT / name, Path(work) / name)
        config = str(Path(work) / "bib" / "kg.toml")
        subprocess.run([str(kg), "-q", "build", "-c", config], check=True)
        walls = []
        for _ in range(max(3, args.repeat)):
            started = time.perf_counter()
            subprocess.run(
                [str(kg), "query", "-c", config, "authors-by-theme"],
                check=True, capture_output=True,
            )  # fmt: skip
            walls.append(time.perf_counter() - started)
        imported = worker("cli_imports", config)["imported"]
    return {"wall_s": statistics.median(walls), "imported": imported}


def _fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 1 else f"{seconds:.2f}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def report(results: dict[str, Any]) -> str:
    """The Markdown tables: stages per size, baselines, corpora, targets."""
    lines = [f"Machine: {results['machine']}", ""]
    for size in results["sizes"]:
        s, info, n = size["stages"], size["info"], size["size"]
        lines += [
            f"### {n:,} works: {info['texts']} texts, {info['claims']:,} claims,"
            f" {info['mentions']:,} citations, {info['triples']:,} triples",
            "",
            "| stage | kg (s) | peak RSS (MB) | baseline | baseline (s) | kg / baseline |",
            "| --- | ---: | ---: | --- | ---: | ---: |",
        ]
        raw = size["raw_parse"]["raw_parse"]["s"]
        load = size["oxigraph_load"]["oxigraph_load"]["s"]
        ox_query = size["oxigraph_query"]["oxigraph_query"]["s"]
        baselines = {
            "bibliography": ("bibtexparser raw parse", raw),
            "store": ("pyoxigraph bulk_load (N-Quads)", load),
            "query": ("pyoxigraph query, same text", ox_query),
        }
        for stage, fig in s.items():
            name, base = baselines.get(stage, ("", 0.0))
            ratio = f"{fig['s'] / base:.2f}x" if base else ""
            base_s = _fmt_s(base) if base else ""
            lines.append(
                f"| {stage} | {_fmt_s(fig['s'])} | {fig['mb']:.0f} | {name} | {base_s} | {ratio} |"
            )
        if "bibtexparser_latex" in size:
            fig = size["bibtexparser_latex"]["bibtexparser_latex"]
            lines.append(
                f"| (bibtexparser + LaTeX and name middlewares) | {_fmt_s(fig['s'])} |"
                f" {fig['mb']:.0f} | bibtexparser raw parse | {_fmt_s(raw)} |"
                f" {fig['s'] / raw:.2f}x |"
            )
        if "rdflib" in size:
            r = size["rdflib"]
            lines.append(
                f"| (rdflib in-memory: load / query) | {_fmt_s(r['rdflib_load']['s'])} /"
                f" {_fmt_s(r['rdflib_query']['s'])} | {r['rdflib_query']['mb']:.0f} |"
                f" pyoxigraph query | {_fmt_s(ox_query)} |"
                f" {r['rdflib_query']['s'] / ox_query:.1f}x |"
            )
        b = size["build"]
        build, rebuild = b["build"]["s"], b["rebuild"]["s"]
        kq = size["kg_query"]["kg_query"]["s"]
        lines += [
            f"| **whole `build_review`** | {_fmt_s(build)} | {b['build']['mb']:.0f} |"
            f" raw parse + bulk load | {_fmt_s(raw + load)} | {build / (raw + load):.2f}x |",
            f"| rebuild, one text changed | {_fmt_s(rebuild)} | {b['rebuild']['mb']:.0f} |"
            f" whole build | {_fmt_s(build)} | {rebuild / build:.2f}x |",
            f"| `run_query` authors-by-theme, own process | {_fmt_s(kq)} |"
            f" {size['kg_query']['kg_query']['mb']:.0f} | pyoxigraph query, same text |"
            f" {_fmt_s(ox_query)} | {kq / ox_query:.2f}x |",
            "",
            "Views drawn: "
            + ", ".join(f"{k} {v[0]:,} nodes / {v[1]:,} edges" for k, v in info["views"].items()),
            "",
        ]
    if results["corpora"]:
        lines += [
            "### Real bibliographies",
            "",
            "| corpus | entries | kg load (s) | entries/s | bibtexparser raw parse (s) | ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for c in results["corpora"]:
            kg_s, raw_s = c["kg"]["bibliography"]["s"], c["raw"]["raw_parse"]["s"]
            lines.append(
                f"| {c['name']} | {c['entries']:,} | {_fmt_s(kg_s)} | {c['entries'] / kg_s:,.0f}"
                f" | {_fmt_s(raw_s)} | {kg_s / raw_s:.2f}x |"
            )
        lines.append("")
    for size in results["sizes"]:
        if "named_queries" in size:
            from queries import report_queries

            lines += [f"### {size['size']:,} works: named queries", ""]
            lines += [*report_queries(size["named_queries"]), ""]
    lines += targets(results)
    return "\n".join(lines) + "\n"


def targets(results: dict[str, Any]) -> list[str]:
    lines = ["### Targets", "", "| target | measured | goal | |", "| --- | --- | --- | --- |"]
    by_size = {s["size"]: s for s in results["sizes"]}
    size = by_size.get(10_000) or by_size[max(by_size)]
    n = size["size"]
    bib = size["stages"]["bibliography"]["s"]
    raw = size["raw_parse"]["raw_parse"]["s"]
    rate = size["info"]["entries"] / bib
    lines.append(
        f"| bibliography at {n:,}: entries/s | {rate:,.0f} | >= 5,000 | {_verdict(rate >= 5000)} |"
    )
    lines.append(
        f"| bibliography at {n:,}: kg / raw parse | {bib / raw:.2f}x | <= 1.5x"
        f" | {_verdict(bib / raw <= 1.5)} |"
    )
    build = size["build"]["build"]
    base = raw + size["oxigraph_load"]["oxigraph_load"]["s"]
    lines.append(
        f"| build at {n:,} ({size['info']['triples']:,} triples) / (raw parse + bulk load)"
        f" | {build['s'] / base:.2f}x ({_fmt_s(build['s'])} s) | <= 3x"
        f" | {_verdict(build['s'] / base <= 3)} |"
    )
    lines.append(
        f"| build at {n:,}: peak memory | {build['mb']:,.0f} MB | < 2,048 MB"
        f" | {_verdict(build['mb'] < 2048)} |"
    )
    rebuild = size["build"]["rebuild"]["s"] / build["s"]
    lines.append(
        f"| rebuild after one text changed / build | {rebuild:.1%} | <= 10%"
        f" | {_verdict(rebuild <= 0.10)} |"
    )
    kq = size["kg_query"]["kg_query"]["s"] / size["oxigraph_query"]["oxigraph_query"]["s"]
    lines.append(
        f"| authors-by-theme at {n:,}: kg / pyoxigraph | {kq:.2f}x | <= 2x | {_verdict(kq <= 2)} |"
    )
    lines += validate_targets(size)
    seed = results["seed_query"]
    ok = seed["wall_s"] < 0.5 and not {"pyvis", "bibtexparser"} & set(seed["imported"])
    lines.append(
        f"| `kg query` on the seed review, wall time | {seed['wall_s']:.2f} s, imports"
        f" {', '.join(seed['imported']) or 'none of the heavy ones'} | < 0.5 s, no pyvis or"
        f" bibtexparser | {_verdict(ok)} |"
    )
    browser = results.get("browser")
    if browser:
        lines.append(
            f"| 5,000-node view, first draw in headless Chromium | {browser['first_draw_s']:.2f} s"
            f" (render {browser['render_s']:.2f} s, pan {browser['pan_fps']:.0f} fps) | < 3 s"
            f" | {_verdict(browser['first_draw_s'] < 3)} |"
        )
    return [*lines, ""]


def validate_targets(size: dict[str, Any]) -> list[str]:
    """The rows of ``kg validate``'s targets: ``--bib`` against the raw parse measured in
    turns with it, and the whole review."""
    n, v = size["size"], size["validate"]
    raw, own = v["raw_parse"]["raw_parse"]["s"], v["kg_bib"]["bibliography"]["s"]
    bib, review = v["validate_bib"]["validate_bib"]["s"], v["validate"]["validate"]["s"]
    return [
        f"| `kg validate --bib` at {n:,} / raw parse | {bib / raw:.2f}x ({_fmt_s(bib)} s against"
        f" {_fmt_s(raw)} s; of which kg's reading {_fmt_s(own)} s) | <= 2x"
        f" | {_verdict(bib / raw <= 2)} |",
        f"| `kg validate` of the {n:,}-work review | {_fmt_s(review)} s"
        f" ({v['validate']['validate']['mb']:,.0f} MB) | <= 10 s | {_verdict(review <= 10)} |",
    ]


def machine() -> str:
    memory = ""
    try:
        total = next(
            line for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line
        )
        memory = f", {int(total.split()[1]) / 1024**2:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores{memory}, {platform.system()} {platform.machine()},"
        f" Python {platform.python_version()}, {datetime.date.today()}, load average {load}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="works per review, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--data", default=str(HERE / ".data"), help="where reviews are kept")
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=1000,
        help="largest size for the rdflib baseline (slow: ~2 min at 10,000)",
    )
    parser.add_argument(
        "--bibtexparser-max",
        type=int,
        default=1000,
        help="largest size for bibtexparser's LaTeX middleware (~300 entries/s)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip headless Chromium")
    parser.add_argument("--no-corpora", action="store_true", help="skip the real corpora")
    parser.add_argument(
        "--no-queries", action="store_true", help="skip the cold named queries (queries.py)"
    )
    parser.add_argument("--out", default=str(HERE / "results"), help="where the tables go")
    parser.add_argument(
        "--only-validate",
        action="store_true",
        help="measure only `kg validate` (and its baseline), printed, not written to --out",
    )
    parser.add_argument(
        "--only-rebuild",
        action="store_true",
        help="measure only the whole build and the rebuild after it, printed, not written",
    )
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()  # fmt: skip
    if args.worker:
        job, *rest = args.worker
        print(json.dumps(JOBS[job](*rest)))
        return

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    started = machine()
    if args.only_validate:
        lines = ["| target | measured | goal | |", "| --- | --- | --- | --- |"]
        for size in (int(s) for s in args.sizes.split(",")):
            folder = Path(args.data) / f"review-{size}"
            if not (folder / "kg.toml").is_file():
                log(f"writing the synthetic review of {size:,} works to {folder}")
                from synth import make_review

                make_review(folder, size)
            figures = {"size": size, "validate": measure_validate(folder, args, log)}
            lines += validate_targets(figures)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print("\n".join([f"Machine: {started} (at the end: load average {load})", "", *lines]))
        return
    if args.only_rebuild:
        lines = [
            "| works | build (s) | rebuild (s) | rebuild / build | |",
            "| ---: | ---: | ---: | ---: | --- |",
        ]
        for size in (int(s) for s in args.sizes.split(",")):
            lines.append(measure_rebuild(size, args, log))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print("\n".join([f"Machine: {started} (at the end: load average {load})", "", *lines]))
        return
    results: dict[str, Any] = {"machine": started, "sizes": [], "corpora": []}
    for size in (int(s) for s in args.sizes.split(",")):
        results["sizes"].append(measure_size(size, args, log))
    if not args.no_corpora:
        log("real corpora")
        results["corpora"] = measure_corpora(args)
    log("kg query on the seed review")
    results["seed_query"] = measure_seed_query(args)
    if not args.no_browser:
        log("5,000-node view in headless Chromium")
        try:
            results["browser"] = worker("browser", "5000", "15000", str(args.repeat))
        except RuntimeError as error:
            log(f"browser measurement skipped: {str(error).splitlines()[-1]}")
    results["machine"] += (
        f" (at the end: load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    table = report(results)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    (out / "latest.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
