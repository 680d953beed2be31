"""Benchmark: nearest-neighbour search and the whole clustering stage at 1k, 10k, 100k claims.

Each (method, n) runs in its own process so its peak memory (ru_maxrss) is its own.
Methods: `exact` (corroborate.neighbours.knn: blocked matrix products + partition),
`faiss-flat` (faiss IndexFlatIP, exact), `faiss-hnsw`, `hnswlib`, `usearch` (approximate;
recall@k against exact). `cluster` is the clustering stage of `analyze` on those vectors:
neighbour pairs, near copies, p(same fact), sparse average linkage.

Vectors are synthetic: a Gaussian fitted to real e5 claim vectors (the seeds'), with groups
of 1-6 near-duplicates planted (cosines in e5's narrow high band); texts for the same-fact
scorer are real seed claims cycled, each made distinct by a number. Exact search above
--exact-max rows is timed on a sample of query rows and scaled (queries cost the same each).

Run: .venv/bin/python bench/bench_index.py [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
K = 20


def synthetic(n: int, seed: int = 42) -> tuple[np.ndarray, list[str]]:
    from corroborate.engine import split_documents
    from corroborate.ingest import load_documents
    from corroborate.model import Settings
    from corroborate.pipeline import load_models

    texts = [c.text for found in split_documents(load_documents(ROOT / "seeds"), Settings()) for c in found]
    real = load_models().encoder.encode(texts)            # from the cache after the first run
    mean = real.mean(axis=0)
    u, s, vt = np.linalg.svd(real - mean, full_matrices=False)
    rng = np.random.default_rng(seed)
    facts = rng.normal(size=(n // 3 + 1, len(s))) * s / np.sqrt(len(real))
    owner = rng.integers(0, len(facts), n)
    noise = rng.normal(size=(n, real.shape[1])) * 0.01
    vectors = mean + facts[owner] @ vt + noise
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    return vectors, [f"{texts[i % len(texts)]} {i}" for i in range(n)]


def run(method: str, n: int, exact_max: int) -> dict:
    vectors, texts = synthetic(n)
    start = time.perf_counter()
    out: dict = {"method": method, "n": n}
    if method == "exact":
        from corroborate.neighbours import knn_rows

        rows = min(n, exact_max)
        index, _ = knn_rows(vectors, 0, rows, k=K)
        out["seconds"] = (time.perf_counter() - start) * n / rows
        out["scaled_from_rows"] = rows
    elif method == "cluster":
        from corroborate.cluster import cluster_claims
        from corroborate.model import Claim, Settings
        from corroborate.neighbours import candidates
        from corroborate.pipeline import load_models
        from corroborate.samefact import same_fact_pairs
        from corroborate.text.normalize import normalize_text

        settings, models = Settings(), load_models()
        start = time.perf_counter()
        pairs, copies = candidates([normalize_text(t) for t in texts], vectors, k=settings.neighbours,
                                   floor=settings.similarity, fuzzy=settings.fuzzy,
                                   copy_k=settings.copy_candidates)
        out["neighbours_seconds"] = time.perf_counter() - start
        affinity = same_fact_pairs(texts, vectors, models.same_fact, floor=settings.similarity,
                                   k=settings.neighbours, anchored_score=settings.anchored_same_fact, pairs=pairs)
        out["same_fact_seconds"] = time.perf_counter() - start - out["neighbours_seconds"]
        claims = [Claim(f"c-{i}", f"d{i % 50}", 0, 1, t) for i, t in enumerate(texts)]
        mark = time.perf_counter()
        clusters = cluster_claims(claims, None, similarity=settings.same_fact, copies=copies, affinity=affinity)
        out["linkage_seconds"] = time.perf_counter() - mark
        out["seconds"] = time.perf_counter() - start
        out["pairs"], out["clusters"] = len(pairs), len(clusters)
    else:
        exact_rows = min(n, 2000)
        from corroborate.neighbours import knn_rows

        truth, _ = knn_rows(vectors, 0, exact_rows, k=K)
        start = time.perf_counter()
        if method == "faiss-flat":
            import faiss

            index = faiss.IndexFlatIP(vectors.shape[1])
            index.add(vectors)
            _, found = index.search(vectors, K + 1)
        elif method == "faiss-hnsw":
            import faiss

            index = faiss.IndexHNSWFlat(vectors.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 100
            index.add(vectors)
            index.hnsw.efSearch = 64
            _, found = index.search(vectors, K + 1)
        elif method == "hnswlib":
            import hnswlib

            index = hnswlib.Index(space="ip", dim=vectors.shape[1])
            index.init_index(max_elements=n, ef_construction=100, M=16, random_seed=42)
            index.add_items(vectors, np.arange(n))
            index.set_ef(64)
            found, _ = index.knn_query(vectors, k=K + 1)
        elif method == "usearch":
            from usearch.index import Index

            index = Index(ndim=vectors.shape[1], metric="ip", dtype="f32", connectivity=16)
            index.add(np.arange(n), vectors)
            found = index.search(vectors, K + 1).keys
        else:
            raise SystemExit(f"unknown method {method}")
        out["seconds"] = time.perf_counter() - start
        hits = 0
        for r in range(exact_rows):
            got = [int(x) for x in found[r] if int(x) != r][:K]
            hits += len(set(got) & set(truth[r].tolist()))
        out["recall_at_20"] = round(hits / (exact_rows * K), 4)
    out["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--methods", nargs="+",
                        default=["exact", "faiss-flat", "faiss-hnsw", "hnswlib", "usearch", "cluster"])
    parser.add_argument("--exact-max", type=int, default=20000,
                        help="query rows timed for exact search; more are scaled from these")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)   # METHOD N: run in this process
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one[0], int(args.one[1]), args.exact_max)))
        return
    rows = []
    for n in args.sizes:
        for method in args.methods:
            load = os.getloadavg()[0]
            proc = subprocess.run([sys.executable, __file__, "--one", method, str(n),
                                   "--exact-max", str(args.exact_max)], capture_output=True, text=True)
            if proc.returncode:
                print(f"{method} {n}: failed\n{proc.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(proc.stdout.strip().splitlines()[-1])
            row["load"] = round(load, 1)
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
