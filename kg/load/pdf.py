"""A PDF's text in reading order, with a page map, for finding citations and claims in it.

pypdfium2 (PDFium's bindings; Apache-2.0/BSD, ~9 MB) gives the text as segments with their
boxes. kg puts them back together itself: lines from segments on one baseline, two columns
read left then right (a gutter no segment crosses, found per page), running headers,
footers and page numbers dropped (lines near the top or bottom of a page that recur on other
pages once digits are ignored, or that are only a page number), words hyphenated at a line's
end joined, ligatures and curly quotes made plain. ``PdfText.page_at`` says on which page
any offset of the text lies, so a claim knows the page it stands on.

>>> pdf = read_pdf(Path("article.pdf"))  # doctest: +SKIP
>>> pdf.page_at(pdf.text.index("In conclusion"))  # doctest: +SKIP
12
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

__all__ = ["PdfText", "is_pdf", "normalise_glyphs", "read_pdf"]

# Of a page's height, the part at the top and at the bottom where running heads live.
MARGIN = 0.1
# Fewer visible characters than this per page: a scan with no text layer.
SCANNED_BELOW = 40
_LIGATURES = str.maketrans({
    "ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st",
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"',
    "‟": '"', "″": '"', "\u00ad": "", "\ufeff": "", "\u00a0": " ", "\u2009": " ",
    "\u202f": " ", "\u2002": " ", "\u2003": " ", "\r": "",
})  # fmt: skip
# Spacing accents that PDFs put beside a letter ("Ostoji´c"): joined to it as combining ones.
_SPACING_ACCENTS = {"´": "\u0301", "`": "\u0300", "¨": "\u0308", "ˆ": "\u0302", "˜": "\u0303",
                    "ˇ": "\u030c", "˚": "\u030a", "¸": "\u0327"}  # fmt: skip
_ACCENT_BEFORE = re.compile(f"([{''.join(_SPACING_ACCENTS)}])\\s?([A-Za-z])")
# Lines a template prints once, in a page's margin (elsarticle's first-page footer).
_FURNITURE = re.compile(
    r"^\s*(?:preprint submitted to\b|accepted manuscript\b|downloaded from\b)", re.I
)
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\s*$", re.I)


def is_pdf(path: Path) -> bool:
    """Whether ``path`` names a PDF (by its suffix; its bytes are checked when read)."""
    return path.suffix.lower() == ".pdf"


def normalise_glyphs(text: str) -> str:
    """Ligatures, curly quotes, soft hyphens and odd spaces made plain; spacing accents
    joined to their letter; NFC. ``"Jeﬀreys’ “ﬁt”"`` -> ``'Jeffreys\\' "fit"'``."""
    text = text.translate(_LIGATURES)
    if any(accent in text for accent in _SPACING_ACCENTS):
        text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], text)
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class PdfText:
    """A PDF's text and where each page begins in it (``starts[0]`` is page 1's offset)."""

    path: Path
    text: str
    starts: tuple[int, ...]
    title: str = ""
    """The title in the PDF's metadata, if it has one."""

    @property
    def pages(self) -> int:
        """The number of pages."""
        return len(self.starts)

    def page_at(self, offset: int) -> int:
        """The page (from 1) on which the character at ``offset`` lies."""
        return max(1, bisect.bisect_right(self.starts, offset))


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    left: float
    right: float
    parts: list[tuple[float, float, str]]

    @property
    def text(self) -> str:
        out = ""
        last = None
        size = max(self.top - self.bottom, 1.0)
        for left, right, part in sorted(self.parts):
            apart = last is not None and left - last > 0.15 * size
            if out and apart and not out.endswith(" ") and not part.startswith(" "):
                out += " "
            out += part
            last = right
        return " ".join(out.split())


