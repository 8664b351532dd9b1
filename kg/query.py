"""SPARQL over a review: named queries, bound parameters, and results in several formats.

Named queries are ``kg/queries/NAME.rq`` files whose header comment says what they answer
and which parameters they take (``# param NAME: meaning``). A parameter NAME is a
placeholder ``VALUES ?NAME_param { UNDEF }`` in the query; a given value replaces ``UNDEF``
with the value serialised as an RDF literal by pyoxigraph, so it can never change the shape
of the query (``x" || true || "`` stays one string), and the same text runs on any
SPARQL 1.1 endpoint.

This module imports only pyoxigraph: ``kg query`` stays fast to start.

>>> result = run_query(store, load_query("authors-by-theme"), {"theme": "hope"})  # doctest: +SKIP
>>> print(format_result(result, OutputFormat.TABLE))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
)

from kg.errors import QueryError
from kg.namespaces import PREFIXES

__all__ = [
    "NamedQuery",
    "OutputFormat",
    "QueryResult",
    "bind_parameters",
    "format_result",
    "is_update",
    "list_queries",
    "load_query",
    "run_query",
]

PLACEHOLDER = re.compile(r"VALUES\s+\?(\w+)_param\s*\{\s*UNDEF\s*\}")
PARAM_DOC = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(.*)$", re.M)
SERVICE = re.compile(r"\bSERVICE\b", re.I)
UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.I,
)


class OutputFormat(StrEnum):
    """How query results are printed."""

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    TURTLE = "turtle"


@dataclass(frozen=True)
class NamedQuery:
    """A query shipped with kg: its name, what it answers and its parameters."""

    name: str
    description: str
    params: tuple[tuple[str, str], ...]
    text: str


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: rows of a SELECT, a boolean of an ASK, or triples."""

    variables: tuple[str, ...] = ()
    rows: tuple[tuple[NamedNode | BlankNode | Literal | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[object, ...] | None = None


def _query_files() -> dict[str, str]:
    folder = resources.files("kg.queries")
    return {
        entry.name.removesuffix(".rq"): entry.read_text(encoding="utf-8")
        for entry in folder.iterdir()
        if entry.name.endswith(".rq")
    }


def list_queries() -> list[NamedQuery]:
    """The named queries, sorted by name, with the description from their header."""
    queries = []
    for name, text in sorted(_query_files().items()):
        header = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            header.append(line)
        description = " ".join(
            line.lstrip("# ").strip()
            for line in header
            if not PARAM_DOC.match(line) and line.strip("# ")
        )
        description = description.removeprefix(f"{name}:").strip()
        params = tuple(PARAM_DOC.findall("\n".join(header)))
        queries.append(NamedQuery(name, description, params, text))
    return queries


def load_query(name_or_path: str) -> str:
    """The text of a named query, or of a ``.rq`` file given by path."""
    queries = _query_files()
    if name_or_path in queries:
        return queries[name_or_path]
    path = Path(name_or_path)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise QueryError(f"{path}: cannot read the query ({error})") from None
    names = ", ".join(sorted(queries))
    raise QueryError(f"no named query or file {name_or_path!r}; named queries: {names}")


def bind_parameters(sparql: str, params: Mapping[str, str]) -> str:
    """Fill the ``VALUES ?NAME_param { UNDEF }`` placeholders with the given values as literals."""
    declared = set(PLACEHOLDER.findall(sparql))
    unknown = sorted(set(params) - declared)
    if unknown:
        accepted = ", ".join(sorted(declared)) or "none"
        raise QueryError(f"the query has no parameter {unknown[0]!r} (it takes: {accepted})")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            return match.group(0)
        return f"VALUES ?{name}_param {{ {Literal(params[name])} }}"

    return PLACEHOLDER.sub(fill, sparql)


def is_update(sparql: str) -> bool:
    """Whether ``sparql`` is a SPARQL Update rather than a query."""
    stripped = re.sub(r"#[^\n]*", "", sparql)
    return bool(UPDATE.match(stripped))


def run_query(
    store: Store,
    sparql: str,
    params: Mapping[str, str] | None = None,
    *,
    allow_service: bool = False,
) -> QueryResult:
    """Run a read-only query on ``store`` with its parameters bound.

    Updates are refused (use the store's update on purpose), and so is ``SERVICE``, which
    would reach the network, unless ``allow_service``. A syntax error gives ``QueryError``
    with the line and column.
    """
    if is_update(sparql):
        raise QueryError("this is a SPARQL Update; kg query is read-only unless given --update")
    if not allow_service and SERVICE.search(re.sub(r"#[^\n]*", "", sparql)):
        raise QueryError("the query uses SERVICE, which reaches the network; add --allow-service")
    bound = bind_parameters(sparql, params or {})
    try:
        answer = store.query(bound, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as error:
        where = re.match(r"error at (\d+):(\d+): (.*)", str(error), re.S)
        if where:
            line, column, message = where.groups()
            raise QueryError(
                f"SPARQL syntax error at line {line}, column {column}: {message}"
            ) from None
        raise QueryError(f"SPARQL syntax error: {error}") from None
    except OSError as error:
        raise QueryError(f"query failed: {error}") from None
    if isinstance(answer, QueryBoolean):
        return QueryResult(boolean=bool(answer))
    if isinstance(answer, QueryTriples):
        return QueryResult(triples=tuple(answer))
    assert isinstance(answer, QuerySolutions)
    variables = tuple(v.value for v in answer.variables)
    rows = tuple(tuple(solution[v] for v in variables) for solution in answer)
    return QueryResult(variables=variables, rows=rows)


def _compact(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[\w.-]*", iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _plain(term: NamedNode | BlankNode | Literal | None, compact: bool = True) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return _compact(term.value) if compact else term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return term.value


def _cell(text: str) -> str:
    """One line of printable text: control characters shown as escapes, never sent raw."""
    text = re.sub(r"\s+", " ", text)
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def format_result(result: QueryResult, fmt: OutputFormat, *, max_width: int = 60) -> str:
    """The result as text in ``fmt``; JSON is SPARQL 1.1 Query Results JSON."""
    if result.triples is not None:
        from pyoxigraph import serialize

        data = serialize(result.triples, format=RdfFormat.TURTLE, prefixes=PREFIXES)
        return data.decode("utf-8") if isinstance(data, bytes) else ""
    if result.boolean is not None:
        if fmt is OutputFormat.JSON:
            return json.dumps({"head": {}, "boolean": result.boolean})
        return "true" if result.boolean else "false"
    if fmt is OutputFormat.JSON:
        return _json(result)
    if fmt in (OutputFormat.CSV, OutputFormat.TSV):
        return _delimited(result, fmt)
    return _table(result, max_width)


def _json(result: QueryResult) -> str:
    bindings = []
    for row in result.rows:
        binding = {}
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, NamedNode):
                binding[name] = {"type": "uri", "value": term.value}
            elif isinstance(term, BlankNode):
                binding[name] = {"type": "bnode", "value": term.value}
            else:
                value: dict[str, str] = {"type": "literal", "value": term.value}
                if term.language:
                    value["xml:lang"] = term.language
                elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    value["datatype"] = term.datatype.value
                binding[name] = value
        bindings.append(binding)
    document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1)


def _delimited(result: QueryResult, fmt: OutputFormat) -> str:
    import csv
    import io

    buffer = io.StringIO()
    if fmt is OutputFormat.CSV:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([_plain(t, compact=False) for t in row] for row in result.rows)
        return buffer.getvalue().rstrip("\n")
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines.extend("\t".join(_cell(str(t)) if t else "" for t in row) for row in result.rows)
    return "\n".join(lines)


def _table(result: QueryResult, max_width: int) -> str:
    def clip(text: str) -> str:
        text = _cell(text)
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    header = list(result.variables)
    body = [[clip(_plain(t)) for t in row] for row in result.rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
    numeric = [
        all(r[i].isdigit() for r in body if r[i]) and any(r[i] for r in body)
        for i in range(len(header))
    ]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    rows = [line(header), rule, *(line(r) for r in body)]
    rows.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
    return "\n".join(rows)
