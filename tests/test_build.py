"""`kg build` end to end on the bundled seed review: graph, store, map and summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, URIRef
from rdflib.compare import isomorphic

from kg.build.pipeline import build_review
from kg.errors import KgError
from kg.namespaces import CITO, DCTERMS, KG, OA, RDF
from kg.parallel.forked import can_fork

from .conftest import BIB, write_config

BASE = "https://example.org/review/"


def _dataset(path: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="trig")
    return dataset


def test_build_writes_every_output(built) -> None:
    report, _ = built
    for name in ("graph.trig", "map.html", "review.md", "store"):
        assert (report.output / name).exists(), name
    assert report.counts["works"] == 18
    assert report.counts["citations"] == 25
    assert report.counts["themes"] >= 15
    assert report.counts["claims"] >= 15
    assert report.unresolved == ()


def test_named_graphs(built) -> None:
    report, _ = built
    names = {str(g.identifier) for g in _dataset(report.output / "graph.trig").graphs()}
    for name in ("bibliography", "themes", "ontology", "claims/nixon2020giving"):
        assert f"{BASE}graph/{name}" in names


def test_claims_are_anchored_in_the_text(built) -> None:
    report, _ = built
    text = (Path(__file__).resolve().parents[1] / "bib" / "nixon2020-excerpt.txt").read_text(
        encoding="utf-8"
    )
    graph = _dataset(report.output / "graph.trig").graph(
        URIRef(f"{BASE}graph/claims/nixon2020giving")
    )
    claims = list(graph.subjects(RDF.type, KG.Claim))
    assert claims
    for claim in claims:
        target = graph.value(claim, OA.hasTarget)
        selectors = list(graph.objects(target, OA.hasSelector))
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        start = int(graph.value(position, OA.start))
        end = int(graph.value(position, OA.end))
        assert text[start:end] == str(graph.value(quote, OA.exact))
        assert list(graph.objects(claim, KG.hasCitation)), claim


def test_curated_stances_win(built) -> None:
    report, _ = built
    dataset = _dataset(report.output / "graph.trig")
    critiques = {
        str(dataset.value(c, CITO.hasCitedEntity))
        for c, _, _, _ in dataset.quads(
            (None, CITO.hasCitationCharacterization, CITO.critiques, None)
        )
    }
    assert f"{BASE}work/hucklesby2014assistance" in critiques
    evidence = {
        str(dataset.value(c, CITO.hasCitedEntity))
        for c, _, _, _ in dataset.quads(
            (None, CITO.hasCitationCharacterization, CITO.citesAsEvidence, None)
        )
    }
    assert f"{BASE}work/kavanagh2013exploring" in evidence


CONFIRMED_OR_GUESSED = """
PREFIX kg: <https://w3id.org/kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?claim ?theme ?score (?method = kg:Curated AS ?confirmed) WHERE {
  ?tag oa:hasTarget ?claim ; oa:hasBody ?theme ; kg:tagScore ?score ; kg:tagMethod ?method .
}
"""


def test_every_tag_has_a_score_and_a_method_and_curated_ones_are_confirmed(built) -> None:
    report, _ = built
    dataset = _dataset(report.output / "graph.trig")
    rows = list(dataset.query(CONFIRMED_OR_GUESSED))
    subjects = {
        (str(c), str(t)) for c, _, t, _ in dataset.quads((None, DCTERMS.subject, None, None))
    }
    assert {(str(r[0]), str(r[1])) for r in rows} == subjects
    assert all(0 <= float(r[2]) <= 1 for r in rows)
    confirmed = {str(r[1]).rsplit("/", 1)[1] for r in rows if r[3].toPython()}
    assert confirmed == {
        "coercion",
        "peer-mentoring",
        "reciprocal-benefits",
        "transforming-rehabilitation",
    }
    assert any(not r[3].toPython() for r in rows)


def test_guessed_stances_carry_a_confidence_and_curated_ones_do_not(built) -> None:
    report, _ = built
    dataset = _dataset(report.output / "graph.trig")
    sure = {
        str(c): float(v) for c, _, v, _ in dataset.quads((None, KG.stanceConfidence, None, None))
    }
    assert sure and all(0 < v <= 1 for v in sure.values())
    curated = [
        str(c)
        for c, _, _, _ in dataset.quads(
            (None, CITO.hasCitationCharacterization, CITO.critiques, None)
        )
    ]
    assert curated and not set(curated) & set(sure)


def test_secondary_citation_is_linked(built) -> None:
    report, _ = built
    dataset = _dataset(report.output / "graph.trig")
    (via,) = [(s, o) for s, _, o, _ in dataset.quads((None, KG.citedVia, None, None))]
    assert str(dataset.value(via[0], CITO.hasCitedEntity)).endswith("grayling2012speech")
    assert str(dataset.value(via[1], CITO.hasCitedEntity)).endswith("buck2017core")
    assert str(dataset.value(via[1], KG.locator)) == "p. 1"


def test_rebuild_is_byte_identical_and_isomorphic(built, tmp_path: Path) -> None:
    report, _ = built
    again = build_review(write_config(tmp_path))
    first = (report.output / "graph.trig").read_bytes()
    second = (again.output / "graph.trig").read_bytes()
    assert first == second
    first_set = _dataset(report.output / "graph.trig")
    second_set = _dataset(again.output / "graph.trig")
    names = {g.identifier for g in first_set.graphs()}
    assert names == {g.identifier for g in second_set.graphs()}
    for name in names:
        assert isomorphic(first_set.graph(name), second_set.graph(name)), name
    assert (report.output / "map.html").read_bytes() == (again.output / "map.html").read_bytes()


def test_failed_build_leaves_previous_outputs(tmp_path: Path) -> None:
    build_review(write_config(tmp_path))
    before = {p.name: p.read_bytes() for p in (tmp_path / "build").glob("*.*") if p.is_file()}
    missing = write_config(tmp_path, themes=f'"{tmp_path / "missing.ttl"}"')
    with pytest.raises(KgError, match=r"missing\.ttl"):
        build_review(missing)
    after = {p.name: p.read_bytes() for p in (tmp_path / "build").glob("*.*") if p.is_file()}
    assert before == after
    assert not list((tmp_path / "build").glob(".kg-build-*"))


def test_bad_bib_entry_keeps_the_rest(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    source = (Path(__file__).resolve().parents[1] / "bib" / "references.bib").read_text("utf-8")
    bib.write_text(source + "\n@article{broken, title={no end\n", encoding="utf-8")
    report = build_review(write_config(tmp_path, bibliography=f'["{bib}"]'))
    assert report.counts["works"] == 18
    assert any("refs.bib" in str(note) for note in report.warnings)


def test_text_of_unknown_work_is_an_error(tmp_path: Path) -> None:
    text = Path(__file__).resolve().parents[1] / "bib" / "nixon2020-excerpt.txt"
    config = write_config(tmp_path, texts=f'[{{path = "{text}", work = "nobody2000"}}]')
    with pytest.raises(KgError, match="'nobody2000', which is not in the bibliography"):
        build_review(config)


def test_strict_fails_on_unresolved(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    source = (Path(__file__).resolve().parents[1] / "bib" / "references.bib").read_text("utf-8")
    start = source.index("@misc{webster2013unidentified")
    bib.write_text(source[:start] + source[source.index("@article{maruna2007") :], "utf-8")
    config = write_config(tmp_path, bibliography=f'["{bib}"]')
    report = build_review(config)
    assert any("Webster" in str(note) for note in report.unresolved)
    shutil.rmtree(tmp_path / "build")
    with pytest.raises(KgError, match="--strict"):
        build_review(config, strict=True)
    assert not (tmp_path / "build" / "graph.trig").exists()


def test_review_summary(built) -> None:
    report, _ = built
    summary = (report.output / "review.md").read_text(encoding="utf-8")
    assert summary.startswith("# Seed review")
    assert "### Hook for change" in summary
    assert "Disputed by:** Anthea Hucklesby" in summary
    assert "## Contested themes" in summary
    assert "`nixon2020giving`" not in summary.split("never cited")[1].split("###")[0]


def test_works_have_titles_and_creators(built) -> None:
    report, _ = built
    dataset = _dataset(report.output / "graph.trig")
    graph = dataset.graph(URIRef(f"{BASE}graph/bibliography"))
    work = URIRef(f"{BASE}work/giordano2002gender")
    assert str(graph.value(work, DCTERMS.title)).startswith("Gender, Crime, and Desistance")
    assert len(list(graph.objects(work, DCTERMS.creator))) == 3


def test_rebuild_reads_the_cache_and_gives_the_same_outputs(tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    shutil.copy(BIB / "nixon2020-excerpt.txt", text)
    config = write_config(
        tmp_path, texts=f'[{{path = "{text}", work = "nixon2020giving"}}]', claims=None
    )
    first = build_review(config)
    cache = tmp_path / "build" / ".cache"

    def kinds() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for entry in cache.iterdir():
            found.setdefault(entry.name.split("-")[0], set()).add(entry.name)
        return found

    entries = kinds()
    # the bibliography, the themes, the text's facts and claims, four graphs (bibliography,
    # themes, ontology, claims) with the rows the views read from each, and the claims graph's
    # claims joined and part of the summary
    assert {kind: len(names) for kind, names in entries.items()} == {
        "bibliography": 1, "themes": 1, "text": 1, "claims": 1, "graph": 4, "rows": 4,
        "joined": 1, "tags": 1, "summary": 1,
    }  # fmt: skip
    trig = (tmp_path / "build" / "graph.trig").read_bytes()
    for entry in cache.iterdir():
        if not entry.name.startswith("text"):
            entry.write_bytes(b"damaged")
    again = build_review(config)
    assert again.counts == first.counts
    assert (tmp_path / "build" / "graph.trig").read_bytes() == trig
    assert kinds() == entries
    text.write_text(text.read_text(encoding="utf-8") + "\nAs Maruna (2001) argues.\n")
    changed = build_review(config)
    assert changed.counts["claims"] == first.counts["claims"] + 1
    now = kinds()
    assert now["bibliography"] == entries["bibliography"]
    assert now["text"] != entries["text"] and len(now["text"]) == 1
    assert now["claims"] != entries["claims"] and len(now["claims"]) == 1
    assert len(now["graph"] & entries["graph"]) == 3 and len(now["graph"]) == 4
    assert len(now["rows"] & entries["rows"]) == 3 and len(now["rows"]) == 4
    assert now["joined"] != entries["joined"] and len(now["joined"]) == 1
    assert now["tags"] != entries["tags"] and len(now["tags"]) == 1
    assert now["summary"] != entries["summary"] and len(now["summary"]) == 1


def _store_quads(folder: Path) -> set[str]:
    from kg.store.embedded import open_store

    return {str(quad) for quad in open_store(folder / "store")}


def _same_stores(first: Path, second: Path) -> bool:
    """Whether two built stores hold isomorphic named graphs (blank node ids differ)."""
    from pyoxigraph import RdfFormat

    from kg.store.embedded import open_store

    def graphs(folder: Path) -> dict[str, Dataset]:
        dataset = Dataset()
        dump = open_store(folder / "store").dump(format=RdfFormat.N_QUADS)
        dataset.parse(data=dump, format="nquads")
        return {str(g.identifier): g for g in dataset.graphs() if len(g)}

    ours, theirs = graphs(first), graphs(second)
    return ours.keys() == theirs.keys() and all(isomorphic(ours[g], theirs[g]) for g in ours)


def test_rebuild_updates_only_the_changed_graph_of_the_store(tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    # The excerpt's first half: its claims graph (each tag an annotation with its score)
    # holds under half the review's triples, so a rebuild updates the store.
    excerpt = (BIB / "nixon2020-excerpt.txt").read_text(encoding="utf-8")
    text.write_text(excerpt[: excerpt.index("\n\n", len(excerpt) // 2)], encoding="utf-8")
    config = write_config(tmp_path, texts=f'[{{path = "{text}", work = "nixon2020giving"}}]')
    steps: list[str] = []
    build_review(config, progress=steps.append)
    assert "loading the store" in steps
    text.write_text(text.read_text(encoding="utf-8") + "\nAs Maruna (2001) argues.\n")
    steps.clear()
    build_review(config, progress=steps.append)
    assert "updating the store (1 of 4 graphs changed)" in steps, steps
    updated = _store_quads(tmp_path / "build")
    assert any("Maruna (2001) argues" in quad for quad in updated)
    # the same inputs built from nothing give the same store and the same TriG
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    build_review(
        write_config(fresh, texts=f'[{{path = "{text}", work = "nixon2020giving"}}]'),
        progress=steps.append,
    )
    assert _same_stores(fresh / "build", tmp_path / "build")
    trig = (tmp_path / "build" / "graph.trig").read_bytes()
    assert (fresh / "build" / "graph.trig").read_bytes() == trig


def test_a_store_written_by_an_update_is_loaded_anew(tmp_path: Path) -> None:
    from kg.store.embedded import open_store
    from kg.store.query import run_update

    config = write_config(tmp_path)
    build_review(config)
    store = open_store(tmp_path / "build" / "store", writable=True)
    run_update(store, "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    del store
    steps: list[str] = []
    build_review(config, progress=steps.append)
    assert "loading the store" in steps
    assert not any("urn:" in quad for quad in _store_quads(tmp_path / "build"))


def test_uncited_entries_are_reported_with_their_line(built, tmp_path: Path) -> None:
    report, _ = built
    assert report.uncited == ()
    bib = tmp_path / "refs.bib"
    source = (Path(__file__).resolve().parents[1] / "bib" / "references.bib").read_text("utf-8")
    bib.write_text(
        source + "\n@book{extra2020, author={Extra, Ann}, title={Unread}, year=2020}\n", "utf-8"
    )
    report = build_review(write_config(tmp_path, bibliography=f'["{bib}"]'))
    (note,) = report.uncited
    assert note.line == source.count("\n") + 2
    assert note.message == "entry 'extra2020' is never cited"


def test_unresolved_citations_once_each_and_grouped_in_the_summary(tmp_path: Path) -> None:
    from kg.store.embedded import open_store
    from kg.store.query import load_query, run_query

    bib = tmp_path / "refs.bib"
    source = (Path(__file__).resolve().parents[1] / "bib" / "references.bib").read_text("utf-8")
    start = source.index("@misc{webster2013unidentified")
    bib.write_text(source[:start] + source[source.index("@article{maruna2007") :], "utf-8")
    report = build_review(write_config(tmp_path, bibliography=f'["{bib}"]'))
    rows = run_query(open_store(report.output / "store"), load_query("unresolved-citations")).rows
    assert len(rows) == len({row[-1] for row in rows}) == 4
    summary = (report.output / "review.md").read_text(encoding="utf-8")
    assert "- Webster (2013), cited 4 times, e.g. written" in summary


def test_cache_is_keyed_on_kg_source_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.build import cache as build_cache

    cache = build_cache.BuildCache(tmp_path)
    cache.put("text", "same inputs", "made by this code")
    assert cache.get("text", "same inputs") == "made by this code"
    monkeypatch.setattr(build_cache, "code_version", lambda: "other code")
    assert cache.get("text", "same inputs") is None
    # A graph's cached rows are what its named queries answered: a changed query misses.
    names = {path.name for path in build_cache.source_files()}
    assert {"claim-themes.rq", "rows.py"} <= names


def test_a_rebuild_after_an_edit_writes_what_a_build_from_nothing_writes(tmp_path: Path) -> None:
    # The excerpt's first half (as above): the rebuild updates the store, so its pages are
    # drawn by the drawer from the cache, read ahead while the build reads its inputs.
    text = tmp_path / "text.txt"
    excerpt = (BIB / "nixon2020-excerpt.txt").read_text(encoding="utf-8")
    text.write_text(excerpt[: excerpt.index("\n\n", len(excerpt) // 2)], encoding="utf-8")
    config = write_config(tmp_path, texts=f'[{{path = "{text}", work = "nixon2020giving"}}]')
    build_review(config)
    text.write_text(text.read_text(encoding="utf-8") + "\nAs Maruna (2001) argues.\n")
    steps: list[str] = []
    build_review(config, progress=steps.append)
    assert "updating the store (1 of 4 graphs changed)" in steps, steps
    output = tmp_path / "build"
    pages = [*sorted(output.glob("*.html")), output / "review.md"]
    assert len(pages) == 7
    rebuilt = {page.name: page.read_bytes() for page in pages}
    assert "Maruna (2001) argues" in rebuilt["review.md"].decode("utf-8")
    shutil.rmtree(output)
    steps.clear()
    build_review(config, progress=steps.append)
    assert "loading the store" in steps
    assert {page.name: page.read_bytes() for page in pages} == rebuilt


def _two_halves(folder: Path) -> Path:
    """A review of two citing texts, each a half of the excerpt."""
    excerpt = (BIB / "nixon2020-excerpt.txt").read_text(encoding="utf-8")
    middle = excerpt.index("\n\n", len(excerpt) // 2)
    first, second = folder / "first.txt", folder / "second.txt"
    first.write_text(excerpt[:middle], encoding="utf-8")
    second.write_text(excerpt[middle:], encoding="utf-8")
    texts = (
        f'[{{path = "{first}", work = "nixon2020giving"}}, '
        f'{{path = "{second}", work = "nixon2018just"}}]'
    )
    return write_config(folder, texts=texts)


def test_a_rebuild_drawn_from_another_texts_cached_parts_writes_what_a_build_from_nothing_writes(
    tmp_path: Path,
) -> None:
    # Two citing works, each a half of the excerpt; the second is edited. The rebuild's
    # drawer reads the first's parts from the cache (its rows, claims joined, tags and
    # summary part, kg.build.graphs.ClaimsPart) and makes the second's, and puts them
    # together in the order a build from nothing has them.
    config = _two_halves(tmp_path)
    second = tmp_path / "second.txt"
    build_review(config)
    cache = tmp_path / "build" / ".cache"

    def parts() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for entry in cache.iterdir():
            kind = entry.name.split("-")[0]
            if kind in ("joined", "tags", "summary"):
                found.setdefault(kind, set()).add(entry.name)
        return found

    before = parts()
    assert {kind: len(names) for kind, names in before.items()} == {
        "joined": 2, "tags": 2, "summary": 2,
    }  # fmt: skip
    second.write_text(
        second.read_text(encoding="utf-8") + "\nAs Maruna (2001) argues, and Buck (2017) too.\n"
    )
    steps: list[str] = []
    build_review(config, progress=steps.append)
    assert "updating the store (1 of 5 graphs changed)" in steps, steps
    after = parts()
    for kind, names in after.items():  # the first text's parts kept, the second's made anew
        assert len(names) == 2 and len(names & before[kind]) == 1, kind
    output = tmp_path / "build"
    pages = [*sorted(output.glob("*.html")), output / "review.md"]
    rebuilt = {page.name: page.read_bytes() for page in pages}
    summary = rebuilt["review.md"].decode("utf-8")
    assert "Maruna (2001) argues" in summary
    # what the parts put together is what the named queries answer on the whole store
    from kg.outputs.review import render_review
    from kg.outputs.views import VIEWS, write_view
    from kg.store.embedded import open_store

    store = open_store(output / "store")
    for view in VIEWS:
        write_view(store, view, tmp_path / view.filename, title="Seed review")
        assert (tmp_path / view.filename).read_bytes() == rebuilt[view.filename], view.name
    queried = render_review(store, title="Seed review")
    assert queried == summary.split("\n## Build notes")[0].rstrip() + "\n"
    del store
    shutil.rmtree(output)
    steps.clear()
    build_review(config, progress=steps.append)
    assert "loading the store" in steps
    assert {page.name: page.read_bytes() for page in pages} == rebuilt


def test_entries_read_ahead_are_handed_out_once(tmp_path: Path) -> None:
    from kg.build.cache import BuildCache

    cache = BuildCache(tmp_path)
    for key in ("a", "b", "c"):
        cache.put("rows", key, f"rows of {key}")
    cache.put("joined", "a", "joined a")
    reader = BuildCache(tmp_path)
    assert reader.read_ahead("rows", ["a", "missing"]) == 1
    assert reader.read_ahead("joined") == 1
    stop = iter([False, True])
    assert reader.read_ahead("rows", ["b", "c"], until=lambda: next(stop)) == 1
    for entry in tmp_path.iterdir():
        entry.unlink()
    # what was read ahead comes from memory, once; the rest is read (here: gone) as before
    assert [reader.get("rows", key) for key in "abc"] == ["rows of a", "rows of b", None]
    assert reader.get("joined", "a") == "joined a"
    assert reader.get("rows", "a") is None and reader.get("joined", "a") is None


def _extracting_in(monkeypatch: pytest.MonkeyPatch, pids: Path, fail: str = "") -> None:
    """kg.build.inputs's claim extraction made to note the process it runs in (in ``pids``)
    and, given ``fail``, to raise it as an ``InputError`` outside this process."""
    import os

    from kg.build import inputs
    from kg.errors import InputError

    extract, parent = inputs.extract_claims, os.getpid()

    def noted(*args, **kwargs):  # type: ignore[no-untyped-def]
        with pids.open("a") as out:
            out.write(f"{os.getpid()}\n")
        if fail and os.getpid() != parent:
            raise InputError(fail)
        return extract(*args, **kwargs)

    monkeypatch.setattr(inputs, "extract_claims", noted)


@pytest.mark.skipif(not can_fork(), reason="needs fork, a second core and one thread")
def test_texts_extracted_on_two_cores_give_what_one_core_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build shares the texts out between itself and a forked process (by length) and
    puts their claims back in text order: the same graph and notes, byte for byte."""
    import kg.parallel.forked

    built: dict[bool, tuple[bytes, tuple[object, ...], set[str]]] = {}
    for forking in (False, True):
        folder = tmp_path / str(forking)
        folder.mkdir()
        pids = folder / "pids"
        _extracting_in(monkeypatch, pids)
        monkeypatch.setattr(kg.parallel.forked, "can_fork", lambda forking=forking: forking)
        report = build_review(_two_halves(folder))
        own = f"/{folder.name}/"  # the one place the two reviews' paths differ
        trig = (folder / "build" / "graph.trig").read_bytes().replace(own.encode(), b"/")
        notes = tuple(str(note).replace(own, "/") for note in report.warnings)
        built[forking] = trig, notes, set(pids.read_text().split())
    assert built[True][:2] == built[False][:2]
    assert len(built[False][2]) == 1 and len(built[True][2]) == 2  # one process, then two


@pytest.mark.skipif(not can_fork(), reason="needs fork, a second core and one thread")
def test_an_error_in_the_forked_share_is_one_line_and_builds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    config = _two_halves(tmp_path)
    _extracting_in(monkeypatch, tmp_path / "pids", fail=f"{tmp_path / 'second.txt'}: cannot read")
    result = CliRunner().invoke(main, ["build", "-c", str(config)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"Error: {tmp_path / 'second.txt'}: cannot read"
    assert "Traceback" not in result.output
    assert not (tmp_path / "build" / "graph.trig").exists()
    assert not list((tmp_path / "build").glob(".kg-build-*"))
