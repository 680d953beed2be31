"""`compare` across languages on ArNLI valid (de-duplicated): similarity against
`relatedness_score` (Spearman, Pearson) and relation macro-F1 against the NLI label, for Arabic
s1 with Arabic s2, English s1 (`s1_en`) with Arabic s2, and Arabic s1 with English s2 (`s2_en`).

Run: .venv/bin/python bench/compare_crosslingual.py [--no-bridge]

`--no-bridge` scores every row with the Arabic relation scorer and e5's cosine, as `compare`
did before an English sentence against an Arabic one went through multilingual USE
(docs/accuracy.md, "compare across languages"). A minute or two with the caches warm.
"""

from __future__ import annotations

import argparse
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-bridge", action="store_true", help="the Arabic scorer for every row")
    args = ap.parse_args(argv)

    import pandas as pd
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics import f1_score

    from corroborate.compare import compare_pairs
    from corroborate.pipeline import load_models
    from corroborate.training.datasets import NLI_TO_RELATION

    df = pd.read_csv(DATA / "arnli" / "valid.csv", dtype=str, keep_default_na=False)
    df = df.drop_duplicates(subset=["s1", "s2"])
    gold = df["label"].map(NLI_TO_RELATION)
    related = df["relatedness_score"].astype(float).to_numpy()
    models = load_models()
    bridge = {} if args.no_bridge else {"bridge": models.bridge, "bridge_encoder": models.bridge_encoder}
    for name, a, b in (("ar-ar", "s1", "s2"), ("en-ar", "s1_en", "s2"), ("ar-en", "s1", "s2_en")):
        out = compare_pairs(pd.DataFrame({"s1": df[a], "s2": df[b]}), models.encoder,
                            models.cached_scorer or models.scorer, **bridge)
        sim = out["similarity"].to_numpy()
        print(f"{name}: n={len(df)} similarity Spearman {spearmanr(sim, related).statistic:.3f} "
              f"Pearson {pearsonr(sim, related).statistic:.3f}, relation macro-F1 "
              f"{f1_score(gold, out['relation'], average='macro'):.3f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
