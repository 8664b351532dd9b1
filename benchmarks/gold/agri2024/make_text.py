"""Make text.txt for the agri2024 gold from GROBID's TEI training file of 23311932.2024.2374940
(an agronomy and animal-feed article on white lupin grain varieties in the Ethiopian highlands;
the TEI names no title or authors).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.

The one change to the words, as cocreation2024's script makes it: the annotators' text lowers
many capitals ("(alemu, 2016)", "Shimels & tizazu"), and inside ``<ref type="biblio">``
callouts only, each name word gets its first letter capitalised; "et", "al.", "and", "p." and
particles ("van", "de", "von") are left as they are. Three organisations' acronyms whose
capitals were lowered in the same way are written whole (ACRONYMS: "aoaC" is AOAC, "Fao" FAO,
"WVe" WVE). Sentence starts and callouts the annotators did not mark keep their lowercase.
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

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


if __name__ == "__main__":
    make_text(
        "23311932.2024.2374940_training.training.fulltext.tei.xml",
        Path(__file__).resolve().parent,
        capitalise,
    )
