import http.client
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import sync_playwright

from corroborate import Analysis
from corroborate.review.apply import apply_decisions
from corroborate.review.store import ReviewStore
from corroborate.review.web import make_review_server

from .test_review_support import build_analysis, claim_ref

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def desk_analysis(seed_analysis):
    # The five seed articles plus three hand-written ones (HTML/JS payloads, mixed Arabic/English).
    hand = build_analysis()
    return Analysis(documents=seed_analysis.documents + hand.documents, claims=seed_analysis.claims + hand.claims,
                    clusters=seed_analysis.clusters + hand.clusters, conflicts=seed_analysis.conflicts + hand.conflicts,
                    settings=seed_analysis.settings)


@contextmanager
def serving(db):
    server = make_review_server(db, port=0, reviewer="huda")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site(tmp_path, desk_analysis, browser):
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(desk_analysis)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serving(db) as base:
        yield base, page, db, dialogs
    context.close()


def view_of(db):
    with ReviewStore(db) as store:
        return apply_decisions(store.load_analysis(), store.decisions()), store.decisions()


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_merge_split_not_a_conflict_and_verdict_by_clicking(site):
    base, page, db, dialogs = site
    hand = build_analysis()
    docs = {d.id: d for d in hand.documents}
    first, second = hand.clusters[1], hand.clusters[2]

    page.goto(base + "/")
    page.fill("input[name=q]", "المحادثات")
    submit(page, "form.filters button[type=submit]")
    submit(page, f"a[href='/cluster/{first.id}']")
    page.fill("form.merge input[name=other]", second.id)
    submit(page, "form.merge button[type=submit]")
    assert "Recorded #1 merge" in page.inner_text(".flash")
    view, log = view_of(db)
    merged = view.cluster(view.cluster_of[first.claim_ids[0]])
    assert log[-1].action == "merge" and set(merged.claim_ids) == {*first.claim_ids, *second.claim_ids}
    assert page.url.endswith(f"/cluster/{merged.id}")

    moved = claim_ref(docs, "c_asharq", 2)
    page.check(f"article[data-claim='{moved}'] input[type=checkbox]")
    submit(page, "#split-form button[type=submit]")
    view, log = view_of(db)
    assert log[-1].action == "split" and log[-1].payload["moved"] == [moved]
    assert view.cluster(view.cluster_of[moved]).claim_ids == (moved,)

    conflict = hand.conflicts[0]
    page.goto(base + "/conflicts")
    submit(page, f"article[data-pair='{conflict.claim_a}|{conflict.claim_b}'] button.not-real")
    view, log = view_of(db)
    assert log[-1].action == "conflict" and log[-1].payload["real"] is False
    assert conflict in view.dismissed and conflict not in view.analysis.conflicts
    assert "Marked not a conflict" in page.inner_text(f"article[data-pair='{conflict.claim_a}|{conflict.claim_b}']")

    target = hand.clusters[0]
    page.goto(f"{base}/cluster/{target.id}")
    page.select_option("form.verdict-form select[name=verdict]", "false")
    page.fill("form.verdict-form textarea[name=note]", "نفت الوزارة ذلك في بيان رسمي (Reuters)")
    submit(page, "form.verdict-form button[type=submit]")
    view, log = view_of(db)
    assert (log[-1].action, log[-1].reviewer) == ("verdict", "huda")
    assert view.verdicts[target.id].note == "نفت الوزارة ذلك في بيان رسمي (Reuters)"
    assert "False" in page.inner_text(".verdict-box")
    assert [d.action for d in log] == ["merge", "split", "conflict", "verdict"]
    assert dialogs == []


