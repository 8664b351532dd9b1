"""A text's own reference list: found, split into entries, each parsed into a ``Work``.

Finding the list (its heading) and splitting it into entries (a line that begins like a name,
after a line that ended like an entry, with a year soon after) are rules. Each entry's words
are then labelled with their field by a CRF (:mod:`kg.load.reference_tagger`, trained on
AnyStyle's labelled strings), and each field read by rules: the author list into people
("Bates, D., & Walker, S.", "Anacker AMJ, Beery AK", "R Core Team"), the year and its
suffix, volume, issue and pages; DOI and URL by pattern. The CRF was chosen over rules alone
by measurement on AnyStyle's gold.xml (``benchmarks/references.py``): rules written for the
shared PDFs got titles right for 0.84 of author-date entries and containers for 0.71, the
CRF 0.9 and more; both read names and years alike.

>>> found = find_references(text)  # doctest: +SKIP
>>> found.entries[0].authors[0].family, found.entries[0].year  # doctest: +SKIP
('Bates', '2015')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kg.load.bib import Person, Work
from kg.load.formats import key_name
from kg.load.reference_tagger import tag_words

__all__ = [
    "ParsedReference",
    "ReferenceList",
    "TextReferences",
    "find_references",
    "parse_names",
    "parse_reference",
    "read_references",
    "reference_section",
    "reference_works",
    "render_bibtex",
    "same_people",
    "split_references",
    "unknown_works",
]

# A reference section's heading alone on its line (a page number or form feed may come before
# it in pdftotext's output), in English and, where cheap, the languages a review may be in.
_HEADING = re.compile(
    r"^[ \t\f]*(?:\d+\.?\s+)?(references|reference list|bibliography|literature cited|works cited"
    r"|cited literature|literature|references cited|references and notes|notes and references"
    r"|literatur|literaturverzeichnis|quellenverzeichnis|bibliographie|r[ée]f[ée]rences"
    r"|r[ée]f[ée]rences bibliographiques|referencias(?: bibliogr[áa]ficas)?|bibliograf[íi]a"
    r"|refer[êe]ncias(?: bibliogr[áa]ficas)?|riferimenti bibliografici|literatuur|litteratur"
    r"|referenser|kirjallisuus|bibliografie)[ \t]*:?[ \t]*$",
    re.I | re.M,
)
_END = re.compile(
    r"^[ \t]*(?:appendix|appendices|supplementary (?:material|information)|conflict of interest"
    r"|conflicts of interest|footnotes|figure captions|tables?\s*\d*\s*$|table \d+\b"
    r"|figure \d+\b|fig\. \d+|author contributions|received:|citation:|copyright ©)",
    re.I,
)
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d|n\.\s?d\.|in press|forthcoming)(?P<suffix>[a-z]?)"
_YEAR_BRACKETED = re.compile(r"\(\s*" + _YEAR + r"(?:\s*[,/][^()]{0,40})?\s*\)", re.I)
_YEAR_BARE = re.compile(r"(?<=[.,])\s+" + _YEAR + r"(?=[.,:;]\s|[.,]?$)", re.I)
_YEAR_ANY = re.compile(r"\b" + _YEAR + r"\b", re.I)
_DOI = re.compile(
    r"(?:(?:doi|DOI)\s*:?\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\"<>]+)", re.I
)
_URL = re.compile(
    r"(?:(?:Retrieved|Available)\s+(?:from|at)\s*:?\s*|URL:?\s*)?(?:https?://|www\.)[^\s<>\"]+",
    re.I,
)
_INITIALS = re.compile(r"^(?:[A-Z\u00c0-\u00de][a-z]?\.?(?:\s*-\s*|\s+)?)+$")
_TRAILING_INITIALS = re.compile(r"^(?P<family>.+?)\s+(?P<given>[A-Z\u00c0-\u00de]{1,4})$")
_ENTRY_START = re.compile(
    r"^(?:[A-Z\u00c0-\u00de][\w'’\-]+|(?:van|von|de|da|del|der|di|le|la|du|ten|ter) [A-Z]\w+"
    r"|[\d][\w]+|[A-Z] [A-Z][a-z])"
)
_LIST_SEPARATORS = re.compile(r"\s*(?:,?\s+(?:&|and)\s+|;\s*)\s*")
_ELLIPSIS = re.compile(r",?\s*(?:…|\.\s\.\s\.|\.\.\.)\s*,?")
_ET_AL = re.compile(r",?\s*\bet\s+al\.?", re.I)
_PARTICLE_AFTER = re.compile(
    r"^((?:[A-Z\u00c0-\u00de]\.\s?)+)\s*((?:van|von|de|der|den|da|du|le|la|ten|ter)(?: \w+)?)$"
)
_ORGANISATION = re.compile(
    r"\b(?:Bank|Team|Organi[sz]ation|Office|Council|Association|Institute|Commission|Agency"
    r"|Ministry|Department|Foundation|Consortium|Community|Group|Society|Committee|Cent(?:re|er)"
    r"|Panel|Service|Union|Nations|Statistics|Project|Board|Network|Alliance|Trust)\b"
)
_GENERATION = re.compile(r"\s+(?:Jr|Sr|II|III|IV)\.?$")
_ROLE = re.compile(r"\s*\((?:eds?|editors?|hrsg|coord)\.?\)\.?", re.I)


@dataclass(frozen=True)
class ParsedReference:
    """One entry of a reference list: its string as printed and the fields read from it.

    ``offset`` is where the entry starts in the text it was found in; ``problem`` says what
    could not be read (no year, no authors), for a one-line warning.
    """

    raw: str
    authors: tuple[Person, ...]
    year: str
    suffix: str
    title: str
    container: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    publisher: str = ""
    editors: tuple[Person, ...] = ()
    chapter: bool = False
    offset: int = 0
    problem: str = ""

    @property
    def entry_type(self) -> str:
        """The BibTeX type the fields suggest: article, incollection, book or misc."""
        if self.chapter:
            return "incollection"
        if self.container and (self.volume or self.pages):
            return "article"
        if self.publisher and not self.container:
            return "book"
        return "misc"


@dataclass(frozen=True)
class ReferenceList:
    """A text's reference section: where it starts and ends, and its parsed entries."""

    start: int
    end: int
    entries: tuple[ParsedReference, ...]


