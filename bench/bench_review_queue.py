"""How fast the review page shows a big day: the queue's and the stories' first pages (and others) in Chromium.

Starts `corroborate serve` on a free loopback port over a review store (DB), opens the pages
in Debian's Chromium through Playwright, and reports, per page, the time from navigation start
to the load event (median and max of --repeat loads, after one warm-up load) and the HTML
size. Exits 1 when the queue's or the stories' first page takes longer than --budget seconds
(issue 22: 1 s; issue 20 asks the stories page to stay as fast).

    # the real day (issue 16's pile): build its store once (minutes), then measure
    python bench/saudinewsnet.py 2015-08-10 --out /tmp/day.jsonl
    corroborate analyze /tmp/day.jsonl --out /tmp/day-reports --db /tmp/day.db -q
    .venv/bin/python bench/bench_review_queue.py --db /tmp/day.db

    # no model at hand: a store of the same day's real articles, one claim a sentence, sentences
    # that several articles share clustered together, articles grouped into stories by the stories
    # stage over TF-IDF lead vectors (sizes like the real run's), built in seconds
    .venv/bin/python bench/bench_review_queue.py --synthetic-day 2015-08-10

It works on a copy of the store in a temporary folder (the run posts --repeat verdicts to the
largest cluster, timing each decision too); the store itself is not changed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "saudinewsnet"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def synthetic_day(day: str, seed: int = 22, story_similarity: float = 0.18):
    """An Analysis of one SaudiNewsNet day without the model: each sentence of 25+ characters is
    a claim; sentences whose normalised text several articles share form one cluster; 1 in 20
    multi-document clusters gets a conflict with a claim of another cluster (kinds in turn, each
    side said by its outlet); articles are grouped into stories by the stories stage
    (`stories.group_stories`) over TF-IDF vectors of hashed words instead of e5's, at
    `story_similarity` (0.18 gives about as many stories as the real run's ~700)."""
    import dataclasses

    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    from corroborate import Analysis
    from corroborate.cluster import cluster_id
    from corroborate.model import CONFLICT_KINDS, Claim, Cluster, Conflict, Document
    from corroborate.stories import group_stories
    from corroborate.text.normalize import normalize_text

    with zipfile.ZipFile(DATA / f"{day}.zip") as z:
        rows = json.loads(z.read(f"{day}.json"))
    documents, claims, groups = [], [], {}
    for n, row in enumerate(rows):
        text = row.get("content") or ""
        if not text.strip():
            continue
        doc = Document(id=f"{day}-{n + 1}", text=text, title=row.get("title") or None,
                       outlet=row.get("source") or None, published=day, url=row.get("url") or None)
        documents.append(doc)
        for m in re.finditer(r"[^\n.!؟?]+[.!؟?]?", text):        # sentences, as claims roughly are
            stripped = m.group(0).strip()
            if 25 <= len(stripped) <= 400:
                at = text.index(stripped, m.start())
                claim = Claim(id=f"c-{doc.id}:{at}", doc_id=doc.id, start=at, end=at + len(stripped),
                              text=stripped, origin=doc.outlet, time=day, time_basis="published")
                claims.append(claim)
                groups.setdefault(normalize_text(stripped), []).append(claim)
    by_doc = {d.id: d for d in documents}
    clusters = []
    for members in groups.values():
        ids = tuple(c.id for c in members)
        doc_ids = tuple(dict.fromkeys(c.doc_id for c in members))
        outlets = tuple(sorted({by_doc[d].outlet or f"doc:{d}" for d in doc_ids}))
        status = ("corroborated" if len(outlets) > 1 else "relayed" if len(doc_ids) > 1 else "single-source")
        clusters.append(Cluster(id=cluster_id(ids), claim_ids=ids, doc_ids=doc_ids, outlets=outlets,
                                origins=outlets, independent_sources=len(outlets), status=status))
    rng = random.Random(seed)
    multi = [k for k in clusters if len(k.doc_ids) > 1]
    conflicts = []
    claim_doc = {c.id: c.doc_id for c in claims}
    for k in rng.sample(multi, len(multi) // 20):
        other = rng.choice(clusters)
        if other.id != k.id:
            a, b = k.claim_ids[0], other.claim_ids[0]
            conflicts.append(Conflict(claim_a=a, claim_b=b, score=0.8, temporal="same-period",
                                      explanation="number: 3 vs 5", cues=("number",),
                                      kind=CONFLICT_KINDS[len(conflicts) % len(CONFLICT_KINDS)],
                                      said_by=tuple(by_doc[claim_doc[c]].outlet or f"doc:{claim_doc[c]}"
                                                    for c in (a, b))))
    involved = {c for x in conflicts for c in (x.claim_a, x.claim_b)}
    clusters = [k if not involved.intersection(k.claim_ids) else
                Cluster(**{**k.__dict__, "status": "conflicted"}) for k in clusters]
    clusters.sort(key=lambda k: -len(k.claim_ids))
    words = HashingVectorizer(n_features=2 ** 11, alternate_sign=False, norm=None)
    vectors = TfidfTransformer().fit_transform(words.transform([normalize_text(c.text) for c in claims]))
    stories, story_of = group_stories(claims, vectors.toarray().astype(np.float32), clusters, by_doc,
                                      similarity=story_similarity)
    clusters = [dataclasses.replace(k, story=story_of.get(k.id)) for k in clusters]
    return Analysis(documents=tuple(documents), claims=tuple(claims), clusters=tuple(clusters),
                    conflicts=tuple(conflicts), stories=tuple(stories))


def start_server(db: Path) -> tuple[subprocess.Popen, str, float]:
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "corroborate", "serve", "--db", str(db), "--port", "0",
                              "--reviewer", "bench"], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = child.stderr.readline()
    found = re.search(r"(http://\S+/)", line)
    if not found:
        child.kill()
        raise SystemExit(f"server did not start: {line}{child.stderr.read()}")
    return child, found.group(1), time.perf_counter() - started


TIMING = """() => { const t = performance.getEntriesByType('navigation')[0];
  return {load: t.loadEventEnd - t.startTime, response: t.responseEnd - t.requestStart,
          bytes: t.decodedBodySize}; }"""


def measure(page, url: str, repeat: int) -> dict:
    page.goto(url)                                  # warm-up: the first search also normalises the run
    loads, responses = [], []
    for _ in range(repeat):
        page.goto(url, wait_until="load")
        t = page.evaluate(TIMING)
        loads.append(t["load"] / 1000)
        responses.append(t["response"] / 1000)
        size = t["bytes"]
    return {"median": statistics.median(loads), "max": max(loads), "server": statistics.median(responses),
            "bytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--db", type=Path, help="a review store made by `corroborate analyze --db`")
    source.add_argument("--synthetic-day", metavar="DAY", help="build a store of this SaudiNewsNet day "
                                                               "without the model (see above)")
    parser.add_argument("--repeat", type=int, default=5, help="loads per page (after one warm-up)")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds the queue's first page may take")
    args = parser.parse_args()

    from corroborate.review.store import ReviewStore

    tmp = tempfile.TemporaryDirectory()
    db = args.db
    if args.synthetic_day:
        t = time.perf_counter()
        analysis = synthetic_day(args.synthetic_day)
        db = Path(tmp.name) / "day.db"
        with ReviewStore(db) as store:
            store.record_run(analysis)
        print(f"synthetic store of {args.synthetic_day}: built in {time.perf_counter() - t:.1f} s")
    if not db.exists():
        raise SystemExit(f"{db}: no review store here; make one with `corroborate analyze ... --db {db}`")
    if args.db:
        copy = Path(tmp.name) / "copy.db"
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        db = copy
    with ReviewStore(db, create=False) as store:
        run = store.runs()[-1]
        analysis = store.load_analysis()
    print(f"store {args.db or db}: run {run['id']}, {run['documents']} documents, {run['claims']} claims, "
          f"{run['clusters']} clusters, {len(analysis.conflicts)} conflicts, {len(analysis.stories)} stories "
          f"({sum(len(s.doc_ids) > 1 for s in analysis.stories)} told by several documents)")
    biggest = analysis.clusters[0].id
    outlet = next((d.outlet for d in analysis.documents if d.outlet), "")
    pages = {"queue, page 1": "", "queue, page 2": "?page=2", "queue by origins": "?sort=origins",
             "queue by recency": "?sort=recent", "search ايران": "?q=" + quote("ايران"),
             "outlet filter": "?outlet=" + quote(outlet), "conflicts, page 1": "conflicts",
             "conflicts, one kind": "conflicts?kind=denial", "largest cluster": f"cluster/{biggest}",
             "stories, page 1": "stories", "stories, page 2": "stories?page=2",
             "stories by conflicts": "stories?sort=conflicts", "stories, ايران": "stories?q=" + quote("ايران")}
    if analysis.stories:
        largest = max(analysis.stories, key=lambda s: len(s.cluster_ids))
        pages["largest story"] = f"story/{largest.id}"

    from playwright.sync_api import sync_playwright

    server, base, startup = start_server(db)
    print(f"server start (loads the run, applies the decisions): {startup:.2f} s")
    results = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            first = time.perf_counter()
            page.goto(base)
            print(f"first load after start (wall, incl. browser): {time.perf_counter() - first:.2f} s")
            for name, path in pages.items():
                results[name] = measure(page, base + path, args.repeat)
            posts = []                      # a decision: recorded, the view rebuilt, the page shown
            for n in range(args.repeat):
                page.goto(f"{base}cluster/{biggest}")
                page.fill("form.verdict-form textarea[name=note]", f"bench {n}")
                start = time.perf_counter()
                with page.expect_navigation(wait_until="load"):
                    page.click("form.verdict-form button[type=submit]")
                posts.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{'page':<22} {'median s':>9} {'max s':>7} {'server s':>9} {'HTML KB':>8}")
    for name, r in results.items():
        print(f"{name:<22} {r['median']:>9.3f} {r['max']:>7.3f} {r['server']:>9.3f} {r['bytes'] / 1024:>8.0f}")
    print(f"a verdict posted, view rebuilt, page shown (wall): median {statistics.median(posts):.3f} s, "
          f"max {max(posts):.3f} s")
    ok = True
    for name in ("queue, page 1", "stories, page 1"):
        within = results[name]["median"] <= args.budget
        ok = ok and within
        print(f"{name}: {results[name]['median']:.3f} s ({'within' if within else 'OVER'} the {args.budget:.1f} s budget)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
