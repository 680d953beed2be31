"""Benchmark inputs from ../shared/data (dev folds only): Baly article texts and a labelled clustering set."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
DEV_FOLDS = (1, 2, 3)                   # folds 4-5 are held out: never read them


def dev_claim_ids(data: Path = DATA, folds=DEV_FOLDS) -> set[str]:
    """Baly claim ids in `folds`, from the authors' split file."""
    ids: set[str] = set()
    text = (data / "baly2018_unifiedfc" / "native" / "train_test_splits.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        head, _, rest = line.partition(":")
        m = re.fullmatch(r"Fold_(\d+)", head.strip())
        if m and int(m.group(1)) in folds:
            ids.update(rest.split())
    return ids


def baly_articles(n: int | None = None, *, data: Path = DATA, folds=DEV_FOLDS,
                  min_chars: int = 300) -> list[tuple[str, str]]:
    """(name, text) of distinct Baly article texts of `folds`, in claim-id then article order."""
    allowed = dev_claim_ids(data, folds)
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    folder = data / "baly2018_unifiedfc" / "native" / "dataset"
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stem):
        if path.stem not in allowed:
            continue
        record = json.loads(path.read_text(encoding="utf-8"))
        for idx, article in enumerate(record["article"]):
            digest = hashlib.sha1(article.encode("utf-8")).hexdigest()
            if len(article) < min_chars or digest in seen:
                continue
            seen.add(digest)
            out.append((f"{path.stem}_{idx:02d}", article))
            if n is not None and len(out) >= n:
                return out
    return out


def write_articles(folder: Path, articles: list[tuple[str, str]]) -> Path:
    """Write each article as NAME.txt into `folder` (created); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles:
        target = folder / f"{name}.txt"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
    return folder


def ans_clusters(data: Path = DATA, split: str = "train") -> tuple[list[str], list[int]]:
    """A labelled clustering set from ANS (`split` is train or dev, never test).

    Each ANS headline with every sentence labelled as its paraphrase (agree) is one
    cluster; contradictions (disagree) and unrelated sentences are singletons of their own,
    so a clustering must keep a headline apart from its negation. Texts are distinct: a
    sentence seen twice keeps its first label.
    """
    texts: list[str] = []
    labels: list[int] = []
    index: dict[str, int] = {}
    heads: dict[str, int] = {}

    def add(text: str, label: int) -> None:
        if text not in index:
            index[text] = len(texts)
            texts.append(text)
            labels.append(label)

    with open(data / "ans_stance" / f"{split}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        s1, s2 = row["s1"].strip(), row["s2"].strip()
        if s1 not in heads:
            heads[s1] = len(heads)
            add(s1, heads[s1])
        if row["label"] == "agree":
            add(s2, heads[s1])
    next_label = len(heads)
    for row in rows:
        s2 = row["s2"].strip()
        if s2 not in index:
            add(s2, next_label)
            next_label += 1
    return texts, labels
