"""The code, tests, benchmarks and notebooks are lint- and format-clean (ruff) and the package
type-checks (mypy), as pyproject.toml says; the views' script passes ESLint, as
eslint.config.mjs says."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.skipif(
    importlib.util.find_spec("ruff") is None,
    reason="ruff is not installed (pip install -e '.[test]')",
)
@pytest.mark.parametrize("args", [["check"], ["format", "--check"]])
def test_ruff(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (pip install -e '.[test]')",
)
def test_mypy() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


ESLINT = ROOT / "node_modules" / ".bin" / "eslint"


@pytest.mark.skipif(
    shutil.which("node") is None, reason="node is not installed; the views' script is not linted"
)
@pytest.mark.skipif(
    not ESLINT.exists(),
    reason="eslint is not installed (npm ci, as .ci/run does); the views' script is not linted",
)
def test_eslint() -> None:
    scripts = sorted((ROOT / "kg" / "outputs").glob("*.js"))
    assert scripts, "no script in kg/outputs"
    scripts += sorted((ROOT / "kg" / "serve").glob("*.js"))
    result = subprocess.run(
        [ESLINT, "--max-warnings", "0", *scripts],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
