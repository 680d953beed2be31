"""Conflict stage: claim pairs that cannot both be true, inside clusters, across neighbours and inside articles."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .cues import (
    SENTENCE_NEGATION,
    ClaimCues,
    Cue,
    actor_words,
    claim_cues,
    contrast_marker,
    life_state,
    named_word,
    number_cues,
    outcome_polarity,
    pair_cues,
    two_measurements,
    verdict,
)
from .model import Claim, Cluster, Conflict, Document, Settings
from .neighbours import Copies, nearest_pairs, top_k
from .progress import bar
from .samefact import SameFactModel, idf_table
from .scoring import RelationScorer, score_in_chunks
from .text.content import content_stems
from .text.denials import denial
from .text.numbers import is_year, number_spans
from .text.tokens import tokens
from .timescope import temporal_relation


def two_sources(a: Claim, b: Claim) -> bool:
    """Two claims of two documents and two origins: what a conflict between outlets needs."""
    return a.doc_id != b.doc_id and a.origin != b.origin


def story_pairs(claims: Sequence[Claim], story: Mapping[str, str | None], subject: Callable[[int, int], float],
                cues_of: Callable[[int], ClaimCues], settings: Settings) -> list[tuple[int, int]]:
    """Index pairs (i < j) of claims of one story, other documents and other origins, that share
    at least twice `settings.min_subject` of their rare-word weight (the same actor and event)
    and carry a lexical cue: in a story told by many outlets the claim that contradicts another
    is seldom among its nearest neighbours, a few hundred other claims of the story being nearer.
    A story of more than `settings.story_candidate_claims` claims is left to the neighbour search."""
    members: dict[str, list[int]] = {}
    for n, c in enumerate(claims):
        if story.get(c.id):
            members.setdefault(story[c.id], []).append(n)
    out = []
    for indices in members.values():
        if len(indices) > settings.story_candidate_claims:
            continue
        for x, i in enumerate(indices):
            for j in indices[x + 1:]:
                a, b = claims[i], claims[j]
                if not two_sources(a, b) or subject(i, j) < 2 * settings.min_subject:
                    continue
                if pair_cues(cues_of(i), cues_of(j), settings):
                    out.append((min(i, j), max(i, j)))
    return out


def editions(documents: Sequence[Document]) -> dict[str, tuple[str, str]]:
    """document id -> (outlet, day) for the documents that name both: one outlet's edition of a day."""
    return {d.id: (d.outlet, d.published[:10]) for d in documents
            if d.outlet and d.published and len(d.published) >= 10}


def title_subjects(titles: Mapping[str, str | None], *, most: int) -> dict[str, frozenset[str]] | None:
    """Document id -> the words of its title (content stems, years aside) that at most `most`
    of the pile's titles use: what the document is about («بترورابغ», «عناية»). None when the
    pile has fewer than ten times `most` documents: among a few titles every word is rare, and
    two headlines of one event in other words would read as two subjects."""
    if most <= 0 or len(titles) < 10 * most:
        return None
    bags = {doc: frozenset(w for w in content_stems(t or "") if not is_year(w)) for doc, t in titles.items()}
    df = Counter(w for bag in bags.values() for w in bag)
    return {doc: frozenset(w for w in bag if df[w] <= most) for doc, bag in bags.items()}


def two_subjects(subjects: Mapping[str, frozenset[str]], doc_a: str, doc_b: str) -> bool:
    """Whether two documents' titles both name rare words (`title_subjects`) and share none."""
    a, b = subjects.get(doc_a), subjects.get(doc_b)
    return doc_a != doc_b and bool(a) and bool(b) and not a & b


