import pytest

from corroborate.metadata import extract_metadata
from corroborate.text.dates import find_dates
from corroborate.text.lines import is_caption
from corroborate.text.sources import find_sources


def _by_prefix(docs, prefix):
    return next(d for d in docs if d.id.startswith(prefix))


@pytest.mark.parametrize("prefix, date", [("001", "2024-02-19"), ("002", "2021-08-04")])
def test_seed_publication_dates(seed_docs, prefix, date):
    assert _by_prefix(seed_docs, prefix).published == date


def test_seed_cited_sources(seed_docs):
    assert "Reuters" in _by_prefix(seed_docs, "000").cited_sources
    assert _by_prefix(seed_docs, "001").cited_sources[:2] == ("Reuters", "Washington Post")


def test_seed_outlets_from_signature_and_exclusives(seed_docs):
    assert _by_prefix(seed_docs, "004").outlet == "Al Jazeera"
    assert _by_prefix(seed_docs, "003").outlet == "Arabi Post"


def test_own_outlet_and_photo_credits_are_not_cited(seed_docs):
    aj = _by_prefix(seed_docs, "004")
    assert "Al Jazeera" not in aj.cited_sources
    assert "Reuters" not in aj.cited_sources     # only "(رويترز)" photo credits there


def test_date_formats():
    assert find_dates("● أخبار ١٩ فبراير ٢٠٢٤")[0][0] == "2024-02-19"
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


def test_hint_wins_and_is_mapped_to_english():
    meta = extract_metadata("نص الخبر الطويل الذي يتحدث عن الهجوم.", hint={"outlet": "الجزيرة نت",
                                                                          "published": "2024-01-30"})
    assert meta["outlet"] == "Al Jazeera" and meta["published"] == "2024-01-30"
