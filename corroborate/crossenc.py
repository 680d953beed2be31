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

MAX_LENGTH = 160           # tokens for the pair; ANS and ArNLI pairs are well under this
LORA_TARGETS = r".*encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense)"


def tokenize(tokenizer, s1: Sequence[str], s2: Sequence[str]):
    return tokenizer(list(s1), list(s2), padding=True, truncation="longest_first",
                     max_length=MAX_LENGTH, return_tensors="pt")


class CrossEncoderRelation:
    """p(agree, disagree, other) for claim pairs from the adapted cross-encoder."""

    def __init__(self, model, tokenizer, meta: dict | None = None, *, batch_size: int = 32) -> None:
        self.model, self.tokenizer = model, tokenizer
        self.meta = dict(meta or {})
        self.batch_size = batch_size

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str]) -> np.ndarray:
        import torch

        s1, s2 = list(s1), list(s2)
        if len(s1) != len(s2):
            raise ValueError(f"s1 and s2 differ in length: {len(s1)} vs {len(s2)}")
        out = np.zeros((len(s1), len(LABELS)), dtype=np.float32)
        # similar lengths in one batch waste less padding
        order = sorted(range(len(s1)), key=lambda i: len(s1[i]) + len(s2[i]))
        self.model.eval()
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start:start + self.batch_size]
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
