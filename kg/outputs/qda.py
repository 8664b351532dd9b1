"""Themes as a REFI-QDA codebook (``.qdc``), the exchange format of NVivo, ATLAS.ti and MAXQDA.

A researcher's coding scheme moves both ways between kg and their qualitative analysis tool:

* ``export_codebook`` writes the SKOS themes as ``<CodeBook>`` XML (namespace
  ``urn:QDA-XML:codebook:1.0``): one ``<Code>`` per ``skos:Concept``, named by its
  ``skos:prefLabel``, described by its ``skos:definition``, nested under its
  ``skos:broader`` concept. Each code's GUID is a UUID 5 of the concept's IRI, so exporting
  twice gives the same file and a tool that keeps GUIDs lets ``import_codebook`` map each
  code back to its theme id.
* ``import_codebook`` reads a ``.qdc`` (from kg or any tool) into a SKOS Turtle scheme:
  prefLabel from the name, definition from the description, broader from the nesting.

The codebook format has no place for SKOS altLabels, the words that tag claims with a
theme. kg keeps them in the description's last line, ``Tagging words: a; b; c``, which the
researcher can read and edit in their tool and which ``import_codebook`` turns back into
altLabels; a code without that line is tagged by its own name. A concept with two broader
concepts is nested under the first (by id): a codebook is a tree.

``kg/outputs/schemas/Codebook.xsd`` is the standard's schema; the tests validate exports with it.

>>> xml = export_codebook(load_themes("ontology/themes.ttl"))  # doctest: +SKIP
>>> turtle = import_codebook("codebook.qdc", base="https://example.org/themes/")  # doctest: +SKIP
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from kg.errors import InputError
from kg.iris import slug
from kg.load.themes import Theme, ThemeScheme
from kg.namespaces import DCTERMS, RDF, SKOS

__all__ = [
    "NAMESPACE",
    "Code",
    "code_guid",
    "export_codebook",
    "import_codebook",
    "read_codebook",
    "schema_path",
]

NAMESPACE = "urn:QDA-XML:codebook:1.0"
TAGGING = "Tagging words:"


@dataclass(frozen=True)
class Code:
    """One code of a codebook, with the codes nested in it."""

    guid: str
    name: str
    description: str = ""
    children: tuple[Code, ...] = ()


def schema_path() -> Traversable:
    """The REFI-QDA ``Codebook.xsd`` shipped with kg."""
    return resources.files("kg.outputs") / "schemas" / "Codebook.xsd"


def code_guid(iri: str) -> str:
    """The GUID of the code for the concept ``iri``: the same IRI always gives the same GUID."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def export_codebook(scheme: ThemeScheme, *, origin: str = "kg") -> bytes:
    """The themes of ``scheme`` as a REFI-QDA codebook, UTF-8 XML, codes sorted by name."""
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}CodeBook", {"origin": origin})
    codes = ET.SubElement(root, f"{{{NAMESPACE}}}Codes")
    for code in _tree(scheme.themes):
        _code_element(codes, code)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def _tree(themes: Sequence[Theme]) -> list[Code]:
    by_ident = {theme.ident: theme for theme in themes}
    children: dict[str, list[Theme]] = {}
    roots = []
    for theme in themes:
        parents = [b for b in theme.broader if b in by_ident and b != theme.ident]
        if parents:
            children.setdefault(parents[0], []).append(theme)
        else:
            roots.append(theme)
    placed: set[str] = set()

    def build(theme: Theme) -> Code:
        placed.add(theme.ident)
        nested = [
            build(t) for t in _ordered(children.get(theme.ident, [])) if t.ident not in placed
        ]
        return Code(code_guid(theme.iri), theme.label, _description(theme), tuple(nested))

    tree = [build(theme) for theme in _ordered(roots)]
    # concepts whose broader chain loops back on itself are reachable from no root
    tree.extend(build(theme) for theme in _ordered(themes) if theme.ident not in placed)
    return tree


def _ordered(themes: Sequence[Theme]) -> list[Theme]:
    return sorted(themes, key=lambda t: (t.label.casefold(), t.iri))


def _description(theme: Theme) -> str:
    words = [a for a in theme.alt_labels if a]
    if words == [theme.label.lower()] or not words:
        return theme.definition
    tagging = f"{TAGGING} {'; '.join(words)}"
    return f"{theme.definition}\n\n{tagging}" if theme.definition else tagging


def _code_element(parent: ET.Element, code: Code) -> None:
    element = ET.SubElement(
        parent,
        f"{{{NAMESPACE}}}Code",
        {"guid": code.guid, "name": code.name, "isCodable": "true"},
    )
    if code.description:
        ET.SubElement(element, f"{{{NAMESPACE}}}Description").text = code.description
    for child in code.children:
        _code_element(element, child)


