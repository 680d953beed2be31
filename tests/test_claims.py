import re

from corroborate.claims import boilerplate_lines, split_claims
from corroborate.engine import LocalEngine
from corroborate.model import Document, Settings
from corroborate.pipeline import split_stream

PAGE = ("مقتل عاملين في انفجار بمصنع للكيماويات قرب مدينة حمص\n"
        "مقتل عاملين في انفجار بمصنع للكيماويات قرب مدينة حمص\n"
        "دمشق - رويترز\n"
        "قالت وكالة رويترز إن انفجارا وقع في مصنع للكيماويات قرب مدينة حمص صباح الثلاثاء، كما أفادت "
        "بأن فرق الإطفاء وصلت بعد ساعة.\n"
        "عمال الإطفاء أمام المصنع بعد الانفجار (رويترز)\n"
        "Firefighters work at the site of the explosion near Homs, Syria. REUTERS/Jane Roe\n"
        "هل كان المصنع يلتزم بشروط السلامة؟\n"
        "وقال مسؤول في الدفاع المدني إن عاملين قتلا وأصيب ثلاثة آخرون. ولم تعلن السلطات سبب الانفجار حتى الآن.\n"
        "التحقيق في أسباب الانفجار بدأ أمس وستعلن النتائج خلال أسبوع\n"
        "ونقلت صحيفة محلية عن مصدر في المحافظة أن التحقيق في أسباب الانفجار بدأ أمس وستعلن النتائج "
        "خلال أسبوع بعد فحص المعدات.\n"
        "اقرأ أيضاً:\n"
        "حريق في سوق شعبي بمدينة حماة\n"
        "شارك هذا الخبر عبر فيسبوك وتويتر\n")


def test_every_seed_claim_round_trips_to_the_file(seed_docs):
    for doc in seed_docs:
        on_disk = open(doc.path, encoding="utf-8-sig", newline="").read()
        claims = split_claims(doc)
        assert claims
        for c in claims:
            assert doc.text[c.start:c.end] == c.text == on_disk[c.start:c.end]
            assert c.id == f"c-{doc.id}:{c.start}" and c.text == c.text.strip()
            assert len(c.text) >= 25


def test_seed_claims_are_sorted_and_do_not_overlap(seed_docs):
    for doc in seed_docs:
        claims = split_claims(doc)
        for a, b in zip(claims, claims[1:]):
            assert a.end <= b.start


def test_a_page_keeps_its_reporting_and_drops_its_furniture():
    doc = Document(id="page", text=PAGE)
    texts = [c.text for c in split_claims(doc)]
    assert texts == [
        "مقتل عاملين في انفجار بمصنع للكيماويات قرب مدينة حمص",
        "قالت وكالة رويترز إن انفجارا وقع في مصنع للكيماويات قرب مدينة حمص صباح الثلاثاء",
        "كما أفادت بأن فرق الإطفاء وصلت بعد ساعة",
        "وقال مسؤول في الدفاع المدني إن عاملين قتلا وأصيب ثلاثة آخرون",
        "ولم تعلن السلطات سبب الانفجار حتى الآن",
        "ونقلت صحيفة محلية عن مصدر في المحافظة أن التحقيق في أسباب الانفجار بدأ أمس وستعلن "
        "النتائج خلال أسبوع بعد فحص المعدات",
    ]
    reasons = boilerplate_lines(PAGE)
    line_at = {line: PAGE.index(line) for line in PAGE.splitlines() if line}

    def why(line_start: str) -> str:
        return reasons[next(at for line, at in line_at.items() if line.startswith(line_start))]

    # the headline printed twice, the dateline, the captions (Arabic with a credit, English
    # wire), the pull quote that repeats the paragraph below it, the teaser list and the share bar
    assert list(reasons.values()).count("repeated") == 1
    assert why("دمشق - رويترز") == "dateline"
    assert why("عمال الإطفاء") == "caption"
    assert why("Firefighters") == "latin caption"
    assert why("التحقيق في أسباب") == "pull quote"
    assert why("اقرأ أيضاً") == "marker" and why("حريق في سوق") == "teaser list"
    assert PAGE.index("شارك هذا الخبر") in reasons


