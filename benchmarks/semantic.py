"""The optional semantic model (``kg[semantic]``, :mod:`kg.load.semantic`) against kg's default
theme tagging, side by side on the five development golds: the seed's and the four of
``benchmarks/gold/`` (scheme alone, and with every tenth gold sentence curated, scored on the
rest, as ``kg evaluate themes`` does).

    python benchmarks/semantic.py [--works 10000] [--no-cost]

Rows: the default (stemmed words, context, label matches: what ``kg evaluate themes`` reports);
the model alone (cosine of claim and theme, its best theme kept from a threshold and the next
within a share of it, both chosen on the mean over the golds); the default plus ``w`` times the
model's score (centred on the claim's mean over the themes), ``w`` chosen on the mean over the
five golds and, to show it is not fitted to one text, chosen again leaving each gold out and
scored on that gold ("held out"). Then the time and memory the model adds on the synthetic
10,000-work review (``synth.py``: about 20,000 claims, 200 themes).

Says so and stops when the extra is not installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from kg.checks.evaluate import shared_folder  # noqa: E402
from kg.checks.tagging import GoldSentence, read_theme_gold  # noqa: E402
from kg.config import ontology_path  # noqa: E402
from kg.load.bib import parse_bibliography  # noqa: E402
from kg.load.citations import citing_mentions, resolve_citations  # noqa: E402
from kg.load.claims import AROUND, Claim, _plain, _Reading, extract_claims  # noqa: E402
from kg.load.tagging import ThemeTagger  # noqa: E402
from kg.load.themes import load_themes, normalise_text  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5)
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
RELATIVES = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)


@dataclass
class Gold:
    """One gold text read once: its claims' default scores and the model's."""

    name: str
    gold: list[GoldSentence]
    found: list[int | None]
    """The claim each gold sentence is in (by index), if any."""
    plain: list[Any]
    """Per claim: (tagger, scored) for the default, scheme alone."""
    taught: list[Any]
    """The same with every tenth gold sentence curated."""
    sims: Any
    skip: frozenset[int]


def gold_runs() -> list[tuple[Path, Path | None, list[Path]]]:
    """The seed's gold (with ``ontology/themes.ttl``) and kg's development golds."""
    seed = shared_folder() / "seed"
    runs: list[tuple[Path, Path | None, list[Path]]] = []
    if (seed / "themes.gold.json").is_file():
        runs.append(
            (seed / "themes.gold.json", ontology_path() / "themes.ttl", [seed / "references.bib"])
        )
    runs += [(gold, None, []) for gold in sorted((HERE / "gold").glob("*/gold.json"))]
    return runs


def read_gold(
    path: Path, scheme_path: Path | None, bibs: list[Path], context_weight: float,
    parts: bool = False,
) -> Gold:
    import json

    from kg.load.semantic import SemanticScorer

    data = json.loads(path.read_text(encoding="utf-8"))
    scheme = load_themes(scheme_path or path.parent / data.get("themes", "themes.ttl"))
    gold, text_path, _ = read_theme_gold(path, scheme)
    text = text_path.read_text(encoding="utf-8")
    mentions = citing_mentions(text)
    if bibs:
        mentions, _ = resolve_citations(mentions, parse_bibliography(bibs).works)
    claims: list[Claim] = extract_claims(
        text, mentions, scheme.themes, source=text_path.name, citing="gold"
    )
    found = [
        next((j for j, c in enumerate(claims) if c.start <= g.start < c.end), None) for g in gold
    ]
    step = 10
    skip = frozenset(range(0, len(gold), step))
    examples = tuple(
        (normalise_text(text[gold[i].start : gold[i].end]), tuple(sorted(gold[i].core)))
        for i in sorted(skip)
    )
    plain_tagger = ThemeTagger(scheme.themes)
    taught_tagger = ThemeTagger(scheme.themes, examples)
    reading = _Reading(text, plain_tagger)
    plain, taught, sentences, contexts = [], [], [], []
    for claim in claims:
        skipped = [(m.start, m.end) for m in claim.mentions]
        stems, context = reading.stemmed.sentence_and_context(
            claim.start, claim.end, skipped, AROUND
        )
        heading = reading.heading(claim.start)
        plain.append((plain_tagger, plain_tagger._rank(stems, context, heading)))
        taught.append((taught_tagger, taught_tagger._rank(stems, context, heading)))
        sentences.append(normalise_text(_plain(text, claim.start, claim.end, claim.mentions)))
        before, after = reading.neighbours(claim.start, claim.end)
        contexts.append(f"{heading}. {before} {after}")
    sims = SemanticScorer(scheme.themes, parts=parts).similarities(sentences, contexts, context_weight)
    name = path.parent.name if path.name == "gold.json" else "seed"
    return Gold(name, gold, found, plain, taught, sims, skip)


def combined(entry: Any, sims: Any, weight: float) -> set[str]:
    """The themes the default keeps once ``weight`` times the model's centred score is added."""
    tagger, (ranked, weighted, norm) = entry
    if not weight:
        return {tag.theme for tag in tagger._keep((ranked, weighted, norm))}
    labelled = {i for i, _, is_label in ranked if is_label}
    scores = dict.fromkeys(range(len(tagger.themes)), 0.0)
    scores.update({i: s for i, s, _ in ranked})
    centred = sims - sims.mean()
    for i in scores:
        scores[i] += weight * float(centred[i])
    order = sorted(((i, s) for i, s in scores.items() if s > 0), key=lambda x: (-x[1], x[0]))
    new = [(i, min(1.0, s), i in labelled) for i, s in order]
    return {tag.theme for tag in tagger._keep((new, weighted, norm))}


