"""Numbers in Arabic and English news text: digits, number words, scales, years."""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal

from .lexicon import entries, values, words
from .normalize import normalize_text
from .tokens import stem_set, stems, tokens

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
# a dot between groups of three is a thousands separator too when it cannot be a decimal point:
# two such groups («1.500.000») or three zeros («(945.000) ريال», the same sum as «945 ألف ريال»)
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}|\d{1,3}\.000")
_YEAR = re.compile(r"(19|20)\d\d")


def is_year(tok: str) -> bool:
    """True for a four-digit token that reads as a year (1900-2099)."""
    return bool(_YEAR.fullmatch(tok))


@functools.lru_cache(maxsize=65536)
def value(tok: str) -> float | None:
    """The number a normalised token stands for («3», «1,500», «945.000», «ثلاثة», «بخمسين»), else None."""
    if _DIGITS.fullmatch(tok):
        # "1,500" is a thousands separator; "2.5" a decimal point
        if _THOUSANDS.fullmatch(tok) or _DOT_THOUSANDS.fullmatch(tok):
            return float(tok.replace(",", "").replace(".", ""))
        try:
            return float(tok.replace(",", "."))
        except ValueError:
            return None
    if tok.endswith("ات") or tok in words("percent_word"):
        return None    # «عشرات», «مئات»: tens, hundreds of; «في المئة»: per cent — no number
    # the longest number word wins: «بخمسين» is 50 (خمسين), not 5 (خمس)
    return _longest_entry(tok, "number_word")


def _longest_entry(tok: str, kind: str) -> float | None:
    """The value of the longest stem of `tok` in the word list `kind`, else None."""
    table = values(kind)
    found = [s for s in stems(tok) if s in table]
    return float(table[max(found, key=lambda s: (len(s), s))]) if found else None


def number_spans(toks: list[str]) -> list[tuple[int, int, float]]:
    """(first token, token after the last, value) of each number of `toks`, years included: a
    numeral and the scale after it («84 مليون»), or a run of number words read as one number the
    way Arabic composes them — a unit before «عشر» («ثلاثة عشر» 13, «الحادي عشر» 11), a unit and
    «و» with a ten («خمسة وعشرين» 25), a unit before «مئة» («ثلاث مئة» 300), anything smaller after
    «و» once a hundred or a scale is reached («مئتين وخمسين» 250), a scale multiplying what came
    before («ثمانين ألف» 80,000; «ألف» alone 1,000), an ordinal unit and «و» with a ten («الدورة
    السابعة والثلاثون» 37). «بين خمسة وعشرة» stays two numbers; an ordinal alone («الدورة
    السابعة») is no number."""
    scales = values("number_scale")
    out, i = [], 0
    while i < len(toks):
        tok = toks[i]
        if _DIGITS.fullmatch(tok):
            v, j = value(tok), i + 1
            if v is None:      # «1.2.3»: no number
                i = j
                continue
            if j < len(toks) and toks[j] in scales:
                v, j = v * scales[toks[j]], j + 1
            out.append((i, j, v))
            i = j
            continue
        total, partial, last, j = 0.0, 0.0, 0.0, i
        while j < len(toks):
            w = toks[j]
            joined = j > i and w[:1] == "و" and len(w) > 2
            bare = w[1:] if joined else w
            nxt = toks[j + 1] if j + 1 < len(toks) else ""
            unit = _longest_entry(bare, "number_teen_unit") if not joined and nxt in _TENS_WORDS else None
            if unit is not None:
                partial, last, j = partial + unit + 10, 10.0, j + 2
                continue
            word = None if _DIGITS.fullmatch(bare) else value(bare)
            if word is None and j == i and nxt[:1] == "و" and (ordinal := _ordinal_unit(w)) \
                    and value(nxt[1:]) in _TENS:
                # «السابعة والثلاثون», «الحادية والعشرين»: a compound ordinal, the 37th, the 21st
                partial, last, j = ordinal, ordinal, j + 1
                continue
            if bare in scales and j > i and not joined:
                total, partial, last, j = total + max(partial, 1.0) * scales[bare], 0.0, scales[bare], j + 1
                continue
            if word is None:
                break
            if j > i:
                if not joined and word == 100 and 1 <= partial <= 9:
                    partial, last, j = partial * 100, 100.0, j + 1
                    continue
                if not (joined and (last >= 100 and word < last
                                    or 1 <= last <= 9 and word in _TENS and partial % 10 == last)):
                    break
            partial, last, j = partial + word, word, j + 1
        if j > i:
            out.append((i, j, total + partial))
            i = j
        else:
            i += 1
    return out


