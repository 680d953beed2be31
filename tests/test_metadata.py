import json

from corroborate.claims import split_claims
from corroborate.metadata import extract_metadata
from corroborate.text.dates import find_dates
from corroborate.text.lines import is_caption
from corroborate.text.sources import find_sources


def test_the_date_line_under_the_headline_dates_the_article():
    text = ("الحكومة تعلن خطة جديدة لدعم المزارعين\n"
            "● اقتصاد ١٢ مارس ٢٠٢٣\n"
            "أعلنت الحكومة يوم الأحد خطة لدعم المزارعين بقيمة مليار دينار.\n"
            "وقال الوزير إن الخطة تبدأ في يوليو 2023 وتستمر عامين.\n")
    meta = extract_metadata(text)
    assert meta["published"] == "2023-03-12"              # not the July date in the body
    assert meta["title"] == "الحكومة تعلن خطة جديدة لدعم المزارعين"


def test_agencies_an_article_relays_are_cited_in_english_in_order_of_mention():
    text = ("قالت وكالة رويترز إن المفاوضات استؤنفت في الدوحة صباح اليوم.\n"
            "ونقلت صحيفة واشنطن بوست عن دبلوماسيين أن جولة جديدة ستعقد الأسبوع المقبل.\n"
            "وذكرت رويترز أن الوفدين لم يتفقا بعد.\n")
    assert extract_metadata(text)["cited_sources"] == ["Reuters", "Washington Post"]


def test_a_signature_line_names_the_outlet_and_the_outlet_is_not_cited():
    text = ("قال مسؤول محلي إن الفيضانات غمرت ثلاث قرى في الجنوب.\n"
            "وأضاف أن فرق الإنقاذ أجلت مئات العائلات.\n"
            "المصدر : الجزيرة\n")
    meta = extract_metadata(text)
    assert meta["outlet"] == "Al Jazeera" and "Al Jazeera" not in meta["cited_sources"]


def test_an_outlet_told_things_directly_twice_is_the_publisher():
    text = ('كشف مصدر حكومي لـ"عربي بوست" أن الوزير سيستقيل قبل نهاية الشهر.\n'
            'وأضاف المصدر في حديثه لـ"عربي بوست" أن الخلاف بدأ قبل أسابيع.\n'
            "وكانت وكالة رويترز قد نقلت عن مسؤولين نفيهم وجود أي خلاف.\n")
    meta = extract_metadata(text)
    assert meta["outlet"] == "Arabi Post" and meta["cited_sources"] == ["Reuters"]


def test_photo_credits_are_not_reliance():
    text = ("متظاهرون أمام مبنى البرلمان في العاصمة (رويترز)\n"
            "تجمع آلاف المتظاهرين أمام البرلمان للمطالبة بإصلاحات اقتصادية عاجلة.\n")
    assert extract_metadata(text)["cited_sources"] == []


def test_date_formats():
    assert find_dates("● أخبار ١٩ فبراير ٢٠٢٤")[0][0] == "2024-02-19"
    assert find_dates("Posted January 4, 2022 by the desk")[0][0] == "2022-01-04"
    assert find_dates("الاجتماع في 3 جانفي 2021 بتونس")[0][0] == "2021-01-03"   # Maghrebi month
    assert find_dates("04/08/2021")[0][0] == "2021-08-04"
    assert find_dates("يوم 29 كانون الثاني/يناير 2024")[0][0] == "2024-01-29"
    assert find_dates("في حزيران (يونيو) 2021")[0][0] == "2021-06"
    assert find_dates("يوم 29 كانون الثاني/يناير الماضي") == []


def test_dateline_date_beats_caption_date():
    text = ("عنوان الخبر عن الهجوم على القاعدة\n"
            "جنود في موقع الهجوم قرب الحدود. 2 فبراير 2020 - AFP\n"
            "بيروت ١٠ مارس ٢٠٢٤\n"
            "قال مسؤول إن الهجوم أسفر عن مقتل ثلاثة جنود.\n")
    meta = extract_metadata(text)
    assert meta["published"] == "2024-03-10"
    assert meta["cited_sources"] == []
    assert meta["title"] == "عنوان الخبر عن الهجوم على القاعدة"


def test_caption_rule():
    assert is_caption("جنود عراقيون يتفحصون موقعا أطلقت منه صواريخ (رويترز)")
    assert is_caption("الرئيس خلال وصول الجثامين. 2 فبراير 2024 - AFP")
    assert not is_caption("وقالت مصادر لرويترز إن الزيارة أوقفت الهجمات.")


def test_find_sources_handles_clitics_and_spellings():
    text = 'قالت مصادر لـ"رويترز" وللجزيرة نت ولوكالة أسوشييتد برس وشبه الجزيرة العربية'
    names = [n for n, _, _ in find_sources(text)]
    assert names == ["Reuters", "Al Jazeera", "Associated Press"]
    for name, a, b in find_sources(text):
        assert text[a:b].strip()


