import pytest

from corroborate.model import Claim, Document
from corroborate.timescope import claim_time, reference_date, temporal_relation, with_time

# Sentences from the seed articles (000, 001, 002, 003, 004) unless noted.
MEETING = "وذكرت المصادر أن قاآني التقى ممثلي عدة فصائل مسلحة في مطار بغداد، يوم 29 يناير، بعد أقل من 48 ساعة"
SINCE = "ومنذ الرابع من فبراير، لم تقع هجمات على القوات الأميركية في العراق وسوريا"
SINCE_RELATIVE = "ومنذ الرابع من الشهر الجاري، لم تقع هجمات على القوات الأمريكية في العراق وسوريا"
LAST_MONTH = "وصل قائد عسكري إيراني إلى بغداد الشهر الماضي للقاء قادة الفصيل العراقي المسلح"
BACKGROUND = ("وقالت عشرة من المصادر إن قاآني، الذي قضى سلفه قاسم سليماني في هجوم بطائرة مسيرة أميركية "
              "بالقرب من المطار نفسه عام 2020، أبلغ الفصائل بأن سفك الدماء الأميركية يخاطر برد أميركي عنيف")
INVASION = "وغزت الولايات المتحدة العراق في 2003، مع تحالف دولي، وأطاحت بصدام حسين قبل أن تنسحب من العراق في 2011."
SUNDAY = "وقُتل 3 جنود أميركيين وأصيب ما لا يقل عن 40 من أفراد الخدمة في هجوم بطائرة دون طيار خلال ليل الأحد الماضي"
JUNE = "أنّ قاآني في زيارته للعراق، في حزيران (يونيو) الماضي، أخفق في التوصل إلى تفاهم مع الميليشيات"
NO_DATE = "ولم توافق إحدى الفصائل في البداية على طلب قاآني، لكن معظم الفصائل الأخرى وافقت."


@pytest.mark.parametrize("text, published, expected", [
    (INVASION, "2024-02-19", ("2003", "explicit")),
    ("بحلول 31 كانون الأول (ديسمبر) 2021 لن يكون هناك أيّ وجود لقوات قتالية أمريكية", None,
     ("2021-12-31", "explicit")),
    ("● أخبار سورية ١٩ فبراير ٢٠٢٤", None, ("2024-02-19", "explicit")),       # Arabic-Indic digits
    ("تاريخ النشر 04/08/2021", None, ("2021-08-04", "explicit")),             # day first
    (MEETING, "2024-02-19", ("2024-01-29", "explicit")),
    (SINCE, "2024-02-19", ("2024-02-04", "explicit")),
    (JUNE, "2021-08-04", ("2021-06", "explicit")),
    # a month after the publication month belongs to the year before
    ("اندلعت الحرب في السابع من أكتوبر/تشرين الأول في غزة", "2024-01-30", ("2023-10-07", "explicit")),
    ("قاآني التقى بممثلي الفصائل يوم 29 كانون الثاني/يناير الماضي", "2024-02-19", ("2024-01-29", "explicit")),
])
def test_explicit_dates_take_missing_years_from_the_publication_date(text, published, expected):
    assert claim_time(text, "", published) == expected


@pytest.mark.parametrize("text, published, expected", [
    (LAST_MONTH, "2024-02-19", "2024-01"),
    (LAST_MONTH, "2024-01-10", "2023-12"),
    (SINCE_RELATIVE, "2024-02-19", "2024-02-04"),
    (SUNDAY, "2024-01-31", "2024-01-28"),                      # 31 January 2024 was a Wednesday
    ("بعدما حدث ليلة أمس من تهديد عصائب أهل الحق", "2020-12-27", "2020-12-26"),
    ("واستقبل الرئيس اليوم وفدا عراقيا في بغداد", "2024-02-19", "2024-02-19"),
    ("وزار قاآني العراق ست مرات خلال العام الماضي", "2022-03-01", "2021"),
])
def test_relative_expressions_resolve_against_the_publication_date(text, published, expected):
    assert claim_time(text, "", published) == (expected, "relative")


