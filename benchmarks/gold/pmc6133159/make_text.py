"""Make text.txt for the pmc6133159 gold from GROBID's TEI training file PMC6133159
(1,2,3-triazoles of 3-acetylbetulin and betulone by the copper-catalysed azide-alkyne
cycloaddition, their anticancer activity on three human cancer cell lines and their
lipophilicity; medicinal chemistry; no title or authors in the TEI).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text("PMC6133159.training.fulltext.tei.xml", Path(__file__).resolve().parent)
