"""Themes to and from REFI-QDA codebooks: schema-valid exports, and round trips that keep
labels, definitions, tagging words and the hierarchy."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from kg.cli import main
from kg.errors import InputError
from kg.load.themes import ThemeScheme, load_themes
from kg.outputs.qda import NAMESPACE, code_guid, export_codebook, import_codebook, schema_path

from .conftest import ROOT, write_config

THEMES = ROOT / "ontology" / "themes.ttl"


@pytest.fixture(scope="module")
def scheme() -> ThemeScheme:
    return load_themes(THEMES)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    with schema_path().open("rb") as handle:
        return etree.XMLSchema(etree.parse(handle))


def _structure(scheme: ThemeScheme) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """Each theme by label: its definition, tagging words and broader themes' labels."""
    labels = {t.ident: t.label for t in scheme.themes}
    return {
        t.label: (t.definition, t.alt_labels, tuple(sorted(labels[b] for b in t.broader)))
        for t in scheme.themes
    }


def test_export_is_valid_against_the_standard_schema(scheme, schema, tmp_path: Path) -> None:
    data = export_codebook(scheme)
    document = etree.fromstring(data)
    schema.assertValid(document)
    assert document.tag == f"{{{NAMESPACE}}}CodeBook"
    assert document.get("origin") == "kg"
    codes = document.findall(f".//{{{NAMESPACE}}}Code")
    assert len(codes) == len(scheme.themes) == 21
    role_models = next(c for c in codes if c.get("name") == "Role models and experts by experience")
    nested = [c.get("name") for c in role_models.findall(f"{{{NAMESPACE}}}Code")]
    assert nested == ["Authenticity"]
    assert export_codebook(scheme) == data


def test_guids_are_uuid5_of_the_concept_iri(scheme) -> None:
    theme = scheme.by_ident()["hope"]
    assert code_guid(theme.iri) == str(uuid.uuid5(uuid.NAMESPACE_URL, theme.iri))
    assert f'guid="{code_guid(theme.iri)}" name="Hope"' in export_codebook(scheme).decode()


def test_round_trip_keeps_labels_definitions_words_and_hierarchy(scheme, tmp_path: Path) -> None:
    codebook = tmp_path / "codebook.qdc"
    codebook.write_bytes(export_codebook(scheme))
    fresh = tmp_path / "fresh.ttl"
    fresh.write_bytes(import_codebook(codebook, base="https://example.org/themes/"))
    again = load_themes(fresh)
    assert _structure(again) == _structure(scheme)
    assert again.by_ident()["role-models-and-experts-by-experience"].broader == ("peer-mentoring",)
    kept = tmp_path / "kept.ttl"
    kept.write_bytes(import_codebook(codebook, previous=scheme))
    same_ids = load_themes(kept)
    assert [t.iri for t in same_ids.themes] == [t.iri for t in scheme.themes]
    assert same_ids.iri == scheme.iri
    assert _structure(same_ids) == _structure(scheme)


def test_import_from_another_tool(tmp_path: Path) -> None:
    """A hand-written codebook as a QDA tool writes it: GUIDs in braces, codes without
    descriptions, a new code beside codes kg exported."""
    codebook = tmp_path / "nvivo.qdc"
    codebook.write_text(
        f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NAMESPACE}" origin="NVivo">
  <Codes>
    <Code guid="{{8C7B5B8E-3C2A-4C47-9D7F-2B1F3A0E6D11}}" name="Stigma" isCodable="true">
      <Description>Being marked out as an offender.</Description>
      <Code guid="0d6f1a4e-7b9c-4e21-8a3d-5f2c1b0e9a77" name="Criminal record"
            isCodable="true" color="#FF0000"/>
    </Code>
    <Code guid="2a1e4f6b-9c3d-4e8a-b7f0-1d2c3b4a5e6f" name="Hope" isCodable="false"/>
  </Codes>
</CodeBook>
""",
        encoding="utf-8",
    )
    turtle = tmp_path / "themes.ttl"
    turtle.write_bytes(import_codebook(codebook, base="https://example.org/t/"))
    scheme = load_themes(turtle)
    themes = scheme.by_ident()
    assert sorted(themes) == ["criminal-record", "hope", "stigma"]
    assert themes["criminal-record"].broader == ("stigma",)
    assert themes["stigma"].definition == "Being marked out as an offender."
    assert themes["stigma"].alt_labels == ("stigma",)
    assert scheme.title == "nvivo"


def test_bad_codebooks_say_where(tmp_path: Path) -> None:
    broken = tmp_path / "broken.qdc"
    broken.write_text("<CodeBook>\n  <Codes>\n</CodeBook>\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        import_codebook(broken)
    assert str(error.value) == f"{broken}:3:2: not well-formed XML"
    other = tmp_path / "project.qde"
    other.write_text('<Project xmlns="urn:QDA-XML:project:1.0"/>', encoding="utf-8")
    with pytest.raises(InputError, match="the root element is <Project>, not <CodeBook>"):
        import_codebook(other)


def test_cli_themes_export_and_import(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    runner = CliRunner()
    exported = runner.invoke(
        main, ["themes", "export", "-o", str(tmp_path / "codebook.qdc"), "-c", str(config)]
    )
    assert exported.exit_code == 0, exported.output
    assert exported.stderr.strip() == f"Wrote {tmp_path / 'codebook.qdc'}"
    imported = runner.invoke(
        main,
        ["themes", "import", str(tmp_path / "codebook.qdc"), "-o", str(tmp_path / "t.ttl"),
         "-c", str(config)],
    )  # fmt: skip
    assert imported.exit_code == 0, imported.output
    assert [t.iri for t in load_themes(tmp_path / "t.ttl").themes] == [
        t.iri for t in load_themes(THEMES).themes
    ]
    to_stdout = runner.invoke(main, ["themes", "export", "--themes", str(THEMES)])
    assert to_stdout.exit_code == 0
    assert to_stdout.stdout.startswith('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook')
    missing = runner.invoke(main, ["themes", "import", str(tmp_path / "none.qdc")])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"Error: {tmp_path / 'none.qdc'}: codebook not found"