def find_references(text: str) -> ReferenceList | None:
    """The reference section of ``text`` split and parsed, or None if it has no heading
    ("References", "Bibliography", "Literature Cited", ...) followed by entries."""
    found = _section(text)
    if found is None:
        return None
    start, end, entries = found
    return ReferenceList(start, end, tuple(parse_reference(raw, offset=at) for at, raw in entries))


def reference_section(text: str) -> tuple[int, int] | None:
    """Where ``text``'s reference section lies, from its heading to its end (an appendix, a
    conflict-of-interest statement, figure captions or the text's end), without parsing its
    entries; None if no heading is followed by at least two entries. Names and years in it
    are entries, not citations: a claim is never made of them.

    >>> text = "As (Smith, 2010).\\n\\nReferences\\nSmith, J. (2010). A.\\nYu, K. (2011). C."
    >>> reference_section(text)
    (19, 68)
    """
    found = _section(text)
    return None if found is None else found[:2]


def _section(text: str) -> tuple[int, int, list[tuple[int, str]]] | None:
    # The last heading followed by entries: a "References" in the body or a contents list
    # before it is not the list.
    for heading in reversed(list(_HEADING.finditer(text))):
        start = heading.end()
        end = _section_end(text, start)
        entries = split_references(text[start:end], offset=start)
        if len(entries) >= 2:
            return heading.start(), end, entries
    return None


def _section_end(text: str, start: int) -> int:
    position = start
    for line in text[start:].splitlines(keepends=True):
        if position > start and _END.match(line):
            return position
        position += len(line)
    return len(text)


