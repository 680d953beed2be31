"""Denials and reports in Arabic news text: who denies what, and what is said only as reported."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .attribution import speech_verbs
from .lexicon import entries, words
from .normalize import normalize

# Word lists: corroborate/data/lexicon/denials.tsv (normalised spelling). Matching runs on the
# normalised copy of the text; every span is mapped back into the original through its index.


@dataclass(frozen=True)
class Denial:
    cue: str                           # the denial words as written: «ونفى», «لا صحة», «عار عن الصحة»
    cue_span: tuple[int, int]
    span: tuple[int, int]              # what is denied: text[span[0]:span[1]] == proposition
    proposition: str
    speaker: str | None                # who denies, as written; None when the sentence does not say
    speaker_span: tuple[int, int] | None = None
    anaphoric: bool = False            # the proposition only points back («نفى ذلك»): the denied
                                       # report is in an earlier sentence
    form: str = "verb"                 # verb «نفى X», before «X لا صحة له», after «لا صحة لـX»,
                                       # relative «وهو ما نفته الوزارة» (X is the clause before)


@dataclass(frozen=True)
class Report:
    cue: str                           # the report frame as written: «ترددت أنباء عن», «ذكرت تقارير أن»
    cue_span: tuple[int, int]
    span: tuple[int, int]              # what is reported: text[span[0]:span[1]] == proposition
    proposition: str
    source: str | None                 # the unnamed source as written: «أنباء», «مواقع التواصل الاجتماعي»


_B, _E = r"(?<![^\W_])", r"(?![^\W_])"      # word bounds on the normalised text
# «أو» just before a denial verb: one of two outcomes still open («سيؤكد هذه النتيجة أو ينفيها»;
# in five SaudiNewsNet days every «أو» before a word of denial, verb or noun, is such an
# alternative: «إثبات نسب أو نفيه», «تأكيد أو نفي زيارة سليماني», 8 of 8)
_ALTERNATIVE = re.compile(rf"{_B}او\s$")
_HARD = re.compile(r"[!?؟؛;\n]|\.(?!\d)")
_MARK = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_TRIM = " \t\r\n\u00a0.,،؛;:!?؟-–—\"'«»“”()[]"


def _alt(items: Iterable[str]) -> str:
    return "|".join(re.escape(x).replace(r"\ ", " ") for x in sorted(set(items), key=len, reverse=True))


def _list(kind: str, value: str | None = None) -> tuple[str, ...]:
    return tuple(e.entry for e in entries(kind) if value is None or e.value == value)


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    verbs = {e.entry: e.value for e in entries("denial_verb")}
    phrases = _list("denial_phrase")
    speech = _alt(speech_verbs())
    ends = _alt(_list("denial_end"))
    hearsay = _alt(_list("report_noun", "hearsay"))
    nouns = _alt(_list("report_noun", "hearsay") + _list("report_noun", "medium"))
    content = _alt(_list("report_noun", "hearsay") + _list("report_noun", "told"))
    reporting = _alt(_list("report_verb", "self") + _list("report_verb", "noun") + _list("report_verb", "quote"))
    adverb = rf"(?:{_alt(_list('denial_adverb', ''))}|(?:{_alt(_list('denial_adverb', 'with_next'))}) \S+)"
    return {
        "verb": re.compile(rf"{_B}(?P<pre>[وف]?)(?P<cue>{_alt(verbs)}){_E}"),
        "phrase": re.compile(rf"{_B}[وف]?(?P<cue>{_alt(phrases)}){_E}"),
        # a clause ends before a participle or speech verb that adds the speaker's own words
        "end": re.compile(rf":|[،,]\s*(?:[وف]?(?:{ends}|(?:{speech})(?:ت|وا|ا)?){_E})|"
                          rf"\s(?:و(?:{speech})(?:ت|وا)?|{ends}){_E}"),
        "report_verb": re.compile(rf"{_B}[وف]?(?P<cue>{reporting})"
                                  rf"{_E}"),
        "noun": re.compile(rf"(?:ال|لل|بال|وال|و)?(?:{content}){_E}"),
        "noun_at": re.compile(rf"{_B}(?:ال|لل|بال|وال|و)?(?P<cue>{content}){_E}"),
        "hearsay_at": re.compile(rf"{_B}(?:ال|لل|بال|وال|و)?(?P<cue>{hearsay}){_E}"),
        # an unnamed source of a report: «أنباء», «مواقع التواصل الاجتماعي»
        "source_at": re.compile(rf"{_B}(?:ال|لل|بال|وال|و)?(?P<cue>{nouns}){_E}"),
        # «ما تردد», «ما تم تداوله», «وما ذكرته»: a report without a source, as the object
        "passive": re.compile(rf"[وف]?ما ?(?:(?:تم|يتم|هو) )?"
                              rf"(?:{_alt(_list('report_verb', 'passive') + _list('report_verb', 'self'))}){_E}"),
        "complement": re.compile(rf"(?:{_alt(_list('report_complement'))}){_E}"),
        "strip": re.compile(rf"[وف]?(?:{_alt(_list('denial_strip'))}){_E}\s?"),
        "adverb": re.compile(rf"(?:[\(]?{adverb}[\)]?){_E}[،,]?\s?"),
        "adverb_tail": re.compile(rf"(?:\s{adverb})+[\s{re.escape(_TRIM)}]*$"),
        # «في بيان لها»، «في تغريدته على تويتر»: where it was said, neither speaker nor what is denied
        "statement": re.compile(rf"في (?:ال)?(?:{_alt(_list('statement_noun'))})(?:ه|ات|ت)?(?:ه|ها|هم)?{_E}"
                                rf"(?: (?:{_alt(_list('statement_word'))}|ل\S+|(?:علي|عبر|الي) \S+){_E})*[،,]?\s?"),
        "filler": re.compile(rf"(?:[،,]?\s*{_B}(?:{_alt(_list('denial_filler'))}){_E})*[،,]?\s*$"),
        "event": re.compile(rf"[وف]?(?:{_alt(_list('denial_event'))}){_E}"),
        "negated": re.compile(rf"{_B}[وف]?(?:{_alt(_list('denial_negator'))})\s$"),
        "particle": re.compile(rf"^(?:[وف]?(?:{_alt(_list('clause_particle'))}){_E}\s?)+"),
    }


class _Text:
    """The normalised copy of a text, with line breaks kept, and the map back to the original."""

    def __init__(self, text: str) -> None:
        self.text = text
        norm, self.index = normalize(text)
        chars = list(norm)
        for i, ch in enumerate(chars):          # normalize folds line breaks into spaces
            if ch == " " and 0 < i < len(chars) - 1 and \
                    "\n" in text[self.index[i - 1] + 1:self.index[i + 1]]:
                chars[i] = "\n"
        self.w = "".join(chars)

    def span(self, a: int, b: int) -> tuple[int, int] | None:
        """The original span of normalised [a, b), trimmed of spaces and punctuation."""
        while a < b and self.w[a] in _TRIM:
            a += 1
        while b > a and self.w[b - 1] in _TRIM:
            b -= 1
        if a >= b:
            return None
        end = self.index[b - 1] + 1
        while end < len(self.text) and _MARK.match(self.text[end]):
            end += 1                     # a last letter's harakat belong to its word
        return self.index[a], end

    def original(self, a: int, b: int) -> str | None:
        s = self.span(a, b)
        return self.text[s[0]:s[1]] if s else None

    def sentence(self, pos: int) -> tuple[int, int]:
        """Normalised bounds of the sentence around `pos`."""
        start = max((m.end() for m in _HARD.finditer(self.w, 0, pos)), default=0)
        m = _HARD.search(self.w, pos)
        return start, (m.start() if m else len(self.w))


def _clause_end(t: _Text, start: int, stop: int) -> int:
    m = _patterns()["end"].search(t.w, start, stop)
    return m.start() if m else stop


def _words(s: str, base: int) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of `s` (offset by `base`); start skips opening quotes."""
    out = []
    for m in re.finditer(r"\S+", s):
        word = m.group(0).lstrip("\"'«“(")
        if word:
            out.append((base + m.end() - len(word), base + m.end(), word))
    return out


