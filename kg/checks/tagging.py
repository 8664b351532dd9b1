"""Score theme tagging and stance against hand-made gold, with and without curated examples.

Two gold shapes are read:

- the seed's (``../shared/seed/themes.gold.json``): ``occurrences`` by the ids of
  ``citations.gold.json`` (which holds their offsets), themes in plain words mapped to the
  scheme by id, label or altLabel (or the one label that holds the words), stance by
  bibliography key;
- kg's development gold (``benchmarks/gold/*/gold.json``): each occurrence with its own
  ``start``/``end``, themes by scheme id, stance by "first surname year" as the citation writes
  it, ``*`` for every other work of the sentence.

Themes are scored per sentence (occurrences of one sentence pooled): a ``core`` theme kg gives
is right, one it misses is missed, one it gives that is neither ``core`` nor ``also`` is wrong;
micro precision, recall and F1. Stance is scored per cited work: accuracy over supports /
mentions / disputes ("discusses" in the gold is "mentions") and recall per class.

With ``curated=0.1`` every tenth gold sentence (in text order) is given to kg as a curated
claim with its gold themes, and only the others are scored: what a researcher's coding of a
tenth of the claims does for the rest.

>>> scores = score_theme_gold(Path("benchmarks/gold/range2015/gold.json"))  # doctest: +SKIP
>>> round(scores.themes.f1, 2)  # doctest: +SKIP
0.7
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.checks.evaluate import development_golds, shared_folder
from kg.config import ontology_path
from kg.errors import InputError
from kg.load.bib import parse_bibliography
from kg.load.citations import Mention, Reference, citing_mentions, resolve_citations
from kg.load.claims import Claim, CuratedClaim, apply_curation, extract_claims, rank_claims
from kg.load.references import read_references
from kg.load.tagging import TagSettings
from kg.load.themes import ThemeScheme, load_themes, normalise_text

__all__ = [
    "GoldSentence",
    "LostTags",
    "PreparedGold",
    "StanceScores",
    "TagScores",
    "ThemeScores",
    "curated_sample",
    "format_lost_tags",
    "format_tag_scores",
    "prepare_theme_gold",
    "read_theme_gold",
    "run_theme_evaluation",
    "score_prepared",
    "score_tagging",
    "score_theme_gold",
    "where_lost",
]

POLARITIES = ("supports", "mentions", "disputes")


@dataclass(frozen=True)
class GoldSentence:
    """The gold of one citing sentence: where it is, its themes, the stance per cited work."""

    start: int
    end: int
    core: frozenset[str]
    also: frozenset[str]
    stance: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ThemeScores:
    """Counts of theme tags: right, given but wrong, missed."""

    right: int = 0
    wrong: int = 0
    missed: int = 0

    @property
    def precision(self) -> float:
        given = self.right + self.wrong
        return self.right / given if given else 1.0

    @property
    def recall(self) -> float:
        gold = self.right + self.missed
        return self.right / gold if gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class StanceScores:
    """Gold stance against kg's, per cited work: ``pairs`` counts (gold, kg) polarities."""

    pairs: tuple[tuple[tuple[str, str], int], ...] = ()

    @property
    def total(self) -> int:
        return sum(n for _, n in self.pairs)

    @property
    def accuracy(self) -> float:
        right = sum(n for (gold, got), n in self.pairs if gold == got)
        return right / self.total if self.total else 1.0

    def recall(self, polarity: str) -> float | None:
        """The share of gold ``polarity`` kg found, None when the gold has none."""
        gold = sum(n for (g, _), n in self.pairs if g == polarity)
        right = sum(n for (g, got), n in self.pairs if g == polarity and got == polarity)
        return right / gold if gold else None

    def gold_count(self, polarity: str) -> int:
        return sum(n for (g, _), n in self.pairs if g == polarity)


@dataclass(frozen=True)
class TagScores:
    """Theme and stance figures for one gold file."""

    name: str
    sentences: int
    themes: ThemeScores
    stance: StanceScores
    curated: int = 0
    unmapped: tuple[str, ...] = field(default=())
    unlearnt: ThemeScores | None = None
    """With curated sentences: the themes of the same other sentences before kg learnt from
    the curated ones, so the difference is what curating did."""


def gold_stance_of(ref: Reference, gold_stance: dict[str, str]) -> str | None:
    """The stance a gold sentence gives the work ``ref`` cites: by its key, by its first
    surname and year as written ("Smith 2010a"), or the sentence's ``*``; None if none."""
    written = f"{ref.surnames[0]} {ref.year}{ref.suffix}" if ref.surnames else ""
    found = gold_stance.get(ref.bibkey or "") or gold_stance.get(written)
    return found or gold_stance.get("*")


