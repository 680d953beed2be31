"""Where the heavy stages run: claim splitting, embedding and neighbour search, here or on Dask.

`LocalEngine` runs them in this process. `DaskEngine` sends them to a dask.distributed
cluster (a `LocalCluster` by default, or a running scheduler) in pieces that each compute
exactly what the local engine computes for them: the same documents per split, the same
encoder batches, the same row blocks of the neighbour search. Results are identical.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from .cache import Wrapper
from .model import Claim, Document, Settings
from .neighbours import knn, knn_block_rows, knn_rows

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")


def split_documents(documents: Sequence[Document], settings: Settings) -> list[list[Claim]]:
    """The claims of each document (with their time), one list per document, in order."""
    from .claims import split_claims
    from .timescope import with_time

    return [[with_time(c, doc) for c in split_claims(doc, min_chars=settings.min_claim_chars,
                                                     max_chars=settings.max_claim_chars)]
            for doc in documents]


class LocalEngine:
    """Every stage in this process."""

    name = "local"
    split_batch = 1         # documents `analyze` reads before splitting them (see pipeline.split_stream)

    def split(self, documents: Sequence[Document], settings: Settings) -> list[list[Claim]]:
        # progress is shown by the caller, which hands over `split_batch` documents at a time
        return split_documents(documents, settings)

    def encode(self, encoder, texts: Sequence[str]) -> np.ndarray:
        return encoder.encode(texts)

    def knn(self, vectors: np.ndarray, *, k: int, floor: float,
            progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
        return knn(vectors, k=k, floor=floor, progress=progress)

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _encode_batches(spec: dict, batches: list[list[str]]) -> list[np.ndarray]:
    """On a worker: the encoder `spec` describes (loaded once per worker), run on each batch."""
    from .encode import SentenceTransformerEncoder

    encoder = SentenceTransformerEncoder(spec["path"], build=spec["build"], batch_size=spec["batch_size"],
                                         prefix=spec["prefix"], backend=spec["backend"])
    return [encoder.encode_batch(batch) for batch in batches]


class DaskEncoder(Wrapper):
    """An encoder whose batches run on a Dask cluster; the same batches as the wrapped
    `SentenceTransformerEncoder` makes, so the same vectors."""

    def __init__(self, encoder, client, *, batches_per_task: int = 8) -> None:
        super().__init__(encoder)
        self.encoder, self.client, self.batches_per_task = encoder, client, batches_per_task

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.encoder.encode([])
        if self.encoder.backend != "torch":
            from .encode import ensure_model, ensure_onnx

            # export once here, not in every worker at the same time
            ensure_onnx(ensure_model(self.encoder.path) if self.encoder.build else self.encoder.path)
        spec = {"path": str(self.encoder.path), "build": self.encoder.build, "backend": self.encoder.backend,
                "batch_size": self.encoder.batch_size, "prefix": self.encoder.prefix}
        batches = self.encoder.batches(texts)
        groups = [batches[s:s + self.batches_per_task] for s in range(0, len(batches), self.batches_per_task)]
        futures = [self.client.submit(_encode_batches, spec, [[texts[i] for i in b] for b in group], pure=False)
                   for group in groups]
        out: np.ndarray | None = None
        for group, vectors in zip(groups, self.client.gather(futures)):
            for idx, rows in zip(group, vectors):
                if out is None:
                    out = np.zeros((len(texts), rows.shape[1]), dtype=np.float32)
                out[idx] = rows
        return out


class DaskEngine(LocalEngine):
    """Splitting, embedding and neighbour search on dask.distributed.

    `scheduler` ("tcp://HOST:PORT") joins a running cluster; without it a `LocalCluster` of
    `workers` processes (one thread each) starts here and stops with `close()`. Workers
    need this package and, for embedding, the model folder at the same path.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None,
                 docs_per_task: int = 64, rows_per_task: int = 4096) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:
            from .errors import CorroborateError

            raise CorroborateError("--engine dask needs dask.distributed: "
                                   ".venv/bin/pip install 'corroborate[dask]'") from e
        self.docs_per_task, self.rows_per_task = docs_per_task, rows_per_task
        # enough documents per round to keep every worker busy; only these are held at once
        self.split_batch = docs_per_task * 16
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            import os

            self._cluster = LocalCluster(n_workers=workers or max(1, min(4, os.cpu_count() or 1)),
                                         threads_per_worker=1, processes=True, dashboard_address=None)
            self.client = Client(self._cluster)
        log.info("dask engine: %s workers at %s", len(self.client.scheduler_info()["workers"]),
                 self.client.scheduler.address)

    def split(self, documents: Sequence[Document], settings: Settings) -> list[list[Claim]]:
        chunks = [list(documents[s:s + self.docs_per_task]) for s in range(0, len(documents), self.docs_per_task)]
        futures = self.client.map(split_documents, chunks, settings=settings, pure=False)
        return [found for part in self.client.gather(futures) for found in part]

    def encode(self, encoder, texts: Sequence[str]) -> np.ndarray:
        from .cache import CachingEncoder
        from .encode import SentenceTransformerEncoder

        inner = encoder.encoder if isinstance(encoder, CachingEncoder) else encoder
        if not isinstance(inner, SentenceTransformerEncoder):
            log.info("dask engine: %s is not a sentence-transformers folder; embedding here", inner.name)
            return encoder.encode(texts)
        remote = DaskEncoder(inner, self.client)
        if isinstance(encoder, CachingEncoder):
            # the cache stays here: only texts it has never seen go to the workers
            return CachingEncoder(remote, encoder.store).encode(texts)
        return remote.encode(texts)

    def knn(self, vectors: np.ndarray, *, k: int, floor: float,
            progress: bool = False) -> tuple[np.ndarray, np.ndarray]:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n = len(vectors)
        step = knn_block_rows(n)
        # whole blocks per task, so each row's cosines come from the same product as locally
        per_task = max(step, self.rows_per_task // step * step)
        shared = self.client.scatter(vectors, broadcast=True)
        starts = list(range(0, n, per_task))
        futures = [self.client.submit(knn_rows, shared, s, min(s + per_task, n), k=k, floor=floor, pure=False)
                   for s in starts]
        parts = self.client.gather(futures)
        if not parts:
            return knn(vectors, k=k, floor=floor)
        return np.vstack([p[0] for p in parts]), np.vstack([p[1] for p in parts])

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str = "local", *, scheduler: str | None = None,
                workers: int | None = None) -> LocalEngine:
    """The engine `name` ("local" or "dask"); `scheduler` implies dask."""
    if scheduler or name == "dask":
        return DaskEngine(scheduler, workers=workers)
    if name != "local":
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
    return LocalEngine()
