import json

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
    for name in ("b_copy.txt", "c_empty.txt", "d_binary.txt", "e_short.txt"):
        assert name in result.output
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    assert {d["id"] for d in data["documents"]} >= {"a_good", "f_cp1256"}


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