def test_a_link_back_to_the_article_under_its_own_title_is_not_a_claim():
    title = "طيران ناس تكرم طاقم طائرة عاد من المدرج لأخذ علاج راكبة"
    body = ("كرم طيران ناس قائد الطائرة وأعضاء الطاقم الجوي لرحلة حائل الرياض أمس. "
            "رابط الخبر بصحيفة الوئام: طيران ناس تكرم طاقم طائرة عاد من المدرج لأخذ علاج راكبة\n"
            "المتحدث الرسمي للشركة: الطاقم تصرف وفق الإجراءات المعتمدة في مثل هذه الحالات\n")
    texts = [c.text for c in split_claims(Document(id="d", text=body, title=title))]
    assert texts == ["كرم طيران ناس قائد الطائرة وأعضاء الطاقم الجوي لرحلة حائل الرياض أمس",
                     "المتحدث الرسمي للشركة: الطاقم تصرف وفق الإجراءات المعتمدة في مثل هذه الحالات"]
    # a headline with its source in front is the title itself, and stays
    headline = "حرية برس : حسون : الروس أبدوا عدم تمسكهم ببشار الأسد في أستانة"
    kept = split_claims(Document(id="h", text=headline + "\n", title=headline))
    assert [c.text for c in kept] == [headline]


def test_a_question_asserts_nothing():
    text = "هل كانت الحكومة تعلم بالخطر قبل وقوع الانفجار في الميناء؟\n"
    assert split_claims(Document(id="q", text=text)) == []


def test_attribution_names_agencies_roles_and_carries_to_the_clause_after():
    claims = split_claims(Document(id="page", text=PAGE))
    by_start = {c.text.split()[0]: c for c in claims}
    assert by_start["قالت"].attributed_to == ("Reuters",)
    assert by_start["كما"].attributed_to == ("Reuters",)          # «، كما أفادت»: still Reuters
    official = by_start["وقال"]
    assert official.attributed_to == ("مسؤول",) and official.anonymous
    assert by_start["ونقلت"].anonymous


def _speakers(text: str) -> list[tuple[str, ...]]:
    return [c.attributed_to for c in split_claims(Document(id="s", text=text))]


def test_the_speaker_phrase_ends_before_the_time_and_the_content():
    assert _speakers("قالت وزارة الصحة المصرية يوم الاثنين إن 12 شخصا لقوا حتفهم في الانفجار.\n") == \
        [("وزارة الصحة المصرية",)]
    assert _speakers("ودعت وزارة الخدمة المدنية 2199 من المتقدمين على الوظائف الصحية إلى مطابقة بياناتهم.\n") == \
        [("وزارة الخدمة المدنية",)]
    # a title and a full name are one speaker, however long
    assert _speakers("وأكد مدير الشؤون الصحية بمحافظة جدة الدكتور مبارك بن حسن ظافر، أن المستشفيات "
                     "ستستمر في العمل طوال العيد.\n") == [("مدير الشؤون الصحية بمحافظة جدة الدكتور مبارك بن حسن ظافر",)]


def test_a_title_goes_on_through_its_domain_and_its_body():
    assert _speakers("وقال نائب وزير الصحة للشؤون الصحية حمد الضويلع للصحفيين إن الوزارة ستفتح مراكز جديدة.\n") == \
        [("نائب وزير الصحة للشؤون الصحية حمد الضويلع",)]
    assert _speakers("وقال المسؤول في مركز الأرصاد الباكستاني غلام رسول إن الزلزال شعر به سكان عدة مدن.\n") == \
        [("المسؤول في مركز الأرصاد الباكستاني غلام رسول",)]
    # the occasion and the addressee are not part of the title
    assert _speakers("وقال وزير الخارجية في مؤتمر صحفي إن المفاوضات ستستأنف الأسبوع المقبل.\n") == \
        [("وزير الخارجية",)]
    assert _speakers("وقال المتحدث باسم الشرطة للصحفيين إن التحقيق ما زال جاريا في الحادث.\n") == \
        [("المتحدث باسم الشرطة",)]
    # Al Jazeera's own article: «للجزيرة نت» is to whom it was said, not more of the speaker
    own = Document(id="s", outlet="Al Jazeera",
                   text="ويقول خالد الجابري للجزيرة نت، إن الحكومة ستعلن موقفها من الاتفاق قريبا.\n")
    assert [c.attributed_to for c in split_claims(own)] == [("خالد الجابري",)]


def test_a_name_set_off_by_commas_before_the_complement_is_the_speakers():
    assert _speakers("وقال المتحدث الرسمي باسم وزارة النقل، خالد الشمري، إن الطريق سيفتح الأسبوع المقبل.\n") == \
        [("المتحدث الرسمي باسم وزارة النقل، خالد الشمري",)]
    # an occasion or a time between the commas is not
    assert _speakers("وقال وزير النقل، في بيان له، إن الطريق سيفتح الأسبوع المقبل أمام الشاحنات.\n") == \
        [("وزير النقل",)]
    assert _speakers("وقال وزير النقل، أمس، إن الطريق سيفتح الأسبوع المقبل أمام الشاحنات.\n") == \
        [("وزير النقل",)]


