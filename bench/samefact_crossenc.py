"""Can a cross-encoder trained on "the same fact" tell two outlets' words for one fact from two
facts of one story better than the shipped same-fact scorer (issue 18: the scorer's seven
features, not its learner, are the limit)?

Run: .venv/bin/python bench/samefact_crossenc.py pairs           # label the corpora's claim pairs once
     .venv/bin/python bench/samefact_crossenc.py train [--epochs 2] [--lr 2e-4] [--snn PAIRS.jsonl]
     .venv/bin/python bench/samefact_crossenc.py score [--adapter DIR ...]
     .venv/bin/python bench/samefact_crossenc.py e2e [--folds 3] [--set second_look_pairs=0 ...]

`pairs` takes the yardstick's labelled cross-outlet claim pairs (`training.samefact.corpus_frames`,
what `corroborate train samefact` learns from) of all corpora of folds 1-3 and stores them with
the shipped scorer's p(same fact) under .cache/samefact_crossenc/. `train` trains the shipped
relation adapter further on the pairs of folds 1-2 (both orders at random; agree stands for
"the same fact", other for "not", so p(same fact) = p(agree) + p(disagree)); `--snn` adds mined
SaudiNewsNet story pairs (tried, not shipped: docs/accuracy.md). `score` prints ROC AUC
and best F1 on fold 3's pairs (never trained on, by either model) for the shipped scorer, the
cross-encoder, the relation cross-encoder as shipped, and their mean. `e2e` runs the
yardstick's clustering rows (`corroborate eval e2e --clusters-only`) with the shipped second look
(models/samefact-cross/, `matching.second_look`) as `--set` leaves it. Folds 4-5 are withheld
and never read.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import time
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
STORE = Path(".cache/samefact_crossenc")


def _models():
    from corroborate.pipeline import load_models

    return load_models()


def pairs(args) -> None:
    from corroborate.training.e2e import load_corpora
    from corroborate.training.samefact import corpus_frames, featurize

    models = _models()
    rows = []
    t0 = time.time()
    corpora = load_corpora(DATA, (1, 2, 3))
    for n, frame in enumerate(corpus_frames(corpora, models.encoder), 1):
        if not frame["pairs"]:
            continue
        p = models.same_fact.proba(featurize(frame, models.encoder, models.same_fact.features))
        for (i, j), y, q in zip(frame["pairs"], frame["labels"], p):
            rows.append({"corpus": frame["source"], "fold": frame["fold"], "a": frame["texts"][i],
                         "b": frame["texts"][j], "y": int(y), "scorer": float(q)})
        print(f"{n} corpora, {len(rows)} pairs ({time.time() - t0:.0f}s)", flush=True)
    STORE.mkdir(parents=True, exist_ok=True)
    (STORE / "pairs.pkl").write_bytes(pickle.dumps(rows))
    by = {f: [r["y"] for r in rows if r["fold"] == f] for f in (1, 2, 3)}
    print({f: (len(v), sum(v)) for f, v in by.items()})


def _load_pairs():
    return pickle.loads((STORE / "pairs.pkl").read_bytes())


def _base() -> Path:
    from corroborate import paths

    return paths.models_dir() / "multilingual-e5-small"


def train(args) -> None:
    from corroborate import paths

    rng = np.random.default_rng(args.seed)
    rows = [r for r in _load_pairs() if r["fold"] in (1, 2)]
    if args.limit:
        rows = [rows[i] for i in sorted(rng.choice(len(rows), args.limit, replace=False))]
    if args.snn:
        rows += snn_rows(args.snn)
    # from the shipped relation adapter: agree stands for "the same fact", other for "not"
    fit(rows, paths.models_dir() / paths.RELATIONS / "crossenc", STORE / args.name, args)


def fit(rows: list[dict], start: Path, out_dir: Path, args) -> None:
    """Train the adapter at `start` further on `rows` ({"a", "b", "y"}: y 1 the same fact, 0 not,
    2 the same thing said two incompatible ways) for `args.epochs`, saving each epoch under
    `out_dir`; the targets are the relation labels: agree, other, disagree."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from corroborate.training.crossenc import _length_batches, optimiser, train_step

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    base = _base()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=3)
    model = PeftModel.from_pretrained(model, str(start), is_trainable=True)
    y = np.array([r["y"] for r in rows])
    same = (y > 0).astype(int)
    target = np.array([2, 0, 1])[y]                 # not -> other, same -> agree, incompatible -> disagree
    w_class = np.sqrt(len(y) / (2 * np.maximum(np.bincount(same, minlength=2), 1)))
    params = [p for p in model.parameters() if p.requires_grad]
    steps = math.ceil(len(rows) / args.batch_size)
    opt, sched = optimiser(params, args.lr, steps * args.epochs, 0.06)
    lengths = np.array([len(r["a"]) + len(r["b"]) for r in rows])
    print(f"{len(rows)} pairs ({same.sum()} same fact), {steps} steps an epoch", flush=True)
    t0 = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        running = 0.0
        for step, idx in enumerate(_length_batches(lengths, args.batch_size, rng), 1):
            flip = rng.random(len(idx)) < 0.5      # one fact reads the same either way round
            a = [rows[i]["b"] if f else rows[i]["a"] for i, f in zip(idx, flip)]
            b = [rows[i]["a"] if f else rows[i]["b"] for i, f in zip(idx, flip)]
            running += train_step(model, tokenizer, a, b, torch.tensor(target[idx]),
                                  torch.tensor(w_class[same[idx]], dtype=torch.float32), params, opt, sched)
            if step % 20 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {running / step:.4f} "
                      f"({time.time() - t0:.0f}s)", flush=True)
        out = out_dir / f"epoch{epoch}"
        model.save_pretrained(str(out))
        (out / "meta.json").write_text(json.dumps({"args": vars(args), "seconds": time.time() - t0}, default=str))
        print(f"saved {out} ({time.time() - t0:.0f}s)", flush=True)


