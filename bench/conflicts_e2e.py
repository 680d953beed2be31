"""The conflict stage alone on the end-to-end yardstick's corpora (`corroborate eval e2e`), for
quick loops over conflict rules and settings: everything before the conflicts is run once and
kept, then `find_conflicts` is rerun per variant and scored with the yardstick's own counts.

Run: .venv/bin/python bench/conflicts_e2e.py prepare [--folds 1 2 3] [--limit N] [--set name=value ...]
     .venv/bin/python bench/conflicts_e2e.py run [--folds 1 2] [--set name=value ...] [--jsonl FILE]
     .venv/bin/python bench/conflicts_e2e.py funnel [--folds 1 2 3]
     .venv/bin/python bench/conflicts_e2e.py scorers [--folds 1 2]

`prepare` analyzes every scored corpus (`training.e2e.load_corpora`) with the models' own
vector and relation-score cache and stores claims, clusters, vectors and near copies under
.cache/conflicts_e2e/. `run` recomputes the conflicts from those with the current code and
`Settings` (plus `--set` changes), prints the conflict rows of the yardstick (recall, false
conflicts, conflicts per corpus) and writes every conflict with both claim texts to `--jsonl`.
`funnel` follows each (agree line, disagree line) pair of the yardstick through the conflict
stage and counts where it is lost: no claim on a line, not a candidate pair, a candidate with
no lexical cue, a cue without enough shared subject; with the relation scorer's p(disagree)
for the candidates. Both `run` and `funnel` split the pairs by how a reader took them
(`readings/baly-agree-disagree-pairs.tsv`: a contradiction, an update over time, arguable, or
no conflict as the two lines are written; docs/conflict-sample.md). `scorers` asks whether any
pair score tells the pairs read as a contradiction or an update from the yardstick's agree pairs
(a line pair scores the best of its claim pairs, both orders): the relation scorer as shipped,
its head alone, the USE relation of the English bridge, the cosine, and a logistic regression
over all four fitted leaving one corpus out; it prints the ROC AUC and what passes the score
that 1 % of agree pairs pass (the yardstick's false-conflict budget).
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
READINGS = Path(__file__).resolve().parent / "readings" / "baly-agree-disagree-pairs.tsv"


def readings() -> dict[tuple[str, str, str], str]:
    """(claim id, "doc:line" of the agree line, "doc:line" of the disagree line) -> a reader's
    reading of the pair: contradiction, update, arguable or none."""
    rows = READINGS.read_text(encoding="utf-8").splitlines()[1:]
    return {tuple(r.split("\t")[:3]): r.split("\t")[3] for r in rows if r.strip()}


def _line(x) -> str:
    return f"{x[0].doc_id}:{x[1]}"


def cached_models():
    """The shipped models; `load_models` keeps vectors and relation scores in its SQLite cache."""
    from corroborate.pipeline import load_models

    return load_models()


def _save(models) -> None:
    for part in (models.encoder, models.scorer):
        if hasattr(part, "save"):
            part.save()


def prepare(folds, limit, changes: list[str] = ()) -> None:
    from corroborate.model import Settings
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
            analysis = analyze(corpus_documents(corpus), models=models, settings=Settings().changed(changes))
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
    read = readings()
    totals, rows, per, by_reading = Counter(), [], [], Counter()
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
        by_reading.update(_hits_by_reading(d["corpus"], claims, conflicts, read))
    _save(models)
    rates = summarise(totals)
    if not quiet:
        print(f"{int(totals['corpora'])} corpora, folds {sorted(folds)}, {time.time() - t_all:.0f} s; "
              f"settings changed: {changes or 'none'}")
        for key in ("conflict_recall", "false_conflicts", "conflicts_per_corpus"):
            print(f"  {key}: {rates[key]}")
        print(f"  conflict hits {totals['conflict_hits']}/{totals['agree_disagree_pairs']}, "
              f"false {totals['false_conflicts']}/{totals['agree_pairs']}, conflicts {totals['conflicts']}")
        print("  agree x disagree line pairs found / read as:",
              {k: f"{by_reading[k, True]}/{by_reading[k, True] + by_reading[k, False]}"
               for k in ("contradiction", "update", "arguable", "none")})
        print("  by gold:", dict(Counter(r["gold"] for r in rows)))
        print("  by cue:", dict(Counter(r["cues"][0].split(":")[0] if r["cues"] else "model" for r in rows)))
        print("  by cue and gold:", dict(Counter((r["cues"][0].split(":")[0] if r["cues"] else "model", r["gold"])
                                                 for r in rows)))
    if jsonl:
        jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return {"rates": rates, "counts": dict(totals), "rows": rows, "per_corpus": per}


def _hits_by_reading(corpus, claims, conflicts, read) -> Counter:
    """(reading, found) counts over the corpus's read (agree line, disagree line) pairs."""
    from corroborate.training.e2e import line_spans

    pairs = {frozenset((x.claim_a, x.claim_b)) for x in conflicts}
    out = Counter()
    for a in corpus.articles:
        for b in corpus.articles:
            if a.stance != "agree" or b.stance != "disagree" or a.doc_id == b.doc_id:
                continue
            for m in a.rationale:
                for n in b.rationale:
                    reading = read.get((corpus.claim_id, _line((a, m)), _line((b, n))))
                    if reading is None:
                        continue
                    (alo, ahi), (blo, bhi) = line_spans(a.text)[m], line_spans(b.text)[n]
                    on_a = [c.id for c in claims if c.doc_id == a.doc_id and c.start < ahi and c.end > alo]
                    on_b = [c.id for c in claims if c.doc_id == b.doc_id and c.start < bhi and c.end > blo]
                    out[reading, any(frozenset((p, q)) in pairs for p in on_a for q in on_b)] += 1
    return out


