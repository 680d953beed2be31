"""Lexical conflict evidence between two claims: negation, antonyms, numbers, dates."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

import numpy as np

from .model import Settings
from .text.content import content_stems
from .text.dates import mentioned as _dates
from .text.denials import denial
from .text.lexicon import entries, values, words
from .text.numbers import (
    dated,
    event_counts,
    located_quantities,
    percentages,
    same_amount,
    value,
)
from .text.tokens import VERB_PREFIXES, stem_set, stems, tokens


@dataclass(frozen=True)
class Cue:
    kind: str            # "negation", "antonym", "outcome", "number", "date", "contrast"
    detail: str          # what fired, e.g. "نجح vs فشل" or "12 vs 15 (قتيل)"
    weight: float        # how strongly it signals a conflict, 0-1


# The word lists live in corroborate/data/lexicon/cues.tsv (normalised spelling, with provenance).


def _antonym_sides() -> list[tuple[set[str], set[str]]]:
    """Antonym groups: each entry's value is "<group><side>" (side a or b), groups in file order."""
    groups: dict[str, tuple[set[str], set[str]]] = {}
    for e in entries("antonym"):
        group, side = e.value[:-1], e.value[-1]
        groups.setdefault(group, (set(), set()))[0 if side == "a" else 1].add(e.entry)
    return list(groups.values())


ANTONYM_SIDES = _antonym_sides()
ACTOR_REACH = 8     # the widest window kept per claim; Settings.actor_reach picks within it
NEGATED_REACH = 3   # the widest window after a negator kept per claim; Settings.negation_scope picks within it


# One-letter clitics a negator may carry: «ولم», «فلا», «بدون», «لعدم».
_CLITICS = "وفبل"


def _is_negator(tok: str) -> float:
    negators = values("negator")
    if tok in negators:
        return negators[tok]
    for p in _CLITICS:
        # «ولم», «فلا», «بدون»; not «لما» ("when"), which is ل + ما
        if tok.startswith(p) and tok[len(p):] in negators and tok[len(p):] != "ما":
            return negators[tok[len(p):]]
    return 0.0


# «طائرة (بـ)دون طيار» is the ordinary word for a drone, and «لا سيما» means "especially":
# the negator inside a fixed phrase negates nothing (fixed_phrase). «الحيلولة دون اتساع الصراع»,
# «يحول دون»: "to prevent", which is no negation of the claim (prevent).


def _negates(toks: list[str], n: int) -> float:
    if " ".join(toks[n:n + 2]) in words("fixed_phrase"):
        return 0.0
    if toks[n] in ("لا", "ولا") and toks[n + 1:n + 2] and toks[n + 1].startswith("لل"):
        # "no to the …": a slogan («لا للتدخلات الإيرانية», «لا للعنصرية»), one word set against
        # another («للتشجيع لا للمحاربة») or a negation already said going on («… ولا للأنفس»)
        return 0.0
    if toks[n] in ("دون", "بدون") and n and toks[n - 1] in words("prevent"):
        return 0.0
    return _is_negator(toks[n])


# A claim negated by «لم», «لن», «ليس», «لا», «عدم» or a denial verb (weight 0.8 or more in
# cues.tsv) negates its own statement; «ما يعني» ("which means"), «دون», «غير», «رفض» (weights
# 0.3-0.6) negate a word, not the claim: no negation cue, and such a claim can still be what a
# denial denies (denials.match_denials)
SENTENCE_NEGATION = 0.8