def split_references(section: str, *, offset: int = 0) -> list[tuple[int, str]]:
    """The entries of a reference section as (offset, string): a line starts an entry when
    it begins like a name, the line before ended like an entry (a full stop, a number, a
    bracket, a URL) and a year follows soon; a piece with no year of its own goes with the
    entry before it ("Chapman and Hall, CRC Press" after "Wood S (2006a) ... R.")."""
    lines: list[tuple[int, str]] = []
    position = offset
    for line in section.splitlines(keepends=True):
        if line.strip():
            lines.append((position, line.strip()))
        position += len(line)
    entries: list[list[tuple[int, str]]] = []
    for index, (at, line) in enumerate(lines):
        following = " ".join(text for _, text in lines[index : index + 8])
        if not entries or _starts_entry(line, following, entries[-1][-1][1]):
            entries.append([(at, line)])
        else:
            entries[-1].append((at, line))
    joined: list[tuple[int, str]] = []
    for group in entries:
        text = _join_lines([line for _, line in group])
        if joined and _year(text) is None:
            joined[-1] = (joined[-1][0], _join_lines([joined[-1][1], text]))
        else:
            joined.append((group[0][0], text))
    return joined


def _starts_entry(line: str, following: str, previous: str) -> bool:
    if not _ENTRY_START.match(line) or re.search(r"(?:,|&|\band)$", previous):
        return False
    url = re.search(
        r"(?:https?://|www\.|doi\.org/|10\.\d{4,9}/)\S*$|\S/\S*$|\.(?:com|org|net|edu|gov|io|tech)"
        r"\S*$|^\S+$",
        previous,
    )
    if not url and not re.search(r"[.)\]\d]$", previous) and not _SPRINGER_START.match(line):
        return False
    first = line.split()[0]
    if _OPEN_LINK.search(previous) and "," not in first and re.search(r"[/.=\d]", first):
        return False  # "https://.../Books/" + "Companion-2E": the link goes on
    years = [m for m in (_YEAR_BRACKETED.search(following), _YEAR_BARE.search(following)) if m]
    if not years:
        return False
    names = following[: min(m.start() for m in years)]
    return len(names) < 1500 and not _NOT_NAMES.search(names)


# A line that is surely an entry's start, whatever the line before ends with (Springer's
# entries have no closing full stop): names with bare initials, then the year in brackets.
_SPRINGER_START = re.compile(
    r"^(?:[A-Z\u00c0-\u00de][\w'’-]+ ){1,2}[A-Z]{1,4}(?:, (?:[A-Z\u00c0-\u00de][\w'’-]+ ){1,2}"
    r"[A-Z]{1,4})*(?:,? et al\.?)? \((?:1[5-9]|20)\d\d[a-z]?\)"
)


# What the part of an entry before its year (the authors) never holds.
_NOT_NAMES = re.compile(r"\d{2,}|https?:|www\.|[:/=\[\]]|\b(?:doi|pp|vol|eds|In)\b|[“”\"]")


# A line ending inside a link or DOI: the next line goes on with it, with no space.
_OPEN_LINK = re.compile(
    r"(?:(?:https?://|doi\.org/|\b10\.\d{4,9}/)(?:\S*[./_\-=])?|\bdoi:\s?10\.|https?:)$", re.I
)
# A line that ends inside a word or number the next line completes: a page range ("408–" |
# "414"), a compound name ("Martínez-" | "Ferrer"), a path ("GCV/AIC/" | "REML").
_OPEN_WORD = re.compile(r"(?:\d[–-]|\w-|\w/)$")


def _join_lines(lines: Sequence[str]) -> str:
    out = ""
    for line in lines:
        if not out:
            out = line
        elif _OPEN_LINK.search(out) or (
            _OPEN_WORD.search(out) and line[:1].isalnum() and not line[:1].islower()
        ):
            out += line
        else:
            out += " " + line
    return " ".join(out.split())


