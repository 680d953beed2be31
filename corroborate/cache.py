"""Nothing twice: claim vectors and pair scores remembered across runs in one SQLite file."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from . import paths

log = logging.getLogger(__name__)

FILE = paths.CACHE_FILE
_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
                                    PRIMARY KEY (model, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pairs (model TEXT NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
                                  PRIMARY KEY (model, key)) WITHOUT ROWID;
"""
_CHUNK = 500                # keys per SELECT (SQLite allows 32,766 parameters; smaller is kinder to locks)


def default_cache_path(models: Path | None = None) -> Path:
    """The cache file when none is named: $CORROBORATE_CACHE, else `cache.sqlite` in the user's
    cache folder (`paths.cache_file`). `models` is ignored: the cache is keyed by each model's
    fingerprint, so one file serves every model folder, and it never goes into the package,
    which may be a read-only or shared site-packages."""
    return paths.cache_file()


def text_key(text: str) -> bytes:
    """The cache key of a text: the SHA-1 of exactly the text the model reads.

    No normalisation: two spellings the model tells apart must not share a vector, and the
    same file read again gives the same claim text anyway.
    """
    return hashlib.sha1(text.encode("utf-8")).digest()


def pair_key(s1: str, s2: str) -> bytes:
    return hashlib.sha1(s1.encode("utf-8") + b"\x00" + s2.encode("utf-8")).digest()


class Store:
    """An SQLite file of float32 rows keyed by (model fingerprint, text hash).

    Opened on first use, one connection per thread; WAL mode lets several processes read
    while one writes. A file that cannot be opened or written is reported once (warning)
    and the run goes on without the cache.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._broken = False

    def _connection(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(_SCHEMA)
            except (OSError, sqlite3.Error) as e:
                self._fail(e)
                return None
            self._local.conn = conn
        return conn

    def _fail(self, error: Exception) -> None:
        self._broken = True
        if "full" in str(error) or getattr(error, "errno", None) == errno.ENOSPC:
            fix = (f"free some space, or move the cache (--cache FILE or ${paths.CACHE_ENV}) or "
                   "pass --no-cache")
        else:
            fix = "delete the file or pass --no-cache"
        log.warning("cache %s cannot be used (%s: %s); going on without it. To fix: %s.",
                    self.path, type(error).__name__, error, fix)

    def get(self, table: str, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored values of `keys` under `model` in `table` ("vectors" or "pairs")."""
        conn = self._connection()
        found: dict[bytes, bytes] = {}
        if conn is None or not keys:
            return found
        try:
            for start in range(0, len(keys), _CHUNK):
                chunk = list(keys[start:start + _CHUNK])
                marks = ",".join("?" * len(chunk))
                found.update(conn.execute(f"SELECT key, value FROM {table} WHERE model = ? AND key IN ({marks})",
                                          [model, *chunk]))
        except sqlite3.Error as e:
            self._fail(e)
        return found

    def put(self, table: str, model: str, items: Iterable[tuple[bytes, bytes]]) -> None:
        conn = self._connection()
        if conn is None:
            return
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(f"INSERT OR REPLACE INTO {table} (model, key, value) VALUES (?, ?, ?)",
                                 [(model, k, v) for k, v in items])
        except sqlite3.Error as e:
            self._fail(e)

    def count(self, table: str, model: str | None = None) -> int:
        conn = self._connection()
        if conn is None:
            return 0
        if model is None:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return conn.execute(f"SELECT count(*) FROM {table} WHERE model = ?", (model,)).fetchone()[0]


def fingerprint(model) -> str:
    """What identifies a model's outputs: its `fingerprint` attribute, else its name."""
    return str(getattr(model, "fingerprint", None) or getattr(model, "name", type(model).__name__))


