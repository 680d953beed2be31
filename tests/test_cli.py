import json
import time

import pytest
from click.testing import CliRunner

from corroborate.cli import cli

from .conftest import SEEDS
from .test_report import check_contract


def test_analyze_writes_reports_into_out(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "seeds.json").read_text(encoding="utf-8"))
    check_contract(data)
    assert len(data["documents"]) == 5
    assert (tmp_path / "seeds.md").exists() and (tmp_path / "seeds-outlets.png").exists()


def test_bad_inputs_are_named_and_the_rest_is_analyzed(tmp_path):
    good = (SEEDS / "004_2f5373c944bbeb12.txt").read_text(encoding="utf-8")
    (tmp_path / "a_good.txt").write_text(good, encoding="utf-8")
    (tmp_path / "b_copy.txt").write_text(good, encoding="utf-8")
    (tmp_path / "c_empty.txt").write_bytes(b"")
    (tmp_path / "d_binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "e_short.txt").write_text("عاجل", encoding="utf-8")
    (tmp_path / "f_cp1256.txt").write_bytes(good.encode("cp1256", errors="ignore"))
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--json", str(out / "r.json"), "-q"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for name in ("b_copy.txt", "c_empty.txt", "d_binary.txt", "e_short.txt", "f_cp1256.txt"):
        assert name in result.output
    # the cp1256 file holds a_good's text in another encoding: one article, named as a copy
    assert "f_cp1256.txt: same text as" in result.output
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    ids = {d["id"] for d in data["documents"]}
    assert "a_good" in ids and "f_cp1256" not in ids


def test_nothing_to_analyze_fails_with_a_message(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path)])
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "Traceback" not in result.output


def test_bad_model_path_is_named(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--model", str(tmp_path), "-q"])
    assert result.exit_code == 1
    assert str(tmp_path) in result.output


def test_help_explains_with_examples():
    result = CliRunner().invoke(cli, ["analyze", "--help"])
    assert result.exit_code == 0
    assert "Examples:" in result.output and "--similarity" in result.output


# --- options checked before any work (issue 23 items 4, 5) ------------------------------------

def test_options_that_contradict_stop_the_run_before_any_work(tmp_path):
    for args, said in [(["--no-cache", "--cache", str(tmp_path / "c.sqlite")],
                        "--no-cache and --cache"),
                       (["--encoding", "klingon"], "unknown encoding 'klingon'"),
                       (["--encoding", "rot13"], "not a text encoding"),
                       (["--scheduler", "tcp://127.0.0.1:8786"], "add --engine dask"),
                       (["--engine", "dask", "--scheduler", "http://127.0.0.1:8787"], "not a scheduler's"),
                       (["--engine", "dask", "--scheduler", "tcp://127.0.0.1"], "HOST:PORT"),
                       (["--json", str(tmp_path / "r"), "--markdown", str(tmp_path / "r")], "same file")]:
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["analyze", str(SEEDS), *args])
        assert result.exit_code == 2, (args, result.output)
        assert said in result.output and "Traceback" not in result.output, args
        assert "read 5 documents" not in result.output and time.monotonic() - started < 5, args
    assert not (tmp_path / "c.sqlite").exists()


def test_a_scheduler_nobody_answers_at_is_one_line_before_the_models_load(tmp_path):
    import socket

    pytest.importorskip("dask.distributed")
    with socket.socket() as s:                      # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--engine", "dask",
                                      "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = [x for x in result.stderr.splitlines() if x.strip()]
    assert line == (f"Error: --scheduler tcp://127.0.0.1:{port}: cannot connect (Connection refused); "
                    "start one (`dask scheduler`), check the address and port, or leave --scheduler "
                    "out to start a local cluster")


def test_the_run_says_which_engine_it_runs_on(tmp_path):
    (tmp_path / "a.txt").write_text("قال الوزير إن الاجتماع انتهى باتفاق بين الطرفين على الهدنة.\n",
                                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path), "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 0, result.output
    assert "engine: local (this process)" in result.stderr