def test_html_and_js_in_articles_render_as_text_and_never_run(site):
    base, page, _db, dialogs = site
    hand = build_analysis()
    for path in ("/", f"/cluster/{hand.clusters[0].id}", f"/cluster/{hand.clusters[1].id}", "/conflicts",
                 "/?q=script"):
        page.goto(base + path)
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator("main script, main img, main [onerror]").count() == 0, path
    page.goto(f"{base}/cluster/{hand.clusters[0].id}")
    assert page.locator("mark", has_text="<script>window.__pwned=1</script>").count() == 1
    page.goto(f"{base}/cluster/{hand.clusters[1].id}")
    assert page.locator("mark", has_text='<img src=x onerror="window.__pwned=2">').count() == 1
    assert dialogs == []


def test_a_post_without_the_csrf_token_is_refused(site):
    base, page, db, _ = site
    cluster = build_analysis().clusters[0]
    page.goto(base + "/")
    form = {"action": "verdict", "cluster": cluster.id, "verdict": "false"}
    refused = page.request.post(base + "/decide", form=form)
    assert refused.status == 400 and "CSRF token" in refused.text()
    forged = page.request.post(base + "/decide", form={**form, "csrf_token": "guess"})
    assert forged.status == 400
    token = page.get_attribute("input[name=csrf_token]", "value")
    accepted = page.request.post(base + "/decide", form={**form, "csrf_token": token}, max_redirects=0)
    assert accepted.status == 303
    assert [d.action for d in view_of(db)[1]] == ["verdict"]


def test_arabic_reads_right_to_left_and_mixed_text_keeps_its_latin_words(site):
    base, page, _db, _ = site
    hand = build_analysis()
    docs = {d.id: d for d in hand.documents}
    mixed = claim_ref(docs, "b_jazeera", 2)
    page.goto(f"{base}/cluster/{hand.clusters[0].id}")
    directions = page.eval_on_selector_all("p.context", "els => els.map(e => getComputedStyle(e).direction)")
    assert directions and set(directions) == {"rtl"}
    view, _ = view_of(_db)
    page.goto(f"{base}/cluster/{view.cluster_of[mixed]}")
    paragraph = page.locator(f"article[data-claim='{mixed}'] p.context")
    assert paragraph.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "Associated Press" in paragraph.inner_text() and "Biden" in paragraph.inner_text()


def test_cluster_page_shows_each_claim_in_its_paragraph_and_saves_a_screenshot(site, desk_analysis):
    base, page, _db, _ = site
    claims = {c.id: c for c in desk_analysis.claims}
    seed_docs = {d.id for d in desk_analysis.documents} - {d.id for d in build_analysis().documents}
    cluster = max((k for k in desk_analysis.clusters if set(k.doc_ids) <= seed_docs),
                  key=lambda k: (len(k.doc_ids), len(k.claim_ids)))
    page.goto(f"{base}/cluster/{cluster.id}")
    marks = page.locator("p.context mark")
    assert marks.count() == len(cluster.claim_ids)
    for i, claim_id in enumerate(cluster.claim_ids):
        assert marks.nth(i).inner_text() == claims[claim_id].text.strip()
        paragraph = page.locator(f"article[data-claim='{claim_id}'] p.context").inner_text()
        assert len(paragraph) >= len(claims[claim_id].text.strip())
    target = ROOT / "reports" / "review-cluster.png"
    target.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 10_000


def test_old_cluster_ids_redirect_to_where_their_claims_are_now(site):
    base, page, db, _ = site
    hand = build_analysis()
    first, second = hand.clusters[1], hand.clusters[2]
    page.goto(f"{base}/cluster/{first.id}")
    page.fill("form.merge input[name=other]", second.id)
    submit(page, "form.merge button[type=submit]")
    page.goto(f"{base}/cluster/{first.id}")
    assert "has changed since" in page.inner_text(".flash")
    assert page.url.endswith(f"/cluster/{view_of(db)[0].cluster_of[first.claim_ids[0]]}")
    page.goto(f"{base}/cluster/k-000000000000")
    assert "No cluster k-000000000000" in page.inner_text("main")


def test_a_foreign_host_header_is_refused(site):
    base, _page, _db, _ = site
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.request("GET", "/", headers={"Host": "attacker.example"})
    assert conn.getresponse().status == 400
    conn.close()
