"""text.txt for a gold made from one of GROBID's training TEI files in ``../shared``, as the
TEI golds' ``make_text.py`` write it (lofar2015, pmc8446315, agri2024, briere2003,
pmc4491109, wang2008, bionlp2009, hband1999,
bjc6603563, setshedi2023, guzman2023, pmc6133159, y051024).

The text is not kept in the repository: the article's own licence is not stated where GROBID's
corpus got it, so it is read in place from ../shared, as the brief asks of every corpus.

Reading order as the TEI gives it: one line per <lb/>, each <head> on its own line, a blank
line between blocks (<p>, <list>, <head>), <figure>, <formula> and <table> left out (their
tail text kept), XML entities decoded by the parser. Leading and trailing blanks of each line
are dropped (the TEI puts a space after every <lb/>); nothing else is changed unless the gold
says so (a ``callout`` mending of what ``<ref type="biblio">`` holds): hyphenation such as
"ex-" / "treme" stays, as kg meets it in pdftotext output.
"""

import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

CORPUS = (
    Path(__file__).resolve().parents[3] / "shared" / "corpora" / "grobid-callouts" / "corpus_tei"
)
LEFT_OUT = ("figure", "formula", "table")


def flatten(
    element: ET.Element,
    out: list[str],
    dropped: dict[str, int],
    callout: Callable[[str], str] | None = None,
) -> None:
    """Append element's text to out, a newline for every <lb/>, skipping LEFT_OUT subtrees;
    a biblio callout's text passed through ``callout`` when given."""
    if element.tag == "lb":
        out.append("\n")
    elif element.tag in LEFT_OUT:
        dropped[element.tag] = dropped.get(element.tag, 0) + 1
    elif callout and element.tag == "ref" and element.attrib.get("type") == "biblio":
        inner: list[str] = [element.text or ""]
        for child in element:
            flatten(child, inner, dropped, callout)
            inner.append(child.tail or "")
        out.append(callout("".join(inner)))
    else:
        out.append(element.text or "")
        for child in element:
            flatten(child, out, dropped, callout)
            out.append(child.tail or "")


def blocks(
    root: ET.Element, dropped: dict[str, int], callout: Callable[[str], str] | None = None
) -> list[str]:
    text = root.find("text")
    assert text is not None
    found = []
    for block in text:
        if block.tag in LEFT_OUT:
            dropped[block.tag] = dropped.get(block.tag, 0) + 1
            continue
        out: list[str] = []
        flatten(block, out, dropped, callout)
        lines = [line.strip() for line in "".join(out).split("\n")]
        body = "\n".join(line for line in lines if line)
        if body:
            found.append(body)
    return found


def make_text(tei_name: str, folder: Path, callout: Callable[[str], str] | None = None) -> None:
    """Write ``folder/text.txt`` from the TEI file ``tei_name`` of ../shared's corpus (or the
    path given as the script's argument), through a temporary file and a rename; exit with
    one line when the TEI is absent."""
    tei = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS / tei_name
    if not tei.is_file():
        sys.exit(f"make_text.py: {tei} is absent (../shared is not beside this clone)")
    dropped: dict[str, int] = {}
    text = "\n\n".join(blocks(ET.parse(tei).getroot(), dropped, callout)) + "\n"
    written = folder / "text.txt"
    partial = written.with_suffix(f".{os.getpid()}.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(written)
    counts = ", ".join(f"{n} {t}" for t, n in sorted(dropped.items()))
    print(f"left out: {counts or 'nothing (no figure, formula or table)'}", file=sys.stderr)
