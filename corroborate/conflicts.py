"""Conflict stage: claim pairs that cannot both be true, inside clusters, across neighbours and inside articles."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from .cues import Cue, conflict_cues
from .model import Claim, Cluster, Conflict, Document, Settings
from .timescope import temporal_relation


def _top_neighbours(vectors: np.ndarray, *, k: int, floor: float, block: int = 1024) -> list[tuple[int, int, float]]:
    """(i, j, cosine) with i < j for each row's `k` nearest rows at cosine >= `floor`.

    Works in row blocks so a large corpus never holds the full n x n matrix.
    """
    n = vectors.shape[0]
    pairs: dict[tuple[int, int], float] = {}
    k = min(k, n - 1)
    if k <= 0:
        return []
    for start in range(0, n, block):
        sims = vectors[start:start + block] @ vectors.T
        for r in range(sims.shape[0]):
            sims[r, start + r] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for r, row in enumerate(top):
            i = start + r
            for j in row:
                s = float(sims[r, j])
                if s >= floor:
                    pairs[(min(i, int(j)), max(i, int(j)))] = s
    return [(i, j, s) for (i, j), s in pairs.items()]


def candidate_pairs(claims: Sequence[Claim], clusters: Sequence[Cluster], vectors: np.ndarray, *,
                    neighbour_similarity: float, k: int = 10,
                    max_cluster: int = 60) -> list[tuple[int, int, str]]:
    """Claim index pairs (i < j) worth scoring, each with its scope.

    "cluster": two claims of one cluster from different documents (every pair, or each
    claim's `k` nearest members when a cluster has more than `max_cluster` claims);
    "neighbours": claims of different clusters, one among the other's `k` nearest, at
    cosine >= `neighbour_similarity`; "document": two claims of the same document found
    either way. Sorted by (i, j).
    """
    index = {c.id: i for i, c in enumerate(claims)}
    cluster_of = {cid: n for n, cl in enumerate(clusters) for cid in cl.claim_ids}
    found: dict[tuple[int, int], str] = {}

    def scope(i: int, j: int, default: str) -> str:
        return "document" if claims[i].doc_id == claims[j].doc_id else default

    for cl in clusters:
        members = [index[c] for c in cl.claim_ids if c in index]
        if len(members) <= max_cluster:
            pairs = [(a, b) for x, a in enumerate(members) for b in members[x + 1:]]
        else:
            sub = _top_neighbours(vectors[members], k=k, floor=-1.0)
            pairs = [(members[a], members[b]) for a, b, _ in sub]
        for a, b in pairs:
            i, j = min(a, b), max(a, b)
            found[(i, j)] = scope(i, j, "cluster")
    for i, j, _ in _top_neighbours(vectors, k=k, floor=neighbour_similarity):
        if (i, j) not in found:
            same_cluster = cluster_of.get(claims[i].id) == cluster_of.get(claims[j].id)
            found[(i, j)] = scope(i, j, "cluster" if same_cluster else "neighbours")
    return sorted((i, j, s) for (i, j), s in found.items())


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
                   k: int = 10, document_cue: float = 0.7, window_days: int = 30) -> list[Conflict]:
    """Claim pairs that cannot both be true as stated, sorted by (claim_a, claim_b).

    `vectors[i]` is the L2-normalised vector of `claims[i]`; `model` is a relation model
    (`predict_proba(s1, s2, v1, v2)` -> agree/disagree/other), by default the committed one.
    Candidates come from `candidate_pairs` (bounded by `k` neighbours per claim, never all
    n^2 pairs). A candidate is a conflict when the model's p(disagree) reaches
    `settings.conflict_threshold` and some evidence backs it: pairs across clusters need
    cosine >= `settings.neighbour_similarity` (a negation in two sentences about different
    things is no conflict), and pairs inside one document also need a cue of weight
    >= `document_cue` (an article restating itself is the common case). `temporal` tells an
    update (different-period, see `temporal_relation(window_days=)`) from a contradiction.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(claims) < 2:
        return []
    if model is None:
        from .relations import default_relation_model

        model = default_relation_model()
    pairs = candidate_pairs(claims, clusters, vectors,
                            neighbour_similarity=settings.neighbour_similarity, k=k)
    if not pairs:
        return []
    left = [i for i, _, _ in pairs]
    right = [j for _, j, _ in pairs]
    proba = np.asarray(model.predict_proba([claims[i].text for i in left], [claims[j].text for j in right],
                                           vectors[left], vectors[right]))
    # the relation is symmetric but the model sees an ordered pair: average both directions
    proba_back = np.asarray(model.predict_proba([claims[j].text for j in right], [claims[i].text for i in left],
                                                vectors[right], vectors[left]))
    p_disagree = (proba[:, 1] + proba_back[:, 1]) / 2
    conflicts = []
    for (i, j, scope), p in zip(pairs, p_disagree):
        if p < settings.conflict_threshold:
            continue
        a, b = claims[i], claims[j]
        cues = conflict_cues(a.text, b.text)
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