def funnel(folds) -> Counter:
    """Where the agree-vs-disagree line pairs of the yardstick are lost (see the module text)."""
    import numpy as np

    from corroborate.conflicts import candidate_pairs, shared_subject
    from corroborate.cues import claim_cues, pair_cues
    from corroborate.model import Settings
    from corroborate.training.e2e import line_spans

    settings, models = Settings(), cached_models()
    read = readings()
    stage, kinds, cosines, p_disagree, by_reading = Counter(), Counter(), [], [], Counter()
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
                reading = read.get((corpus.claim_id, _line(x), _line(y)), "unread")
                combos = [(min(p, q), max(p, q)) for p in on(*x) for q in on(*y)]
                if not combos:
                    stage["no claim on a line"] += 1
                    by_reading[reading, "no claim on a line"] += 1
                    continue
                cosines.append(max(float(vectors[i] @ vectors[j]) for i, j in combos))
                asked = [c for c in combos if c in candidates]
                if not asked:
                    stage["not a candidate"] += 1
                    by_reading[reading, "not a candidate"] += 1
                    continue
                proba = models.cached_scorer.predict_proba([claims[i].text for i, _ in asked],
                                                           [claims[j].text for _, j in asked])
                p_disagree.append(float(np.max(proba[:, 1])))
                by_reading[reading, "max p(disagree)"] = max(by_reading[reading, "max p(disagree)"], round(p_disagree[-1], 2))
                cued = [(i, j) for i, j in asked
                        if pair_cues(claim_cues(claims[i].text), claim_cues(claims[j].text), settings)]
                for i, j in cued:
                    kinds.update(c.kind for c in pair_cues(claim_cues(claims[i].text),
                                                           claim_cues(claims[j].text), settings))
                if not cued:
                    lost = "candidate, no cue"
                elif max(subject(i, j) for i, j in cued) < settings.min_subject:
                    lost = "cue, too little shared subject"
                else:
                    lost = "cue and shared subject"
                stage[lost] += 1
                by_reading[reading, lost] += 1
    _save(models)
    cos, pd = np.array(cosines), np.array(p_disagree)
    print(f"folds {sorted(folds)}: {dict(stage)}")
    print(f"  cue kinds on candidates: {dict(kinds)}")
    for reading in ("contradiction", "update", "arguable", "none", "unread"):
        lost = {k[1]: n for k, n in sorted(by_reading.items()) if k[0] == reading}
        if lost:
            print(f"  read as {reading}: {lost}")
    if not len(cos):
        return stage
    print(f"  best cosine of a claim pair on the two lines: median {np.median(cos):.3f}, "
          f">= {settings.neighbour_similarity}: {int((cos >= settings.neighbour_similarity).sum())} of {len(cos)}")
    if len(pd):
        print(f"  p(disagree), best candidate pair: n {len(pd)}, median {np.median(pd):.2f}, max {pd.max():.2f}, "
              f">= {settings.rule_threshold}: {int((pd >= settings.rule_threshold).sum())}, "
              f">= {settings.conflict_threshold}: {int((pd >= settings.conflict_threshold).sum())}")
    return stage


