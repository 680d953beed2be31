"""Conflicts, stated with small hand-written Arabic examples (a port strike in Basra, a
minister's visit to a factory) and the shipped relation scorer."""

import dataclasses

import numpy as np
import pytest

from corroborate.conflicts import (
    actor_share,
    candidate_pairs,
    contrast_pairs,
    copy_holder,
    find_conflicts,
    life_pairs,
    mark_conflicted,
    outcome_pairs,
    says_both,
    verdict_pairs,
)
from corroborate.cues import claim_cues, pair_cues
from corroborate.model import Claim, Cluster, Conflict, Settings
from corroborate.neighbours import near_copies
from corroborate.text.normalize import normalize_text

SUCCEEDED = "نجحت وساطة وزارة العمل في إنهاء الإضراب في ميناء البصرة بعد مفاوضات مع النقابات استمرت أسبوعين"
FAILED = "وقال قادة النقابات إن وساطة وزارة العمل فشلت في إنهاء إضراب عمال ميناء البصرة"
SUCCEEDED_RELAY = "أعلنت وزارة العمل نجاح وساطتها في إنهاء الإضراب في ميناء البصرة بعد مفاوضات مع النقابات"
ARRIVED = "وصلت السفن المحملة بالقمح إلى ميناء البصرة صباح الأحد"
NOT_ARRIVED = "لم تصل السفن المحملة بالقمح إلى ميناء البصرة صباح الأحد كما كان مقررا"
ARRIVED_NO_INJURED = "وصلت السفن المحملة بالقمح إلى ميناء البصرة صباح الأحد ولم ترد أنباء عن إصابات بين العمال"
FUEL = "وقال متحدث باسم الوزارة إن الحكومة لن ترفع أسعار الوقود هذا العام"
SHIPS_12 = "وقال مسؤول في الميناء إن 12 سفينة تنتظر تفريغ حمولتها في ميناء البصرة"
SHIPS_20 = "وقال مسؤول في الميناء إن 20 سفينة تنتظر تفريغ حمولتها في ميناء البصرة"
OPEN_VISIT = "وذكرت وسائل إعلام محلية أن الوزير زار المصنع في زيارة معلنة حدد موعدها سلفا"
SURPRISE_VISIT = "على عكس ذلك كشف مصدر في الوزارة أن زيارة الوزير للمصنع جاءت بدون ترتيب مسبق"


def _claim(doc: str, n: int, text: str, time: str | None, origin: str | None = None) -> Claim:
    return Claim(id=f"c-{doc}:{n}", doc_id=doc, start=n, end=n + len(text), text=text, time=time,
                 origin=origin or doc)


@pytest.fixture(scope="module")
def run(models):
    def run(claims, settings=Settings()):
        """find_conflicts as analyze calls it: the shipped scorer, relays marked by near_copies."""
        vectors = models.encoder.encode([c.text for c in claims])
        clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]
        copies = near_copies([normalize_text(c.text) for c in claims], fuzzy=settings.fuzzy)
        return find_conflicts(claims, clusters, vectors, models.scorer, settings,
                              near_copies=lambda i, j: bool(copies[i, j]))
    return run


def test_a_success_and_a_failure_years_apart_are_an_update(run):
    [conflict] = run([_claim("a", 0, SUCCEEDED, "2024-03"), _claim("b", 0, FAILED, "2021-06")])
    assert (conflict.claim_a, conflict.claim_b, conflict.scope) == ("c-a:0", "c-b:0", "neighbours")
    assert conflict.temporal == "different-period"
    assert "may be an update" in conflict.explanation
    [same_month] = run([_claim("a", 0, SUCCEEDED, "2024-03"), _claim("b", 0, FAILED, "2024-03")])
    assert same_month.temporal == "same-period" and "cannot both be true" in same_month.explanation


def test_two_relays_of_one_report_do_not_conflict(run):
    assert run([_claim("a", 0, SUCCEEDED, "2024-03"), _claim("c", 0, SUCCEEDED_RELAY, "2024-03")]) == []


def test_a_denial_of_what_the_other_outlet_reports_conflicts(run):
    [conflict] = run([_claim("a", 0, ARRIVED, "2024-03"), _claim("b", 0, NOT_ARRIVED, "2024-03")])
    assert conflict.cues[0].startswith("negation: لم")
    assert conflict.temporal == "same-period"


