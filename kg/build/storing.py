"""The build's ``graph.trig`` and store, written in a thread while the views are drawn.

pyoxigraph loads and updates a store without holding the interpreter, so the store takes the
machine's second core while this process reads the rows and draws. A rebuild copies the
previous build's store and replaces the graphs that changed, unless they hold half the triples
or the previous store cannot be opened; then the store is loaded anew from the TriG.

>>> with StoreWriter(staging, output, graphs) as store:  # doctest: +SKIP
...     draw_the_views()  # while the store is written
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

from kg.build.graphs import ReviewGraphs
from kg.graph import trig_parts
from kg.store.embedded import (
    STORE_DIR,
    changed_graphs,
    load_store,
    store_manifest,
    update_store,
)

__all__ = ["StoreWriter"]


class StoreWriter:
    """Writes ``staging/graph.trig`` and ``staging/store`` in a thread from entering the block
    to leaving it (which waits for it, and raises what it raised). The store is closed when
    made, so that its folder can be moved."""

    def __init__(self, staging: Path, output: Path, graphs: ReviewGraphs) -> None:
        self.trig = staging / "graph.trig"
        self.path = staging / STORE_DIR
        self.previous = output / STORE_DIR
        self.graphs = graphs
        changed = _to_replace(self.previous, graphs)
        self.updating = changed is not None
        """Whether the previous build's store is updated (a rebuild), not loaded anew."""
        self.changed = changed or []
        """The graphs replaced in a copy of the previous store, when ``updating``."""
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._writing: Future[None] | None = None

    def __enter__(self) -> StoreWriter:
        self._writing = self._pool.submit(self._write)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._pool.shutdown()  # waits for the thread
        if kind is None and self._writing is not None:
            self._writing.result()

    def _write(self) -> None:
        with open(self.trig, "wb") as out:
            out.writelines(trig_parts(self.graphs.blocks))
        keys = self.graphs.keys
        if self.updating and update_store(self.previous, self.path, keys, self.graphs.quads_of):
            return
        load_store(self.trig, self.path, keys)


def _to_replace(previous: Path, graphs: ReviewGraphs) -> list[str] | None:
    """The graphs to replace in a copy of the ``previous`` store to make the build's, or None
    when it is best loaded anew: there is no previous store, or they hold half the triples."""
    recorded = store_manifest(previous)
    if recorded is None:
        return None
    changed = changed_graphs(recorded, graphs.keys)
    replaced = sum(graphs.counts.get(graph, 0) for graph in changed)
    return changed if 2 * replaced < graphs.triples else None
