"""Relation scoring: the one answer to "does s2 agree with s1, contradict it, or neither?".

`analyze` (for conflicts), `compare` and `corroborate eval` all use the scorer that
`load_scorer` builds, so they cannot drift onto different models.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .crossenc import CrossEncoderRelation, OnnxCrossEncoder, load_cross_encoder
from .encode import Encoder, ensure_model
from .model import RELATIONS
from .progress import bar
from .relation_head import RelationModel


class RelationScorer(Protocol):
    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None) -> np.ndarray:
        """(n, 3) probabilities in RELATIONS order (agree, disagree, other) for the pairs
        (s1[i], s2[i]); v1/v2, the texts' L2-normalised vectors, save re-encoding them."""
        ...


class HeadScorer:
    """The frozen-vector head with the encoder it reads vectors from."""

    def __init__(self, head: RelationModel, encoder: Encoder) -> None:
        self.head, self.encoder = head, encoder
        self.meta = {"head": head.meta}

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None) -> np.ndarray:
        return self.head.predict_proba(s1, s2, v1, v2, encoder=self.encoder)


class LazyCrossEncoder:
    """A cross-encoder adapter over the e5 folder `base`, loaded on first use (a run with
    nothing to score never pays for it)."""

    def __init__(self, adapter: Path, base: Path, backend: str = "torch") -> None:
        self.adapter, self.base, self.backend = Path(adapter), Path(base), backend
        self._model = None

    @property
    def model(self) -> CrossEncoderRelation | OnnxCrossEncoder:
        if self._model is None:
            # the base may not be built yet when nothing was encoded in this model folder
            self._model = load_cross_encoder(self.adapter, ensure_model(self.base), backend=self.backend)
        return self._model

    def release(self) -> None:
        """Let the loaded model go; the next use loads it again."""
        self._model = None


class SameFactCrossEncoder:
    """The second look at "one fact?" (models/samefact-cross/, MODEL_CARD.md there): the
    relation cross-encoder tuned further on cross-outlet claim pairs of the yardstick's folds 1-2,
    agree standing for "the same fact" and other for "not". `predict_proba` gives its (n, 3)
    rows in RELATIONS order, so a `cache.CachingScorer` can keep them; p(same fact) is
    p(agree) + p(disagree) (`same_fact_proba`). Pairs are read in the order given (trained on
    both orders at random; averaging the two orders costs twice as much for little: Baly
    fold 3's pairs merged with another story 0.381 one way, 0.371 both)."""

    def __init__(self, adapter: Path, base: Path, *, backend: str = "torch") -> None:
        self.lazy = LazyCrossEncoder(adapter, base, backend)

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None) -> np.ndarray:
        s1, s2 = list(s1), list(s2)
        if not s1:
            return np.zeros((0, len(RELATIONS)), dtype=np.float32)
        return self.lazy.model.predict_proba(s1, s2)

    def release(self) -> None:
        """Let the loaded model go (its session holds ~250 MiB; a day of press peaked at 2,056 MiB
        with it kept through the conflict stage, which loads the relation cross-encoder)."""
        self.lazy.release()


def same_fact_proba(scorer: RelationScorer, s1: Sequence[str], s2: Sequence[str], *,
                    progress: bool = False) -> np.ndarray:
    """p(same fact) of each pair from a `SameFactCrossEncoder` (cached or not), with a bar on
    stderr from 500 pairs when `progress`."""
    p = score_in_chunks(scorer, s1, s2, progress=progress, at_least=500)
    return (p[:, 0] + p[:, 1]).astype(np.float32)


class BlendedScorer:
    """The frozen-vector head and the cross-encoder, their probabilities mixed.

    The head reads cues and sentence vectors, the cross-encoder reads both texts at once;
    their errors differ, so `weight` * head + (1 - `weight`) * cross-encoder beats either
    (the weight is picked on the dev sets, see models/relations/MODEL_CARD.md). The
    cross-encoder loads on first use, so a run with nothing to score never pays for it.
    """

    def __init__(self, head: RelationModel, encoder: Encoder, cross_dir: Path, base: Path,
                 weight: float, *, backend: str = "torch") -> None:
        self.head, self.encoder = head, encoder
        self.lazy = LazyCrossEncoder(cross_dir, base, backend)
        self.weight = float(weight)
        self.meta = {"head": head.meta, "weight": self.weight}

    @property
    def cross(self) -> CrossEncoderRelation | OnnxCrossEncoder:
        if "cross_encoder" not in self.meta:
            self.meta["cross_encoder"] = self.lazy.model.meta
        return self.lazy.model

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None) -> np.ndarray:
        s1, s2 = list(s1), list(s2)
        p = self.head.predict_proba(s1, s2, v1, v2, encoder=self.encoder)
        if not s1 or self.weight >= 1.0:
            return p
        return self.weight * p + (1.0 - self.weight) * self.cross.predict_proba(s1, s2)


def score_in_chunks(scorer: RelationScorer, left: Sequence[str], right: Sequence[str],
                    v1: np.ndarray | None = None, v2: np.ndarray | None = None, *,
                    progress: bool = False, step: int = 256, at_least: int = 0) -> np.ndarray:
    """`scorer.predict_proba` over all pairs, `step` pairs of similar length at a time, so a
    bar on stderr can show progress (`progress`, from `at_least` pairs); the same answers as
    one call when the pairs fit one step."""
    left, right = list(left), list(right)
    order = sorted(range(len(left)), key=lambda i: len(left[i]) + len(right[i]))
    p = np.zeros((len(left), len(RELATIONS)), dtype=np.float64)
    with bar(progress, "scoring pairs", "pair", len(left), at_least=at_least) as shown:
        for start in range(0, len(order), step):
            idx = order[start:start + step]
            p[idx] = scorer.predict_proba([left[i] for i in idx], [right[i] for i in idx],
                                          None if v1 is None else np.asarray(v1)[idx],
                                          None if v2 is None else np.asarray(v2)[idx])
            shown.update(len(idx))
    return p


def load_scorer(relations_dir: Path, encoder: Encoder, base: Path, *,
                backend: str = "torch") -> HeadScorer | BlendedScorer:
    """The shipped relation scorer: the head blended with the cross-encoder adapter when
    `relations_dir/crossenc/` holds one (with the blend weight stored there), else the head alone.

    `base` is the e5 folder the adapter applies to; `encoder` gives the head its vectors;
    `backend` runs the cross-encoder on torch or, exported once, on ONNX Runtime.
    """
    import json

    head = RelationModel.load(relations_dir)
    cross_dir = Path(relations_dir) / "crossenc"
    meta = cross_dir / "meta.json"
    if not meta.is_file():
        return HeadScorer(head, encoder)
    weight = json.loads(meta.read_text(encoding="utf-8")).get("blend_weight", 0.0)
    return BlendedScorer(head, encoder, cross_dir, base, weight, backend=backend)


__all__ = ["RELATIONS", "RelationScorer", "HeadScorer", "BlendedScorer", "SameFactCrossEncoder",
           "load_scorer", "same_fact_proba", "score_in_chunks"]
