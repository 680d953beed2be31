"""Time-scope stage: the date or period each claim speaks about, and how two claims' times relate."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import re

from .model import Claim, Document
from .text.dates import (
    Date,
    alternation,
    day_number,
    explicit_dates,
    format_iso,
    parse_iso,
    patterns,
    valid,
    weekdays,
)
from .text.lines import is_caption, is_latin_line, lines
from .text.normalize import normalize_text as _fold
from .text.sources import find_sources

_REL_DAY = re.compile(r"\b(?P<word>اول\s+(?:من\s+)?امس|امس\s+الاول|الامس|امس|البارحه|اليوم|غدا)\b(?!\s+(?:التالي|"
                      r"السابق|نفسه|ذاته|الذي|الوطني|العالمي|الاول|الثاني|الاخير))")
# "الرابع من الشهر الجاري": a day of a month named relative to the publication date
_DAY_OF_REL_MONTH = re.compile(
    rf"(?P<day>{patterns().day})\s+(?:(?:الشهر|شهر)\s+(?P<rel>الجاري|الحالي|الماضي|المنصرم|الفائت|المقبل|القادم)|"
    rf"(?P<this>هذا\s+الشهر))\b")
_REL_PERIOD = re.compile(
    r"\b(?:(?P<unit>الشهر|الاسبوع|العام|السنه)\s+(?P<rel>الجاري|الحالي|الحاليه|الماضي|الماضيه|المنصرم|"
    r"المنصرمه|الفائت|الفائته|المقبل|المقبله|القادم|القادمه)|(?:هذا|هذه)\s+(?P<this>الشهر|الاسبوع|العام|السنه))\b")
_WEEKDAY_NUMBERS = weekdays()
# A weekday name alone is often something else ("الاثنين" = the two, "صلاه الجمعه"): it needs
# "يوم"/"ليل" before it, "الماضي" after it, or to open a clause ("والجمعة، قال ...").
_WEEKDAY = re.compile(
    rf"(?:\b(?P<lead>يوم|ليل|ليله|مساء|صباح|فجر|ظهر)\s+(?P<d1>{alternation(_WEEKDAY_NUMBERS)})\b"
    rf"|(?<!\w)(?:و|ف)?(?P<d2>{alternation(_WEEKDAY_NUMBERS)})(?=\s*[,،])"
    rf"|\b(?P<d3>{alternation(_WEEKDAY_NUMBERS)})(?=\s+(?:الماضي|المنصرم|الفائت)\b))"
    rf"(?:\s+(?P<rel>الماضي|المنصرم|الفائت|المقبل|القادم))?")
_NAMED_DAY = re.compile(rf"\s*\(?\s*(?P<day>{alternation(_WEEKDAY_NUMBERS)})\b")
_RECENT = re.compile(r"\b(?:الايام|الاسابيع)\s+(?:القليله\s+)?(?:الماضيه|الاخيره)|\bمؤخرا\b|"
                     r"\bالاونه\s+الاخيره\b")

# Background, not the claim's own time: a date inside a relative clause ("قاآني، الذي قضى
# سلفه ... عام 2020، أبلغ") or bounding it ("قبل تركه المنصب في يناير 2021").
_RELATIVE = re.compile(r"\b(?:الذي|التي|الذين|اللذين|اللتين|اللذان|اللتان|اللواتي|اللاتي|اللائي)\b")
_BOUND = re.compile(r"\b(?:قبل|بعد)\b")
_BEFORE = re.compile(r"\bقبل\b")
_BOUNDARY = re.compile(r"[,،؛;:.!?؟\n«»\"“”()]")

_PAST = ("الماضي", "الماضيه", "المنصرم", "المنصرمه", "الفائت", "الفائته")
_NEXT = ("المقبل", "المقبله", "القادم", "القادمه")

def _clause_before(folded: str, start: int) -> str:
    """The text from the last clause boundary up to `start`."""
    clause_start = max((m.end() for m in _BOUNDARY.finditer(folded, 0, start)), default=0)
    return folded[clause_start:start]


def _bound_gaps(clause: str, bound: re.Pattern = _BOUND) -> list[str]:
    """For each `bound` word in `clause` at most four words before its end, the words between."""
    # "قبل"/"بعد" only bound the date right after them (a few words), not the whole clause
    gaps = (clause[m.end():].split() for m in bound.finditer(clause))
    return [gap for gap in gaps if len(gap) <= 4]


def _in_background(folded: str, start: int) -> bool:
    clause = _clause_before(folded, start)
    return bool(_RELATIVE.search(clause) or _bound_gaps(clause))


def _explicit_dates(folded: str, ref: Date | None) -> list[tuple[int, Date, bool, bool]]:
    """(offset, date, background, year_inferred) for each explicit date; year-less ones need `ref`."""
    return sorted((f.start, f.date, _in_background(folded, f.start), f.year_inferred)
                  for f in explicit_dates(folded, ref))


def _shift_days(ref: Date, days: int) -> Date:
    if ref[2] is None:
        return ref
    day = dt.date(*ref) + dt.timedelta(days=days)
    return day.year, day.month, day.day


def _shift_months(ref: Date, months: int) -> Date | None:
    if ref[1] is None:
        return None
    index = ref[0] * 12 + ref[1] - 1 + months
    return index // 12, index % 12 + 1, None


# «لـ"اليوم"», «كاميرا "عين اليوم"»: a paper's name, not «today» (SaudiNewsNet 2015-07-21..27: 37
# claims quote «اليوم» alone, 115 name «عين اليوم» / «صحيفة اليوم»)
_QUOTED_WORD = re.compile(r"[«\"“]\s*\S+\s*[»\"”]")


def _named_spans(folded: str) -> list[tuple[int, int]]:
    """Spans of `folded` that name an outlet or agency (`sources.find_sources`), or a single word
    in quotes, whose day words («اليوم», «غدا») are part of a name."""
    return [(a, b) for _, a, b in find_sources(folded)] + [m.span() for m in _QUOTED_WORD.finditer(folded)]


def _relative_dates(folded: str, ref: Date) -> list[tuple[int, Date]]:
    """(offset, date) for expressions such as «أمس», «الشهر الماضي», «الأحد الماضي»."""
    found: list[tuple[int, Date]] = []
    for m in _DAY_OF_REL_MONTH.finditer(folded):
        day = day_number(m["day"])
        rel = "الجاري" if m["this"] else m["rel"]
        month = _shift_months(ref, -1 if rel in _PAST else 1 if rel in _NEXT else 0)
        if month is not None and valid(month[0], month[1], day):
            found.append((m.start(), (month[0], month[1], day)))
    names = None
    for m in _REL_DAY.finditer(folded):
        names = _named_spans(folded) if names is None else names
        if any(a < m.end() and m.start() < b for a, b in names):
            continue
        word = re.sub(r"\s+", " ", m["word"]).replace("اول من امس", "اول امس")
        shift = {"اول امس": -2, "امس الاول": -2, "الامس": -1, "امس": -1, "البارحه": -1, "اليوم": 0, "غدا": 1}[word]
        day = _shift_days(ref, shift)
        named = _NAMED_DAY.match(folded, m.end())
        if named and day[2] is not None:
            # «اليوم الاثنين», «أمس (الأربعاء)»: the weekday the writer names wins over a crawl
            # date a day or two late; the nearest such day on the side the word points to
            delta = _WEEKDAY_NUMBERS[named["day"]] - dt.date(*day).weekday()
            day = _shift_days(day, delta % 7 if shift > 0 else -(-delta % 7))
        found.append((m.start(), day))
    for m in _REL_PERIOD.finditer(folded):
        unit, rel = (m["this"], "الجاري") if m["this"] else (m["unit"], m["rel"])
        step = -1 if rel in _PAST else 1 if rel in _NEXT else 0
        if unit in ("العام", "السنه"):
            date: Date | None = (ref[0] + step, None, None)
        elif unit == "الشهر":
            date = _shift_months(ref, step)
        else:
            # a week is finer than we report: give the month the week falls in
            shifted = _shift_days(ref, 7 * step)
            date = (shifted[0], shifted[1], None) if shifted[1] is not None else None
        if date is not None:
            found.append((m.start(), date))
    for m in _WEEKDAY.finditer(folded):
        name = m["d1"] or m["d2"] or m["d3"]
        if ref[2] is None:
            if ref[1] is not None:
                found.append((m.start(), (ref[0], ref[1], None)))
            continue
        today = dt.date(*ref)
        target = _WEEKDAY_NUMBERS[name]
        if m["rel"] in _NEXT:
            delta = (target - today.weekday()) % 7 or 7
        else:
            # "الأحد الماضي" is the last Sunday strictly before; a bare "الجمعة" may be today
            delta = -((today.weekday() - target) % 7)
            if delta == 0 and m["rel"] in _PAST:
                delta = -7
        found.append((m.start(), _shift_days(ref, delta)))
    for m in _RECENT.finditer(folded):
        if ref[1] is not None:
            found.append((m.start(), (ref[0], ref[1], None)))
    return sorted(found)


@functools.lru_cache(maxsize=256)
def reference_date(context: str) -> Date | None:
    """The latest fully dated (year given) date mentioned in `context`, or None.

    Used for articles without a publication date: news mentions past and present far more
    than future dates, so the latest date an article names is a fair stand-in for its date.
    When that date is a deadline still ahead («قبل ... يناير 2021») the article predates it,
    and the month (or, for a bare year, the year) before stands in.
    """
    folded = _fold(context)
    found = _explicit_dates(folded, None)
    if not found:
        return None
    start, latest, _, _ = max(found, key=lambda f: (f[1][0], f[1][1] or 0, f[1][2] or 0))
    if _before_bound(folded, start):
        # «قبل تركه المنصب في منتصف يناير 2021»: the article was written before its latest date
        return (latest[0] - 1, None, None) if latest[1] is None else _shift_months(latest[:2] + (None,), -1)
    return latest


def _before_bound(folded: str, start: int) -> bool:
    """Whether the date at `start` is a deadline still ahead: «قبل» a few words before it, same clause."""
    # «قبل نهاية 2025» may be written in 2025 itself: only a plain or early bound counts
    return any(not re.search(r"(?:نهايه|اواخر|انتهاء)", " ".join(gap))
               for gap in _bound_gaps(_clause_before(folded, start), _BEFORE))


def claim_time(claim_text: str, context: str = "", published: str | None = None) -> tuple[str | None, str]:
    """The ISO date/period a claim speaks about, and the basis: explicit, relative, published, context or none.

    Rules, first match wins:
    1. an explicit date or year in the claim ("عام 2020", "يوم 29 يناير", "منذ الرابع من فبراير",
       "04/08/2021"); a date without a year takes its year from the publication date, or the year
       before when its month comes after the publication month ("explicit");
    2. an expression relative to the publication date ("أمس", "الشهر الماضي", "الأحد الماضي") ("relative");
    3. the publication date itself ("published");
    4. with no publication date, the latest dated mention in `context` (the article body)
       stands in for it in rules 1-3 ("context");
    otherwise (None, "none").
    Dates in a relative clause (after الذي/التي up to the next comma) or right after قبل/بعد
    are background, not the claim's time, and are skipped; so when a claim has several
    dates the first foreground one counts.
    """
    ref = parse_iso(published)
    basis_of_ref = "published"
    if ref is None and context:
        ref = reference_date(context)
        basis_of_ref = "context"
    folded = _fold(claim_text)
    for _, date, background, inferred in _explicit_dates(folded, ref):
        if not background:
            # a year taken from a stand-in reference is only as good as that reference
            return format_iso(date), ("context" if inferred and basis_of_ref == "context" else "explicit")
    if ref is None:
        return None, "none"
    for start, date in _relative_dates(folded, ref):
        if not _in_background(folded, start):
            return format_iso(date), ("relative" if basis_of_ref == "published" else "context")
    return format_iso(ref), basis_of_ref


@functools.lru_cache(maxsize=64)
def dating_context(body: str) -> str:
    """The article text an undated article is dated by: its lines without photo captions and
    English wire lines, whose dates are often an archive picture's, years older than the story."""
    return "\n".join(body[a:b] for a, b in lines(body)
                     if not is_caption(body[a:b]) and not is_latin_line(body[a:b]))


