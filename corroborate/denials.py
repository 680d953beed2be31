"""Denials stage: which claim denies which. A claim that denies («ونفى مصدر أن يكون الانفجار قد
نجم عن تسرب غاز») is matched, through the proposition it denies, against the claims of other
documents; a match is a conflict of kind "denial", and the two claims are never one fact."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from .cluster import split_clusters
from .conflicts import asserter
from .cues import SENTENCE_NEGATION, claim_cues
from .encode import Encoder
from .matching import zero_where
from .model import Claim, Cluster, Conflict
from .neighbours import top_k
from .samefact import SameFactModel
from .text.content import content_stems
from .text.denials import Denial, denial, report_of
from .text.lexicon import values
from .text.numbers import is_year
from .text.tokens import tokens
from .timescope import temporal_relation


@dataclass(frozen=True)
class DenialMatch:
    """Claim `denier` denies what claim `target` asserts."""

    denier: int                  # index of the denying claim
    target: int                  # index of the claim whose fact it denies
    score: float                 # p(same fact) of the denied proposition and the target
    proposition: str             # what is denied, as the denying claim words it
    speaker: str | None          # who denies, as written (else the denying claim's attribution)


# «ونفت هيربالايف هذه المزاعم» after a clause that states the claims, «… وهذا عار من الصحة» after
# «ما يتم تداوله … أن الجاني متعاط»: past this many words into its own claim, a pointer points at
# that claim's own words, not at the sentence before (the week's 53 pointing denials, read:
# docs/conflict-sample.md)
OWN_CLAUSE_WORDS = 10


def denied_propositions(claims: Sequence[Claim]) -> dict[int, tuple[str, Denial]]:
    """claim index -> (what it denies, the denial), for every claim that denies something.

    A denial that only points back («ونفى المصدر ذلك», «الأمر الذي نفاه الجيش الحر») denies the
    claim before it in its article, when it comes early in its own claim (`OWN_CLAUSE_WORDS`),
    its own claim does not name its topic first (`_own_topic`) and the claim before does not
    deny or negate already («نفى والد الطالبة ما أشيع …» then «هذا افتراء وكذب وأنفيه»; «قال
    داود اوغلو ان بلاده، على عكس بعض المعلومات، لم تنذر مسبقا النظام السوري» then «وقال ان هذه
    المعلومات لا اساس لها من الصحة»: the denial said again)."""
    out = {}
    found_at = [denial(claim.text) for claim in claims]
    for i, claim in enumerate(claims):
        found = found_at[i]
        if found is None:
            continue
        if found.anaphoric:
            if i == 0 or claims[i - 1].doc_id != claim.doc_id or _words_before(claim.text, found) > OWN_CLAUSE_WORDS \
                    or found_at[i - 1] is not None or _own_topic(claim.text, found) \
                    or claim_cues(claims[i - 1].text).negation >= SENTENCE_NEGATION:
                continue
            out[i] = (claims[i - 1].text, found)
        elif len(found.proposition) >= 15:       # «نفى ذلك»-sized leftovers deny nothing one can match
            out[i] = (found.proposition, found)
    return out


def _own_topic(text: str, found: Denial) -> bool:
    """Whether a pointing denial's own claim names, before the cue, what it points at: it opens
    on its topic («وعن اتهامه بخطف الأغاني قال إن الأمر هو مجرد إشاعات») or tells a question
    about it («حين كنا نسأل عن نية لتقسيم سوريا، كان الجميع ينفي»): `denial_topic` in
    denials.tsv."""
    toks = tokens(text[:found.cue_span[0]])
    topic = values("denial_topic", str)
    if toks and topic.get(toks[0]) == "opening":
        return True
    return any(topic.get(t) == "question" and {"عن", "حول"} & set(toks[n + 1:n + 4]) for n, t in enumerate(toks))


def _words_before(text: str, found: Denial) -> int:
    """How many words of its claim come before a denial's cue, who denies left out («ولكن عمر
    علوش، عضو مكتب العلاقات في المجلس …، نفى ما تم تداوله» opens its claim with the denial)."""
    before = text[:found.cue_span[0]]
    if found.speaker_span and found.speaker_span[1] <= found.cue_span[0]:
        before = before[:found.speaker_span[0]] + before[found.speaker_span[1]:]
    return len(re.findall(r"\w+", before))


def _reported(claim: Claim) -> bool:
    """Whether a claim says who reports it («ذكرت مواقع إخبارية أن …», «أفادت وكالة …»)."""
    return bool(claim.attributed_to) or report_of(claim.text) is not None


def apart_from_deniers(same_fact, deniers: Collection[int]):
    """The same-fact scores (pair form) with each pair of a claim that denies something (an
    index of `deniers`: `denied_propositions`) and a claim that does not set to 0. A denial is
    not the fact it denies, whether or not `match_denials` found what it answers: «نفت مصادر
    عراقية الأنباء … حول مقتل زعيم تنظيم الدولة» joined «روسيا ترجح مقتل البغدادي» as one more
    origin. Two denials of one thing may still be one fact. Read (docs/accuracy.md): the
    clusters of two documents or more that held both kinds were 5 on Baly folds 1-3 and 4 on a
    day of Saudi press, two facts in all but one claim that told an accusation and its denial."""
    if not deniers:
        return same_fact
    denies = np.isin(np.asarray(same_fact[0], dtype=np.int64).reshape(-1, 2), np.fromiter(deniers, dtype=np.int64))
    return zero_where(same_fact, denies[:, 0] != denies[:, 1])


def match_denials(claims: Sequence[Claim], vectors: np.ndarray, encoder: Encoder, model: SameFactModel, *,
                  k: int, floor: float, threshold: float,
                  denied: dict[int, tuple[str, Denial]] | None = None) -> list[DenialMatch]:
    """Each denying claim against the claims of other documents its denied proposition resembles
    most (`k` by cosine, `floor` or more); those whose p(same fact) with the proposition (the
    same-fact scorer, over the claims and the propositions together) reaches `threshold` are
    what it denies. A claim that denies the same thing agrees with it and is never a target;
    the claim an anaphoric denial points back to is its target too. `vectors[i]` belongs to
    `claims[i]` (rows L2-normalised); `denied` is `denied_propositions(claims)` when known."""
    denied = denied_propositions(claims) if denied is None else denied
    if not denied:
        return []
    deniers = sorted(denied)
    props = [denied[i][0] for i in deniers]
    prop_vectors = np.asarray(encoder.encode(props), dtype=np.float32)
    n = len(claims)
    both = np.vstack([vectors, prop_vectors])
    rows = np.arange(n, n + len(deniers))

    def keep(row: int, col: int) -> bool:
        # a claim that denies or negates the same thing agrees with the denial
        i = deniers[row - n]
        return col < n and claims[col].doc_id != claims[i].doc_id and col not in denied and \
            claim_cues(claims[col].text).negation < SENTENCE_NEGATION    # «إلى ما بعد» negates nothing

    pairs = sorted(top_k(rows, np.arange(n), both, floor=floor, k=k, keep=keep))
    pairs = [(p, t) if p >= n else (t, p) for p, t in pairs]        # (proposition row, claim)
    for row, i in enumerate(deniers, n):
        # «وذكرت مواقع إخبارية أن …»، «لكن المجلس نفى ما تم تداوله»: the article reports and denies
        if denied[i][1].anaphoric and _reported(claims[i - 1]) and (row, i - 1) not in pairs:
            pairs.append((row, i - 1))
    if not pairs:
        return []
    texts = [c.text for c in claims] + props
    scores = model.score(texts, both, [(t, p) for p, t in pairs])
    out = []
    for (row, target), score in zip(pairs, scores):
        i = deniers[row - n]
        found = denied[i][1]
        if score >= threshold or found.anaphoric and target == i - 1:
            speaker = found.speaker or (", ".join(claims[i].attributed_to) or None)
            out.append(DenialMatch(denier=i, target=target, score=round(float(score), 4),
                                   proposition=denied[i][0], speaker=speaker))
    return sorted(out, key=lambda m: (m.denier, m.target))


def anchored(claims: Sequence[Claim], matches: Sequence[DenialMatch],
             anchors: Sequence[frozenset[str]]) -> list[DenialMatch]:
    """The matches whose target, when in another document, shares an anchor (`matching.anchor_words`)
    with the denying claim or with what it denies: «نفى زوج المعلمة زيارة أي مسؤول من الجامعة له»
    denies nothing a column on «جامعة وطنية» says, however alike the words «مسؤول» and «جامعة»."""
    rare = frozenset().union(*anchors) if anchors else frozenset()
    out = []
    for m in matches:
        denier, target = claims[m.denier], claims[m.target]
        said = anchors[m.denier] | {w for w in content_stems(m.proposition) if w in rare and not is_year(w)}
        if denier.doc_id == target.doc_id or anchors[m.target] & said:
            out.append(m)
    return out


def keep_apart(claims: Sequence[Claim], clusters: Sequence[Cluster],
               matches: Sequence[DenialMatch]) -> list[Cluster]:
    """`clusters` with every denying claim taken out of the cluster of a claim it denies (into
    one of its own): a denial is never counted as confirming what it denies. The linkage
    already scores such pairs -1 (`matching.split_pairs`); this makes it a rule."""
    apart = {(claims[m.denier].id, claims[m.target].id) for m in matches}
    parts = {}
    for cluster in clusters:
        members = set(cluster.claim_ids)
        leave = {d for d, t in apart if d in members and t in members}
        if leave:
            rest = tuple(c for c in cluster.claim_ids if c not in leave)
            parts[cluster.id] = [rest] + [(c,) for c in cluster.claim_ids if c in leave]
    return split_clusters(claims, clusters, parts)


def denial_conflicts(claims: Sequence[Claim], matches: Sequence[DenialMatch], *,
                     window_days: int) -> list[Conflict]:
    """One conflict of kind "denial" per match: who denies, what, and against which report."""
    out = []
    for m in matches:
        denier, target = claims[m.denier], claims[m.target]
        a, b = (denier, target) if denier.id <= target.id else (target, denier)
        temporal = temporal_relation(a.time, b.time, window_days=window_days)
        if a.doc_id == b.doc_id and a.time is None and b.time is None:
            temporal = "same-period"
        who = m.speaker or asserter(denier)
        said = (who, asserter(target)) if a is denier else (asserter(target), who)
        out.append(Conflict(
            claim_a=a.id, claim_b=b.id, score=m.score, temporal=temporal,
            explanation=f"{who[0].upper()}{who[1:]} denies «{m.proposition}», which the other claim "
                        f"asserts (p(same fact) {m.score:.2f}); {_when(temporal)}.",
            cues=(f"denial: {m.proposition}",), scope="document" if a.doc_id == b.doc_id else "neighbours",
            kind="denial", said_by=said))
    return out


def _when(temporal: str) -> str:
    return {"same-period": "both speak of the same period, so they cannot both be true",
            "different-period": "they speak of different periods, so this may be an update",
            }.get(temporal, "when each holds is unknown")
