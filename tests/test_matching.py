import re

import numpy as np
import pytest

from corroborate.matching import (
    anchors,
    cluster_evidence,
    how_sure,
    supported_clusters,
    supporters,
    what_joins,
)
from corroborate.model import Claim, Cluster

# Hand-written: one blast told by two outlets in their own words, and a meeting after it.
BLAST_A = "قتل خمسة عمال وأصيب 12 آخرون في انفجار بمصنع الأسمدة في ميناء العقبة يوم الثلاثاء"
BLAST_B = "أسفر انفجار في مصنع للأسمدة بميناء العقبة عن مقتل 5 عمال وإصابة 12 الثلاثاء"
MEETING_AND_BLAST = ("التقى وزير العمل بممثلي النقابات في عمان، بعد يوم من انفجار مصنع الأسمدة "
                     "في ميناء العقبة الذي قتل خمسة عمال")
MEETING = "اجتمع وزير العمل مع ممثلي النقابات في العاصمة عمان لبحث سلامة العمال"
VISIT = "وأشارت صحف محلية إلى زيارة الوزير"


def _claim(doc, text, supports=()):
    return Claim(f"c-{doc}:0", doc, 0, len(text), text, also_supports=tuple(supports))


def test_counts_dates_and_words_are_told_apart():
    a = anchors("قتل خمسة عمال في 3 مايو 2023 بميناء العقبة")
    assert {"5", "3"} <= a.numbers and "2023" not in a.numbers
    assert "year:2023" in a.dates and "month:5" in a.dates
    assert not any(w[:1].isdigit() for w in a.words)


def test_a_claim_supports_another_cluster_it_matches_strongly_from_another_document():
    claims = [_claim("a", BLAST_A), _claim("b", MEETING_AND_BLAST), _claim("c", MEETING)]
    clusters = [Cluster("k-blast", ("c-a:0",), ("a",)), Cluster("k-meet", ("c-b:0", "c-c:0"), ("b", "c"))]
    # b's sentence sits with the meeting and scores high with the blast too; the blast alone
    # matches only b's half of the meeting cluster, so it does not support the meeting
    found = supported_clusters(claims, clusters, [(0, 1, 0.8), (1, 2, 0.7), (0, 2, 0.1)], threshold=0.6)
    assert found == {"c-b:0": ("k-blast",)}
    assert supported_clusters(claims, clusters, [(0, 1, 0.55)], threshold=0.6) == {}
    assert supported_clusters(claims, clusters, [(0, 1, 0.8), (0, 2, 0.7)], threshold=0.6) == {
        "c-a:0": ("k-meet",), "c-b:0": ("k-blast",), "c-c:0": ("k-blast",)}


def test_a_claim_never_supports_its_own_cluster_or_one_its_document_is_in():
    claims = [_claim("a", BLAST_A), _claim("a", MEETING_AND_BLAST), _claim("b", BLAST_B)]
    clusters = [Cluster("k-1", ("c-a:0", "c-b:0"), ("a", "b")), Cluster("k-2", ("c-a:0x",), ("a",))]
    claims[1] = Claim("c-a:0x", "a", 0, 1, MEETING_AND_BLAST)
    # a's second sentence cannot support k-1 (a's first is in it), nor anything from inside a
    found = supported_clusters(claims, clusters, [(0, 2, 0.9), (1, 2, 0.9), (0, 1, 0.9)], threshold=0.6)
    assert found == {"c-b:0": ("k-2",)}


def test_what_joins_a_cluster_is_what_two_documents_share():
    members = [_claim("a", BLAST_A), _claim("b", BLAST_B)]
    joins = what_joins(members)
    assert joins["numbers"] == ["12", "5"]
    assert len(joins["dates"]) == 1                                  # «الثلاثاء» in both
    assert how_sure(joins) == "strong"
    assert how_sure(what_joins([_claim("a", VISIT), _claim("b", MEETING)])) == "weak"


def test_the_report_line_names_the_shared_anchors_and_the_supporting_claims():
    claims = {c.id: c for c in (_claim("a", BLAST_A), _claim("b", BLAST_B),
                                Claim("c-c:9", "c", 9, 20, MEETING_AND_BLAST, also_supports=("k-1",)))}
    cluster = Cluster("k-1", ("c-a:0", "c-b:0"), ("a", "b"))
    assert [c.id for c in supporters(cluster, list(claims.values()))] == ["c-c:9"]
    line = cluster_evidence(cluster, claims)
    assert "numbers 12, 5" in line and "(strong)" in line and "1 claim(s)" in line
    weak = cluster_evidence(Cluster("k-2", ("c-x:0", "c-y:0"), ("x", "y")),
                            {"c-x:0": _claim("x", VISIT), "c-y:0": _claim("y", "وتحدثت وسائل إعلام عن زيارة")})
    assert "(weak)" in weak


