"""Make text.txt for the guzman2023 gold from GROBID's TEI training file of Guzmán Ramírez et
al. (2023), Chem Biol Drug Des: N-aminophthalimides derived from alpha-amino acids, their
synthesis, X-ray structures, docking on HDAC8 and HDAC8 inhibition (medicinal chemistry;
title and first author as the file name gives them).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

TEI = (
    "Chem Biol Drug Des - 2023 - Guzm\u00e1n\u00a0Ram\u00edrez - Synthesis of"
    " N\u2010aminophalimides derived from  \u2010amino acids  Theoretical"
    " study.training.fulltext.tei.xml"
)

if __name__ == "__main__":
    make_text(TEI, Path(__file__).resolve().parent)