def read_pdf(path: Path) -> PdfText:
    """The text of the PDF at ``path``; an unreadable, encrypted or image-only PDF raises
    ``InputError`` naming the file (and how to get a text from it)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: PDF not found") from None
    except pdfium.PdfiumError as error:
        reason = str(error)
        if "password" in reason.lower():
            raise InputError(
                f"{path}: the PDF is encrypted; save an unprotected copy or extract its text"
            ) from None
        raise InputError(f"{path}: not a readable PDF ({reason})") from None
    try:
        pages = [_page_lines(document, number) for number in range(len(document))]
        title = " ".join(str(document.get_metadata_dict().get("Title") or "").split())
    finally:
        document.close()
    visible = sum(len(line.text) for lines in pages for line in lines)
    if visible < SCANNED_BELOW * max(1, len(pages)):
        raise InputError(
            f"{path}: no text layer ({visible} characters on {len(pages)} pages; a scan?);"
            " run OCR on it first (e.g. ocrmypdf) or give its text as a .txt file"
        )
    pages = _without_running_lines(pages)
    text, starts = _join(pages)
    return PdfText(path, text, starts, normalise_glyphs(title))


def _page_lines(document: object, number: int) -> list[_Line]:
    """A page's lines in reading order, from its characters and their boxes."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = document[number]  # type: ignore[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    count = textpage.count_chars()
    chars = textpage.get_text_range(0, count) if count else ""
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    boxes: list[tuple[float, float, float, float, str]] = []
    run: list[str] = []
    lefts: list[float] = []
    box = [0.0, 0.0, 0.0, 0.0]

    def close() -> None:
        if "".join(run).strip():
            boxes.append((box[0], box[1], box[2], box[3], "".join(run)))
        run.clear()
        lefts.clear()

    for index, char in enumerate(chars[:count]):
        if char in "\r\n":
            close()
            continue
        char = "\x02" if char == "\ufffe" else char
        if char == " " or char.isspace():
            if run:
                run.append(" ")
                lefts.append(box[2])
            continue
        pdfium_c.FPDFText_GetCharBox(textpage, index, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        if char in _SPACING_ACCENTS and run and x1 < box[2] - (box[3] - box[1]):
            # An accent PDFium gives at the line's end but drawn over a letter before it
            # ("Ostojic ... coopera- ´"): put before that letter, where normalise_glyphs
            # joins the two ("Ostojić").
            centre = (x0 + x1) / 2
            at = max((i for i, x in enumerate(lefts) if x <= centre), default=0)
            run.insert(at, char)
            lefts.insert(at, centre)
            continue
        if run:
            size = max(box[3] - box[1], y1 - y0, 1.0)
            apart = x0 - box[2] > 1.5 * size or x1 < box[0] - size
            off_line = min(y1, box[3]) - max(y0, box[1]) < 0.2 * min(size, max(y1 - y0, 1.0))
            if apart or (off_line and not _superscript(char, y0, box)):
                close()
        if not run:
            box[:] = [x0, y0, x1, y1]
        elif not _superscript(char, y0, box):
            box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
        else:
            box[2] = max(box[2], x1)
        run.append(char)
        lefts.append(x0)
    close()
    textpage.close()
    page.close()
    gutter = _gutter(boxes, width)
    columns: dict[int, list[tuple[float, float, float, float, str]]] = {}
    for item in boxes:
        column = 0 if gutter is None else _column(item, gutter)
        columns.setdefault(column, []).append(item)
    lines = [line for column in columns.values() for line in _lines(column, number + 1)]
    for line in lines:
        line.parts.sort()
    return _tables_by_column(_reading_order(lines, gutter, height))


def _superscript(char: str, bottom: float, box: list[float]) -> bool:
    """A digit or mark raised above the line it follows (a footnote or affiliation mark)."""
    return bottom > box[1] + 0.3 * (box[3] - box[1]) and not char.isalpha()


def _gutter(boxes: list[tuple[float, float, float, float, str]], width: float) -> float | None:
    """The x of the gap between two columns, or None for one column: a vertical strip in
    the middle of the page that few segments cross, with many on either side."""
    if len(boxes) < 20:
        return None
    best, crossing = None, len(boxes)
    for step in range(int(width * 0.25), int(width * 0.75) + 1, 2):
        count = sum(1 for b in boxes if b[0] < step < b[2])
        if count < crossing:
            best, crossing = float(step), count
    if best is None or crossing > 0.15 * len(boxes):
        return None
    left = sum(1 for b in boxes if b[2] <= best)
    right = sum(1 for b in boxes if b[0] >= best)
    near = sum(1 for b in boxes if b[2] <= best and best - b[2] < 0.08 * width)
    return best if min(left, right) >= 0.15 * len(boxes) and near >= 5 else None


def _column(box: tuple[float, float, float, float, str], gutter: float) -> int:
    """0: left column, 1: right column, 2: across both."""
    if box[2] <= gutter + 1:
        return 0
    if box[0] >= gutter - 1:
        return 1
    return 2


def _lines(boxes: list[tuple[float, float, float, float, str]], page: int) -> list[_Line]:
    """Segments on one baseline made one line (they overlap vertically by most of a line)."""
    lines: list[_Line] = []
    for left, bottom, right, top, part in sorted(boxes, key=lambda b: (-b[3], b[0])):
        height = max(top - bottom, 1.0)
        for line in reversed(lines[-4:]):
            overlap = min(top, line.top) - max(bottom, line.bottom)
            if overlap > 0.5 * min(height, line.top - line.bottom or 1.0):
                line.parts.append((left, right, part))
                line.top, line.bottom = max(top, line.top), min(bottom, line.bottom)
                line.left, line.right = min(left, line.left), max(right, line.right)
                break
        else:
            lines.append(_Line(page, top, bottom, left, right, [(left, right, part)]))
    return lines


def _reading_order(lines: list[_Line], gutter: float | None, height: float) -> list[_Line]:
    """Top to bottom; on a two-column page, each band between lines that span both columns
    is read left column first, then right."""
    lines.sort(key=lambda line: (-line.top, line.left))
    if gutter is None:
        return lines
    ordered: list[_Line] = []
    band: list[_Line] = []
    for line in lines:
        spans = line.left < gutter - 1 and line.right > gutter + 1
        if spans:
            ordered += _band(band, gutter)
            band = []
            ordered.append(line)
        else:
            band.append(line)
    return ordered + _band(band, gutter)


def _cells(line: _Line) -> list[_Line]:
    """A line cut where wide gaps part its segments: a table row's cells."""
    size = max(line.top - line.bottom, 1.0)
    cells: list[_Line] = []
    for left, right, part in sorted(line.parts):
        if cells and left - cells[-1].right <= 1.5 * size:
            cells[-1].parts.append((left, right, part))
            cells[-1].right = max(cells[-1].right, right)
        else:
            cell = _Line(line.page, line.top, line.bottom, left, right, [(left, right, part)])
            cells.append(cell)
    return cells


def _tables_by_column(lines: list[_Line]) -> list[_Line]:
    """Tables whose cells wrap read column by column, so that a cell's lines (a citation
    among them) stay together: a run of three or more lines cut into cells by wide gaps,
    with at least two lines of one cell between them, is read one column (by where its
    cells start) after the other."""
    cut = [_cells(line) for line in lines]
    tabular = [len(cells) >= 2 for cells in cut]
    out: list[_Line] = []
    index = 0
    while index < len(lines):
        if not tabular[index]:
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end + 1 < len(lines) and (
            tabular[end + 1] or _within(lines[end + 1], cut, index, end)
        ):
            end += 1
        rows = sum(tabular[index : end + 1])
        wrapped = sum(
            1
            for line, row in zip(lines[index : end + 1], tabular[index : end + 1], strict=True)
            if not row and sum(char.isalpha() for char in line.text) >= 3
        )
        if rows < 3 or wrapped < 2:  # no cell wraps: row by row reads well
            out.extend(lines[index : end + 1])
        else:
            out.extend(_by_column([cell for cells in cut[index : end + 1] for cell in cells]))
        index = end + 1
    return out


def _within(line: _Line, cut: list[list[_Line]], start: int, end: int) -> bool:
    """Whether a line of one cell lies inside the table begun at ``start`` (no wider than the
    widest cell of the table's column it starts in)."""
    lefts = sorted({round(cell.left) for cells in cut[start : end + 1] for cell in cells})
    return any(abs(line.left - left) < 3 for left in lefts) and line.right - line.left < 0.5 * (
        max(cell.right for cells in cut[start : end + 1] for cell in cells) - lefts[0]
    )


def _by_column(cells: list[_Line]) -> list[_Line]:
    columns: list[list[_Line]] = []
    for cell in sorted(cells, key=lambda cell: cell.left):
        if columns and cell.left - columns[-1][0].left < 3:
            columns[-1].append(cell)
        else:
            columns.append([cell])
    return [cell for column in columns for cell in sorted(column, key=lambda cell: -cell.top)]


def _band(lines: list[_Line], gutter: float) -> list[_Line]:
    return [line for line in lines if line.right <= gutter + 1] + [
        line for line in lines if line.right > gutter + 1
    ]


def _running_key(text: str) -> str:
    """A line as compared with other pages' margins: no spaces or case, runs of up to four
    digits (page numbers, years, volumes) as ``#``, no "Running head:" label (on page 1 only,
    in APA manuscripts). Longer runs stay, so two DOI lines that end two pages are not taken
    for one running footer ("https://doi.org/10.1177/0956797611398493")."""
    text = re.sub(r"^\s*running\s+head\s*:", "", text.casefold())
    return re.sub(r"\s+", "", re.sub(r"(?<!\d)\d{1,4}(?!\d)", "#", text))


def _without_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without their running headers, footers and page numbers: lines in the top
    or bottom margin that recur (digits aside) on another page, or that are a page number."""
    tops = [max((line.top for line in lines), default=0.0) for lines in pages]
    bottoms = [min((line.bottom for line in lines), default=0.0) for lines in pages]

    def marginal(number: int, line: _Line) -> bool:
        span = (tops[number] - bottoms[number]) or 1.0
        top, bottom = tops[number] - MARGIN * span, bottoms[number] + MARGIN * span
        return line.top >= top or line.bottom <= bottom

    margins = [
        [(line, _running_key(line.text)) for line in lines if marginal(number, line)]
        for number, lines in enumerate(pages)
    ]

    def running(number: int, line: _Line) -> bool:
        key = _running_key(line.text)
        number_only = _PAGE_NUMBER.match(line.text) is not None
        # A line may be one segment on one page and two on another ("Range and Virányi" |
        # "Evolutionary origins ..."): part of another page's line at that height counts too.
        wordy = sum(char.isalpha() for char in key) >= 8
        if number_only and (line.bottom <= bottoms[number] or line.top >= tops[number]):
            return True
        for other, found in enumerate(margins):
            if other == number:
                continue
            for their, their_key in found:
                if abs(their.top - line.top) > 3 and abs(their.bottom - line.bottom) > 3:
                    continue
                if number_only and _PAGE_NUMBER.match(their.text):
                    return True
                if key == their_key or (wordy and key in their_key):
                    return True
        return False

    dropped = [
        {
            id(line)
            for line in lines
            if marginal(number, line) and (running(number, line) or _FURNITURE.match(line.text))
        }
        for number, lines in enumerate(pages)
    ]
    # The article's own DOI, printed in its running lines: a block in a page's margin that
    # holds it is furniture too (PeerJ's "How to cite this article ..." on page 1).
    seen = Counter(
        doi
        for number, lines in enumerate(pages)
        for doi in {m.group(0) for line in lines if id(line) in dropped[number]
                    for m in _DOI.finditer(line.text)}
    )  # fmt: skip
    own = {doi for doi, count in seen.items() if count >= 2}
    for number, lines in enumerate(pages):
        block: list[_Line] = []
        margin = [line for line in lines if marginal(number, line)]
        for line in sorted(margin, key=lambda line: -line.top):
            if block and block[-1].bottom - line.top > 1.5 * (line.top - line.bottom):
                block = []
            block.append(line)
            if any(doi in line.text for doi in own):
                dropped[number].update(id(kept) for kept in block)
    return [
        [line for line in lines if id(line) not in dropped[number]]
        for number, lines in enumerate(pages)
    ]


_DOI = re.compile(r"10\.\d{4,9}/[^\s,;]+[^\s,;.]")
_HYPHEN_END = re.compile(r"[\x02\-‐]$")


def _join(pages: list[list[_Line]]) -> tuple[str, tuple[int, ...]]:
    """The lines as one text, a line break between lines (a blank line where a wide gap
    separates paragraphs), words hyphenated across lines joined; and each page's offset."""
    out: list[str] = []
    length = 0
    starts = []
    previous: _Line | None = None
    for lines in pages:
        starts.append(length)
        for line in lines:
            text = normalise_glyphs(line.text)
            if not text:
                continue
            if out:
                last = out[-1]
                if _HYPHEN_END.search(last) and text[:1].islower() and last[-2:-1].isalpha():
                    out[-1] = last[:-1]
                    length -= 1
                else:
                    if last.endswith("\x02"):
                        out[-1] = last[:-1] + "-"
                    gap = _gap(previous, line)
                    separator = "\n\n" if gap else "\n"
                    out.append(separator)
                    length += len(separator)
            out.append(text)
            length += len(text)
            previous = line
    if out and out[-1].endswith("\x02"):
        out[-1] = out[-1][:-1] + "-"
    text = "".join(out).replace("\x02", "-")
    return text + "\n", tuple(min(start, len(text)) for start in starts)


def _gap(previous: _Line | None, line: _Line) -> bool:
    """Whether a blank line's worth of space lies between two lines of one column."""
    if previous is None or previous.page != line.page:
        return False
    height = previous.top - previous.bottom
    return 0 < previous.bottom - line.top > 1.2 * height
