"""Claims: the citing sentences of a text, what they cite, their themes and their stance.

Extraction makes one claim per sentence that holds at least one citation. Its stance toward
each cited work starts from where the citation sits (a parenthetical citation backs the
sentence as evidence, a narrative one is a mention) and is refined by cue phrases, which are
kept as *suggestions*. A researcher's curated claims file (YAML) always wins: it can set the
stance toward each work, replace the themes, or add a claim the extractor missed.

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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.load.citations import Mention, sentence_span
from kg.load.themes import Theme, normalise_text, tag_themes

if TYPE_CHECKING:
    import yaml

__all__ = [
    "DRAFT_HEADER",
    "Claim",
    "CuratedClaim",
    "Origin",
    "Stance",
    "apply_curation",
    "extract_claims",
    "find_cue",
    "load_curated",
    "render_draft_claims",
    "suggest_stance",
]

CONTEXT = 32


class Stance(StrEnum):
    """CiTO characterisations kg uses; the value is the CiTO local name."""

    CITES = "cites"
    CITES_AS_EVIDENCE = "citesAsEvidence"
    SUPPORTS = "supports"
    DISPUTES = "disputes"
    CRITIQUES = "critiques"

    @property
    def polarity(self) -> str:
        """How the map draws it: "supports", "disputes" or "mentions"."""
        if self in (Stance.SUPPORTS, Stance.CITES_AS_EVIDENCE):
            return "supports"
        if self in (Stance.DISPUTES, Stance.CRITIQUES):
            return "disputes"
        return "mentions"


class Origin(StrEnum):
    """Where a claim comes from."""

    EXTRACTED = "extracted"
    CURATED = "curated"


def _cue(*phrases: str) -> re.Pattern[str]:
    """A pattern finding any of ``phrases`` (each starting with a letter) as whole words, in
    any case. A lookahead for their first letters lets the search pass over most words at
    once rather than try every phrase on each: it runs on every sentence of a review."""
    firsts = "".join(sorted({phrase[0] for phrase in phrases}))
    return re.compile(rf"\b(?=[{firsts}])({'|'.join(phrases)})\b", re.IGNORECASE)


CUES: tuple[tuple[re.Pattern[str], Stance], ...] = (
    (_cue(r"critiqu\w*", r"criticis\w*", r"criticiz\w*", "contrary to", r"challeng\w*",
          r"question\w*", r"paradox\w*", r"controvers\w*"), Stance.CRITIQUES),
    (_cue(r"disput\w*", r"refut\w*", r"contradict\w*", "however", "overlooked"), Stance.DISPUTES),
    (_cue("in support of", "supported by", "consistent with", r"confirm\w*", "in line with"),
     Stance.SUPPORTS),
    (_cue("found that", "find that", "found", "shows?", "showed", r"demonstrat\w*",
          "documents?", "evidence", "reported", r"identif\w*"), Stance.CITES_AS_EVIDENCE),
    (_cue(r"argu\w*", r"contend\w*", r"posit\w*", r"propos\w*"), Stance.CITES),
)  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """A sentence of a citing text, anchored to its exact place, with what it cites.

    ``stances`` maps each cited bibliography key to its CiTO characterisation; ``suggested``
    holds what the cue phrases alone would say, kept apart from the decision.
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


def suggest_stance(sentence: str) -> Stance | None:
    """The characterisation cue phrases in ``sentence`` suggest, strongest first, or None.

    >>> suggest_stance("Smith (2010) found that it works, but see the critique by Jones.")
    <Stance.CRITIQUES: 'critiques'>
    """
    found = find_cue(sentence)
    return found[0] if found else None


def find_cue(sentence: str) -> tuple[Stance, str] | None:
    """The strongest cue phrase in ``sentence`` and the stance it suggests, or None.

    >>> find_cue("As Maruna (2001) argues, desistance is a process.")
    (<Stance.CITES: 'cites'>, 'argues')
    """
    for pattern, stance in CUES:
        match = pattern.search(sentence)
        if match:
            return stance, match.group()
    return None


def extract_claims(
    text: str,
    mentions: Sequence[Mention],
    themes: Sequence[Theme],
    *,
    source: str,
    citing: str,
) -> list[Claim]:
    """One claim per sentence of ``text`` that holds a citation, in text order."""
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(sentence_span(text, mention.start, mention.end), []).append(mention)
    return [
        _make_claim(text, start, end, tuple(found), themes, source=source, citing=citing)
        for (start, end), found in sorted(by_sentence.items())
    ]


