"""Bibliographies as reference managers export them: RIS, CSL-JSON and EndNote XML.

Each record becomes the fields of a BibTeX entry (``author = {Farrall, Stephen and {World Health
Organization}}``, ``journal``, ``booktitle``, ``file`` ...), so that :mod:`kg.load.bib` makes
the same ``Work`` and ``Person`` records, with the same checks, from any of them.

- **RIS** (Zotero, EndNote, Mendeley, Web of Science, Scopus) is read with ``rispy``, the
  maintained RIS reader (MIT, pure Python, no dependencies); kg first checks that every record
  that starts (``TY  -``) ends (``ER  -``), which rispy does not, so that a broken record is
  named by its line instead of being merged into the next.
- **CSL-JSON** (Zotero, Better BibTeX, pandoc, citeproc) is plain JSON: the standard library.
- **EndNote XML** (EndNote's "XML" export) is read with the standard library's ElementTree,
  whose expat parser refuses external entities; its ``internal-pdf://`` attachments are found
  in the library's ``.Data`` folder beside the export.
- **Web of Science plain text** ("Plain text file", "Full Record": ``savedrecs.txt``) is read
  with ``wosfile`` (BSD, pure Python, no dependencies), whose ``PlainTextReader`` joins
  continued lines and checks the ``FN``/``VR``/``ER``/``EF`` frame.

Which one a file is comes from its extension (``.ris``; ``.json``, ``.csl``; ``.xml``) or,
failing that, from its first characters (``FN `` for Web of Science, whose files end
``.txt``). RIS and EndNote records carry no citation key, nor do
CSL-JSON records whose ``id`` is a Zotero item URI or a number: :func:`mint_key` makes one as
Better BibTeX does (family name, year, first word of the title that is not a small word).

>>> records, notes = read_records("refs.ris", "TY  - BOOK\\nAU  - Maruna, Shadd\\nPY  - 2001\\n"
...     "TI  - Making Good\\nER  - \\n", BibliographyFormat.RIS)
>>> records[0].entry_type, dict(records[0].fields)["author"], records[0].key
('book', 'Maruna, Shadd', None)
>>> mint_key("Maruna", "2001", "Making Good", set())
'maruna2001making'
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import rispy

from kg.errors import InputError

__all__ = [
    "BibliographyFormat",
    "FormatError",
    "Note",
    "Record",
    "detect_format",
    "key_name",
    "mint_key",
    "read_records",
]


class BibliographyFormat(Enum):
    """The bibliography formats kg reads."""

    BIBTEX = "bibtex"
    RIS = "ris"
    CSL_JSON = "csl-json"
    ENDNOTE_XML = "endnote-xml"
    WOS = "wos"


class FormatError(InputError):
    """A file that cannot be read as its format at all: ``path:line: reason``."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Record:
    """One record as the fields of a BibTeX entry (lower-case names, plain Unicode values).

    ``key`` is the record's own citation key, or None where it has none (``mint_key``).
    ``line`` is where the record starts in its file.
    """

    line: int
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    key: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Note:
    """A record set aside or a field left out, with the line it is on."""

    line: int
    message: str
    severity: str = "error"


_EXTENSIONS = {
    ".bib": BibliographyFormat.BIBTEX,
    ".bibtex": BibliographyFormat.BIBTEX,
    ".biblatex": BibliographyFormat.BIBTEX,
    ".ris": BibliographyFormat.RIS,
    ".json": BibliographyFormat.CSL_JSON,
    ".csl": BibliographyFormat.CSL_JSON,
    ".csljson": BibliographyFormat.CSL_JSON,
    ".xml": BibliographyFormat.ENDNOTE_XML,
}
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)


def detect_format(path: str | Path, text: str) -> BibliographyFormat:
    """The format of a bibliography file: by its extension, else by how its text starts.

    >>> detect_format("refs.txt", "TY  - JOUR\\n").value
    'ris'
    """
    known = _EXTENSIONS.get(Path(path).suffix.casefold())
    if known is not None:
        return known
    text = text.lstrip("\ufeff")
    head = text.lstrip()[:1]
    if head in "[{" and head:
        return BibliographyFormat.CSL_JSON
    if head == "<":
        return BibliographyFormat.ENDNOTE_XML
    if text.startswith("FN "):
        return BibliographyFormat.WOS
    if _RIS_START.search(text[:4096]):
        return BibliographyFormat.RIS
    return BibliographyFormat.BIBTEX