def contrast_pairs(claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """(previous claim, claim) index pairs where a claim opens with a contrast phrase.

    «على عكس ذلك كشف مصدر ...» contradicts the claim just before it in the same article,
    however different the wording; no similarity search would pair them reliably. After a
    negated claim the phrase goes on with it instead («لكن إرجاء المحادثات لا يعني إلغاءها» then
    «على العكس، فإن الملا منصور معتدل»: not X; on the contrary, Y), and it answers nothing.
    """
    out = []
    for j in range(1, len(claims)):
        if claims[j - 1].doc_id == claims[j].doc_id and contrast_marker(claims[j].text) \
                and claim_cues(claims[j - 1].text).negation < SENTENCE_NEGATION:
            out.append((j - 1, j))
    return out


def outcome_pairs(claims: Sequence[Claim], vectors: np.ndarray, *, floor: float,
                  k: int, block: int = 1024) -> list[tuple[int, int]]:
    """Index pairs (i < j): each claim with an outcome (worked/stopped/complied vs
    failed/went on/refused) and its `k` most similar claims of the opposite outcome, cosine
    >= `floor`, taken from other documents and other origins.

    In one story nearly every sentence sits within a few hundredths of cosine of every other,
    so «رفض قيس الخزعلي الالتزام بالهدنة» need not be among the nearest claims of «وافقت
    معظم الفصائل» though it answers it; searching among the few claims of opposite outcome
    finds it, and the work stays at (claims with an outcome) * `k`. Inside one document the
    nearest-neighbour search already looks; two relays of one wire story are one account,
    not two that could contradict each other.
    """
    polarity = np.array([outcome_polarity(c.text)[0] for c in claims])
    pos, neg = np.flatnonzero(polarity > 0), np.flatnonzero(polarity < 0)
    if not len(pos) or not len(neg):
        return []

    def keep(i: int, j: int) -> bool:
        return two_sources(claims[i], claims[j])

    found = top_k(pos, neg, vectors, floor=floor, k=k, keep=keep, block=block)
    found |= top_k(neg, pos, vectors, floor=floor, k=k, keep=keep, block=block)
    return sorted(found)


VERDICT_MOST = 50    # claims judging one named thing beyond which it is a standing phrase, not one thing


def verdict_pairs(claims: Sequence[Claim], *, most: int = VERDICT_MOST) -> list[tuple[int, int]]:
    """Index pairs (i < j) of claims of other documents and other origins that judge one named
    thing opposite ways (`cues.verdict`): «زيارة قاآني غير ناجحة» (2021) and «ووصف مسؤول … زيارة
    قاآني بأنها كانت ناجحة» (2024) are seldom among each other's nearest claims in a story where
    every sentence names the visit. A thing more than `most` claims judge is left to the other searches, so the
    work stays linear in the claims."""
    judged: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for n, c in enumerate(claims):
        sign, named = verdict(c.text)
        for thing in named:
            judged.setdefault(thing, []).append((n, sign))
    out = set()
    for members in judged.values():
        if len(members) > most:
            continue
        for x, (i, sign_i) in enumerate(members):
            for j, sign_j in members[x + 1:]:
                if sign_i != sign_j and two_sources(claims[i], claims[j]):
                    out.add((min(i, j), max(i, j)))
    return sorted(out)


def judged_apart(a: str, b: str) -> str | None:
    """The thing two claims judge opposite ways (`cues.verdict`), as the first claim writes it
    (its first run of shared word pairs, widened by the words beside it the second claim also
    has: «زياره الوزير للمصنع»), else None."""
    sign_a, named_a = verdict(a)
    sign_b, named_b = verdict(b)
    if not sign_a or sign_a != -sign_b:
        return None
    starts = sorted(named_a[pair] for pair in named_a.keys() & named_b.keys())
    if not starts:
        return None
    toks = tokens(a)
    other = {named_word(t) for t in tokens(b)} - {None}
    start, end = starts[0], starts[0] + 1
    while end in starts:
        end += 1
    while start > 0 and named_word(toks[start - 1]) in other:
        start -= 1
    while end + 1 < len(toks) and named_word(toks[end + 1]) in other:
        end += 1
    return " ".join(toks[start:end + 1])


LIFE_SHARED = 2     # words near both claims' life-or-death words that make them say it of one person


def two_voices(a: Claim, b: Claim) -> bool:
    """Two claims that two different sources say: of two documents and two origins, or of one
    document that names who says each and names two («وكانت وسائل إعلام باكستانية ذكرت أن …
    توفي» and «أكد قيادي في طالبان … أن جده ما زال على قيد الحياة»: the article reports a dispute)."""
    if a.doc_id != b.doc_id:
        return two_sources(a, b)
    return bool(a.attributed_to) and bool(b.attributed_to) and not set(a.attributed_to) & set(b.attributed_to)


def life_pairs(claims: Sequence[Claim], *, most: int = VERDICT_MOST) -> list[tuple[int, int]]:
    """Index pairs (i < j) of claims two sources say (`two_voices`) of which one says someone
    is alive and the other that they died or were killed, with `LIFE_SHARED` or more words near
    those words in common (`cues.life_state`): «البغدادي مازال على قيد الحياة» against «روسيا
    ترجح مقتل البغدادي», found whatever their nearest neighbours. A word near more than `most`
    such claims is left out, so the work stays linear in the claims."""
    near: dict[str, list[int]] = {}
    signs = {}
    for n, c in enumerate(claims):
        sign, words_near, _ = life_state(c.text)
        if sign:
            signs[n] = sign
            for w in words_near:
                near.setdefault(w, []).append(n)
    shared: Counter = Counter()
    for members in near.values():
        if len(members) > most:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                if signs[i] != signs[j] and two_voices(claims[i], claims[j]):
                    shared[min(i, j), max(i, j)] += 1
    return sorted(pair for pair, n in shared.items() if n >= LIFE_SHARED)


def lives_apart(a: str, b: str, rare: frozenset[str] | None = None) -> tuple[str, str] | None:
    """(cue kind, detail) when one of two claims says someone is alive and the other dead
    (`cues.life_state`, `LIFE_SHARED` near words in common, all of them in `rare` when given:
    the anchor words of both, names rather than «الماضي» or «الحكومات»); else None. The kind is
    "denied_death" when the alive side denies a death («نفت حركة طالبان … الشائعات حول وفاة جلال
    الدين حقاني»), else "life"; the detail says each side, the first claim's first, and the
    shared words as the first claim writes them."""
    life_a, life_b = life_state(a), life_state(b)
    common = life_a.near & life_b.near if rare is None else life_a.near & life_b.near & rare
    if not life_a.sign or life_a.sign != -life_b.sign or len(common) < LIFE_SHARED:
        return None
    written = [t for t in tokens(a) if content_stems(t) & common]

    def side(life) -> str:
        return "denies the death" if life.denied else {1: "alive", -1: "dead"}[life.sign]
    kind = "denied_death" if life_a.denied or life_b.denied else "life"
    return kind, f"{side(life_a)} / {side(life_b)}: {' '.join(dict.fromkeys(written))}"


def copy_holder(claims: Sequence[Claim], copies: Copies) -> Callable[[str, int, int], bool]:
    """`holds(doc_id, j, own)`: document `doc_id` holds a near-verbatim copy of claim j (`copies`,
    with the same numbers: a copy that changes a number is the other side) other than j and
    `own`."""
    partners: dict[int, set[int]] = {}
    for g, h in copies.pairs:
        partners.setdefault(g, set()).add(h)
        partners.setdefault(h, set()).add(g)
    held: dict[tuple[int, str], list[int]] = {}      # (copy group, document) -> its claims there
    for n, g in enumerate(copies.group.tolist()):
        held.setdefault((g, claims[n].doc_id), []).append(n)
    counts: dict[int, frozenset[float]] = {}

    def numbers(n: int) -> frozenset[float]:
        if n not in counts:
            counts[n] = frozenset(v for _, _, v in number_spans(tokens(claims[n].text)))
        return counts[n]

    def holds(doc_id: str, j: int, own: int) -> bool:
        g = int(copies.group[j])
        return any(k not in (j, own) and numbers(k) == numbers(j)
                   for h in {g} | partners.get(g, set()) for k in held.get((h, doc_id), ()))

    return holds


def says_both(claims: Sequence[Claim], holds: Callable[[str, int, int], bool]) -> Callable[[int, int], bool]:
    """`says_both(i, j)`: the document of claim i or of claim j also holds a copy of the other
    claim beside the claim itself (`holds`, from `copy_holder`). Two papers that print one
    timeline or one market list (physics olympiad 2002-2006 and 2007-2010, Oman's index and
    Bahrain's) each state both sides, so the two are not accounts set against each other."""
    return lambda i, j: holds(claims[i].doc_id, j, i) or holds(claims[j].doc_id, i, j)


def candidate_pairs(claims: Sequence[Claim], clusters: Sequence[Cluster], vectors: np.ndarray, *,
                    neighbour_similarity: float, k: int, outcome_k: int, within_article: bool = True,
                    verdicts: bool = False, lives: bool = False, block: int = 1024) -> list[tuple[int, int, str]]:
    """Claim index pairs (i < j) worth scoring, each with its scope, sorted by (i, j).

    Each claim's `k` most similar claims with cosine >= `neighbour_similarity` (so the work
    grows as n*k, not n^2; cosines are computed in row blocks of `block`), plus the pairs of
    `contrast_pairs` and `outcome_pairs` (`outcome_k` per claim), with `verdicts` those of
    `verdict_pairs` and with `lives` those of `life_pairs`. A contradiction often
    shares no antonym or negation with the claim it contradicts («زيارة قاآني غير ناجحة» /
    «الزيارة أدت إلى توقف الهجمات»), so the candidates are not screened here;
    `find_conflicts` weighs their cues. Scope: "document" for two claims of one document,
    "cluster" for one cluster, else "neighbours". Without `within_article`, two claims of one
    document are a candidate only as a contrast pair.
    """
    cluster_of = {cid: m for m, cl in enumerate(clusters) for cid in cl.claim_ids}
    found = set(nearest_pairs(vectors, floor=neighbour_similarity, k=k, block=block))
    if not within_article:
        found = {(i, j) for i, j in found if claims[i].doc_id != claims[j].doc_id}
    found.update(contrast_pairs(claims))
    found.update(outcome_pairs(claims, vectors, floor=neighbour_similarity, k=outcome_k, block=block))
    if verdicts:
        found.update(verdict_pairs(claims))
    if lives:
        found.update(life_pairs(claims))
    out = []
    for i, j in sorted(found):
        if claims[i].doc_id == claims[j].doc_id:
            scope = "document"
        elif claims[i].id in cluster_of and cluster_of[claims[i].id] == cluster_of.get(claims[j].id):
            scope = "cluster"
        else:
            scope = "neighbours"
        out.append((i, j, scope))
    return out


_CUE_SENTENCES = {
    "negation": "only one of the two claims is negated ({detail})",
    "antonym": "the claims use opposite words ({detail})",
    "number": "the claims give different numbers for the same thing ({detail})",
    "date": "the claims name different dates ({detail})",
    "outcome": "one claim says it worked, stopped or was complied with and the other that it "
               "failed, went on or was refused ({detail})",
    "contrast": "the second claim opens with «{detail}», answering the claim just before it in "
                "the same article",
    "verdict": "one claim judges a thing both name a success and the other a failure ({detail})",
    "life": "one claim says someone is alive and the other that they died or were killed ({detail})",
    "denied_death": "one claim denies that someone died or was killed and the other says they did ({detail})",
}


def _explain(cues: Sequence[Cue], time_a: str | None, time_b: str | None, temporal: str,
             p_disagree: float | None) -> str:
    """One plain sentence for a fact-checker: the cue the verdict rests on, the model's view
    where it was asked, and whether the two claims speak of one period."""
    cue = cues[0]
    detail = cue.detail.replace(" only in a", " in the first").replace(" only in b", " in the second")
    said = _CUE_SENTENCES[cue.kind].format(detail=detail)
    if len(cues) > 1:
        said += f", and {_CUE_SENTENCES[cues[1].kind].format(detail=cues[1].detail)}"
    if p_disagree is not None:
        said += f"; the relation model gives p(disagree) {p_disagree:.2f}"
    if temporal == "unknown":
        when = "when each holds is unknown"
    elif time_a is None and time_b is None:
        when = "both come from one undated article and name no time, so they speak of the same period"
    elif temporal == "same-period":
        when = (f"both speak of {time_a} (same period), so they cannot both be true" if time_a == time_b
                else f"they speak of {time_a} and {time_b} (same period), so they cannot both be true")
    else:
        when = (f"the first speaks of {time_a} and the second of {time_b} (different period), "
                "so this may be an update rather than a contradiction")
    return f"{said[0].upper()}{said[1:]}; {when}."


MODEL_CUES = ("negation", "antonym", "number", "date")   # edits the relation model was trained on
LIFE_CUES = ("life", "denied_death")     # one person alive in one claim, dead in the other
RULE_CUES = ("contrast", "verdict", *LIFE_CUES, "outcome")    # evidence that stands without the model
ON_THE_TEXT = ("contrast", "verdict", *LIFE_CUES)   # what the texts say outright: no same-fact gate, no model bar
ACROSS_STORIES = ("contrast", *LIFE_CUES)   # what holds between two stories: the article's own contrast, one life


def shared_subject(texts: Sequence[str]) -> tuple[Callable[[int, int], float], Mapping[str, float],
                                                  list[frozenset[str]]]:
    """f(i, j): share of the shorter claim's rare-word weight (IDF over `texts`) the other has
    too; the IDF table itself; and each text's content words."""
    bags = [content_stems(t) for t in texts]
    idf = idf_table(bags)
    mass = [sum(idf[w] for w in bag) for bag in bags]

    def share(i: int, j: int) -> float:
        low = min(mass[i], mass[j])
        return sum(idf[w] for w in bags[i] & bags[j]) / low if low else 0.0
    return share, idf, bags


def actor_share(actor_a: frozenset[str], actor_b: frozenset[str], words_a: frozenset[str],
                words_b: frozenset[str], idf: Mapping[str, float]) -> float:
    """How far each claim names the other's actor: the larger of the share of `actor_a`'s
    rare-word weight found among `words_b` (the other claim's content words) and the reverse;
    0 if neither claim has an actor. «أدت زيارة قاآني إلى توقف الهجمات» names the visit that
    «زيارة قاآني غير ناجحة» judges; «رفض الخزعلي» names no one of «وافقت الفصائل الأخرى»."""
    def found(actor: frozenset[str], other: frozenset[str]) -> float:
        mass = sum(idf.get(w, 0.0) for w in actor)
        return sum(idf.get(w, 0.0) for w in actor & other) / mass if mass else 0.0
    return max(found(actor_a, words_b), found(actor_b, words_a))


def find_conflicts(claims: Sequence[Claim], clusters: Sequence[Cluster], vectors: np.ndarray,
                   scorer: RelationScorer, settings: Settings, *,
                   near_copies: Callable[[int, int], bool] | None = None,
                   scorer_vectors: bool = False, progress: bool = False,
                   same_fact: SameFactModel | None = None,
                   anchors: Sequence[frozenset[str]] | None = None,
                   subjects: Mapping[str, frozenset[str]] | None = None,
                   editions: Mapping[str, tuple[str, str]] | None = None,
                   one_text: Callable[[int, int], bool] | None = None) -> list[Conflict]:
    """Claim pairs that cannot both be true as stated, sorted by (claim_a, claim_b).

    Candidates come from `candidate_pairs` (each claim's `settings.conflict_candidates` most
    similar claims, of other documents unless `settings.within_article`, its
    `settings.outcome_candidates` most similar claims of opposite outcome from other origins,
    and contrast-phrase pairs; never all n^2 pairs). A candidate needs a
    lexical reason to be a conflict (`cues.pair_cues`, from each claim's `cues.claim_cues`,
    computed once per claim); then
    - a negation, antonym, number or date cue counts when the two claims share at least
      twice `settings.min_subject` of their rare-word weight and `scorer` gives p(disagree)
      >= `settings.conflict_threshold`: one edit that flips a sentence is what it learned;
    - an opposed outcome (worked/stopped/complied vs failed/went on/refused) counts, with
      score `settings.outcome_score`, when the two claims share at least
      `settings.min_subject` of their rare-word weight (the same visit, the same factions)
      and one claim names at least `settings.min_actor` of the rare-word weight of the words
      around the other's outcome word (`actor_share`: the same actor);
    - with `settings.verdicts`, two claims of two documents and two origins that judge one named
      thing a success and a failure (`judged_apart`) count, with score `settings.outcome_score`,
      when they share at least `settings.min_subject` of their rare-word weight, with neither the
      same-fact gate nor the model's bar (an update over time is two facts by construction);
    - with `settings.life_states`, two claims two sources say (`two_voices`) of which one says
      someone is alive, or denies their death (kind "denial"), and the other that they died or
      were killed, with two anchor words near those words in common (`lives_apart`), count,
      with score `settings.outcome_score`, when
      they share at least `settings.min_subject` of their rare-word weight, with neither the
      same-fact gate nor the model's bar, and across stories (one life, whatever story tells it);
    - a contrast phrase («على عكس ذلك») counts, with score `settings.contrast_score`, for
      the claim before it in the same article when someone says one of them and the two share
      at least `settings.min_subject` of their rare-word weight (Washington's view of Syria
      against Ankara's fear of the Kurds is a comparison), unless the two give figures that
      share none (`cues.two_measurements`: two markets' returns set side by side);
    and an outcome conflict also needs p(disagree) >= `settings.rule_threshold` when that is
    above 0 (the contrast phrase is the article's own word).
    Without a cue the model is not asked: two relays or restatements of one fact differ in
    wording only, and a pair `near_copies(i, j)` calls copies is never a conflict unless a
    number or date differs. With `anchors` (`matching.anchor_words` per claim), two claims of
    two documents must share one: two banks' results in one template share only common words.
    With `subjects` (`title_subjects`), two documents whose titles name two subjects never conflict.
    With `editions` (`editions`) and `settings.one_edition`, two documents of one outlet and one
    day have no numbers cue: an outlet's two articles of a day count two things, or update one.
    With `one_text` (`says_both`), two documents of which one holds both claims never conflict;
    with `settings.one_text`, a count differs only when the other claim's document mentions it
    nowhere (two tiers of one rule, both printed by both papers, are no numbers cue).
    `temporal` tells an update (different-period, see
    `temporal_relation(window_days=settings.time_window_days)`) from a contradiction; two
    claims of one undated article that name no time are same-period. `explanation` says it in
    one sentence (`_explain`). `scorer_vectors`: `vectors` come from the encoder the scorer
    reads, so it is handed them instead of embedding the claims again. `progress`: bars on
    stderr over the candidates and the pairs scored, on large inputs.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(claims) < 2:
        return []
    pairs = candidate_pairs(claims, clusters, vectors,
                            neighbour_similarity=settings.neighbour_similarity,
                            k=settings.conflict_candidates, outcome_k=settings.outcome_candidates,
                            within_article=settings.within_article, verdicts=settings.verdicts,
                            lives=settings.life_states)
    min_subject = settings.min_subject
    subject, idf, bags = shared_subject([c.text for c in claims])
    features = {}                  # claim index -> its ClaimCues, for the claims that meet a candidate

    def cues_of(n: int) -> ClaimCues:
        if n not in features:
            features[n] = claim_cues(claims[n].text)
        return features[n]

    in_document: dict[str, list[int]] = {}
    for n, c in enumerate(claims):
        in_document.setdefault(c.doc_id, []).append(n)
    mentioned: dict[str, frozenset[float]] = {}

    def document_values(doc_id: str) -> frozenset[float]:
        if doc_id not in mentioned:
            mentioned[doc_id] = frozenset().union(*(cues_of(n).values for n in in_document[doc_id]))
        return mentioned[doc_id]

    def denies(n: int) -> bool:
        return denial(claims[n].text) is not None      # cached by text

    story = {cid: k.story for k in clusters for cid in k.claim_ids}
    if settings.story_candidates:
        known = {(i, j) for i, j, _ in pairs}
        pairs = sorted(pairs + [(i, j, "story") for i, j in story_pairs(
            claims, story, subject, cues_of, settings) if (i, j) not in known])

    contrasts = {(i, j): contrast_marker(claims[j].text) for i, j in contrast_pairs(claims)}
    checked = []   # (i, j, scope, a, b, cues, rule score or None); a, b in claim-id order
    for i, j, scope in bar(progress, "conflict candidates", "pair", iterable=pairs, at_least=10_000):
        ia, ib = (i, j) if claims[i].id <= claims[j].id else (j, i)
        a, b = claims[ia], claims[ib]
        cues = pair_cues(cues_of(ia), cues_of(ib), settings)
        judged = judged_apart(a.text, b.text) if settings.verdicts and two_sources(a, b) else None
        if judged:
            # one named thing, a success in one claim and a failure in the other: an update or a
            # dispute, whatever else the two say (the 2021 visit against the 2024 one)
            cues = [Cue("verdict", f"{cues_of(ia).outcome_words} vs {cues_of(ib).outcome_words} ({judged})",
                        settings.outcome_score)] + [c for c in cues if c.kind != "outcome"]
        lived = lives_apart(a.text, b.text, None if anchors is None else anchors[i] & anchors[j]) \
            if settings.life_states and two_voices(a, b) else None
        if lived:
            # one says someone lives (or denies their death), the other that they died: a dispute
            # or an update, whatever story each tells it in («البغدادي مازال على قيد الحياة» in a
            # piece on ISIS's currents)
            cues = [Cue(lived[0], lived[1], settings.outcome_score)] + cues
        answered = (i, j) in contrasts      # one article's claims: the only source of a contrast cue
        if answered and two_measurements(cues_of(ia), cues_of(ib)):
            # «بلغت مكاسب سوق أبوظبي 2.3%» then «وعلى العكس من ذلك، تراجعت عوائد السوق القطري
            # بنسبة 3.4%»: the article sets two markets' figures side by side, as opposed words do
            continue
        if answered:   # claims[j] answers claims[i], the claim just before it
            cues.insert(0, Cue("contrast", contrasts[i, j], settings.contrast_score))
        if settings.min_actor > 0 and any(c.kind == "outcome" for c in cues):
            reach = settings.actor_reach
            if actor_share(actor_words(cues_of(ia), reach), actor_words(cues_of(ib), reach),
                           bags[ia], bags[ib], idf) < settings.min_actor:
                cues = [c for c in cues if c.kind != "outcome"]   # two actors, two stories
        edition = editions.get(a.doc_id) if settings.one_edition and editions is not None else None
        if edition is not None and a.doc_id != b.doc_id and edition == editions.get(b.doc_id):
            # «قدمت الخدمة الإسعافية 45 بلاغا» / «… 33 بلاغا» in one paper's two reports of a
            # day: two places, two stocks, two apps — or one toll updated, no contradiction
            cues = [c for c in cues if c.kind != "number"]
        if settings.one_text and a.doc_id != b.doc_id and any(c.kind == "number" for c in cues):
            # «50 مليون ريال» and «40 مليون ريال», two tiers of one rule: a paper that gives the
            # other count too, in another sentence, sets neither against the other
            kept = {c.detail for c in number_cues(cues_of(ia), cues_of(ib), settings,
                                                  values_a=document_values(a.doc_id),
                                                  values_b=document_values(b.doc_id))}
            cues = [c for c in cues if c.kind != "number" or c.detail in kept]
        if not settings.date_alone and {c.kind for c in cues} == {"date"}:
            continue   # two claims naming different months were two events, not one misdated (read: 0 of 7)
        if not cues:
            continue
        if one_text is not None and a.doc_id != b.doc_id and one_text(i, j):
            continue    # one paper prints both years of a timeline, both markets of a list
        if denies(ia) and denies(ib) and not answered:
            continue    # «نفى الوزير ما تم تداوله عن التأجيل» and «أكد الوزير عدم صحة …»: two denials agree
        # two documents (so no contrast phrase, which answers a claim of its own article)
        if anchors is not None and a.doc_id != b.doc_id and not anchors[i] & anchors[j]:
            continue    # one template, two subjects: «البنك السعودي الفرنسي» / «البنك السعودي البريطاني»
        if subjects is not None and two_subjects(subjects, a.doc_id, b.doc_id):
            continue    # «أرباح بترورابغ» and «أرباح الصناعات الكهربائية»: the claims name neither
        if settings.same_story and story.get(a.id) != story.get(b.id):
            # two stories of a day (a cabinet decision, a football match) are two facts, whatever
            # words they share; the article's own contrast phrase stands on its own
            cues = [c for c in cues if c.kind in ACROSS_STORIES]
            if not cues:
                continue
        if near_copies is not None and near_copies(i, j) and not any(c.kind in ("number", "date") for c in cues):
            continue  # two relays of one report differ in spelling, not in fact
        share = subject(i, j)
        # an article's «على عكس ذلك كشف مصدر …» sets one account against another; a columnist's
        # «على العكس» is a turn of argument (Ibn Sina in the East, then in the West): the answer
        # must say who says it (SaudiNewsNet 2015-08-10: 4 unattributed contrasts, all rhetoric),
        # and of the same thing (eleven days: 4 contrasts sharing no rare word, all comparisons)
        rule = max((c.weight for c in cues if (c.kind == "contrast" and (a.attributed_to or b.attributed_to)
                                               and share >= min_subject)
                    or (c.kind in ("outcome", "verdict", *LIFE_CUES) and share >= min_subject)), default=None)
        # the model learned one-word edits of one sentence: ask it only about pairs that
        # share most of their rare words, not about any two sentences of one story
        if rule is None and not (share >= 2 * min_subject and any(c.kind in MODEL_CUES for c in cues)):
            continue
        checked.append((i, j, scope, a, b, cues, rule))
    if checked and same_fact is not None and settings.conflict_same_fact > 0:
        # a contradiction is two claims about one fact: the same-fact scorer must see one
        # (the article's own contrast phrase answers the claim before it, whatever it says)
        p_same = same_fact.score([c.text for c in claims], vectors, [(row[0], row[1]) for row in checked])
        checked = [row for row, p in zip(checked, p_same)
                   if p >= settings.conflict_same_fact or any(c.kind in ON_THE_TEXT for c in row[5])]
    if not checked:
        return []
    ask = [n for n, row in enumerate(checked) if row[-1] is None or settings.rule_threshold > 0]
    p_disagree = np.full(len(checked), np.nan, dtype=np.float32)
    if ask:
        left, right = [checked[n][0] for n in ask], [checked[n][1] for n in ask]
        given = (vectors[left], vectors[right]) if scorer_vectors else (None, None)
        proba = score_in_chunks(scorer, [claims[i].text for i in left], [claims[j].text for j in right],
                                *given, progress=progress, at_least=1_000)
        p_disagree[ask] = proba[:, 1]
    conflicts = []
    for (_, _, scope, a, b, cues, rule), p in zip(checked, p_disagree):
        if rule is not None:
            # the article's own «على عكس ذلك» and a verdict on one named thing stand on the text;
            # an opposed outcome needs the model too
            if settings.rule_threshold > 0 and p < settings.rule_threshold \
                    and not any(c.kind in ON_THE_TEXT for c in cues):
                continue
            score = rule
        else:
            score = float(p)
        if score < settings.conflict_threshold:
            continue
        # say first what the verdict rests on
        cues = ([c for c in cues if c.kind in RULE_CUES] if rule is not None else []) + \
            [c for c in cues if c.kind in MODEL_CUES]
        temporal = temporal_relation(a.time, b.time, window_days=settings.time_window_days)
        if settings.one_day and temporal == "same-period" and _two_days(a, b) and \
                not any(c.kind == "contrast" for c in cues):
            continue    # Monday's close and Tuesday's, two days' tallies: two facts, not one told twice
        if cues[0].kind == "number" and _other_days(a, b):
            temporal = "different-period"    # a count is of its day: «تداولات الأمس» against «اليوم»
        if a.doc_id == b.doc_id and a.time is None and b.time is None:
            # both speak of their article's present, as claims of a dated article that name no
            # time both get its publication date
            temporal = "same-period"
        conflicts.append(Conflict(
            claim_a=a.id, claim_b=b.id, score=round(float(score), 4), temporal=temporal,
            explanation=_explain(cues, a.time, b.time, temporal, None if np.isnan(p) else float(p)),
            cues=tuple(f"{c.kind}: {c.detail}" for c in cues), scope=scope, kind=conflict_kind(cues),
            said_by=(_sayer(a, cues), _sayer(b, cues))))
    return sorted(conflicts, key=lambda c: (c.claim_a, c.claim_b))


def _other_days(a: Claim, b: Claim) -> bool:
    """Two claims dated to two different days, one of them by its own words (not only by its
    article's publication date)."""
    return _two_days(a, b) and bool({a.time_basis, b.time_basis} - {None, "published"})


def _two_days(a: Claim, b: Claim) -> bool:
    """Two claims each dated to a day (by their words or their article's date), two different days."""
    return bool(a.time and b.time and len(a.time) == len(b.time) == 10 and a.time != b.time)


def conflict_kind(cues: Sequence[Cue]) -> str:
    """What kind of conflict a pair's cues make (`model.CONFLICT_KINDS`): the first cue decides."""
    return {"contrast": "contrast", "number": "numbers", "denied_death": "denial"}.get(cues[0].kind, "contradiction")


def _sayer(claim: Claim, cues: Sequence[Cue]) -> str:
    """Who says a claim of a conflict: for the claim that denies a death, who denies it as the
    denial names them («نفى المتحدث باسم طالبان نبأ وفاة …»), else `asserter`."""
    if cues[0].kind == "denied_death":
        found = denial(claim.text)
        if found is not None and found.speaker:
            return found.speaker
    return asserter(claim)


def asserter(claim: Claim) -> str:
    """Who says a claim, for a reader: whom the text names, else the origin it counts as."""
    return ", ".join(claim.attributed_to) or claim.origin or f"doc:{claim.doc_id}"


def one_per_copy(conflicts: Sequence[Conflict], claims: Sequence[Claim]) -> list[Conflict]:
    """`conflicts` with one conflict per pair of texts: when both claims are copies of the same
    two words (`Claim.copy_of`: twelve papers reprinting one dispatch against another's), the
    first conflict stands for the rest."""
    source = {c.id: c.copy_of or c.id for c in claims}
    seen: set[frozenset[str]] = set()
    out = []
    for x in conflicts:
        key = frozenset((source.get(x.claim_a, x.claim_a), source.get(x.claim_b, x.claim_b)))
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def merge_conflicts(*lists: Sequence[Conflict]) -> list[Conflict]:
    """One conflict per claim pair, sorted by (claim_a, claim_b): where two lists name the same
    pair, the later list's (a denial says more than the cue that found the same pair)."""
    merged = {(c.claim_a, c.claim_b): c for part in lists for c in part}
    return [merged[k] for k in sorted(merged)]


def mark_conflicted(clusters: Sequence[Cluster], conflicts: Sequence[Conflict]) -> list[Cluster]:
    """Clusters with status "conflicted" where a member claim takes part in a conflict."""
    involved = {c.claim_a for c in conflicts} | {c.claim_b for c in conflicts}
    return [dataclasses.replace(cl, status="conflicted") if involved.intersection(cl.claim_ids) else cl
            for cl in clusters]
