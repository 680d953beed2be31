import re

from corroborate.claims import boilerplate_lines, split_claims
from corroborate.model import Document
from corroborate.text.normalize import normalize_text


def _claims(seed_docs):
    return {d.id: split_claims(d) for d in seed_docs}


def test_every_seed_claim_round_trips_to_the_file(seed_docs):
    for doc in seed_docs:
        on_disk = open(doc.path, encoding="utf-8-sig", newline="").read()
        claims = split_claims(doc)
        assert claims
        for c in claims:
            assert doc.text[c.start:c.end] == c.text == on_disk[c.start:c.end]
            assert c.id == f"c-{doc.id}:{c.start}" and c.text == c.text.strip()
            assert len(c.text) >= 25


def test_claims_are_sorted_and_do_not_overlap(seed_docs):
    for claims in _claims(seed_docs).values():
        for a, b in zip(claims, claims[1:]):
            assert a.end <= b.start


def test_boilerplate_in_the_seeds_is_not_in_any_claim(seed_docs):
    markers = ["قصص قد تهمك", "تصنيفات", "اقرا ايضا", "انشر مقالك", "لارسال مقال", "اخر الاخبار",
               "الصفحه الرئيسيه", "الكاتب:", "مشاركه:", "المصدر : الجزيره", "بغداد -رويترز",
               "اخبار سوريه 19 فبراير", "ما القصه", "Ain al-Asad", "REUTERS", "- AFP", "(رويترز)"]
    for doc in seed_docs:
        for c in split_claims(doc):
            text = normalize_text(c.text)
            for m in markers:
                assert normalize_text(m) not in text, (doc.id, m, c.text)


def test_repeated_headline_kept_at_most_once(seed_docs):
    doc = next(d for d in seed_docs if d.id.startswith("001"))
    headline = normalize_text(doc.text.splitlines()[0])
    hits = [c for c in split_claims(doc) if normalize_text(c.text) == headline]
    assert len(hits) <= 1


def test_pull_quote_dropped_but_body_sentence_kept(seed_docs):
    doc = next(d for d in seed_docs if d.id.startswith("002"))
    texts = [normalize_text(c.text) for c in split_claims(doc)]
    pulls = [t for t in texts if t.startswith("المح تحليل ل \"الغارديان\"")]
    body = [t for t in texts if t.startswith("وقد المح تحليل لصحيفه \"الغارديان\"")]
    assert pulls == [] and len(body) == 1


def test_attribution_names_agencies_and_roles(seed_docs):
    claims = _claims(seed_docs)
    by_text = {normalize_text(c.text)[:30]: c for cs in claims.values() for c in cs}
    first_000 = next(c for c in claims[next(k for k in claims if k.startswith("000"))]
                     if c.text.startswith("قالت عدة مصادر"))
    assert first_000.attributed_to == ("Reuters",)
    wapo = [c for cs in claims.values() for c in cs if "Washington Post" in c.attributed_to]
    assert len(wapo) >= 2
    arabi = [c for cs in claims.values() for c in cs if "عربي بوست" in c.text]
    assert arabi and all("Arabi Post" not in c.attributed_to for c in arabi)   # the outlet itself
    assert any(c.attributed_to == ("مصدر مقرب",) for c in arabi)
    assert by_text  # noqa: the lookup above is only for readability


def test_rules_on_a_hand_written_page():
    text = ("مقتل ثلاثة جنود في هجوم على قاعدة التنف قرب الحدود\n"
            "مقتل ثلاثة جنود في هجوم على قاعدة التنف قرب الحدود\n"
            "بغداد - رويترز\n\n"
            "قالت مصادر أمنية عراقية لرويترز إن الهجوم وقع فجر الأحد، كما أكدت أن طائرة مسيرة استخدمت فيه.\n"
            "الجنود في موقع الهجوم قرب القاعدة (رويترز)\n"
            "U.S. soldiers are seen at the site of the attack near the base, Iraq. REUTERS/John Doe\n"
            "هل تتسع الحرب في المنطقة؟\n"
            "وأضاف مسؤول عراقي أن قيمة الأضرار بلغت 3.5 مليون دولار. ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.\n"
            "اقرأ أيضاً:\n"
            "الفصائل العراقية تعلن تعليق عملياتها ضد القوات الأميركية\n"
            "شارك هذا المقال عبر فيسبوك وتويتر ولينكدإن\n")
    doc = Document(id="t", text=text)
    claims = split_claims(doc)
    texts = [c.text for c in claims]
    assert texts == [
        "مقتل ثلاثة جنود في هجوم على قاعدة التنف قرب الحدود",
        "قالت مصادر أمنية عراقية لرويترز إن الهجوم وقع فجر الأحد",
        "كما أكدت أن طائرة مسيرة استخدمت فيه",
        "وأضاف مسؤول عراقي أن قيمة الأضرار بلغت 3.5 مليون دولار",
        "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن",
    ]
    assert claims[1].attributed_to == ("Reuters",) and claims[2].attributed_to == ("Reuters",)
    assert claims[3].attributed_to == ("مسؤول عراقي",) and claims[3].anonymous
    reasons = set(boilerplate_lines(text).values())
    assert {"repeated", "dateline", "caption", "latin caption", "marker", "teaser list"} <= reasons


def test_long_sentence_is_split_below_max_chars():
    clause = "وأعلنت الحكومة العراقية أنها ستواصل المحادثات مع الولايات المتحدة بشأن مستقبل التحالف الدولي"
    text = "، ".join([clause] * 6) + ".\n"
    claims = split_claims(Document(id="long", text=text), max_chars=200)
    assert len(claims) >= 3 and all(len(c.text) <= 200 for c in claims)
    assert all(text[c.start:c.end] == c.text for c in claims)


def test_quotes_keep_their_sentences_together():
    text = 'وقال القائد: "لن نقبل بأي شيء أقل من خروج القوات. وسنواصل الضغط حتى يتحقق ذلك".\n'
    [claim] = split_claims(Document(id="q", text=text))
    assert claim.text.endswith('ذلك"') and claim.attributed_to == ("القائد",)
    assert not re.search(r"^\s|\s$", claim.text)