def _complement_after(t: _Text, a: int, b: int, within: int) -> int | None:
    """Where the reported content starts: after the first complement («عن», «أن», «حول») among the
    `within` words from `a`; two in a row («من أن», «مفادها أن») count as one."""
    p = _patterns()
    for n, (ws, _, _) in enumerate(_words(t.w[a:b], a)):
        if n >= within:
            break
        c = p["complement"].match(t.w, ws, b)
        if c:
            end = c.end()
            nxt = p["complement"].match(t.w, end + 1, b) if t.w[end:end + 1] == " " else None
            return nxt.end() if nxt else end
    return None


def _skip_report_frame(t: _Text, a: int, b: int) -> tuple[int, bool]:
    """If [a, b) opens with a report frame («ما تردد عن», «الأنباء التي تحدثت عن»), where what it
    reports starts (a itself when no complement follows), and whether there was a frame."""
    p = _patterns()
    m = p["passive"].match(t.w, a, b) or p["noun_at"].match(t.w, a, b)
    if not m:
        return a, False
    start = _complement_after(t, m.end(), b, 12)
    return (start if start is not None and start < b else a), True


def _strip(t: _Text, a: int, b: int) -> tuple[int, bool]:
    """Skip the frame words that open a denied proposition («صحة», «وجود أي», «ما تردد عن»);
    also say whether a report frame was among them."""
    p = _patterns()
    framed = False
    for _ in range(6):
        while a < b and t.w[a] in _TRIM:
            a += 1
        m = p["strip"].match(t.w, a, b)
        if m and m.end() < b:
            a = m.end()
            continue
        na, was = _skip_report_frame(t, a, b)
        framed = framed or was
        if na != a:
            a = na
            continue
        break
    return a, framed


