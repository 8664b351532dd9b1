"""Make text.txt for the bionlp2009 gold from GROBID's TEI training file of W09-1401
(the overview of the BioNLP'09 Shared Task on Event Extraction, an ACL workshop paper).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text("W09-1401.training.fulltext.tei.xml", Path(__file__).resolve().parent)
