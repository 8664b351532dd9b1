"""Theme tagging: every theme of a scheme scored for a claim, from all the scheme says about it
and from where the claim sits, and the best kept.

A theme's *profile* is a weighted bag of word stems (Snowball's English stemmer, so "mentors",
"mentoring" and "mentored" are one word) taken from everything the scheme says of it: its
label, its altLabels, its definition and scope note, and, more lightly, the labels of its
broader and narrower themes. A word's weight is multiplied by how rare it is across the
scheme's themes (inverse document frequency), so a word every theme shares tags none. A claim
is scored against every profile by cosine similarity of the same kind of bag made of its
sentence, the sentences on either side (lighter), the heading it sits under (lighter still)
and the titles of the works it cites (lightest, ``CITED_WEIGHT`` for them all); a label or
altLabel found whole in the sentence adds to its theme's score. British and American
spellings are one word ("socialisation", "socialization"). The themes
kept are the best one when it reaches the threshold, and the others within ``relative`` of the
best, at most ``most`` of them (and a theme whose label the sentence holds, if it scores
``label_floor``).

A researcher's curated claims teach the tagger (``examples``), as NVivo's "autocode by
existing pattern" learns from coded text: a light supervised step on top of the scheme's
scores (:class:`_Learner`). For each theme it learns, from the curated claims that were and
were not given it, a bias (a per-theme threshold: a theme the scheme scores high where the
researcher leaves it out is kept less often) and a likeness to the claims given it against
the claims not given it, over their words weighted by rarity among the curated claims, and
the vote of the curated claims most like the claim. A theme no example speaks of is kept as
the scheme alone keeps it.

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

__all__ = [
    "StemmedText",
    "TagExample",
    "TagMethod",
    "TagSettings",
    "ThemeTag",
    "ThemeTagger",
    "content_stems",
]

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
BROKEN = re.compile(r"(?<=[^\W\d_])-\s+(?=[^\W\d_])")
"""A word broken at a line end ("legit- imate", as pdftotext leaves it), read whole."""
BROKEN_WORD = re.compile(r"-(?<=[^\W\d_]-)\s+([^\W\d_]+)")
"""The same, with the rest of the word, to join it and keep every offset after it (the hyphen
first: ``re`` then looks for it alone, not at every character, a tenth of the time)."""

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
CONTEXT_WEIGHT = 0.3
HEADING_WEIGHT = 0.5
PHRASE_BONUS = 0.25
CITED_WEIGHT = 0.2
"""What the titles of the works a claim cites weigh, all together: a title names the cited
work's subject, often the claim's, but a method or a dataset is cited under its own."""

_STEMMER = snowballstemmer.stemmer("english")


# British spellings read as American ones, so that a scheme written in one meets a text
# written in the other ("socialisation", "socialization"): whole words that differ otherwise
# than by a regular ending, then the regular endings (-ise, -isation, -yse, -our, -tre, -ogue)
# and the Greek and Latin digraphs (oestrus, haemoglobin, paediatric).
_SPELLINGS = {
    "grey": "gray", "greys": "grays", "ageing": "aging", "judgement": "judgment",
    "programme": "program", "programmes": "programs", "defence": "defense",
    "offence": "offense", "offences": "offenses", "licence": "license", "pretence": "pretense",
    "enrolment": "enrollment", "fulfil": "fulfill", "skilful": "skillful", "mould": "mold",
    "plough": "plow", "tyre": "tire", "kerb": "curb", "storey": "story", "sceptical": "skeptical",
    "sceptic": "skeptic", "scepticism": "skepticism",
}  # fmt: skip
_BRITISH_ENDING = re.compile(
    r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|ational|er|ers)$"
    r"|(?<=[a-z]{2}[lt])ys(e|es|ed|ing)$"
    r"|(?<=[a-z]{2})our(s|ed|ing|ite|ites|able|ful)?$"
    r"|(?<=[a-z]{2})(?:tre|bre)(s|d)?$"
    r"|(?<=[a-z]{3})ogue(s)?$"
)
_AMERICAN = {"is": "iz", "ys": "yz", "our": "or", "tre": "ter", "bre": "ber", "ogue": "og"}
_DIGRAPHS = {
    "oes": "es", "oed": "ed", "haem": "hem", "paed": "ped", "anaem": "anem", "anaesth": "anesth",
    "leukaem": "leukem", "orthopaed": "orthoped", "aetiol": "etiol", "faec": "fec",
    "diarrhoe": "diarrhe", "foet": "fet", "manoeuv": "maneuv",
}  # fmt: skip
_DIGRAPH = re.compile("^(?:" + "|".join(sorted(_DIGRAPHS, key=len, reverse=True)) + ")")


def _american(word: str) -> str:
    """``word`` (lower case) as American English spells it, if British spelling differs.

    >>> [_american(w) for w in ("socialisation", "behaviours", "analysed", "centre", "oestrus")]
    ['socialization', 'behaviors', 'analyzed', 'center', 'estrus']
    """
    known = _SPELLINGS.get(word)
    if known:
        return known
    if word.endswith("s") and word[:-1] in _SPELLINGS:
        return _SPELLINGS[word[:-1]] + "s"
    word = _BRITISH_ENDING.sub(_to_american, word)
    return _DIGRAPH.sub(lambda found: _DIGRAPHS[found.group()], word)


def _to_american(found: re.Match[str]) -> str:
    whole = found.group()
    for british, american in _AMERICAN.items():
        if whole.startswith(british):
            return american + whole[len(british) :]
    return whole


@lru_cache(maxsize=131072)
def _stem(word: str) -> str:
    word = word.lower().replace("’", "'").removesuffix("'s")
    if word.endswith("lves"):  # wolves, selves, halves: the stemmer keeps them apart from -lf
        word = word[:-3] + "f"
    return str(_STEMMER.stemWord(_american(word)))


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
            # the words in ``skip``, by index: those whose start lies in a span
            out: set[int] = set()
            for a, b in skip:
                out.update(
                    range(bisect_left(starts, a, first, last), bisect_left(starts, b, first, last))
                )
            sentence = [stems[i] for i in range(first, last) if i not in out]
        else:
            sentence = stems[first:last]
        before = bisect_left(starts, start - around, 0, first)
        after = bisect_left(starts, end + around, last)
        context = [stems[i] for i in range(before, first) if topical[i]]
        context += [stems[i] for i in range(last, after) if topical[i]]
        return sentence, context


@dataclass(frozen=True)
class TagExample:
    """A claim a researcher tagged by hand: its sentence (citations out), the themes they gave
    it, and, where known, the text around it, its heading and the titles of the works it
    cites, read as a claim's are; the works it cites (``works``, as
    :func:`kg.load.claims.work_names` names them) and the paragraph of the text being tagged
    it sits in (``paragraph``), for the claims citing the same works or beside it."""

    sentence: str
    themes: tuple[str, ...]
    context: str = ""
    heading: str = ""
    cited: tuple[str, ...] = ()
    works: tuple[str, ...] = ()
    paragraph: str = ""


EXAMPLE_SCALE = 10.0
"""Logits per unit of score by which a theme is inside or outside the scheme's keep rule."""
EXAMPLE_PRIOR = 1.0
"""The weight of the prior (L2) that holds a theme's learnt bias near 0."""
EXAMPLE_LIKENESS = 1.0
"""Logits per unit of likeness to the claims given a theme against those not given it."""
EXAMPLE_COCITED = 1.0
"""Logits for a theme every example citing one of the claim's works was given."""
EXAMPLE_BESIDE = 0.5
"""Logits for a theme, per example in the claim's paragraph given it."""
EXAMPLE_BESIDE_NOT = 0.25
"""Logits against a theme, per example in the claim's paragraph not given it."""
EXAMPLE_NEIGHBOURS = 3.0
"""Logits for a theme the examples most like the claim were all given, beyond its share."""
NEIGHBOUR_FLOOR = 0.05
"""The weight of a vote that stays at the themes' shares: a claim whose likeness to every
example is under about 0.2 (0.2 squared is 0.04) is hardly moved."""
OUT_OF_REACH = 0.05
"""How far short of the keep rule a theme is that the rule could not keep (beyond ``most``)."""
EXAMPLE_WORDS = 40
"""How many of its examples' words a theme's mean keeps (the heaviest)."""
NEGLIGIBLE = -6.0
"""An example whose logit for a theme it was not given is below this teaches that theme's
bias nothing worth its time (p < 0.25%)."""


