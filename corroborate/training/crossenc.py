"""Fine-tuning the cross-encoder relation adapter on the public Arabic pair sets (CPU is enough).

corroborate train crossenc --data ../shared/data
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from ..crossenc import LORA_TARGETS, CrossEncoderRelation, tokenize
from ..encode import Encoder
from ..model import RELATIONS as LABELS
from ..relation_head import RelationModel
from .datasets import (
    cached,
    dev_sets,
    load_xnli,
    macro_f1,
    selection_score,
    training_frame,
)


def new_model(base: Path | str, *, rank: int = 16, seed: int = 42):
    """A fresh LoRA-wrapped sequence classifier over the e5 encoder folder `base`."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(seed)
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=len(LABELS))
    config = LoraConfig(r=rank, lora_alpha=2 * rank, lora_dropout=0.1, target_modules=LORA_TARGETS,
                        modules_to_save=["classifier", "pooler"])
    return get_peft_model(model, config)


SETTINGS = {"rank": 16, "lr": 3e-4, "epochs": 3, "batch_size": 32, "arnli_weight": 0.5,
            "news_weight": 0.7, "news_pairs": 700, "warmup": 0.06, "swap": 0.5, "seed": 42}
SYMMETRIC_SETS = ("ans", "news")  # paraphrase/contradiction/unrelated read the same both ways; NLI does not


