"""Saved layouts (kg.outputs.layout) and kg.toml's ``layout`` key: read back, refused with one
line naming the file when wrong, and merged by view when written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.config import load_config
from kg.errors import ConfigError
from kg.outputs.layout import Placed, layout_document, read_layouts, write_layout

from .conftest import write_config


def test_a_layout_file_reads_back_by_view_and_node(tmp_path: Path) -> None:
    path = tmp_path / "layout.json"
    document = layout_document(
        "map", {"theme:hope": (12.0, -3.0), "author:x": (1, 2)}, ["theme:hope"]
    )
    path.write_text(json.dumps(document), encoding="utf-8")
    assert read_layouts([path, tmp_path / "not-saved-yet.json"]) == {
        "map": {"theme:hope": Placed(12.0, -3.0, True), "author:x": Placed(1.0, 2.0, False)}
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not a layout file (not JSON"),
        ('{"views": {}}', 'not a layout file (no "kg-layout": 1)'),
        ('{"kg-layout": 1, "views": []}', '"views" must map view names to nodes'),
        (
            '{"kg-layout": 1, "views": {"map": {"theme:hope": {"x": "a", "y": 1}}}}',
            'view "map", node "theme:hope": expected {"x": number',
        ),
    ],
)
def test_a_bad_layout_file_is_one_line_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "layout.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        read_layouts([path])
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value) and "\n" not in str(raised.value)


def test_writing_a_layout_keeps_the_other_views(tmp_path: Path) -> None:
    path = tmp_path / "layout.json"
    write_layout(path, layout_document("map", {"a": (1, 1)}, ["a"]))
    write_layout(path, layout_document("citations", {"b": (2, 2)}))
    write_layout(path, layout_document("map", {"a": (5, 6)}, ["a"]))
    assert read_layouts([path]) == {
        "map": {"a": Placed(5.0, 6.0, True)},
        "citations": {"b": Placed(2.0, 2.0, False)},
    }
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ConfigError):
        write_layout(path, layout_document("map", {}))
    assert path.read_text(encoding="utf-8") == "[]"


def test_kg_toml_names_layout_files_and_a_bad_one_stops_the_build(tmp_path: Path) -> None:
    config = write_config(tmp_path, layout='["one.json", "two.json"]')
    assert load_config(config).layout == (tmp_path / "one.json", tmp_path / "two.json")
    (tmp_path / "one.json").write_text('{"kg-layout": 2}', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-c", str(config)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f'Error: {tmp_path / "one.json"}: not a layout file (no "kg-layout": 1)'
    )
    bad = write_config(tmp_path, layout="3")
    with pytest.raises(ConfigError, match="'layout' must be a file name or a list"):
        load_config(bad)


def test_a_review_reads_layout_json_beside_kg_toml_when_it_names_none(tmp_path: Path) -> None:
    """The file ``kg serve`` saves a layout into when kg.toml names none; the build reads it."""
    config = write_config(tmp_path)
    assert load_config(config).layout == (tmp_path / "layout.json",)
    from kg.build.pipeline import build_review

    report = build_review(config)
    page = (report.output / "map.html").read_text(encoding="utf-8")
    assert '"pinned":[]' in page
    write_layout(
        tmp_path / "layout.json", layout_document("map", {"theme:hope": (500, 400)}, ["theme:hope"])
    )
    page = (build_review(config).output / "map.html").read_text(encoding="utf-8")
    blob = page.split('<script type="application/json" id="kg-data">', 1)[1]
    drawn = json.loads(blob.split("</script>", 1)[0])
    assert drawn["pinned"] == ["theme:hope"]
    [hope] = [node for node in drawn["nodes"] if node["id"] == "theme:hope"]
    assert (hope["x"], hope["y"]) == (500, 400)