def negation_score(toks: list[str]) -> float:
    """Largest negator weight in a token list (0 = no negation)."""
    return max((_negates(toks, n) for n in range(len(toks))), default=0.0)


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class ClaimCues:
    """What one claim brings to the cues of every pair it is in, computed once per text
    (`claim_cues`): a claim meets many candidates, its words do not change."""

    tokens: tuple[str, ...]
    negation: float                      # largest negator weight, 0 = not negated
    negator: str | None                  # the first negating word
    antonyms: tuple[tuple[frozenset[str], frozenset[str]], ...]   # per antonym group: (side a, side b) stems present
    quantities: tuple[tuple[float, frozenset[str]], ...]          # (value, context stems), years aside
    dates: tuple[tuple[str, frozenset], ...]                      # ("year" | "month" | "weekday", names)
    outcome: int                         # +1 worked/stopped/complied, -1 failed/went on/refused, 0 neither
    outcome_words: str | None            # the words that decided it
    actor: tuple[tuple[int, str], ...]   # (distance, content word) around the outcome word: who did it
    negated: tuple[tuple[int, frozenset[str]], ...] = ()   # (distance, stems) of the words after a negator
    stems: frozenset[str] = frozenset()  # every stem of every token
    counts: tuple[tuple[float, frozenset[str], frozenset[str]], ...] = ()   # (value, context, noun counted)
                                                                            # of the counts of an event
    listed: frozenset[int] = frozenset()   # indices into `counts` of a list's items (`_listed`)
    percents: frozenset[float] = frozenset()   # the percentages the claim gives
    ordinals: tuple[tuple[frozenset[str], int], ...] = ()   # (stems of the noun, its ordinal): «الدفعة الثالثة»
    antonyms_read: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()   # `antonyms`, a negated word on
                                                                          # its opposite's side (`_antonym_words`)
    clock: frozenset[str] = frozenset()   # the clock times it names: «بحلول الساعة 1404 بتوقيت جرينتش»
    amounts: frozenset[float] = frozenset()   # `values` less a date's day («حتى 31 يوليو»)

    @functools.cached_property
    def skeletons(self) -> frozenset[str]:
        """Every token's `_skeletons`, worked out the first time a negated claim meets this one."""
        return frozenset().union(*map(_skeletons, self.tokens))

    @functools.cached_property
    def negated_verbs(self) -> frozenset[str]:
        """The `_skeletons` of a three-letter verb right after a negator (`_jussive`)."""
        toks = self.tokens
        return frozenset().union(*(_skeletons(toks[n + 1]) for n in range(len(toks) - 1)
                                   if _negates(toks, n) and _jussive(toks[n + 1])))

    def denies(self, other: ClaimCues, reach: int) -> bool:
        """True when a word up to `reach` tokens after one of this claim's negators is one the
        other claim asserts: «لم تصل السفن» denies «وصلت السفن», «ولم ترد تقارير عن ضحايا»
        denies nothing a report without casualties says. A three-letter verb right after the
        negator is matched by its root letters (`_skeletons`: «لم تصل» / «وصلت»)."""
        return any(d <= reach and st & other.stems for d, st in self.negated) \
            or bool(self.negated_verbs & other.skeletons)

    @property
    def values(self) -> frozenset[float]:
        return frozenset(v for v, _ in self.quantities)

    def date_sets(self) -> dict[str, frozenset]:
        return dict(self.dates)


@functools.lru_cache(maxsize=65536)
def claim_cues(text: str) -> ClaimCues:
    """The per-claim half of `conflict_cues` for `text` (cached by text)."""
    toks = tokens(text)
    located = located_quantities(toks)
    counts = event_counts(text, located)
    negation = negation_score(toks)
    negator = next((t for n, t in enumerate(toks) if _negates(toks, n)), None) if negation else None
    st = stem_set(toks)
    antonyms = tuple((frozenset(st & left), frozenset(st & right)) for left, right in ANTONYM_SIDES)
    sign, decided, at = _outcome(toks)
    return ClaimCues(tuple(toks), negation, negator, antonyms, tuple((v, x) for _, v, x in located),
                     tuple((k, frozenset(v)) for k, v in _dates(toks).items()), sign, decided,
                     _actor(toks, at) if sign else (), _negated(toks) if negation else (), frozenset(st),
                     counts=tuple(counts), listed=_listed(counts), percents=percentages(text),
                     ordinals=_ordinals(toks), antonyms_read=_antonym_words(toks), clock=_clock(toks),
                     amounts=frozenset(v for at, v, _ in located if not dated(toks, at)))


_WEAK = str.maketrans("", "", "اوي")


def _skeletons(token: str) -> frozenset[str]:
    """A word's stems without their long vowels and weak letters, a verb prefix stripped even from
    a three-letter word: after «لم» a hollow verb loses its long vowel and an assimilated one its
    «و» («لم يقل» / «قال», «لم تصل» / «وصلت», «لم يفز» / «فاز»), which `stems` alone do not join."""
    bases = set(stems(token))
    bases |= {b[1:] for b in bases if b[:1] in VERB_PREFIXES and len(b) == 3}
    return frozenset(k for k in (b.translate(_WEAK) for b in bases) if len(k) >= 2)


def _jussive(token: str) -> bool:
    """A verb of three letters, its prefix and two root letters: «يقل», «تصل», «يفز», «يكن» — the
    forms whose missing weak letter `_skeletons` is for. A longer negated word («تنتج», «تستقدم»)
    keeps its root whole, and `stems` match it; its skeleton would also match another claim's verbal
    noun («إنتاج», «استقدام»): SaudiNewsNet 2015-08-09 and 07-22 gave 2 such pairs, both read wrong."""
    return len(token) == 3 and token[0] in VERB_PREFIXES