def test_the_report_line_quotes_shared_words_as_the_claims_spell_them():
    # «العقبة» ends in taa marbuta and «الأسمدة» has a hamza: folded forms are for matching only
    claims = {c.id: c for c in (_claim("a", BLAST_A), _claim("b", BLAST_B))}
    line = cluster_evidence(Cluster("k-1", ("c-a:0", "c-b:0"), ("a", "b")), claims)
    quoted = re.findall(r"«([^»]*)»", line)
    assert quoted and all(word in BLAST_A for word in quoted)
    assert not any(word.endswith("ه") for word in quoted)


def test_support_comes_from_the_matrix_or_the_pairs_and_adds_no_origin():
    import numpy as np

    from corroborate.matching import attach_support
    from corroborate.origins import score_independence

    claims = [Claim("c-a:0", "a", 0, 9, BLAST_A, origin="Alpha"),
              Claim("c-b:0", "b", 0, 9, MEETING_AND_BLAST, origin="Beta"),
              Claim("c-c:0", "c", 0, 9, MEETING, origin="Gamma")]
    clusters = [Cluster("k-blast", ("c-a:0",), ("a",)), Cluster("k-meet", ("c-b:0", "c-c:0"), ("b", "c"))]
    matrix = np.eye(3, dtype="float32")
    matrix[0, 1] = matrix[1, 0] = 0.8
    dense = attach_support(claims, clusters, matrix, threshold=0.7)
    sparse = attach_support(claims, clusters, (np.array([[0, 1]]), np.array([0.8])), threshold=0.7)
    assert dense == sparse and dense[1].also_supports == ("k-blast",) and not dense[0].also_supports
    assert attach_support(claims, clusters, matrix, threshold=1.0) == claims    # 1 = off
    assert [c.id for c in supporters(clusters[0], dense)] == ["c-b:0"]
    # a sentence that tells two facts is shown beside the other fact, but is no second origin of it
    blast = score_independence(clusters[0], {c.id: c for c in dense}, {})
    assert (blast.independent_sources, blast.status, blast.doc_ids) == (1, "single-source", ("a",))


def test_claims_of_different_periods_support_nothing():
    claims = [Claim("c-a:0", "a", 0, 9, BLAST_A, time="2020-12", time_basis="explicit"),
              Claim("c-b:0", "b", 0, 9, MEETING_AND_BLAST, time="2024-02"),
              Claim("c-c:0", "c", 0, 9, MEETING, time="2024-02")]
    clusters = [Cluster("k-blast", ("c-a:0",), ("a",)), Cluster("k-meet", ("c-b:0", "c-c:0"), ("b", "c"))]
    assert supported_clusters(claims, clusters, [(0, 1, 0.9)], threshold=0.6, window_days=30) == {}
    same = [Claim("c-a:0", "a", 0, 9, BLAST_A, time="2024-01-29", time_basis="explicit"), *claims[1:]]
    # clustering is gated only on dates the text names: a relay runs months after the original
    from corroborate.matching import apart_in_time
    published = Claim("c-a:0", "a", 0, 9, BLAST_A, time="2020-12", time_basis="published")
    assert not apart_in_time(published, claims[1], window_days=30)
    assert apart_in_time(claims[0], claims[1], window_days=30)
    assert supported_clusters(same, clusters, [(0, 1, 0.9)], threshold=0.6, window_days=30) == {
        "c-b:0": ("k-blast",)}


def test_the_arabic_line_quotes_the_shared_words_and_names_dates_in_arabic():
    claims = {c.id: c for c in (_claim("a", BLAST_A), _claim("b", BLAST_B))}
    line = cluster_evidence(Cluster("k-1", ("c-a:0", "c-b:0"), ("a", "b")), claims, language="ar")
    outside_quotes = re.sub(r"«[^»]*»", "", line)
    assert "من الأسبوع" in line                                    # «الثلاثاء» in both
    assert not re.findall(r"[A-Za-z]+", outside_quotes)


