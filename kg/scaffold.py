"""``kg init DIR``: lay out a new review that ``kg build`` can build at once.

The folder gets a commented ``kg.toml``, a ``references.bib`` with a few real works, a
draft in ``texts/`` that cites them author-date style, a starter SKOS theme scheme
(``themes.ttl``) whose words tag the draft's sentences, a ``claims.yaml`` with a commented
example correction, and a ``.gitignore`` for the build folder. The researcher then replaces
the examples with their own bibliography (exported from Zotero, JabRef or Mendeley), their
own text and their own themes.

>>> init_review(Path("my-review"))  # doctest: +SKIP
[PosixPath('my-review/.gitignore'), PosixPath('my-review/claims.yaml'), ...]
"""

from __future__ import annotations

import datetime
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from kg.config import DEFAULT_BASE
from kg.errors import InputError
from kg.iris import slug

__all__ = ["init_review"]

CONFIG = """\
# A kg review: what to read and where to write. Paths are relative to this file.
# Build it with `kg build` in this folder (or `kg build -c PATH/kg.toml` from anywhere).

# Shown on the map and in the summary.
title = {title}

# Every IRI kg mints for this review starts with this. Use an address you control if you
# publish the graph (a w3id.org redirect, your project's site); keep it stable.
base = {base}

# One or more BibTeX/BibLaTeX files, as your reference manager exports them. Better BibTeX
# citation keys are kept as they are. An entry whose `file` field points at a .txt or .md
# file next to the .bib (Zotero: `file = {{Full Text:files/12/smith.txt:text/plain}}`,
# JabRef: `file = {{:texts/smith.txt:Text}}`) has that file read as its full text, so its
# citations join the graph too; set texts_from_file_field = false to turn that off.
bibliography = ["references.bib"]
texts_from_file_field = true

# The themes of your analysis as a SKOS concept scheme; their labels tag the claims.
# `kg themes import codebook.qdc -o themes.ttl` makes one from an NVivo, ATLAS.ti or MAXQDA
# codebook; `kg themes export -o codebook.qdc` goes the other way.
themes = "themes.ttl"

# Your corrections to what kg extracts; they always win.
claims = "claims.yaml"

# Where the graph (graph.trig), the store, the map (map.html) and the summary are written.
output = "build"

# Each text you wrote (plain text, Markdown or PDF) and the
# bibliography key of the work it is. Add one [[texts]] table per text.
[[texts]]
path = "texts/draft.txt"
work = "{draft_key}"
"""

REFERENCES = """\
% The works your review cites, as exported from your reference manager (BibTeX or BibLaTeX).
% These entries are examples: replace them with your own. The last one is your own draft,
% the work that texts/draft.txt is the text of.

@book{{maruna2001making,
  author    = {{Maruna, Shadd}},
  title     = {{Making Good: How Ex-Convicts Reform and Rebuild Their Lives}},
  publisher = {{American Psychological Association}},
  address   = {{Washington, DC}},
  year      = {{2001}},
  doi       = {{10.1037/10430-000}}
}}

@book{{sampson1993crime,
  author    = {{Sampson, Robert J. and Laub, John H.}},
  title     = {{Crime in the Making: Pathways and Turning Points Through Life}},
  publisher = {{Harvard University Press}},
  address   = {{Cambridge, MA}},
  year      = {{1993}}
}}

@article{{braun2006using,
  author  = {{Braun, Virginia and Clarke, Victoria}},
  title   = {{Using thematic analysis in psychology}},
  journal = {{Qualitative Research in Psychology}},
  volume  = {{3}},
  number  = {{2}},
  pages   = {{77--101}},
  year    = {{2006}},
  doi     = {{10.1191/1478088706qp063oa}}
}}

@unpublished{{{draft_key},
  author = {{Researcher, A.}},
  title  = {{{title_text} (draft)}},
  year   = {{{year}}},
  note   = {{The review itself; its text is texts/draft.txt}}
}}
"""

