import pytest

from corroborate.model import Claim, Cluster, Document
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


def test_a_pointing_denial_late_in_its_claim_points_at_its_own_words():
    from corroborate.denials import denied_propositions

    before = Claim("c-a:0", "a", 0, 40, "وقال المتحدث إن الشركة حققت أرباحا قياسية هذا العام")
    early = Claim("c-a:1", "a", 41, 80, "لكن الشركة نفت ذلك في بيان")
    late = Claim("c-a:2", "a", 81, 200, "ويتهم حلفاء الشركة منذ أشهر إدارتها بأنها لا تبذل جهودا كافية لحماية "
                                        "العملاء مع أن الإدارة تنفي ذلك باستمرار")
    found = denied_propositions([before, early, late])
    assert found[1][0] == before.text      # «نفت ذلك» opening its claim: the sentence before
    assert 2 not in found                  # the accusation it denies is its own claim's