class Wrapper:
    """Around another model: attributes this class does not define are the wrapped one's."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def __getattr__(self, name: str):
        if name == "inner":                     # not set yet (copy, unpickling)
            raise AttributeError(name)
        return getattr(self.inner, name)


@contextlib.contextmanager
def _quiet(encoder, quiet: bool):
    """`encoder` without its own progress bar while `quiet` (an outer bar counts for it)."""
    if not quiet:
        yield
        return
    encoder.progress = False
    try:
        yield
    finally:
        encoder.progress = True


class CachingEncoder(Wrapper):
    """An encoder whose vectors are kept in a `Store`: each text is embedded once per model.

    Only the texts never seen before (and each of those once) reach the wrapped encoder,
    which is not even loaded when every text is known. Other attributes (`name`, `path`,
    `prefix`...) are the wrapped encoder's.
    """

    def __init__(self, encoder, store: Store, *, chunk: int = 2048) -> None:
        super().__init__(encoder)
        self.encoder = encoder
        self.store = store
        self.key = fingerprint(encoder)
        self.hits = self.misses = 0
        self.chunk = chunk          # texts embedded between two writes to the store

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.encoder.encode([])
        keys = {t: text_key(t) for t in dict.fromkeys(texts)}
        found = {k: np.frombuffer(v, dtype=np.float32)
                 for k, v in self.store.get("vectors", self.key, list(keys.values())).items()}
        missing = [t for t, k in keys.items() if k not in found]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        chunks = self._chunks(missing)
        # several chunks: one bar over all of them (texts, rate, time left) instead of one per chunk
        whole = len(chunks) > 1 and bool(getattr(self.encoder, "progress", False))
        with tqdm(total=len(missing), desc="embedding", unit="text", leave=False, disable=not whole) as bar, \
                _quiet(self.encoder, whole):
            for chunk in chunks:
                # kept as each chunk is done: a run stopped half-way (kill -9 included) resumes there
                vectors = np.asarray(self.encoder.encode(chunk), dtype=np.float32)
                self.store.put("vectors", self.key, [(keys[t], v.tobytes()) for t, v in zip(chunk, vectors)])
                found.update((keys[t], v) for t, v in zip(chunk, vectors))
                bar.update(len(chunk))
        return np.stack([found[keys[t]] for t in texts]).astype(np.float32, copy=False)

    def _chunks(self, texts: list[str]) -> list[list[str]]:
        """`texts` in chunks of about `self.chunk` made of the wrapped encoder's own whole batches
        (`batches`, where it has them), so each text is embedded in the batch one call would
        have given it: the same vectors, chunked or not."""
        if len(texts) <= self.chunk or not hasattr(self.encoder, "batches"):
            return [texts] if texts else []
        out: list[list[str]] = [[]]
        for batch in self.encoder.batches(texts):
            if len(out[-1]) >= self.chunk:
                out.append([])
            out[-1].extend(texts[i] for i in batch)
        return out


class CachingScorer(Wrapper):
    """A relation scorer whose pair probabilities are kept in a `Store` under `key`.

    `key` must change whenever the scorer's answers could (its files, its encoder).
    """

    def __init__(self, scorer, store: Store, key: str) -> None:
        super().__init__(scorer)
        self.scorer = scorer
        self.store = store
        self.key = key

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None) -> np.ndarray:
        s1, s2 = list(s1), list(s2)
        if len(s1) != len(s2):
            raise ValueError(f"s1 and s2 differ in length: {len(s1)} vs {len(s2)}")
        if not s1:
            return np.zeros((0, 3), dtype=np.float32)
        keys = [pair_key(a, b) for a, b in zip(s1, s2)]
        found = self.store.get("pairs", self.key, keys)
        first = {k: i for i, k in reversed(list(enumerate(keys)))}
        missing = [first[k] for k in dict.fromkeys(keys) if k not in found]    # each pair once
        if missing:
            p = np.asarray(self.scorer.predict_proba(
                [s1[i] for i in missing], [s2[i] for i in missing],
                None if v1 is None else np.asarray(v1)[missing],
                None if v2 is None else np.asarray(v2)[missing]), dtype=np.float32)
            new = {keys[i]: row.tobytes() for i, row in zip(missing, p)}
            self.store.put("pairs", self.key, new.items())
            found.update(new)
        return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])


def files_fingerprint(*paths: Path) -> str:
    """A short hash of the names, sizes and modification times of the files under `paths`."""
    h = hashlib.sha1()
    for root in paths:
        root = Path(root)
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for p in files:
            if p.exists():
                st = p.stat()
                h.update(f"{p.relative_to(root.parent)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]
