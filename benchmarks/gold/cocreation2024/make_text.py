"""Write text.txt from the GROBID training TEI of "The role of value co-creation in building
trust and reputation in the digital banking era" (grobid-trainer fulltext corpus, Apache-2.0):
the text in reading order, one line per ``<lb/>``, each ``<head>`` and ``<p>`` a block, blocks
separated by a blank line; ``<figure>`` elements (figures and tables) left out; XML entities
decoded by the parser. The one space the TEI puts after an ``<lb/>`` is dropped (the line break
stands for it). The only change to the words: inside ``<ref type="biblio">`` callouts, a
surname the annotators' text lowercased ("(thomke & hippel, 2002)") gets its first letter (of
each hyphenated part) capitalised; "et", "al.", "and", "p." and particles ("van", "de", "von")
are left as they are. Run: python make_text.py [path-to-tei] (default: ../shared's copy).

The text is not kept in the repository: the article's own licence is not stated where GROBID's
corpus got it, so it is read in place from ../shared, as the brief asks of every corpus."""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[3] / "shared" / "corpora" / "grobid-callouts" / "corpus_tei"
TEI = (
    CORPUS / "The.role.of.value.co-creation.in.building.trust.and.reputation.in.the.digital.banking"
    ".era-1.training.fulltext.tei.xml"
)
KEEP = {"et", "al", "and", "p", "van", "de", "von", "der", "den", "da", "di", "du", "la", "le"}
WORD = re.compile(r"(?<![\w.])[^\W\d_]+", re.UNICODE)


def _capitalise(callout: str) -> str:
    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in KEEP or not word[0].islower():
            return word
        return word[0].upper() + word[1:]

    return WORD.sub(fix, callout)


def _flatten(element: ET.Element, biblio: bool = False) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
            tail = child.tail or ""
            parts.append(tail[1:] if tail.startswith(" ") else tail)
            continue
        inner = _flatten(child, biblio or child.attrib.get("type") == "biblio")
        parts.append(inner)
        parts.append(child.tail or "")
    text = "".join(parts)
    if biblio and element.attrib.get("type") == "biblio":
        text = _capitalise(text)
    return text


def main() -> None:
    tei = Path(sys.argv[1]) if len(sys.argv) > 1 else TEI
    if not tei.is_file():
        sys.exit(f"make_text.py: {tei} is absent (../shared is not beside this clone)")
    body = ET.parse(tei).getroot().find("text")
    assert body is not None
    blocks, left_out = [], 0
    for element in body:
        if element.tag == "figure":
            left_out += 1
            continue
        blocks.append(_flatten(element).strip("\n"))
    partial = HERE / f"text.{os.getpid()}.part"
    partial.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    partial.replace(HERE / "text.txt")
    print(f"{len(blocks)} blocks written, {left_out} figures and tables left out", file=sys.stderr)


if __name__ == "__main__":
    main()
