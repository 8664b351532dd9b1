"""Label each word of a reference string with its field, with a CRF trained on AnyStyle's data.

The model (``reference-tagger.crfsuite``, beside this module) is a linear-chain CRF
(python-crfsuite, MIT) trained by ``benchmarks/train_reference_tagger.py`` on AnyStyle's
labelled reference strings (BSD-2-Clause: core, good, bad and ugly, less every string that is
also in gold.xml, kept for measuring). Nothing is downloaded; the script rebuilds the same file.

>>> tag_words("Bates, D. (2015). Fitting models. J Stat Softw, 67, 1–48.".split())
... # doctest: +SKIP
['author', 'author', 'date', 'title', 'title', 'container', 'container', 'volume', 'pages']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

__all__ = ["FIELDS", "LABELS", "MODEL", "clear_caches", "tag_words", "word_features"]

MODEL = Path(__file__).with_name("reference-tagger.crfsuite")
# AnyStyle's labels as kg's fields; what a reference list rarely needs is "other".
LABELS = {
    "author": "author", "editor": "editor", "translator": "editor", "director": "editor",
    "producer": "editor", "date": "date", "title": "title", "journal": "container",
    "container-title": "container", "collection-title": "other", "volume": "volume",
    "pages": "pages", "publisher": "publisher", "location": "location", "doi": "doi",
    "url": "url", "edition": "other", "genre": "other", "note": "other", "medium": "other",
    "isbn": "other", "source": "other", "citation-number": "other",
}  # fmt: skip
FIELDS = tuple(sorted(set(LABELS.values())))

_YEAR = re.compile(r"^\(?\[?(1[5-9]\d\d|20\d\d)[a-z]?\]?\)?[.,:;]?$")
_WORDS = {
    "in": "in", "in:": "in", "eds": "eds", "eds.": "eds", "ed.": "eds", "(eds.)": "eds",
    "(ed.)": "eds", "(eds)": "eds", "(eds.),": "eds", "(ed.),": "eds", "edited": "eds",
    "pp.": "pp", "pp": "pp", "p.": "pp", "vol.": "vol", "no.": "no", "doi:": "doi",
    "press": "press", "press.": "press", "press,": "press", "university": "univ",
    "journal": "journal", "proceedings": "proc", "conference": "proc", "et": "etal",
    "al.": "etal", "al.,": "etal", "and": "and", "&": "and", "retrieved": "retrieved",
}  # fmt: skip


_UPPER = re.compile(r"[A-ZÀ-Þ]")
_LOWER = re.compile(r"[a-zß-ÿ]")
_DIGIT = re.compile(r"\d")
_REPEAT = re.compile(r"(.)\1+")
_EDGES = re.compile(r"^\W+|\W+$")
_CHECKS = (
    ("year", _YEAR),
    ("initial", re.compile(r"^[A-ZÀ-Þ]\.(?:-?[A-ZÀ-Þ]\.)*,?$")),
    ("caps", re.compile(r"^[A-ZÀ-Þ]{1,4},?$")),
    ("digits", re.compile(r"\d")),
    ("range", re.compile(r"\d\s*[-–—]\s*\d")),
    ("link", re.compile(r"https?:|www\.|doi\.org|^10\.\d{4}")),
    ("quote", re.compile(r"[\"“”‘’«»]")),
    ("bracket", re.compile(r"[()\[\]]")),
)
# A neighbour's features that a word's own label depends on.
_NEAR = ("w", "shape", "key", "last", "year", "initial", "quote", "bracket")
_FAR = ("w", "key", "year")


def _shape(word: str) -> str:
    shape = _DIGIT.sub("9", _LOWER.sub("a", _UPPER.sub("A", word)))
    return _REPEAT.sub(r"\1\1", shape)[:8]


@lru_cache(maxsize=65536)
def _word(word: str) -> dict[str, str]:
    lower = _EDGES.sub("", word).lower()
    own = {
        "w": lower[:12], "shape": _shape(word), "first": word[:1], "last": word[-1:],
        "suffix": lower[-3:], "key": _WORDS.get(word.lower(), ""),
    }  # fmt: skip
    for name, pattern in _CHECKS:
        own[name] = "1" if pattern.search(word) else ""
    return own


@lru_cache(maxsize=65536)
def _own(word: str) -> tuple[str, ...]:
    return tuple(f"{name}={value}" for name, value in _word(word).items() if value)


@lru_cache(maxsize=65536)
def _near(word: str, step: int) -> tuple[str, ...]:
    own = _word(word)
    names = _NEAR if abs(step) == 1 else _FAR
    return tuple(f"{step}:{name}={own[name]}" for name in names if own[name])


def word_features(words: Sequence[str]) -> list[list[str]]:
    """Each word's features (binary, as "name=value"), with its neighbours' and where it
    lies in the string."""
    total = max(len(words), 1)
    count = len(words)
    features = []
    seen_year = False
    stops = 0
    for index, word in enumerate(words):
        item = [*_own(word), _AT[index * 10 // total], _INDEX[min(index, 6)],
                _YEAR_SEEN[seen_year], _STOPS[min(stops, 4)]]  # fmt: skip
        for step in (-2, -1, 1, 2):
            near = index + step
            if 0 <= near < count:
                item.extend(_near(words[near], step))
            else:
                item.append(_EDGE[step])
        # What has been seen so far: a year, full stops ending words.
        seen_year = seen_year or bool(_YEAR.match(word))
        stops += word.endswith(".") and len(word) > 3
        features.append(item)
    return features


_AT = [f"at={n}" for n in range(10)]
_INDEX = [f"index={n}" for n in range(7)]
_YEAR_SEEN = ("after_year=False", "after_year=True")
_STOPS = [f"stops={n}" for n in range(5)]
_EDGE = {step: f"{step}:edge" for step in (-2, -1, 1, 2)}


@cache
def _tagger():  # type: ignore[no-untyped-def]
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL))
    return tagger


def tag_words(words: Sequence[str]) -> list[str]:
    """The field of each word (one of ``FIELDS``)."""
    if not words:
        return []
    return list(_tagger().tag(word_features(words)))


def clear_caches() -> None:
    """Forget the words' features worked out so far (for measuring)."""
    _word.cache_clear()
    _own.cache_clear()
    _near.cache_clear()
