"""Ingest stage for documents: the text of PDF and Word (.docx, .odt) files, in reading order."""

from __future__ import annotations

import hashlib
import io
import itertools
import logging
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import InputError

log = logging.getLogger(__name__)

EXTENSIONS = {".pdf", ".docx", ".odt"}

# Arabic presentation forms (a letter's shape at the start, middle or end of a word, lam-alef
# ligatures): what many PDF producers map their glyphs to. NFKC on these characters alone
# gives the letters back; NFKC on the whole text would also rewrite «…», digits and spaces the
# HTML the PDF was printed from keeps as they are. U+FDF0-FDFF (whole-word ligatures such as
# ﷺ) are left alone: they are written that way on purpose.
_PRESENTATION = re.compile("[\ufb00-\ufb06\ufb50-\ufdcf\ufe70-\ufefc]+")   # and Latin ﬁ, ﬀ, ﬃ
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LTR_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")
# a combining mark after a space: in visual order a mark can land beside its letter's gap
_LOOSE_MARK = re.compile(r"\s+(?=[\u064b-\u065f\u0670\u06d6-\u06ed])")
_SENTENCE_END = tuple(".!?؟:»\"”)'")
MIN_PAGE_CHARS = 20                 # fewer characters than this on a page with an image: scanned


class FormatError(InputError):
    """A PDF or Word file whose text cannot be read; `kind` is the `Skipped.kind`."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def unpresent(text: str) -> str:
    """`text` with Arabic presentation forms turned back into letters (lam-alef into two)."""
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def is_rtl(text: str) -> bool:
    """Whether right-to-left letters outnumber left-to-right ones."""
    return len(_RTL_LETTER.findall(text)) > len(_LTR_LETTER.findall(text))


def logical_line(line: str, rtl: bool | None = None) -> str:
    """A line of text in visual order (left to right as drawn) put back in reading order.

    The Unicode bidi algorithm, run on a line of a right-to-left paragraph, reverses its
    Arabic runs and keeps its numbers and Latin words as they are: what reading order is.
    It reads presentation forms as Arabic letters, so a lam-alef ligature turns round whole
    and comes out in order once `unpresent` splits it. A number next to a Latin word in an
    Arabic line («2024 - AFP») can come out in the wrong order (docs/inputs.md).
    """
    # python-bidi's Python implementation: its Rust one (bidi.get_display) does not mirror
    # brackets, and a PDF's text holds the glyphs drawn («)» for the «(» opening an Arabic aside)
    from bidi.algorithm import get_display

    if not (is_rtl(line) if rtl is None else rtl):
        return line
    return get_display(line, base_dir="R")


def extract(path: Path, data: bytes) -> str:
    """The text of a PDF, .docx or .odt file, one paragraph a line, blank lines between them.

    Raises FormatError (naming the file and the fix) for an encrypted, scanned or broken file.
    """
    ext = path.suffix.lower()
    readers: dict[str, Callable[[Path, bytes], str]] = {".pdf": _pdf, ".docx": _docx, ".odt": _odt}
    text = readers[ext](path, data)
    if not text.strip():
        raise FormatError(f"{path}: no text in this file; give the article as .txt or .html", "empty")
    return text


def read_pdf(path: Path) -> str:
    """The text of the PDF at `path` (what `extract` gives for it)."""
    return extract(Path(path), Path(path).read_bytes())


def saved_name(path: Path, data: bytes) -> str:
    """The name of a file's extracted text in the pages folder: its name and a hash of its
    bytes, so the same file gives the same name and two files of one name do not meet."""
    stem = re.sub(r"[^\w.-]", "_", path.stem)[:60] or "document"
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{path.suffix.lower()}.txt"


def save_text(text: str, path: Path) -> Path:
    """Write an extracted text to `path` (UTF-8, line ends as they are, atomically): the file
    its document's spans index, read back with open(path, encoding="utf-8", newline="")."""
    from .report.files import atomic_write

    try:
        atomic_write(path, text)
    except OSError as e:
        raise InputError(f"{path}: cannot save the extracted text ({e.strerror or type(e).__name__}); "
                         "give a folder you can write to with --save-pages") from None
    return path


# --- PDF ---------------------------------------------------------------------------------


