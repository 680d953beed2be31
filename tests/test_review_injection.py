"""Markup from articles (and from reviewers' names and notes) never comes alive: not on the review
page in Chromium, not in the markdown report rendered by a CommonMark viewer.

The corpus puts script, img onerror, svg onload and javascript: links in the article text, the
title, the outlet and the file name of a .txt, an .html and a .jsonl file, and runs the real
pipeline over them."""

import json
import threading
from contextlib import contextmanager

import pytest
from markdown_it import MarkdownIt
from playwright.sync_api import sync_playwright

from corroborate.pipeline import analyze
from corroborate.report.escape import md_code, md_text
from corroborate.report.files import write_report
from corroborate.report.markdown import to_markdown
from corroborate.review import decisions as build
from corroborate.review.apply import apply_decisions, report_marks
from corroborate.review.store import ReviewStore
from corroborate.review.web import make_review_server

from .test_review_support import REPORT_ELEMENTS, rendered_elements
from .test_review_web import ARGS, CHROMIUM, submit

PAYLOADS = ['<script>window.__pwned=1;alert(1)</script>', '<img src=x onerror="window.__pwned=2;alert(2)">',
            '<svg onload="window.__pwned=3;alert(3)">', '[انقر هنا](javascript:alert(4))',
            '<a href="javascript:alert(5)">رابط</a>', '<javascript:alert(6)>', '<iframe src="javascript:alert(7)">']
TXT_NAME = '<img src=x onerror=alert(8)>'                 # a file name: no «/» but anything else
HTML_NAME = '<svg onload=alert(9)>'
JSONL_NAME = '[x](javascript:alert(10))'

SENTENCES = [
    "قالت وزارة الخارجية إن الوزير سيزور بغداد يوم الأحد المقبل لبحث ملف الحدود {p} مع نظيره العراقي.",
    "وأعلنت الحكومة أن عدد القتلى في الهجوم على المعبر بلغ ثلاثة جنود {p} وفق بيان رسمي.",
    "وذكر مسؤول أن المحادثات بين البلدين ستستأنف الأسبوع المقبل في العاصمة {p} بعد توقف دام شهرين.",
]


