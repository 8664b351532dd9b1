"""Curation from the map: a claim's stances and themes, written into the review's claims file.

``kg serve`` shows, in a claim's side panel, the stance toward each work it cites and its
themes, and lets the researcher change them or confirm what kg suggested. Each change becomes
an entry of the review's curated claims file (``claims`` in ``kg.toml``) in the format a
researcher writes by hand (``kg.load.claims.load_curated``): an entry already curated is
rewritten where it stands, its comments and note kept, and the file's other lines are left
as they were; a claim no one curated yet gets a new entry at the end (a confirmed suggestion
as ``kg suggest --accept`` writes it). The new file is read back before it replaces the old
one, in one rename, so a failed write never leaves a broken file.

These run in a process forked for each request (``kg.serve.builder``): they read the texts
through the build cache as ``kg suggest`` does.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.build.cache import CACHE_DIR, BuildCache
from kg.build.inputs import read_bibliography, read_texts, read_themes
from kg.build.suggest import accept_suggestions
from kg.config import Review
from kg.errors import ConfigError, InputError
from kg.load.claims import Claim, CuratedClaim, Origin, load_curated
from kg.load.stance import Stance

__all__ = ["CurationEdit", "claim_details", "curate_claim"]


@dataclass(frozen=True)
class CurationEdit:
    """What the researcher asked for one claim: its stances and themes, or a confirmation."""

    claim: str
    """The claim's id on the map: ``CITING/START-END``."""
    stances: tuple[tuple[str, Stance], ...] = ()
    themes: tuple[str, ...] | None = None
    confirm: bool = False

    @classmethod
    def from_json(cls, data: Any) -> CurationEdit:
        """An edit from the page's request; ``InputError`` names what is wrong with it."""
        if not isinstance(data, dict) or not isinstance(data.get("claim"), str):
            raise InputError("the request needs a 'claim' id")
        stances = data.get("stances") or {}
        themes = data.get("themes")
        if not isinstance(stances, dict):
            raise InputError("'stances' must map bibliography keys to CiTO terms")
        try:
            pairs = tuple((str(k), Stance(str(v))) for k, v in stances.items())
        except ValueError as error:
            raise InputError(f"not a stance kg knows: {error}") from None
        if themes is not None and not (
            isinstance(themes, list) and all(isinstance(t, str) for t in themes)
        ):
            raise InputError("'themes' must be a list of theme ids")
        return cls(
            data["claim"],
            pairs,
            tuple(themes) if themes is not None else None,
            bool(data.get("confirm")),
        )


def claim_id(claim: Claim) -> str:
    """A claim's id on the map (``kg.projections.network``): ``CITING/START-END``."""
    return f"{claim.citing}/{claim.start}-{claim.end}"


def _find_claim(review: Review, ident: str) -> tuple[Claim, list[tuple[str, str]]]:
    cache = BuildCache(review.output / CACHE_DIR)
    read = read_bibliography(review, cache)
    scheme = read_themes(review, cache)
    texts = read_texts(review, read, scheme, cache, lambda _: None)
    for text in texts:
        for claim in text.claims:
            if claim_id(claim) == ident:
                return claim, [(t.ident, t.label) for t in scheme.themes]
    raise InputError(f"no claim {ident!r} in the review (rebuilt since the page was loaded?)")


def _entry_of(review: Review, claim: Claim) -> CuratedClaim | None:
    """The curated entry about ``claim``, if there is one."""
    if review.claims is None or not review.claims.is_file() or claim.origin is not Origin.CURATED:
        return None
    for entry in load_curated(review.claims):
        if Path(entry.text).name == claim.source and _squash(entry.quote) in _squash(claim.text):
            return entry
    return None


def claim_details(review: Review, ident: str) -> dict[str, Any]:
    """What the side panel shows to curate a claim: its sentence, stances, themes, the
    scheme's themes and the stances to choose from."""
    claim, scheme = _find_claim(review, ident)
    return {
        "claim": ident,
        "text": claim.text,
        "origin": claim.origin.value,
        "stances": [[key, stance.value] for key, stance in claim.stances],
        "themes": list(claim.themes),
        "scheme": scheme,
        "choices": [stance.value for stance in Stance],
        "file": str(review.claims) if review.claims else None,
    }


