"""Benchmark: the exact neighbour search (`corroborate.neighbours.knn_rows`) against the version
it replaced, in one run, on the same vectors, with the answers compared.

The version before (kept here as `previous_knn_rows`) partitioned each block of cosines with
`np.argpartition`, which writes an int64 index for every cosine of the block; the shipped one
partitions the values only, for each row's k-th largest cosine, and sorts what reaches it.

Vectors: the stored analyses of SaudiNewsNet days (`bench/conflicts_day.py prepare` keeps them
in `.cache/conflicts_day/NAME.pkl`; `--piles day,day2,...` concatenates them: real e5 claim
vectors, about a quarter of whose pairs lie above the 0.85 `similarity`), or, without
`--piles`, the synthetic e5-like vectors of `bench_index.py` (`--n`). Both searches run on the
first `--rows` query rows against all rows (each query row costs the same), so the ratio does
not need the whole n².

Run: .venv/bin/python bench/bench_knn.py --piles wk21,wk22,wk23,wk24,wk25,wk26,wk27 --rows 3000
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def previous_knn_rows(vectors: np.ndarray, start: int, stop: int, *, k: int, floor: float = -np.inf,
                      block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """`knn_rows` as it was before (commit fd54d68): a partition of indices per block."""
    from corroborate.neighbours import _block_rows, _ranked

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(vectors)
    k = max(0, min(k, n - 1))
    index = np.full((stop - start, k), -1, dtype=np.int64)
    cosine = np.full((stop - start, k), -np.inf, dtype=np.float32)
    every = np.arange(n)
    step = _block_rows(n, block)
    for first in range(start, stop, step):
        rows = np.arange(first, min(first + step, stop))
        sims = vectors[rows] @ vectors.T
        sims[rows - first, rows] = -np.inf
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top = np.take_along_axis(sims, part, axis=1)
        kth = top.min(axis=1)
        tied = (sims >= kth[:, None]).sum(axis=1) > k
        order = np.lexsort((part, -top), axis=1)
        part, top = np.take_along_axis(part, order, axis=1), np.take_along_axis(top, order, axis=1)
        for r in np.flatnonzero(tied):
            part[r], top[r] = _ranked(sims[r], every, k)
        top[top < floor] = -np.inf
        part[~np.isfinite(top)] = -1
        index[first - start:first - start + len(rows)] = part
        cosine[first - start:first - start + len(rows)] = top
    return index, cosine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--piles", help="stored day analyses to take vectors from, comma-separated")
    parser.add_argument("--n", type=int, default=50_000, help="synthetic vectors when no --piles")
    parser.add_argument("--rows", type=int, default=3000, help="query rows timed")
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--floor", type=float, default=-np.inf,
                        help="cosine floor (analyze's neighbour stage searches with none, -inf, and "
                             "applies `similarity` to the pairs afterwards)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, alternating; the best is kept")
    args = parser.parse_args()
    from corroborate.neighbours import knn_rows

    if args.piles:
        store = ROOT / ".cache" / "conflicts_day"
        vectors = np.concatenate([np.asarray(pickle.loads((store / f"{name}.pkl").read_bytes())["vectors"],
                                             dtype=np.float32) for name in args.piles.split(",")])
    else:
        from bench_index import synthetic

        vectors = synthetic(args.n)[0]
    vectors = np.ascontiguousarray(vectors)
    rows = min(args.rows, len(vectors))
    times: dict[str, list[float]] = {"previous": [], "shipped": []}
    answers = {}
    for _ in range(args.repeat):
        for name, search in (("previous", previous_knn_rows), ("shipped", knn_rows)):
            start = time.perf_counter()
            answers[name] = search(vectors, 0, rows, k=args.k, floor=args.floor)
            times[name].append(time.perf_counter() - start)
    same = all(np.array_equal(a, b) for a, b in zip(answers["previous"], answers["shipped"]))
    best = {name: min(t) for name, t in times.items()}
    print(f"vectors {len(vectors):,} x {vectors.shape[1]}, {rows:,} query rows, k {args.k}, floor {args.floor}; "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, t in times.items():
        print(f"  {name:9s} best {best[name]:.2f} s ({', '.join(f'{x:.2f}' for x in t)}); "
              f"whole pile ≈ {best[name] * len(vectors) / rows:.0f} s")
    print(f"  shipped / previous: {best['shipped'] / best['previous']:.2f} ×; same answer: {same}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
