"""Clustering stage: scored claim pairs (plus near-verbatim copies) -> clusters that partition the claims."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .model import Claim, Cluster
from .neighbours import Copies

# fcluster's cut in the scipy version this replaces: merges at distance <= 1 - similarity + 1e-9
_EPS = 1e-9


def cluster_id(claim_ids: Sequence[str]) -> str:
    """A cluster's id depends only on its members, so unchanged clusters keep their id."""
    digest = hashlib.sha1("\n".join(sorted(claim_ids)).encode("utf-8")).hexdigest()
    return f"k-{digest[:12]}"


def split_clusters(claims: Sequence[Claim], clusters: Sequence[Cluster],
                   parts: Mapping[str, Sequence[Sequence[str]]]) -> list[Cluster]:
    """`clusters` with each one whose id is in `parts` replaced by a cluster per group of its
    claim ids there (documents in claim order), sorted as `cluster_claims` sorts them."""
    doc_of = {c.id: c.doc_id for c in claims}
    out: list[Cluster] = []
    for cluster in clusters:
        if cluster.id not in parts:
            out.append(cluster)
            continue
        for ids in parts[cluster.id]:
            ids = tuple(ids)
            out.append(Cluster(id=cluster_id(ids), claim_ids=ids, doc_ids=tuple(dict.fromkeys(doc_of[c] for c in ids))))
    order = {c.id: i for i, c in enumerate(claims)}
    out.sort(key=lambda c: (-len(c.claim_ids), order[c.claim_ids[0]]))
    return out


