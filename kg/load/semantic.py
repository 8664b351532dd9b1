"""Theme scores from word embeddings: the optional ``semantic`` extra, measured against the
default (stemmed words, :mod:`kg.load.tagging`) by ``benchmarks/semantic.py``.

The model is WordLlama's ``l2_supercat`` (256 dimensions): a static token embedding trained
from the token embeddings of large language models, a token's vector looked up and a text's
the mean of its tokens' (no neural network runs). Its weights (16 MB) and tokenizer ship inside
the ``wordllama`` wheel on PyPI (MIT), so nothing is downloaded at run time: they are read
from the installed package here, not through ``WordLlama.load``, which (0.4.0) looks for the
tokenizer in a folder the wheel does not have and then asks the Hugging Face Hub for it.

A theme is embedded from all the scheme says of it (label, definition, scope note, altLabels);
a claim from its sentence (citations blanked) and, lighter, the text around it and its
heading. Its score for a theme is the cosine of the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from kg.errors import InputError
from kg.load.themes import Theme

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MODEL", "SemanticScorer", "available", "theme_text"]

MODEL = "WordLlama l2_supercat, 256 dimensions (the wordllama wheel, MIT)"
MISSING = "semantic theme scores need the optional extra: pip install 'kg[semantic]'"


def available() -> bool:
    """Whether the extra is installed (its model can be loaded)."""
    try:
        _load_model()
    except InputError:
        return False
    return True


@lru_cache(maxsize=1)
def _load_model() -> Any:
    try:
        from importlib.resources import files

        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    except ImportError:
        raise InputError(MISSING) from None
    package = files("wordllama")
    weights = package / "weights" / "l2_supercat_256.safetensors"
    tokenizer = package / "tokenizers" / "l2_supercat_tokenizer_config.json"
    if not (weights.is_file() and tokenizer.is_file()):
        raise InputError(f"{MISSING} (the installed wordllama has no l2_supercat_256 weights)")
    with safe_open(str(weights), framework="np") as found:
        embedding = found.get_tensor("embedding.weight")
    return WordLlamaInference(embedding, Tokenizer.from_file(str(tokenizer)))


def theme_text(theme: Theme) -> str:
    """What a theme is embedded from: its label, definition, scope note and altLabels."""
    parts = [theme.label, theme.definition, theme.scope_note, ", ".join(theme.alt_labels)]
    return ". ".join(part.strip() for part in parts if part.strip())


class SemanticScorer:
    """The themes of one scheme embedded once; claims scored against them in batches."""

    def __init__(self, themes: Sequence[Theme], *, parts: bool = False) -> None:
        self.model = _load_model()
        self.themes = tuple(themes)
        self.vectors = self.embed([theme_text(theme) for theme in self.themes])
        self.parts: list[tuple[int, np.ndarray]] = []
        """With ``parts``: each label, altLabel and definition embedded on its own, a claim's
        score for a theme the best of its parts'."""
        if parts:
            for i, theme in enumerate(self.themes):
                texts = [t for t in (theme.label, *theme.alt_labels, theme.definition) if t.strip()]
                self.parts.append((i, self.embed(texts)))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts`` (a text with no known token: zeros)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.model.embedding.shape[1]), dtype=np.float32)
        vectors = np.asarray(self.model.embed(list(texts), norm=False), dtype=np.float32)
        vectors = np.nan_to_num(vectors)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)

    def similarities(
        self, sentences: Sequence[str], contexts: Sequence[str] = (), context_weight: float = 0.3
    ) -> np.ndarray:
        """Cosine of each claim (its sentence, plus ``context_weight`` times its context's
        vector) with each theme: one row per claim, one column per theme."""
        query = self.embed(sentences)
        if contexts and context_weight:
            query = query + context_weight * self.embed(contexts)
            import numpy as np

            norms = np.linalg.norm(query, axis=1, keepdims=True)
            query = query / np.where(norms > 0, norms, 1.0)
        if not self.parts:
            return query @ self.vectors.T
        import numpy as np

        return np.stack([(query @ vectors.T).max(axis=1) for _, vectors in self.parts], axis=1)
