"""Claim stage: drop page furniture, split Arabic news text into attributed claims with offsets."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from .model import Claim, Document, Settings
from .text import sources
from .text.attribution import is_anonymous
from .text.datelines import parse_dateline
from .text.dates import find_dates
from .text.lexicon import entries, words
from .text.lines import is_caption, is_latin_line, lines
from .text.normalize import joins_point, normalize, normalize_text


def _listed(kind: str) -> tuple[str, ...]:
    return tuple(e.entry for e in entries(kind))


# Word lists: corroborate/data/lexicon/boilerplate.tsv and attribution.tsv (normalised spelling).
# line_marker: lines starting with these are site furniture, not reporting (share bars, author
# boxes, newsletter/submission blurbs, navigation, tag lists, sign-offs «المصدر : الجزيرة»);
# list_header: after these come lists of teaser headlines, so the short lines that follow go too.
LINE_MARKERS = _listed("line_marker")
LIST_HEADERS = _listed("list_header")
# speech_verb: reporting verbs that open an attribution frame («وقالت المصادر إن…»).
SPEECH_VERBS = _listed("speech_verb")
# clause_opener: conjunctions that open a new, self-contained clause after «،» («، كما…»,
# «، لكن…»); time clauses («، بعد أقل من 48 ساعة من اتهام…») often carry a fact of their own,
# which other outlets report as their main sentence.
CLAUSE_OPENERS = _listed("clause_opener")
# prep_frame: «بحسب…», «وفقاً لـ…», «نقلاً عن…»: the asserter follows the preposition.
PREP_FRAMES = _listed("prep_frame")
SPEAKER_STOP = words("speaker_stop")          # words that end a speaker phrase
PRONOUN_SUBJECTS = words("pronoun_subject")   # a frame whose subject was named earlier
ABBREVIATIONS = words("abbreviation")

# The speaker phrase, chosen on two days of labelled claims of Saudi press (docs/accuracy.md,
# "Who says it"): time words end it; a participle opening the sentence hands on the speaker
# before; a negated verb, or «نقل» that moves rather than reports, attributes nothing; a stance
# verb frames a sentence it opens; «وكانت … قد أعلنت» names its subject between the two verbs.
TIME_STOPS = words("time_stop")
PARTICIPLE_FRAMES = words("participle_frame")
OBJECT_PRONOUNS = words("object_pronoun")
W_NOUNS = words("w_noun")
# A title goes on past «لل…» and «في …» («نائب وزير الصحة للشؤون الصحية حمد الضويلع», «المسؤول في
# مركز الأرصاد الباكستاني غلام رسول») unless «لل…» names whom it was said to («للصحفيين») or
# «في» the occasion («في بيان», «في مؤتمر صحفي»): «في» goes on before a body or a region only.
ADDRESSEES = words("addressee")
AFFILIATIONS = words("affiliation")
HONORIFICS = words("honorific")      # a name follows them («النائب انطوان زهرا»)
# A role with no name (`role_head` without «ال»: «مسؤول أمني إيراني كبير») goes on through its
# adjectives only: a nisba («أمني», «عراقية»), a participle («مطلع», «مقرب») or a `role_adjective`
# («كبير», «سابق»). A bare noun after them is the verb's object: «ووصف مسؤول أمني إيراني كبير
# زيارة قاآني بأنها»; a `role_place` says where the role sits («مصادر داخل النادي»).
ROLE_HEADS = words("role_head")
ROLE_ADJECTIVES = words("role_adjective")
ROLE_PLACES = words("role_place")
_NISBA = re.compile(r"^و?\w{2,}(?:ي|يه|يون|يين|يان|يتان)$")
FRAME_CONNECTIVES = words("frame_connective")
FRAME_NEGATORS = words("frame_negator")
_OPENING_VERB = re.compile(r"(?:[وف])?(?:%s)(?:ت|وا)?(?=\s)" % "|".join(sorted(words("opening_verb"), key=len, reverse=True)))
_IMPERSONAL = re.compile(r"^(?:[وف])?(?:%s)\s+(?:الي\s+)?(?:ان|بان)\s+"
                         % "|".join(sorted((w.replace(" ", r"\s+") for w in words("impersonal_opener")), key=len, reverse=True)))
# A verbal noun right after a definite word is the verb's object, not more of its subject: a
# subject's own nouns of that shape come before its definite end («مدير إدارة العمليات»), and
# what follows that end is a name, a title or an adjective, which have other shapes
# («أعلنت الوزارة مواصلة مهامها», «وأكد العوادي استعداد العراق»). Patterns استفعال, انفعال,
# افتعال, مفاعلة, normalised, an attached pronoun allowed; not تفعيل, the shape of the names
# «توفيق», «تيسير», «تميم»; never right after an honorific («النائب انطوان زهرا»).
_VERBAL_NOUN = re.compile(r"^(?:(?:است..ا.|ان..ا.|ا.ت.ا.)(?:ه|ها|هم|هما)?|م.ا..(?:ه|ت(?:ه|ها|هم|هما)))$")
APPOSITION_WORDS = 6     # a name or a title set off by commas between the speaker and «أن»
SPEAKER_WORDS = 12        # a title and a full name («مدير الشؤون الصحية بمحافظة جدة الدكتور مبارك بن حسن ظافر»)
_VERB_ALT = "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True))
_VERB = re.compile(rf"(?:^|\s)(?:[وف])?(?:{_VERB_ALT})(?:ت|وا|ن)?(?=[\s:،,]|$)")
_COMPLEMENT = re.compile(r"\s(?:ان|انه|انها|انهم|بان|بانه|بانها|الي ان)(?=\s)|:")
_PREP = re.compile(r"(?:^|\s)[و]?(?:%s)\s*" % "|".join(PREP_FRAMES))
_OPENER = re.compile(r"[،;؛]\s*(?=(?:%s)\s)" % "|".join(CLAUSE_OPENERS))
_CONJ_VERB = re.compile(rf"،\s*(?=[وف](?:{_VERB_ALT})(?:ت|وا|ا|ن)?\s)")
_WA = re.compile(r"،\s*(?=و\S)")
_COMMA = re.compile(r"[،,]\s*")
_TRIM = " \t\r\n\u00a0.،,؛;:!-–—"
_END = ".!?؟"
_OPEN_Q, _CLOSE_Q = "«“", "»”"


# ui_label: the words of a page's interface («حجم الخط», «كلمات مفتاحية», «كلمة المرور»), each
# "strong" (nothing else) or "weak" (also an everyday word: «شارك», «إغلاق», «البرامج»).
def _labels() -> dict[str, list[tuple[tuple[str, ...], bool]]]:
    table: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for e in entries("ui_label"):
        parts = tuple(e.entry.split())
        table.setdefault(parts[0], []).append((parts, e.value == "strong"))
    return {k: sorted(v, key=lambda x: -len(x[0])) for k, v in table.items()}


UI_LABELS = _labels()
# tag_label: after a line's last sentence, these open the page's tag list, which runs to the
# line's end with no sentence of its own («… بكلية الطب. سمات تبوك جامعة معمة تبوك»)
TAG_LABELS = tuple(tuple(e.split()) for e in _listed("tag_label"))
_LAST_PIECE = re.compile(r"(?:^|[.!؟?»\"”])\s*(?P<piece>[^.،,؛!؟?»\"”\n]{1,300}?)\s*$")


def tag_tail(line: str) -> tuple[int, int] | None:
    """(start, end) of a tag list closing `line`: a `tag_label` word opening the line's last
    piece after a sentence end, with tags after it and no punctuation to the end; else None."""
    m = _LAST_PIECE.search(line)
    if not m:
        return None
    words = [normalize_text(w).strip(":") for w in m["piece"].split()]
    for label in TAG_LABELS:
        if len(words) > len(label) and tuple(words[:len(label)]) == label:
            return m.start("piece"), m.end("piece")
    return None


_TOKEN = re.compile(r"\S+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# the letters a word of a page has: the rest is noise (digits, code, and in an Arabic page the
# Latin menus and captions); an English page quotes Arabic names, which stay words
_WORD_LETTER = {"arabic": _ARABIC_LETTER, "latin": re.compile(r"[A-Za-z\u0621-\u064a]")}


def script_of(text: str) -> str:
    """"arabic", or "latin" for a text written mostly in Latin letters (an English wire story)."""
    return "latin" if len(_LATIN_LETTER.findall(text)) > len(_ARABIC_LETTER.findall(text)) else "arabic"
_ALNUM = re.compile(r"[^\W_]")
_STRIP = "\"'«»“”()[]{}<>:،,.؛;!?؟|*#-–—_/\\…"


def _page_tokens(text: str, script: str = "arabic") -> list[tuple[int, int, str, str]]:
    """(start, end, normalised word, kind) per whitespace token of `text`. kind: "label" (first
    word of an unambiguous interface label), "weak" (first word of an ambiguous one), "label+"
    (a label's other words), "noise" (no letter of the page's `script`: digits, code, Latin in
    an Arabic page; a hashtag and the word it tags), "punct" (no letter or digit at all) or "word"."""
    toks = []
    hashtag = False
    letters = _WORD_LETTER[script]
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        word = normalize_text(raw).strip(_STRIP)
        if not _ALNUM.search(raw):
            kind = "punct"
        elif not letters.search(word) or hashtag or raw.startswith("#"):
            kind = "noise"
        else:
            kind = "word"
        hashtag = raw == "#"
        toks.append((m.start(), m.end(), word, kind))
    n = 0
    while n < len(toks):
        word = toks[n][2]
        options = UI_LABELS.get(word) or (UI_LABELS.get(word[1:], []) if word[:1] == "و" else [])
        for parts, strong in options:
            if [t[2] for t in toks[n + 1:n + len(parts)]] == list(parts[1:]):
                for k in range(n, n + len(parts)):
                    kind = ("label" if strong else "weak") if k == n else "label+"
                    toks[k] = toks[k][:3] + (kind,)
                n += len(parts) - 1
                break
        n += 1
    return toks


def furniture_spans(line: str, *, gap: int = Settings.furniture_gap,
                    noise_run: int = Settings.furniture_noise_run,
                    script: str = "arabic") -> list[tuple[int, int]]:
    """(start, end) of each strip of page furniture inside `line`, sorted and disjoint.

    A strip is a run of interface labels with at most `gap` other words between neighbours,
    holding an unambiguous label («تاريخ النشر : حجم الخط كلمات مفتاحية»), or three
    ambiguous ones side by side («البرامج الحلقات البرامج الحلقات»), widened over the
    symbols, dates and links around it; or `noise_run` or more tokens in a row without an Arabic letter
    (date lists, layout code, «| | |» separators, English menus). Scraped pages often glue
    such strips onto a real sentence in one line, so they are cut out rather than the line dropped.
    `script` is the page's ("latin" for an English page: its words are not noise).
    """
    toks = _page_tokens(line, script)
    found: list[tuple[int, int]] = []      # token index ranges, inclusive
    run: list[int] = []                    # token indices of the labels in the current run
    strong = weak = words_since = 0

    def close() -> None:
        # an unambiguous label alone is cut too: it is never part of what an article asserts
        if strong or weak >= 3:
            a, b = run[0], run[-1]
            while a and toks[a - 1][3] in ("noise", "punct"):
                a -= 1
            while b + 1 < len(toks) and toks[b + 1][3] in ("noise", "punct"):
                b += 1
            found.append((a, b))

    for n, (_, _, _, kind) in enumerate(toks):
        if kind == "word":
            words_since += 1
        elif kind == "label+":
            run.append(n)
        elif kind in ("label", "weak"):
            # ambiguous labels string together only side by side («البرامج الحلقات»); any
            # label within `gap` words joins a run that has an unambiguous one
            if not run or words_since > (gap if strong or kind == "label" else 0):
                close()
                run, strong, weak = [], 0, 0
            run.append(n)
            strong += kind == "label"
            weak += kind == "weak"
            words_since = 0
    if run:
        close()
    n = 0
    while n < len(toks):
        m = n
        while m < len(toks) and toks[m][3] in ("noise", "punct"):
            m += 1
        if m - n >= noise_run:
            found.append((n, m - 1))
        n = m + 1
    tail = tag_tail(line)
    spans: list[tuple[int, int]] = []
    for a, b in sorted([(toks[a][0], toks[b][1]) for a, b in found] + ([tail] if tail else [])):
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], b))
        else:
            spans.append((a, b))
    return spans


def is_furniture(text: str, *, share: float = Settings.furniture_share, script: str = "arabic") -> bool:
    """True when at least `share` of the tokens of `text` (punctuation aside) are interface
    labels, digits, Latin words, hashtags or repeats of one of the three tokens before them
    (navigation runs: «البرامج الحلقات البرامج الحلقات», «21 يناير 21 يناير»): a sentence is
    mostly words."""
    toks = [t for t in _page_tokens(text, script) if t[3] != "punct"]
    if not toks:
        return True
    odd = sum(1 for n, t in enumerate(toks)
              if t[3] != "word" or any(t[2] == u[2] for u in toks[max(0, n - 3):n]))
    return odd >= share * len(toks)


def _normline(line: str) -> str:
    return normalize_text(line).strip(" \u25cf\u2022*-–—|:")


def _starts_with(norm: str, markers: tuple[str, ...]) -> bool:
    return any(norm == m or norm.startswith(m + " ") or norm.startswith(m + ":") or
               (m.endswith(":") and norm.startswith(m)) for m in markers)


def boilerplate_lines(text: str, *, furniture_gap: int = Settings.furniture_gap,
                      furniture_noise_run: int = Settings.furniture_noise_run,
                      furniture_share: float = Settings.furniture_share,
                      script: str | None = None) -> dict[int, str]:
    """Classify the lines of `text`: {line start offset: reason} for every line that is not a claim source.

    Rules (general, not per site): marker words at line start, teaser lists after list headers,
    English lines in an Arabic text (wire captions), photo captions ending in a credit, short
    datelines/date stamps, short section headers, repeated lines, lines that are page interface
    once their strips of interface labels are cut out (`furniture_spans`, `is_furniture`:
    menus, label strips, login forms, hashtag lines), and pull quotes that repeat part of a
    longer paragraph. `script` is the page's (`script_of(text)` when not given).
    """
    spans = lines(text)
    script = script or script_of(text)
    arabic = script == "arabic"
    dropped: dict[int, str] = {}
    seen: set[str] = set()
    in_list = False
    for a, b in spans:
        line = text[a:b].strip()
        norm = _normline(line)
        words = norm.split()
        ends_sentence = line.rstrip(" \"'»”").endswith(tuple(_END))
        if in_list and (len(line) < 150 and not ends_sentence or not words):
            dropped[a] = "teaser list"
            continue
        in_list = False
        if not re.search(r"[\w\u0621-\u064a]", norm):
            dropped[a] = "empty"
        elif _starts_with(norm, LINE_MARKERS):
            dropped[a] = "marker"
            in_list = _starts_with(norm, LIST_HEADERS)
        elif arabic and is_latin_line(line):
            dropped[a] = "latin caption"
        elif is_caption(line):
            dropped[a] = "caption"
        elif norm in seen:
            dropped[a] = "repeated"
        elif len(words) <= 8 and len(line) <= 80 and (find_dates(line) or re.search(r"\s[-–]\s?\S+$|\S[-–]\s\S+$", line)
                                                       and sources.find_sources(line)) or parse_dateline(line):
            dropped[a] = "dateline"
        elif len(words) <= 7 and not ends_sentence:
            dropped[a] = "section header"
        elif _interface_line(line, furniture_gap, furniture_noise_run, furniture_share, script):
            dropped[a] = "interface"
        seen.add(norm)
    # Pull quotes: a line nearly verbatim inside a longer kept paragraph; keep the paragraph.
    # Compared with the rest of the text, since a pull quote may stitch two paragraphs together.
    kept = [(a, b, normalize_text(text[a:b])) for a, b in spans if a not in dropped]
    joined = [nc for _, _, nc in kept]
    for i, (a, b, na) in enumerate(kept):
        if not 40 <= len(na) <= 400:      # pull quotes are short; this also bounds the cost
            continue
        rest = " ".join(joined[:i] + joined[i + 1:])
        # A pull quote may add a lead-in («المحلل … لـ"المجلة": …»); compare the quoted part too.
        tail = na.split(":", 1)[1].strip() if ":" in na[:80] else ""
        bare = not text[a:b].rstrip(" \"'»”").endswith(tuple(_END))   # pull quotes drop the period
        need = 85 if bare else 90
        if fuzz.partial_ratio(na, rest, score_cutoff=need) or \
                len(tail) >= 40 and fuzz.partial_ratio(tail, rest, score_cutoff=need):
            # a paragraph the page prints twice is no pull quote of itself: its first print
            # stays (unless it quotes another paragraph too), a later one is a repeat
            twins = [j for _, _, j in process.extract(na, joined, scorer=fuzz.ratio, score_cutoff=90, limit=None)
                     if j != i]
            if twins and min(twins) < i:
                dropped[a] = "repeated"
                continue
            rest = " ".join(nj for j, nj in enumerate(joined) if j != i and j not in twins)
            if not twins or fuzz.partial_ratio(na, rest, score_cutoff=need) or \
                    len(tail) >= 40 and fuzz.partial_ratio(tail, rest, score_cutoff=need):
                dropped[a] = "pull quote"
    return dropped


def _quote_depth(s: str) -> list[int]:
    """Quote nesting depth before each char; straight quotes count only when balanced."""
    straight = s.count('"') % 2 == 0
    depth, inside_straight, out = 0, False, []
    for ch in s:
        out.append(depth + inside_straight)
        if ch in _OPEN_Q:
            depth += 1
        elif ch in _CLOSE_Q:
            depth = max(0, depth - 1)
        elif ch == '"' and straight:
            inside_straight = not inside_straight
    out.append(depth + inside_straight)
    return out


def _sentences(s: str) -> list[tuple[int, int]]:
    depth = _quote_depth(s)
    bounds, start, i, n = [], 0, 0, len(s)
    while i < n:
        ch = s[i]
        if ch in _END and depth[i] == 0 or (ch in '"»”' and i > 0 and s[i - 1] in _END and depth[i + 1] == 0):
            j = i + 1
            while j < n and s[j] in _END + '"»”)':
                j += 1
            if ch == "." and (s[i - 1:i] == "." or s[i + 1:i + 2] == "."):
                i = j                     # «..» and «...» join headline parts, they do not end sentences
                continue
            if ch == "." and joins_point(s, i, bracket=True):
                i = j                     # «1 . 78 مليار», «( أ . ف . ب )» in pages tokenised so
                continue
            token = re.findall(r"[\w.]+$", s[start:i])
            if ch == "." and token and token[-1].lower().strip(".") in ABBREVIATIONS:
                i = j
                continue
            if j >= n or s[j].isspace():
                bounds.append((start, j))
                start = j
            i = j
            continue
        i += 1
    if start < n:
        bounds.append((start, n))
    return bounds


def _split_long(s: str, a: int, b: int, min_chars: int, max_chars: int, depth: list[int]) -> list[tuple[int, int]]:
    """Split s[a:b] at clause boundaries: always at strong openers, by length at «، و» / «،»."""
    norm, index = normalize(s[a:b])

    def cuts(pattern: re.Pattern[str], inside_ok: bool) -> list[int]:
        found = []
        for m in pattern.finditer(norm):
            at = a + index[m.end() - 1] + 1 if m.end() > m.start() else a + index[m.start()]
            if (inside_ok or depth[at] == 0) and at - a >= min_chars and b - at >= min_chars:
                found.append(at)
        return found

    pieces = [(a, b)]
    strong = sorted(set(cuts(_OPENER, False) + cuts(_CONJ_VERB, False)))
    if strong:
        pieces, prev = [], a
        for c in strong:
            pieces.append((prev, c))
            prev = c
        pieces.append((prev, b))
    out = []
    for pa, pb in pieces:
        if pb - pa <= max_chars or pieces != [(a, b)] and len(pieces) > 1 and pb - pa <= max_chars:
            out.append((pa, pb))
            continue
        sub = None
        for pattern, inside_ok in ((_WA, False), (_COMMA, False), (_WA, True), (_COMMA, True)):
            mid = (pa + pb) / 2
            options = [c for c in cuts(pattern, inside_ok) if pa + min_chars <= c <= pb - min_chars]
            if options:
                c = min(options, key=lambda c: abs(c - mid))
                sub = _split_long(s, pa, c, min_chars, max_chars, depth) + \
                    _split_long(s, c, pb, min_chars, max_chars, depth)
                break
        out.extend(sub or [(pa, pb)])
    return out


def _trim(s: str, a: int, b: int) -> tuple[int, int]:
    while a < b and s[a] in _TRIM:
        a += 1
    while b > a and s[b - 1] in _TRIM:
        b -= 1
    return a, b


def _title_goes_on(before: str, word: str, following: str) -> bool:
    """Whether a speaker phrase goes on through `word` (normalised) between `before` and
    `following`: «لل…» after a title's last word («المدير العام للتعليم», «الرئيس السابق
    للائتلاف») that names no addressee (after a name it is one: «محمد علي للجزيرة نت»), or «في»
    before a body or a region."""
    if word.startswith("لل"):
        named = sources.find_sources(f"ال{word[2:]} {following}")
        return before.lstrip("وف").startswith("ال") and word not in ADDRESSEES and \
            not (named and named[0][1] == 0)           # «الجابري للجزيرة نت»: to an outlet
    body = following.strip("\"«»“”،,:؛")
    return word == "في" and (body in AFFILIATIONS or body.startswith("ال") and body[2:] in AFFILIATIONS)


def _role_adjective(word: str) -> bool:
    """A word that may describe a role («أمني», «مطلع», «كبير»): a nisba, a participle, a `role_adjective`."""
    word = word.strip("-–")
    return bool(_NISBA.match(word)) or word in ROLE_ADJECTIVES or word[:1] == "م" and len(word) >= 4


def _unnamed_role(said: list[re.Match]) -> bool:
    """Whether the words of a speaker phrase so far are a role with no name and nothing but its
    adjectives, one at least: «مسؤول أمني إيراني كبير», «مصادر عراقية» (not «المسؤول الطبي»,
    which a name may follow, nor «مسؤولو الصحة», a construct, nor «مصدر في الوزارة»)."""
    first, *rest = [m.group(0).strip("\"«»“”،,:؛") for m in said]
    # at least one adjective: right after the role a noun is its domain («مسؤول ملف الاستيطان»)
    return first in ROLE_HEADS and bool(rest) and all(_role_adjective(t) for t in rest)


def _apposed(rest: list[re.Match]) -> bool:
    """Whether the words between a speaker phrase's comma and the complement («أن», «إن») are
    its apposition, a name or a title («المتحدث الرسمي باسم هيئة قناة السويس، طارق حسنين، إن»),
    not an occasion, a time or an addressee («، في بيان له، إن», «، أمس، إن»)."""
    said = [m.group(0) for m in rest]
    if not 1 <= len(said) <= APPOSITION_WORDS or any(t.endswith(("،", ",")) for t in said[:-1]) or \
            not said[-1].endswith(("،", ",")):
        return False                  # set off by two commas, right before the complement
    first = said[0].strip("\"«»“”،,")
    return not (first in SPEAKER_STOP or first in TIME_STOPS or _PREP.match(first) or
                first.startswith(("ل", "ب")) or first[:1] in "\"«“" or any(ch.isdigit() for t in said for ch in t))


def _speaker(piece: str) -> str | None:
    """The asserter named in an attribution frame, as written; None when there is no frame.

    "" means a frame whose speaker is a pronoun (the caller inherits the previous speaker).
    """
    norm, index = normalize(piece)
    head = norm[:160]

    def phrase(na: int, nb: int, *, object_b: bool = False, complement: bool = False) -> str | None:
        words = []
        found = list(re.finditer(r"\S+", norm[na:nb]))
        for n, m in enumerate(found):
            w = m.group(0).strip("\"«»“”،,:؛")
            original = piece[index[na + m.start()]:index[na + m.end() - 1] + 1]
            if w == "من" and len(words) == 1:
                continue                  # «عشرة من المصادر», «عدد من المسؤولين»
            if not words and original[:1] in "\"«“'":
                return None               # «وأضاف "إذا كنت عضوا …"»: a quotation, its speaker before
            if words and original[:1] in "\"«“" and \
                    not re.search(r"[\"»”]", piece[index[na + m.start()] + 1:index[na + m.start()] + 40]):
                break                     # «وقال الأسد “أحيانا نضطر …”»: a quotation starts (not «لشركة "لايف"»)
            if not words and w in ("ذلك", "هذا", "هذه"):
                continue                  # «أوضح ذلك الناطق الإعلامي …»: what was said, then who
            if not words and w == "الله" and object_b:
                return None               # «ودعا الله أن يغفر …»: a prayer, its speaker before
            if not words and (w in OBJECT_PRONOUNS or w.startswith(("بما", "بال", "بان", "لما"))):
                return None               # «اعتبرت فيه …», «وأشاد بما …»: the verb's object, not its subject
            # ى→ي makes «على» (on) look like the name «علي»: decide on the original spelling.
            if w == "علي" and not original.rstrip("،,:").endswith("ى"):
                pass
            elif w.startswith(("ل\"", "ل»", "ل«", "ل“", "ل”")):
                if not words and re.search(r"[»«“”\"]\W*$", original[2:]):
                    continue              # «قال لـ«اليوم» مدير عام …»: the speaker follows
                break                     # «لـ»المدينة»»: to whom it was said
            elif words and _title_goes_on(found[n - 1].group(0), w, found[n + 1].group(0) if n + 1 < len(found) else ""):
                pass                      # «المدير العام للتعليم بالمنطقة», «المسؤول في مركز الأرصاد»
            elif w in SPEAKER_STOP or w.startswith(("لل", "لوكاله", "لصحيفه", "لقناه", "لموقع")) or not w:
                break
            elif object_b and words and w.startswith("ب") and w != "باسم":
                break                     # «تعهدت الحكومة التركية ببدء …»: the stance verb's object
            elif w in TIME_STOPS or any(ch.isdigit() for ch in w):
                break                     # «يوم الاثنين», «دعت الوزارة 2199 من المتقدمين»: time or content
            elif words and w[:1] not in "اوبلفك" and original[:1] not in "\"«“([" and w not in ROLE_PLACES and \
                    _unnamed_role(found[:n]) and not _role_adjective(w):
                break                     # «مسؤول أمني إيراني كبير زيارة قاآني»: a role, then the object
            elif words and _VERBAL_NOUN.match(w) and found[n - 1].group(0).lstrip("وف").startswith("ال") and \
                    found[n - 1].group(0) not in HONORIFICS:
                break                     # «أكد الرئيس المصري عبد الفتاح السيسي انفتاح مصر»: the object
            words.append((na + m.start(), na + m.start() + len(m.group(0).rstrip("،,:؛\"»”"))))
            if len(words) == SPEAKER_WORDS or m.group(0).endswith((":", "؛")) or \
                    m.group(0).endswith(("،", ",")) and not (complement and _apposed(found[n + 1:])):
                break
        if not words or all(normalize_text(piece[index[a]:index[b - 1] + 1]).strip("،,") in PRONOUN_SUBJECTS
                            for a, b in words[:1]):
            return None
        text = piece[index[words[0][0]]:index[words[-1][1] - 1] + 1].strip(" ،,:؛\"«»“”")
        return text or None

    opening = head.split()[0].strip("،,:؛") if head.split() else ""
    if opening in PARTICIPLE_FRAMES or opening[:1] == "و" and opening[1:] in PARTICIPLE_FRAMES:
        return ""                     # «مؤكدا أن …»: the speaker of the sentence before goes on
    impersonal = _IMPERSONAL.match(head)
    if impersonal:                    # «يشار إلى أن وزير الإسكان أكد …»: the frame inside, if any
        return _speaker(piece[index[impersonal.end()]:]) if impersonal.end() < len(index) else None
    verb = _VERB.search(head)
    stance = None if verb and verb.start() == 0 else _OPENING_VERB.match(head)
    verb = stance or verb             # «وبين العنزي أن …», «استنكر عدد من …»
    prep = _PREP.search(head)
    if prep and (not verb or prep.start() < verb.start()):
        end = re.search(r"[،,:؛]|\s(?:فان|فانه|ان)\s|$", norm[prep.end():]).start() + prep.end()
        return phrase(prep.end(), end) or ""
    if not verb:
        return None
    prior = norm[:verb.start()].split()
    # «وكانت قيادة القوات المشتركة … قد أعلنت»: the subject between «كان» and the verb, however long
    kana = re.match(r"(?:و)?كان(?:ت)?\s+(.+?)(?:\s+قد)?\s*$", norm[:verb.start()])
    if len(prior) > (13 if kana else 8):
        return None                   # a reporting verb deep in the sentence is not its frame
    if prior and prior[-1] in FRAME_NEGATORS or re.search(r"(?:^|\s)و?لا احد\s", norm[:verb.start()]):
        return None                   # «لا ينفي ذلك أن», «لم يذكر», «لا أحد منهم ذكر»: nobody asserts it
    comp = _COMPLEMENT.search(norm, verb.end())
    if verb.group(0).strip().lstrip("وف").startswith(("نقل", "ينقل")) and \
            not (comp and comp.start() - verb.end() < 60) and not re.search(r"\sعن\s", norm[verb.end():verb.end() + 120]):
        return None                   # «ونقل أحياء … إلى الدائرة الثانية»: moved, not relayed (but «ونقلت محطة أن»)
    end = comp.start() if comp else len(norm)
    after = norm[verb.end():end]
    via = re.search(r"\sعن\s", after)       # «نقلت الوكالة عن قيادي…»: the asserter follows عن
    if via and verb.group(0).strip().lstrip("وف").startswith("نقل"):
        return phrase(verb.end() + via.end(), end, complement=bool(comp)) or ""
    before = norm[:verb.start()].strip()
    if before and before.split()[0] in PRONOUN_SUBJECTS:
        if before in FRAME_CONNECTIVES and comp:
            return phrase(verb.end(), end, complement=True) or ""       # «فيما قال مصدر قضائي …»: the subject follows
        return ""
    # Subject first («مصدر مقرب … قال لـ…», headlines): a clause that does not open with و/ف.
    subject_first = bool(before) and not re.match(r"[وف]|في |من |علي |بعد |قبل |خلال ", before)
    if before and before.split()[0] in W_NOUNS:
        subject_first = True          # «وزير الإسكان … أكد»: a noun, not «و» and a noun
    if kana:
        who = phrase(kana.start(1), kana.end(1))
        if who:
            return who
    if subject_first and "،" not in before:
        who = phrase(0, verb.start())
        if who:
            return who
    return phrase(verb.end(), end, object_b=bool(stance), complement=bool(comp)) or (phrase(0, verb.start()) if subject_first else None) or ""


def _names(piece: str, own: str | None) -> list[str]:
    norm = normalize_text(piece)
    frame_end = len(piece)
    m = _VERB.search(norm[:160])
    if m and not _PREP.search(norm[:160]):
        comp = _COMPLEMENT.search(norm, m.end())
        if comp:
            frame_end = int(len(piece) * comp.start() / max(1, len(norm))) + 5
    names = []
    for name, a, _ in sources.find_sources(piece):
        if a <= frame_end and name != own and sources.kind_of(name) != "photo" and name not in names:
            names.append(name)
    return names


def _outside(a: int, b: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [a, b) that no span of `cuts` (sorted, disjoint) covers."""
    out = []
    for ca, cb in cuts:
        if cb <= a or ca >= b:
            continue
        if ca > a:
            out.append((a, ca))
        a = max(a, cb)
    if a < b:
        out.append((a, b))
    return out


