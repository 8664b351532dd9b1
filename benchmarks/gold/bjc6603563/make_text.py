"""Make text.txt for the bjc6603563 gold from GROBID's TEI training file 6603563a
(array CGH of microdissected pancreatic ductal adenocarcinoma, FISH, ISH and RT-PCR;
a cancer genetics article, as we take it British Journal of Cancer's 6603563, unchecked).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text("6603563a.training.fulltext.tei.xml", Path(__file__).resolve().parent)
