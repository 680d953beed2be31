"""A cross-encoder relation scorer: e5-small reading both claims at once, with a LoRA adapter.

Frozen sentence vectors see each claim alone, so "الجيش يتقدم" and "الجيش لا يتقدم" land
close together. A cross-encoder attends across the two texts and can weigh the one word
that differs. The adapter (low-rank updates of the attention and feed-forward layers, the
pooler and a 3-way classifier) is about 6 MB and is applied on top of the rebuilt
multilingual-e5-small in models/, so nothing new has to be downloaded.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .errors import ModelError
from .model import RELATIONS as LABELS
from .paths import staged

MAX_LENGTH = 160           # tokens for the pair; ANS and ArNLI pairs are well under this
LORA_TARGETS = r".*encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)"


def tokenize(tokenizer, s1: Sequence[str], s2: Sequence[str]):
    return tokenizer(list(s1), list(s2), padding=True, truncation="longest_first",
                     max_length=MAX_LENGTH, return_tensors="pt")


def _pairs(s1: Sequence[str], s2: Sequence[str]) -> tuple[list[str], list[str], np.ndarray]:
    """The two sides as lists of one length, and the zeroed probability rows to fill."""
    s1, s2 = list(s1), list(s2)
    if len(s1) != len(s2):
        raise ValueError(f"s1 and s2 differ in length: {len(s1)} vs {len(s2)}")
    return s1, s2, np.zeros((len(s1), len(LABELS)), dtype=np.float32)


def _batches(s1: list[str], s2: list[str], size: int):
    """Index lists of at most `size` pairs, shortest pairs first: similar lengths in one batch
    waste less padding."""
    order = sorted(range(len(s1)), key=lambda i: len(s1[i]) + len(s2[i]))
    for start in range(0, len(order), size):
        yield order[start:start + size]


class CrossEncoderRelation:
    """p(agree, disagree, other) for claim pairs from the adapted cross-encoder."""

    def __init__(self, model, tokenizer, meta: dict | None = None, *, batch_size: int = 32) -> None:
        self.model, self.tokenizer = model, tokenizer
        self.meta = dict(meta or {})
        self.batch_size = batch_size

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str]) -> np.ndarray:
        import torch

        s1, s2, out = _pairs(s1, s2)
        self.model.eval()
        with torch.inference_mode():
            for idx in _batches(s1, s2, self.batch_size):
                enc = tokenize(self.tokenizer, [s1[i] for i in idx], [s2[i] for i in idx])
                logits = self.model(**enc).logits
                out[idx] = torch.softmax(logits.float(), dim=-1).numpy()
        return out

    def save(self, path: Path | str) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(path))
        (path / "README.md").unlink(missing_ok=True)   # peft's empty model-card template; ours is MODEL_CARD.md
        config = path / "adapter_config.json"
        data = json.loads(config.read_text(encoding="utf-8"))
        data["base_model_name_or_path"] = "models/multilingual-e5-small"  # machine-independent
        config.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        meta = {"labels": list(LABELS), **self.meta}
        (path / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str, base: Path | str) -> CrossEncoderRelation:
        """The adapter at `path` applied to the e5 model folder `base`."""
        path, base = Path(path), Path(base)
        try:
            from peft import PeftModel
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
            from transformers.utils import logging as hf_logging

            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            verbosity = hf_logging.get_verbosity()
            # "classifier newly initialised" (the adapter sets it), the "Loading weights" bar and
            # peft's deprecation warnings are noise for a user of analyze/compare
            bar = hf_logging.is_progress_bar_enabled()
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FutureWarning)
                    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=len(LABELS))
                    model = PeftModel.from_pretrained(model, str(path)).merge_and_unload()
            finally:
                hf_logging.set_verbosity(verbosity)
                if bar:
                    hf_logging.enable_progress_bar()
            tokenizer = AutoTokenizer.from_pretrained(str(base))
        except (OSError, KeyError, ValueError) as e:
            raise ModelError(f"{path}: cross-encoder adapter missing or broken ({e}). Retrain it with "
                             "`corroborate train crossenc` or restore "
                             "models/relations/crossenc/ from git.") from e
        return cls(model, tokenizer, meta)


ONNX_FORMAT = 1


class OnnxCrossEncoder:
    """The merged cross-encoder (base + adapter) on ONNX Runtime, without torch.

    The word-embedding table is the base encoder's memory-mapped one (the adapter leaves it
    as it is), so loading costs the transformer layers and the classifier only; pairs are
    tokenised exactly as the torch path does (same tokenizer file, longest-first truncation
    to MAX_LENGTH tokens) and scored in batches of similar length.
    """

    def __init__(self, folder: Path, embeddings: Path, tokenizer: Path, meta: dict, *,
                 batch_size: int = 32) -> None:
        import onnxruntime as ort

        from .encode import load_tokenizer

        options = ort.SessionOptions()
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / "crossenc.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        self.embeddings = np.load(embeddings, mmap_mode="r")
        self.info = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.tokenizer = load_tokenizer(Path(tokenizer))
        self.meta = dict(meta)
        self.batch_size = batch_size

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str]) -> np.ndarray:
        from .encode import embed_tokens, run_options

        s1, s2, out = _pairs(s1, s2)
        for idx in _batches(s1, s2, self.batch_size):
            embeds, mask = embed_tokens(self.tokenizer, [(s1[i], s2[i]) for i in idx], self.embeddings,
                                        max_length=MAX_LENGTH, pad_id=self.info["pad_id"],
                                        pad_token=self.info["pad_token"])
            logits = self.session.run(None, {"inputs_embeds": embeds, "attention_mask": mask}, run_options())[0]
            logits = logits - logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            out[idx] = e / e.sum(axis=1, keepdims=True)
        return out


def adapter_fingerprint(adapter: Path) -> str:
    """A short hash of the adapter's files: an export belongs to one adapter."""
    import hashlib

    h = hashlib.sha1()
    for name in ("adapter_model.safetensors", "adapter_config.json"):
        h.update((Path(adapter) / name).read_bytes())
    return h.hexdigest()[:12]


