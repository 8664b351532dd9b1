"""Bibliography loading on the bundled bibliography and the real corpora."""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateFieldKeyBlock, Entry

import kg.load.bib as bib_module
from kg.errors import BibliographyError, InputError
from kg.load.bib import _cut, _SecondHalf, decode_latex, parse_bibliography
from kg.parallel.forked import can_fork, converse_beside

from .conftest import BIB, SHARED, requires_shared

CORPORA = SHARED / "corpora"


def test_seed_bibliography_is_read_whole() -> None:
    bib = parse_bibliography([BIB / "references.bib"])
    assert len(bib.works) == 18
    assert bib.problems == ()
    works = bib.by_key()
    giordano = works["giordano2002gender"]
    assert [(p.family, p.given) for p in giordano.authors] == [
        ("Giordano", "Peggy C."),
        ("Cernkovich", "Stephen A."),
        ("Rudolph", "Jennifer L."),
    ]
    assert giordano.year == "2002"
    assert giordano.entry_type == "article"
    assert works["bushway2012signaling"].get("journal") == "Criminology & Public Policy"
    assert works["buck2016mimesis"].title.startswith("\u201cI wanted to feel")
    assert works["visher2008employment"].get("month") == "10"


def test_corporate_author_in_braces_is_one_organisation() -> None:
    unodc = parse_bibliography([BIB / "references.bib"]).by_key()["unodc2003peer"]
    (author,) = unodc.authors
    assert author.organisation
    assert author.family == "United Nations Office on Drugs and Crime"


def test_one_person_across_entries() -> None:
    bib = parse_bibliography([BIB / "references.bib"]).by_key()
    apel = {p.ident for w in ("apel2010impact", "bushway2012signaling") for p in bib[w].authors
            if p.family == "Apel"}  # fmt: skip
    assert len(apel) == 1


def test_latex_is_decoded_to_unicode() -> None:
    assert decode_latex(r"Jos{\'e} M{\"u}ller") == "José Müller"
    assert decode_latex("{DNA} and {RNA}") == "DNA and RNA"
    assert decode_latex("plain text") == "plain text"


def test_field_names_in_any_case_and_biblatex_date(tmp_path: Path) -> None:
    path = tmp_path / "mixed.bib"
    path.write_text(
        "@Article{a1, AUTHOR = {van der Berg, Jan}, Title = {Upper}, DATE = {2019-05-01}}\n",
        encoding="utf-8",
    )
    (work,) = parse_bibliography([path]).works
    assert work.title == "Upper"
    assert work.year == "2019"
    assert work.authors[0].family == "van der Berg"