def parse_reference(raw: str, *, offset: int = 0) -> ParsedReference:
    """The fields of one reference string: each word labelled by the CRF
    (:mod:`kg.load.reference_tagger`), then each field's words read by rules (names into
    people, the year and its suffix, volume, issue and pages); DOI and URL by pattern.

    >>> ref = parse_reference("Bates, D., & Walker, S. (2015). Fitting models. "
    ...                       "Journal of Statistical Software, 67(1), 1–48.")
    >>> ref.authors[1].family, ref.year, ref.title, ref.container, ref.volume, ref.pages
    ('Walker', '2015', 'Fitting models', 'Journal of Statistical Software', '67', '1–48')
    """
    text = " ".join(raw.split())
    words = text.split()
    tags = _mended(words, tag_words(words))
    spans: dict[str, list[str]] = {}
    for word, tag in zip(words, tags, strict=True):
        spans.setdefault(tag, []).append(word)
    field = _fields_mended({name: " ".join(found) for name, found in spans.items()})
    doi = _DOI.search(text)
    url = _URL.search(field.get("url", "") or text)
    year = _year(field.get("date", "")) or _year(text)
    names = field.get("author", "")
    editors = parse_names(_ROLE.sub("", re.sub(r"^(?:[Ee]d(?:ited)?\.?\s+by|[Ii]n:?)\s+", "",
                                                field.get("editor", ""))))  # fmt: skip
    authors = parse_names(_ROLE.sub("", names)) if names else ()
    first_year = _year(text)
    if not authors and not editors and first_year and first_year.start() > 0:
        # The CRF saw few organisations as authors ("Intergovernmental Panel on Climate
        # Change, 2007."): what comes before the year is the author, as the rules read it.
        authors = parse_names(_ROLE.sub("", text[: first_year.start()]))
    container = field.get("container", "")
    chapter = bool(re.match(r"^in:?\s", container, re.I)) or bool(editors and container)
    container = re.sub(r"^in:?\s+", "", container, flags=re.I)
    numbers = _numbers(field.get("volume", ""), field.get("pages", ""))
    problem = "" if year else "no year found"
    problem = problem or ("" if authors or editors else "no authors found")
    return ParsedReference(
        raw,
        authors or editors,
        year.group("year") if year else "",
        year.group("suffix") if year else "",
        _strip(field.get("title", "")),
        container=_container(container),
        volume=numbers[0], issue=numbers[1], pages=numbers[2],
        doi=doi.group(1).rstrip(".,;)") if doi else "",
        url=_url(url.group(0)) if url and not doi else "",
        publisher=_strip(field.get("publisher", "")),
        editors=editors if authors else (),
        chapter=chapter,
        offset=offset,
        problem=problem,
    )  # fmt: skip


_JOURNAL_TAIL = re.compile(
    r"^(?P<container>[^\d]+?),?\s+(?P<volume>\d+)(?:\s*\([^)]+\))?\s*[:,]\s*[eE]?\d+"
    r"(?:\s*[-–—]\s*[eE]?\d+)?\.?$"
)


_VOLUME_PAGES = re.compile(r"^\d+(?:\([^)]*\))?:[A-Za-z]?\d+(?:[-–—][A-Za-z]?\d+)?[.,]?$")


def _mended(words: Sequence[str], tags: list[str]) -> list[str]:
    """The CRF's labels, mended where journal styles it saw little of fool it: a tail
    "Front Behav Neurosci 7:185" after the title is container, volume and pages; a title
    that ends "... Snapshot. Computers," before a container ends at "Snapshot."."""
    tags = list(tags)
    try:
        end = len(tags) - tags[::-1].index("title")
    except ValueError:
        return tags
    tail = words[end:]
    if tail and not {"container", "volume"} & set(tags[end:]):
        match = _JOURNAL_TAIL.match(" ".join(tail))
        if match:
            names = len(match.group("container").split())
            for index in range(end, len(words)):
                tags[index] = "container" if index - end < names else "volume"
            if ":" not in words[-1]:  # "7:185" is read whole as volume and pages
                tags[-1] = "pages"
    runs = [i for i, tag in enumerate(tags) if tag == "title" and (i == 0 or tags[i - 1] != tag)]
    if len(runs) == 2 and "container" not in tags and "editor" in tags[runs[0] : runs[1]]:
        # "Chapter, in: Sun, X. (Eds.), Book Title. Publisher": the book is the container
        for index in range(runs[1], len(tags)):
            if tags[index] != "title":
                break
            tags[index] = "container"
    last = max((i for i, tag in enumerate(tags) if tag == "container"), default=-1)
    if last > 0 and _VOLUME_PAGES.match(words[last]) and tags[last - 1] == "container":
        tags[last] = "volume"  # "BMC Bioinformatics 5:113"
    if end < len(tags) and tags[end] == "container" and words[end - 1].endswith(","):
        start = tags.index("title")
        for index in range(end - 1, start, -1):
            if words[index - 1].endswith(".") and words[index][:1].isupper():
                if all(w[:1].isupper() for w in words[index:end]):
                    tags[index:end] = ["container"] * (end - index)
                break
    return tags