def _clock(toks: list[str]) -> frozenset[str]:
    """The clock times a claim names, as written after «الساعة»: «1404», «14 04» (14:04), «9»."""
    times = set()
    for n, tok in enumerate(toks[:-1]):
        if tok in ("الساعه", "بالساعه", "والساعه") and toks[n + 1].isdigit():
            minutes = toks[n + 2] if n + 2 < len(toks) and toks[n + 2].isdigit() and len(toks[n + 2]) == 2 else ""
            times.add(toks[n + 1] + minutes)
    return frozenset(times)


def _antonym_words(toks: list[str]) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Per antonym group, the claim's stems on side a and on side b. A word with a negator just
    before it («عدم السماح», «لم ينجح», «غير مسموح») stands on the other side, as `_outcome` reads
    «غير ناجحة»: "not allowed" is "forbidden", and «عدم السماح» against «منع» says one thing."""
    near = words("negator_near")
    sides = [(set(), set()) for _ in ANTONYM_SIDES]
    for n, tok in enumerate(toks):
        st = stems(tok)
        # «للحيلولة دون ارتفاع» is "to prevent a rise", «بدون طيار» a drone: no negator (`_negates`)
        flip = next((toks[m] for m in range(n - 1, max(-1, n - 3), -1)
                     if _flipped([toks[m]], near) and _negates(toks, m)), None)
        for (left, right), (a, b) in zip(ANTONYM_SIDES, sides):
            if flip:   # kept as "<negator> <word>", so the cue's detail says what was read
                b.update(f"{flip} {w}" for w in st & left)
                a.update(f"{flip} {w}" for w in st & right)
            else:
                a.update(st & left)
                b.update(st & right)
    return tuple((frozenset(a), frozenset(b)) for a, b in sides)


def _ordinals(toks: list[str]) -> tuple[tuple[frozenset[str], int], ...]:
    """(stems of the word before, value) for each ordinal that follows a word («الدفعة الثالثة»)."""
    ordinal = values("ordinal", int)
    return tuple((frozenset(stems(toks[n - 1])), ordinal[t]) for n, t in enumerate(toks)
                 if n and t in ordinal and toks[n - 1] not in ordinal)


def _opposition(sides_a: tuple[frozenset[str], frozenset[str]], sides_b: tuple[frozenset[str], frozenset[str]]
                ) -> tuple[frozenset[str], frozenset[str]] | None:
    """One antonym group's words of a and of b when they stand on one side only in a and on the
    other only in b ("نجح" in a, "فشل" in b), else None."""
    (la, ra), (lb, rb) = sides_a, sides_b
    if la and rb and not (ra or lb):
        return la, rb
    if ra and lb and not (la or rb):
        return ra, lb
    return None


def _negated_opposite(denier: ClaimCues, other: ClaimCues) -> bool:
    """True when the negator of `denier` stands before a word whose opposite `other` says:
    «لم تنجح المفاوضات» and «فشلت المفاوضات» say one thing, and the negation is read already
    (`_antonym_words` puts «لم تنجح» on the side of «فشلت»)."""
    return any(any(" " in w for w in mine) and theirs
               for pair_d, pair_o in zip(denier.antonyms_read, other.antonyms_read)
               for mine, theirs in zip(pair_d, pair_o))


def two_items(ca: ClaimCues, cb: ClaimCues) -> bool:
    """True when the claims give one noun two ordinals: the second batch and the third, day two
    and day three, race four and race five — two items of a sequence, two facts."""
    return any(na & nb and va != vb for na, va in ca.ordinals for nb, vb in cb.ordinals)


def _listed(counts: list[tuple[float, frozenset[str], frozenset[str]]]) -> frozenset[int]:
    """The counts whose noun the claim counts again with another amount: items of a list («189
    مخالفة لحافلات … و71 مخالفة بسبب تشغيل مركبات»), none of which names one thing the other
    claim's count of that noun could be."""
    return frozenset(n for n, (v, _, noun) in enumerate(counts) if noun and any(
        m != n and noun & other and not same_amount(v, w) for m, (w, _, other) in enumerate(counts)))


def _negated(toks: list[str]) -> tuple[tuple[int, frozenset[str]], ...]:
    """(distance, stems) of the content words up to `NEGATED_REACH` tokens after each negator."""
    stop = words("stopword")
    out = []
    for n in range(len(toks)):
        if _negates(toks, n):
            for m in range(n + 1, min(len(toks), n + 1 + NEGATED_REACH)):
                if toks[m] not in stop and len(toks[m]) >= 2 and value(toks[m]) is None:
                    out.append((m - n, frozenset(stems(toks[m]))))
    return tuple(out)


