"""Make text.txt for the y051024 gold from GROBID's TEI training file Y05-1024
(a telephone-based voice query retrieval system in Japanese for searching a cellular
phone's user's manual: speech recognition, then text retrieval; natural language processing,
as we take it PACLIC 19 (2005), ACL Anthology Y05-1024, unchecked; no title or authors in the TEI).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text("Y05-1024.training.fulltext.tei.xml", Path(__file__).resolve().parent)