def _interface_line(line: str, gap: int, noise_run: int, share: float, script: str) -> bool:
    """True when every sentence of `line`, its furniture strips cut out, is furniture itself."""
    strips = furniture_spans(line, gap=gap, noise_run=noise_run, script=script)
    return all(is_furniture(line[x:y], share=share, script=script)
               for sentence in _sentences(line) for x, y in _outside(*sentence, strips))


def split_claims(doc: Document, *, min_chars: int = 25, max_chars: int = 400,
                 furniture_gap: int = Settings.furniture_gap,
                 furniture_noise_run: int = Settings.furniture_noise_run,
                 furniture_share: float = Settings.furniture_share) -> list[Claim]:
    """Split a document into claims: boilerplate dropped, sentences split, attribution attached.

    Offsets are into `doc.text` (through `doc.view` for HTML); claims come back sorted by start,
    never overlapping, none shorter than `min_chars`. Strips of page furniture inside a line
    (`furniture_spans`) are cut out, and pieces that are mostly furniture (`is_furniture`) dropped.
    """
    body = doc.body
    script = script_of(body)
    dropped = boilerplate_lines(body, furniture_gap=furniture_gap, furniture_noise_run=furniture_noise_run,
                                furniture_share=furniture_share, script=script)
    claims: list[Claim] = []
    last_attr: tuple[str, ...] = ()
    for la, lb in lines(body):
        if la in dropped:
            continue
        line = body[la:lb]
        depth = _quote_depth(line)
        strips = furniture_spans(line, gap=furniture_gap, noise_run=furniture_noise_run, script=script)
        for sa, sb in (part for sentence in _sentences(line) for part in _outside(*sentence, strips)):
            sa, sb = _trim(line, sa, sb)
            if sb - sa < min_chars or line[sa:sb].rstrip(" \"'»”").endswith(("؟", "?")):
                continue                  # a question asserts nothing
            sentence_attr: tuple[str, ...] | None = None
            for pa, pb in _split_long(line, sa, sb, min_chars, max_chars, depth):
                pa, pb = _trim(line, pa, pb)
                if pb - pa < min_chars or is_furniture(line[pa:pb], share=furniture_share, script=script):
                    continue
                piece = line[pa:pb]
                if doc.title and title_link(piece, doc.title):
                    continue
                attr = _attribution(piece, doc.outlet, line_start=(pa == 0))
                if attr is None:
                    attr = sentence_attr if sentence_attr is not None else ()
                elif attr == ():
                    attr = last_attr
                sentence_attr = attr if sentence_attr is None else sentence_attr
                last_attr = attr or last_attr
                claims.append(_make_claim(doc, la + pa, la + pb, piece, attr))
    return sorted(claims, key=lambda c: c.start)