def snn_rows(path: Path) -> list[dict]:
    """Training rows from mined SaudiNewsNet story pairs (`corroborate train encoder --pairs-only
    --kinds snn-story`, days other than 2015-08-10): two outlets' leads of one story are the same
    fact (1); the anchor against its hard negatives, another story of the day and desk and
    another fact of the same story, is not (0). docs/encoder.md tells how the
    pairs are mined and what a read sample of them holds."""
    from corroborate.training.pairs import is_copy, read_pairs

    rows = []
    for pair in read_pairs(path, ["snn-story"])["snn-story"]:
        rows.append({"corpus": pair.group, "fold": 0, "a": pair.anchor, "b": pair.positive, "y": 1})
        rows += [{"corpus": pair.group, "fold": 0, "a": pair.anchor, "b": n, "y": 0}
                 for n in pair.negatives if not is_copy(n, pair.anchor)]
    print(f"{path}: {len(rows)} SaudiNewsNet rows ({sum(r['y'] for r in rows)} same fact)", flush=True)
    return rows


def _proba(adapter: Path, a: list[str], b: list[str]) -> np.ndarray:
    """p(agree) + p(disagree) of the adapter at `adapter` for each pair, both orders averaged."""
    from corroborate.crossenc import CrossEncoderRelation

    model = CrossEncoderRelation.load(adapter, _base())
    p = (model.predict_proba(a, b) + model.predict_proba(b, a)) / 2
    return p[:, 0] + p[:, 1]


def _report(name: str, y: np.ndarray, p: np.ndarray) -> None:
    from sklearn.metrics import f1_score, precision_recall_curve, roc_auc_score

    prec, rec, thr = precision_recall_curve(y, p)
    f1 = 2 * prec * rec / np.maximum(prec + rec, 1e-9)
    k = int(np.argmax(f1[:-1]))
    print(f"{name:<34} AUC {roc_auc_score(y, p):.3f}  F1@0.5 {f1_score(y, p >= 0.5):.3f}  "
          f"best F1 {f1[k]:.3f} at {thr[k]:.2f}")


def score(args) -> None:
    from corroborate import paths

    rows = [r for r in _load_pairs() if r["fold"] == 3]
    y = np.array([r["y"] for r in rows])
    a, b = [r["a"] for r in rows], [r["b"] for r in rows]
    print(f"fold 3: {len(rows)} pairs, {y.sum()} same fact, {len({r['corpus'] for r in rows})} corpora")
    scorer = np.array([r["scorer"] for r in rows])
    _report("same-fact scorer (shipped)", y, scorer)
    cache = STORE / "scores.pkl"
    done = pickle.loads(cache.read_bytes()) if cache.is_file() else {}
    adapters = [paths.models_dir() / paths.RELATIONS / "crossenc"] + [Path(x) for x in args.adapter]
    for adapter in adapters:
        key = str(adapter.resolve())
        if key not in done:
            t0 = time.time()
            done[key] = _proba(adapter, a, b)
            print(f"  ({adapter}: {len(rows)} pairs both orders in {time.time() - t0:.0f}s)")
            cache.write_bytes(pickle.dumps(done))
        p = done[key]
        _report(str(adapter)[-34:], y, p)
        _report("  mean with the scorer", y, (p + scorer) / 2)
        for lo, hi in ((0.3, 0.7), (0.2, 0.8)):
            band = (scorer >= lo) & (scorer < hi)
            _report(f"  mean only where scorer in [{lo}, {hi}) ({band.mean():.0%})", y,
                    np.where(band, (p + scorer) / 2, scorer))


def e2e(args) -> None:
    """The yardstick's clustering rows for `args.folds` with the library's second look as
    `--set` leaves it (`--set second_look_pairs=0`: without it), relation scorer off."""
    from corroborate.model import Settings
    from corroborate.pipeline import load_models
    from corroborate.training.e2e import run_e2e

    t0 = time.time()
    result = run_e2e(DATA, args.folds, models=load_models(), with_baseline=False, model_conflicts=False,
                     settings=Settings().changed(args.set), progress=lambda m: print(m, flush=True))
    rates = result["systems"]["corroborate"]["rates"]
    print({k: round(rates[k], 3) for k in ("corroboration_recall", "members_recall",
                                            "merged_other_story", "largest_cluster_share")},
          f"{time.time() - t0:.0f}s, load {result['load']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("pairs")
    t = sub.add_parser("train")
    t.add_argument("--name", default="run")
    t.add_argument("--epochs", type=int, default=2)
    t.add_argument("--lr", type=float, default=2e-4)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--limit", type=int, default=0)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=42)
    t.add_argument("--snn", type=Path, help="also train on this file's SaudiNewsNet story pairs")
    s = sub.add_parser("score")
    s.add_argument("--adapter", nargs="*", default=[])
    e = sub.add_parser("e2e")
    e.add_argument("--folds", type=int, nargs="+", default=[3])
    e.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    {"pairs": pairs, "train": train, "score": score, "e2e": e2e}[args.cmd](args)


if __name__ == "__main__":
    main()