def scorers(folds) -> None:
    """See the module text; minutes, most of them the cross-encoder on a few thousand pairs."""
    from itertools import combinations

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from corroborate.bridge import USEEncoder
    from corroborate.training.e2e import line_spans

    models, read = cached_models(), readings()
    units = []          # (reading or "agree", corpus id, claim text pairs on the two lines)
    for path in sorted(STORE.glob("*.pkl")):
        d = pickle.loads(path.read_bytes())
        corpus, claims = d["corpus"], d["claims"]
        if corpus.fold not in folds:
            continue

        def on(article, n, claims=claims):
            lo, hi = line_spans(article.text)[n]
            return [c.text for c in claims if c.doc_id == article.doc_id and c.start < hi and c.end > lo]

        lines = {s: [(a, n) for a in corpus.articles if a.stance == s for n in a.rationale]
                 for s in ("agree", "disagree")}
        for x, y in combinations(lines["agree"], 2):
            if x[0].outlet != y[0].outlet:
                units.append(("agree", corpus.claim_id, [(p, q) for p in on(*x) for q in on(*y)]))
        for x in lines["agree"]:
            for y in lines["disagree"]:
                if x[0].doc_id != y[0].doc_id:
                    units.append((read.get((corpus.claim_id, _line(x), _line(y)), "unread"), corpus.claim_id,
                                  [(p, q) for p in on(*x) for q in on(*y)]))
    units = [u for u in units if u[2]]
    pairs = sorted({pq for *_, ps in units for pq in ps} | {(q, p) for *_, ps in units for p, q in ps})
    index = {pq: i for i, pq in enumerate(pairs)}
    left, right = [p for p, _ in pairs], [q for _, q in pairs]
    texts = sorted(set(left) | set(right))
    use = dict(zip(texts, USEEncoder().encode(texts)))
    e5 = dict(zip(texts, models.encoder.encode(texts)))
    scores = {
        "relation scorer, p(disagree)": models.cached_scorer.predict_proba(left, right)[:, 1],
        "its head alone": models.scorer.head.predict_proba(left, right, encoder=models.encoder)[:, 1],
        "USE bridge, p(disagree)": models.bridge.relation_proba(np.array([use[t] for t in left]),
                                                               np.array([use[t] for t in right]))[:, 1],
        "cosine (e5)": np.array([float(e5[p] @ e5[q]) for p, q in pairs]),
    }
    kind = np.array([u[0] for u in units])
    real = np.isin(kind, ("contradiction", "update"))
    by_unit = {name: np.array([max(max(s[index[p, q]], s[index[q, p]]) for p, q in ps) for *_, ps in units])
               for name, s in scores.items()}
    features = np.column_stack(list(by_unit.values()))
    groups, fitted = np.array([u[1] for u in units]), np.zeros(len(units))
    for corpus_id in sorted(set(groups)):
        train = groups != corpus_id
        if real[train].any():
            model = LogisticRegression(class_weight="balanced", max_iter=1000).fit(features[train], real[train])
            fitted[~train] = model.predict_proba(features[~train])[:, 1]
    by_unit["logistic regression over the four, one corpus left out"] = fitted
    agree = kind == "agree"
    print(f"folds {sorted(folds)}: {int(agree.sum())} agree line pairs, {int(real.sum())} read as a contradiction "
          f"or an update, {int((kind == 'none').sum())} read as no conflict")
    for name, s in by_unit.items():
        bar = float(np.quantile(s[agree], 0.99))
        print(f"  {name}: ROC AUC real vs agree {roc_auc_score(real[agree | real], s[agree | real]):.3f}, "
              f"vs read as no conflict {roc_auc_score(real[(kind == 'none') | real], s[(kind == 'none') | real]):.3f}; "
              f"above the 99th percentile of agree pairs ({bar:.2f}): {int((s[real] > bar).sum())} real, "
              f"{int((s[kind == 'none'] > bar).sum())} read as no conflict")
    _save(models)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("prepare", "run", "funnel", "scorers"))
    ap.add_argument("--folds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--jsonl", type=Path)
    args = ap.parse_args(argv)
    if any(f > 3 for f in args.folds):
        ap.error("folds 4-5 are withheld")
    if args.what == "prepare":
        prepare(tuple(args.folds), args.limit, args.set)
    elif args.what == "funnel":
        funnel(set(args.folds))
    elif args.what == "scorers":
        scorers(set(args.folds))
    else:
        run(set(args.folds), args.set, args.jsonl)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
