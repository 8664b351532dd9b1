"""Find author-date in-text citations in article text and resolve them to bibliography works.

The text is what comes out of a PDF: running headers, words hyphenated across line breaks,
citations split over lines, curly quotes. Nothing is rewritten before matching, so every offset
in a ``Mention`` or ``Reference`` indexes the original string (Python ``str`` indices, end
exclusive) and ``text[m.start:m.end] == m.surface`` always holds.

Three forms are recognised:

- parenthetical, ``(see Nixon, 2018)``, ``(Buck, 2014, 2016; Jaffe, 2012: 3)``,
  ``(Grayling, 2012 in Buck, 2017: 1)``: a bracket whose items each give names and years;
- narrative, ``Maruna (2001)``, ``Giordano et al.'s (2002)``, ``Hucklesby and Wincup (2014: 1)``:
  names written just before a bracket that starts with a year.
- bare, ``see Cohen 2004``, ``Hueso et al. 2010``, ``Matthews & Sandage 1963; Smith 1963``:
  names and a year with no bracket of their own, taken only when nothing else can be meant.

A year alone (``the 2013 Transforming Rehabilitation agenda``) or a bracket after something
that is not a name (``Vol. 67(1)``) is never a citation.

>>> [m.surface for m in find_citations("As Maruna (2001) says (see Buck, 2017: 1).")]
['Maruna (2001)', '(see Buck, 2017: 1)']
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from kg.load.bib import Work, family_names, normalise_name
from kg.load.references import reference_section

__all__ = [
    "Mention",
    "Reference",
    "ResolutionIssue",
    "WorksIndex",
    "citing_mentions",
    "extend_index",
    "find_citations",
    "index_works",
    "line_of",
    "resolve_citations",
    "sentence_span",
    "uncited_works",
]


@dataclass(frozen=True)
class Reference:
    """One cited work inside a citation group, with its span in the original text.

    ``surnames`` are as written (NFC, line breaks and soft hyphens removed, no "et al.").
    For a narrative citation with one year the span is the whole ``Name (year)``; a year whose
    author is elided (``2016`` in ``Buck, 2014, 2016``) spans only the year. ``secondary_source``
    is set on a work cited second-hand: the index, within the mention's ``refs``, of the work it
    was cited in. ``bibkey`` and ``confidence`` are filled by ``resolve_citations``.
    """

    surnames: tuple[str, ...]
    year: str
    start: int
    end: int
    suffix: str = ""
    et_al: bool = False
    locator: str | None = None
    locator_raw: str | None = None
    author_elided: bool = False
    secondary_source: int | None = None
    bibkey: str | None = None
    confidence: float = 0.0
    forenames: str = ""


@dataclass(frozen=True)
class Mention:
    """One citation group as it appears in the text.

    ``kind`` is ``"parenthetical"`` (the span includes the brackets), ``"narrative"`` (the span
    runs from the first name to the closing bracket) or ``"bare"`` (names and years without
    brackets of their own: "see Cohen 2004"). ``line`` is the 1-based line of ``start``.
    """

    start: int
    end: int
    surface: str
    kind: str
    refs: tuple[Reference, ...]
    prefix: str | None = None
    line: int = 0


@dataclass(frozen=True)
class ResolutionIssue:
    """A reference that could not be resolved exactly: ``unresolved``, ``ambiguous``,
    ``misspelt``, ``shortened`` (one name for a work of several authors), ``et-al`` ("et al."
    for the one work of three authors or more among works it could mean) or ``suffix`` (a year
    suffix the bibliography does not give, assigned by title).

    ``detail`` says what happened; ``message`` is the same led by the line, for reading
    alone. ``candidates`` holds the keys of the works an ambiguous reference could mean.
    """

    kind: str
    mention: Mention
    ref: Reference
    line: int
    detail: str
    candidates: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """The detail with its line: "line 72: 'Borril' taken as 'Borrill' (...)"."""
        return f"line {self.line}: {self.detail}"


# A letter, including a combining mark so that decomposed accents stay inside a name.
_L = r"(?:[^\W\d_]|[\u0300-\u036f])"
# An accent a PDF set as a glyph of its own, which text extraction gives as a spacing
# character beside its letter, often with a space on one side: "Kamin ´ski", "Lo ¨scher"
# (the letter before it), "Sch¨ olkopf" (the letter after it). The grave accent, the caret and
# the tilde are left out: texts use them as quotes and symbols.
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # ´ acute
    "\u00a8": "\u0308",  # ¨ diaeresis
    "\u02dc": "\u0303",  # ˜ small tilde
    "\u02c7": "\u030c",  # ˇ caron
    "\u02da": "\u030a",  # ˚ ring
    "\u00b8": "\u0327",  # ¸ cedilla
    "\u02db": "\u0328",  # ˛ ogonek
    "\u02dd": "\u030b",  # ˝ double acute
    "\u02c6": "\u0302",  # ˆ circumflex
}
_ACCENTS = "".join(_SPACING_ACCENTS)
_ACCENT = f"[{_ACCENTS}]"
_WORD = (
    rf"{_L}(?:{_L}|['\u2019]{_L}|[-\u00ad](?:[ \t]*\n[ \t]*)?{_L}"
    rf"|[ ]?{_ACCENT}(?:(?<! {_ACCENT})[ ])?{_L})*"
)
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "dos",
        "das",
        "le",
        "la",
        "ten",
        "ter",
        "zu",
        "op",
    ]
)
_PARTICLE = f"(?i:{'|'.join(sorted(_PARTICLES, key=lambda p: (-len(p), p)))})"
# An organisation may start with a number: "4Children".
_NAME = rf"(?:{_PARTICLE}\s+)*(?:\d+(?=[A-Z]))?{_WORD}"
_NAME_SEP = r"(?:\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+|/(?=[A-Z]))"

_PAREN = re.compile(r"\(([^()]{1,400})\)")
_YEARISH = re.compile(r"(?:1[5-9]|20)\d\d|n\.\s?d\.|[Ii][Nn]\s+[Pp][Rr]|[Ff]orthcoming")
_YEAR = re.compile(
    r"(?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z](?!\w))?(?!\w|[-/.]\s*\d\d[-/.])"
    r"(?:[-\u2013](?:\d\d){1,2}(?![\w-]))?"
    r"|(?P<nd>n\.\s?d\.)|(?P<press>(?i:in\s+press))(?!\w)|(?P<forth>(?i:forthcoming))(?!\w)"
    r"|(?P<prep>(?i:in\s+prep(?:aration\b|\.|\b)))"
)
_SUFFIX_ONLY = re.compile(r"\s*,\s*(?P<suffix>[a-z])(?=\s*(?:[,;:)]|$))")
_NEXT = re.compile(r"\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+")
_COMMA = re.compile(r"\s*,\s*")
_REMARK_END = re.compile(r",\s*(?:(?:and|or)\s+)?")
_LOCATOR = re.compile(
    r"(?P<sep>\s*[:,]\s*|\s+)"
    r"(?:(?P<label>pp?\.|pp?(?=\s*\d)|pages?|paras?\.?|ch\.|chap\.|chapter|sec\.|§)\s*)?"
    r"(?P<num>(?:\d+[a-z]?(?:\s*[-\u2013\u2014]\s*\d+[a-z]?)?"
    r"|[ivxlc]+(?:\s*[-\u2013\u2014]\s*[ivxlc]+)?)"
    r"(?:\s?ff?\.?)?)(?![\w-])"
)
_LEAD_WORD = re.compile(rf"{_WORD}|cf\.|e\.\s?g\.")
_LEAD_END = re.compile(r"[,:]\s+|(?<![\w.])(?:see|cf\.|e\.\s?g\.,?|i\.\s?e\.,?|by)\s+", re.I)
_LEAD_LENGTH = 80
_SECONDARY = re.compile(
    r"\s*,?\s*(?:(?:as\s+)?(?:cited|quoted|discussed|reported)\s+)?in:?\s+", re.IGNORECASE
)
_PREFIX = re.compile(
    r"(?P<p>(?:but|and|though)\s+(?:see|cf\.?)|see\s+(?:also|especially|further)"
    r"|see,?\s+e\.\s?g\.|see|cf\.?|e\.\s?g\.|i\.\s?e\.|for\s+example"
    r"|for\s+instance|compare|also|reviewed\s+in|described\s+in|as\s+in|and)(?:\s*,)?\s+",
    re.IGNORECASE,
)
_NAMES = rf"(?<![\w\u0300-\u036f'\u2019\u00ad{_ACCENTS}-])(?P<names>{_NAME}(?:{_NAME_SEP}{_NAME})*)"
_NARRATIVE = re.compile(
    rf"{_NAMES}(?P<etal>\s*,?\s*et\s+al\b\.?)?(?P<poss>['\u2019]s?)?(?P<comma>\s*,)?\s*\Z"
)
_BARE = re.compile(rf"{_NAMES}(?P<etal>\s*,?\s*et\s+al\b\.?)?(?P<comma>\s*,)?\s+\Z")
# A character that no match of ``_NARRATIVE`` or ``_BARE`` holds (a full stop only ends "al.").
_NOT_IN_NAMES = re.compile(
    rf"[^\w\s,&'\u2019\u00ad\u0300-\u036f{_ACCENTS}./-]|_|"
    r"\d(?!\d*[A-Z])|(?<!al)\.|/(?![A-Z])|(?<![A-Za-z])/"
)
_CUE = re.compile(
    r"(?:(?<![\w.])(?:see|also|cf\.|e\.\s?g\.|i\.\s?e\.|by)[,:]?|;)\s*\Z", re.IGNORECASE
)
_LEFT_WORD = re.compile(rf"(?<![\w\u0300-\u036f'\u2019{_ACCENTS}-])(?:[A-Z]\.|{_WORD}|&)\Z")
# Where a year could start, to find candidates fast; ``_YEAR`` then reads each one.
_YEAR_START = re.compile(r"[\s,](?:(?:1[5-9]|20)\d\d|n\.\s?d\.|[Ii]n\s+p|[Ff]orthcoming)")
_DIGITS = re.compile(r"[0-9]+")
# A word glued to the name after it when the PDF lost a space: "fromHyman et al.".
_GLUED = re.compile(r"([a-z]+)(?=[A-Z][a-z])")
_A_LA = re.compile(r"la\s+(?=[A-Z])")
_A_BEFORE = re.compile(r"(?<![^\W\d_])[aà]\s+\Z")
_HEADER_LENGTH = 100
_MAX_HEADERS = 4
# After a lone name's "year", a word no citation is followed by: the number counts something
# ("VESPA 1998 showed"), unless it is "and", "et al." or a locator.
_COUNTED = re.compile(r"\s+(?!(?:and|et|pp?|in|for)\b)[a-z]{2,}\b")
# Before a lone name in an aside, words that make it a place: "(born in Chicago, 1995)".
_PLACE_BEFORE = re.compile(
    r"(?<![\w.])(?:born|raised|lived|died|moved)?\s*(?:in|at|near|from|to)\s+\Z", re.I
)
_AFTER_BARE_YEAR = re.compile(r"[./]\d|\s*[-\u2013]\s*\d")
# What joins the last name of a list to those before it, or, inside the list, a comma.
_LIST_ENDS = re.compile(r"(?:\s*,)?\s+(?:and|&)\s+\Z|\s*&\s*\Z")
_LIST_GOES_ON = re.compile(r"\s*,\s*\Z")
_SPLIT_NAMES = re.compile(r"\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+|/")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_ET_AL_END = re.compile(r"\s*,?\s*et\s+al\b\.?\s*$")
_PERSON = re.compile(rf"(?:{_PARTICLE}\s+)*{_WORD}")
_NAME_TOKEN = re.compile(
    r"(?:\d+(?=[A-Z]))?[^\W\d_](?:[^\W\d_]|[\u0300-\u036f.'\u2019&-])*[^\W\d_.\u2019'-]?\.?"
)
_SOFT_HYPHEN = re.compile(r"-[ \t]*\n\s*(?=[a-z\u00df-\u00ff])|\u00ad\s*")
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb06": "st",
    }
)
_HARD_BREAK = re.compile(r"-[ \t]*\n\s*")
_SPACE = re.compile(r"\s+")
_NEWLINE = re.compile(r"\n")
_NOT_NEWLINE = re.compile(r"[^\n]")
_EN_DASH = "\u2013"
_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")

# Capitalised words that start sentences or label things but are never a cited author.
_NOT_NAMES = frozenset(
    [
        "a", "about", "according", "after", "again", "all", "also", "although", "among", "an",
        "and", "another", "any", "are", "as", "at", "because", "before", "being", "both", "but",
        "by", "can", "could", "did", "do", "does", "during", "each", "earlier", "either", "every",
        "few", "finally", "first", "following", "for", "from", "further", "furthermore", "given",
        "has", "have", "having", "he", "hence", "her", "here", "his", "how", "however", "if",
        "in", "including", "indeed", "instead", "into", "is", "it", "its", "later", "like",
        "likewise", "many", "may", "meanwhile", "might", "more", "moreover", "most", "much",
        "must", "my", "namely", "neither", "nevertheless", "no", "nonetheless", "nor", "not",
        "notably", "now", "of", "on", "once", "one", "only", "or", "other", "others", "otherwise",
        "our", "over", "overall", "per", "previously", "recently", "second", "several", "she",
        "should", "similarly", "since", "so", "some", "still", "subsequently", "such", "than",
        "that", "the", "their", "them", "then", "there", "therefore", "these", "they", "third",
        "this", "those", "though", "thus", "to", "today", "together", "under", "unlike", "until",
        "upon", "us", "was", "we", "were", "what", "when", "where", "whereas", "whether", "which",
        "while", "whilst", "who", "whose", "why", "will", "with", "within", "without", "would",
        "yet", "chapter", "fig", "figure", "page", "paper", "part", "section", "see", "table",
        "vol", "volume", "appendix", "eq", "equation", "january", "february", "march", "april",
        "may", "june", "july", "august", "september", "october", "november", "december", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "spring",
        "summer", "autumn", "fall", "winter", "introduction", "discussion", "methods", "results",
        "conclusion", "conclusions", "supplementary",
    ]
)  # fmt: skip
# A month's name is a surname after another name in a list ("Oreg and Nov (2008)", "Smith
# and May (2010)"), never alone ("in May (2008)").
_MONTH_SURNAME = re.compile(
    r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|March|April|June|July|August"
)
_NAME_CONNECTORS = frozenset({"and", "&", "of", "on", "for", "the", "in", "et", "al.", "al"})
_CORPORATE_JOINS = frozenset({"of", "on", "for", "the", "in"})
# "Smith and colleagues (2010)" cites the same work as "Smith et al. (2010)".
_GROUP_WORDS = frozenset({"colleagues", "coworkers", "co-workers", "collaborators", "associates"})
_DOTTED_NAME_WORDS = frozenset({"al.", "St.", "Jr.", "Sr.", "Co.", "Inc.", "Ltd."})
_ABBREVIATIONS = frozenset(
    [
        "al",
        "p",
        "pp",
        "e.g",
        "i.e",
        "cf",
        "st",
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "vol",
        "no",
        "fig",
        "ch",
        "ed",
        "eds",
        "para",
        "vs",
        "ibid",
        "op",
        "cit",
        "approx",
        "ca",
        "c",
        "jr",
        "sr",
    ]
)
_CONTINUATIONS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "see",
        "the",
        "to",
        "with",
    ]
)
_COMMON_WORDS = _NOT_NAMES | _CONTINUATIONS


@dataclass(frozen=True)
class _Cited:
    """Names and years of one citation before it becomes ``Reference`` records.

    ``strong`` says the names could not be anything but authors: "et al.", several names, or
    a comma before the year.
    """

    names_start: int
    surnames: tuple[str, ...]
    et_al: bool
    years: tuple[tuple[str, str, int, int, str | None, str | None], ...]
    end: int
    strong: bool = False
    forenames: str = ""


def find_citations(text: str) -> list[Mention]:
    """All author-date citations in ``text``, sorted by start offset; never raises.

    Brackets holding a year are read first, as parenthetical or narrative citations. Then
    the text between them is searched for citations written without brackets
    ("see Frail et al. 2012", "Matthews & Sandage 1963; Smith 1963"). Citations on a line
    that repeats in the text (a running header or footer) are left out.

    A citation broken by a page break is read across the page's furniture (running lines
    and page number) between its halves; its ``surface`` keeps them, as the text does.

    >>> m = find_citations("as shown (Giordano et al.,\\n2002).1")[0]
    >>> m.surface, m.refs[0].surnames, m.refs[0].et_al, m.refs[0].year
    ('(Giordano et al.,\\n2002)', ('Giordano',), True, '2002')
    """
    original = text
    text = _page_furniture_blanked(text)
    newlines = [newline.start() for newline in _NEWLINE.finditer(text)]
    found: list[Mention] = []
    asides: list[tuple[int, int]] = []
    last_end = 0
    for match in _PAREN.finditer(text):
        if not _YEARISH.search(match.group(1)):
            continue
        mention = _narrative(text, match, last_end) or _parenthetical(text, match)
        if mention is None:
            asides.append(match.span())
        else:
            found.append(mention)
            last_end = mention.end
    mentions: list[Mention] = []
    pos = 0
    for mention in [*found, None]:
        stop = len(text) if mention is None else mention.start
        mentions.extend(_bare(text, pos, stop, asides))
        if mention is not None:
            mentions.append(mention)
            pos = mention.end
    headers = _running_header_lines(text, newlines, mentions)
    return [
        replace(mention, line=line, surface=original[mention.start : mention.end])
        for mention in mentions
        if (line := bisect_right(newlines, mention.start) + 1) not in headers
    ]


def _page_furniture_blanked(text: str) -> str:
    """``text`` with the page furniture inside each sentence that runs on over a page break
    (:func:`_page_joins`) turned to spaces, line breaks kept, so that every offset and line
    stays where it was: "(Afgan et\\n\\nWebb et al. (2017), PeerJ\\n\\n12/16\\n\\n\\fal., 2016)"
    reads as one citation."""
    joins = _page_joins(text)
    if not joins:
        return text
    parts = []
    pos = 0
    for end, start in joins:
        parts += [text[pos:end], _NOT_NEWLINE.sub(" ", text[end:start])]
        pos = start
    parts.append(text[pos:])
    return "".join(parts)


def citing_mentions(text: str) -> list[Mention]:
    """The citations of ``text`` that cite: those of :func:`find_citations` less the names
    and years of its own reference list (from its heading, "References", "Bibliography",
    ..., to its end; an appendix after the list is the text again).

    >>> text = "As (Smith, 2010).\\n\\nReferences\\nSmith, J. (2010). A.\\nYu, K. (2011). C."
    >>> [m.surface for m in citing_mentions(text)]
    ['(Smith, 2010)']
    """
    mentions = find_citations(text)
    section = reference_section(text)
    if section is None:
        return mentions
    start, end = section
    return [mention for mention in mentions if not start <= mention.start < end]


def _running_header_lines(text: str, newlines: list[int], mentions: list[Mention]) -> set[int]:
    """Lines holding a whole citation that recur in the text: running headers or footers.

    Lines are compared with their digits removed, so "Smith et al. (2019) 3" and
    "4 Smith et al. (2019)" are the same header. A header is short and does not end like a
    sentence or a wrapped line (``.,;:``); and a paper has a few of them, so a text with more
    than ``_MAX_HEADERS`` such recurring lines is taken as repetitive, not as headed.
    """
    candidates: dict[str, list[int]] = {}
    for mention in mentions:
        line = bisect_right(newlines, mention.start)
        if line != bisect_right(newlines, mention.end - 1):
            continue
        start = newlines[line - 1] + 1 if line else 0
        end = newlines[line] if line < len(newlines) else len(text)
        content = text[start:end].rstrip()
        if len(content) <= _HEADER_LENGTH and content[-1:] not in ".,;:":
            candidates.setdefault(_header_key(content), []).append(line + 1)
    if not candidates:
        return set()
    counts = dict.fromkeys(candidates, 0)
    start = 0
    for end in [*newlines, len(text)]:
        if end - start <= _HEADER_LENGTH:
            key = _header_key(text[start:end])
            if key in counts:
                counts[key] += 1
        start = end + 1
    headers = [key for key, count in counts.items() if count > 1]
    if len(headers) > _MAX_HEADERS:
        return set()
    return {line for key in headers for line in candidates[key]}


def _header_key(line: str) -> str:
    return " ".join(_DIGITS.sub("", line).split())


def _items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The ``;``-separated items of a bracket's content, whitespace stripped."""
    items = []
    pos = start
    while pos <= end:
        stop = text.find(";", pos, end)
        stop = end if stop < 0 else stop
        left, right = pos, stop
        while left < right and text[left].isspace():
            left += 1
        while right > left and text[right - 1].isspace():
            right -= 1
        if left < right:
            items.append((left, right))
        pos = stop + 1
    return items


