import pytest

from corroborate.model import Claim, Document
from corroborate.timescope import (
    claim_time,
    dating_context,
    reference_date,
    temporal_relation,
    with_time,
)

# Hand-written news sentences, each carrying one kind of time expression.
MEETING = "وذكرت المصادر أن الوزير التقى ممثلي عدة نقابات في مقر الحكومة، يوم 29 يناير، بعد أقل من يومين من الإضراب"
SINCE = "ومنذ الرابع من فبراير، لم تسجل أي حوادث على الطريق الدولي بين المدينتين"
SINCE_RELATIVE = "ومنذ الرابع من الشهر الجاري، لم تسجل أي حوادث على الطريق الدولي بين المدينتين"
LAST_MONTH = "وصل مبعوث أممي إلى العاصمة الشهر الماضي للقاء قادة الأحزاب المتنافسة"
BACKGROUND = ("وقالت مصادر إن الرئيس، الذي تولى منصبه بعد انتخابات جرت عام 2019، "
              "أبلغ البرلمان بأنه لن يوقع قانون الضرائب الجديد")
INVASION = "وانضمت البلاد إلى الاتحاد الجمركي في 2003، مع دول الجوار، قبل أن تنسحب منه في 2011."
SUNDAY = "وأصيب 12 شخصا في انفجار قرب السوق المركزي خلال ليل الأحد الماضي"
JUNE = "أنّ المبعوث في زيارته للمنطقة، في حزيران (يونيو) الماضي، أخفق في التوصل إلى تفاهم مع الأطراف"
NO_DATE = "ولم توافق إحدى النقابات في البداية على طلب الوزير، لكن معظم النقابات الأخرى وافقت."


@pytest.mark.parametrize("text, published, expected", [
    (INVASION, "2024-02-19", ("2003", "explicit")),
    ("بحلول 31 كانون الأول (ديسمبر) 2021 لن تبقى أي محطة تعمل بالفحم في البلاد", None,
     ("2021-12-31", "explicit")),
    ("● أخبار سورية ١٩ فبراير ٢٠٢٤", None, ("2024-02-19", "explicit")),       # Arabic-Indic digits
    ("تاريخ النشر 04/08/2021", None, ("2021-08-04", "explicit")),             # day first
    (MEETING, "2024-02-19", ("2024-01-29", "explicit")),
    (SINCE, "2024-02-19", ("2024-02-04", "explicit")),
    (JUNE, "2021-08-04", ("2021-06", "explicit")),
    # a month after the publication month belongs to the year before
    ("بدأ الإضراب في السابع من أكتوبر/تشرين الأول في الموانئ", "2024-01-30", ("2023-10-07", "explicit")),
    ("الوزير التقى بممثلي النقابات يوم 29 كانون الثاني/يناير الماضي", "2024-02-19", ("2024-01-29", "explicit")),
    ("The talks resumed on January 4, 2022 in Geneva", None, ("2022-01-04", "explicit")),
])
def test_explicit_dates_take_missing_years_from_the_publication_date(text, published, expected):
    assert claim_time(text, "", published) == expected


@pytest.mark.parametrize("text, published, expected", [
    (LAST_MONTH, "2024-02-19", "2024-01"),
    (LAST_MONTH, "2024-01-10", "2023-12"),
    (SINCE_RELATIVE, "2024-02-19", "2024-02-04"),
    (SUNDAY, "2024-01-31", "2024-01-28"),                      # 31 January 2024 was a Wednesday
    ("بعدما حدث ليلة أمس من اشتباكات في الحي القديم", "2020-12-27", "2020-12-26"),
    ("واستقبل الرئيس اليوم وفدا عراقيا في بغداد", "2024-02-19", "2024-02-19"),
    ("وزار المبعوث البلاد ست مرات خلال العام الماضي", "2022-03-01", "2021"),
])
def test_relative_expressions_resolve_against_the_publication_date(text, published, expected):
    assert claim_time(text, "", published) == (expected, "relative")


def test_a_year_in_a_relative_clause_is_background_not_the_claims_time():
    assert claim_time(BACKGROUND, "", "2024-02-19") == ("2024-02-19", "published")


def test_a_date_bounded_by_before_is_background():
    text = ("وتسعى الحكومة إلى إقرار الموازنة، رغبة في تجنب أي أزمة مع المانحين، "
            "قبل مغادرته المنصب فى منتصف يناير/ كانون الثاني 2021.")
    assert claim_time(text, "", "2020-12-20") == ("2020-12-20", "published")


