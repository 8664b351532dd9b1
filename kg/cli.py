"""The ``kg`` command line: parse options, call one library function, print the result.

Data goes to stdout and messages to stderr, so ``kg query ... --format json | jq`` works.
Every ``KgError`` becomes one line, ``Error: ...``, and exit code 1; usage errors exit 2.
Heavy libraries are imported inside the commands that need them: ``kg query`` loads only
pyoxigraph.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.errors import KgError
from kg.parallel.collector import collection_paused

if TYPE_CHECKING:
    from kg.config import Review

__all__ = ["main"]


@dataclass
class Settings:
    """Options shared by all commands."""

    quiet: bool = False
    verbose: bool = False

    def say(self, message: str) -> None:
        """A progress or summary line on stderr, unless ``--quiet``."""
        if not self.quiet:
            click.echo(message, err=True)


pass_settings = click.make_pass_decorator(Settings, ensure=True)


_SHOWING = threading.Lock()
"""Held while a progress line is written. A fork waits for it, so the forked process never
inherits a lock held by the ticker (``kg.load.bib`` forks to read a large file on two cores and
accepts threads marked ``kg_fork_safe``)."""
os.register_at_fork(
    before=_SHOWING.acquire, after_in_parent=_SHOWING.release, after_in_child=_SHOWING.release
)


class Progress:
    """What a long command is doing, on stderr, so a slow step never looks like a hang.

    On a terminal: one line rewritten in place, once a command has run for a second, with
    the time so far ticking and, for a counted step ("... (42/100)"), a bar; cleared at the
    end. Elsewhere (a log, a pipe): one line per step of a multi-step command such as
    ``kg build``; a single-step command writes nothing there. Nothing at all if quiet.
    """

    DELAY = 1.0
    WIDTH = 24

    def __init__(self, *, quiet: bool = False, steps: bool = True) -> None:
        self.quiet = quiet
        self.terminal = sys.stderr.isatty()
        self.log_steps = steps
        self.started = time.monotonic()
        self.step = ""
        self.shown = 0
        self.done = threading.Event()
        self.ticker: threading.Thread | None = None

    def __call__(self, step: str) -> None:
        if self.quiet:
            return
        if not self.terminal:
            if self.log_steps:
                click.echo(f"... {step}", err=True)
            return
        with _SHOWING:
            self.step = step
        if self.ticker is None:
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.kg_fork_safe = True  # type: ignore[attr-defined]
            self.ticker.start()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _tick(self) -> None:
        while not self.done.wait(0.25):
            elapsed = time.monotonic() - self.started
            if elapsed >= self.DELAY:
                self._show(elapsed)

    def _show(self, elapsed: float) -> None:
        with _SHOWING:
            line = f"... {self.step}{self._bar()} [{int(elapsed)} s]"
            click.echo(f"\r{line.ljust(self.shown)}", err=True, nl=False)
            self.shown = len(line)

    def _bar(self) -> str:
        counted = re.search(r"\((\d+)/(\d+)\)$", self.step)
        if not counted or int(counted.group(2)) == 0:
            return ""
        filled = self.WIDTH * int(counted.group(1)) // int(counted.group(2))
        return f" [{'#' * filled}{'.' * (self.WIDTH - filled)}]"

    def close(self) -> None:
        """Stop, and clear the line, so what follows starts at the margin."""
        self.done.set()
        if self.ticker is not None:
            self.ticker.join()
        if self.shown:
            click.echo(f"\r{' ' * self.shown}\r", err=True, nl=False)
            self.shown = 0


@contextlib.contextmanager
def _working(step: str) -> Iterator[None]:
    """Show one slow step of a command on a terminal's stderr (``Progress``)."""
    settings = click.get_current_context().find_object(Settings) or Settings()
    with Progress(quiet=settings.quiet, steps=False) as progress:
        progress(step)
        yield


class KgGroup(click.Group):
    """Turns library errors into one clean line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help="Print no progress or summary, only data.")
@click.option("-v", "--verbose", is_flag=True, help="Print every warning in full.")
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """kg turns a literature review into a citation knowledge graph.

    It reads a review's bibliography (BibTeX), its full texts with author-date citations
    and its themes (SKOS), links every citing sentence to the works it cites, and writes an
    RDF graph, a SPARQL store, an interactive author-theme map and a review summary.

    Start with `kg build` at the root of the repository (it builds the bundled review in
    bib/), then `kg query authors-by-theme`.
    """
    ctx.obj = Settings(quiet=quiet, verbose=verbose)
    # Each command makes many small objects in bulk and no cycles worth collecting.
    ctx.with_resource(collection_paused())


config_option = click.option(
    "-c",
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The review's kg.toml (default: ./kg.toml or ./bib/kg.toml).",
)


store_option = click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    help="The store folder (default: the built review's output/store).",
)


@dataclass(frozen=True)
class Endpoint:
    """The --endpoint options: a SPARQL server's URLs and how long to wait for it."""

    url: str
    update_url: str | None
    store_url: str | None
    timeout: float

    def open(self) -> Any:
        """The server as a ``kg.store.remote.SparqlEndpoint``."""
        from kg.store.remote import open_endpoint

        return open_endpoint(
            self.url, update_url=self.update_url, store_url=self.store_url, timeout=self.timeout
        )


