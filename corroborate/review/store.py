"""Review store: runs, their documents, claims, clusters and conflicts, and the decisions log, in SQLite."""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, Field, fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import UnionType
from typing import TYPE_CHECKING, Any, Self, Union, get_args, get_origin, get_type_hints

from ..errors import CorroborateError
from ..model import (
    Claim,
    Cluster,
    Conflict,
    Document,
    Offsets,
    Settings,
    Skipped,
    TextView,
)
from .decisions import ACTIONS, Decision

if TYPE_CHECKING:
    from .. import Analysis

FORMAT = "corroborate-review/1"


class StoreError(CorroborateError):
    """The review store cannot be opened or used as asked."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_hash(text: str) -> str:
    """sha256 of a document's text: tells an edited article from an unchanged one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Migrations run in order, each in its own transaction with its row in schema_version; add a
# new function at the end, never edit one that has shipped (stores in the field ran it).
def m001_runs_and_documents(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, encoder TEXT,
        settings TEXT NOT NULL, skipped TEXT NOT NULL)""")
    db.execute("""CREATE TABLE documents (
        id TEXT NOT NULL, content_hash TEXT NOT NULL, text TEXT NOT NULL, path TEXT, title TEXT,
        outlet TEXT, published TEXT, cited_sources TEXT NOT NULL, url TEXT, encoding TEXT,
        view_text TEXT, view_offsets TEXT, PRIMARY KEY (id, content_hash))""")
    db.execute("""CREATE TABLE run_documents (
        run_id INTEGER NOT NULL REFERENCES runs(id), doc_id TEXT NOT NULL,
        content_hash TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (run_id, doc_id),
        FOREIGN KEY (doc_id, content_hash) REFERENCES documents(id, content_hash))""")


def m002_claims_clusters_conflicts(db: sqlite3.Connection) -> None:
    db.execute("""CREATE TABLE claims (
        run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, position INTEGER NOT NULL,
        doc_id TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
        text TEXT NOT NULL, attributed_to TEXT NOT NULL, time TEXT, time_basis TEXT, origin TEXT,
        anonymous INTEGER NOT NULL, PRIMARY KEY (run_id, id))""")
    db.execute("CREATE INDEX claims_by_id ON claims (id)")
    db.execute("""CREATE TABLE clusters (
        run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, position INTEGER NOT NULL,
        claim_ids TEXT NOT NULL, doc_ids TEXT NOT NULL, outlets TEXT NOT NULL, origins TEXT NOT NULL,
        independent_sources INTEGER NOT NULL, status TEXT NOT NULL, anonymous_only INTEGER NOT NULL,
        PRIMARY KEY (run_id, id))""")
    db.execute("""CREATE TABLE conflicts (
        run_id INTEGER NOT NULL REFERENCES runs(id), position INTEGER NOT NULL,
        claim_a TEXT NOT NULL, claim_b TEXT NOT NULL, score REAL NOT NULL, temporal TEXT NOT NULL,
        explanation TEXT NOT NULL, cues TEXT NOT NULL, scope TEXT NOT NULL,
        PRIMARY KEY (run_id, position))""")


def m003_decisions_log(db: sqlite3.Connection) -> None:
    actions = ", ".join(f"'{a}'" for a in ACTIONS)
    db.execute(f"""CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, reviewer TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ({actions})), target TEXT NOT NULL,
        note TEXT NOT NULL, payload TEXT NOT NULL, run_id INTEGER REFERENCES runs(id))""")
    # Append-only: an undo is a new line, so the history of a desk's work is never rewritten.
    for verb in ("UPDATE", "DELETE"):
        db.execute(f"""CREATE TRIGGER decisions_no_{verb.lower()} BEFORE {verb} ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only: record an undo instead'); END""")


def m004_claims_also_support(db: sqlite3.Connection) -> None:
    # one sentence, several facts: the other clusters a claim also states (claims[].also_supports)
    db.execute("ALTER TABLE claims ADD COLUMN also_supports TEXT NOT NULL DEFAULT '[]'")