def _anaphoric(t: _Text, a: int, b: int) -> bool:
    """Whether [a, b) only points back: pointers («ذلك», «الأمر»), report nouns and frames
    («هذه الاتهامات», «ما تردد في هذا الشأن») and nothing of their content."""
    toks = [re.sub(r"^(?:ال|لل|و|ل)", "", w) for w in re.findall(r"[^\W\d_]+", t.w[a:b])]
    bare = {re.sub(r"^(?:ال|و|ل)", "", x) for x in words("denial_anaphor") | set(_list("report_noun"))
            | set(_list("report_verb", "passive")) | set(_list("report_verb", "self"))}
    glue = {"ما", "تم", "يتم", "في", "عن", "حول", "من", "بشان"}
    return len(toks) <= 6 and all(w in bare or w in glue for w in toks)


def _speaker_after(t: _Text, a: int, b: int) -> tuple[tuple[int, int] | None, int]:
    """The one who denies, named right after the verb: (normalised span or None, where it ends)."""
    p = _patterns()
    stop_words = words("speaker_stop")
    got: list[tuple[int, int]] = []
    skip = re.match(r"\s*(?:فيه|فيها)(?![^\W_])", t.w[a:b])   # «في الوقت الذي نفت فيه الجامعة …»
    a = a + skip.end() if skip else a
    for ws, we, word in _words(t.w[a:b], a):
        bare = word.strip(_TRIM)
        written = (t.original(ws, we) or "").strip(_TRIM)
        if (not bare or bare in stop_words or p["adverb"].match(t.w, ws, b)
                or p["strip"].match(t.w, ws, b) or p["passive"].match(t.w, ws, b) or p["noun_at"].match(t.w, ws, b)
                or p["statement"].match(t.w, ws, b) or bare in words("denial_anaphor")
                or p["event"].match(t.w, ws, b)
                # a noun with a pronoun suffix starts what is denied («نفى الزميل علاقته بالخبر»);
                # read on the original spelling, where ة is not the suffix ه
                or (re.search(r"(?:ه|ها|هم|هما)$", written) and not bare.startswith(("ال", "و")) and len(bare) >= 4)
                or re.match(r"ل[\"«“]", word)      # «لـ"الرياض"»: the outlet spoken to
                or len(got) >= 14):
            break
        got.append((ws, we))
        if word.endswith(("،", ",", ":")):
            break
    if not got:
        return None, a
    return (got[0][0], got[-1][1]), got[-1][1]


def _apposition(t: _Text, spk: tuple[int, int] | None, after: int, stop: int) -> int:
    """«نفى بلحسن الوسلاتي، المتحدث باسم وزارة الدفاع، خبر …»: a description of the speaker
    between commas belongs to the speaker; returns where it ends (`after` when there is none)."""
    if spk is None or not t.w[spk[0]:after].rstrip().endswith(("،", ",")):
        return after
    p = _patterns()
    seg = _words(t.w[after:stop], after)
    for n, (ws, we, word) in enumerate(seg[:9]):
        if (n == 0 and word.strip(_TRIM) in words("speaker_stop")) or p["adverb"].match(t.w, ws, stop) \
                or p["statement"].match(t.w, ws, stop) or p["strip"].match(t.w, ws, stop) \
                or p["passive"].match(t.w, ws, stop) or p["noun_at"].match(t.w, ws, stop):
            return after
        if word.endswith(("،", ",")):
            return we - 1 if n else after
    return after


