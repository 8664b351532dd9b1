"""kg.toml reading: the bundled one, and clear errors for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import find_config, load_config
from kg.errors import ConfigError

from .conftest import BIB, ROOT, write_config


def test_bundled_config_is_found_at_the_root() -> None:
    assert find_config(ROOT) == ROOT / "bib" / "kg.toml"
    review = load_config(find_config(ROOT))
    assert review.texts[0].work == "nixon2020giving"
    assert review.texts[0].path == BIB / "nixon2020-excerpt.txt"
    assert review.themes.resolve() == ROOT / "ontology" / "themes.ttl"
    assert review.output.resolve() == ROOT / "build"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "3"}, "'title' must be a non-empty string"),
        ({"base": '"not an iri"'}, "'base' must be an IRI"),
        ({"bibliography": "12"}, "'bibliography' must be a file name"),
        ({"texts": '["x"]'}, "texts entry 1 needs"),
    ],
)
def test_wrong_types_name_the_key(tmp_path: Path, overrides: dict, message: str) -> None:
    path = write_config(tmp_path, **overrides)
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path)
    assert str(path) in str(error.value)


def test_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "kg.toml"
    path.write_text("title = [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)


def test_no_config_found(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no kg\.toml"):
        find_config(tmp_path)