def conflict_cues(a: str, b: str, settings: Settings = DEFAULT_SETTINGS) -> list[Cue]:
    """Lexical signs that claims `a` and `b` contradict each other, strongest first.

    A negation weighs what its negator weighs (cues.tsv); the other kinds weigh
    `settings.antonym_weight`, `number_weight`, `outcome_score` and `date_weight`.
    """
    return pair_cues(claim_cues(a), claim_cues(b), settings)


def pair_cues(ca: ClaimCues, cb: ClaimCues, settings: Settings = DEFAULT_SETTINGS) -> list[Cue]:
    """`conflict_cues` from the two claims' `ClaimCues`. Two items of one sequence (`two_items`:
    «الشوط الرابع : لم تربح …» and «الشوط الخامس : ربحت …», two rounds of one race card) are two
    facts, and give no cue of any kind."""
    if two_items(ca, cb):
        return []
    cues: list[Cue] = []
    # one claim negates its statement and the other negates nothing: «دون فوز يذكر» and «لم
    # يحقق أي فوز», «رفض الحديث» and «لا أريد الحديث» agree; «تم رفض 172 إرسالية» negates nothing
    if max(ca.negation, cb.negation) >= SENTENCE_NEGATION and min(ca.negation, cb.negation) == 0:
        negated_a = ca.negation > 0
        side = "a" if negated_a else "b"
        word = ca.negator if negated_a else cb.negator
        denier, other = (ca, cb) if negated_a else (cb, ca)
        # «الشوط الرابع : لم تربح … 120 مترًا … 70 ألف ريال» against «… ربحت … 1650 مترًا … 85 ألف
        # ريال»: figures that share none measure two things (two races), as with opposed moves
        if (not settings.negation_scope or denier.denies(other, settings.negation_scope)) \
                and not _negated_opposite(denier, other) and not _glued(denier, other) \
                and not two_measurements(ca, cb) and not _exceptive(denier.tokens):
            cues.append(Cue("negation", f"{word} only in {side}", max(ca.negation, cb.negation)))
    opposed = []
    for raw_a, raw_b, read_a, read_b in zip(ca.antonyms, cb.antonyms, ca.antonyms_read, cb.antonyms_read):
        found = _opposition(raw_a, raw_b)
        # and still opposed with each negated word on its opposite's side: «عدم السماح» against
        # «منع» says one thing
        if found and _opposition(read_a, read_b):
            opposed.append(Cue("antonym", f"{min(found[0])} vs {min(found[1])}", settings.antonym_weight))
    # «ارتفع 0.2 %» against «انخفض 0.9 %», «ارتفاع أرباح … 150.7 مليون» against «تراجع … 465
    # مليون»: opposed moves with other figures are two sessions or two companies, and so are
    # their figures
    # «ارتفع … 0.3 بالمئة إلى 1092.10 دولار … بحلول الساعة 0647» against «… 0.1 بالمئة إلى 1086.20 …
    # الساعة 0633»: two clock times are two moments of a price, as two days are two closes
    two_moments = bool(ca.clock and cb.clock and not ca.clock & cb.clock)
    if not (opposed and two_measurements(ca, cb)) and not two_moments:
        cues += opposed + number_cues(ca, cb, settings)
    if ca.outcome and cb.outcome and ca.outcome != cb.outcome:
        cues.append(Cue("outcome", f"{ca.outcome_words} vs {cb.outcome_words}", settings.outcome_score))
    da, db = ca.date_sets(), cb.date_sets()
    for kind in ("year", "month", "weekday"):
        if da[kind] and db[kind] and not (da[kind] & db[kind]):
            cues.append(Cue("date", f"{kind} {min(da[kind])} vs {min(db[kind])}",
                            settings.date_weight))
    return sorted(cues, key=lambda c: -c.weight)


EXCEPTIVE_REACH = 6


def _exceptive(toks: Sequence[str]) -> bool:
    """True when every sentence negator of the claim opens an exception: «لم يجد الحوثيون سوى
    القصف العشوائي», «لا يملك إلا الصبر» say "only", and assert what follows «سوى» / «إلا» within
    `EXCEPTIVE_REACH` words. «إلا أن» ("however") opens another clause and is no exception."""
    negators = [n for n in range(len(toks)) if _negates(toks, n) >= SENTENCE_NEGATION]
    return bool(negators) and all(
        any(toks[m] == "سوي" or (toks[m] == "الا" and tuple(toks[m + 1:m + 2]) not in (("ان",), ("انه",), ("انها",)))
            for m in range(n + 1, min(len(toks), n + 1 + EXCEPTIVE_REACH)))
        for n in negators)