def m005_page_secret_and_cluster_index(db: sqlite3.Connection) -> None:
    # The review page signs its session cookies with a secret kept here, so sessions survive a
    # restart and every `serve` of one store accepts them. Not exported: a backup holds no secret.
    db.execute("""CREATE TABLE secrets (
        name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL)""")
    # an old cluster id on the page: find its claims without loading every run
    db.execute("CREATE INDEX clusters_by_id ON clusters (id)")


def m006_extra_fields(db: sqlite3.Connection) -> None:
    # Fields of a run, document, claim, cluster or conflict without a column of their own (a
    # document's dateline, a claim's copy_of, a cluster's origin_notes, and any added later)
    # as one JSON object per row, so a run reads back as it was recorded.
    for table in ("runs", "documents", "claims", "clusters", "conflicts"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN extra TEXT NOT NULL DEFAULT '{{}}'")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    m001_runs_and_documents, m002_claims_clusters_conflicts, m003_decisions_log,
    m004_claims_also_support, m005_page_secret_and_cluster_index, m006_extra_fields)

# Export/import order (parents first) and the columns that hold JSON text.
TABLES = ("runs", "documents", "run_documents", "claims", "clusters", "conflicts", "decisions")
JSON_COLUMNS = {"settings", "skipped", "cited_sources", "view_offsets", "attributed_to", "also_supports",
                "claim_ids", "doc_ids", "outlets", "origins", "cues", "payload", "extra"}
# Fields with a column of their own (the rest go to `extra`); a document's `length` is
# len(text), which the store holds.
_COLUMNS = {
    "Analysis": {"documents", "claims", "clusters", "conflicts", "settings", "skipped", "encoder"},
    "Document": {"id", "text", "path", "title", "outlet", "published", "cited_sources", "url", "encoding",
                 "view", "length"},
    "Claim": {"id", "doc_id", "start", "end", "text", "attributed_to", "time", "time_basis", "origin",
              "anonymous", "also_supports"},
    "Cluster": {"id", "claim_ids", "doc_ids", "outlets", "origins", "independent_sources", "status",
                "anonymous_only"},
    "Conflict": {"claim_a", "claim_b", "score", "temporal", "explanation", "cues", "scope"},
}


def _plain(value: Any) -> Any:
    """A field value as JSON-ready data: paths as text, dataclasses as dicts, tuples as lists."""
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _typed(value: Any, kind: Any) -> Any:
    """`_plain`'s data back as `kind` (Path, a dataclass, a tuple, or X | None of those)."""
    if value is None:
        return None
    options = [k for k in get_args(kind) if k is not type(None)] if get_origin(kind) in (UnionType, Union) else [kind]
    kind = options[0] if len(options) == 1 else kind
    if kind is Path:
        return Path(value)
    if is_dataclass(kind) and isinstance(value, dict):
        hints = _hints(kind)
        return kind(**{k: _typed(v, hints.get(k, Any)) for k, v in value.items() if k in hints})
    if get_origin(kind) is tuple and isinstance(value, list):
        inner = get_args(kind)[0] if get_args(kind) else Any
        return tuple(_typed(v, inner) for v in value)
    return value


def _default(f: Field) -> Any:
    return f.default_factory() if f.default_factory is not MISSING else f.default


def _extra(record: Any) -> str:
    """The fields of `record` without a column of their own (and not at their default), as JSON."""
    columns = _COLUMNS[type(record).__name__]
    return _dumps({f.name: _plain(getattr(record, f.name)) for f in fields(record)
                   if f.name not in columns and getattr(record, f.name) != _default(f)})


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _from_extra(cls: type, extra: str | None) -> dict[str, Any]:
    """`_extra` read back as keyword arguments of `cls`: the fields it knows, with their types."""
    if not extra or extra == "{}":
        return {}
    hints = _hints(cls)
    columns = _COLUMNS[cls.__name__]
    return {name: _typed(value, hints[name]) for name, value in json.loads(extra or "{}").items()
            if name in hints and name not in columns}


def migrate(db: sqlite3.Connection,
            migrations: Sequence[Callable[[sqlite3.Connection], None]] = MIGRATIONS) -> int:
    """Bring the schema up to `migrations`; return the schema version now in force."""
    def current() -> int:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_version'").fetchone() is None:
            return 0
        return db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]

    # Up to date is the common case (every page request opens the store): no write lock then.
    if current() >= len(migrations):
        return current()
    db.execute("""CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)""")
    for version, step in enumerate(migrations, start=1):
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if current() < version:
                step(db)
                db.execute("INSERT INTO schema_version VALUES (?, ?, ?)", (version, step.__name__, _now()))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return current()


