"""What curating a share of the claims does for the themes of the rest: on each theme gold
(the seed's and ``benchmarks/gold/*``), ``--samples`` random choices of a tenth, a fifth and a
quarter of the gold sentences are given to kg as curated claims with their gold themes, and
the others scored. Prints theme F1 on the rest, mean and spread over the samples, beside the
same sentences tagged from the scheme alone ("unlearnt"): the curve a researcher sees.

    python benchmarks/curation.py [--samples 20] [--shares 0.1 0.2 0.25]
    python benchmarks/curation.py --where

``--where`` prints instead where each gold's theme F1 is lost, scheme alone: the wrong tags
and the missed core themes by the rank the scheme gave them among the claim's themes (wrong
second themes and label matches are a keep rule's false positives; a core theme missed at the
third rank or below, or never scored, is the scheme's words not reaching it), and how many
themes kg keeps a sentence against the gold's core and also themes.

The samples are ``random.Random(seed)`` for seeds 0 to ``--samples`` - 1, the same for every
run, so two versions of kg are compared on the same choices. A gold of fewer than
``SMALL`` sentences (a tenth of it is under one sentence) is printed but left out of the mean,
which it would move by far more than its few sentences say.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL = 10
sys.path[:0] = [str(HERE.parent)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--shares", type=float, nargs="+", default=[0.1, 0.2, 0.25])
    parser.add_argument("--where", action="store_true", help="where F1 is lost, by rank")
    args = parser.parse_args()

    from kg.checks.evaluate import development_golds, shared_folder
    from kg.checks.tagging import (
        curated_sample,
        format_lost_tags,
        prepare_theme_gold,
        score_prepared,
        where_lost,
    )
    from kg.config import ontology_path

    golds = []
    seed = shared_folder() / "seed"
    if (seed / "themes.gold.json").is_file():
        golds.append(
            prepare_theme_gold(seed / "themes.gold.json", themes=ontology_path() / "themes.ttl",
                               bibliographies=[seed / "references.bib"])
        )  # fmt: skip
    golds += [prepare_theme_gold(path) for path in development_golds()[0]]
    if args.where:
        print(format_lost_tags([where_lost(prepared) for prepared in golds]))
        return

    print(f"theme F1 on the rest, mean ± sd [min-max] of {args.samples} random samples")
    print("| gold | scheme alone | " + " | ".join(f"{s:g} curated (unlearnt)" for s in args.shares)
          + " |")  # fmt: skip
    print("| --- " * (2 + len(args.shares)) + "|")
    means: dict[float, list[float]] = {share: [] for share in args.shares}
    alone_all = []
    for prepared in golds:
        alone = score_prepared(prepared).themes.f1
        counted = len(prepared.gold) >= SMALL
        if counted:
            alone_all.append(alone)
        cells = []
        for share in args.shares:
            learnt, unlearnt = [], []
            for sample in range(args.samples):
                scores = score_prepared(
                    prepared, curated_sample(len(prepared.gold), share, seed=sample)
                )
                learnt.append(scores.themes.f1)
                unlearnt.append(scores.unlearnt.f1 if scores.unlearnt else 0.0)
            mean = statistics.mean(learnt)
            if counted:
                means[share].append(mean)
            cells.append(
                f"{mean:.3f} ± {statistics.pstdev(learnt):.3f} [{min(learnt):.2f}-"
                f"{max(learnt):.2f}] ({statistics.mean(unlearnt):.3f})"
            )
        name = prepared.name if counted else f"{prepared.name}, not in the mean"
        print(f"| {name} ({len(prepared.gold)}) | {alone:.3f} | " + " | ".join(cells)
              + " |")  # fmt: skip
    print(
        f"| mean of the {len(alone_all)} of {SMALL} sentences or more | "
        f"{statistics.mean(alone_all):.3f} | "
        + " | ".join(f"{statistics.mean(means[s]):.3f}" for s in args.shares)
        + " |"
    )


if __name__ == "__main__":
    main()