def _prefixes(text: str, start: int, end: int) -> tuple[int, str | None]:
    """Skip "see", "e.g.", "see also", "cf." ... at ``start``: where the names start, prefix."""
    pos = start
    words = []
    for _ in range(3):
        found = _PREFIX.match(text, pos, end)
        if found is None:
            break
        words.append(_normalise_prefix(found.group("p")))
        pos = found.end()
    return pos, " ".join(words) or None


def _lead_phrase(text: str, start: int, end: int) -> tuple[int, str | None]:
    """Skip the writer's own words before the names in a bracket: where the names start, and
    the words ("but see", "on turning points", "in England and Wales").

    The words start with a lower-case or common word, hold no year, and end with a comma, a
    colon or a cue ("see", "cf.", "e.g.", "by"), which the names must follow with a capital:
    "(but see Bottoms, 2006)", "(on turning points, Laub and Sampson, 2003)". Where no such
    place is found, ``start`` comes back with no words.
    """
    first = _LEAD_WORD.match(text, start, end)
    comma = text.find(",", start, end)
    species = comma > 0 and _binomial(text[start:comma])
    if first is None or not (
        first.group()[:1].islower() or first.group().casefold() in _COMMON_WORDS or species
    ):
        return start, None
    year = _YEARISH.search(text, start, end)
    limit = min(year.start() if year else end, start + _LEAD_LENGTH)
    for cue in _LEAD_END.finditer(text, first.end(), limit):
        names = cue.end()
        capital = names < end and (text[names].isupper() or text[names].isdigit())
        if capital and _groups(text, names, end, names_required=True) is not None:
            words = _clean(text[start:names]).rstrip(",: ")
            return names, _normalise_prefix(words) if words.islower() else words
    return start, None


