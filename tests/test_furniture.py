from corroborate.claims import (
    boilerplate_lines,
    furniture_spans,
    is_furniture,
    split_claims,
)
from corroborate.model import Document


def _texts(text: str) -> list[str]:
    doc = Document(id="page", text=text)
    claims = split_claims(doc)
    assert all(doc.text[c.start:c.end] == c.text for c in claims)
    return [c.text for c in claims]


def test_a_label_strip_inside_a_line_is_cut_out_and_the_sentences_around_it_kept():
    text = ("البرامج الحلقات البرامج الحلقات الحكومة تقر خطة جديدة للنقل العام تاريخ النشر : حجم الخط "
            "كلمات مفتاحية أعلنت وزارة النقل اليوم خطة لتوسيع شبكة القطارات بين المدن الكبرى .\n")
    texts = _texts(text)
    assert "أعلنت وزارة النقل اليوم خطة لتوسيع شبكة القطارات بين المدن الكبرى" in texts
    assert "الحكومة تقر خطة جديدة للنقل العام" in texts
    assert not any(w in t for t in texts for w in ("البرامج", "حجم الخط", "كلمات مفتاحية", "تاريخ النشر"))


def test_share_print_and_comment_widgets_are_not_claims():
    text = ("ارتفعت أسعار الخبز في العاصمة بنسبة عشرة في المئة خلال الشهر الماضي .\n"
            "طباعة الرابط http : / / example . com / p / 3kx9 تعليقك على الموضوع مشاركة\n")
    assert _texts(text) == ["ارتفعت أسعار الخبز في العاصمة بنسبة عشرة في المئة خلال الشهر الماضي"]
    second = text.index("طباعة")
    assert boilerplate_lines(text)[second] == "interface"


def test_login_forms_and_hashtag_lines_are_not_claims():
    text = ("اسم المستخدم كلمة المرور تسجيل الدخول نسيت كلمة المرور ؟ إنشاء حساب جديد\n"
            "#عاجل #دمشق #الأمم_المتحدة #حلب #Syria #News\n"
            "وصل وفد الأمم المتحدة إلى مدينة حلب صباح الأحد لتقييم حاجات السكان .\n")
    assert _texts(text) == ["وصل وفد الأمم المتحدة إلى مدينة حلب صباح الأحد لتقييم حاجات السكان"]


def test_a_run_of_dates_or_layout_code_is_cut_out_of_a_line():
    text = ("مجلس النواب يناقش قانون الموازنة الجديد 12 / 03 / 2019 12 / 03 / 2019 14 / 03 / 2019 "
            "وصوت النواب بالأغلبية على المادة الأولى من القانون بعد جلسة طويلة .\n")
    texts = _texts(text)
    assert "وصوت النواب بالأغلبية على المادة الأولى من القانون بعد جلسة طويلة" in texts
    assert not any("2019 12" in t or "14 / 03" in t for t in texts)


def test_everyday_words_that_are_also_interface_labels_do_not_cut_a_sentence():
    sentence = "وقررت الحكومة إغلاق المعابر وإرسال قوات إضافية وبحث الخطة مع قادة الجيش في الشمال"
    assert furniture_spans(sentence) == []
    assert _texts(sentence + " .\n") == [sentence]


def test_a_sentence_full_of_numbers_and_spaced_punctuation_is_still_a_sentence():
    # scraped pages often space out punctuation: commas and slashes are not words, nor are they furniture
    sentence = "في 3 / 5 / 2016 , افتتحت البلدية الجسر الجديد فوق النهر بكلفة 40 مليون دينار"
    assert not is_furniture(sentence)
    assert _texts(sentence + " .\n") == [sentence]


def test_navigation_runs_and_repeated_stamps_are_furniture():
    assert is_furniture("21 يناير 21 يناير 21 يناير 21 يناير 21 يناير")
    assert is_furniture("الرئيسية أخبار الرئيسية أخبار الرئيسية أخبار")
    assert not is_furniture("قالت الشرطة إن الحريق اندلع في مستودع للأخشاب قرب الميناء")


def test_an_english_article_is_read_in_its_own_script():
    # Latin words are page noise in an Arabic page, but they are the words of an English one
    text = ("Qaani met leaders of several armed groups at Baghdad airport on Jan. 29, less than 48 hours "
            "after Washington blamed them for the attack.\n\n"
            "The visit brought a halt to the attacks on U.S. forces, several Iranian and Iraqi sources said.\n")
    assert _texts(text) == [
        "Qaani met leaders of several armed groups at Baghdad airport on Jan. 29, less than 48 hours "
        "after Washington blamed them for the attack",
        "The visit brought a halt to the attacks on U.S. forces, several Iranian and Iraqi sources said"]
    arabic = ("أعلنت وزارة النقل اليوم خطة لتوسيع شبكة القطارات بين المدن الكبرى خلال العام المقبل.\n"
              "Transport officials announce the railway plan in Cairo\n"
              "وقال الوزير إن الخطة تشمل خطوطا جديدة تربط العاصمة بمدن الصعيد والدلتا.\n")
    assert _texts(arabic) == ["أعلنت وزارة النقل اليوم خطة لتوسيع شبكة القطارات بين المدن الكبرى خلال العام المقبل",
                              "وقال الوزير إن الخطة تشمل خطوطا جديدة تربط العاصمة بمدن الصعيد والدلتا"]
    # a page with more Latin than Arabic letters still keeps its Arabic sentences
    mixed = ("وقال الوزير إن الخطة تشمل خطوطا جديدة تربط العاصمة بمدن الصعيد والدلتا.\n"
             "The minister said the plan includes new lines linking the capital with the Delta cities.\n")
    assert len(_texts(mixed)) == 2


def test_a_tag_list_after_the_last_sentence_is_not_a_claim():
    text = ("ونقلت المرأة إلى المستشفى بعد إصابتها بصدمة عصبية على خلفية عدم قبول ابنتها في كلية الطب. "
            "سمات تبوك جامعة تبوك القبول والتسجيل كلية الطب الثانوية العامة\n")
    assert _texts(text) == ["ونقلت المرأة إلى المستشفى بعد إصابتها بصدمة عصبية على خلفية عدم قبول ابنتها في كلية الطب"]
    # a sentence that opens with the same word, and ends like one, is kept
    trait = "سمات القائد الناجح كثيرة ومنها الصبر والحكمة وحسن الاستماع إلى الآخرين."
    assert _texts(trait + "\n") == [trait.rstrip(".")]