def as_pairs(affinity) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, values) with rows < cols of a pair affinity given as (pairs, scores),
    a scipy sparse matrix or a dense (n, n) array (zeros and the diagonal dropped)."""
    if isinstance(affinity, tuple):
        pairs, scores = affinity
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        rows, cols = pairs.min(axis=1), pairs.max(axis=1)
        return rows, cols, np.asarray(scores, dtype=np.float32)
    if hasattr(affinity, "tocoo"):
        coo = affinity.tocoo()
        rows, cols, values = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    else:
        dense = np.clip(np.asarray(affinity, dtype=np.float32), -1.0, 1.0)
        # average the two triangles: matmul noise makes cosines slightly asymmetric
        upper = (np.triu(dense, 1) + np.tril(dense, -1).T) / 2
        rows, cols = np.nonzero(upper)
        values = upper[rows, cols]
        return rows.astype(np.int64), cols.astype(np.int64), values.astype(np.float32)
    keep = rows < cols
    return rows[keep], cols[keep], np.asarray(values[keep], dtype=np.float32)


def _copies(copies, n: int) -> Copies:
    if copies is None:
        return Copies(group=np.arange(n), pairs=frozenset())
    if isinstance(copies, Copies):
        return copies
    i, j = np.nonzero(np.triu(np.asarray(copies, dtype=bool), 1))   # a dense boolean matrix
    return Copies(group=np.arange(n), pairs=frozenset(zip(i.tolist(), j.tolist())))


@dataclass(frozen=True)
class GroupGraph:
    """Claim pairs folded onto copy groups: what `link_groups` clusters.

    Node g stands for `sizes[g]` claims that are identical to each other (distance 0). Edge
    e joins nodes rows[e] < cols[e]; over the claim pairs across them that have a score,
    `total` is the sum, `count` the number, `least` and `most` the extremes. A claim pair
    with no score has affinity 0.
    """

    sizes: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    total: np.ndarray
    count: np.ndarray
    least: np.ndarray
    most: np.ndarray


def group_graph(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, copies: Copies) -> GroupGraph:
    """Scored claim pairs (rows < cols) folded onto the copy groups of `copies`.

    Copies are identical to each other: every claim pair across two copy groups (or inside
    one) has affinity 1, whatever it was scored. Other affinities are clipped to [-1, 1].
    """
    group = copies.group
    width = max(copies.groups, 1)
    sizes = np.bincount(group, minlength=copies.groups).astype(np.int64)
    g, h = group[rows], group[cols]
    lo, hi = np.minimum(g, h), np.maximum(g, h)
    values = np.clip(np.asarray(values, dtype=np.float64), -1.0, 1.0)
    copy_pairs = np.array(sorted(copies.pairs), dtype=np.int64).reshape(-1, 2)
    copy_keys = copy_pairs[:, 0] * width + copy_pairs[:, 1]
    key = lo * width + hi
    keep = (lo != hi) & ~np.isin(key, copy_keys)
    uniq, inverse = np.unique(key[keep], return_inverse=True)
    values = values[keep]
    total = np.bincount(inverse, weights=values, minlength=len(uniq))
    count = np.bincount(inverse, minlength=len(uniq)).astype(np.int64)
    least, most = np.full(len(uniq), np.inf), np.full(len(uniq), -np.inf)
    np.minimum.at(least, inverse, values)
    np.maximum.at(most, inverse, values)
    whole = sizes[copy_pairs[:, 0]] * sizes[copy_pairs[:, 1]]
    ones = np.ones(len(copy_pairs))
    return GroupGraph(sizes=sizes,
                      rows=np.concatenate([uniq // width, copy_pairs[:, 0]]),
                      cols=np.concatenate([uniq % width, copy_pairs[:, 1]]),
                      total=np.concatenate([total, whole.astype(np.float64)]),
                      count=np.concatenate([count, whole]),
                      least=np.concatenate([least, ones]), most=np.concatenate([most, ones]))


def link_groups(graph: GroupGraph, *, similarity: float, link: str = "average") -> np.ndarray:
    """Flat clusters of agglomerative clustering on a sparse graph: a label per node.

    Distance is 1 - affinity; two clusters merge while their `link` distance is at most
    1 - `similarity`. This is the tree scipy's `linkage` builds on the dense (n, n)
    distance matrix, cut as `fcluster(criterion="distance")` cuts it, without that matrix:
    single, complete and average linkage are reducible, so merging the closest pair first
    gives the same tree, and an average (or extreme) of item distances that are all above
    the cut is above it too, so clusters with no edge between them never merge. Ties are
    merged in order of the nodes' numbers.
    """
    n = len(graph.sizes)
    parent = list(range(n))
    need = similarity - _EPS
    if link == "single":
        # single linkage merges along any edge at or above the cut: connected components
        joined = graph.most >= need
        for a, b in zip(graph.rows[joined].tolist(), graph.cols[joined].tolist()):
            ra, rb = _root(parent, a), _root(parent, b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        return np.array([_root(parent, g) for g in range(n)], dtype=np.int64)
    complete = link == "complete"
    size = graph.sizes.tolist()
    # per node: neighbour -> affinity sum (average) or [least, claim pairs with a score] (complete)
    near: list[dict] = [{} for _ in range(n)]
    edge_values = graph.least.tolist() if complete else graph.total.tolist()
    for a, b, v, c in zip(graph.rows.tolist(), graph.cols.tolist(), edge_values, graph.count.tolist()):
        near[a][b] = near[b][a] = (v, c) if complete else v

    def score(a: int, b: int) -> float:
        if complete:
            least, pairs = near[a][b]
            return least if pairs == size[a] * size[b] else 0.0
        return near[a][b] / (size[a] * size[b])

    version = [0] * n
    heap = [(-score(a, b), a, b, 0, 0) for a, b in zip(graph.rows.tolist(), graph.cols.tolist())
            if score(a, b) >= need]
    heapq.heapify(heap)
    while heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if version[a] != va or version[b] != vb or parent[a] != a or parent[b] != b:
            continue                                    # stale: one of them has merged since
        if len(near[a]) < len(near[b]):
            a, b = b, a                                 # fold the smaller neighbour list in
        parent[b] = a
        size[a] += size[b]
        version[a] += 1
        del near[a][b]
        for x, v in near[b].items():
            if x == a:
                continue
            del near[x][b]
            if x not in near[a]:
                merged = v
            elif complete:
                merged = (min(near[a][x][0], v[0]), near[a][x][1] + v[1])
            else:
                merged = near[a][x] + v
            near[a][x] = near[x][a] = merged
        near[b] = {}
        for x in near[a]:
            s = score(a, x)
            if s >= need:
                lo, hi = (a, x) if a < x else (x, a)
                heapq.heappush(heap, (-s, lo, hi, version[lo], version[hi]))
    return np.array([_root(parent, g) for g in range(n)], dtype=np.int64)


def _root(parent: list[int], g: int) -> int:
    while parent[g] != g:
        parent[g] = parent[parent[g]]
        g = parent[g]
    return g


def cluster_claims(claims: Sequence[Claim], vectors: np.ndarray | None, *, similarity: float,
                   min_docs: int = 2, link: str = "average", copies=None,
                   affinity=None) -> list[Cluster]:
    """Group claims that make the same assertion; every claim lands in exactly one cluster.

    `affinity` scores claim pairs in [0, 1], e.g. p(same fact): `(pairs, scores)` (index
    pairs and one score each, as `samefact.same_fact_pairs` gives), a scipy sparse matrix,
    or a dense (n, n) array; pairs not given score 0. Without it, `vectors[i]` (belonging
    to `claims[i]`, rows L2-normalised) give every pair its cosine: n^2 pairs, for small
    inputs only. Two groups merge while their `link`-linkage affinity is at least
    `similarity`; claims that `copies` marks as near-verbatim copies (a `neighbours.Copies`,
    or a dense boolean matrix) count as identical. A group that spans fewer than `min_docs`
    documents is split back into single claims: a sentence repeated inside one article
    corroborates nothing. Clusters come back sorted by (-size, first claim id), members by
    claim order, so the output is deterministic.
    """
    n = len(claims)
    if n == 0:
        return []
    if affinity is None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.shape[0] != n:
            raise ValueError(f"{vectors.shape[0]} vectors for {n} claims")
        affinity = vectors @ vectors.T
    elif not isinstance(affinity, tuple) and getattr(affinity, "shape", (n, n)) != (n, n):
        raise ValueError(f"{affinity.shape[0]} affinity rows for {n} claims")
    copies = _copies(copies, n)
    graph = group_graph(*as_pairs(affinity), copies)
    labels = link_groups(graph, similarity=similarity, link=link)[copies.group]

    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(index)
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