def _parenthetical(text: str, match: re.Match[str]) -> Mention | None:
    """A bracket of citations; one that opens with a remark of the writer's own ("(on turning
    points, Laub and Sampson, 2003)") is not a citation bracket, and its citations are a
    ``bare`` mention from the names to the last year, the remark its prefix."""
    refs: list[Reference] = []
    prefix = None
    remark = False
    for index, (start, end) in enumerate(_items(text, match.start(1), match.end(1))):
        pos, found = _prefixes(text, start, end)
        groups = _groups(text, pos, end, names_required=True)
        if groups is None:
            pos, found = _lead_phrase(text, pos, end)
            groups = _groups(text, pos, end, names_required=True) if found else None
            remark = remark or (index == 0 and groups is not None)
        if groups is None:
            continue
        if index == 0:
            prefix = found
        for group in groups:
            refs.extend(_references(group, len(refs)))
    if not refs:
        return None
    if remark:
        start, end = refs[0].start, refs[-1].end
        return Mention(start, end, text[start:end], "bare", tuple(refs), prefix=prefix)
    return Mention(
        match.start(), match.end(), match.group(), "parenthetical", tuple(refs), prefix=prefix
    )


def _narrative(text: str, match: re.Match[str], last_end: int) -> Mention | None:
    items = _items(text, match.start(1), match.end(1))
    if not items or not _YEAR.match(text, items[0][0]):
        return None
    names = _narrative_names(
        text, _window(text, last_end, match.start()), match.start(), _NARRATIVE
    )
    if names is None:
        return None
    names_start, surnames, et_al, forenames = names
    if text[names_start : match.start()].rstrip().endswith(",") and not (
        et_al or len(surnames) > 1
    ):
        return None  # "in London, (2013)": a stray comma is read past only after names joined
    groups = _groups(text, items[0][0], items[0][1], names_required=False)
    if groups is None:
        return None
    first = groups[0]
    head = replace(
        first[0], names_start=names_start, surnames=surnames, et_al=et_al, forenames=forenames
    )
    refs = _references((head, *first[1:]), 0)
    for group in groups[1:]:
        refs.extend(_references(group, len(refs)))
    if len(refs) == 1 and len(items) == 1:
        refs[0] = replace(refs[0], end=match.end())
    for start, end in items[1:]:
        pos, _ = _prefixes(text, start, end)
        for group in _groups(text, pos, end, names_required=True) or ():
            refs.extend(_references(group, len(refs)))
    return Mention(
        names_start, match.end(), text[names_start : match.end()], "narrative", tuple(refs)
    )


def _bare(text: str, lo: int, hi: int, asides: list[tuple[int, int]]) -> list[Mention]:
    """Citations written without brackets of their own between ``lo`` and ``hi``.

    Names followed by a year count when they cannot be anything else: "et al.", two or more
    names joined by "and" or "&", a "see", "cf.", "e.g." or "by" before them, a ``;`` list;
    or a comma before the year inside a bracketed aside ("(RTE-1 – Dagan, 2006)").
    A lone "Windows 2010" or "Census 2010" is not a citation.
    """
    mentions: list[Mention] = []
    pos = lo
    for candidate in _YEAR_START.finditer(text, max(0, lo - 1), hi):
        start = candidate.start() + 1
        year = _YEAR.match(text, start, hi)
        if start <= pos or year is None:
            continue
        if year.group("year") and _AFTER_BARE_YEAR.match(text, year.end(), hi):
            continue
        before = start - 1
        while before > lo and text[before - 1] in " \t\r\n,":
            before -= 1
        last = text[before - 1] if before > lo else ""
        if not last or not (last.isalpha() or unicodedata.combining(last) or last == "."):
            continue
        names = _narrative_names(text, _window(text, pos, start), start, _BARE)
        if names is None:
            continue
        names_start, surnames, et_al, forenames = names
        between = text[names_start:start]
        cue = _CUE.search(text, max(lo, names_start - 16), names_start)
        in_aside = any(a < start < b for a, b in asides)
        strong = et_al or len(surnames) > 1
        comma = "," in between.rsplit(surnames[-1][-1:], 1)[-1]
        if not (strong or cue or (in_aside and comma)):
            continue
        if not strong and not comma and _COUNTED.match(text, year.end(), hi):
            continue  # "analyzed by VESPA 1998 showed": a number, not a year
        if not (strong or cue) and _PLACE_BEFORE.search(
            text, max(lo, names_start - 12), names_start
        ):
            continue  # "(born in Chicago, 1995)": a place and a date
        cited = _cited(text, start, hi, names_required=False)
        if cited is None:
            continue
        head = replace(
            cited, names_start=names_start, surnames=surnames, et_al=et_al, forenames=forenames
        )
        prefix = None
        if cue is not None and cue.group().strip() != ";":
            prefix = _normalise_prefix(cue.group().strip().rstrip(",:"))
        refs = tuple(_references((head,), 0))
        surface = text[names_start : cited.end]
        mentions.append(Mention(names_start, cited.end, surface, "bare", refs, prefix=prefix))
        pos = cited.end
    return mentions


def _window(text: str, lo: int, hi: int) -> int:
    """Where names written before ``hi`` can start: after any bracket, ``;`` or ``:``."""
    lo = max(lo, hi - 160)
    return max([lo, *(text.rfind(ch, lo, hi) + 1 for ch in "()[];:")])


def _narrative_names(
    text: str, lo: int, hi: int, pattern: re.Pattern[str], continued: bool = False
) -> tuple[int, tuple[str, ...], bool, str] | None:
    """The names written right before ``hi``: start, surnames, et al., forenames.

    Leading words that cannot be surnames ("However, Smith") are dropped; a list of several
    names must join its last two with "and" or "&", or only the last name is kept. Names in
    lower case (small capitals lost by the PDF) count only beside a capitalised name or "et
    al.". Capitalised words just before a single name are the person's forenames ("William
    Beck"), or, joined by "of", "for", "on", "in" or "the", part of an organisation's name
    ("Department of Health").

    The names run up to ``hi``, so they start after the last character that cannot be part
    of them: the pattern is tried from there only, which spares it the costly failures at
    every word of a long window. ``continued``: the list goes on after ``hi`` (its "and"
    comes later), so names joined by commas alone are a list.
    """
    first = lo
    for blocker in _NOT_IN_NAMES.finditer(text, lo, hi):
        first = blocker.end()
    found = pattern.search(text, first, hi)
    if found is None:
        return None
    start, stop = found.span("names")
    et_al = found.group("etal") is not None
    parts: list[tuple[int, int]] = []
    seps: list[str] = []
    pos = start
    for sep in _SPLIT_NAMES.finditer(text, start, stop):
        parts.append((pos, sep.start()))
        seps.append(sep.group())
        pos = sep.end()
    parts.append((pos, stop))
    if len(parts) > 1 and text[slice(*parts[-1])].casefold() in _GROUP_WORDS and not et_al:
        parts.pop()
        seps.pop()
        et_al = True
    last = parts[-1]
    while parts and not _is_surname(text[parts[0][0] : parts[0][1]]):
        parts.pop(0)
        seps = seps[1:]
    if not parts:
        word = text[slice(*last)]
        if not (et_al and (_is_surname(word, lower=True) or _alone_before_et_al(word))):
            return None
        parts = [last]
    if len(parts) > 1:
        # APA's extended list before "et al." ("McNeill, Farrall, et al.") ends in a comma.
        extended = et_al and found.group("etal").lstrip()[:1] == ","
        joined = continued or extended or any(word in seps[-1] for word in ("and", "&", "/"))
        listed = all(
            ("," in sep or "/" in sep) and "and" not in sep and "&" not in sep for sep in seps[:-1]
        )
        if extended and any("and" in sep or "&" in sep for sep in seps):
            joined = False
        named = all(
            _is_surname(text[a:b], lower=True) or (i and _MONTH_SURNAME.fullmatch(text, a, b))
            for i, (a, b) in enumerate(parts)
        )
        if not (joined and listed and named):
            parts = parts[-1:]
            seps = []
            if not _is_surname(text[parts[0][0] : parts[0][1]]):
                return None
    glued = _GLUED.match(text, parts[0][0], parts[0][1])
    if glued is not None and glued.group(1).casefold() in _COMMON_WORDS:
        parts[0] = (glued.end(1), parts[0][1])
    a_la = _A_LA.match(text, parts[0][0], parts[0][1])
    if a_la is not None and _A_BEFORE.search(text, max(lo, parts[0][0] - 3), parts[0][0]):
        parts[0] = (a_la.end(), parts[0][1])  # "à la Beck and Katz (1995)": in their manner
    names_start = parts[0][0]
    surnames = [_clean(text[a:b]) for a, b in parts]
    surnames[-1] = _POSSESSIVE.sub("", surnames[-1])
    forenames = ""
    if not et_al and all("&" in sep or "and" in sep for sep in seps):
        words = _words_before(text, lo, names_start)
        if any(word in _CORPORATE_JOINS for _, word in words):
            names_start = words[0][0]
            surnames = [_clean(text[names_start : parts[-1][1]])]
        elif words and len(parts) == 1 and len(words) <= 3:
            names_start = words[0][0]
            forenames = _clean(" ".join(word for _, word in words))
            earlier = (
                _names_listed_before(text, lo, names_start, pattern, continued)
                if len(words) == 1
                else None
            )
            if earlier is not None:
                # "García Márquez and López Pérez (2019)": after a list of names, a
                # capitalised word is part of the last author's compound surname, not a
                # forename; after an organisation's name, part of its name ("Department of
                # Health and Social Care (2019)")
                names_start, names_before = earlier
                surnames = [*names_before, f"{forenames} {surnames[0]}"]
                forenames = ""
                if any(word in _CORPORATE_JOINS for name in names_before for word in name.split()):
                    surnames = [_clean(text[names_start : parts[-1][1]])]
    return names_start, tuple(surnames), et_al, forenames