def _glued(denier: ClaimCues, other: ClaimCues) -> bool:
    """True when the other claim writes one of the denier's negators glued to the word after it:
    «لا يقعوا» / «لايقعوا», «لا ينسى» / «لاينسى», «جزيرة لا ريونيون» / «لاريونيون» — one text
    spelt two ways, negated (or not a negation at all) on both sides."""
    toks, others = list(denier.tokens), set(other.tokens)
    return any(toks[n] + toks[n + 1] in others for n in range(len(toks) - 1) if _negates(toks, n))


def number_cues(ca: ClaimCues, cb: ClaimCues, settings: Settings, *, values_a: frozenset[float] | None = None,
                values_b: frozenset[float] | None = None) -> list[Cue]:
    """The different-count cues of `pair_cues`: only counts of one event conflict — a list item's
    number, a code, a rank or a running tally of one claim against a number of the other does
    not (text.numbers.event_counts). Two items of a sequence never get here (`two_items`: «الدفعة
    الثالثة … 3 قاطرات» / «الدفعة الثانية … خمس قاطرات», two batches). A count the other side
    mentions is no difference: `values_a` / `values_b` are what each side mentions, the claims'
    own values unless given (their whole documents', say)."""
    cues = []
    values_a = ca.values if values_a is None else values_a
    values_b = cb.values if values_b is None else values_b
    seen = set()
    for ka, (va, xa, na) in enumerate(ca.counts):
        for kb, (vb, xb, nb) in enumerate(cb.counts):
            if ka in ca.listed or kb in cb.listed:
                continue           # a list's item: «189 مخالفة … و71 مخالفة» name no one thing
            if na and nb and not na & nb:
                continue           # «14 شركة» and «113.7 مليون سهم» count two things
            if settings.count_ratio and _apart(va, vb, settings.count_ratio):
                continue           # «4 مليارات دولار» of 37 deals and one deal's «50 مليار دولار»
            shared = xa & xb
            # "three soldiers" vs "3 US soldiers" is the same number: only values the other side
            # never mentions, rounded or not («84 مليون» / «84.540.000»), count, and only when
            # both count the same noun
            if (shared and (va, vb) not in seen and not same_amount(va, vb)
                    and not any(same_amount(va, v) for v in values_b)
                    and not any(same_amount(vb, v) for v in values_a)):
                seen.add((va, vb))
                noun = max(sorted(shared), key=len)      # ties by spelling: the same words every run
                cues.append(Cue("number", f"{va:g} vs {vb:g} ({noun})", settings.number_weight))
    return cues


def _apart(a: float, b: float, ratio: float) -> bool:
    """True when two positive counts are `ratio` times apart or more."""
    low, high = sorted((abs(a), abs(b)))
    return low > 0 and high >= ratio * low


def two_measurements(ca: ClaimCues, cb: ClaimCues) -> bool:
    """True when both claims give figures and share none: their percentages when both give
    some, else their amounts. «ارتفع المؤشر 0.2 %» and «انخفض 0.9 %» measure two sessions (or
    two indices, two companies); one fact told with opposed words would keep its figure. When
    their percentages meet, their other amounts must too: «دبي.. ارتفع المؤشر 0.4 في المئة إلى
    4120 نقطة» and «الكويت.. هبط المؤشر 0.4 في المئة إلى 6213 نقطة» are two indices. A date's day
    is no figure: «صافي الخسارة حتى 31 يوليو» and «صافي الربح حتى 31 يوليو» are two companies'."""
    def apart(a: frozenset[float], b: frozenset[float]) -> bool:
        return bool(a and b) and not any(same_amount(x, y) for x in a for y in b)

    if ca.percents and cb.percents:
        if apart(ca.percents, cb.percents):
            return True
        return apart(*(frozenset(v for v in c.amounts if not any(same_amount(v, p) for p in c.percents))
                       for c in (ca, cb)))
    return apart(ca.amounts, cb.amounts)


# One axis carries most contradictions in conflict news: did the effort work, did the fighting
# stop, did the parties comply -- or did it fail, go on, get refused (outcome_positive /
# outcome_negative, stems after stems() stripping). A negator just before a word moves it to
# the other side («غير ناجحة», «لم تتوقف», «رفض الالتزام»).


