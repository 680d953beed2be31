"""Same-fact scoring for clustering: do two claims speak about the same fact (cosine + shared rare words)?"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from .errors import ModelError
from .neighbours import nearest_pairs
from .text.numbers import is_year
from .text.content import content_stems

FEATURES = ("cosine", "weighted_jaccard", "weighted_containment", "shared_numbers",
            "other_numbers", "token_set_ratio", "length_ratio")

def idf_table(bags: Sequence[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over the texts at hand: words most claims share weigh little."""
    df = Counter(w for bag in bags for w in bag)
    n = len(bags)
    return {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}


def pair_features(texts: Sequence[str], bags: Sequence[frozenset[str]], idf: dict[str, float],
                  vectors: np.ndarray, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """One row of FEATURES per index pair (i, j)."""
    rows = np.zeros((len(pairs), len(FEATURES)), dtype=np.float32)
    weight = [sum(idf.get(w, 1.0) for w in bag) for bag in bags]
    for r, (i, j) in enumerate(pairs):
        a, b = bags[i], bags[j]
        shared = sum(idf.get(w, 1.0) for w in a & b)
        union = weight[i] + weight[j] - shared
        nums_a = {w for w in a if w[:1].isdigit()}
        nums_b = {w for w in b if w[:1].isdigit()}
        rows[r] = (
            float(vectors[i] @ vectors[j]),
            shared / union if union else 0.0,
            shared / min(weight[i], weight[j]) if min(weight[i], weight[j]) else 0.0,
            len(nums_a & nums_b),
            len(nums_a ^ nums_b) if nums_a and nums_b else 0,
            fuzz.token_set_ratio(texts[i], texts[j]) / 100,
            min(len(texts[i]), len(texts[j])) / max(len(texts[i]), len(texts[j]), 1),
        )
    return rows


class SameFactModel:
    """Logistic regression over FEATURES; `score` gives p(same fact) per pair."""

    def __init__(self, mean: Sequence[float], scale: Sequence[float], coef: Sequence[float],
                 intercept: float, meta: dict | None = None) -> None:
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.meta = dict(meta or {})

    def proba(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, texts: Sequence[str], vectors: np.ndarray,
              pairs: Sequence[tuple[int, int]]) -> np.ndarray:
        """p(same fact) for each index pair of `texts` (IDF taken over all of `texts`)."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        bags = [content_stems(t) for t in texts]
        return self.proba(pair_features(texts, bags, idf_table(bags), vectors, pairs))

    def save(self, path: Path) -> None:
        data = {"features": list(FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, **self.meta}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> SameFactModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data["features"] != list(FEATURES):
                raise ValueError(f"features {data['features']} != {list(FEATURES)}")
            meta = {k: v for k, v in data.items()
                    if k not in ("features", "mean", "scale", "coef", "intercept")}
            return cls(data["mean"], data["scale"], data["coef"], data["intercept"], meta)
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"{path}: same-fact model missing or broken ({e}). Rebuild it with "
                             "`corroborate train-relations` or restore it from git.") from e


def same_fact_affinity(texts: Sequence[str], vectors: np.ndarray, model: SameFactModel, *,
                       floor: float, k: int, anchored_score: float) -> np.ndarray:
    """(n, n) p(same fact) for the `k` nearest pairs above cosine `floor`; 0 elsewhere, 1 on the diagonal.

    Pairs that share the counts and names of one event get at least `anchored_score`
    (see `anchored`).
    """
    pairs = nearest_pairs(vectors, floor=floor, k=k)
    affinity = np.eye(len(texts), dtype=np.float32)
    if pairs:
        rows, cols = np.array(pairs).T
        scores = np.maximum(model.score(texts, vectors, pairs), anchored_score * anchored(texts, pairs))
        affinity[rows, cols] = scores
        affinity[cols, rows] = scores
    return affinity


def anchored(texts: Sequence[str], pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """1 for pairs that share two counts (not years) and three rare words, else 0.

    The same event told by two outlets in their own words («3 جنود أميركيين ... موقع البرج 22»
    / «ثلاثة جنود أميركيين في موقع البرج 22») shares its numbers and names while the rest of
    each sentence differs; the scorer, trained mostly on headline pairs, reads the
    difference and scores such pairs 0.1-0.3. Rare = in at most 5 % of the texts (or 2).
    """
    bags = [content_stems(t) for t in texts]
    df = Counter(w for bag in bags for w in bag)
    rare_at = max(2, int(0.05 * len(texts)))
    out = np.zeros(len(pairs), dtype=np.float32)
    for n, (i, j) in enumerate(pairs):
        shared = bags[i] & bags[j]
        numbers = [w for w in shared if w[:1].isdigit() and not is_year(w)]
        rare = [w for w in shared if not w[:1].isdigit() and df[w] <= rare_at]
        if len(numbers) >= 2 and len(rare) >= 3:
            out[n] = 1.0
    return out
