import pytest
from rapidfuzz import fuzz

from corroborate.text import lexicon
from corroborate.text.denials import denial, denials, report_of
from corroborate.text.normalize import normalize_text

# (sentence, what is denied, who denies)
FRAMES = [
    ("ونفى مصدر في الدفاع المدني أن يكون الانفجار قد نجم عن تسرب غاز، مؤكدا أن التحقيقات جارية",
     "الانفجار قد نجم عن تسرب غاز", "مصدر في الدفاع المدني"),
    ("نفت الوزارة نفياً قاطعاً أن تكون المدارس قد أغلقت", "المدارس قد أغلقت", "الوزارة"),
    ("ونفى مسؤول ما تردد عن إيقاف الحكومة الهندية تصدير عمالتها إلى السعودية، وقال إن الاتفاق قائم",
     "إيقاف الحكومة الهندية تصدير عمالتها إلى السعودية", "مسؤول"),
    ("نفى الوزير ما نشر عن إغلاق المعبر", "إغلاق المعبر", "الوزير"),
    ("نفى الوزير ما أثير حول تسرب الأسئلة", "تسرب الأسئلة", "الوزير"),
    ("ونفت وزارة الإعلام الكويتية صحة ما تردد في بعض وسائل الإعلام عن منع صحيفة من الصدور",
     "منع صحيفة من الصدور", "وزارة الإعلام الكويتية"),
    ("نفت الشركة وجود أي خلل في أنظمتها", "خلل في أنظمتها", "الشركة"),
    ("تنفي الحكومة الشائعات حول تأجيل الدراسة", "تأجيل الدراسة", "الحكومة"),
    ("ونفى المسؤول صحة الأنباء التي تحدثت عن رفض الحكومة الهندية تصدير العمالة المنزلية",
     "رفض الحكومة الهندية تصدير العمالة المنزلية", "المسؤول"),
    ("لكن إدريس نفى في بيان له تكليفه برئاسة أركان الجيش", "تكليفه برئاسة أركان الجيش", "إدريس"),
    ("نفى المندوب الدائم لدولة الكويت لدى جامعة الدول العربية اليوم تصريحا نسبته بعض وسائل الإعلام للوزير",
     "تصريحا نسبته بعض وسائل الإعلام للوزير", "المندوب الدائم لدولة الكويت لدى جامعة الدول العربية"),
    ("وكذبت الوزارة الأنباء التي تحدثت عن إلغاء الامتحانات", "إلغاء الامتحانات", "الوزارة"),
    ("ودحض الوزير الادعاءات بأن الشركة أفلست", "الشركة أفلست", "الوزير"),
    ("وقالت الوزارة إنه لا صحة لإيقاف استقدام العمالة من الخارج", "إيقاف استقدام العمالة من الخارج", "الوزارة"),
    ("وفي نفي قاطع لما تردد عن استقالة المدرب، أكد النادي تمسكه به", "استقالة المدرب", None),
    ("وقال المتحدث إن الحديث عن انسحاب القوات من المدينة عار عن الصحة", "انسحاب القوات من المدينة", "المتحدث"),
    ("وقالت الوزارة إن ما أثير حول تسرب الأسئلة لا أساس له من الصحة", "تسرب الأسئلة", "الوزارة"),
    ("أكد مدير المستشفى أن ما تردد عن نقص الأدوية غير صحيح", "نقص الأدوية", "مدير المستشفى"),
    ("وأكد المتحدث أن ما نشر عن إغلاق المعبر مجرد إشاعات", "إغلاق المعبر", "المتحدث"),
    ("ويقول المتمردون إن مدنيين قتلوا في الغارات، وهو ما تنفيه الحكومة", "مدنيين قتلوا في الغارات", "الحكومة"),
    ("وقال المصدر إن الخلية جديدة، نافيا أن تكون قد خططت لعمليات في الكويت",
     "قد خططت لعمليات في الكويت", "المصدر"),
    ("غير أن توقعات بأنها ستكون آخر معارك الحزب، ينفيها العايد", "ستكون آخر معارك الحزب", "العايد"),
    ("أما ما قيل عن محاولته الانتحار فهو أمر لا أساس له من الصحة", "محاولته الانتحار", None),
]


@pytest.mark.parametrize("text,proposition,speaker", FRAMES)
def test_each_frame_gives_what_is_denied_and_who_denies(text, proposition, speaker):
    d = denial(text)
    assert d is not None
    assert (d.proposition, d.speaker) == (proposition, speaker)
    assert not d.anaphoric


@pytest.mark.parametrize("text", [t for t, _, _ in FRAMES])
def test_spans_point_into_the_original_text(text):
    for d in denials(text):
        assert text[d.span[0]:d.span[1]] == d.proposition
        assert text[d.cue_span[0]:d.cue_span[1]] == d.cue
        if d.speaker is not None:
            assert text[d.speaker_span[0]:d.speaker_span[1]] == d.speaker


def test_spans_survive_diacritics_and_tatweel():
    text = "ونفـى الوزيرُ أن يكونَ الجيشُ قد انسحب من المدينة"
    d = denial(text)
    assert d.proposition == "الجيشُ قد انسحب من المدينة"
    assert text[d.span[0]:d.span[1]] == d.proposition
    assert d.speaker == "الوزيرُ" and d.cue == "ونفـى"


