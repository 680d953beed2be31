"""Neighbour search: the most similar claims of each claim, and near-verbatim copies among them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist, cpdist

# cosines of one row block against every row are held at once: block * n * 4 bytes
_BLOCK_FLOATS = 1 << 25


def _block_rows(n: int, block: int) -> int:
    return max(1, min(block, _BLOCK_FLOATS // max(n, 1)))


def _ranked(sims: np.ndarray, cols: np.ndarray, take: int) -> tuple[np.ndarray, np.ndarray]:
    """The `take` largest entries of one row of `sims`, most similar first, ties by position.

    Found with a partition (linear) rather than a full sort; entries tied with the last one
    taken are all considered, so the answer is the one a stable descending sort gives.
    """
    if take >= len(sims):
        order = np.lexsort((cols, -sims))
        return cols[order], sims[order]
    cut = np.partition(sims, len(sims) - take)[len(sims) - take]
    keep = np.flatnonzero(sims >= cut)
    order = np.lexsort((cols[keep], -sims[keep]))[:take]
    return cols[keep[order]], sims[keep[order]]


def knn_block_rows(n: int, block: int = 1024) -> int:
    """Rows per matrix product in `knn` for `n` vectors (engines split work on these bounds)."""
    return _block_rows(n, block)


def knn(vectors: np.ndarray, *, k: int, floor: float = -np.inf, block: int = 1024,
        progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `k` most similar other rows: (n, k) indices and (n, k) cosines.

    Exact (blocked matrix products, then each row's k-th largest cosine by a partition of
    the values: time n^2 * dim, memory n * k plus one block of cosines). Most similar first,
    ties by position; slots past the last neighbour with cosine >= `floor` hold index -1 and
    cosine -inf. Rows must be L2-normalised.
    """
    return knn_rows(vectors, 0, len(vectors), k=k, floor=floor, block=block, progress=progress)


