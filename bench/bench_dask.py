"""Benchmark: the local engine against Dask with 1 and 2 workers, on Baly articles.

Times the three stages an engine runs (claim splitting, embedding with nothing cached, the
neighbour search) and checks that each engine's answers equal the local ones.

Run: .venv/bin/python bench/bench_dask.py [--articles 60]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import baly_articles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from corroborate.engine import DaskEngine, LocalEngine
    from corroborate.model import Document, Settings
    from corroborate.pipeline import load_models

    settings = Settings()
    cached = load_models(settings, cache=False)
    encoder = getattr(cached.encoder, "encoder", cached.encoder)
    models = dataclasses.replace(cached, encoder=encoder)
    encoder.encode(["تحميل النموذج"])
    docs = [Document(id=name, text=text) for name, text in baly_articles(args.articles)]
    rows, reference = [], None
    for name, make in (("local", LocalEngine), ("dask, 1 worker", lambda: DaskEngine(workers=1)),
                       ("dask, 2 workers", lambda: DaskEngine(workers=2))):
        with make() as engine:
            if name != "local":      # workers load the encoder once; not part of the steady state
                engine.encode(models.encoder, ["تحميل النموذج"] * 64)
            load = os.getloadavg()[0]
            start = time.perf_counter()
            claims = [c for found in engine.split(docs, settings) for c in found]
            split = time.perf_counter() - start
            texts = [c.text for c in claims]
            start = time.perf_counter()
            vectors = engine.encode(models.encoder, texts)
            encode = time.perf_counter() - start
            start = time.perf_counter()
            index, cosine = engine.knn(vectors, k=settings.neighbours, floor=-np.inf)
            search = time.perf_counter() - start
        answer = (claims, vectors, index)
        same = reference is None or (answer[0] == reference[0] and np.array_equal(answer[1], reference[1])
                                     and np.array_equal(answer[2], reference[2]))
        reference = reference or answer
        rows.append({"engine": name, "claims": len(claims), "split_s": round(split, 2),
                     "encode_s": round(encode, 2), "knn_s": round(search, 2),
                     "total_s": round(split + encode + search, 2), "same_as_local": bool(same),
                     "load": round(load, 1)})
        print(json.dumps(rows[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
