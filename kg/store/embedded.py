"""The embedded store: an Oxigraph database on disk under the build folder.

``kg build`` loads the review's quads into a fresh store in a temporary folder and renames it
into place, so ``kg query`` always opens a complete store, read-only, without rebuilding.
A rebuild starts from a copy of the previous store (hard links, instant) and replaces only
the named graphs whose inputs changed; the store's ``kg-graphs.json`` records which inputs
each graph was made from.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pyoxigraph import NamedNode, Quad, RdfFormat, Store

from kg.errors import StoreError

__all__ = [
    "STORE_DIR",
    "changed_graphs",
    "load_store",
    "open_store",
    "store_manifest",
    "update_store",
]

STORE_DIR = "store"
MANIFEST = "kg-graphs.json"
"""In a built store: each named graph (``<iri>``) and the key of the inputs it was made from."""


def load_store(
    quads: Iterable[Quad] | Path, path: Path, keys: Mapping[str, str] | None = None
) -> Store:
    """Create a new store at ``path`` (which must not exist yet) holding ``quads``, or the
    quads of a TriG file (parsed and loaded by pyoxigraph, without holding the GIL).

    ``keys``, each graph's input key, are recorded so that a later build can update the store
    (``update_store``). The store is returned open for writing; drop it before moving its
    folder.
    """
    if path.exists():
        raise StoreError(f"{path}: already exists; kg only loads into a new folder")
    store = Store(str(path))
    if isinstance(quads, Path):
        store.bulk_load(path=str(quads), format=RdfFormat.TRIG)
    else:
        store.bulk_extend(quads)
    store.flush()
    store.optimize()
    if keys is not None:
        _write_manifest(path, keys)
    return store


def store_manifest(path: Path) -> dict[str, str] | None:
    """The graphs of the built store at ``path`` with the keys of the inputs each was made
    from, or None when it cannot be reused by ``update_store``: missing, from a build that
    recorded no keys, or written to since by ``kg query --update`` (which drops the record)."""
    if not (path / "CURRENT").is_file():
        return None
    try:
        recorded = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict) or not all(isinstance(v, str) for v in recorded.values()):
        return None
    return recorded


def changed_graphs(recorded: Mapping[str, str], keys: Mapping[str, str]) -> list[str]:
    """The graphs to replace or remove in a store made with ``recorded`` keys to give ``keys``."""
    return sorted(g for g in set(recorded) | set(keys) if recorded.get(g) != keys.get(g))


def update_store(
    previous: Path,
    path: Path,
    keys: Mapping[str, str],
    quads_of: Callable[[str], Iterable[Quad]],
) -> bool:
    """Make the store at ``path`` from a copy of the ``previous`` build's store, replacing
    only the graphs whose key differs from the one recorded there and removing those no
    longer made; ``quads_of(graph)`` gives a graph's quads.

    The copy is a RocksDB checkpoint: hard links to the previous store's immutable files, so
    it costs nothing and the previous store is never changed. Returns False, writing
    nothing, when the previous store cannot be reused (``store_manifest``).
    """
    recorded = store_manifest(previous)
    if recorded is None or path.exists():
        return False
    try:
        Store.read_only(str(previous)).backup(str(path))
    except OSError:
        return False
    store = Store(str(path))
    for graph in changed_graphs(recorded, keys):
        if graph in recorded:
            store.remove_graph(NamedNode(graph[1:-1]))
        if graph in keys:
            store.bulk_extend(quads_of(graph))
    # No optimize(): compacting the whole store after a small change costs seconds at 1M
    # triples (4.5 s measured), more than the rest of the update.
    store.flush()
    del store
    _write_manifest(path, keys)
    return True


def _write_manifest(path: Path, keys: Mapping[str, str]) -> None:
    text = json.dumps(dict(sorted(keys.items())), indent=1)
    (path / MANIFEST).write_text(text + "\n", encoding="utf-8")


def open_store(path: Path, *, writable: bool = False) -> Store:
    """Open a built store, read-only unless ``writable`` (for ``kg query --update``).

    A missing or damaged store says to run ``kg build``. The next ``kg build`` replaces a
    store, so what an update writes lasts until then: opening it writable drops its record
    of the inputs each graph came from, so that build loads every graph anew.
    """
    if not (path / "CURRENT").is_file():
        raise StoreError(f"no built store at {path}; run `kg build` first")
    try:
        store = Store(str(path)) if writable else Store.read_only(str(path))
    except OSError as error:
        if writable and "lock" in str(error).lower():
            raise StoreError(f"{path}: the store is in use by another kg; try again") from None
        raise StoreError(f"{path}: cannot open the store ({error}); run `kg build` again") from None
    if writable:
        try:
            (path / MANIFEST).unlink(missing_ok=True)
        except OSError as error:
            raise StoreError(f"{path / MANIFEST}: cannot remove ({error.strerror})") from None
    return store
