"""The package is laid out as the flow (docs/architecture.md): each stage imports only the
stages before it, no two modules import each other in a circle, and only the build, the checks
and the CLI decide where work runs in parallel (``kg.parallel``).

Imports are read from the source (``ast``), those deferred into functions included: a late
import hides a cycle, it does not end it. Imports under ``TYPE_CHECKING`` are left out.
"""

from __future__ import annotations

import ast

import networkx as nx
import pytest

from .conftest import ROOT

PACKAGE = ROOT / "kg"

# Each stage, in the order of the flow; a module may import its own stage or an earlier one.
STAGES = (
    ("kg.errors", "kg.iris", "kg.prefixes", "kg.namespaces", "kg.config", "kg.parallel"),
    ("kg.load",),
    ("kg.graph",),
    ("kg.store",),
    ("kg.projections",),
    ("kg.outputs",),
    ("kg.checks",),
    ("kg.build",),
    ("kg.serve",),
    ("kg.cli", "kg.scaffold"),
)
# Process machinery: how and where work runs, chosen by whoever runs the stages.
MACHINERY = "kg.parallel"
MAY_RUN_IN_PARALLEL = ("kg.build", "kg.checks", "kg.serve", "kg.cli", "kg.parallel")


def _module_names() -> dict[str, ast.Module]:
    trees = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts).removesuffix(".__init__")
        trees[name] = ast.parse(path.read_text(encoding="utf-8"))
    return trees


def _imports(name: str, tree: ast.Module, known: set[str]) -> set[str]:
    typing_only = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for node in ast.walk(branch)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join([*name.split(".")[: -node.level], node.module])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target not in (name, "kg"):
                found.add(target)
    return found


def _graph() -> nx.DiGraph:
    trees = _module_names()
    graph = nx.DiGraph()
    graph.add_nodes_from(trees)
    for name, tree in trees.items():
        graph.add_edges_from((name, target) for target in _imports(name, tree, set(trees)))
    return graph


def _stage(module: str) -> int:
    for rank, prefixes in enumerate(STAGES):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no stage: add it to STAGES and the docs")


IMPORTS = _graph()


def test_the_import_graph_was_read() -> None:
    """The checks below see the real imports (a reader that found none would pass them)."""
    assert IMPORTS.has_edge("kg.build.pipeline", "kg.build.inputs")
    assert IMPORTS.has_edge("kg.load.claims", "kg.load.citations")
    assert IMPORTS.number_of_edges() > 80


def test_no_import_cycles() -> None:
    assert list(nx.simple_cycles(IMPORTS)) == []


@pytest.mark.parametrize("module", sorted(IMPORTS), ids=str)
def test_a_module_imports_only_its_own_and_earlier_stages(module: str) -> None:
    later = [t for t in IMPORTS.successors(module) if _stage(t) > _stage(module)]
    assert later == [], f"{module} (stage {_stage(module)}) imports a later stage"


def test_only_the_build_checks_and_cli_know_about_processes() -> None:
    users = sorted(m for m in IMPORTS if any(t.startswith(MACHINERY) for t in IMPORTS[m]))
    assert users
    assert [m for m in users if not m.startswith(MAY_RUN_IN_PARALLEL)] == []
