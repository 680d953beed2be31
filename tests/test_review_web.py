import http.client
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from corroborate import Analysis
from corroborate.review.apply import apply_decisions
from corroborate.review.queue import Desk, Filters
from corroborate.review.store import ReviewStore
from corroborate.review.web import allowed_hosts, create_app, make_review_server

from .test_review_support import ARTICLES, build_analysis, claim_ref

ROOT = Path(__file__).resolve().parent.parent
from tests.conftest import ARGS, CHROMIUM  # noqa: F401 (other browser tests import them from here)


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


def merge_by_search(page, query, other=None):
    """Search with "Merge with…" on a cluster page, then merge with the result `other` (default: the
    query itself, an id)."""
    page.fill("form.merge-search input[name=mq]", query)
    submit(page, "form.merge-search button[type=submit]")
    submit(page, f"ul.matches form:has(input[name=other][value='{other or query}']) button[type=submit]")


def test_merge_split_not_a_conflict_and_verdict_by_clicking(site):
    base, page, db, dialogs = site
    hand = build_analysis()
    docs = {d.id: d for d in hand.documents}
    first, second = hand.clusters[1], hand.clusters[2]

    page.goto(base + "/")
    page.fill("input[name=q]", "المحادثات")
    submit(page, "form.filters button[type=submit]")
    submit(page, f"a[href='/cluster/{first.id}']")
    merge_by_search(page, second.id)
    assert "Recorded #1 merge" in page.inner_text(".flash")
    view, log = view_of(db)
    merged = view.cluster(view.cluster_of[first.claim_ids[0]])
    assert log[-1].action == "merge" and set(merged.claim_ids) == {*first.claim_ids, *second.claim_ids}
    assert page.url.split("#")[0].endswith(f"/cluster/{merged.id}")

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
    marks = page.locator("section.claims p.context mark")
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
    merge_by_search(page, second.id)
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


# ---- the small things of a day's use (issue 22, point 7) -----------------------------------------
@pytest.fixture
def client(tmp_path):
    """The review app over a store of the hand-built desk, with a page loaded (cookie and token)."""
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(build_analysis())
    app = create_app(db, reviewer="huda", hosts=allowed_hosts("127.0.0.1"))
    test = app.test_client()
    page = test.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return test, token, db


def test_only_pages_refresh_the_session_cookie(client):
    # the browser's /favicon.ico and the stylesheet answer after the page has loaded: one that
    # answered after the reviewer cleared their cookies must not put the old session back
    test, _token, _db = client
    assert "Set-Cookie" in test.get("/").headers
    assert "Set-Cookie" not in test.get("/static/review.css").headers
    assert "Set-Cookie" not in test.get("/favicon.ico").headers


@pytest.mark.parametrize("target", ["/\n/x", "/\t/evil.example/", "//evil.example/", "/\\evil.example",
                                    "https://evil.example/", "/a\r\nSet-Cookie: x=1", "javascript:alert(1)"])
def test_a_next_target_off_the_site_or_with_control_characters_goes_home(client, target):
    test, token, _db = client
    response = test.post("/reviewer", data={"reviewer": "هدى", "csrf_token": token, "next": target})
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_a_next_target_on_the_site_is_kept(client):
    test, token, _db = client
    response = test.post("/reviewer", data={"reviewer": "هدى", "csrf_token": token, "next": "/conflicts?page=2"})
    assert response.headers["Location"] == "/conflicts?page=2"


@pytest.mark.parametrize("headers", [{"Origin": "http://evil.example"}, {"Origin": "null"},
                                     {"Origin": "http://localhost:9999"}, {"Sec-Fetch-Site": "cross-site"}])
def test_a_post_from_another_origin_is_refused_even_with_the_token(client, headers):
    test, token, db = client
    form = {"action": "verdict", "cluster": build_analysis().clusters[0].id, "verdict": "false", "csrf_token": token}
    refused = test.post("/decide", data=form, headers=headers)
    assert refused.status_code == 403 and "Origin refused" in refused.get_data(as_text=True)
    assert view_of(db)[1] == []
    assert test.post("/decide", data=form, headers={"Origin": "http://localhost"}).status_code == 303
    assert [d.action for d in view_of(db)[1]] == ["verdict"]


