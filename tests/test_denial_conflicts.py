import pytest

from corroborate.model import Claim, Cluster, Document, Settings
from corroborate.pipeline import analyze

REPORT = ("أفاد مسؤول في الدفاع المدني بأن الانفجار الذي هز وسط العاصمة مساء أمس نجم عن تسرب غاز "
          "في مطعم شعبي.\nوأسفر الانفجار عن مقتل 120 شخصا وإصابة العشرات بحسب وزارة الصحة.\n")
DENIAL = ("ونفى مصدر أمني رفيع أن يكون الانفجار الذي هز وسط العاصمة قد نجم عن تسرب غاز في مطعم "
          "شعبي، مؤكدا أن عبوة ناسفة زرعت في المكان.\nوأسفر الانفجار عن مقتل 300 شخص وفق مصادر طبية.\n")
UNRELATED = "افتتح وزير النقل الطريق الدائري الجديد في المدينة بعد عامين من العمل المتواصل.\n"


@pytest.fixture(scope="module")
def blast(models):
    docs = [Document(id="report", text=REPORT, outlet="Al Riyadh", published="2015-08-10"),
            Document(id="denial", text=DENIAL, outlet="Okaz", published="2015-08-10"),
            Document(id="other", text=UNRELATED, outlet="Al Yaum", published="2015-08-10")]
    return analyze(docs, models=models)


def _claim(analysis, doc_id: str, words: str) -> Claim:
    return next(c for c in analysis.claims if c.doc_id == doc_id and words in c.text)


def test_a_denial_is_a_conflict_of_its_own_kind_saying_who_denies(blast):
    report, denial = _claim(blast, "report", "تسرب غاز"), _claim(blast, "denial", "تسرب غاز")
    found = [c for c in blast.conflicts if {c.claim_a, c.claim_b} == {report.id, denial.id}]
    assert len(found) == 1 and found[0].kind == "denial"
    assert "مصدر أمني" in found[0].explanation and "تسرب غاز" in found[0].cues[0]
    said = dict(zip((found[0].claim_a, found[0].claim_b), found[0].said_by))
    assert "مصدر أمني" in said[denial.id] and said[report.id] == "مسؤول"


def test_a_claim_and_its_denial_are_never_one_fact_nor_corroborated_together(blast):
    report, denial = _claim(blast, "report", "تسرب غاز"), _claim(blast, "denial", "تسرب غاز")
    cluster_of = {c: k for k in blast.clusters for c in k.claim_ids}
    assert cluster_of[report.id] is not cluster_of[denial.id]
    assert not set(denial.also_supports) & {cluster_of[report.id].id}


def test_the_different_counts_are_still_flagged_and_nothing_denies_the_unrelated_article(blast):
    counts = [c for c in blast.conflicts if c.kind == "numbers"]
    assert counts and any("300 vs 120" in cue for c in counts for cue in c.cues)
    other = {c.id for c in blast.claims if c.doc_id == "other"}
    assert not any({c.claim_a, c.claim_b} & other for c in blast.conflicts)


def test_keep_apart_takes_a_denial_out_of_the_cluster_of_what_it_denies():
    from corroborate.denials import DenialMatch, keep_apart

    claims = [Claim("c-a:0", "a", 0, 5, "x"), Claim("c-b:0", "b", 0, 5, "y"), Claim("c-c:0", "c", 0, 5, "z")]
    together = [Cluster("k-1", ("c-a:0", "c-b:0", "c-c:0"), ("a", "b", "c"))]
    split = keep_apart(claims, together, [DenialMatch(denier=1, target=0, score=0.9, proposition="x",
                                                      speaker=None)])
    assert sorted(k.claim_ids for k in split) == [("c-a:0", "c-c:0"), ("c-b:0",)]


