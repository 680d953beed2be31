import json
import re
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from corroborate.claims import split_claims
from corroborate.cli import cli
from corroborate.fetch import MANIFEST, Intake, feed_links, page_name, read_url_list
from corroborate.ingest import read_inputs

from .desk_inputs import Route, Site, article_html, rss, seed_lines, visible, word_file

PAGE_A = article_html(seed_lines("000_8481a1811b930b3f"))
PAGE_B = article_html(seed_lines("001_ca7d2482d73aec03"))
PAGE_C = article_html(seed_lines("003_554a95cc30897557"))
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _site(**extra: Route) -> Site:
    feed = rss([("قاآني في بغداد", "/news/a.html", "Mon, 19 Feb 2024 08:00:00 GMT"),
                ("فيلق القدس", "/news/b.html", "Tue, 20 Feb 2024 09:30:00 GMT"),
                ("خبر قديم", "/news/old.html", "Fri, 01 Dec 2023 10:00:00 GMT")])
    routes = {"/news/a.html": Route(PAGE_A.encode()), "/news/b.html": Route(PAGE_B.encode()),
              "/news/c.html": Route(PAGE_C.encode()),
              "/news/old.html": Route(article_html(seed_lines("002_c5a38aa2998afd50")).encode()),
              "/moved": Route(status=301, headers={"Location": "/news/c.html"}),
              "/slow": Route(PAGE_B.encode(), delay=3.0),
              "/photo.png": Route(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, content_type="image/png"),
              "/feed.xml": Route(feed, content_type="application/rss+xml; charset=utf-8"),
              **extra}
    return Site(routes)


def _quick(tmp_path: Path, **kw) -> Intake:
    return Intake(**{"pages": tmp_path / "pages", "timeout": 0.5, "retries": 1, "backoff": 0.05, **kw})


def test_links_are_fetched_saved_and_read_as_the_html_reader_reads_a_page(tmp_path):
    with _site().running() as site:
        docs, skipped = read_inputs([site("/news/a.html"), site("/moved")], intake=_quick(tmp_path))
    assert skipped == [] and [d.url for d in docs] == [site("/news/a.html"), site("/moved")]
    for doc in docs:
        assert doc.path.parent == tmp_path / "pages" and doc.path.suffix == ".html"
        assert doc.id == doc.path.stem and doc.id.startswith("127.0.0.1-")
        assert ISO_UTC.fullmatch(doc.fetched)
        with open(doc.path, encoding="utf-8-sig", newline="") as f:
            assert f.read() == doc.text                  # spans index the saved file as read
        claims = split_claims(doc)
        assert len(claims) > 5
        for c in claims:
            assert visible(doc.text[c.start:c.end]) == " ".join(c.text.split())
    assert docs[1].text == PAGE_C                        # the page the redirect led to
    saved = json.loads((tmp_path / "pages" / MANIFEST).read_text(encoding="utf-8"))
    assert saved["pages"][site("/moved")]["final_url"] == site("/news/c.html")
    assert site.agents and all(a.startswith("corroborate/") for a in site.agents)


def test_each_bad_link_is_named_with_its_reason_and_the_rest_is_read(tmp_path):
    listed = tmp_path / "links.txt"
    listed.write_text("# sent by the desk\n\nwww.example.com/story\nhttp://\n", encoding="utf-8")
    big = Route(b"<html><body>" + "خبر ".encode() * 40_000 + b"</body></html>")
    start = time.monotonic()
    with _site(**{"/big.html": big}).running() as site:
        docs, skipped = read_inputs(
            [site("/missing"), site("/news/a.html"), site("/slow"), site("/photo.png"), site("/big.html")],
            intake=_quick(tmp_path, url_lists=(listed,), max_bytes=100_000))
    assert time.monotonic() - start < 20
    assert [d.url for d in docs] == [site("/news/a.html")]
    reasons = {s.path: s.reason for s in skipped}
    kinds = {s.path: s.kind for s in skipped}
    assert kinds == {f"{listed}:3": "bad-url", f"{listed}:4": "bad-url", site("/missing"): "http-error",
                     site("/slow"): "timeout", site("/photo.png"): "not-html", site("/big.html"): "too-large"}
    assert "needs http:// or https://" in reasons[f"{listed}:3"] and "www.example.com/story" in reasons[f"{listed}:3"]
    assert reasons[site("/missing")] == f"{site('/missing')}: HTTP 404 Not Found; check the link"
    assert reasons[site("/slow")].startswith(f"{site('/slow')}: timed out after 0.5 s (2 tries)")
    assert "not a web page (image/png)" in reasons[site("/photo.png")]
    assert "0.3 MB, over the 0.1 MB limit for one page" in reasons[site("/big.html")]
    assert site.hits["/slow"] == 2                      # tried again once, then given up
    for item in skipped:
        assert "\n" not in item.reason and item.reason.startswith(item.path)