def test_a_negated_detail_the_other_claim_never_mentions_is_no_conflict(run):
    # «ولم ترد أنباء عن إصابات» denies nothing the plain report of the arrival asserts
    assert run([_claim("a", 0, ARRIVED, "2024-03"), _claim("b", 0, ARRIVED_NO_INJURED, "2024-03")]) == []
    ca, cb = claim_cues(ARRIVED), claim_cues(NOT_ARRIVED)
    assert [c.kind for c in pair_cues(ca, cb)] == ["negation"]
    assert pair_cues(claim_cues(ARRIVED), claim_cues(ARRIVED_NO_INJURED)) == []
    # with the check off, any negation on one side only is a cue for the model to weigh
    assert [c.kind for c in pair_cues(claim_cues(ARRIVED), claim_cues(ARRIVED_NO_INJURED),
                                      Settings(negation_scope=0))] == ["negation"]


def test_a_negation_about_something_else_is_not_a_conflict(run):
    assert run([_claim("a", 0, SUCCEEDED, "2024-03"), _claim("b", 0, FUEL, "2024-03")]) == []


def test_two_counts_of_the_same_ships_conflict(run):
    [conflict] = run([_claim("a", 0, SHIPS_12, "2024-03"), _claim("b", 0, SHIPS_20, "2024-03")])
    assert conflict.cues[0].startswith("number: 12 vs 20")


def test_a_claim_opening_with_a_contrast_phrase_answers_the_one_before(run):
    # as split_claims attributes them: «وذكرت وسائل إعلام محلية …», «… كشف مصدر في الوزارة …»
    claims = [dataclasses.replace(_claim("d", 0, OPEN_VISIT, "2023-05"), attributed_to=("وسائل إعلام محلية",)),
              dataclasses.replace(_claim("d", 100, SURPRISE_VISIT, "2023-05"), attributed_to=("مصدر في الوزارة",))]
    assert contrast_pairs(claims) == [(0, 1)]
    [conflict] = run(claims)
    assert (conflict.claim_a, conflict.claim_b, conflict.scope) == ("c-d:0", "c-d:100", "document")
    assert conflict.temporal == "same-period"
    assert conflict.explanation.startswith("The second claim opens with «علي عكس ذلك»")


def test_a_contrast_between_two_parties_views_of_two_things_is_no_conflict(run):
    # an analyst sets Washington's view of one thing against Ankara's fear of another: the phrase
    # opens a comparison, not an account of what the first claim tells
    claims = [dataclasses.replace(_claim("d", 0, "وترى الولايات المتحدة أن سورية مصدر للإرهاب بما يهدد استقرار الشرق الأوسط",
                                         "2015-08"), attributed_to=("الولايات المتحدة",)),
              _claim("d", 100, "وعلى النقيض فإن تركيا تخاف أكثر من أن يصبح هذا البلد أداة للتوسع الكردي", "2015-08")]
    assert contrast_pairs(claims) == [(0, 1)] and run(claims) == []


def test_a_contrast_phrase_after_a_negated_claim_goes_on_with_it():
    # not X; on the contrary, Y: the article argues one side, it sets no account against another
    claims = [_claim("d", 0, "لكن إرجاء محادثات السلام لا يعني إلغاءها", None),
              _claim("d", 100, "على العكس، فإن الملا منصور معتدل ويؤيد السلام بحسب عضو في مجلس السلام", None)]
    assert contrast_pairs(claims) == []


def test_a_contrast_phrase_pairs_only_inside_one_article():
    assert contrast_pairs([_claim("d", 0, OPEN_VISIT, None), _claim("e", 100, SURPRISE_VISIT, None)]) == []


def test_two_claims_of_one_article_conflict_only_through_a_contrast_phrase(run):
    inside = [_claim("f", 0, ARRIVED, None), _claim("f", 900, NOT_ARRIVED, None)]
    assert run(inside) == []
    [conflict] = run(inside, Settings(within_article=True))
    # one undated article naming no time: its claims speak of one period
    assert conflict.temporal == "same-period" and "one undated article" in conflict.explanation


def test_claims_of_two_undated_articles_have_no_known_period(run):
    [conflict] = run([_claim("f", 0, ARRIVED, None), _claim("g", 0, NOT_ARRIVED, None)])
    assert conflict.temporal == "unknown"


