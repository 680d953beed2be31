"""What a desk is sent, made for the tests: Arabic pages, a local web site, a PDF, a Word file."""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# A hand-written statement with what Arabic PDFs get wrong: numbers in a right-to-left line,
# brackets (drawn mirrored), «» quotes, a percent sign, a Latin abbreviation, lam-alef.
STATEMENT = [
    "وزارة الصحة تعلن حصيلة جديدة لضحايا القصف على مدينة الرمادي",
    "قالت وزارة الصحة العراقية في بيان يوم الأحد إن 14 مدنياً قُتلوا وأصيب 37 آخرون في قصف استهدف سوقاً شعبية في مدينة الرمادي.",
    "وأضاف البيان أن الحصيلة ارتفعت بنسبة 40% مقارنة بالأرقام التي أعلنتها السلطات المحلية (مساء السبت) قبل انتشال جثث من تحت الأنقاض.",
    "ونقلت وكالة الصحافة الفرنسية (AFP) عن مسؤول في المستشفى قوله إن «الطواقم الطبية تعمل بلا توقف» منذ ساعات الفجر الأولى.",
    "وأكد المتحدث باسم الحكومة أن لجنة تحقيق ستُشكَّل خلال 48 ساعة لتحديد الجهة المسؤولة عن الهجوم، مشيراً إلى أن الأدلة الأولية تشير إلى طائرة مسيّرة.",
    "ولم تعلن أي جهة مسؤوليتها عن القصف حتى الآن، فيما دعت الأمم المتحدة إلى ضبط النفس وحماية المدنيين في المنطقة.",
]


def seed_lines(stem: str) -> list[str]:
    return [line.strip() for line in (SEEDS / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def article_html(lines: Sequence[str], *, title: str | None = None, style: str = "") -> str:
    """An Arabic page holding `lines`, one paragraph each, as a news site would serve it."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{html.escape(title or lines[0])}</title><style>body {{ font-family: 'DejaVu Sans', "
            f"sans-serif; }} {style}</style></head><body><article>{body}</article></body></html>")


def print_pdf(page: str, out: Path) -> Path:
    """`page` printed to PDF by Debian's Chromium through Playwright, as the browser tests run it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page()
        tab.set_content(page)
        tab.pdf(path=str(out), format="A4")
        browser.close()
    return out


def scanned_pdf(page: str, out: Path) -> Path:
    """A screenshot of `page` saved as a PDF: an image and no text, as a scanner makes."""
    import io

    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page()
        tab.set_content(page)
        shot = tab.screenshot()
        browser.close()
    Image.open(io.BytesIO(shot)).convert("RGB").save(out, "PDF", resolution=96)
    return out


def word_file(lines: Sequence[str], out: Path, *, table: Sequence[Sequence[str]] = ()) -> Path:
    """A .docx written by python-docx: a heading, the other lines as paragraphs, then a table."""
    import docx

    document = docx.Document()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    document.save(out)
    return out


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0                              # seconds before the answer
    fail_first: int = 0                             # answer 503 this many times first


class Site:
    """A web site on 127.0.0.1 in a thread (http.server): `routes` by path; it counts requests,
    keeps each one's User-Agent and the most requests it had waiting on their answers at once."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.open = 0
        self.most_open = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site._lock:
                    site.hits[self.path] += 1
                    site.agents.append(self.headers.get("User-Agent", ""))
                    site.open += 1
                    site.most_open = max(site.most_open, site.open)
                    seen = site.hits[self.path]
                route = site.routes.get(self.path)
                try:
                    time.sleep(route.delay if route else 0.0)
                finally:
                    # counted as open while it waits, not while the answer is written: a client
                    # that has read a whole answer may send its next one before this thread ends
                    with site._lock:
                        site.open -= 1
                try:
                    if route is None:
                        self.send_error(404, "Not Found")
                        return
                    if seen <= route.fail_first:
                        self.send_error(503, "Service Unavailable")
                        return
                    self.send_response(route.status)
                    self.send_header("Content-Type", route.content_type)
                    for k, v in route.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass                         # the client gave up (a timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __call__(self, path: str) -> str:
        return self.url + path

    @contextmanager
    def running(self):
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def rss(items: Sequence[tuple[str, str, str]], *, title: str = "أخبار") -> bytes:
    """An RSS 2.0 feed of (title, link, RFC 822 date) items."""
    entries = "".join(f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
                      f"<pubDate>{when}</pubDate></item>" for t, link, when in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://127.0.0.1/</link><description>feed</description>{entries}</channel></rss>").encode()


def visible(raw: str) -> str:
    """The text of a piece of HTML as a reader sees it: tags gone, entities read, spaces collapsed."""
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", raw)).split())


def claim_texts(doc, split: Callable) -> list[str]:
    from corroborate.text.normalize import normalize_text

    return [normalize_text(c.text) for c in split(doc)]
