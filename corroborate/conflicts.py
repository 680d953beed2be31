"""Conflict stage: claim pairs that cannot both be true, inside clusters, across neighbours and inside articles."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .cluster import nearest_pairs
from .cues import ANTONYM_SIDES, Cue, conflict_cues, negation_score, stems, tokens
from .model import Claim, Cluster, Conflict, Document, Settings
from .timescope import temporal_relation


def _opposition_screen(texts: Sequence[str]) -> tuple[np.ndarray, list[set[int]]]:
    """Per text: is it negated, and which antonym sides (2*pair, 2*pair+1) its stems touch."""
    negated = np.zeros(len(texts), dtype=bool)
    sides: list[set[int]] = []
    for n, text in enumerate(texts):
        toks = tokens(text)
        negated[n] = negation_score(toks) > 0
        stem_set = set().union(*(stems(t) for t in toks)) if toks else set()
        sides.append({2 * p + s for p, pair in enumerate(ANTONYM_SIDES) for s, side in enumerate(pair)
                      if stem_set & side})
    return negated, sides


def candidate_pairs(claims: Sequence[Claim], clusters: Sequence[Cluster], vectors: np.ndarray, *,
                    neighbour_similarity: float, k: int = 10, block: int = 1024) -> list[tuple[int, int, str]]:
    """Claim index pairs (i < j) worth scoring, each with its scope, sorted by (i, j).

    e5 cosines of topical news sentences sit in a narrow band, so a claim's nearest
    neighbours by cosine alone miss most contradictions. A pair is a candidate when its
    cosine is >= `neighbour_similarity` and it passes a cheap opposition screen (negated in
    one claim only, or opposite sides of an antonym pair); each claim keeps its `k` most
    similar such partners, so the work grows as n*k, not n^2 (cosines are computed in row
    blocks of `block`). Scope: "document" for two claims of one document, "cluster" for one
    cluster, else "neighbours".
    """
    cluster_of = {cid: m for m, cl in enumerate(clusters) for cid in cl.claim_ids}
    negated, sides = _opposition_screen([c.text for c in claims])
    opposite = [{x ^ 1 for x in s} for s in sides]

    def opposed(i: int, j: int) -> bool:
        # same polarity and no antonym across: nothing for a contradiction to rest on
        return bool(negated[i] != negated[j] or sides[i] & opposite[j])

    found = nearest_pairs(vectors, floor=neighbour_similarity, k=k, accept=opposed, block=block)
    out = []
    for i, j in found:
        if claims[i].doc_id == claims[j].doc_id:
            scope = "document"
        elif cluster_of.get(claims[i].id) == cluster_of.get(claims[j].id):
            scope = "cluster"
        else:
            scope = "neighbours"
        out.append((i, j, scope))
    return out


def _explain(cues: Sequence[Cue], time_a: str | None, time_b: str | None, temporal: str,
             p_disagree: float) -> str:
    parts = [f"{c.kind}: {c.detail}" for c in cues[:2]] or [f"model: p(disagree) {p_disagree:.2f}"]
    if temporal == "unknown":
        parts.append("time unknown")
    elif time_a == time_b:
        parts.append(f"both {time_a} ({temporal.replace('-', ' ')})")
    else:
        parts.append(f"{time_a} vs {time_b} ({temporal.replace('-', ' ')})")
    return "; ".join(parts)


def find_conflicts(claims: Sequence[Claim], clusters: Sequence[Cluster], vectors: np.ndarray,
                   docs_by_id: Mapping[str, Document], settings: Settings, *, model=None,
                   k: int = 10, document_cue: float = 0.7, window_days: int = 30,
                   related: Callable[[list[tuple[int, int]]], np.ndarray] | None = None,
                   min_related: float = 0.0, document_related: float = 0.0) -> list[Conflict]:
    """Claim pairs that cannot both be true as stated, sorted by (claim_a, claim_b).

    `vectors[i]` is the L2-normalised vector of `claims[i]`; `model` is a relation model
    (`predict_proba(s1, s2, v1, v2)` -> agree/disagree/other), by default the committed one.
    Candidates come from `candidate_pairs` (at most `k` per claim, never all n^2 pairs);
    pairs inside a cluster that fail its cosine floor are not scored. A candidate is a conflict when the model's p(disagree) reaches
    `settings.conflict_threshold` and some evidence backs it: pairs across clusters need
    cosine >= `settings.neighbour_similarity` (a negation in two sentences about different
    things is no conflict), and pairs inside one document also need a cue of weight
    >= `document_cue` (an article restating itself is the common case). `temporal` tells an
    update (different-period, see `temporal_relation(window_days=)`) from a contradiction.
    `related(pairs)` (e.g. p(same fact) per index pair) must reach `min_related` before a pair
    is scored by the relation model:
    e5 puts every sentence of one story close together, so cosine alone lets a negation in
    one sentence "contradict" any other sentence about the same people.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(claims) < 2:
        return []
    if model is None:
        from .relations import default_relation_model

        model = default_relation_model()
    pairs = candidate_pairs(claims, clusters, vectors,
                            neighbour_similarity=settings.neighbour_similarity, k=k)
    if related is not None and pairs:
        # an article's own sentences all share its subject: inside one, ask for the same fact
        scores = related([(i, j) for i, j, _ in pairs])
        pairs = [pair for pair, score in zip(pairs, scores)
                 if score >= (document_related if pair[2] == "document" else min_related)]
    if not pairs:
        return []
    left = [i for i, _, _ in pairs]
    right = [j for _, j, _ in pairs]
    proba = np.asarray(model.predict_proba([claims[i].text for i in left], [claims[j].text for j in right],
                                           vectors[left], vectors[right]))
    # one direction only: the pair features cost milliseconds each and the head is near-symmetric
    p_disagree = proba[:, 1]
    conflicts = []
    for (i, j, scope), p in zip(pairs, p_disagree):
        if p < settings.conflict_threshold:
            continue
        a, b = claims[i], claims[j]
        cues = conflict_cues(a.text, b.text)
        # an article restates and qualifies itself all the time: inside one, ask for a strong cue
        if scope == "document" and not any(c.weight >= document_cue for c in cues):
            continue
        if a.id > b.id:
            a, b = b, a
            cues = conflict_cues(a.text, b.text)
        temporal = temporal_relation(a.time, b.time, window_days=window_days)
        conflicts.append(Conflict(
            claim_a=a.id, claim_b=b.id, score=round(float(p), 4), temporal=temporal,
            explanation=_explain(cues, a.time, b.time, temporal, float(p)),
            cues=tuple(f"{c.kind}: {c.detail}" for c in cues), scope=scope))
    return sorted(conflicts, key=lambda c: (c.claim_a, c.claim_b))


def mark_conflicted(clusters: Sequence[Cluster], conflicts: Sequence[Conflict]) -> list[Cluster]:
    """Clusters with status "conflicted" where a member claim takes part in a conflict."""
    involved = {c.claim_a for c in conflicts} | {c.claim_b for c in conflicts}
    return [dataclasses.replace(cl, status="conflicted") if involved.intersection(cl.claim_ids) else cl
            for cl in clusters]