def test_undo_with_a_word_for_an_id_says_what_to_do(client):
    test, token, _db = client
    response = test.post("/decide", data={"action": "undo", "decision": "abc", "csrf_token": token, "next": "/log"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "is not a number" in text and "Undo button" in text
    assert "invalid literal" not in text and "Traceback" not in text


def test_pages_are_not_cached_and_the_server_header_names_no_version(tmp_path):
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(build_analysis())
    with serving(db) as base:
        url = urlparse(base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        conn.close()
    assert response.getheader("Cache-Control") == "no-store"
    assert response.getheader("Server") == "corroborate"


def test_split_with_nothing_ticked_says_so_and_keeps_the_note(site):
    base, page, db, _ = site
    cluster = build_analysis().clusters[0]
    page.goto(f"{base}/cluster/{cluster.id}")
    page.fill("#split-form input[name=note]", "ملاحظة لم تضع")
    submit(page, "#split-form button[type=submit]")
    assert "Nothing was split" in page.inner_text(".error-box")
    assert page.input_value("#split-form input[name=note]") == "ملاحظة لم تضع"
    assert page.locator("section.claims article.claim").count() == len(cluster.claim_ids)   # the page, not a bare 400
    assert view_of(db)[1] == []


def test_a_form_refused_for_its_token_comes_back_as_typed_and_then_goes_through(site):
    base, page, db, _ = site
    cluster = build_analysis().clusters[0]
    page.goto(f"{base}/cluster/{cluster.id}")
    page.select_option("form.verdict-form select[name=verdict]", "mostly-true")
    page.fill("form.verdict-form textarea[name=note]", "كتبتها قبل أن يضيع الكوكي")
    page.context.clear_cookies()                         # another browser profile, cookies cleared, ...
    submit(page, "form.verdict-form button[type=submit]")
    assert "CSRF token" in page.inner_text(".error-box") and view_of(db)[1] == []
    assert page.input_value("form.verdict-form textarea[name=note]") == "كتبتها قبل أن يضيع الكوكي"
    assert page.input_value("form.verdict-form select[name=verdict]") == "mostly-true"
    submit(page, "form.verdict-form button[type=submit]")
    assert [(d.action, d.note) for d in view_of(db)[1]] == [("verdict", "كتبتها قبل أن يضيع الكوكي")]


# ---- search, sort and paging ----------------------------------------------------------------
SPELLINGS = {
    "e_hamza": ("Arabi Post", "2024-02-06", ["وصل وزير الخارجية إلى إيران صباح اليوم في زيارة رسمية.",
                                              "وقالت الخارجية الأميركية إن العقوبات ستبقى."]),
    "f_bare": ("Al Jazeera", "2024-02-07", ["قال قاآني إن الفصائل ستلتزم بالتهدئة في الأيام المقبلة."]),
}


def test_search_and_the_outlet_filter_go_through_the_arabic_normaliser():
    desk = Desk(apply_decisions(build_analysis({**ARTICLES, **SPELLINGS}), []))

    def found(**filters):
        return {c for k in desk.search(Filters(**filters)) for c in k.claim_ids}
    docs = {d.id: d for d in build_analysis({**ARTICLES, **SPELLINGS}).documents}
    iran, american, qaani = claim_ref(docs, "e_hamza", 0), claim_ref(docs, "e_hamza", 1), claim_ref(docs, "f_bare", 0)
    assert iran in found(text="ايران") and iran in found(text="إيران")
    assert american in found(text="الاميركية")
    assert qaani in found(text="قااني") and claim_ref(docs, "b_jazeera", 0) in found(text="قااني")
    assert found(outlet="عربي بوست") == found(outlet="arabi post") == {iran, american}
    assert qaani in found(outlet="الجزيرة")
    cluster = desk.reviewed.cluster_of[qaani]
    assert found(text=cluster) == {qaani} and found(text=qaani) == {qaani}
    assert found(text="ايران", outlet="الجزيرة") == set()


def _many(n: int) -> dict:
    return {f"d{i:03d}": (f"Outlet {i % 4}", f"2024-01-{1 + i % 28:02d}",
                          [f"قال المتحدث في البيان رقم {i} إن الاجتماع انتهى دون اتفاق على الخطوة {i}."])
            for i in range(n)}


def test_the_queue_pages_and_sorts(tmp_path):
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(build_analysis(_many(120), groups=[], conflicts=[]))
    test = create_app(db, hosts=allowed_hosts("127.0.0.1")).test_client()

    def ids(query):
        html = test.get("/" + query).get_data(as_text=True)
        return re.findall(r'<a href="/cluster/(k-[0-9a-f]+)"><code>', html), html
    first, html = ids("")
    assert len(first) == 50 and "1–50 of 120 clusters" in html and 'rel="next"' in html
    third, html = ids("?page=3")
    assert len(third) == 20 and "101–120 of 120" in html and not set(third) & set(first)
    assert 'href="/?page=2"' in html and 'rel="next"' not in html
    assert len(ids("?page=99")[0]) == 20 and len(ids("?page=x&per=7")[0]) == 50
    every = ids("?per=200")[0]
    assert len(every) == 120 and len(set(every)) == 120
    recent, _ = ids("?sort=recent&per=200&q=" + quote("البيان"))
    view, _ = view_of(db)
    latest = [max(d.published for d in view.analysis.documents if d.id in view.cluster(k).doc_ids) for k in recent]
    assert latest == sorted(latest, reverse=True) and latest[0] == "2024-01-28"
    filtered, html = ids("?outlet=" + quote("Outlet 1") + "&sort=origins")
    assert len(filtered) == 30 and "(120 in the run)" in html
