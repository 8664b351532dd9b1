"""Claims: the citing sentences of a text, what they cite, their themes and their stance.

Extraction makes one claim per sentence that holds at least one citation. Its themes are
scored from the scheme and the sentence's context (:mod:`kg.load.tagging`), its stance toward
each cited work from the cues around the citation (:mod:`kg.load.stance`); each keeps its
score or confidence and the words that led there. A researcher's curated claims file (YAML)
always wins: it can set the stance toward each work, replace the themes, or add a claim the
extractor missed; and its tagged claims teach the tagger, which then tags the rest again.

The curated file looks like this::

    claims:
      - text: nixon2020-excerpt.txt        # which full text (file name as in kg.toml)
        quote: "Hucklesby and Wincup (2014: 1) argue"   # words of the sentence, exactly
        stance: {hucklesby2014assistance: critiques}    # CiTO characterisation per work
        themes: [coercion]                 # optional: replaces the extracted themes
        cites: [kavanagh2013exploring]     # optional: works a sentence without a citation rests on
        note: "why"                        # optional
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kg.errors import InputError
from kg.load.citations import Mention, citing_mentions, find_citations, sentence_span
from kg.load.stance import Stance, StanceGuess, bracket_trail, classify_stance
from kg.load.tagging import (
    StemmedText,
    TagExample,
    TagMethod,
    TagSettings,
    ThemeTag,
    ThemeTagger,
)
from kg.load.themes import Theme, normalise_text

if TYPE_CHECKING:
    import yaml

__all__ = [
    "DRAFT_HEADER",
    "Claim",
    "CuratedClaim",
    "CurationProblem",
    "Origin",
    "Stance",
    "StanceGuess",
    "apply_curation",
    "extract_claims",
    "load_curated",
    "rank_claims",
    "read_examples",
    "render_claim_entry",
    "render_draft_claims",
    "tagger_for",
    "work_names",
]

CONTEXT = 32


class Origin(StrEnum):
    """Where a claim comes from."""

    EXTRACTED = "extracted"
    CURATED = "curated"


@dataclass(frozen=True)
class Claim:
    """A sentence of a citing text, anchored to its exact place, with what it cites.

    ``stances`` maps each cited bibliography key to its CiTO characterisation; ``suggested``
    holds what the cue phrases alone would say, kept apart from the decision. ``tags`` are
    ``themes`` with their scores and how each was found; ``guesses`` the stance the words
    suggest for each cited reference, by where the reference starts in the text (also for
    references the bibliography does not hold).
    """

    source: str
    citing: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    text: str
    mentions: tuple[Mention, ...]
    themes: tuple[str, ...]
    stances: tuple[tuple[str, Stance], ...]
    suggested: tuple[tuple[str, Stance], ...] = ()
    origin: Origin = Origin.EXTRACTED
    extra_cites: tuple[str, ...] = ()
    note: str = ""
    tags: tuple[ThemeTag, ...] = ()
    guesses: tuple[tuple[int, StanceGuess], ...] = ()

    @property
    def confidence(self) -> float:
        """How sure kg is of the claim as a whole: 1 when curated, else the least sure of its
        stances and its best theme's score (0 with no theme)."""
        if self.origin is Origin.CURATED:
            return 1.0
        stance = min((g.confidence for _, g in self.guesses), default=1.0)
        theme = max((t.score for t in self.tags), default=0.0)
        return round(min(stance, theme), 3)

    @property
    def cited_keys(self) -> tuple[str, ...]:
        """Every resolved bibliography key the claim rests on, in text order, once each."""
        keys = [r.bibkey for m in self.mentions for r in m.refs if r.bibkey]
        return tuple(dict.fromkeys([*keys, *self.extra_cites]))


@dataclass(frozen=True)
class CuratedClaim:
    """One entry of the curated claims file, with the line it starts on."""

    text: str
    quote: str
    line: int
    stance: tuple[tuple[str, Stance], ...] = ()
    themes: tuple[str, ...] | None = None
    cites: tuple[str, ...] = ()
    note: str = ""
    path: str = field(default="", compare=False)
    reading: TagExample | None = None
    """The entry as the tagger reads it, when it was read in its own text with the words
    around it and its heading (a QDA coded segment, :func:`read_example`); else its quote is
    read alone, its citations blanked."""