_TENS = frozenset(float(t) for t in range(20, 100, 10))
_TENS_WORDS = frozenset({"عشر", "عشره"})


def _ordinal_unit(tok: str) -> float:
    """The value of an ordinal unit 1-9 («السابعة» 7, «الحادية» 1 as in «الحادية والعشرين»), or 0."""
    unit = values("ordinal", int).get(tok) or values("ordinal_unit", int).get(tok, 0)
    return float(unit) if 1 <= unit <= 9 else 0.0


def quantities(toks: list[str]) -> list[tuple[float, frozenset[str]]]:
    """(value, context stems) for each non-year number; context is the words around it."""
    return [(v, context) for _, v, context in located_quantities(toks)]


def located_quantities(toks: list[str]) -> list[tuple[int, float, frozenset[str]]]:
    """`quantities` with the token index where each number starts."""
    scales = values("number_scale")
    stop = words("number_context_stop")
    out = []
    for i, j, v in number_spans(toks):
        if j - i == 1 and is_year(toks[i]):
            continue
        window = [w for w in toks[max(0, i - 2): i] + toks[i + 1: max(i + 4, j + 2)]
                  if w not in stop and value(w) is None and w not in scales and len(w) > 1]
        out.append((i, v, frozenset(stem_set(window))))
    return out


@functools.lru_cache(maxsize=65536)
def same_amount(a: float, b: float) -> bool:
    """True when `a` and `b` are one amount, one of them rounded or cut short at its last digit:
    «84 مليون» for «(84.540.000)», «10.7» for «10.68», «7,000» for «7,010». The two must lie within
    1 % of each other and the rounder one must be coarser; «27» and «30» stay two counts, and so
    do «1096.10» and «1092.10» (one precision)."""
    if a == b:
        return True
    if abs(a - b) > 0.01 * max(abs(a), abs(b)):
        return False
    for coarse, fine in ((a, b), (b, a)):
        step = _step(coarse)
        if step > _step(fine):
            scaled = Decimal(repr(fine)) / step
            if Decimal(repr(coarse)) / step in (scaled.to_integral_value(), Decimal(math.floor(scaled))):
                return True
    return False


def _step(x: float) -> Decimal:
    """The place of the last non-zero digit of `x`: 84000000 -> 1E+6, 10.7 -> 0.1, 27 -> 1."""
    return Decimal(1).scaleb(Decimal(repr(x)).normalize().as_tuple().exponent)


@functools.cache
def _percent() -> re.Pattern[str]:
    """A number and its percent sign: «0.2 %», «0.5 في المائة», «3 بالمئة» (`percent_word`)."""
    signs = "|".join(sorted(map(re.escape, words("percent_word")), key=len, reverse=True))
    return re.compile(rf"(\d+(?:[.,]\d+)?)\s?(?:%|٪|(?:في )?(?:{signs})(?![^\W\d_]))")


def percentages(text: str) -> frozenset[float]:
    """The percentages `text` gives («تراجع 0.2 في المائة», «بارتفاع 14.9%»)."""
    return frozenset(v for m in _percent().finditer(normalize_text(text)) if (v := value(m[1])) is not None)


# a list item's number: «2 – تعيين …», «2 ـ تعيين …» (a tatweel for the dash), «(3) …», «1. …» at
# the start of a claim
_LIST_ITEM = re.compile(r"\s*[(\[]?\d{1,3}\s*[)\].:\-–—ـ]\s")
# a number in brackets («تبدأ بالرمز (47)»): a code, an article or a list number, not a count
_BRACKETED = re.compile(r"[(\[]\s*(\d+)\s*[)\]]")
# a time of day: «5:30», «8.15 مساءً»
# («09 : 54» with spaces, as some sites print a page's time stamp)
_CLOCK = re.compile(r"(?<![\d.:])(\d{1,2})(?:\.|\s?:\s?)(\d{2})(?=\s*(?:مساء|صباح|ص\b|م\b)|(?![\d.:]))")
_ROLE_REACH = {"rank": 4, "code": 2, "tally": 6, "clock": 2, "market": 0, "range": 1}   # words before the number
# that give its role; a market figure is known by the unit after it («22.1 نقطة», «113 مليون سهم»)