def _gap(t: _Text, a: int, stop: int) -> tuple[int, bool]:
    """Where what is denied opens when words come before it: an affiliation of the speaker
    («ونفى مصدر في الدفاع المدني أن يكون …»), a relative clause («ونفى فابيوس، الذي اعتبر …، أن
    ينعكس …») or a place («على حسابه في تويتر ما تم تداوله …»). Returns (that place, whether the
    words before it belong to the speaker); (a, False) when no frame word comes soon enough."""
    p = _patterns()
    gap = _words(t.w[a:stop], a)
    if not gap:
        return a, False
    first = gap[0][2].strip(_TRIM)
    if first in ("الذي", "التي", "الذين"):
        within, own = 20, False
    elif first in ("في", "من", "لدي", "داخل"):
        within, own = 5, True
    elif first in ("علي", "عبر", "خلال", "امام", "اثناء"):
        within, own = 8, False
    else:
        return a, False
    for n, (ws, _, word) in enumerate(gap):
        if n >= within or (own and n and (word.endswith(("،", ",")) or p["adverb"].match(t.w, ws, stop)
                                          or p["statement"].match(t.w, ws, stop))):
            return a, False
        if n and (p["strip"].match(t.w, ws, stop) or p["passive"].match(t.w, ws, stop)
                  or p["noun_at"].match(t.w, ws, stop) or word in ("هذه", "هذا", "ذلك", "تلك")):
            return ws, own
    return a, False


def _object_start(t: _Text, a: int, b: int) -> int:
    """Skip adverbs and «في بيان له» between the one who denies and what is denied."""
    p = _patterns()
    for _ in range(8):
        while a < b and t.w[a] in " ،,":
            a += 1
        m = p["adverb"].match(t.w, a, b) or p["statement"].match(t.w, a, b)
        if not m or m.end() == a:
            break
        a = m.end()
    return a


def _pre_speaker(t: _Text, clause_start: int, cue_start: int) -> tuple[tuple[int, int] | None, bool]:
    """Words before the verb in its clause («لكن إدريس نفى»): (span or None, verb-first)."""
    p = _patterns()
    pre = t.w[clause_start:cue_start]
    m = p["particle"].match(pre.strip())
    lead = len(pre) - len(pre.lstrip()) + (m.end() if m else 0)
    got = _words(t.w[clause_start + lead:cue_start], clause_start + lead)
    got = [w for w in got if re.search(r"[^\W\d_]", w[2])]      # «* نفى المسؤولون»
    single = {x for x in _list("clause_particle") if " " not in x}
    cut = [i for i, w in enumerate(got) if w[2] in single or w[2][1:] in single and w[2][0] in "وف"]
    got = got[cut[-1] + 1:] if cut else got                    # «وزاد الطين بلة حين نفى»
    while got and got[-1][2] in ("قد", "لقد", "فقد", "كان", "كانت", "كانوا", "دائما", "ايضا"):
        got.pop()                       # «وكان البنك … قد نفى», «لكن الحركة كانت دائما تنفي»
    if not got:
        return None, True
    names = [w for _, _, w in got]
    if names[-1] in ("علي", "في", "الي", "عن", "من", "بعد", "قبل"):
        return None, False              # «عمل مستشارو أوباما على دحض …»: a noun, not a verb
    for rel in ("الذي", "التي", "الذين"):
        if names[-1] == rel:            # «لبلاتر الذي ينفي»: the noun before the relative
            return ((got[-2][0], got[-2][1]) if len(got) >= 2 else None), False
    if len(got) > 6 or any(re.search(r"\d", w) for w in names) or \
            names[0] in ("من", "في", "علي", "الي", "عن", "مع", "بعد", "قبل"):
        return None, True               # a sentence deep in, a time stamp, or «من جهة ثانية نفى»
    if names[0] in words("pronoun_subject") or names[0][1:] in words("pronoun_subject") \
            or names[-1] in ("ما", "وهو", "وهي", "هو", "هي"):
        return None, False
    return (got[0][0], got[-1][1]), False


def _clause_start(t: _Text, sent_start: int, pos: int) -> int:
    last = sent_start
    for m in re.finditer(rf"[،,:«\"(]|{_B}[وف]?(?:ان|بان|الي ان){_E}", t.w[sent_start:pos]):
        last = sent_start + m.end()
    return last