def _names_listed_before(
    text: str, lo: int, pos: int, pattern: re.Pattern[str], continued: bool
) -> tuple[int, tuple[str, ...]] | None:
    """The names of a list that ends in "and" (or, inside a list, a comma) right before
    ``pos``, each compound surname whole ("García Márquez"): start and surnames; None when
    no list of names stands there or it ends in "et al."."""
    separator = (_LIST_GOES_ON if continued else _LIST_ENDS).search(text, lo, pos)
    if separator is None:
        return None
    names = _narrative_names(text, lo, separator.start(), pattern, continued=True)
    if names is None or names[2]:
        return None
    start, surnames, _, forenames = names
    if forenames:
        surnames = (*surnames[:-1], f"{forenames} {surnames[-1]}")
    return start, surnames


def _words_before(text: str, lo: int, pos: int) -> list[tuple[int, str]]:
    """Capitalised words (and the "of", "for", ... joining them) right before ``pos``.

    Only words separated by spaces or one line break count; each must be capitalised and not
    a common word, or an acronym ("HM Inspectorate of Probation").
    """
    words: list[tuple[int, str]] = []
    while len(words) < 8:
        gap = pos
        while gap > lo and text[gap - 1] in " \t":
            gap -= 1
        if gap > lo and text[gap - 1] == "\n":
            gap -= 1
            while gap > lo and text[gap - 1] in " \t":
                gap -= 1
        if gap == pos:
            break
        found = _LEFT_WORD.search(text, max(lo, gap - 60), gap)
        if found is None:
            break
        word = found.group()
        initial = len(word) == 2 and word.endswith(".")
        acronym = 2 <= len(word) <= 6 and word.isalpha() and word.isupper()
        if not (word in _CORPORATE_JOINS or initial or acronym or _is_forename(word)):
            break
        words.append((found.start(), word))
        pos = found.start()
    words.reverse()
    while words and (words[0][1] in _CORPORATE_JOINS or words[0][1] == "The"):
        words.pop(0)
    return words


def _is_forename(word: str) -> bool:
    return (
        word[:1].isupper()
        and any(ch.islower() for ch in word)
        and word.casefold() not in _NOT_NAMES
        and word.casefold() not in _PARTICLES
    )


def _is_acronym(word: str) -> bool:
    """An organisation's acronym, a name even where its letters spell a common word ("WHO"),
    but not a small word of a heading in capitals ("IN", "AND")."""
    return (
        len(word) > 1 and word.isalpha() and word.isupper() and word.casefold() not in _SMALL_WORDS
    )


_SMALL_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to"]
)
# An adverb opening a sentence or clause ("Originally,", "Interestingly,", "Alternatively,"),
# by its suffix after at least four letters: no surname ends so ("Kelly", "Connolly",
# "Early", "Whately" are short of it).
_SENTENCE_ADVERB = re.compile(r"[A-Z][a-z]{3,}(?:al|iv|ous|ent|ant|ar|ing|at|ful)ly")


def _alone_before_et_al(word: str) -> bool:
    """Whether ``word``, the one name before "et al.", is a surname though it is a common word
    ("He et al. 2014"): capitalised, and no function word ("In et al.")."""
    return word.isalpha() and word.istitle() and word.casefold() not in _CONTINUATIONS


def _is_surname(word: str, lower: bool = False) -> bool:
    """A person's surname as written: capitalised after any particles, not a common word nor
    a sentence adverb ("Originally, Bell and McCaffrey (2002)").

    With ``lower``, a lower-case word that is not a common word counts too.
    """
    tokens = word.split()
    core = [t for t in tokens if t.casefold() not in _PARTICLES] or tokens[-1:]
    if core and _is_acronym(core[0]):
        return True
    if not core or core[0].casefold() in _NOT_NAMES or core[0].casefold() in _GROUP_WORDS:
        return False
    if len(tokens) == 1 and _SENTENCE_ADVERB.fullmatch(core[0]):
        return False
    if core[0].lstrip("0123456789")[:1].isupper():
        return True
    return lower and len(core[0]) > 1 and core[0].casefold() not in _CONTINUATIONS


def _groups(
    text: str, start: int, end: int, names_required: bool
) -> list[tuple[_Cited, ...]] | None:
    """The citations of one ``;``-separated item of a bracket, or None if it is not one.

    An item is one or more citations separated by commas ("Spreeuw 2010, Carbone et al. in
    prep"), each with its years, locators and any "in Buck, 2017" source, and may end with a
    remark that holds no year ("Smith, 2010, emphasis added"; "Frail et al. 2012 for a
    review" when the names are unmistakably authors). Only the first citation may go without
    names (the narrative ``Smith (2010, p. 3)``).
    """
    groups: list[tuple[_Cited, ...]] = []
    pos = start
    while True:
        group = _item(text, pos, end, names_required=names_required or bool(groups))
        if group is None:
            return None
        groups.append(group)
        stop = group[-1].end
        if stop >= end:
            return groups
        comma = _COMMA.match(text, stop, end)
        rest = text[stop:end]
        if comma is not None and _YEARISH.search(rest):
            pos = _after_remark(text, comma.end(), end)
            continue
        remark = comma is not None or (rest[:1].isspace() and group[-1].strong)
        if _YEARISH.search(rest) is None and remark:
            return groups
        return None


def _after_remark(text: str, pos: int, end: int) -> int:
    """Where the next citation of a bracket's item starts, from ``pos`` after a comma: past
    a "see also" ("Maruna (2001, see also Smith, 2003)") and past a remark of the writer's own
    that opens in lower case and ends at a comma before a capital ("(see White 1994, for a
    classic textbook, and Freedman 2006, for a critical review)"); else ``pos`` itself."""
    pos, _ = _prefixes(text, pos, end)
    if not text[pos : pos + 1].islower():
        return pos
    year = _YEARISH.search(text, pos, end)
    for comma in _REMARK_END.finditer(text, pos, year.start() if year else end):
        after, _ = _prefixes(text, comma.end(), end)
        if text[after : after + 1].isupper():
            return after
    return pos


def _item(text: str, start: int, end: int, names_required: bool) -> tuple[_Cited, ...] | None:
    """Parse ``Names, year[, year][: locator] [in Names, year]`` from ``start``.

    Two records come back for a secondary citation: the work cited, then the source it was
    cited in. The parse stops where the citation stops (``_Cited.end``).
    """
    cited = _cited(text, start, end, names_required)
    if cited is None:
        return None
    secondary = _SECONDARY.match(text, cited.end, end)
    if secondary is not None:
        source = _cited(text, secondary.end(), end, names_required=True)
        if source is not None:
            return cited, source
    return (cited,)


def _cited(text: str, start: int, end: int, names_required: bool) -> _Cited | None:
    """Names (if required) and a year list starting at ``start``; stops where they stop."""
    strong = False
    if names_required:
        first = next(
            (
                m
                for m in _YEAR.finditer(text, start, end)
                if m.start() > start and text[m.start() - 1] in " \t\r\n,("
            ),
            None,
        )
        if first is None:
            return None
        names = _parse_names(text[start : first.start()])
        if names is None:
            return None
        surnames, et_al = names
        strong = et_al or len(surnames) > 1 or "," in text[start : first.start()]
    else:
        first = _YEAR.match(text, start, end)
        if first is None:
            return None
        surnames, et_al = (), False
    years = []
    year, suffix = _year_value(first)
    element_start, pos = first.start(), first.end()
    while True:
        locator = locator_raw = None
        found = _locator(text, pos, end)
        if found is not None:
            pos, locator, locator_raw = found
        years.append((year, suffix, element_start, pos, locator, locator_raw))
        comma = _NEXT.match(text, pos, end)
        following = _YEAR.match(text, comma.end(), end) if comma else None
        if following is not None:
            year, suffix = _year_value(following)
            element_start, pos = following.start(), following.end()
            continue
        letter = _SUFFIX_ONLY.match(text, pos, end) if suffix else None
        if letter is None:
            break
        suffix = letter.group("suffix")
        element_start, pos = letter.span("suffix")
    return _Cited(start, surnames, et_al, tuple(years), pos, strong)


