"""A build's outputs made in a staging folder and swapped into place together.

A failed or interrupted build leaves the previous outputs as they were: everything is written
into a temporary folder beside them and renamed into place only when all of it has been made.
A lock file keeps two builds of one review from writing at once.

>>> with build_lock(output), staged(output) as staging:  # doctest: +SKIP
...     (staging / "review.md").write_text(summary)
...     swap_into_place(staging, output)
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import StoreError
from kg.store.embedded import STORE_DIR

__all__ = ["OPTIONAL_OUTPUTS", "OUTPUTS", "build_lock", "staged", "swap_into_place"]

OUTPUTS = (
    "graph.trig",
    "index.html",
    "map.html",
    "citations.html",
    "co-citation.html",
    "themes.html",
    "timeline.html",
    "review.md",
    STORE_DIR,
)
"""What a build writes into its output folder, each swapped into place at the end."""

OPTIONAL_OUTPUTS = ("texts",)
"""What a build writes only for some reviews (the PDFs' extracted texts): swapped into place
when made, and an earlier build's removed when not, so the outputs always agree."""


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """Hold the output folder's lock for the block; another build holding it: ``StoreError``."""
    output.mkdir(parents=True, exist_ok=True)
    with open(output / ".kg-build.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{output}: another kg build is writing here; try again") from None
        yield


@contextlib.contextmanager
def staged(output: Path) -> Iterator[Path]:
    """A new staging folder inside ``output``, removed after the block with what is left in it
    (as are those of builds that were killed)."""
    for stale in output.glob(".kg-build-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".kg-build-", dir=output))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_into_place(staging: Path, output: Path) -> tuple[Path, ...]:
    """Move every one of ``OUTPUTS`` (and ``OPTIONAL_OUTPUTS`` made) from ``staging`` into
    ``output``; the new paths."""
    placed = []
    for name in OUTPUTS:
        new, final = staging / name, output / name
        if new.is_dir() and final.exists():
            _exchange(new, final)
        else:
            os.replace(new, final)
        placed.append(final)
    for name in OPTIONAL_OUTPUTS:
        new, final = staging / name, output / name
        if new.exists():
            if final.exists():
                _exchange(new, final)  # the earlier one is left in staging, to be removed
            else:
                os.replace(new, final)
            placed.append(final)
        elif final.exists():
            os.replace(final, new)
    return tuple(placed)


def _exchange(first: Path, second: Path) -> None:
    """Swap two folders in one step, so a build killed here never leaves no store at all.

    Linux's ``renameat2(RENAME_EXCHANGE)`` does it atomically; where it is missing (another
    system, an old kernel or filesystem) the old folder is moved aside and the new one in.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd, rename_exchange = -100, 2
    if renameat2 is not None and (
        renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0
    ):
        return
    aside = first.with_name(f"{first.name}.old")
    os.replace(second, aside)
    os.replace(first, second)
    os.replace(aside, first)
