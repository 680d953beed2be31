"""Neighbour search: the most similar claims of each claim, and near-verbatim copies."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist


def near_copies(texts: Sequence[str], *, fuzzy: float) -> np.ndarray:
    """Boolean matrix: `texts[i]` and `texts[j]` are near-verbatim copies (rapidfuzz ratio >= `fuzzy`).

    Relayed wire copy differs from its source by spelling (الأميركية/الأمريكية), a dropped
    word or a re-cut sentence; `fuzz.ratio` on normalised text sees through that while
    embeddings alone may rank a same-topic sentence just as close.
    """
    n = len(texts)
    if n == 0:
        return np.zeros((0, 0), dtype=bool)
    scores = cdist(texts, texts, scorer=fuzz.ratio, dtype=np.uint8, workers=-1)
    same = scores >= fuzzy
    np.fill_diagonal(same, False)
    return same


def top_k(rows: np.ndarray, cols: np.ndarray, vectors: np.ndarray, *, floor: float, k: int,
          keep: Callable[[int, int], bool], block: int = 1024) -> set[tuple[int, int]]:
    """Index pairs (min, max): for each index in `rows`, its `k` most similar indices of `cols`
    (cosine >= `floor`, most similar first, ties by position) that `keep(row, col)` accepts.

    Cosines are computed in row blocks of `block`, so memory stays at block * len(cols).
    Rows of `vectors` must be L2-normalised.
    """
    found: set[tuple[int, int]] = set()
    for start in range(0, len(rows), block):
        chunk = rows[start:start + block]
        for r, sims in zip(chunk, vectors[chunk] @ vectors[cols].T):
            r, kept = int(r), 0
            for c in np.argsort(-sims, kind="stable"):
                if sims[c] < floor or kept >= k:
                    break
                j = int(cols[c])
                if keep(r, j):
                    found.add((min(r, j), max(r, j)))
                    kept += 1
    return found


def nearest_pairs(vectors: np.ndarray, *, floor: float, k: int,
                  block: int = 1024) -> list[tuple[int, int]]:
    """Index pairs (i < j), sorted: each row's `k` most similar rows with cosine >= `floor`.

    Bounds later pairwise work at n*k pairs. Rows must be L2-normalised.
    """
    every = np.arange(len(vectors))
    return sorted(top_k(every, every, vectors, floor=floor, k=k, keep=lambda i, j: i != j, block=block))
