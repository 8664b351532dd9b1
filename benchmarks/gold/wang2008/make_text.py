"""Make text.txt for the wang2008 gold from GROBID's TEI training file of Wang-paperAVE2008
(a CLEF 2008 Answer Validation Exercise paper, natural language processing).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text("Wang-paperAVE2008.training.fulltext.tei.xml", Path(__file__).resolve().parent)