def test_split_pairs_keeps_a_claim_and_its_contrast_apart_in_both_forms():
    from corroborate.matching import split_pairs

    pairs, scores = split_pairs((np.array([[0, 1], [1, 2]]), np.array([0.9, 0.8], dtype=np.float32)),
                                [(1, 0), (0, 2)])
    assert {(int(i), int(j)): round(float(s), 3) for (i, j), s in zip(pairs, scores)} == \
        {(0, 1): -1.0, (1, 2): 0.8, (0, 2): -1.0}
    dense = split_pairs(np.full((3, 3), 0.9, dtype=np.float32), [(2, 1)])
    assert dense[1, 2] == dense[2, 1] == -1.0 and dense[0, 1] == np.float32(0.9)
    assert split_pairs("unchanged", []) == "unchanged"


def test_two_numbers_for_one_counted_thing_are_two_facts():
    from corroborate.matching import number_clash

    # two sessions' gold prices, two magnitudes, two items of one list of appointments
    assert number_clash("وارتفع الذهب 0.3 بالمئة إلى 1096.10 دولار للأوقية",
                        "وارتفع الذهب 0.3 في المئة إلى 1092.10 دولار للأوقية")
    assert number_clash("ضرب زلزال بلغت قوته 6.7 درجات على مقياس ريختر باكستان",
                        "شهد شمال أفغانستان زلزالا بقوة 5.7 درجات بمقياس ريختر")
    assert number_clash("2 - تعيين المهندس محمد الدوسري أمينا لمنطقة جازان",
                        "8 - تعيين محمد الشايع أمينا لمنطقة الباحة")


def test_numbers_of_other_things_dates_and_clock_times_do_not_split_a_fact():
    from corroborate.matching import number_clash

    # one number more on one side; «ثلاثة» is 3; the dead and the injured are two counts
    assert not number_clash("قتل 15 شخصا وأصيب 40 آخرون في الانفجار", "قتل 15 شخصا في الانفجار")
    assert not number_clash("قتل ثلاثة جنود في الهجوم", "قتل 3 جنود في هجوم على الموقع")
    assert not number_clash("قتل ثلاثة عشر جنديا في الهجوم", "قتل 13 جنديا في هجوم على الموقع")
    # one sum, rounded on one side
    assert not number_clash("بلغت قيمة العقد (84.540.000) ريال", "بلغت قيمة العقد 84 مليون ريال")
    assert not number_clash("توفي 21 شخصا بسبب موجة الحر", "وفاة 21 حالة وإصابة 66 شخصا بالإجهاد")
    # a dateline's day of the month, a Hijri date, a page header's clock time
    assert not number_clash("الرياض 25 شوال 1436 هـ أعلنت الوزارة نتائج القبول",
                            "الرياض 10 اغسطس أعلنت الوزارة نتائج القبول")
    assert not number_clash("الأحد 21 يناير 2018 10 : 22 ص أقر المجلس عقوبات",
                            "الأربعاء 09 : 32 ص أقر المجلس عقوبات")


GOLD_A = ("وارتفع سعر الذهب في المعاملات الفورية 0.3 بالمئة إلى 1096.10 دولار للأوقية في تعاملات "
          "اليوم مدعوما بتراجع الدولار.\n")
GOLD_B = ("وارتفع سعر الذهب في المعاملات الفورية 0.3 بالمئة إلى 1092.10 دولار للأوقية في تعاملات "
          "اليوم مدعوما بتراجع الدولار.\n")


@pytest.mark.parametrize("gate", [True, False])
def test_two_prices_of_gold_in_two_outlets_are_not_one_confirmed_fact(models, gate):
    from corroborate.model import Document, Settings
    from corroborate.pipeline import analyze

    docs = [Document(id="riyadh", text=GOLD_A, outlet="Al Riyadh", published="2015-08-10"),
            Document(id="eqt", text=GOLD_B, outlet="Al Eqtisadiya", published="2015-08-10")]
    result = analyze(docs, models=models, settings=Settings(number_gate=gate))
    joined = [k for k in result.clusters if len(k.doc_ids) == 2]
    # without the gate the two prices are one "corroborated" fact: the wording is the same
    assert bool(joined) is not gate


