"""Numbers in Arabic and English news text: digits, number words, scales, years."""

from __future__ import annotations

import functools
import re

from .lexicon import values, words
from .tokens import stem_set, stems

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_YEAR = re.compile(r"(19|20)\d\d")


def is_year(tok: str) -> bool:
    """True for a four-digit token that reads as a year (1900-2099)."""
    return bool(_YEAR.fullmatch(tok))


@functools.lru_cache(maxsize=65536)
def value(tok: str) -> float | None:
    """The number a normalised token stands for («3», «1,500», «ثلاثة», «بخمسين»), else None."""
    if _DIGITS.fullmatch(tok):
        # "1,500" is a thousands separator; "2.5" a decimal point
        if _THOUSANDS.fullmatch(tok):
            return float(tok.replace(",", ""))
        try:
            return float(tok.replace(",", "."))
        except ValueError:
            return None
    # the longest number word wins: «بخمسين» is 50 (خمسين), not 5 (خمس)
    units = values("number_word")
    found = [s for s in stems(tok) if s in units]
    return float(units[max(found, key=lambda s: (len(s), s))]) if found else None


def quantities(toks: list[str]) -> list[tuple[float, frozenset[str]]]:
    """(value, context stems) for each non-year number; context is the words around it."""
    scales = values("number_scale")
    stop = words("number_context_stop")
    out = []
    for i, t in enumerate(toks):
        v = value(t)
        if v is None or is_year(t):
            continue
        if i + 1 < len(toks) and toks[i + 1] in scales:
            v *= scales[toks[i + 1]]
        window = [w for w in toks[max(0, i - 2): i] + toks[i + 1: i + 4]
                  if w not in stop and value(w) is None and w not in scales and len(w) > 1]
        out.append((v, frozenset(stem_set(window))))
    return out