def title_link(piece: str, title: str) -> bool:
    """Whether `piece` is a label of two to six words, a colon, and the document's own title: a
    link back to the article («رابط الخبر بصحيفة الوئام: <its headline>», under each of that
    outlet's 992 articles of a SaudiNewsNet week), not a sentence of it."""
    label, colon, rest = piece.partition(":")
    if not colon or not 2 <= len(label.split()) <= 6:
        return False
    title = normalize_text(title).strip()
    after = fuzz.ratio(normalize_text(rest).strip(), title)
    # a headline line with its source in front («حرية برس : حسون : …») is the title itself
    return after >= 90 and after > fuzz.ratio(normalize_text(piece).strip(), title)


def _attribution(piece: str, own: str | None, *, line_start: bool) -> tuple[str, ...] | None:
    """Who asserts `piece`: names of outlets/agencies, else the speaker role; None if no frame."""
    norm = normalize_text(piece)
    head_colon = re.match(r"([^:،.]{2,30}):\s", piece)
    if line_start and head_colon:
        named = [n for n, _, _ in sources.find_sources(head_colon.group(1)) if n != own]
        if named:
            return tuple(named)            # «رويترز: …» headline attribution
    who = _speaker(piece)
    if who is None and not re.search(r"(?:^|\s)ل(?:ـ)?\"", norm[:160]):
        return None
    names = _names(piece, own)
    if names:
        return tuple(names)
    if who:
        return (who,)
    return ()


