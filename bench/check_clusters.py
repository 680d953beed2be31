"""Check: the sparse clustering path gives the clusters of the dense n x n path it replaced.

Runs `analyze` (nearest-neighbour pairs, copies among neighbours, sparse average linkage),
then rebuilds the clusters the way the code before issue 13 did on the same claims and
vectors (rapidfuzz over all n^2 pairs, a dense p(same fact) matrix, scipy's average linkage)
and counts the clusters that differ.

Run: .venv/bin/python bench/check_clusters.py seeds/            (or a folder of Baly articles)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def dense_clusters(claims, vectors, texts, models, settings) -> list[tuple[str, ...]]:
    """The clusters the dense code computed: n x n copies, affinity and distance matrices."""
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    from corroborate.samefact import same_fact_affinity
    from corroborate.text.normalize import normalize_text

    norm = [normalize_text(t) for t in texts]
    copies = cdist(norm, norm, scorer=fuzz.ratio, dtype=np.uint8, workers=-1) >= settings.fuzzy
    np.fill_diagonal(copies, False)
    sims = same_fact_affinity(texts, vectors, models.same_fact, floor=settings.similarity,
                              k=settings.neighbours, anchored_score=settings.anchored_same_fact)
    sims = np.where(copies, 1.0, np.clip(sims, -1.0, 1.0))
    dist = 1.0 - sims
    dist = (dist + dist.T) / 2
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(np.maximum(dist, 0.0), checks=False), method=settings.link)
    labels = fcluster(tree, t=1.0 - settings.same_fact + 1e-9, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    out = []
    for members in groups.values():
        if len({claims[i].doc_id for i in members}) >= settings.min_docs:
            out.append(tuple(claims[i].id for i in members))
        else:
            out.extend((claims[i].id,) for i in members)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("inputs", nargs="+", type=Path)
    args = parser.parse_args()
    from corroborate.model import Settings
    from corroborate.pipeline import analyze, load_models

    settings = Settings()
    models = load_models(settings)
    start = time.perf_counter()
    result = analyze(args.inputs, models=models, settings=settings)
    seconds = time.perf_counter() - start
    claims = list(result.claims)
    texts = [c.text for c in claims]
    vectors = models.encoder.encode(texts)             # from the cache: the vectors analyze used
    start = time.perf_counter()
    old = dense_clusters(claims, vectors, texts, models, settings)
    dense_seconds = time.perf_counter() - start
    new = {tuple(c.claim_ids) for c in result.clusters}
    old_set = {tuple(sorted(c, key=[x.id for x in claims].index)) for c in old}
    differ = new ^ old_set
    print(f"{len(claims)} claims, {len(new)} clusters (sparse) vs {len(old_set)} (dense); "
          f"{len(differ)} cluster(s) differ; analyze {seconds:.1f} s, dense clustering alone "
          f"{dense_seconds:.1f} s")
    for members in sorted(differ)[:10]:
        print("  ", "sparse" if members in new else "dense ", members)


if __name__ == "__main__":
    main()