def _body(offset: int) -> list[str]:
    return [s.format(p=PAYLOADS[(offset + i) % len(PAYLOADS)]) for i, s in enumerate(SENTENCES)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("injected")
    # .txt: no headline and no known outlet, so the report and the page name it by its file name
    (folder / f"{TXT_NAME}.txt").write_text("\n\n".join(_body(0)) + "\n", encoding="utf-8")
    escaped = [s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for s in _body(2)]
    (folder / f"{HTML_NAME}.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<title>&lt;img src=x onerror=alert(11)&gt; الوزير يزور بغداد الأحد</title>'
        '<meta property="og:site_name" content="&lt;script&gt;alert(12)&lt;/script&gt; Post">'
        '<meta property="article:published_time" content="2024-03-01"></head><body><article>'
        + "".join(f"<p>{p}</p>" for p in escaped) + "</article></body></html>", encoding="utf-8")
    rows = [{"text": "\n\n".join(_body(4)), "title": '<svg onload=alert(13)> عنوان الخبر عن زيارة الوزير',
             "outlet": '<img src=x onerror=alert(14)> News', "published": "2024-03-02",
             "url": "javascript:alert(15)"},
            {"text": "\n\n".join(_body(5)), "title": "[اضغط](javascript:alert(16)) خبر ثان عن المحادثات",
             "outlet": "Example <b>Daily</b>", "published": "2024-03-03",
             "url": "https://example.org/news?id=1&x=<b>"}]
    (folder / f"{JSONL_NAME}.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                                                encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def injected(corpus, models):
    analysis = analyze([corpus], models=models)
    assert len(analysis.documents) == 4 and not analysis.skipped
    return analysis


@pytest.fixture(scope="module")
def reviewed_store(tmp_path_factory, injected):
    """A store of the run with decisions whose reviewer names and notes are payloads too."""
    db = tmp_path_factory.mktemp("store") / "injected.db"
    with ReviewStore(db) as store:
        store.record_run(injected)

        def do(make, *args, **kwargs):
            view = apply_decisions(store.load_analysis(), store.decisions())
            return store.add_decision(make(view, *args, reviewer=PAYLOADS[1], note=PAYLOADS[0], **kwargs))
        multi = [k for k in injected.clusters if len(k.claim_ids) > 1]
        do(build.verdict, injected.clusters[0].id, "false")
        if multi:
            do(build.reject, multi[0].claim_ids[-1])
        claims = injected.claims
        do(build.mark_conflict, claims[0].id, claims[1].id, real=True)
    return db


def _live_markup(elements):
    """Elements of a rendered report that no report line makes, or that carry script."""
    bad = []
    for tag, attrs in elements:
        if tag not in REPORT_ELEMENTS or any(a.startswith("on") for a in attrs):
            bad.append((tag, attrs))
        if any((v or "").strip().lower().startswith(("javascript:", "data:")) for v in attrs.values()):
            bad.append((tag, attrs))
        if tag == "img" and not (attrs.get("src") or "").endswith(".png"):
            bad.append((tag, attrs))
    return bad


def test_the_payloads_reached_the_articles_text_title_outlet_and_file_names(injected):
    docs = {d.path.suffix if d.path else "": d for d in injected.documents}
    assert any("<script>" in c.text for c in injected.claims)
    assert any("onerror" in (d.title or "") for d in injected.documents)
    assert any("<img" in (d.outlet or "") for d in injected.documents)
    assert any(TXT_NAME in d.id for d in injected.documents) and ".html" in docs


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_markdown_report_renders_no_markup_from_articles_or_reviewers(injected, reviewed_store, tmp_path,
                                                                          language):
    with ReviewStore(reviewed_store, create=False) as store:
        view = apply_decisions(store.load_analysis(), store.decisions())
    # the report's name is a file name too, and the pictures are named after it
    written = write_report(view.analysis, name=TXT_NAME, markdown_path=tmp_path / f"{TXT_NAME}.md",
                           language=language, plots=True, review=report_marks(view))
    text = written["markdown"].read_text(encoding="utf-8")
    elements = rendered_elements(text)
    assert _live_markup(elements) == []
    assert {"img"} <= {tag for tag, _ in elements}            # the pictures are there, by their own names
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "&lt;script&gt;window.__pwned=1" in html and "&lt;svg onload=" in html   # shown, as text


def test_escaping_keeps_every_payload_as_the_same_visible_text():
    for payload in PAYLOADS + [TXT_NAME, HTML_NAME, JSONL_NAME, "a|b `c` *d* _e_ ~f~ \\g &amp;"]:
        for written in (md_text(payload), md_code(payload)):
            elements = rendered_elements(f"| x |\n|---|\n| {written} |\n\n{written}\n")
            assert [t for t, _ in elements if t not in ("table", "thead", "tbody", "tr", "th", "td", "p",
                                                        "code")] == [], payload
    assert to_markdown(one_claim_analysis()).count("\\<script\\>") == 1


def one_claim_analysis():
    from corroborate import Analysis
    from corroborate.model import Claim, Cluster, Document
    text = "نص فيه <script>x</script> كما هو."
    return Analysis(documents=(Document(id="d", text=text, outlet="O"),),
                    claims=(Claim(id="c-d:0", doc_id="d", start=0, end=len(text), text=text),),
                    clusters=(Cluster(id="k-000000000001", claim_ids=("c-d:0",), doc_ids=("d",)),), conflicts=())


@contextmanager
def serving(db):
    server = make_review_server(db, port=0, reviewer=PAYLOADS[2])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_review_page_shows_every_payload_as_text_and_runs_none(injected, reviewed_store):
    with ReviewStore(reviewed_store, create=False) as store:
        view = apply_decisions(store.load_analysis(), store.decisions())
    with sync_playwright() as p, serving(reviewed_store) as base:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            page.goto(base + "/")
            page.fill("form.who-form input[name=reviewer]", PAYLOADS[1])        # the reviewer's name, too
            submit(page, "form.who-form button[type=submit]")
            paths = ["/", "/?q=script", "/?q=onerror&sort=recent", "/conflicts", "/log",
                     *(f"/cluster/{k.id}" for k in view.analysis.clusters),
                     f"/cluster/{view.analysis.clusters[0].id}?mq=javascript"]
            shown = 0
            for path in paths:
                page.goto(base + path)
                assert page.evaluate("typeof window.__pwned") == "undefined", path
                live = page.locator("script, img, svg, iframe, [onerror], [onload], a[href^='javascript']")
                assert live.count() == 0, path
                shown += page.locator("mark", has_text="window.__pwned").count()
            assert shown > 0                                      # the payloads are on the page, as text
            links = page.evaluate("[...document.querySelectorAll('a.source')].map(a => a.href)")
            page.goto(base + "/conflicts")
            links += page.evaluate("[...document.querySelectorAll('a.source')].map(a => a.href)")
            for cluster in view.analysis.clusters:
                page.goto(f"{base}/cluster/{cluster.id}")
                links += page.evaluate("[...document.querySelectorAll('a.source')].map(a => a.href)")
            assert links and all(link.startswith("https://example.org/") for link in links)
            assert dialogs == []
        finally:
            browser.close()
