"""A review's ``kg.toml``: which files make the review and where the outputs go.

>>> review = load_config("bib/kg.toml")  # doctest: +SKIP
>>> review.texts[0].work  # doctest: +SKIP
'nixon2020giving'

Paths in the file are relative to the file itself. ``find_config`` looks in the usual places
so that ``kg build`` at the root of the repository, or inside a review made by ``kg init``,
needs no option.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ConfigError

__all__ = [
    "Review",
    "TextSource",
    "attached_texts",
    "find_config",
    "load_config",
    "ontology_path",
]

DEFAULT_BASE = "https://w3id.org/kg/review/"
DEFAULT_LAYOUT = "layout.json"
"""The layout file beside kg.toml that a review reads when kg.toml names none (and where
``kg serve`` saves a layout)."""
SEARCH = (Path("kg.toml"), Path("bib") / "kg.toml")


def ontology_path() -> Path:
    """The folder holding ``kg.ttl``: the repository's ``ontology/`` or the installed copy."""
    package = Path(__file__).resolve().parent
    installed = package / "ontology"
    return installed if (installed / "kg.ttl").is_file() else package.parent / "ontology"


@dataclass(frozen=True)
class TextSource:
    """A full text and the bibliography key of the work it is the text of."""

    path: Path
    work: str


@dataclass(frozen=True)
class Review:
    """Everything ``kg build`` needs to know about one review."""

    config_path: Path
    title: str
    base: str
    bibliographies: tuple[Path, ...]
    texts: tuple[TextSource, ...]
    themes: Path
    claims: Path | None
    output: Path
    texts_from_file_field: bool = True
    view_limit: int | None = None
    """The most nodes a view of ``kg build`` draws; None: kg's default
    (``kg.projections.network``)."""
    layout: tuple[Path, ...] = ()
    """Saved layout files (``kg.outputs.layout``), a later one winning for a node; kg.toml's
    ``layout``, else :data:`DEFAULT_LAYOUT` beside it (a missing file is no layout)."""
    theme_threshold: float | None = None
    """The score (0-1) a claim's best theme needs to be kept; None: kg's default
    (``kg.load.tagging.TagSettings``)."""
    qda: tuple[Path, ...] = ()
    """REFI-QDA projects (``.qdpx``) whose coded text teaches the tagger (``kg.load.qdpx``)."""


def find_config(start: Path | None = None) -> Path:
    """The ``kg.toml`` in ``start`` (default: the working folder) or its ``bib/`` folder."""
    start = start or Path.cwd()
    for candidate in SEARCH:
        if (start / candidate).is_file():
            return start / candidate
    raise ConfigError(
        f"no kg.toml in {start} or {start / 'bib'}; give one with -c PATH or make a review"
        " with `kg init DIR`"
    )


def load_config(path: str | Path) -> Review:
    """Read and check a ``kg.toml``; every problem names the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    folder = path.parent

    def text(key: str, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: '{key}' must be a non-empty string, got {value!r}")
        return value

    def paths(key: str, *, optional: bool = False) -> tuple[Path, ...]:
        value = data.get(key)
        if optional and value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: '{key}' must be a file name or a list of file names")
        return tuple(_join(folder, v) for v in value)

    base = text("base", DEFAULT_BASE)
    if not base.startswith(("http://", "https://", "urn:")) or base[-1] not in "/#":
        raise ConfigError(f"{path}: 'base' must be an IRI ending in / or #, got {base!r}")
    claims = data.get("claims")
    if claims is not None and not isinstance(claims, str):
        raise ConfigError(f"{path}: 'claims' must be a file name, got {claims!r}")
    from_file_field = data.get("texts_from_file_field", True)
    if not isinstance(from_file_field, bool):
        raise ConfigError(
            f"{path}: 'texts_from_file_field' must be true or false, got {from_file_field!r}"
        )
    view_limit = check_view_limit(path, data.get("view_limit"))
    threshold = data.get("theme_threshold")
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float))
        or not 0 <= threshold <= 1
    ):
        raise ConfigError(
            f"{path}: 'theme_threshold' must be a number from 0 to 1, got {threshold!r}"
        )
    return Review(
        config_path=path,
        title=text("title"),
        base=base,
        bibliographies=paths("bibliography", optional=True),
        texts=tuple(_texts(path, data.get("texts", []))),
        themes=_join(folder, text("themes")),
        claims=_join(folder, claims) if claims else None,
        output=_join(folder, text("output", "build")),
        texts_from_file_field=from_file_field,
        view_limit=view_limit,
        layout=paths("layout", optional=True) or (_join(folder, DEFAULT_LAYOUT),),
        theme_threshold=float(threshold) if threshold is not None else None,
        qda=paths("qda", optional=True),
    )


def check_view_limit(path: Path, value: Any) -> int | None:
    """A kg.toml's ``view_limit`` (the most nodes a view draws by default), or None if unset."""
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise ConfigError(f"{path}: 'view_limit' must be a positive whole number, got {value!r}")
    return value


def _join(folder: Path, name: str) -> Path:
    """``name`` relative to ``folder``, with ``..`` folded away for readable messages."""
    return Path(os.path.normpath(folder / name))


def _texts(path: Path, value: Any) -> list[TextSource]:
    if not isinstance(value, list):
        raise ConfigError(f"{path}: 'texts' must be a list of [[texts]] tables")
    sources = []
    for number, item in enumerate(value, start=1):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("path"), str)
            or not isinstance(item.get("work"), str)
        ):
            raise ConfigError(
                f'{path}: texts entry {number} needs path = "FILE" and work = "BIBKEY"'
            )
        sources.append(TextSource(_join(path.parent, item["path"]), item["work"]))
    return sources


TEXT_SUFFIXES = (".txt", ".md", ".pdf")


def attached_texts(file_field: str, bib_path: str | Path) -> list[Path]:
    """The plain-text attachments named by a BibTeX ``file`` field that exist on disk.

    Zotero, Better BibTeX and JabRef write ``file = {Full Text:files/12/smith.txt:text/plain}``
    (description, path, type; several joined by ``;``, with ``\\:`` and ``\\;`` escaped)
    or just ``file = {files/smith.txt}``. Relative paths are relative to the ``.bib`` file.
    Only ``.txt``, ``.md`` and ``.pdf`` files count (a PDF's text is extracted by
    :mod:`kg.load.pdf`).

    >>> attached_texts("Full Text:notes/smith2020.txt:text/plain", "refs.bib")  # doctest: +SKIP
    [PosixPath('notes/smith2020.txt')]
    """
    folder = Path(bib_path).parent
    found = []
    for part in _split_unescaped(file_field, ";"):
        fields = _split_unescaped(part, ":")
        candidates = [part] if len(fields) < 3 else [":".join(fields[1:-1]), part]
        for candidate in candidates:
            name = candidate.strip().replace("\\:", ":").replace("\\;", ";")
            if not name.lower().endswith(TEXT_SUFFIXES):
                continue
            path = _join(folder, os.path.expanduser(name))
            if path.is_file():
                found.append(path)
                break
    return found


def _split_unescaped(text: str, separator: str) -> list[str]:
    parts, current, escaped = [], "", False
    for char in text:
        if char == separator and not escaped:
            parts.append(current)
            current = ""
            continue
        current += char
        escaped = char == "\\" and not escaped
    parts.append(current)
    return parts
