"""Named and ad-hoc SPARQL on the built seed review's store."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal

from kg.cli import main
from kg.errors import QueryError
from kg.store.embedded import open_store
from kg.store.query import (
    OutputFormat,
    bind_parameters,
    check_query,
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


def test_parameter_changes_nothing_but_the_value(store) -> None:
    echo = "SELECT ?v WHERE { VALUES ?v_param { UNDEF } BIND(?v_param AS ?v) }"
    plain = run_query(store, load_query("authors-by-theme"), {"theme": "hook-for-change"})
    for hostile in ('x" || true || "', '"} } UNION { ?s ?p ?o } #', "'''\n\\u0022 ."):
        assert run_query(store, echo, {"v": hostile}).rows == ((Literal(hostile),),)
        text = bind_parameters(load_query("authors-by-theme"), {"theme": hostile})
        parts = load_query("authors-by-theme").split("VALUES ?theme_param { UNDEF }")
        assert text == f"VALUES ?theme_param {{ {Literal(hostile)} }}".join(parts)
        assert run_query(store, load_query("authors-by-theme"), {"theme": hostile}).rows == ()
        wrapped = f"hook-for-change{hostile}"
        assert run_query(store, load_query("authors-by-theme"), {"theme": wrapped}).rows == ()
    assert len(plain.rows) == 3


def test_themes_of_author(store) -> None:
    result = run_query(store, load_query("themes-of-author"), {"author": "Hucklesby"})
    rows = {(r[1].value, r[2].value, int(r[3].value)) for r in result.rows}
    assert rows == {
        ("Exploitation and coercion in criminal justice", "disputes", 1),
        ("Peer mentoring", "disputes", 1),
    }
    by_iri = run_query(store, load_query("themes-of-author"), {"author": "hucklesby-anthea"})
    assert by_iri.rows == result.rows
    supports = run_query(store, load_query("themes-of-author"), {"stance": "supports"})
    assert set(_column(supports, "stance")) == {"supports"}


def test_contested_themes(store) -> None:
    result = run_query(store, load_query("contested-themes"))
    assert set(_column(result, "theme")) == {"Peer mentoring"}
    disputing = {r[2].value for r in result.rows if r[1].value == "disputes"}
    assert disputing == {"Anthea Hucklesby", "Chris Grayling", "Emma Wincup"}
    assert "Gillian Buck" in {r[2].value for r in result.rows if r[1].value == "supports"}
    assert run_query(store, load_query("contested-themes"), {"theme": "hope"}).rows == ()


def test_single_source_themes(store) -> None:
    result = run_query(store, load_query("single-source-themes"))
    pairs = dict(zip(_column(result, "theme"), _column(result, "work"), strict=True))
    assert pairs["Hook for change"] == "giordano2002gender"
    assert pairs["Internalised failure"] == "buck2017core"
    assert "Peer mentoring" not in pairs


def test_secondary_citations(store) -> None:
    result = run_query(store, load_query("secondary-citations"))
    row = dict(zip(result.variables, (t.value if t else "" for t in result.rows[0]), strict=True))
    assert len(result.rows) == 1
    assert (row["work"], row["year"], row["via"], row["viaYear"]) == (
        "grayling2012speech", "2012", "buck2017core", "2017",
    )  # fmt: skip
    assert row["mention"] == "(Grayling, 2012 in Buck, 2017: 1)"
    assert row["citingWork"] == "nixon2020giving"


def test_co_cited_pairs(store) -> None:
    result = run_query(store, load_query("co-cited-pairs"))
    pairs = {(r[0].value, r[1].value) for r in result.rows}
    assert ("apel2010impact", "bushway2012signaling") in pairs
    assert all(a < b for a, b in pairs)
    with_buck = run_query(store, load_query("co-cited-pairs"), {"work": "buck2017core"})
    assert {r[0].value for r in with_buck.rows} | {r[1].value for r in with_buck.rows} >= {
        "buck2017core", "grayling2012speech", "jaffe2012peer",
    }  # fmt: skip
    assert all("buck2017core" in (r[0].value, r[1].value) for r in with_buck.rows)


def test_claims(store) -> None:
    result = run_query(store, load_query("claims"))
    rows = result.records()
    assert len(rows) == 17 == len({row["claim"] for row in rows})
    assert {row["origin"] for row in rows} == {"extracted", "curated"}
    hook = next(row for row in rows if "hook for change" in row["claimText"])
    assert hook["claimText"].startswith("Ex-offenders use peer work") and hook["start"].isdigit()


def test_citations(store) -> None:
    rows = run_query(store, load_query("citations")).records()
    (hucklesby,) = [row for row in rows if row["workIri"].endswith("/hucklesby2014assistance")]
    assert hucklesby["stance"] == "disputes" and hucklesby["locator"] == "p. 1"
    assert hucklesby["characterisation"] == "http://purl.org/spar/cito/critiques"
    assert {row["citingIri"].rsplit("/", 1)[-1] for row in rows} == {"nixon2020giving"}
    assert len({row["citation"] for row in rows}) == len(rows)


def test_claim_themes(store) -> None:
    hook = run_query(store, load_query("claim-themes"), {"theme": "hook-for-change"})
    assert [row["theme"] for row in hook.records()] == ["Hook for change"]
    rows = run_query(store, load_query("claim-themes")).records()
    tagged = {row["claim"] for row in rows}
    assert hook.records()[0]["claim"] in tagged and len(tagged) <= 17 < len(rows)
    methods = {row["method"].rsplit("#", 1)[1] for row in rows}
    assert {"Curated", "LabelMatch", "SchemeSimilarity"} <= methods
    assert all(0 < float(row["score"]) <= 1 for row in rows)
    assert all(row["score"] == "1" for row in rows if row["method"].endswith("#Curated"))


def test_work_authors(store) -> None:
    rows = run_query(store, load_query("work-authors")).records()
    giordano = [row for row in rows if row["workIri"].endswith("/giordano2002gender")]
    assert [(row["author"], row["family"], row["given"]) for row in giordano] == [
        ("Stephen A. Cernkovich", "Cernkovich", "Stephen A."),
        ("Peggy C. Giordano", "Giordano", "Peggy C."),
        ("Jennifer L. Rudolph", "Rudolph", "Jennifer L."),
    ]


def test_unresolved_works_once_however_many_graphs_hold_them(built) -> None:
    from .test_network import extended_store

    store = extended_store(built)
    works = run_query(store, load_query("unresolved-works")).records()
    assert [(row["names"], row["year"]) for row in works] == [("Nobody", "1999")]
    (citation,) = run_query(store, load_query("unresolved-citations")).records()
    assert (citation["names"], citation["year"], citation["mention"]) == (
        "Nobody", "1999", "(Nobody, 1999)",
    )  # fmt: skip


def test_values_and_records_are_plain_text(store) -> None:
    result = run_query(store, load_query("citations"))
    first = result.records()[0]
    assert result.values("locator", "claim")[0] == (first["locator"], first["claim"])
    assert all(isinstance(value, str) for value in first.values())


def test_issue_queries_are_all_named() -> None:
    names = {q.name for q in list_queries()}
    assert {
        "authors-by-theme", "themes-of-author", "claims-for-theme", "works-by-citation-count",
        "contested-themes", "single-source-themes", "unresolved-citations", "uncited-works",
        "secondary-citations", "co-cited-pairs",
    } <= names  # fmt: skip
    for named in list_queries():
        placeholders = set(re.findall(r"VALUES \?(\w+)_param", named.text))
        assert placeholders == {name for name, _ in named.params}, named.name


def test_check_query() -> None:
    check_query("SELECT * { ?s ?p ?o }")
    check_query("# a comment\nPREFIX x: <http://x/>\nINSERT DATA { x:a x:b x:c }", update=True)
    with pytest.raises(QueryError, match="not a SPARQL Update"):
        check_query("ASK {}", update=True)
    check_query("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True)


def test_kg_query_imports_neither_pyvis_nor_the_bibliography_parser(built) -> None:
    _, config = built
    program = (
        "import sys\n"
        "from kg.cli import main\n"
        f"try:\n    main(['query', 'authors-by-theme', '-c', {str(config)!r}])\n"
        "except SystemExit as done:\n    assert not done.code, done.code\n"
        "heavy = ('pyvis', 'bibtexparser', 'networkx', 'yaml', 'kg.load.bib',"
        " 'kg.load.citations')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert "Peggy C. Giordano" in done.stdout
    assert done.stdout.splitlines()[-1] == "LOADED []"


def test_update_needs_the_flag_and_opens_the_store_writable(built, tmp_path) -> None:
    report, _ = built
    copy = tmp_path / "store"
    shutil.copytree(report.output / "store", copy)
    runner = CliRunner()
    insert = "INSERT DATA { GRAPH <https://example.org/notes> { kg:x rdfs:label 'note' } }"
    refused = runner.invoke(main, ["query", "-e", insert, "--store", str(copy)])
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: this is a SPARQL Update; kg query is read-only unless given --update\n"
    )
    done = runner.invoke(main, ["query", "--update", "-e", insert, "--store", str(copy)])
    assert done.exit_code == 0, done.output
    ask = runner.invoke(main, ["query", "-e", "ASK { kg:x rdfs:label 'note' }",
                               "--store", str(copy)])  # fmt: skip
    assert ask.stdout == "true\n"
    assert run_query(open_store(report.output / "store"), "ASK { kg:x ?p ?o }").boolean is False


def test_turtle_for_construct(store) -> None:
    result = run_query(store, "CONSTRUCT { ?w dcterms:title ?t } WHERE { ?w kg:bibKey "
                       "'maruna2001making' ; dcterms:title ?t }")  # fmt: skip
    text = format_result(result, OutputFormat.TURTLE)
    assert 'dcterms:title "Making Good: How Ex-Convicts Reform and Rebuild Their Lives"' in text


def test_iris_are_compacted_by_the_prefix_whose_namespace_ends_where_the_name_starts() -> None:
    """The table shows an IRI as prefix:name only when the rest is a plain name; a kg prefix's
    namespace ends with / or #, which the lookup by the IRI's last / or # relies on."""
    from kg.prefixes import PREFIXES
    from kg.store.query import _compact

    assert all(namespace.endswith(("/", "#")) for namespace in PREFIXES.values())
    for prefix, namespace in PREFIXES.items():
        assert _compact(namespace + "name-1.x") == f"{prefix}:name-1.x"
        assert _compact(namespace + "a/b") == namespace + "a/b"
        assert _compact(namespace + "a b") == namespace + "a b"
    assert _compact("https://w3id.org/kg/review/x/claim/t/0-9") == (
        "https://w3id.org/kg/review/x/claim/t/0-9"
    )