def read_codebook(path: str | Path) -> list[Code]:
    """The codes of a ``.qdc`` file, nested as in the file.

    Element names are matched without their namespace, because tools have written
    codebooks with a misspelt one; a file that is not a codebook raises ``InputError``.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise InputError(f"{path}: codebook not found") from None
    except ET.ParseError as error:
        line, column = error.position
        raise InputError(f"{path}:{line}:{column}: not well-formed XML") from None
    if _local(root.tag) != "CodeBook":
        raise InputError(f"{path}: the root element is <{_local(root.tag)}>, not <CodeBook>")
    codes = [child for child in root if _local(child.tag) == "Codes"]
    if not codes:
        raise InputError(f"{path}: <CodeBook> has no <Codes>")
    return [_code(path, element, ()) for element in codes[0] if _local(element.tag) == "Code"]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _code(path: Path, element: ET.Element, trail: tuple[str, ...]) -> Code:
    name = (element.get("name") or "").strip()
    where = " > ".join((*trail, name or "?"))
    if not name:
        raise InputError(f"{path}: a <Code> under {' > '.join(trail) or 'Codes'} has no name")
    guid = (element.get("guid") or "").strip().strip("{}").lower()
    try:
        guid = str(uuid.UUID(guid))
    except ValueError:
        raise InputError(f"{path}: code {where!r} has no valid guid ({guid!r})") from None
    description = ""
    children = []
    for child in element:
        if _local(child.tag) == "Description":
            description = (child.text or "").strip()
        elif _local(child.tag) == "Code":
            children.append(_code(path, child, (*trail, name)))
    return Code(guid, name, description, tuple(children))


def import_codebook(
    path: str | Path,
    *,
    base: str | None = None,
    previous: ThemeScheme | None = None,
    title: str | None = None,
) -> bytes:
    """A ``.qdc`` codebook as a SKOS concept scheme in Turtle.

    A code whose GUID is that of a concept of ``previous`` (the scheme it was exported
    from) keeps that concept's IRI, so theme ids in curated claims and queries still hold;
    other codes get ``base`` + a slug of their name (``base`` defaults to the namespace of
    ``previous``, else to one made from the file name).
    """
    path = Path(path)
    codes = read_codebook(path)
    known = {code_guid(t.iri): t.iri for t in previous.themes} if previous else {}
    if base is None:
        base = (
            _namespace(previous.iri)
            if previous
            else f"https://w3id.org/kg/themes/{slug(path.stem)}/"
        )
    scheme = NamedNode(previous.iri if previous else f"{base}scheme")
    title = title or (previous.title if previous else path.stem)
    triples = [
        Triple(scheme, _n(RDF.type), _n(SKOS.ConceptScheme)),
        Triple(scheme, _n(DCTERMS.title), Literal(title)),
    ]
    used: set[str] = set(known.values())
    for code, parent in _walk(codes, None):
        iri = known.get(code.guid) or _fresh(base, code.name, used)
        used.add(iri)
        known[code.guid] = iri
        concept = NamedNode(iri)
        definition, words = _split_description(code)
        triples += [
            Triple(concept, _n(RDF.type), _n(SKOS.Concept)),
            Triple(concept, _n(SKOS.inScheme), scheme),
            Triple(concept, _n(SKOS.prefLabel), Literal(code.name)),
        ]
        triples += [Triple(concept, _n(SKOS.altLabel), Literal(word)) for word in words]
        if definition:
            triples.append(Triple(concept, _n(SKOS.definition), Literal(definition)))
        if parent is None:
            triples.append(Triple(concept, _n(SKOS.topConceptOf), scheme))
            triples.append(Triple(scheme, _n(SKOS.hasTopConcept), concept))
        else:
            triples.append(Triple(concept, _n(SKOS.broader), NamedNode(known[parent.guid])))
    prefixes = {"skos": str(SKOS), "dcterms": str(DCTERMS), "theme": base}
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    body: bytes = serialize(ordered, format=RdfFormat.TURTLE, prefixes=prefixes)  # type: ignore[assignment]
    header = f"# Themes imported by `kg themes import` from the REFI-QDA codebook {path.name}.\n"
    return header.encode() + body


def _n(iri: str) -> NamedNode:
    return NamedNode(str(iri))


def _walk(codes: Sequence[Code], parent: Code | None) -> Iterator[tuple[Code, Code | None]]:
    for code in codes:
        yield code, parent
        yield from _walk(code.children, code)


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return iri[: cut + 1]


def _fresh(base: str, name: str, used: set[str]) -> str:
    stem = f"{base}{slug(name) or 'theme'}"
    iri, number = stem, 1
    while iri in used:
        number += 1
        iri = f"{stem}-{number}"
    return iri


def _split_description(code: Code) -> tuple[str, list[str]]:
    """The definition, and the tagging words (the code's name in lower case if none)."""
    text = code.description.strip()
    lines = text.splitlines()
    if lines and lines[-1].strip().startswith(TAGGING):
        words = [w.strip() for w in lines[-1].strip()[len(TAGGING) :].split(";") if w.strip()]
        return "\n".join(lines[:-1]).strip(), words
    return text, [code.name.lower()]