def _make_claim(doc: Document, a: int, b: int, text: str, attr: tuple[str, ...]) -> Claim:
    if doc.view is not None:
        start, end = doc.view.to_original(a, b)
        if doc.text[end - 1:end] == "&":           # the last char came from an entity: include it
            semi = doc.text.find(";", end)
            end = semi + 1 if 0 <= semi < end + 10 else end
    else:
        start, end = a, b
    return Claim(id=f"c-{doc.id}:{start}", doc_id=doc.id, start=start, end=end, text=text,
                 attributed_to=attr, anonymous=is_anonymous(attr))


def masked(text: str) -> str:
    """A claim's text as a furniture key: normalised, every run of digits one «0» (an SMS
    footer with another service code, a dateline with another day is the same line)."""
    return re.sub(r"\d+", "0", normalize_text(text))


def repeated_lines(claims: Sequence[Claim], outlets: Mapping[str, str | None], *,
                   repeats: int) -> set[str]:
    """Ids of claims whose line an outlet prints in `repeats` or more of its documents: a
    footer, a subscription blurb, a standing dateline — furniture learned from the pile.

    `outlets` maps document id to outlet; documents with none are left alone (a folder of
    unnamed files has no outlet to repeat itself). Digits are masked (`masked`), so «تبدأ
    بالرمز (47)» and «تبدأ بالرمز (92)» are one line."""
    docs: dict[tuple[str, str], set[str]] = {}
    keys = {}
    for c in claims:
        outlet = outlets.get(c.doc_id)
        if outlet:
            keys[c.id] = (outlet, masked(c.text))
            docs.setdefault(keys[c.id], set()).add(c.doc_id)
    return {cid for cid, key in keys.items() if len(docs[key]) >= repeats}
