import dataclasses
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from corroborate.model import Skipped
from corroborate.review.decisions import Decision
from corroborate.review.store import MIGRATIONS, ReviewStore, StoreError, migrate

from .test_review_support import build_analysis, story_desk

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path):
    with ReviewStore(tmp_path / "review.db") as opened:
        opened.record_run(build_analysis())
        yield opened


def verdict_on(analysis, index=0, note=""):
    k = analysis.clusters[index]
    return Decision("verdict", k.id, "huda", {"cluster": k.id, "members": list(k.claim_ids), "verdict": "true"},
                    note=note)


def test_a_run_reads_back_exactly_as_recorded(store):
    assert store.load_analysis() == build_analysis()


def test_the_seed_run_reads_back_exactly_as_recorded(tmp_path, seed_analysis):
    with ReviewStore(tmp_path / "seeds.db") as store:
        store.record_run(seed_analysis)
        assert store.load_analysis() == seed_analysis
        assert store.load_analysis().stories == seed_analysis.stories != ()


def test_stories_and_conflict_kinds_read_back(tmp_path):
    analysis = story_desk()
    with ReviewStore(tmp_path / "stories.db") as store:
        store.record_run(analysis)
        loaded = store.load_analysis()
    assert loaded.stories == analysis.stories and len(loaded.stories) == 3
    assert [k.story for k in loaded.clusters] == [k.story for k in analysis.clusters] and None not in \
        [k.story for k in loaded.clusters]
    assert [(x.kind, x.said_by) for x in loaded.conflicts] == [
        ("numbers", ("Reuters", "Al Jazeera")), ("denial", ("Arabi Post", "الخارجية الإيرانية"))]


def test_unchanged_documents_are_stored_once_across_runs(store):
    store.record_run(build_analysis())
    assert store.latest_run() == 2
    assert [r["documents"] for r in store.runs()] == [3, 3]
    assert store._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3


def test_decisions_are_append_only(store):
    saved = store.add_decision(verdict_on(store.load_analysis(), note="أولى"))
    for sql in ("UPDATE decisions SET note = 'x'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store._db.execute(sql)
    assert store.decisions() == [saved]
    assert (saved.id, saved.run_id, saved.note) == (1, 1, "أولى")


def test_store_runs_in_wal_mode_with_a_schema_version_per_migration(store):
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = store._db.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
    assert rows == [(i + 1, m.__name__) for i, m in enumerate(MIGRATIONS)]


def test_an_older_store_is_migrated_and_keeps_its_runs(tmp_path):
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db, MIGRATIONS[:2]) == 2
    db.execute("INSERT INTO runs (created_at, settings, skipped) VALUES ('2024-01-01', '{}', '[]')")
    db.close()
    with ReviewStore(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.latest_run() == 1 and store.decisions() == []
        assert store.load_analysis().documents == ()          # rows from before `extra` read back


def test_the_page_secret_is_made_once_kept_across_opens_and_left_out_of_backups(store):
    secret = store.secret()
    assert len(secret) == 64 and store.secret() == secret
    with ReviewStore(store.path) as again:
        assert again.secret() == secret
    assert secret not in json.dumps(store.export_json())


def test_a_run_reads_back_with_its_skipped_inputs_kinds_and_urls(tmp_path):
    # (fields without a column of their own, e.g. a document's dateline, go to `extra`: the seed
    # run above reads back whole)
    analysis = build_analysis()
    first = dataclasses.replace(analysis.documents[0], url="https://example.org/a")
    changed = dataclasses.replace(analysis, documents=(first, *analysis.documents[1:]),
                                  skipped=(Skipped("x.pdf", "x.pdf: not a text file", "unsupported"),))
    with ReviewStore(tmp_path / "extra.db") as store:
        store.record_run(changed)
        assert store.load_analysis() == changed


def test_a_store_from_a_newer_version_is_refused_with_the_fix(store):
    store._db.execute("INSERT INTO schema_version VALUES (99, 'm099_future', '2030-01-01')")
    with pytest.raises(StoreError, match="upgrade corroborate"):
        ReviewStore(store.path)


def test_bad_paths_name_the_file_and_the_fix(tmp_path):
    with pytest.raises(StoreError, match=r"missing\.db: no review store here.*analyze .*--db"):
        ReviewStore(tmp_path / "missing.db", create=False)
    (tmp_path / "junk.db").write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"junk\.db: not a usable review store"):
        ReviewStore(tmp_path / "junk.db")
    with pytest.raises(StoreError, match="is a folder"):
        ReviewStore(tmp_path)
    with ReviewStore(tmp_path / "empty.db") as empty, pytest.raises(StoreError, match="no run recorded yet"):
        empty.load_analysis()


def test_export_then_import_gives_the_same_store(store, tmp_path):
    analysis = store.load_analysis()
    store.add_decision(verdict_on(analysis, note="نفي رسمي"))
    store.add_decision(Decision("undo", "1", "huda", {"decision": 1}))
    exported = json.loads(json.dumps(store.export_json(), ensure_ascii=False))
    with ReviewStore(tmp_path / "restored.db") as restored:
        counts = restored.import_json(exported)
        assert counts["decisions"] == 2 and counts["claims"] == len(analysis.claims)
        assert restored.load_analysis() == analysis
        assert restored.decisions() == store.decisions()
        again = restored.export_json()
    assert again["tables"] == exported["tables"]
    with ReviewStore(tmp_path / "restored.db") as restored:
        assert restored.add_decision(verdict_on(analysis)).id == 3      # ids carry on after the import


def test_import_refuses_a_store_in_use_and_files_that_are_not_exports(store, tmp_path):
    data = store.export_json()
    with pytest.raises(StoreError, match="new file"):
        store.import_json(data)
    with ReviewStore(tmp_path / "new.db") as fresh:
        with pytest.raises(StoreError, match="db export"):
            fresh.import_json({"tables": {}})
        data["tables"]["runs"][0]["evil); DROP TABLE runs; --"] = 1
        with pytest.raises(StoreError, match="unknown columns"):
            fresh.import_json(data)
        assert fresh.latest_run() is None


WRITER = textwrap.dedent("""
    import sys
    from corroborate.review.decisions import Decision
    from corroborate.review.store import ReviewStore

    store = ReviewStore(sys.argv[1], create=False)
    k = store.load_analysis().clusters[0]
    for i in range(100000):
        saved = store.add_decision(Decision("verdict", k.id, "writer", {"cluster": k.id,
            "members": list(k.claim_ids), "verdict": "true"}, note=f"n{i} " + "ملاحظة " * 40))
        print(saved.id, flush=True)     # printed only once the commit returned
""")


def test_sigkill_in_a_stream_of_writes_loses_no_committed_decision(store):
    store.close()
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(store.path)], stdout=subprocess.PIPE,
                             text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    committed = []
    for line in child.stdout:
        committed.append(int(line))
        if len(committed) >= 150:
            break
    child.send_signal(signal.SIGKILL)
    rest, _ = child.communicate()
    committed += [int(x) for x in rest.split()]
    assert child.returncode == -signal.SIGKILL
    with ReviewStore(store.path, create=False) as reopened:
        assert reopened.integrity_check() == "ok"
        ids = [d.id for d in reopened.decisions()]
    assert set(committed) <= set(ids)
    assert ids == list(range(1, len(ids) + 1))          # nothing half-written in between
