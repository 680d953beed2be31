"""PDF text extractors on Arabic PDFs printed by Chromium: characters right, order right, time.

Prints each seed article (seeds/*.txt, one <p> a line, dir=rtl) to PDF through Playwright and
Debian's Chromium, once in one column and once in two (CSS columns), and makes a scanned page
(a screenshot of the first article saved by Pillow as an image-only PDF). Each extractor reads
each PDF with its library's plain text call, then again with the two repairs this project can
apply (`formats.py`): the Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFC) turned back
into letters (NFKC on those characters only), and a line in visual order put back in logical
order (the Unicode bidi algorithm, python-bidi, with a right-to-left paragraph). The last rows
are `corroborate.formats.read_pdf` as `analyze` uses it.

- chars: characters of the source (whitespace aside) found in the output, counted as a
  multiset and divided by the longer of the two: 1.0 = the same characters, in any order;
- text: rapidfuzz's normalised Levenshtein similarity of the whole text, whitespace collapsed
  (order matters: a reversed line scores about as low as a wrong one);
- lines: share of the source's lines (20+ characters) found verbatim in the output, in order
  (the longest run in the source's order; whitespace collapsed);
- ms/page: median of 3 reads, per page.

Run: .venv/bin/python bench/pdf_extractors.py [--out docs/pdf-extractors.md]
(PyMuPDF is measured only where it is installed: `pip install pymupdf`; it is AGPL.)
"""

from __future__ import annotations

import argparse
import bisect
import html
import io
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
STYLE = {"one column": "", "two columns": "body { column-count: 2; column-gap: 2em; }"}


def page_html(lines: list[str], style: str = "") -> str:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><style>'
            f"body {{ font-family: 'DejaVu Sans', sans-serif; }} {style}</style></head>"
            f"<body>{body}</body></html>")


def make_pdfs(folder: Path) -> dict[str, list[tuple[Path, str]]]:
    """{layout: [(pdf, source text)]} for every seed article, plus the scanned page."""
    from PIL import Image
    from playwright.sync_api import sync_playwright

    made: dict[str, list[tuple[Path, str]]] = {k: [] for k in (*STYLE, "scanned")}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        for src in sorted((ROOT / "seeds").glob("*.txt")):
            lines = [x.strip() for x in src.read_text(encoding="utf-8").splitlines() if x.strip()]
            for layout, style in STYLE.items():
                page.set_content(page_html(lines, style))
                out = folder / f"{src.stem}-{layout.replace(' ', '-')}.pdf"
                page.pdf(path=str(out), format="A4")
                made[layout].append((out, "\n".join(lines)))
            if not made["scanned"]:
                page.set_content(page_html(lines))
                shot = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("RGB")
                out = folder / "scanned.pdf"
                shot.save(out, "PDF", resolution=96)
                made["scanned"].append((out, "\n".join(lines)))
        browser.close()
    return made


def _pypdf(path: Path) -> str:
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(path)


def _pdfplumber(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pypdfium2(path: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf)))
    finally:
        pdf.close()


def _pymupdf(path: Path) -> str:
    import pymupdf

    with pymupdf.open(path) as pdf:
        return "\n".join(page.get_text() for page in pdf)


def _ours(path: Path) -> str:
    from corroborate.formats import read_pdf

    return read_pdf(path)


EXTRACTORS: dict[str, Callable[[Path], str]] = {
    "pypdf": _pypdf, "pdfminer.six": _pdfminer, "pdfplumber": _pdfplumber, "pypdfium2": _pypdfium2,
    "PyMuPDF": _pymupdf}


def installed(name: str) -> bool:
    module = {"pdfminer.six": "pdfminer", "PyMuPDF": "pymupdf"}.get(name, name)
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def repaired(text: str, reorder: bool) -> str:
    from corroborate.formats import logical_line, unpresent

    return "\n".join(unpresent(logical_line(line) if reorder else line) for line in text.splitlines())


def _flat(text: str) -> str:
    return " ".join(text.split())


def chars_right(src: str, out: str) -> float:
    a, b = Counter(src.replace(" ", "")), Counter(out.replace(" ", ""))
    return sum((a & b).values()) / max(sum(a.values()), sum(b.values()), 1)


def text_right(src: str, out: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity(src, out)


def lines_right(lines: list[str], out: str) -> float:
    """Share of `lines` found verbatim in `out`, in order: the longest increasing run of positions."""
    wanted = [ln for ln in lines if len(ln) >= 20]
    at = [out.find(ln) for ln in wanted]
    tails: list[int] = []
    for pos in (p for p in at if p >= 0):
        i = bisect.bisect_left(tails, pos)
        tails[i:i + 1] = [pos]
    return len(tails) / max(len(wanted), 1)


def pages(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def measure(read: Callable[[Path], str], files: list[tuple[Path, str]], repairs: tuple[str, ...]) -> dict:
    """{repair: scores} for one extractor: each file read 3 times (the median timed), then
    scored as read and after each repair."""
    scores: dict[str, dict[str, list[float]]] = {r: {"chars": [], "text": [], "lines": [], "ms": [], "out": []}
                                                 for r in repairs}
    for path, source in files:
        times, raw = [], ""
        for _ in range(3):
            start = time.perf_counter()
            try:
                raw = read(path)
            except Exception as e:            # noqa: BLE001 - an extractor that fails scores 0
                raw = f"[{type(e).__name__}]"
            times.append(time.perf_counter() - start)
        src = _flat(source)
        lines = [_flat(ln) for ln in source.splitlines()]
        for fix in repairs:
            out = _flat(raw if fix == "none" else repaired(raw, reorder=fix == "reorder + forms"))
            scores[fix]["chars"].append(chars_right(src, out))
            scores[fix]["text"].append(text_right(src, out))
            scores[fix]["lines"].append(lines_right(lines, out))
            scores[fix]["ms"].append(1000 * statistics.median(times) / pages(path))
            scores[fix]["out"].append(len(out))
    return {fix: {k: statistics.mean(v) for k, v in s.items()} for fix, s in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args()
    names = [n for n in EXTRACTORS if installed(n)]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        made = make_pdfs(Path(tmp))
        counts = {layout: sum(pages(p) for p, _ in made[layout]) for layout in STYLE}
        for layout in (*STYLE, "scanned"):
            repairs = ("none",) if layout == "scanned" else ("none", "forms", "reorder + forms")
            for name in names:
                for fix, r in measure(EXTRACTORS[name], made[layout], repairs).items():
                    rows.append((layout, name, fix, r))
                    print(f"{layout:12} {name:13} {fix:16} chars {r['chars']:.3f}  text {r['text']:.3f}  "
                          f"lines {r['lines']:.3f}  {r['ms']:.0f} ms/page", file=sys.stderr)
            if layout != "scanned":
                r = measure(_ours, made[layout], ("none",))["none"]
                rows.append((layout, "**corroborate** (pdfminer.six)", "its own", r))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    table = [(f"{len(made['one column'])} seed articles, {counts['one column']} pages in one column and "
              f"{counts['two columns']} in two; load average {load}."),
             "", "| layout | extractor | repair | chars | text | lines | ms/page |", "|---|---|---|---|---|---|---|"]
    for layout, name, fix, r in rows:
        if layout == "scanned":
            table.append(f"| scanned | {name} | — | {r['out']:.0f} characters out | | | {r['ms']:.0f} |")
        else:
            table.append(f"| {layout} | {name} | {fix} | {r['chars']:.3f} | {r['text']:.3f} | "
                         f"{r['lines']:.3f} | {r['ms']:.0f} |")
    text = "\n".join(table) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
