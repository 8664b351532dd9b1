"""The review summary (``review.md``), written from the graph by the named SPARQL queries.

It reads the store as the views do (:class:`kg.projections.network.ReviewData`), so the summary
always matches the map and ``kg query``. All text from the inputs is escaped, so a title holding
Markdown or HTML shows as typed.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import NamedTuple

from kg.projections.clusters import Clustering, cocitation_clusters, theme_clusters
from kg.projections.network import Author, Citation, ClaimText, ReviewData, Source

__all__ = ["render_review"]

MARKDOWN = re.compile(r"([\\`*_\[\]|#])")


def _md(text: str) -> str:
    """Input text made safe for Markdown: HTML escaped, Markdown syntax backslashed, runs of
    white space made one space."""
    text = html.escape(" ".join(text.split()), quote=False)
    return MARKDOWN.sub(r"\\\1", text) if MARKDOWN.search(text) else text


def render_review(
    store: Source | None,
    *,
    title: str,
    warnings: Sequence[str] = (),
    data: ReviewData | None = None,
    parts: Iterable[SummaryPart] | None = None,
    keep: list[object] | None = None,
) -> str:
    """The Markdown summary of a built review.

    For each theme: who supports and who disputes it, and the claims quoted with their
    page locators; then the contested themes, and the gaps (themes resting on one source,
    works never cited, citations with no entry). ``warnings`` are the build's own notes
    (unresolved or misspelt citations, bibliography problems), listed at the end. ``data``,
    if given, is what the store holds, already read for the views (then ``store`` may be
    None, as in ``kg build``, which reads the rows from its graphs). ``parts``, if given,
    are :func:`summary_part` of the review's claims, all of them (``kg build`` keeps one
    for each claims graph); otherwise they are worked out from ``data``. What the summary
    was made of is put in ``keep``, if given, not freed (as
    :func:`kg.outputs.views.write_view` does).
    """
    data = data or ReviewData(store)
    if parts is None:
        parts = [summary_part(data)]
    elif keep is not None:
        parts = list(parts)
        keep.append(parts)
    return _render(title, warnings, data, parts, keep)


class SummaryPart(NamedTuple):
    """What the summary says of some of a review's claims, worked out apart from the rest
    (:func:`summary_part`): how many claims it quotes; and by theme label, the quotes (each
    with where it sorts), the authors credited (stance, name and IRI) and on how many claims,
    by theme IRI (:data:`_Credit`), and the works cited. Plain data, quick to keep and read."""

    quoted: int
    blocks: dict[str, list[tuple[tuple[int, str, str], str]]]
    credits: dict[_Credit, int]
    sources: dict[str, set[str]]
    escaped: dict[str, str]
    """The authors' names credited, as the summary shows them (:func:`_md`)."""
    guesses: int = 0
    """How many quotes stand under a theme kg only guessed (marked :data:`GUESS_MARK`)."""


GUESS_MARK = " *(guess)*"
"""After a quote under a theme kg guessed (:func:`kg.projections.network.is_guess`)."""


def summary_part(data: ReviewData) -> SummaryPart:
    """The summary's part for the claims of ``data`` (all of a review's, or some of them:
    :meth:`kg.projections.network.ReviewData.part`)."""
    tags = data.tags()
    made = _citations_by_claim(data, tags)
    md = cache(_md)
    quotes = _quote_claims(made, data.texts, data.labels, md)
    blocks: dict[str, list[tuple[tuple[int, str, str], str]]] = defaultdict(list)
    sources: dict[str, set[str]] = defaultdict(set)
    guessed = data.guessed
    guesses = 0
    for claim, quote in quotes.items():
        # A claim with two themes of one label lists each citation twice, as claims-for-theme's
        # rows (one per theme) do.
        for theme, times in Counter(theme for _, theme in tags[claim]).items():
            guess = bool(guessed) and all(
                (claim, iri) in guessed for iri, label in tags[claim] if label == theme
            )
            guesses += guess
            blocks[theme].append((quote.order, quote.block(times, guess)))
            sources[theme] |= quote.sources
    credits = _count_credits(made, tags, data.authors)
    escaped = {name: md(name) for _, _, _, name, _ in credits}
    return SummaryPart(len(quotes), dict(blocks), credits, dict(sources), escaped, guesses)