def _year_value(match: re.Match[str]) -> tuple[str, str]:
    if match.group("year"):
        return match.group("year"), match.group("suffix") or ""
    if match.group("nd"):
        return "n.d.", ""
    if match.group("prep"):
        return "in preparation", ""
    return ("in press" if match.group("press") else "forthcoming"), ""


def _locator(text: str, pos: int, end: int) -> tuple[int, str, str] | None:
    """A page locator at ``pos``: its end, normalised form ("pp. 3-5", en dash) and raw number."""
    match = _LOCATOR.match(text, pos, end)
    if match is None:
        return None
    label = match.group("label")
    raw = match.group("num")
    sep = match.group("sep")
    if label is None and (
        (":" not in sep and ("," not in sep or _YEAR.fullmatch(raw) is not None))
        or not raw[:1].isdigit()
    ):
        return None
    number = _DASH.sub(_EN_DASH, raw)
    kind = (label or "p").casefold().rstrip(".")
    if kind.startswith("para"):
        normalised = f"para. {number}"
    elif kind.startswith("ch"):
        normalised = f"ch. {number}"
    elif kind in {"sec", "§"}:
        normalised = f"sec. {number}"
    else:
        normalised = f"{'pp' if _EN_DASH in number or kind == 'pp' else 'p'}. {number}"
    return match.end(), normalised, raw


@lru_cache(maxsize=65536)
def _parse_names(raw: str) -> tuple[tuple[str, ...], bool] | None:
    """Author names written before a year in a bracket: surnames and whether "et al." ends them.

    A list of single surnames ("Smith, Jones and Brown") gives one surname each; anything else
    that looks like a name ("United Nations Office on Drugs and Crime") is one corporate author.
    Kept for each way of writing names: a review writes the same ones again and again.
    """
    comma = raw.rstrip().endswith(",")
    raw = _HARD_BREAK.sub("-", _SOFT_HYPHEN.sub("", raw)).rstrip(" \t\r\n,")
    et_al = _ET_AL_END.search(raw)
    if et_al:
        raw = raw[: et_al.start()]
    # an accent set apart ("Kamin ´ski") read as the mark on its letter, as _clean writes it
    tokens = _SPACED_ACCENT.sub(_combine_accent, raw).replace(",", " ").replace("/", " ").split()
    if not tokens or len(tokens) > 12:
        return None
    head = tokens[0].casefold()
    surname = et_al is not None and len(tokens) == 1 and _alone_before_et_al(tokens[0])
    if head != "the" and (
        head in _NAME_CONNECTORS
        or (head in _NOT_NAMES and not _is_acronym(tokens[0]) and not surname)
    ):
        return None
    parts = [part for part in _SPLIT_NAMES.split(raw.strip()) if part]
    if len(parts) > 1 and any(_binomial(part) for part in parts):
        return None  # "Homo sapiens, Levine": a species, then the names
    persons = all(_PERSON.fullmatch(part) for part in parts)
    if not persons and _writers_words(parts[0]):
        return None  # "(e.g., available in the plm package, Croissant and Millo 2008)"
    strong = et_al is not None or len(parts) > 1
    capitalised = any(token[:1].isupper() for token in tokens)
    lower = (persons and (comma or strong)) or (capitalised and strong)
    for token in tokens:
        if token in _NAME_CONNECTORS or token.casefold() in _PARTICLES:
            continue
        if _NAME_TOKEN.fullmatch(token) is None:
            return None
        if not token.lstrip("0123456789")[:1].isupper() and not (
            lower and _is_surname(token, lower=True)
        ):
            return None
        if token.endswith(".") and token not in _DOTTED_NAME_WORDS:
            return None
    if persons:
        return tuple(_clean(part) for part in parts), et_al is not None
    return (_clean(raw),), et_al is not None


_BINOMIAL = re.compile(r"([A-Z][a-z]+)\s+([a-z]{3,})(?:\s+([a-z]{3,}))?")


def _writers_words(part: str) -> bool:
    """Whether a bracket's names open with words of the writer's own: two lower-case words,
    neither a particle nor "the" ("available in the plm package, Croissant and Millo 2008"),
    not an organisation's name with its capitals half lost ("royo-Vela", "van der Laan")."""
    words = part.split()[:2]
    return len(words) == 2 and all(
        word.isalpha() and word.islower() and word not in _PARTICLES and word != "the"
        for word in words
    )


def _binomial(words: str) -> bool:
    """Whether ``words`` are a species' Latin name, a genus and one or two lower-case words
    that join no name ("Canis lupus familiaris", "Homo sapiens"; not "Institute of Health")."""
    found = _BINOMIAL.fullmatch(words.strip())
    return found is not None and not any(
        word in _NAME_CONNECTORS or word in _PARTICLES for word in found.groups()[1:] if word
    )


@lru_cache(maxsize=65536)
def _clean(name: str) -> str:
    """A name as written, on one line: soft hyphens joined, spaces collapsed, NFC (kept for
    each name, which recurs in citation after citation)."""
    name = _HARD_BREAK.sub("-", _SOFT_HYPHEN.sub("", name)).translate(_LIGATURES)
    name = _SPACED_ACCENT.sub(_combine_accent, name)
    return unicodedata.normalize("NFC", _SPACE.sub(" ", name).strip())


_SPACED_ACCENT = re.compile(
    rf"(?P<before>\w) ?(?P<a>{_ACCENT})(?! )|(?P<b>{_ACCENT}) (?P<after>\w)"
)


def _combine_accent(found: re.Match[str]) -> str:
    """A spacing accent as the combining mark of its letter: the letter across the space
    where there is one ("Kamin ´ski" -> "Kamiński", "Sch¨ olkopf" -> "Schölkopf"), else the
    letter before it ("Vira´nyi" -> "Virányi")."""
    if found.group("before"):
        return found.group("before") + _SPACING_ACCENTS[found.group("a")]
    return found.group("after") + _SPACING_ACCENTS[found.group("b")]


def _references(item: tuple[_Cited, ...], offset: int) -> list[Reference]:
    """The references of one parsed item; ``offset`` is their index in the mention's refs."""
    primary = _plain_references(item[0])
    if len(item) == 1:
        return primary
    source = offset + len(primary)
    return [replace(ref, secondary_source=source) for ref in primary] + _plain_references(item[1])


def _plain_references(cited: _Cited) -> list[Reference]:
    refs = []
    for index, (year, suffix, start, end, locator, raw) in enumerate(cited.years):
        refs.append(
            Reference(
                surnames=cited.surnames,
                year=year,
                start=cited.names_start if index == 0 else start,
                end=end,
                suffix=suffix,
                et_al=cited.et_al,
                locator=locator,
                locator_raw=raw,
                author_elided=index > 0,
                forenames=cited.forenames,
            )
        )
    return refs


def _normalise_prefix(raw: str) -> str:
    prefix = _SPACE.sub(" ", raw.casefold()).replace("e. g.", "e.g.").replace("i. e.", "i.e.")
    return "cf." if prefix == "cf" else prefix


@dataclass(frozen=True)
class _Entry:
    """A work with its author names prepared for matching."""

    work: Work
    families: tuple[str, ...]
    normalised: tuple[str, ...]
    cores: tuple[str, ...]
    count: int
    organisation: bool
    open_ended: bool
    organisations: tuple[bool, ...] = ()


_Works = dict[tuple[str | None, str], list[_Entry]]
# What decides which works a reference matches: its surnames, year, year suffix, "et al.", and
# whether its names may be the first of more (``_match``'s ``leading``).
_WrittenAs = tuple[tuple[str, ...], str, str, bool, bool]


