"""Read BibTeX and BibLaTeX bibliographies into ``Work`` and ``Person`` records.

bibtexparser 2.x splits the files into blocks; kg does the rest itself, because its
middlewares are slow (they decode every field through pylatexenc) and resolve ``@string``
macros one file at a time. Here macros are shared across all files of a review, only values
holding ``\\`` or ``{`` go through the LaTeX decoder (with a cache), and every problem is
reported with its file and line while the good entries around it are kept. bibtexparser's
splitter is most of the time of a large file, so a caller with a second core to spare can
have such a file read in two halves at once (``beside``), with the same result.

>>> bib = parse_bibliography(["bib/references.bib"])  # doctest: +SKIP
>>> bib.works[0].key, bib.works[0].authors[0].family  # doctest: +SKIP
('nixon2020giving', 'Nixon')
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, Protocol

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
)
from pylatexenc.latex2text import LatexNodes2Text

from kg.errors import BibliographyError, InputError
from kg.iris import slug
from kg.load.formats import (
    BibliographyFormat,
    FormatError,
    Note,
    Record,
    detect_format,
    mint_key,
    read_records,
)

__all__ = [
    "Beside",
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

# A file longer than this (in characters: some 300 to 1,000 entries) is read in two halves at
# the same time; below it a second process costs about what it saves.
PARALLEL_ABOVE = 250_000
YEAR = re.compile(r"(\d{4})([a-z]?)")
# Byte-order marks of Unicode encodings other than UTF-8, longest first (UTF-32LE starts
# with UTF-16LE's mark).
UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


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
    """One bibliography entry: title, year and names decoded to Unicode.

    ``fields`` keeps every field (lower-case names, macros expanded, LaTeX as written) for
    what the named attributes leave out; ``get`` decodes a field when it is asked for, so
    the many fields nobody reads (abstracts, notes, file paths) cost nothing.
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
        """The value of a field by its lower-case name, decoded to Unicode."""
        for key, value in self.fields:
            if key == name:
                return decode_latex(value)
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