def endpoint_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--endpoint, --update-url, --store-url and --timeout, given to ``command`` as one
    ``endpoint`` argument (None when no --endpoint)."""

    @functools.wraps(command)
    def wrapper(
        *args: Any,
        endpoint: str | None,
        update_url: str | None,
        store_url: str | None,
        timeout: float,
        **kwargs: Any,
    ) -> Any:
        given = Endpoint(endpoint, update_url, store_url, timeout) if endpoint else None
        return command(*args, endpoint=given, **kwargs)

    options = (
        click.option("--endpoint", metavar="URL",
                     help="A SPARQL server's query URL (Oxigraph: http://HOST:PORT/query);"
                     " reads go there instead of to the embedded store."),
        click.option("--update-url", metavar="URL",
                     help="The server's SPARQL Update URL (default: its usual layout)."),
        click.option("--store-url", metavar="URL",
                     help="The server's Graph Store URL (default: its usual layout)."),
        click.option("--timeout", type=float, default=60.0, show_default=True,
                     metavar="SECONDS", envvar="KG_ENDPOINT_TIMEOUT",
                     help="How long to wait for the server (env KG_ENDPOINT_TIMEOUT)."),
    )  # fmt: skip
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


@main.command()
@config_option
@click.option(
    "--strict", is_flag=True, help="Fail where `kg validate` would, before replacing anything."
)
@pass_settings
def build(settings: Settings, config: Path | None, strict: bool) -> None:
    """Build the review: graph (TriG), store, the views (index.html) and review.md.

    Reads the kg.toml, its bibliography, full texts, themes and curated claims, and writes
    into its output folder. The previous outputs are replaced only when the build succeeds.
    Citations that could not be resolved are listed at the end, with file and line.
    """
    from kg.build.pipeline import build_review

    progress = Progress(quiet=settings.quiet)
    try:
        report = build_review(config, strict=strict, progress=progress)
    finally:
        progress.close()
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    settings.say(f"Built {report.output}: {counts}")
    for path in report.files:
        settings.say(f"  {path}")
    notes = [*report.warnings, *report.unresolved]
    shown = notes if settings.verbose else notes[:20]
    if report.unresolved:
        settings.say(f"{len(report.unresolved)} citation(s) not resolved to an entry:")
        for line in report.unresolved[: len(shown)]:
            settings.say(f"  {line}")
    if report.warnings:
        settings.say(f"{len(report.warnings)} warning(s):")
        for line in report.warnings[: max(0, len(shown) - len(report.unresolved))]:
            settings.say(f"  {line}")
    if len(notes) > len(shown):
        settings.say(f"  ... and {len(notes) - len(shown)} more (use --verbose)")
    if report.uncited:
        uncited = report.uncited if settings.verbose else report.uncited[:10]
        entries = "entry" if len(report.uncited) == 1 else "entries"
        settings.say(f"{len(report.uncited)} bibliography {entries} never cited:")
        for line in uncited:
            settings.say(f"  {line}")
        if len(report.uncited) > len(uncited):
            settings.say(f"  ... and {len(report.uncited) - len(uncited)} more (use --verbose)")


@main.command()
@config_option
@click.option("-b", "--bib", "bibs", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Check this bibliography file alone, not the review (repeatable).")  # fmt: skip
@click.option("-f", "--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json"]), help="Report format.")  # fmt: skip
@click.pass_context
def validate(ctx: click.Context, config: Path | None, bibs: tuple[Path, ...], fmt: str) -> None:
    """Check the built review against the SHACL shapes and its bibliography and citations.

    Reports, grouped by severity and with file and line: bibliography blocks that cannot be
    read, duplicate keys, entries without author or year, crossrefs to nothing, undefined
    @string macros, citations with no entry, entries never cited, and every place the
    built graph breaks the shapes in ontology/shapes.ttl. With --bib, checks those files
    alone. Exit code 0: conforms (warnings allowed); 1: does not conform; 2: could not run.
    """
    from kg.checks.validate import (
        ReportFormat,
        format_report,
        validate_bibliography,
        validate_review,
    )

    try:
        with _working("checking the review"):
            report = validate_bibliography(bibs) if bibs else validate_review(config)
    except KgError as error:
        click.echo(f"Error: {error}", err=True)
        ctx.exit(2)
    click.echo(format_report(report, ReportFormat(fmt)))
    ctx.exit(report.exit_code)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--param")
        params[name.strip()] = text
    return params


@main.command()
@click.argument("query", required=False)
@click.option("-e", "--expression", help="A SPARQL query given on the command line.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter, bound as an RDF literal (repeatable).")  # fmt: skip
@click.option("--theme", help="Shorthand for --param theme=THEME.")
@click.option(
    "-f", "--format", "fmt", default="table", show_default=True,
    type=click.Choice(["table", "csv", "tsv", "json", "turtle"]),
    help="Output format; json is SPARQL 1.1 results JSON, turtle for CONSTRUCT/DESCRIBE.",
)  # fmt: skip
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE clauses (network access).")
@click.option("--update", is_flag=True, help="Allow a SPARQL Update (the store is read-only).")
@click.option("--no-serve", is_flag=True,
              help="Read the built store even when kg serve runs for the review.")  # fmt: skip
@store_option
@endpoint_options
@config_option
@pass_settings
def query(
    settings: Settings,
    query: str | None,
    expression: str | None,
    params: tuple[str, ...],
    theme: str | None,
    fmt: str,
    list_queries: bool,
    allow_service: bool,
    update: bool,
    no_serve: bool,
    store: Path | None,
    endpoint: Endpoint | None,
    config: Path | None,
) -> None:
    """Run a SPARQL query on the built review, without rebuilding.

    QUERY is the name of a named query (see --list) or a .rq file; or give the query
    with -e. Examples:

      kg query authors-by-theme --theme "hook for change"

      kg query -e 'SELECT ?title WHERE { ?w dcterms:title ?title }' --format csv

    The usual prefixes (bibo, cito, dcterms, foaf, kg, oa, prov, rdf, rdfs, skos, xsd) are
    predefined. With --endpoint URL the query runs on a SPARQL server the review was pushed
    to (kg push), over the review's graphs only, and gives the same answers.

    When a kg serve of the same review is running (and neither --store nor --endpoint is
    given), the query goes to it, which answers from memory, and a line on stderr says so;
    if it does not answer, the built store is read. --no-serve reads the store.

    kg query only reads: an INSERT, DELETE or other update needs --update (it writes into
    the built store until the next kg build, or to the server).
    """
    from kg.store import query as q

    if list_queries:
        for named in q.list_queries():
            click.echo(f"{named.name}\n    {named.description}")
            for name, meaning in named.params:
                click.echo(f"    --param {name}=...  {meaning}")
        return
    if bool(query) == bool(expression):
        raise click.UsageError("give a QUERY name or file, or -e SPARQL (one of them)")
    text = expression if expression else q.load_query(query or "")
    bound = _parse_params(params)
    if theme is not None:
        bound["theme"] = theme
    q.check_query(text, update=update, allow_service=allow_service)
    if update:
        source = _open_source(store, endpoint, config, writable=True)
        with _working("running the update"):
            q.run_update(source, text, bound, allow_service=allow_service)
        settings.say("Update done.")
        return
    result = None
    if store is None and endpoint is None and not no_serve:
        result = _ask_served(settings, config, text, bound, allow_service=allow_service)
    if result is None:
        source = _open_source(store, endpoint, config)
        with _working("running the query"):
            result = q.run_query(source, text, bound, allow_service=allow_service)
    if "theme" in bound and query and not expression and result.variables and not result.rows:
        _check_theme(bound["theme"], store, endpoint, config)
    click.echo(q.format_result(result, q.OutputFormat(fmt)))


def _check_theme(
    theme: str, store: Path | None, endpoint: Endpoint | None, config: Path | None
) -> None:
    """A named query's ``theme`` that no theme of the review is (a misspelling) as an error
    saying so, not as an empty table."""
    from kg.errors import QueryError
    from kg.store.query import theme_matches

    if not theme_matches(_open_source(store, endpoint, config), theme):
        raise QueryError(
            f"no theme has the id {theme!r} or those words in its label;"
            " `kg query themes` lists them"
        )


def _ask_served(
    settings: Settings,
    config: Path | None,
    text: str,
    params: dict[str, str],
    *,
    allow_service: bool,
) -> Any:
    """The answer of a running ``kg serve`` of the review (``kg.store.served``), or None when
    none is running or it does not answer, so the caller reads the built store."""
    from kg.errors import RemoteError
    from kg.store.query import run_query
    from kg.store.served import find_served, served_endpoint

    review = _review(config)
    served = find_served(review.output, review.config_path)
    if served is None:
        return None
    endpoint = served_endpoint(served)
    if endpoint is None:
        settings.say(f"kg serve at {served.url} did not answer; reading the built store")
        return None
    settings.say(f"Asking kg serve at {served.url} (--no-serve reads the built store)")
    try:
        with _working("running the query"):
            return run_query(endpoint, text, params, allow_service=allow_service)
    except RemoteError as error:
        settings.say(f"kg serve failed ({error}); reading the built store")
        return None


def _review(config: Path | None) -> Review:
    """The review's kg.toml, checked; reading it parses no bibliography."""
    from kg.config import find_config, load_config

    return load_config(config or find_config())


