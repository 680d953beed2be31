"""Known news agencies and outlets, with Arabic and English spellings, and a finder for mentions."""

from __future__ import annotations

import functools
import re

from . import lexicon
from .normalize import normalize, normalize_text

# Ambiguous Arabic names (الجزيرة = "the island", العربية = "Arabic", الشرق الأوسط = the region)
# are listed only in forms that name the outlet: with قناة/صحيفة/موقع or in quotes.


SOURCES = lexicon.sources()       # sources.tsv: name, kind (agency/outlet/photo), aliases
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