def test_an_actor_is_the_same_when_either_claim_names_the_others():
    idf = {"نقاب": 1.0, "معلم": 2.0, "طبيب": 2.0, "وزير": 1.0, "اقتراح": 1.5}
    teachers, doctors = frozenset({"نقاب", "معلم"}), frozenset({"نقاب", "طبيب"})
    # the teachers' union agreed, the doctors' union refused: a third of the weight is shared
    assert actor_share(teachers, doctors, teachers | {"اقتراح"}, doctors | {"اقتراح"}, idf) == pytest.approx(1 / 3)
    # the other claim names the teachers elsewhere in its sentence
    assert actor_share(teachers, doctors, teachers, doctors | {"معلم"}, idf) == 1.0
    assert actor_share(frozenset(), frozenset(), frozenset(), frozenset(), idf) == 0.0


def test_opposed_outcomes_from_other_origins_are_candidates_whatever_the_nearest_neighbours(encoder):
    claims = [_claim("a", 0, SUCCEEDED, "2024-03", origin="Reuters"),
              _claim("b", 0, FAILED, "2021-06", origin="Shafaq"),
              _claim("c", 0, SUCCEEDED_RELAY, "2024-03", origin="Shafaq")]
    vectors = encoder.encode([c.text for c in claims])
    # succeeded (a) vs failed (b): two origins; failed (b) vs succeeded (c): one origin, one account
    assert outcome_pairs(claims, vectors, floor=0.5, k=2) == [(0, 1)]
    assert (0, 1, "neighbours") in candidate_pairs(claims, [], vectors, neighbour_similarity=0.5, k=0, outcome_k=2)


def test_candidates_stay_bounded_by_k_per_claim():
    rng = np.random.default_rng(42)
    vectors = rng.normal(size=(300, 8)).astype("float32") + 5.0     # all very similar
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = ["لم تقع هجمات", "على عكس ذلك وقعت هجمات", "توقفت الهجمات", "استمرت الهجمات"]
    claims = [dataclasses.replace(_claim(f"d{i % 7}", i, texts[i % 4], None), origin=f"o{i % 5}")
              for i in range(300)]
    assert 0 < len(outcome_pairs(claims, vectors, floor=0.5, k=2)) <= 150 * 2
    pairs = candidate_pairs(claims, [], vectors, neighbour_similarity=0.5, k=5, outcome_k=2)
    # neighbours, opposed outcomes, contrast phrases: each bounded per claim
    assert 0 < len(pairs) <= 300 * 5 + 150 * 2 + 300
    assert pairs == sorted(pairs)
    # without within-article pairs only contrast pairs join two claims of one document
    across = candidate_pairs(claims, [], vectors, neighbour_similarity=0.5, k=5, outcome_k=2, within_article=False)
    contrasts = set(contrast_pairs(claims))
    assert all(claims[i].doc_id != claims[j].doc_id or (i, j) in contrasts for i, j, _ in across)


def test_mark_conflicted_flags_only_clusters_with_a_conflicting_member():
    clusters = [Cluster(id="k-1", claim_ids=("c-a:0", "c-b:0"), doc_ids=("a", "b"), status="corroborated"),
                Cluster(id="k-2", claim_ids=("c-c:0",), doc_ids=("c",))]
    conflict = Conflict("c-a:0", "c-z:0", 0.9, "same-period", "negation: لم only in a")
    assert [c.status for c in mark_conflicted(clusters, [conflict])] == ["conflicted", "single-source"]


def test_claims_of_two_stories_never_conflict_but_through_a_contrast_phrase(models):
    claims = [_claim("a", 0, SUCCEEDED, "2024-03"), _claim("b", 0, FAILED, "2024-03")]
    vectors = models.encoder.encode([c.text for c in claims])

    def clusters(story_a, story_b):
        return [Cluster(id="k-a", claim_ids=("c-a:0",), doc_ids=("a",), story=story_a),
                Cluster(id="k-b", claim_ids=("c-b:0",), doc_ids=("b",), story=story_b)]
    one = find_conflicts(claims, clusters("s-1", "s-1"), vectors, models.scorer, Settings())
    two = find_conflicts(claims, clusters("s-1", "s-2"), vectors, models.scorer, Settings())
    assert len(one) == 1 and two == []
    assert find_conflicts(claims, clusters("s-1", "s-2"), vectors, models.scorer, Settings(same_story=False))