DRAFT = """\
{title_text} (draft)

Desistance research asks how people who have offended come to stop offending. Maruna
(2001) found that people who desist tell a redemption script, a story in which a difficult
past leads to a better self. Others tie desistance to turning points in the life course,
such as stable work and marriage (Sampson and Laub, 1993).

This review reads the literature with thematic analysis (Braun and Clarke, 2006: 79),
coding each study for patterned meaning before grouping the codes into themes.
"""

THEMES = """\
# The themes of the review as a SKOS concept scheme. These are examples: replace them with
# your own. A claim (a sentence that cites a work) is tagged with the themes whose words it
# shares most: each theme's label, its skos:altLabel synonyms and its skos:definition (word
# endings and case do not matter; the sentences around it, its heading and the titles of the
# works it cites count a little). So give each theme a definition and the words that signal
# it; the claims you curate in claims.yaml teach kg your way of coding.
# skos:broader nests a theme under another; skos:definition is shown on the map.

@prefix theme: <{base}theme/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

theme:scheme a skos:ConceptScheme ;
    dcterms:title "Themes of {title_text}"@en ;
    skos:hasTopConcept theme:desistance , theme:method .

theme:desistance a skos:Concept ;
    skos:inScheme theme:scheme ;
    skos:topConceptOf theme:scheme ;
    skos:prefLabel "Desistance"@en ;
    skos:definition "How and why people who have offended stop offending."@en ;
    skos:altLabel "desistance"@en , "desist"@en , "stop offending"@en .

theme:identity-change a skos:Concept ;
    skos:inScheme theme:scheme ;
    skos:broader theme:desistance ;
    skos:prefLabel "Identity change"@en ;
    skos:definition "A new, prosocial sense of self that makes offending out of character."@en ;
    skos:altLabel "identity change"@en , "redemption script"@en , "better self"@en .

theme:turning-points a skos:Concept ;
    skos:inScheme theme:scheme ;
    skos:broader theme:desistance ;
    skos:prefLabel "Turning points"@en ;
    skos:definition "Life events, such as work or marriage, that turn a life away from crime."@en ;
    skos:altLabel "turning point"@en , "life course"@en .

theme:method a skos:Concept ;
    skos:inScheme theme:scheme ;
    skos:topConceptOf theme:scheme ;
    skos:prefLabel "Method"@en ;
    skos:definition "How the studies, and this review, analyse their material."@en ;
    skos:altLabel "method"@en , "thematic analysis"@en , "coding"@en .
"""

CLAIMS = """\
# Corrections to what `kg build` extracts; they always win. Each entry finds its sentence by
# `quote` (exact words of the sentence; line breaks and hyphenation do not matter), then sets
# the CiTO stance toward each cited work (cites, citesAsEvidence, supports, disputes,
# critiques) and, optionally, replaces the themes. For example:
#
# claims:
#   - text: draft.txt
#     quote: "Maruna (2001) found that people who desist"
#     stance: {maruna2001making: supports}
#     themes: [identity-change]
#     note: Maruna's narratives are the evidence for identity change.
claims: []
"""

GITIGNORE = "build/\n"

NO_BIBLIOGRAPHY = """\
# No bibliography: each PDF's reference list is parsed into the works it cites. Add
# bibliography = ["references.bib"] (your reference manager's export) and the works it
# has are taken from it instead; a parsed entry with the same DOI, or the same names, year
# and title, is the same work.
"""

PDF_CONFIG = """\
# A kg review of a folder of PDFs: what to read and where to write. Paths are relative to
# this file. Build it with `kg build` in this folder.

title = {title}
base = {base}

{bibliography}
# The themes of your analysis as a SKOS concept scheme; these are examples to replace.
themes = "themes.ttl"
claims = "claims.yaml"
output = "build"

# Each PDF and a key for the work it is (made from its file name; change it to the key
# your reference manager gives the work, if it has one).
{texts}"""