class ReviewStore:
    """One connection to a review store; open one per thread (SQLite connections are not shared).

    WAL mode lets the review page read while a decision is written; `synchronous=FULL` makes
    a committed decision survive a crash or power cut, not only a killed process.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no review store here. Record a run first: "
                             f"corroborate analyze seeds/ --out reports/ --db {self.path}")
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder: --db takes a file, e.g. {self.path / 'corroborate.db'}")
        try:
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA foreign_keys = ON")
            found = self._db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] \
                if self._has_table("schema_version") else 0
            if (found or 0) > len(MIGRATIONS):
                self._db.close()
                raise StoreError(f"{self.path}: made by a newer corroborate (schema {found}, this "
                                 f"one knows {len(MIGRATIONS)}): upgrade corroborate to open it.")
            self.schema_version = migrate(self._db)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable review store ({e}). Point --db at a "
                             "store made by `corroborate analyze --db`, or at a new file.") from None

    def _has_table(self, name: str) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (name,)).fetchone() is not None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout
        # instead of one failing at COMMIT with "database is locked".
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def integrity_check(self) -> str:
        """SQLite's own check of the file: "ok" when nothing is damaged."""
        return "; ".join(row[0] for row in self._db.execute("PRAGMA integrity_check"))

    # ---- runs ---------------------------------------------------------------------------
    def record_run(self, analysis: Analysis) -> int:
        """Store one analysis as a new run (one transaction) and return its id."""
        with self._write() as db:
            run_id = db.execute(
                "INSERT INTO runs (created_at, encoder, settings, skipped, extra) VALUES (?, ?, ?, ?, ?)",
                (_now(), analysis.encoder, _dumps(analysis.settings.as_dict()),
                 _dumps([[s.path, s.reason, s.kind] for s in analysis.skipped]), _extra(analysis))).lastrowid
            for position, doc in enumerate(analysis.documents):
                digest = content_hash(doc.text)
                view = doc.view
                db.execute("INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (doc.id, digest, doc.text, str(doc.path) if doc.path else None, doc.title,
                            doc.outlet, doc.published, _dumps(list(doc.cited_sources)), doc.url,
                            doc.encoding, view.text if view else None,
                            _dumps(list(view.offsets)) if view else None, _extra(doc)))
                db.execute("INSERT INTO run_documents VALUES (?, ?, ?, ?)", (run_id, doc.id, digest, position))
            db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (run_id, c.id, i, c.doc_id, c.start, c.end, c.text, _dumps(list(c.attributed_to)),
                 c.time, c.time_basis, c.origin, int(c.anonymous), _dumps(list(c.also_supports)), _extra(c))
                for i, c in enumerate(analysis.claims)])
            db.executemany("INSERT INTO clusters VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (run_id, k.id, i, _dumps(list(k.claim_ids)), _dumps(list(k.doc_ids)),
                 _dumps(list(k.outlets)), _dumps(list(k.origins)), k.independent_sources, k.status,
                 int(k.anonymous_only), _extra(k)) for i, k in enumerate(analysis.clusters)])
            db.executemany("INSERT INTO conflicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                (run_id, i, x.claim_a, x.claim_b, x.score, x.temporal, x.explanation,
                 _dumps(list(x.cues)), x.scope, _extra(x)) for i, x in enumerate(analysis.conflicts)])
        return run_id

    def latest_run(self) -> int | None:
        """The id of the newest run, or None in a store with no run yet."""
        return self._db.execute("SELECT MAX(id) FROM runs").fetchone()[0]

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first: id, created_at, encoder and counts."""
        rows = self._db.execute("""SELECT r.id, r.created_at, r.encoder,
            (SELECT COUNT(*) FROM run_documents d WHERE d.run_id = r.id),
            (SELECT COUNT(*) FROM claims c WHERE c.run_id = r.id),
            (SELECT COUNT(*) FROM clusters k WHERE k.run_id = r.id) FROM runs r ORDER BY r.id""")
        return [dict(zip(("id", "created_at", "encoder", "documents", "claims", "clusters"), row))
                for row in rows]

    def load_analysis(self, run_id: int | None = None) -> Analysis:
        """The analysis of one run (default: the latest) as the pipeline produced it."""
        from .. import Analysis
        run_id = run_id if run_id is not None else self.latest_run()
        row = self._db.execute("SELECT encoder, settings, skipped, extra FROM runs WHERE id = ?",
                               (run_id,)).fetchone() if run_id is not None else None
        if row is None:
            raise StoreError(f"{self.path}: no run {run_id if run_id is not None else 'recorded yet'}. "
                             f"Record one: corroborate analyze seeds/ --out reports/ --db {self.path}")
        encoder, settings_json, skipped_json, run_extra = row
        known = {f.name for f in fields(Settings)}
        settings = Settings(**{k: v for k, v in json.loads(settings_json).items() if k in known})
        documents = tuple(
            Document(id=r[0], text=r[1], path=Path(r[2]) if r[2] else None, title=r[3], outlet=r[4],
                     published=r[5], cited_sources=tuple(json.loads(r[6])), url=r[7],
                     encoding=r[8] or "utf-8",
                     view=TextView(r[9], Offsets(json.loads(r[10]))) if r[9] is not None else None,
                     **_from_extra(Document, r[11]))
            for r in self._db.execute("""SELECT d.id, d.text, d.path, d.title, d.outlet, d.published,
                d.cited_sources, d.url, d.encoding, d.view_text, d.view_offsets, d.extra
                FROM run_documents rd JOIN documents d ON d.id = rd.doc_id AND d.content_hash = rd.content_hash
                WHERE rd.run_id = ? ORDER BY rd.position""", (run_id,)))
        claims = tuple(
            Claim(id=r[0], doc_id=r[1], start=r[2], end=r[3], text=r[4],
                  attributed_to=tuple(json.loads(r[5])), time=r[6], time_basis=r[7], origin=r[8],
                  anonymous=bool(r[9]), also_supports=tuple(json.loads(r[10])), **_from_extra(Claim, r[11]))
            for r in self._db.execute("""SELECT id, doc_id, start_char, end_char, text, attributed_to,
                time, time_basis, origin, anonymous, also_supports, extra FROM claims WHERE run_id = ?
                ORDER BY position""",
                                      (run_id,)))
        clusters = tuple(
            Cluster(id=r[0], claim_ids=tuple(json.loads(r[1])), doc_ids=tuple(json.loads(r[2])),
                    outlets=tuple(json.loads(r[3])), origins=tuple(json.loads(r[4])),
                    independent_sources=r[5], status=r[6], anonymous_only=bool(r[7]), **_from_extra(Cluster, r[8]))
            for r in self._db.execute("""SELECT id, claim_ids, doc_ids, outlets, origins,
                independent_sources, status, anonymous_only, extra FROM clusters WHERE run_id = ?
                ORDER BY position""", (run_id,)))
        conflicts = tuple(
            Conflict(claim_a=r[0], claim_b=r[1], score=r[2], temporal=r[3], explanation=r[4],
                     cues=tuple(json.loads(r[5])), scope=r[6], **_from_extra(Conflict, r[7]))
            for r in self._db.execute("""SELECT claim_a, claim_b, score, temporal, explanation, cues,
                scope, extra FROM conflicts WHERE run_id = ? ORDER BY position""", (run_id,)))
        skipped = tuple(Skipped(*item) for item in json.loads(skipped_json))     # [path, reason(, kind)]
        return Analysis(documents=documents, claims=claims, clusters=clusters, conflicts=conflicts,
                        settings=settings, skipped=skipped, encoder=encoder, **_from_extra(Analysis, run_extra))

    def cluster_members(self, cluster_id: str) -> list[str]:
        """The claim ids of a cluster as the model made it, in the newest run that has it ([] if none)."""
        row = self._db.execute("SELECT claim_ids FROM clusters WHERE id = ? ORDER BY run_id DESC LIMIT 1",
                               (cluster_id,)).fetchone()
        return list(json.loads(row[0])) if row else []

    def secret(self, name: str = "session") -> str:
        """A random secret kept in the store (made on first use): what the review page signs with."""
        found = self._db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        if found is None:
            with self._write() as db:
                db.execute("INSERT OR IGNORE INTO secrets VALUES (?, ?, ?)",
                           (name, secrets.token_hex(32), _now()))
            found = self._db.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()
        return found[0]

    def claim_texts(self, claim_ids: Sequence[str]) -> dict[str, str]:
        """The text of each claim id, from the newest run that has it (claims of vanished articles too)."""
        found: dict[str, str] = {}
        for claim_id in dict.fromkeys(claim_ids):
            row = self._db.execute("SELECT text FROM claims WHERE id = ? ORDER BY run_id DESC LIMIT 1",
                                   (claim_id,)).fetchone()
            if row is not None:
                found[claim_id] = row[0]
        return found

    # ---- decisions ----------------------------------------------------------------------
    def add_decision(self, decision: Decision) -> Decision:
        """Append one decision in its own transaction; return it with id, time and run set.

        Once this returns, the decision is on disk: a crash right after cannot lose it.
        """
        if decision.action not in ACTIONS:
            raise StoreError(f"Unknown action {decision.action!r}: use one of {', '.join(ACTIONS)}.")
        created = _now()
        with self._write() as db:
            run_id = db.execute("SELECT MAX(id) FROM runs").fetchone()[0]
            new_id = db.execute(
                "INSERT INTO decisions (created_at, reviewer, action, target, note, payload, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (created, decision.reviewer, decision.action, decision.target, decision.note,
                 _dumps(dict(decision.payload)), run_id)).lastrowid
        return Decision(decision.action, decision.target, decision.reviewer, dict(decision.payload),
                        decision.note, new_id, created, run_id)

    def decisions(self) -> list[Decision]:
        """The whole log, oldest first."""
        return [Decision(action=r[3], target=r[4], reviewer=r[2], payload=json.loads(r[6]), note=r[5],
                         id=r[0], created_at=r[1], run_id=r[7])
                for r in self._db.execute("""SELECT id, created_at, reviewer, action, target, note,
                    payload, run_id FROM decisions ORDER BY id""")]

    def last_decision_id(self) -> int:
        """The newest decision id (0 with none): a cheap "has anything changed?" for caches."""
        return self._db.execute("SELECT COALESCE(MAX(id), 0) FROM decisions").fetchone()[0]

    # ---- backups ------------------------------------------------------------------------
    def export_json(self) -> dict[str, Any]:
        """Everything in the store as one JSON-ready dict (`corroborate db export`)."""
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in TABLES:
            cursor = self._db.execute(f"SELECT * FROM {table} ORDER BY rowid")
            names = [d[0] for d in cursor.description]
            tables[table] = [{n: json.loads(v) if n in JSON_COLUMNS and v is not None else v
                              for n, v in zip(names, row)} for row in cursor]
        return {"format": FORMAT, "schema_version": self.schema_version, "exported_at": _now(),
                "tables": tables}

    def import_json(self, data: dict[str, Any]) -> dict[str, int]:
        """Load an export into this store, which must be empty; return rows per table."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(f"Not a review-store export (expected \"format\": \"{FORMAT}\"): "
                             "make one with `corroborate db export`.")
        if data.get("schema_version", 0) > len(MIGRATIONS):
            raise StoreError(f"The export is from a newer corroborate (schema {data['schema_version']}): "
                             "upgrade corroborate to import it.")
        if self.latest_run() is not None or self.last_decision_id():
            raise StoreError(f"{self.path} already holds runs or decisions; import into a new "
                             "file, e.g. --db restored.db, so nothing is mixed or overwritten.")
        counts: dict[str, int] = {}
        with self._write() as db:
            for table in TABLES:
                rows = data.get("tables", {}).get(table, [])
                columns = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
                for row in rows:
                    names = list(row)
                    if not set(names) <= columns:
                        raise StoreError(f"Export table {table} has unknown columns "
                                         f"{sorted(set(names) - columns)}: was it edited by hand?")
                    values = [_dumps(row[n]) if n in JSON_COLUMNS and row[n] is not None else row[n]
                              for n in names]
                    db.execute(f"INSERT INTO {table} ({', '.join(names)}) "
                               f"VALUES ({', '.join('?' * len(names))})", values)
                counts[table] = len(rows)
        return counts
