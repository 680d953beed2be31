"""`make bench-quick`: encoder, whole pipeline and clustering against BERTopic, in one run.

On the labelled clustering set of bench/README.md (ANS dev headlines, each with its
paraphrases as one cluster), with the same texts and the same embeddings for everything:
bare encoder sentences/s, whole `analyze` claims/s (warm models: encoder and cross-encoder
loaded; no cache), our clustering vs BERTopic's default UMAP + HDBSCAN (seconds and adjusted
Rand index), and a fresh process running `corroborate analyze seeds/` (no cache) beside the
bare encoding of the seeds' claims.
Writes reports/bench-quick.json.

Run: .venv/bin/python bench/bench_quick.py [--out reports/bench-quick.json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ans_clusters  # noqa: E402


def our_clusters(texts, vectors, models, settings) -> np.ndarray:
    """The clustering stage of `analyze` (neighbour pairs, copies, p(same fact), average
    linkage) on given vectors; each text its own document. A label per text."""
    from corroborate.cluster import cluster_claims
    from corroborate.model import Claim
    from corroborate.neighbours import candidates
    from corroborate.samefact import same_fact_pairs
    from corroborate.text.normalize import normalize_text

    claims = [Claim(f"c-{i}", f"d{i}", 0, len(t), t) for i, t in enumerate(texts)]
    pairs, copies = candidates([normalize_text(t) for t in texts], vectors, k=settings.neighbours,
                               floor=settings.similarity, fuzzy=settings.fuzzy,
                               copy_k=settings.copy_candidates)
    affinity = same_fact_pairs(texts, vectors, models.same_fact, floor=settings.similarity,
                               k=settings.neighbours, anchored_score=settings.anchored_same_fact, pairs=pairs)
    clusters = cluster_claims(claims, None, similarity=settings.same_fact, min_docs=1,
                              link=settings.link, copies=copies, affinity=affinity)
    labels = np.zeros(len(texts), dtype=int)
    for k, cluster in enumerate(clusters):
        for cid in cluster.claim_ids:
            labels[int(cid[2:])] = k
    return labels


def bertopic_clusters(texts, vectors) -> np.ndarray:
    """BERTopic with its defaults (UMAP + HDBSCAN) on the given embeddings; each outlier
    (topic -1) its own cluster, which only helps its score."""
    from bertopic import BERTopic

    topics, _ = BERTopic().fit_transform(texts, embeddings=vectors)
    topics = np.asarray(topics)
    out = topics.copy()
    outliers = np.flatnonzero(topics == -1)
    out[outliers] = topics.max() + 1 + np.arange(len(outliers))
    return out


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def cold_analyze() -> float:
    """Seconds for a fresh process running `corroborate analyze seeds/` with nothing cached."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "corroborate", "analyze", str(ROOT / "seeds"), "--out", out,
                        "--quiet", "--no-cache"], check=True, cwd=ROOT)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench-quick.json")
    args = parser.parse_args()
    from sklearn.metrics import adjusted_rand_score

    from corroborate.engine import split_documents
    from corroborate.ingest import load_documents
    from corroborate.model import Document, Settings
    from corroborate.pipeline import analyze, load_models

    load_before = os.getloadavg()[0]
    settings = Settings()
    cached = load_models(settings, cache=False)
    models = dataclasses.replace(cached, encoder=getattr(cached.encoder, "encoder", cached.encoder))
    encoder = models.encoder
    texts, truth = ans_clusters(split="dev")
    encoder.encode(texts[:8])                               # load the models before timing:
    models.scorer.predict_proba([texts[0]], [texts[1]])      # the cross-encoder loads on first use
    docs = [Document(id=f"ans-{i:04d}", text=t) for i, t in enumerate(texts)]
    result, pipeline_seconds = timed(lambda: analyze(docs, models=models, settings=settings))
    # the encoder's rate on the claims the pipeline made (headlines of no sentence are titles,
    # not claims, and are shorter than the rest: timing all texts would flatter the encoder)
    claim_texts = [c.text for c in result.claims]
    _, encode_seconds = timed(lambda: encoder.encode(claim_texts))
    vectors = encoder.encode(texts)

    ours, ours_seconds = timed(lambda: our_clusters(texts, vectors, models, settings))
    theirs, bertopic_seconds = timed(lambda: bertopic_clusters(texts, vectors))

    seed_claims = [c.text for found in split_documents(load_documents(ROOT / "seeds"), settings) for c in found]
    _, seed_seconds = timed(lambda: encoder.encode(seed_claims))
    cold = cold_analyze()

    numbers = {
        "claims": len(texts),
        "encoder_sent_per_s": round(len(claim_texts) / encode_seconds, 1),
        "pipeline_sent_per_s": round(len(result.claims) / pipeline_seconds, 1),
        "ours_cluster_seconds": round(ours_seconds, 2),
        "bertopic_cluster_seconds": round(bertopic_seconds, 2),
        "ours_ari": round(float(adjusted_rand_score(truth, ours)), 4),
        "bertopic_ari": round(float(adjusted_rand_score(truth, theirs)), 4),
        "cold_analyze_seconds": round(cold, 2),
        "seed_encode_seconds": round(seed_seconds, 2),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(numbers, indent=2))
    print(f"encoder {encoder.name}; {len(seed_claims)} seed claims; pipeline claims {len(result.claims)}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