def test_a_denial_and_a_claim_that_denies_nothing_are_never_one_fact_even_unmatched():
    import numpy as np

    from corroborate.denials import apart_from_deniers, denied_propositions

    claims = [Claim("c-a:0", "a", 0, 60, "قالت وزارة الدفاع الروسية إن هناك معلومات تدل على مقتل زعيم التنظيم بغارة"),
              Claim("c-b:0", "b", 0, 60, "نفت مصادر عراقية الأنباء التي ترددت حول مقتل زعيم التنظيم بغارة روسية"),
              Claim("c-c:0", "c", 0, 60, "ونفى مسؤول عراقي ما تردد عن مقتل زعيم التنظيم في غارة روسية"),
              Claim("c-d:0", "d", 0, 60, "رجحت موسكو مقتل زعيم التنظيم في غارة على الرقة")]
    deniers = denied_propositions(claims)
    assert set(deniers) == {1, 2}
    pairs = np.array([(0, 1), (0, 2), (1, 2), (0, 3), (1, 3)])
    _, scores = apart_from_deniers((pairs, np.full(5, 0.8, dtype=np.float32)), deniers)
    # the report and a denial: two facts; two denials, or two reports, may still be one
    assert scores.tolist() == pytest.approx([0.0, 0.0, 0.8, 0.8, 0.0])


def test_a_pointing_denial_late_in_its_claim_points_at_its_own_words():
    from corroborate.denials import denied_propositions

    before = Claim("c-a:0", "a", 0, 40, "وقال المتحدث إن الشركة حققت أرباحا قياسية هذا العام")
    early = Claim("c-a:1", "a", 41, 80, "لكن الشركة نفت ذلك في بيان")
    late = Claim("c-a:2", "a", 81, 200, "ويتهم حلفاء الشركة منذ أشهر إدارتها بأنها لا تبذل جهودا كافية لحماية "
                                        "العملاء مع أن الإدارة تنفي ذلك باستمرار")
    found = denied_propositions([before, early, late])
    assert found[1][0] == before.text      # «نفت ذلك» opening its claim: the sentence before
    assert 2 not in found                  # the accusation it denies is its own claim's


def test_a_denial_in_another_document_needs_an_anchor_in_common_with_what_it_matches():
    from corroborate.denials import DenialMatch, anchored
    from corroborate.text.content import content_stems

    denier = Claim("c-a:0", "a", 0, 60, "ونفى زوج المعلمة زيارة أي مسؤول من جامعة تبوك له لتقديم العزاء")
    column = Claim("c-b:0", "b", 0, 60, "سألني ذات مرة أحد المسؤولين عن النموذج الأمثل لإدارة جامعة وطنية")
    report = Claim("c-c:0", "c", 0, 60, "وزار وفد من جامعة تبوك زوج المعلمة لتقديم العزاء")
    charges = Claim("c-d:0", "d", 0, 60, "ويواجه رضايان تهم التجسس في سجن إيفين")
    claims = [denier, column, report, charges]
    # as a pile's anchors would be: its common words («مسؤول», «جامعة») left out
    common = content_stems("نفى مسؤول جامعة زيارة ذات مرة")
    anchors = [frozenset(content_stems(c.text)) - common for c in claims]

    def match(target, proposition="زيارة أي مسؤول من جامعة تبوك له"):
        return DenialMatch(denier=0, target=target, score=0.9, proposition=proposition, speaker=None)
    kept = anchored(claims, [match(1), match(2), match(3, "تهم التجسس الموجهة إليه")], anchors)
    assert [m.target for m in kept] == [2, 3]      # the column shares no rare word; the charges share the denied one


def test_a_pointing_denial_after_a_denial_says_it_again_and_denies_nothing_new():
    from corroborate.denials import denied_propositions

    said = Claim("c-a:0", "a", 0, 60, "ونفى والد الطالبة ما أشيع حول قيام ابنه بتغيير رغباتها")
    again = Claim("c-a:1", "a", 61, 100, "وقال هذا افتراء وكذب وأنفيه نفيا تاما")
    report = Claim("c-b:0", "b", 0, 50, "ذكرت تقارير أن الشركة أوقفت إنتاجها")
    denies = Claim("c-b:1", "b", 51, 80, "لكن الشركة نفت ذلك في بيان")
    found = denied_propositions([said, again, report, denies])
    assert 1 not in found                  # the father's denial, said again
    assert found[3][0] == report.text      # a report, then «نفت ذلك»: the report is denied
    assert "بتغيير" in found[0][0]            # the first denial still denies what was rumoured
    # a claim that negates what was reported, then «لا اساس لها من الصحة»: one denial, said twice
    negated = Claim("c-c:0", "c", 0, 90, "وقال داود اوغلو ان بلاده، على عكس بعض المعلومات، لم تنذر مسبقا النظام السوري بالغارات")
    baseless = Claim("c-c:1", "c", 91, 130, 'وقال ان "هذه المعلومات "لا اساس لها من الصحة"')
    assert 1 not in denied_propositions([negated, baseless])