def _flipped(before: list[str], near: set[str]) -> str | None:
    """The last word of `before` in `near`, bare or after a clitic as `_is_negator` reads one:
    «ولم», «فلا», «لعدم التزامها» ("for not complying"), «بعدم»."""
    for b in reversed(before):
        if b in near or (b[:1] in _CLITICS and b[1:] in near):
            return b
    return None


def outcome_polarity(text: str) -> tuple[int, str | None]:
    """(+1 worked/stopped/complied, -1 failed/went on/refused, 0 neither) and the words that decided.

    The first outcome word decides (news sentences lead with their main predicate: «أدت إلى
    توقف الهجمات»); a negator up to two words before it («غير ناجحة», «لم تتوقف») or a
    refusal up to eight before («رفض قيس الخزعلي، قائد ...، الالتزام») moves it to the other
    side. «تواصل (...) مع» is "contacted", not "went on"; an outcome word up to eight words
    after a demand («يجب», «بضرورة», «طالب») is what was asked, not what happened; nothing
    after «إذا»/«لو» counts (a hypothetical is no outcome).
    """
    found = claim_cues(text)
    return found.outcome, found.outcome_words


def _outcome(toks: list[str]) -> tuple[int, str | None, int]:
    """`outcome_polarity` of a token list, with the index of the deciding word (-1 for none)."""
    positive, negative = words("outcome_positive"), words("outcome_negative")
    violence = words("violence")
    refusals, demands, near = words("refusal"), words("demand"), words("negator_near")
    for n, tok in enumerate(toks):
        if tok.lstrip("وف") in words("conditional"):
            break    # «لكن إذا توقفت الحرب، ستتوقف العمليات»: what follows is hypothetical
        st = stems(tok)
        pos, neg = bool(st & positive), bool(st & negative)
        if pos == neg or (neg and "مع" in toks[n + 1:n + 4]):
            continue
        if tok in words("not_outcome") and not any(stems(t) & violence for t in toks[n + 1:n + 3]):
            continue   # «تعليق الهجمات» is a suspension, «للتعليق» alone a comment
        # a purpose or a demand is not an outcome: «لوقف الهجمات», «على توافق», «يضغط على وقف»
        if tok.startswith("ل") and not tok.startswith("ال") or (n and toks[n - 1] == "علي"):
            continue
        if any(t.lstrip("وفب") in demands for t in toks[max(0, n - 8):n]):
            continue
        # refusing violence is no failure: «طهران ترفض هذه الهجمات»
        if (tok in refusals or tok.lstrip("و") in refusals) and any(
                stems(t) & violence for t in toks[n + 1:n + 3]):
            continue
        sign = 1 if pos else -1
        flip = _flipped(toks[max(0, n - 2):n], near) or (
            _flipped(toks[max(0, n - 8):n], refusals) if pos else None)
        if flip:
            return -sign, f"{flip} {tok}", n
        return sign, tok, n
    return 0, None, -1


@functools.lru_cache(maxsize=65536)
def verdict(text: str, gap: int = 2) -> tuple[int, Mapping[tuple[str, str], int]]:
    """(+1 it succeeded / -1 it failed / 0 no verdict, the named things judged: stem pair -> the
    index of its first token) of a claim whose deciding outcome word (`outcome_polarity`) is a
    verdict («ناجحة», «فشل», «النجاح», the `verdict` words), with its negation read as the
    outcome's («غير ناجحة» is a failure).

    What is judged stands right beside the verdict word: the two named words (`named_word`) in a
    row that come first after it («نجاح زيارة الوزير») or last before it («زيارة قاآني غير ناجحة»,
    «زيارة قاآني بأنها كانت ناجحة»), with at most `gap` other tokens between. Two words name a
    thing where one («الزيارة», «قاآني») names only a topic or an actor, and words further off
    are the sentence's context («فشل … في الانتخابات العامة», «النجاح … الموسم الماضي»)."""
    toks = tokens(text)
    sign, _, n = _outcome(toks)
    if not sign or not stems(toks[n]) & words("verdict"):
        return 0, MappingProxyType({})
    named = [named_word(t) for t in toks]
    judged = {}
    after = next((m for m in range(n + 1, min(len(toks), n + 2 + gap)) if named[m]), None)
    if after is not None and after + 1 < len(toks) and named[after + 1]:
        judged[named[after], named[after + 1]] = after
    before = next((m for m in range(n - 1, max(-1, n - 2 - gap), -1) if named[m]), None)
    if before is not None and before > 0 and named[before - 1]:
        judged[named[before - 1], named[before]] = before - 1
    return sign, MappingProxyType(judged)     # cached: shared by every caller, so read-only