def _open_source(
    store: Path | None, endpoint: Endpoint | None, config: Path | None, *, writable: bool = False
) -> Any:
    """Where a command reads: the built store (from --store, or the review's output folder),
    or with --endpoint the server, its queries limited to the review's graphs."""
    if endpoint is not None:
        if store is not None:
            raise click.UsageError("give --store or --endpoint, not both")
        server = endpoint.open()
        if writable:
            return server
        from kg.store.remote import review_endpoint

        return review_endpoint(server, _review(config).base)
    from kg.store.embedded import STORE_DIR, open_store

    if store is None:
        store = _review(config).output / STORE_DIR
    return open_store(store, writable=writable)


@main.command()
@store_option
@endpoint_options
@config_option
def summary(store: Path | None, endpoint: Endpoint | None, config: Path | None) -> None:
    """Print the review summary (Markdown, as in review.md) from the store or a server.

    It is written from the graph by the named queries, so it reads the same from the built
    store or, with --endpoint, from the graph pushed to a SPARQL server. The build's own
    notes (unresolved citations, bibliography problems) are only in review.md.
    """
    from kg.outputs.review import render_review

    title = _review(config).title
    with _working("writing the summary"):
        text = render_review(_open_source(store, endpoint, config), title=title)
    click.echo(text, nl=False)


