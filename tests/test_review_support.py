"""Hand-built Arabic analyses for the review tests (data, not mocks), and helpers to start `corroborate serve`
and render markdown as a viewer would; holds no tests itself."""

from __future__ import annotations

import dataclasses
import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path

from corroborate import Analysis
from corroborate.cluster import cluster_id
from corroborate.model import Claim, Cluster, Conflict, Document

# doc id -> (outlet, published, sentences); each sentence is one claim on its own line.
ARTICLES: dict[str, tuple[str, str, list[str]]] = {
    "a_reuters": ("Reuters", "2024-02-02", [
        "قالت مصادر إن زيارة قائد فيلق القدس إلى بغداد أوقفت الهجمات على القوات الأميركية.",
        "وأعلنت الحكومة العراقية أن المحادثات مع واشنطن ستستأنف الأسبوع المقبل.",
        "وقال مسؤول إن عدد القتلى في الهجوم بلغ ثلاثة جنود.",
    ]),
    "b_jazeera": ("Al Jazeera", "2024-02-03", [
        "أفادت تقارير بأن زيارة قاآني لبغداد أدت إلى توقف هجمات الفصائل على القوات الأمريكية.",
        "وقال مسؤول عسكري إن عدد القتلى في الهجوم بلغ خمسة جنود.",
        "وذكرت وكالة Associated Press أن الرئيس Biden عقد اجتماعا مع فريق الأمن القومي.",
    ]),
    "c_asharq": ("Asharq Al-Awsat", "2024-02-04", [
        "نقلت الصحيفة عن مصدر قوله <script>window.__pwned=1</script> إن الهجمات توقفت بعد الزيارة.",
        "وأكد البيت الأبيض <img src=x onerror=\"window.__pwned=2\"> أن المحادثات ستستأنف قريبا.",
        "وقال الجيش إن الجنود الثلاثة قتلوا في هجوم بطائرة مسيرة قرب الحدود.",
    ]),
}
# The model's clusters: (doc id, sentence index) groups; other claims are singletons.
GROUPS = [[("a_reuters", 0), ("b_jazeera", 0), ("c_asharq", 0)],
          [("a_reuters", 1), ("c_asharq", 1)],
          [("a_reuters", 2), ("c_asharq", 2)]]
CONFLICTS = [(("a_reuters", 2), ("b_jazeera", 1))]

NEW_ARTICLE = ("d_arabiya", ("Al Arabiya", "2024-02-05", [
    "ذكرت مصادر عراقية أن زيارة قائد فيلق القدس أوقفت هجمات الفصائل على القوات الأميركية.",
    "وقالت وزارة الدفاع إن عدد القتلى في الهجوم بلغ ثلاثة جنود.",
]))


def _document(doc_id: str, outlet: str, published: str, sentences: Sequence[str]) -> Document:
    return Document(id=doc_id, text="\n".join(sentences) + "\n", outlet=outlet, published=published,
                    title=f"{outlet}: {sentences[0][:30]}")


def claim_ref(docs: Mapping[str, Document], doc_id: str, index: int) -> str:
    """The claim id of sentence `index` of a document built here."""
    lines = docs[doc_id].text.split("\n")
    return f"c-{doc_id}:{sum(len(line) + 1 for line in lines[:index])}"