def read_records(
    path: str | Path, text: str, fmt: BibliographyFormat
) -> tuple[list[Record], list[Note]]:
    """The records of one RIS, CSL-JSON, EndNote XML or Web of Science file in file order, and
    the notes on those it set aside. A file that is not its format at all raises
    ``FormatError``."""
    if fmt is BibliographyFormat.RIS:
        return _read_ris(str(path), text)
    if fmt is BibliographyFormat.CSL_JSON:
        return _read_csl_json(str(path), text)
    if fmt is BibliographyFormat.ENDNOTE_XML:
        return _read_endnote_xml(str(path), text)
    if fmt is BibliographyFormat.WOS:
        return _read_wos(str(path), text)
    raise ValueError(f"{fmt} is read by kg.load.bib")


# Words Better BibTeX skips when it takes a title's first word for a key (its English list).
_SKIP_WORDS = frozenset(
    [
        "a", "about", "above", "across", "after", "against", "al", "along", "amid", "among", "an",
        "and", "anti", "around", "as", "at", "before", "behind", "below", "beneath", "beside",
        "besides", "between", "beyond", "but", "by", "d", "de", "del", "der", "des", "despite",
        "die", "do", "down", "du", "during", "el", "en", "et", "except", "for", "from", "in",
        "inside", "into", "is", "la", "las", "le", "les", "like", "los", "near", "nor", "of", "off",
        "on", "onto", "or", "over", "past", "per", "plus", "round", "save", "since", "so", "some",
        "than", "the", "through", "to", "toward", "towards", "under", "underneath", "unlike",
        "until", "up", "upon", "versus", "via", "von", "while", "with", "within", "without", "yet",
    ]
)  # fmt: skip
_KEY_WORD = re.compile(r"[a-z0-9]+")


def mint_key(family: str, year: str | None, title: str, taken: set[str]) -> str:
    """A citation key for a record that has none, as Better BibTeX makes them: the first
    author's family name, the year and the title's first word that is not a small word ("the",
    "of", "on" ...), a number or one letter, in lower-case ASCII; a name of more than two
    words (an organisation) gives its initials. A key already
    ``taken`` gets ``a``, ``b``, ... after it (``taken`` is updated). The same records in the
    same order give the same keys.

    >>> taken = set()
    >>> [mint_key("Farrall", "2002", "The Long-term Impacts", taken) for _ in range(3)]
    ['farrall2002longterm', 'farrall2002longterma', 'farrall2002longtermb']
    """
    name = key_name(family)
    title_words = ("".join(_KEY_WORD.findall(_ascii(word))) for word in title.split())
    first_word = next(
        (w for w in title_words if len(w) > 1 and not w.isdigit() and w not in _SKIP_WORDS), ""
    )
    base = ("".join(_KEY_WORD.findall(name)) + (year or "") + first_word) or "anon"
    key = base
    number = 0
    while key in taken:
        key = base + _letters(number)
        number += 1
    taken.add(key)
    return key


def key_name(family: str) -> str:
    """The name in a minted key: the first author's family name in ASCII, or the initials
    of a name of more than two words, an organisation's (``mint_key``).

    >>> key_name("HM Inspectorate of Probation"), key_name("World Bank")
    ('hip', 'worldbank')
    """
    words = [w for w in re.split(r"[\s-]+", _ascii(family)) if w]
    if len(words) > 2:
        words = [w[0] for w in words if w not in _SKIP_WORDS]
    return "".join("".join(_KEY_WORD.findall(w)) for w in words)