def _make(t: _Text, cue: tuple[int, int], prop: tuple[int, int], speaker: tuple[int, int] | None,
          form: str, points_back: bool = False) -> Denial | None:
    p = _patterns()
    tail = p["adverb_tail"].search(t.w, *prop)     # «نفى ذلك باستمرار»
    if tail and tail.start() > prop[0]:
        prop = (prop[0], tail.start())
    for said in re.finditer(r"\s(?=في )", t.w[prop[0]:prop[1]]):   # «نفى ذلك في تصريحات لإذاعة فرنسا»
        at = prop[0] + said.end()
        if p["statement"].match(t.w, at, prop[1]) and len(t.w[at:prop[1]].split()) <= 6:
            prop = (prop[0], prop[0] + said.start())
            break
    comma = re.search(r"\s*[،,]", t.w[prop[0]:prop[1]])
    if comma and comma.start() and _anaphoric(t, prop[0], prop[0] + comma.start()):
        # «نفى الحزب هذه الأنباء، فيما أعلن قادة …»: a pointer, then another clause
        prop = (prop[0], prop[0] + comma.start())
    span = t.span(*prop)
    cs = t.span(*cue)
    if cs is None:
        return None
    sp = t.span(*speaker) if speaker else None
    if span is None:           # nothing left: the sentence denies what an earlier one said
        return Denial(t.text[cs[0]:cs[1]], cs, (cs[1], cs[1]), "", t.text[sp[0]:sp[1]] if sp else None,
                      sp, True, form)
    return Denial(t.text[cs[0]:cs[1]], cs, span, t.text[span[0]:span[1]],
                  t.text[sp[0]:sp[1]] if sp else None, sp,
                  points_back or _anaphoric(t, *prop), form)


def _is_question(t: _Text, sent: tuple[int, int]) -> bool:
    s = t.w[sent[0]:sent[1] + 1]
    return s.rstrip().endswith(("؟", "?")) or bool(re.match(r"\s*[وف]?هل ", s))


def _verb_denials(t: _Text) -> list[Denial]:
    p = _patterns()
    kinds = {e.entry: e.value for e in entries("denial_verb")}
    out = []
    for m in p["verb"].finditer(t.w):
        kind = kinds[m.group("cue")]
        cs, ce = m.span()
        written = t.original(cs, ce) or ""
        if kind == "past_alif" and not written.endswith("ى"):
            continue                     # «نفي» with ي is the noun: «لمجرد نفي الشائعات»
        neg = p["negated"].search(t.w, max(0, cs - 16), cs)
        if neg and (kind != "relative" or neg.group(0).strip().lstrip("وف") != "ما"):
            continue                     # «وهذا لا ينفي أن …», «ولا تنفيه» deny nothing
        if _ALTERNATIVE.search(t.w, max(0, cs - 4), cs):
            continue                     # «سيؤكد هذه النتيجة أو ينفيها»: confirm or deny, an open question
        sent = t.sentence(cs)
        if _is_question(t, sent):
            continue
        stop = _clause_end(t, ce, sent[1])
        if kind == "relative":
            spk, _ = _speaker_after(t, ce, stop)
            # «وهو ما نفته», «الأمر الذي نفاه», «وهي اتهامات تنفيها طهران»
            rel = re.search(r"(?:[،,]\s*)?(?:(?:وهو|وهي|وهذا|هو|هي|وذلك)\s(?:\S+\s)?(?:(?:ما|الذي|التي)\s)?"
                            r"|(?:\S+\s)?(?:ما|الذي|التي)\s)$", t.w[sent[0]:cs])
            if rel:              # «…، وهو ما نفته الوزارة»: what is denied is the clause before
                a = _prop_start(t, sent[0], sent[0] + rel.start(), new_clause=False)
                d = _make(t, (cs, ce), (a, sent[0] + rel.start()), spk, "relative")
            elif re.search(r"[،,]\s*$", t.w[sent[0]:cs]) and t.w[sent[0]:cs].strip(" ،,"):
                # «غير أن توقعات … بأنها ستكون آخر معاركه، ينفيها العايد»: the object comes first
                end = sent[0] + len(t.w[sent[0]:cs].rstrip(" ،,"))
                a = _prop_start(t, sent[0], end, new_clause=False)
                a, _ = _strip(t, a, end)
                d = _make(t, (cs, ce), (a, end), spk, "relative")
            else:                # «ونفاه المتحدث»: it points back to an earlier sentence
                d = _make(t, (cs, ce), (ce, ce), spk, "verb")
        else:
            clause = _clause_start(t, sent[0], cs)
            pre, verb_first = _pre_speaker(t, clause, cs) if not m.group("pre") else (None, True)
            if kind == "participle":     # «…، نافياً أن …»: the speaker of the sentence denies
                spk, after = _speaker_of_sentence(t, sent[0], cs), ce
            elif verb_first and pre is None:
                spk, after = _speaker_after(t, ce, stop)
                end = _apposition(t, spk, after, stop)
                if spk and end != after:
                    spk, after = (spk[0], end), end + 1
            else:
                spk, after = pre, ce
            a = _object_start(t, after, stop)
            a2, own = _gap(t, a, stop)
            if own and spk and not t.w[after:a].strip() and after != ce:
                spk = (spk[0], a2)       # «مصدر في الدفاع المدني»
            a, framed = _strip(t, _object_start(t, a2, stop), stop)
            if kind == "report_object" and not framed:
                continue                 # «كذب على أهله» is lying, not denying a report
            d = _make(t, (cs, ce), (a, stop), spk, "verb")
        if d:
            out.append(d)
    return out