# A title's last sentence that names where the work is kept, not what it is called.
_KEPT_AT = re.compile(
    r"\.\s+(?:(?P<host>Zenodo|figshare|GitHub|Dryad|OSF|Software Heritage)|R package version"
    r" [\w./-]+)\.?$"
)
_SENTENCE_BREAK = re.compile(r"(?<=[\w)?!'\"])\.\s+(?=[A-Z])")
_PERIODICAL = re.compile(r"^(?:The\s+)?(?:Journal|Proceedings|Annals|Bulletin|Transactions)\b")
_CONTAINER_WORD = re.compile(r"^(?:[A-Z&][\w&'-]*\.?|of|and|in|on|the|for|&)$")


def _last_sentence(text: str) -> tuple[str, str] | None:
    """``text`` cut before its last sentence when that sentence reads as a journal's name
    (one to six capitalised words) and what comes before as a title (three words or more,
    its last word not an abbreviation): "Science Storms the Cloud. AGU Advances"."""
    breaks = list(_SENTENCE_BREAK.finditer(text))
    if not breaks:
        return None
    cut = breaks[-1]
    head, tail = text[: cut.start()], text[cut.end() :]
    last = head.split()[-1] if head.split() else ""
    tail_words = tail.rstrip(" .,").split()
    if len(head.split()) < 3 or (len(last) < 4 and not last.isdigit()):
        return None
    if not 1 <= len(tail_words) <= 6 or not all(_CONTAINER_WORD.match(w) for w in tail_words):
        return None
    return head, tail


def _fields_mended(field: dict[str, str]) -> dict[str, str]:
    """The fields as labelled, mended where a title and a container were run together: a
    title that ends with a journal and its numbers ("... calls. Anim Behav 86:893–900"), or
    with a journal before the numbers labelled apart ("... sciences. Big Earth Data" | "1(1-2),
    4–20"); a container holding the title before it ("Ensembl 2016. Nucleic Acids Research");
    a title ending with where the work is kept ("... v3.5.1. Zenodo", "R package version
    0.4.0")."""
    title, container = field.get("title", ""), field.get("container", "")
    kept = _KEPT_AT.search(title)
    if kept:
        title = title[: kept.start()]
        if kept.group("host") and not field.get("publisher"):
            field["publisher"] = kept.group("host")
    if title and not container:
        cut = _last_sentence(title)
        tail = _JOURNAL_TAIL.match(cut[1]) if cut else None
        if cut and tail and not field.get("volume") and not field.get("pages"):
            title, container = cut[0], tail.group("container")
            field["volume"] = cut[1][tail.end("container") :].strip(" ,")
        elif cut and (field.get("volume") or field.get("pages")):
            title, container = cut
    elif container and not title:
        cut = _last_sentence(container)
        if cut and (field.get("volume") or field.get("pages")):
            title, container = cut
        elif not (field.get("volume") or field.get("pages") or field.get("editor")):
            title, container = container, ""  # a book or software: "Numerical Ecology with R."
    publisher = field.get("publisher", "")
    if not container and _PERIODICAL.match(publisher):
        container, field["publisher"] = publisher, ""  # "Journal of Academy of Sciences."
    field["title"], field["container"] = title, container
    return {name: value for name, value in field.items() if value}


def _strip(text: str) -> str:
    """A field's words without the punctuation that joins it to the next field."""
    text = text.strip(" .,;:")
    for opening, closing in ('""', "“”", "‘’", "«»", "''"):
        if text.startswith(opening) and text.rstrip(".,;:").endswith(closing):
            text = text.rstrip(".,;:")[1:-1]
    return text.strip(" .,;:")


_ABBREVIATED = re.compile(r"\b[A-Z][a-z]{0,5}\.\s.*\b[A-Z][a-z]{0,5}$")