def _idf(documents: Counter[str], total: int) -> dict[str, float]:
    """Each stem's inverse document frequency among ``total`` documents (smoothed)."""
    return {stem: math.log((total + 1) / (n + 0.5)) for stem, n in documents.items()}


def _unit(weighted: dict[str, float]) -> dict[str, float]:
    """``weighted`` scaled to length 1 (as it is, if empty)."""
    norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
    return {s: w / norm for s, w in weighted.items()}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _tally(
    keyed: Iterable[tuple[Iterable[str], frozenset[int]]],
) -> dict[str, tuple[int, Counter[int]]]:
    """Per key (a work an example cites, the paragraph it sits in): how many examples have
    it, and how many of them were given each theme."""
    tally: dict[str, tuple[int, Counter[int]]] = {}
    for keys, targets in keyed:
        for key in keys:
            n, given = tally.get(key, (0, Counter[int]()))
            given.update(targets)
            tally[key] = (n + 1, given)
    return tally


class _Learner:
    """What a review's curated claims teach (:class:`ThemeTagger`): each theme's bias, and the
    words of the claims given it against the rest.

    A theme's logit for a claim is ``EXAMPLE_SCALE`` times how far its scheme score is inside
    the keep rule (:meth:`ThemeTagger._margins`), plus its bias, plus ``EXAMPLE_LIKENESS``
    times the claim's likeness (cosine, words weighted by their rarity among the examples) to
    the mean of the examples given the theme less that to the mean of the others (Rocchio's
    classifier; each theme's mean keeps its ``EXAMPLE_WORDS`` heaviest words, so that a
    claim's likeness costs the same however many examples there are), plus
    ``EXAMPLE_NEIGHBOURS`` times the vote of the examples most like the claim
    (:meth:`neighbours`), plus
    ``EXAMPLE_COCITED`` times the share of the examples citing a work the claim cites that
    were given the theme (the most of its works': a review cites a work for the same themes
    again and again), plus, per example in the claim's paragraph, ``EXAMPLE_BESIDE`` if it
    was given the theme and less ``EXAMPLE_BESIDE_NOT`` if not (a paragraph keeps to its
    themes: :meth:`beside`). The bias is the most probable under a logistic model of the examples
    with a Gaussian prior (``EXAMPLE_PRIOR``), found by Newton's method: no theme is learnt
    from its own examples alone, and a theme no example speaks of keeps a bias of about 0.
    """

    def __init__(
        self,
        count: int,
        rows: Sequence[tuple[dict[int, float], float, dict[str, float], frozenset[int]]],
        cited: Sequence[tuple[Sequence[str], frozenset[int]]] = (),
        paragraphs: Sequence[tuple[str, frozenset[int]]] = (),
    ) -> None:
        self.cited = _tally(cited)
        """Per work the examples cite: how many cite it, and the themes given."""
        self.paragraphs = _tally(((p,) if p else (), targets) for p, targets in paragraphs)
        """Per paragraph examples sit in: how many do, and the themes given."""
        total = len(rows)
        documents = Counter(stem for _, _, bag, _ in rows for stem in bag)
        self.idf = _idf(documents, total)
        self.unseen = math.log((total + 1) / 0.5)
        vectors = [self.vector(bag) for _, _, bag, _ in rows]
        self.all: dict[str, float] = {}
        given: list[dict[str, float]] = [{} for _ in range(count)]
        self.given_count = [0] * count
        for vector, (_, _, _, targets) in zip(vectors, rows, strict=True):
            for stem, weight in vector.items():
                self.all[stem] = self.all.get(stem, 0.0) + weight
            for i in targets:
                self.given_count[i] += 1
                mine = given[i]
                for stem, weight in vector.items():
                    mine[stem] = mine.get(stem, 0.0) + weight
        self.total = total
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, mine in enumerate(given):
            kept = heapq.nlargest(EXAMPLE_WORDS, mine.items(), key=lambda item: (item[1], item[0]))
            for stem, weight in sorted(kept):
                self.postings.setdefault(stem, []).append((i, weight))
        # likeness = given / n - (all - given) / (total - n) = given * scale - all * rest
        self._rest = [1 / (total - n) if total > n else 0.0 for n in self.given_count]
        self._scale = [
            (1 / n if n else 0.0) + rest
            for n, rest in zip(self.given_count, self._rest, strict=True)
        ]
        self.examples: dict[str, list[tuple[int, float]]] = {}
        """Each stem's weight in each example's vector, by the example's index."""
        for j, vector in enumerate(vectors):
            for stem, weight in vector.items():
                self.examples.setdefault(stem, []).append((j, weight))
        self.example_themes = [targets for _, _, _, targets in rows]
        self.shares = {i: n / total for i, n in enumerate(self.given_count) if n}
        self.bias = [0.0] * count
        likeness = [self.taught(vector, j) for j, vector in enumerate(vectors)]
        for i in range(count):
            pairs = []
            for (margins, floor, _, targets), alike in zip(rows, likeness, strict=True):
                offset = EXAMPLE_SCALE * margins.get(i, floor) + alike[i]
                if i in targets or offset > NEGLIGIBLE:
                    pairs.append((offset, 1.0 if i in targets else 0.0))
            if pairs:
                self.bias[i] = self._bias(pairs)
        self.speaks = frozenset(
            i for i in range(count) if self.given_count[i] or abs(self.bias[i]) > 1e-3
        )

    @staticmethod
    def _bias(pairs: Sequence[tuple[float, float]]) -> float:
        bias = 0.0
        for _ in range(12):
            gradient, curvature = EXAMPLE_PRIOR * bias, EXAMPLE_PRIOR
            for offset, wanted in pairs:
                p = _sigmoid(offset + bias)
                gradient += p - wanted
                curvature += p * (1.0 - p)
            step = gradient / curvature
            bias -= step
            if abs(step) < 1e-6:
                break
        return bias

    def beside(self, paragraph: str) -> tuple[dict[int, float], float]:
        """In logits, per theme an example in ``paragraph`` was given: ``EXAMPLE_BESIDE``
        and ``EXAMPLE_BESIDE_NOT`` for each example given it; and, for every theme,
        ``EXAMPLE_BESIDE_NOT`` against it for each example in the paragraph."""
        n, given = self.paragraphs.get(paragraph, (0, Counter[int]()))
        step = EXAMPLE_BESIDE + EXAMPLE_BESIDE_NOT
        return {i: step * m for i, m in given.items()}, EXAMPLE_BESIDE_NOT * n

    def cocited(self, works: Sequence[str]) -> dict[int, float]:
        """Per theme: the most, over the ``works`` some example cites too, of the share of
        those examples given the theme."""
        shares: dict[int, float] = {}
        for work in works:
            known = self.cited.get(work)
            if known is not None:
                n, given = known
                for i, m in given.items():
                    shares[i] = max(shares.get(i, 0.0), m / n)
        return shares

    def vector(self, bag: dict[str, float]) -> dict[str, float]:
        """A claim's words weighted by their rarity among the examples, of length 1."""
        idf, unseen = self.idf, self.unseen
        return _unit({s: w * idf.get(s, unseen) for s, w in bag.items()})

    def neighbours(self, vector: dict[str, float], own: int | None = None) -> dict[int, float]:
        """Per theme some example was given: the vote of the examples, each weighed by the
        square of the claim's likeness to it (cosine), so that one close example outweighs many
        distant ones: the weight of those given the theme less the theme's share of all the
        weight, over all the weight and ``NEIGHBOUR_FLOOR`` (between -1 and 1). ``own``: an
        example's index, left out of its own vote (when its bias is fitted)."""
        likeness: dict[int, float] = {}
        get, examples = likeness.get, self.examples
        for stem, weight in vector.items():
            for j, theirs in examples.get(stem, ()):
                likeness[j] = get(j, 0.0) + weight * theirs
        if own is not None:
            likeness.pop(own, None)
        votes = dict.fromkeys(self.shares, 0.0)
        total = 0.0
        themes = self.example_themes
        for j, alike in likeness.items():
            weight = alike * alike
            total += weight
            for i in themes[j]:
                votes[i] += weight
        scale = 1.0 / (total + NEIGHBOUR_FLOOR)
        return {i: (vote - self.shares[i] * total) * scale for i, vote in votes.items()}

    def taught(self, vector: dict[str, float], own: int | None = None) -> list[float]:
        """Per theme, in logits, what the examples' words say of a claim: its likeness to the
        examples given the theme (``EXAMPLE_LIKENESS``) and the vote of those most like it
        (``EXAMPLE_NEIGHBOURS``). ``own``: an example's index, left out of its own vote."""
        weighed = [EXAMPLE_LIKENESS * a for a in self.likeness(vector)]
        for i, vote in self.neighbours(vector, own).items():
            weighed[i] += EXAMPLE_NEIGHBOURS * vote
        return weighed

    def likeness(self, vector: dict[str, float]) -> list[float]:
        """Per theme: the claim's likeness to the mean of the examples given it (0 if none
        was) less its likeness to the mean of the others (0 if every one was)."""
        to_all = sum(w * self.all.get(s, 0.0) for s, w in vector.items())
        to_given = [0.0] * len(self.given_count)
        postings = self.postings
        for stem, weight in vector.items():
            for i, theirs in postings.get(stem, ()):
                to_given[i] += weight * theirs
        return [
            mine * scale - to_all * rest
            for mine, scale, rest in zip(to_given, self._scale, self._rest, strict=True)
        ]

    def words(self, i: int, vector: dict[str, float]) -> tuple[str, ...]:
        """The claim's stems most like those of the examples given theme ``i``."""
        parts = sorted(
            ((weight * theirs, stem) for stem, weight in vector.items()
             for j, theirs in self.postings.get(stem, ()) if j == i),
            reverse=True,
        )  # fmt: skip
        return tuple(stem for _, stem in parts[:4])


