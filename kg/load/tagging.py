"""Theme tagging: every theme of a scheme scored for a claim, from all the scheme says about it
and from where the claim sits, and the best kept.

A theme's *profile* is a weighted bag of word stems (Snowball's English stemmer, so "mentors",
"mentoring" and "mentored" are one word) taken from everything the scheme says of it: its
label, its altLabels, its definition and scope note, and, more lightly, the labels of its
broader and narrower themes. A word's weight is multiplied by how rare it is across the
scheme's themes (inverse document frequency), so a word every theme shares tags none. A claim
is scored against every profile by cosine similarity of the same kind of bag made of its
sentence, the sentences on either side (lighter) and the heading it sits under (lighter
still); a label or altLabel found whole in the sentence adds to its theme's score. The themes
kept are the best one when it reaches the threshold, and the others within ``relative`` of the
best, at most ``most`` of them.

A researcher's curated claims teach the tagger (``examples``): each curated sentence's words
join the profiles of the themes it was given, as NVivo's "autocode by existing pattern" learns
from coded text, so the rest of the review is tagged in the researcher's own terms.

>>> from kg.load.themes import Theme
>>> themes = (
...     Theme("t:hope", "hope", "Hope", "Optimism that a better future self can emerge.", ()),
...     Theme("t:jobs", "jobs", "Barriers to employment", "Obstacles to getting work.", ()),
... )
>>> tagger = ThemeTagger(themes)
>>> [tag.theme for tag in tagger.tag("Mentors felt optimistic about their future selves.")]
['hope']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import snowballstemmer

from kg.load.themes import Theme

__all__ = ["TagMethod", "TagSettings", "ThemeTag", "ThemeTagger", "content_stems"]

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

# Function words: no label or sentence is about them.
_FUNCTION = """
    a about above after again against al all also although among an and another any are as at
    be because been before being below between both but by can could did do does doing done
    down during each either et etc even ever few for from had has have having he her here hers
    him his how however i if in into is it its itself just least less many may me might more
    most much must my neither no nor not now of off on once one only or other others our ours
    out over own per rather same several she should since so some such than that the their
    theirs them themselves then there these they this those though through thus to too under
    until up upon us very via was we well were what when where whereas whether which while who
    whom whose why will with within without would yet you your
"""
# Words of citations and academic prose that say nothing of a theme in a sentence, though a
# label may hold them ("further offending").
_ACADEMIC = """
    further article author authors argue argued argues study studies research researchers
    paper suggest suggested show shown shows found find finding findings see e g i.e eg ie use
    used using based example instance including include includes type way part case first
    second third new often whilst like
