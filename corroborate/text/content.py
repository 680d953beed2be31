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
    return frozenset(content_sequence(text))


@functools.lru_cache(maxsize=16384)
def content_sequence(text: str) -> tuple[str, ...]:
    """`content_stems` in the order the text says them, repeats kept: what two sentences' frames
    are aligned on (`matching.slot_clash`)."""
    stop = words("stopword")
    out = []
    for token in tokens(text):
        number = value(token)
        if number is not None:         # «ثلاثة» and «3» are the same number
            out.append(f"{number:g}")
        elif token not in stop and len(token) >= 2:
            out.append(min(stems(token), key=lambda s: (len(s), s)))
    return tuple(out)