def alone(sims: Any, themes: Any, threshold: float, relative: float, most: int = 3) -> set[str]:
    """The model's own choice: the best theme from ``threshold``, the next within ``relative``."""
    order = sorted(range(len(themes)), key=lambda i: (-float(sims[i]), i))
    best = float(sims[order[0]])
    if best < threshold:
        return set()
    return {themes[i].ident for i in order[:most] if float(sims[i]) >= best * relative}


def f1(gold: Gold, given: list[set[str]], curated: bool) -> float:
    right = wrong = missed = 0
    for index, sentence in enumerate(gold.gold):
        if curated and index in gold.skip:
            continue
        j = gold.found[index]
        themes = given[j] if j is not None else set()
        right += len(themes & sentence.core)
        missed += len(sentence.core - themes)
        wrong += len(themes - sentence.core - sentence.also)
    p = right / (right + wrong) if right + wrong else 1.0
    r = right / (right + missed) if right + missed else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def choose(scores: dict[Any, dict[str, float]], names: list[str]) -> tuple[Any, dict[str, float]]:
    """The setting best on the mean over all golds, and each gold's figure with the setting
    chosen on the other golds (leave one gold out)."""
    best = max(scores, key=lambda key: (statistics.mean(scores[key][n] for n in names), -_size(key)))
    held: dict[str, float] = {}
    for name in names:
        others = [n for n in names if n != name]
        key = max(scores, key=lambda k: (statistics.mean(scores[k][n] for n in others), -_size(k)))
        held[name] = scores[key][name]
    return best, held


def _size(key: Any) -> float:
    return float(key[0] if isinstance(key, tuple) else key)


