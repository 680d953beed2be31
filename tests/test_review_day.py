"""A reviewer's day on the review page, in Chromium: the name set once holds through a restart of
`corroborate serve`, a link from another local site and a second server on the same store;
search finds Arabic however it is spelt; merging goes by search; every decision and note is in
the markdown report written again afterwards; the conflicts page shows both paragraphs."""

import functools
import http.server
import re
import threading
from contextlib import contextmanager
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner
from playwright.sync_api import sync_playwright

from corroborate import Analysis
from corroborate.cli import cli
from corroborate.review.apply import apply_decisions
from corroborate.review.store import ReviewStore
from corroborate.text.normalize import normalize_text

from .test_review_support import (
    build_analysis,
    claim_ref,
    rendered_elements,
    start_serve,
    stop_serve,
)
from .test_review_web import ARGS, CHROMIUM, submit


@pytest.fixture(scope="module")
def desk(seed_analysis):
    hand = build_analysis()
    return Analysis(documents=seed_analysis.documents + hand.documents, claims=seed_analysis.claims + hand.claims,
                    clusters=seed_analysis.clusters + hand.clusters,
                    conflicts=seed_analysis.conflicts + hand.conflicts, settings=seed_analysis.settings)


@contextmanager
def another_local_site(tmp_path, target):
    """A page on http://localhost:PORT/ (another site than 127.0.0.1) with a link to `target`."""
    folder = tmp_path / "wiki"
    folder.mkdir()
    (folder / "index.html").write_text(f'<a id="go" href="{target}">today\'s review</a>', encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_port}/index.html"
    finally:
        server.shutdown()
        server.server_close()


def decisions(db):
    with ReviewStore(db, create=False) as store:
        return store.decisions()