def ensure_onnx_cross_encoder(adapter: Path, base: Path) -> Path:
    """The adapter merged into `base` and exported to ONNX, in `base/onnx-crossenc-<adapter hash>`;
    exported first when missing (one time, about a minute: needs torch and peft)."""
    folder = Path(base) / f"onnx-crossenc-{adapter_fingerprint(adapter)}"
    meta = folder / "meta.json"
    if meta.is_file() and json.loads(meta.read_text(encoding="utf-8")).get("format") == ONNX_FORMAT:
        return folder
    import logging

    logging.getLogger(__name__).warning("exporting the cross-encoder %s to ONNX (one time, about a minute)",
                                        adapter)
    export_onnx_cross_encoder(Path(adapter), Path(base), folder)
    return folder


def export_onnx_cross_encoder(adapter: Path, base: Path, out: Path) -> Path:
    """Write `out`: crossenc.onnx (inputs_embeds, attention_mask -> logits) and meta.json (last).
    Atomic: a temporary folder is renamed into place."""
    import torch

    from .encode import export_embeds_graph

    torch_model = CrossEncoderRelation.load(adapter, base)
    model = torch_model.model.eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, inputs_embeds, attention_mask):
            return self.inner(inputs_embeds=inputs_embeds, attention_mask=attention_mask).logits

    with staged(out, prefix=".onnx-crossenc-") as tmp:
        export_embeds_graph(Logits(model), model.config.hidden_size, tmp / "crossenc.onnx", "logits")
        tok = torch_model.tokenizer
        info = {"format": ONNX_FORMAT, "pad_id": int(tok.pad_token_id), "pad_token": tok.pad_token,
                "adapter": adapter_fingerprint(adapter)}
        (tmp / "meta.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return out


def load_cross_encoder(adapter: Path, base: Path, *, backend: str = "torch"):
    """The adapter on `base` for `backend`: "torch" (peft merge at load) or "onnx"/"onnx-int8"
    (the merged export, float32 either way: int8 would move the shipped blend's answers)."""
    if backend == "torch":
        return CrossEncoderRelation.load(adapter, base)
    from .encode import ensure_onnx

    meta = json.loads((Path(adapter) / "meta.json").read_text(encoding="utf-8"))
    folder = ensure_onnx_cross_encoder(adapter, base)
    try:
        return OnnxCrossEncoder(folder, ensure_onnx(base) / "word_embeddings.npy",
                                Path(base) / "tokenizer.json", meta)
    except Exception as e:                      # onnxruntime raises its own error types
        raise ModelError(f"{folder}: cannot load the ONNX cross-encoder ({type(e).__name__}: {e}). "
                         f"Delete {folder} to export it again.") from e
