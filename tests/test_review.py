"""Tests for kg.outputs.review: the summary (review.md) of the built seed review."""

from __future__ import annotations

import html
import re

from pyoxigraph import RdfFormat, Store

from kg.outputs.review import render_review
from kg.projections.network import ReviewData, is_guess
from kg.store.query import load_query, run_query, run_update

from .test_network import extended_store


def _sections(summary: str) -> dict[str, str]:
    """The text of each theme's section, by the theme's name."""
    themes = summary.split("\n## Contested themes")[0]
    return dict(re.findall(r"^### (.+)\n((?:(?!^### ).*\n?)*)", themes, re.M))


def test_who_supports_and_disputes_each_theme_as_authors_by_theme_counts(store) -> None:
    sections = _sections(render_review(store, title="Seed"))
    verbs = {"supports": "Supported by", "disputes": "Disputed by", "mentions": "Mentioned with"}
    rows = run_query(store, load_query("authors-by-theme")).records()
    assert rows
    for row in rows:
        line = next(
            line
            for line in sections[row["theme"]].splitlines()
            if line.startswith(f"- **{verbs[row['stance']]}:**")
        )
        assert f"{row['author']} ({row['claims']})" in line, (row, line)
    hook = sections["Hook for change"]
    assert "- **Supported by:** Jennifer L. Rudolph (1), Peggy C. Giordano (1)" in hook


def test_the_summary_from_data_read_for_the_views_is_the_same(store) -> None:
    data = ReviewData(store)
    data.claims()
    shared = render_review(store, title="Seed", warnings=["a note"], data=data)
    assert shared == render_review(store, title="Seed", warnings=["a note"])


def test_each_citation_once_even_when_several_graphs_repeat_its_work(built) -> None:
    summary = render_review(extended_store(built), title="Seed")
    nobody = [line for line in summary.splitlines() if "nobody-1999" in line]
    assert nobody and all(line.count("nobody-1999") == 1 for line in nobody)
    quoted = next(line for line in nobody if line.startswith("> — "))
    assert quoted.endswith(
        "nobody-1999 (cites); Giordano, Cernkovich and Rudolph (2002), p. 99 (citesAsEvidence);"
        " Giordano, Cernkovich and Rudolph (2002) (citesAsEvidence)"
    ), "by place in the text, then the work (none first), then the citation"
    assert "- Nobody (1999), e.g. written “(Nobody, 1999)”" in summary


def _claim_beside_hook_for_change(store: Store, name: str, key: str) -> None:
    """Adds a claim of another text, at the place of the "hook for change" claim in its own
    text and tagged with that theme, citing the work ``key``; it says ``name``."""
    run_update(
        store,
        f"""INSERT {{ GRAPH <urn:kg-test:other-text> {{
              <urn:kg-test:{name}> a kg:Claim ; kg:claimText "{name}" ;
                kg:claimOrigin "extracted" ; dcterms:subject ?theme ;
                kg:hasCitation <urn:kg-test:{name}-citation> ;
                oa:hasTarget [ oa:hasSelector [ a oa:TextPositionSelector ; oa:start ?start ] ] .
              <urn:kg-test:{name}-citation> a cito:Citation ; cito:hasCitedEntity ?work ;
                cito:hasCitationCharacterization cito:citesAsEvidence .
            }} }}
            WHERE {{
              {{ SELECT DISTINCT ?theme ?start ?work WHERE {{
                GRAPH ?text {{
                  ?claim dcterms:subject ?theme ; oa:hasTarget/oa:hasSelector/oa:start ?start
                }}
                GRAPH ?bibliography {{ ?work kg:bibKey "{key}" }}
                FILTER(STRENDS(STR(?theme), "/hook-for-change"))
              }} }}
            }}""",
    )


def test_claims_at_one_place_in_two_texts_by_the_first_work_they_cite(built) -> None:
    report, _ = built
    store = Store()
    store.bulk_load(path=str(report.output / "graph.trig"), format=RdfFormat.TRIG)
    _claim_beside_hook_for_change(store, "a-cites-visher", "visher2008employment")
    _claim_beside_hook_for_change(store, "z-cites-apel", "apel2010impact")
    hook = _sections(render_review(store, title="Seed"))["Hook for change"]
    quoted = [line for line in hook.splitlines() if line.startswith("> ") and "— " not in line]
    assert quoted[0] == "> z-cites-apel", "apel2010impact sorts before giordano2002gender"
    assert quoted[1].startswith("> Ex-offenders use peer work as a ‘hook for change’")
    assert quoted[2:] == ["> a-cites-visher"]


def test_white_space_and_markup_in_the_title() -> None:
    summary = render_review(Store(), title=" A\u00a0review\n\tof *peer* <work> ")
    assert summary.startswith("# A review of \\*peer\\* &lt;work&gt;\n")


def test_quotes_under_a_guessed_theme_are_marked_and_the_mark_explained_once(store) -> None:
    summary = render_review(store, title="Seed")
    data = ReviewData(store)
    claim_of = {" ".join(said.text.split()): claim for claim, said in data.texts.items()}
    rows = run_query(store, load_query("claim-themes")).records()
    guess = {}
    for row in rows:
        pair = (row["claim"], row["theme"])
        guessed = bool(row["method"]) and is_guess(row["method"], row["score"])
        guess[pair] = guess.get(pair, True) and guessed
    assert any(guess.values()) and not all(guess.values())
    marked = 0
    for theme, section in _sections(summary).items():
        for sentence, cites in re.findall(r"^> (.+)\n>\n> — (.+)$", section, re.M):
            claim = claim_of[html.unescape(re.sub(r"\\(.)", r"\1", sentence))]
            assert cites.endswith(" *(guess)*") == guess[claim, theme], (theme, sentence)
            marked += guess[claim, theme]
    assert marked == sum(guess.values())
    assert summary.count("*(guess)*") == marked + 1  # and once where the summary explains it
    assert "A quote marked *(guess)* stands under a theme kg guessed" in summary.split("\n## ")[0]