def normalise_name(text: str) -> str:
    """A surname as compared when resolving citations: NFC, case-folded, no accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\u2019']+", " ", stripped).casefold().strip()


_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)


@lru_cache(maxsize=65536)
def decode_latex(value: str) -> str:
    """LaTeX markup to Unicode: ``Jos{\\'e}`` -> ``José``, ``{DNA}`` -> ``DNA``, ``--`` -> ``–``.

    Values without a backslash or a brace, most of them, are returned as they are. The
    others go through a small table-driven decoder for the accents, letters and symbols
    bibliographies use, and only what it does not know (math, user macros) through
    pylatexenc, which is ~50 times slower; both give the same text (tests/test_bib.py checks
    every value of the corpora).
    """
    if "\\" not in value and "{" not in value and "--" not in value and "``" not in value:
        return unicodedata.normalize("NFC", " ".join(value.split()))
    text = _decode_common_latex(value)
    if text is None:
        text = _LATEX.latex_to_text(value)
    return unicodedata.normalize("NFC", " ".join(text.split()))


# What pylatexenc makes of the commands bibliographies use most; anything else falls back.
_LATEX_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303",
    "=": "\u0304", ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b",
    "c": "\u0327", "k": "\u0328", "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_LATEX_WORDS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ",
    "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "textendash": "–",
    "textemdash": "—", "textquoteleft": "‘", "textquoteright": "’", "ldots": "…",
    "dots": "…", "emph": "", "textit": "", "textbf": "", "textsc": "", "textrm": "",
    "textsf": "", "textsl": "", "textup": "", "mbox": "", "relax": "",
}  # fmt: skip
_LATEX_SYMBOLS = {
    "&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", " ": " ", ",": " ",
    "/": "",
}  # fmt: skip
_LATEX_LIGATURES = {"--": "–", "---": "—", "``": "“", "''": "”", "?`": "¿", "!`": "¡"}
_LATEX_SPECIAL = re.compile(r"\\(?:[A-Za-z]+\s*|.|\Z)|[{}~$%]|-{2,3}|``|''|[?!]`", re.S)
_LATEX_BEYOND_BRACES = re.compile(r"[\\$%]|[?!]`")
_LATEX_ACCENT_ARGUMENT = re.compile(
    r"\s*(?:\{\s*(?:(?P<gl>[^\W\d_])|\\(?P<gd>[ij])(?![A-Za-z])\s*)\}"
    r"|(?P<l>[^\W\d_])|\\(?P<d>[ij])(?![A-Za-z])\s*)"
)


def _decode_common_latex(value: str) -> str | None:
    """``value`` decoded as pylatexenc would, or None if it holds anything uncommon."""
    if not _LATEX_BEYOND_BRACES.search(value):
        # Braces, ties and dash or quote ligatures only, as most titles: the same as below.
        for ligature in ("---", "--", "``", "''"):
            value = value.replace(ligature, _LATEX_LIGATURES[ligature])
        return value.replace("{", "").replace("}", "").replace("~", "\xa0")
    out: list[str] = []
    pos = 0
    while True:
        match = _LATEX_SPECIAL.search(value, pos)
        if match is None:
            out.append(value[pos:])
            return "".join(out)
        out.append(value[pos : match.start()])
        token = match.group()
        pos = match.end()
        if token in "{}":
            continue
        if token == "~":
            out.append("\xa0")
        elif token in _LATEX_LIGATURES:
            out.append(_LATEX_LIGATURES[token])
        elif token[0] != "\\" or len(token) < 2:
            return None
        else:
            name = token[1:].rstrip() if token[1].isalpha() else token[1]
            if name in _LATEX_ACCENTS:
                argument = _LATEX_ACCENT_ARGUMENT.match(value, pos)
                if argument is None:
                    return None
                pos = argument.end()
                letter = argument.group("gl") or argument.group("l")
                out.append(letter or argument.group("gd") or argument.group("d"))
                out.append(_LATEX_ACCENTS[name])
            elif name in _LATEX_WORDS and token[1].isalpha():
                out.append(_LATEX_WORDS[name])
            elif name in _LATEX_SYMBOLS:
                out.append(_LATEX_SYMBOLS[name])
            elif not token[1].isalpha() or name in _pylatexenc_macros():
                return None
            # A macro pylatexenc does not know (\TeX, a style's own) it writes as nothing.


@cache
def _pylatexenc_macros() -> frozenset[str]:
    """The macros pylatexenc reads or writes in its own way (arguments, replacement text)."""
    from pylatexenc import latex2text, latexwalker

    names: set[str] = set()
    for db in (
        latex2text.get_default_latex_context_db(),
        latexwalker.get_default_latex_context_db(),
    ):
        for category in db.categories():
            names.update(spec.macroname for spec in db.iter_macro_specs([category]))
    return frozenset(names)


class Talk(Protocol):
    """Steps run elsewhere (:data:`Beside`), talked to as they run: ``receive`` what they
    yield next, ``send`` what their ``yield`` returns, and ``result`` what they return. Any of
    these may raise if the steps failed or could not be run; ``close`` ends them."""

    def receive(self) -> Any: ...
    def send(self, value: Any) -> None: ...
    def result(self) -> Any: ...
    def close(self) -> None: ...


Beside = Callable[[Callable[[], Generator[Any, Any, Any]]], Talk]
"""How to run a generator's steps beside the caller, on another core (for example
:func:`kg.parallel.forked.converse_beside`): given a function that makes the generator, start
it and return a :class:`Talk` to it. Raising ``OSError`` means there is no other core to be had."""


def parse_bibliography(
    paths: Sequence[str | Path],
    *,
    tolerant: bool = False,
    beside: Beside | None = None,
    parallel_above: int = PARALLEL_ABOVE,
) -> Bibliography:
    """Read BibTeX/BibLaTeX files into one ``Bibliography``.

    ``@string`` macros defined in any file are visible in all of them (as BibTeX does when
    given several files). Nothing bibtexparser reads as an entry is lost:

    - a block that cannot be parsed is reported as a ``Problem`` with file and line, and the
      entries around it are kept;
    - a repeated key keeps the first entry and reports the others with their lines, as BibTeX
      does (an error when the contents differ, a warning when they are the same);
    - an entry that repeats a field keeps the first value, as BibTeX does, and is reported
      (bibtexparser sets such an entry aside; kg keeps it);
    - a field using an undefined ``@string`` macro is left out and reported, its entry kept;
    - ``crossref`` fills the fields a child lacks from its parent (the parent's title becomes
      the child's ``booktitle``, ``maintitle`` or ``journaltitle``, as BibLaTeX does); a
      ``crossref`` or ``xref`` to a missing key is reported at the child's line.

    A missing, unreadable, binary or non-UTF-8 file raises ``InputError`` naming the file
    and line; if no file yields any entry (an empty file, say), ``BibliographyError``. With
    ``tolerant`` (what ``kg validate`` uses) those become problems too and nothing is raised.

    Given ``beside``, a file longer than ``parallel_above`` characters is cut in two at an
    entry and its halves are read at the same time, the second run by ``beside`` (in a forked
    process, say): bibtexparser's splitter is most of the time of a large bibliography. The
    result is the same as reading it whole (tests/test_bib.py checks every corpus both ways).
    """
    entries, problems = _read_entries(paths, tolerant, beside, parallel_above)
    entries = _mint_keys(entries, problems)
    kept: dict[str, _Entry] = {}
    for entry in entries:
        first = kept.get(entry.key)
        if first is None:
            kept[entry.key] = entry
        else:
            problems.append(_duplicate(entry, first))
    problems.extend(_resolve_crossrefs(kept))
    works = [entry.work or _to_work(entry) for entry in kept.values()]
    if not works and not tolerant:
        named = ", ".join(str(p) for p in paths) or "(no file given)"
        reason = f"{problems[0]}; " if problems else ""
        raise BibliographyError(f"{reason}no bibliography entry could be read from {named}")
    return Bibliography(tuple(works), tuple(problems))


def _read_entries(
    paths: Sequence[str | Path], tolerant: bool, beside: Beside | None, parallel_above: int
) -> tuple[list[_Entry], list[Problem]]:
    """The entries of all files in order, macros expanded, and the problems found so far."""
    problems: list[Problem] = []
    files: list[_File | _Exported] = []
    try:
        for name in paths:
            path = Path(name)
            text = _read_file(path)
            fmt = BibliographyFormat.BIBTEX if isinstance(text, Problem) else None
            if not isinstance(text, Problem):
                fmt = detect_format(path, text)
                if fmt is not BibliographyFormat.BIBTEX:
                    try:
                        files.append(_Exported(path, *read_records(path, text, fmt)))
                    except FormatError as error:
                        text = Problem(str(path), error.line, error.reason)
                    else:
                        continue
            if isinstance(text, Problem):
                if not tolerant:
                    raise InputError(str(text))
                problems.append(text)
                continue
            files.append(_File(path, text, beside, parallel_above))
            if files[-1].empty:
                problems.append(Problem(str(path), 0, "the file is empty", severity="warning"))
        macros = dict(MONTHS)
        for file in files:
            for key, value, line in file.strings():
                try:
                    macros[key.lower()] = _expand(value, macros)
                except ValueError as error:
                    message = f"@string {key!r}: {error}; the macro is left undefined"
                    problems.append(Problem(str(file.path), line, message, None, "warning"))
        entries: list[_Entry] = []
        for file in files:
            found, file_problems = file.entries(macros)
            entries.extend(found)
            problems.extend(file_problems)
    finally:
        for file in files:
            file.close()
    return entries, problems


@dataclass
class _Entry:
    """An entry on its way to a ``Work``: macros expanded, crossref not yet applied.

    ``work`` is made as soon as the fields are final, that is when there is no ``crossref``
    to fill them, so that the second half of a large file has its works made in its own process.
    """

    path: str
    line: int
    key: str
    entry_type: str
    raw: dict[str, str]
    link_lines: dict[str, int] = field(default_factory=dict)  # of its crossref and xref
    work: Work | None = None


class _Exported:
    """A bibliography exported as RIS, CSL-JSON or EndNote XML (:mod:`kg.load.formats`), read
    as a BibTeX file is: it has no macros, and records without a key of their own get one in
    ``parse_bibliography`` (``_mint_keys``)."""

    def __init__(self, path: Path, records: list[Record], notes: list[Note]) -> None:
        self.path = path
        self._records = records
        self._notes = notes

    @property
    def empty(self) -> bool:
        """Whether the file holds no record at all."""
        return not self._records and not self._notes

    def strings(self) -> list[_String]:
        """No macros: these formats have none."""
        return []

    def entries(self, macros: dict[str, str]) -> tuple[list[_Entry], list[Problem]]:
        """The records as entries in file order (key "" where they have none), and the notes."""
        entries = [
            _Entry(str(self.path), r.line, r.key or "", r.entry_type, dict(r.fields))
            for r in self._records
        ]
        notes = [Problem(str(self.path), n.line, n.message, None, n.severity) for n in self._notes]
        return entries, notes

    def close(self) -> None:
        """Nothing to stop."""


def _mint_keys(entries: list[_Entry], problems: list[Problem]) -> list[_Entry]:
    """Give each entry without a key (RIS and EndNote records, CSL items without one) a key
    made as Better BibTeX makes them (:func:`kg.load.formats.mint_key`), in file order, never
    one another entry has. A keyless record that repeats an earlier one field for field is
    dropped with a warning, as a repeated BibTeX entry is."""
    taken = {entry.key for entry in entries if entry.key}
    if len(taken) == len(entries):
        return entries
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], _Entry] = {}
    kept = []
    for entry in entries:
        if entry.key:
            kept.append(entry)
            continue
        content = (entry.entry_type, tuple(sorted(entry.raw.items())))
        first = seen.get(content)
        if first is not None:
            same_file = first.path == entry.path
            where = f"line {first.line}" if same_file else f"{first.path}:{first.line}"
            problems.append(Problem(
                entry.path, entry.line,
                f"the same record as at {where} (key {first.key!r}); this copy is ignored",
                first.key, "warning",
            ))  # fmt: skip
            continue
        draft = _to_work(entry)
        names = family_names(draft.authors or draft.editors)
        entry.key = mint_key(names[0] if names else "", draft.year, draft.title, taken)
        seen[content] = entry
        kept.append(entry)
    return kept


# A macro definition as read: its name, its value as written, its line in the file.
_String = tuple[str, str, int]
# What reading the entries of a file or a half gives: the entries in file order, the problems
# of the blocks bibtexparser could not parse, and those of the fields (undefined macros).
_Read = tuple[list[_Entry], list[Problem], list[Problem]]


class _File:
    """One bibliography file, split by bibtexparser in one piece or in two at the same time.

    Reading takes three steps, because macros are shared by all files of a review: ``__init__``
    splits the file into blocks, ``strings`` gives its ``@string`` macros, and ``entries``
    expands the entries with the macros of every file. A large file is cut before an entry
    (``@`` at the start of a line, where bibtexparser always begins a new block); its second
    half is read by ``beside`` (:data:`Beside`) while this process splits the first. The halves
    are read back as one file whenever a cut would not give what the whole file gives: a
    broken block just before the cut (cut short, bibtexparser would give another reason), a
    macro defined in both halves (bibtexparser sets the second aside), a failed worker.
    """

    def __init__(self, path: Path, text: str, beside: Beside | None, parallel_above: int) -> None:
        self.path = path
        self._text = text
        self._second: _SecondHalf | None = None
        cut = _cut(text) if beside is not None and len(text) > parallel_above else None
        if beside is not None and cut is not None:
            with contextlib.suppress(OSError):  # no other core to be had: read it whole
                self._second = _SecondHalf(beside, path, text[cut:], _lines_before(text, cut))
        if self._second is None:
            self._library = _split(text)
            return
        self._library = _split(text[:cut])
        blocks = self._library.blocks
        if blocks and type(blocks[-1]) is model.ParsingFailedBlock:
            self._read_whole()

    @property
    def empty(self) -> bool:
        """Whether bibtexparser found nothing at all in the file, not even a comment.

        A file cut in two is not: its second half starts with a block.
        """
        return self._second is None and not self._library.blocks

    def strings(self) -> list[_String]:
        """The file's ``@string`` macros in file order, as bibtexparser keeps them."""
        own = _strings_of(self._library)
        if self._second is None:
            return own
        theirs = self._second.strings()
        if theirs is None or {key for key, _, _ in own} & {key for key, _, _ in theirs}:
            self._read_whole()
            return _strings_of(self._library)
        return own + theirs

    def entries(self, macros: dict[str, str]) -> tuple[list[_Entry], list[Problem]]:
        """The file's entries in file order with ``macros`` expanded, and their problems."""
        if self._second is None:
            entries, failed, warnings = _entries_of(self.path, self._library, macros)
            return entries, failed + warnings
        taken = {entry.key for entry in self._library.entries}
        self._second.send(macros, taken)
        first = _entries_of(self.path, self._library, macros)
        second = self._second.entries()
        if second is None:
            self._read_whole()
            return self.entries(macros)
        return first[0] + second[0], first[1] + second[1] + first[2] + second[2]

    def close(self) -> None:
        """Stop the worker process, if there is one still running."""
        if self._second is not None:
            self._second.close()

    def _read_whole(self) -> None:
        if self._second is not None:
            self._second.close()
            self._second = None
        self._library = _split(self._text)


class _SecondHalf:
    """The second half of a large file, read by ``beside`` (see ``_File``). Should that fail,
    its answers are None and the file is read whole."""

    def __init__(self, beside: Beside, path: Path, text: str, offset: int) -> None:
        self._talk = beside(partial(_read_second_half, path=path, text=text, offset=offset))

    def strings(self) -> list[_String] | None:
        """The half's macros, or None if the process failed."""
        try:
            strings: list[_String] | None = self._talk.receive()
        except Exception:  # the process died, or failed: the file is read whole
            return None
        return strings

    def send(self, macros: dict[str, str], taken: set[str]) -> None:
        """Let the process read its entries with the macros of all files."""
        with contextlib.suppress(Exception):  # as for strings: ``entries`` will say so
            self._talk.send((macros, taken))

    def entries(self) -> _Read | None:
        """What the process read, or None if it failed."""
        try:
            read: _Read | None = self._talk.result()
        except Exception:  # as for strings
            read = None
        self.close()
        return read

    def close(self) -> None:
        """End the process (if still running) and free what it holds."""
        self._talk.close()


def _read_second_half(
    path: Path, text: str, offset: int
) -> Generator[list[_String], tuple[dict[str, str], set[str]], _Read]:
    """The second half's steps, run by ``beside``: split the half, yield its macros, be sent
    those of all files and the keys the first half took, and return its entries read."""
    library = _split(text)
    macros, taken = yield _strings_of(library, offset)
    return _entries_of(path, library, macros, offset, taken)


# The start of a block in bibtexparser's splitter, at the start of a line.
_BLOCK_AT_LINE_START = re.compile(r"\n@\w*[ \t]*[{(]")


def _cut(text: str) -> int | None:
    """Where to cut ``text`` in two halves: the first block starting after its middle."""
    found = _BLOCK_AT_LINE_START.search(text, len(text) // 2)
    return found.start() + 1 if found else None


def _lines_before(text: str, cut: int) -> int:
    """The line at ``cut`` as bibtexparser counts lines: it skips a newline after ``\\``."""
    return text.count("\n", 0, cut) - text.count("\\\n", 0, cut)


@contextlib.contextmanager
def _quiet_bibtexparser() -> Iterator[None]:
    """bibtexparser logs each bad block to stderr; kg reports it once, with file and line."""
    logger = logging.getLogger("bibtexparser")  # its modules' loggers take their level from it
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def _split(text: str) -> bibtexparser.Library:
    """bibtexparser's blocks of ``text``, without its middlewares (kg does their work)."""
    with _quiet_bibtexparser():
        return bibtexparser.parse_string(text, parse_stack=[])


def _read_file(path: Path) -> str | Problem:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Problem(str(path), 0, "bibliography file not found")
    except IsADirectoryError:
        return Problem(str(path), 0, "a folder, not a bibliography file")
    except OSError as error:
        return Problem(str(path), 0, f"cannot read bibliography ({error.strerror})")
    for bom, encoding in UNICODE_BOMS:
        if raw.startswith(bom):
            return Problem(str(path), 1, f"{encoding} text, not UTF-8; re-save the file as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return Problem(str(path), line, "this is a binary file, not BibTeX")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return Problem(
            str(path),
            line,
            f"not UTF-8 (byte {raw[error.start]:#04x} at column {column}); re-save the file"
            " as UTF-8, e.g. `iconv -f ENCODING -t UTF-8` or your reference manager's export",
        )


def _strings_of(library: bibtexparser.Library, offset: int = 0) -> list[_String]:
    return [(s.key, s.value, (s.start_line or 0) + 1 + offset) for s in library.strings]


def _entries_of(
    path: Path,
    library: bibtexparser.Library,
    macros: dict[str, str],
    offset: int = 0,
    taken: set[str] | frozenset[str] = frozenset(),
) -> _Read:
    """The entries of a file (or a half, ``offset`` lines in) in file order, and its problems.

    An entry whose key is ``taken`` (by the first half) is ordered as bibtexparser orders a
    repeated key in the whole file: set aside with the blocks it could not parse.
    """
    problems: list[Problem] = []
    blocks: list[model.Entry] = []
    set_aside: list[model.Entry] = []
    for block in library.blocks:
        if isinstance(block, model.Entry):
            (set_aside if block.key in taken else blocks).append(block)
            continue
        if not isinstance(block, model.ParsingFailedBlock):
            continue
        recovered = block.ignore_error_block if hasattr(block, "ignore_error_block") else None
        if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(recovered, model.Entry):
            set_aside.append(recovered)
        elif isinstance(block, model.DuplicateFieldKeyBlock) and isinstance(recovered, model.Entry):
            set_aside.append(recovered)
            fields = ", ".join(sorted(block.duplicate_keys))
            message = (
                f"entry {recovered.key!r} repeats field(s) {fields}; the first value is kept,"
                " as BibTeX does"
            )
            line = (block.start_line or 0) + 1 + offset
            problems.append(Problem(str(path), line, message, recovered.key, "warning"))
        else:
            problems.append(_failed_block_problem(path, block, offset))
    entries: list[_Entry] = []
    warnings: list[Problem] = []
    for found in sorted(blocks + set_aside, key=lambda b: b.start_line or 0):
        entry, entry_warnings = _expand_entry(path, found, macros, offset)
        if "crossref" not in entry.raw:
            entry.work = _to_work(entry)
        entries.append(entry)
        warnings.extend(entry_warnings)
    return entries, problems, warnings


def _duplicate(entry: _Entry, first: _Entry) -> Problem:
    where = f"line {first.line}" if first.path == entry.path else f"{first.path}:{first.line}"
    if _same_content(entry, first):
        return Problem(
            entry.path, entry.line,
            f"duplicate key {entry.key!r}, same entry as at {where}; this copy is ignored",
            entry.key, "warning",
        )  # fmt: skip
    return Problem(
        entry.path, entry.line,
        f"duplicate key {entry.key!r} with different content, first defined at {where}; this one"
        " is ignored (BibTeX keeps the first too): give it its own key",
        entry.key,
    )  # fmt: skip


def _same_content(one: _Entry, other: _Entry) -> bool:
    def norm(entry: _Entry) -> tuple[str, dict[str, str]]:
        return entry.entry_type, {k: re.sub(r"\s+", " ", v).strip() for k, v in entry.raw.items()}

    return norm(one) == norm(other)


def _failed_block_problem(path: Path, block: model.Block, offset: int) -> Problem:
    line = (block.start_line or 0) + 1 + offset
    text = (block.raw or "").strip()
    head = text.splitlines()[0][:60] if text else ""
    key_match = re.match(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,", text)
    key = key_match.group(1) if key_match else None
    what = f"entry {key!r}" if key else f"block {head!r}"
    reason = getattr(getattr(block, "error", None), "abort_reason", "") or ""
    reason = re.sub(r"\s+", " ", reason).strip().rstrip(".")
    end = line + text.count("\n")
    detail = f": {reason[0].lower()}{reason[1:]} (line {end})" if reason else ""
    return Problem(
        str(path), line, f"cannot parse {what}{detail}; it is skipped, fix it and rebuild", key
    )


# Fields a child never takes from its crossref parent (as in BibLaTeX's defaults).
NOT_INHERITED = frozenset([
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
    "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
    "shorthand", "shorthandintro", "sortkey", "sortname", "sortshorthand", "sorttitle",
    "sortyear",
])  # fmt: skip
# Where a parent's title goes in a child, by the parent's entry type (BibLaTeX's defaults).
TITLE_INHERITANCE = {
    **dict.fromkeys(("book", "collection", "proceedings", "reference"), "book"),
    **dict.fromkeys(("mvbook", "mvcollection", "mvproceedings", "mvreference"), "main"),
    "periodical": "journal",
}


def _resolve_crossrefs(entries: dict[str, _Entry]) -> list[Problem]:
    """Fill each child's missing fields from its ``crossref`` parent, parents first.

    A parent is found by its key, one of its BibLaTeX ``ids`` aliases, or its key in another
    case (BibTeX compares keys without case).
    """
    aliases = {
        alias.strip(): entry
        for entry in entries.values()
        for alias in entry.raw.get("ids", "").split(",")
        if alias.strip()
    }
    folded = {key.casefold(): entry for key, entry in entries.items()}
    problems: list[Problem] = []
    done: set[str] = set()

    def target(entry: _Entry, name: str) -> _Entry | None:
        wanted = entry.raw.get(name, "").strip()
        found = entries.get(wanted) or aliases.get(wanted) or folded.get(wanted.casefold())
        if wanted and found is None:
            line = entry.link_lines.get(name, entry.line)
            problems.append(Problem(
                entry.path, line,
                f"entry {entry.key!r}: {name} to {wanted!r}, which is not in the bibliography;"
                " nothing is inherited" if name == "crossref" else
                f"entry {entry.key!r}: {name} to {wanted!r}, which is not in the bibliography",
                entry.key, "warning",
            ))  # fmt: skip
        return found

    def resolve(entry: _Entry, chain: tuple[str, ...]) -> None:
        if entry.key in done:
            return
        if entry.key in chain:
            loop = " -> ".join((*chain[chain.index(entry.key) :], entry.key))
            problems.append(Problem(
                entry.path, entry.line, f"crossref cycle {loop}; the cycle is not followed",
                entry.key, "warning",
            ))  # fmt: skip
            return
        parent = target(entry, "crossref") if "crossref" in entry.raw else None
        if parent is not None:
            resolve(parent, (*chain, entry.key))
            _inherit(entry, parent)
        done.add(entry.key)

    for entry in entries.values():
        resolve(entry, ())
        if "xref" in entry.raw:
            target(entry, "xref")
    return problems


def _inherit(child: _Entry, parent: _Entry) -> None:
    prefix = TITLE_INHERITANCE.get(parent.entry_type)
    for name, value in parent.raw.items():
        if name in NOT_INHERITED:
            continue
        if prefix and name in ("title", "subtitle", "titleaddon"):
            name = f"{prefix}{name}"
        elif prefix and name in ("shorttitle", "sorttitle", "indextitle"):
            continue
        child.raw.setdefault(name, value)


def _expand(value: str, macros: dict[str, str]) -> str:
    """A raw BibTeX value to its text: strip delimiters, expand macros, join ``#`` parts."""
    if "#" not in value and value[:1] + value[-1:] in ("{}", '""'):
        return value[1:-1]
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


_CONCATENATION_MARK = re.compile(r'[{}"#]')


def _split_concatenation(value: str) -> list[str]:
    if "#" not in value:
        return [value] if value else []
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for mark in _CONCATENATION_MARK.finditer(value):
        char, index = mark.group(), mark.start()
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


def _expand_entry(
    path: Path, entry: model.Entry, macros: dict[str, str], offset: int
) -> tuple[_Entry, list[Problem]]:
    """The entry's fields as text; a field with an undefined macro is left out and reported."""
    raw: dict[str, str] = {}
    links: dict[str, int] = {}
    warnings: list[Problem] = []
    for fld in entry.fields:
        name = fld.key.lower()
        if name in raw:
            continue
        try:
            raw[name] = _expand(str(fld.value), macros)
        except ValueError as error:
            line = _field_line(fld, entry) + offset
            message = f"entry {entry.key!r}, field {name!r}: {error}; the field is left out"
            warnings.append(Problem(str(path), line, message, entry.key, "warning"))
            continue
        if name in ("crossref", "xref"):
            links[name] = _field_line(fld, entry) + offset
    line = (entry.start_line or 0) + 1 + offset
    return _Entry(str(path), line, entry.key, entry.entry_type.lower(), raw, links), warnings


def _field_line(fld: model.Field, entry: model.Entry) -> int:
    return (fld.start_line if fld.start_line is not None else entry.start_line) + 1


def _to_work(entry: _Entry) -> Work:
    fields = entry.raw
    year, suffix = _year(fields)
    return Work(
        key=entry.key,
        entry_type=entry.entry_type,
        title=decode_latex(fields.get("title", "")),
        year=year,
        year_suffix=suffix,
        authors=_persons(entry.raw.get("author", "")),
        editors=_persons(entry.raw.get("editor", "")),
        fields=tuple(sorted(fields.items())),
        path=entry.path,
        line=entry.line,
    )


_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _year(fields: dict[str, str]) -> tuple[str | None, str]:
    for name in ("year", "date"):
        match = YEAR.match(decode_latex(fields.get(name, "")))
        if match:
            return match.group(1), match.group(2) if name == "year" else ""
    return None, ""


def _persons(value: str) -> tuple[Person, ...]:
    if not value.strip():
        return ()
    return tuple(_person(name) for name in _split_names(value.strip()))


def _split_names(value: str) -> list[str]:
    """The names of a BibTeX name list: split at " and " outside braces, any case."""
    if "{" not in value:
        return [name for name in _AND.split(value) if name.strip()]
    names = []
    start = 0
    for match in _AND.finditer(value):
        before = value[start : match.start()]
        if before.count("{") != before.count("}"):
            continue
        names.append(value[start : match.start()])
        start = match.end()
    names.append(value[start:])
    return [name for name in names if name.strip()]


@lru_cache(maxsize=65536)
def _person(raw_name: str) -> Person:
    raw_name = raw_name.strip()
    if raw_name.startswith("{") and raw_name.endswith("}") and _balanced(raw_name[1:-1]):
        return Person(family=decode_latex(raw_name[1:-1]), organisation=True)
    if raw_name.lower() == "others":
        return Person(family="others")
    if not _NAME_MARKUP.search(raw_name):
        words = [word for word in _NAME_SPACE.split(raw_name) if word]
        if words and (len(words) < 3 or all(_capitalised(word) for word in words)):
            # "First Middle Last", as bibtexparser's name parser reads it, only faster.
            return Person(family=decode_latex(words[-1]), given=decode_latex(" ".join(words[:-1])))
    commas = _top_level_commas(raw_name)
    if len(commas) == 1 and raw_name[: commas[0]].strip():
        # In a name a tie ("~") is a space, as bibtexparser's name parser reads it too.
        family = raw_name[: commas[0]].replace("~", " ")
        given = raw_name[commas[0] + 1 :].replace("~", " ")
        return Person(family=decode_latex(family), given=decode_latex(given))
    parts = parse_single_name_into_parts(raw_name, strict=False)
    family = " ".join(parts.von + parts.last)
    given = " ".join(parts.first)
    if parts.jr:
        family = f"{family}, {' '.join(parts.jr)}"
    return Person(family=decode_latex(family), given=decode_latex(given))


# A name without these is words only; bibtexparser's name parser splits words at these spaces.
_NAME_MARKUP = re.compile(r"[{}\\,]")
_NAME_SPACE = re.compile(r"[ ~\r\n\t]+")


def _capitalised(word: str) -> bool:
    """Whether a name's word starts in upper case (or has no letter): not a "von" part."""
    for char in word:
        if char.isalpha():
            return char.isupper()
    return True


def _top_level_commas(name: str) -> list[int]:
    """Where the commas outside braces are: "von Last, First" has one."""
    if "{" not in name:
        return [i for i, char in enumerate(name) if char == ","]
    depth = 0
    commas = []
    for index, char in enumerate(name):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            commas.append(index)
    return commas


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