def _phrase_denials(t: _Text) -> list[Denial]:
    p = _patterns()
    kinds = {e.entry: e.value for e in entries("denial_phrase")}
    out = []
    for m in p["phrase"].finditer(t.w):
        kind = kinds[m.group("cue")]
        cs, ce = m.span("cue")
        sent = t.sentence(cs)
        if _is_question(t, sent) or p["negated"].search(t.w, max(0, m.start() - 16), m.start()):
            continue
        stop = _clause_end(t, ce, sent[1])
        rest = t.w[ce:stop].lstrip()
        follows = ce + (len(t.w[ce:stop]) - len(rest))
        if m.group("cue").startswith("لا اساس") and rest.startswith("من "):
            continue             # «لا أساس لها من الشرع»: «من الصحة» would have matched the longer entry
        pointed = False          # «لا صحة لذلك»: the phrase itself points back
        if kind == "either":
            ana = re.match(r"(?:له|لها|لهم|لهذا|لهذه|لذلك|لتلك|فيه|فيها)" + _E, rest)
            if ana:
                kind, ce, pointed = "before", follows + ana.end(), True
            elif (rest.startswith("ل") and not rest.startswith(("لكن", "لا ", "لاصح"))) or p["complement"].match(rest):
                kind = "after"   # «لا صحة لما تردد عن X», «معلومات مغلوطة عن أن X»
            elif m.group("cue").startswith("لا صحه"):
                continue         # «فلا مال ولا صحة»: health, not truth
            else:
                kind = "before"
        if kind == "after":
            a = follows
            c = p["complement"].match(t.w, a, stop)
            if c:
                a = c.end()
            elif t.w.startswith("ل", a) and not p["noun"].match(t.w, a):
                a += 1                   # «لا صحة لـX», «لما تردد»: drop the preposition
            a, _ = _strip(t, a, stop)
            speaker = _speaker_of_sentence(t, sent[0], cs)
            d = _make(t, (cs, ce), (a, stop), speaker, "after")
        else:
            b = m.start()
            back = t.w[sent[0]:b]
            # «أن الحديث عن X، أمر عار عن الصحة»: fillers between X and the phrase
            filler = p["filler"].search(back)
            b = sent[0] + filler.start() if filler else b
            a = _prop_start(t, sent[0], b)
            # «… أن والده مخالط للإبل وهذا الأمر غير صحيح»: the pointer repeats what came before
            ana = re.search(r"(?:[،,]\s*|\s)(?<!في )(?<!عن )(?<!حول )(?<!من )[وف]?(?:هذا|هذه|ذلك|تلك|هو|هي)(?: \S+)?\s*$",
                            t.w[a:b])
            if ana and ana.start() > 0 and len(t.w[a:a + ana.start()].split()) >= 2:
                b = a + ana.start()
            attributive = not _predicative(t, a, b)
            if attributive and pointed and not t.w[a:b].strip():
                d = _make(t, (cs, ce), (ce, ce), _speaker_of_sentence(t, sent[0], cs), "before", True)
                if d:
                    out.append(d)
                continue
            if attributive and m.group("cue") in _list("denial_phrase", "either"):
                continue         # «نشر أخبار كاذبة»: false news in general, nothing denied
            if kind == "predicate" and (attributive or not re.match(
                    r"[\s\"'»”)]*(?:[،,.:؛]|و|تماما|اطلاقا|ابدا|كليا|علي الاطلاق|جمله|بالمره|$)", t.w[ce:stop])):
                continue         # «وضعية غير صحيحة» is no denial
            after = re.match(r"\s*(?:[وف]?(?:بان|ان|عن|حول)\s|ب(?!ل\s|عد\s))", t.w[ce:stop])
            if attributive and after and t.w[ce + after.end():stop].strip():
                # «تأكيدات لا أساس لها بانتهاك قواتنا لحقوق الإنسان»: what is said follows
                a, _ = _strip(t, ce + after.end(), stop)
                d = _make(t, (cs, ce), (a, stop), _speaker_of_sentence(t, sent[0], cs), "after")
                if d:
                    out.append(d)
                continue
            if attributive:      # «بأمور لا صحة لها»: it qualifies a noun, which is all we know
                last = _words(t.w[a:b], a)
                a = last[-1][0] if last else a
            a, _ = _strip(t, a, b)
            speaker = _speaker_of_sentence(t, sent[0], a)
            d = _make(t, (cs, ce), (a, b), speaker, "before", attributive)
        if d:
            out.append(d)
    return out