def test_a_busy_site_is_asked_again_and_a_missing_page_is_not(tmp_path):
    routes = {"/busy.html": Route(PAGE_B.encode(), fail_first=2)}
    with Site(routes).running() as site:
        docs, [missing] = read_inputs([site("/busy.html"), site("/gone.html")], intake=_quick(tmp_path, retries=2))
    assert [d.url for d in docs] == [site("/busy.html")]
    assert site.hits["/busy.html"] == 3 and site.hits["/gone.html"] == 1
    assert missing.kind == "http-error" and "HTTP 404" in missing.reason


def test_no_more_than_per_host_requests_are_open_at_once(tmp_path):
    line = "قال المسؤول إن الاجتماع رقم {} انتهى باتفاق على وقف إطلاق النار في المنطقة."
    routes = {f"/n{i}.html": Route(article_html([line.format(i)]).encode(), delay=0.3) for i in range(6)}
    with Site(routes).running() as site:
        docs, skipped = read_inputs([site(p) for p in routes], intake=_quick(tmp_path, per_host=2, workers=8))
    assert len(docs) == 6 and skipped == []
    assert site.most_open == 2


def test_a_second_run_without_the_network_reads_the_saved_pages_and_says_the_same(tmp_path):
    links = ["/news/a.html", "/moved", "/missing", "/photo.png", "/feed.xml"]
    with _site().running() as site:
        first, first_skipped = read_inputs([site(p) for p in links], intake=_quick(tmp_path))
        hits = sum(site.hits.values())
    # the site is gone: saved pages are read, the feed's saved copy stands in, failures stay named
    again, again_skipped = read_inputs([site(p) for p in links], intake=_quick(tmp_path))
    assert [(d.id, d.url, d.fetched, d.text) for d in again] == [(d.id, d.url, d.fetched, d.text) for d in first]
    assert again_skipped == first_skipped and len(first_skipped) == 2     # the 404 and the image
    assert hits >= len(links)
    refetched, _ = read_inputs([site(p) for p in links], intake=_quick(tmp_path, refetch=True))
    assert [d.text for d in refetched] == [d.text for d in first]


def test_a_feed_gives_its_items_links_and_since_keeps_the_recent_ones(tmp_path):
    with _site().running() as site:
        docs, skipped = read_inputs([site("/feed.xml")], intake=_quick(tmp_path))
        assert [d.url for d in docs] == [site("/news/a.html"), site("/news/b.html"), site("/news/old.html")]
        recent, _ = read_inputs([site("/feed.xml")], intake=_quick(tmp_path, since=date(2024, 2, 1)))
        assert [d.url for d in recent] == [site("/news/a.html"), site("/news/b.html")]
        # a feed saved as a file is read the same way; an Atom feed too
        atom = tmp_path / "outlet.atom"
        atom.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة</title><id>urn:x</id><updated>2024-02-20T00:00:00Z</updated>
