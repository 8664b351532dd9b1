"""How fast kg's views are made and drawn at scale: 5,000 nodes and 15,000 edges.

Run from the repository root (needs Debian's chromium and the playwright package)::

    python benchmarks/bench_views.py [--nodes 5000] [--edges 15000] [--runs 3]
    python benchmarks/bench_views.py --timeline [--works 10000] [--review KG_TOML]

``--timeline`` measures the timeline instead, on a synthetic review of ``--works`` works
(``synth.py``, built first: about two minutes at 10,000) or on the built review of
``--review``: the time to make its page in Python from the store, the file's size, and in
headless Chromium the first draw (``window.kgDrawnAt``) and the answer to a click on a bar.

For the author-theme map (themes as anchors) and the co-citation network (the generic
layout), it prints the time to render the HTML in Python, the file's size, and in headless
Chromium the time from navigation to the first complete draw (``window.kgDrawnAt``) and to
the page being ready with every claim loaded (``window.kgReady``), the
time to answer a click on a node, and the frames per second while panning; beside the first
draw, the CPU time the browser's processes spent on it. Medians of
``--runs`` runs. The data are synthetic and seeded, so runs compare. Other work on the
machine slows the wall-clock figures (not so much the CPU time): run it on a quiet machine
(see ``uptime``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.outputs.views import VIEWS, View, render_view

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WORDS = [
    "peer", "mentoring", "desistance", "recovery", "identity", "hope", "stigma", "reentry",
    "employment", "trust", "generativity", "agency", "probation", "prison", "coercion",
]  # fmt: skip


def _quote(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 30))).capitalize() + "."


def _claim(rng: random.Random, ident: int, key: str, stance: str) -> dict[str, object]:
    return {
        "id": str(ident),
        "quote": _quote(rng),
        "key": key,
        "cite": f"{key.capitalize()} et al. (20{len(key) % 25:02d})",
        "work": f"A study of {WORDS[sum(map(ord, key)) % len(WORDS)]} ({key})",
        "year": f"20{len(key) % 25:02d}",
        "locator": f"p. {ident % 300}" if ident % 3 else None,
        "stance": stance,
    }


def author_theme_graph(nodes: int, edges: int, seed: int = 1) -> nx.MultiGraph:
    """``nodes`` authors and themes (one theme per 50 authors), ``edges`` author-theme edges."""
    rng = random.Random(seed)
    themes = max(2, nodes // 50)
    authors = nodes - themes
    graph = nx.MultiGraph(title="Synthetic review")
    for t in range(themes):
        graph.add_node(f"theme:t{t}", kind="theme", label=f"Theme {t}", detail=_quote(rng))
    for a in range(authors):
        works = [{"key": f"w{a}", "title": f"Work of author {a}", "year": "2015"}]
        graph.add_node(f"author:a{a}", kind="author", label=f"Author{a}, A.", works=works)
    stances = ("supports", "supports", "supports", "mentions", "disputes")
    made = 0
    while made < edges:
        a = made % authors if made < authors else rng.randrange(authors)
        t = min(int(rng.paretovariate(1.2)) - 1, themes - 1)
        t = (t + a) % themes if rng.random() < 0.5 else t
        stance = rng.choice(stances)
        if graph.has_edge(f"author:a{a}", f"theme:t{t}", key=stance):
            continue
        claims = [_claim(rng, made * 3 + i, f"w{a}", stance) for i in range(rng.randint(1, 2))]
        graph.add_edge(
            f"author:a{a}", f"theme:t{t}", key=stance, stance=stance, weight=len(claims),
            claims=claims, themes=[f"theme:t{t}"], stances=[stance],
        )  # fmt: skip
        made += 1
    for node, data in graph.nodes(data=True):
        data["claims"] = sum(d["weight"] for _, _, d in graph.edges(node, data=True))
    return graph


def cocitation_graph(nodes: int, edges: int, seed: int = 2) -> nx.MultiGraph:
    """``nodes`` works, ``edges`` co-citation links with a preferential, clustered shape."""
    rng = random.Random(seed)
    graph = nx.MultiGraph(title="Synthetic review", themes={"theme:t0": "Theme 0"})
    for w in range(nodes):
        graph.add_node(f"work:w{w}", kind="work", label=f"Author{w} et al. (20{w % 25:02d})")
    made = 0
    while made < edges:
        a = rng.randrange(nodes)
        near = (a + int(rng.paretovariate(0.8))) % nodes
        b = near if rng.random() < 0.8 else rng.randrange(nodes)
        if a == b or graph.has_edge(f"work:w{a}", f"work:w{b}"):
            continue
        claims = [_claim(rng, made, f"w{a}", "supports")]
        graph.add_edge(
            f"work:w{a}", f"work:w{b}", key="co-cited", stance="co-cited", weight=1,
            claims=claims, themes=["theme:t0"], stances=["supports"],
        )  # fmt: skip
        made += 1
    for node, data in graph.nodes(data=True):
        data["claims"] = graph.degree(node)
        data["detail"] = f"Title of {node}"
    return graph


def _median(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def _wait_ready(page: object, timeout: float = 120.0) -> None:
    deadline = time.perf_counter() + timeout
    while not page.evaluate("window.kgReady === true"):  # type: ignore[attr-defined]
        if time.perf_counter() > deadline:
            raise TimeoutError("the view was not drawn in time")
        time.sleep(0.01)


def _browser_cpu_seconds() -> dict[int, float]:
    """CPU time used so far by each of this process's descendants (the Chromium processes).

    Linux only; compare two readings with :func:`_cpu_since`.

    On a loaded machine the wall-clock figures grow with the load; this one much less, and on
    a quiet machine it is close to the wall time (the drawing is mostly one thread).
    """
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    ours, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= more
        grew = bool(more)
    ours.discard(os.getpid())
    return {pid: times[pid] for pid in ours if pid in times}


def _cpu_since(before: dict[int, float]) -> float:
    """CPU seconds the descendants used since ``before`` (processes gone since are left out)."""
    return sum(spent - before.get(pid, 0.0) for pid, spent in _browser_cpu_seconds().items())


def measure_in_browser(browser: object, path: Path, runs: int) -> dict[str, float]:
    """First draw, click answer and panning frame rate of the page at ``path``."""
    first_draw, ready, cpu, clicks, fps = [], [], [], [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        requests: list[str] = []
        page.on("request", lambda r, seen=requests: seen.append(r.url))
        before = _browser_cpu_seconds()
        page.goto(path.as_uri(), wait_until="commit")
        _wait_ready(page)
        ready.append(page.evaluate("performance.now()") / 1000)
        first_draw.append(page.evaluate("window.kgDrawnAt") / 1000)
        cpu.append(_cpu_since(before))
        assert requests == [path.as_uri()], requests
        started = time.perf_counter()
        page.evaluate(
            """() => { const id = kgNetwork.body.data.nodes.getIds()[0];
                       kgNetwork.selectNodes([id]);
                       kgNetwork.body.emitter.emit('click', {nodes: [id], edges: []}); }"""
        )
        page.evaluate("document.getElementById('kg-details').textContent.length")
        clicks.append(time.perf_counter() - started)
        box = page.locator("#kg-network").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.evaluate(
            """() => { window.kgFrames = 0; const tick = () => { window.kgFrames += 1;
                       if (window.kgCounting) requestAnimationFrame(tick); };
                       window.kgCounting = true; requestAnimationFrame(tick); }"""
        )
        page.mouse.move(x, y)
        page.mouse.down()
        started = time.perf_counter()
        for step in range(40):
            page.mouse.move(x + 8 * step, y + 3 * step)
        page.mouse.up()
        elapsed = time.perf_counter() - started
        frames = page.evaluate("window.kgCounting = false, window.kgFrames")
        fps.append(frames / elapsed)
        page.close()
    return {
        "first_draw_s": statistics.median(first_draw),
        "ready_s": statistics.median(ready),
        "cpu_s": statistics.median(cpu),
        "click_s": statistics.median(clicks),
        "pan_fps": statistics.median(fps),
    }


def measure_timeline(browser: object, path: Path, runs: int) -> dict[str, float]:
    """First draw of the timeline page at ``path`` and the answer to a click on its first bar."""
    first_draw, ready, clicks = [], [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
        requests: list[str] = []
        page.on("request", lambda r, seen=requests: seen.append(r.url))
        page.goto(path.as_uri(), wait_until="commit")
        _wait_ready(page)
        ready.append(page.evaluate("performance.now()") / 1000)
        first_draw.append(page.evaluate("window.kgDrawnAt") / 1000)
        assert requests == [path.as_uri()], requests
        started = time.perf_counter()
        page.evaluate("document.querySelector('.kg-tl-mark').dispatchEvent("
                      "new MouseEvent('click', {bubbles: true}))")  # fmt: skip
        page.evaluate("document.getElementById('kg-details').textContent.length")
        clicks.append(time.perf_counter() - started)
        page.close()
    return {
        "first_draw_s": statistics.median(first_draw),
        "ready_s": statistics.median(ready),
        "click_s": statistics.median(clicks),
    }


def bench_timeline(works: int, review: Path | None, runs: int) -> None:
    """Make the timeline of a built review (``review``, or a synthetic one of ``works``
    works, built here) and draw it in Chromium; print the figures."""
    from kg.build.pipeline import build_review
    from kg.config import load_config
    from kg.outputs.timeline import render_timeline
    from kg.projections.network import ReviewData
    from kg.projections.timeline import review_timeline
    from kg.store.embedded import open_store

    with tempfile.TemporaryDirectory() as folder:
        if review is None:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from synth import make_review

            print(f"building a synthetic review of {works:,} works (takes a while)")
            review = make_review(Path(folder) / "review", works=works)
            build_review(review)
        output = load_config(review).output
        started = time.perf_counter()
        data = ReviewData(open_store(output / "store"))
        data.claims(), data.works, data.themes  # read once, as kg build has them
        reading = time.perf_counter() - started
        page = ""

        def render() -> float:
            nonlocal page
            started = time.perf_counter()
            page = render_timeline(review_timeline(data, "Synthetic review"))
            return time.perf_counter() - started

        seconds = _median(runs, render)
        path = Path(folder) / "timeline.html"
        path.write_text(page, encoding="utf-8")
        marks = page.split('data-kg-marks="', 1)[1].split('"', 1)[0]
        print(
            f"timeline     {int(marks):,} bar parts: made in {seconds:.2f} s in Python from the"
            f" review's rows ({reading:.1f} s to read those from the store, which kg build"
            f" reads from its cache), {path.stat().st_size / 1e6:.1f} MB"
        )
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            figures = measure_timeline(browser, path, runs)
            browser.close()
        print(
            f"timeline     headless Chromium: drawn {figures['first_draw_s']:.2f} s and ready"
            f" {figures['ready_s']:.2f} s after navigation, a click answered in"
            f" {figures['click_s'] * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--edges", type=int, default=15000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeline", action="store_true", help="measure the timeline instead")
    parser.add_argument("--works", type=int, default=10_000, help="works of the timeline's review")
    parser.add_argument("--review", type=Path, help="a built review's kg.toml for --timeline")
    args = parser.parse_args()
    if args.timeline:
        bench_timeline(args.works, args.review, args.runs)
        return
    cases: list[tuple[View, nx.MultiGraph]] = [
        (VIEWS[0], author_theme_graph(args.nodes, args.edges)),
        (VIEWS[2], cocitation_graph(args.nodes, args.edges)),
    ]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not Path(CHROMIUM).exists():
        print("playwright or /usr/bin/chromium missing: measuring the Python side only")
    with tempfile.TemporaryDirectory() as folder:
        pages = []
        for view, graph in cases:
            page = ""

            def render(view: View = view, graph: nx.MultiGraph = graph) -> float:
                nonlocal page
                started = time.perf_counter()
                page = render_view(graph, view)
                return time.perf_counter() - started

            seconds = _median(args.runs, render)
            path = Path(folder) / view.filename
            path.write_text(page, encoding="utf-8")
            pages.append((view, graph, path))
            print(
                f"{view.name:12} {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,}"
                f" edges: render {seconds:.2f} s in Python, {path.stat().st_size / 1e6:.1f} MB"
            )
        if sync_playwright is None or not Path(CHROMIUM).exists():
            return
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for view, _, path in pages:
                figures = measure_in_browser(browser, path, args.runs)
                print(
                    f"{view.name:12} headless Chromium: drawn {figures['first_draw_s']:.2f} s and"
                    f" ready (claims loaded) {figures['ready_s']:.2f} s after navigation"
                    f" ({figures['cpu_s']:.2f} s of browser CPU), a click answered in"
                    f" {figures['click_s'] * 1000:.0f} ms,"
                    f" panning {figures['pan_fps']:.0f} frames/s"
                )
            browser.close()


if __name__ == "__main__":
    main()