def test_claims_of_one_story_are_candidates_however_many_claims_are_nearer(models):
    # each article's own paraphrase takes the one neighbour each claim is allowed
    claims = [_claim("a", 0, ARRIVED, "2024-03"),
              _claim("a", 100, "وصلت صباح الأحد السفن المحملة بالقمح إلى ميناء البصرة", "2024-03"),
              _claim("b", 0, NOT_ARRIVED, "2024-03"),
              _claim("b", 100, "لم تصل صباح الأحد السفن المحملة بالقمح إلى ميناء البصرة كما كان مقررا", "2024-03")]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,), story="s-1") for c in claims]
    tight = Settings(conflict_candidates=1, story_candidates=False, within_article=False)
    assert not find_conflicts(claims, clusters, vectors, models.scorer, tight)
    found = find_conflicts(claims, clusters, vectors, models.scorer, dataclasses.replace(tight, story_candidates=True))
    assert found and all(c.scope == "story" and c.claim_a.startswith("c-a") for c in found)


def test_a_columnists_contrast_that_says_no_one_asserts_it_is_no_conflict(run):
    east = "ولهذا السبب فإن تأثير ابن سينا اضمحل في العالم العربي بعد الدخول في عصر الانحطاط"
    west = "على العكس من ذلك فإن تأثيره في الغرب اللاتيني المسيحي كان كبيرا في وقت من الأوقات"
    claims = [_claim("d", 0, east, "2015-08"), _claim("d", 100, west, "2015-08")]
    assert contrast_pairs(claims) == [(0, 1)] and run(claims) == []


def test_a_contrast_between_two_subjects_figures_is_no_conflict(run):
    # an attributed market report sets one market's loss against the others' gains: two
    # measurements, as opposed words with figures that share none (test_cues)
    gains = "وأضاف التقرير أن مكاسب سوق أبوظبي بلغت 2.3% خلال شهر يوليو وكانت الأعلى تلتها سوق عمان بنسبة 2.1%"
    loss = "وعلى العكس من ذلك تراجعت عوائد السوق القطري بنسبة 3.4% ليتذيل قائمة أسواق المنطقة"
    claims = [dataclasses.replace(_claim("d", 0, gains, "2015-08"), attributed_to=("التقرير",)),
              _claim("d", 200, loss, "2015-08")]
    assert contrast_pairs(claims) == [(0, 1)] and run(claims) == []
    same_figure = loss.replace("3.4%", "2.3%")     # one figure told two ways still answers the claim
    [conflict] = run([claims[0], _claim("d", 200, same_figure, "2015-08")])
    assert conflict.cues[0].startswith("contrast")


def test_two_days_of_one_period_are_two_facts_not_a_conflict(run):
    # Monday's close and Tuesday's: the same sentence, opposite moves, two days' facts (one
    # figure on both sides, else the figures alone make them two measurements: test_cues)
    rose = "وزاد مؤشر سوق الكويت 0.5 في المئة إلى 6282 نقطة"
    fell = "وفي الكويت تراجع مؤشر السوق 0.5 في المئة إلى 6282 نقطة"
    assert run([_claim("a", 0, rose, "2015-07-26"), _claim("b", 0, fell, "2015-07-26")])
    assert not run([_claim("a", 0, rose, "2015-07-26"), _claim("b", 0, fell, "2015-07-27")])
    assert run([_claim("a", 0, rose, "2015-07-26"), _claim("b", 0, fell, "2015-07-27")],
               Settings(one_day=False))
    # years apart is an update, as before
    [update] = run([_claim("a", 0, SUCCEEDED, "2024-03-02"), _claim("b", 0, FAILED, "2021-06-01")])
    assert update.temporal == "different-period"