@dataclass(frozen=True)
class WorksIndex:
    """A bibliography's works by (year, first surname) and by (year, its initial or ""), and
    the works each reference resolved so far matched: a review cites the same works again and
    again, in text after text."""

    exact: _Works
    by_initial: _Works
    matches: dict[_WrittenAs, tuple[_Match, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Written:
    """The surnames of a reference prepared for matching."""

    surnames: tuple[str, ...]
    normalised: tuple[str, ...]
    cores: tuple[str, ...]
    corporate: bool


@dataclass(frozen=True)
class _Match:
    entry: _Entry
    distance: int
    misspellings: tuple[tuple[str, str], ...]
    partial_et_al: bool


def resolve_citations(
    mentions: Sequence[Mention], works: Sequence[Work], *, index: WorksIndex | None = None
) -> tuple[list[Mention], list[ResolutionIssue]]:
    """Fill ``bibkey`` and ``confidence`` of every reference, and report what did not resolve.

    A reference matches a work of the same year (and year suffix, where both have one) whose
    authors (editors if it has none) agree: the first author always; every listed author, in
    order and in number, unless the citation says "et al." (then the work needs two or more
    authors, confidence 0.9 for exactly two). Names compare through ``normalise_name``,
    ignoring particles, hyphens and spaces. An organisation matches by name or acronym
    (``UNODC`` for "United Nations Office on Drugs and Crime", or the letters the BibTeX key
    starts with).

    Surnames one or two edits away from a work's (by length: none up to 4 letters, 1 up to 7,
    2 beyond) are tolerated when nothing matches exactly: confidence drops by 0.1 per edit
    and a ``misspelt`` issue names the spelling. Several equally good works give an
    ``ambiguous`` issue and no key; none gives ``unresolved``. The input is not changed.

    ``index``, if given, is :func:`index_works` of ``works``, made earlier (it pickles).
    """
    index = index or index_works(works)
    resolved: list[Mention] = []
    issues: list[ResolutionIssue] = []
    for mention in mentions:
        refs = []
        for ref in mention.refs:
            new_ref, issue = _resolve(mention, ref, index)
            refs.append(new_ref)
            if issue is not None:
                issues.append(issue)
        resolved.append(replace(mention, refs=tuple(refs)))
    return resolved, issues


_INDEXES: dict[int, tuple[Sequence[Work], WorksIndex]] = {}


def index_works(works: Sequence[Work]) -> WorksIndex:
    """How :func:`resolve_citations` looks ``works`` up, made once per bibliography (a tuple,
    which cannot change) rather than again for each text of a review: for 10,000 works that
    took most of the time of resolving one text's citations. ``kg build`` keeps it with the
    bibliography in its cache."""
    known = _INDEXES.get(id(works))
    if known is not None and known[0] is works and isinstance(works, tuple):
        return known[1]
    index = WorksIndex({}, {})
    _add_works(index, works)
    if isinstance(works, tuple):
        _INDEXES.clear()
        _INDEXES[id(works)] = (works, index)
    return index


def extend_index(index: WorksIndex, works: Sequence[Work]) -> WorksIndex:
    """``index`` with ``works`` added after its own, as ``index_works`` of both would be,
    without preparing the bibliography's works again: a PDF's reference list adds a few dozen
    works to a bibliography of thousands. ``index`` itself is left as it was.

    >>> both = extend_index(index_works(bibliography), parsed)  # doctest: +SKIP
    """
    extended = WorksIndex(dict(index.exact), dict(index.by_initial))
    _add_works(extended, works, copy=True)
    return extended


def _add_works(index: WorksIndex, works: Iterable[Work], *, copy: bool = False) -> None:
    """Add ``works`` to ``index``'s tables; with ``copy``, a list shared with another index
    is copied before it grows."""
    copied: set[tuple[str | None, str, bool]] = set()
    for work in works:
        entry = _entry(work)
        if not entry.normalised:
            continue
        for table, key, exact in (
            (index.exact, (work.year, entry.cores[0]), True),
            (index.by_initial, (work.year, entry.cores[0][:1]), False),
            (index.by_initial, (work.year, ""), False),
        ):
            if copy and (*key, exact) not in copied:
                table[key] = list(table.get(key, ()))
                copied.add((*key, exact))
            table.setdefault(key, []).append(entry)


def _entry(work: Work) -> _Entry:
    """``work`` prepared for matching; organisations written together ("NOMS/MoJ") count as
    the authors they name."""
    persons = work.authors or work.editors
    families = tuple(family_names(persons))
    organisations = tuple(person.organisation for person in persons if person.family != "others")
    written_together = zip(families, organisations, strict=True)
    if any(organisation and "/" in family for family, organisation in written_together):
        named = [
            (name.strip(), organisation)
            for family, organisation in zip(families, organisations, strict=True)
            for name in (family.split("/") if organisation else [family])
            if name.strip()
        ]
        families = tuple(name for name, _ in named)
        organisations = tuple(organisation for _, organisation in named)
    forms = [_name_forms(name) for name in families]
    return _Entry(
        work=work,
        families=families,
        normalised=tuple(normalised for normalised, _ in forms),
        cores=tuple(core for _, core in forms),
        count=max(len(persons), len(families)),
        organisation=bool(persons) and persons[0].organisation,
        open_ended=any(person.family == "others" for person in persons),
        organisations=organisations,
    )


def _resolve(
    mention: Mention, ref: Reference, index: WorksIndex
) -> tuple[Reference, ResolutionIssue | None]:
    """Resolve one reference among the works indexed by year and first author (``_core``).

    Works whose first author is spelt the same are tried first; only if none matches, every
    work of the year whose first author has the same initial (a misspelt name or an acronym
    mostly keeps its first letter), then every work of the year. A name written with its
    forenames ("William Beck") that matches no person is tried as an organisation's name.
    """
    matches = _candidates(ref, ref.surnames, index)
    if not matches and ref.forenames:
        whole = f"{ref.forenames} {ref.surnames[0]}"
        matches = _candidates(ref, (whole, *ref.surnames[1:]), index)
    if not matches and not ref.et_al:
        shortened = _candidates(ref, ref.surnames, index, leading=True)
        if len(shortened) == 1:
            return _resolve_shortened(mention, ref, shortened[0])
        matches = shortened
    if not matches:
        matches = _compound_candidates(ref, index)
    if not matches:
        message = f"no work in the bibliography matches '{_label(ref)}'"
        return replace(ref, bibkey=None, confidence=0.0), ResolutionIssue(
            "unresolved", mention, ref, _line(mention, ref), message
        )
    best = min(m.distance for m in matches)
    top = [m for m in matches if m.distance == best]
    if len(top) > 1 and ref.suffix:
        suffixed = [m for m in top if m.entry.work.year_suffix == ref.suffix]
        if not suffixed and not any(m.entry.work.year_suffix for m in top):
            return _resolve_by_assigned_suffix(mention, ref, top)
        top = suffixed or top
    if len(top) > 1 and ref.et_al and len(ref.surnames) == 1:
        several = [m for m in top if m.entry.count >= 3]
        if len(several) == 1:
            return _resolve_et_al(mention, ref, several[0], top)
    if len(top) > 1:
        keys = tuple(m.entry.work.key for m in top)
        message = f"'{_label(ref)}' matches {len(keys)} works ({', '.join(keys)}); left unresolved"
        return replace(ref, bibkey=None, confidence=0.0), ResolutionIssue(
            "ambiguous", mention, ref, _line(mention, ref), message, keys
        )
    chosen = top[0]
    confidence = max(0.5, 1.0 - 0.1 * chosen.distance) - (0.1 if chosen.partial_et_al else 0.0)
    confidence = round(confidence, 2)
    key = chosen.entry.work.key
    new_ref = replace(ref, bibkey=key, confidence=confidence)
    if not chosen.misspellings:
        return new_ref, None
    taken = "; ".join(f"'{written}' taken as '{bib}'" for written, bib in chosen.misspellings)
    message = f"{taken} ({key}), confidence {confidence:g}"
    return new_ref, ResolutionIssue(
        "misspelt", mention, new_ref, _line(mention, ref), message, (key,)
    )


def _resolve_et_al(
    mention: Mention, ref: Reference, match: _Match, top: Sequence[_Match]
) -> tuple[Reference, ResolutionIssue]:
    """ "Gaspelin et al., 2019" where the year has Gaspelin, Gaspar and Luck and also Gaspelin
    and Luck: "et al." stands for three authors or more in every author-date style (two are
    always both named), so the one such work is meant; resolved with confidence 0.9 and an
    ``et-al`` issue naming the other."""
    work = match.entry.work
    new_ref = replace(ref, bibkey=work.key, confidence=0.9)
    others = ", ".join(m.entry.work.key for m in top if m is not match)
    message = (
        f"'{_label(ref)}' taken as {work.key}, its one {ref.year} work of three authors or more"
        f" ('et al.' never stands for one other author; not {others})"
    )
    return new_ref, ResolutionIssue(
        "et-al", mention, new_ref, _line(mention, ref), message, (work.key,)
    )


def _resolve_shortened(
    mention: Mention, ref: Reference, match: _Match
) -> tuple[Reference, ResolutionIssue]:
    """``ref`` names only the first of its one matching work's authors ("Sampson (1993)" for
    Sampson and Laub 1993): resolved, with confidence 0.8 and a ``shortened`` issue."""
    work = match.entry.work
    new_ref = replace(ref, bibkey=work.key, confidence=0.8)
    authors = _label(replace(ref, surnames=match.entry.families, forenames="", et_al=False))
    count = len(match.entry.families)
    names = "both names" if count == 2 else f"all {count} names, or 'et al.'"
    message = (
        f"'{_label(ref)}' taken as '{authors}' ({work.key}), the only {ref.year} work"
        f" whose first author is {' and '.join(ref.surnames)}; write {names}"
    )
    return new_ref, ResolutionIssue(
        "shortened", mention, new_ref, _line(mention, ref), message, (work.key,)
    )


def _resolve_by_assigned_suffix(
    mention: Mention, ref: Reference, matches: Sequence[_Match]
) -> tuple[Reference, ResolutionIssue]:
    """``ref``'s year suffix ("2002a") among works the bibliography gives no suffix: letter
    them as citation processors do (CSL, biblatex, APA 9.47), in the order of the reference
    list: authors, then title without a leading article, and take the one with ``ref``'s
    letter; confidence 0.9 and a ``suffix`` issue that says so. A letter beyond their number
    leaves ``ref`` unresolved, as ``ambiguous``."""
    ordered = sorted(matches, key=_reference_list_order)
    keys = tuple(m.entry.work.key for m in ordered)
    number = ord(ref.suffix) - ord("a")
    lettered = ", ".join(f"{chr(ord('a') + i)}: {key}" for i, key in enumerate(keys))
    if not 0 <= number < len(ordered):
        message = (
            f"'{_label(ref)}' matches {len(keys)} works with no year suffix (lettered by"
            f" title, {lettered}); none has its letter, left unresolved"
        )
        return replace(ref, bibkey=None, confidence=0.0), ResolutionIssue(
            "ambiguous", mention, ref, _line(mention, ref), message, keys
        )
    key = keys[number]
    new_ref = replace(ref, bibkey=key, confidence=0.9)
    message = (
        f"'{_label(ref)}' taken as {key}: the bibliography gives these {len(keys)} works no year"
        f" suffix, so they are lettered by title as citation processors do ({lettered}); add"
        " the suffixes to the bibliography to be sure"
    )
    return new_ref, ResolutionIssue("suffix", mention, new_ref, _line(mention, ref), message, keys)


_LEADING_ARTICLE = re.compile(r"(?:the|an?)\s+", re.IGNORECASE)


def _reference_list_order(match: _Match) -> tuple[tuple[str, ...], str, str]:
    """Where a work stands in an author-date reference list among works of the same year:
    by its authors, then its title without a leading "The", "A" or "An" (case and accents
    ignored), then its key."""
    title = normalise_name(_LEADING_ARTICLE.sub("", match.entry.work.title.strip(), count=1))
    title = re.sub(r"[^\w\s]", "", title)
    return match.entry.normalised, title, match.entry.work.key


def _line(mention: Mention, ref: Reference) -> int:
    """The line ``ref`` starts on, counted from its mention's."""
    return mention.line + mention.surface.count("\n", 0, max(0, ref.start - mention.start))


def _candidates(
    ref: Reference, surnames: tuple[str, ...], index: WorksIndex, leading: bool = False
) -> tuple[_Match, ...]:
    """The works ``ref`` matches if its authors are written ``surnames``, looked up once for
    each way of writing a reference (``_WrittenAs``). With ``leading`` (``_match``), only
    works whose first author is spelt the same are tried."""
    written_as = (surnames, ref.year, ref.suffix, ref.et_al, leading)
    known = index.matches.get(written_as)
    if known is not None:
        return known
    year = ref.year if ref.year[:1].isdigit() else None
    written = _written(surnames)
    first = written.cores[0] if written.cores else ""
    exact = index.exact.get((year, first), ())
    matches = [m for entry in exact if (m := _match(ref, written, entry, False, leading))]
    for initial in (first[:1], ""):
        if matches or not first or leading:
            break
        candidates = index.by_initial.get((year, initial), ())
        matches = [m for entry in candidates if (m := _match(ref, written, entry, True))]
    index.matches[written_as] = found = tuple(matches)
    return found


def _compound_candidates(ref: Reference, index: WorksIndex) -> tuple[_Match, ...]:
    """The works ``ref`` matches when its names hold compound surnames, tried only when
    nothing else matches: persons of two-word surnames read as one organisation ("(García
    Márquez and López Pérez, 2019)"), or a first author's compound surname cited by its last
    word, as a narrative citation reads it ("Spena et al. (2012)" for Russo Spena)."""
    first = ref.surnames[0]
    parts = tuple(part for part in _SPLIT_NAMES.split(first) if part)
    if len(ref.surnames) == 1 and len(parts) > 1 and all(map(_is_surname, parts)):
        return _candidates(ref, parts, index)
    year = ref.year if ref.year[:1].isdigit() else None
    tail = _name_forms(first)[1]
    compounds = {
        entry.families[0]
        for entry in index.by_initial.get((year, ""), ())
        if entry.families and len(words := entry.families[0].split()) > 1
        and not (entry.organisations and entry.organisations[0])
        and _name_forms(words[-1])[1] == tail
    }  # fmt: skip
    matches: list[_Match] = []
    for family in sorted(compounds):
        matches += _candidates(ref, (family, *ref.surnames[1:]), index)
    return tuple(matches)


def _label(ref: Reference) -> str:
    names = ref.surnames
    if ref.forenames:
        names = (f"{ref.forenames} {names[0]}", *names[1:])
    authors = " and ".join(names) if len(names) <= 2 else f"{', '.join(names[:-1])} and {names[-1]}"
    if ref.et_al:
        authors = f"{authors} et al."
    return f"{authors}, {ref.year}{ref.suffix}"


def _written(surnames: tuple[str, ...]) -> _Written:
    forms = [_name_forms(name) for name in surnames]
    return _Written(
        surnames=surnames,
        normalised=tuple(normalised for normalised, _ in forms),
        cores=tuple(core for _, core in forms),
        corporate=len(surnames) == 1 and _PERSON.fullmatch(surnames[0]) is None,
    )


def _match(
    ref: Reference, written: _Written, entry: _Entry, fuzzy: bool, leading: bool = False
) -> _Match | None:
    """How well ``ref`` (its names prepared as ``written``) names the authors of ``entry``.

    Without ``fuzzy`` only exact spellings match. With ``leading``, the names may be the
    first of the work's authors only ("Sampson" for Sampson and Laub). An organisation among
    several authors ("NOMS/MoJ") matches as one written alone does.
    """
    if not entry.families or not written.surnames:
        return None
    work_suffix = entry.work.year_suffix
    if ref.suffix and work_suffix and ref.suffix != work_suffix:
        return None
    surnames = written.surnames
    if len(surnames) == 1 and (entry.organisation or written.corporate):
        distance = _corporate_distance(written, entry, fuzzy)
        if distance is None:
            return None
        misspelt = ((surnames[0], entry.families[0]),) if distance else ()
        return _Match(entry, distance, misspelt, False)
    if ref.et_al:
        if entry.count < 2 or len(surnames) > len(entry.families):
            return None
    elif len(surnames) != len(entry.families) and not (
        (entry.open_ended or leading) and len(surnames) <= len(entry.families)
    ):
        return None
    total = 0
    misspellings = []
    pairs = zip(
        surnames, written.cores, entry.families, entry.cores, entry.organisations, strict=False
    )
    for i, (name, written_core, family, core, organisation) in enumerate(pairs):
        if organisation:
            distance = _organisation_distance(
                written.normalised[i], written_core, entry.normalised[i], core,
                entry.work.key if i == 0 else "", fuzzy,
            )  # fmt: skip
        else:
            distance = _name_distance(written_core, core, fuzzy)
        if distance is None:
            return None
        if distance:
            misspellings.append((name, family))
        total += distance
    return _Match(entry, total, tuple(misspellings), ref.et_al and entry.count == 2)


@lru_cache(maxsize=65536)
def _name_forms(name: str) -> tuple[str, str]:
    """A surname through ``normalise_name``, and that through ``_core``, worked out once per
    spelling: a bibliography of 10,000 works names the same few thousand people again and
    again."""
    normalised = normalise_name(name)
    return normalised, _core(normalised)


def _core(name: str) -> str:
    """A normalised surname without particles, spaces, hyphens or apostrophes."""
    words = name.split()
    while len(words) > 1 and words[0] in _PARTICLES:
        words.pop(0)
    return re.sub(r"[\s'\u2019-]+", "", " ".join(words))


def _name_distance(first: str, second: str, fuzzy: bool) -> int | None:
    """Edits between two surname cores (``_core``), or None if more than their length tolerates.

    Without ``fuzzy`` only equal names match.
    """
    if first == second:
        return 0
    if not fuzzy:
        return None
    longest = max(len(first), len(second))
    limit = 0 if longest <= 4 else 1 if longest <= 7 else 2
    if limit == 0 or abs(len(first) - len(second)) > limit:
        return None
    if len(set(first) ^ set(second)) > 2 * limit:  # an edit changes at most two letters' presence
        return None
    distance = _edit_distance(first, second, limit)
    if distance is not None and first[:1] != second[:1]:
        return distance + 1 if distance < limit else None
    return distance


def _edit_distance(first: str, second: str, limit: int) -> int | None:
    """Levenshtein distance if at most ``limit``, else None; only a band of the table is filled."""
    while first and second and first[0] == second[0]:
        first, second = first[1:], second[1:]
    while first and second and first[-1] == second[-1]:
        first, second = first[:-1], second[:-1]
    if not first or not second:
        return max(len(first), len(second)) if max(len(first), len(second)) <= limit else None
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, 1):
        current = [i] + [limit + 1] * len(second)
        for j in range(max(1, i - limit), min(len(second), i + limit) + 1):
            substitution = previous[j - 1] + (char != second[j - 1])
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


def _corporate_distance(written: _Written, entry: _Entry, fuzzy: bool) -> int | None:
    """Match an organisation written alone against a work's first author."""
    return _organisation_distance(
        written.normalised[0], written.cores[0], entry.normalised[0], entry.cores[0],
        entry.work.key, fuzzy,
    )  # fmt: skip


def _organisation_distance(
    name: str, core: str, bib: str, bib_core: str, key: str, fuzzy: bool
) -> int | None:
    """Match an organisation by name, by acronym either way, or by the key's leading letters
    (``key`` the work's key, or "" for an author after the first)."""
    squashed = re.sub(r"[\s.&-]+", "", name)
    key_letters = re.match(r"[a-z]*", key.casefold())
    if (
        name == bib
        or squashed in (_acronym(bib), _acronym(bib, every_word=True))
        or _acronym(name) == re.sub(r"[\s.&-]+", "", bib)
        or (len(squashed) >= 2 and key_letters is not None and squashed == key_letters.group())
    ):
        return 0
    return _name_distance(core, bib_core, fuzzy) if " " not in name else None


def _acronym(name: str, every_word: bool = False) -> str:
    """The initials of an organisation's words, "of", "the" ... left out unless ``every_word``
    ("moj" for Ministry of Justice)."""
    words = [
        w for w in re.split(r"[\s-]+", name) if w and (every_word or w not in _NAME_CONNECTORS)
    ]
    return "".join(word[0] for word in words) if len(words) > 1 else ""


def uncited_works(mentions: Sequence[Mention], works: Sequence[Work]) -> list[Work]:
    """The works no resolved reference in ``mentions`` points to, in bibliography order."""
    cited = {ref.bibkey for mention in mentions for ref in mention.refs if ref.bibkey}
    return [work for work in works if work.key not in cited]


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``text`` that holds ``offset``.

    >>> line_of("a\\nb", 2)
    2
    """
    return text.count("\n", 0, max(0, offset)) + 1


# The characters a sentence's closing punctuation is made of: stops, then closing quotes or
# brackets.
_STOPS = ".!?\u2026"
_CLOSERS = "'\u2019\"\u201d)]"
_PUNCTUATION = frozenset(_STOPS + _CLOSERS)
_SENTENCE_END = re.compile(rf"[{re.escape(_STOPS)}]+[{re.escape(_CLOSERS)}]*(?=\s|\Z)")
_BLANK_LINE = re.compile(r"\n(?=[ \t]*(\n))")
_NON_SPACE = re.compile(r"\S")
_WINDOW = 4000
_FORM_FEED = re.compile(r"\f")
_PAGE_NUMBER = re.compile(r"\d{1,4}")
_FURNITURE_LINES = 3
_FULL_SHARE = 0.8
_CAPTION = re.compile(r"[ \t]*(?:Table|Fig\.|Figure)\s+[A-Z]?\d", re.IGNORECASE)
_WRAPPED_LINE = 30


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``, as original offsets (end exclusive).

    A sentence ends at ``.``, ``!``, ``?`` (with any closing quote or bracket) followed by a
    capital, digit, quote or bracket, but not after an abbreviation ("et al.", "p.", "e.g.",
    "St.") or an initial. It also ends at a blank line, and at a line break after a line with
    no closing punctuation when the next line starts with a capital: a heading or a running
    header in text pulled from a PDF, unless the line is a full one wrapped inside a paragraph
    (``_wraps``). Surrounding whitespace is left out. Only 4,000
    characters on either side are looked at; punctuation right before ``start`` can end a
    sentence with no space after it.

    The places where sentences can end are found once per text (``_boundaries``), so that
    the sentences of a long text's hundreds of citations cost little more than one.

    >>> text = "Intro. As Buck et al. (2017) show, it works. Next."
    >>> text[slice(*sentence_span(text, 10, 28))]
    'As Buck et al. (2017) show, it works.'
    """
    start = min(max(start, 0), len(text))
    end = min(max(end, start), len(text))
    found = _boundaries(text)
    lo = max(0, start - _WINDOW)
    left = lo
    blank = bisect_right(found.blank_ends, start) - 1
    if blank >= 0 and found.blank_starts[blank] >= lo:
        left = found.blank_ends[blank]
    stops = _stops_between(text, found, lo, start)
    if stops:
        left = max(left, stops[-1])
    heading = bisect_left(found.heading_ends, start) - 1
    if heading >= 0:
        left = max(left, found.heading_ends[heading] + 1)
    right = hi = min(len(text), end + _WINDOW)
    blank = bisect_left(found.blank_starts, end)
    if blank < len(found.blank_starts) and found.blank_ends[blank] <= hi:
        right = found.blank_starts[blank]
    stops = _stops_between(text, found, end, right)
    if stops:
        right = stops[0]
    heading = bisect_left(found.heading_ends, end)
    if heading < len(found.heading_ends) and found.heading_ends[heading] < right:
        right = found.heading_ends[heading]
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


@dataclass(frozen=True)
class _Boundaries:
    """Where the sentences of one text can end, each list in text order.

    ``stop_starts`` and ``stop_ends`` span the closing punctuation that ends a sentence
    (``_SENTENCE_END`` accepted by ``_ends_sentence``); ``blank_starts`` and ``blank_ends``
    span every pair of line breaks with only spaces or tabs between (overlapping: three line
    breaks give two pairs); ``heading_ends`` are the line breaks ``_line_ends_sentence``
    accepts.
    """

    stop_starts: tuple[int, ...]
    stop_ends: tuple[int, ...]
    blank_starts: tuple[int, ...]
    blank_ends: tuple[int, ...]
    heading_ends: tuple[int, ...]


@lru_cache(maxsize=4)
def _boundaries(text: str) -> _Boundaries:
    """The ``_Boundaries`` of ``text``, kept for the few texts asked about most recently."""
    stops = [m.span() for m in _SENTENCE_END.finditer(text) if _ends_sentence(text, m)]
    blanks = [(m.start(), m.end(1)) for m in _BLANK_LINE.finditer(text)]
    headings = [m.start() for m in _NEWLINE.finditer(text) if _line_ends_sentence(text, m.start())]
    if headings:
        full = _full_line(text)
        headings = [newline for newline in headings if not _wraps(text, newline, full)]
    joins = _page_joins(text)
    if joins:
        starts = [start for start, _ in joins]

        def inside(offset: int) -> bool:
            at = bisect_right(starts, offset) - 1
            return at >= 0 and offset < joins[at][1]

        blanks = [blank for blank in blanks if not inside(blank[0])]
        headings = [newline for newline in headings if not inside(newline)]
    return _Boundaries(
        stop_starts=tuple(start for start, _ in stops),
        stop_ends=tuple(end for _, end in stops),
        blank_starts=tuple(start for start, _ in blanks),
        blank_ends=tuple(end for _, end in blanks),
        heading_ends=tuple(headings),
    )


def _page_joins(text: str) -> list[tuple[int, int]]:
    """Where a sentence runs on across a page break (a form feed, as pdftotext writes one):
    from the end of its words on one page to their start on the next, over the blank lines,
    page numbers and running lines between ("in grey seals\\n\\n\\f1392\\n\\n(Robinson
    2014). Naturally"). A page break joins when the words before it end with no closing
    punctuation, on a line as long as a wrapped line of text (30 characters: not a date or a
    title), and those after it begin in lower case or with a bracket; else it stays a
    break (a heading, a new paragraph, a table or figure on the next page).

    Page furniture is up to three lines on either side of the break, each a number alone or
    a line that is among the three next to two other page breaks too, once digits are ignored
    ("Behav Ecol Sociobiol (2015) 69:1383-1394").
    """
    feeds = [m.start() for m in _FORM_FEED.finditer(text)]
    if not feeds:
        return []
    near: Counter[str] = Counter()
    for feed in feeds:
        above = text[max(0, feed - 300) : feed].split("\n")[1:]
        below = text[feed + 1 : feed + 300].split("\n")[:-1]
        lines = [line for line in above if line.strip()][-_FURNITURE_LINES:]
        lines += [line for line in below if line.strip()][:_FURNITURE_LINES]
        near.update({_running_key(line) for line in lines})
    running = {key for key, count in near.items() if count >= 3 and key}

    def furniture(line: str) -> bool:
        line = line.strip(" \t\f")
        return bool(_PAGE_NUMBER.fullmatch(line)) or _running_key(line) in running

    joins = []
    for feed in feeds:
        before = feed
        for _ in range(_FURNITURE_LINES):
            end = _words_end(text, before)
            start = text.rfind("\n", 0, end) + 1
            if not furniture(text[start:end]):
                break
            before = start
        end = _words_end(text, before)
        after = feed + 1
        for _ in range(_FURNITURE_LINES):
            start = _words_start(text, after)
            stop = text.find("\n", start)
            stop = len(text) if stop < 0 else stop
            if not furniture(text[start:stop]):
                break
            after = stop
        start = _words_start(text, after)
        if end == 0 or start >= len(text):
            continue
        last = end
        while last and text[last - 1] in _CLOSERS:
            last -= 1
        closed = last == 0 or text[last - 1] in _STOPS + ":"
        wrapped = end - text.rfind("\n", 0, end) > _WRAPPED_LINE  # not a date or a title
        if wrapped and not closed and (text[start].islower() or text[start] in "(["):
            joins.append((end, start))
    return joins


def _words_end(text: str, offset: int) -> int:
    """Where the words before ``offset`` end: ``len(text[:offset].rstrip())``, uncopied."""
    while offset and text[offset - 1].isspace():
        offset -= 1
    return offset


def _words_start(text: str, offset: int) -> int:
    """Where the words from ``offset`` on start (the text's length if none do)."""
    found = _NON_SPACE.search(text, offset)
    return found.start() if found is not None else len(text)


def _running_key(line: str) -> str:
    return " ".join(_DIGITS.sub("#", line.strip(" \t\f")).casefold().split())


def _stops_between(text: str, found: _Boundaries, lo: int, hi: int) -> list[int]:
    """The ends of the sentence-ending punctuation ``_SENTENCE_END.finditer(text, lo, hi)``
    finds, in order.

    No match holds a character outside ``_STOPS`` and ``_CLOSERS``, so between the first and
    the last such character of ``text[lo:hi]`` the matches are those of the whole text, read
    from ``found``. Only the edges are scanned again: a match there may be cut short by
    ``lo``, or end at ``hi`` (which, as the end of the scan, satisfies the lookahead).
    """
    first = lo
    while first < hi and text[first] in _PUNCTUATION:
        first += 1
    if first == hi:
        return _scan_stops(text, lo, hi)
    last = hi - 1
    while text[last] in _PUNCTUATION:
        last -= 1
    inside = found.stop_ends[
        bisect_right(found.stop_starts, first) : bisect_right(found.stop_ends, last)
    ]
    head = _scan_stops(text, lo, first + 1) if first > lo else []
    tail = _scan_stops(text, last, hi) if last < hi - 1 else []
    return [*head, *inside, *tail]


def _scan_stops(text: str, lo: int, hi: int) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text, lo, hi) if _ends_sentence(text, m)]


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    following = _NON_SPACE.search(text, match.end())
    if following is None:
        return True
    char = following.group()
    if not (char.isupper() or char.isdigit() or char in "\u2018\u201c\"'(["):
        return False
    if text[match.start()] != ".":
        return True
    word_start = match.start()
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start : match.start()].lstrip("([\u2018\u201c\"'").casefold()
    return word not in _ABBREVIATIONS and not (len(word) == 1 and word.isalpha())


