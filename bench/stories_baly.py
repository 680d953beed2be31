"""The story threshold on Baly folds 1-3: documents that discuss one claim (agree, disagree,
discuss) are one story, documents of different claims are different stories. Pairwise
precision, recall and F1 of `stories.group_documents` at each threshold, per fold.

    python bench/stories_baly.py --folds 1 2 --thresholds 0.86 0.88 0.9 0.92   # choose
    python bench/stories_baly.py --folds 3 --thresholds 0.9                      # check

Articles unrelated to their claim are left out (they may or may not be another story). Lead
vectors are the mean of each article's first three claims' e5 vectors, as `analyze` computes them.
"""

from __future__ import annotations

import argparse
import json
import os
from itertools import combinations
from pathlib import Path

import numpy as np

from corroborate.claims import split_claims
from corroborate.model import Document
from corroborate.stories import group_documents, lead_vectors
from corroborate.training.e2e import fold_ids

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def documents(folds: set[int]) -> list[tuple[str, str, str]]:
    """(article id, claim id, text) of the agree/disagree/discuss articles of `folds`, distinct texts."""
    by_claim = fold_ids(DATA, folds)
    seen, out = set(), []
    for path in sorted((DATA / "baly2018_unifiedfc" / "native" / "dataset").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if by_claim.get(record["id"]) not in folds:
            continue
        for n, (text, stance) in enumerate(zip(record["article"], record["stance"])):
            if stance in ("agree", "disagree", "discuss") and len(text) >= 300 and text not in seen:
                seen.add(text)
                out.append((f"{record['id']}#{n}", record["id"], text))
    return out


def scores(labels: np.ndarray, truth: list[str]) -> dict[str, float]:
    tp = fp = fn = 0
    for i, j in combinations(range(len(truth)), 2):
        same, said = truth[i] == truth[j], labels[i] == labels[j]
        tp += same and said
        fp += said and not same
        fn += same and not said
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(float(p), 3), "recall": round(float(r), 3), "f1": round(float(2 * p * r / (p + r)) if p + r else 0.0, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.86, 0.88, 0.9, 0.92, 0.94])
    parser.add_argument("--k", type=int, default=30)
    args = parser.parse_args()
    if any(f > 3 for f in args.folds):
        parser.error("folds 4-5 are withheld")
    from corroborate.pipeline import load_models

    encoder = load_models().encoder
    docs = documents(set(args.folds))
    claims, truth = [], []
    for aid, claim_id, text in docs:
        found = split_claims(Document(id=aid, text=text))[:3]
        if found:
            claims.extend(found)
            truth.append(claim_id)
    vectors = np.asarray(encoder.encode([c.text for c in claims]), dtype=np.float32)
    ids, doc_vectors = lead_vectors(claims, vectors, lead=3)
    print(f"folds {args.folds}: {len(ids)} articles of {len(set(truth))} claims; load {os.getloadavg()[0]:.1f}")
    for t in args.thresholds:
        labels = group_documents(doc_vectors, similarity=t, k=args.k)
        print(f"threshold {t}: {scores(labels, truth)}, stories {len(set(labels.tolist()))}")


if __name__ == "__main__":
    main()
