"""Document metadata from the article text: title, outlet, publication date, cited sources."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import Dateline
from .text import sources
from .text.attribution import is_relay_word
from .text.datelines import parse_dateline
from .text.dates import find_dates, parse_date
from .text.lexicon import words
from .text.lines import is_caption, is_latin_line
from .text.lines import lines as line_spans
from .text.normalize import normalize_text


def _lines(text: str) -> list[tuple[int, str]]:
    return [(a, text[a:b]) for a, b in line_spans(text)]


def _is_headline(line: str) -> bool:
    s = line.strip()
    words = s.split()
    return (3 <= len(words) <= 30 and len(s) <= 250 and not s.endswith((".", "،", ":"))
            and not is_caption(s) and not is_latin_line(s) and not find_dates(s))


def _published(lines: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """The article's date written in its text, and where: ("dateline", date) or (None, None)."""
    # Datelines and date stamps are short lines at the top (or bottom) of the page; long lines
    # hold body text whose dates are events, and captions hold the photo's date, which may be
    # an archive picture years older than the article, so they never date it (issue 23). A date
    # needs a month at least (find_dates): a bare year in the body («منذ عام 2014») never dates it.
    top, bottom = lines[:8], lines[-4:]
    for _, line in top + bottom:
        if len(line.strip()) <= 80 and not is_caption(line):
            dates = find_dates(line)
            if dates:
                return dates[0][0], "dateline"
    return None, None


def find_dateline(lines: list[tuple[int, str]], *, top: int = 3) -> Dateline | None:
    """The dateline among the first `top` lines («بريدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م
    واس» on a line of its own), else one opening the first line («الرياض - واس: أعلن …»)."""
    for _, line in lines[:top]:
        found = parse_dateline(line.strip())
        if found:
            return found
    first = lines[0][1] if lines else ""
    for stop in re.finditer(r"[:)\-–—]", first[:70]):
        found = parse_dateline(first[:stop.end()].strip(" -–—:"))
        if found and found.agency:
            return found
    return None


def _before(norm: str, at: int, words: int = 3) -> list[str]:
    return re.sub(r"[\"'«»“”:،,()\-–]", " ", norm[:at]).split()[-words:]


def _roles(text: str) -> tuple[list[tuple[str, int, int, str]], set[int]]:
    """Each source mention with its role: "told" (لـ"X": X's own exclusive), "relay" or "plain"."""
    lines = _lines(text)
    caption_spans = [(p, p + len(line)) for p, line in lines if is_caption(line) or is_latin_line(line)]
    mentions = []
    for name, a, b in sources.find_sources(text):
        if any(s <= a < e for s, e in caption_spans) or sources.kind_of(name) == "photo":
            continue
        left = normalize_text(text[max(0, a - 40):a])
        bare = re.sub(r"[\"'«»“” ]+$", "", left)
        told = re.search(r"(?:^|[^\w])ل$|(?:^|\s)ل(?:وكاله|صحيفه|موقع|قناه|شبكه)$", bare) or \
            normalize_text(text[a:b]).startswith("لل")
        # «تحليل لـ"الغارديان"» is "an analysis by", i.e. relayed, not told to the outlet.
        if told and not (set(_before(bare, len(bare))[-2:-1]) & words("work")):
            role = "told"
        elif any(is_relay_word(w) for w in _before(left, len(left))):
            role = "relay"
        else:
            line_start = text.rfind("\n", 0, a) + 1
            head = text[line_start:a].strip(" \"'«»")
            tail = text[b:b + 3]
            role = "relay" if (not head and ":" in tail) or re.search(r"[-–]\s*$", text[line_start:a]) else "plain"
        mentions.append((name, a, b, role))
    return mentions, set()


def _signature_outlet(lines: list[tuple[int, str]]) -> str | None:
    for _, line in reversed(lines[-6:]):
        m = re.match(r"\s*(?:المصدر|المصادر|Source)\s*[:：]\s*(.+?)\s*$", line)
        if m:
            name = sources.lookup(m.group(1).split("+")[0].split("/")[0].strip())
            if name and sources.kind_of(name) == "outlet":
                return name
    for _, line in lines:
        # «لإرسال مقال للنشر في حفريات», «انشر مقالك في ...»: the site asking for submissions.
        m = re.search(r"للنشر (?:في|على) (.{2,30}?)(?: اضغط| هنا|$)|انشر مقالك (?:في|على) (.{2,30})", line)
        if m:
            name = sources.lookup((m.group(1) or m.group(2)).strip())
            if name:
                return name
    return None


def _exclusive_outlet(mentions: list[tuple[str, int, int, str]]) -> str | None:
    # An outlet told things directly («كشف مصدر لـ"عربي بوست"») at least twice and never relayed
    # («قالت رويترز», «وفق رويترز») is the article's own exclusive: it is the publisher.
    told: dict[str, int] = {}
    relayed = {name for name, _, _, role in mentions if role == "relay"}
    for name, _, _, role in mentions:
        if role == "told":
            told[name] = told.get(name, 0) + 1
    best = [n for n, c in sorted(told.items(), key=lambda kv: -kv[1]) if c >= 2 and n not in relayed]
    return best[0] if best else None


def extract_metadata(text: str, *, hint: Mapping[str, str | None] | None = None) -> dict:
    """Return {"title", "outlet", "published", "published_from", "cited_sources"} for an article's text.

    `hint` (from HTML metadata or JSONL fields) wins for title/outlet/published where set.
    `published` comes from the hint ("metadata"), else a date line at the top or bottom of
    the text ("dateline"); else it is None, and so is `published_from` (a photo caption's
    date is often an archive picture's, so it never dates the article). Dates in the body's sentences never date the article.
    cited_sources lists the agencies/outlets the article relies on, in English, in order of first
    mention, excluding the outlet itself and photo credits (a caption credit shows who took the
    picture, not who reported the facts).
    """
    hint = dict(hint or {})
    lines = _lines(text)
    title = hint.get("title") or None
    if not title and lines and _is_headline(lines[0][1]):
        title = lines[0][1].strip()
    published = parse_date(hint["published"]) if hint.get("published") else None
    published_from = "metadata" if published else None
    dateline = find_dateline(lines)
    if not published and dateline and dateline.date:
        published, published_from = dateline.date, "dateline"
    if not published:
        published, published_from = _published(lines)
    mentions, _ = _roles(text)
    outlet = sources.lookup(hint["outlet"]) if hint.get("outlet") else None
    if hint.get("outlet") and not outlet:
        outlet = hint["outlet"]
    outlet = outlet or _signature_outlet(lines) or _exclusive_outlet(mentions)
    cited: list[str] = []
    for name, _, _, _ in mentions:
        if name != outlet and name not in cited:
            cited.append(name)
    return {"title": title, "outlet": outlet, "published": published, "published_from": published_from,
            "cited_sources": cited, "dateline": dateline}
