"""Clustering stage: claim vectors (plus near-verbatim copies) -> clusters that partition the claims."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from .model import Claim, Cluster


def cluster_id(claim_ids: Sequence[str]) -> str:
    """A cluster's id depends only on its members, so unchanged clusters keep their id."""
    digest = hashlib.sha1("\n".join(sorted(claim_ids)).encode("utf-8")).hexdigest()
    return f"k-{digest[:12]}"


def cluster_claims(claims: Sequence[Claim], vectors: np.ndarray | None, *, similarity: float,
                   min_docs: int = 2, link: str = "average", copies: np.ndarray | None = None,
                   affinity: np.ndarray | None = None) -> list[Cluster]:
    """Group claims that make the same assertion; every claim lands in exactly one cluster.

    `vectors[i]` belongs to `claims[i]`; rows must be L2-normalised, so a dot product is the
    cosine. Two groups merge while their `link`-linkage cosine is at least `similarity`;
    pairs marked in `copies` (near-verbatim copies) are treated as identical. `affinity`, an
    (n, n) matrix in [0, 1] such as p(same fact), replaces the cosines when given. A group that
    spans fewer than `min_docs` documents is split back into single claims: a sentence
    repeated inside one article corroborates nothing. Clusters come back sorted by
    (-size, first claim id), members by claim order, so the output is deterministic.
    """
    n = len(claims)
    if n == 0:
        return []
    sims = affinity if affinity is not None else vectors @ vectors.T
    if sims.shape != (n, n):
        raise ValueError(f"{sims.shape[0]} vectors or affinity rows for {n} claims")
    labels = np.arange(n)
    if n > 1:
        sims = np.clip(sims, -1.0, 1.0)
        if copies is not None:
            sims = np.where(copies, 1.0, sims)
        dist = 1.0 - sims
        dist = (dist + dist.T) / 2          # float noise makes matmul results slightly asymmetric
        np.fill_diagonal(dist, 0.0)
        tree = linkage(squareform(np.maximum(dist, 0.0), checks=False), method=link)
        labels = fcluster(tree, t=1.0 - similarity + 1e-9, criterion="distance")

    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    members: list[list[int]] = []
    for indices in groups.values():
        if len({claims[i].doc_id for i in indices}) >= min_docs:
            members.append(indices)
        else:
            members.extend([i] for i in indices)

    clusters = []
    for indices in members:
        ids = tuple(claims[i].id for i in indices)
        doc_ids = tuple(dict.fromkeys(claims[i].doc_id for i in indices))
        clusters.append(Cluster(id=cluster_id(ids), claim_ids=ids, doc_ids=doc_ids))
    order = {c.id: i for i, c in enumerate(claims)}
    clusters.sort(key=lambda c: (-len(c.claim_ids), order[c.claim_ids[0]]))
    return clusters