def _render(
    title: str,
    warnings: Sequence[str],
    data: ReviewData,
    parts: Iterable[SummaryPart],
    keep: list[object] | None = None,
) -> str:
    """The summary of what ``data`` holds, whose claims ``parts`` quote (:func:`render_review`)."""
    uncited, unresolved = data.uncited, data.unresolved_citations
    labels = data.labels
    quoted = 0
    themed: dict[str, list[tuple[tuple[int, str, str], str]]] = defaultdict(list)
    credits: dict[_Credit, int] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    # Names, labels and sentences recur under many themes: escaped once (the parts escaped
    # the authors' names).
    escaped = _Escaped()
    guesses = 0
    for part in parts:
        escaped.update(part.escaped)
        quoted += part.quoted
        guesses += part.guesses
        for theme, blocks in part.blocks.items():
            themed[theme] += blocks
        get = credits.get
        for credit, count in part.credits.items():
            credits[credit] = get(credit, 0) + count
        for theme, works in part.sources.items():
            sources[theme] |= works
    for blocks in themed.values():
        blocks.sort(key=itemgetter(0))
    by_theme = _count_authors(credits)
    md = escaped.__getitem__

    lines = [f"# {md(title)}", ""]
    lines.append(
        f"Review summary generated by kg from the graph: {len(themed)} themes with"
        f" claims, {quoted} claims tagged with a theme."
        " Stances: *supports* (cited as evidence or support), *disputes* (disputed or"
        " critiqued), *mentions* (cited without a stated stance)."
    )
    if guesses:
        lines[-1] += (
            f" A quote marked{GUESS_MARK} stands under a theme kg guessed from the words of the"
            " theme scheme, with little confidence: `kg suggest` lists them to confirm or correct."
        )
    lines.append("")
    lines.append("## Themes")
    for theme in sorted(themed, key=lambda t: (-len(themed[t]), t)):
        lines += ["", f"### {md(theme)}", ""]
        for stance, verb in (("supports", "Supported by"), ("disputes", "Disputed by"),
                             ("mentions", "Mentioned with")):  # fmt: skip
            authors = by_theme.get(theme, {}).get(stance)
            if authors:
                # Most claims first, then by name: the sort is stable.
                ranked = sorted(authors, key=authors.__getitem__, reverse=True)
                listed = ", ".join([f"{md(a)} ({authors[a]})" for a in ranked])
                lines.append(f"- **{verb}:** {listed}")
        lines.append("")
        lines += [block for _, block in themed[theme]]
    contested = sorted(t for t, s in by_theme.items() if s.get("supports") and s.get("disputes"))
    lines += ["## Contested themes", ""]
    if contested:
        for theme in contested:
            pro = ", ".join(map(md, by_theme[theme]["supports"]))
            con = ", ".join(map(md, by_theme[theme]["disputes"]))
            lines.append(f"- **{md(theme)}**: supported by {pro}; disputed by {con}")
    else:
        lines.append("No theme is both supported and disputed.")
    lines += _cluster_lines(data, md)
    lines += ["", "## Gaps", "", "### Themes resting on one source", ""]
    single = sorted(t for t, works in sources.items() if len(works) == 1)
    lines += [f"- {md(t)}: only {md(next(iter(sources[t])))}" for t in single] or ["None."]
    lines += ["", "### Works in the bibliography never cited", ""]
    lines += [
        f"- {md(labels.get(r['work'], r['work']))}: {md(r['title'])} (`{md(r['work'])}`)"
        for r in uncited
    ] or ["None."]
    lines += ["", "### Citations with no bibliography entry", ""]
    lines += _unresolved_lines(unresolved) or ["None."]
    if warnings:
        lines += ["", "## Build notes", ""]
        lines += [f"- {md(w)}" for w in warnings]
    if keep is not None:
        keep.append((themed, credits, sources, by_theme, escaped, lines))
    return "\n".join(lines).rstrip() + "\n"


class _Escaped(dict[str, str]):
    """Texts as :func:`_md` escapes them, each escaped when first asked for."""

    def __missing__(self, text: str) -> str:
        shown = self[text] = _md(text)
        return shown


_Row = tuple[str, str, Citation]
"""A citation as a claim lists it: the key of the work cited ("" for none), the citation's
IRI, the citation."""


def _citations_by_claim(
    data: ReviewData, tags: Mapping[str, list[tuple[str, str]]]
) -> dict[str, list[_Row]]:
    """The citations of each claim tagged with a theme, by claim IRI, as claims-for-theme
    orders them: by the key of the work cited, then by IRI."""
    works = data.by_iri
    made: dict[str, list[_Row]] = defaultdict(list)
    for c in data.citations:
        if c.claim in tags:
            work = works.get(c.work)
            made[c.claim].append((work.key if work else "", c.citation, c))
    for rows in made.values():
        rows.sort(key=itemgetter(0, 1))
    return made


_Credit = tuple[str, str, str, str, str]
"""An author credited under a theme: the theme's label and IRI, the stance, the author's name
and IRI."""


def _count_credits(
    made: Mapping[str, list[_Row]],
    tags: Mapping[str, list[tuple[str, str]]],
    authors: Mapping[str, list[Author]],
) -> dict[_Credit, int]:
    """The authors the claims of ``made`` credit through the works they cite, under each of
    their themes, and on how many claims each (as authors-by-theme counts them)."""
    counts: dict[_Credit, int] = {}
    get = counts.get
    for claim, rows in made.items():
        credited = {(c.stance, a.name, a.iri) for _, _, c in rows for a in authors.get(c.work, ())}
        for iri, theme in set(tags[claim]):
            for stance, name, author in credited:
                credit = (theme, iri, stance, name, author)
                counts[credit] = get(credit, 0) + 1
    return counts