def test_a_verbal_noun_after_the_subjects_definite_end_is_the_object():
    assert _speakers("وأكدت وزارة النقل مواصلة أعمال الصيانة على الطريق طوال الصيف.\n") == [("وزارة النقل",)]
    assert _speakers("وأعلنت الشرطة الإيطالية اعتقال ثلاثة رجال بعد مداهمة في ميلانو.\n") == \
        [("الشرطة الإيطالية",)]
    # a name of that shape after an honorific is the subject's
    assert _speakers("وشدد النائب انطوان حداد على ضرورة الحوار بين الكتل النيابية.\n") == \
        [("النائب انطوان حداد",)]


def test_a_role_with_no_name_ends_with_its_adjectives():
    assert _speakers("ووصف مسؤول أمني كبير زيارة الوزير للمعبر بأنها كانت ناجحة.\n") == [("مسؤول أمني كبير",)]
    assert _speakers("وأكدت مصادر عسكرية كردية دخولها الحي الشرقي بغطاء جوي.\n") == [("مصادر عسكرية كردية",)]
    # right after the role a noun is its domain, not the object
    assert _speakers("وقال مسؤول ملف الاستيطان في الضفة الغربية إن البناء مستمر.\n") == \
        [("مسؤول ملف الاستيطان",)]


def test_to_whom_it_was_said_is_not_who_said_it():
    assert _speakers("فيما قال مصدر قضائي لـ«المدينة» إن رئيس الوزراء حضر اجتماع المجلس الأعلى.\n") == \
        [("مصدر قضائي",)]
    assert _speakers("من جهته قال لـ«اليوم» مدير عام فرع وزارة الإسكان الدكتور شاهر السهلي: إن المشروع "
                     "سيكتمل قريبا.\n") == [("مدير عام فرع وزارة الإسكان الدكتور شاهر السهلي",)]


def test_a_frame_with_no_subject_of_its_own_hands_on_the_speaker_before():
    text = ("وقال الفريق مميش إن قافلة الشمال شهدت عبور 37 سفينة في اليوم الثاني للقناة الجديدة.\n"
            "مؤكدا أن ذلك التزايد في عدد السفن يعني أن القناة بدأت تحقق الهدف من إنشائها.\n"
            "وأضاف \"إذا استمر هذا العدد فإن إيرادات القناة ستتضاعف خلال أعوام قليلة\".\n"
            "وأشاد بما قدمه العاملون في الهيئة خلال الأيام الماضية من جهد كبير.\n")
    assert _speakers(text) == [("الفريق مميش",)] * 4


def test_an_impersonal_opener_leaves_the_frame_inside_it():
    assert _speakers("يشار إلى أن وزير الإسكان ماجد الحقيل أكد في أول أيام عمله أن الوزارة ستسرع "
                     "تسليم الوحدات.\n") == [("وزير الإسكان ماجد الحقيل",)]


def test_a_stance_verb_opening_the_sentence_names_its_subject():
    assert _speakers("وبين العنزي أن طرق النجاة من هذا الضلال تبدأ بنشر العلم الصحيح بين الشباب.\n") == \
        [("العنزي",)]
    # elsewhere «بين» is "between"
    assert _speakers("وقع اتفاق بين السعودية ومصر على إنشاء جسر يربط البلدين عبر البحر الأحمر.\n") == [()]


def test_the_subject_of_a_past_frame_and_after_what_was_said():
    assert _speakers("وكانت قيادة القوات المشتركة لتحالف دعم الشرعية في اليمن قد أعلنت في بيان لها أمس "
                     "استشهاد ثلاثة جنود.\n") == [("قيادة القوات المشتركة لتحالف دعم الشرعية",)]
    assert _speakers("وأوضح ذلك المشرف العام على الحملة هلال الحسني للصحيفة أمس بعد الحادث.\n") == \
        [("المشرف العام",)]


def test_a_quotation_after_the_speaker_is_not_the_speaker():
    assert _speakers('وقال الأسد "أحيانا نضطر في بعض الظروف أن نتخلى عن مناطق من أجل نقل القوات".\n') == \
        [("الأسد",)]
    # a name in quotes is part of the speaker
    assert _speakers('وأكد الرئيس التنفيذي لشركة "لايف ستايل" المهندس سلطان بترجي أن المشروع اكتمل.\n') == \
        [('الرئيس التنفيذي لشركة "لايف ستايل" المهندس سلطان بترجي',)]


def test_a_prayer_is_said_by_the_speaker_before():
    text = ("وقال الشيخ منصور السلمان إن الحادث الإرهابي لن ينال من وحدة هذا الوطن وأهله.\n"
            "ودعا الله عز وجل أن يحمي هذا الوطن الغالي وقيادته وأمنه من شر الأشرار.\n")
    assert _speakers(text) == [("الشيخ منصور السلمان",)] * 2