def _prop_start(t: _Text, sent_start: int, b: int, *, new_clause: bool = True) -> int:
    """Where a proposition that ends at `b` starts: after a that-clause opener or a colon, or
    (`new_clause`) at a clause opened by «، و»."""
    seg = t.w[sent_start:b]
    cands = [sent_start]
    pattern = rf"{_B}و?(?:ان|بان|انه|انها|بانه|بانها|الي ان|من ان){_E}\s?|{_B}[وف]?اما{_E}\s?|[:«\"]\s?"
    for m in re.finditer(pattern + (r"|[،,]\s*(?=[وف])" if new_clause else ""), seg):
        cands.append(sent_start + m.end())
    return max(cands)


def _predicative(t: _Text, a: int, b: int) -> bool:
    """Whether [a, b) is the subject a phrase is said of («أن ما تردد … غير صحيح», «هذا غير
    صحيح»), not a noun it qualifies («وضعية غير صحيحة», «بأمور لا صحة لها»)."""
    ws = [w.strip(_TRIM) for w in t.w[a:b].split()]
    ws = [w for w in ws if w]
    if not ws:
        return False
    p = _patterns()
    last = ws[-1]
    return (last.startswith(("ال", "وال", "لل", "بال", "#")) or _anaphoric(t, a, b) or bool(p["passive"].match(t.w, a))
            or last in words("pronoun_subject") or last in words("denial_anaphor")
            or bool(p["noun_at"].match(t.w, a)))


def _speaker_of_sentence(t: _Text, sent_start: int, before: int) -> tuple[int, int] | None:
    """Who speaks in the sentence before `before`: the named subject of a speech verb."""
    speech = _alt(speech_verbs())
    m = None
    for m in re.finditer(rf"{_B}[وف]?(?:{speech})(?:ت|وا)?{_E}", t.w[sent_start:before]):
        pass
    if m is None:
        return None
    vs, ve = sent_start + m.start(), sent_start + m.end()
    pre, _ = _pre_speaker(t, _clause_start(t, sent_start, vs), vs)
    if pre:
        return pre
    # «أوضح لـ«الرياض» المتحدث …»: a «لـ» outlet comes before the speaker
    skip = re.match(r"\s*ل\S*(?:\s\S+?»)?\s*", t.w[ve:before])
    spk, _ = _speaker_after(t, ve + (skip.end() if skip and skip.group(0).strip() else 0), before)
    return spk


def denials(text: str) -> list[Denial]:
    """Every denial in `text`, in text order (see `denial`)."""
    if not text or not text.strip():
        return []
    t = _Text(text)
    found = _verb_denials(t) + _phrase_denials(t)
    found.sort(key=lambda d: d.cue_span)
    out: list[Denial] = []
    for d in found:     # «نفت نفياً قاطعاً أن …»: one denial, not two
        if out and out[-1].cue_span[0] <= d.cue_span[0] < max(out[-1].span[1], out[-1].cue_span[1]):
            continue
        out.append(d)
    return out


