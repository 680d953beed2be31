"""The review page's stories (issue 20) and conflict kinds (issue 19), in Chromium and through Flask's
test client, over the seed run and hand-written stories."""

import re
from urllib.parse import quote

import pytest

from corroborate import Analysis
from corroborate.review.store import ReviewStore
from corroborate.review.web import allowed_hosts, create_app
from corroborate.text.normalize import normalize_text

from .test_review_support import build_analysis, claim_ref, story_desk, with_stories
from .test_review_web import serving, submit


@pytest.fixture(scope="module")
def desk(seed_analysis):
    # The seed run's real stories, and three hand-written ones: the Qaani visit, a visit to Iran and
    # its denial, floods told by one article.
    hand = story_desk()
    stories = sorted(seed_analysis.stories + hand.stories, key=lambda s: (-len(s.origins), -len(s.doc_ids), s.id))
    return Analysis(documents=seed_analysis.documents + hand.documents, claims=seed_analysis.claims + hand.claims,
                    clusters=seed_analysis.clusters + hand.clusters,
                    conflicts=seed_analysis.conflicts + hand.conflicts, settings=seed_analysis.settings,
                    stories=tuple(stories))


@pytest.fixture
def site(tmp_path, desk, browser):
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(desk)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(10_000)
    with serving(db) as base:
        yield base, page
    context.close()


def story_with(analysis, doc_id):
    return next(s for s in analysis.stories if doc_id in s.doc_ids)


def listed(page):
    return page.eval_on_selector_all("li.story", "els => els.map(e => e.dataset.story)")


def test_stories_are_listed_searched_through_the_normaliser_and_link_to_their_facts_and_back(site, desk):
    base, page = site
    iran, floods = story_with(desk, "g_iran"), story_with(desk, "j_floods")
    page.goto(base + "/")
    submit(page, "header.top a[href='/stories']")
    order = listed(page)
    several = [len(next(s for s in desk.stories if s.id == sid).doc_ids) > 1 for sid in order]
    assert set(order) == {s.id for s in desk.stories} and several == sorted(several, reverse=True)
    assert f"of {len(desk.stories)} stories" in page.inner_text("p.count")

    # «ايران» finds the story whose label spells it «إيران», and only stories that hold it somehow spelt
    assert "إيران" in iran.label and "ايران" not in iran.label
    page.fill("form.filters input[name=q]", "ايران")
    submit(page, "form.filters button[type=submit]")
    texts = {d.id: [normalize_text(d.title or "")] for d in desk.documents}
    for c in desk.claims:
        texts[c.doc_id].append(normalize_text(c.text))
    holding = {s.id for s in desk.stories
               if any("ايران" in t for t in [normalize_text(s.label), *(t for d in s.doc_ids for t in texts[d])])}
    assert iran.id in listed(page) and floods.id not in listed(page) and set(listed(page)) == holding

    # the story, its facts with their status, its denial with who says each side
    submit(page, f"li.story[data-story='{iran.id}'] h2 a")
    assert page.url.endswith(f"/story/{iran.id}")
    facts = page.eval_on_selector_all("table.queue td:first-child a", "els => els.map(e => e.innerText)")
    assert sorted(facts) == sorted(iran.cluster_ids)
    assert set(page.locator("table.queue span.status").all_inner_texts()) >= {"conflicted", "single-source"}
    denial = page.locator("article.conflict")
    assert denial.count() == 1 and denial.locator(".kind").inner_text() == "denial"
    assert denial.locator(".said-by").all_inner_texts() == ["A said by Arabi Post", "B said by الخارجية الإيرانية"]

    # a fact's page names its story and links back
    docs = {d.id: d for d in desk.documents}
    visit = next(k for k in desk.clusters if claim_ref(docs, "g_iran", 0) in k.claim_ids)
    submit(page, f"table.queue a[href='/cluster/{visit.id}']")
    assert iran.label[:20] in page.inner_text("p.in-story")
    submit(page, "p.in-story a")
    assert page.url.endswith(f"/story/{iran.id}")