def _length_batches(lengths: np.ndarray, size: int, rng: np.random.Generator, pool: int = 50):
    """Shuffled batches of indices of similar length (less padding: news pairs are 3x headlines)."""
    order = rng.permutation(len(lengths))
    batches = []
    for start in range(0, len(order), size * pool):
        chunk = order[start:start + size * pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def _dev_scores(scorer: CrossEncoderRelation, dev: dict) -> dict:
    out = {}
    for name, df in dev.items():
        p = scorer.predict_proba(df.s1.tolist(), df.s2.tolist())
        out[name] = macro_f1(df.label.tolist(), [LABELS[i] for i in p.argmax(1)])
    return out


def optimiser(params, lr: float, total: int, warmup: float):
    """AdamW (weight decay 0.01) over `params` and its schedule for `total` steps: the rate rises
    linearly over the first `warmup` share of them (one step at least), then falls linearly to 0."""
    import torch

    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    warm = max(1, int(warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    return opt, sched


def train_step(model, tokenizer, s1: list[str], s2: list[str], targets, weights, params, opt, sched) -> float:
    """One optimiser step on a batch of pairs: the weighted mean cross-entropy of the class
    `targets`, gradients clipped at norm 1; returns the batch's loss."""
    import torch

    logits = model(**tokenize(tokenizer, s1, s2)).logits
    loss = (torch.nn.functional.cross_entropy(logits, targets, reduction="none") * weights).sum() / weights.sum()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    opt.step()
    sched.step()
    opt.zero_grad()
    return float(loss.detach())


def train_cross_encoder(data_dir: Path | str, out_dir: Path | str, base: Path, *,
                        log: Callable[[str], None] = print, extra: Sequence[Path] = (),
                        **overrides) -> dict:
    """Train the adapter, keep the epoch with the best mean macro-F1 on ANS dev + ArNLI valid.

    Returns the settings, per-epoch dev scores and the selected epoch.
    """
    import pandas as pd
    import torch
    from transformers import AutoTokenizer

    from .augment import synthetic_pairs

    cfg = {**SETTINGS, **overrides}
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    train = training_frame(data_dir, seed=cfg["seed"], extra=extra)
    if cfg["news_pairs"]:
        news = synthetic_pairs(data_dir, (1, 2), n_per_label=cfg["news_pairs"], seed=cfg["seed"])
        train = pd.concat([train, news.assign(set="news")], ignore_index=True)
    dev = dev_sets(data_dir, xnli=False)   # XNLI is scored once, for the kept epoch
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = new_model(base, rank=cfg["rank"], seed=cfg["seed"])
    scorer = CrossEncoderRelation(model, tokenizer)

    y = torch.tensor([LABELS.index(lab) for lab in train.label])
    w_set = train["set"].map({"ans": 1.0, "arnli": cfg["arnli_weight"], "news": cfg["news_weight"]}).to_numpy()
    counts = np.bincount(y.numpy(), minlength=len(LABELS)).astype(float)
    class_w = np.sqrt(len(y) / (len(LABELS) * np.maximum(counts, 1)))  # as the frozen head
    weights = torch.tensor(w_set * class_w[y.numpy()], dtype=torch.float32)

    params = [p for p in model.parameters() if p.requires_grad]
    steps_per_epoch = math.ceil(len(train) / cfg["batch_size"])
    opt, sched = optimiser(params, cfg["lr"], steps_per_epoch * cfg["epochs"], cfg["warmup"])
    history, best = [], None
    s1, s2 = train.s1.tolist(), train.s2.tolist()
    symmetric = train["set"].isin(SYMMETRIC_SETS).to_numpy()
    lengths = np.array([len(a) + len(b) for a, b in zip(s1, s2)])
    for epoch in range(1, cfg["epochs"] + 1):
        model.train()
        t0, running = time.time(), 0.0
        for step, idx in enumerate(_length_batches(lengths, cfg["batch_size"], rng), 1):
            # either order of a symmetric pair, so the model does not learn which side is the headline
            flip = symmetric[idx] & (rng.random(len(idx)) < cfg["swap"])
            a = [s2[i] if f else s1[i] for i, f in zip(idx, flip)]
            b = [s1[i] if f else s2[i] for i, f in zip(idx, flip)]
            running += train_step(model, tokenizer, a, b, y[idx], weights[idx], params, opt, sched)
            if step % 50 == 0:
                log(f"epoch {epoch} step {step}/{steps_per_epoch} loss {running / step:.4f} "
                    f"({time.time() - t0:.0f}s)")
        scores = _dev_scores(scorer, dev)
        select = selection_score(scores)
        history.append({"epoch": epoch, "dev": scores, "select": select, "seconds": time.time() - t0})
        log(json.dumps(history[-1]))
        if best is None or select > best["select"]:
            best = history[-1]
            scorer.meta = {"base": "multilingual-e5-small (models/multilingual-e5-small)",
                           "settings": cfg, "epoch": epoch, "dev": scores,
                           "trained_on": "ANS train + ArNLI train (dedup) + XNLI dev train half + shuffled unrelated pairs + synthetic news pairs (Baly folds 1-2 sentences, corroborate.augment)"}
            scorer.save(out_dir)
    scorer = CrossEncoderRelation.load(out_dir, base)
    xnli = load_xnli(data_dir, "eval")
    final = {**best["dev"], **_dev_scores(scorer, {"xnli_eval": xnli})}
    scorer.meta["dev"] = final
    meta_path = Path(out_dir) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["dev"] = final
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {"settings": cfg, "history": history, "selected_epoch": best["epoch"], "dev": final}


BLEND_GRID = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0)


def choose_blend(data_dir: Path | str, cross_dir: Path | str, head_dir: Path | str, encoder: Encoder,
                 base: Path, *, log: Callable[[str], None] = print) -> dict:
    """Pick the head/cross-encoder mixing weight on ANS dev + ArNLI valid, store it in meta.json.

    Weight 1 is the frozen-vector head alone, 0 the cross-encoder alone.
    """
    enc = cached(encoder)
    head, cross = RelationModel.load(head_dir), CrossEncoderRelation.load(cross_dir, base)
    dev = dev_sets(data_dir)
    probs = {}
    try:
        for name, df in dev.items():
            s1, s2 = df.s1.tolist(), df.s2.tolist()
            probs[name] = (head.predict_proba(s1, s2, encoder=enc), cross.predict_proba(s1, s2))
    finally:
        enc.save()
    grid = []
    for w in BLEND_GRID:
        scores = {name: macro_f1(dev[name].label.tolist(),
                                 [LABELS[i] for i in (w * ph + (1 - w) * pc).argmax(1)])
                  for name, (ph, pc) in probs.items()}
        grid.append({"weight": w, "dev": scores,
                     "select": selection_score(scores)})
        log(f"blend {w:.2f}: " + ", ".join(f"{k} {v['macro_f1']:.3f}" for k, v in scores.items()))
    best = max(grid, key=lambda g: (g["select"], -abs(g["weight"] - 0.5)))
    meta_path = Path(cross_dir) / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["blend_weight"], meta["blend_dev"] = best["weight"], best["dev"]
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {"selected": best["weight"], "grid": grid}

