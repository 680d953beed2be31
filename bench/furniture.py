"""Page furniture on Baly folds 1-3 articles: rationale lines still covered by a claim, and a
random sample of claims to read for furniture. No model is needed.

Run: .venv/bin/python bench/furniture.py [--folds 1 2 3] [--sample 100] [--seed 7] [--out FILE.tsv]

The articles are the distinct article texts (80+ characters) of the chosen folds' claims, fold
membership from native/train_test_splits.txt (folds 1-3 only; 4-5 are withheld and not read).
A rationale line (agree/disagree articles, indices into article.split("\\n")) is covered when
some claim's span overlaps it. The sample is drawn from all claims with `random.Random(seed)`;
the TSV has one row per sampled claim (article id, line, text, the reason columns left blank
for the reader).
"""

from __future__ import annotations

import argparse
import ast
import collections
import csv
import json
import random
import sys
import time
from pathlib import Path

from corroborate.claims import boilerplate_lines, split_claims
from corroborate.model import Document
from corroborate.training.e2e import fold_ids, line_spans

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "baly2018_unifiedfc" / "native"


def articles(folds: set[int]) -> tuple[dict[str, str], dict[str, set[int]]]:
    """Distinct article texts (id -> text) and their rationale lines (id -> line indices)."""
    folds_by_claim = fold_ids(DATA.parent.parent, folds)
    texts: dict[str, str] = {}
    rationale: dict[str, set[int]] = collections.defaultdict(set)
    by_text: dict[str, str] = {}
    for path in sorted((DATA / "dataset").glob("*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        if folds_by_claim.get(d["id"]) not in folds:
            continue
        for n, (text, stance, rat) in enumerate(zip(d["article"], d["stance"], d["rationale"])):
            if len(text) < 80:
                continue
            aid = by_text.setdefault(text, f"{d['id']}#{n}")
            texts[aid] = text
            if stance in ("agree", "disagree") and rat:
                rationale[aid].update(ast.literal_eval(rat) if isinstance(rat, str) else rat)
    return texts, rationale


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if any(f > 3 for f in args.folds):
        ap.error("folds 4-5 are withheld")
    texts, rationale = articles(set(args.folds))
    t0 = time.perf_counter()
    all_claims, covered, total, reasons = [], 0, 0, collections.Counter()
    lost = []
    for aid, text in texts.items():
        doc = Document(id=aid, text=text)
        claims = split_claims(doc)
        reasons.update(boilerplate_lines(text).values())
        spans = line_spans(text)
        for c in claims:
            line = next(n for n, (a, b) in enumerate(spans) if a <= c.start < b + 1)
            all_claims.append((aid, line, c.text))
        for n in sorted(rationale.get(aid, ())):
            if n >= len(spans) or not text[spans[n][0]:spans[n][1]].strip():
                continue
            total += 1
            a, b = spans[n]
            if any(c.start < b and c.end > a for c in claims):
                covered += 1
            else:
                lost.append((aid, n, text[a:b][:160]))
    seconds = time.perf_counter() - t0
    print(f"articles {len(texts)}  claims {len(all_claims)}  ({len(all_claims) / len(texts):.1f} per article)"
          f"  split in {seconds:.1f} s")
    print(f"rationale lines covered by a claim: {covered}/{total} = {covered / max(1, total):.3f}")
    print("dropped lines by reason:", dict(reasons.most_common()))
    for aid, n, line in lost:
        print(f"  not covered: {aid} line {n}: {line}", file=sys.stderr)
    sample = random.Random(args.seed).sample(all_claims, min(args.sample, len(all_claims)))
    if args.out:
        with args.out.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t")
            w.writerow(["article", "line", "furniture", "claim"])
            for aid, line, text in sample:
                w.writerow([aid, line, "", text])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
