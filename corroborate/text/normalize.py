"""The one Arabic normaliser: a folded copy of a text for matching, with a map back to the original offsets."""

from __future__ import annotations

import bisect
import functools
import re

TATWEEL = "\u0640"

# Harakat, Quranic marks and the dagger alef carry no lexical difference in news text.
_DROP = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670"} | {chr(c) for c in range(0x06D6, 0x06EE)}
_DROP |= {chr(c) for c in range(0x0610, 0x061B)}           # honorific and Quranic signs above words
# Zero-width joiners, bidi marks and the BOM are invisible: editors and CMSes sprinkle them.
_DROP |= {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"}
_DROP |= {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}
_DROP.add(TATWEEL)

_MAP = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
_MAP.update({chr(0x0660 + i): str(i) for i in range(10)})   # Arabic-Indic digits
_MAP.update({chr(0x06F0 + i): str(i) for i in range(10)})   # Persian digits
_MAP.update({"\u066b": ".", "\u066c": ",", "\u060c": "،"})  # Arabic decimal/thousands separators

# The decimal comma some Arabic papers set as «ر», the fraction first in logical order:
# «7ر10 مليار» is 10.7 billion, «(53ر24%)» 24.53 % (one length, so the offset map stands).
_RA_DECIMAL = re.compile(r"(?<![\d.,])(\d+)ر(\d+)(?![\d.,])")

_ASCII_DIGITS = str.maketrans({k: v for k, v in _MAP.items() if v.isdigit()})

# Asharq Al-Awsat sets the fraction first too, with a right-to-left mark after the point:
# «5.\u200f2 مليون» is 2.5 million, «6.\u200f2 مليار رينجيت» 2.6 billion (174 such numbers in
# ten days of SaudiNewsNet, all Asharq's; read: the 2.6 billion ringgit of Najib's accounts,
# Greece's 3.2 billion euros due to the ECB). The mark is dropped, so the digits swap as for «ر».
_MARK_DECIMAL = re.compile(r"(?<![\d.,])(\d+)\.[\u200e\u200f](\d+)(?![\d.,])")

# Pages tokenised with a space around each point (Baly et al.'s) write «1 . 78 مليار», «7 . 3
# درجة», «27 . 12 . 2017» and initials «( أ . ف . ب )» (`joins_point`).
_NUMBER_BEFORE = re.compile(r"(\d+) $")
_NUMBER_AFTER = re.compile(r" (\d+)")
_INITIAL_BEFORE = re.compile(r"(?:^|[\s(])[\u0621-\u064a] $")
_INITIAL_AFTER = re.compile(r" [\u0621-\u064a](?=[\s.)]|$)")
_BRACKET_AFTER = re.compile(r" \)")

# Obfuscated words split as «فيـ ـلق» (to dodge platform filters): tatweel, spaces, tatweel.
_SPLIT_TATWEEL = re.compile(r"\u0640+[ \t\u00a0]+\u0640+")


def normalize(text: str) -> tuple[str, list[int]]:
    """Return a normalised copy of `text` and, per output char, its index in `text`.

    Removes tatweel (joining the «فيـ ـلق» split form), diacritics and invisible marks,
    unifies alef forms, ى→ي, ة→ه, Arabic-Indic/Persian digits → ASCII, the decimal «ر» of
    «7ر10» → «10.7» and the marked «7.\u200f10» → «10.7» (its digits change places inside
    the number's span), «1 . 78» → «1.78» (the spaces around a point between two numbers
    dropped, two years aside), lower-cases
    (one character for one, so the map stays exact), and collapses every whitespace run
    to one space (leading/trailing space dropped). Every stage matches on this form.
    """
    norm, index = _normalize(text)
    return norm, list(index)


# Stages normalise the same lines and claims several times: cache recent results.
@functools.lru_cache(maxsize=8192)
def _normalize(text: str) -> tuple[str, tuple[int, ...]]:
    skip: set[int] = set()
    for m in _SPLIT_TATWEEL.finditer(text):
        skip.update(range(m.start(), m.end()))
    out: list[str] = []
    index: list[int] = []
    space_pending = False
    for i, ch in enumerate(text):
        if i in skip or ch in _DROP:
            continue
        if ch.isspace():
            space_pending = bool(out)
            continue
        ch = _MAP.get(ch, ch)
        if ch.isupper():
            low = ch.lower()
            ch = low if len(low) == 1 else ch
        if space_pending:
            out.append(" ")
            index.append(i - 1)
            space_pending = False
        out.append(ch)
        index.append(i)
    norm = "".join(out)
    if " . " in norm:
        norm, index = _join_spaced_points(norm, index)
    if "ر" in norm:
        norm = _RA_DECIMAL.sub(lambda m: f"{m[2]}.{m[1]}", norm)
    if "\u200f" in text or "\u200e" in text:
        norm = _swap_marked_decimals(text, norm, index)
    return norm, tuple(index)


def joins_point(s: str, i: int, *, bracket: bool = False) -> bool:
    """Whether the point at s[i], written apart with a space on each side, joins what stands
    around it instead of ending a sentence: two numbers («1 . 78 مليار», «7 . 3 درجة», «27 . 12 .
    2017») unless both have four digits (two years, a sentence's end and the next one's dateline:
    «بحلول عام 2015 . 2014 / 1 / 30»), or two initials («( أ . ف . ب )», «ح . ز / و . ب»); with
    `bracket`, also an initial before the closing bracket («ب . )»)."""
    left, right = _NUMBER_BEFORE.search(s, max(0, i - 12), i), _NUMBER_AFTER.match(s, i + 1)
    if left and right:
        return not len(left[1]) == len(right[1]) == 4
    return bool(_INITIAL_BEFORE.search(s, max(0, i - 3), i)) and bool(
        _INITIAL_AFTER.match(s, i + 1) or bracket and _BRACKET_AFTER.match(s, i + 1))


def _join_spaced_points(norm: str, index: list[int]) -> tuple[str, list[int]]:
    """`norm` and its `index` without the two spaces around each point that `joins_point`: «1.78»,
    «27.12.2017», «( ا.ف.ب )», as «(أ.ف.ب)» is written elsewhere."""
    drop = {k for i, ch in enumerate(norm) if ch == "." and joins_point(norm, i) for k in (i - 1, i + 1)}
    if not drop:
        return norm, index
    keep = [k for k in range(len(norm)) if k not in drop]
    return "".join(norm[k] for k in keep), [index[k] for k in keep]


def _swap_marked_decimals(text: str, norm: str, index: list[int]) -> str:
    """`norm` with each «fraction.<mark>integer» of `text` (`_MARK_DECIMAL`) read integer.fraction,
    in place: the mark is already dropped, so the span keeps its length in `norm`."""
    found = list(_MARK_DECIMAL.finditer(text))
    if not found:
        return norm
    chars = list(norm)
    for m in found:
        start = bisect.bisect_left(index, m.start())      # `index` rises with the text
        if start == len(index) or index[start] != m.start():
            continue
        whole, fraction = m[2].translate(_ASCII_DIGITS), m[1].translate(_ASCII_DIGITS)
        swapped = f"{whole}.{fraction}"
        if norm[start:start + len(swapped)] == f"{fraction}.{whole}":
            chars[start:start + len(swapped)] = swapped
    return "".join(chars)


@functools.lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """Return only the normalised text (see `normalize`)."""
    return _normalize(text)[0]


def as_written(text: str, word: str, *, whole: bool) -> str | None:
    """The words of `text` whose normalised form is (`whole`) or contains normalised `word`,
    as `text` spells them: «الساعة» for «ساعه»; None when `text` has no such word."""
    norm, index = normalize(text)
    word = " ".join(word.split())
    bounds = (r"(?<![^\W_])", r"(?![^\W_])") if whole else ("", "")
    m = re.search(bounds[0] + re.escape(word) + bounds[1], norm) if word else None
    if m is None:
        return None
    start, end = index[m.start()], index[m.end() - 1] + 1
    while start > 0 and _WORD.match(text[start - 1]):     # a stem: show the whole word
        start -= 1
    while end < len(text) and _WORD.match(text[end]):
        end += 1
    return text[start:end]


_WORD = re.compile(r"[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
