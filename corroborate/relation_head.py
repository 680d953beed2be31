"""The frozen-vector relation head: agree / disagree / other from e5 vectors plus lexical cues."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from .cues import CUE_FEATURES, cue_features
from .errors import ModelError
from .model import RELATIONS as LABELS
from .text.tokens import stem_set, stems, tokens

LEXICAL_FEATURES = ("ratio", "token_set_ratio", "partial_ratio", "jaccard", "a_in_b", "b_in_a",
                    "log_len_a", "log_len_b", "len_ratio", "only_a", "only_b")


def lexical_features(a: str, b: str) -> np.ndarray:
    """Surface overlap of two texts on normalised tokens and stems, in LEXICAL_FEATURES order."""
    ta, tb = tokens(a), tokens(b)
    ja, jb = " ".join(ta), " ".join(tb)
    # compare stem sets so "الجيش" and "للجيش" count as the same word
    sa = [frozenset(stems(t)) for t in ta]
    sb = [frozenset(stems(t)) for t in tb]
    all_b = set().union(*sb) if sb else set()
    all_a = set().union(*sa) if sa else set()
    a_in_b = sum(1 for s in sa if s & all_b) / max(len(sa), 1)
    b_in_a = sum(1 for s in sb if s & all_a) / max(len(sb), 1)
    set_a, set_b = set(ta), set(tb)
    return np.array([
        fuzz.ratio(ja, jb) / 100, fuzz.token_set_ratio(ja, jb) / 100, fuzz.partial_ratio(ja, jb) / 100,
        len(set_a & set_b) / max(len(set_a | set_b), 1), a_in_b, b_in_a,
        np.log1p(len(ta)), np.log1p(len(tb)), min(len(ta), len(tb)) / max(len(ta), len(tb), 1),
        sum(1 for s in sa if not s & all_b), sum(1 for s in sb if not s & all_a),
    ], dtype=np.float32)


def diff_texts(a: str, b: str) -> tuple[str, str]:
    """The words of `a` whose stems are absent from `b`, and the other way round."""
    ta, tb = tokens(a), tokens(b)
    sa, sb = stem_set(ta), stem_set(tb)
    return (" ".join(t for t in ta if not stems(t) & sb),
            " ".join(t for t in tb if not stems(t) & sa))


def diff_features(s1: Sequence[str], s2: Sequence[str], encoder) -> np.ndarray:
    """e5 vectors of the words only one side has: A*B, |A-B| and their cosine.

    A contradiction rewrite changes few words ("تهبط" for "صعود"); a paraphrase rewords
    freely. Embedding just the changed words lets the head compare them directly.
    """
    pairs = [diff_texts(a, b) for a, b in zip(s1, s2)]
    da, db = [p[0] for p in pairs], [p[1] for p in pairs]
    vecs = dict(zip(*_encode_unique(encoder, [t for t in da + db if t])))
    dim = len(next(iter(vecs.values()))) if vecs else 384
    zero = np.zeros(dim, dtype=np.float32)
    a = np.array([vecs.get(t, zero) for t in da], dtype=np.float32).reshape(len(da), dim)
    b = np.array([vecs.get(t, zero) for t in db], dtype=np.float32).reshape(len(db), dim)
    return np.hstack([a * b, np.abs(a - b), np.sum(a * b, axis=1, keepdims=True)])


def _encode_unique(encoder, texts: list[str]) -> tuple[list[str], np.ndarray]:
    unique = list(dict.fromkeys(texts))
    return unique, (encoder.encode(unique) if unique else np.zeros((0, 384), dtype=np.float32))


def pair_features(s1: Sequence[str], s2: Sequence[str], v1: np.ndarray, v2: np.ndarray,
                  diff: np.ndarray | None = None) -> np.ndarray:
    """Model input: u, v, |u-v|, u*v, cosine, cue and lexical features (+ diff_features) per pair."""
    u, v = np.asarray(v1, dtype=np.float32), np.asarray(v2, dtype=np.float32)
    cos = np.sum(u * v, axis=1, keepdims=True)
    text = np.array([np.concatenate([cue_features(a, b), lexical_features(a, b)])
                     for a, b in zip(s1, s2)], dtype=np.float32).reshape(len(s1), -1)
    parts = [u, v, np.abs(u - v), u * v, cos, text] + ([diff] if diff is not None else [])
    return np.hstack(parts).astype(np.float32)


FEATURE_NAMES = ("u", "v", "abs_diff", "prod", "cosine") + CUE_FEATURES + LEXICAL_FEATURES + ("diff",)


class RelationModel:
    """A small numpy head (standardise, then dense layers with ReLU, then softmax).

    `weights` and `biases` are one network; `more` holds further (weights, biases) networks
    trained on the same features from other seeds, whose probabilities are averaged with the
    first: one MLP's dev score moves by ±0.015 with its seed (models/relations/MODEL_CARD.md).
    """

    def __init__(self, mean: np.ndarray, scale: np.ndarray, weights: Sequence[np.ndarray],
                 biases: Sequence[np.ndarray], meta: dict | None = None, *,
                 more: Sequence[tuple[Sequence[np.ndarray], Sequence[np.ndarray]]] = ()) -> None:
        self.mean, self.scale = mean.astype(np.float32), scale.astype(np.float32)
        self.members = [([w.astype(np.float32) for w in ws], [b.astype(np.float32) for b in bs])
                        for ws, bs in [(weights, biases), *more]]
        self.meta = dict(meta or {})

    @property
    def weights(self) -> list[np.ndarray]:
        return self.members[0][0]

    @property
    def biases(self) -> list[np.ndarray]:
        return self.members[0][1]

    def proba_from_features(self, x: np.ndarray) -> np.ndarray:
        z = (np.asarray(x, dtype=np.float32) - self.mean) / self.scale
        out = np.zeros((len(z), len(LABELS)), dtype=np.float32)
        for weights, biases in self.members:
            h = z
            for i, (w, b) in enumerate(zip(weights, biases)):
                h = h @ w + b
                if i < len(weights) - 1:
                    h = np.maximum(h, 0.0)
            h = h - h.max(axis=1, keepdims=True)
            e = np.exp(h)
            out += e / e.sum(axis=1, keepdims=True)
        return out / len(self.members)

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None, *, encoder) -> np.ndarray:
        """(n, 3) probabilities in LABELS order for the pairs (s1[i], s2[i]).

        v1/v2 are the L2-normalised e5 vectors of s1/s2; they are computed with `encoder`
        when not given. The encoder also embeds the words only one side has, so it is used
        even when v1/v2 are given.
        """
        s1, s2 = list(s1), list(s2)
        if len(s1) != len(s2):
            raise ValueError(f"s1 and s2 differ in length: {len(s1)} vs {len(s2)}")
        if not s1:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        uses_diff = self.meta.get("diff", False)
        v1 = encoder.encode(s1) if v1 is None else v1
        v2 = encoder.encode(s2) if v2 is None else v2
        diff = diff_features(s1, s2, encoder) if uses_diff else None
        return self.proba_from_features(pair_features(s1, s2, v1, v2, diff))

    def save(self, path: Path | str) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        arrays = {"mean": self.mean, "scale": self.scale}
        for m, (weights, biases) in enumerate(self.members):
            prefix = f"m{m}_" if m else ""     # the first network keeps the one-network names
            for i, (w, b) in enumerate(zip(weights, biases)):
                arrays[f"{prefix}w{i}"], arrays[f"{prefix}b{i}"] = w, b
        np.savez_compressed(path / "head.npz", **arrays)
        shape = {"labels": list(LABELS), "layers": len(self.weights), "members": len(self.members)}
        meta = {**shape, **{k: v for k, v in self.meta.items() if k not in shape}}
        (path / "head.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> RelationModel:
        path = Path(path)
        try:
            meta = json.loads((path / "head.json").read_text(encoding="utf-8"))
            with np.load(path / "head.npz") as z:
                n = meta["layers"]
                nets = [([z[f"{p}w{i}"] for i in range(n)], [z[f"{p}b{i}"] for i in range(n)])
                        for p in [""] + [f"m{m}_" for m in range(1, meta.get("members", 1))]]
                return cls(z["mean"], z["scale"], *nets[0], meta, more=nets[1:])
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"{path}: relation model missing or broken ({e}). Retrain it with "
                             "`corroborate train relations` or restore models/relations/ from git.") from e