def _pdf(path: Path, data: bytes) -> str:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextContainer
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if b"%PDF-" not in data[:1024]:
        raise FormatError(f"{path}: not a PDF (no %PDF- header); give the real file, or its text "
                          "as .txt", "corrupt")
    pages: list[list[tuple[str, bool, bool]]] = []
    scanned: list[int] = []
    try:
        for number, layout in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
            boxes = [el for el in layout if isinstance(el, LTTextContainer)]
            paragraphs = _page_paragraphs(boxes, layout)
            if sum(len(p[0]) for p in paragraphs) < MIN_PAGE_CHARS and _has_image(layout, (LTImage, LTFigure)):
                scanned.append(number)
            pages.append(paragraphs)
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise FormatError(f"{path}: encrypted PDF ({type(e).__name__}); save a copy without the password "
                          "(e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and give that",
                          "encrypted") from None
    except Exception as e:                   # noqa: BLE001 - pdfminer's errors on a broken file are many
        raise FormatError(f"{path}: not a readable PDF ({type(e).__name__}: {str(e)[:80]}); re-export it, "
                          "or give its text as .txt", "corrupt") from None
    if not pages:
        raise FormatError(f"{path}: a PDF without pages; re-export it, or give its text as .txt", "corrupt")
    if scanned and not any(text for page in pages for text, *_ in page if len(text) >= MIN_PAGE_CHARS):
        raise FormatError(f"{path}: no text layer: run OCR first (e.g. ocrmypdf -l ara {path.name} "
                          "out.pdf), then give the new file", "no-text-layer")
    if scanned:
        shown = ", ".join(map(str, scanned[:10])) + (" …" if len(scanned) > 10 else "")
        log.warning("%s: page(s) %s have no text layer and are left out: run OCR first (e.g. ocrmypdf "
                    "-l ara) to read them", path, shown)
    return "\n\n".join(_join_pages(pages))


def _has_image(layout, kinds: tuple) -> bool:
    from pdfminer.layout import LTContainer

    return any(isinstance(el, kinds) or (isinstance(el, LTContainer) and _has_image(el, kinds))
               for el in layout)


def _page_paragraphs(boxes: Sequence, page) -> list[tuple[str, bool, bool]]:
    """(paragraph, goes on, goes back) for each text box of a page, in reading order.

    `goes on`: the box is the last of its column and its last line runs to both edges (a
    paragraph's last line stops short of one edge, whichever way it is aligned), so the
    paragraph may go on in the next column or page; `goes back`: the box is the first of its
    column. Lines drawn outside the page (Chromium draws the top of a tall glyph of the next
    page's first line below the bottom edge) are not the page's text.
    """
    from pdfminer.layout import LTTextLine

    kept = []
    for box in boxes:
        lines = [ln for ln in box if isinstance(ln, LTTextLine) and ln.get_text().strip()
                 and page.y0 <= (ln.y0 + ln.y1) / 2 <= page.y1 and page.x0 <= (ln.x0 + ln.x1) / 2 <= page.x1]
        if lines:
            kept.append((box, lines))
    # the page's direction, not each box's: an English caption in an Arabic page is laid out
    # right to left too (its full stop drawn at its left end)
    rtl = is_rtl("".join(ln.get_text() for _, lines in kept for ln in lines))
    out = []
    for box, lines in _reading_order(kept, rtl):
        text = _LOOSE_MARK.sub("", " ".join(" ".join(_line_text(ln, rtl) for ln in lines).split()))
        if not text:
            continue
        left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
        last, slack = lines[-1], 0.25 * (right - left)     # ragged lines: a word or two short
        full = len(lines) > 1 and last.x0 - left < slack and right - last.x1 < slack
        below = any(other is not box and other.y1 <= box.y0 and _overlap(other, box) for other, _ in kept)
        above = any(other is not box and other.y0 >= box.y1 and _overlap(other, box) for other, _ in kept)
        out.append((text, full and not below, not above))
    return out


def _overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1


def _line_text(line, rtl: bool) -> str:
    """One line's text in reading order. Chromium and most producers draw a line's glyphs left
    to right (visual order); a line drawn right to left is turned round first. A glyph the PDF
    maps to U+0000 (Chromium's shadda-with-fatha) is dropped, and so is a space pdfminer infers
    beside a mark: drawn with no width, a mark leaves a gap that is no space."""
    from pdfminer.layout import LTChar

    items = list(line)

    def bare(j: int) -> bool:
        if not 0 <= j < len(items) or not isinstance(items[j], LTChar):
            return False
        ch = items[j].get_text()
        return items[j].width < 0.5 or ch == "\x00" or unicodedata.category(ch[:1]) == "Mn"

    parts = []
    for i, obj in enumerate(items):
        ch = obj.get_text()
        if isinstance(obj, LTChar):
            if ch != "\x00":
                parts.append(ch)
        elif ch == " " and not (bare(i - 1) or bare(i + 1)):
            parts.append(ch)
    text = "".join(parts)
    xs = [o.x0 for o in items if isinstance(o, LTChar) and o.width >= 0.5]
    if sum(b < a for a, b in itertools.pairwise(xs)) > sum(b > a for a, b in itertools.pairwise(xs)):
        text = text[::-1]
    return unpresent(logical_line(text, rtl)).strip()