def test_anchor_words_are_the_words_few_texts_of_the_pile_use():
    from corroborate.matching import anchor_words
    from corroborate.neighbours import candidates

    # a condolence formula in four obituaries, each worded its own way (near copies would
    # count once: one text), and one fact told twice
    texts = ["وتقدم أمير تبوك بخالص العزاء والمواساة سائلا المولى أن يتغمد الفقيد بواسع رحمته",
             "بعث سفير الكويت برقية عزاء للأسرة داعيا الله أن يتغمد الفقيد بواسع رحمته ويلهم ذويه الصبر",
             "نسأل الله أن يتغمد الفقيد بواسع رحمته، هكذا ختم رئيس النادي كلمته في مجلس العزاء",
             "وقدم مدير الجامعة العزاء لأسرة الراحل راجيا من المولى أن يتغمد الفقيد بواسع رحمته وغفرانه"]
    texts += ["وصل فريق الاتحاد إلى مطار جدة قادما من معسكره في النمسا",
              "عاد فريق الاتحاد من معسكر النمسا ووصل مطار جدة مساء أمس"]
    claims = [Claim(f"c-{n}:0", f"d{n}", 0, len(t), t) for n, t in enumerate(texts)]
    vectors = np.eye(len(texts), dtype=np.float32)
    _, copies = candidates(texts, vectors, k=2, floor=0.5, fuzzy=88.0, copy_k=2)
    anchors_of = anchor_words(claims, copies, most=2)
    # the formula's words are in four texts: none is an anchor; the names are, once each
    assert not anchors_of[0] & anchors_of[1]
    assert {"بوك"} <= anchors_of[0]         # «تبوك», stemmed
    # the two accounts of the team's return share the team, the camp and the airport
    assert {"تحاد", "مس", "جد", "مطار"} <= anchors_of[4] & anchors_of[5]


def test_two_documents_sharing_no_anchor_are_not_one_fact():
    from corroborate.matching import gate_by_anchors

    claims = [_claim("a", BLAST_A), _claim("b", BLAST_B), _claim("c", MEETING)]
    anchors_of = [frozenset({"عقب", "اسمد"}), frozenset({"عقب"}), frozenset({"نقاب"})]
    pairs, scores = gate_by_anchors(claims, (np.array([[0, 1], [0, 2]]), np.array([0.8, 0.7])), anchors_of)
    assert scores.tolist() == pytest.approx([0.8, 0.0])


def test_a_cluster_on_a_sentence_pattern_other_stories_tell_is_no_fact_a_storys_own_words_are():
    from corroborate.matching import anchor_words, on_a_frame
    from corroborate.neighbours import candidates

    # six clubs' teams leave for their camps, each told in its own words (no two near copies);
    # two of them in one "cluster" of two documents on the pattern's words alone; and one fact
    # told by two papers in their own words
    texts = ["غادرت بعثة الهلال الكروية صباح أمس متجهة إلى النمسا لإقامة معسكر الفريق الأول",
             "توجهت بعثة النصر الكروية فجر اليوم إلى هولندا استعدادا للموسم الجديد",
             "وصلت بعثة الاتحاد الكروية إلى إيطاليا مساء الأحد في رحلة استغرقت ساعات",
             "تغادر بعثة الأهلي الكروية غدا إلى تركيا حيث يقيم الفريق معسكره",
             "أقلعت طائرة بعثة الشباب الكروية نحو إسبانيا وعلى متنها اللاعبون",
             "بعثة الفتح الكروية حطت في تونس بعد رحلة طويلة عبر القاهرة",
             "وقع نادي الهلال عقدا مع المدافع البرازيلي كارلوس إدواردو لمدة موسمين",
             "أتم الهلال التعاقد مع البرازيلي كارلوس إدواردو مدافعا للفريق موسمين"]
    docs = ["d0", "d1", "d2", "d3", "d4", "e5", "d6", "e7"]
    claims = [Claim(f"c-{d}:{n}", d, n, n + len(t), t) for n, (d, t) in enumerate(zip(docs, texts))]
    _, copies = candidates(texts, np.eye(len(texts), dtype=np.float32), k=2, floor=0.5, fuzzy=88.0, copy_k=2)
    assert not copies.pairs                  # each told in its own words
    anchors_of = anchor_words(claims, copies, most=10)
    assert anchors_of[4] & anchors_of[5] == {"عث", "كروي"}      # «بعثة», «الكروية», stemmed
    clusters = [Cluster("k-pattern", (claims[4].id, claims[5].id), ("d4", "e5")),
                Cluster("k-fact", (claims[6].id, claims[7].id), ("d6", "e7"))]
    # each club's camp its own story: «بعثة» and «الكروية» together are in four texts of other
    # stories, a pattern; the player and his club are in no other text
    apart = {"d0": "s0", "d1": "s1", "d2": "s2", "d3": "s3", "d4": "s4", "e5": "s4", "d6": "s6", "e7": "s6"}
    assert on_a_frame(claims, clusters, anchors_of, copies, apart, least=4) == [0]
    assert on_a_frame(claims, clusters, anchors_of, copies, apart, least=5) == []
    # one story of the pre-season camps: its own words recurring in it pin nothing either way
    camps = dict(apart, d0="s4", d1="s4", d2="s4", d3="s4")
    assert on_a_frame(claims, clusters, anchors_of, copies, camps, least=1) == []
    assert on_a_frame(claims, clusters, anchors_of, copies, apart, least=0) == []

    # in the pipeline the pattern's cluster falls apart (no two of its texts are copies) and its
    # link goes; the fact's cluster and link stay. Stories come from the claims' own vectors
    # (here each document apart) linked by the clusters, as `analyze` groups them.
    from corroborate.model import Document, Settings
    from corroborate.pipeline import undo_frames

    docs_by_id = {d: Document(id=d, text="") for d in docs}
    kept, scores = undo_frames(claims, np.eye(len(texts), dtype=np.float32), clusters,
                               (np.array([[4, 5], [6, 7]]), np.array([0.7, 0.8], dtype=np.float32)),
                               anchors_of, copies, docs_by_id, Settings(frame_texts=4))
    assert [k.claim_ids for k in kept] == [(claims[6].id, claims[7].id), (claims[4].id,), (claims[5].id,)]
    assert scores[1].tolist() == pytest.approx([0.0, 0.8])


