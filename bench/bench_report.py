"""Benchmark: wall time of `corroborate analyze seeds/` as a user runs it, and per-stage times in-process.

Run: .venv/bin/python bench/bench_report.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli_runs(runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "corroborate", "analyze", str(ROOT / "seeds"),
                            "--out", out, "--name", "seeds", "--quiet"], check=True)
            times.append(time.perf_counter() - start)
    return times


def stage_times() -> dict[str, float]:
    from corroborate.claims import split_claims
    from corroborate.ingest import load_documents
    from corroborate.pipeline import analyze, load_models

    marks = {}
    start = time.perf_counter()
    docs = load_documents(ROOT / "seeds")
    marks["read"] = time.perf_counter() - start
    start = time.perf_counter()
    claims = [c for d in docs for c in split_claims(d)]
    marks["split"] = time.perf_counter() - start
    models = load_models()
    encoder = models.encoder
    start = time.perf_counter()
    encoder.encode(["warm-up"])
    marks["model load"] = time.perf_counter() - start
    start = time.perf_counter()
    vectors = encoder.encode([c.text for c in claims])
    marks[f"encode {len(claims)} claims"] = time.perf_counter() - start
    start = time.perf_counter()
    analyze(docs, models=models, vectors=vectors)
    marks["analyze with given vectors"] = time.perf_counter() - start
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = cli_runs(args.runs)
    print(f"corroborate analyze seeds/ (CLI, {args.runs} runs): median {statistics.median(times):.1f} s,"
          f" min {min(times):.1f} s, max {max(times):.1f} s")
    for stage, seconds in stage_times().items():
        print(f"  {stage:32s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
