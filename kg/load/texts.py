"""The review's citing texts: which files they are, and each read as UTF-8.

>>> review = load_config("bib/kg.toml")  # doctest: +SKIP
>>> [source.path.name for source in citing_texts(review, [])]  # doctest: +SKIP
['nixon2020-excerpt.txt']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kg.config import Review, TextSource, attached_texts
from kg.errors import InputError
from kg.load.bib import Work
from kg.load.pdf import PdfText, is_pdf, read_pdf

__all__ = ["citing_texts", "load_text", "read_text"]


def load_text(path: Path) -> str | PdfText:
    """A citing text: a PDF's extracted text with its page map, or a plain text file."""
    return read_pdf(path) if is_pdf(path) else read_text(path)


def read_text(path: Path) -> str:
    """A full text as UTF-8; a missing, binary or non-UTF-8 file raises ``InputError``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: text file not found") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    if b"\x00" in raw:
        raise InputError(f"{path}: a binary file, not plain text (a PDF must end in .pdf)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not UTF-8; re-save the text as UTF-8") from None


def citing_texts(review: Review, works: Sequence[Work]) -> list[TextSource]:
    """The review's citing texts: those its kg.toml lists, then those entries attach."""
    texts = list(review.texts)
    if review.texts_from_file_field:
        texts += _attached_sources(works, texts)
    return texts


def _attached_sources(works: Sequence[Work], listed: Sequence[TextSource]) -> list[TextSource]:
    """Texts attached to entries by their ``file`` field (Zotero, JabRef) not listed already."""
    seen = {source.path.resolve() for source in listed}
    found = []
    for work in works:
        for path in attached_texts(work.get("file") or "", work.path):
            if path.resolve() not in seen:
                seen.add(path.resolve())
                found.append(TextSource(path, work.key))
    return found