def knn_rows(vectors: np.ndarray, start: int, stop: int, *, k: int, floor: float = -np.inf,
             block: int = 1024, progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """`knn` for rows start..stop only (against all rows); `start` on a block bound
    (`knn_block_rows`) gives exactly the rows `knn` gives."""
    from tqdm.auto import tqdm

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(vectors)
    k = max(0, min(k, n - 1))
    index = np.full((stop - start, k), -1, dtype=np.int64)
    cosine = np.full((stop - start, k), -np.inf, dtype=np.float32)
    if k == 0 or stop <= start:
        return index, cosine
    step = _block_rows(n, block)
    blocks = range(start, stop, step)
    for first in tqdm(blocks, desc="neighbours", unit="block", leave=False,
                      disable=not progress or len(blocks) < 4):
        rows = np.arange(first, min(first + step, stop))
        sims = vectors[rows] @ vectors.T
        sims[rows - first, rows] = -np.inf                 # never its own neighbour
        # each row's k-th largest cosine (values only: no index array of the whole block),
        # raised to the floor; what reaches it is every row's top k with its ties
        kth = np.partition(sims, n - k, axis=1)[:, n - k]
        np.maximum(kth, floor, out=kth)
        r, c = np.nonzero(sims >= kth[:, None])
        v = sims[r, c]
        order = np.lexsort((c, -v, r))                   # by row, most similar first, ties by position
        r, c, v = r[order], c[order], v[order]
        rank = np.arange(len(r)) - np.searchsorted(r, r)
        keep = rank < k
        index[first - start + r[keep], rank[keep]] = c[keep]
        cosine[first - start + r[keep], rank[keep]] = v[keep]
    return index, cosine


def pairs_of(index: np.ndarray, cosine: np.ndarray, *, floor: float, k: int) -> list[tuple[int, int]]:
    """Index pairs (i < j), sorted, of each row's first `k` neighbours with cosine >= `floor`."""
    index, cosine = index[:, :k], cosine[:, :k]
    rows, slots = np.nonzero((index >= 0) & (cosine >= floor))
    cols = index[rows, slots]
    pairs = np.unique(np.stack([np.minimum(rows, cols), np.maximum(rows, cols)], axis=1), axis=0)
    return [(int(i), int(j)) for i, j in pairs]


def top_k(rows: np.ndarray, cols: np.ndarray, vectors: np.ndarray, *, floor: float, k: int,
          keep: Callable[[int, int], bool], block: int = 1024) -> set[tuple[int, int]]:
    """Index pairs (min, max): for each index in `rows`, its `k` most similar indices of `cols`
    (cosine >= `floor`, most similar first, ties by position) that `keep(row, col)` accepts.

    Cosines are computed in row blocks, so memory stays at one block * len(cols).
    Rows of `vectors` must be L2-normalised.
    """
    rows, cols = np.asarray(rows), np.asarray(cols)
    found: set[tuple[int, int]] = set()
    if not len(rows) or not len(cols):
        return found
    target = vectors[cols]
    positions = np.arange(len(cols))
    step = _block_rows(len(cols), block)
    for start in range(0, len(rows), step):
        chunk = rows[start:start + step]
        for r, sims in zip(chunk, vectors[chunk] @ target.T):
            r, take = int(r), min(len(cols), 4 * k + 8)
            while True:
                ranked, values = _ranked(sims, positions, take)
                picked: list[int] = []
                for c, s in zip(ranked, values):
                    if s < floor:
                        break
                    j = int(cols[c])
                    if keep(r, j):
                        picked.append(j)
                        if len(picked) >= k:
                            break
                else:
                    # `keep` refused too many: look further down the ranking
                    if take < len(cols):
                        take = min(len(cols), take * 4)
                        continue
                break
            found.update((min(r, j), max(r, j)) for j in picked)
    return found


def nearest_pairs(vectors: np.ndarray, *, floor: float, k: int,
                  block: int = 1024) -> list[tuple[int, int]]:
    """Index pairs (i < j), sorted: each row's `k` most similar rows with cosine >= `floor`.

    Bounds later pairwise work at n*k pairs. Rows must be L2-normalised.
    """
    index, cosine = knn(vectors, k=k, floor=floor, block=block)
    return pairs_of(index, cosine, floor=floor, k=k)


@dataclass(frozen=True)
class Copies:
    """Which claims are near-verbatim copies of each other.

    Claims whose normalised texts are identical share a `group` (any number of them, with
    no pairs stored); `pairs` holds the pairs of groups (g < h) whose texts are near copies.
    `copies(i, j)` and `copies[i, j]` say whether claims i and j are copies (never i of itself).
    """

    group: np.ndarray
    pairs: frozenset[tuple[int, int]]

    def __call__(self, i: int, j: int) -> bool:
        if i == j:
            return False
        g, h = int(self.group[i]), int(self.group[j])
        return g == h or (min(g, h), max(g, h)) in self.pairs

    def __getitem__(self, ij: tuple[int, int]) -> bool:
        return self(*ij)

    @property
    def groups(self) -> int:
        return int(self.group.max()) + 1 if len(self.group) else 0


def copy_groups(texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    """Group number of each text (identical texts share one, numbered by first appearance)
    and the first index of each group."""
    first: dict[str, int] = {}
    group = np.empty(len(texts), dtype=np.int64)
    reps: list[int] = []
    for i, text in enumerate(texts):
        g = first.setdefault(text, len(first))
        if g == len(reps):
            reps.append(i)
        group[i] = g
    return group, reps


def near_copies(texts: Sequence[str], *, fuzzy: float,
                candidates: Iterable[tuple[int, int]] | None = None) -> Copies:
    """Near-verbatim copies among `texts` (normalised): rapidfuzz ratio >= `fuzzy`.

    Relayed wire copy differs from its source by spelling (الأميركية/الأمريكية), a dropped
    word or a re-cut sentence; `fuzz.ratio` on normalised text sees through that while
    embeddings alone may rank a same-topic sentence just as close. Identical texts are
    copies whatever their number. Other pairs are compared only among `candidates` (index
    pairs, e.g. nearest neighbours), or all pairs when None (quadratic: small inputs only).
    """
    group, reps = copy_groups(texts)
    found: set[tuple[int, int]] = set()
    if candidates is None:
        if len(reps) > 1:
            rep_texts = [texts[r] for r in reps]
            scores = cdist(rep_texts, rep_texts, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
            g, h = np.nonzero(np.triu(scores >= fuzzy, 1))
            found = {(int(a), int(b)) for a, b in zip(g, h)}
    else:
        pairs = {(min(g, h), max(g, h)) for g, h in
                 ((int(group[i]), int(group[j])) for i, j in candidates) if g != h}
        if pairs:
            ordered = sorted(pairs)
            scores = cpdist([texts[reps[g]] for g, _ in ordered], [texts[reps[h]] for _, h in ordered],
                            scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
            found = {p for p, s in zip(ordered, scores) if s >= fuzzy}
    return Copies(group=group, pairs=frozenset(found))


def candidates(texts: Sequence[str], vectors: np.ndarray, *, k: int, floor: float, fuzzy: float,
               copy_k: int, search: Callable[..., tuple[np.ndarray, np.ndarray]] = knn
               ) -> tuple[list[tuple[int, int]], Copies]:
    """The claim pairs worth scoring, and the near-verbatim copies, without any n x n work.

    Pairs: each claim's `k` nearest claims with cosine >= `floor` (as `nearest_pairs`).
    Copies (`texts` normalised): identical texts, and pairs of distinct texts among each
    distinct text's `copy_k` nearest distinct texts whose rapidfuzz ratio is >= `fuzzy`
    (searching distinct texts, so fifty relays of one sentence cannot crowd out its
    variants). `search(vectors, k=, floor=)` is the neighbour search (`knn`, or an
    engine's).
    """
    group, reps = copy_groups(texts)
    distinct = len(reps) == len(texts)
    index, cosine = search(vectors, k=max(k, copy_k) if distinct else k, floor=-np.inf)
    pairs = pairs_of(index, cosine, floor=floor, k=k)
    if distinct:
        near = pairs_of(index, cosine, floor=-np.inf, k=copy_k)
    else:
        rep_index, rep_cosine = search(vectors[reps], k=copy_k, floor=-np.inf)
        near = [(reps[i], reps[j]) for i, j in pairs_of(rep_index, rep_cosine, floor=-np.inf, k=copy_k)]
    return pairs, near_copies(texts, fuzzy=fuzzy, candidates=near)
