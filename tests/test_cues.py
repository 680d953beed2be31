
from corroborate.cues import CUE_FEATURES, conflict_cues, cue_features, normalize, stems


def kinds(a, b):
    return [c.kind for c in conflict_cues(a, b)]


def test_negation_fires_when_only_one_side_is_negated():
    a = "الرئيس الأمريكي يزور العراق الأسبوع المقبل"
    b = "الرئيس الأمريكي لن يزور العراق الأسبوع المقبل"
    [cue] = conflict_cues(a, b)
    assert cue.kind == "negation" and "لن" in cue.detail
    assert "negation" not in kinds("لم يعلق الجيش على الهجوم", "الجيش لم يعلق على الهجوم")


def test_antonym_matches_inflected_forms():
    a = "نجحت القوات العراقية في استعادة السيطرة على المدينة"
    b = "فشلت القوات العراقية في استعادة السيطرة على المدينة"
    [cue] = conflict_cues(a, b)
    assert cue.kind == "antonym" and cue.detail == "نجح vs فشل"
    assert kinds("ارتفاع أسعار النفط في الأسواق العالمية", "انخفضت أسعار النفط في الأسواق العالمية") == ["antonym"]
    assert kinds("البرلمان يوافق على الميزانية", "البرلمان يوافق على الميزانية بالإجماع") == []


def test_number_cue_needs_a_different_count_of_the_same_thing():
    [cue] = conflict_cues("مقتل 12 شخصا في انفجار سيارة مفخخة ببغداد",
                          "مقتل 15 شخصا في انفجار سيارة مفخخة ببغداد")
    assert cue.kind == "number" and cue.detail.startswith("12 vs 15")


def test_number_words_and_digits_of_the_same_value_are_not_a_cue():
    assert kinds("مقتل ثلاثة جنود في هجوم على قاعدة", "مقتل 3 جنود أمريكيين في هجوم على قاعدة") == []
    assert kinds("three soldiers killed in the attack", "3 US soldiers killed in the attack") == []
    assert kinds("اعتقال ٥ أشخاص في القاهرة", "اعتقال 5 أشخاص في القاهرة") == []


def test_date_cue_on_different_years():
    [cue] = conflict_cues("الانتخابات البرلمانية العراقية جرت في 2018",
                          "الانتخابات البرلمانية العراقية جرت في 2014")
    assert cue.kind == "date" and "2018" in cue.detail and "2014" in cue.detail
    assert kinds("الانتخابات جرت في مايو 2018", "الانتخابات جرت في 2018") == []


def test_cue_features_have_a_fixed_length():
    plain = cue_features("الجيش يدخل المدينة", "الجيش يدخل المدينة")
    negated = cue_features("الجيش يدخل المدينة", "الجيش لم يدخل المدينة")
    assert plain.shape == negated.shape == (len(CUE_FEATURES),)
    assert negated[CUE_FEATURES.index("neg_xor")] == 1 and plain[CUE_FEATURES.index("neg_xor")] == 0


def test_normalize_folds_spelling_variants():
    assert normalize("فيـــلق إيرانيّة ٢٠٢٤") == "فيلق ايرانيه 2024"
    assert "نجح" in stems("ونجحت")
