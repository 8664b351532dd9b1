"""The ``kg`` command line: parse options, call one library function, print the result.

Data goes to stdout and messages to stderr, so ``kg query ... --format json | jq`` works.
Every ``KgError`` becomes one line, ``Error: ...``, and exit code 1; usage errors exit 2.
Heavy libraries are imported inside the commands that need them: ``kg query`` loads only
pyoxigraph.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from kg.errors import KgError

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


config_option = click.option(
    "-c",
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The review's kg.toml (default: ./kg.toml or ./bib/kg.toml).",
)


@main.command()
@config_option
@click.option("--strict", is_flag=True, help="Fail on unresolved or ambiguous citations.")
@pass_settings
def build(settings: Settings, config: Path | None, strict: bool) -> None:
    """Build the review: graph (TriG), store, map.html and review.md.

    Reads the kg.toml, its bibliography, full texts, themes and curated claims, and writes
    into its output folder. The previous outputs are replaced only when the build succeeds.
    Citations that could not be resolved are listed at the end, with file and line.
    """
    from kg.build import build_review

    progress = (lambda m: None) if settings.quiet else (lambda m: settings.say(f"... {m}"))
    report = build_review(config, strict=strict, progress=progress)
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
@click.option("--store", type=click.Path(file_okay=False, path_type=Path),
              help="The store folder (default: the built review's output/store).")  # fmt: skip
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
    store: Path | None,
    config: Path | None,
) -> None:
    """Run a SPARQL query on the built review, without rebuilding.

    QUERY is the name of a named query (see --list) or a .rq file; or give the query
    with -e. Examples:

      kg query authors-by-theme --theme "hook for change"

      kg query -e 'SELECT ?title WHERE { ?w dcterms:title ?title }' --format csv

    The usual prefixes (bibo, cito, dcterms, foaf, kg, oa, prov, rdf, rdfs, skos, xsd) are
    predefined.
    """
    from kg import query as q

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
    result = q.run_query(_open_store(store, config), text, bound, allow_service=allow_service)
    click.echo(q.format_result(result, q.OutputFormat(fmt)))


def _open_store(store: Path | None, config: Path | None) -> Any:
    """The built store, found from --store, or from the review's kg.toml output folder."""
    from kg.store import STORE_DIR, open_store

    if store is None:
        import tomllib

        from kg.config import find_config

        path = config or find_config()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise KgError(f"{path}: cannot read ({error})") from None
        store = path.parent / str(data.get("output", "build")) / STORE_DIR
    return open_store(store)


@main.command()
@click.argument("text", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-b", "--bib", "bibs", multiple=True, required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="A bibliography file (repeatable).")  # fmt: skip
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json"]), help="Output format.")  # fmt: skip
@pass_settings
def extract(settings: Settings, text: Path, bibs: tuple[Path, ...], fmt: str) -> None:
    """Find the in-text citations of TEXT and resolve them against the bibliography.

    Prints one row per reference: where it is, the names and year as written, the page
    locator and the bibliography key it resolved to. --format json gives a list of mentions
    shaped like the gold file's "occurrences".
    """
    import json

    from kg.bib import parse_bibliography
    from kg.build import read_text
    from kg.citations import find_citations, line_of, resolve_citations

    bibliography = parse_bibliography(bibs)
    content = read_text(text)
    mentions, issues = resolve_citations(find_citations(content), bibliography.works)
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
        settings.say(f"{text}:{issue.line}: {issue.message}")
    refs = sum(len(m.refs) for m in mentions)
    resolved = sum(1 for m in mentions for r in m.refs if r.bibkey)
    settings.say(f"{len(mentions)} citations, {refs} references, {resolved} resolved")


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
                "bibkey": ref.bibkey,
                "confidence": ref.confidence,
                "span_start": ref.start,
                "span_end": ref.end,
            }
            for ref in mention.refs
        ],
    }


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