LIFE_REACH = 12     # words either side of a life-or-death word that say whose it is
DENIED_REACH = 6    # the same inside what a claim denies: a noun phrase, whose death right after it


class Life(NamedTuple):
    """What a claim says of someone's life (`life_state`)."""

    sign: int                    # +1 alive, -1 dead, 0 nothing (or both)
    near: frozenset[str]         # content words near what says so: whose life
    denied: bool = False         # +1 because the claim denies a death («نفت … الأنباء حول مقتل …»)


@functools.lru_cache(maxsize=65536)
def life_state(text: str) -> Life:
    """What `text` says of someone's life: alive (+1), dead (-1) or nothing (0), and the
    content words (`content_stems`) within `LIFE_REACH` words of what says so.

    Alive: «على قيد الحياة» or «حيا» right after «ما زال», «لا يزال», «أنه» (`life_still`),
    and «لم يعد على قيد الحياة» is dead. Dead: «مقتل», «وفاة», «مصرع», «توفي» (`life_dead`),
    not when negated, not before a count («مقتل 5 أشخاص», «بمقتل أحد عناصرها»: `life_toll`
    counts a toll, not one life). Either is no state after a word that sets it in another time,
    in a hypothesis or as a topic (`life_block`, each with its reach: «حينما كانت على قيد
    الحياة», «بافتراض أنه لا يزال على قيد الحياة», «الشائعات حول وفاة»); nothing after
    «إذا»/«لو» counts. A claim that denies (`text.denials.denial`) says only what its denied
    proposition says, the other way round: «نفت مصادر عراقية الأنباء التي ترددت حول مقتل
    زعيم تنظيم الدولة» says he lives (`denied`) — when the death heads what is denied (first,
    or right after a report or topic word: «نبأ وفاة», «الشائعات حول وفاة», not «شبهة جنائية
    وراء وفاة») and whose it is stands within `DENIED_REACH` words; a denial word the parser
    does not read as one («نفي مصدر …» spelt as the noun) leaves no state after it."""
    found = denial(text)
    if found is not None:
        if found.anaphoric:
            return Life(0, frozenset())
        sign, near = _life(tokens(found.proposition), DENIED_REACH, topics=False)
        return Life(-sign, near, True) if sign else Life(0, frozenset())
    sign, near = _life(tokens(text), LIFE_REACH, topics=True)
    return Life(sign, near)


def _life(toks: list[str], reach: int, *, topics: bool) -> tuple[int, frozenset[str]]:
    """`life_state` of a token list; with `topics` False a death named as a topic («الشائعات
    حول وفاة …», as a denial's proposition words it) is a death told."""
    still, dead, heads, spelled = _life_words()
    block = values("life_block") if topics else _untopical_blocks()
    sign, near = 0, set()
    for n, tok in enumerate(toks):
        if tok.lstrip("وف") in words("conditional"):
            break
        if tok == "قيد" and toks[n + 1:n + 2] == ["الحياه"] or tok in ("حيا", "حيه"):
            before = toks[max(0, n - 4):n]
            if tok == "قيد" and before and before[-1] in ("علي", "وعلي"):
                said = before[-1] == "وعلي" or len(before) > 1 and before[-2] in still
            else:
                said = bool(before) and before[-1] in still
            if not said:
                continue       # «البقاء على قيد الحياة», «حي» of a city: no one's state
            # «لم يعد على قيد الحياة» is dead; the «لا» of «لا يزال» negates nothing
            found = -1 if any(_is_negator(t) >= SENTENCE_NEGATION and t.lstrip("وف") != "لا"
                              for t in before) else 1
        elif tok in dead or (tok[:1] in "وبلف" and tok[1:] in dead):
            if not topics and n and not {toks[n - 1], re.sub("^[وبلف]?ال", "", toks[n - 1])} & heads:
                continue       # «نفى … وجود أي شبهة جنائية وراء وفاة …» denies the suspicion, not the death
            if any(value(t) is not None or t in words("life_toll") for t in toks[n + 1:n + 3]) or \
                    any(_is_negator(t) >= SENTENCE_NEGATION for t in toks[max(0, n - 3):n]):
                continue
            found = -1
        else:
            continue
        if any(toks[m] in block and n - m <= block[toks[m]] for m in range(n)):
            continue
        if sign and found != sign:
            return 0, frozenset()          # one claim tells both: one dead, another alive
        sign = found
        near |= content_stems(" ".join(t for t in toks[max(0, n - reach):n] + toks[n + 1:n + 1 + reach]
                                       if not {t, t.lstrip("وبلف"), re.sub("^[وبلف]?ال", "", t)} & spelled))
    return sign, frozenset(near) if sign else frozenset()