def test_two_subjects_of_one_template_share_no_anchor_and_do_not_conflict(models):
    # one figure on both sides: with two, the figures alone would tell two measurements (test_cues)
    french = "وارتفع صافي أرباح البنك السعودي الفرنسي بنسبة 18.7 في المئة في النصف الأول من العام"
    british = "وتراجع صافي أرباح البنك السعودي البريطاني بنسبة 18.7 في المئة في النصف الأول من العام"
    claims = [_claim("a", 0, french, "2015-07-24"), _claim("b", 0, british, "2015-07-24")]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]

    def found(anchors):
        return find_conflicts(claims, clusters, vectors, models.scorer, Settings(), anchors=anchors)
    assert found(None)                                   # rose against fell, read as one bank's result
    # what each names that few texts of a pile name: the bank, not the template's words
    assert not found([frozenset({"الفرنسي"}), frozenset({"البريطاني"})])
    assert found([frozenset({"الفرنسي", "2015"}), frozenset({"الفرنسي"})])


def test_titles_that_name_two_subjects_keep_their_claims_from_conflicting(models):
    from corroborate.conflicts import title_subjects, two_subjects

    # a pile of many titles: the results season's words are common, the companies' names rare
    titles = {f"d{n}": f"أرباح الشركة {word} في النصف الأول" for n, word in
              enumerate(["ترتفع", "تتراجع", "تستقر", "تتحسن"] * 60)}
    titles |= {"a": "ارتفاع صافي أرباح بترورابغ في النصف الأول", "b": "تراجع أرباح الصناعات الكهربائية",
               "c": "بترورابغ توزع أرباحا على المساهمين"}
    subjects = title_subjects(titles, most=20)
    assert two_subjects(subjects, "a", "b") and not two_subjects(subjects, "a", "c")
    assert not two_subjects(subjects, "a", "d1")            # a title of common words names no subject
    # among five titles every word is rare: nothing is told apart
    assert title_subjects({k: titles[k] for k in ("a", "b", "c", "d1", "d2")}, most=20) is None

    rose = "وارتفع صافي أرباح الشركة بنسبة 21 في المئة في النصف الأول من العام الحالي"
    fell = "وتراجع صافي أرباح الشركة بنسبة 21 في المئة في النصف الأول من العام الحالي"
    claims = [_claim("a", 0, rose, "2015-07-24"), _claim("b", 0, fell, "2015-07-24")]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]
    assert find_conflicts(claims, clusters, vectors, models.scorer, Settings())
    assert not find_conflicts(claims, clusters, vectors, models.scorer, Settings(), subjects=subjects)


def test_two_denials_of_one_rumour_agree(run):
    denied = "نفى وزير التعليم ما تم تداوله في مواقع التواصل عن تأجيل بدء الدراسة إلى ما بعد الحج"
    untrue = "وكان وزير التعليم قد أكد عدم صحة ما يتم تداوله عن تأجيل الدراسة إلى ما بعد الحج"
    assert not run([_claim("a", 0, denied, "2015-07-26"), _claim("b", 0, untrue, "2015-07-26")])


def test_one_outlets_two_articles_of_a_day_count_two_things(models):
    from corroborate.conflicts import editions
    from corroborate.model import Document

    claims = [_claim("a", 0, SHIPS_12, "2015-07-22"), _claim("b", 0, SHIPS_20, "2015-07-22")]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]

    def found(outlet_b, day_b, settings=Settings()):
        docs = [Document(id="a", text=SHIPS_12, outlet="Al Yaum", published="2015-07-22T10:00"),
                Document(id="b", text=SHIPS_20, outlet=outlet_b, published=day_b)]
        return find_conflicts(claims, clusters, vectors, models.scorer, settings, editions=editions(docs))
    assert [c.kind for c in found("Okaz", "2015-07-22")] == ["numbers"]      # two outlets: a conflict
    assert not found("Al Yaum", "2015-07-22")             # one paper's two reports of the day
    assert found("Al Yaum", "2015-07-22", Settings(one_edition=False))
    assert editions([Document(id="c", text="", outlet="Al Yaum", published="2015-07")]) == {}


def _port_bulletin(models, other: str):
    """Paper a's 12 ships, paper b's 20 and `other`, paper b's next sentence: claims, their
    vectors, one cluster each."""
    claims = [_claim("a", 0, SHIPS_12, "2024-03"), _claim("b", 0, SHIPS_20, "2024-03"), _claim("b", 1, other, "2024-03")]
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]
    return claims, models.encoder.encode([c.text for c in claims]), clusters


