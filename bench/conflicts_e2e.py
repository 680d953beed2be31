"""The conflict stage alone on the end-to-end yardstick's corpora (`corroborate eval e2e`), for
quick loops over conflict rules and settings: everything before the conflicts is run once and
kept, then `find_conflicts` is rerun per variant and scored with the yardstick's own counts.

Run: .venv/bin/python bench/conflicts_e2e.py prepare [--folds 1 2 3] [--limit N]
     .venv/bin/python bench/conflicts_e2e.py run [--folds 1 2] [--set name=value ...] [--jsonl FILE]
     .venv/bin/python bench/conflicts_e2e.py funnel [--folds 1 2 3]

`prepare` analyzes every scored corpus (`training.e2e.load_corpora`) with the models' own
vector and relation-score cache and stores claims, clusters, vectors and near copies under
.cache/conflicts_e2e/. `run` recomputes the conflicts from those with the current code and
`Settings` (plus `--set` changes), prints the conflict rows of the yardstick (recall, false
conflicts, conflicts per corpus) and writes every conflict with both claim texts to `--jsonl`.
`funnel` follows each (agree line, disagree line) pair of the yardstick through the conflict
stage and counts where it is lost: no claim on a line, not a candidate pair, a candidate with
no lexical cue, a cue without enough shared subject; with the relation scorer's p(disagree)
for the candidates.
The rest of the yardstick (clusters) is as stored; rerun `prepare` after changing claims or
clusters. Folds 4-5 are withheld and never read.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
STORE = Path(".cache/conflicts_e2e")


def cached_models():
    """The shipped models; `load_models` keeps vectors and relation scores in its SQLite cache."""
    from corroborate.pipeline import load_models

    return load_models()


def _save(models) -> None:
    for part in (models.encoder, models.scorer):
        if hasattr(part, "save"):
            part.save()


def prepare(folds, limit) -> None:
    from corroborate.neighbours import near_copies
    from corroborate.pipeline import analyze
    from corroborate.text.normalize import normalize_text
    from corroborate.training.e2e import corpus_documents, load_corpora

    models = cached_models()
    STORE.mkdir(parents=True, exist_ok=True)
    corpora = [c for c in load_corpora(DATA, folds, limit=limit)
               if not (STORE / f"{c.claim_id}.pkl").exists()]
    # the corpora with both agree and disagree lines first: conflict recall is measured on them
    corpora.sort(key=lambda c: not {"agree", "disagree"} <= {a.stance for a in c.articles if a.rationale})
    try:
        for n, corpus in enumerate(corpora, 1):
            t0 = time.time()
            analysis = analyze(corpus_documents(corpus), models=models)
            claims = list(analysis.claims)
            vectors = models.encoder.encode([c.text for c in claims])
            copies = near_copies([normalize_text(c.text) for c in claims], fuzzy=analysis.settings.fuzzy)
            (STORE / f"{corpus.claim_id}.pkl").write_bytes(pickle.dumps({
                "corpus": corpus, "claims": claims, "clusters": list(analysis.clusters),
                "vectors": vectors, "copies": copies}))
            print(f"[{n}/{len(corpora)}] {corpus.claim_id}: {len(claims)} claims, "
                  f"{len(analysis.conflicts)} conflicts, {time.time() - t0:.0f} s", flush=True)
            if n % 5 == 0:
                _save(models)
    finally:
        _save(models)


def run(folds, changes: list[str], jsonl: Path | None, quiet: bool = False) -> dict:
    from corroborate.denials import match_denials
    from corroborate.model import Settings
    from corroborate.pipeline import check_conflicts
    from corroborate.training.e2e import (
        PredictedClaim,
        Prediction,
        _conflict_rows,
        score_corpus,
        summarise,
    )

    settings = Settings().changed(changes)
    models = cached_models()
    totals, rows, per = Counter(), [], []
    t_all = time.time()
    for path in sorted(STORE.glob("*.pkl")):
        d = pickle.loads(path.read_bytes())
        if d["corpus"].fold not in folds:
            continue
        claims, clusters, copies = d["claims"], d["clusters"], d["copies"]
        denied = match_denials(claims, d["vectors"], models.encoder, models.same_fact, k=settings.denial_candidates,
                               floor=settings.similarity, threshold=settings.denial_same_fact)
        conflicts = check_conflicts(claims, clusters, d["vectors"], denied, models, settings, copies=copies)
        own = {i: k.id for k in clusters for i in k.claim_ids}
        prediction = Prediction(
            tuple(PredictedClaim(c.id, c.doc_id, c.start, c.end, (own[c.id],)) for c in claims),
            {k.id: k.independent_sources for k in clusters},
            tuple((x.claim_a, x.claim_b) for x in conflicts))
        counts = score_corpus(d["corpus"], prediction)
        totals.update(counts)
        per.append((d["corpus"].claim_id, counts["conflicts"], counts["conflict_hits"], counts["false_conflicts"]))
        rows += _conflict_rows(d["corpus"], SimpleNamespace(claims=claims, conflicts=conflicts), prediction)
    _save(models)
    rates = summarise(totals)
    if not quiet:
        print(f"{int(totals['corpora'])} corpora, folds {sorted(folds)}, {time.time() - t_all:.0f} s; "
              f"settings changed: {changes or 'none'}")
        for key in ("conflict_recall", "false_conflicts", "conflicts_per_corpus"):
            print(f"  {key}: {rates[key]}")
        print(f"  conflict hits {totals['conflict_hits']}/{totals['agree_disagree_pairs']}, "
              f"false {totals['false_conflicts']}/{totals['agree_pairs']}, conflicts {totals['conflicts']}")
        print("  by gold:", dict(Counter(r["gold"] for r in rows)))
        print("  by cue:", dict(Counter(r["cues"][0].split(":")[0] if r["cues"] else "model" for r in rows)))
        print("  by cue and gold:", dict(Counter((r["cues"][0].split(":")[0] if r["cues"] else "model", r["gold"])
                                                 for r in rows)))
    if jsonl:
        jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return {"rates": rates, "counts": dict(totals), "rows": rows, "per_corpus": per}


def funnel(folds) -> Counter:
    """Where the agree-vs-disagree line pairs of the yardstick are lost (see the module text)."""
    import numpy as np

    from corroborate.conflicts import candidate_pairs, shared_subject
    from corroborate.cues import claim_cues, pair_cues
    from corroborate.model import Settings
    from corroborate.training.e2e import line_spans

    settings, models = Settings(), cached_models()
    stage, kinds, cosines, p_disagree = Counter(), Counter(), [], []
    for path in sorted(STORE.glob("*.pkl")):
        d = pickle.loads(path.read_bytes())
        corpus = d["corpus"]
        if corpus.fold not in folds:
            continue
        claims, vectors = d["claims"], np.asarray(d["vectors"], dtype=np.float32)
        candidates = {(i, j) for i, j, _ in candidate_pairs(
            claims, d["clusters"], vectors, neighbour_similarity=settings.neighbour_similarity,
            k=settings.conflict_candidates, outcome_k=settings.outcome_candidates,
            within_article=settings.within_article)}
        subject = shared_subject([c.text for c in claims])[0]

        def on(article, n):
            lo, hi = line_spans(article.text)[n]
            return [i for i, c in enumerate(claims) if c.doc_id == article.doc_id and c.start < hi and c.end > lo]

        lines = {s: [(a, n) for a in corpus.articles if a.stance == s for n in a.rationale]
                 for s in ("agree", "disagree")}
        for x in lines["agree"]:
            for y in lines["disagree"]:
                if x[0].doc_id == y[0].doc_id:
                    continue
                stage["pairs"] += 1
                combos = [(min(p, q), max(p, q)) for p in on(*x) for q in on(*y)]
                if not combos:
                    stage["no claim on a line"] += 1
                    continue
                cosines.append(max(float(vectors[i] @ vectors[j]) for i, j in combos))
                asked = [c for c in combos if c in candidates]
                if not asked:
                    stage["not a candidate"] += 1
                    continue
                proba = models.cached_scorer.predict_proba([claims[i].text for i, _ in asked],
                                                           [claims[j].text for _, j in asked])
                p_disagree.append(float(np.max(proba[:, 1])))
                cued = [(i, j) for i, j in asked
                        if pair_cues(claim_cues(claims[i].text), claim_cues(claims[j].text), settings)]
                for i, j in cued:
                    kinds.update(c.kind for c in pair_cues(claim_cues(claims[i].text),
                                                           claim_cues(claims[j].text), settings))
                if not cued:
                    stage["candidate, no cue"] += 1
                elif max(subject(i, j) for i, j in cued) < settings.min_subject:
                    stage["cue, too little shared subject"] += 1
                else:
                    stage["cue and shared subject"] += 1
    _save(models)
    cos, pd = np.array(cosines), np.array(p_disagree)
    print(f"folds {sorted(folds)}: {dict(stage)}")
    print(f"  cue kinds on candidates: {dict(kinds)}")
    if not len(cos):
        return stage
    print(f"  best cosine of a claim pair on the two lines: median {np.median(cos):.3f}, "
          f">= {settings.neighbour_similarity}: {int((cos >= settings.neighbour_similarity).sum())} of {len(cos)}")
    if len(pd):
        print(f"  p(disagree), best candidate pair: n {len(pd)}, median {np.median(pd):.2f}, max {pd.max():.2f}, "
              f">= {settings.rule_threshold}: {int((pd >= settings.rule_threshold).sum())}, "
              f">= {settings.conflict_threshold}: {int((pd >= settings.conflict_threshold).sum())}")
    return stage


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("prepare", "run", "funnel"))
    ap.add_argument("--folds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--jsonl", type=Path)
    args = ap.parse_args(argv)
    if any(f > 3 for f in args.folds):
        ap.error("folds 4-5 are withheld")
    if args.what == "prepare":
        prepare(tuple(args.folds), args.limit)
    elif args.what == "funnel":
        funnel(set(args.folds))
    else:
        run(set(args.folds), args.set, args.jsonl)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
