import pytest

from corroborate.model import Claim, Cluster, Document
from corroborate.origins import assign_origins, relayed_wire, score_independence

# Two Arabic sites relaying one Reuters report, each in its own wording.
RELAY_A = ('قالت مصادر دبلوماسية لـ"رويترز" إن وفدي البلدين اتفقا في جنيف على تبادل الأسرى '
           'خلال الأسبوع المقبل بإشراف اللجنة الدولية للصليب الأحمر')
RELAY_B = ('كشفت مصادر دبلوماسية، لوكالة "رويترز"، أن "وفدي البلدين اتفقا في جنيف على تبادل '
           'الأسرى خلال الأسبوع المقبل بإشراف الصليب الأحمر"')
OWN = ("وأفرج الجانبان عن 120 أسيراً في عملية تبادل جرت صباح السبت عند معبر حدودي "
       "بإشراف اللجنة الدولية للصليب الأحمر")
FOLLOW = "ومن المتوقع أن تشمل المرحلة الثانية من الاتفاق عشرات الأسرى الآخرين"


def _doc(doc_id: str, text: str, **meta) -> Document:
    return Document(id=doc_id, text=text, **meta)


def _claims(doc: Document, *pieces: str, attributed: tuple[str, ...] = ()) -> list[Claim]:
    out, pos = [], 0
    for piece in pieces:
        start = doc.text.index(piece, pos)
        out.append(Claim(id=f"c-{doc.id}:{start}", doc_id=doc.id, start=start, end=start + len(piece),
                         text=piece, attributed_to=attributed))
        pos = start + len(piece)
    return out


def _cluster(claims: list[Claim]) -> Cluster:
    return Cluster(id="k-test", claim_ids=tuple(c.id for c in claims),
                   doc_ids=tuple(dict.fromkeys(c.doc_id for c in claims)))


def _score(claims, docs):
    claims = assign_origins(claims, {d.id: d for d in docs})
    return score_independence(_cluster(claims), {c.id: c for c in claims}, {d.id: d for d in docs}), claims


def test_two_sites_relaying_reuters_count_as_one_origin():
    a = _doc("a", RELAY_A, outlet="Asharq Al-Awsat")
    b = _doc("b", RELAY_B)                                   # outlet unknown
    cluster, claims = _score(_claims(a, RELAY_A) + _claims(b, RELAY_B), [a, b])
    assert [c.origin for c in claims] == ["Reuters", "Reuters"]
    assert (cluster.independent_sources, cluster.status) == (1, "relayed")
    assert cluster.outlets == ("Asharq Al-Awsat", "doc:b")
    # the wire vouches for its anonymous sources: origin stays Reuters, the flag is set
    assert cluster.anonymous_only and all(c.anonymous for c in claims)


def test_independent_outlets_corroborate():
    a = _doc("a", RELAY_A, outlet="Asharq Al-Awsat")
    c = _doc("c", OWN, outlet="Al Jazeera")
    cluster, claims = _score(_claims(a, RELAY_A) + _claims(c, OWN), [a, c])
    assert cluster.origins == ("Al Jazeera", "Reuters")
    assert (cluster.independent_sources, cluster.status) == (2, "corroborated")
    assert not cluster.anonymous_only


def test_a_page_does_not_confirm_by_its_headline_what_its_body_has_from_reuters():
    # the outlet's own headline line restates the body it reports on Reuters' word: one voice
    headline = "وفدا البلدين يتفقان في جنيف على تبادل الأسرى الأسبوع المقبل"
    page = _doc("p", headline + "\n" + RELAY_A, outlet="Al-Ahram")
    cluster, claims = _score(_claims(page, headline, RELAY_A), [page])
    assert [c.origin for c in claims] == ["Al-Ahram", "Reuters"]
    assert cluster.origins == ("Reuters",) and cluster.independent_sources == 1
    # another outlet telling it in its own words still adds its voice
    c = _doc("c", OWN, outlet="Al Jazeera")
    cluster, _ = _score(_claims(page, headline, RELAY_A) + _claims(c, OWN), [page, c])
    assert cluster.origins == ("Al Jazeera", "Reuters") and cluster.status == "corroborated"