def test_a_paper_that_prints_both_sides_sets_neither_against_the_other(models):
    # two papers print one port bulletin: 12 ships waiting on Sunday, 20 on Monday; the first
    # paper's Sunday line is the second's, copied, so the 12 and the 20 are not two accounts
    sunday_again = "وقال مسؤول في الميناء ان 12 سفينة تنتظر تفريغ حمولتها في ميناء البصرة"
    claims, vectors, clusters = _port_bulletin(models, sunday_again)
    copies = near_copies([normalize_text(c.text) for c in claims], fuzzy=Settings().fuzzy)
    both = says_both(claims, copy_holder(claims, copies))
    assert both(0, 1) and both(1, 0)        # paper b holds a copy of a's claim beside its own
    assert not both(0, 2)                   # a claim and its own copy: neither paper holds the 20
    alone = says_both(claims[:2], copy_holder(claims[:2], near_copies([normalize_text(c.text) for c in claims[:2]],
                                                                    fuzzy=Settings().fuzzy)))
    assert not alone(0, 1)                  # without the copied line paper b gives only its own count

    def found(one_text, settings):
        return [(c.claim_a, c.claim_b, c.kind) for c in find_conflicts(
            claims, clusters, vectors, models.scorer, settings, near_copies=copies, one_text=one_text)]
    assert found(None, Settings(one_text=False)) == [("c-a:0", "c-b:0", "numbers")]
    assert found(both, Settings(one_text=False)) == []
    assert found(None, Settings()) == []     # paper b gives the 12 too: no count against count


def test_a_count_the_other_paper_also_gives_is_no_difference(models):
    # paper b gives Sunday's 12 in a sentence of its own (no copy of a's) beside Monday's 20
    sunday = "وكان عدد السفن التي تنتظر في الميناء يوم الأحد 12 سفينة بحسب الإدارة"
    claims, vectors, clusters = _port_bulletin(models, sunday)

    def kinds(settings):
        return [c.kind for c in find_conflicts(claims, clusters, vectors, models.scorer, settings)
                if (c.claim_a, c.claim_b) == ("c-a:0", "c-b:0")]
    assert kinds(Settings(one_text=False)) == ["numbers"]
    assert kinds(Settings()) == []
    # paper b's other sentence gives another count (8): the 12 and the 20 still differ
    claims, vectors, clusters = _port_bulletin(models, sunday.replace("12", "8"))
    assert kinds(Settings()) == ["numbers"]


def test_counts_far_apart_of_the_same_ships_count_two_things(run):
    ships_40 = SHIPS_20.replace("20", "40")      # 12 against 40: more than three times apart
    assert not run([_claim("a", 0, SHIPS_12, "2024-03"), _claim("b", 0, ships_40, "2024-03")])
    assert run([_claim("a", 0, SHIPS_12, "2024-03"), _claim("b", 0, ships_40, "2024-03")], Settings(count_ratio=0))


VISIT_FAILED = "ويرى محلل سياسي أن زيارة الوزير للمصنع غير ناجحة لأنها لم تحل أزمة الأجور المتأخرة"
VISIT_SUCCEEDED = "ووصف مسؤول في الشركة زيارة الوزير للمصنع بأنها كانت ناجحة وأعادت العمال إلى خطوط الإنتاج"


def test_one_named_thing_judged_a_success_and_a_failure_years_apart_is_an_update(models):
    # two visits of one minister, three years apart: the same-fact scorer sees two facts, yet a
    # desk wants to see the verdict turn (the seeds' 2021 and 2024 visits to Baghdad)
    claims = [_claim("a", 0, VISIT_SUCCEEDED, "2024-02"), _claim("b", 0, VISIT_FAILED, "2021-08")]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]

    def conflicts(verdicts):
        return find_conflicts(claims, clusters, vectors, models.scorer, Settings(verdicts=verdicts),
                              same_fact=models.same_fact)
    assert conflicts(False) == []
    [found] = conflicts(True)
    assert found.cues[0] == "verdict: ناجحه vs غير ناجحه (زياره الوزير للمصنع)" and found.kind == "contradiction"
    assert found.temporal == "different-period" and "a success and the other a failure" in found.explanation