def _count_authors(credits: Mapping[_Credit, int]) -> dict[str, dict[str, dict[str, int]]]:
    """Who supports, disputes or mentions each theme, on how many claims (``credits``): by
    theme label, stance, then author name, names in order. Where two themes or two authors
    share a name, the name keeps the smallest count."""
    named: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    # The smallest count of a shared name, taken as met (120,000 credits at 10,000 works,
    # not sorted by count first).
    for (theme, _, stance, name, _), n in credits.items():
        names = named[theme][stance]
        if n < names.get(name, n + 1):
            names[name] = n
    return {
        theme: {stance: dict(sorted(names.items())) for stance, names in stances.items()}
        for theme, stances in named.items()
    }


class _Quote(NamedTuple):
    """A claim as the summary quotes it: where it sorts (place in the text, first work cited,
    IRI), its sentence and citations, escaped, and the works they name. A named tuple, quick
    to make: there is one for each claim."""

    order: tuple[int, str, str]
    sentence: str
    cites: list[str]
    origin: str
    sources: frozenset[str]

    def block(self, times: int, guess: bool = False) -> str:
        """The quote under a theme; a claim with ``times`` themes of that label lists each
        citation ``times`` times, as claims-for-theme's rows (one per theme) do; ``guess``:
        the theme is a guess (:data:`GUESS_MARK`)."""
        cites = self.cites if times == 1 else [cite for cite in self.cites for _ in range(times)]
        mark = GUESS_MARK if guess else ""
        return f"> {self.sentence}\n>\n> — {'; '.join(cites)}{self.origin}{mark}\n"


def _quote_claims(
    made: Mapping[str, list[_Row]],
    texts: Mapping[str, ClaimText],
    labels: Mapping[str, str],
    md: Callable[[str], str],
) -> dict[str, _Quote]:
    """Each claim with a sentence, quoted, by claim IRI."""
    quotes = {}
    for claim, rows in made.items():
        said = texts.get(claim)
        if said is not None:
            quotes[claim] = _Quote(
                (said.start, rows[0][0], claim),
                md(said.text),
                [_citation(key, citation, labels, md) for key, _, citation in rows],
                " *(curated)*" if said.origin == "curated" else "",
                frozenset([labels.get(key) or key or citation.work for key, _, citation in rows]),
            )
    return quotes


def _unresolved_lines(rows: Sequence[dict[str, str]]) -> list[str]:
    """One line per work cited but missing from the bibliography: names, year, how often."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        grouped[(row["names"], row["year"])].append(row["mention"])
    lines = []
    for (names, year), mentions in sorted(grouped.items()):
        times = f", cited {len(mentions)} times" if len(mentions) > 1 else ""
        example = f"\u201c{_md(mentions[0])}\u201d"
        lines.append(f"- {_md(names)} ({_md(year)}){times}, e.g. written {example}")
    return lines


def _citation(
    key: str, citation: Citation, labels: Mapping[str, str], md: Callable[[str], str]
) -> str:
    """ "Giordano, Cernkovich and Rudolph (2002), p. 990 (citesAsEvidence)", escaped by ``md``."""
    label = labels.get(key) or key or citation.work
    locator = f", {citation.locator}" if citation.locator else ""
    stance = citation.characterisation.rsplit("/", 1)[-1]
    return f"{md(label)}{md(locator)} ({stance})"


CLUSTER_MEMBERS = 8
"""How many members of a cluster the summary names, the most central first."""
CLUSTERS_LISTED = 30
"""How many clusters of each network the summary lists, the largest first."""


def _cluster_lines(data: ReviewData, md: Callable[[str], str]) -> list[str]:
    """The clusters of the theme co-occurrence and co-citation networks
    (:mod:`kg.projections.clusters`), each named by its heads, with its most central
    members; the full membership is ``kg export -f clusters``."""
    lines = ["", "## Clusters", ""]
    lines.append(
        "Louvain clusters (seeded, so a rebuild finds the same): themes tagged together on "
        "claims, and works cited together in one claim. Most central first; every member: "
        "`kg export -f clusters --view themes` (or `--view co-citation`)."
    )
    for heading, noun, clustering in (
        ("Theme clusters", "theme", theme_clusters(data)),
        ("Co-citation clusters", "work", cocitation_clusters(data)),
    ):
        lines += ["", f"### {heading}", ""]
        lines += _clusters_listed(clustering, noun, md) or ["None."]
    return lines


def _clusters_listed(clustering: Clustering, noun: str, md: Callable[[str], str]) -> list[str]:
    labels = clustering.labels
    lines = []
    for cluster in clustering.clusters[:CLUSTERS_LISTED]:
        named = [md(labels.get(node, node)) for node in cluster.members[:CLUSTER_MEMBERS]]
        rest = len(cluster.members) - len(named)
        more = f" and {rest} more" if rest else ""
        count = f"{len(cluster.members)} {noun}s"
        lines.append(
            f"{cluster.number}. **{md(cluster.label)}** ({count}): {', '.join(named)}{more}"
        )
    smaller = clustering.clusters[CLUSTERS_LISTED:]
    if smaller:
        most = max(len(cluster.members) for cluster in smaller)
        lines += ["", f"And {len(smaller)} smaller clusters, of {most} {noun}s or fewer."]
    return lines