def test_a_document_with_unknown_outlet_is_its_own_origin():
    a, b = _doc("a", OWN), _doc("b", OWN)
    cluster, claims = _score(_claims(a, OWN) + _claims(b, OWN), [a, b])
    assert cluster.origins == ("doc:a", "doc:b")
    assert cluster.status == "corroborated"


def test_one_claim_is_single_source():
    a = _doc("a", OWN, outlet="Al Jazeera")
    cluster, _ = _score(_claims(a, OWN), [a])
    assert (cluster.independent_sources, cluster.status) == (1, "single-source")


def test_a_relay_goes_on_for_the_following_unattributed_claims():
    text = RELAY_B + ".\n\n" + FOLLOW + ".\n"
    doc = _doc("b", text, outlet="Syria TV")
    claims = assign_origins(_claims(doc, RELAY_B, FOLLOW), {"b": doc}, carry=3)
    assert [c.origin for c in claims] == ["Reuters", "Reuters"]
    claims = assign_origins(_claims(doc, RELAY_B, FOLLOW), {"b": doc}, carry=0)
    assert [c.origin for c in claims] == ["Reuters", "Syria TV"]


@pytest.mark.parametrize("opening, wire", [
    ("بغداد -رويترز\n\n", "Reuters"),
    ("بغداد (رويترز) - ", "Reuters"),
    ("القاهرة - أ ف ب: ", "AFP"),
    ("قال مسؤول في تصريح لرويترز إن ", None),                 # a mention, not a dateline
    # a page built on an agency's interview relays that agency
    ("وقال ولي العهد في مقابلة مع رويترز إن ", "Reuters"),
    ("وأضاف خلال حوار مع وكالة \" رويترز \" : ", "Reuters"),
    ("وقال المتحدث في حديث لوكالة سبوتنيك إن ", "Sputnik"),
    ("وقال الوزير في مقابلة مع صحيفة الحياة إن ", None),     # a paper is no wire
])
def test_a_dateline_marks_a_wire_relay(opening, wire):
    doc = _doc("d", opening + OWN)
    assert relayed_wire(doc) == wire


def test_an_old_interview_recalled_further_down_is_no_relay():
    lead = "\n".join(["تقرير: الأزمة تدخل شهرها السادس", "مرت أشهر على الأزمة دون حل",
                      "وتباينت المواقف بين الأطراف", "وقلل مسؤولون من أثرها"])
    doc = _doc("d", lead + "\nوكان ولي العهد قد قال في مقابلة مع رويترز إن الأزمة صغيرة\n" + OWN)
    assert relayed_wire(doc) is None


def test_unattributed_claims_of_a_wire_relay_take_the_wire_as_origin():
    doc = _doc("d", "بغداد -رويترز\n\n" + OWN + ".\n", outlet="Alhurra")
    [claim] = assign_origins(_claims(doc, OWN), {"d": doc})
    assert claim.origin == "Reuters" and not claim.anonymous


@pytest.mark.parametrize("piece, origin", [
    # a picture's credit glued to the caption before the sentence: the page's own origin
    ("بوتين وبشار الأسد في موسكو ( AFP ) وأعلن الكرملين أن الرئيسين بحثا التسوية السياسية", "RT"),
    ("AP Photo / Denis Balibouse / Pool وأعلن المبعوث الدولي أن الأطراف اتفقت على تشكيل فريق عمل", "RT"),
    # the same agency named in Arabic, or as an English dateline with its dash, is the source
    ("وقالت وكالة فرانس برس إن الرئيسين بحثا التسوية السياسية في سوتشي", "AFP"),
    ("MOSCOW (AFP) - وأعلن الكرملين أن الرئيسين بحثا التسوية السياسية", "AFP"),
    # an outlet named in Latin letters is not a credit: the claim rests on that interview
    ("وقال الوزير في حوار مع قناة \" Fox News \" إن بلاده لن تتدخل", "Fox News"),
])
def test_an_agency_named_only_in_a_picture_credit_is_no_origin(piece, origin):
    doc = _doc("r", piece + ".\n", outlet="RT")
    [claim] = assign_origins(_claims(doc, piece), {"r": doc})
    assert claim.origin == origin
