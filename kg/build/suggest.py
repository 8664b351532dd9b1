"""``kg suggest``: the claims kg is least sure of, first, for a researcher to confirm or correct.

Each extracted claim has a confidence (:attr:`kg.load.claims.Claim.confidence`: the least sure
of its stances and its best theme's score). The least sure come first, with the themes and
stance kg suggests and the words that led there. Accepting them appends them to the review's
curated claims file as entries, kg's guesses in their comments: the file's own text and
comments are kept, and the researcher corrects the entries there. Curated claims then teach
the tagger (:mod:`kg.load.tagging`), so each round tags the rest better.

>>> claims = suggest_claims(load_config("bib/kg.toml"))  # doctest: +SKIP
>>> claims[0].confidence <= claims[-1].confidence  # doctest: +SKIP
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg.build.cache import CACHE_DIR, BuildCache
from kg.build.inputs import read_bibliography, read_texts, read_themes
from kg.config import Review
from kg.errors import ConfigError, InputError
from kg.load.claims import Claim, Origin, load_curated, render_claim_entry

__all__ = ["accept_suggestions", "suggest_claims"]

NEW_FILE = """\
# Curated claims: they always win over what `kg build` extracts, and teach it the review's
# themes. Entries added by `kg suggest --accept` carry kg's guesses in comments: correct them.
claims:
"""


def suggest_claims(review: Review) -> list[Claim]:
    """Every claim no one has curated, least sure first (then in text order)."""
    cache = BuildCache(review.output / CACHE_DIR)
    read = read_bibliography(review, cache)
    scheme = read_themes(review, cache)
    texts = read_texts(review, read, scheme, cache, lambda _: None)
    claims = [claim for text in texts for claim in text.claims if claim.origin is Origin.EXTRACTED]
    return sorted(claims, key=lambda c: (c.confidence, c.source, c.start))


def accept_suggestions(review: Review, claims: Sequence[Claim]) -> Path:
    """Append ``claims`` to the review's curated claims file as entries; its text is kept.

    A review with no ``claims`` file in its kg.toml raises ``ConfigError``; the file is
    created if it does not exist yet.
    """
    if review.claims is None:
        raise ConfigError(
            f'{review.config_path}: no curated claims file; add claims = "claims.yaml" to'
            " kg.toml and run kg suggest --accept again"
        )
    path = review.claims
    before = path.read_text(encoding="utf-8") if path.is_file() else NEW_FILE
    if before.rstrip().endswith("claims: []"):
        before = before.rstrip()[: -len("[]")].rstrip() + "\n"
    lines = [line for claim in claims for line in render_claim_entry(claim, source=claim.source)]
    trial = path.with_name(f".{path.name}.new")
    trial.write_text(before.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_curated(trial)
    except InputError:
        trial.unlink()
        raise InputError(
            f"{path}: cannot append to it ('claims:' must be its last top-level key); move the"
            " claims list to the end of the file"
        ) from None
    trial.replace(path)
    return path