def test_a_pointing_denial_that_names_its_topic_first_points_inside_its_claim():
    from corroborate.denials import denied_propositions

    song = Claim("c-a:0", "a", 0, 50, "وأشار إلى أغنية أبعاد التي لاقت انتشارا كبيرا أيضا")
    topic = Claim("c-a:1", "a", 51, 130, "وعن اتهامه بخطف الأغاني قال إن الأمر هو مجرد إشاعات")
    asked = Claim("c-a:2", "a", 131, 200, "وقال حين كنا نسأل عن نية لتقسيم البلاد كان الجميع ينفي")
    report = Claim("c-b:0", "b", 0, 50, "ذكرت تقارير أن الشركة أوقفت إنتاجها")
    denies = Claim("c-b:1", "b", 51, 80, "لكن الشركة نفت ذلك في بيان")
    found = denied_propositions([song, topic, asked, report, denies])
    assert 1 not in found and 2 not in found    # the accusation, the question: their own words
    assert found[4][0] == report.text           # a bare pointer still denies the claim before


def test_a_report_with_a_weak_negator_can_still_be_what_a_denial_denies(models):
    from corroborate.denials import match_denials

    settings = Settings()
    report = Claim("c-a:0", "a", 0, 90, "وتواترت خلال الفترة الماضية أنباء عن تأجيل بداية العام الدراسي إلى ما بعد إجازة الحج")
    denies = Claim("c-b:0", "b", 0, 80, "ونفى وزير التعليم ما تم تداوله عن تأجيل بداية العام الدراسي إلى ما بعد إجازة الحج")
    negated = Claim("c-c:0", "c", 0, 80, "ولم تؤجل الوزارة بداية العام الدراسي إلى ما بعد إجازة الحج")
    claims = [report, denies, negated]
    vectors = models.encoder.encode([c.text for c in claims])
    found = match_denials(claims, vectors, models.encoder, models.same_fact, k=settings.denial_candidates,
                          floor=settings.similarity, threshold=settings.denial_same_fact)
    # «إلى ما بعد» is no negation of the report; «ولم تؤجل» says what the denial says
    assert [(m.denier, m.target) for m in found] == [(1, 0)]


def test_a_paper_that_prints_the_denial_beside_the_report_does_not_stand_against_it(models):
    # Al Riyadh reports the gas leak and, in the next line, Okaz's denial word for word: the two
    # papers agree; a paper that reports the leak alone, in its own words, stands against the denial
    both = REPORT.split("\n")[0] + "\n" + DENIAL.split("\n")[0] + "\n"
    alone = "وقال مسؤول في الدفاع المدني إن الانفجار الذي وقع مساء أمس في وسط العاصمة سببه تسرب غاز من مطعم شعبي.\n"
    docs = [Document(id="both", text=both, outlet="Al Riyadh", published="2015-08-10"),
            Document(id="denial", text=DENIAL, outlet="Okaz", published="2015-08-10"),
            Document(id="alone", text=alone, outlet="Al Madina", published="2015-08-10")]

    def denied_in(settings):
        """The documents of the claims that a denial conflict sets against a denial."""
        analysis = analyze(docs, models=models, settings=settings)
        doc_of = {c.id: c.doc_id for c in analysis.claims}
        reports = {c.id for c in analysis.claims if c.text.startswith(("أفاد", "وقال"))}
        return {doc_of[i] for x in analysis.conflicts if x.kind == "denial"
                for i in (x.claim_a, x.claim_b) if i in reports}
    assert denied_in(Settings()) == {"alone"}
    assert denied_in(Settings(one_text=False)) == {"both", "alone"}