def extract_claims(
    text: str,
    mentions: Sequence[Mention],
    themes: Sequence[Theme],
    *,
    source: str,
    citing: str,
    settings: TagSettings | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[Claim]:
    """One claim per sentence of ``text`` that holds a citation, in text order, tagged with
    themes (``settings``: which scores are kept; ``titles``: the works' titles by key, for
    the subject of what a claim cites) and a stance toward each work it cites."""
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(sentence_span(text, mention.start, mention.end), []).append(mention)
    reading = _Reading(text, tagger_for(themes, (), settings), titles)
    return [
        _make_claim(reading, start, end, tuple(found), source=source, citing=citing)
        for (start, end), found in sorted(by_sentence.items())
    ]


_TAGGERS: dict[
    tuple[int, tuple[TagExample, ...], TagSettings | None],
    tuple[Sequence[Theme], ThemeTagger],
] = {}


def tagger_for(
    themes: Sequence[Theme],
    examples: tuple[TagExample, ...] = (),
    settings: TagSettings | None = None,
) -> ThemeTagger:
    """The tagger of a scheme (and curated examples), made once: a review's texts share it."""
    key = (id(themes), examples, settings)
    known = _TAGGERS.get(key)
    if known is None or known[0] is not themes:
        if len(_TAGGERS) > 8:
            _TAGGERS.clear()
        known = _TAGGERS[key] = (themes, ThemeTagger(themes, examples, settings))
    return known[1]


AROUND = 160
RUNNING = 3
"""A heading line found this many times in a text is a running header (a journal's name, the
article's short title, page after page), not the heading of the sentences under it."""
BLANK_LINE = re.compile(r"\n[ \t]*\n")
LINE_BREAK_HYPHEN = re.compile(r"(\w+)-\n(\w+)")
HEADING = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*((?:\d+(?:\.\d+)*\.?[ \t]+)?[A-Z][^\n.!?;:,]{2,60})[ \t]*\n"
)


_Read = TypeVar("_Read")


class _Reading:
    """A text as claims are made from it: its headings found once, its tagger."""

    def __init__(
        self,
        text: str,
        tagger: ThemeTagger | None = None,
        titles: Mapping[str, str] | None = None,
        name: str = "",
    ) -> None:
        self.text = text
        self.name = Path(name).name
        self.tagger = tagger
        self.titles = titles or {}
        self.heading_starts: list[int] = []
        self.headings: list[str] = []
        found = [
            (match.start(1), match.group(1))
            for match in HEADING.finditer(text)
            if len(match.group(1).split()) <= 8
        ]
        # A line that comes back page after page is a running header, not a section's heading.
        seen = Counter(" ".join(heading.split()) for _, heading in found)
        for start, heading in found:
            if seen[" ".join(heading.split())] < RUNNING:
                self.heading_starts.append(start)
                self.headings.append(heading)

    @cached_property
    def stemmed(self) -> StemmedText:
        """The text's words stemmed, when first needed (curation may tag nothing anew)."""
        return StemmedText(self.text)

    @cached_property
    def paragraph_starts(self) -> list[int]:
        """Where each paragraph after the first starts: after a blank line."""
        return [match.end() for match in BLANK_LINE.finditer(self.text)]

    def paragraph(self, offset: int) -> str:
        """The paragraph ``offset`` is in, named by the text's file name and the paragraph's
        number in it ("review.txt#3"); "" for a text with no name."""
        if not self.name:
            return ""
        return f"{self.name}#{bisect_right(self.paragraph_starts, offset)}"

    def heading(self, offset: int) -> str:
        """The last heading before ``offset``, or ""."""
        index = bisect_right(self.heading_starts, offset) - 1
        return self.headings[index] if index >= 0 else ""

    def neighbours(self, start: int, end: int) -> tuple[str, str]:
        """The text around ``text[start:end]``: about a sentence before and after it (whole
        words, normalised), read for context without finding the sentences' ends."""
        text = self.text
        before = text[max(0, start - AROUND) : start]
        after = text[end : end + AROUND]
        if start > AROUND:
            before = before.split(None, 1)[-1] if " " in before else before
        if end + AROUND < len(text):
            after = after.rsplit(None, 1)[0] if " " in after else after
        return normalise_text(before), normalise_text(after)

    def cited(self, mentions: Sequence[Mention]) -> tuple[str, ...]:
        """The titles of the works ``mentions`` cite (those resolved to a work with a title),
        each once, in the order cited."""
        titles = self.titles
        if not titles:
            return ()
        found = (titles.get(ref.bibkey or "") for mention in mentions for ref in mention.refs)
        return tuple(dict.fromkeys(title for title in found if title))

    def example(
        self, start: int, end: int, mentions: Sequence[Mention], themes: Sequence[str]
    ) -> TagExample:
        """``text[start:end]`` given ``themes``, read as the tagger reads a claim: its
        citations (``mentions``) out, the text around it, its heading, the titles of the
        works it cites."""
        before, after = self.neighbours(start, end)
        return TagExample(
            normalise_text(_plain(self.text, start, end, mentions)), tuple(themes),
            f"{before} {after}", self.heading(start), self.cited(mentions), work_names(mentions),
            self.paragraph(start),
        )  # fmt: skip

    def tag(
        self, start: int, end: int, mentions: Sequence[Mention], tagger: ThemeTagger | None = None
    ) -> tuple[ThemeTag, ...]:
        """The themes of the sentence ``text[start:end]`` (its citations, ``mentions``, left
        out), with the words around it, its heading and the titles of the works it cites."""
        tagger = tagger or self.tagger
        assert tagger is not None, "a reading made for examples tags nothing"
        if tagger.learner is None:
            return self._span(tagger.tag_span, start, end, mentions)
        return self._span(
            tagger.tag_span, start, end, mentions, works=work_names(mentions),
            paragraph=self.paragraph(start),
        )  # fmt: skip

    def rank(
        self, start: int, end: int, mentions: Sequence[Mention]
    ) -> list[tuple[str, float, bool]]:
        """What :meth:`tag` kept its themes from: every theme the scheme scores, best first."""
        assert self.tagger is not None, "a reading made for examples ranks nothing"
        return self._span(self.tagger.rank_span, start, end, mentions)

    def _span(
        self,
        read: Callable[..., _Read],
        start: int,
        end: int,
        mentions: Sequence[Mention],
        **more: Any,
    ) -> _Read:
        """``read`` (a tagger's ``tag_span`` or ``rank_span``) of the sentence with the words
        around it, its heading and the titles of the works it cites (and ``more``)."""
        return read(
            self.stemmed, start, end, skip=[(m.start, m.end) for m in mentions], around=AROUND,
            heading=self.heading(start), cited=self.cited(mentions), **more,
        )  # fmt: skip


