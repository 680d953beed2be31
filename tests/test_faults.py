import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from corroborate.cli import cli
from corroborate.report.files import (
    EX_IOERR,
    OutputError,
    WriteError,
    remove_stale_temporaries,
    write_set,
)

from .conftest import SEEDS


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB filesystem of its own (a tmpfs mount: needs root, as CI has)."""
    if os.geteuid() != 0:
        pytest.skip("a small filesystem of its own is a tmpfs mount, which needs root (CI runs as root)")
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=False,
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill `disk` until only `leave` bytes are free."""
    free = shutil.disk_usage(disk).free
    with open(disk / "filler.bin", "wb") as f:
        f.write(b"\0" * max(0, free - leave))


def test_a_full_disk_ends_in_one_line_exit_74_and_the_old_report_set_whole(small_disk):
    out = small_disk / "reports"
    first = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--out", str(out), "-q"])
    assert first.exit_code == 0, first.output
    old = _snapshot(out)
    assert set(old) == {"seeds.md", "seeds.json", "seeds-outlets.png", "seeds-timeline.png"}
    _fill(small_disk, leave=60_000)                # room for a picture, not for the whole set
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--out", str(out), "-q",
                                      "--report-language", "ar"])
    assert result.exit_code == EX_IOERR == 74
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {out}: no space left on its disk for the report (")
    assert "needed" in line and "free" in line and "Nothing was replaced" in line
    assert _snapshot(out) == old                   # the old set, whole: no new picture beside it


def test_a_review_store_on_a_full_disk_still_gets_the_reports_written(small_disk, tmp_path):
    _fill(small_disk, leave=40_000)
    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--out", str(out), "-q",
                                      "--db", str(small_disk / "review.db")])
    assert result.exit_code == 74, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: {small_disk}: no space left on its disk for the review store review.db")
    assert "needed" in line and "the run was not recorded there" in line
    assert {p.name for p in out.iterdir()} == {"seeds.md", "seeds.json", "seeds-outlets.png",
                                               "seeds-timeline.png"}


def test_a_failed_set_leaves_no_temporary_and_replaces_nothing(small_disk):
    (small_disk / "r.md").write_text("old report\n", encoding="utf-8")
    (small_disk / "r.json").write_text('{"old": true}\n', encoding="utf-8")
    _fill(small_disk, leave=20_000)
    with pytest.raises(WriteError) as e:
        write_set([(small_disk / "r-outlets.png", b"p" * 10_000), (small_disk / "r.md", b"m" * 8_000),
                   (small_disk / "r.json", b"j" * 30_000)])
    assert e.value.exit_code == 74 and "48.0 KB needed" in str(e.value)
    assert (small_disk / "r.md").read_text(encoding="utf-8") == "old report\n"
    assert (small_disk / "r.json").read_text(encoding="utf-8") == '{"old": true}\n'
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler.bin", "r.json", "r.md"]


def test_a_set_aimed_at_a_folder_is_refused_before_anything_is_written(tmp_path):
    (tmp_path / "r.json").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_set([(tmp_path / "r.md", b"new"), (tmp_path / "r.json", b"{}")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_temporaries_a_killed_run_left_are_removed_by_the_next_write(tmp_path):
    killed = tmp_path / ".r.md.4194999.k1ll3d00.tmp"             # its writer's pid is gone
    legacy = tmp_path / ".r-outlets.png.a1b2c3d4.tmp"            # an older version's, an hour old
    running = tmp_path / f".r.json.{os.getppid()}.w0rk1ng0.tmp"  # a live writer's: left alone
    other = tmp_path / ".notes.txt.4194999.k1ll3d00.tmp"         # not one of this set's names
    for stale in (killed, legacy, running, other):
        stale.write_bytes(b"half")
    hour_ago = time.time() - 3600
    os.utime(legacy, (hour_ago, hour_ago))
    write_set([(tmp_path / "r.md", b"# report\n"), (tmp_path / "r-outlets.png", b"png"),
               (tmp_path / "r.json", b"{}\n")])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [running.name, other.name, "r-outlets.png", "r.json", "r.md"])
    assert remove_stale_temporaries(tmp_path / "r.json", max_age=0) == [running]
