"""Lexical conflict evidence between two claims: negation, antonyms, numbers, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .model import Settings
from .text.dates import mentioned as _dates
from .text.lexicon import entries, values, words
from .text.numbers import quantities
from .text.tokens import stem_set, stems, tokens


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


def _is_negator(tok: str) -> float:
    negators = values("negator")
    if tok in negators:
        return negators[tok]
    for p in ("و", "ف", "ب", "ل"):
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
    if toks[n] in ("دون", "بدون") and n and toks[n - 1] in words("prevent"):
        return 0.0
    return _is_negator(toks[n])


def negation_score(toks: list[str]) -> float:
    """Largest negator weight in a token list (0 = no negation)."""
    return max((_negates(toks, n) for n in range(len(toks))), default=0.0)


DEFAULT_SETTINGS = Settings()


def conflict_cues(a: str, b: str, settings: Settings = DEFAULT_SETTINGS) -> list[Cue]:
    """Lexical signs that claims `a` and `b` contradict each other, strongest first.

    A negation weighs what its negator weighs (cues.tsv); the other kinds weigh
    `settings.antonym_weight`, `number_weight`, `outcome_score` and `date_weight`.
    """
    ta, tb = tokens(a), tokens(b)
    cues: list[Cue] = []
    na, nb = negation_score(ta), negation_score(tb)
    if (na > 0) != (nb > 0):
        side = "a" if na > 0 else "b"
        toks = ta if na > 0 else tb
        word = next(t for n, t in enumerate(toks) if _negates(toks, n))
        cues.append(Cue("negation", f"{word} only in {side}", max(na, nb)))
    sa, sb = stem_set(ta), stem_set(tb)
    for left, right in ANTONYM_SIDES:
        la, ra, lb, rb = sa & left, sa & right, sb & left, sb & right
        # a word on one side only in a and its opposite only in b: "نجح" in a, "فشل" in b
        if la and rb and not (ra or lb):
            cues.append(Cue("antonym", f"{min(la)} vs {min(rb)}", settings.antonym_weight))
        elif ra and lb and not (la or rb):
            cues.append(Cue("antonym", f"{min(ra)} vs {min(lb)}", settings.antonym_weight))
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
                cues.append(Cue("number", f"{va:g} vs {vb:g} ({noun})", settings.number_weight))
    pa, wa = outcome_polarity(a)
    pb, wb = outcome_polarity(b)
    if pa and pb and pa != pb:
        cues.append(Cue("outcome", f"{wa} vs {wb}", settings.outcome_score))
    da, db = _dates(ta), _dates(tb)
    for kind in ("year", "month", "weekday"):
        if da[kind] and db[kind] and not (da[kind] & db[kind]):
            cues.append(Cue("date", f"{kind} {sorted(da[kind])[0]} vs {sorted(db[kind])[0]}",
                            settings.date_weight))
    return sorted(cues, key=lambda c: -c.weight)


# One axis carries most contradictions in conflict news: did the effort work, did the fighting
# stop, did the parties comply -- or did it fail, go on, get refused (outcome_positive /
# outcome_negative, stems after stems() stripping). A negator just before a word moves it to
# the other side («غير ناجحة», «لم تتوقف», «رفض الالتزام»).


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
    positive, negative = words("outcome_positive"), words("outcome_negative")
    violence, going_on, calm = words("violence"), words("going_on"), words("calm")
    refusals, demands, near = words("refusal"), words("demand"), words("negator_near")
    for n, tok in enumerate(toks):
        if tok.lstrip("وف") in words("conditional"):
            break    # «لكن إذا توقفت الحرب، ستتوقف العمليات»: what follows is hypothetical
        st = stems(tok)
        pos, neg = bool(st & positive), bool(st & negative)
        if pos == neg or (neg and "مع" in toks[n + 1:n + 4]):
            continue
        if tok in words("name_outcome") and n + 1 < len(toks) and toks[n + 1] in words("given_name"):
            continue
        if tok in words("not_outcome") and not any(stems(t) & violence for t in toks[n + 1:n + 3]):
            continue   # «تعليق الهجمات» is a suspension, «للتعليق» alone a comment
        # a purpose or a demand is not an outcome: «لوقف الهجمات», «على توافق», «يضغط على وقف»
        if tok.startswith("ل") and not tok.startswith("ال") or (n and toks[n - 1] == "علي"):
            continue
        if any(t.lstrip("وفب") in demands for t in toks[max(0, n - 8):n]):
            continue
        # refusing violence is no failure: «طهران ترفض هذه الهجمات»
        if tok in refusals or tok.lstrip("و") in refusals:
            if any(stems(t) & violence for t in toks[n + 1:n + 3]):
                continue
        sign = 1 if pos else -1
        if neg and st & going_on and any(stems(t) & calm for t in toks[n + 1:n + 3]):
            sign = 1
        flip = _flipped(toks[max(0, n - 2):n], near) or (
            _flipped(toks[max(0, n - 8):n], refusals) if pos else None)
        if flip:
            return -sign, f"{flip} {tok}"
        return sign, tok
    return 0, None


# An article that contradicts what it just reported says so: «على عكس ذلك كشف مصدر ...».
# Matched on the first words of a claim (after «و»/«ف»/«لكن»), in file order (contrast).
_CONTRAST_LEAD = re.compile(r"^(?:و|ف)?(?:لكن\s+|ولكن\s+)?")


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
