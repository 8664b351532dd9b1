"""Score citation extraction against hand-made gold: mention spans and resolved keys.

Two yardsticks:

- a gold file shaped like ``../shared/seed/citations.gold.json``: ``occurrences`` with
  ``start``/``end`` offsets into a text and ``refs`` with ``span_start``/``span_end`` and
  ``bibkey``. Spans and keys are both scored (``score_gold_file``).
- GROBID's full-text training TEI (``../shared/corpora/grobid-callouts/``): real article text
  with ``<lb/>`` line breaks and ``<ref type="biblio">`` around every citation callout. The
  callouts are not linked to reference entries, so only detection is scored
  (``score_tei_corpus``). Each file becomes plain text (``<lb/>`` is a line break, other markup
  is dropped); a callout is author-date gold if it holds a year, "n.d." or "in press";
  numeric callouts ("[12]") are out of scope: they are not gold, and a kg mention overlapping
  one is neither right nor wrong.

Matching. *Exact*: a gold span counts as found when a kg mention has the same start and end
(gold spans are compared without surrounding whitespace). *Overlap*: a gold span is found when
any kg mention shares a character with it, and a kg mention is right when it shares a
character with any gold span. Overlap absorbs the span conventions that differ between
annotators and kg without judging either: GROBID sometimes marks one callout per item of a
list where kg reports the whole bracket, puts "see" inside the callout, or leaves the
brackets out; kg's narrative span starts at the first name and ends at the bracket.

>>> scores = score_tei_corpus("../shared/corpora/grobid-callouts")  # doctest: +SKIP
>>> round(scores.overlap.recall, 2)  # doctest: +SKIP
0.97
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.load.bib import parse_bibliography
from kg.load.citations import Mention, find_citations, resolve_citations

__all__ = [
    "EVALUATIONS",
    "Miss",
    "Rate",
    "Scores",
    "TeiText",
    "format_scores",
    "run_evaluation",
    "score_gold_file",
    "score_spans",
    "score_tei_corpus",
    "shared_folder",
    "tei_to_text",
]

_AUTHOR_DATE = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)|n\.\s?d\.|(?i:in\s+press)")


@dataclass(frozen=True)
class Rate:
    """Precision, recall and F1 from counts; a rate of nothing found or expected is 1."""

    right: int
    found: int
    found_gold: int
    gold: int

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.found_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass(frozen=True)
class Miss:
    """A gold span kg did not find, or a kg mention that is not in the gold, with its place."""

    document: str
    line: int
    surface: str


@dataclass(frozen=True)
class Scores:
    """What one evaluation measured; ``keys`` is None where the gold has no keys."""

    name: str
    documents: int
    exact: Rate
    overlap: Rate
    keys_right: int | None = None
    keys_total: int | None = None
    missed: tuple[Miss, ...] = field(default=())
    spurious: tuple[Miss, ...] = field(default=())
    seconds: float = 0.0

    @property
    def key_accuracy(self) -> float | None:
        """Share of gold references whose resolved key kg got right."""
        if self.keys_total is None or self.keys_right is None:
            return None
        return self.keys_right / self.keys_total if self.keys_total else 1.0

    def table(self) -> str:
        """The figures as a small aligned table."""
        rows = [("", "gold", "kg", "precision", "recall", "F1")]
        for label, rate in (("exact spans", self.exact), ("overlapping spans", self.overlap)):
            rows.append(
                (
                    label,
                    str(rate.gold),
                    str(rate.found),
                    f"{rate.precision:.3f}",
                    f"{rate.recall:.3f}",
                    f"{rate.f1:.3f}",
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [f"{self.name}: {self.documents} document(s), {self.seconds:.2f} s"]
        lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        if self.key_accuracy is not None:
            lines.append(
                f"resolved keys: {self.keys_right}/{self.keys_total} right"
                f" (accuracy {self.key_accuracy:.3f})"
            )
        return "\n".join(lines)


def score_spans(
    gold: Sequence[tuple[int, int]],
    found: Sequence[tuple[int, int]],
    ignore: Sequence[tuple[int, int]] = (),
) -> tuple[Rate, Rate, list[int], list[int]]:
    """Exact and overlap rates of ``found`` spans against ``gold`` spans in one text.

    Found spans overlapping an ``ignore`` span and no gold span are left out. Also returns
    the indexes of the gold spans not overlapped and of the found spans overlapping no gold.

    >>> exact, overlap, missed, spurious = score_spans([(0, 5), (10, 20)], [(0, 5), (12, 30)])
    >>> (exact.right, overlap.right, overlap.found_gold, missed, spurious)
    (1, 2, 2, [], [])
    """
    kept = [
        span
        for span in found
        if any(_overlaps(span, g) for g in gold) or not any(_overlaps(span, i) for i in ignore)
    ]
    spans = set(kept)
    exact_gold = sum(1 for g in gold if g in spans)
    exact_found = sum(1 for span in kept if span in set(gold))
    missed = [i for i, g in enumerate(gold) if not any(_overlaps(g, s) for s in kept)]
    spurious = [
        i for i, s in enumerate(found) if s in spans and not any(_overlaps(s, g) for g in gold)
    ]
    overlap_found = len(kept) - len(spurious)
    exact = Rate(exact_found, len(kept), exact_gold, len(gold))
    overlap = Rate(overlap_found, len(kept), len(gold) - len(missed), len(gold))
    return exact, overlap, missed, spurious


def _overlaps(first: tuple[int, int], second: tuple[int, int]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


def _add(rates: Iterable[Rate]) -> Rate:
    right = found = found_gold = gold = 0
    for rate in rates:
        right += rate.right
        found += rate.found
        found_gold += rate.found_gold
        gold += rate.gold
    return Rate(right, found, found_gold, gold)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def score_gold_file(
    gold_path: str | Path, text_path: str | Path, bib_paths: Sequence[str | Path]
) -> Scores:
    """Score kg on ``text_path`` against a gold file of ``occurrences`` and their keys.

    A gold reference's key is right when kg reports a reference with the same span and the
    same key (``null`` in the gold means the work is not in the bibliography: kg must leave
    it unresolved too).
    """
    gold_path, text_path = Path(gold_path), Path(text_path)
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = text_path.read_text(encoding="utf-8")
    except (OSError, ValueError) as error:
        raise InputError(f"cannot read the gold file or its text: {error}") from None
    started = time.perf_counter()
    works = parse_bibliography(bib_paths).works
    mentions, _ = resolve_citations(find_citations(text), works)
    seconds = time.perf_counter() - started
    occurrences = gold.get("occurrences", [])
    spans = [(o["start"], o["end"]) for o in occurrences]
    found = [(m.start, m.end) for m in mentions]
    exact, overlap, missed, spurious = score_spans(spans, found)
    keys = {(r.start, r.end): r.bibkey for m in mentions for r in m.refs}
    gold_refs = [r for o in occurrences for r in o.get("refs", [])]
    right = sum(
        1
        for r in gold_refs
        if (r["span_start"], r["span_end"]) in keys
        and keys[(r["span_start"], r["span_end"])] == r.get("bibkey")
    )
    return Scores(
        name=f"{gold_path.name} on {text_path.name}",
        documents=1,
        exact=exact,
        overlap=overlap,
        keys_right=right,
        keys_total=len(gold_refs),
        missed=tuple(
            Miss(text_path.name, _line(text, spans[i][0]), text[slice(*spans[i])]) for i in missed
        ),
        spurious=tuple(_miss(text_path.name, text, mentions[i]) for i in spurious),
        seconds=seconds,
    )


def _miss(document: str, text: str, mention: Mention) -> Miss:
    return Miss(document, _line(text, mention.start), mention.surface)


@dataclass(frozen=True)
class TeiText:
    """A GROBID training file as plain text with the spans of its callouts and figures.

    ``callouts`` are the author-date ``<ref type="biblio">`` spans (a year, "n.d." or "in
    press" inside, surrounding whitespace left out), ``numeric`` the other biblio callouts,
    ``figures`` the spans of ``<figure>`` elements (figures and tables).
    """

    text: str
    callouts: tuple[tuple[int, int], ...]
    numeric: tuple[tuple[int, int], ...]
    figures: tuple[tuple[int, int], ...]


def tei_to_text(path: str | Path) -> TeiText:
    """The plain text of a GROBID training TEI file with its callouts and figures.

    ``<lb/>`` becomes a line break; every other element contributes only its text.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        raise InputError(f"{path}: cannot read as TEI XML ({error})") from None
    body = root.find("text")
    if body is None:
        raise InputError(f"{path}: no <text> element")
    pieces: list[str] = []
    refs: list[tuple[int, int]] = []
    figures: list[tuple[int, int]] = []
    size = 0

    def walk(element: ET.Element) -> None:
        nonlocal size
        start = size
        if element.tag == "lb":
            pieces.append("\n")
            size += 1
        if element.text:
            pieces.append(element.text)
            size += len(element.text)
        for child in element:
            walk(child)
        if element.tag == "ref" and element.get("type") == "biblio":
            refs.append((start, size))
        elif element.tag == "figure":
            figures.append((start, size))
        if element.tail:
            pieces.append(element.tail)
            size += len(element.tail)

    for child in body:
        walk(child)
    text = "".join(pieces)
    author_date: list[tuple[int, int]] = []
    other: list[tuple[int, int]] = []
    for start, end in refs:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            (author_date if _AUTHOR_DATE.search(text, start, end) else other).append((start, end))
    return TeiText(text, tuple(author_date), tuple(other), tuple(figures))


def score_tei_corpus(folder: str | Path, *, prose_only: bool = False) -> Scores:
    """Score kg's citation finder on every ``*.tei.xml`` under ``folder`` (detection only).

    With ``prose_only``, figures and tables are left out on both sides: their callouts are
    marked in some files and not in others (1512.00014's tables list two dozen author-year
    citations, none marked), so there the gold cannot tell a right mention from a wrong one.
    """
    folder = Path(folder)
    paths = sorted(folder.rglob("*.tei.xml"))
    if not paths:
        raise InputError(f"{folder}: no *.tei.xml files")
    exact_rates: list[Rate] = []
    overlap_rates: list[Rate] = []
    missed: list[Miss] = []
    spurious: list[Miss] = []
    seconds = 0.0
    for path in paths:
        tei = tei_to_text(path)
        text, gold, numeric = tei.text, list(tei.callouts), list(tei.numeric)
        started = time.perf_counter()
        mentions = find_citations(text)
        seconds += time.perf_counter() - started
        if prose_only:
            gold = [g for g in gold if not any(_overlaps(g, f) for f in tei.figures)]
            mentions = [
                m for m in mentions if not any(_overlaps((m.start, m.end), f) for f in tei.figures)
            ]
        found = [(m.start, m.end) for m in mentions]
        exact, overlap, miss, extra = score_spans(gold, found, numeric)
        exact_rates.append(exact)
        overlap_rates.append(overlap)
        name = path.name.removesuffix(".training.fulltext.tei.xml")
        missed += [Miss(name, _line(text, gold[i][0]), text[slice(*gold[i])]) for i in miss]
        spurious += [_miss(name, text, mentions[i]) for i in extra]
    return Scores(
        name=f"GROBID callouts in {folder.name}" + (", prose only" if prose_only else ""),
        documents=len(paths),
        exact=_add(exact_rates),
        overlap=_add(overlap_rates),
        missed=tuple(missed),
        spurious=tuple(spurious),
        seconds=seconds,
    )


def shared_folder() -> Path:
    """``../shared`` beside the repository, where the seed gold and corpora live."""
    return Path(__file__).resolve().parents[3] / "shared"


def development_golds() -> tuple[list[Path], list[Path]]:
    """kg's development theme golds in a source checkout (``benchmarks/gold/*/gold.json``):
    those whose text is at hand, and those whose text could not be made. A gold made from a
    corpus file whose own licence is not stated keeps no copy of its text in the repository:
    its folder's ``make_text.py`` writes ``text.txt`` from ``../shared`` the first time, and
    where ``../shared`` is absent the gold is in the second list."""
    ready: list[Path] = []
    unmade: list[Path] = []
    checkout = Path(__file__).resolve().parents[2] / "benchmarks" / "gold"
    for gold in sorted(checkout.glob("*/gold.json")):
        text, maker = gold.parent / "text.txt", gold.parent / "make_text.py"
        if not text.is_file() and maker.is_file():
            subprocess.run([sys.executable, str(maker)], capture_output=True, check=False)
        (ready if text.is_file() else unmade).append(gold)
    return ready, unmade


EVALUATIONS = ("seed", "grobid", "grobid-prose")


def run_evaluation(name: str) -> Scores:
    """One of the ``EVALUATIONS`` on the data in ``../shared``.

    ``seed`` scores spans and keys on the seed article; ``grobid`` scores detection on the
    GROBID training files; ``grobid-prose`` leaves their figures and tables out.
    """
    shared = shared_folder()
    if name == "seed":
        seed = shared / "seed"
        return score_gold_file(
            seed / "citations.gold.json", seed / "nixon2020-excerpt.txt", [seed / "references.bib"]
        )
    if name in ("grobid", "grobid-prose"):
        folder = shared / "corpora" / "grobid-callouts"
        return score_tei_corpus(folder, prose_only=name == "grobid-prose")
    raise InputError(f"unknown evaluation {name!r}; use one of {', '.join(EVALUATIONS)}")


def format_scores(scores: Scores, show: int = 20) -> str:
    """The figures as a table, then up to ``show`` misses and mentions not in the gold."""
    lines = [scores.table()]
    for label, items in (("missed", scores.missed), ("not in the gold", scores.spurious)):
        if items:
            lines.append(f"{label} ({len(items)}):")
            lines += [f"  {m.document}:{m.line}: {m.surface!r}" for m in items[:show]]
            if len(items) > show:
                lines.append(f"  ... and {len(items) - show} more")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kg.checks.evaluate [seed] [grobid] [grobid-prose] [--show N]``: figures and
    misses."""
    args = list(sys.argv[1:] if argv is None else argv)
    show = 20
    if "--show" in args:
        index = args.index("--show")
        show = int(args[index + 1])
        del args[index : index + 2]
    try:
        for name in args or EVALUATIONS:
            print(format_scores(run_evaluation(name), show))
    except InputError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