def _letters(number: int) -> str:
    """a, b, ... z, aa, ab, ...: the suffixes of keys minted twice."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ø", "o"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9\s-]+", "", plain)


# Fields: the BibTeX names the records are written in, from each format's names.


def _bibtex_names(persons: Iterable[tuple[str, str, bool]]) -> str:
    """``(family, given, organisation)`` as a BibTeX name list; an organisation is braced, so
    that an "and" or a comma in its name stays in it."""
    names = []
    for family, given, organisation in persons:
        family = _no_braces(family)
        given = _no_braces(given)
        if not family and not given:
            continue
        if organisation or (not given and not re.fullmatch(r"[^\W\d_][\w'.-]*", family)):
            names.append(f"{{{family or given}}}")
        elif not given:
            names.append(family)
        elif " and " in family or "," in family:
            names.append(f"{{{family}}}, {given}")
        else:
            names.append(f"{family}, {given}")
    return " and ".join(names)


def _no_braces(text: str) -> str:
    return " ".join(text.replace("{", "").replace("}", "").replace("\\", "").split())


def _written_name(name: str) -> tuple[str, str, bool]:
    """A name as RIS and EndNote write it: "Family, Given" is a person; a name without a comma,
    or ending in one (EndNote's way of keeping an organisation whole), is an organisation,
    except a single word in lower and upper case ("Plato")."""
    name = " ".join(name.split())
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip():
        return family.strip(), given.strip(), False
    whole = family.strip()
    return whole, "", " " in whole or whole.isupper()


def _file_field(locations: Iterable[str]) -> str:
    """Attachment paths or ``file:`` URLs as a ``file`` field that
    :func:`kg.config.attached_texts` reads: ``;``-separated, relative paths kept relative to
    the export file, backslashes as slashes. Web addresses are left out (EndNote's
    ``internal-pdf://`` links come here already made paths, or not at all)."""
    paths = []
    for location in locations:
        location = location.strip()
        parsed = urlparse(location)
        if parsed.scheme == "file":
            location = unquote(parsed.path)
            if _DRIVE.match(location):
                location = location[1:]  # file:///C:/Users/... is C:/Users/...
        elif parsed.scheme and len(parsed.scheme) > 1:
            continue
        if location:
            paths.append(location.replace("\\", "/"))  # Windows paths, readable anywhere
    return ";".join(paths)


_DRIVE = re.compile(r"/[A-Za-z]:/")


def _pages(first: str, last: str) -> str:
    first, last = first.strip(), last.strip()
    return f"{first}--{last}" if first and last else first or last


def _fields(pairs: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    """The non-empty fields, the first of each name kept, sorted by name."""
    found: dict[str, str] = {}
    for name, value in pairs:
        value = " ".join((value or "").split())
        if value and name not in found:
            found[name] = value
    return tuple(sorted(found.items()))


def _year_of(text: str) -> str:
    found = re.search(r"(?<!\d)(1[5-9]|20)\d\d(?!\d)", text or "")
    return found.group() if found else ""


def _container_field(entry_type: str) -> str:
    """Where a record's container title goes: a journal, or the book or proceedings."""
    if entry_type == "article":
        return "journal"
    if entry_type in ("incollection", "inproceedings", "inbook", "inreference"):
        return "booktitle"
    return "series"


def _publisher_field(entry_type: str) -> str:
    return {"thesis": "school", "report": "institution"}.get(entry_type, "publisher")


# RIS


_RIS_TYPES = {
    **dict.fromkeys(("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS", "INPR", "ABST"), "article"),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK", "WHOLE"), "book"),
    **dict.fromkeys(("CHAP", "ECHAP"), "incollection"),
    **dict.fromkeys(("CONF", "CPAPER"), "inproceedings"),
    **dict.fromkeys(("THES",), "thesis"),
    **dict.fromkeys(("RPRT", "GOVDOC"), "report"),
    **dict.fromkeys(("ELEC", "WEB", "BLOG"), "online"),
    **dict.fromkeys(("UNPB", "MANSCPT"), "unpublished"),
    **dict.fromkeys(("DATA",), "dataset"),
    **dict.fromkeys(("COMP",), "software"),
}
_RIS_MAPPING = {**rispy.TAG_KEY_MAPPING, "ED": "editors"}
_RIS_LISTS = [*rispy.LIST_TYPE_TAGS, "ED", "L1", "L2"]


def _read_ris(path: str, text: str) -> tuple[list[Record], list[Note]]:
    """RIS records, each started by ``TY  -`` and ended by ``ER  -``.

    A record that starts inside another, or never ends, is set aside with its line: rispy
    would merge it into its neighbour.
    """
    starts, notes = _ris_record_lines(path, text)
    if not starts and not notes:
        raise FormatError(
            path,
            1,
            "no RIS record (a 'TY  - ' line) found; export the library as RIS again,"
            " or give the file the extension of its format",
        )
    lines = text.splitlines()
    records = []
    for start, end in _ris_spans(starts, len(lines)):
        block = "\n".join(lines[start - 1 : end])
        parsed = rispy.loads(block, mapping=_RIS_MAPPING, list_tags=_RIS_LISTS)
        if parsed:
            records.append(_ris_record(start, parsed[0]))
    return records, notes


def _ris_record_lines(path: str, text: str) -> tuple[list[tuple[int, bool]], list[Note]]:
    """The line each record starts on, whether it ends properly, and notes on those that do
    not."""
    starts: list[tuple[int, bool]] = []
    notes: list[Note] = []
    open_at = 0
    for number, line in enumerate(text.splitlines(), start=1):
        tag = _RIS_TAG.match(line.rstrip())
        if tag is None:
            continue
        if tag.group(1) == "TY":
            if open_at:
                starts.append((open_at, False))
                notes.append(Note(open_at, _ris_unended(open_at, number)))
            open_at = number
        elif tag.group(1) == "ER":
            if open_at:
                starts.append((open_at, True))
            else:
                notes.append(
                    Note(number, "'ER  -' with no record open (no 'TY  -' before it); ignored",
                         "warning")
                )  # fmt: skip
            open_at = 0
    if open_at:
        starts.append((open_at, False))
        notes.append(Note(open_at, _ris_unended(open_at, None)))
    return starts, notes


def _ris_unended(start: int, next_start: int | None) -> str:
    where = f"the next starts at line {next_start}" if next_start else "the file ends"
    return (
        f"the record starting here has no 'ER  -' line before {where}; it is skipped: add the"
        " 'ER  -' line (or re-export the library) and rebuild"
    )


def _ris_spans(starts: Sequence[tuple[int, bool]], count: int) -> list[tuple[int, int]]:
    """The lines (first, last) of each complete record."""
    spans = []
    for index, (start, complete) in enumerate(starts):
        if complete:
            end = starts[index + 1][0] - 1 if index + 1 < len(starts) else count
            spans.append((start, end))
    return spans


def _ris_record(line: int, ris: Mapping[str, Any]) -> Record:
    ris_type = str(ris.get("type_of_reference", "GEN")).strip().upper()
    entry_type = _RIS_TYPES.get(ris_type, "misc")

    def text(*names: str) -> str:
        for name in names:
            value = ris.get(name)
            if isinstance(value, list):
                value = value[0] if value else ""
            if value and str(value).strip():
                return str(value).strip()
        return ""

    def names(*tags: str) -> list[str]:
        return [str(n) for tag in tags for n in ris.get(tag) or [] if str(n).strip()]

    authors = names("authors", "first_authors")
    editors = names("editors")
    if entry_type in ("incollection", "inproceedings") or not authors:
        editors += names("secondary_authors")
    title = text("title", "primary_title")
    container = text("secondary_title", "journal_name", "alternate_title3", "alternate_title1",
                     "alternate_title2")  # fmt: skip
    identifier = text("issn")
    attachments = ("file_attachments1", "file_attachments2")
    files = [str(f) for tag in attachments for f in ris.get(tag) or []]
    date = text("date", "year", "publication_year")
    fields = _fields(
        [
            ("author", _bibtex_names(_written_name(n) for n in authors)),
            ("editor", _bibtex_names(_written_name(n) for n in editors)),
            ("title", title),
            ("year", _year_of(text("year", "publication_year", "date"))),
            ("date", date.strip("/").replace("/", "-") if date.count("/") > 1 else ""),
            (_container_field(entry_type), container),
            ("series", text("tertiary_title")),
            ("volume", text("volume")),
            ("number", text("number")),
            ("pages", _pages(text("start_page"), text("end_page"))),
            (_publisher_field(entry_type), text("publisher")),
            ("address", text("place_published")),
            ("edition", text("edition")),
            ("doi", text("doi")),
            ("isbn" if entry_type in ("book", "incollection") else "issn", identifier),
            ("url", text("urls")),
            ("abstract", text("abstract", "notes_abstract")),
            ("keywords", ", ".join(str(k) for k in ris.get("keywords") or [])),
            ("language", text("language")),
            ("file", _file_field(files)),
        ]
    )
    return Record(line, entry_type, fields, None, title)


# CSL-JSON


_CSL_TYPES = {
    **dict.fromkeys(
        ("article-journal", "article-magazine", "article-newspaper", "review", "review-book"),
        "article",
    ),
    **dict.fromkeys(("book", "classic"), "book"),
    **dict.fromkeys(("chapter", "entry", "entry-dictionary", "entry-encyclopedia"), "incollection"),
    "paper-conference": "inproceedings",
    "thesis": "thesis",
    "report": "report",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "manuscript": "unpublished",
    "dataset": "dataset",
    "software": "software",
    "article": "misc",
}
# An ``id`` that is a key as a person would write one, not a Zotero item URI or a number.
_KEY_LIKE = re.compile(r"[A-Za-z][\w:.+-]*")


def _read_csl_json(path: str, text: str) -> tuple[list[Record], list[Note]]:
    """CSL-JSON: a list of items (or one item, or ``{"items": [...]}`` as some tools write)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            path,
            error.lineno,
            f"not valid JSON ({error.msg} at column {error.colno}); export"
            " the library as CSL JSON again",
        ) from None
    if isinstance(data, dict):
        data = data.get("items", [data])
    if not isinstance(data, list):
        raise FormatError(path, 1, "not CSL-JSON (a list of items was expected)")
    lines = _item_lines(text, len(data))
    records: list[Record] = []
    notes: list[Note] = []
    for number, (item, line) in enumerate(zip(data, lines, strict=True), start=1):
        if not isinstance(item, dict):
            notes.append(Note(line, f"item {number} is not a JSON object; it is skipped"))
            continue
        try:
            records.append(_csl_record(line, item))
        except (TypeError, ValueError, AttributeError) as error:
            notes.append(
                Note(line, f"item {number} ({item.get('id', 'no id')}) cannot be read ({error});"
                     " it is skipped")
            )  # fmt: skip
    return records, notes


def _item_lines(text: str, count: int) -> list[int]:
    """The line each top-level item of a JSON list starts on (0 where that cannot be told)."""
    lines = []
    depth = 0
    in_string = escaped = False
    line = 1
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth == 2 and char == "{":
                lines.append(line)
        elif char in "]}":
            depth -= 1
    return lines if len(lines) == count else [0] * count


def _csl_names(value: Any) -> str:
    persons = []
    for person in value or []:
        if not isinstance(person, dict):
            continue
        literal = str(person.get("literal") or "")
        family = " ".join(
            str(part)
            for part in (person.get("non-dropping-particle"), person.get("family"))
            if part
        )
        given = " ".join(
            str(part) for part in (person.get("given"), person.get("dropping-particle")) if part
        )
        if person.get("suffix") and family and given:
            given = f"{given}, {person['suffix']}"
        if literal or (family and not given and person.get("isInstitution")):
            persons.append((literal or family, "", True))
        else:
            persons.append((family, given, not given and " " in family))
    return _bibtex_names(persons)


def _csl_date(value: Any) -> tuple[str, str]:
    """A CSL date as (year, ISO date): ``date-parts``, else ``raw`` or ``literal``."""
    if not isinstance(value, dict):
        return _year_of(str(value or "")), ""
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        numbers = [str(p).strip() for p in parts[0] if str(p).strip()]
        year = _year_of(numbers[0]) if numbers else ""
        iso = "-".join([numbers[0], *(n.zfill(2) for n in numbers[1:3])]) if year else ""
        return year, iso if len(numbers) > 1 else ""
    return _year_of(str(value.get("raw") or value.get("literal") or "")), ""


def _csl_record(line: int, item: Mapping[str, Any]) -> Record:
    entry_type = _CSL_TYPES.get(str(item.get("type", "")), "misc")

    def text(name: str) -> str:
        value = item.get(name)
        return "" if value is None or isinstance(value, (dict, list)) else str(value)

    year, date = _csl_date(item.get("issued"))
    key = text("citation-key") or text("id")
    title = text("title")
    fields = _fields(
        [
            ("author", _csl_names(item.get("author"))),
            ("editor", _csl_names(item.get("editor") or item.get("container-author"))),
            ("title", title),
            ("year", year),
            ("date", date),
            (_container_field(entry_type), text("container-title")),
            ("series", text("collection-title")),
            ("volume", text("volume")),
            ("number", text("issue") or text("number")),
            ("pages", text("page").replace("\u2013", "--")),
            (_publisher_field(entry_type), text("publisher")),
            ("address", text("publisher-place")),
            ("edition", text("edition")),
            ("doi", text("DOI")),
            ("isbn", text("ISBN")),
            ("issn", text("ISSN")),
            ("url", text("URL")),
            ("abstract", text("abstract")),
            ("keywords", text("keyword")),
            ("language", text("language")),
            ("note", text("note")),
            ("file", _file_field(text("file").split(";"))),
        ]
    )
    return Record(line, entry_type, fields, key if _KEY_LIKE.fullmatch(key) else None, title)


# EndNote XML


_ENDNOTE_TYPES = {
    **dict.fromkeys(
        ("journal article", "magazine article", "newspaper article", "electronic article"),
        "article",
    ),
    **dict.fromkeys(("book", "edited book", "electronic book"), "book"),
    **dict.fromkeys(("book section", "electronic book section", "encyclopedia"), "incollection"),
    **dict.fromkeys(("conference paper", "conference proceedings"), "inproceedings"),
    "thesis": "thesis",
    **dict.fromkeys(("report", "government document"), "report"),
    "web page": "online",
    **dict.fromkeys(("unpublished work", "manuscript"), "unpublished"),
    "dataset": "dataset",
    "computer program": "software",
}
_RECORD_START = re.compile(r"<record[\s>]")


def _read_endnote_xml(path: str, text: str) -> tuple[list[Record], list[Note]]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise FormatError(
            path,
            line,
            f"not well-formed XML ({reason} at column {column + 1}); export the"
            " library from EndNote as XML again",
        ) from None
    found = root.findall(".//record") if root.tag != "record" else [root]
    if not found:
        raise FormatError(
            path,
            1,
            f"no EndNote <record> found (the root element is <{root.tag}>); export the"
            " library from EndNote with File > Export, 'XML'",
        )
    starts = [text.count("\n", 0, m.start()) + 1 for m in _RECORD_START.finditer(text)]
    lines = starts if len(starts) == len(found) else [0] * len(found)
    records, notes = [], []
    for record, line in zip(found, lines, strict=True):
        files, missing = _endnote_attachments(path, record)
        records.append(_endnote_record(line, record, files))
        notes += [
            Note(line, f"{link}: not found in the library's .Data folder beside the export"
                 f" ({where}); export to the folder that holds the library to attach it",
                 "warning")
            for link, where in missing
        ]  # fmt: skip
    return records, notes


def _endnote_attachments(path: str, record: ET.Element) -> tuple[list[str], list[tuple[str, str]]]:
    """A record's attachments: ``file://`` paths as they are, and EndNote's
    ``internal-pdf://ID/name.pdf`` links as the file in the library's ``<Library>.Data/PDF/``
    folder beside the export (the library the record names, else the one ``.Data`` folder
    there), relative to the export; and the links not found there, with where kg looked."""
    found, missing = [], []
    export = Path(path).parent
    database = record.find("database")
    named = Path(database.get("name", "") if database is not None else "").stem
    for link in (_endnote_text(e) for e in record.findall("urls/pdf-urls/url")):
        parsed = urlparse(link)
        if parsed.scheme != "internal-pdf":
            found.append(link)
            continue
        inside = Path("PDF", unquote(parsed.netloc + parsed.path).lstrip("/"))
        folders = [f"{named}.Data"] if named else sorted(p.name for p in export.glob("*.Data"))
        hits = [f"{folder}/{inside.as_posix()}" for folder in folders
                if (export / folder / inside).is_file()]  # fmt: skip
        if len(hits) == 1:
            found.append(hits[0])
        else:
            missing.append((link, " or ".join(f"{f}/PDF" for f in folders) or "no .Data folder"))
    return found, missing


def _endnote_text(element: ET.Element | None) -> str:
    """An element's text, its ``<style>`` wrappers and all, on one line."""
    return "" if element is None else " ".join("".join(element.itertext()).split())


def _endnote_record(line: int, record: ET.Element, files: list[str]) -> Record:
    ref_type = record.find("ref-type")
    type_name = (ref_type.get("name", "") if ref_type is not None else "").casefold()
    entry_type = _ENDNOTE_TYPES.get(type_name, "misc")

    def text(path: str) -> str:
        return _endnote_text(record.find(path))

    def names(path: str) -> str:
        found = [_endnote_text(e) for e in record.findall(path)]
        return _bibtex_names(_written_name(name) for name in found if name)

    authors = names("contributors/authors/author")
    editors = names("contributors/secondary-authors/author")
    if type_name == "edited book" and not editors:
        authors, editors = "", authors
    container = text("titles/secondary-title") or text("periodical/full-title")
    if entry_type not in ("article", "incollection", "inproceedings"):
        container = text("titles/secondary-title")
    identifier = text("isbn")
    title = text("titles/title")
    fields = _fields(
        [
            ("author", authors),
            ("editor", editors if entry_type != "article" else ""),
            ("title", title),
            ("year", _year_of(text("dates/year"))),
            (_container_field(entry_type), container),
            ("series", text("titles/tertiary-title")),
            ("volume", text("volume")),
            ("number", text("number")),
            ("pages", text("pages").replace("\u2013", "--")),
            (_publisher_field(entry_type), text("publisher")),
            ("address", text("pub-location")),
            ("edition", text("edition")),
            ("doi", text("electronic-resource-num")),
            ("isbn" if entry_type in ("book", "incollection") else "issn", identifier),
            ("url", _endnote_text(record.find("urls/related-urls/url"))),
            ("abstract", text("abstract")),
            ("keywords", ", ".join(_endnote_text(k) for k in record.findall("keywords/keyword"))),
            ("language", text("language")),
            ("file", _file_field(files)),
        ]
    )
    return Record(line, entry_type, fields, None, title)


# Web of Science plain text


_WOS_RECORD = re.compile(r"^PT ", re.MULTILINE)


def _read_wos(path: str, text: str) -> tuple[list[Record], list[Note]]:
    import io

    from wosfile import PlainTextReader, ReadError

    text = text.lstrip("\ufeff")
    reader = None
    try:
        reader = PlainTextReader(io.StringIO(text))
        found = list(reader)
    except (ReadError, ValueError, StopIteration) as error:
        line = reader.current_line if reader is not None else 1
        raise FormatError(
            path,
            line,
            f"not a Web of Science plain-text export ({error or 'no VR line'}); export the"
            " records again as 'Plain text file' with 'Full Record'",
        ) from None
    starts = [text.count("\n", 0, m.start()) + 1 for m in _WOS_RECORD.finditer(text)]
    lines = starts if len(starts) == len(found) else [0] * len(found)
    return [_wos_record(line, record) for record, line in zip(found, lines, strict=True)], []


def _wos_record(line: int, wos: Mapping[str, str]) -> Record:
    """One Web of Science record: full names (``AF``) where it has them, else ``AU``; a
    group author (``CA``) as an organisation; ``SO`` the journal, or the book or proceedings
    of a chapter or paper; ``BP``-``EP`` or the article number (``AR``) as pages."""
    kind, document = wos.get("PT", "J").strip(), wos.get("DT", "").casefold()
    if "chapter" in document:
        entry_type = "incollection"
    elif kind == "C" or "proceedings paper" in document:
        entry_type = "inproceedings"
    elif kind == "B":
        entry_type = "book"
    elif kind in ("J", "S"):
        entry_type = "article"
    else:
        entry_type = "misc"

    def names(tag: str) -> list[str]:
        return [name.strip() for name in wos.get(tag, "").split(";") if name.strip()]

    authors = [_written_name(n) for n in names("AF") or names("AU")]
    authors += [(group, "", True) for group in names("CA")]
    editors = [_written_name(n) for n in names("BE")]
    title = wos.get("TI", "")
    container = wos.get("SO", "") if entry_type != "book" else wos.get("SE", "")
    pages = _pages(wos.get("BP", ""), wos.get("EP", "")) or wos.get("AR", "")
    fields = _fields(
        [
            ("author", _bibtex_names(authors)),
            ("editor", _bibtex_names(editors)),
            ("title", title),
            ("year", _year_of(wos.get("PY", "") or wos.get("EA", ""))),
            (_container_field(entry_type), container),
            ("volume", wos.get("VL")),
            ("number", wos.get("IS")),
            ("pages", pages),
            (_publisher_field(entry_type), wos.get("PU")),
            ("address", wos.get("PA")),
            ("doi", wos.get("DI")),
            ("isbn" if entry_type in ("book", "incollection") else "issn", wos.get("BN") or
             wos.get("SN")),
            ("abstract", wos.get("AB")),
            ("keywords", ", ".join(names("DE"))),
            ("language", wos.get("LA")),
        ]
    )  # fmt: skip
    return Record(line, entry_type, fields, None, title)
