"""Which files a review is built from, and a poll of their state that says when one changed.

Stat polling, not inotify: it needs no dependency, works on every file system (network and
container mounts included) and costs a few microseconds a file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kg.config import Review, attached_texts, load_config

__all__ = ["input_files", "snapshot"]

FILE_FIELD = re.compile(r"\bfile\s*=\s*[{\"](.*?)[}\"]\s*[,}\n]", re.I)


def input_files(config: Path) -> list[Path]:
    """Every file the review described by ``config`` reads: the kg.toml, its bibliographies,
    the texts it names and those the bibliographies' ``file`` fields attach, the themes, the
    curated claims and the saved layouts. A kg.toml that cannot be read gives itself alone
    (its fix is a change to watch for)."""
    try:
        review = load_config(config)
    except Exception:  # a broken kg.toml: the build says what is wrong; watch for its fix
        return [config]
    return [config, *_review_files(review)]


def _review_files(review: Review) -> list[Path]:
    files = [*review.bibliographies, *(t.path for t in review.texts), review.themes]
    if review.claims is not None:
        files.append(review.claims)
    files.extend(review.layout)
    if review.texts_from_file_field:
        for bib in review.bibliographies:
            try:
                text = bib.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for field in FILE_FIELD.findall(text):
                files.extend(attached_texts(field, bib))
    return list(dict.fromkeys(files))


def snapshot(files: list[Path]) -> tuple[tuple[int, int, int] | None, ...]:
    """Each file's (modification time, size, inode), or None where it is missing."""
    states: list[tuple[int, int, int] | None] = []
    for path in files:
        try:
            status = os.stat(path)
        except OSError:
            states.append(None)
            continue
        states.append((status.st_mtime_ns, status.st_size, status.st_ino))
    return tuple(states)
