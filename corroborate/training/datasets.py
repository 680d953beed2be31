"""The public Arabic pair sets (ANS, ArNLI, XNLI, Baly) as labelled frames, and how models are scored on them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..encode import CachedEncoder
from ..model import RELATIONS as LABELS

CACHE_DIR = Path(".cache/embeddings")


def cached(encoder) -> CachedEncoder:
    """`encoder` with its vectors remembered under .cache/embeddings/ (call `.save()` when done)."""
    return CachedEncoder(encoder, CACHE_DIR)


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


def training_frame(data_dir: Path | str, *, seed: int = 42, negatives: int = 800,
                   extra: Sequence[Path | str] = ()):
    """The pairs the shipped head is trained on.

    ANS train + ArNLI train (de-duplicated) + the train half of XNLI dev + `negatives`
    shuffled ANS pairs and half as many shuffled ArNLI pairs, plus any `extra` CSVs
    (`s1,s2,label` with agree/disagree/other, e.g. `corroborate review export-pairs`);
    column `set` says where each row came from (for weighting only; XNLI counts as "arnli",
    the other NLI set; reviewed news pairs count as "ans", the other news set).
    """
    import pandas as pd

    ans, arnli = load_ans(data_dir, "train"), load_arnli(data_dir, "train")
    parts = [ans.assign(set="ans"), arnli.assign(set="arnli"), load_xnli(data_dir, "train").assign(set="arnli"),
             random_pairs(ans, negatives, seed=seed).assign(set="ans"),
             random_pairs(arnli, negatives // 2, seed=seed + 1).assign(set="arnli")]
    for path in extra:
        rows = _read(Path(path))
        bad = sorted(set(rows.label) - set(LABELS))
        if bad or not {"s1", "s2", "label"} <= set(rows.columns):
            raise ValueError(f"{path}: needs columns s1,s2,label with labels {', '.join(LABELS)}"
                             + (f" (found {', '.join(bad)})" if bad else ""))
        parts.append(rows.assign(set="ans"))
    return pd.concat([p[["s1", "s2", "label", "set"]] for p in parts]).reset_index(drop=True)


def macro_f1(y_true: Sequence[str], y_pred: Sequence[str]) -> dict:
    """Macro-F1 over the labels present in y_true, plus per-class F1."""
    from sklearn.metrics import f1_score

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