<entry><title>ب</title><id>urn:b</id><link href="{site('/news/b.html')}"/><updated>2024-02-20T09:30:00Z</updated></entry>
<entry><title>ج</title><id>urn:c</id><link href="{site('/news/c.html')}"/><updated>2023-11-02T09:30:00Z</updated></entry>
</feed>""", encoding="utf-8")
        from_file, _ = read_inputs([atom], intake=_quick(tmp_path, since=date(2024, 1, 1)))
    assert [d.url for d in from_file] == [site("/news/b.html")]
    assert skipped == []


def test_feed_links_and_url_lists_by_themselves(tmp_path):
    assert feed_links(rss([("أ", "http://x.test/1", "Mon, 19 Feb 2024 08:00:00 GMT"),
                           ("ب", "http://x.test/1", "Mon, 19 Feb 2024 08:00:00 GMT")])) == ["http://x.test/1"]
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        feed_links(b"<html><body><p>not a feed</p></body></html>")
    listed = tmp_path / "l.txt"
    listed.write_text("https://a.test/x\n  # note\nhttps://b.test/y z\nftp://c.test/\n", encoding="utf-8")
    skipped = []
    assert read_url_list(listed, skipped.append) == ["https://a.test/x"]
    assert [s.path for s in skipped] == [f"{listed}:3", f"{listed}:4"]
    assert page_name("https://www.aljazeera.net/news/2024/2/19/x?y=1", "html") == page_name(
        "https://www.aljazeera.net/news/2024/2/19/x?y=1", "html")
    assert page_name("https://a.test/x", "html") != page_name("https://a.test/y", "html")


@pytest.mark.slow
def test_analyze_on_links_and_a_feed_then_again_offline_gives_identical_json(tmp_path):
    out, pages = tmp_path / "out", tmp_path / "pages"
    listed = tmp_path / "links.txt"
    args = lambda site: ["analyze", site("/news/a.html"), site("/moved"), site("/missing"), site("/slow"),
                         site("/photo.png"), "--urls", str(listed), "--since", "2024-02-01",
                         "--save-pages", str(pages), "--timeout", "0.5", "--json", str(out / "r.json"),
                         "--no-plots", "-q"]
    with _site().running() as site:
        listed.write_text(f"{site('/feed.xml')}\nnot a link\n", encoding="utf-8")
        first = CliRunner().invoke(cli, args(site))
        assert first.exit_code == 0, first.output
    written = (out / "r.json").read_text(encoding="utf-8")
    err = first.stderr
    for bad, why in [("/missing", "HTTP 404 Not Found"), ("/slow", "timed out"),
                     ("/photo.png", "not a web page (image/png)")]:
        assert sum(line.startswith(f"warning: {site(bad)}: {why}") for line in err.splitlines()) == 1, err
    assert f"warning: {listed}:2: not a link" in err
    report = json.loads(written)
    urls = [d["url"] for d in report["documents"]]
    # a.html was given and is in the feed: read once; the old item is before --since
    assert urls == [site("/news/a.html"), site("/moved"), site("/news/b.html")]
    docs = {d["id"]: d for d in report["documents"]}
    for doc in report["documents"]:
        assert Path(doc["path"]).resolve().parent == pages and ISO_UTC.fullmatch(doc["fetched"])
    for claim in report["claims"]:
        with open(docs[claim["doc_id"]]["path"], encoding="utf-8-sig", newline="") as f:
            raw = f.read()
        assert visible(raw[claim["start"]:claim["end"]]) == " ".join(claim["text"].split())
    assert {s["kind"] for s in report["skipped"]} == {"http-error", "timeout", "not-html", "bad-url"}
    # the network is gone: the same command gives the same report from the saved pages
    again = CliRunner().invoke(cli, args(site))
    assert again.exit_code == 0, again.output
    assert (out / "r.json").read_text(encoding="utf-8") == written


def test_a_link_that_answers_with_a_word_file_is_read_as_that_file(tmp_path):
    word = word_file(seed_lines("001_ca7d2482d73aec03"), tmp_path / "w.docx").read_bytes()
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with Site({"/statement": Route(word, content_type=docx_type)}).running() as site:
        [doc], skipped = read_inputs([site("/statement")], intake=_quick(tmp_path))
    assert skipped == [] and doc.url == site("/statement") and ISO_UTC.fullmatch(doc.fetched)
    assert doc.source_path.suffix == ".docx" and doc.source_path.read_bytes() == word
    assert doc.path.name.endswith(".docx.txt") and doc.path.read_text(encoding="utf-8") == doc.text
    assert doc.text.split("\n\n") == seed_lines("001_ca7d2482d73aec03")