@functools.cache
def _life_words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """The word lists `_life` reads: the still words, the death words, what may head a denied
    death (a topic or report word: «نبأ وفاة», «الشائعات حول وفاة»), and every word that says a
    state or reports it («الأنباء التي ترددت»), which is never whose life it is."""
    still, dead = words("life_still"), words("life_dead")
    heads = words("life_topic") | words("report_noun") | words("report_verb")
    spelled = still | dead | frozenset(values("life_block")) | heads | {"قيد", "الحياه", "حيا", "حيه", "علي", "وعلي"}
    return still, dead, heads, spelled


@functools.cache
def _untopical_blocks() -> dict[str, float]:
    """`life_block` without the topic words: inside what a claim denies, «حول وفاة» is the death denied."""
    return {w: r for w, r in values("life_block").items() if w not in words("life_topic")}


def named_word(token: str) -> str | None:
    """A token that can name someone or something beside an outcome word, as its shortest stem;
    None for glue, outcome, violence, refusal, demand and negator words, numbers and short tokens."""
    skip = _actor_skip()
    if len(token) < 3 or value(token) is not None or token in skip:
        return None
    st = stems(token)
    return None if st & skip else min(st, key=lambda s: (len(s), s))


@functools.cache
def _actor_skip() -> frozenset[str]:
    """Words that name no one beside an outcome word: glue, outcome and violence words, refusals,
    demands and near negators."""
    return (words("stopword") | words("outcome_positive") | words("outcome_negative")
            | words("violence") | words("refusal") | words("demand") | words("negator_near"))


def _actor(toks: list[str], n: int) -> tuple[tuple[int, str], ...]:
    """(distance, content word as its shortest stem) for the words up to `ACTOR_REACH` tokens
    either side of the outcome word at `n`: in «أعلنت كتائب حزب الله تعليق هجماتها» and «رفض
    قيس الخزعلي الالتزام» the one who stopped or refused stands right beside the word that says so."""
    skip = _actor_skip()
    out = {}
    for m in range(max(0, n - ACTOR_REACH), min(len(toks), n + 1 + ACTOR_REACH)):
        t = toks[m]
        st = stems(t)
        if m == n or len(t) < 3 or value(t) is not None or t in skip or st & skip:
            continue
        word = min(st, key=lambda s: (len(s), s))
        out[word] = min(out.get(word, ACTOR_REACH), abs(m - n))
    return tuple(sorted((d, w) for w, d in out.items()))


def actor_words(cues: ClaimCues, reach: int) -> frozenset[str]:
    """The content words within `reach` tokens of the claim's outcome word."""
    return frozenset(w for d, w in cues.actor if d <= reach)


# An article that contradicts what it just reported says so: «على عكس ذلك كشف مصدر ...».
# Matched on the first words of a claim (after «و»/«ف»/«لكن»), in file order (contrast).
_CONTRAST_LEAD = re.compile(r"^(?:و|ف)?(?:لكن\s+|ولكن\s+)?")


@functools.lru_cache(maxsize=65536)
def contrast_marker(text: str) -> str | None:
    """The contrast phrase a claim opens with («على عكس ذلك», «خلافا لما»...), or None.

    Such a claim contradicts the claim before it in the same article.
    """
    head = " ".join(tokens(text)[:6])
    head = _CONTRAST_LEAD.sub("", head)
    return next((e.entry for e in entries("contrast") if head.startswith(e.entry)), None)


CUE_FEATURES = ("neg_a", "neg_b", "neg_xor", "antonym", "number_diff", "number_same",
                "numbers_a", "numbers_b", "date_diff", "date_same", "dates_a", "dates_b")


def cue_features(a: str, b: str) -> np.ndarray:
    """Fixed-length float32 vector of cue evidence, in CUE_FEATURES order."""
    ca, cb = claim_cues(a), claim_cues(b)
    kinds = [c.kind for c in pair_cues(ca, cb)]
    na, nb = ca.negation, cb.negation
    qa, qb = ca.values, cb.values
    da, db = ca.date_sets(), cb.date_sets()
    dates_a, dates_b = sum(len(x) for x in da.values()), sum(len(x) for x in db.values())
    same_dates = sum(len(da[k] & db[k]) for k in da)
    return np.array([
        na, nb, float((na > 0) != (nb > 0)), kinds.count("antonym"), kinds.count("number"),
        len(qa & qb), len(qa), len(qb), kinds.count("date"), same_dates, dates_a, dates_b,
    ], dtype=np.float32)