def build_analysis(articles: Mapping[str, tuple[str, str, Sequence[str]]] = ARTICLES,
                   groups: Sequence[Sequence[tuple[str, int]]] = GROUPS,
                   conflicts: Sequence[tuple[tuple[str, int], tuple[str, int]]] = CONFLICTS) -> Analysis:
    """An Analysis as the pipeline would give it for these articles, clusters and conflicts."""
    docs = {doc_id: _document(doc_id, *spec) for doc_id, spec in articles.items()}
    claims: list[Claim] = []
    for doc in docs.values():
        start = 0
        for line in doc.text.split("\n")[:-1]:
            claims.append(Claim(id=f"c-{doc.id}:{start}", doc_id=doc.id, start=start, end=start + len(line),
                                text=line, time=doc.published, origin=doc.outlet))
            start += len(line) + 1
    by_id = {c.id: c for c in claims}
    grouped = [[claim_ref(docs, d, i) for d, i in g if d in docs] for g in groups]
    grouped = [g for g in grouped if g]
    taken = {i for g in grouped for i in g}
    grouped += [[c.id] for c in claims if c.id not in taken]
    involved = set()
    conflict_list = []
    for (da, ia), (db, ib) in conflicts:
        if da in docs and db in docs:
            a, b = claim_ref(docs, da, ia), claim_ref(docs, db, ib)
            involved |= {a, b}
            conflict_list.append(Conflict(claim_a=a, claim_b=b, score=0.8, temporal="same-period",
                                          explanation="number: ثلاثة vs خمسة", cues=("number",)))
    order = {c.id: i for i, c in enumerate(claims)}
    clusters = []
    for ids in grouped:
        ids = sorted(ids, key=order.__getitem__)
        members = [by_id[i] for i in ids]
        origins = tuple(sorted({c.origin for c in members}))
        doc_ids = tuple(dict.fromkeys(c.doc_id for c in members))
        status = ("conflicted" if involved & set(ids) else "corroborated" if len(origins) > 1
                  else "relayed" if len(doc_ids) > 1 else "single-source")
        clusters.append(Cluster(id=cluster_id(ids), claim_ids=tuple(ids), doc_ids=doc_ids, outlets=origins,
                                origins=origins, independent_sources=len(origins), status=status))
    clusters.sort(key=lambda k: (-len(k.claim_ids), order[k.claim_ids[0]]))
    return Analysis(documents=tuple(docs.values()), claims=tuple(claims), clusters=tuple(clusters),
                    conflicts=tuple(conflict_list))


def with_new_article() -> Analysis:
    """The same desk a week later: one more article, whose claims join two existing clusters."""
    articles = {**ARTICLES, NEW_ARTICLE[0]: NEW_ARTICLE[1]}
    groups = [GROUPS[0] + [("d_arabiya", 0)], GROUPS[1], GROUPS[2] + [("d_arabiya", 1)]]
    return build_analysis(articles, groups)


# A second and a third story beside ARTICLES' (the Qaani visit): a visit to Iran told by two
# outlets and denied by a third, and floods told by one. Doc id -> (outlet, published, sentences).
STORY_ARTICLES: dict[str, tuple[str, str, list[str]]] = {
    "g_iran": ("Arabi Post", "2024-02-06", [
        "وصل وزير الخارجية العراقي إلى إيران صباح اليوم في زيارة رسمية تستمر يومين.",
        "وسيبحث الوزير مع نظيره ملف المياه المشتركة بين البلدين.",
    ]),
    "h_iran": ("Al Arabiya", "2024-02-06", [
        "وصل وزير الخارجية العراقي صباح اليوم إلى إيران في زيارة رسمية تستمر يومين.",
        "وقال مصدر دبلوماسي إن الزيارة ستتناول أمن الحدود.",
    ]),
    "i_denial": ("Al Mayadeen", "2024-02-07", [
        "نفت الخارجية الإيرانية أن يكون وزير الخارجية العراقي قد وصل إلى طهران.",
    ]),
    "j_floods": ("Okaz", "2024-02-06", [
        "غمرت السيول شوارع جدة بعد أمطار غزيرة استمرت ست ساعات.",
        "وأعلن الدفاع المدني إخلاء ثلاثين أسرة من الأحياء المنخفضة.",
    ]),
}
STORY_GROUPS = [[("g_iran", 0), ("h_iran", 0)]]
STORY_CONFLICTS = [(("g_iran", 0), ("i_denial", 0))]