def _full_line(text: str) -> float:
    """How long a line of ``text``'s running text is when it wraps: most of the width its
    paragraphs fill (``_FULL_SHARE`` of the 70th percentile of its lines over 20 characters;
    a text of fewer such lines has no width, and no line of it is taken as full)."""
    lengths = sorted(n for n in map(len, text.split("\n")) if n > 20)
    if len(lengths) < 10:
        return math.inf
    return _FULL_SHARE * lengths[len(lengths) * 7 // 10]


def _wraps(text: str, newline: int, full: float) -> bool:
    """Whether the line break at ``newline`` wraps a sentence inside a paragraph, whatever the
    next line begins with ("T. b. rhodesiense, cause" / "HAT in humans (Magez et al., 2021)"):
    the line it ends is a full line, and so is the one before it, which ends with no closing
    punctuation. A heading follows the end of a paragraph or is a short line, and a table's
    or figure's caption begins with its number ("Table 3 Inclusion criteria"): each stays a
    break."""
    begin = text.rfind("\n", 0, newline) + 1
    if newline - begin < full or begin == 0 or _CAPTION.match(text, newline + 1):
        return False
    before = text[text.rfind("\n", 0, begin - 1) + 1 : begin - 1].rstrip()
    return len(before) >= full and before[-1] not in ".!?:"


def _line_ends_sentence(text: str, newline: int) -> bool:
    """Whether a line break ends a heading or header line rather than wrapping a sentence."""
    following = _NON_SPACE.search(text, newline + 1)
    if following is None or not following.group().isupper():
        return False
    line = text[text.rfind("\n", 0, newline) + 1 : newline].rstrip()
    if not line or line[-1] in ".!?,;:-\u2013\u2014(/\u2018\u201c\u2019\u201d'\"&":
        return False
    last_word = line.rsplit(None, 1)[-1].casefold()
    # A bracket opened and not closed on the line ("towards strangers (De" | "Dreu 2012)"),
    # even after one closed before it, goes on.
    opened = line.count("(") > line.count(")") or line.rfind("(") > line.rfind(")")
    return last_word not in _CONTINUATIONS and not opened
