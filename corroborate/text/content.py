"""Content words: what two claims must share to speak of the same thing."""

from __future__ import annotations

import functools

from .lexicon import words
from .numbers import value
from .tokens import stems, tokens


@functools.lru_cache(maxsize=65536)
def content_stems(text: str) -> frozenset[str]:
    """The content words of `text` in one canonical form each (shortest stem), numbers kept.

    Glue words (stopword list) carry no fact: without them two sentences share «في», «ان»,
    «الى» and look alike.
    """
    stop = words("stopword")
    out = set()
    for token in tokens(text):
        number = value(token)
        if number is not None:         # «ثلاثة» and «3» are the same number
            out.add(f"{number:g}")
        elif token not in stop and len(token) >= 2:
            out.add(min(stems(token), key=lambda s: (len(s), s)))
    return frozenset(out)