def work_names(mentions: Sequence[Mention]) -> tuple[str, ...]:
    """The works ``mentions`` cite, each once, in the order cited: a resolved work by its
    bibliography key, another by its first author's surname and its year as the text writes
    them, so that the claims citing one work are known, with a bibliography or without.

    >>> work_names(find_citations("Shown (Smith, 2010a; Jones & Lee, 2012) and by Smith (2010a)."))
    ('smith 2010a', 'jones 2012')
    """
    names = []
    for mention in mentions:
        for ref in mention.refs:
            if ref.bibkey:
                names.append(ref.bibkey)
            elif ref.surnames:
                names.append(f"{ref.surnames[0].casefold()} {ref.year}{ref.suffix}")
    return tuple(dict.fromkeys(names))


def rank_claims(
    text: str,
    claims: Sequence[Claim],
    themes: Sequence[Theme],
    *,
    settings: TagSettings | None = None,
    titles: Mapping[str, str] | None = None,
) -> dict[tuple[int, int], list[tuple[str, float, bool]]]:
    """Per claim of ``text`` (by its start and end): every theme the scheme scores for it,
    best first, as tagging read it (:meth:`ThemeTagger.rank_span`), what its tags were kept
    from; to see where tagging goes wrong (``benchmarks/curation.py --where``)."""
    reading = _Reading(text, tagger_for(themes, (), settings), titles)
    return {(c.start, c.end): reading.rank(c.start, c.end, c.mentions) for c in claims}


def _plain(text: str, start: int, end: int, mentions: Sequence[Mention]) -> str:
    """``text[start:end]`` with its citations blanked, words hyphenated across lines joined
    and line breaks made spaces, all in the same length, so that offsets into the text hold
    and authors' names tag no theme and cue no stance."""
    blanked = _without_citations(text, start, end, mentions)
    if "-\n" in blanked:
        blanked = LINE_BREAK_HYPHEN.sub(lambda m: f"{m.group(1)}{m.group(2)}  ", blanked)
    return blanked.replace("\n", " ")