def with_time(claim: Claim, doc: Document) -> Claim:
    """`claim` with `time` and `time_basis` filled from its text and its document's date."""
    time, basis = claim_time(claim.text, dating_context(doc.body), doc.published)
    return dataclasses.replace(claim, time=time, time_basis=basis)


def _interval(date: Date) -> tuple[dt.date, dt.date]:
    year, month, day = date
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day), dt.date(year, month, day)


def temporal_relation(time_a: str | None, time_b: str | None, *, window_days: int = 30) -> str:
    """"same-period", "different-period" or "unknown" for two claim times.

    Each time covers its whole period ("2024" is all of 2024, "2024-02" all of February). Periods
    that overlap, or lie at most `window_days` apart, are the same period (a report dated
    29 January and one dated "February" describe one episode); a larger gap, which includes
    any two different years given as bare years, makes them different periods. A missing or
    unreadable time gives "unknown".
    """
    a, b = parse_iso(time_a), parse_iso(time_b)
    if a is None or b is None:
        return "unknown"
    (a0, a1), (b0, b1) = _interval(a), _interval(b)
    gap = max((b0 - a1).days, (a0 - b1).days, 0)
    return "same-period" if gap <= window_days and not (a[1] is None and b[1] is None and a[0] != b[0]) \
        else "different-period"