def curate_claim(review: Review, edit: CurationEdit) -> Path:
    """Write ``edit`` into the review's claims file (see the module); the file's path."""
    if review.claims is None:
        raise ConfigError(
            f'{review.config_path}: no curated claims file; add claims = "claims.yaml" to'
            " kg.toml to curate from the map"
        )
    claim, scheme = _find_claim(review, edit.claim)
    known = {ident for ident, _ in scheme}
    unknown = [t for t in edit.themes or () if t not in known]
    if unknown:
        raise InputError(f"{unknown[0]!r} is not a theme id of the scheme")
    entry = _entry_of(review, claim)
    if entry is None and edit.confirm and not edit.stances and edit.themes is None:
        return accept_suggestions(review, [claim])
    stances = dict(claim.stances)
    stances.update(dict(edit.stances))
    themes = edit.themes if edit.themes is not None else claim.themes
    path = review.claims
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    if entry is None:
        new = _entry_lines(claim.source, claim.text, stances, themes)
        if not lines:
            lines = ["claims:"]
        elif lines[-1].strip() == "claims: []":
            lines[-1] = "claims:"
        lines += new
    else:
        start, end = _entry_span(lines, entry, load_curated(path))
        block = lines[start:end]
        block = _set_key(block, "stance", _flow_mapping(stances))
        lines[start:end] = _set_key(block, "themes", f"[{', '.join(themes)}]")
    _write_checked(path, "\n".join(lines) + "\n")
    return path


def _entry_span(
    lines: list[str], entry: CuratedClaim, entries: list[CuratedClaim]
) -> tuple[int, int]:
    """The lines of ``entry`` (0-based, end excluded), without the comments and blank lines
    before the next entry, which belong to it."""
    start = entry.line - 1
    later = [e.line - 1 for e in entries if e.line > entry.line]
    end = min(later) if later else len(lines)
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip()[:1] == "#"):
        end -= 1
    return start, end


def _set_key(block: list[str], key: str, value: str) -> list[str]:
    """The entry's lines with ``key`` set to ``value`` (flow style), its other lines and
    comments as they were; a comment after the old value on its line is kept."""
    first = re.match(r"(\s*)-(\s+)", block[0])
    indent = len(first.group(0)) if first else 4
    starts = [
        i
        for i, line in enumerate(block)
        if line[indent:].startswith(f"{key}:") and (i == 0 or not line[:indent].strip())
    ]
    if not starts:
        return [*block, f"{' ' * indent}{key}: {value}"]
    at = starts[0]
    end = at + 1
    while end < len(block) and block[end].strip() and _indent(block[end]) > indent:
        end += 1
    comment = re.search(r"\s#\s.*$", block[at]) if end == at + 1 else None
    lead = block[at][:indent]
    line = f"{lead}{key}: {value}" + (f"  {comment.group(0).strip()}" if comment else "")
    return [*block[:at], line, *block[end:]]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _flow_mapping(stances: dict[str, Stance]) -> str:
    return "{" + ", ".join(f"{key}: {stance.value}" for key, stance in stances.items()) + "}"


def _entry_lines(
    text: str, quote: str, stances: dict[str, Stance], themes: tuple[str, ...]
) -> list[str]:
    """A new curated entry as a researcher writes one."""
    return [
        f"  - text: {_scalar(text)}",
        f"    quote: {_scalar(quote)}",
        f"    stance: {_flow_mapping(stances)}",
        f"    themes: [{', '.join(themes)}]",
    ]


def _squash(text: str) -> str:
    """Text without whitespace or hyphenated line breaks, as a curated quote is matched."""
    return re.sub(r"-\n|\s+", "", text)


def _scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _write_checked(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` in one rename, once the new text reads as a claims file."""
    trial = path.with_name(f".{path.name}.kg-serve")
    trial.write_text(text, encoding="utf-8")
    try:
        load_curated(trial)
    except InputError as error:
        trial.unlink()
        raise InputError(f"{path}: the change would break the file ({error})") from None
    if path.exists():
        os.chmod(trial, path.stat().st_mode & 0o7777)
    trial.replace(path)