VIEW_NAMES = ("map", "citations", "co-citation", "themes", "timeline")


@main.command()
@click.argument("name", type=click.Choice(VIEW_NAMES))
@click.option("--open", "open_it", is_flag=True, help="Open the written file in the browser.")
@click.option("--all", "whole", is_flag=True,
              help="Draw the whole graph, not only its most-cited part.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it (default: the view's file in the build folder).")  # fmt: skip
@click.option("--svg", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the view as an SVG figure to this file instead of the page.")  # fmt: skip
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path),
              help="Write it as a PNG figure (Playwright and Chromium: kg[figures]).")  # fmt: skip
@click.option("--width", type=click.IntRange(100, 20000), default=2000, show_default=True,
              help="The PNG's width in pixels.")  # fmt: skip
@store_option
@endpoint_options
@config_option
@pass_settings
def view(
    settings: Settings,
    name: str,
    open_it: bool,
    whole: bool,
    output: Path | None,
    svg: Path | None,
    png: Path | None,
    width: int,
    store: Path | None,
    endpoint: Endpoint | None,
    config: Path | None,
) -> None:
    """Write one interactive view of the built review (one HTML file), without rebuilding.

    NAME is map (authors and themes), citations (citing text, claims, cited works),
    co-citation (works cited together), themes (themes tagged together) or timeline (each
    theme's claims by the year of the works they cite). `kg build` writes all five and an
    index.html linking them. A graph of more than 1,500 nodes (or
    kg.toml's view_limit) is drawn as its most-cited part, with at most three lines per
    node drawn, the heaviest; --all draws all of it. Example:

      kg view citations --open

    --svg FILE and --png FILE write a figure for a paper instead: the nodes where the page
    places them (and where kg.toml's layout file pinned them), print colours, stance by line
    style, the legend below. Example:

      kg view map --svg figure.svg --png figure.png --width 2400
    """
    from kg.outputs.layout import read_layouts
    from kg.outputs.views import (
        TIMELINE,
        VIEW_LIMIT,
        Page,
        View,
        find_view,
        write_figure,
        write_view,
    )

    chosen: View | Page = TIMELINE if name == TIMELINE.name else find_view(name)
    limit = VIEW_LIMIT
    layouts = {}
    if store is None:
        review = _review(config)
        folder, limit = review.output, review.view_limit or VIEW_LIMIT
        layouts = read_layouts(review.layout)
    else:
        folder = store.parent
    output = output or folder / chosen.filename
    source = _open_source(store, endpoint, config)
    if svg or png:
        if not isinstance(chosen, View):
            raise click.UsageError("--svg and --png draw the four network views, not the timeline")
        with _working(f"drawing the {name} figure"):
            write_figure(
                source, chosen, svg=svg, png=png, width=width, limit=None if whole else limit,
                layouts=layouts,
            )  # fmt: skip
        for path in (svg, png):
            if path is not None:
                settings.say(f"Wrote {path.resolve()}")
        return
    with _working(f"drawing the {name} view"):
        if isinstance(chosen, View):
            written = write_view(
                source, chosen, output, limit=None if whole else limit, layouts=layouts
            )
        else:
            from kg.outputs.timeline import write_timeline

            written = write_timeline(source, output)
    settings.say(f"Wrote {written.path.resolve()}: {written.counts}")
    if open_it:
        _open_in_browser(written.path.resolve().as_uri())


def _open_in_browser(url: str) -> None:
    """Open ``url`` in the user's browser; where there is none (a server reached over SSH, a
    container), say so and where to open it, rather than open nothing in silence."""
    import webbrowser

    if not webbrowser.open(url):
        click.echo(f"No browser to open it here: open {url} in yours", err=True)


