"""Experiment: does reading a pair in both orders help the shipped relation blend?

Contradiction is symmetric, so the cross-encoder's p(disagree) for (s1, s2) and (s2, s1)
could be averaged; this prints dev macro-F1 for the blend as shipped, with p(disagree)
averaged over both orders, and with all three classes averaged. The numbers are in
corroborate/models/relations/MODEL_CARD.md.

Run: .venv/bin/python bench/relation_orders.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse

import numpy as np

from corroborate.model import RELATIONS as LABELS
from corroborate.pipeline import load_models
from corroborate.training.datasets import cached, dev_sets, macro_f1


def symmetric_disagree(forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
    """p(disagree) from both orders; agree and other share the rest as the forward order has them."""
    p_dis = (forward[:, 1] + backward[:, 1]) / 2
    rest = forward[:, [0, 2]] / forward[:, [0, 2]].sum(axis=1, keepdims=True) * (1 - p_dis)[:, None]
    return np.stack([rest[:, 0], p_dis, rest[:, 1]], axis=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    args = parser.parse_args()
    scorer = load_models().scorer
    encoder, head, cross, weight = cached(scorer.encoder), scorer.head, scorer.cross, scorer.weight
    print("| set | blend (shipped) | p(disagree) both orders | all classes both orders |\n|---|---|---|---|")
    for name, df in dev_sets(args.data).items():
        s1, s2 = list(df.s1), list(df.s2)
        h = head.predict_proba(s1, s2, encoder=encoder)
        forward, backward = cross.predict_proba(s1, s2), cross.predict_proba(s2, s1)
        scores = []
        for c in (forward, symmetric_disagree(forward, backward), (forward + backward) / 2):
            pred = [LABELS[i] for i in (weight * h + (1 - weight) * c).argmax(axis=1)]
            scores.append(macro_f1(df.label.tolist(), pred)["macro_f1"])
        print(f"| {name} | " + " | ".join(f"{s:.3f}" for s in scores) + " |")


if __name__ == "__main__":
    main()
