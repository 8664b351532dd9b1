"""The build cache: what one build worked out from its inputs, kept for the next.

A rebuild after one text changed reads everything else from here, so it makes one claims
graph, not all of them. Every entry is keyed by a hash of what it was made from (files'
contents, kg's version and source), so a changed input simply misses.

>>> cache = BuildCache(Path("build") / CACHE_DIR)  # doctest: +SKIP
>>> cache.put("themes", file_key(Path("ontology/themes.ttl")), scheme)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from kg import __version__
from kg.parallel.collector import collection_paused

__all__ = ["CACHE_DIR", "BuildCache", "code_version", "file_key", "key_of"]

CACHE_DIR = ".cache"


class BuildCache:
    """What a build worked out from its inputs, kept in ``build/.cache`` for the next build.

    An entry's key is a hash of everything it was made from (file contents, kg's version and
    source), so a changed input simply misses; only kg writes and reads these files (pickles).
    Entries are written atomically, a damaged one counts as missing, and ``prune`` drops those
    the last build did not use. Entries can be read ahead (``read_ahead``), while a process
    has nothing else to do, and ``get`` then hands each out from memory.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self._ahead: dict[str, Any] = {}

    def _path(self, kind: str, key: str) -> Path:
        name = self._name(kind, key)
        self.used.add(name)
        return self.folder / name

    @staticmethod
    def _name(kind: str, key: str) -> str:
        return f"{kind}-{hashlib.sha256(f'{code_version()}:{key}'.encode()).hexdigest()[:32]}"

    def keep(self, kind: str, key: str) -> None:
        """Keep the entry under ``kind`` and ``key`` through ``prune``, read or not."""
        self._path(kind, key)

    def has(self, kind: str, key: str) -> bool:
        """Whether an entry is stored under ``kind`` and ``key`` (it may still be damaged);
        like ``get``, this keeps it through ``prune``."""
        return self._path(kind, key).is_file()

    def get(self, kind: str, key: str) -> Any:
        """The value stored under ``kind`` and ``key``, or None."""
        path = self._path(kind, key)
        if path.name in self._ahead:
            return self._ahead.pop(path.name)
        return _unpickled(path)

    def read_ahead(
        self,
        kind: str,
        keys: Iterable[str] | None = None,
        *,
        until: Callable[[], bool] = lambda: False,
    ) -> int:
        """Read the entries of ``kind`` under ``keys`` (all of that kind in the folder, if
        None) now, for ``get`` to hand each out once, from memory, stopping early once
        ``until()``; the number found.

        An entry's name is a hash of its key, and a key a hash of what the value was made
        from, so a value read ahead is the one ``get`` would read later. This is for a
        process that waits for work it can guess (:mod:`kg.build.drawing`): what a build
        used is what the next one mostly needs."""
        if keys is None:
            names = [path.name for path in self.folder.glob(f"{kind}-*")]
        else:
            names = [self._name(kind, key) for key in keys]
        found = 0
        for name in names:
            if until():
                break
            value = _unpickled(self.folder / name)
            if value is not None:
                self._ahead[name] = value
                found += 1
        return found

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value``; a cache that cannot be written only makes the next build slower."""
        path = self._path(kind, key)
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            finally:
                Path(temporary).unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove the entries this build did not use (and stray temporary files)."""
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if path.name not in self.used:
                    path.unlink(missing_ok=True)


def _unpickled(path: Path) -> Any:
    """The value pickled at ``path``, or None."""
    try:
        # Many small objects, none in cycles: unpickled with the cycle collector paused,
        # a 10,000-work bibliography loads in half the time.
        with open(path, "rb") as handle, collection_paused():
            return pickle.load(handle)
    except Exception:  # missing, damaged or from another kg: the value is made again
        return None


@cache
def code_version() -> str:
    """kg's version and a hash of its source and named queries: cached records pickled by
    other code are never read back (a changed record class would load wrong, or not at all),
    nor rows a changed query would answer otherwise (a graph's cached rows)."""
    digest = hashlib.sha256(__version__.encode())
    for module in source_files():
        digest.update(module.read_bytes())
    return digest.hexdigest()


def source_files() -> list[Path]:
    """kg's modules and named queries, which :func:`code_version` hashes."""
    package = Path(__file__).resolve().parents[1]
    return sorted([*package.rglob("*.py"), *package.rglob("*.rq")])


def key_of(*parts: str) -> str:
    """A key made of other keys and strings."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def file_key(*paths: Path) -> str:
    """A key of the files' names and contents; a missing file hashes as missing."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\0".encode())
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