def init_review(
    folder: str | Path,
    *,
    title: str | None = None,
    year: int | None = None,
    pdfs: str | Path | None = None,
    bibliographies: Sequence[str | Path] = (),
) -> list[Path]:
    """Lay out a new review in ``folder`` (made if missing; refused if not empty).

    With ``pdfs``, a folder of PDFs, the review is those PDFs (read where they are): each
    one's reference list gives the works it cites, and ``bibliographies`` (a reference
    manager's exports: BibTeX, RIS, CSL-JSON, EndNote XML; read where they are), if given,
    the works it has. Returns the files
    written. The files are made in a temporary folder beside ``folder`` and moved into
    place at the end, so a failure leaves nothing half-made.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file; give a new or empty folder for the review")
    if folder.is_dir() and any(folder.iterdir()):
        raise InputError(
            f"{folder}: is not empty; kg init only writes into a new or empty folder"
            " (to build an existing review, run `kg build` there)"
        )
    year = year or datetime.date.today().year
    name = folder.resolve().name or "review"
    title_text = title or name.replace("-", " ").replace("_", " ").strip().capitalize()
    base = f"{DEFAULT_BASE}{slug(name)}/"
    draft_key = f"{slug(name).replace('-', '')}{year}draft"
    files = {
        "kg.toml": CONFIG.format(
            title=_toml_string(title_text), base=_toml_string(base), draft_key=draft_key
        ),
        "references.bib": REFERENCES.format(
            draft_key=draft_key, title_text=_bib_text(title_text), year=year
        ),
        "texts/draft.txt": DRAFT.format(title_text=title_text),
        "themes.ttl": THEMES.format(base=base, title_text=_turtle_text(title_text)),
        "claims.yaml": CLAIMS,
        ".gitignore": GITIGNORE,
    }
    if pdfs is not None:
        files = {
            "kg.toml": PDF_CONFIG.format(
                title=_toml_string(title_text), base=_toml_string(base),
                texts=_pdf_texts(folder, Path(pdfs)),
                bibliography=_bibliography_setting(folder, bibliographies),
            ),
            "themes.ttl": files["themes.ttl"], "claims.yaml": CLAIMS, ".gitignore": GITIGNORE,
        }  # fmt: skip
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=folder.parent))
    try:
        for relative, text in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)
        if folder.is_dir():
            folder.rmdir()
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(folder / relative for relative in files)


def _bibliography_setting(folder: Path, bibliographies: Sequence[str | Path]) -> str:
    """The ``bibliography`` setting of a review of PDFs, or what to write there."""
    if not bibliographies:
        return NO_BIBLIOGRAPHY
    paths = [os.path.relpath(Path(path).resolve(), folder.resolve()) for path in bibliographies]
    return (
        "# Your reference manager's export (BibTeX, RIS, CSL-JSON or EndNote XML), read where it\n"
        "# is: the works the PDFs cite are taken from it; an entry of a PDF's reference list with\n"
        "# the same DOI, or the same names, year and title, is the same work.\n"
        f"bibliography = [{', '.join(_toml_string(path) for path in paths)}]\n"
    )


def _pdf_texts(folder: Path, pdfs: Path) -> str:
    """A ``[[texts]]`` table per PDF in ``pdfs``, its path relative to the review's folder."""
    found = sorted(pdfs.glob("*.pdf")) + sorted(pdfs.glob("*.PDF"))
    if not found:
        raise InputError(f"{pdfs}: no PDF in this folder")
    tables, keys = [], set()
    for pdf in found:
        key = slug(pdf.stem).replace("-", "") or "text"
        while key in keys:
            key += "x"
        keys.add(key)
        path = os.path.relpath(pdf.resolve(), folder.resolve())
        tables.append(f"[[texts]]\npath = {_toml_string(path)}\nwork = {_toml_string(key)}\n")
    return "\n".join(tables)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _bib_text(text: str) -> str:
    return text.replace("{", "").replace("}", "")


def _turtle_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
