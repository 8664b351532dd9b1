"""Python's cycle collector paused while kg builds large structures in bulk.

Reading a bibliography, a review's rows or drawing its views allocates millions of objects,
and every few thousand allocations start a collection that, once the heap is large, walks all
of it: a tenth of the time of reading a large bibliography, a third of that of the views at
10,000 works. Reference counting still frees everything but cycles; the only large ones, the
projections' graphs, are emptied by :func:`kg.outputs.views.write_view` once drawn. A process
forked inside the block inherits the setting, so it does not write to (and copy) the memory it
shares.

The stages never pause it themselves: whoever runs them does, each kg command for its whole run
(:func:`kg.cli.main`) and ``kg build`` for the build (:mod:`kg.build.pipeline`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collection_paused"]


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Run the block with the cycle collector off; as it was, after (nesting is safe)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