def _make_claim(
    text: str,
    start: int,
    end: int,
    mentions: tuple[Mention, ...],
    themes: Sequence[Theme],
    *,
    source: str,
    citing: str,
) -> Claim:
    exact = text[start:end]
    normalised = normalise_text(exact)
    suggestion = suggest_stance(normalised)
    stances: dict[str, Stance] = {}
    suggested: dict[str, Stance] = {}
    for mention in mentions:
        default = Stance.CITES_AS_EVIDENCE if mention.kind == "parenthetical" else Stance.CITES
        for ref in mention.refs:
            if ref.bibkey and ref.bibkey not in stances:
                stances[ref.bibkey] = suggestion or default
                if suggestion:
                    suggested[ref.bibkey] = suggestion
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
        themes=tag_themes(normalised, themes),
        stances=tuple(stances.items()),
        suggested=tuple(suggested.items()),
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


def apply_curation(
    claims: Sequence[Claim],
    curated: Sequence[CuratedClaim],
    text: str,
    *,
    source: str,
    citing: str,
    themes: Sequence[Theme],
    known_keys: set[str],
) -> list[Claim]:
    """The claims of one text with the curated entries for it applied; curation wins.

    A curated entry finds its sentence by its quote (whitespace and hyphenated line breaks
    do not matter). If extraction made a claim of that sentence, the entry overrides its
    stances and themes; if not, the entry makes a new claim citing ``cites``.
    """
    result = {(c.start, c.end): c for c in claims}
    theme_ids = {t.ident for t in themes}
    for entry in curated:
        if Path(entry.text).name != Path(source).name:
            continue
        where = f"{entry.path}:{entry.line}"
        offset = _find_quote(text, entry.quote)
        if offset is None:
            raise InputError(f"{where}: quote {entry.quote!r} is not in {source}")
        unknown = [k for k, _ in entry.stance if k not in known_keys] + [
            k for k in entry.cites if k not in known_keys
        ]
        if unknown:
            raise InputError(f"{where}: {unknown[0]!r} is not a key of the bibliography")
        bad_themes = [t for t in entry.themes or () if t not in theme_ids]
        if bad_themes:
            raise InputError(f"{where}: {bad_themes[0]!r} is not a theme id of the scheme")
        span = sentence_span(text, offset, offset + 1)
        claim = result.get(span) or _make_claim(
            text, *span, (), themes, source=source, citing=citing
        )
        stances = dict(claim.stances)
        for key in entry.cites:
            stances.setdefault(key, Stance.CITES_AS_EVIDENCE)
        stances.update(entry.stance)
        result[span] = replace(
            claim,
            stances=tuple(stances.items()),
            themes=entry.themes if entry.themes is not None else claim.themes,
            origin=Origin.CURATED,
            extra_cites=tuple(k for k in (*entry.cites, *dict(entry.stance))
                              if k not in claim.cited_keys),
            note=entry.note,
        )  # fmt: skip
    return [result[span] for span in sorted(result)]


def _find_quote(text: str, quote: str) -> int | None:
    """Where ``quote`` starts in ``text``, ignoring whitespace and hyphenated line breaks."""
    chars = [re.escape(ch) for ch in re.sub(r"\s+", "", quote)]
    if not chars:
        return None
    match = re.search(r"(?:\s|-\n)*".join(chars), text)
    return match.start() if match else None


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
    sits) and which references could not be resolved.
    """
    lines = [DRAFT_HEADER.format(source=source) + ("claims:" if claims else "claims: []")]
    for claim in claims:
        quote = claim.text
        cue = find_cue(claim.text)
        stances = ", ".join(f"{key}: {stance.value}" for key, stance in claim.stances)
        lines.append(f"  - text: {_scalar(source)}")
        lines.append(f"    quote: {_scalar(quote)}")
        if cue is not None:
            why = f"cue phrase '{cue[1]}' suggests {cue[0].value}"
        else:
            why = "no cue phrase: parenthetical = citesAsEvidence, narrative = cites"
        lines.append(f"    stance: {{{stances}}}  # {why}")
        unresolved = [
            f"{' and '.join(ref.surnames)}{' et al.' if ref.et_al else ''} {ref.year}{ref.suffix}"
            for mention in claim.mentions
            for ref in mention.refs
            if ref.bibkey is None
        ]
        if unresolved:
            lines.append(f"    # not in the bibliography: {'; '.join(unresolved)}")
    return "\n".join(lines) + "\n"


def _scalar(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)
