import csv
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from corroborate.engine import LocalEngine, make_engine
from corroborate.pipeline import analyze

pytest.importorskip("dask.distributed")

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(scope="module")
def dask_engine():
    engine = make_engine("dask", workers=2)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def fresh_models(models):
    # vectors computed afresh where the engine runs; pair scores may come from the cache
    return dataclasses.replace(models, encoder=getattr(models.encoder, "encoder", models.encoder))


def _report(analysis):
    data = json.loads(analysis.to_json())
    return data["claims"], data["clusters"], data["conflicts"]


def test_dask_engine_gives_the_local_engines_report_on_the_seeds(seed_docs, fresh_models, dask_engine):
    local = analyze(seed_docs, models=fresh_models, engine=LocalEngine())
    remote = analyze(seed_docs, models=fresh_models, engine=dask_engine)
    assert _report(remote) == _report(local)


def test_skipped_inputs_are_listed_in_reading_order_on_either_engine(tmp_path, fresh_models, dask_engine):
    story = ("أعلنت وزارة الصحة تسجيل اثنتي عشرة إصابة جديدة بالفيروس في الرياض خلال الأيام الثلاثة الماضية.\n"
             "وأوضحت الوزارة في بيان أن المصابين نقلوا إلى المستشفى للعلاج وأن حالتهم مستقرة.\n")
    other = "قال مسؤول في المستشفى إن المستشفى استقبل اثنتي عشرة حالة هذا الأسبوع وإن الفرق الطبية جاهزة.\n"
    (tmp_path / "a.txt").write_text(story, encoding="utf-8")
    (tmp_path / "b.txt").write_text("تابعونا\n", encoding="utf-8")                  # no claim
    (tmp_path / "c.txt").write_bytes(story.replace("\n", "\r\n").encode("utf-8"))  # a's text again
    (tmp_path / "d.txt").write_text(other, encoding="utf-8")
    (tmp_path / "e.txt").write_text("شارك الخبر\n", encoding="utf-8")               # no claim
    local = analyze(tmp_path, models=fresh_models, engine=LocalEngine())
    remote = analyze(tmp_path, models=fresh_models, engine=dask_engine)   # splits all five in one batch
    names = [Path(s.path).name for s in local.skipped]
    assert names == ["b.txt", "c.txt", "e.txt"]
    assert remote.skipped == local.skipped


def _baly_fold_articles(fold: int, n: int) -> list[str]:
    path = DATA / "baly2018_unifiedfc" / f"pairs_fold{fold}.csv"
    if not path.is_file():
        pytest.skip(f"{path} not found (../shared/data)")
    seen: dict[str, None] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if len(row["s2"]) > 500:
                seen.setdefault(row["s2"])
            if len(seen) == n:
                break
    return list(seen)


@pytest.mark.slow
def test_dask_engine_gives_the_local_engines_report_on_baly_articles(tmp_path, fresh_models, dask_engine):
    for i, text in enumerate(_baly_fold_articles(1, 12)):
        (tmp_path / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
    local = analyze(tmp_path, models=fresh_models, engine=LocalEngine())
    remote = analyze(tmp_path, models=fresh_models, engine=dask_engine)
    assert len(local.claims) > 100
    assert _report(remote) == _report(local)


def test_neighbour_search_on_dask_is_the_local_one_row_for_row(dask_engine, capsys):
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(3000, 24)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    dask_engine.rows_per_task = 700          # several tasks, each a whole number of row blocks
    remote = dask_engine.knn(vectors, k=9, floor=0.1, progress=True)
    assert "neighbours:" in capsys.readouterr().err      # a bar over the rows, as tasks finish
    local = LocalEngine().knn(vectors, k=9, floor=0.1)
    np.testing.assert_array_equal(remote[0], local[0])
    # the same neighbours; their cosines to float32 precision (a worker's BLAS may sum a dot
    # product in another order: 677 of 27,000 differed by at most 1.8e-7 on one run)
    np.testing.assert_allclose(remote[1], local[1], rtol=0, atol=1e-6)


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="local, dask"):
        make_engine("spark")


# --- a scheduler address is checked, and one that does not answer is told in one line ----------

@pytest.mark.parametrize("address,said", [("http://127.0.0.1:8787", "a web address"),
                                          ("tcp://127.0.0.1", "HOST:PORT"),
                                          ("tcp://127.0.0.1:99999", "HOST:PORT"),
                                          ("gopher://127.0.0.1:70", "unknown protocol")])
def test_a_scheduler_address_that_cannot_be_one_is_refused_without_contacting_it(address, said):
    from corroborate.engine import check_scheduler

    with pytest.raises(ValueError, match=said):
        check_scheduler(address)
    assert check_scheduler("10.0.0.5:8786") == "tcp://10.0.0.5:8786"


def test_a_server_that_never_speaks_dask_times_out_in_one_clear_line():
    import socket
    import threading
    import time

    from corroborate.engine import SchedulerError

    server = socket.socket()                 # accepts connections and says nothing (an HTTP port did that)
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []
    threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(SchedulerError) as e:
            make_engine("dask", scheduler=f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout=1)
    finally:
        server.close()
    assert time.monotonic() - started < 10
    assert "no Dask scheduler answered within 1 s" in str(e.value) and "\n" not in str(e.value)


def test_a_scheduler_is_never_a_silent_switch_to_dask():
    with pytest.raises(ValueError, match="for the dask engine"):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")


def test_a_running_scheduler_is_joined_and_named(dask_engine, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="corroborate")
    address = dask_engine.client.scheduler.address
    joined = make_engine("dask", scheduler=address)
    try:
        assert joined.describe() == f"dask, 2 worker(s) of the scheduler at {address}"
        assert f"engine: dask, 2 worker(s) of the scheduler at {address}" in caplog.text
    finally:
        joined.close()