def _reading_order(boxes: Sequence[tuple], rtl: bool) -> list[tuple]:
    """(box, lines) in reading order: top to bottom, and where the page has columns, one column
    after the other, right to left on an Arabic page (pdfminer's own order reads left first).
    A box across most of the text's width (a headline, a one-column paragraph) ends a band of
    columns; within a band, boxes whose horizontal extents overlap are one column."""
    ordered = sorted(boxes, key=lambda b: (-b[0].y1, b[0].x0))
    width = max((b.x1 for b, _ in ordered), default=0) - min((b.x0 for b, _ in ordered), default=0)
    result: list[tuple] = []
    band: list[tuple] = []

    def flush() -> None:
        columns: list[list[tuple]] = []
        for item in sorted(band, key=lambda b: b[0].x0):
            if columns and item[0].x0 < max(b.x1 for b, _ in columns[-1]):
                columns[-1].append(item)
            else:
                columns.append([item])
        for column in reversed(columns) if rtl else columns:
            result.extend(sorted(column, key=lambda b: -b[0].y1))
        band.clear()

    for item in ordered:
        if item[0].x1 - item[0].x0 > 0.6 * width:
            flush()
            result.append(item)
        else:
            band.append(item)
    flush()
    return result


def _join_pages(pages: Sequence[Sequence[tuple[str, bool, bool]]]) -> list[str]:
    """The paragraphs of all pages, a paragraph cut by a column or page break made whole again:
    its part at the foot of a column ran to both edges and ended no sentence, and the next
    part opens a column."""
    paragraphs: list[str] = []
    open_end = False
    for page in pages:
        for text, goes_on, goes_back in page:
            if open_end and goes_back and paragraphs:
                paragraphs[-1] += " " + text
            else:
                paragraphs.append(text)
            open_end = goes_on and not paragraphs[-1].endswith(_SENTENCE_END)
    return paragraphs


# --- Word ----------------------------------------------------------------------------------


def _docx(path: Path, data: bytes) -> str:
    """Paragraphs and tables in the order they come in the document (a table's cells one a
    line, row by row); headers, footers and comments are not the article."""
    import docx
    from docx.table import Table

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FormatError(f"{path}: an encrypted Word file or an old .doc saved as .docx; open it in "
                          "Word or LibreOffice and save it as .docx without a password", "encrypted")
    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                paragraphs.extend(_table_cells(block))
            else:
                paragraphs.append(block.text)
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise FormatError(f"{path}: not a readable Word file ({type(e).__name__}); open it in Word or "
                          "LibreOffice and save it again as .docx, or give its text as .txt", "corrupt") from None
    except Exception as e:                   # noqa: BLE001 - python-docx's and lxml's errors on a broken file
        raise FormatError(f"{path}: not a readable Word file ({type(e).__name__}); open it in Word or "
                          "LibreOffice and save it again as .docx, or give its text as .txt", "corrupt") from None
    return _paragraphs(paragraphs)


def _table_cells(table) -> list[str]:
    cells: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:        # a merged cell is listed once for each column it spans
                continue
            seen.add(id(cell._tc))
            cells.append(cell.text)
    return cells


def _odt(path: Path, data: bytes) -> str:
    """Headings and paragraphs (those in tables too) in document order."""
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    try:
        document = load(io.BytesIO(data))
    except Exception as e:                   # noqa: BLE001 - odfpy raises zipfile's, xml's and its own
        raise FormatError(f"{path}: not a readable OpenDocument file ({type(e).__name__}); save it "
                          "again as .odt or .docx, or give its text as .txt", "corrupt") from None
    paragraphs: list[str] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if child.nodeType != child.ELEMENT_NODE:
                continue
            if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                paragraphs.append(teletype.extractText(child))
            else:
                walk(child)

    walk(document.text)
    return _paragraphs(paragraphs)


def _paragraphs(paragraphs: Sequence[str]) -> str:
    """Non-empty paragraphs, whitespace inside each collapsed, a blank line between them."""
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