@pytest.mark.parametrize("text", [
    "لم تقع إصابات في الحادث",                                # a plain negation reports nothing denied
    "ليس هناك ما يدعو للقلق بحسب الوزارة",
    "وقال الوزير إن الحكومة لم تقرر رفع الأسعار",
    "هل نفت الوزارة الخبر؟",                                   # a question
    "وهذا لا ينفي أن الاقتصاد يواجه صعوبات",                   # a negated verb of denial
    "كان يكذب على أهله ويدعي أنه ذاهب إلى المقهى",            # lying, not denying a report
    "فلا مال ولا صحة ولا حياة ترجى بدون أمن",                  # health, not truth
    "ويعاني المرضى من وضعية غير صحيحة، نقص اللياقة البدنية",   # «غير صحيحة» qualifying a noun
    "وحوكم ثلاثة صحفيين بتهم نشر أخبار كاذبة",
    "فلا ينفي الكاتب المماثلة إنما يؤكدها",
    "نظرا لقيامه على الإخافة التي لا أساس لها من الشرع",       # no basis in law, not untrue
    "يقول نافين تيواري، مؤسس الشركة، إن السوق تنمو",          # a name, not «نافياً»
    "وأضافت أن تحليل الدم سيؤكد هذه النتيجة أو ينفيها",        # confirm or deny: still open
])
def test_non_denials_give_none(text):
    assert denial(text) is None


def test_a_denial_that_only_points_back_says_so():
    d = denial("ونفى جبريل الأمر.")
    assert d.speaker == "جبريل" and d.anaphoric
    assert denial("وقال إن هذا الكلام غير صحيح").anaphoric
    assert not denial("نفى الوزير ما نشر عن إغلاق المعبر").anaphoric
    # a pointer, then another clause after the comma: the clause is not what is denied
    d = denial("في المقابل نفى الحزب هذه الأنباء، فيما أعلن قادة الحزبين رفض الشرط الذي تضعه بغداد")
    assert d.anaphoric and d.proposition == "هذه الأنباء"


def test_the_denied_proposition_is_nearly_the_words_of_the_report_it_answers():
    first = "وقال مسؤول في الدفاع المدني إن الانفجار نجم عن تسرب غاز وأدى إلى مقتل 120 شخصا."
    second = "ونفى مصدر في الشركة أن يكون الانفجار قد نجم عن تسرب غاز، مؤكدا أن عدد القتلى لم يتجاوز 300."
    assert denial(first) is None
    d = denial(second)
    close = fuzz.partial_ratio(normalize_text(d.proposition), normalize_text(first))
    whole = fuzz.partial_ratio(normalize_text(second), normalize_text(first))
    assert close >= 85
    assert close > whole + 15          # the frame and the rest of the sentence are left out


# (sentence, what is reported, the unnamed source)
REPORTS = [
    ("وترددت أنباء عن تعيين اللواء محمد فارس وزيرا للدفاع.", "تعيين اللواء محمد فارس وزيرا للدفاع", "أنباء"),
    ("وذكرت تقارير أن الرئيس غادر البلاد متوجها إلى موسكو.", "الرئيس غادر البلاد متوجها إلى موسكو", "تقارير"),
    ("تداولت مواقع التواصل الاجتماعي مقطع فيديو يظهر اعتداء على عامل.", "مقطع فيديو يظهر اعتداء على عامل",
     "مواقع التواصل الاجتماعي"),
    ("أفادت أنباء بأن الحكومة قررت رفع أسعار الوقود", "الحكومة قررت رفع أسعار الوقود", "أنباء"),
    ("وانتشرت إشاعات عن تسمية الحكومة اللواء محمد فارس لمنصب وزير الدفاع.",
     "تسمية الحكومة اللواء محمد فارس لمنصب وزير الدفاع", "إشاعات"),
]


@pytest.mark.parametrize("text,proposition,source", REPORTS)
def test_a_report_frame_gives_what_is_reported(text, proposition, source):
    r = report_of(text)
    assert (r.proposition, r.source) == (proposition, source)
    assert text[r.span[0]:r.span[1]] == r.proposition


def test_what_a_denial_denies_is_not_a_report_and_a_named_statement_is_not_one():
    assert report_of("ونفى مسؤول ما تردد عن إيقاف الحكومة الهندية تصدير عمالتها") is None
    assert report_of("وذكرت الوزارة أن الحكومة قررت رفع أسعار الوقود") is None


def test_a_denial_answers_the_report_of_another_outlet():
    report = report_of("وترددت أنباء عن إيقاف الحكومة الهندية تصدير عمالتها إلى السعودية")
    d = denial("ونفى مسؤول ما تردد عن إيقاف الحكومة الهندية تصدير عمالتها إلى السعودية، وقال إن الاتفاق قائم")
    assert normalize_text(report.proposition) == normalize_text(d.proposition)


def test_denial_cues_are_data_in_normalised_spelling():
    for kind in ("denial_verb", "denial_phrase", "report_verb", "report_noun"):
        found = lexicon.entries(kind)
        assert found and all(e.file == "denials" and e.provenance == "general" for e in found)
        assert all(normalize_text(e.entry) == e.entry for e in found), kind