def test_bad_entry_keeps_its_neighbours(tmp_path: Path) -> None:
    path = tmp_path / "bad.bib"
    path.write_text(
        "@article{good1, author={A, B}, title={One}, year=2001}\n\n"
        "@article{broken, author={A, B}, title={Two, year=2002\n\n"
        "@article{good2, author={C, D}, title={Three}, year=2003}\n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    assert "good1" in bib.by_key()
    assert bib.problems, "the broken block must be reported"
    assert all(str(path) in str(p) for p in bib.problems)


def test_duplicate_key_keeps_the_first(tmp_path: Path) -> None:
    path = tmp_path / "dup.bib"
    path.write_text(
        "@article{k, title={First}, year=2001}\n@article{k, title={Second}, year=2002}\n"
        "@article{k, title={First}, year=2001}\n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    assert bib.by_key()["k"].title == "First"
    assert [(str(p), p.severity) for p in bib.problems] == [
        (
            f"{path}:2: duplicate key 'k' with different content, first defined at line 1; this"
            " one is ignored (BibTeX keeps the first too): give it its own key",
            "error",
        ),
        (f"{path}:3: duplicate key 'k', same entry as at line 1; this copy is ignored", "warning"),
    ]


def test_duplicate_key_across_files_keeps_the_first_file(tmp_path: Path) -> None:
    one, two = tmp_path / "one.bib", tmp_path / "two.bib"
    one.write_text("@book{k, title={One}, year=2001}\n", encoding="utf-8")
    two.write_text("\n@book{k, title={Two}, year=2001}\n", encoding="utf-8")
    bib = parse_bibliography([one, two])
    assert bib.by_key()["k"].title == "One"
    (problem,) = bib.problems
    assert str(problem).startswith(f"{two}:2: duplicate key 'k' with different content")
    assert f"first defined at {one}:1" in problem.message


def test_repeated_field_keeps_the_entry_and_the_first_value(tmp_path: Path) -> None:
    path = tmp_path / "repeat.bib"
    path.write_text(
        "@article{r, author={Roe, Ann}, title={First}, title={Second}, year=2001}\n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    assert bib.by_key()["r"].title == "First"
    (problem,) = bib.problems
    assert (problem.line, problem.severity) == (1, "warning")
    assert "repeats field(s) title; the first value is kept" in problem.message


def test_broken_block_names_its_key_and_where_it_broke(tmp_path: Path) -> None:
    path = tmp_path / "bad.bib"
    path.write_text(
        "@article{good1, author={A, B}, title={One}, year=2001}\n\n"
        "@article{broken, author={A, B}, title={Two, year=2002\n\n"
        "@article{good2, author={C, D}, title={Three}, year=2003}\n",
        encoding="utf-8",
    )
    bib = parse_bibliography([path])
    (problem,) = [p for p in bib.problems if p.severity == "error"]
    assert problem.line == 3
    assert problem.key == "broken"
    assert "cannot parse entry 'broken'" in problem.message
    assert "it is skipped" in problem.message


def test_bibtexparser_logs_nothing_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "bad.bib"
    path.write_text("@article{broken, title={Two\n\n@article{g, title={x}, year=1}\n", "utf-8")
    parse_bibliography([path])
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    assert caplog.records == []


def test_crossref_fills_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_text(
        "@inproceedings{child, author={Doe, Jane}, title={A Paper}, crossref={Conf}}\n"
        "@proceedings{conf, editor={Roe, Ann}, title={Proceedings of Things}, year=2010,"
        " publisher={ACM}}\n",
        encoding="utf-8",
    )
    child = parse_bibliography([path]).by_key()["child"]
    assert child.title == "A Paper"
    assert child.year == "2010"
    assert child.get("booktitle") == "Proceedings of Things"
    assert child.get("publisher") == "ACM"
    assert [p.family for p in child.editors] == ["Roe"]


def test_crossref_to_nothing_is_a_warning_at_the_child(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_text("% a comment\n@inbook{c, author={Doe, J}, title={T},\n crossref={gone}}\n")
    bib = parse_bibliography([path])
    (problem,) = bib.problems
    assert (problem.line, problem.severity, problem.key) == (3, "warning", "c")
    assert "crossref to 'gone', which is not in the bibliography" in problem.message
    assert len(bib.works) == 1


def test_crossref_cycle_is_reported_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_text("@book{a, date={1911}, crossref={b}}\n@book{b, date={1911}, crossref={a}}\n")
    bib = parse_bibliography([path])
    assert len(bib.works) == 2
    assert any("crossref cycle a -> b -> a" in p.message for p in bib.problems)


def test_empty_and_entryless_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.bib"
    empty.write_text("")
    with pytest.raises(BibliographyError, match=r"empty\.bib: the file is empty"):
        parse_bibliography([empty])
    good = tmp_path / "good.bib"
    good.write_text("@book{g, title={G}, year=2000}\n", encoding="utf-8")
    bib = parse_bibliography([good, empty])
    assert [w.key for w in bib.works] == ["g"]
    assert [p.severity for p in bib.problems] == ["warning"]


def test_tolerant_reports_unreadable_files_instead_of_raising(tmp_path: Path) -> None:
    latin = tmp_path / "latin.bib"
    latin.write_bytes(b"@article{k,\n title={Caf\xe9}}\n")
    good = tmp_path / "good.bib"
    good.write_text("@book{g, title={G}, year=2000}\n", encoding="utf-8")
    bib = parse_bibliography([tmp_path / "missing.bib", latin, good], tolerant=True)
    assert [w.key for w in bib.works] == ["g"]
    assert [str(p) for p in bib.problems] == [
        f"{tmp_path / 'missing.bib'}: bibliography file not found",
        f"{latin}:2: not UTF-8 (byte 0xe9 at column 12); re-save the file as UTF-8, e.g."
        " `iconv -f ENCODING -t UTF-8` or your reference manager's export",
    ]


def test_missing_binary_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        parse_bibliography([tmp_path / "nope.bib"])
    binary = tmp_path / "binary.bib"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(InputError, match="binary"):
        parse_bibliography([binary])
    latin = tmp_path / "latin.bib"
    latin.write_bytes(b"@article{k,\n title={Caf\xe9}}\n")
    with pytest.raises(InputError, match=r"latin\.bib:2: not UTF-8"):
        parse_bibliography([latin])


def test_nothing_readable_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.bib"
    path.write_text("@article{broken, title={never closed\n", encoding="utf-8")
    with pytest.raises(BibliographyError, match=r"junk\.bib"):
        parse_bibliography([path])


@requires_shared
def test_macros_are_shared_across_files() -> None:
    papers = CORPORA / "biber-papers" / "papers.bib"
    alone = parse_bibliography([papers])
    assert any("undefined @string macro" in p.message for p in alone.problems)
    assert all(w.get("journal") != "or" for w in alone.works)
    both = parse_bibliography([CORPORA / "biber-papers" / "definitions.bib", papers])
    assert both.problems == ()
    assert len(both.works) == len(alone.works) == 2157
    assert both.by_key()["AardalHLT02"].get("journal")


FIXTURES = sorted((CORPORA / "bibtexparser-fixtures").glob("*.bib")) if CORPORA.is_dir() else []
OTHER_CORPORA = ["biblatex-examples/biblatex-examples.bib", "tugboat/tugboat.bib"]


def _bibtexparser_count(path: Path) -> tuple[int, int]:
    """What bibtexparser itself reads: (its entries, blocks it set aside that kg keeps).

    bibtexparser puts an entry that repeats a field in ``failed_blocks``; kg keeps it with the
    first value, as BibTeX does. A repeated key is in ``failed_blocks`` too, and kg drops it
    as well, so it counts in neither.
    """
    library = bibtexparser.parse_file(str(path))
    kept_aside = [b for b in library.failed_blocks if isinstance(b, DuplicateFieldKeyBlock)]
    return len(library.entries), len(kept_aside)


@requires_shared
@pytest.mark.parametrize(
    "path",
    [*FIXTURES, *(CORPORA / name for name in OTHER_CORPORA)],
    ids=lambda p: p.name,
)
def test_every_corpus_file_loads_and_keeps_what_bibtexparser_reads(path: Path) -> None:
    """No traceback on any corpus file; kg keeps every entry bibtexparser parses.

    ``gbk_test.bib`` is GBK, not UTF-8: bibtexparser itself fails on it, and kg says so with
    the line rather than guess an encoding. A file with no entry at all (empty, comments or
    ``@string`` only) is an error for a build, and read as empty when tolerant.
    """
    if path.name == "gbk_test.bib":
        with pytest.raises(UnicodeDecodeError):
            bibtexparser.parse_file(str(path))
        with pytest.raises(InputError, match=r"gbk_test\.bib:1: not UTF-8 \(byte 0xbf"):
            parse_bibliography([path])
        return
    entries, kept_aside = _bibtexparser_count(path)
    tolerant = parse_bibliography([path], tolerant=True)
    assert len(tolerant.works) == entries + kept_aside
    if entries + kept_aside == 0:
        with pytest.raises(BibliographyError, match=re.escape(str(path))):
            parse_bibliography([path])
    else:
        assert parse_bibliography([path]) == tolerant
    library = bibtexparser.parse_file(str(path))
    failed = [p for p in tolerant.problems if p.severity == "error"]
    assert len(failed) <= len(library.failed_blocks)
    for problem in tolerant.problems:
        assert str(problem).startswith(f"{path}:{problem.line}: " if problem.line else str(path))


@requires_shared
def test_biber_papers_with_their_macros_keep_every_entry() -> None:
    papers = CORPORA / "biber-papers" / "papers.bib"
    entries, _ = _bibtexparser_count(papers)
    both = parse_bibliography([CORPORA / "biber-papers" / "definitions.bib", papers])
    assert len(both.works) == entries == 2157


@requires_shared
def test_duplicate_in_biber_examples_is_reported_with_both_lines() -> None:
    bib = parse_bibliography([CORPORA / "bibtexparser-fixtures" / "biber-examples.bib"])
    (problem,) = [p for p in bib.problems if "duplicate" in p.message]
    assert (problem.line, problem.key, problem.severity) == (1543, "tmn4", "error")
    assert "first defined at line 1535" in problem.message


@requires_shared
def test_biblatex_crossref_inherits_from_the_collection() -> None:
    bib = parse_bibliography([CORPORA / "biblatex-examples" / "biblatex-examples.bib"])
    space = bib.by_key()["westfahl:space"]
    assert space.title == "The True Frontier"
    assert space.year == "2000"
    assert space.get("booktitle") == "Space and Beyond"
    assert space.get("publisher") == "Greenwood"
    assert [p.family for p in space.editors] == ["Westfahl"]
    assert not [p for p in bib.problems if p.key == "westfahl:space"]


@requires_shared
def test_crossref_through_an_ids_alias() -> None:
    path = CORPORA / "bibtexparser-fixtures" / "crossref_cascading_aliases.bib"
    bib = parse_bibliography([path])
    assert bib.problems == ()
    works = bib.by_key()
    assert works["ccr2"].get("maintitle") == "Stuff Concerning Varia"
    assert works["ccr3"].get("booktitle") == "Misc etc."
    assert works["ccr3"].year == "1911"


@requires_shared
def test_biblatex_date_fields() -> None:
    bib = parse_bibliography([CORPORA / "biblatex-examples" / "biblatex-examples.bib"])
    dated = [w for w in bib.works if w.get("date") and not w.get("year")]
    assert len(dated) > 50
    assert all(w.year and w.year.isdigit() for w in dated if w.get("date")[:4].isdigit())


def _corpus_entries() -> Iterator[Entry]:
    """Every entry bibtexparser reads in the corpora and the seed (the GBK file left out)."""
    for path in [*CORPORA.glob("*/*.bib"), *BIB.glob("*.bib")]:
        try:
            yield from bibtexparser.parse_string(path.read_text(encoding="utf-8-sig")).entries
        except UnicodeDecodeError:
            continue


def _names() -> set[str]:
    """Every name of every author and editor list of the corpora and the seed."""
    return {
        name.strip()
        for entry in _corpus_entries()
        for fld in entry.fields
        if fld.key.lower() in ("author", "editor")
        for name in split_multiple_persons_names(str(fld.value))
    }


def _latex_values() -> set[str]:
    """Every field value, name and name part of the corpora and the seed, macros expanded."""
    values = {str(fld.value) for entry in _corpus_entries() for fld in entry.fields}
    for name in _names():
        parts = parse_single_name_into_parts(name, strict=False)
        values.update([" ".join(parts.von + parts.last), " ".join(parts.first), name[1:-1]])
    return {v for v in values if "\\" in v or "{" in v or "--" in v or "``" in v}


@requires_shared
def test_fast_latex_decoder_agrees_with_pylatexenc_on_the_corpora() -> None:
    from kg.load.bib import _LATEX, _decode_common_latex

    def tidy(text: str) -> str:
        return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())

    values = _latex_values()
    decoded = {v: _decode_common_latex(v) for v in values}
    fast = [v for v, text in decoded.items() if text is not None]
    assert len(fast) > 0.9 * len(values) > 5000
    disagree = [v for v in fast if tidy(decoded[v] or "") != tidy(_LATEX.latex_to_text(v))]
    assert disagree == []


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{\v{C}}apek and Wa{\l}{\k{e}}sa", "Čapek and Wałęsa"),
        (r"Garc{\'\i}a, \"Ozt\"urk, {\AA}str{\"o}m, Gro{\ss}", "García, Öztürk, Åström, Groß"),
        (r"\emph{Desistance} --- ``what works''? 1--2", "Desistance — “what works”? 1–2"),
        (r"The \TeX{}book, $x^2$ \& \texttt{code}", None),
    ],
)
def test_fast_latex_decoder_and_its_fallback(latex: str, text: str | None) -> None:
    from kg.load.bib import _LATEX

    assert decode_latex(latex) == (text or _LATEX.latex_to_text(latex).strip())


def test_names_with_leading_accents_and_braces(tmp_path: Path) -> None:
    path = tmp_path / "names.bib"
    path.write_text(
        '@article{a, author = {Jon Kleinberg and \\\'{E}va Tardos and \\"Ozt\\"urk, Robert J.'
        " AND {Barnes and Noble} and {Smith, Jones}, Amy}, title = {T}, year = 2001}\n",
        encoding="utf-8",
    )
    (work,) = parse_bibliography([path]).works
    assert [(p.family, p.given, p.organisation) for p in work.authors] == [
        ("Kleinberg", "Jon", False),
        ("Tardos", "Éva", False),
        ("Öztürk", "Robert J.", False),
        ("Barnes and Noble", "", True),
        ("Smith, Jones", "Amy", False),
    ]


# A threshold no file reaches: every file is read in one piece.
WHOLE = sys.maxsize
requires_two_cores = pytest.mark.skipif(
    not can_fork(), reason="reading a file in two halves needs fork and a second core"
)


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What each worker process read of a second half (empty when no file was cut in two)."""
    read: list[object] = []
    entries = _SecondHalf.entries

    def spy(self: _SecondHalf) -> object:
        result = entries(self)
        if result is not None:
            read.append(result)
        return result

    monkeypatch.setattr(_SecondHalf, "entries", spy)
    return read


CORPUS_SETS = (
    [[path] for path in FIXTURES]
    + [[CORPORA / name] for name in OTHER_CORPORA]
    + [
        [CORPORA / "biber-papers" / "papers.bib"],
        [CORPORA / "biber-papers" / "definitions.bib", CORPORA / "biber-papers" / "papers.bib"],
        [BIB / "references.bib"],
        sorted(CORPORA.glob("*/*.bib")),
    ]
)


@requires_shared
@requires_two_cores
@pytest.mark.parametrize(
    "paths", CORPUS_SETS, ids=lambda paths: paths[0].name if 0 < len(paths) < 3 else "all"
)
def test_reading_in_two_halves_gives_what_reading_whole_gives(
    paths: list[Path], halves: list[object]
) -> None:
    """Every corpus, cut in two at the middle and read by two processes: the same works
    (every field, name and line) and the same problems in the same order."""
    whole = parse_bibliography(paths, tolerant=True, parallel_above=WHOLE)
    assert halves == []
    assert (
        parse_bibliography(paths, tolerant=True, beside=converse_beside, parallel_above=0) == whole
    )


@requires_shared
@requires_two_cores
def test_a_large_corpus_is_really_read_in_two_halves(halves: list[object]) -> None:
    """The comparison above is not between two whole reads: a worker read half of tugboat."""
    tugboat = CORPORA / "tugboat" / "tugboat.bib"
    bib = parse_bibliography([tugboat], beside=converse_beside, parallel_above=0)
    assert len(bib.works) == 3644
    assert len(halves) == 1


def _write_in_halves(path: Path, first: str, second: str) -> None:
    """Write ``first`` then ``second``, padded so that a file cut in two is cut between them."""
    first = "%" * max(0, len(second) - len(first) + 2) + "\n" + first
    text = first + second + "%" * (len(first) - len(second) - 2) + "\n"
    path.write_text(text, encoding="utf-8")
    assert _cut(text) == len(first)


@requires_two_cores
def test_halves_share_macros_keys_crossrefs_and_lines(tmp_path: Path, halves: list[object]) -> None:
    """What one half holds changes the other: a macro and a crossref parent defined after the
    cut, a key repeated across it (bibtexparser sets the repeat aside, which orders it after
    an entry on the same line), and a value ending in ``\\`` before it, whose newline
    bibtexparser does not count as a line."""
    path = tmp_path / "halves.bib"
    _write_in_halves(
        path,
        "@string{jn = {Journal}}\n"
        "@article{a, author={Doe, Jane}, title={Broken after a backslash \\\n here},\n"
        "  journal = jn # { } # later, year=2001}\n"
        "@article{dup, title={First}, year=2001}\n"
        "@inproceedings{child, title={Child}, crossref={parent}}\n",
        "@string{later = {Series}}\n"
        "@article{dup, journal=nowhere} @article{z, title={Z}, journal=nowhere}\n"
        "@proceedings{parent, title={Parent}, year=2010, editor={Roe, Ann}}\n"
        "@article{rep, title={One}, title={Two}, year=2003}\n"
        "@article{broken, title={never closed\n"
        "@article{after, title={After}, year=2004}\n",
    )
    whole = parse_bibliography([path], parallel_above=WHOLE)
    assert parse_bibliography([path], beside=converse_beside, parallel_above=0) == whole
    assert len(halves) == 1
    works = whole.by_key()
    assert works["a"].get("journal") == "Journal Series"
    assert works["child"].get("booktitle") == "Parent"
    assert [p.key for p in whole.problems] == ["rep", "broken", "z", "dup", "dup"]


@requires_two_cores
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "@article{a, title={A}, year=2001}\n@article{open, title={never closed\n",
            "@article{b, title={B}, year=2002}\n",
        ),
        (
            "@string{m = {One}}\n@article{a, journal=m, year=2001}\n",
            "@string{m = {Two}}\n@article{b, journal=m, year=2002}\n",
        ),
    ],
    ids=["broken block before the cut", "macro defined in both halves"],
)
def test_a_cut_that_would_change_the_result_is_not_made(
    tmp_path: Path, halves: list[object], first: str, second: str
) -> None:
    """Cut short, the broken block would fail for another reason; bibtexparser sets a macro's
    second definition aside only when it sees both: such a file is read whole."""
    path = tmp_path / "uncut.bib"
    _write_in_halves(path, first, second)
    whole = parse_bibliography([path], parallel_above=WHOLE)
    assert parse_bibliography([path], beside=converse_beside, parallel_above=0) == whole
    assert halves == []
    assert whole.problems[0].severity == "error"


def _dies_at_once(path: Path, text: str, offset: int) -> Iterator[object]:
    os._exit(1)
    yield  # steps, as those it stands in for


def _dies_after_macros(path: Path, text: str, offset: int) -> Iterator[object]:
    yield bib_module._strings_of(bib_module._split(text), offset)
    os._exit(1)


@requires_two_cores
@pytest.mark.parametrize("worker", [_dies_at_once, _dies_after_macros])
def test_a_worker_that_dies_is_made_up_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worker: object
) -> None:
    """A worker that ends before it has sent its macros, or its entries: the file is read whole."""
    path = tmp_path / "halves.bib"
    _write_in_halves(
        path,
        "@article{a, journal=later, year=2001}\n",
        "@string{later = {Later}}\n@article{b, title={B}, year=2002}\n",
    )
    whole = parse_bibliography([path], parallel_above=WHOLE)
    monkeypatch.setattr(bib_module, "_read_second_half", worker)
    assert parse_bibliography([path], beside=converse_beside, parallel_above=0) == whole
    assert whole.by_key()["a"].get("journal") == "Later"


@requires_shared
def test_plain_names_are_split_as_bibtexparser_splits_them() -> None:
    """kg splits a name of words only ("First Middle Last") itself, as bibtexparser would."""
    from kg.load.bib import _person

    def by_bibtexparser(name: str) -> tuple[str, str]:
        parts = parse_single_name_into_parts(name, strict=False)
        return decode_latex(" ".join(parts.von + parts.last)), decode_latex(" ".join(parts.first))

    plain = [n for n in _names() if not re.search(r"[{}\\,]", n) and n.lower() != "others"]
    assert len(plain) > 1000
    disagree = [n for n in plain if (_person(n).family, _person(n).given) != by_bibtexparser(n)]
    assert disagree == []


@requires_two_cores
def test_the_cli_progress_ticker_still_allows_the_second_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from kg.cli import Progress

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    with Progress(steps=False) as progress:
        progress("reading the bibliography")
        assert progress.ticker is not None and progress.ticker.is_alive()
        assert can_fork()
        other.start()
        assert not can_fork()
        done.set()
    other.join()
