"""Known news agencies and outlets, with Arabic and English spellings, and a finder for mentions."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .normalize import normalize, normalize_text


@dataclass(frozen=True)
class Source:
    name: str                      # English canonical name used in every report
    kind: str                      # "agency" (wire service), "outlet" (publisher) or "photo"
    aliases: tuple[str, ...]       # spellings as they appear; matched after normalisation


# Ambiguous Arabic names (الجزيرة = "the island", العربية = "Arabic", الشرق الأوسط = the region)
# are listed only in forms that name the outlet: with قناة/صحيفة/موقع or in quotes.
SOURCES: tuple[Source, ...] = (
    Source("Reuters", "agency", ("رويترز", "رويتر", "Reuters")),
    Source("Associated Press", "agency", ("أسوشيتد برس", "أسوشييتد برس", "اسوشيتدبرس", "أسوشيتدبرس",
                                          "الأسوشيتد برس", "Associated Press", "(AP)", "AP Photo")),
    Source("AFP", "agency", ("فرانس برس", "فرانس بريس", "أ ف ب", "أ.ف.ب", "AFP", "Agence France-Presse",
                             "Agence France Presse")),
    Source("Sputnik", "agency", ("سبوتنيك", "Sputnik")),
    Source("Anadolu", "agency", ("الأناضول", "Anadolu")),
    Source("Xinhua", "agency", ("شينخوا", "Xinhua")),
    Source("dpa", "agency", ("د ب أ", "د.ب.أ", "الألمانية للأنباء", "dpa")),
    Source("IRNA", "agency", ("إرنا", "IRNA")),
    Source("Tasnim", "agency", ("تسنيم", "Tasnim")),
    Source("Fars", "agency", ("وكالة فارس", "فارس للأنباء", "Fars News")),
    Source("Mehr", "agency", ("وكالة مهر", "مهر للأنباء", "Mehr News")),
    Source("ISNA", "agency", ("إيسنا", "ISNA")),
    Source("SANA", "agency", ("سانا", "SANA")),
    Source("INA", "agency", ("وكالة الأنباء العراقية",)),
    Source("WAM", "agency", ("وكالة أنباء الإمارات",)),
    Source("SPA", "agency", ("وكالة الأنباء السعودية",)),
    Source("MENA", "agency", ("وكالة أنباء الشرق الأوسط",)),
    Source("TASS", "agency", ("تاس", "TASS")),
    Source("RIA Novosti", "agency", ("ريا نوفوستي", "RIA Novosti")),
    Source("Interfax", "agency", ("إنترفاكس", "Interfax")),
    Source("Bloomberg", "agency", ("بلومبرغ", "بلومبيرغ", "بلومبرج", "Bloomberg")),
    Source("EPA", "photo", ("EPA", "إي بي إيه")),
    Source("Getty Images", "photo", ("Getty", "غيتي", "جيتي")),
    Source("Shutterstock", "photo", ("Shutterstock", "شترستوك")),
    Source("Washington Post", "outlet", ("واشنطن بوست", "Washington Post")),
    Source("New York Times", "outlet", ("نيويورك تايمز", "New York Times", "NYT")),
    Source("Wall Street Journal", "outlet", ("وول ستريت جورنال", "وول ستريت جورنل", "Wall Street Journal", "WSJ")),
    Source("The Guardian", "outlet", ("الغارديان", "الجارديان", "غارديان", "The Guardian")),
    Source("Financial Times", "outlet", ("فايننشال تايمز", "فاينانشال تايمز", "Financial Times")),
    Source("The Times", "outlet", ("التايمز", "The Times")),
    Source("The Independent", "outlet", ("الإندبندنت", "إندبندنت", "The Independent")),
    Source("Independent Arabia", "outlet", ("إندبندنت عربية", "اندبندنت عربية")),
    Source("The Telegraph", "outlet", ("التلغراف", "تلغراف", "ديلي تلغراف", "Telegraph")),
    Source("The Economist", "outlet", ("الإيكونوميست", "إيكونوميست", "The Economist")),
    Source("Le Monde", "outlet", ("لوموند", "Le Monde")),
    Source("Der Spiegel", "outlet", ("دير شبيغل", "شبيغل", "Der Spiegel")),
    Source("Axios", "outlet", ("أكسيوس", "اكسيوس", "Axios")),
    Source("Politico", "outlet", ("بوليتيكو", "Politico")),
    Source("CNN", "outlet", ("سي إن إن", "CNN")),
    Source("BBC", "outlet", ("بي بي سي", "BBC", "هيئة الإذاعة البريطانية")),
    Source("Fox News", "outlet", ("فوكس نيوز", "Fox News")),
    Source("CBS", "outlet", ("سي بي إس", "CBS")),
    Source("NBC", "outlet", ("إن بي سي", "NBC")),
    Source("ABC News", "outlet", ("إيه بي سي", "ABC News")),
    Source("Haaretz", "outlet", ("هآرتس", "هارتس", "Haaretz")),
    Source("Yedioth Ahronoth", "outlet", ("يديعوت أحرونوت", "يديعوت", "Yedioth")),
    Source("Times of Israel", "outlet", ("تايمز أوف إسرائيل", "Times of Israel")),
    Source("Jerusalem Post", "outlet", ("جيروزاليم بوست", "Jerusalem Post")),
    Source("Al Jazeera", "outlet", ("الجزيرة نت", "الجزيرة.نت", "قناة الجزيرة", "شبكة الجزيرة", '"الجزيرة"',
                                    "«الجزيرة»", "Al Jazeera", "aljazeera")),
    Source("Al Arabiya", "outlet", ("العربية نت", "العربية.نت", "قناة العربية", '"العربية"', "«العربية»",
                                    "Al Arabiya")),
    Source("Al Hadath", "outlet", ("قناة الحدث", '"الحدث"')),
    Source("Sky News Arabia", "outlet", ("سكاي نيوز عربية", "سكاي نيوز", "Sky News")),
    Source("France 24", "outlet", ("فرانس 24", "فرانس24", "France 24")),
    Source("RT", "outlet", ("روسيا اليوم", "آر تي", "RT Arabic")),
    Source("Deutsche Welle", "outlet", ("دويتشه فيله", "دويتشه فيلله", "Deutsche Welle")),
    Source("Alhurra", "outlet", ("قناة الحرة", "موقع الحرة", '"الحرة"', "الحرة نت", "Alhurra")),
    Source("Al Mayadeen", "outlet", ("الميادين", "Al Mayadeen")),
    Source("Al Manar", "outlet", ("قناة المنار", '"المنار"', "Al Manar")),
    Source("Asharq Al-Awsat", "outlet", ("صحيفة الشرق الأوسط", '"الشرق الأوسط"', "«الشرق الأوسط»",
                                         "Asharq Al-Awsat")),
    Source("Al-Quds Al-Arabi", "outlet", ("القدس العربي",)),
    Source("Al-Araby Al-Jadeed", "outlet", ("العربي الجديد", "The New Arab")),
    Source("Arabi21", "outlet", ("عربي21", "عربي 21", "Arabi21")),
    Source("Arabi Post", "outlet", ("عربي بوست", "Arabi Post")),
    Source("Hafryat", "outlet", ("حفريات", "Hafryat")),
    Source("Al-Modon", "outlet", ("موقع المدن", '"المدن"')),
    Source("Enab Baladi", "outlet", ("عنب بلدي", "Enab Baladi")),
    Source("Syria TV", "outlet", ("تلفزيون سوريا", "Syria TV")),
    Source("Orient", "outlet", ("أورينت", "Orient News")),
    Source("Rudaw", "outlet", ("رووداو", "روداو", "Rudaw")),
    Source("Shafaq News", "outlet", ("شفق نيوز", "Shafaq")),
    Source("Alsumaria", "outlet", ("السومرية", "Alsumaria")),
    Source("Baghdad Today", "outlet", ("بغداد اليوم",)),
    Source("Al-Ahram", "outlet", ("الأهرام", "Al-Ahram")),
    Source("Al-Masry Al-Youm", "outlet", ("المصري اليوم",)),
    Source("Youm7", "outlet", ("اليوم السابع", "Youm7")),
    Source("Al-Akhbar", "outlet", ("صحيفة الأخبار", '"الأخبار"')),
    Source("An-Nahar", "outlet", ("صحيفة النهار", '"النهار"')),
    Source("Al-Hayat", "outlet", ("صحيفة الحياة",)),
    Source("Kayhan", "outlet", ("كيهان", "Kayhan")),
    Source("Press TV", "outlet", ("برس تي في", "Press TV")),
)

BY_NAME = {s.name: s for s in SOURCES}

_LETTER = r"a-z0-9\u0621-\u064a"
# Arabic proclitics glued to a name: و/ف (and), ب/ل/ك (by/to/as), and لـ + ال → لل.
_PREFIX = r"(?:[وف]?[بلك]?)"


@functools.cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    alias_to_name: dict[str, str] = {}
    for source in SOURCES:
        for alias in source.aliases:
            alias_to_name.setdefault(normalize_text(alias), source.name)
    parts = []
    # Longest first so "الجزيره نت" wins over "الجزيره" and "اندبندنت عربيه" over "اندبندنت".
    for alias in sorted(alias_to_name, key=len, reverse=True):
        escaped = re.escape(alias)
        parts.append(escaped)
        if alias.startswith("ال"):
            parts.append("ل" + re.escape(alias[1:]))      # لل + stem: «للجزيرة»
    body = "|".join(parts)
    pat = re.compile(rf"(?<![{_LETTER}])(?:{_PREFIX}ـ?)(?P<a>{body})(?![{_LETTER}])")
    return pat, alias_to_name


def _canonical(alias: str, table: dict[str, str]) -> str:
    if alias in table:
        return table[alias]
    return table["ا" + alias[1:]]                        # the لل form lost its alef


def find_sources(text: str) -> list[tuple[str, int, int]]:
    """Find mentions of known agencies/outlets: (canonical English name, start, end) into `text`."""
    norm, index = normalize(text)
    pat, table = _pattern()
    found = []
    for m in pat.finditer(norm):
        a, b = m.start("a"), m.end("a")
        alias = m.group("a")
        try:
            name = _canonical(alias, table)
        except KeyError:
            continue
        found.append((name, index[a], index[b - 1] + 1))
    return found


def lookup(name: str) -> str | None:
    """Map a free-form outlet name (Arabic or English, e.g. a site name) to its canonical name."""
    hits = find_sources(name)
    if hits:
        return hits[0][0]
    norm = normalize_text(name).strip(" \"'«»")
    _, table = _pattern()
    return table.get(norm) or table.get(f'"{norm}"')


def kind_of(name: str) -> str | None:
    """Return "agency", "outlet" or "photo" for a canonical name, None if unknown."""
    source = BY_NAME.get(name)
    return source.kind if source else None
