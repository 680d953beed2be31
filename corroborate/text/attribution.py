"""Who asserts a piece of news text: speech verbs, relay words, and unnamed sources."""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import sources
from .lexicon import words
from .normalize import normalize_text

# «مصادر», «مصدر مطلع», «عدة مسؤولين»: people described only by their role.
_ROLE = re.compile(r"(?:(?:عد[ةه]|بعض|احد|ثلاث[ةه]?|خمس[ةه]?|تسع[ةه]?|عشر[ةه]?) (?:من )?)?"
                   r"(?:ال)?(?:مصدر|مصادر|مسؤول|مسؤولين|مسؤولون|مسؤولي|دبلوماسي|مطلع)")
# The text itself saying the speaker is unnamed: a "source(s)" word that is not an idiom
# («مصدر قلق», «مصادر الطاقة»), or a request for anonymity.
_UNNAMED_REQUEST = r"عدم\s+(?:الكشف\s+عن|ذكر|نشر)\s+(?:هويت|اسم)|لم\s+يفصح\s+عن\s+هويت|طلب\s+عدم\s+(?:ذكر|نشر)"


def _unnamed_pattern() -> re.Pattern[str]:
    idioms = "|".join(sorted(words("source_idiom"), key=len, reverse=True))
    return re.compile(rf"(?<!\w)[وفبل]?(?:ال)?مصادر?(?!\w)(?!\s+(?:{idioms}))|{_UNNAMED_REQUEST}")


def is_anonymous(attributed_to: Sequence[str], text: str = "") -> bool:
    """True when a claim rests only on unnamed sources.

    Either every asserter is a role without a name («مصادر», «مسؤول عراقي») and none is a
    known outlet, or an asserter is one of the `anonymous` words, or `text` itself says the
    speaker is unnamed («مسؤول طلب عدم ذكر اسمه»).
    """
    if attributed_to and not any(sources.kind_of(x) for x in attributed_to) and \
            all(_ROLE.match(normalize_text(x)) for x in attributed_to):
        return True
    if any(normalize_text(a) in words("anonymous") for a in attributed_to):
        return True
    return bool(text) and bool(_unnamed_pattern().search(normalize_text(text)))


def speech_verbs() -> frozenset[str]:
    """Reporting verbs that open an attribution frame («وقالت المصادر إن…»)."""
    return words("speech_verb")


def is_relay_word(word: str) -> bool:
    """A word that, just before a source's name, shows the article relays it («قالت رويترز», «وفق»)."""
    relay = words("relay_word")
    return word in relay or word.lstrip("وف") in relay
