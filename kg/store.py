"""The embedded store: an Oxigraph database on disk under the build folder.

``kg build`` loads the review's quads into a fresh store in a temporary folder and renames it
into place, so ``kg query`` always opens a complete store, read-only, without rebuilding.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import Quad, Store

from kg.errors import StoreError

__all__ = ["STORE_DIR", "load_store", "open_store"]

STORE_DIR = "store"


def load_store(quads: Iterable[Quad], path: Path) -> Store:
    """Create a new store at ``path`` (which must not exist yet) holding ``quads``.

    The store is returned open for writing; drop it before moving its folder.
    """
    if path.exists():
        raise StoreError(f"{path}: already exists; kg only loads into a new folder")
    store = Store(str(path))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    return store


def open_store(path: Path, *, writable: bool = False) -> Store:
    """Open a built store, read-only unless ``writable`` (for ``kg query --update``).

    A missing or damaged store says to run ``kg build``. The next ``kg build`` replaces a
    store, so what an update writes lasts until then.
    """
    if not (path / "CURRENT").is_file():
        raise StoreError(f"no built store at {path}; run `kg build` first")
    try:
        return Store(str(path)) if writable else Store.read_only(str(path))
    except OSError as error:
        if writable and "lock" in str(error).lower():
            raise StoreError(f"{path}: the store is in use by another kg; try again") from None
        raise StoreError(f"{path}: cannot open the store ({error}); run `kg build` again") from None
