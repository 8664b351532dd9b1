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
best, at most ``most`` of them (and a theme whose label the sentence holds, if it scores
``label_floor``).

A researcher's curated claims teach the tagger (``examples``), as NVivo's "autocode by
existing pattern" learns from coded text: each curated sentence as like a claim as they share
rare words (cosine) adds that likeness to the themes it was given, so the rest of the review
is tagged in the researcher's own terms. The examples' words do not join the themes' profiles
(they would outweigh the scheme's few words and lend each theme of an example the others').

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

import heapq
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from operator import itemgetter

import snowballstemmer

from kg.load.themes import Theme

__all__ = ["StemmedText", "TagMethod", "TagSettings", "ThemeTag", "ThemeTagger", "content_stems"]

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
BROKEN = re.compile(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])")
"""A word broken at a line end ("legit- imate", as pdftotext leaves it), read whole."""
BROKEN_WORD = re.compile(r"(?<=[^\W\d_])-\s+([^\W\d_]+)")
"""The same, with the rest of the word, to join it and keep every offset after it."""

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
    next best scoring at least ``relative`` times the best (``most`` in all), and any other
    whose label or altLabel the sentence holds word for word if it scores ``label_floor``."""

    threshold: float = 0.12
    relative: float = 0.6
    most: int = 3
    label_floor: float = 0.3


LABEL_WEIGHT = 3.0
ALT_WEIGHT = 2.0
DEFINITION_WEIGHT = 1.0
RELATED_WEIGHT = 0.5
NEIGHBOUR_WEIGHT = 0.75
CONTEXT_WEIGHT = 0.3
HEADING_WEIGHT = 0.5
PHRASE_BONUS = 0.25

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=131072)
def _stem(word: str) -> str:
    word = word.lower().replace("’", "'").removesuffix("'s")
    if word.endswith("lves"):  # wolves, selves, halves: the stemmer keeps them apart from -lf
        word = word[:-3] + "f"
    return str(_STEMMER.stemWord(word))


ACADEMIC_STEMS = frozenset(_stem(word) for word in _ACADEMIC.split())


@lru_cache(maxsize=16384)
def _stems(text: str, stop: frozenset[str]) -> tuple[str, ...]:
    return tuple(content_stems(text, stop))


def content_stems(text: str, stop: frozenset[str] = STOPWORDS) -> list[str]:
    """The stems of the words of ``text`` that can say what it is about, in order.

    >>> content_stems("Peer mentors' identities were transformed")
    ['peer', 'mentor', 'ident', 'transform']
    """
    words = WORD.findall(BROKEN.sub("", text).replace("-", " ").lower())
    return [_stem(word) for word in words if len(word) > 1 and word not in stop]


_WORD_STEMS: dict[str, tuple[str, bool] | tuple[()]] = {}
"""Each word read so far: its stem and whether it is no stop word, or () for a function word."""


def _read_word(word: str) -> tuple[str, bool] | tuple[()]:
    if len(word) <= 1 or word in FUNCTION_WORDS:
        return ()
    return _stem(word), word not in STOPWORDS


class StemmedText:
    """A text's words stemmed once, by offset, for tagging many of its sentences
    (:meth:`ThemeTagger.tag_span`): a sentence's context is most of its neighbours' words,
    stemmed again for each claim otherwise. Words are read as :func:`content_stems` reads
    them (a word broken at a line end whole, a hyphen a space)."""

    def __init__(self, text: str) -> None:
        prepared = BROKEN_WORD.sub(lambda found: found.group(1).ljust(len(found.group())), text)
        lowered = prepared.replace("-", " ").lower()
        self.starts: list[int] = []
        self.stems: list[str] = []
        self.topical: list[bool] = []
        """Whether each word is no stop word (the context's stems)."""
        if len(lowered) != len(text):  # a letter whose lower case is longer: read by words
            lowered = " " * len(text)
        starts, stems, topical = self.starts, self.stems, self.topical
        known = _WORD_STEMS
        for found in WORD.finditer(lowered):
            word = found.group()
            read = known.get(word)
            if read is None:
                read = known[word] = _read_word(word)
            if read:
                starts.append(found.start())
                stems.append(read[0])
                topical.append(read[1])

    def sentence_and_context(
        self, start: int, end: int, skip: Sequence[tuple[int, int]], around: int
    ) -> tuple[list[str], list[str]]:
        """The stems of the sentence ``[start, end)`` but for those in ``skip``, and of its
        context, the stop words out."""
        starts, stems, topical = self.starts, self.stems, self.topical
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        if skip:
            sentence = [
                stems[i] for i in range(first, last)
                if not any(a <= starts[i] < b for a, b in skip)
            ]  # fmt: skip
        else:
            sentence = stems[first:last]
        before = bisect_left(starts, start - around, 0, first)
        after = bisect_left(starts, end + around, last)
        context = [stems[i] for i in range(before, first) if topical[i]]
        context += [stems[i] for i in range(last, after) if topical[i]]
        return sentence, context


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
        taught: list[set[str]] = [set() for _ in self.themes]
        taught_stems: list[tuple[set[str], tuple[int, ...]]] = []
        for sentence, idents in examples:
            stems = set(content_stems(sentence))
            targets = tuple(dict.fromkeys(index[i] for i in idents if i in index))
            taught_stems.append((stems, targets))
            for i in targets:
                taught[i].update(stems)
                self.learned[i] = True
        # An example's words are known words (their rarity counted as if the example's themes
        # said them) but do not join the themes' profiles: merged in, a sentence's twenty words
        # outweighed the few the scheme gives a theme, and gave each of its themes the words
        # of the others, so that curating lowered the tags of the rest (the seed: F1 0.73 to
        # 0.72). Examples teach by likeness alone (``_add_neighbours``).
        documents = Counter(
            stem for i, profile in enumerate(raw) for stem in profile.keys() | taught[i]
        )
        total = len(raw)
        self.idf = {stem: math.log((total + 1) / (n + 0.5)) for stem, n in documents.items()}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.profiles: list[dict[str, float]] = []
        for i, profile in enumerate(raw):
            weighted = {s: w * self.idf[s] for s, w in profile.items()}
            norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
            self.profiles.append({s: w / norm for s, w in weighted.items()})
            for stem, weight in sorted(weighted.items()):
                self.postings.setdefault(stem, []).append((i, weight / norm))
        self.examples: list[tuple[frozenset[str], tuple[int, ...], float]] = []
        for stems, targets in taught_stems:
            known = frozenset(s for s in stems if s in self.idf)
            own = math.sqrt(sum(self.idf[s] ** 2 for s in known)) or 1.0
            self.examples.append((known, targets, own))
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
    ) -> list[tuple[int, float, bool]]:
        """Every theme with a score above zero, best first: its index, its score, and whether
        a label of it is in the sentence."""
        return self._score(sentence, context, heading)[0]

    def _score(
        self, sentence: str, context: str, heading: str, most: int | None = None
    ) -> tuple[list[tuple[int, float, bool]], dict[str, float], float]:
        """The themes' scores (only the ``most`` best, and those whose label the sentence
        holds, if ``most`` is given), the claim's weighted stems and their norm."""
        return self._rank(
            _stems(sentence, FUNCTION_WORDS), _stems(context, STOPWORDS), heading, most
        )

    def _rank(
        self,
        phrase_stems: Sequence[str],
        context_stems: Iterable[str],
        heading: str,
        most: int | None = None,
    ) -> tuple[list[tuple[int, float, bool]], dict[str, float], float]:
        """:meth:`_score` from the sentence's stems (function words out) and its context's
        (stop words out)."""
        idf = self.idf
        query: dict[str, float] = {}
        get = query.get
        # Only the scheme's words count: the others are left out at once.
        for stem in phrase_stems:
            if stem in idf and stem not in ACADEMIC_STEMS:
                query[stem] = get(stem, 0.0) + 1.0
        for stem in context_stems:
            if stem in idf:
                query[stem] = get(stem, 0.0) + CONTEXT_WEIGHT
        for stem in _stems(heading, STOPWORDS):
            if stem in idf:
                query[stem] = get(stem, 0.0) + HEADING_WEIGHT
        weighted = {s: w * idf[s] for s, w in query.items()}
        if not weighted:
            return [], weighted, 1.0
        norm = math.sqrt(sum(w * w for w in weighted.values()))
        sums: dict[int, float] = {}
        postings = self.postings
        for stem, weight in weighted.items():
            share = weight / norm
            for i, theme_weight in postings.get(stem, ()):
                sums[i] = sums.get(i, 0.0) + share * theme_weight
        if self.examples:
            self._add_neighbours(weighted, norm, sums)
        labelled = self._labelled(phrase_stems)
        for i in labelled:
            sums[i] = sums.get(i, 0.0) + PHRASE_BONUS
        if most is None:
            ranked = sorted(sums.items(), key=lambda item: (-item[1], item[0]))
        else:
            ranked = heapq.nlargest(most, sums.items(), key=itemgetter(1))
            ranked += sorted((i, sums[i]) for i in labelled if (i, sums[i]) not in ranked)
        return [(i, min(1.0, total), i in labelled) for i, total in ranked], weighted, norm

    def _words(self, i: int, weighted: dict[str, float]) -> tuple[str, ...]:
        """The claim's stems that weighed most for theme ``i``, heaviest first."""
        profile = self.profiles[i]
        parts = sorted(((w * profile[s], s) for s, w in weighted.items() if s in profile),
                       reverse=True)  # fmt: skip
        return tuple(s for _, s in parts[:4])

    def _add_neighbours(
        self, weighted: dict[str, float], norm: float, sums: dict[int, float]
    ) -> None:
        """Each curated example as like the claim as they share rare words (cosine over the
        same weights) adds that likeness to its themes: the nearest coded text counts most."""
        for stems, themes, own in self.examples:
            likeness = sum(weighted[s] * self.idf[s] for s in stems if s in weighted)
            if likeness:
                for i in themes:
                    sums[i] = sums.get(i, 0.0) + NEIGHBOUR_WEIGHT * likeness / (norm * own)

    def _labelled(self, stems: Sequence[str]) -> set[int]:
        found = set()
        for position, stem in enumerate(stems):
            for i, phrase in self.phrases.get(stem, ()):
                if tuple(stems[position : position + len(phrase)]) == phrase:
                    found.add(i)
        return found

    def tag(self, sentence: str, context: str = "", heading: str = "") -> tuple[ThemeTag, ...]:
        """The themes ``sentence`` keeps (see ``TagSettings``), best first."""
        return self._keep(self._score(sentence, context, heading, self.settings.most))

    def tag_span(
        self,
        text: StemmedText,
        start: int,
        end: int,
        *,
        skip: Sequence[tuple[int, int]] = (),
        around: int = 160,
        heading: str = "",
    ) -> tuple[ThemeTag, ...]:
        """:meth:`tag` for the sentence ``text[start:end]`` (its words in the spans ``skip``,
        its citations, left out), the words within ``around`` characters on either side its
        context: a text's words are stemmed once for all its sentences (:class:`StemmedText`)."""
        sentence, context = text.sentence_and_context(start, end, skip, around)
        return self._keep(self._rank(sentence, context, heading, self.settings.most))

    def _keep(
        self, scored: tuple[list[tuple[int, float, bool]], dict[str, float], float]
    ) -> tuple[ThemeTag, ...]:
        ranked, weighted, _ = scored
        settings = self.settings
        if not ranked or ranked[0][1] < settings.threshold:
            return ()
        best = ranked[0][1]
        tags = []
        for rank, (i, score, labelled) in enumerate(ranked):
            near = rank < settings.most and score >= best * settings.relative
            if not (near or (labelled and score >= max(settings.threshold, settings.label_floor))):
                continue
            if labelled:
                method = TagMethod.LABEL
            elif self.learned[i]:
                method = TagMethod.EXAMPLES
            else:
                method = TagMethod.SCHEME
            words = self._words(i, weighted) or (("(curated)",) if self.learned[i] else ())
            tags.append(ThemeTag(self.themes[i].ident, round(score, 3), method, words))
        return tuple(tags)