@main.command()
@endpoint_options
@config_option
@pass_settings
def push(settings: Settings, endpoint: Endpoint | None, config: Path | None) -> None:
    """Upload the built review to a SPARQL server, replacing its graphs there.

    Every named graph of the build's graph.trig (bibliography, themes, ontology, one per
    text) is sent with the SPARQL 1.1 Graph Store Protocol and replaces the graph of the
    same name; graphs of the review the build no longer has are removed, and no other graph
    is touched, so pushing twice leaves the server as pushing once. Then every reading
    command takes --endpoint URL. Example, with an Oxigraph server:

      kg push --endpoint http://localhost:7878/query

    Credentials come from KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or KG_ENDPOINT_TOKEN.
    """
    from kg.config import find_config, load_config
    from kg.store.remote import push_review

    if endpoint is None:
        raise click.UsageError("give the server's SPARQL query URL with --endpoint URL")
    review = load_config(config or find_config())
    with _working("sending the graphs"):
        report = push_review(review.output / "graph.trig", endpoint.open(), review.base)
    triples = sum(count for _, count in report.graphs)
    settings.say(
        f"Pushed {len(report.graphs)} graphs ({triples} triples) to {endpoint.url}"
        f" in {report.seconds:.2f} s"
    )
    for graph in report.removed:
        settings.say(f"  removed {graph}: no longer in the review")


@main.command()
@click.argument("text", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-b", "--bib", "bibs", multiple=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A bibliography file (repeatable); none: TEXT's references.")  # fmt: skip
@click.option("--references", is_flag=True,
              help="Print TEXT's reference list as parsed, not its citations.")  # fmt: skip
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "bibtex"]), help="Output format.")  # fmt: skip
@click.option("--claims", "claims_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the draft claims (curated claims YAML) to this file.")  # fmt: skip
@pass_settings
def extract(
    settings: Settings,
    text: Path,
    bibs: tuple[Path, ...],
    references: bool,
    fmt: str,
    claims_path: Path | None,
) -> None:
    """Find the in-text citations of TEXT (plain text or PDF) and resolve them against the
    bibliography, or with no --bib against TEXT's own reference list.

    Prints one row per reference: where it is, the names and year as written, the page
    locator and the bibliography key it resolved to. --format json gives a list of mentions
    shaped like the gold file's "occurrences". Unresolved, ambiguous and misspelt
    references and the works never cited are listed on stderr. --claims writes one draft
    claim per citing sentence, with its suggested stance, for a researcher to correct.
    --references --format bibtex prints TEXT's reference list as BibTeX, to paste into a
    reference manager (--format json: its fields).
    """
    import json

    from kg.load.bib import Bibliography, parse_bibliography
    from kg.load.citations import citing_mentions, line_of, resolve_citations, uncited_works
    from kg.load.pdf import PdfText
    from kg.load.references import find_references, reference_works, render_bibtex
    from kg.load.texts import load_text
    from kg.parallel.forked import converse_beside

    with _working("reading the text"):
        loaded = load_text(text)
        content = loaded.text if isinstance(loaded, PdfText) else loaded
        found = find_references(content) if references or not bibs else None
        parsed = reference_works(found.entries, text.name) if found else []
    if references:
        if found is None:
            raise KgError(f"{text}: no reference list found (no heading such as References)")
        for entry in found.entries:
            if entry.problem:
                settings.say(f"{text}:{line_of(content, entry.offset)}: {entry.problem}:"
                             f" {entry.raw[:70]}")  # fmt: skip
        if fmt == "json":
            click.echo(json.dumps([_work_json(w) for w in parsed], ensure_ascii=False, indent=1))
        else:
            click.echo(render_bibtex(parsed), nl=False)
        settings.say(f"{len(parsed)} references parsed from {text.name}")
        return
    if fmt == "bibtex":
        raise click.UsageError("--format bibtex goes with --references")
    with _working("reading the bibliography and finding citations"):
        if bibs:
            bibliography = parse_bibliography(bibs, beside=converse_beside)
        elif found is None:
            raise KgError(f"{text}: no reference list found; give its bibliography with --bib")
        else:
            bibliography = Bibliography(tuple(parsed))
        mentions, issues = resolve_citations(citing_mentions(content), bibliography.works)
    if claims_path is not None:
        from kg.load.claims import extract_claims, render_draft_claims

        claims = extract_claims(content, mentions, (), source=text.name, citing="")
        try:
            claims_path.write_text(render_draft_claims(claims, source=text.name), "utf-8")
        except OSError as error:
            raise KgError(f"{claims_path}: cannot write ({error.strerror})") from None
        settings.say(f"Wrote {len(claims)} draft claims to {claims_path}")
    if fmt == "json":
        click.echo(json.dumps([_mention_json(m) for m in mentions], ensure_ascii=False, indent=1))
    else:
        rows = [("line", "start", "end", "names", "year", "locator", "bibkey")]
        for mention in mentions:
            for ref in mention.refs:
                names = " & ".join(ref.surnames) + (" et al." if ref.et_al else "")
                rows.append((str(line_of(content, ref.start)), str(ref.start), str(ref.end),
                             names, ref.year + ref.suffix, ref.locator or "",
                             ref.bibkey or "(unresolved)"))  # fmt: skip
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for issue in issues:
        settings.say(f"{text}:{issue.line}: {issue.detail}")
    for work in uncited_works(mentions, bibliography.works):
        settings.say(f"{work.path}:{work.line}: {work.key} is never cited in {text.name}")
    refs = sum(len(m.refs) for m in mentions)
    resolved = sum(1 for m in mentions for r in m.refs if r.bibkey)
    settings.say(f"{len(mentions)} citations, {refs} references, {resolved} resolved")