def _container(text: str) -> str:
    """A container's words stripped as a field, but an abbreviated journal keeps its last
    full stop: "Anim. Behav." and "Proc. Natl. Acad. Sci. U.S.A.", not "Anim. Behav"."""
    stripped = _strip(text)
    if text.rstrip(" ,;:").endswith(".") and _ABBREVIATED.search(stripped):
        return stripped + "."
    return stripped


def _url(text: str) -> str:
    return re.sub(r"^(?:Retrieved|Available)\s+(?:from|at)\s*:?\s*|^URL:?\s*", "", text,
                  flags=re.I).rstrip(".,;)")  # fmt: skip


_VOLUME_FIRST = re.compile(r"^\s*\d+[A-Z]?\s*(?:\([^)]*\))?\s*:\s*[A-Za-z]?\d")


def _numbers(volume: str, pages: str) -> tuple[str, str, str]:
    """Volume, issue and pages from the words labelled volume and pages:
    "67(1)," "1–48." -> ("67", "1", "1–48"); Springer's "7:185" -> ("7", "", "185")."""
    match = re.search(
        r"(?P<volume>\d+[A-Z]?)\s*(?:\((?P<issue>[^)]{1,20})\))?\s*(?:[:,]\s*(?P<pages>[A-Za-z]?\d+"
        r"(?:\s*[-–—]\s*[A-Za-z]?\d+)?))?",
        volume,
    )
    if not match and _VOLUME_FIRST.match(pages):  # "65:542–550" labelled pages whole
        return _numbers(pages, "")
    found = re.search(r"[A-Za-z]?\d+(?:[A-Z]+\d+)?(?:\s*[-–—]+\s*[A-Za-z]?\d+)?", pages)
    return (
        match.group("volume") if match else "",
        (match.group("issue") or "").strip() if match else "",
        found.group(0) if found else (match.group("pages") or "" if match else ""),
    )


def _year(text: str) -> re.Match[str] | None:
    found = [m for m in (_YEAR_BRACKETED.search(text), _YEAR_BARE.search(text)) if m]
    return min(found, key=lambda m: m.start()) if found else _YEAR_ANY.search(text)


def parse_names(text: str) -> tuple[Person, ...]:
    """A printed author list as people: "Bates, D., Mächler, M., & Walker, S.",
    "Anacker AMJ, Beery AK", "Boitani, L., and Ciucci, P.", "R Core Team"."""
    text = _ET_AL.sub("", _ELLIPSIS.sub(", ", text)).strip(" ,.;")
    if not text:
        return ()
    parts = [p.strip(" .") for p in re.split(r",\s*", _LIST_SEPARATORS.sub(", ", text))]
    parts = [p for p in parts if p]
    if (len(parts) == 2 and re.fullmatch(r"[A-Z][\w'’-]*[a-z]", parts[0])
            and re.fullmatch(r"[A-Z][a-z\u00df-\u00ff]+(?:-[A-Z][a-z]+)?", parts[1])
            and not _LIST_SEPARATORS.search(text)):  # fmt: skip
        return (Person(parts[0], parts[1]),)  # "McKinney, Wes.": one person, given name spelt out
    people: list[Person] = []
    pending: str | None = None
    for part in parts:
        particle = _PARTICLE_AFTER.match(part)
        if pending is not None and particle:  # "Barneveld, A. van": family is "Barneveld"
            people.append(Person(pending, _given(particle.group(1)) + " " + particle.group(2)))
            pending = None
            continue
        if pending is not None and _INITIALS.match(part + "."):
            people.append(Person(pending, _given(part)))
            pending = None
            continue
        if pending is not None:
            people.append(_alone(pending))
            pending = None
        trailing = _TRAILING_INITIALS.match(_GENERATION.sub("", part))  # "Zimmerman RR II"
        if trailing and re.match(r"^(?:[\w'’-]+\s){0,2}[\w'’-]+$", trailing.group("family")):
            people.append(Person(trailing.group("family"), trailing.group("given")))
        else:
            pending = part
    if pending is not None:
        people.append(_alone(pending))
    return tuple(people)


