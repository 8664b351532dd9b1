"""What theme tagging and stance add to a build: extraction of the synthetic 10,000-work review
(``synth.py``: 100 texts, about 20,000 claims, 200 themes) timed with tagging and stance, and
again with both left out (no tagging, the text's words not even stemmed; every stance a
constant), in one process with the cycle collector paused as `kg build` runs, the
citations found and resolved once beforehand so that only claims are timed.

    python benchmarks/tagging.py [--works 10000] [--repeat 3] [--data DIR]

Medians of ``--repeat`` runs; prints the difference (the issue's target: at most 5 s) in CPU
time of one process, and in wall time when the texts are extracted as ``kg build`` extracts
them, shared out between two cores (``kg.parallel.forked.map_beside``).
``--curated 0.01`` also times what a review with curated claims pays: learning from that share
of the claims (a random choice, their extracted themes as the researcher's) and tagging every
claim again with what was learnt, as ``kg build`` does when ``claims.yaml`` gives themes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=Path("/tmp/kg-bench-tagging"))
    parser.add_argument("--curated", type=float, default=0.0)
    args = parser.parse_args()

    from synth import make_review

    from kg.config import load_config
    from kg.load import claims as claims_module
    from kg.load.bib import parse_bibliography
    from kg.load.citations import find_citations, resolve_citations
    from kg.load.stance import Stance, StanceGuess
    from kg.load.texts import citing_texts, read_text
    from kg.load.themes import load_themes
    from kg.parallel.collector import collection_paused
    from kg.parallel.forked import can_fork, map_beside

    folder = args.data / f"works-{args.works}"
    if not (folder / "kg.toml").is_file():
        make_review(folder, works=args.works)
    review = load_config(folder / "kg.toml")
    works = parse_bibliography(review.bibliographies).works
    scheme = load_themes(review.themes)
    titles = {work.key: work.title for work in works if work.title}
    texts = []
    for source in citing_texts(review, works):
        text = read_text(source.path)
        mentions, _ = resolve_citations(find_citations(text), works)
        texts.append((source.path.name, source.work, text, mentions))
    real_classify = claims_module.classify_stance
    constant = StanceGuess(Stance.CITES, 0.0)

    real_tag = claims_module._Reading.tag

    def extract(themes: tuple, stance: bool, beside: bool = False) -> int:
        """The claims of every text (``beside``: on two cores, as kg build extracts them)."""
        claims_module._TAGGERS.clear()
        claims_module.classify_stance = real_classify if stance else lambda *a, **k: constant
        # no themes: no tagging at all, not even the text's words stemmed
        claims_module._Reading.tag = real_tag if themes else lambda *a, **k: ()  # type: ignore[method-assign]

        def claims(one: tuple) -> int:
            name, work, text, mentions = one
            return len(
                claims_module.extract_claims(
                    text, mentions, themes, source=name, citing=work, titles=titles
                )
            )

        try:
            if beside:
                return sum(map_beside(claims, texts, [len(one[2]) for one in texts]))
            return sum(claims(one) for one in texts)
        finally:
            claims_module.classify_stance = real_classify
            claims_module._Reading.tag = real_tag  # type: ignore[method-assign]

    labels = ("with tagging and stance", "without either", "tagging, no stance")
    runs: dict[str, list[float]] = {label: [] for label in labels}
    walls: dict[str, list[float]] = {label: [] for label in labels[:2]}
    count = 0
    # as kg build runs, with the cycle collector paused (kg.parallel.collector)
    with collection_paused():
        for _ in range(args.repeat):
            for label, themes, stance in (
                ("with tagging and stance", scheme.themes, True),
                ("without either", (), False),
                ("tagging, no stance", scheme.themes, False),
            ):
                started = time.process_time()
                count = extract(themes, stance)
                runs[label].append(time.process_time() - started)
            for label, themes, stance in (
                ("with tagging and stance", scheme.themes, True),
                ("without either", (), False),
            ):
                started = time.perf_counter()
                extract(themes, stance, beside=True)
                walls[label].append(time.perf_counter() - started)
    median = {label: statistics.median(times) for label, times in runs.items()}
    print(f"{args.works} works, {len(texts)} texts, {count} claims, {len(scheme.themes)} themes")
    print(f"| claims made | CPU s (median of {args.repeat}) |")
    print("| --- | ---: |")
    for label, seconds in median.items():
        print(f"| {label} | {seconds:.2f} |")
    added = median["with tagging and stance"] - median["without either"]
    tagging = median["tagging, no stance"] - median["without either"]
    print(
        f"tagging and stance add {added:.2f} s of CPU time in one process (tagging"
        f" {tagging:.2f} s, stance {added - tagging:.2f} s); at most 5 s:"
        f" {'PASS' if added <= 5 else 'FAIL'}"
    )
    wall = {label: statistics.median(times) for label, times in walls.items()}
    cores = "two cores" if can_fork() else "one core (no fork here)"
    built = wall["with tagging and stance"] - wall["without either"]
    print(
        f"as kg build extracts the texts ({cores}), they add {built:.2f} s of wall time"
        f" ({wall['with tagging and stance']:.2f} s against {wall['without either']:.2f} s);"
        f" the issue's target, at most 5 s added to the build: {'PASS' if built <= 5 else 'FAIL'}"
    )
    if args.curated:
        time_curated(texts, scheme.themes, titles, args.curated, args.repeat)


def time_curated(
    texts: list, themes: tuple, titles: dict[str, str], share: float, repeat: int
) -> None:
    """CPU time to learn from ``share`` of the claims and tag them all again with it."""
    import random

    from kg.load import claims as claims_module
    from kg.load.tagging import ThemeTagger

    made = []
    for name, work, text, mentions in texts:
        for claim in claims_module.extract_claims(
            text, mentions, themes, source=name, citing=work, titles=titles
        ):
            made.append((text, claim))
    chosen = random.Random(0).sample(made, max(1, round(share * len(made))))
    names = {id(text): name for name, _, text, _ in texts}
    # each read in its text as a curated claim is (kg.load.claims.apply_curation)
    examples = tuple(
        claims_module._Reading(text, None, titles, names[id(text)]).example(
            c.start, c.end, c.mentions, c.themes
        )
        for text, c in chosen if c.themes
    )  # fmt: skip
    learn, retag = [], []
    for _ in range(repeat):
        started = time.process_time()
        tagger = ThemeTagger(themes, examples)
        learnt = time.process_time()
        readings: dict[int, claims_module._Reading] = {}
        for text, claim in made:
            reading = readings.get(id(text))
            if reading is None:
                reading = readings[id(text)] = claims_module._Reading(
                    text, tagger, titles, names[id(text)]
                )
            reading.tag(claim.start, claim.end, claim.mentions, tagger)
        learn.append(learnt - started)
        retag.append(time.process_time() - learnt)
    print(
        f"{len(examples)} curated claims ({share:g}): learning {statistics.median(learn):.2f} s,"
        f" tagging all {len(made)} claims again {statistics.median(retag):.2f} s"
        f" (median of {repeat})"
    )


if __name__ == "__main__":
    main()
