"""Make text.txt for the agri2024 gold from GROBID's TEI training file of 23311932.2024.2374940
(an agronomy and animal-feed article on white lupin grain varieties in the Ethiopian highlands;
the TEI names no title or authors).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file.

The text is not kept in the repository: the article's own licence is not stated where GROBID's
corpus got it, so it is read in place from ../shared, as the brief asks of every corpus.

Reading order as the TEI gives it: one line per <lb/>, each <head> on its own line, a blank
line between blocks (<p>, <list>, <head>), <figure>, <formula> and <table> left out (their
tail text kept), XML entities decoded by the parser. Leading and trailing blanks of each line
are dropped (the TEI puts a space after every <lb/>); hyphenation such as "expen-" / "sive"
stays, as kg meets it in pdftotext output.

The one change to the words, as cocreation2024's script makes it: the annotators' text lowers
many capitals ("(alemu, 2016)", "Shimels & tizazu"), and inside ``<ref type="biblio">``
callouts only, each name word gets its first letter capitalised; "et", "al.", "and", "p." and
particles ("van", "de", "von") are left as they are. Three organisations' acronyms whose
capitals were lowered in the same way are written whole (ACRONYMS: "aoaC" is AOAC, "Fao" FAO,
"WVe" WVE). Sentence starts and callouts the annotators did not mark keep their lowercase.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TEI = (
    Path(__file__).resolve().parents[4]
    / "shared/corpora/grobid-callouts/corpus_tei"
    / "23311932.2024.2374940_training.training.fulltext.tei.xml"
)
LEFT_OUT = ("figure", "formula", "table")
KEEP = {"et", "al", "and", "p", "van", "de", "von", "der", "den", "da", "di", "du", "la", "le"}
ACRONYMS = {"aoaC": "AOAC", "Fao": "FAO", "WVe": "WVE"}
WORD = re.compile(r"(?<![\w.])[^\W\d_]+", re.UNICODE)


def capitalise(callout: str) -> str:
    """The callout with each name word's first letter capitalised (and the ACRONYMS whole)."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in ACRONYMS:
            return ACRONYMS[word]
        if word in KEEP or not word[0].islower():
            return word
        return word[0].upper() + word[1:]

    return WORD.sub(fix, callout)


def flatten(element: ET.Element, out: list[str], dropped: dict[str, int]) -> None:
    """Append element's text to out, a newline for every <lb/>, skipping LEFT_OUT subtrees."""
    if element.tag == "lb":
        out.append("\n")
    elif element.tag in LEFT_OUT:
        dropped[element.tag] = dropped.get(element.tag, 0) + 1
    elif element.tag == "ref" and element.attrib.get("type") == "biblio":
        inner: list[str] = [element.text or ""]
        for child in element:
            flatten(child, inner, dropped)
            inner.append(child.tail or "")
        out.append(capitalise("".join(inner)))
    else:
        out.append(element.text or "")
        for child in element:
            flatten(child, out, dropped)
            out.append(child.tail or "")


def blocks(root: ET.Element, dropped: dict[str, int]) -> list[str]:
    text = root.find("text")
    assert text is not None
    found = []
    for block in text:
        if block.tag in LEFT_OUT:
            dropped[block.tag] = dropped.get(block.tag, 0) + 1
            continue
        out: list[str] = []
        flatten(block, out, dropped)
        lines = [line.strip() for line in "".join(out).split("\n")]
        body = "\n".join(line for line in lines if line)
        if body:
            found.append(body)
    return found


def main() -> None:
    tei = Path(sys.argv[1]) if len(sys.argv) > 1 else TEI
    if not tei.is_file():
        sys.exit(f"make_text.py: {tei} is absent (../shared is not beside this clone)")
    dropped: dict[str, int] = {}
    text = "\n\n".join(blocks(ET.parse(tei).getroot(), dropped)) + "\n"
    written = Path(__file__).resolve().parent / "text.txt"
    partial = written.with_suffix(f".{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(written)
    print("left out: " + ", ".join(f"{n} {t}" for t, n in sorted(dropped.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