def test_a_year_in_a_relative_clause_is_background_not_the_claims_time():
    assert claim_time(BACKGROUND, "", "2024-02-19") == ("2024-02-19", "published")


def test_a_date_bounded_by_before_is_background():
    text = ("هذه الهدنة التي حظيت بمباركة إيرانية، رغبة من طهران في تجنب أي استفزاز للرئيس الأمريكي "
            "دونالد ترامب، قبل تركه المنصب فى منتصف يناير/ كانون الثاني 2021.")
    assert claim_time(text, "", "2020-12-20") == ("2020-12-20", "published")


def test_narrative_relative_days_are_not_resolved_against_the_publication_date():
    text = "وفي اليوم التالي، أعلنت جماعة كتائب حزب الله المتحالفة مع إيران أنها ستعلق هجماتها."
    assert claim_time(text, "", "2024-02-19") == ("2024-02-19", "published")


def test_month_names_that_are_also_words_need_a_day_or_year():
    assert claim_time("مارس قاآني ضغوطا كبيرة على الفصائل", "", "2024-02-19") == ("2024-02-19", "published")
    assert claim_time("وصل الوفد في 3 مارس", "", "2024-05-01") == ("2024-03-03", "explicit")


def test_without_dates_or_publication_date_the_time_is_unknown():
    assert claim_time(NO_DATE, "", None) == (None, "none")


def test_an_undated_article_is_dated_by_the_latest_date_it_mentions():
    context = "عاد التوتر عام 2019. " + NO_DATE + " وقد تصاعد الموقف في 12 كانون الأول 2020."
    assert reference_date(context) == (2020, 12, 12)
    assert claim_time(NO_DATE, context, None) == ("2020-12-12", "context")
    assert claim_time(LAST_MONTH, context, None) == ("2020-11", "context")


def test_an_undated_article_that_names_a_deadline_ahead_predates_it():
    # seed 003 (Arabi Post, no date line): Trump "before he leaves office in mid-January 2021"
    deadline = ("رغبة من طهران في تجنب أي استفزاز للرئيس الأمريكي دونالد ترامب، "
                "قبل تركه المنصب فى منتصف يناير/ كانون الثاني 2021.")
    assert reference_date("عاد التوتر عام 2019. " + deadline) == (2020, 12, None)
    assert claim_time(NO_DATE, deadline, None) == ("2020-12", "context")
    # "before the end of 2025" may be written during 2025
    assert reference_date("قال إن الانسحاب سيكتمل قبل نهاية عام 2025.") == (2025, None, None)


def test_with_time_fills_the_claim_from_its_document():
    doc = Document(id="d", text=MEETING, published="2024-02-19")
    claim = with_time(Claim(id="c-d:0", doc_id="d", start=0, end=len(MEETING), text=MEETING), doc)
    assert (claim.time, claim.time_basis) == ("2024-01-29", "explicit")


@pytest.mark.parametrize("a, b, expected", [
    ("2021-08", "2024-02", "different-period"),
    ("2020", "2021", "different-period"),        # two different bare years
    ("2021-06", "2021-12", "different-period"),  # months far apart
    ("2024-01-29", "2024-02", "same-period"),    # within the window
    ("2024-02-04", "2024-02-19", "same-period"),
    ("2024", "2024-02-04", "same-period"),       # overlapping periods
    ("2023", "2024-01", "same-period"),          # adjacent: 31 Dec 2023 and January 2024
    ("2024-02", None, "unknown"),
    ("2024-02", "soon", "unknown"),
])
def test_temporal_relation_rules(a, b, expected):
    assert temporal_relation(a, b) == expected
    assert temporal_relation(b, a) == expected


def test_temporal_window_is_a_keyword():
    assert temporal_relation("2024-01-01", "2024-03-01") == "different-period"
    assert temporal_relation("2024-01-01", "2024-03-01", window_days=90) == "same-period"
