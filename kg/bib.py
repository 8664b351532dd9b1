"""Read BibTeX and BibLaTeX bibliographies into ``Work`` and ``Person`` records.

bibtexparser 2.x splits the files into blocks; kg does the rest itself, because its
middlewares are slow (they decode every field through pylatexenc) and resolve ``@string``
macros one file at a time. Here macros are shared across all files of a review, only values
holding ``\\`` or ``{`` go through the LaTeX decoder (with a cache), and every problem is
reported with its file and line while the good entries around it are kept.

>>> bib = parse_bibliography(["bib/references.bib"])  # doctest: +SKIP
>>> bib.works[0].key, bib.works[0].authors[0].family  # doctest: +SKIP
('nixon2020giving', 'Nixon')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text

from kg.errors import BibliographyError, InputError

__all__ = [
    "Bibliography",
    "Person",
    "Problem",
    "Work",
    "decode_latex",
    "normalise_name",
    "parse_bibliography",
]

MONTHS = {
    "jan": "1", "feb": "2", "mar": "3", "apr": "4", "may": "5", "jun": "6",
    "jul": "7", "aug": "8", "sep": "9", "oct": "10", "nov": "11", "dec": "12",
}  # fmt: skip

YEAR = re.compile(r"(\d{4})([a-z]?)")


@dataclass(frozen=True, order=True)
class Person:
    """An author or editor: a person (family and given names) or an organisation.

    ``ident`` is the same for the same real person in every entry, so one graph node
    stands for them across the whole review.
    """

    family: str
    given: str = ""
    organisation: bool = False

    @property
    def name(self) -> str:
        """The name as a reader writes it: "Peggy C. Giordano", "United Nations"."""
        return f"{self.given} {self.family}".strip()

    @property
    def ident(self) -> str:
        """A stable slug for IRIs: family name, then given names, ASCII only."""
        return slug(f"{self.family} {self.given}")


@dataclass(frozen=True)
class Work:
    """One bibliography entry, its fields decoded to Unicode.

    ``fields`` keeps every field (lower-case names) for what the named attributes leave out.
    """

    key: str
    entry_type: str
    title: str
    year: str | None
    authors: tuple[Person, ...]
    editors: tuple[Person, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    path: str = ""
    line: int = 0
    year_suffix: str = ""

    def get(self, name: str, default: str | None = None) -> str | None:
        """The decoded value of a field by its lower-case name."""
        for key, value in self.fields:
            if key == name:
                return value
        return default


@dataclass(frozen=True)
class Problem:
    """Something wrong in a bibliography file, located for the user."""

    path: str
    line: int
    message: str
    key: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Bibliography:
    """The works of all bibliography files of a review, and what went wrong reading them."""

    works: tuple[Work, ...]
    problems: tuple[Problem, ...] = field(default=())

    def by_key(self) -> dict[str, Work]:
        """The works indexed by BibTeX key."""
        return {work.key: work for work in self.works}


def slug(text: str) -> str:
    """ASCII, lower-case, hyphen-separated form of ``text`` for use in IRIs."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def normalise_name(text: str) -> str:
    """A surname as compared when resolving citations: NFC, case-folded, no accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\u2019']+", " ", stripped).casefold().strip()


_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


@lru_cache(maxsize=65536)
def decode_latex(value: str) -> str:
    """LaTeX markup to Unicode: ``Jos{\\'e}`` -> ``José``, ``{DNA}`` -> ``DNA``, ``--`` -> ``–``.

    Values without a backslash or a brace, most of them, are returned as they are.
    """
    if "\\" not in value and "{" not in value and "--" not in value and "``" not in value:
        return unicodedata.normalize("NFC", re.sub(r"\s+", " ", value).strip())
    text = _LATEX.latex_to_text(value)
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def parse_bibliography(paths: Sequence[str | Path]) -> Bibliography:
    """Read BibTeX/BibLaTeX files into one ``Bibliography``.

    ``@string`` macros defined in any file are visible in all of them (as BibTeX does when
    given several files). A bad block is reported as a ``Problem`` with file and line and
    skipped; the entries around it are kept. A duplicate key keeps the first entry.
    A missing or unreadable file raises ``InputError``; if no file yields any entry at all
    and there were problems, ``BibliographyError``.
    """
    libraries = [(Path(p), _parse_file(Path(p))) for p in paths]
    macros = dict(MONTHS)
    for _, library in libraries:
        for string in library.strings:
            macros[string.key.lower()] = _expand(string.value, macros)
    works: list[Work] = []
    problems: list[Problem] = []
    seen: dict[str, Work] = {}
    for path, library in libraries:
        for block in library.failed_blocks:
            problems.append(_failed_block_problem(path, block))
        for entry in library.entries:
            work, warnings = _to_work(path, entry, macros)
            problems.extend(warnings)
            if work.key in seen:
                first = seen[work.key]
                problems.append(
                    Problem(
                        str(path),
                        work.line,
                        f"duplicate key {work.key!r}, first defined at {first.path}:{first.line};"
                        " this one is ignored",
                        work.key,
                    )
                )
                continue
            seen[work.key] = work
            works.append(work)
    if not works and problems:
        raise BibliographyError(f"{problems[0]} (and no entry could be read)")
    return Bibliography(tuple(works), tuple(problems))


def _parse_file(path: Path) -> model.Library:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: bibliography file not found") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read bibliography ({error.strerror})") from None
    if b"\x00" in raw:
        raise InputError(f"{path}: this is a binary file, not BibTeX")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 (byte {raw[error.start]:#04x}); re-save the file as UTF-8"
        ) from None
    return bibtexparser.parse_string(text, parse_stack=[])


def _failed_block_problem(path: Path, block: model.Block) -> Problem:
    line = block.start_line + 1
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return Problem(
            str(path), line, f"duplicate key {block.key!r}; the first entry is kept", block.key
        )
    if isinstance(block, model.DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        return Problem(
            str(path), line, f"entry {block.key!r} repeats field(s) {fields}; fix the entry",
            block.key,
        )  # fmt: skip
    first_line = block.raw.strip().splitlines()[0][:60] if block.raw.strip() else ""
    return Problem(str(path), line, f"cannot parse this block ({first_line!r}); it is skipped")


def _expand(value: str, macros: dict[str, str]) -> str:
    """A raw BibTeX value to its text: strip delimiters, expand macros, join ``#`` parts."""
    parts = []
    for part in _split_concatenation(value.strip()):
        if (part.startswith("{") and part.endswith("}")) or (
            part.startswith('"') and part.endswith('"')
        ):
            parts.append(part[1:-1])
        elif part.isdigit():
            parts.append(part)
        elif part.lower() in macros:
            parts.append(macros[part.lower()])
        else:
            raise ValueError(f"undefined @string macro {part!r}")
    return "".join(parts)


def _split_concatenation(value: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[start:index].strip())
            start = index + 1
    parts.append(value[start:].strip())
    return [p for p in parts if p]


def _to_work(path: Path, entry: model.Entry, macros: dict[str, str]) -> tuple[Work, list[Problem]]:
    """The entry as a ``Work``; a field with an undefined macro is left out and reported."""
    raw: dict[str, str] = {}
    warnings: list[Problem] = []
    for fld in entry.fields:
        name = fld.key.lower()
        if name in raw:
            continue
        try:
            raw[name] = _expand(str(fld.value), macros)
        except ValueError as error:
            line = (fld.start_line or entry.start_line) + 1
            message = f"entry {entry.key!r}, field {name!r}: {error}; the field is left out"
            warnings.append(Problem(str(path), line, message, entry.key, "warning"))
    fields = {name: decode_latex(value) for name, value in raw.items()}
    year, suffix = _year(fields)
    work = Work(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        title=fields.get("title", ""),
        year=year,
        year_suffix=suffix,
        authors=_persons(raw.get("author", "")),
        editors=_persons(raw.get("editor", "")),
        fields=tuple(sorted(fields.items())),
        path=str(path),
        line=entry.start_line + 1,
    )
    return work, warnings


def _year(fields: dict[str, str]) -> tuple[str | None, str]:
    for name in ("year", "date"):
        match = YEAR.match(fields.get(name, "").strip())
        if match:
            return match.group(1), match.group(2) if name == "year" else ""
    return None, ""


def _persons(value: str) -> tuple[Person, ...]:
    if not value.strip():
        return ()
    return tuple(_person(name) for name in split_multiple_persons_names(value))


def _person(raw_name: str) -> Person:
    raw_name = raw_name.strip()
    if raw_name.startswith("{") and raw_name.endswith("}") and _balanced(raw_name[1:-1]):
        return Person(family=decode_latex(raw_name[1:-1]), organisation=True)
    if raw_name.lower() == "others":
        return Person(family="others")
    parts = parse_single_name_into_parts(raw_name, strict=False)
    family = " ".join(parts.von + parts.last)
    given = " ".join(parts.first)
    if parts.jr:
        family = f"{family}, {' '.join(parts.jr)}"
    return Person(family=decode_latex(family), given=decode_latex(given))


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def family_names(persons: Iterable[Person]) -> list[str]:
    """The family names as a citation would give them (particles kept: "van Dijk")."""
    return [p.family for p in persons if p.family != "others"]