"""
FUNCTION_WORDS = frozenset(_FUNCTION.split())
STOPWORDS = FUNCTION_WORDS | frozenset(_ACADEMIC.split())


class TagMethod(StrEnum):
    """How a tag was found; the value is the local name of its ``kg:`` individual."""

    LABEL = "LabelMatch"
    SCHEME = "SchemeSimilarity"
    EXAMPLES = "CuratedExamples"
    CURATED = "Curated"

    @property
    def confirmed(self) -> bool:
        """Whether a researcher set the tag (a curated claim), rather than kg guessing it."""
        return self is TagMethod.CURATED


@dataclass(frozen=True)
class ThemeTag:
    """A theme given to a claim: its score (0-1), how it was found, the words that led there."""

    theme: str
    score: float
    method: TagMethod
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class TagSettings:
    """Which scored themes a claim keeps: the best if it scores at least ``threshold``, the
    next best scoring at least ``relative`` times the best (``most`` in all), and any whose
    label or altLabel the sentence holds word for word."""

    threshold: float = 0.12
    relative: float = 0.6
    most: int = 3


LABEL_WEIGHT = 3.0
ALT_WEIGHT = 2.0
DEFINITION_WEIGHT = 1.0
RELATED_WEIGHT = 0.5
EXAMPLE_WEIGHT = 1.5
NEIGHBOUR_WEIGHT = 0.5
CONTEXT_WEIGHT = 0.3
HEADING_WEIGHT = 0.5
PHRASE_BONUS = 0.25

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=131072)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower().replace("’", "'").removesuffix("'s")))


def content_stems(text: str, stop: frozenset[str] = STOPWORDS) -> list[str]:
    """The stems of the words of ``text`` that can say what it is about, in order.

    >>> content_stems("Peer mentors' identities were transformed")
    ['peer', 'mentor', 'ident', 'transform']
    """
    stems = []
    for word in WORD.findall(text.replace("-", " ")):
        lower = word.lower()
        if len(lower) > 1 and lower not in stop:
            stems.append(_stem(lower))
    return stems


class ThemeTagger:
    """Scores the themes of one scheme for claims; built once per scheme (and examples)."""

    def __init__(
        self,
        themes: Sequence[Theme],
        examples: Iterable[tuple[str, Sequence[str]]] = (),
        settings: TagSettings | None = None,
    ) -> None:
        self.themes = tuple(themes)
        self.settings = settings or TagSettings()
        raw = [self._scheme_profile(theme) for theme in self.themes]
        index = {theme.ident: i for i, theme in enumerate(self.themes)}
        self.learned = [False] * len(self.themes)
        taught: list[Counter[str]] = [Counter() for _ in self.themes]
        counts = [0] * len(self.themes)
        self.examples: list[tuple[set[str], tuple[int, ...]]] = []
        for sentence, idents in examples:
            stems = set(content_stems(sentence))
            self.examples.append((stems, tuple(index[i] for i in idents if i in index)))
            for ident in idents:
                if ident in index:
                    taught[index[ident]].update(stems)
                    counts[index[ident]] += 1
        for i, words in enumerate(taught):
            if counts[i]:
                self.learned[i] = True
                for stem, n in words.items():
                    raw[i][stem] = raw[i].get(stem, 0.0) + EXAMPLE_WEIGHT * n / counts[i]
        documents = Counter(stem for profile in raw for stem in profile)
        total = len(raw)
        self.idf = {stem: math.log((total + 1) / (n + 0.5)) for stem, n in documents.items()}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, profile in enumerate(raw):
            weighted = {s: w * self.idf[s] for s, w in profile.items()}
            norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
            for stem, weight in sorted(weighted.items()):
                self.postings.setdefault(stem, []).append((i, weight / norm))
        self.phrases = self._phrases()

    @staticmethod
    def _scheme_profile(theme: Theme) -> dict[str, float]:
        profile: dict[str, float] = {}
        parts = [(theme.label, LABEL_WEIGHT), (theme.definition, DEFINITION_WEIGHT)]
        parts += [(alt, ALT_WEIGHT) for alt in theme.alt_labels]
        parts += [(theme.scope_note, DEFINITION_WEIGHT)]
        parts += [(related, RELATED_WEIGHT) for related in theme.related_labels]
        for text, weight in parts:
            for stem in set(content_stems(text)):
                profile[stem] = max(profile.get(stem, 0.0), weight)
        return profile

    def _phrases(self) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
        """Each theme's label and altLabels as stem sequences, by their first stem."""
        phrases: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for i, theme in enumerate(self.themes):
            for label in dict.fromkeys((theme.label, *theme.alt_labels)):
                stems = tuple(content_stems(label, FUNCTION_WORDS))
                if stems:
                    phrases.setdefault(stems[0], []).append((i, stems))
        return phrases

    def score(
        self, sentence: str, context: str = "", heading: str = ""
    ) -> list[tuple[int, float, tuple[str, ...], bool]]:
        """Every theme with a score above zero, best first: its index, score, the sentence's
        words that weighed most for it, and whether a label of it is in the sentence."""
        stems = content_stems(sentence)
        query: dict[str, float] = {}
        for stem in stems:
            query[stem] = query.get(stem, 0.0) + 1.0
        for text, weight in ((context, CONTEXT_WEIGHT), (heading, HEADING_WEIGHT)):
            for stem in content_stems(text):
                query[stem] = query.get(stem, 0.0) + weight
        weighted = {s: w * self.idf[s] for s, w in query.items() if s in self.idf}
        if not weighted:
            return []
        norm = math.sqrt(sum(w * w for w in weighted.values()))
        sums: dict[int, float] = {}
        why: dict[int, list[tuple[float, str]]] = {}
        for stem, weight in weighted.items():
            for i, theme_weight in self.postings.get(stem, ()):
                part = weight * theme_weight / norm
                sums[i] = sums.get(i, 0.0) + part
                why.setdefault(i, []).append((part, stem))
        if self.examples:
            self._add_neighbours(weighted, sums, why)
        labelled = self._labelled(content_stems(sentence, FUNCTION_WORDS))
        for i in labelled:
            sums[i] = sums.get(i, 0.0) + PHRASE_BONUS
        ranked = sorted(sums.items(), key=lambda item: (-item[1], item[0]))
        return [
            (i, min(1.0, total),
             tuple(dict.fromkeys(w for _, w in sorted(why.get(i, []), reverse=True)))[:4],
             i in labelled)
            for i, total in ranked
        ]  # fmt: skip

    def _add_neighbours(
        self,
        weighted: dict[str, float],
        sums: dict[int, float],
        why: dict[int, list[tuple[float, str]]],
    ) -> None:
        """Each curated example as like the claim as they share rare words (cosine over the
        same weights) adds that likeness to its themes: the nearest coded text counts most."""
        norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
        for stems, themes in self.examples:
            shared = [s for s in stems if s in weighted]
            if not shared:
                continue
            own = math.sqrt(sum(self.idf.get(s, 0.0) ** 2 for s in stems)) or 1.0
            likeness = sum(weighted[s] * self.idf.get(s, 0.0) for s in shared) / (norm * own)
            for i in themes:
                sums[i] = sums.get(i, 0.0) + NEIGHBOUR_WEIGHT * likeness
                why.setdefault(i, []).append(
                    (NEIGHBOUR_WEIGHT * likeness, "(like a curated claim)")
                )

    def _labelled(self, stems: Sequence[str]) -> set[int]:
        found = set()
        for position, stem in enumerate(stems):
            for i, phrase in self.phrases.get(stem, ()):
                if tuple(stems[position : position + len(phrase)]) == phrase:
                    found.add(i)
        return found

    def tag(self, sentence: str, context: str = "", heading: str = "") -> tuple[ThemeTag, ...]:
        """The themes ``sentence`` keeps (see ``TagSettings``), best first."""
        ranked = self.score(sentence, context, heading)
        settings = self.settings
        if not ranked or ranked[0][1] < settings.threshold:
            return ()
        best = ranked[0][1]
        tags = []
        for rank, (i, score, words, labelled) in enumerate(ranked):
            near = rank < settings.most and score >= best * settings.relative
            if not (near or (labelled and score >= settings.threshold)):
                continue
            if labelled:
                method = TagMethod.LABEL
            elif self.learned[i]:
                method = TagMethod.EXAMPLES
            else:
                method = TagMethod.SCHEME
            tags.append(ThemeTag(self.themes[i].ident, round(score, 3), method, words))
        return tuple(tags)