def side_by_side(context_weight: float, parts: bool = False) -> None:
    golds = [read_gold(*run, context_weight, parts) for run in gold_runs()]
    names = [g.name for g in golds]
    for curated in (False, True):
        which = "taught" if curated else "plain"
        default = {g.name: f1(g, [combined(e, None, 0.0) for e in getattr(g, which)], curated)
                   for g in golds}  # fmt: skip
        mixed = {
            w: {
                g.name: f1(g, [combined(e, g.sims[j], w)
                               for j, e in enumerate(getattr(g, which))], curated)  # fmt: skip
                for g in golds
            }
            for w in WEIGHTS
        }
        solo = {
            (t, r): {
                g.name: f1(g, [alone(g.sims[j], e[0].themes, t, r)
                               for j, e in enumerate(getattr(g, which))], curated)  # fmt: skip
                for g in golds
            }
            for t in THRESHOLDS
            for r in RELATIVES
        }
        w, w_held = choose(mixed, names)
        s, s_held = choose(solo, names)
        title = "tenth curated, scored on the rest" if curated else "scheme alone"
        print(f"\ntheme F1, {title} (model context weight {context_weight})")
        print(f"| gold | default | model alone (threshold {s[0]}, within {s[1]}) | held out |"
              f" default + {w} x model | held out |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        rows = [(n, default[n], solo[s][n], s_held[n], mixed[w][n], w_held[n]) for n in names]
        rows.append(("mean", *(statistics.mean(r[k] for r in rows) for k in range(1, 6))))
        for row in rows:
            print(f"| {row[0]} | " + " | ".join(f"{x:.3f}" for x in row[1:]) + " |")
        print("default + w x model, mean F1 by w: " + ", ".join(
            f"{k}: {statistics.mean(v.values()):.3f}" for k, v in mixed.items()))  # fmt: skip


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cost(works: int, context_weight: float) -> None:
    """The CPU time and memory the model adds to making the claims of the synthetic review."""
    from synth import make_review

    from kg.config import load_config
    from kg.load.bib import parse_bibliography as bibliography
    from kg.load.semantic import SemanticScorer, _load_model
    from kg.load.texts import citing_texts, read_text

    folder = Path("/tmp/kg-bench-tagging") / f"works-{works}"
    if not (folder / "kg.toml").is_file():
        make_review(folder, works=works)
    review = load_config(folder / "kg.toml")
    scheme = load_themes(review.themes)
    texts = []
    for source in citing_texts(review, bibliography(review.bibliographies).works):
        text = read_text(source.path)
        texts.append((source.path.name, text, resolve_citations(citing_mentions(text),
                      bibliography(review.bibliographies).works)[0]))  # fmt: skip
    started = time.process_time()
    claims = [(text, extract_claims(text, mentions, scheme.themes, source=name, citing="w"))
              for name, text, mentions in texts]  # fmt: skip
    default = time.process_time() - started
    before = rss_mb()
    started = time.process_time()
    _load_model()
    loaded = time.process_time() - started
    after_load = rss_mb()
    tracemalloc.start()
    started = time.process_time()
    scorer = SemanticScorer(scheme.themes)
    count = 0
    for text, found in claims:
        reading = _Reading(text, None)  # type: ignore[arg-type]
        sentences = [normalise_text(_plain(text, c.start, c.end, c.mentions)) for c in found]
        contexts = [" ".join(reading.neighbours(c.start, c.end)) for c in found]
        scorer.similarities(sentences, contexts, context_weight)
        count += len(found)
    scored = time.process_time() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"\n{works} works, {len(texts)} texts, {count} claims, {len(scheme.themes)} themes")
    print(f"claims with default tagging and stance: {default:.2f} s CPU")
    print(f"model loaded: {loaded:.2f} s CPU, resident memory {before:.0f} -> {after_load:.0f} MB")
    print(f"themes and claims embedded and scored: {scored:.2f} s CPU, peak {peak:.0f} MB traced")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--context", type=float, default=0.3, help="weight of a claim's context")
    parser.add_argument("--parts", action="store_true", help="a theme's parts embedded apart")
    parser.add_argument("--no-cost", action="store_true", help="skip the 10,000-work timing")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from kg.load.semantic import MODEL, available

    if not available():
        print("the semantic extra is not installed (pip install 'kg[semantic]'): nothing to compare")
        sys.exit(0)
    print(f"model: {MODEL}")
    side_by_side(args.context, args.parts)
    if not args.no_cost:
        cost(args.works, args.context)


if __name__ == "__main__":
    main()