def test_a_negated_or_moving_verb_attributes_nothing():
    assert _speakers("لكن ذلك لا ينفي أن الظاهرة أكبر من الدولة ومقاومتها تتطلب مجهودا أوسع.\n") == [()]
    assert _speakers("ونقل أحياء العدامة والسوق والدواسر إلى الدائرة الانتخابية الثانية هذا العام.\n") == [()]


def test_an_outlet_is_not_its_own_source():
    text = "وذكر مراسل الجزيرة أن الدخان الكثيف غطى الأحياء القريبة من المصنع لساعات.\n"
    [claim] = split_claims(Document(id="aj", text=text, outlet="Al Jazeera"))
    assert "Al Jazeera" not in claim.attributed_to


def test_a_long_sentence_is_split_below_max_chars():
    clause = "وأعلنت وزارة الزراعة أنها ستواصل دعم المزارعين في المحافظات الشمالية خلال موسم الحصاد المقبل"
    text = "، ".join([clause] * 6) + ".\n"
    claims = split_claims(Document(id="long", text=text), max_chars=200)
    assert len(claims) >= 3 and all(len(c.text) <= 200 for c in claims)
    assert all(text[c.start:c.end] == c.text for c in claims)


def test_quotes_keep_their_sentences_together():
    text = 'وقال المدير: "لن نغلق المصنع قبل انتهاء التحقيق. وسنعوض العمال عن كل يوم توقف".\n'
    [claim] = split_claims(Document(id="q", text=text))
    assert claim.text.endswith('توقف"') and claim.attributed_to == ("المدير",)
    assert not re.search(r"^\s|\s$", claim.text)


def test_a_page_that_prints_its_article_twice_keeps_one_print_of_each_paragraph():
    # a site's page carries the article, then its print edition with a name dropped: each
    # paragraph is a near copy of another, and neither print is a pull quote of the other
    first = ("واكتمل التصعيد بإعلان وزير الخارجية سيرغي لافروف أن بلاده لم تتعهد بضمان خروج التشكيلات "
             "الموالية لإيران من الجنوب السوري، في ظل اعتراض إسرائيلي على اتفاق خفض التوتر.")
    second = ("وتطرح هذه المعطيات تساؤلات كبيرة حول إمكان تطبيق أي اتفاقات أميركية روسية حول سورية، "
              "وتجعل من البيان الصادر عن الرئيسين حبرا على ورق.")
    again = first.replace("سيرغي لافروف ", "")
    text = "\n".join([first, second, "موسكو - العربي الجديد", again, second]) + "\n"
    reasons = boilerplate_lines(text)
    assert text.index(first) not in reasons and text.index(second) not in reasons
    assert reasons[text.index(again)] == reasons[text.rindex(second)] == "repeated"
    claims = split_claims(Document(id="twice", text=text))
    starts = [c.start for c in claims]
    assert any(s < len(first) for s in starts) and any(text.index(second) <= s < text.index("موسكو") for s in starts)
    assert all(c.end <= text.index("موسكو") for c in claims)       # nothing of the second print


def test_a_point_between_two_numbers_written_apart_ends_no_sentence():
    text = ("وقالت الوزارة إن الولايات المتحدة قدمت نحو 1 . 78 مليار دولار من المساعدات إلى العراق . "
            "وتعهدت الدول بخفض الانبعاثات بحلول عام 2015 . 2014 / 1 / 30 - قال نائب الأمين العام إن الخطة ستنجح")
    claims = [c.text for c in split_claims(Document(id="x", text=text))]
    assert claims[0] == "وقالت الوزارة إن الولايات المتحدة قدمت نحو 1 . 78 مليار دولار من المساعدات إلى العراق"
    assert not any(c.startswith(("78", "2014")) for c in claims)    # two years: a sentence ends between them
    assert claims[-1].startswith("قال نائب الأمين العام")


def test_initials_written_apart_end_no_sentence_and_name_the_agency():
    text = ("بيروت ( أ . ف . ب ) - قال المرصد السوري لحقوق الإنسان إن غارات جوية استهدفت بلدة عربين أمس . "
            "وذكرت وكالة د . ب . أ أن الاشتباكات استمرت حتى ساعات الصباح الأولى في الأحياء الشرقية .")
    assert [c.text[:12] for c in split_claims(Document(id="x", text=text))] == ["بيروت ( أ . ", "وذكرت وكالة "]
    documents, claims = split_stream([Document(id="x", text=text, outlet="example.com")], LocalEngine(), Settings())
    assert documents[0].wire == "AFP" and [c.origin for c in claims] == ["AFP", "dpa"]