def test_verdicts_pair_only_opposite_judgements_of_two_documents_and_two_origins():
    texts = [VISIT_SUCCEEDED, VISIT_FAILED, "وأكد الوزير أن زيارة الوزير للمصنع كانت ناجحة بكل المقاييس"]
    claims = [_claim("a", 0, texts[0], None), _claim("b", 0, texts[1], None), _claim("c", 0, texts[2], None)]
    assert verdict_pairs(claims) == [(0, 1), (1, 2)]
    same_origin = [dataclasses.replace(c, origin="Reuters") for c in claims]
    assert verdict_pairs(same_origin) == []
    one_document = [dataclasses.replace(c, doc_id="a") for c in claims]
    assert verdict_pairs(one_document) == []


KILLED = "أعلنت وزارة الدفاع مقتل القائد الميداني سالم العبيدي في غارة جوية على معسكره قرب الحدود"
ALIVE = "في المقابل قال مقربون من الكتيبة إن القائد الميداني سالم العبيدي ما زال على قيد الحياة وإنه غادر المعسكر قبل الغارة"


def test_one_says_a_man_is_alive_and_the_other_that_he_was_killed(models):
    # two stories of a pile may tell it (the raid; the brigade's affairs): one life, a dispute
    claims = [_claim("a", 0, KILLED, None), _claim("b", 0, ALIVE, None)]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,), story=f"s-{c.doc_id}")
                for c in claims]

    def conflicts(lives):
        return find_conflicts(claims, clusters, vectors, models.scorer, Settings(life_states=lives),
                              same_fact=models.same_fact)
    assert conflicts(False) == []
    [found] = conflicts(True)
    assert found.kind == "contradiction" and found.cues[0].startswith("life: dead / alive: ")
    assert "العبيدي" in found.cues[0] and "alive and the other that they died" in found.explanation


def test_life_pairs_need_two_sources_and_two_words_in_common():
    claims = [_claim("a", 0, KILLED, None), _claim("b", 0, ALIVE, None),
              _claim("c", 0, "وقال الطبيب إن المريض ما زال على قيد الحياة", None)]
    assert life_pairs(claims) == [(0, 1)]
    assert life_pairs([dataclasses.replace(c, origin="Reuters") for c in claims]) == []
    assert life_pairs([dataclasses.replace(c, doc_id="a") for c in claims]) == []


def test_one_article_that_reports_a_death_and_a_source_who_says_alive_reports_a_dispute(models):
    said_dead = dataclasses.replace(_claim("a", 0, "وكانت وسائل إعلام محلية ذكرت أن القائد الميداني سالم العبيدي "
                                               "توفي قبل عام متأثرا بجراحه", None),
                                    attributed_to=("وسائل إعلام محلية",))
    said_alive = dataclasses.replace(_claim("a", 1, "وأكد قيادي في الكتيبة أنه تحدث إلى ابن القائد الميداني سالم "
                                                "العبيدي وأنه ما زال على قيد الحياة", None),
                                     attributed_to=("قيادي في الكتيبة",))
    claims = [said_dead, said_alive]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]
    [found] = find_conflicts(claims, clusters, vectors, models.scorer, Settings(), same_fact=models.same_fact)
    assert found.scope == "document" and found.said_by == ("وسائل إعلام محلية", "قيادي في الكتيبة")
    # the article's own voice twice is one source telling two things, not a dispute
    unattributed = [dataclasses.replace(c, attributed_to=()) for c in claims]
    assert find_conflicts(unattributed, clusters, vectors, models.scorer, Settings(), same_fact=models.same_fact) == []


def test_a_denied_death_against_the_report_of_it_is_a_denial(models):
    denied = _claim("b", 0, "ونفت الكتيبة في بيان الأنباء التي ترددت حول مقتل القائد الميداني سالم العبيدي في غارة جوية", None)
    claims = [_claim("a", 0, KILLED, None), denied]
    vectors = models.encoder.encode([c.text for c in claims])
    clusters = [Cluster(id=f"k-{c.id}", claim_ids=(c.id,), doc_ids=(c.doc_id,)) for c in claims]
    found = find_conflicts(claims, clusters, vectors, models.scorer, Settings(), same_fact=models.same_fact)
    assert [(c.kind, c.cues[0].split(":")[0]) for c in found] == [("denial", "denied_death")]
    assert "denies that someone died" in found[0].explanation and found[0].said_by[1] == "الكتيبة"
