"""Words of a text: normalised tokens, light Arabic stems, and the content words two claims can share."""

from __future__ import annotations

import functools
import re

from .normalize import normalize_text

# a number's groups of three may be set apart by the Arabic comma: «16،875،374» is 16,875,374
_TOKEN = re.compile(r"\d+(?:[.,]\d+|،\d{3}(?!\d))*|[^\W\d_]+")


@functools.lru_cache(maxsize=65536)
def tokens(text: str) -> list[str]:
    """Normalised word and number tokens of `text` («16،875،374» is the one token «16,875,374»)."""
    return [t.replace("،", ",") if t[0].isdigit() else t for t in _TOKEN.findall(normalize_text(text))]


# Light stemming: news Arabic glues conjunctions, prepositions and the article onto words and
# inflects verbs with prefixes/suffixes; we strip them rather than list every form.
_PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")
VERB_PREFIXES = ("ي", "ت", "ن", "ا")   # the imperfect's person prefixes
_SUFFIXES = ("ونها", "تها", "تهم", "هما", "وها", "ون", "ين", "ان", "ات", "وا", "تا", "ها",
             "هم", "هن", "كم", "نا", "ه", "ت", "ي", "ا")


@functools.lru_cache(maxsize=131072)
def stems(token: str) -> frozenset[str]:
    """All plausible stems of one normalised token (the token itself included)."""
    out = {token}
    bases = {token}
    for p in _PROCLITICS:
        if token.startswith(p) and len(token) - len(p) >= 2:
            bases.add(token[len(p):])
    for b in list(bases):
        for p in VERB_PREFIXES:
            if b.startswith(p) and len(b) - 1 >= 3:
                bases.add(b[1:])
    for b in bases:
        out.add(b)
        for s in _SUFFIXES:
            if b.endswith(s) and len(b) - len(s) >= 2:
                out.add(b[: -len(s)])
    return frozenset(out)


def stem_set(toks: list[str]) -> set[str]:
    """Every stem of every token in `toks`."""
    return set().union(*(stems(t) for t in toks)) if toks else set()