def with_stories(analysis: Analysis, together: Sequence[Sequence[str]] = ()) -> Analysis:
    """`analysis` with its stories made by the stories stage (`stories.group_stories`) from
    hand-built lead vectors: the documents of each group of `together` share one direction, every
    other document one of its own (documents sharing a fact are joined by the stage itself)."""
    import numpy as np

    from corroborate.stories import group_stories

    group = {d: n for n, ids in enumerate(together) for d in ids}
    for doc in analysis.documents:
        group.setdefault(doc.id, len(group) + len(together))
    vectors = np.zeros((len(analysis.claims), max(group.values()) + 1), dtype=np.float32)
    for i, claim in enumerate(analysis.claims):
        vectors[i, group[claim.doc_id]] = 1.0
    stories, story_of = group_stories(analysis.claims, vectors, analysis.clusters,
                                      {d.id: d for d in analysis.documents},
                                      similarity=analysis.settings.story_similarity)
    clusters = tuple(dataclasses.replace(k, story=story_of.get(k.id)) for k in analysis.clusters)
    return dataclasses.replace(analysis, clusters=clusters, stories=tuple(stories))


def story_desk() -> Analysis:
    """ARTICLES and STORY_ARTICLES in three stories (the Qaani visit, the visit to Iran and its
    denial, the floods); the conflicts carry their kind and who says each side: three soldiers or
    five (numbers), the visit and its denial (denial)."""
    articles = {**ARTICLES, **STORY_ARTICLES}
    analysis = build_analysis(articles, [*GROUPS, *STORY_GROUPS], [*CONFLICTS, *STORY_CONFLICTS])
    said = {"number": ("numbers", ("Reuters", "Al Jazeera")),
            "denial": ("denial", ("Arabi Post", "الخارجية الإيرانية"))}
    docs = {d.id: d for d in analysis.documents}
    conflicts = []
    for x in analysis.conflicts:
        kind, said_by = said["denial" if x.claim_b == claim_ref(docs, "i_denial", 0) else "number"]
        conflicts.append(dataclasses.replace(x, kind=kind, said_by=said_by))
    return with_stories(dataclasses.replace(analysis, conflicts=tuple(conflicts)),
                        [["a_reuters", "b_jazeera", "c_asharq"], ["g_iran", "h_iran", "i_denial"]])


def partitions(analysis: Analysis) -> bool:
    """The contract's rule: every claim in exactly one cluster, ids hashed from members."""
    ids = [i for k in analysis.clusters for i in k.claim_ids]
    return (sorted(ids) == sorted(c.id for c in analysis.claims)
            and all(k.id == cluster_id(k.claim_ids) for k in analysis.clusters))


ROOT = Path(__file__).resolve().parent.parent


def start_serve(db: Path, *args: str, timeout: float = 60.0) -> tuple[subprocess.Popen, str, str]:
    """Run `corroborate serve --db DB ARGS`; wait (at most `timeout` s) for the line giving its
    address. Returns (process, everything it printed until then, the address)."""
    child = subprocess.Popen([sys.executable, "-m", "corroborate", "serve", "--db", str(db), *args],
                             stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    said = b""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([child.stderr], [], [], left)
        chunk = os.read(child.stderr.fileno(), 4096) if ready else b""
        if not chunk:
            break
        said += chunk
        found = re.search(rb"Review page: (http://\S+/)", said)
        if found:
            return child, said.decode("utf-8"), found.group(1).decode()
    stop_serve(child)
    raise AssertionError(f"corroborate serve did not start within {timeout} s: {said.decode('utf-8', 'replace')}")


def stop_serve(child: subprocess.Popen) -> None:
    """Stop a `start_serve` process as Ctrl-C would (killed if it does not stop in 30 s)."""
    if child.poll() is None:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if child.stderr is not None:
        child.stderr.close()


# What the markdown report itself writes as HTML once rendered; anything else came from the input.
REPORT_ELEMENTS = {"h1", "h2", "h3", "p", "ul", "li", "strong", "em", "code", "table", "thead", "tbody", "tr",
                   "th", "td", "details", "div", "blockquote", "img", "br", "hr"}


def rendered_elements(markdown: str) -> list[tuple[str, dict[str, str | None]]]:
    """The HTML elements (tag, attributes) a CommonMark viewer makes of `markdown`: markdown-it-py
    with raw HTML passed through and GFM tables, as GitHub and most wikis render it."""
    from markdown_it import MarkdownIt

    found: list[tuple[str, dict[str, str | None]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown))
    return found