def test_saudi_dailies_are_named_only_where_the_words_name_a_paper():
    credited = ('وذلك وفقاً لصحيفة “الرياض”. وقال لـ«عكاظ» مسؤول، بحسب صحيفة “الوطن”، '
                'كما رصدت "سبق" ونشرت صحيفة الجزيرة')
    assert [n for n, _, _ in find_sources(credited)] == ["Al Riyadh", "Okaz", "Al Watan", "Sabq", "Al Jazirah"]
    # a city, a festival, a verb, "the homeland", and a Syrian daily of the same name
    plain = "وصل إلى الرياض اليوم وزار مهرجان سوق عكاظ، وسبق أن دافع عن الوطن كما قالت صحيفة الوطن السورية"
    assert find_sources(plain) == []


def test_hint_wins_and_is_mapped_to_english():
    meta = extract_metadata("نص الخبر الطويل الذي يتحدث عن الهجوم.", hint={"outlet": "الجزيرة نت",
                                                                          "published": "2024-01-30"})
    assert meta["outlet"] == "Al Jazeera" and meta["published"] == "2024-01-30"


# --- a date from the page's markup or a date line, or none (issue 23 item 2) -------------------

UNDATED = ("ترميم المدينة القديمة يتواصل\n"
           "قال مسؤول في البلدية إن أعمال ترميم المدينة القديمة مستمرة منذ عام 2014 دون توقف.\n"
           "وأضاف المسؤول أن الأعمال ستشمل الأسواق القديمة والمساجد التاريخية في المرحلة المقبلة.\n")


def _page(body: str, head: str = "") -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in body.splitlines()[1:])
    return (f"<!DOCTYPE html><html><head><title>{body.splitlines()[0]}</title>{head}</head>"
            f"<body><article><h1>{body.splitlines()[0]}</h1>\n{paragraphs}</article></body></html>")


def test_an_undated_html_page_is_not_dated_by_a_year_in_its_body(tmp_path):
    from corroborate.ingest import read_inputs

    (tmp_path / "page.html").write_text(_page(UNDATED), encoding="utf-8")
    (tmp_path / "same.txt").write_text(UNDATED, encoding="utf-8")
    for name in ("page.html", "same.txt"):
        [doc], _ = read_inputs(tmp_path / name)
        assert (doc.published, doc.published_from) == (None, None), name


def test_each_date_says_where_it_came_from(tmp_path):
    from corroborate.ingest import read_inputs

    meta = '<meta property="article:published_time" content="2024-03-10T08:00:00+03:00">'
    (tmp_path / "meta.html").write_text(_page(UNDATED, meta), encoding="utf-8")
    (tmp_path / "dateline.txt").write_text("بيروت ١٠ مارس ٢٠٢٤\n" + UNDATED, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": UNDATED.replace("2014", "2015"),
                                                     "published": "2024-03-11"}) + "\n", encoding="utf-8")
    docs, _ = read_inputs(tmp_path)
    assert {d.id: (d.published, d.published_from) for d in docs} == {
        "meta": ("2024-03-10", "metadata"), "dateline": ("2024-03-10", "dateline"),
        "feed-1": ("2024-03-11", "metadata")}
    caption = ("عنوان الخبر عن الهجوم على القاعدة\n"
               "جنود في موقع الهجوم قرب الحدود. 2 فبراير 2020 - AFP\n"
               "قال مسؤول إن الهجوم أسفر عن مقتل ثلاثة جنود في القاعدة.\n")
    meta = extract_metadata(caption)
    assert (meta["published"], meta["published_from"]) == (None, None)   # a caption never dates it


def test_the_json_report_says_where_each_date_came_from(seed_json):
    from_ = {d["id"]: (d["published"], d["published_from"]) for d in seed_json["documents"]}
    assert from_["001_ca7d2482d73aec03"] == ("2024-02-19", "dateline")
    assert from_["003_554a95cc30897557"] == (None, None)
    assert all((p is None) == (f is None) for p, f in from_.values())


def test_an_undated_articles_claims_keep_the_latest_date_it_names_but_the_article_stays_undated(tmp_path):
    from corroborate.ingest import read_inputs
    from corroborate.timescope import with_time

    (tmp_path / "page.html").write_text(_page(UNDATED), encoding="utf-8")
    [doc], _ = read_inputs(tmp_path / "page.html")
    claims = [with_time(c, doc) for c in split_claims(doc)]
    assert doc.published is None
    # timescope's documented rule dates the claims by the latest date the article names
    # (claim time: "explicit" where the claim names it, else "context"), never the page
    assert [(c.time, c.time_basis) for c in claims] == [("2014", "explicit"), ("2014", "context")]