def _given(initials: str) -> str:
    letters = re.findall(r"[A-Z\u00c0-\u00de][a-z]?\.?|-", initials)
    out = ""
    for letter in letters:
        out += letter if letter == "-" else (letter if letter.endswith(".") else letter + ".")
        out += "" if letter == "-" else " "
    return out.replace(" -", "-").strip()


def _alone(name: str) -> Person:
    """A name with no initials beside it: an organisation ("R Core Team"), a person written
    given-name first ("Martin Sudmanns"), or a lone family name."""
    words = name.split()
    if len(words) == 1:
        return Person(name)
    if (
        len(words) == 2
        and all(w[:1].isupper() and w[1:].islower() for w in words)
        and not _ORGANISATION.search(name)
    ):
        return Person(words[1], words[0])
    return Person(name, organisation=True)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if c.isascii()).lower())


def _key_name(author: Person) -> str:
    """An author's part of a key: a person's last family name ("laan" for van der Laan), an
    organisation's initials or its two words, as kg mints keys for RIS records ("ipcc",
    "worldbank")."""
    return key_name(author.family) if author.organisation else _ascii(author.family.split()[-1])


def reference_works(
    entries: Iterable[ParsedReference], source: str, *, taken: Iterable[str] = ()
) -> list[Work]:
    """Parsed entries as works for the graph, keyed like Better BibTeX ("bates2015fitting",
    a printed year suffix after the year: "wood2006blowrank"); each keeps its printed string
    (``kg-reference``) and the text it came from (``kg-reference-source``). Keys in
    ``taken`` are not reused."""
    used = set(taken)
    works = []
    for entry in entries:
        if not entry.authors and not entry.title:
            continue
        first = _key_name(entry.authors[0]) if entry.authors else "anon"
        word = next((_ascii(w) for w in entry.title.split() if len(_ascii(w)) > 3), "")
        year = entry.year if entry.year[:1].isdigit() else "nd"
        base = f"{first or 'anon'}{year}{entry.suffix}{word}"
        key, number = base, 1
        while key in used:
            number += 1
            key = f"{base}{number}"
        used.add(key)
        fields = [("title", entry.title), ("year", entry.year)]
        container = "journal" if entry.entry_type == "article" else "booktitle"
        for name, value in (
            (container, entry.container), ("volume", entry.volume), ("number", entry.issue),
            ("pages", entry.pages), ("doi", entry.doi), ("url", entry.url),
            ("publisher", entry.publisher), ("kg-reference", entry.raw),
            ("kg-reference-source", source),
        ):  # fmt: skip
            if value:
                fields.append((name, value.replace("\\", "\\\\").replace("{", "\\{")
                               .replace("}", "\\}")))  # fmt: skip
        works.append(Work(
            key, entry.entry_type, entry.title, entry.year if entry.year[:1].isdigit() else None,
            entry.authors, entry.editors if entry.chapter else (), tuple(fields), source,
            0, entry.suffix,
        ))  # fmt: skip
    return works


def render_bibtex(works: Sequence[Work]) -> str:
    """Works as BibTeX entries, to paste into a reference manager.

    A year suffix ("2006b") stays in the key ("wood2006blowrank") and in the note ("year
    printed 2006b"), while ``year`` holds the year alone: Zotero, JabRef, Mendeley and biber
    read a year of four digits as a date and keep a note, where "2006b" in ``year`` is a date
    they cannot parse. biblatex's ``extradate`` is not used: biber works it out afresh from
    the entries a document cites and ignores one given in the file, and other managers drop
    it. A citation processor assigns the letter again from the works cited together."""
    out = []
    for work in works:
        lines = [f"@{work.entry_type}{{{work.key},"]
        names = " and ".join(
            f"{{{p.family}}}" if p.organisation else f"{p.family}, {p.given}".strip(", ")
            for p in work.authors
        )
        if names:
            lines.append(f"  author = {{{names}}},")
        editors = " and ".join(f"{p.family}, {p.given}".strip(", ") for p in work.editors)
        if editors:
            lines.append(f"  editor = {{{editors}}},")
        lines += [f"  {name} = {{{value}}}," for name, value in work.fields if name[:3] != "kg-"]
        source = work.get("kg-reference-source")
        suffix = work.year_suffix
        printed = f"; year printed {work.year}{suffix}" if work.year and suffix else ""
        lines.append(f"  note = {{Parsed by kg from the reference list of {source}{printed}}},")
        lines.append("}")
        out.append("\n".join(lines))
    return "\n\n".join(out) + ("\n" if out else "")


