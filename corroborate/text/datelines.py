"""Datelines: the line (or line opening) that says where, when and from which agency a dispatch
comes — «بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس», «الرياض - واس», «القاهرة (رويترز) -».

A dateline is metadata, not a claim: it names the origin of the dispatch (the agency), the place
and the date. One parser serves the furniture rules (`claims.boilerplate_lines`), the document's
date (`metadata`) and its origin (`origins.relayed_wire`).
"""

from __future__ import annotations

import functools
import re

from ..model import Dateline
from . import sources
from .dates import alternation, find_dates
from .lexicon import entries
from .lexicon import words as lexicon_words
from .normalize import normalize, normalize_text

# words a dateline may hold besides its place, date and agency: the Hijri era mark, «الموافق»
# ("corresponding to") between the Hijri and the Gregorian date, «م» (Gregorian era), «وكالات»
_FILLER = frozenset({"هـ", "ه", "الموافق", "م", "وكالات", "خاص"})
_MAX_PLACE_WORDS = 3
_MAX_CHARS = 90


@functools.cache
def _hijri() -> re.Pattern[str]:
    months = alternation(e.entry for e in entries("hijri_month"))
    return re.compile(rf"(?<!\d)[0-3]?\d\s+(?:{months})\s+1[34]\d\d(?!\d)\s*(?:هـ|ه)?(?!\w)")


def parse_dateline(line: str) -> Dateline | None:
    """The dateline `line` is, or None when it is anything else (a sentence, a byline).

    A dateline is short and holds, besides at most a few words of place name, a date (Hijri
    and/or Gregorian) or a news agency, in any order, with dashes, brackets or colons between:
    «بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس», «الرياض - واس», «(رويترز) -».
    An outlet that is not an agency («عين اليوم – جدة») makes no dateline: that line names
    the publisher and a place, and says nothing of where the words come from.
    """
    if len(line) > _MAX_CHARS:
        return None
    norm, index = normalize(line)
    agency, date = None, None
    cut: list[tuple[int, int]] = []
    for name, a, b in sources.find_sources(line):
        if sources.kind_of(name) == "agency":
            agency = agency or name
        elif sources.kind_of(name) == "outlet":
            return None
        cut.append((a, b))
    for iso, a, b in find_dates(line):
        date = date or iso
        cut.append((a, b))
    # the Hijri date is matched on the normalised text; its span is mapped back to the line
    hijri = [(index[m.start()], index[m.end() - 1] + 1) for m in _hijri().finditer(norm)]
    if agency is None and date is None and not hijri:
        return None
    cut += hijri
    rest = list(line)
    for a, b in cut:
        rest[a:b] = " " * (b - a)
    words = [w for w in normalize_text("".join(rest)).replace("ـ", " ").split()
             if w.strip("-–—()[]:،,.|/") and w.strip("-–—()[]:،,.|/") not in _FILLER]
    # a place name is a few words with no digit and no function word («وقع الهجوم في 10 اغسطس» is a sentence)
    if len(words) > _MAX_PLACE_WORDS or any(ch.isdigit() for w in words for ch in w) \
            or any(w in lexicon_words("stopword") for w in words):
        return None
    place = _place(line, cut)
    return Dateline(place=place, date=date, agency=agency)


def _place(line: str, cut: list[tuple[int, int]]) -> str | None:
    """The words of `line` before its first date or agency, as written: the place name."""
    first = min((a for a, _ in cut), default=len(line))
    head = line[:first].strip(" \t-–—()[]:،,|/")
    words = head.split()
    return " ".join(words) if words and len(words) <= _MAX_PLACE_WORDS else None

