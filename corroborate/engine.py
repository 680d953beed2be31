"""Where the heavy stages run: claim splitting, embedding and neighbour search, here or on Dask.

`LocalEngine` runs them in this process. `DaskEngine` sends them to a dask.distributed
cluster (a `LocalCluster` by default, or a running scheduler) in pieces that each compute
exactly what the local engine computes for them: the same documents per split, the same
encoder batches, the same row blocks of the neighbour search. Results are identical.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from urllib.parse import urlsplit

import numpy as np

from .cache import Wrapper
from .errors import CorroborateError
from .model import Claim, Document, Settings
from .neighbours import knn, knn_block_rows, knn_rows
from .progress import bar

log = logging.getLogger(__name__)

ENGINES = ("local", "dask")
CONNECT_TIMEOUT = 10.0      # seconds a scheduler has to answer; one on a LAN answers in milliseconds
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")     # what dask.distributed listens on


class SchedulerError(CorroborateError):
    """The Dask scheduler named cannot be used (no answer, not a scheduler)."""


def check_scheduler(address: str) -> str:
    """`address` as dask needs it (`tcp://HOST:PORT`; a bare `HOST:PORT` is taken as tcp), or
    ValueError saying what is wrong with it. Nothing is contacted."""
    raw = address.strip()
    parts = urlsplit(raw if "://" in raw else f"tcp://{raw}")
    example = "give the scheduler's address, e.g. tcp://10.0.0.5:8786 (`dask scheduler` prints it)"
    if parts.scheme in ("http", "https"):
        raise ValueError(f"{address}: a web address (the dashboard?), not a scheduler's; {example}")
    if parts.scheme not in SCHEMES:
        raise ValueError(f"{address}: unknown protocol {parts.scheme!r} (dask listens on "
                         f"{', '.join(s + '://' for s in SCHEMES)}); {example}")
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or not 0 < port < 65536 or parts.path not in ("", "/") \
            or parts.query or parts.username:
        raise ValueError(f"{address}: not HOST:PORT with a port from 1 to 65535; {example}")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}"


def _identity(address: str, timeout: float) -> dict:
    """What the server at `address` says it is (dask's `identity` call), within `timeout` seconds."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.core import rpc

    async def ask() -> dict:
        remote = rpc(address, timeout=timeout)
        try:
            return await remote.identity()
        finally:
            await remote.close_rpc()

    # dask's own connect timeout does not cover a server that accepts the connection and never
    # speaks its protocol (an HTTP port): that hung with no output. A thread of its own keeps
    # this usable from a caller that already runs an event loop (a notebook).
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(ask(), timeout)).result()


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

    def describe(self) -> str:
        """Where the stages run, in words (the CLI says it at the start of a run)."""
        return "local (this process)"

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

    `scheduler` ("tcp://HOST:PORT", see `check_scheduler`) joins a running cluster: it must
    answer as a Dask scheduler within `timeout` seconds, else `SchedulerError` says so in one
    line. Without it a `LocalCluster` of `workers` processes (one thread each) starts here
    and stops with `close()`. Workers need this package and, for embedding, the model folder
    at the same path.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None,
                 docs_per_task: int = 64, rows_per_task: int = 4096,
                 timeout: float = CONNECT_TIMEOUT) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:
            raise CorroborateError("--engine dask needs dask.distributed: "
                                   ".venv/bin/pip install 'corroborate[dask]'") from e
        self.docs_per_task, self.rows_per_task = docs_per_task, rows_per_task
        # enough documents per round to keep every worker busy; only these are held at once
        self.split_batch = docs_per_task * 16
        self._cluster = None
        if scheduler:
            address = check_scheduler(scheduler)
            self._join(address, timeout)
            self.client = Client(address, timeout=timeout)
            self._where = f"the scheduler at {address}"
        else:
            import os

            self._cluster = LocalCluster(n_workers=workers or max(1, min(4, os.cpu_count() or 1)),
                                         threads_per_worker=1, processes=True, dashboard_address=None)
            self.client = Client(self._cluster)
            self._where = f"a local cluster started for this run ({self.client.scheduler.address})"

    @staticmethod
    def _join(address: str, timeout: float) -> None:
        fix = ("start one (`dask scheduler`), check the address and port, or leave --scheduler out "
               "to start a local cluster")
        parts = urlsplit(address)
        if parts.scheme != "ucx":
            import socket

            # dask retries a refused connection until its timeout; a plain socket is told at once
            try:
                socket.create_connection((parts.hostname, parts.port), timeout=timeout).close()
            except OSError as e:
                why = "no answer" if isinstance(e, TimeoutError) else (e.strerror or type(e).__name__)
                raise SchedulerError(f"--scheduler {address}: cannot connect ({why}); {fix}") from None
        try:
            found = _identity(address, timeout)
        except OSError as e:            # TimeoutError included
            if isinstance(e, TimeoutError) or "Timed out" in str(e):
                raise SchedulerError(f"--scheduler {address}: no Dask scheduler answered within "
                                     f"{timeout:g} s; {fix}") from None
            raise SchedulerError(f"--scheduler {address}: cannot connect ({e.strerror or e}); {fix}") from None
        except Exception as e:  # noqa: BLE001 - the server answered, but not in dask's protocol
            raise SchedulerError(f"--scheduler {address}: answered, but not as a Dask scheduler "
                                 f"({type(e).__name__}); {fix}") from None
        if found.get("type") != "Scheduler":
            raise SchedulerError(f"--scheduler {address}: is a Dask {found.get('type', 'server')}, "
                                 "not the scheduler; give the scheduler's address")
        if not found.get("n_workers", len(found.get("workers", ()))):
            log.warning("the scheduler at %s has no workers yet; the run waits until one "
                        "joins (dask worker %s)", address, address)

    def describe(self) -> str:
        workers = len(self.client.scheduler_info()["workers"])
        return f"dask, {workers} worker(s) of {self._where}"

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
        from dask.distributed import as_completed

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        n = len(vectors)
        step = knn_block_rows(n)
        # whole blocks per task, so each row's cosines come from the same product as locally
        per_task = max(step, self.rows_per_task // step * step)
        shared = self.client.scatter(vectors, broadcast=True)
        starts = list(range(0, n, per_task))
        futures = [self.client.submit(knn_rows, shared, s, min(s + per_task, n), k=k, floor=floor, pure=False)
                   for s in starts]
        parts = [None] * len(futures)
        where = {f.key: m for m, f in enumerate(futures)}
        # the same bar as here (rows done, time left), as the workers finish their row blocks
        with bar(progress, "neighbours", "row", total=n, at_least=2 * per_task) as shown:
            for done in as_completed(futures):
                m = where[done.key]
                parts[m] = done.result()
                shown.update(min(starts[m] + per_task, n) - starts[m])
        if not parts:
            return knn(vectors, k=k, floor=floor)
        return np.vstack([p[0] for p in parts]), np.vstack([p[1] for p in parts])

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(name: str = "local", *, scheduler: str | None = None,
                workers: int | None = None, timeout: float = CONNECT_TIMEOUT) -> LocalEngine:
    """The engine `name` ("local" or "dask"), its place said on the log (INFO).

    `scheduler` (`check_scheduler`) is for the dask engine only: with "local" it is a
    ValueError, never a silent switch to Dask. `timeout`: seconds the scheduler has to answer.
    """
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, got {name!r}")
    if scheduler and name != "dask":
        raise ValueError(f"a scheduler ({scheduler}) is for the dask engine; ask for it (--engine "
                         "dask) or leave the scheduler out to run here")
    engine = DaskEngine(scheduler, workers=workers, timeout=timeout) if name == "dask" else LocalEngine()
    log.info("engine: %s", engine.describe())
    return engine