def test_a_reviewers_day(tmp_path, desk):
    db = tmp_path / "desk.db"
    with ReviewStore(db) as store:
        store.record_run(desk)
    hand = build_analysis()
    docs = {d.id: d for d in hand.documents}
    claims = {c.id: c for c in desk.claims}
    servers = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar").new_page()
        page.set_default_timeout(15_000)
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            child, _, base = start_serve(db, "--port", "0", "--reviewer", "login-name")
            servers.append(child)
            port = urlparse(base).port

            # The name is set once, in the header.
            page.goto(base)
            page.fill("form.who-form input[name=reviewer]", "هدى")
            submit(page, "form.who-form button[type=submit]")
            assert "Reviewing as هدى" in page.inner_text(".flash")

            # «ايران» finds every cluster that spells it «إيران» (and «الإيراني», «إيرانية»).
            page.goto(base + "/?q=ايران&per=200")
            found = set(page.eval_on_selector_all("table.queue td:first-child a", "els => els.map(e => e.innerText)"))
            hamza = {k.id for k in desk.clusters if any("إيران" in claims[c].text for c in k.claim_ids)}
            bare = {k.id for k in desk.clusters if any("ايران" in claims[c].text for c in k.claim_ids)}
            assert len(hamza) >= 2 and hamza <= found and len(found) > len(bare)
            assert found == {k.id for k in desk.clusters
                             if any("ايران" in normalize_text(claims[c].text) for c in k.claim_ids)}

            # A verdict typed, the server restarted, the verdict saved: accepted, under هدى.
            target = next(k for k in desk.clusters if k.id in hamza and len(k.claim_ids) > 1)
            submit(page, f"table.queue a[href='/cluster/{target.id}']")
            page.select_option("form.verdict-form select[name=verdict]", "mostly-false")
            page.fill("form.verdict-form textarea[name=note]", "بحسب Reuters <b>لم يتأكد</b>")
            stop_serve(servers.pop())
            child, _, again = start_serve(db, "--port", str(port), "--reviewer", "login-name")
            servers.append(child)
            assert again == base
            submit(page, "form.verdict-form button[type=submit]")
            assert "Recorded #1 verdict" in page.inner_text(".flash") and "هدى" in page.inner_text(".flash")
            assert [(d.action, d.reviewer) for d in decisions(db)] == [("verdict", "هدى")]
            assert page.url.split("#")[0].endswith(f"/cluster/{target.id}") and page.url.endswith("#verdict")

            # A note typed in one tab; the page opened in another tab from a link on another local
            # site: still هدى there, and the first tab's form still posts.
            topic = hand.clusters[0]
            kept = claim_ref(docs, "a_reuters", 0)
            page.goto(f"{base}/cluster/{topic.id}")
            page.fill(f"article[data-claim='{kept}'] input[name=note]", "نفس الزيارة")
            other_tab = page.context.new_page()
            with another_local_site(tmp_path, f"{base}/cluster/{topic.id}") as wiki:
                other_tab.goto(wiki)
                submit(other_tab, "#go")
            assert other_tab.input_value("form.who-form input[name=reviewer]") == "هدى"
            other_tab.close()
            submit(page, f"article[data-claim='{kept}'] button.confirm")
            assert page.url.split("#")[0].endswith(f"/cluster/{topic.id}")
            assert "✓ belongs here" in page.inner_text(f"article[data-claim='{kept}'] .claim-mark")

            # "Not this fact": the page stays on the cluster under review, at the next claim.
            moved = claim_ref(docs, "c_asharq", 0)
            page.fill(f"article[data-claim='{moved}'] input[name=note]", "خبر آخر عن الهجمات")
            submit(page, f"article[data-claim='{moved}'] button.reject")
            rest = [c for c in topic.claim_ids if c != moved]
            with ReviewStore(db, create=False) as store:
                view = apply_decisions(store.load_analysis(), store.decisions())
            assert view.cluster_of[rest[0]] == view.cluster_of[rest[1]] != view.cluster_of[moved]
            assert page.url.split("#")[0].endswith(f"/cluster/{view.cluster_of[rest[0]]}")

            # A second server on another port of the same store: same session, same name.
            child, _, second = start_serve(db, "--port", "0", "--reviewer", "login-name")
            servers.append(child)
            page.goto(f"{second}cluster/{view.cluster_of[rest[0]]}")
            assert page.input_value("form.who-form input[name=reviewer]") == "هدى"

            # Merge by search: words of the other cluster's claim, then "Merge with this".
            deaths = hand.clusters[2]
            five = claim_ref(docs, "b_jazeera", 1)
            page.goto(f"{second}cluster/{deaths.id}")
            page.fill("form.merge-search input[name=mq]", "خمسة جنود")
            submit(page, "form.merge-search button[type=submit]")
            other = view.cluster_of[five]
            submit(page, f"ul.matches form:has(input[name=other][value='{other}']) button[type=submit]")
            log = decisions(db)
            assert [d.action for d in log] == ["verdict", "confirm", "reject", "merge"]
            assert {d.reviewer for d in log} == {"هدى"}
            with ReviewStore(db, create=False) as store:
                view = apply_decisions(store.load_analysis(), store.decisions())
            merged = view.cluster_of[five]
            assert set(view.cluster(merged).claim_ids) == {*deaths.claim_ids, five}
            assert page.url.split("#")[0].endswith(f"/cluster/{merged}")

            # The conflicts page: both claims in their paragraphs; one marked real, with a note.
            conflict = hand.conflicts[0]
            page.goto(f"{base}/conflicts?per=200")
            pair = f"article[data-pair='{conflict.claim_a}|{conflict.claim_b}']"
            for article in page.locator("article.conflict").all():
                assert article.locator(".side p.context mark").count() == 2
            sides = page.locator(f"{pair} .side p.context").all_inner_texts()
            assert [claims[conflict.claim_a].text in sides[0], claims[conflict.claim_b].text in sides[1]] == [True, True]
            page.fill(f"{pair} input[name=note]", "الرقمان من مصدرين مختلفين")
            submit(page, f"{pair} button.real")
            assert page.url.split("#")[0].endswith("/conflicts?per=200")
            assert "Marked a real conflict" in page.inner_text(pair) and "هدى" in page.inner_text(pair)
            assert dialogs == []
        finally:
            for child in servers:
                stop_serve(child)
            browser.close()

    # The report written again from the store: every decision where it applies, with its note.
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["review", "report", "--db", str(db), "--out", str(out), "--name", "day",
                                      "--no-plots"])
    assert result.exit_code == 0, result.output
    text = (out / "day.md").read_text(encoding="utf-8")
    heading = re.search(rf"### \d+\. `{view.cluster_of[target.claim_ids[0]]}`.*\n(.*)\n", text)
    assert heading and "Reviewers' verdict: Mostly false" in heading.group(1) and "لم يتأكد" in heading.group(1)
    contradictions = text.split("### Contradictions to check (same period)")[1].split("\n## ")[0]
    [block] = [b for b in contradictions.split("\n**#") if "خمسة جنود" in b and "ثلاثة جنود" in b]
    assert "> **Marked a real conflict by reviewers** — الرقمان من مصدرين مختلفين (هدى" in block
    assert re.search(r"«نقلت الصحيفة[^\n]*✗ not this fact: taken out of `k-[0-9a-f]+` — "
                     r"خبر آخر عن الهجمات \(هدى", text)
    assert re.search(r"«قالت مصادر إن زيارة[^\n]*✓ belongs here — نفس الزيارة \(هدى", text)
    assert f"Merged by reviewers: `{deaths.id}` + `{other}`" in text
    # the note's <b> is text in any CommonMark viewer, not bold
    assert "b" not in {tag for tag, _ in rendered_elements(text)}