def test_conflicts_show_their_kind_and_who_says_each_side_and_filter_by_kind(site, desk):
    base, page = site
    page.goto(base + "/conflicts?per=200")
    for x in desk.conflicts:
        pair = page.locator(f"article[data-pair='{x.claim_a}|{x.claim_b}']")
        assert pair.locator("p.reason .kind").inner_text() == x.kind
    kinds = {x.kind for x in desk.conflicts}
    assert {"denial", "numbers"} <= kinds and len(kinds) >= 3          # the seeds' article gives a contrast
    submit(page, "p.kinds a:text-is('denial')")
    shown = page.eval_on_selector_all("article.conflict", "els => els.map(e => e.dataset.pair)")
    assert shown == [f"{x.claim_a}|{x.claim_b}" for x in desk.conflicts if x.kind == "denial"]
    assert "kind=denial" in page.url and page.locator("p.kinds strong").inner_text() == "denial"

    numbers = next(x for x in desk.conflicts if x.kind == "numbers")
    cluster = next(k for k in desk.clusters if numbers.claim_a in k.claim_ids)
    page.goto(f"{base}/cluster/{cluster.id}")
    block = page.locator(f"article[data-pair='{numbers.claim_a}|{numbers.claim_b}']")
    assert block.locator(".kind").inner_text() == "numbers"
    assert block.locator(".said-by").all_inner_texts() == ["A said by Reuters", "B said by Al Jazeera"]


def test_the_stories_page_pages_sorts_and_narrows(tmp_path):
    articles = {f"d{i:03d}": (f"Outlet {i % 4}", f"2024-01-{1 + i % 28:02d}",
                              [f"قال المتحدث في البيان رقم {i} إن الاجتماع انتهى دون اتفاق على الخطوة {i}."])
                for i in range(60)}
    together = [["d000", "d001"], ["d002", "d003", "d004"]]
    analysis = with_stories(build_analysis(articles, groups=[[(d, 0) for d in g] for g in together],
                                           conflicts=[(("d010", 0), ("d020", 0))]), together)
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(analysis)
    test = create_app(db, hosts=allowed_hosts("127.0.0.1")).test_client()
    of = {d: story_with(analysis, d).id for d in ("d000", "d002", "d010", "d020")}

    def ids(query):
        html = test.get("/stories" + query).get_data(as_text=True)
        return re.findall(r'data-story="(s-[0-9a-f]+)"', html), html
    first, html = ids("")
    assert len(analysis.stories) == 57 and len(first) == 25 and "1–25 of 57 stories" in html
    assert set(first[:2]) == {of["d000"], of["d002"]}                       # told by several documents first
    second, _ = ids("?page=2")
    third, html = ids("?page=3")
    assert len(third) == 7 and 'rel="next"' not in html and 'href="/stories?page=2"' in html
    assert len({*first, *second, *third}) == 57
    assert ids("?sort=documents")[0][:2] == [of["d002"], of["d000"]]
    assert set(ids("?sort=conflicts")[0][:2]) == {of["d010"], of["d020"]}
    assert ids("?several=1")[0] == first[:2]
    found, html = ids("?q=" + quote("الخطوة 37"))
    assert found == [story_with(analysis, "d037").id] and "(57 in the run)" in html
    assert ids(f"?q={of['d002']}")[0] == [of["d002"]]


def test_a_store_from_before_stories_still_opens(tmp_path):
    db = tmp_path / "old.db"
    with ReviewStore(db) as store:
        store.record_run(build_analysis())                 # no stories, as every run before issue 20
        assert "stories" not in store._db.execute("SELECT extra FROM runs").fetchone()[0]
    test = create_app(db, hosts=allowed_hosts("127.0.0.1")).test_client()
    stories = test.get("/stories")
    assert stories.status_code == 200 and "This run has no stories" in stories.get_data(as_text=True)
    cluster = build_analysis().clusters[0]
    page = test.get(f"/cluster/{cluster.id}").get_data(as_text=True)
    assert cluster.id in page and "Part of the story" not in page
    conflicts = test.get("/conflicts").get_data(as_text=True)
    assert 'class="kind contradiction"' in conflicts and "said by" not in conflicts
    assert test.get("/story/s-000000000000").status_code == 404


def test_markup_in_a_story_label_shows_as_text(tmp_path, browser):
    articles = {"x_payload": ("<b>Outlet</b>", "2024-02-08", [
        "<img src=x onerror=\"window.__pwned=1\"> قال المتحدث إن الاجتماع انتهى دون اتفاق.",
        "<script>window.__pwned=2</script> وأضاف أن الجولة المقبلة ستعقد الشهر المقبل."])}
    analysis = with_stories(build_analysis(articles, groups=[], conflicts=[]))
    [story] = analysis.stories
    assert "<img" in story.label
    db = tmp_path / "review.db"
    with ReviewStore(db) as store:
        store.record_run(analysis)
    page = browser.new_page()
    with serving(db) as base:
        for path in ("/stories", f"/story/{story.id}", "/stories?q=" + quote("<script>")):
            page.goto(base + path)
            assert page.evaluate("typeof window.__pwned") == "undefined", path
            assert page.locator("main script, main img, main [onerror]").count() == 0, path
        assert "<img src=x onerror" in page.inner_text("li.story h2")
    page.close()