class ThemeTagger:
    """Scores the themes of one scheme for claims; built once per scheme (and examples)."""

    def __init__(
        self,
        themes: Sequence[Theme],
        examples: Iterable[TagExample | tuple[str, Sequence[str]]] = (),
        settings: TagSettings | None = None,
    ) -> None:
        self.themes = tuple(themes)
        self.settings = settings or TagSettings()
        raw = [self._scheme_profile(theme) for theme in self.themes]
        documents = Counter(stem for profile in raw for stem in profile)
        total = len(raw)
        self.idf = _idf(documents, total)
        self.postings: dict[str, list[tuple[int, float]]] = {}
        self.profiles: list[dict[str, float]] = []
        for i, profile in enumerate(raw):
            unit = _unit({s: w * self.idf[s] for s, w in profile.items()})
            self.profiles.append(unit)
            for stem, weight in sorted(unit.items()):
                self.postings.setdefault(stem, []).append((i, weight))
        self.phrases = self._phrases()
        self.learner: _Learner | None = None
        self.learned = [False] * len(self.themes)
        self._learn(examples)

    def _learn(self, examples: Iterable[TagExample | tuple[str, Sequence[str]]]) -> None:
        """The examples' scheme scores and words, for :class:`_Learner`."""
        index = {theme.ident: i for i, theme in enumerate(self.themes)}
        rows = []
        cited = []
        paragraphs = []
        for example in examples:
            if not isinstance(example, TagExample):
                example = TagExample(example[0], tuple(example[1]))
            targets = frozenset(index[t] for t in example.themes if t in index)
            if not targets:
                continue
            sentence = _stems(example.sentence, FUNCTION_WORDS)
            context = _stems(example.context, STOPWORDS)
            ranked = self._rank(sentence, context, example.heading, None, example.cited)[0]
            rows.append((*self._margins(ranked), self._bag(sentence, context), targets))
            cited.append((example.works, targets))
            paragraphs.append((example.paragraph, targets))
            for i in targets:
                self.learned[i] = True
        if rows:
            self.learner = _Learner(len(self.themes), rows, cited, paragraphs)

    @staticmethod
    def _bag(sentence: Iterable[str], context: Iterable[str]) -> dict[str, float]:
        bag: dict[str, float] = {}
        for stem in sentence:
            if stem not in ACADEMIC_STEMS:
                bag[stem] = bag.get(stem, 0.0) + 1.0
        for stem in context:
            bag[stem] = bag.get(stem, 0.0) + CONTEXT_WEIGHT
        return bag

    def _margins(self, ranked: Sequence[tuple[int, float, bool]]) -> tuple[dict[int, float], float]:
        """How far each scored theme is inside (above 0) or outside the keep rule of
        ``TagSettings``, and how far a theme with no score is outside it."""
        settings = self.settings
        if not ranked:
            return {}, -1.0
        best = ranked[0][1]
        floor = max(settings.threshold, settings.label_floor)
        margins = {}
        for rank, (i, score, labelled) in enumerate(ranked):
            reach = []
            if rank == 0:
                reach.append(score - settings.threshold)
            elif rank < settings.most:
                reach.append(min(score - best * settings.relative, best - settings.threshold))
            if labelled:
                reach.append(min(score - floor, best - settings.threshold))
            margins[i] = (
                max(reach) if reach else min(-OUT_OF_REACH, score - best * settings.relative)
            )
        return margins, min(-OUT_OF_REACH, -best * settings.relative)

    @staticmethod
    def _scheme_profile(theme: Theme) -> dict[str, float]:
        profile: dict[str, float] = {}
        parts = [(theme.label, LABEL_WEIGHT), (theme.definition, DEFINITION_WEIGHT)]
        parts += [(alt, ALT_WEIGHT) for alt in theme.alt_labels]
        parts += [(theme.scope_note, DEFINITION_WEIGHT)]
        parts += [(related, RELATED_WEIGHT) for related in theme.related_labels]
        for text, weight in parts:
            for stem in dict.fromkeys(content_stems(text)):
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
        """Every theme with a score from the scheme above zero, best first: its index, its
        score, and whether a label of it is in the sentence."""
        return self._rank(_stems(sentence, FUNCTION_WORDS), _stems(context, STOPWORDS), heading)[0]

    def _rank(
        self,
        phrase_stems: Sequence[str],
        context_stems: Iterable[str],
        heading: str,
        most: int | None = None,
        cited: Sequence[str] = (),
    ) -> tuple[list[tuple[int, float, bool]], dict[str, float]]:
        """The themes' scheme scores (only the ``most`` best, and those whose label the
        sentence holds, if ``most`` is given) from the sentence's stems (function words out),
        its context's and the titles of the works it cites (``cited``; stop words out), and
        the claim's weighted stems."""
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
        for title in cited:
            for stem in _stems(title, STOPWORDS):
                if stem in idf:
                    query[stem] = get(stem, 0.0) + CITED_WEIGHT / len(cited)
        weighted = {s: w * idf[s] for s, w in query.items()}
        if not weighted:
            return [], weighted
        norm = math.sqrt(sum(w * w for w in weighted.values()))
        sums: dict[int, float] = {}
        postings = self.postings
        for stem, weight in weighted.items():
            share = weight / norm
            for i, theme_weight in postings.get(stem, ()):
                sums[i] = sums.get(i, 0.0) + share * theme_weight
        labelled = self._labelled(phrase_stems)
        for i in labelled:
            sums[i] = sums.get(i, 0.0) + PHRASE_BONUS
        if most is None:
            # by score, a tie by index: sorted by index first, then stably by score
            ranked = sorted(sorted(sums.items()), key=itemgetter(1), reverse=True)
        else:
            # heapq.nlargest's documented equivalent, quicker for a claim's few dozen themes
            ranked = sorted(sums.items(), key=itemgetter(1), reverse=True)[:most]
            ranked += sorted((i, sums[i]) for i in labelled if (i, sums[i]) not in ranked)
        return [(i, min(1.0, total), i in labelled) for i, total in ranked], weighted

    def _words(self, i: int, weighted: dict[str, float]) -> tuple[str, ...]:
        """The claim's stems that weighed most for theme ``i``, heaviest first."""
        profile = self.profiles[i]
        parts = sorted(((w * profile[s], s) for s, w in weighted.items() if s in profile),
                       reverse=True)  # fmt: skip
        return tuple(s for _, s in parts[:4])

    def _labelled(self, stems: Sequence[str]) -> set[int]:
        found = set()
        for position, stem in enumerate(stems):
            for i, phrase in self.phrases.get(stem, ()):
                if tuple(stems[position : position + len(phrase)]) == phrase:
                    found.add(i)
        return found

    def tag(
        self,
        sentence: str,
        context: str = "",
        heading: str = "",
        cited: Sequence[str] = (),
        *,
        works: Sequence[str] = (),
        paragraph: str = "",
    ) -> tuple[ThemeTag, ...]:
        """The themes ``sentence`` keeps (see ``TagSettings``, and what the examples taught),
        best first; ``cited``: the titles of the works it cites; ``works`` and
        ``paragraph``: the works it cites and where it sits, as :class:`TagExample` has
        them."""
        return self._tag(
            _stems(sentence, FUNCTION_WORDS), _stems(context, STOPWORDS), heading, cited,
            works, paragraph,
        )  # fmt: skip

    def tag_span(
        self,
        text: StemmedText,
        start: int,
        end: int,
        *,
        skip: Sequence[tuple[int, int]] = (),
        around: int = 160,
        heading: str = "",
        cited: Sequence[str] = (),
        works: Sequence[str] = (),
        paragraph: str = "",
    ) -> tuple[ThemeTag, ...]:
        """:meth:`tag` for the sentence ``text[start:end]`` (its words in the spans ``skip``,
        its citations, left out), the words within ``around`` characters on either side its
        context: a text's words are stemmed once for all its sentences (:class:`StemmedText`)."""
        sentence, context = text.sentence_and_context(start, end, skip, around)
        return self._tag(sentence, context, heading, cited, works, paragraph)

    def rank_span(
        self,
        text: StemmedText,
        start: int,
        end: int,
        *,
        skip: Sequence[tuple[int, int]] = (),
        around: int = 160,
        heading: str = "",
        cited: Sequence[str] = (),
    ) -> list[tuple[str, float, bool]]:
        """Every theme the scheme scores above zero for the sentence :meth:`tag_span` reads,
        best first, before the keep rule and any example: its id, its score, and whether a
        label of it is in the sentence (what :meth:`tag_span` chose from)."""
        sentence, context = text.sentence_and_context(start, end, skip, around)
        ranked = self._rank(sentence, context, heading, None, cited)[0]
        return [(self.themes[i].ident, round(score, 3), labelled) for i, score, labelled in ranked]

    def _tag(
        self,
        sentence: Sequence[str],
        context: Sequence[str],
        heading: str,
        cited: Sequence[str] = (),
        works: Sequence[str] = (),
        paragraph: str = "",
    ) -> tuple[ThemeTag, ...]:
        if self.learner is not None:
            return self._taught(sentence, context, heading, self.learner, cited, works, paragraph)
        ranked, weighted = self._rank(sentence, context, heading, self.settings.most, cited)
        settings = self.settings
        if not ranked or ranked[0][1] < settings.threshold:
            return ()
        best = ranked[0][1]
        tags = []
        for rank, (i, score, labelled) in enumerate(ranked):
            near = rank < settings.most and score >= best * settings.relative
            if not (near or (labelled and score >= max(settings.threshold, settings.label_floor))):
                continue
            method = TagMethod.LABEL if labelled else TagMethod.SCHEME
            tags.append(
                ThemeTag(self.themes[i].ident, round(score, 3), method, self._words(i, weighted))
            )
        return tuple(tags)

    def _taught(
        self,
        sentence: Sequence[str],
        context: Sequence[str],
        heading: str,
        learner: _Learner,
        cited: Sequence[str] = (),
        works: Sequence[str] = (),
        paragraph: str = "",
    ) -> tuple[ThemeTag, ...]:
        """The themes kept once the examples have spoken: each theme's logit (see
        :class:`_Learner`) above 0, the surest first."""
        ranked, weighted = self._rank(sentence, context, heading, None, cited)
        margins, floor = self._margins(ranked)
        vector = learner.vector(self._bag(sentence, context))
        taught = learner.taught(vector)
        scores = {i: (score, labelled) for i, score, labelled in ranked}
        cocited = learner.cocited(works)
        beside, against = learner.beside(paragraph)
        kept = []
        for i in sorted(margins.keys() | learner.speaks | cocited.keys() | beside.keys()):
            margin = margins.get(i, floor)
            logit = (EXAMPLE_SCALE * margin + learner.bias[i] + taught[i]
                     + EXAMPLE_COCITED * cocited.get(i, 0.0)
                     + beside.get(i, 0.0) - against)  # fmt: skip
            if logit > 0:
                kept.append((-logit, i, margin))
        tags = []
        for _, i, margin in sorted(kept):
            score, labelled = scores.get(i, (0.0, False))
            if labelled:
                method, words = TagMethod.LABEL, self._words(i, weighted)
            elif margin >= 0:
                method, words = TagMethod.SCHEME, self._words(i, weighted)
            else:
                method = TagMethod.EXAMPLES
                words = learner.words(i, vector) or self._words(i, weighted) or ("(curated)",)
            tags.append(ThemeTag(self.themes[i].ident, round(score, 3), method, words))
        return tuple(tags)
