"""Per-sentence relation scores for Baly claim-article rows, cached, so `compare`'s article
aggregation (`compare._aggregate`, the `article_*` and `related_cosine` settings) can be tuned
without re-running the models.

Run: .venv/bin/python bench/compare_articles.py score [--folds 1 2 3] [--others 150] [--top 6]
     .venv/bin/python bench/compare_articles.py tune  [--tune-folds 1 2] [--check-folds 3]

`score` keeps every agree and disagree row of the folds and `--others` of each fold's
discuss/unrelated rows (weighted back to their number when scored), splits each article as
`compare` does (`compare.split_sentences`), keeps the 24 sentences `compare._candidates` ranks
first and embeds them; the models score only the `--top` most similar sentences of each row
(the aggregation reads the few most similar). Per (claim, sentence) it stores the overlap
rank, the e5 cosine and the head's and the cross-encoder's probabilities in
.cache/compare_articles.pkl (pairs already there are not scored again). `tune` scores
aggregation settings with weighted macro-F1, picking on the tune folds and reporting the
check folds. Folds 4-5 are withheld and never read.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CACHE = Path(".cache/compare_articles.pkl")
LIMIT = 24


def _load(folds):
    from corroborate.training.datasets import load_baly

    if any(f > 3 for f in folds):
        raise SystemExit("folds 4-5 are withheld")
    return load_baly(DATA, folds)


def ranked_candidates(claim: str, sentences: list[str], limit: int) -> list[tuple[int, str]]:
    """(overlap rank, sentence) of the `limit` sentences `compare._candidates` keeps, in
    article order; rank r means the sentence is kept whenever article_sentences > r."""
    from corroborate.compare import candidate_order

    order = candidate_order(claim, sentences)
    rank = {i: r for r, i in enumerate(order)}
    return [(rank[i], sentences[i]) for i in sorted(order[:limit])]


def _encoder(models):
    """The shipped encoder behind a CachedEncoder that also reads the torch encoder's cached
    vectors (.cache/embeddings/multilingual-e5-small.npz; same weights, same float32 vectors)."""
    from corroborate.training.datasets import CACHE_DIR, cached

    enc = cached(models.encoder)
    old = CACHE_DIR / "multilingual-e5-small.npz"
    if old.exists() and old != enc.path:
        with np.load(old) as z:
            for k, v in zip(z["keys"].tolist(), z["vectors"]):
                enc._vectors.setdefault(k, v)
    return enc


def score(folds, others: int, top: int, seed: int = 42) -> None:
    from corroborate.compare import is_article, split_sentences
    from corroborate.pipeline import load_models

    df = _load(folds)
    store = pickle.loads(CACHE.read_bytes()) if CACHE.exists() else {}
    store.setdefault("pairs", {})
    store.setdefault("cosines", {})
    store["rows"] = {}
    models = load_models()
    enc = _encoder(models)
    scorer = models.scorer
    rng = np.random.default_rng(seed)
    keep = []
    for _, part in df.groupby("fold"):
        rest = part[part.label == "other"]
        take = rest.iloc[rng.permutation(len(rest))[:others]]
        weight = len(rest) / max(1, len(take))
        keep += [(row, 1.0) for row in part[part.label != "other"].itertuples()]
        keep += [(row, weight) for row in take.itertuples()]
    todo = []
    for row, weight in keep:
        article = is_article(row.s2)
        sentences = split_sentences(row.s2) if article else [row.s2]
        cands = ranked_candidates(row.s1, sentences, LIMIT) if article else [(0, row.s2)]
        store["rows"][row.id] = {"label": row.label, "fold": int(row.fold), "article": article,
                                 "claim": row.s1, "candidates": cands, "weight": weight}
        todo.append((row.s1, cands))
    texts = list(dict.fromkeys([c for c, _ in todo] + [s for _, cs in todo for _, s in cs]))
    missing = [t for t in texts if enc._key(t) not in enc._vectors]
    print(f"{len(keep)} rows, {len(texts)} texts, {len(missing)} to embed", flush=True)
    for start in range(0, len(missing), 1024):
        enc.encode(missing[start:start + 1024])
        enc.save()
        print(f"embedded {min(start + 1024, len(missing))}/{len(missing)}", flush=True)
    vec = dict(zip(texts, enc.encode(texts)))
    pairs = []
    for claim, cands in todo:
        cos = {s: float(vec[claim] @ vec[s]) for _, s in cands}
        store["cosines"].update({(claim, s): c for s, c in cos.items()})
        # the `top` most similar among all candidates and among the first half by overlap
        chosen = set(sorted(cos, key=cos.get, reverse=True)[:top])
        chosen |= set(sorted((s for r, s in cands if r < LIMIT // 2), key=cos.get, reverse=True)[:top])
        pairs += [(claim, s) for s in chosen if (claim, s) not in store["pairs"]]
    todo = list(dict.fromkeys(pairs))
    print(f"{len(todo)} new pairs to score", flush=True)
    t0 = time.time()
    for start in range(0, len(todo), 128):
        chunk = todo[start:start + 128]
        s1, s2 = [a for a, _ in chunk], [b for _, b in chunk]
        v1, v2 = np.stack([vec[a] for a in s1]), np.stack([vec[b] for b in s2])
        head = scorer.head.predict_proba(s1, s2, v1, v2, encoder=enc)
        cross = scorer.cross.predict_proba(s1, s2)
        for n, pair in enumerate(chunk):
            store["pairs"][pair] = (float(v1[n] @ v2[n]), head[n], cross[n])
        enc.save()
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_bytes(pickle.dumps(store))
        done = start + len(chunk)
        print(f"{done}/{len(todo)} pairs, {done / (time.time() - t0):.2f} pairs/s", flush=True)
    CACHE.write_bytes(pickle.dumps(store))


def rows_of(store, folds, limit: int, weight: float):
    """Per row: id, label, is_article, sample weight, and arrays (cosines, blended
    probabilities) of its candidates within `limit` (a sentence never scored reads as unrelated)."""
    out = []
    for rid, r in store["rows"].items():
        if r["fold"] not in folds:
            continue
        cands = [(rank, s) for rank, s in r["candidates"] if rank < limit or not r["article"]]
        cos = np.array([store["cosines"][(r["claim"], s)] for _, s in cands])
        p = np.array([weight * store["pairs"][(r["claim"], s)][1]
                      + (1 - weight) * store["pairs"][(r["claim"], s)][2]
                      if (r["claim"], s) in store["pairs"] else np.array([0.0, 0.0, 1.0]) for _, s in cands])
        out.append((rid, r["label"], r["article"], r.get("weight", 1.0), cos, p))
    return out


def evaluate(rows, **knobs) -> dict:
    """Macro-F1 (and per class) of `_aggregate` with `knobs` over `rows`, each row weighted by
    its sample weight."""
    from sklearn.metrics import f1_score

    from corroborate.compare import _aggregate
    from corroborate.model import RELATIONS

    pred = []
    for _, _, article, _, cos, p in rows:
        if not article:
            pred.append(RELATIONS[int(p[0].argmax())])
            continue
        agg, _ = _aggregate(p, cos, **knobs)
        pred.append(RELATIONS[int(np.argmax(agg))])
    gold, w = [r[1] for r in rows], [r[3] for r in rows]
    present = [lab for lab in RELATIONS if lab in set(gold)]
    per = f1_score(gold, pred, labels=list(RELATIONS), average=None, zero_division=0, sample_weight=w)
    return {"macro_f1": float(np.mean([per[RELATIONS.index(lab)] for lab in present])),
            **{f"f1_{lab}": float(x) for lab, x in zip(RELATIONS, per)}}


def tune(tune_folds, check_folds, grid: dict, weight: float, show: int = 15) -> list:
    """Every combination of `grid` (aggregation knobs, plus `article_sentences`), best on the
    tune folds first; prints the top `show` with their check-fold scores."""
    store = pickle.loads(CACHE.read_bytes())
    keys = list(grid)
    results, rows = [], {}
    for values in itertools.product(*grid.values()):
        knobs = dict(zip(keys, values))
        lim = knobs.pop("article_sentences")
        if lim not in rows:
            rows[lim] = (rows_of(store, tune_folds, lim, weight), rows_of(store, check_folds, lim, weight))
        a, b = evaluate(rows[lim][0], **knobs), evaluate(rows[lim][1], **knobs)
        results.append((a["macro_f1"], a, b, lim, knobs))
    results.sort(key=lambda x: -x[0])
    for _, a, b, lim, knobs in results[:show]:
        print(f"tune {a['macro_f1']:.3f} (dis {a['f1_disagree']:.3f})  check {b['macro_f1']:.3f} "
              f"(agree {b['f1_agree']:.3f} dis {b['f1_disagree']:.3f} other {b['f1_other']:.3f})  "
              f"sentences={lim} {knobs}")
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("score", "tune"))
    ap.add_argument("--folds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--tune-folds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--check-folds", type=int, nargs="+", default=[3])
    ap.add_argument("--others", type=int, default=150, help="discuss/unrelated rows sampled per fold")
    ap.add_argument("--top", type=int, default=6, help="most similar sentences scored per row")
    args = ap.parse_args(argv)
    if args.what == "score":
        score(args.folds, args.others, args.top)
    else:
        from corroborate.model import Settings

        grid = {"article_sentences": [Settings.article_sentences], "top_k": [Settings.article_top_k],
                "related_cosine": [Settings.related_cosine]}
        tune(set(args.tune_folds), set(args.check_folds), grid, 0.5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
