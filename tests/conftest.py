"""Shared fixtures: the bundled seed review, built once per test session into a temp folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "bib"
SHARED = ROOT.parent / "shared"

requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason="../shared (seed gold file and corpora) is not beside this clone"
)


def write_config(folder: Path, **overrides: str) -> Path:
    """A kg.toml in ``folder`` for the bundled review, writing its outputs into ``folder``."""
    values = {
        "title": '"Seed review"',
        "base": '"https://example.org/review/"',
        "bibliography": f'["{BIB / "references.bib"}"]',
        "themes": f'"{ROOT / "ontology" / "themes.ttl"}"',
        "claims": f'"{BIB / "claims.yaml"}"',
        "output": f'"{folder / "build"}"',
        "texts": f'[{{path = "{BIB / "nixon2020-excerpt.txt"}", work = "nixon2020giving"}}]',
    }
    values.update(overrides)
    text = "\n".join(f"{key} = {value}" for key, value in values.items() if value is not None)
    path = folder / "kg.toml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The seed review built once: (report, config path)."""
    from kg.build import build_review

    folder = tmp_path_factory.mktemp("seed")
    config = write_config(folder)
    return build_review(config), config


@pytest.fixture(scope="session")
def store(built):
    """The built seed review's store, opened read-only."""
    from kg.store import open_store

    report, _ = built
    return open_store(report.output / "store")
