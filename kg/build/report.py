"""What ``kg build`` tells its caller: what it made and what it noticed, file and line first."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BuildReport", "Note"]


@dataclass(frozen=True)
class Note:
    """Something a build noticed, at a place in an input file."""

    path: Path
    line: int
    message: str

    def shown(self, folder: Path | None = None) -> str:
        """``FILE:LINE: message``, FILE relative to ``folder`` (default: the working folder)."""
        relative = os.path.relpath(self.path, folder or Path.cwd())
        return (
            f"{relative}:{self.line}: {self.message}"
            if self.line
            else f"{relative}: {self.message}"
        )

    def __str__(self) -> str:
        return self.shown()


@dataclass(frozen=True)
class BuildReport:
    """What a build made and what it noticed."""

    output: Path
    counts: dict[str, int]
    warnings: tuple[Note, ...] = ()
    unresolved: tuple[Note, ...] = ()
    files: tuple[Path, ...] = field(default=())
    uncited: tuple[Note, ...] = ()
