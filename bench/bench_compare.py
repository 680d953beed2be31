"""Benchmark: pairs/second of `compare` on ANS dev pairs, without the score cache."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=300, help="first N ANS dev pairs")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    import pandas as pd

    from corroborate.compare import compare_pairs
    from corroborate.pipeline import load_models

    models = load_models(cache=False)          # a cached run would measure the cache
    df = pd.read_csv(args.data / "ans_stance" / "dev.csv").head(args.pairs)
    compare_pairs(df.head(8), models.encoder, models.scorer)      # loads both models first
    wall, cpu = time.perf_counter(), time.process_time()
    compare_pairs(df, models.encoder, models.scorer, progress=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{len(df)} pairs: {wall:.1f} s wall ({len(df) / wall:.1f} pairs/s), {cpu:.1f} CPU-s "
          f"({len(df) / cpu:.1f} pairs per CPU-second); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
