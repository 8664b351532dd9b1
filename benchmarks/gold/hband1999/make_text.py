"""Make text.txt for the hband1999 gold from GROBID's TEI training file of 9911409
(H-band surface photometry of 558 galaxies in the Coma Supercluster and the Virgo cluster).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text("9911409.training.fulltext.tei.xml", Path(__file__).resolve().parent)
