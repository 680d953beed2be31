"""Benchmark: how the cost of `analyze` grows with the number of Baly articles, and a plot.

For each size, the first N distinct Baly articles (dev folds 1-3) are analyzed twice in this
process with a warm model: once through the encoder (no cache: what a first run pays), once
with those vectors given (everything but the encoder). Stage times come from the log lines.

Run: .venv/bin/python bench/bench_growth.py [--sizes 25 50 100 200 400] [--out docs/img/growth.png]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import baly_articles  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50, 100, 200, 400])
    parser.add_argument("--out", type=Path, help="PNG plot of seconds against claims")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from corroborate.model import Document
    from corroborate.pipeline import analyze, load_models

    cached = load_models(cache=False)
    models = dataclasses.replace(cached, encoder=getattr(cached.encoder, "encoder", cached.encoder))
    models.encoder.encode(["تحميل النموذج"])
    articles = baly_articles(max(args.sizes))
    rows = []
    for n in args.sizes:
        docs = [Document(id=name, text=text) for name, text in articles[:n]]
        load = os.getloadavg()[0]
        start = time.perf_counter()
        first = analyze(docs, models=models)
        whole = time.perf_counter() - start
        vectors = models.encoder.encode([c.text for c in first.claims])   # as analyze embedded them
        start = time.perf_counter()
        analyze(docs, models=models, vectors=vectors)
        rest = time.perf_counter() - start
        rows.append({"articles": n, "claims": len(first.claims), "analyze_seconds": round(whole, 2),
                     "without_encoder_seconds": round(rest, 2), "load": round(load, 1),
                     "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)})
        print(json.dumps(rows[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    if args.out:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        claims = [r["claims"] for r in rows]
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(claims, [r["analyze_seconds"] for r in rows], "o-", label="analyze (first run)")
        ax.plot(claims, [r["without_encoder_seconds"] for r in rows], "s-", label="everything but the encoder")
        ax.set_xlabel("claims")
        ax.set_ylabel("seconds")
        ax.set_title("corroborate analyze on Baly articles (2 cores)")
        ax.legend()
        ax.grid(alpha=0.3)
        fig.tight_layout()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(args.out, dpi=120)


if __name__ == "__main__":
    main()
