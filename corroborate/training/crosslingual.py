"""English-Arabic similarity on ArNLI's English columns: e5 against a second view (USE multilingual v3)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..bridge import BridgeModel, USEEncoder, relation_features
from ..model import RELATIONS
from .datasets import NLI_TO_RELATION, _read, cached


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


def fit_bridge(data_dir: Path | str, out: Path, e5, *, use=None) -> dict:
    """Fit and write the English-Arabic model `bridge.BridgeModel` (`out`).

    Pairs: ArNLI train, de-duplicated, each pair twice (Arabic s1 with English s2, English s1
    with Arabic s2). Same fact: "same fact" = labelled entailment; one feature, USE's cosine; a
    logistic regression gives p. The floor is the cosine at p = 0.25 (pairs below cannot reach
    a cluster). Relation (what `compare` says of such a pair): agree / disagree / other from
    entailment / contradiction / neutral, a multinomial logistic regression on
    `bridge.relation_features` of the two USE vectors, classes weighted by their inverse
    frequency, its C picked by 5-fold cross-validation on train. Reported on ArNLI valid, the
    same way: ROC AUC and F1 at p >= 0.5 for USE's cosine and, fitted the same way, for e5's;
    macro-F1 of the relation.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_score, recall_score, roc_auc_score
    from sklearn.model_selection import cross_val_score

    encoders = {"use": cached(use or USEEncoder()), "e5": cached(e5)}

    def frame(split: str) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
        df = _read(Path(data_dir) / "arnli" / f"{split}.csv").drop_duplicates(["s1", "s2"])
        y = np.concatenate([(df.label == "entailment").to_numpy()] * 2)
        # Arabic s1 with English s2, then English s1 with Arabic s2; each encoder embeds them once
        left, right = list(df.s1) + list(df.s1_en), list(df.s2_en) + list(df.s2)
        vectors = {name: (enc.encode(left), enc.encode(right)) for name, enc in encoders.items()}
        cos = {name: np.einsum("ij,ij->i", va, vb) for name, (va, vb) in vectors.items()}
        relation = np.concatenate([df.label.map(NLI_TO_RELATION).to_numpy()] * 2)
        return cos, y, relation_features(*vectors["use"]), relation

    try:
        train, y_train, x_rel, y_rel = frame("train")
        valid, y_valid, x_rel_valid, y_rel_valid = frame("valid")
    finally:
        for enc in encoders.values():
            enc.save()
    fits = {name: LogisticRegression(C=1.0).fit(train[name].reshape(-1, 1), y_train) for name in encoders}
    report = {"n_train_pairs": int(len(y_train)), "n_valid_pairs": int(len(y_valid)),
              "positives_train": round(float(y_train.mean()), 3)}
    for name, fit in fits.items():
        p = fit.predict_proba(valid[name].reshape(-1, 1))[:, 1]
        report[f"valid_{name}"] = {"auc": round(float(roc_auc_score(y_valid, valid[name])), 3),
                                   "f1": round(float(f1_score(y_valid, p >= 0.5)), 3),
                                   "precision": round(float(precision_score(y_valid, p >= 0.5, zero_division=0)), 3),
                                   "recall": round(float(recall_score(y_valid, p >= 0.5)), 3)}
    def relation_fit(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")

    grid = {c: float(cross_val_score(relation_fit(c), x_rel, y_rel, cv=5, scoring="f1_macro").mean())
            for c in (0.1, 1.0, 10.0)}
    best_c = max(grid, key=grid.get)
    rel = relation_fit(best_c).fit(x_rel, y_rel)
    order = [list(rel.classes_).index(label) for label in RELATIONS]
    predicted = rel.predict(x_rel_valid)
    report["relation"] = {"c": best_c, "cv_macro_f1_by_c": {str(c): round(f, 3) for c, f in grid.items()},
                          "valid_macro_f1": round(float(f1_score(y_rel_valid, predicted, average="macro")), 3),
                          "valid_f1": {label: round(float(f), 3) for label, f in zip(
                              RELATIONS, f1_score(y_rel_valid, predicted, labels=list(RELATIONS), average=None))}}
    relation = {"intercept": [round(float(rel.intercept_[k]), 5) for k in order],
                "coef": [[round(float(v), 5) for v in rel.coef_[k]] for k in order]}
    coef, intercept = float(fits["use"].coef_[0, 0]), float(fits["use"].intercept_[0])
    floor = (np.log(0.25 / 0.75) - intercept) / coef           # cosine at p = 0.25
    model = BridgeModel(coef, intercept, round(float(floor), 4), {
        "what": "p(same fact) of an English-Arabic claim pair from multilingual USE v3 cosine; "
                "relation: agree / disagree / other from the two USE vectors (u, v, u*v, |u-v|, cosine)",
        "trained_on": "ArNLI train (de-duplicated), both language directions; entailment = same fact",
        "scores": report}, relation)
    model.save(out)
    return {"coef": coef, "intercept": intercept, "floor": model.floor, **report}
