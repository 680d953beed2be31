"""Lexical conflict evidence between two claims: negation, antonyms, numbers, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

try:  # the shared normaliser, once it lands; the fallback does the same minimal folding
    from corroborate.normalize import normalize_text as _shared_normalize
except ImportError:  # pragma: no cover - depends on what else is in the tree
    _shared_normalize = None

_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                       **{chr(0x660 + i): str(i) for i in range(10)},
                       **{chr(0x6F0 + i): str(i) for i in range(10)},
                       "٫": ".", "٬": ","})


def normalize(text: str) -> str:
    """Fold Arabic spelling variants (alef forms, ta marbuta, diacritics, tatweel, digits)."""
    if _shared_normalize is not None:
        text = _shared_normalize(text)
    return _DIACRITICS.sub("", text).translate(_FOLD).lower()


def tokens(text: str) -> list[str]:
    """Normalised word and number tokens of `text`."""
    return re.findall(r"\d+(?:[.,]\d+)*|[^\W\d_]+", normalize(text))


# Light stemming: news Arabic glues conjunctions, prepositions and the article onto words and
# inflects verbs with prefixes/suffixes; we strip them rather than list every form.
_PROCLITICS = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك", "س")
_VERB_PREFIXES = ("ي", "ت", "ن", "ا")
_SUFFIXES = ("ونها", "تها", "تهم", "هما", "وها", "ون", "ين", "ان", "ات", "وا", "تا", "ها",
             "هم", "هن", "كم", "نا", "ه", "ت", "ي", "ا")


def stems(token: str) -> set[str]:
    """All plausible stems of one normalised token (the token itself included)."""
    out = {token}
    bases = {token}
    for p in _PROCLITICS:
        if token.startswith(p) and len(token) - len(p) >= 2:
            bases.add(token[len(p):])
    for b in list(bases):
        for p in _VERB_PREFIXES:
            if b.startswith(p) and len(b) - 1 >= 3:
                bases.add(b[1:])
    for b in bases:
        out.add(b)
        for s in _SUFFIXES:
            if b.endswith(s) and len(b) - len(s) >= 2:
                out.add(b[: -len(s)])
    return out


@dataclass(frozen=True)
class Cue:
    kind: str            # "negation", "antonym", "outcome", "number", "date", "contrast"
    detail: str          # what fired, e.g. "نجح vs فشل" or "12 vs 15 (قتيل)"
    weight: float        # how strongly it signals a conflict, 0-1


# Written in normalised spelling (ه for ة, ي for ى, ا for أ/إ/آ).
_NEGATORS = {"لم": 1.0, "لن": 1.0, "ليس": 1.0, "ليست": 1.0, "لا": 0.8, "غير": 0.6, "ما": 0.3,
             "عدم": 0.8, "دون": 0.5, "بدون": 0.6, "نفي": 0.8, "ينفي": 0.8, "نفت": 0.8, "تنفي": 0.8,
             "رفض": 0.6, "يرفض": 0.6, "رفضت": 0.6, "ترفض": 0.6, "not": 1.0, "no": 0.8,
             "never": 1.0, "didn't": 1.0, "don't": 1.0, "isn't": 1.0}

# Each pair: forms of one side | forms of the other, as stems after stems() stripping.
_ANTONYMS = [
    ("نجح نجاح", "فشل اخفق اخفاق"),
    ("وافق موافق موافقه قبول ايد تاييد", "رفض عارض معارضه"),
    ("اوقف ايقاف توقف وقف علق تعليق", "استمر ستمر استمرار تواصل واصل مواصله استانف استئناف"),
    ("علني علنا علنيه", "سري سرا سريه"),
    ("ارتفع ارتفاع صعد صعود زاد زياده قفز", "انخفض انخفاض هبط هبوط تراجع تدهور نقص"),
    ("فاز فوز ربح انتصر انتصار", "خسر خساره هزم هزيمه"),
    ("اكد تاكيد يؤكد اكدت", "نفي نفت ينفي"),
    ("انسحب انسحاب", "بقي بقاء ظل"),
    ("سمح سماح اجاز", "منع حظر"),
    ("اعلي اكبر اقصي", "ادني اصغر اقل"),
    ("فتح افتتح", "اغلق اغلاق"),
    ("افرج افراج اطلق", "اعتقل اعتقال احتجز"),
    ("نجا", "قتل مقتل"),
    ("حرب تصعيد مواجهات", "هدوء تهدئه هدنه سلام"),
    ("احيا", "الغي الغاء"),
    ("increase rise rose won accept", "decrease fall fell lost reject"),
]
ANTONYM_SIDES = [(set(a.split()), set(b.split())) for a, b in _ANTONYMS]

_UNITS = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3,
    "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7,
    "ثماني": 8, "ثمانيه": 8, "ثمان": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "مئه": 100, "مائه": 100, "مئتين": 200, "مئتان": 200, "الف": 1000,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twenty": 20, "hundred": 100, "thousand": 1000,
}
_SCALES = {"الف": 1000, "الاف": 1000, "مليون": 10**6, "ملايين": 10**6, "مليار": 10**9,
           "مليارات": 10**9, "thousand": 1000, "million": 10**6, "billion": 10**9}
_MONTHS = {m: i for i, ms in enumerate([
    "يناير كانون_الثاني january", "فبراير شباط february", "مارس اذار march", "ابريل نيسان april",
    "مايو ايار may", "يونيو حزيران june", "يوليو تموز july", "اغسطس اب august",
    "سبتمبر ايلول september", "اكتوبر تشرين_الاول october", "نوفمبر تشرين_الثاني november",
    "ديسمبر كانون_الاول december"], 1) for m in ms.split() if "_" not in m}
_WEEKDAYS = {d: i for i, d in enumerate("الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت".split())}
# Words too common near numbers to show that two numbers count the same thing.
_STOP = set("من في علي الي عن مع او و ما بين بعد قبل خلال نحو حوالي اكثر اقل عام سنه منذ حتي "
            "the of in on to a an and at by for from about over than".split())


def _is_negator(tok: str) -> float:
    if tok in _NEGATORS:
        return _NEGATORS[tok]
    for p in ("و", "ف", "ب", "ل"):
        # «ولم», «فلا», «بدون»; not «لما» ("when"), which is ل + ما
        if tok.startswith(p) and tok[len(p):] in _NEGATORS and tok[len(p):] != "ما":
            return _NEGATORS[tok[len(p):]]
    return 0.0


# «طائرة (بـ)دون طيار» is the ordinary word for a drone, and «لا سيما» means "especially":
# the negator inside a fixed phrase negates nothing.
_FIXED_PHRASES = {("دون", "طيار"), ("بدون", "طيار"), ("لا", "سيما"), ("ولا", "سيما"),
                  ("ما", "زال"), ("ما", "يزال"), ("لا", "يزال"), ("لا", "تزال"), ("ما", "تزال")}


# «الحيلولة دون اتساع الصراع», «يحول دون»: "to prevent", which is no negation of the claim.
_PREVENT = {"الحيلوله", "للحيلوله", "والحيلوله", "حيلوله", "يحول", "تحول", "حال", "حالت", "يحولان",
            "تحولان", "يحولون", "ليحول", "لتحول"}


def _negates(toks: list[str], n: int) -> float:
    if tuple(toks[n:n + 2]) in _FIXED_PHRASES:
        return 0.0
    if toks[n] in ("دون", "بدون") and n and toks[n - 1] in _PREVENT:
        return 0.0
    return _is_negator(toks[n])


def negation_score(toks: list[str]) -> float:
    """Largest negator weight in a token list (0 = no negation)."""
    return max((_negates(toks, n) for n in range(len(toks))), default=0.0)


def _stem_sets(toks: list[str]) -> set[str]:
    return set().union(*(stems(t) for t in toks)) if toks else set()


def _value(tok: str) -> float | None:
    if re.fullmatch(r"\d+(?:[.,]\d+)*", tok):
        # "1,500" is a thousands separator; "2.5" a decimal point
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", tok):
            return float(tok.replace(",", ""))
        try:
            return float(tok.replace(",", "."))
        except ValueError:
            return None
    # the longest number word wins: «بخمسين» is 50 (خمسين), not 5 (خمس); stems() is a set, so
    # taking the first match made the value depend on the process's hash seed
    found = [s for s in stems(tok) if s in _UNITS]
    return float(_UNITS[max(found, key=lambda s: (len(s), s))]) if found else None


def quantities(toks: list[str]) -> list[tuple[float, frozenset[str]]]:
    """(value, context stems) for each non-year number; context is the words around it."""
    out = []
    for i, t in enumerate(toks):
        v = _value(t)
        if v is None or _is_year(t):
            continue
        if i + 1 < len(toks) and toks[i + 1] in _SCALES:
            v *= _SCALES[toks[i + 1]]
        window = [w for w in toks[max(0, i - 2): i] + toks[i + 1: i + 4]
                  if w not in _STOP and _value(w) is None and w not in _SCALES and len(w) > 1]
        out.append((v, frozenset(_stem_sets(window))))
    return out


def _is_year(tok: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", tok))


def _dates(toks: list[str]) -> dict[str, set]:
    return {"year": {t for t in toks if _is_year(t)},
            "month": {_MONTHS[s] for t in toks for s in stems(t) if s in _MONTHS},
            "weekday": {_WEEKDAYS[s] for t in toks for s in stems(t) if s in _WEEKDAYS}}


def conflict_cues(a: str, b: str) -> list[Cue]:
    """Lexical signs that claims `a` and `b` contradict each other, strongest first."""
    ta, tb = tokens(a), tokens(b)
    cues: list[Cue] = []
    na, nb = negation_score(ta), negation_score(tb)
    if (na > 0) != (nb > 0):
        side = "a" if na > 0 else "b"
        toks = ta if na > 0 else tb
        word = next(t for n, t in enumerate(toks) if _negates(toks, n))
        cues.append(Cue("negation", f"{word} only in {side}", max(na, nb)))
    sa, sb = _stem_sets(ta), _stem_sets(tb)
    for left, right in ANTONYM_SIDES:
        la, ra, lb, rb = sa & left, sa & right, sb & left, sb & right
        # a word on one side only in a and its opposite only in b: "نجح" in a, "فشل" in b
        if la and rb and not (ra or lb):
            cues.append(Cue("antonym", f"{min(la)} vs {min(rb)}", 0.8))
        elif ra and lb and not (la or rb):
            cues.append(Cue("antonym", f"{min(ra)} vs {min(lb)}", 0.8))
    qa, qb = quantities(ta), quantities(tb)
    values_a, values_b = {v for v, _ in qa}, {v for v, _ in qb}
    seen = set()
    for va, ca in qa:
        for vb, cb in qb:
            shared = ca & cb
            # "three soldiers" vs "3 US soldiers" is the same number: only values the other side
            # never mentions count, and only when both count the same noun
            if shared and va != vb and va not in values_b and vb not in values_a and (va, vb) not in seen:
                seen.add((va, vb))
                noun = max(shared, key=len)
                cues.append(Cue("number", f"{va:g} vs {vb:g} ({noun})", 0.7))
    pa, wa = outcome_polarity(a)
    pb, wb = outcome_polarity(b)
    if pa and pb and pa != pb:
        cues.append(Cue("outcome", f"{wa} vs {wb}", 0.75))
    da, db = _dates(ta), _dates(tb)
    for kind in ("year", "month", "weekday"):
        if da[kind] and db[kind] and not (da[kind] & db[kind]):
            cues.append(Cue("date", f"{kind} {sorted(da[kind])[0]} vs {sorted(db[kind])[0]}", 0.5))
    return sorted(cues, key=lambda c: -c.weight)


# One axis carries most contradictions in conflict news: did the effort work, did the fighting
# stop, did the parties comply -- or did it fail, go on, get refused. Sides are stems after
# stems() stripping; a negator just before a word moves it to the other side
# («غير ناجحة», «لم تتوقف», «رفض الالتزام»).
_OUTCOME_POSITIVE = set("""نجح نجاح ناجح اثمر توقف اوقف ايقاف وقف علق تعليق هدن هدنه تهدئ تهدئه
التزم التزام امتثل امتثال انصاع انصياع استجاب استجابه وافق موافق موافقه""".split())
_OUTCOME_NEGATIVE = set("""فشل اخفق اخفاق تعثر استمر ستمر استمرار واصل مواصل مواصله استانف استئناف
رفض خالف مخالف مخالفه تمرد""".split())
_VIOLENCE = {"هجمات", "هجوم", "هجماتها", "تصعيد", "عنف", "استهداف", "اعتداءات", "ضربات", "عمليات"}
_GOING_ON = {"استمر", "ستمر", "استمرار", "واصل", "مواصل", "مواصله"}
_CALM = {"هدنه", "هدوء", "تهدئه"}   # «يستمر الهدوء»: what goes on is the calm, an outcome that held
_NOT_OUTCOME = {"للتعليق", "التعليق", "تعليق", "بالتعليق"}   # "comment" unless attacks follow
_NEGATORS_NEAR = {"لم", "لن", "لا", "ليس", "ليست", "غير", "عدم", "دون", "بدون"}
_REFUSALS = {"رفض", "رفضت", "رفضوا", "يرفض", "ترفض", "يرفضون"}   # scope over the clause they open
_CONDITIONALS = {"اذا", "لو", "لولا", "طالما"}   # not «إن»: folded it is «أن», "that"
# A demand or an order is not its outcome: «يجب على الجميع الالتزام», «بضرورة ... عدم التمرد»
# report what was asked, and asking and refusing can both be true.
_DEMANDS = set("""ضروره يجب ينبغي طالب طالبت يطالب تطالب طالبوا مطالبه دعا دعت يدعو تدعو دعوا
حث حثت يحث تحث طلب طلبت يطلب تطلب""".split())
# «نجاح محمد علي» is a man (an analyst often quoted on Iran), not a success: an outcome word
# that is also a given name, followed by a common given name, is read as a name.
_NAME_OUTCOMES = {"نجاح", "وفاق", "امتثال"}
_GIVEN_NAMES = set("""محمد احمد علي حسن حسين محمود مصطفي ابراهيم خالد عمر جاسم كاظم جعفر صالح سعيد
يوسف فاضل كريم رضا هادي مهدي عباس ناصر عبد عبدالله عبدالرحمن سليمان طارق زياد فؤاد""".split())


def _flipped(before: list[str], near: set[str]) -> str | None:
    for b in reversed(before):
        if b in near or (b[:1] in "وف" and b[1:] in near):
            return b
    return None


def outcome_polarity(text: str) -> tuple[int, str | None]:
    """(+1 worked/stopped/complied, -1 failed/went on/refused, 0 neither) and the words that decided.

    The first outcome word decides (news sentences lead with their main predicate: «أدت إلى
    توقف الهجمات»); a negator up to two words before it («غير ناجحة», «لم تتوقف») or a
    refusal up to eight before («رفض قيس الخزعلي، قائد ...، الالتزام») moves it to the other
    side. «تواصل (...) مع» is "contacted", not "went on"; an outcome word up to eight words
    after a demand («يجب», «بضرورة», «طالب») is what was asked, not what happened; calm that
    goes on («يستمر الهدوء») is an outcome that held.
    """
    toks = tokens(text)
    for n, tok in enumerate(toks):
        if tok.lstrip("وف") in _CONDITIONALS:
            break    # «لكن إذا توقفت الحرب، ستتوقف العمليات»: what follows is hypothetical
        st = stems(tok)
        pos, neg = bool(st & _OUTCOME_POSITIVE), bool(st & _OUTCOME_NEGATIVE)
        if pos == neg or (neg and "مع" in toks[n + 1:n + 4]):
            continue
        if tok in _NAME_OUTCOMES and n + 1 < len(toks) and toks[n + 1] in _GIVEN_NAMES:
            continue
        if tok in _NOT_OUTCOME and not any(stems(t) & _VIOLENCE for t in toks[n + 1:n + 3]):
            continue   # «تعليق الهجمات» is a suspension, «للتعليق» alone a comment
        # a purpose or a demand is not an outcome: «لوقف الهجمات», «على توافق», «يضغط على وقف»
        if tok.startswith("ل") and not tok.startswith("ال") or (n and toks[n - 1] == "علي"):
            continue
        if any(t.lstrip("وفب") in _DEMANDS for t in toks[max(0, n - 8):n]):
            continue
        # refusing violence is no failure: «طهران ترفض هذه الهجمات»
        if tok in _REFUSALS or tok.lstrip("و") in _REFUSALS:
            if any(stems(t) & _VIOLENCE for t in toks[n + 1:n + 3]):
                continue
        sign = 1 if pos else -1
        if neg and st & _GOING_ON and any(stems(t) & _CALM for t in toks[n + 1:n + 3]):
            sign = 1
        flip = _flipped(toks[max(0, n - 2):n], _NEGATORS_NEAR) or (
            _flipped(toks[max(0, n - 8):n], _REFUSALS) if pos else None)
        if flip:
            return -sign, f"{flip} {tok}"
        return sign, tok
    return 0, None


# An article that contradicts what it just reported says so: «على عكس ذلك كشف مصدر ...».
# Written normalised; matched on the first words of a claim (after «و»/«ف»/«لكن»).
_CONTRAST_MARKERS = ("علي عكس ذلك", "علي العكس من ذلك", "علي العكس", "عكس ذلك", "خلافا لذلك",
                     "خلافا لما", "بخلاف ذلك", "بخلاف ما", "علي النقيض من ذلك", "علي النقيض",
                     "عكس ما", "نقيض ما")
_CONTRAST_LEAD = re.compile(r"^(?:و|ف)?(?:لكن\s+|ولكن\s+)?")


def contrast_marker(text: str) -> str | None:
    """The contrast phrase a claim opens with («على عكس ذلك», «خلافا لما»...), or None.

    Such a claim contradicts the claim before it in the same article.
    """
    head = " ".join(tokens(text)[:6])
    head = _CONTRAST_LEAD.sub("", head)
    return next((m for m in _CONTRAST_MARKERS if head.startswith(m)), None)


CUE_FEATURES = ("neg_a", "neg_b", "neg_xor", "antonym", "number_diff", "number_same",
                "numbers_a", "numbers_b", "date_diff", "date_same", "dates_a", "dates_b")


def cue_features(a: str, b: str) -> np.ndarray:
    """Fixed-length float32 vector of cue evidence, in CUE_FEATURES order."""
    ta, tb = tokens(a), tokens(b)
    cues = conflict_cues(a, b)
    kinds = [c.kind for c in cues]
    na, nb = negation_score(ta), negation_score(tb)
    qa, qb = {v for v, _ in quantities(ta)}, {v for v, _ in quantities(tb)}
    da, db = _dates(ta), _dates(tb)
    dates_a, dates_b = sum(len(x) for x in da.values()), sum(len(x) for x in db.values())
    same_dates = sum(len(da[k] & db[k]) for k in da)
    return np.array([
        na, nb, float((na > 0) != (nb > 0)), kinds.count("antonym"), kinds.count("number"),
        len(qa & qb), len(qa), len(qb), kinds.count("date"), same_dates, dates_a, dates_b,
    ], dtype=np.float32)
