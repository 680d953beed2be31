"""Markdown escaping for text that comes from articles (and reviewers): it shows as written, never as markup.

The markdown report is a document people open in viewers and wikis (CommonMark, GitHub), which
pass raw HTML through. Every string an article supplies (claim text, titles, outlets, file
names, attribution, cue words) and every string a reviewer types (names, notes) goes through
`md_text` (or `md_code` for ids and file names shown as code) before it is written.
"""

from __future__ import annotations

import re
from urllib.parse import quote

# The characters that open markup inline: raw HTML and autolinks (<), entities (&), links and
# images ([ ] !), emphasis (* _ ~), code (`), table cells (|) and escapes themselves (\).
# Backslash-escaping any ASCII punctuation is valid CommonMark; it renders as the bare character.
_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~!])")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def md_text(text: str | None) -> str:
    """`text` as literal inline markdown: one line, every markup character backslash-escaped.

    >>> md_text('<img src=x onerror=alert(1)> [a](javascript:x) *و*')
    '\\\\<img src=x onerror=alert(1)\\\\> \\\\[a\\\\](javascript:x) \\\\*و\\\\*'
    """
    if not text:
        return ""
    one_line = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    return _SPECIAL.sub(r"\\\1", one_line)


def md_code(text: str | None) -> str:
    """`text` as an inline code span (HTML inside a code span is shown, never parsed).

    A backtick or a table bar cannot sit safely inside a code span, so such text is written
    as escaped plain text instead.
    """
    if not text:
        return ""
    one_line = _SPACE.sub(" ", _CONTROL.sub("", text)).strip()
    if "`" in one_line or "|" in one_line or not one_line:
        return md_text(one_line)
    return f"`{one_line}`"


def md_link_target(path: str) -> str:
    """A relative file name as a link destination: percent-encoded, so no character of it is markup."""
    return quote(path, safe="/")
