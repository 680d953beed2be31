import numpy as np

from corroborate.analysis import Analysis
from corroborate.model import Claim, Cluster, Document
from corroborate.origins import assign_origins
from corroborate.report.markdown import LIMITS, to_markdown
from corroborate.stories import group_documents, group_stories, story_id


def _unit(rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_documents_with_close_leads_are_one_story_and_others_stay_apart():
    leads = _unit([[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0.99, 0.1], [0, 0, 1]])
    labels = group_documents(leads, similarity=0.95, k=4)
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert len({labels[0], labels[2], labels[4]}) == 3


def test_documents_that_share_a_fact_are_one_story_however_their_leads_read():
    leads = _unit([[1, 0], [0, 1]])
    assert len(set(group_documents(leads, similarity=0.95, k=1).tolist())) == 2
    assert len(set(group_documents(leads, similarity=0.95, k=1, linked=[(0, 1)]).tolist())) == 1


def test_a_fact_belongs_to_the_story_of_most_of_its_documents():
    vectors = _unit([[1, 0], [1, 0.05], [0, 1], [0.05, 1]])
    claims = [Claim(f"c-{d}:0", d, 0, 10, f"claim of {d}", origin=o)
              for d, o in zip("abcd", ("SPA", "Okaz", "Al Riyadh", "Al Riyadh"))]
    docs = {d: Document(id=d, text="", title=f"title {d}") for d in "abcd"}
    facts = [Cluster("k-ab", ("c-a:0", "c-b:0"), ("a", "b"), origins=("Okaz", "SPA"), independent_sources=2),
             Cluster("k-c", ("c-c:0",), ("c",)), Cluster("k-d", ("c-d:0",), ("d",))]
    stories, story_of = group_stories(claims, vectors, facts, docs, similarity=0.95, k=3, lead=1)
    assert story_of["k-ab"] == story_id(["a", "b"]) and story_of["k-c"] == story_of["k-d"] == story_id(["c", "d"])
    # ranked by independent origins, labelled with the fact told by most documents
    assert stories[0].id == story_id(["a", "b"]) and stories[0].label == "claim of a"
    assert stories[0].cluster_ids == ("k-ab",)


def test_a_headline_that_names_no_source_takes_its_articles_attributed_origin():
    title = "زيارة قائد فيلق القدس إلى بغداد أوقفت الهجمات على القوات الأميركية"
    body = [title, 'قالت مصادر لـ"رويترز" إن الفصائل أوقفت هجماتها بعد الزيارة',
            'وأضافت المصادر لـ"رويترز" أن الزيارة جرت في مطار بغداد']
    text = "\n".join(body)
    doc = Document(id="d", text=text, title=title)
    claims, at = [], 0
    for line in body:
        claims.append(Claim(f"c-d:{at}", "d", at, at + len(line), line, attributed_to=("Reuters",) if at else ()))
        at += len(line) + 1
    got = assign_origins(claims, {"d": doc})
    assert [c.origin for c in got] == ["Reuters", "Reuters", "Reuters"]
    # an article whose attributed claims rest on no one origin keeps its headline as its own
    mixed = [claims[0], claims[1], Claim("c-d:99", "d", 99, 120, "قالت وكالة فرانس برس إن الفصائل انسحبت",
                                         attributed_to=("AFP",))]
    assert assign_origins(mixed, {"d": doc})[0].origin == "doc:d"


def _pile(n_clusters: int) -> Analysis:
    docs, claims, clusters = [], [], []
    for n in range(n_clusters):
        ids = []
        for side in ("a", "b"):
            doc = Document(id=f"{side}{n}", text="", outlet=f"Outlet {side.upper()}", length=200)
            docs.append(doc)
            claim = Claim(f"c-{doc.id}:0", doc.id, 0, 60, f"خبر رقم {n} يرويه موقعان مستقلان في يوم واحد من أيام الأسبوع",
                          origin=doc.outlet)
            claims.append(claim)
            ids.append(claim.id)
        clusters.append(Cluster(f"k-{n:04d}", tuple(ids), (f"a{n}", f"b{n}"), outlets=("Outlet A", "Outlet B"),
                                origins=("Outlet A", "Outlet B"), independent_sources=2, status="corroborated"))
    return Analysis(tuple(docs), tuple(claims), tuple(clusters), ())


def test_a_large_pile_stays_readable_and_full_prints_everything():
    pile = _pile(LIMITS["clusters"] + 20)
    short, full = to_markdown(pile, name="day"), to_markdown(pile, name="day", full=True)
    assert short.count("### ") == LIMITS["clusters"]
    assert f"{LIMITS['clusters']} of {LIMITS['clusters'] + 20} shown" in short
    assert full.count("### ") == LIMITS["clusters"] + 20 and " shown;" not in full
    # the documents are counted per outlet rather than listed one by one
    assert "| Outlet A | 120 |" in short and "`a119`" not in short and "`a119`" in full
