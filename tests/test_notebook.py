"""The notebook runs from a clean kernel on the seed review, and is kept without outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import ROOT, write_config

NOTEBOOK = ROOT / "notebooks" / "01-explore.ipynb"


def test_committed_notebook_has_no_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert len(code) >= 8
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_notebook_uses_only_public_functions() -> None:
    source = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == "code"
    )
    assert "from kg." in source
    for line in source.splitlines():
        if line.startswith("from kg."):
            module, _, names = line.removeprefix("from ").partition(" import ")
            imported = __import__(module, fromlist=["__all__"])
            for name in names.split(", "):
                assert name in imported.__all__, f"{module}.{name} is not public"


def test_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("KG_REVIEW_CONFIG", str(write_config(tmp_path)))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "18 works" in text
    assert "Peggy C. Giordano" in text
    assert "betweenness" in text and "Peer mentoring" in text
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<iframe srcdoc=" in page for page in html)
    assert (tmp_path / "build" / "graph.trig").is_file()
