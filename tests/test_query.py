"""Named and ad-hoc SPARQL on the built seed review's store."""

from __future__ import annotations

import json

import pytest

from kg.errors import QueryError
from kg.query import (
    OutputFormat,
    bind_parameters,
    format_result,
    list_queries,
    load_query,
    run_query,
)


def _column(result, name: str) -> list[str]:
    index = result.variables.index(name)
    return [row[index].value for row in result.rows]


def test_hook_for_change_is_giordano_cernkovich_rudolph(store) -> None:
    result = run_query(store, load_query("authors-by-theme"), {"theme": "hook-for-change"})
    assert sorted(_column(result, "author")) == [
        "Jennifer L. Rudolph",
        "Peggy C. Giordano",
        "Stephen A. Cernkovich",
    ]
    assert set(_column(result, "stance")) == {"supports"}


def test_theme_by_label_words(store) -> None:
    by_id = run_query(store, load_query("authors-by-theme"), {"theme": "hook-for-change"})
    by_label = run_query(store, load_query("authors-by-theme"), {"theme": "Hook for"})
    assert by_id.rows == by_label.rows


def test_disputes_are_found(store) -> None:
    result = run_query(store, load_query("authors-by-theme"), {"stance": "disputes"})
    authors = set(_column(result, "author"))
    assert {"Anthea Hucklesby", "Emma Wincup"} <= authors


def test_parameter_with_sparql_syntax_is_only_a_value(store) -> None:
    hostile = 'x" || true || "'
    result = run_query(store, load_query("authors-by-theme"), {"theme": hostile})
    assert result.rows == ()
    text = bind_parameters(load_query("authors-by-theme"), {"theme": hostile})
    assert 'VALUES ?theme_param { "x\\" || true || \\"" }' in text


def test_unknown_parameter(store) -> None:
    with pytest.raises(QueryError, match=r"no parameter 'colour'.*theme"):
        run_query(store, load_query("authors-by-theme"), {"colour": "red"})


def test_every_named_query_runs_and_has_a_header(store) -> None:
    queries = list_queries()
    assert {"authors-by-theme", "claims-for-theme", "uncited-works"} <= {q.name for q in queries}
    for named in queries:
        assert named.description, named.name
        result = run_query(store, named.text)
        assert result.variables, named.name


def test_uncited_works(store) -> None:
    result = run_query(store, load_query("uncited-works"))
    assert _column(result, "work") == []


def test_update_and_service_are_refused(store) -> None:
    with pytest.raises(QueryError, match="read-only"):
        run_query(store, "PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }")
    with pytest.raises(QueryError, match="SERVICE"):
        run_query(store, "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


def test_syntax_error_names_the_place(store) -> None:
    with pytest.raises(QueryError, match=r"syntax error.*line 1"):
        run_query(store, "SELECT ?x WHERE { ?x ?y }")


def test_formats(store) -> None:
    result = run_query(store, load_query("authors-by-theme"), {"theme": "hook-for-change"})
    document = json.loads(format_result(result, OutputFormat.JSON))
    assert document["head"]["vars"][:4] == ["author", "theme", "stance", "claims"]
    assert len(document["results"]["bindings"]) == 3
    csv = format_result(result, OutputFormat.CSV).splitlines()
    assert csv[0].startswith("author,theme,stance,claims")
    assert len(csv) == 4
    tsv = format_result(result, OutputFormat.TSV).splitlines()
    assert tsv[0].startswith("?author\t?theme")
    table = format_result(result, OutputFormat.TABLE)
    assert "Peggy C. Giordano" in table and table.endswith("(3 rows)")
