"""Lines of an article and the page furniture recognisable from one line: captions, English wire lines."""

from __future__ import annotations

import re

from . import sources

_CREDIT_TAIL = re.compile(r"(?:[-–—/]\s*[^\s\-–—/()]+(?:\s+[^\s\-–—/()]+)?|\([^()]{2,40}\))\s*$")


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of `text`, line breaks excluded."""
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            out.append((pos, pos + len(body)))
        pos += len(line)
    return out


def is_latin_line(line: str) -> bool:
    """True for a line written mostly in Latin script (an English wire caption in an Arabic page)."""
    latin = len(re.findall(r"[A-Za-z]", line))
    arabic = len(re.findall(r"[\u0621-\u064a]", line))
    return latin > 20 and latin > 3 * arabic


def is_caption(line: str) -> bool:
    """True for a photo caption: the line ends with a credit to an agency or photo service.

    The rule: the last dash-separated or parenthesised piece of the line names a known
    agency/outlet/photo service (« - AFP», «(رويترز)», «(Getty)») or the line carries an
    English "via REUTERS"/"REUTERS/Photographer" credit.
    """
    stripped = line.strip()
    if re.search(r"\bvia [A-Z]{2,}|\b[A-Z]{3,}/[A-Z][a-z]+|Getty Images|/AFP\b", stripped):
        return True
    m = _CREDIT_TAIL.search(stripped)
    if not m:
        return False
    tail = m.group(0)
    return bool(sources.find_sources(tail.strip(" -–—/()"))) and len(stripped) > len(tail) + 10
