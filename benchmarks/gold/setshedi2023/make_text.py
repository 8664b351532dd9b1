"""Make text.txt for the setshedi2023 gold from GROBID's TEI training file of Setshedi et al.
(2023), Chem Biol Drug Des: 2-aroyl quinazolinones, their synthesis and in vitro activity
against the parasites of Chagas disease, sleeping sickness and leishmaniasis (medicinal
chemistry with a public-health introduction; title and authors as the file name gives them).

Usage: python make_text.py [TEI]   (TEI defaults to ../shared's copy)
Writes text.txt beside this file, as ``../tei_text.py`` says.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tei_text import make_text

TEI = (
    "Chem Biol Drug Des - 2023 - Setshedi - 2\u2010Aroyl quinazolinone  Synthesis and in vitro"
    " anti\u2010parasitic activity.training.fulltext.tei.xml"
)

if __name__ == "__main__":
    make_text(TEI, Path(__file__).resolve().parent)
