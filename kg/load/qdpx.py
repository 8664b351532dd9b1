"""Coded text from a QDA project (REFI-QDA ``.qdpx``), read as examples for the theme tagger.

A researcher who coded documents in NVivo, ATLAS.ti, MAXQDA or QualCoder can export the
project as REFI-QDA: a zip holding ``project.qde`` (XML, namespace
``urn:QDA-XML:project:1.0``) and the sources' plain text under ``Sources/``. In the XML each
``<TextSource plainTextPath="internal://NAME.txt">`` holds ``<PlainTextSelection
startPosition="..." endPosition="...">`` segments, each with ``<Coding><CodeRef
targetGUID="..."/></Coding>`` naming a ``<Code>`` of the ``<CodeBook>``. Positions count
characters (Unicode code points) of the plain text, the end exclusive, as QualCoder writes them.

Each coded segment becomes an example for the tagger, read in its source's text as a claim of
that text is read (:func:`kg.load.claims.read_examples`: widened to its sentences, citations
out, the words around it and its heading), so that it teaches as the same sentence curated in
``claims.yaml`` does (:func:`kg.load.claims.apply_curation`): its words teach the themes its
codes map to, by the code's GUID (in a codebook kg exported, a UUID 5 of the theme's IRI, as
``kg.outputs.qda.code_guid`` makes it), else its name against the theme's id, label or
altLabels. A code that maps to
no theme is reported once and its segments teach nothing.

>>> segments = read_coded_segments("project.qdpx")  # doctest: +SKIP
>>> segments[0].codes  # doctest: +SKIP
('Social learning',)
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from kg.errors import InputError
from kg.load.claims import CuratedClaim, read_examples
from kg.load.themes import Theme

__all__ = ["CodedSegment", "qda_examples", "read_coded_segments"]

NAMESPACE = "urn:QDA-XML:project:1.0"
_NS = {"q": NAMESPACE}
INTERNAL = "internal://"


@dataclass(frozen=True)
class CodedSegment:
    """A stretch of a source's text and the names and GUIDs of the codes given to it; where
    it is in the source's whole text (``whole``), characters ``start`` to ``end``."""

    source: str
    text: str
    codes: tuple[str, ...]
    guids: tuple[str, ...]
    start: int = 0
    end: int = 0
    whole: str = field(default="", repr=False, compare=False)


def read_coded_segments(path: str | Path) -> tuple[CodedSegment, ...]:
    """Every coded text segment of the REFI-QDA project ``path`` (``.qdpx``), in the order
    of its sources and selections. Raises ``InputError`` naming the file for a file that is
    not such a project."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            names = {name.lower(): name for name in archive.namelist()}
            project = names.get("project.qde")
            if project is None:
                raise InputError(f"{path}: no project.qde inside; export the project as REFI-QDA")
            root = ET.fromstring(archive.read(project))
            files = {name: archive.read(real) for name, real in names.items()}
    except zipfile.BadZipFile as error:
        raise InputError(f"{path}: not a REFI-QDA project (.qdpx is a zip): {error}") from None
    except ET.ParseError as error:
        raise InputError(f"{path}: project.qde: {error}") from None
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None
    codes = {code.get("guid", ""): code.get("name", "") for code in root.iterfind(".//q:Code", _NS)}
    segments = []
    for source in root.iterfind(".//q:Sources/q:TextSource", _NS):
        name = source.get("name", "")
        text = _source_text(path, source, files)
        for selection in source.iterfind("q:PlainTextSelection", _NS):
            start, end = (
                _position(path, selection, "startPosition"),
                _position(path, selection, "endPosition"),
            )
            guids = tuple(
                ref.get("targetGUID", "") for ref in selection.iterfind("q:Coding/q:CodeRef", _NS)
            )
            if guids and 0 <= start < end <= len(text):
                segments.append(
                    CodedSegment(name, text[start:end], tuple(codes.get(g, "") for g in guids),
                                 guids, start, end, text)
                )  # fmt: skip
    return tuple(segments)


def _source_text(path: Path, source: ET.Element, files: dict[str, bytes]) -> str:
    """A text source's plain text: inline (``<PlainTextContent>``) or its file in the zip."""
    inline = source.find("q:PlainTextContent", _NS)
    if inline is not None:
        return inline.text or ""
    where = source.get("plainTextPath", "")
    name = where.removeprefix(INTERNAL).lstrip("/").lower()
    data = files.get(f"sources/{name}", files.get(name))
    if data is None:
        raise InputError(f"{path}: source {source.get('name', '')!r}: {where} is not in the file")
    return data.decode("utf-8-sig").replace("\r\n", "\n")


def _position(path: Path, selection: ET.Element, name: str) -> int:
    value = selection.get(name, "")
    try:
        return int(value)
    except ValueError:
        guid = selection.get("guid", "")
        raise InputError(f"{path}: selection {guid}: {name} {value!r} is not a number") from None


def qda_examples(path: str | Path, themes: Sequence[Theme]) -> tuple[list[CuratedClaim], list[str]]:
    """The coded segments of ``path`` as curated examples (tagging words only: they match no
    text of the review), with their codes mapped to theme ids; and one warning per code no
    theme has."""
    path = Path(path)
    by_guid = {str(uuid.uuid5(uuid.NAMESPACE_URL, t.iri)): t.ident for t in themes}
    by_word: dict[str, str] = {}
    for theme in reversed(themes):
        for word in (*theme.alt_labels, theme.label, theme.ident):
            by_word[word.casefold()] = theme.ident
    coded: list[tuple[CodedSegment, list[str]]] = []
    unknown: dict[str, None] = {}
    for segment in read_coded_segments(path):
        idents: list[str] = []
        for name, guid in zip(segment.codes, segment.guids, strict=True):
            ident = by_guid.get(guid) or by_word.get(name.strip().casefold())
            if ident is None:
                unknown.setdefault(name or guid, None)
            elif ident not in idents:
                idents.append(ident)
        if idents:
            coded.append((segment, idents))
    examples = []
    for _, group in groupby(coded, key=lambda pair: pair[0].source):
        pairs = list(group)
        read = read_examples(
            pairs[0][0].whole, [(s.start, s.end, i) for s, i in pairs], pairs[0][0].source
        )
        examples += [
            CuratedClaim(f"{path.name}:{segment.source}", example.sentence, 0,
                         themes=example.themes, path=str(path), reading=example)
            for (segment, _), example in zip(pairs, read, strict=True)
        ]  # fmt: skip
    warnings = [
        f"{path}: code {name!r} is no theme's id, label or altLabel; its segments teach nothing"
        for name in unknown
    ]
    return examples, warnings
