"""Dates in Arabic and English news text: one month table, one finder, ISO helpers.

Patterns work on normalised text (`text.normalize`), so they are written once, in folded
spelling (ا for أإآ, ه for ة, ي for ى, ASCII digits).
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .lexicon import entries, words
from .normalize import normalize

Date = tuple[int, int | None, int | None]   # (year, month, day); month/day None when unknown


@functools.cache
def months() -> dict[str, int]:
    """Month name (Egyptian/Gulf, Levantine/Iraqi, Maghrebi, English; multi-word ones too) -> 1-12."""
    return {e.entry: int(e.value) for e in entries("month")}


def single_word_months() -> dict[str, int]:
    """The one-word month names (for matching stems of single tokens)."""
    return {name: n for name, n in months().items() if " " not in name}


def weekdays() -> dict[str, int]:
    """Weekday name -> 0 (Monday) ... 6 (Sunday), as `datetime.date.weekday()`."""
    return {e.entry: int(e.value) for e in entries("weekday")}


def alternation(names) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(names, key=len, reverse=True))


_ORDINAL_UNITS = ["الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن",
                  "التاسع", "العاشر"]


def _ordinals() -> dict[str, int]:
    out: dict[str, int] = {name: i for i, name in enumerate(_ORDINAL_UNITS, 1)}
    out["الحادي عشر"] = 11
    for i, unit in enumerate(_ORDINAL_UNITS[1:9], 12):
        out[f"{unit} عشر"] = i
    out["العشرين"], out["الثلاثين"] = 20, 30
    for tens, base in (("العشرين", 20), ("الثلاثين", 30)):
        for i, unit in enumerate(["الحادي"] + _ORDINAL_UNITS[1:9], 1):
            if base + i <= 31:
                out[f"{unit} و{tens}"] = base + i
    return out


ORDINALS = _ordinals()
RELATIVE_WORDS = ("الماضي", "المنصرم", "الفائت", "المقبل", "القادم", "الجاري", "الحالي")


@dataclass(frozen=True)
class _Patterns:
    month: str                 # one month name as a whole word, possibly with a one-letter clitic
    day: str
    date: re.Pattern[str]
    numeric: re.Pattern[str]
    year_only: re.Pattern[str]


@functools.cache
def patterns() -> _Patterns:
    """The compiled date patterns (built from the month table on first use)."""
    month = rf"(?<!\w)(?:[وبل](?=\S))?(?:{alternation(months())})(?!\w)"
    day = rf"(?:(?<!\d)[0-3]?\d(?!\d)|(?:{alternation(ORDINALS)})\s+من)"
    year = r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)"
    # "29 كانون الثاني/يناير", "حزيران (يونيو)", "يناير/ كانون الثاني": one month written twice
    month_pair = rf"{month}(?:\s*[/(]\s*{month}\s*\)?)?"
    date = re.compile(
        rf"(?:(?P<day>{day})\s+)?(?P<shahr>شهر\s+)?(?P<month>{month_pair})"
        rf"(?:\s+(?P<day2>[0-3]?\d)(?!\d),?)?"                     # "January 4, 2022"
        rf"(?:\s*[,،]?\s*(?:(?:من\s+)?(?:عام|العام|سنه)\s+)?(?P<year>{year}))?"
        rf"(?:\s+(?P<rel>{'|'.join(RELATIVE_WORDS)}))?")
    numeric = re.compile(r"(?<![\d/.-])(?:(?P<d>[0-3]?\d)[/.-](?P<m>[01]?\d)[/.-](?P<y>(?:19|20)\d\d)"
                         r"|(?P<y2>(?:19|20)\d\d)-(?P<m2>[01]?\d)-(?P<d2>[0-3]?\d))(?![\d/.-])")
    # A bare year needs a word that makes it a date: "عام 2020", "في 2021", "منذ 2014".
    year_only = re.compile(rf"(?:(?<!\w)[وفبل]?(?:عام|العام|عامي|سنه|سنة|في|منذ|مطلع|اوائل|اواخر|نهايه|"
                           rf"بدايه|منتصف|خلال|حتي|بحلول)\s+|(?<!\w)و)(?P<year>{year})")
    return _Patterns(month, day, date, numeric, year_only)


def parse_iso(value: str | None) -> Date | None:
    """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None for anything else."""
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value.strip())
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    return year, month or None, day or None


def format_iso(date: Date) -> str:
    year, month, day = date
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def valid(year: int, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def day_number(word: str) -> int:
    """A day written as digits or as an ordinal («الرابع من»)."""
    word = re.sub(r"\s+من$", "", re.sub(r"\s+", " ", word.strip()))
    return int(word) if word.isdigit() else ORDINALS[word]


@dataclass(frozen=True)
class Found:
    start: int                 # offsets into the folded text
    end: int
    date: Date
    year_inferred: bool        # the year came from the reference date, not the text


def explicit_dates(folded: str, ref: Date | None) -> Iterator[Found]:
    """Every explicit date in folded text: numeric, month name (with or without day/year), bare year.

    A date without a year takes its year from `ref` (a month after ref's month is last year's,
    or the one «الماضي»/«المقبل» says); without `ref` such dates are skipped. A month name
    alone counts only after a preposition («في يناير»), and the names that spell ordinary
    words too (month_ambiguous: «اب», «مارس») only next to a day, a year or «شهر».
    """
    pats, table, ambiguous = patterns(), months(), words("month_ambiguous")
    taken: list[tuple[int, int]] = []
    for m in pats.numeric.finditer(folded):
        y, mo, d = (int(m["y"]), int(m["m"]), int(m["d"])) if m["y"] else \
            (int(m["y2"]), int(m["m2"]), int(m["d2"]))
        if valid(y, mo, d):
            taken.append(m.span())
            yield Found(m.start(), m.end(), (y, mo, d), False)
    for m in pats.date.finditer(folded):
        if any(a <= m.start() < b for a, b in taken):
            continue
        first = re.match(pats.month, m["month"])[0]
        name = re.sub(r"\s+", " ", first)
        name = name if name in table else name[1:]   # drop the clitic
        month = table[name]
        anchored = m["day"] or m["day2"] or m["year"] or m["shahr"] or m["month"] != first or m["rel"]
        lead = folded[max(0, m.start() - 12):m.start()]
        if not anchored and (name in ambiguous or not re.search(
                r"(?:في|منذ|مطلع|اوائل|اواخر|نهايه|بدايه|منتصف|خلال|حتي|بحلول)\s*$", lead)):
            continue
        day = day_number(m["day"]) if m["day"] else int(m["day2"]) if m["day2"] else None
        if m["year"]:
            year = int(m["year"])
        elif ref is None:
            continue
        elif ref[1] is None:
            year = ref[0]
        elif m["rel"] in ("الماضي", "المنصرم", "الفائت"):
            year = ref[0] if month < ref[1] else ref[0] - 1
        elif m["rel"] in ("المقبل", "القادم"):
            year = ref[0] if month > ref[1] else ref[0] + 1
        else:
            # a month after the publication month must be last year's ("7 October" in January)
            year = ref[0] if month <= ref[1] else ref[0] - 1
        if valid(year, month, day):
            taken.append(m.span())
            yield Found(m.start(), m.end(), (year, month, day), not m["year"])
    for m in pats.year_only.finditer(folded):
        if not any(a <= m.start("year") < b for a, b in taken):
            yield Found(m.start("year"), m.end("year"), (int(m["year"]), None, None), False)


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Dates with a year and a month in `text`, as (ISO "YYYY-MM-DD" or "YYYY-MM", start, end)
    into `text`, in order; numeric dates read DD/MM/YYYY."""
    norm, index = normalize(text)
    found = [(format_iso(f.date), index[f.start], index[f.end - 1] + 1)
             for f in explicit_dates(norm, None) if f.date[1] is not None]
    return sorted(found, key=lambda t: t[1])


def parse_date(value: str) -> str | None:
    """Parse a free-form date (a metadata field) into ISO, via our patterns then dateparser."""
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d\d){0,2}", value):
        return value
    hits = find_dates(value)
    if hits:
        return hits[0][0]
    import dateparser  # slow to import: only for formats our patterns do not cover

    parsed = dateparser.parse(value, languages=["ar", "en"], settings={"DATE_ORDER": "DMY"})
    return parsed.date().isoformat() if parsed else None


def mentioned(toks: list[str]) -> dict[str, set]:
    """Years, months and weekdays a token list names (for telling two claims' dates apart)."""
    from .numbers import is_year
    from .tokens import stems

    month_names, days = single_word_months(), weekdays()
    return {"year": {t for t in toks if is_year(t)},
            "month": {month_names[s] for t in toks for s in stems(t) if s in month_names},
            "weekday": {days[s] for t in toks for s in stems(t) if s in days}}
