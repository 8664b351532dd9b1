"""Stance learnt from words, leave one gold out: does a model over the words themselves do
better on a text it never saw than the hand cues of ``kg/load/stance.py``?

Every cited work of every gold is read as ``benchmarks/stance_heldout.py`` reads it (as ``kg
evaluate themes`` does: the sentence with the citations blanked, what the brackets hold before
and after the work, narrative or parenthetical, the next sentence). Its features:

- **words**: stemmed word unigrams and bigrams (lower case, Snowball's English stemmer as
  ``kg/load/tagging.py`` stems, stop words kept: "but", "see", "however" are the point), in
  four separate spaces: the citation's clause (``c:``), the ``WINDOW`` words just before its
  brackets (``b:``), what its brackets hold beside it (``i:``, "see", "e.g.", "; but see") and
  the ``WINDOW`` words just after them (``a:``, ``a:<end>`` where the sentence ends there);
- **form**: narrative or parenthetical, how many works share the bracket (1, 2, 3 or more),
  whether the bracket ends the sentence;
- **cues** (left out in the "words only" runs): the weight the hand cues (``stance_cues``) give
  each polarity, in all and by where they were read, as ``stance_heldout.features`` gives them
  (divided by 4, so a strong cue counts about as much as a word).

A multinomial logistic regression (L2, the bias not penalised; each class weighed by the
inverse of its count or not: ``balanced`` / ``plain``), fitted with numpy by accelerated
gradient descent, is trained on all golds but one and scored on the one left out. A feature is
kept when at least two training citations have it. The penalty's strength is fixed
(``STRENGTH``, scikit-learn's default); ``--grid`` also prints others (best of a grid is
optimistic).

Beside it: (a) the rules as they stand (a development figure: their cues were found on these
golds), (b) each gold's first held-out figure (``stance_heldout.HELD_OUT``: ``stance.py``
before any cue came from it), (c) ``stance_heldout``'s cue-only logistic model, leave one gold
out. Prints per gold the accuracy and recall per class and the mean over the golds of ten
citations or more (the run takes a few minutes)::

    python benchmarks/stance_learnt.py [--grid] [--only cues|words] [--top N]

``--only`` fits one feature set (words and cues, or words only); ``--top`` prints the
heaviest features per class of the words-only model fitted on every gold.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import stance_heldout as heldout  # noqa: E402
from stance_heldout import POLARITIES, SMALL, Cited, score, table  # noqa: E402

WINDOW = 4  # words read just before and just after the brackets (fixed before any run)
# The L2 penalty's strength on the mean log loss, fixed before any run at scikit-learn's
# default (C = 1: a penalty of 1/2 the squared weights on the summed loss, about 1/1000 on the
# mean over the ~1,000 training citations); ``--grid`` tries the others (best of a grid is
# optimistic: the golds scored choose it).
STRENGTH = 0.001
STRENGTHS = (0.0003, 0.003, 0.01)
CUE_SCALE = 4.0
Row = dict[str, float]

_ABBREVIATIONS = re.compile(r"\b(e\.\s?g|i\.\s?e|cf|viz|et al)\.", re.IGNORECASE)
_TOKEN = re.compile(r"[a-z][a-z'’-]*|\d+(?:\.\d+)?%?")


def tokens(text: str) -> list[str]:
    """The stemmed words of ``text`` in order, stop words kept, "e.g." as one word, a number
    as ``#``.

    >>> tokens("Dogs are tolerant, e.g. of 12 cats (but see ...)")
    ['dog', 'are', 'toler', 'eg', 'of', '#', 'cat', 'but', 'see']
    """
    from kg.load.tagging import _stem

    text = _ABBREVIATIONS.sub(lambda m: " " + re.sub(r"\W", "", m.group(1)) + " ", text)
    out = []
    for word in _TOKEN.findall(text.lower()):
        out.append("#" if word[0].isdigit() else _stem(word.strip("-'’")))
    return [word for word in out if word]


def _grams(prefix: str, words: Sequence[str], row: Row) -> None:
    for i, word in enumerate(words):
        row[f"{prefix}{word}"] = 1.0
        if i:
            row[f"{prefix}{words[i - 1]}_{word}"] = 1.0


def word_features(cited: Cited, together: int) -> Row:
    """The words and the form of one cited work (see the module's docstring)."""
    row: Row = {"bias": 1.0}
    _grams("c:", tokens(heldout._clause_of(cited)), row)
    before = cited.sentence[: cited.start]
    _grams("b:", tokens(before)[-WINDOW:], row)
    _grams("i:", tokens(f"{cited.lead} {cited.trail}"), row)
    after = cited.sentence[cited.end :]
    _grams("a:", tokens(after)[:WINDOW], row)
    ends = not re.search(r"[A-Za-z0-9]", re.split(r"[.!?](?:\s|$)", after, maxsplit=1)[0])
    row["form:narrative" if cited.narrative else "form:parenthetical"] = 1.0
    row[f"form:works={min(together, 3)}"] = 1.0
    row["form:ends sentence" if ends else "form:mid sentence"] = 1.0
    if ends:
        row["a:<end>"] = 1.0
    return row


def cue_features(cited: Cited) -> Row:
    """The hand cues' weights per polarity, in all and by where read (``cue:`` features)."""
    return {
        f"cue:{name}": value / CUE_SCALE
        for name, value in heldout.features(cited).items()
        if name not in ("bias", "narrative")
    }


# ---- multinomial logistic regression, L2, numpy ----


class Sparse:
    """Rows of named features as a sparse matrix (row starts, columns, values): the products
    a fit needs, in numpy, without a dependency on scipy."""

    def __init__(self, rows: Sequence[Row], index: dict[str, int]) -> None:
        starts, columns, values = [0], [], []
        for row in rows:
            kept = [(index[name], value) for name, value in row.items() if name in index]
            columns += [c for c, _ in kept]
            values += [v for _, v in kept]
            starts.append(len(columns))
        self.starts = np.array(starts)
        self.columns = np.array(columns, dtype=np.int64)
        self.values = np.array(values)
        self.rows = np.repeat(np.arange(len(rows)), np.diff(self.starts))
        self.width = len(index)

    def times(self, w: np.ndarray) -> np.ndarray:
        """The matrix times ``w`` (features by classes)."""
        # every row holds the bias, so no row is empty and reduceat sums each row's run
        return np.add.reduceat(self.values[:, None] * w[self.columns], self.starts[:-1], axis=0)

    def transposed_times(self, g: np.ndarray) -> np.ndarray:
        """The matrix's transpose times ``g`` (rows by classes)."""
        weighted = self.values[:, None] * g[self.rows]
        return np.stack(
            [np.bincount(self.columns, weighted[:, k], self.width) for k in range(g.shape[1])],
            axis=1,
        )


class Model:
    """Weights per polarity over the named features kept from the training rows."""

    def __init__(self, names: list[str]) -> None:
        self.index = {name: i for i, name in enumerate(names)}
        self.weights = np.zeros((len(names), len(POLARITIES)))

    def predict(self, rows: Sequence[Row]) -> list[str]:
        scores = Sparse(rows, self.index).times(self.weights)
        return [POLARITIES[i] for i in scores.argmax(axis=1)]


def train(
    rows: Sequence[Row], labels: Sequence[str], *, strength: float, balanced: bool, steps: int = 500
) -> Model:
    """Multinomial logistic regression: the mean (class-weighed) log loss plus ``strength``/2
    times the squared weights (the bias free), by Nesterov's accelerated gradient descent at
    the step its Lipschitz bound allows."""
    counts = Counter(name for row in rows for name in row)
    names = sorted(name for name, n in counts.items() if n >= 2 or name == "bias")
    model = Model(names)
    x = Sparse(rows, model.index)
    y = np.zeros((len(rows), len(POLARITIES)))
    for r, label in enumerate(labels):
        y[r, POLARITIES.index(label)] = 1.0
    if balanced:
        per = y.sum(axis=0)
        share = np.where(per > 0, len(rows) / (len(POLARITIES) * np.maximum(per, 1)), 0.0)
        sample = y @ share
    else:
        sample = np.ones(len(rows))
    sample = sample / sample.sum()
    penalty = np.full((len(names), 1), strength)
    penalty[model.index["bias"]] = 0.0
    # the largest eigenvalue of X' diag(sample) X, by power iteration: the loss's curvature
    v = np.ones((len(names), 1)) / np.sqrt(len(names))
    for _ in range(30):
        v = x.transposed_times(sample[:, None] * x.times(v))
        v /= np.linalg.norm(v)
    curvature = float((v * x.transposed_times(sample[:, None] * x.times(v))).sum())
    step = 1.0 / (0.5 * curvature + strength)
    w = np.zeros((len(names), len(POLARITIES)))
    previous = w
    for k in range(1, steps + 1):
        look = w + (k - 1) / (k + 2) * (w - previous)
        scores = x.times(look)
        scores -= scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        probs /= probs.sum(axis=1, keepdims=True)
        gradient = x.transposed_times((probs - y) * sample[:, None]) + penalty * look
        previous, w = w, look - step * gradient
    model.weights = w
    return model


# ---- leave one gold out ----

Data = dict[str, tuple[list[Row], list[str]]]


def logo(data: Data, held: str, *, strength: float, balanced: bool) -> list[tuple[str, str]]:
    rows = [row for name, (items, _) in data.items() if name != held for row in items]
    labels = [label for name, (_, items) in data.items() if name != held for label in items]
    model = train(rows, labels, strength=strength, balanced=balanced)
    return list(zip(data[held][1], model.predict(data[held][0]), strict=True))


def big(data: Data) -> list[str]:
    return [name for name, (rows, _) in data.items() if len(rows) >= SMALL]


def mean(results: dict[str, list[tuple[str, str]]], names: Sequence[str]) -> float:
    return sum(score(results[n])[0] for n in names) / len(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grid", action="store_true", help="also each fixed penalty strength")
    parser.add_argument("--only", choices=("cues", "words"), help="one feature set only")
    parser.add_argument("--top", type=int, default=0, help="print the N heaviest words per class")
    args = parser.parse_args()

    cited: dict[str, list[Cited]] = {}
    for gold, themes, bibs in heldout.gold_runs([]):
        found = heldout.collect(gold, themes, bibs)
        if found:
            cited["seed" if gold.name == "themes.gold.json" else found[0].gold] = found
    together = {name: heldout.in_brackets(items) for name, items in cited.items()}
    words = {
        name: [word_features(c, n) for c, n in zip(items, together[name], strict=True)]
        for name, items in cited.items()
    }
    labels = {name: [c.wanted for c in items] for name, items in cited.items()}
    with_cues: Data = {
        name: ([row | cue_features(c) for row, c in zip(words[name], items, strict=True)],
               labels[name])
        for name, items in cited.items()
    }  # fmt: skip
    words_only: Data = {name: (words[name], labels[name]) for name in cited}
    names = big(words_only)
    summary: list[tuple[str, dict[str, list[tuple[str, str]]]]] = []

    by_rules = {
        name: [(c.wanted, heldout.rules(c)) for c in items] for name, items in cited.items()
    }
    print(table("(a) rules (kg/load/stance.py as it stands; a development figure)", by_rules))
    summary.append(("(a) rules as they stand (development)", by_rules))
    first = {
        name: [(c.wanted, heldout.held_out(c, heldout.HELD_OUT[name])) for c in items]
        for name, items in cited.items()
        if name in heldout.HELD_OUT
    }
    print()
    print(table("(b) rules held out: stance.py before any cue came from each gold", first))
    first_big = [n for n in first if len(first[n]) >= SMALL]
    summary.append(("(b) rules held out", first))
    cue_rows = {
        name: [(heldout.features(c), c.wanted) for c in items] for name, items in cited.items()
    }
    cue_model: dict[str, list[tuple[str, str]]] = {}
    for name in cue_rows:
        train_rows = [row for other, items in cue_rows.items() if other != name for row in items]
        weights = heldout.fit(train_rows, prior=1.0)
        cue_model[name] = [(w, heldout.predict(weights, row)) for row, w in cue_rows[name]]
    print()
    print(table("(c) cue-only logistic model (stance_heldout.fit), leave one gold out", cue_model))
    summary.append(("(c) cue-only logistic, leave one gold out", cue_model))

    sets = (("words and cues", with_cues, "cues"), ("words only", words_only, "words"))
    for label, data, key in sets:
        if args.only and args.only != key:
            continue
        for balanced in (True, False):
            kind = "balanced" if balanced else "plain"
            results = {n: logo(data, n, strength=STRENGTH, balanced=balanced) for n in data}
            print()
            print(table(f"learnt, {label}, {kind}, leave one gold out", results))
            summary.append((f"learnt, {label}, {kind}", results))
            if args.grid:
                for strength in STRENGTHS:
                    fixed = {n: logo(data, n, strength=strength, balanced=balanced) for n in data}
                    summary.append(
                        (f"  the same, penalty {strength:g} instead of {STRENGTH:g}", fixed)
                    )  # fmt: skip
            sys.stdout.flush()
    print()
    print(f"mean accuracy over the golds of {SMALL} citations or more: all {len(names)} (those"
          f" with a held-out figure, {len(first_big)}; the same without marshall2025)")  # fmt: skip
    without = [n for n in first_big if n != "marshall2025"]
    for label, results in summary:
        every = f"{mean(results, names):.3f}" if set(names) <= set(results) else "  -  "
        print(f"  {label}: {every} ({mean(results, first_big):.3f}; {mean(results, without):.3f})")
    if args.top:
        rows = [row for items, _ in words_only.values() for row in items]
        all_labels = [label for _, items in words_only.values() for label in items]
        model = train(rows, all_labels, strength=STRENGTH, balanced=True)
        names_of = sorted(model.index, key=model.index.__getitem__)
        print("heaviest features per class, words only, fitted on every gold:")
        for p, polarity in enumerate(POLARITIES):
            # a class's weight against the mean of the three: what speaks for it
            lift = model.weights[:, p] - model.weights.mean(axis=1)
            heaviest = np.argsort(-lift)[: args.top]
            print(f"  {polarity}: " + ", ".join(f"{names_of[i]} {lift[i]:.2f}" for i in heaviest))


if __name__ == "__main__":
    main()