def read_theme_gold(
    path: Path, scheme: ThemeScheme
) -> tuple[list[GoldSentence], Path, tuple[str, ...]]:
    """The gold sentences of ``path`` (either shape), the text they are in, and the gold's
    theme words no theme of ``scheme`` has (left out of the scoring)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read the gold ({error})") from None
    occurrences = data.get("occurrences")
    if not isinstance(occurrences, dict):
        raise InputError(f"{path}: expected an 'occurrences' mapping")
    words = _theme_words(scheme)
    unmapped: set[str] = set()

    def ids(names: Sequence[str]) -> frozenset[str]:
        found = set()
        for name in names:
            ident = words.get(" ".join(name.lower().split())) or _containing(name, scheme)
            if ident:
                found.add(ident)
            else:
                unmapped.add(name)
        return frozenset(found)

    spans: dict[str, tuple[int, int]] = {}
    if "text" in data:
        text = path.parent / data["text"]
    else:
        citations = json.loads((path.parent / "citations.gold.json").read_text(encoding="utf-8"))
        text = path.parent / citations["source_file"]
        spans = {
            str(o["id"]): (o["sentence_start"], o["sentence_end"]) for o in citations["occurrences"]
        }
    by_span: dict[tuple[int, int], GoldSentence] = {}
    for key, entry in occurrences.items():
        span = (entry["start"], entry["end"]) if "start" in entry else spans[key]
        stance = tuple((k, _polarity(v)) for k, v in entry.get("stance", {}).items())
        start, end = span
        found = GoldSentence(
            start, end, ids(entry.get("core", [])), ids(entry.get("also", [])), stance
        )
        known = by_span.get(span)
        if known is not None:
            found = GoldSentence(
                start, end, known.core | found.core, known.also | found.also,
                known.stance + found.stance,
            )  # fmt: skip
        by_span[span] = found
    return [by_span[span] for span in sorted(by_span)], text, tuple(sorted(unmapped))


def _polarity(word: str) -> str:
    return "mentions" if word in ("discusses", "mentions", "cites") else word


def _theme_words(scheme: ThemeScheme) -> dict[str, str]:
    words: dict[str, str] = {}
    for theme in scheme.themes:
        for name in (theme.ident, theme.label, *theme.alt_labels):
            words.setdefault(" ".join(name.lower().split()), theme.ident)
    return words


def _containing(name: str, scheme: ThemeScheme) -> str | None:
    """The one theme whose label holds every word of ``name``, if just one does."""
    wanted = set(name.lower().split())
    found = [t.ident for t in scheme.themes if wanted <= set(t.label.lower().split())]
    return found[0] if len(found) == 1 else None


def score_tagging(
    claims: Sequence[Claim], gold: Sequence[GoldSentence], *, skip: frozenset[int] = frozenset()
) -> tuple[ThemeScores, StanceScores]:
    """Theme and stance figures of ``claims`` against ``gold`` (``skip``: gold sentences, by
    index, left out: those given to kg as curated)."""
    right = wrong = missed = 0
    pairs: Counter[tuple[str, str]] = Counter()
    for index, sentence in enumerate(gold):
        if index in skip:
            continue
        claim = next((c for c in claims if c.start <= sentence.start < c.end), None)
        given = set(claim.themes) if claim else set()
        right += len(given & sentence.core)
        missed += len(sentence.core - given)
        wrong += len(given - sentence.core - sentence.also)
        if claim is None:
            continue
        gold_stance = dict(sentence.stance)
        stances = dict(claim.stances)
        guesses = dict(claim.guesses)
        for mention in claim.mentions:
            for ref in mention.refs:
                wanted = gold_stance_of(ref, gold_stance)
                if wanted is None:
                    continue
                stance = stances.get(ref.bibkey) if ref.bibkey else None
                if stance is None and ref.start in guesses:
                    stance = guesses[ref.start].stance
                pairs[(wanted, stance.polarity if stance else "mentions")] += 1
    return ThemeScores(right, wrong, missed), StanceScores(tuple(sorted(pairs.items())))


@dataclass(frozen=True)
class PreparedGold:
    """A gold file read and its text's claims extracted once, to score with many choices of
    curated sentences (:func:`score_prepared`)."""

    name: str
    path: Path
    scheme: ThemeScheme
    gold: tuple[GoldSentence, ...]
    text: str
    source: str
    claims: tuple[Claim, ...]
    keys: frozenset[str]
    unmapped: tuple[str, ...]
    settings: TagSettings | None = None
    titles: dict[str, str] = field(default_factory=dict)
    """The cited works' titles by key (the bibliography's and the text's reference list's)."""


def prepare_theme_gold(
    gold_path: Path,
    *,
    themes: Path | None = None,
    bibliographies: Sequence[Path] = (),
    settings: TagSettings | None = None,
) -> PreparedGold:
    """Read the gold and extract the claims of its text with its scheme (``themes``, or the
    gold's own ``themes.ttl``); ``bibliographies`` resolve the citations (the seed's stance
    gold is by key)."""
    try:
        data = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(f"{gold_path}: cannot read the gold ({error})") from None
    scheme_path = themes or gold_path.parent / data.get("themes", "themes.ttl")
    scheme = load_themes(scheme_path)
    gold, text_path, unmapped = read_theme_gold(gold_path, scheme)
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as error:
        maker = text_path.parent / "make_text.py"
        hint = f"; {maker} writes it from ../shared" if maker.is_file() else ""
        reason = f"cannot read the gold's text ({error.strerror}){hint}"
        raise InputError(f"{text_path}: {reason}") from None
    mentions: Sequence[Mention] = citing_mentions(text)
    source = text_path.name
    works = parse_bibliography(list(bibliographies)).works if bibliographies else ()
    keys = {work.key for work in works}
    # as `kg build` reads a text: its own reference list adds the works the bibliography lacks
    works = (*works, *read_references(text, source, works).works)
    if works:
        mentions, _ = resolve_citations(mentions, works)
    titles = {work.key: work.title for work in works if work.title}
    claims = extract_claims(
        text, mentions, scheme.themes, source=source, citing="gold", settings=settings,
        titles=titles,
    )  # fmt: skip
    name = gold_path.parent.name if gold_path.name == "gold.json" else gold_path.stem
    return PreparedGold(
        name, gold_path, scheme, tuple(gold), text, source, tuple(claims), frozenset(keys),
        unmapped, settings, titles,
    )  # fmt: skip


def curated_sample(count: int, share: float, seed: int | None = None) -> frozenset[int]:
    """Which of ``count`` gold sentences a researcher curates, ``share`` of them: every
    n-th in text order (``seed`` None), else a random choice of as many (at least one).

    >>> sorted(curated_sample(25, 0.1))
    [0, 10, 20]
    >>> len(curated_sample(25, 0.1, seed=1))
    2
    """
    if not share:
        return frozenset()
    if seed is None:
        return frozenset(range(0, count, max(1, round(1 / share))))
    return frozenset(random.Random(seed).sample(range(count), max(1, round(share * count))))


def score_prepared(prepared: PreparedGold, curated: frozenset[int] = frozenset()) -> TagScores:
    """The figures of a prepared gold, the sentences ``curated`` (by index) given to kg as
    curated claims with their gold themes and left out of the scoring."""
    gold, text, source = prepared.gold, prepared.text, prepared.source
    claims: Sequence[Claim] = prepared.claims
    unlearnt = None
    if curated:
        entries = [
            CuratedClaim(source, normalise_text(text[gold[i].start : gold[i].end]), 0,
                         themes=tuple(sorted(gold[i].core)), path=str(prepared.path))
            for i in sorted(curated)
        ]  # fmt: skip
        unlearnt = score_tagging(claims, gold, skip=curated)[0]
        claims = apply_curation(
            claims, entries, text, source=source, citing="gold", themes=prepared.scheme.themes,
            known_keys=set(prepared.keys), settings=prepared.settings, problems=[],
            titles=prepared.titles,
        )  # fmt: skip
    theme_scores, stance_scores = score_tagging(claims, gold, skip=curated)
    return TagScores(
        prepared.name, len(gold) - len(curated), theme_scores, stance_scores, len(curated),
        prepared.unmapped, unlearnt,
    )  # fmt: skip


def score_theme_gold(
    gold_path: Path,
    *,
    themes: Path | None = None,
    bibliographies: Sequence[Path] = (),
    curated: float = 0.0,
    settings: TagSettings | None = None,
    seed: int | None = None,
) -> TagScores:
    """Extract the claims of the gold's text with its scheme (``themes``, or the gold's own
    ``themes.ttl``) and score them; ``bibliographies`` resolve the citations (the seed's
    stance gold is by key); ``curated``: the share of gold sentences given as curated claims,
    every n-th or, with ``seed``, a random choice (:func:`curated_sample`)."""
    prepared = prepare_theme_gold(
        gold_path, themes=themes, bibliographies=bibliographies, settings=settings
    )
    return score_prepared(prepared, curated_sample(len(prepared.gold), curated, seed))


def format_tag_scores(scores: Sequence[TagScores]) -> str:
    """The figures as one table, a row per gold file."""
    head = (
        "| gold | sentences | curated | theme P / R / F1 | F1 unlearnt | stance acc. |"
        " recall supports / mentions / disputes (gold n) |"
    )
    lines = [head, "| --- | --- | --- | --- | --- | --- | --- |"]
    for s in scores:
        recalls = " / ".join(
            "-" if s.stance.recall(p) is None else f"{s.stance.recall(p):.2f}" for p in POLARITIES
        )
        counts = "/".join(str(s.stance.gold_count(p)) for p in POLARITIES)
        unlearnt = f"{s.unlearnt.f1:.2f}" if s.unlearnt else "-"
        lines.append(
            f"| {s.name} | {s.sentences} | {s.curated} | {s.themes.precision:.2f} /"
            f" {s.themes.recall:.2f} / {s.themes.f1:.2f} | {unlearnt} | {s.stance.accuracy:.2f} |"
            f" {recalls} ({counts}) |"
        )
    for name, unmapped in dict((s.name, s.unmapped) for s in scores if s.unmapped).items():
        lines.append(f"{name}: gold themes no theme has (not scored): {', '.join(unmapped)}")
    return "\n".join(lines)


def run_theme_evaluation(
    golds: Sequence[Path] = (),
    *,
    themes: Path | None = None,
    bibliographies: Sequence[Path] = (),
    curated: Sequence[float] = (0.0, 0.1),
) -> list[TagScores]:
    """Each gold file scored scheme alone and with each share ``curated``. With no gold
    files: the seed's (``../shared/seed``, with ``ontology/themes.ttl``) and kg's development
    gold (``benchmarks/gold`` in a source checkout, those whose text is at hand)."""
    runs: list[tuple[Path, Path | None, Sequence[Path]]] = [
        (gold, themes, bibliographies) for gold in golds
    ]
    if not golds:
        seed = shared_folder() / "seed"
        if (seed / "themes.gold.json").is_file():
            runs.append((seed / "themes.gold.json", ontology_path() / "themes.ttl",
                         [seed / "references.bib"]))  # fmt: skip
        runs += [(gold, None, ()) for gold in development_golds()[0]]
        if not runs:
            raise InputError("no theme gold found: give a gold file with --themes-gold")
    return [
        score_theme_gold(gold, themes=scheme, bibliographies=bibs, curated=share)
        for share in curated
        for gold, scheme, bibs in runs
    ]


RANKS = ("1st", "2nd", "3rd", "4th+")


@dataclass(frozen=True)
class LostTags:
    """Where a gold's theme F1 is lost, scheme alone: the wrong tags by the rank the scheme
    gave them among the claim's themes (and how many were label matches), the missed
    ``core`` themes by their rank (``unscored``: the scheme gave them nothing), and how many
    themes a sentence carries, kg's against the gold's ``core`` and ``also``."""

    name: str
    sentences: int
    wrong: tuple[int, ...]
    wrong_labelled: int
    missed: tuple[int, ...]
    unscored: int
    kept: int
    core: int
    also: int


def where_lost(prepared: PreparedGold) -> LostTags:
    """The errors of ``prepared``'s claims (scheme alone) by the rank the scheme gave them."""
    claims = prepared.claims
    ranked = rank_claims(
        prepared.text, claims, prepared.scheme.themes, settings=prepared.settings,
        titles=prepared.titles,
    )  # fmt: skip
    wrong, missed = [0] * len(RANKS), [0] * len(RANKS)
    wrong_labelled = unscored = kept = core = also = 0
    for sentence in prepared.gold:
        claim = next((c for c in claims if c.start <= sentence.start < c.end), None)
        scored = ranked[claim.start, claim.end] if claim else []
        order = {theme: (rank, labelled) for rank, (theme, _, labelled) in enumerate(scored)}
        given = set(claim.themes) if claim else set()
        kept, core, also = kept + len(given), core + len(sentence.core), also + len(sentence.also)
        for theme in sorted(given - sentence.core - sentence.also):
            rank, labelled = order.get(theme, (len(RANKS) - 1, False))
            wrong[min(rank, len(RANKS) - 1)] += 1
            wrong_labelled += labelled
        for theme in sorted(sentence.core - given):
            if theme in order:
                missed[min(order[theme][0], len(RANKS) - 1)] += 1
            else:
                unscored += 1
    return LostTags(
        prepared.name, len(prepared.gold), tuple(wrong), wrong_labelled, tuple(missed), unscored,
        kept, core, also,
    )  # fmt: skip


def format_lost_tags(lost: Sequence[LostTags]) -> str:
    """:func:`where_lost`'s figures as one table, a row per gold."""
    lines = [
        "| gold | themes a sentence: kg / core / also | wrong by rank "
        + " / ".join(RANKS) + " (label matches) | missed core by rank " + " / ".join(RANKS)
        + " / unscored |",
        "| --- | --- | --- | --- |",
    ]  # fmt: skip
    for row in lost:
        n = row.sentences or 1
        lines.append(
            f"| {row.name} ({row.sentences}) | {row.kept / n:.2f} / {row.core / n:.2f} /"
            f" {row.also / n:.2f} | {' / '.join(map(str, row.wrong))} ({row.wrong_labelled}) |"
            f" {' / '.join(map(str, row.missed))} / {row.unscored} |"
        )
    return "\n".join(lines)
