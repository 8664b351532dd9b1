"""Make text.txt for the briere2003 gold from GROBID's TEI training file of
Briere_Plant_Cell_Physiol_2003 (a Plant Cell Physiol. 2003 article on plant LIM proteins).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

if __name__ == "__main__":
    make_text(
        "Briere_Plant_Cell_Physiol_2003.training.fulltext.tei.xml", Path(__file__).resolve().parent
    )
