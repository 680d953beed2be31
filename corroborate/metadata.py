"""Document metadata from the article text: title, outlet, publication date, cited sources."""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import sources
from .normalize import normalize, normalize_text

# Month names as normalised by normalize(): Egyptian/Gulf, Levantine/Iraqi, Maghreb, English.
MONTHS: dict[str, int] = {}
for _n, _names in enumerate((
        "يناير كانون الثاني|جانفي|january|jan",
        "فبراير|شباط|فيفري|february|feb",
        "مارس|اذار|march|mar",
        "ابريل|نيسان|افريل|april|apr",
        "مايو|ايار|ماي|may",
        "يونيو|حزيران|جوان|june|jun",
        "يوليو|تموز|جويليه|يوليه|july|jul",
        "اغسطس|اب|اوت|غشت|august|aug",
        "سبتمبر|ايلول|september|sep|sept",
        "اكتوبر|تشرين الاول|october|oct",
        "نوفمبر|تشرين الثاني|november|nov",
        "ديسمبر|كانون الاول|december|dec"), start=1):
    for _name in _names.split("|"):
        MONTHS[_name] = _n
MONTHS["كانون الثاني"] = 1
MONTHS.pop("يناير كانون الثاني")
MONTHS["يناير"] = 1

_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
# «29 كانون الثاني/يناير 2024», «حزيران (يونيو) 2021», «19 فبراير 2024», «January 4, 2022»
_TEXT_DATE = re.compile(
    rf"(?<![\w])(?:(?P<d>\d{{1,2}}) )?(?P<m>{_MONTH})(?: ?[/(] ?(?:{_MONTH}) ?\)?)?"
    rf"(?: (?P<d2>\d{{1,2}}),?)?(?: ?(?:عام |سنه )?(?P<y>(?:19|20)\d\d))?(?![\w])")
_NUM_DATE = re.compile(r"(?<![\d/.-])(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>(?:19|20)\d\d)"
                       r"|(?P<y2>(?:19|20)\d\d)-(?P<m2>\d\d)-(?P<d2>\d\d))(?![\d/.-])")

_SPEECH = ("قال", "قالت", "ذكر", "ذكرت", "افاد", "افادت", "نقل", "نقلت", "اورد", "اوردت", "كشف", "كشفت",
           "نشر", "نشرت", "اضاف", "اضافت", "لفت", "لفتت", "اشار", "اشارت", "تحدث", "تحدثت", "اكد", "اكدت",
           "وفق", "وفقا", "بحسب", "حسب", "حسبما", "نقلا", "عن", "اعلن", "اعلنت", "بثت", "بث", "تقرير",
           "تحليل", "تحقيق", "ترجمه", "قالته", "ذكرته")
_WORKS = {"تحليل", "تقرير", "تحقيق", "مقال", "مقاله", "افتتاحيه", "دراسه", "استطلاع"}
_CREDIT_TAIL = re.compile(r"(?:[-–—/]\s*[^\s\-–—/()]+(?:\s+[^\s\-–—/()]+)?|\([^()]{2,40}\))\s*$")


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


def _dates_in(text: str) -> list[tuple[str, int, int]]:
    norm, index = normalize(text)
    found = []
    for m in _NUM_DATE.finditer(norm):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            found.append((f"{y:04d}-{mo:02d}-{d:02d}", index[m.start()], index[m.end() - 1] + 1))
    for m in _TEXT_DATE.finditer(norm):
        y = m.group("y")
        if not y:
            continue                      # a day and month alone cannot date an article
        mo = MONTHS[m.group("m")]
        d = m.group("d") or m.group("d2")
        iso = f"{y}-{mo:02d}-{int(d):02d}" if d and 1 <= int(d) <= 31 else f"{y}-{mo:02d}"
        found.append((iso, index[m.start()], index[m.end() - 1] + 1))
    return sorted(found, key=lambda t: t[1])


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Dates with a year in `text` as (ISO "YYYY-MM-DD" or "YYYY-MM", start, end); DD/MM/YYYY order."""
    return _dates_in(text)


def parse_date(value: str) -> str | None:
    """Parse a free-form date (a metadata field) into ISO, via our patterns then dateparser."""
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d\d){0,2}", value):
        return value
    hits = _dates_in(value)
    if hits:
        return hits[0][0]
    import dateparser     # slow to import: only for formats our patterns do not cover

    parsed = dateparser.parse(value, languages=["ar", "en"], settings={"DATE_ORDER": "DMY"})
    return parsed.date().isoformat() if parsed else None


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _is_headline(line: str) -> bool:
    s = line.strip()
    words = s.split()
    return (3 <= len(words) <= 30 and len(s) <= 250 and not s.endswith((".", "،", ":"))
            and not is_caption(s) and not is_latin_line(s) and not find_dates(s))


def _published(lines: list[tuple[int, str]]) -> str | None:
    # Datelines and date stamps are short lines at the top (or bottom) of the page; long lines
    # hold body text whose dates are events, and captions hold the photo's date, which may be
    # an archive picture years older than the article, so they are a last resort only.
    top, bottom = lines[:8], lines[-4:]
    for _, line in top + bottom:
        if len(line.strip()) <= 80 and not is_caption(line):
            dates = find_dates(line)
            if dates:
                return dates[0][0]
    for _, line in top:
        if is_caption(line) and not is_latin_line(line):
            dates = find_dates(line)
            if dates:
                return dates[-1][0]
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
        if told and not (set(_before(bare, len(bare))[-2:-1]) & _WORKS):
            role = "told"
        elif any(w.lstrip("وف") in _SPEECH or w in _SPEECH for w in _before(left, len(left))):
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
    """Return {"title", "outlet", "published", "cited_sources"} for an article's text.

    `hint` (from HTML metadata or JSONL fields) wins for title/outlet/published where set.
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
    published = published or _published(lines)
    mentions, _ = _roles(text)
    outlet = sources.lookup(hint["outlet"]) if hint.get("outlet") else None
    if hint.get("outlet") and not outlet:
        outlet = hint["outlet"]
    outlet = outlet or _signature_outlet(lines) or _exclusive_outlet(mentions)
    cited: list[str] = []
    for name, _, _, _ in mentions:
        if name != outlet and name not in cited:
            cited.append(name)
    return {"title": title, "outlet": outlet, "published": published, "cited_sources": cited}
