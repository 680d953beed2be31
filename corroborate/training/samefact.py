"""Training the same-fact clustering scorer on the public Arabic pair sets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..encode import Encoder
from ..samefact import FEATURES, SameFactModel, idf_table, pair_features
from ..text.content import content_stems
from .datasets import cached

# Trained on news only (ANS headlines, Baly articles): ArNLI's image captions overlap almost
# word for word even when neutral, which taught the scorer to distrust shared words.
# Same fact = the same event slot: paraphrases and contradictions of one statement belong in
# one cluster (conflicts are then found inside it); neutral/unrelated pairs do not.
SAME = {"agree": 1, "disagree": 1, "entailment": 1, "contradiction": 1, "other": 0, "neutral": 0}


def _frame(texts: list[str], pairs: list[tuple[int, int]], labels: list[int], source: str) -> dict:
    return {"texts": texts, "pairs": pairs, "labels": labels, "source": source}


def pair_set(s1: Sequence[str], s2: Sequence[str], labels: Sequence[str], source: str, *,
             hard_negatives: bool = True, encoder=None) -> dict:
    """Labelled pairs of a pair set, plus each s1 with its nearest *other* s2 as a hard negative.

    The hard negatives are what clustering meets in real corpora: a headline about the
    same people and place, but another story.
    """
    texts = list(dict.fromkeys([*s1, *s2]))
    index = {t: i for i, t in enumerate(texts)}
    pairs = [(index[a], index[b]) for a, b in zip(s1, s2)]
    ys = [SAME[x] for x in labels]
    if hard_negatives:
        vectors = encoder.encode(texts)
        partner = {index[a]: set() for a in s1}
        for a, b in zip(s1, s2):
            partner[index[a]].add(index[b])
        right = sorted({index[b] for b in s2})
        sims = vectors[sorted(partner)] @ vectors[right].T
        for row, i in enumerate(sorted(partner)):
            for col in np.argsort(-sims[row]):
                j = right[col]
                if j not in partner[i] and texts[j] != texts[i]:
                    pairs.append((i, j))
                    ys.append(0)
                    break
    return _frame(texts, pairs, ys, source)


def article_set(articles: Sequence[str], claims: Sequence[str], labels: Sequence[str],
                encoder, *, floor: float = 0.85, source: str = "baly") -> dict:
    """Long news sentences: a claim with its best-matching article sentence (same fact when the
    article agrees or disagrees with it), and neighbouring sentences of one article (different
    facts of the same story) as negatives."""
    from ..claims import split_claims
    from ..model import Document

    texts: list[str] = []
    pairs: list[tuple[int, int]] = []
    ys: list[int] = []
    for n, (article, claim, label) in enumerate(zip(articles, claims, labels)):
        sentences = [c.text for c in split_claims(Document(id=f"a{n}", text=article))][:60]
        if len(sentences) < 2:
            continue
        base = len(texts)
        texts.extend([claim, *sentences])
        vectors = encoder.encode([claim, *sentences])
        sims = vectors[1:] @ vectors[0]
        best = int(np.argmax(sims))
        if label in ("agree", "disagree") and sims[best] >= floor:
            pairs.append((base, base + 1 + best))
            ys.append(1)
        inner = vectors[1:] @ vectors[1:].T
        np.fill_diagonal(inner, -1)
        i, j = np.unravel_index(np.argmax(inner), inner.shape)
        if inner[i, j] >= floor and sentences[i] != sentences[j]:
            pairs.append((base + 1 + int(i), base + 1 + int(j)))
            ys.append(0)
    return _frame(texts, pairs, ys, source)


def featurize(frame: dict, encoder) -> np.ndarray:
    texts = frame["texts"]
    bags = [content_stems(t) for t in texts]
    return pair_features(texts, bags, idf_table(bags), encoder.encode(texts), frame["pairs"])


def _sets(data_dir: Path, encoder) -> tuple[list[dict], list[dict]]:
    read = lambda *p: pd.read_csv(data_dir.joinpath(*p), keep_default_na=False)  # noqa: E731
    ans_train, ans_dev = read("ans_stance", "train.csv"), read("ans_stance", "dev.csv")
    xnli = read("xnli_ar", "dev.csv")
    baly_train = pd.concat([read("baly2018_unifiedfc", f"pairs_fold{f}.csv") for f in (2, 3)])
    baly_dev = read("baly2018_unifiedfc", "pairs_fold1.csv")
    baly_train = baly_train.drop_duplicates("s2").sample(n=min(120, len(baly_train)), random_state=42)
    baly_dev = baly_dev.drop_duplicates("s2").sample(n=min(60, len(baly_dev)), random_state=42)
    train = [pair_set(ans_train.s1, ans_train.s2, ans_train.label, "ans-train", encoder=encoder),
             article_set(baly_train.s2, baly_train.s1, baly_train.label, encoder, source="baly-f2f3")]
    dev = [pair_set(ans_dev.s1, ans_dev.s2, ans_dev.label, "ans-dev", encoder=encoder),
           pair_set(xnli.s1, xnli.s2, xnli.label, "xnli-dev", hard_negatives=False, encoder=encoder),
           article_set(baly_dev.s2, baly_dev.s1, baly_dev.label, encoder, source="baly-f1")]
    return train, dev


def _scores(y: np.ndarray, p: np.ndarray) -> dict:
    from sklearn.metrics import f1_score, roc_auc_score

    return {"n": int(len(y)), "positives": int(y.sum()),
            "f1": round(float(f1_score(y, p >= 0.5)), 3),
            "auc": round(float(roc_auc_score(y, p)), 3) if 0 < y.sum() < len(y) else None}


def train_same_fact(data_dir: Path | str, out: Path, encoder: Encoder, *, seed: int = 42) -> dict:
    """Fit the scorer, save it to `out`, return dev scores per set (ours and cosine alone)."""
    from sklearn.linear_model import LogisticRegression

    encoder = cached(encoder)
    train, dev = _sets(Path(data_dir), encoder)
    x = np.vstack([featurize(f, encoder) for f in train])
    y = np.concatenate([f["labels"] for f in train])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    clf = LogisticRegression(class_weight="balanced", C=1.0, max_iter=2000, random_state=seed)
    clf.fit((x - mean) / scale, y)
    cosine_only = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)
    cosine_only.fit(x[:, :1], y)
    model = SameFactModel(mean, scale, clf.coef_[0], clf.intercept_[0])
    report = {"train": {f["source"]: len(f["pairs"]) for f in train}, "dev": {}}
    for frame in dev:
        xd, yd = featurize(frame, encoder), np.asarray(frame["labels"])
        report["dev"][frame["source"]] = {"ours": _scores(yd, model.proba(xd)),
                                          "cosine only": _scores(yd, cosine_only.predict_proba(xd[:, :1])[:, 1])}
    encoder.save()
    model.meta = {"seed": seed, "trained_on": report["train"], "dev_scores": report["dev"],
                  "coef_by_feature": dict(zip(FEATURES, np.round(clf.coef_[0], 3).tolist()))}
    model.save(Path(out))
    return report