def test_one_outlets_two_days_in_one_sentence_pattern_are_two_facts():
    from corroborate.matching import gate_by_editions

    # a paper's camp report on two days, a second paper's on the first day, and the first
    # paper again on the second day with a date of its own
    session = "وأجرى الفريق تدريباته على فترتين صباحية ومسائية في معسكره بالنمسا"
    claims = [Claim("c-a:0", "a", 0, 60, session, time="2015-07-25", time_basis="published"),
              Claim("c-b:0", "b", 0, 60, session, time="2015-07-27", time_basis="published"),
              Claim("c-c:0", "c", 0, 60, session, time="2015-07-25", time_basis="published"),
              Claim("c-d:0", "d", 0, 60, session + " أمس", time="2015-07-26", time_basis="relative"),
              Claim("c-e:0", "e", 0, 60, session, time="2015-07-25", time_basis="published")]
    days = {"a": ("Al Jazirah", "2015-07-25"), "b": ("Al Jazirah", "2015-07-27"),
            "c": ("Al Yaum", "2015-07-25"), "d": ("Al Jazirah", "2015-07-27")}   # e: no outlet known
    pairs = np.array([(0, 1), (0, 2), (0, 3), (1, 2), (0, 4), (1, 4)])
    _, scores = gate_by_editions(claims, (pairs, np.full(6, 0.9, dtype=np.float32)), days)
    # one outlet, two days, undated: two reports; two outlets, a claim that dates itself, or a
    # document of no known outlet: the same-fact scores decide
    assert scores.tolist() == pytest.approx([0.0, 0.9, 0.9, 0.9, 0.9, 0.9])
    _, scores = gate_by_editions(claims, (pairs, np.full(6, 0.9, dtype=np.float32)), {})
    assert scores.tolist() == pytest.approx([0.9] * 6)              # a pile without outlets or days: no rule


@pytest.mark.parametrize("a, b, clash", [
    # one death toll in other words: a count of the dead, or people with a death word beside them
    ("وارتفعت حصيلة قتلى الزلزال إلى 129 قتيلا", "وقالت الوكالة إن 328 شخصا قتلوا في الزلزال", True),
    ("وقال التلفزيون إن 61 شخصا لقوا حتفهم في الزلزال", "وقالت الوكالة إن 328 شخصا قتلوا في الزلزال", True),
    ("وكانت حصيلة أولية أفادت بمقتل أكثر من مئتي شخص في الزلزال", "وأشارت حصيلة سابقة إلى مقتل سبعة أشخاص", True),
    # the same toll, or the dead against the hurt, is no clash
    ("قتل 328 شخصا وأصيب 2500 آخرون في الزلزال", "وقالت الوكالة إن 328 شخصا قتلوا في الزلزال", False),
    ("وأصيب 300 شخص بجروح في الزلزال", "وقالت الوكالة إن 328 شخصا قتلوا في الزلزال", False),
])
def test_two_death_tolls_are_two_facts_however_worded(a, b, clash):
    from corroborate.matching import number_clash

    assert number_clash(a, b) is clash
