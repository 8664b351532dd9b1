"""Themes: a SKOS concept scheme read with rdflib into records, and text normalised as a
reader sees it. Tagging claims with the themes is :mod:`kg.load.tagging`.

A theme with no label is left out and reported, as are duplicate labels and empty
definitions (``ThemeScheme.problems``): a scheme written by hand should not stop a build.

>>> scheme = load_themes("ontology/themes.ttl")  # doctest: +SKIP
>>> scheme.by_ident()["hope"].label  # doctest: +SKIP
'Hope'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from kg.errors import InputError

__all__ = ["SchemeProblem", "Theme", "ThemeScheme", "load_themes", "normalise_text"]

SOFT_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")
KEEP_HYPHEN = {"ex", "non", "self", "co", "pro", "anti", "well", "long", "short", "post", "pre"}


@dataclass(frozen=True)
class Theme:
    """One ``skos:Concept`` of the scheme."""

    iri: str
    ident: str
    label: str
    definition: str
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...] = ()
    scope_note: str = ""
    related_labels: tuple[str, ...] = ()
    """The labels of its broader and narrower themes, which tagging weighs lightly."""


@dataclass(frozen=True)
class SchemeProblem:
    """Something wrong with a theme of the scheme, at its line; the build goes on without it
    (no label) or with it as it is (a duplicate label, no definition)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: {self.message}"
            if self.line
            else f"{self.path}: {self.message}"
        )


@dataclass(frozen=True)
class ThemeScheme:
    """The concept scheme: its IRI, its title and its themes (sorted by id)."""

    iri: str
    title: str
    themes: tuple[Theme, ...]
    problems: tuple[SchemeProblem, ...] = ()

    def by_ident(self) -> dict[str, Theme]:
        """Themes indexed by their id (the last segment of the IRI)."""
        return {theme.ident: theme for theme in self.themes}


def load_themes(path: str | Path) -> ThemeScheme:
    """Read a SKOS Turtle file; a missing file or bad Turtle raises ``InputError``."""
    path = Path(path)
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(f"{path}: themes file not found") from None
    except Exception as error:  # rdflib raises many kinds; all mean "not valid Turtle"
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"{path}: not valid Turtle ({first})") from None
    schemes = sorted(str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme))
    if not schemes:
        raise InputError(f"{path}: no skos:ConceptScheme; declare one and put the themes in it")
    scheme = URIRef(schemes[0])
    lines = _concept_lines(path, graph)
    problems: list[SchemeProblem] = []
    themes = []
    seen: dict[str, str] = {}
    concepts = sorted(set(graph.subjects(RDF.type, SKOS.Concept)), key=str)
    labels = {c: graph.value(c, SKOS.prefLabel) for c in concepts}
    broaders = {c: sorted(graph.objects(c, SKOS.broader), key=str) for c in concepts}
    narrowers: dict[Node, list[Node]] = {}
    for concept in concepts:
        for broader in broaders[concept]:
            narrowers.setdefault(broader, []).append(concept)
    for concept in concepts:
        label = labels[concept]
        line = lines.get(str(concept), 0)
        ident = _ident(str(concept))
        if label is None or not str(label).strip():
            problems.append(
                SchemeProblem(
                    str(path),
                    line,
                    f"theme {ident!r} has no skos:prefLabel: give it one (left out until then)",
                )
            )
            continue
        definition = str(graph.value(concept, SKOS.definition) or "").strip()
        if not definition:
            problems.append(
                SchemeProblem(
                    str(path),
                    line,
                    f"theme {ident!r} has no skos:definition: a one-line definition lets kg tag"
                    " claims that do not use its label",
                )
            )
        folded = " ".join(str(label).lower().split())
        if folded in seen:
            problems.append(
                SchemeProblem(
                    str(path),
                    line,
                    f"theme {ident!r} has the same label as {seen[folded]!r} ({str(label)!r}):"
                    " rename one, or merge them",
                )
            )
        seen.setdefault(folded, ident)
        above = broaders[concept]
        related = sorted(
            str(labels[c]) for c in [*above, *narrowers.get(concept, [])] if labels.get(c)
        )
        themes.append(
            Theme(
                iri=str(concept),
                ident=ident,
                label=str(label),
                definition=definition,
                alt_labels=tuple(sorted(str(a) for a in graph.objects(concept, SKOS.altLabel))),
                broader=tuple(sorted(_ident(str(b)) for b in above)),
                scope_note=" ".join(sorted(str(n) for n in graph.objects(concept, SKOS.scopeNote))),
                related_labels=tuple(related),
            )
        )  # fmt: skip
    if not themes:
        raise InputError(f"{path}: the scheme has no skos:Concept with a skos:prefLabel")
    title = graph.value(scheme, SKOS.prefLabel) or graph.value(
        scheme, URIRef("http://purl.org/dc/terms/title")
    )
    return ThemeScheme(str(scheme), str(title or schemes[0]), tuple(themes), tuple(problems))


def _concept_lines(path: Path, graph: Graph) -> dict[str, int]:
    """The line on which each concept's description starts, found by its prefixed or full
    name at the start of a line (rdflib keeps no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    prefixes = [(p, str(ns)) for p, ns in graph.namespaces() if p]
    names: dict[str, str] = {}
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        iri = str(concept)
        names[f"<{iri}>"] = iri
        for prefix, namespace in prefixes:
            if iri.startswith(namespace):
                names[f"{prefix}:{iri[len(namespace) :]}"] = iri
    found: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        head = line.split(None, 1)[0] if line.strip() else ""
        if head in names and names[head] not in found:
            found[names[head]] = number
    return found


def _ident(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def normalise_text(text: str) -> str:
    """Text as a reader sees it: hyphenated line breaks joined, whitespace collapsed.

    "sub-\\nstance" becomes "substance"; "ex-\\noffenders" keeps its hyphen because "ex" is
    a prefix that is hyphenated anyway.
    """

    def join(match: re.Match[str]) -> str:
        start = match.start()
        word_start = start
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        prefix = text[word_start : start + 1].lower()
        hyphen = "-" if prefix in KEEP_HYPHEN or match.group(2).isupper() else ""
        return f"{match.group(1)}{hyphen}{match.group(2)}"

    joined = SOFT_HYPHEN_BREAK.sub(join, text) if "-\n" in text else text
    return " ".join(joined.split())