@functools.lru_cache(maxsize=65536)
def denial(text: str) -> Denial | None:
    """The first denial in `text`: the cue, what is denied (a span into `text`) and who denies.

    Verb frames («ونفى مصدر أن يكون الانفجار قد نجم عن تسرب غاز»: denied «الانفجار قد نجم عن تسرب
    غاز», by «مصدر»), phrases after what they deny («ما تردد عن X لا صحة له», «عار عن الصحة»,
    «غير صحيح» as a predicate) and before it («لا صحة لما تردد عن X»). Report frames at the start
    of the proposition («ما تردد عن», «صحة الأنباء التي تحدثت عن») are left out of it. A plain
    negation («لم تقع إصابات»), a negated denial verb («لا ينفي») and a question deny nothing.
    Cached: the denials stage and the conflict stage (`cues.life_state`) both read every claim.
    """
    found = denials(text)
    return found[0] if found else None


def _agency(t: _Text, at: int) -> bool:
    """«وكالة الأنباء السعودية», «وكالة تسنيم للأنباء», «البوابة العربية للأخبار»: a named
    agency or outlet, not news without a source."""
    return t.w.startswith("لل", at) or bool(re.search(r"وكال(?:ه|ات) $", t.w[max(0, at - 8):at]))


def reports(text: str) -> list[Report]:
    """Every passage of `text` that asserts something only as reported, outside a denial."""
    if not text or not text.strip():
        return []
    t = _Text(text)
    p = _patterns()
    kinds = {e.entry: e.value for e in entries("report_verb")}
    denied = [(min(d.cue_span[0], d.span[0]), max(d.cue_span[1], d.span[1])) for d in denials(text)]
    out: list[Report] = []
    cues = [(m.start("cue"), m.end("cue"), "verb", kinds.get(m.group("cue")))
            for m in p["report_verb"].finditer(t.w)]
    # a hearsay noun is a frame of its own («أنباء عن X»), but not in an agency's name («وكالة الأنباء»)
    cues += [(m.start(), m.end(), "noun", None) for m in p["hearsay_at"].finditer(t.w)
             if not _agency(t, m.start())]
    taken = 0
    for cs, ce, how, kind in sorted(cues):
        if cs < taken:
            continue
        sent = t.sentence(cs)
        if _is_question(t, sent):
            continue
        stop = _clause_end(t, ce, sent[1])
        source: tuple[int, int] | None = None
        after = ce
        if how == "verb":
            if p["negated"].search(t.w, max(0, cs - 16), cs):
                continue
            nm = None
            for ws, we, _ in _words(t.w[ce:stop], ce)[:4]:
                nm = p["source_at"].match(t.w, ws, stop)
                if nm and _agency(t, ws):
                    nm = None
                if nm:
                    break
            if nm:
                source, after = nm.span("cue"), nm.end()
            elif kind != "self":
                continue                 # «ذكرت الوزارة أن …» is a named statement, not a rumour
        else:
            source = (cs, ce)
        if kind == "quote":              # «نقلت وسائل إعلام عن فلان أن X»
            that = re.search(rf"{_B}(?:ان|انه|انها|بان|قوله)(?:{_E})", t.w[after:stop])
            start = after + that.end() if that else None
        else:                            # «أنباء عن X», «تقارير إخبارية تفيد بأن X»
            start = _complement_after(t, after, stop, 3 if how == "noun" else 5)
        if start is None:
            if kind == "self" and source is not None:
                start = after            # «تداولت مواقع التواصل مقطعاً يظهر …»
            else:
                continue
        span, cspan = t.span(start, stop), t.span(cs, start)
        if span is None or cspan is None or len(t.w[start:stop].split()) < 2 or \
                any(a < span[1] and cspan[0] < b for a, b in denied):
            continue             # what a denial denies is not reported by the sentence
        src = t.span(*source) if source else None
        out.append(Report(t.text[cspan[0]:cspan[1]], cspan, span, t.text[span[0]:span[1]],
                          t.text[src[0]:src[1]] if src else None))
        taken = stop
    return out


def report_of(text: str) -> Report | None:
    """The first thing `text` asserts as reported («ترددت أنباء عن X», «ذكرت تقارير أن X»,
    «تداولت مواقع التواصل … X»): the frame, X as a span into `text`, and the unnamed source.
    What a denial denies («نفى ما تردد عن X») is not a report of it: None there."""
    found = reports(text)
    return found[0] if found else None
