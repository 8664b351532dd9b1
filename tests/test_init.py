"""`kg init` makes a review that builds at once; reference managers' conventions work:
`file` fields attach full texts (Zotero, JabRef), Better BibTeX keys are kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.pipeline import build_review
from kg.cli import main
from kg.config import attached_texts, load_config
from kg.errors import InputError
from kg.scaffold import init_review

from .conftest import ROOT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_init_then_build(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "my-review"
    made = runner.invoke(main, ["init", str(folder)])
    assert made.exit_code == 0, made.output
    assert made.stdout == ""
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert names == [
        ".gitignore", "claims.yaml", "kg.toml", "references.bib", "texts/draft.txt", "themes.ttl",
    ]  # fmt: skip
    assert f"Next: cd {folder} && kg build" in made.stderr
    review = load_config(folder / "kg.toml")
    assert review.title == "My review"
    assert review.base == "https://w3id.org/kg/review/my-review/"
    built = runner.invoke(main, ["build", "-c", str(folder / "kg.toml")])
    assert built.exit_code == 0, built.output
    assert "4 works" in built.stderr and "3 claims" in built.stderr
    assert "not resolved" not in built.stderr and "warning" not in built.stderr
    answer = runner.invoke(
        main, ["query", "authors-by-theme", "--theme", "method", "-c", str(folder / "kg.toml")]
    )
    assert answer.exit_code == 0, answer.output
    assert "Virginia Braun" in answer.stdout
    for output in ("graph.trig", "map.html", "review.md"):
        assert (folder / "build" / output).is_file()


def test_build_inside_the_new_review(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_review(tmp_path / "review", title='A "quoted" title')
    monkeypatch.chdir(tmp_path / "review")
    built = runner.invoke(main, ["-q", "build"])
    assert built.exit_code == 0, built.output
    assert load_config(tmp_path / "review" / "kg.toml").title == 'A "quoted" title'
    summary = (tmp_path / "review" / "build" / "review.md").read_text(encoding="utf-8")
    assert summary.startswith('# A "quoted" title')
    assert "(Braun and Clarke, 2006: 79)" in summary


def test_init_refuses_a_folder_that_is_not_empty(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(main, ["init", str(tmp_path)])
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"Error: {tmp_path}: is not empty; kg init only writes into a new or empty folder"
        " (to build an existing review, run `kg build` there)"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(main, ["-q", "init", str(empty)]).exit_code == 0
    assert (empty / "kg.toml").is_file()
    with pytest.raises(InputError, match="is a file"):
        init_review(tmp_path / "notes.txt")


ZOTERO_BIB = r"""
@book{marunaMakingGoodHow2001,
  author = {Maruna, Shadd},
  title = {Making Good: How Ex-Convicts Reform and Rebuild Their Lives},
  year = {2001},
  publisher = {American Psychological Association}
}

@article{websterUnidentifiedMentor2013,
  author = {Webster, Russell},
  title = {The Unidentified Mentor},
  year = {2013},
  file = {Full Text PDF:files/7/webster.pdf:application/pdf}
}

@unpublished{doeDraftChapterPeer2024,
  author = {Doe, Jane},
  title = {Draft chapter on peer work},
  year = {2024},
  file = {Full Text:files/12/doe2024.txt:text/plain}
}

@misc{roeNotesMentoring2023,
  author = {Roe, Richard},
  title = {Notes on mentoring},
  year = {2023},
  file = {:notes/roe.md:Markdown}
}
"""


def _zotero_review(folder: Path, *, from_file_field: bool = True) -> Path:
    (folder / "files" / "12").mkdir(parents=True)
    (folder / "notes").mkdir()
    (folder / "references.bib").write_text(ZOTERO_BIB, encoding="utf-8")
    (folder / "files" / "12" / "doe2024.txt").write_text(
        "Peer mentors act as role models (Webster, 2013).\n", encoding="utf-8"
    )
    (folder / "notes" / "roe.md").write_text(
        "Maruna (2001) found that desisters tell a redemption script.\n", encoding="utf-8"
    )
    config = folder / "kg.toml"
    config.write_text(
        f'title = "Zotero export"\nbibliography = "references.bib"\n'
        f'themes = "{ROOT / "ontology" / "themes.ttl"}"\n'
        f"texts_from_file_field = {str(from_file_field).lower()}\n",
        encoding="utf-8",
    )
    return config


def test_file_fields_attach_full_texts_and_keys_are_kept(tmp_path: Path) -> None:
    report = build_review(_zotero_review(tmp_path))
    assert report.counts["claims"] == 2
    assert report.unresolved == ()
    trig = (report.output / "graph.trig").read_text(encoding="utf-8")
    for key in ("doeDraftChapterPeer2024", "roeNotesMentoring2023"):
        assert f"graph/claims/{key}>" in trig
    assert 'kg:bibKey "marunaMakingGoodHow2001"' in trig
    assert 'kg:bibKey "websterUnidentifiedMentor2013"' in trig


def test_file_fields_can_be_ignored(tmp_path: Path) -> None:
    report = build_review(_zotero_review(tmp_path, from_file_field=False))
    assert report.counts["claims"] == 0


@pytest.mark.parametrize(
    ("field", "found"),
    [
        ("Full Text:files/12/doe2024.txt:text/plain", ["files/12/doe2024.txt"]),
        ("files/12/doe2024.txt", ["files/12/doe2024.txt"]),
        (":notes/roe.md:Markdown", ["notes/roe.md"]),
        ("Snapshot:files/7/page.html:text/html;Text:notes/roe.md:text/markdown", ["notes/roe.md"]),
        ("Full Text PDF:files/7/webster.pdf:application/pdf", []),
        ("files/missing.txt", []),
    ],
)
def test_attached_texts(tmp_path: Path, field: str, found: list[str]) -> None:
    (tmp_path / "files" / "12").mkdir(parents=True)
    (tmp_path / "notes").mkdir()
    (tmp_path / "files" / "12" / "doe2024.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes" / "roe.md").write_text("x", encoding="utf-8")
    paths = attached_texts(field, tmp_path / "references.bib")
    assert paths == [tmp_path / name for name in found]
