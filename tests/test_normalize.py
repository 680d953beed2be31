from corroborate.text.normalize import normalize, normalize_text


def test_split_tatweel_joins_the_word():
    assert normalize_text('قائد "فيـ ـلق القدس"') == 'قائد "فيلق القدس"'


def test_diacritics_alef_forms_and_ta_marbuta():
    assert normalize_text("أَحْمَدُ إلى آخر ٱلقرية") == "احمد الي اخر القريه"


def test_arabic_indic_and_persian_digits_become_ascii():
    assert normalize_text("١٩ فبراير ٢٠٢٤ و۳") == "19 فبراير 2024 و3"


def test_invisible_marks_and_whitespace_collapse():
    assert normalize_text("\u200fخبر\u00a0 \u200bعاجل\n\n") == "خبر عاجل"


def test_map_points_back_into_the_original():
    text = "  قائد «فيـ ـلق» القُدس"
    norm, index = normalize(text)
    assert len(norm) == len(index)
    for i, ch in enumerate(norm):
        if ch != " ":
            assert normalize_text(text[index[i]]) == ch
    start = norm.index("القدس")
    assert text[index[start]:index[start + len("القدس") - 1] + 1] == "القُدس"


def test_the_decimal_ra_reads_as_the_decimal_point_it_stands_for():
    # the fraction comes first in logical order: «7ر10 مليار» is 10.7 billion
    assert normalize_text("بلغ 7ر10 مليار دولار بنسبة (53ر24%) و58ر54 دولار") == \
        "بلغ 10.7 مليار دولار بنسبه (24.53%) و54.58 دولار"
    assert normalize_text("العدد 5رجال و3 رجال") == "العدد 5رجال و3 رجال"
    norm, index = normalize("بلغ 7ر10 مليار")
    assert len(norm) == len(index)


def test_a_decimal_with_a_direction_mark_reads_fraction_first_as_the_ra_does():
    # Asharq Al-Awsat's «6.‏2 مليار رينجيت» (a right-to-left mark after the point) is 2.6 billion
    text = "حول 6.\u200f2 مليار رينجيت و045.\u200f3 مليار دولار بينما بلغ المؤشر 2.5 نقطة"
    assert normalize_text(text) == "حول 2.6 مليار رينجيت و3.045 مليار دولار بينما بلغ المؤشر 2.5 نقطه"
    norm, index = normalize(text)
    assert len(norm) == len(index) and text[index[norm.index("2.6")]] == "6"   # the span keeps its place
    assert normalize_text("بتكلفة \u0667.\u200f\u0661\u0661 مليار") == "بتكلفه 11.7 مليار"   # Arabic-Indic digits


def test_a_point_between_two_numbers_written_apart_joins_them_but_two_years_stay_apart():
    text = "بلغت قوته 7 . 3 درجة في 27 . 12 . 2017 بحلول عام 2015 . 2014"
    norm, index = normalize(text)
    assert "7.3 درجه" in norm and "27.12.2017" in norm and "2015 . 2014" in norm
    assert len(norm) == len(index) and text[index[norm.index("7.3")] + 2] == "."   # «7 . 3» in the original


def test_initials_written_apart_read_as_initials():
    assert normalize_text("بيروت ( أ . ف . ب ) - قال ح . ز / و . ب") == "بيروت ( ا.ف.ب ) - قال ح.ز / و.ب"