def _without_citations(text: str, start: int, end: int, mentions: Sequence[Mention]) -> str:
    """``text[start:end]`` with its citations blanked (same length)."""
    chars = list(text[start:end])
    for mention in mentions:
        for i in range(max(mention.start, start), min(mention.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def _make_claim(
    reading: _Reading,
    start: int,
    end: int,
    mentions: tuple[Mention, ...],
    *,
    source: str,
    citing: str,
) -> Claim:
    text = reading.text
    exact = text[start:end]
    normalised = normalise_text(exact)
    plain = _plain(text, start, end, mentions)
    _, after = reading.neighbours(start, end)
    tags = reading.tag(start, end, mentions)
    stances: dict[str, Stance] = {}
    suggested: dict[str, Stance] = {}
    guesses: list[tuple[int, StanceGuess]] = []
    for mention in mentions:
        previous = mention.start
        if mention.kind == "bare":
            # a citation inside brackets it shares with other words ("(e.g., 30 min of
            # interaction, Nagasawa et al. 2009)"): their words before it are its lead
            opened = text.rfind("(", start, mention.start)
            if opened >= 0 and ")" not in text[opened : mention.start]:
                previous = opened + 1
        for ref in mention.refs:
            lead = text[previous : ref.start] if ref.start > previous else ""
            if mention.prefix and mention.prefix.lower() not in lead.lower():
                lead = f"{mention.prefix} {lead}"
            guess = classify_stance(
                plain, ref.start - start, ref.end - start, lead=lead.replace("\n", " "),
                trail=bracket_trail(text, ref.end, end).replace("\n", " "),
                narrative=mention.kind.startswith("narrative"), next_sentence=after,
            )  # fmt: skip
            previous = ref.end
            guesses.append((ref.start, guess))
            if ref.bibkey and ref.bibkey not in stances:
                stances[ref.bibkey] = guess.stance
                if guess.cue:
                    suggested[ref.bibkey] = guess.stance
    return Claim(
        source=source,
        citing=citing,
        start=start,
        end=end,
        exact=exact,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        text=normalised,
        mentions=mentions,
        themes=tuple(tag.theme for tag in tags),
        stances=tuple(stances.items()),
        suggested=tuple(suggested.items()),
        tags=tags,
        guesses=tuple(guesses),
    )


def load_curated(path: str | Path) -> list[CuratedClaim]:
    """Read a curated claims file; any mistake names the file, line and what to write."""
    import yaml  # only a review with curated claims needs it

    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: curated claims file not found") from None
    try:
        root = yaml.compose(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"{where}: not valid YAML ({getattr(error, 'problem', error)})") from None
    if root is None:
        return []
    data = yaml.safe_load(source)
    entries = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{path}: expected a top-level 'claims:' list")
    nodes = _claim_nodes(root)
    return [
        _curated(path, entry, nodes[i].start_mark.line + 1 if i < len(nodes) else 0)
        for i, entry in enumerate(entries)
    ]


def _claim_nodes(root: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "claims" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


def _curated(path: Path, entry: Any, line: int) -> CuratedClaim:
    where = f"{path}:{line}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: each claim must be a mapping with text, quote and stance")
    for key in ("text", "quote"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise InputError(f"{where}: claim needs '{key}:' as a non-empty string")
    stance = entry.get("stance", {}) or {}
    if not isinstance(stance, dict):
        raise InputError(f"{where}: 'stance' must map bibliography keys to CiTO terms")
    stances = []
    for key, value in stance.items():
        try:
            stances.append((str(key), Stance(str(value))))
        except ValueError:
            allowed = ", ".join(s.value for s in Stance)
            raise InputError(
                f"{where}: stance {value!r} for {key!r} is not one of {allowed}"
            ) from None
    themes = entry.get("themes")
    if themes is not None and not (
        isinstance(themes, list) and all(isinstance(t, str) for t in themes)
    ):
        raise InputError(f"{where}: 'themes' must be a list of theme ids")
    cites = entry.get("cites", []) or []
    if not isinstance(cites, list) or not all(isinstance(c, str) for c in cites):
        raise InputError(f"{where}: 'cites' must be a list of bibliography keys")
    return CuratedClaim(
        text=entry["text"],
        quote=entry["quote"],
        line=line,
        stance=tuple(stances),
        themes=tuple(themes) if themes is not None else None,
        cites=tuple(cites),
        note=str(entry.get("note", "")),
        path=str(path),
    )


@dataclass(frozen=True)
class CurationProblem:
    """A curated entry the build left out, at its line, and what to do."""

    path: str
    line: int
    message: str


def apply_curation(
    claims: Sequence[Claim],
    curated: Sequence[CuratedClaim],
    text: str,
    *,
    source: str,
    citing: str,
    themes: Sequence[Theme],
    known_keys: set[str],
    settings: TagSettings | None = None,
    problems: list[CurationProblem] | None = None,
    titles: Mapping[str, str] | None = None,
) -> list[Claim]:
    """The claims of one text with the curated entries for it applied; curation wins.

    A curated entry finds its sentence by its quote (whitespace and hyphenated line breaks
    do not matter). If extraction made a claim of that sentence, the entry overrides its
    stances and themes; if not, the entry makes a new claim citing ``cites``.

    Every curated entry that gives themes, for this text or another, is an example: the
    claims no one curated are tagged again by a tagger that learnt from them (``titles``: the
    works' titles by key, as :func:`extract_claims` takes them).

    An entry that cannot be applied (its quote matches nothing or more than one place, an
    unknown key or theme) raises ``InputError``, or, given ``problems``, is reported there
    and left out, so that the rest is applied.
    """
    result = {(c.start, c.end): c for c in claims}
    theme_ids = {t.ident for t in themes}
    reading = _Reading(text, tagger_for(themes, (), settings), titles, source)
    examples: list[TagExample] = []
    for entry in curated:
        mine = Path(entry.text).name == Path(source).name
        span = None
        try:
            span = _curated_span(entry, text, source, known_keys, theme_ids) if mine else None
        except InputError as error:
            if problems is None:
                raise
            problems.append(CurationProblem(entry.path, entry.line, str(error).split(": ", 1)[1]))
            continue
        if span is None:
            if entry.themes:
                examples.append(entry.reading or _quote_example(entry.quote, entry.themes))
            continue
        claim = result.get(span) or _make_claim(reading, *span, (), source=source, citing=citing)
        if entry.themes:
            examples.append(reading.example(*span, claim.mentions, entry.themes))
        stances = dict(claim.stances)
        for key in entry.cites:
            stances.setdefault(key, Stance.CITES_AS_EVIDENCE)
        stances.update(entry.stance)
        tags = claim.tags
        if entry.themes is not None:
            tags = tuple(ThemeTag(t, 1.0, TagMethod.CURATED) for t in entry.themes)
        result[span] = replace(
            claim,
            stances=tuple(stances.items()),
            themes=tuple(tag.theme for tag in tags),
            tags=tags,
            origin=Origin.CURATED,
            extra_cites=tuple(k for k in (*entry.cites, *dict(entry.stance))
                              if k not in claim.cited_keys),
            note=entry.note,
        )  # fmt: skip
    if examples:
        taught = tagger_for(themes, tuple(examples), settings)
        for span, claim in result.items():
            if claim.origin is Origin.EXTRACTED:
                tags = reading.tag(*span, claim.mentions, taught)
                result[span] = replace(claim, tags=tags, themes=tuple(t.theme for t in tags))
    return [result[span] for span in sorted(result)]


CLOSING = " \t\n.!?;:\"')]\u201d\u2019"


def _quote_example(quote: str, themes: Sequence[str]) -> TagExample:
    """A curated quote from a text not at hand, its citations blanked as a claim's are (their
    authors' names would teach a theme the names, and no claim of the rest holds them)."""
    return TagExample(
        normalise_text(_plain(quote, 0, len(quote), find_citations(quote))), tuple(themes)
    )


def read_examples(
    text: str, segments: Sequence[tuple[int, int, Sequence[str]]], name: str = ""
) -> list[TagExample]:
    """Stretches of ``text`` a researcher coded (start, end, theme ids), each read as a claim
    of the text is read (:class:`TagExample`): widened to the sentences it lies in, its
    citations out (the text's reference list not read as citations), the words around it and
    the heading it sits under, so that it teaches the tagger in the form of the claims it is
    compared with. ``name``: the text's file name, so that a segment coded in a text of the
    review teaches the claims of its paragraph as a curated claim there does.

    >>> text = "Intro\\n\\nWolves hunt as a pack (Mech, 1970). Dogs follow pointing."
    >>> read_examples(text, [(7, 20, ["wolves"])])[0].sentence
    'Wolves hunt as a pack .'
    """
    if not segments:
        return []
    reading = _Reading(text, name=name)
    mentions = citing_mentions(text)
    examples = []
    for start, end, themes in segments:
        first = sentence_span(text, start, min(end, start + 1))[0]
        # the last word's sentence (a sentence's closing stop can open the next one's span)
        tail = start + len(text[start:end].rstrip(CLOSING))
        last = sentence_span(text, max(start, tail - 1), max(start + 1, tail))[1]
        span = (min(first, start), max(last, end))
        inside = [m for m in mentions if m.start < span[1] and m.end > span[0]]
        examples.append(reading.example(*span, inside, themes))
    return examples


def _curated_span(
    entry: CuratedClaim, text: str, source: str, known_keys: set[str], theme_ids: set[str]
) -> tuple[int, int]:
    """The sentence a curated entry for ``text`` is about; ``InputError`` when it cannot be."""
    where = f"{entry.path}:{entry.line}"
    offsets = _find_quote(text, entry.quote)
    if not offsets:
        raise InputError(
            f"{where}: quote {entry.quote!r} is not in {source}; copy the words from the text"
        )
    if len(offsets) > 1:
        raise InputError(
            f"{where}: quote {entry.quote!r} is in {source} {len(offsets)} times; quote more"
            " words of the sentence you mean"
        )
    unknown = [k for k, _ in entry.stance if k not in known_keys] + [
        k for k in entry.cites if k not in known_keys
    ]
    if unknown:
        raise InputError(f"{where}: {unknown[0]!r} is not a key of the bibliography")
    bad_themes = [t for t in entry.themes or () if t not in theme_ids]
    if bad_themes:
        raise InputError(f"{where}: {bad_themes[0]!r} is not a theme id of the scheme")
    return sentence_span(text, offsets[0], offsets[0] + 1)


def _find_quote(text: str, quote: str) -> list[int]:
    """Where ``quote`` starts in ``text`` (each place), ignoring whitespace and hyphenated
    line breaks."""
    chars = [re.escape(ch) for ch in re.sub(r"\s+", "", quote)]
    if not chars:
        return []
    return [match.start() for match in re.finditer(r"(?:\s|-\n)*".join(chars), text)]


DRAFT_HEADER = """\
# Draft claims for {source}, written by `kg extract --claims`.
# One entry per sentence that cites something. Check each stance (cites, citesAsEvidence,
# supports, disputes, critiques), add themes where they matter, delete the entries you do
# not need, and use the file as the review's curated claims (kg.toml: claims = ...).
"""


def render_draft_claims(claims: Sequence[Claim], *, source: str) -> str:
    """The claims as a curated claims file (see ``load_curated``) for a researcher to correct.

    Every entry quotes its sentence and gives the extracted stance toward each resolved work,
    with a comment saying where the stance comes from (a cue phrase or where the citation
    sits), the themes guessed with their scores, and which references could not be resolved.
    """
    lines = [DRAFT_HEADER.format(source=source) + ("claims:" if claims else "claims: []")]
    for claim in claims:
        lines += render_claim_entry(claim, source=source)
    return "\n".join(lines) + "\n"


def render_claim_entry(claim: Claim, *, source: str) -> list[str]:
    """One claim as the lines of a curated claims file's entry, what kg guessed in comments."""
    cue = next((guess for _, guess in claim.guesses if guess.cue), None)
    stances = ", ".join(f"{key}: {stance.value}" for key, stance in claim.stances)
    lines = [f"  - text: {_scalar(source)}", f"    quote: {_scalar(claim.text)}"]
    if cue is not None:
        why = f"cue phrase '{cue.cue}' suggests {cue.stance.value} ({cue.confidence:.2f})"
    else:
        why = "no cue phrase: parenthetical = citesAsEvidence, narrative = cites"
    lines.append(f"    stance: {{{stances}}}  # {why}")
    if claim.tags:
        themes = ", ".join(tag.theme for tag in claim.tags)
        scores = "; ".join(
            f"{tag.theme} {tag.score:.2f} from {' '.join(tag.words) or tag.method.value}"
            for tag in claim.tags
        )
        lines.append(f"    themes: [{themes}]  # guessed: {scores}")
    unresolved = [
        f"{' and '.join(ref.surnames)}{' et al.' if ref.et_al else ''} {ref.year}{ref.suffix}"
        for mention in claim.mentions
        for ref in mention.refs
        if ref.bibkey is None
    ]
    if unresolved:
        lines.append(f"    # not in the bibliography: {'; '.join(unresolved)}")
    return lines


def _scalar(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)