def test_narrative_relative_days_are_not_resolved_against_the_publication_date():
    text = "وفي اليوم التالي، أعلنت النقابة أنها ستعلق إضرابها في الموانئ."
    assert claim_time(text, "", "2024-02-19") == ("2024-02-19", "published")


def test_month_names_that_are_also_words_need_a_day_or_year():
    assert claim_time("مارس الوزير ضغوطا كبيرة على النقابات", "", "2024-02-19") == ("2024-02-19", "published")
    assert claim_time("وصل الوفد في 3 مارس", "", "2024-05-01") == ("2024-03-03", "explicit")


def test_without_dates_or_publication_date_the_time_is_unknown():
    assert claim_time(NO_DATE, "", None) == (None, "none")


def test_an_undated_article_is_dated_by_the_latest_date_it_mentions():
    context = "عاد التوتر عام 2019. " + NO_DATE + " وقد تصاعد الموقف في 12 كانون الأول 2020."
    assert reference_date(context) == (2020, 12, 12)
    assert claim_time(NO_DATE, context, None) == ("2020-12-12", "context")
    assert claim_time(LAST_MONTH, context, None) == ("2020-11", "context")


def test_an_undated_article_that_names_a_deadline_ahead_predates_it():
    # an article with no date line that names a deadline still ahead was written before it
    deadline = ("رغبة من الحكومة في تجنب أي مواجهة مع البرلمان، "
                "قبل مغادرته المنصب فى منتصف يناير/ كانون الثاني 2021.")
    assert reference_date("عاد التوتر عام 2019. " + deadline) == (2020, 12, None)
    assert claim_time(NO_DATE, deadline, None) == ("2020-12", "context")
    # "before the end of 2025" may be written during 2025
    assert reference_date("قال إن الانسحاب سيكتمل قبل نهاية عام 2025.") == (2025, None, None)


def test_an_undated_article_is_not_dated_by_its_photo_captions():
    # a caption's date is often an archive picture's, years older than the story
    body = ("مسؤولون يتفقدون موقع الانفجار في 3 مايو 2019 (رويترز)\n"
            "Officials inspect the site of the blast, May 3, 2019. REUTERS/Staff\n"
            "وقال شهود إن الانفجار وقع قرب السوق المركزي.\n")
    assert reference_date(dating_context(body)) is None
    claim = Claim(id="c-d:0", doc_id="d", start=0, end=10, text="وقال شهود إن الانفجار وقع قرب السوق المركزي")
    assert with_time(claim, Document(id="d", text=body)).time is None


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


@pytest.mark.parametrize("text, published, expected", [
    ("قتل 60 شخصا أمس الأول في هجمات في الكاميرون", "2015-07-24", "2015-07-22"),
    ("ألقت نقطة تفتيش القبض مساء أول من أمس على قيادي متنكر", "2015-07-23", "2015-07-21"),
    # the weekday the writer names wins over a crawl date two days late (22 July 2015: a Wednesday)
    ("قالت وزارة الداخلية في بيان اليوم الاثنين إن انفجارا هز البلدة", "2015-07-22", "2015-07-20"),
    ("قتل أكثر من 50 شخصا، يوم أمس (الأربعاء)، في هجمات", "2015-07-23", "2015-07-22"),
    ("يصل الوفد غدا الخميس إلى الرياض", "2015-07-21", "2015-07-23"),
])
def test_a_relative_day_and_the_weekday_it_names(text, published, expected):
    assert claim_time(text, "", published) == (expected, "relative")


@pytest.mark.parametrize("text", [
    "وقال مدير المركز لـ«اليوم» إن العمل يسير كما خطط له",
    "وأوضح لـ\"اليوم\" أن اللجنة انتهت من أعمالها",
    "والتقطت كاميرا «عين اليوم» صورا للمشروع",
    "وذكرت صحيفة اليوم أن المشروع اكتمل",
])
def test_a_paper_called_today_is_no_date(text):
    # «اليوم» in a paper's name («صحيفة اليوم», «عين اليوم», «لـ"اليوم"») is not «today»
    assert claim_time(text, "", "2015-07-23") == ("2015-07-23", "published")


def test_today_inside_a_longer_quote_is_still_today():
    assert claim_time("وقال «سنبدأ التدريبات اليوم» قبل أن يغادر", "", "2015-07-23") == ("2015-07-23", "relative")


def test_a_date_beside_a_paper_called_today():
    assert claim_time("وقال لـ«اليوم» أمس إن العمل انتهى", "", "2015-07-23") == ("2015-07-22", "relative")