def _work_json(work: Any) -> dict[str, Any]:
    """A parsed reference's fields as JSON."""
    return {
        "bibkey": work.key, "type": work.entry_type,
        "authors": [{"family": p.family, "given": p.given} for p in work.authors],
        "year": work.year, "suffix": work.year_suffix, "title": work.title,
        **{name: work.get(name) for name, _ in work.fields if name not in ("title", "year")},
    }  # fmt: skip


@main.command()
@click.option("-c", "--config", type=click.Path(dir_okay=False, path_type=Path),
              help="The review's kg.toml (default: ./kg.toml or ./bib/kg.toml).")  # fmt: skip
@click.option("-n", "--limit", default=10, show_default=True,
              help="How many of the least sure claims to list.")  # fmt: skip
@click.option("--accept", is_flag=True,
              help="Append the claims listed to the curated claims file, to correct.")  # fmt: skip
@pass_settings
def suggest(settings: Settings, config: Path | None, limit: int, accept: bool) -> None:
    """List the claims kg is least sure of, first, with the themes and stance it suggests and
    the words that led there; --accept writes them into the curated claims file (kg.toml's
    claims), kg's guesses in comments, for you to confirm or correct. Curated claims win, and
    teach kg the review's themes for the rest."""
    from kg.build.suggest import accept_suggestions, suggest_claims

    review = _review(config)
    with _working("reading the review"):
        claims = suggest_claims(review)[:limit]
    for claim in claims:
        click.echo(f"{claim.source}:{claim.start}-{claim.end}  confidence {claim.confidence:.2f}")
        click.echo(f"  {claim.text}")
        for tag in claim.tags:
            words = " ".join(tag.words)
            click.echo(f"  theme {tag.theme} {tag.score:.2f} ({tag.method.value}: {words})")
        for mention in claim.mentions:
            for ref in mention.refs:
                guess = dict(claim.guesses).get(ref.start)
                if guess is not None:
                    cue = f", cue '{guess.cue}'" if guess.cue else ""
                    name = ref.bibkey or f"{ref.surnames[0]} {ref.year}{ref.suffix}"
                    click.echo(f"  stance {name}: {guess.stance.value} {guess.confidence:.2f}{cue}")
    if accept and claims:
        path = accept_suggestions(review, claims)
        settings.say(f"Appended {len(claims)} claims to {path}: correct them there, then kg build")


@main.command()
@click.argument("which", nargs=-1,
                type=click.Choice(["seed", "grobid", "grobid-prose", "themes"]))  # fmt: skip
@click.option("--gold", type=click.Path(dir_okay=False, path_type=Path),
              help="Score against this gold file instead (needs --text and --bib).")  # fmt: skip
@click.option("--text", "text_path", type=click.Path(dir_okay=False, path_type=Path),
              help="The text the --gold file annotates.")  # fmt: skip
