"""Make text.txt for the briere2003 gold from GROBID's TEI training file of
Briere_Plant_Cell_Physiol_2003 (a Plant Cell Physiol. 2003 article on plant LIM proteins).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file.

The text is not kept in the repository: the article's own licence is not stated where GROBID's
corpus got it, so it is read in place from ../shared, as the brief asks of every corpus.

Reading order as the TEI gives it: one line per <lb/>, each <head> on its own line, a blank
line between paragraphs (<p>, <item>, <head>), <figure>, <formula> and <table> left out (their
tail text kept), XML entities decoded by the parser. Leading and trailing blanks of each line
are dropped (the TEI puts a space after every <lb/>); nothing else is changed (hyphenation
such as "ex-" / "treme" stays, as kg meets it in pdftotext output).
"""

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TEI = (
    Path(__file__).resolve().parents[4]
    / "shared/corpora/grobid-callouts/corpus_tei"
    / "Briere_Plant_Cell_Physiol_2003.training.fulltext.tei.xml"
)
LEFT_OUT = ("figure", "formula", "table")


def flatten(element: ET.Element, out: list[str], dropped: dict[str, int]) -> None:
    """Append element's text to out, a newline for every <lb/>, skipping LEFT_OUT subtrees."""
    if element.tag == "lb":
        out.append("\n")
    elif element.tag in LEFT_OUT:
        dropped[element.tag] = dropped.get(element.tag, 0) + 1
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
    counts = ", ".join(f"{n} {t}" for t, n in sorted(dropped.items()))
    print(f"left out: {counts or 'nothing (no figure, formula or table)'}", file=sys.stderr)


if __name__ == "__main__":
    main()