def _match_key(work: Work) -> tuple[tuple[str, ...], str, str]:
    families = tuple(_ascii(p.family) for p in work.authors)
    return families, (work.year or "")[:4], _ascii(work.title)[:40]


def unknown_works(parsed: Sequence[Work], known: Sequence[Work]) -> list[Work]:
    """The parsed works the bibliography ``known`` lacks: a work with the same DOI, or the
    same family names, year and title, is the bibliography's (one work, not two)."""
    dois = {(w.get("doi") or "").lower() for w in known} - {""}
    keys = {_match_key(w) for w in known}
    return [
        work
        for work in parsed
        if (work.get("doi") or "").lower() not in dois and _match_key(work) not in keys
    ]


def _initials(given: str) -> tuple[str, ...]:
    """A given name's initials: "Douglas M." -> ("D", "M"); "AMJ" -> ("A", "M", "J")."""
    out: list[str] = []
    for part in re.split(r"[\s.\-‐]+", given):
        if not part:
            continue
        if part.isupper() and len(part) <= 4 and part.isalpha():
            out.extend(part)  # Springer's "Anacker AMJ"
        else:
            out.append(part[0].upper())
    return tuple(out)


def same_people(parsed: Sequence[Work], known: Sequence[Work]) -> list[Work]:
    """The parsed works with each author or editor who is a bibliography person written
    the bibliography's way, so the review has one person, not two: the same family name and
    given names whose initials agree as far as both go ("Bates, D." is "Bates, Douglas M.";
    "Bates" alone is too). Where two people of the bibliography would fit, the name is left
    as printed.

    >>> known = [Work("b", "article", "T", "2015", (Person("Bates", "Douglas M."),))]
    >>> parsed = [Work("p", "article", "U", "2011", (Person("Bates", "D"),))]
    >>> same_people(parsed, known)[0].authors
    (Person(family='Bates', given='Douglas M.', organisation=False),)
    """
    by_family: dict[str, set[Person]] = {}
    for work in known:
        for person in (*work.authors, *work.editors):
            if not person.organisation:
                by_family.setdefault(_ascii(person.family), set()).add(person)

    def canonical(person: Person) -> Person:
        if person.organisation:
            return person
        mine = _initials(person.given)
        fits = {
            other
            for other in by_family.get(_ascii(person.family), ())
            if _initials(other.given)[: len(mine)] == mine[: len(_initials(other.given))]
        }
        return fits.pop() if len(fits) == 1 else person

    out = []
    for work in parsed:
        authors = tuple(canonical(p) for p in work.authors)
        editors = tuple(canonical(p) for p in work.editors)
        if authors != work.authors or editors != work.editors:
            work = replace(work, authors=authors, editors=editors)
        out.append(work)
    return out


@dataclass(frozen=True)
class TextReferences:
    """What a citing text's reference list brings: the works the bibliography lacks, where
    the list lies in the text (names and years in it are not citations), and its entries
    that could not be read (no year, no authors), for warnings."""

    works: tuple[Work, ...] = ()
    start: int = 0
    end: int = 0
    problems: tuple[ParsedReference, ...] = ()

    def holds(self, offset: int) -> bool:
        """Whether ``offset`` lies in the reference list."""
        return self.start <= offset < self.end


def read_references(text: str, source: str, known: Sequence[Work]) -> TextReferences:
    """The reference list of ``text`` (from the file named ``source``) against the
    bibliography ``known``: its entries as works, less those ``known`` has."""
    found = find_references(text)
    if found is None:
        return TextReferences()
    works = reference_works(found.entries, source, taken={work.key for work in known})
    return TextReferences(
        tuple(same_people(unknown_works(works, known), known)),
        found.start,
        found.end,
        tuple(entry for entry in found.entries if entry.problem),
    )
