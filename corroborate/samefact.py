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
from .progress import bar
from .text.content import content_stems
from .text.numbers import is_year

FEATURES = ("cosine", "weighted_jaccard", "weighted_containment", "shared_numbers",
            "other_numbers", "token_set_ratio", "length_ratio")
# Read when a model file names them: what pins two claims to one event beyond their wording
# (names, counts, dates; "topic is not fact": sharing the visit is not sharing what it did).
EXTRA_FEATURES = ("shared_rare", "rare_containment", "shared_dates", "date_clash", "unshared_rare")
KNOWN_FEATURES = FEATURES + EXTRA_FEATURES
RARE_SHARE = 0.05           # a word in at most this share of the texts (or 2) is rare: a name, a place


def idf_table(bags: Sequence[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over the texts at hand: words most claims share weigh little."""
    df = Counter(w for bag in bags for w in bag)
    n = len(bags)
    return {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}


def _rare(bags: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    df = Counter(w for bag in bags for w in bag)
    limit = max(2, int(RARE_SHARE * len(bags)))
    return [frozenset(w for w in bag if df[w] <= limit and not w[:1].isdigit()) for bag in bags]


def pair_features(texts: Sequence[str], bags: Sequence[frozenset[str]], idf: dict[str, float],
                  vectors: np.ndarray, pairs: Sequence[tuple[int, int]],
                  names: Sequence[str] = FEATURES, *, progress: bool = False) -> np.ndarray:
    """One row per index pair (i, j), one column per feature of `names` (KNOWN_FEATURES);
    `progress`: a bar on stderr for large inputs."""
    from .text.dates import mentioned
    from .text.tokens import tokens

    unknown = set(names) - set(KNOWN_FEATURES)
    if unknown:
        raise ValueError(f"unknown same-fact features {sorted(unknown)}")
    extra = any(n in EXTRA_FEATURES for n in names)
    rare = _rare(bags) if extra else []
    dates: dict[int, dict[str, set]] = {}

    def dates_of(i: int) -> dict[str, set]:
        if i not in dates:
            dates[i] = mentioned(tokens(texts[i]))
        return dates[i]

    weight = [sum(idf.get(w, 1.0) for w in bag) for bag in bags]
    rows = np.zeros((len(pairs), len(names)), dtype=np.float32)
    for r, (i, j) in enumerate(bar(progress, "same fact", "pair", iterable=pairs, at_least=50_000)):
        a, b = bags[i], bags[j]
        shared = sum(idf.get(w, 1.0) for w in a & b)
        union = weight[i] + weight[j] - shared
        nums_a = {w for w in a if w[:1].isdigit()}
        nums_b = {w for w in b if w[:1].isdigit()}
        f = {
            "cosine": float(vectors[i] @ vectors[j]),
            "weighted_jaccard": shared / union if union else 0.0,
            "weighted_containment": shared / min(weight[i], weight[j]) if min(weight[i], weight[j]) else 0.0,
            "shared_numbers": len(nums_a & nums_b),
            "other_numbers": len(nums_a ^ nums_b) if nums_a and nums_b else 0,
            "token_set_ratio": fuzz.token_set_ratio(texts[i], texts[j]) / 100,
            "length_ratio": min(len(texts[i]), len(texts[j])) / max(len(texts[i]), len(texts[j]), 1),
        }
        if extra:
            ra, rb = rare[i], rare[j]
            both = len(ra & rb)
            da, db = dates_of(i), dates_of(j)
            shared_dates = sum(len(da[k] & db[k]) for k in da)
            clash = any(da[k] and db[k] and not da[k] & db[k] for k in ("year", "month"))
            f.update(shared_rare=min(both, 6),
                     rare_containment=both / min(len(ra), len(rb)) if ra and rb else 0.0,
                     shared_dates=min(shared_dates, 3), date_clash=float(clash),
                     # rare words of the shorter claim the other lacks: what it adds to the topic
                     unshared_rare=min(len((ra if len(ra) <= len(rb) else rb) - (ra & rb)), 8))
        rows[r] = [f[n] for n in names]
    return rows


class SameFactModel:
    """Logistic regression over FEATURES; `score` gives p(same fact) per pair."""

    def __init__(self, mean: Sequence[float], scale: Sequence[float], coef: Sequence[float],
                 intercept: float, meta: dict | None = None,
                 features: Sequence[str] = FEATURES) -> None:
        self.features = tuple(features)
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = float(intercept)
        self.meta = dict(meta or {})

    def proba(self, features: np.ndarray) -> np.ndarray:
        z = ((features - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, texts: Sequence[str], vectors: np.ndarray,
              pairs: Sequence[tuple[int, int]], *, progress: bool = False) -> np.ndarray:
        """p(same fact) for each index pair of `texts` (IDF taken over all of `texts`)."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        bags = [content_stems(t) for t in texts]
        return self.proba(pair_features(texts, bags, idf_table(bags), vectors, pairs, self.features,
                                        progress=progress))

    def save(self, path: Path) -> None:
        data = {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "coef": self.coef.tolist(), "intercept": self.intercept, **self.meta}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> SameFactModel:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            unknown = set(data["features"]) - set(KNOWN_FEATURES)
            if unknown or len(data["coef"]) != len(data["features"]):
                raise ValueError(f"features {data['features']} do not match this version "
                                 f"(known: {list(KNOWN_FEATURES)})")
            meta = {k: v for k, v in data.items()
                    if k not in ("features", "mean", "scale", "coef", "intercept")}
            return cls(data["mean"], data["scale"], data["coef"], data["intercept"], meta,
                       features=data["features"])
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"{path}: same-fact model missing or broken ({e}). Rebuild it with "
                             "`corroborate train-relations` or restore it from git.") from e


def same_fact_pairs(texts: Sequence[str], vectors: np.ndarray, model: SameFactModel, *,
                    floor: float, k: int, anchored_score: float,
                    pairs: Sequence[tuple[int, int]] | None = None,
                    progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (m, 2), i < j, sorted, and their p(same fact) (m,): the `k` nearest pairs
    above cosine `floor` of each text (or the given `pairs`), scored by `model.score`.

    Pairs that share the counts and names of one event get at least `anchored_score`
    (see `anchored`). Memory and work grow with n * k, never n^2.
    """
    if pairs is None:
        pairs = nearest_pairs(vectors, floor=floor, k=k)
    pairs = [(int(i), int(j)) for i, j in pairs]
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float32)
    scores = np.maximum(model.score(texts, vectors, pairs, progress=progress),
                        anchored_score * anchored(texts, pairs))
    return np.array(pairs, dtype=np.int64), np.asarray(scores, dtype=np.float32)


def same_fact_affinity(texts: Sequence[str], vectors: np.ndarray, model: SameFactModel, *,
                       floor: float, k: int, anchored_score: float) -> np.ndarray:
    """(n, n) p(same fact) for the `k` nearest pairs above cosine `floor`; 0 elsewhere, 1 on the diagonal.

    The dense form of `same_fact_pairs`, for small inputs and inspection; `analyze` keeps
    the pairs.
    """
    pairs, scores = same_fact_pairs(texts, vectors, model, floor=floor, k=k,
                                    anchored_score=anchored_score)
    affinity = np.eye(len(texts), dtype=np.float32)
    affinity[pairs[:, 0], pairs[:, 1]] = scores
    affinity[pairs[:, 1], pairs[:, 0]] = scores
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