def event_counts(text: str, located: list[tuple[int, float, frozenset[str]]] | None = None
                 ) -> list[tuple[float, frozenset[str], frozenset[str]]]:
    """`quantities` of `text` that count something of an event: not the number of a list item,
    nor a number in brackets, nor one that a nearby word makes a rank («المرتبة 28»), a code
    («الرمز 47», «رقم 997») or a running tally («ارتفع عدد القتلى إلى 300»: a toll that grows
    is an update, not a contradiction), a time of day («الساعة 5:30») or a market figure, known by
    its unit («22.1 نقطة», «113 مليون سهم»: it moves every session); nor a range's bounds
    («تراوح السهم بين 21.75 ريالا و42.70»), nor a date's day or year («4 شوال», «رجب 1438هـ»).
    Two claims can conflict on counts only through these.
    Each comes as (value, context stems, stems of the noun counted: the first word after the
    number that is no number, scale or stop word: «14 شركة» counts companies, «113.7 مليون
    سهم» shares). `located`: `located_quantities(tokens(text))`, when the caller has them."""
    toks = tokens(text)
    roles = values("number_role", str)
    skip: set[float] = {float(m.group(1)) for m in _BRACKETED.finditer(text)}
    for m in _CLOCK.finditer(text):
        if ":" in m.group(0) or re.match(r"\s*(?:مساء|صباح)", text[m.end():m.end() + 6]):
            skip.update({float(m.group(1)), float(m.group(2)), float(f"{m.group(1)}.{m.group(2)}")})
    item = _LIST_ITEM.match(text)
    if item:
        skip.add(float(re.search(r"\d+", item.group(0)).group(0)))
    out = []
    opened = None      # where the last range («بين 21.75 ريالا و42.70») opened
    last = None        # (where, role) of the last number a word gave a role
    for at, v, context in located_quantities(toks) if located is None else located:
        before = toks[max(0, at - max(_ROLE_REACH.values())):at]
        role = next((roles[w] for n, w in enumerate(reversed(before), 1)
                     if w in roles and n <= _ROLE_REACH[roles[w]]), None)
        if role == "range":
            opened = at
        elif opened is not None and at - opened <= 4 and (toks[at - 1] == "و" or toks[at].startswith("و")):
            role, opened = "range", None       # the range's upper bound
        elif role is None and last is not None and at - last[0] <= 4 and words("span_end") & set(toks[last[0] + 1:at]):
            role = last[1]     # «من المركز الـ 6 وحتى الـ 10»: the upper bound is a rank as the lower one
        if role is not None:
            last = (at, role)
        word = _counted_word(toks, at)
        counted = frozenset(stems(word)) if word else frozenset()
        if v in skip or role is not None or any(roles.get(w) == "market" for w in counted):
            continue
        if _dated(toks, at, word):
            continue
        out.append((v, context, counted))
    return out


def dated(toks: list[str], at: int) -> bool:
    """True when the number at `toks[at]` is the day of a month it names («حتى 31 يوليو», «4
    شوال»): a date, no amount (years are no quantity at all)."""
    return _counted_word(toks, at) in month_words()


def _dated(toks: list[str], at: int, word: str | None) -> bool:
    """True when the number at `toks[at]` is part of a date: a day before its month («4 شوال»,
    «العشرين من رجب»), or a year after a month or before «ه» («رجب 1438ه», «شوال 1436 ه»)."""
    months = month_words()
    return word in months or (at > 0 and toks[at - 1] in months) or toks[at + 1:at + 2] == ["ه"]


@functools.cache
def month_words() -> frozenset[str]:
    """The first word of every month name, Gregorian, Levantine and Hijri («شوال», «ذو» of «ذو
    القعدة»), leaving out the names that are also common words (`month_ambiguous`)."""
    names = (e.entry.split()[0] for kind in ("month", "hijri_month") for e in entries(kind))
    return frozenset(names) - words("month_ambiguous")


def counted_noun(toks: list[str], at: int) -> frozenset[str]:
    """The stems of what the number at `toks[at]` counts: the first word after it that is no
    number, scale or stop word («14 شركة»: companies; «113.7 مليون سهم»: shares)."""
    word = _counted_word(toks, at)
    return frozenset(stems(word)) if word else frozenset()


def _counted_word(toks: list[str], at: int) -> str | None:
    """The word `counted_noun` takes its stems from, or None."""
    scales, stop = values("number_scale"), words("number_context_stop")
    for w in toks[at + 1:at + 4]:
        if value(w) is None and w not in scales and w not in stop and len(w) > 1:
            return w
    return None