@click.option("-b", "--bib", "bibs", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A bibliography file for --gold or --themes-gold (repeatable).")  # fmt: skip
@click.option("--themes-gold", "theme_golds", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score themes and stance against this gold file (repeatable).")  # fmt: skip
@click.option("--scheme", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The theme scheme for --themes-gold (default: its themes.ttl).")  # fmt: skip
@click.option("--curated", "curated", type=click.FloatRange(0, 1), multiple=True,
              help="Share of gold sentences given as curated claims (repeatable; default 0 and"
                   " 0.1).")  # fmt: skip
@click.option("--show", default=20, show_default=True, help="How many misses to list.")
def evaluate(
    which: tuple[str, ...],
    gold: Path | None,
    text_path: Path | None,
    bibs: tuple[Path, ...],
    theme_golds: tuple[Path, ...],
    scheme: Path | None,
    curated: tuple[float, ...],
    show: int,
) -> None:
    """Score extraction against gold: citation span P/R/F1 and resolved keys, or (themes, or
    --themes-gold) theme P/R/F1 and stance accuracy with recall per class.

    WHICH is seed (the seed article's gold, in ../shared/seed), grobid (GROBID's annotated
    callouts, detection only), grobid-prose (the same without figures and tables), or themes
    (themes and stance on the seed's gold and kg's development gold); the first three by
    default. --gold scores any citation gold file shaped like the seed's; --themes-gold any
    theme gold shaped like the seed's themes.gold.json or benchmarks/gold/*/gold.json.
    """
    from kg.checks.evaluate import EVALUATIONS, format_scores, run_evaluation, score_gold_file

    if gold is not None:
        if text_path is None or not bibs:
            raise click.UsageError("--gold needs --text and --bib")
        with _working("scoring"):
            scores = score_gold_file(gold, text_path, bibs)
        click.echo(format_scores(scores, show))
        return
    if theme_golds or "themes" in which:
        from kg.checks.tagging import format_tag_scores, run_theme_evaluation

        with _working("scoring themes and stance"):
            rows = run_theme_evaluation(
                theme_golds, themes=scheme, bibliographies=bibs, curated=curated or (0.0, 0.1)
            )
        click.echo(format_tag_scores(rows))
        which = tuple(name for name in which if name != "themes")
        if not which:
            return
    for name in which or EVALUATIONS:
        with _working(f"scoring {name}"):
            scores = run_evaluation(name)
        click.echo(format_scores(scores, show))


def _mention_json(mention: Any) -> dict[str, Any]:
    return {
        "surface": mention.surface,
        "start": mention.start,
        "end": mention.end,
        "kind": mention.kind,
        "prefix": mention.prefix,
        "refs": [
            {
                "surnames": list(ref.surnames) + (["et al."] if ref.et_al else []),
                "year": ref.year + ref.suffix,
                "locator": ref.locator,
                "locator_raw": ref.locator_raw,
                "bibkey": ref.bibkey,
                "confidence": ref.confidence,
                "span_start": ref.start,
                "span_end": ref.end,
            }
            for ref in mention.refs
        ],
    }


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The review's title (default: from the folder's name).")
@click.option("--pdfs", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Start from this folder of PDFs: no bibliography, their reference lists"
              " parsed instead.")  # fmt: skip
@click.option("-b", "--bib", "bibs", multiple=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="With --pdfs: your reference manager's export (BibTeX, RIS, CSL-JSON or"
              " EndNote XML), read where it is (repeatable).")  # fmt: skip
@pass_settings
def init(
    settings: Settings, folder: Path, title: str | None, pdfs: Path | None, bibs: tuple[Path, ...]
) -> None:
    """Lay out a new review in FOLDER, ready for `kg build`.

    Writes a commented kg.toml, references.bib, a draft in texts/ citing them, a starter
    SKOS theme scheme (themes.ttl) and claims.yaml. FOLDER must be new or empty. Replace
    the examples with your own bibliography, text and themes, then run `kg build` there.
    With --pdfs DIR the review's texts are the PDFs in DIR, and its bibliography the
    --bib exports, if any (otherwise the PDFs' reference lists give the works).
    """
    from kg.scaffold import init_review

    if bibs and pdfs is None:
        raise click.UsageError("--bib goes with --pdfs (a new review's own example has its own)")
    with _working("writing and building the new review"):
        files = init_review(folder, title=title, pdfs=pdfs, bibliographies=bibs)
    settings.say(f"Made a new review in {folder}:")
    for path in files:
        settings.say(f"  {path}")
    settings.say(f"Next: cd {folder} && kg build, then open build/map.html")


EXPORT_FORMATS = ("ttl", "trig", "nt", "jsonld", "graphml", "gexf", "csv", "vosviewer", "clusters")


@main.command(name="export")
@click.option("-f", "--format", "fmt", required=True, type=click.Choice(EXPORT_FORMATS),
              help="ttl, trig, nt, jsonld: RDF; graphml, gexf (Gephi), csv (nodes and edges),"
              " vosviewer (VOSviewer Online JSON): a view's network; clusters: each node's"
              " cluster (CSV).")  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write (default: stdout). csv writes a folder, or a .zip.")  # fmt: skip
@click.option("--graph", metavar="PART",
              help="RDF formats: one part, bibliography, themes, ontology, claims or"
              " claims/BIBKEY (default: all).")  # fmt: skip
@click.option("--view", metavar="NAME", help="Network formats: the view (default: author-theme).")
@store_option
@config_option
@pass_settings
def export(
    settings: Settings,
    fmt: str,
    output: Path | None,
    graph: str | None,
    view: str | None,
    store: Path | None,
    config: Path | None,
) -> None:
    """Export the built review for other tools.

    RDF (ttl, nt: the union of the graphs; trig, jsonld: with named graphs) comes from the
    built store; graphml and gexf open in Gephi, vosviewer in VOSviewer Online, csv in a
    spreadsheet or R. Lists on nodes and edges (claims, works) become a count plus the
    values joined with " | ". Examples:

      kg export -f trig -o review.trig

      kg export -f ttl --graph themes

      kg export -f gexf -o author-theme.gexf

      kg export -f csv -o tables/

      kg export -f clusters --view co-citation -o clusters.csv
    """
    from kg.outputs.export import ExportFormat, export_review, write_export

    chosen = ExportFormat(fmt)
    if chosen is ExportFormat.CSV and output is None:
        raise click.UsageError("csv writes nodes.csv and edges.csv: give -o FOLDER or -o FILE.zip")
    source = _open_source(store, None, config) if store and not chosen.is_rdf else None
    trig = store.parent / "graph.trig" if store else None
    with _working("exporting"):
        result = export_review(config, chosen, view=view, graph=graph, store=source, trig=trig)
    if output is None:
        (data,) = result.files.values()
        click.echo(data, nl=False)
        return
    for path in write_export(result, output):
        settings.say(f"Wrote {path}")


@main.group()
def themes() -> None:
    """Move the review's themes to and from NVivo, ATLAS.ti or MAXQDA.

    The exchange format is the REFI-QDA codebook (.qdc): each SKOS theme is a code named by
    its label, described by its definition, nested under its broader theme. The words that
    tag claims travel in the description's last line, "Tagging words: ...".
    """


@themes.command(name="export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The .qdc file to write (default: stdout).")  # fmt: skip
@click.option("--themes", "themes_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A SKOS Turtle file (default: the review's themes).")  # fmt: skip
@config_option
@pass_settings
def themes_export(
    settings: Settings, output: Path | None, themes_file: Path | None, config: Path | None
) -> None:
    """Write the review's themes as a REFI-QDA codebook (.qdc)."""
    from kg.config import find_config, load_config
    from kg.load.themes import load_themes
    from kg.outputs.export import write_atomic
    from kg.outputs.qda import export_codebook

    source = themes_file or load_config(config or find_config()).themes
    data = export_codebook(load_themes(source))
    if output is None:
        click.echo(data, nl=False)
        return
    write_atomic(output, data)
    settings.say(f"Wrote {output}")


@themes.command(name="import")
@click.argument("codebook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The SKOS Turtle file to write (default: stdout).")  # fmt: skip
@click.option("--base", metavar="IRI", help="The namespace of new themes' IRIs.")
@click.option("--keep-ids-from", type=click.Path(dir_okay=False, path_type=Path),
              help="Codes exported from this SKOS file keep their theme ids (default: the"
              " review's themes file, when there is a kg.toml).")  # fmt: skip
@config_option
@pass_settings
def themes_import(
    settings: Settings,
    codebook: Path,
    output: Path | None,
    base: str | None,
    keep_ids_from: Path | None,
    config: Path | None,
) -> None:
    """Make a SKOS theme scheme from a REFI-QDA codebook (.qdc).

    Each code becomes a theme: its name the label, its description the definition, its
    nesting skos:broader. Codes that kg exported keep their theme ids (matched by GUID),
    so curated claims and queries that name them still work. Example:

      kg themes import codebook.qdc -o themes.ttl
    """
    from kg.config import find_config, load_config
    from kg.errors import ConfigError
    from kg.load.themes import load_themes
    from kg.outputs.export import write_atomic
    from kg.outputs.qda import import_codebook

    previous_file = keep_ids_from
    if previous_file is None:
        try:
            review_themes = load_config(config or find_config()).themes
        except ConfigError:
            review_themes = None
        previous_file = review_themes if review_themes and review_themes.is_file() else None
    previous = load_themes(previous_file) if previous_file else None
    data = import_codebook(codebook, base=base, previous=previous)
    if output is None:
        click.echo(data, nl=False)
        return
    write_atomic(output, data)
    settings.say(f"Wrote {output}")


@main.command()
@config_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option("--open", "open_it", is_flag=True, help="Open the review in the browser.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; another than 127.0.0.1 needs --allow-remote.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow --host other than 127.0.0.1: anyone who can reach it reads the review.",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="The time limit of a SPARQL query.",
)
@click.option(
    "--allow-update",
    is_flag=True,
    help="Let /sparql take SPARQL Update (changes last until the next rebuild).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let /sparql queries use SERVICE (they reach the network).",
)
@pass_settings
def serve(
    settings: Settings,
    config: Path | None,
    port: int,
    open_it: bool,
    host: str,
    allow_remote: bool,
    query_timeout: float,
    allow_update: bool,
    allow_service: bool,
) -> None:
    """Serve the review on http://127.0.0.1:PORT/ and rebuild it when an input changes.

    The views, the summary, a query page (/query) and a SPARQL endpoint (/sparql) read the
    review as it was last built; every open page reloads itself after a rebuild and keeps
    its zoom, filters and selection. On the views, a claim's side panel can change its
    stances and themes: they are written into the review's claims file. Ctrl-C stops it.
    """
    from kg.config import find_config
    from kg.serve.server import ServeOptions, serve_review

    if host != "127.0.0.1" and not allow_remote:
        raise click.UsageError(
            f"--host {host} needs --allow-remote (the review is readable"
            " and curatable by anyone who reaches it)"
        )
    if host != "127.0.0.1":
        click.echo(
            f"Warning: listening on {host}: anyone who can reach it reads the review", err=True
        )

    def ready(url: str) -> None:
        click.echo(
            f"Serving {url} (query page {url}query, SPARQL {url}sparql); Ctrl-C stops", err=True
        )
        if open_it:
            _open_in_browser(url)

    options = ServeOptions(
        host=host,
        port=port,
        query_timeout=query_timeout,
        allow_update=allow_update,
        allow_service=allow_service,
    )
    serve_review(config or find_config(), options, say=settings.say, ready=ready)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
