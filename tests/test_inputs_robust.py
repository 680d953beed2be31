import json
import logging
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from corroborate.claims import split_claims
from corroborate.cli import cli
from corroborate.compare import compare_csv
from corroborate.ingest import read_inputs
from corroborate.model import Claim, Document
from corroborate.origins import assign_origins, relayed_wire
from corroborate.report.escape import md_text
from corroborate.report.files import atomic_file, atomic_write

from .conftest import SEEDS

ARTICLE = "قال مسؤول عراقي إن الهجوم على القاعدة أسفر عن مقتل ثلاثة جنود أميركيين.\n"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
ROOT_REASON = "runs as root, who may read and write anything; the /proc variant covers this"


def _denied_file() -> str | None:
    """A file that no user, root included, may open for reading (write-only /proc knobs)."""
    for candidate in ("/proc/sys/vm/compact_memory", "/proc/sys/vm/drop_caches", "/proc/1/mem"):
        try:
            with open(candidate, "rb") as f:
                f.read(1)
        except PermissionError:
            return candidate
        except OSError:
            continue
    return None


def _denied_folder() -> str | None:
    """A folder no user in this container may list (/proc/1/map_files needs CAP_SYS_ADMIN)."""
    try:
        os.listdir("/proc/1/map_files")
    except PermissionError:
        return "/proc/1/map_files"
    except OSError:
        return None
    return None


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return tmp_path


# --- a file the user may not read ----------------------------------------------------------

@pytest.mark.skipif(_denied_file() is None, reason="no /proc file here refuses reading")
def test_a_file_no_one_may_read_is_skipped_with_the_fix_and_the_rest_read(tmp_path):
    _folder(tmp_path, {"a.txt": ARTICLE})
    (tmp_path / "locked.txt").symlink_to(_denied_file())
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    [s] = skipped
    assert s.kind == "unreadable" and "locked.txt" in s.reason
    assert "permission denied" in s.reason and "chmod" in s.reason


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_a_file_without_read_rights_is_skipped(tmp_path):
    _folder(tmp_path, {"a.txt": ARTICLE, "b.txt": ARTICLE + "x"})
    (tmp_path / "b.txt").chmod(0)
    try:
        docs, [s] = read_inputs(tmp_path)
    finally:
        (tmp_path / "b.txt").chmod(0o644)
    assert [d.id for d in docs] == ["a"] and "b.txt" in s.reason and "permission denied" in s.reason


@pytest.mark.skipif(_denied_folder() is None, reason="no folder here refuses listing")
def test_a_folder_no_one_may_list_is_skipped_by_name(tmp_path):
    _folder(tmp_path, {"a.txt": ARTICLE})
    (tmp_path / "private").symlink_to(_denied_folder())
    docs, [s] = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert "private" in s.reason and "cannot list this folder" in s.reason


def test_a_pipe_named_like_an_article_is_skipped_not_waited_on(tmp_path):
    _folder(tmp_path, {"a.txt": ARTICLE})
    os.mkfifo(tmp_path / "pipe.txt")
    docs, [s] = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"] and "not a regular file" in s.reason


# --- outputs that cannot be written --------------------------------------------------------

@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc, where no one may create files")
@pytest.mark.parametrize("flag,target", [("--out", "/proc/corroborate-x"),
                                         ("--json", "/proc/corroborate-x/r.json"),
                                         ("--markdown", "/proc/corroborate-x.md")])
def test_an_unwritable_output_stops_the_run_before_any_work(flag, target):
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), flag, target])
    assert result.exit_code == 2
    assert flag in result.output and target in result.output and "choose a folder" in result.output
    assert "read 5 documents" not in result.output and "Traceback" not in result.output


@pytest.mark.skipif(AS_ROOT, reason=ROOT_REASON)
def test_a_read_only_folder_stops_the_run_before_any_work(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--out", str(locked / "reports")])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2 and "permission denied" in result.output
    assert "read 5 documents" not in result.output


def test_compare_checks_its_output_before_loading_models(tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("s1,s2\nأ,ب\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(pairs), "--out", "/proc/corroborate-x/p.csv"])
    assert result.exit_code == 2 and "/proc/corroborate-x/p.csv" in result.output


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "r.json"
    atomic_write(path, '{"old": true}\n')
    with pytest.raises(RuntimeError):
        with atomic_file(path) as f:
            f.write('{"half":')
            raise RuntimeError("killed")
    assert path.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    atomic_write(path, b"\x89PNG")
    assert path.read_bytes() == b"\x89PNG" and oct(path.stat().st_mode & 0o777) == "0o644"


# --- encodings -----------------------------------------------------------------------------

def test_utf8_with_a_few_bad_bytes_is_read_as_utf8_with_replacements_and_named(tmp_path, caplog):
    good = (ARTICLE * 3).encode("utf-8")
    cut1, cut2 = len(ARTICLE[:5].encode()), len((ARTICLE * 2)[:20].encode())
    damaged = good[:cut1] + b"\xff" + good[cut1:cut2] + b"\xfe" + good[cut2:]
    (tmp_path / "d.txt").write_bytes(damaged)
    [doc], skipped = read_inputs(tmp_path / "d.txt")
    assert skipped == [] and doc.encoding == "utf-8 (2 bytes replaced)"
    assert doc.text == damaged.decode("utf-8", errors="replace") and doc.text.count("\ufffd") == 2
    assert "قال مسؤول عراقي" in doc.text.replace("\ufffd", "")      # not Windows-1256 mojibake
    assert "d.txt" in caplog.text and f"byte {cut1}, {cut2 + 1}" in caplog.text
    for claim in split_claims(doc):
        assert doc.text[claim.start:claim.end] == claim.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(tmp_path, encoding):
    (tmp_path / "u.txt").write_bytes((ARTICLE * 4).encode(encoding))
    [doc], skipped = read_inputs(tmp_path / "u.txt")
    assert skipped == [] and doc.encoding == encoding and doc.text == ARTICLE * 4


def test_binary_file_message_suggests_utf16_when_detection_cannot_tell(tmp_path):
    (tmp_path / "x.txt").write_bytes(bytes(range(256)) * 4)
    _, [s] = read_inputs(tmp_path / "x.txt")
    assert "binary" in s.reason and "--encoding utf-16-le" in s.reason


# --- folders -------------------------------------------------------------------------------

def test_sub_folders_are_read_recursively_in_path_order_with_path_ids(tmp_path):
    _folder(tmp_path, {"z.txt": ARTICLE + "1", "sub/b.txt": ARTICLE + "2", "a.txt": ARTICLE + "3",
                       "sub/deeper/c.txt": ARTICLE + "4", ".git/x.txt": ARTICLE + "5"})
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a", "sub/b", "sub/deeper/c", "z"] and skipped == []
    docs, _ = read_inputs(tmp_path, recursive=False)
    assert [d.id for d in docs] == ["a", "z"]
    _folder(tmp_path, {"nested/inner/d.txt": ARTICLE + "6"})
    _, [s] = read_inputs(tmp_path / "nested", recursive=False)
    assert "1 sub-folder(s), not read because of --no-recursive" in s.reason and "nested" in s.reason


def test_files_of_other_types_in_a_folder_are_listed_with_the_fix(tmp_path):
    _folder(tmp_path, {"a.txt": ARTICLE, "slides.pptx": b"PK\x03\x04", "notes.doc": b"\xd0\xcf\x11\xe0",
                       "photo.png": b"\x89PNG", "a.json": "{}"})
    docs, skipped = read_inputs(tmp_path)
    assert [d.id for d in docs] == ["a"]
    assert sorted(Path(s.path).name for s in skipped) == ["a.json", "notes.doc", "photo.png", "slides.pptx"]
    for s in skipped:
        assert s.kind == "unsupported" and "convert to .txt/.html" in s.reason


@pytest.mark.parametrize("files,found", [({}, "found no files"),
                                         ({"a.pptx": b"PK", "b.pptx": b"PK", "c.doc": b"\xd0\xcf"},
                                          "found 1 .doc, 2 .pptx")])
def test_a_folder_without_articles_says_what_it_found_and_what_is_read(tmp_path, files, found):
    folder = _folder(tmp_path / "news", files) if files else tmp_path / "news"
    folder.mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["analyze", str(folder), "-q"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{folder}: no article files here" in result.output and found in result.output
    assert ".txt, .md, .html, .htm, .jsonl, .pdf, .docx and .odt" in result.output


def test_a_missing_path_among_good_ones_stops_the_run_naming_it(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), str(tmp_path / "typo.txt"), "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "typo.txt: no such file or folder" in result.output and "nothing was analyzed" in result.output


def test_flag_values_that_do_not_fit_together_are_named_as_typed():
    result = CliRunner().invoke(cli, ["analyze", str(SEEDS), "--min-chars", "500", "--max-chars", "100"])
    assert result.exit_code == 2
    assert "--min-chars 500 must be below --max-chars 100" in result.output


# --- one run with good and bad inputs, as a new user tries it ------------------------------

def test_bad_inputs_are_warned_about_as_they_happen_and_summarised(tmp_path):
    good = {name: (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
            for name in ("003_554a95cc30897557", "004_2f5373c944bbeb12")}
    text = good["004_2f5373c944bbeb12"]
    cut = len(text[:60].encode("utf-8"))                   # between two characters
    damaged = text[:60].encode("utf-8") + b"\xff" + text[60:].encode("utf-8")
    folder = _folder(tmp_path / "in", {"a.txt": good["003_554a95cc30897557"],
                                      "sub/b.txt": damaged,
                                      "report.pdf": b"%PDF-1.4"})
    if _denied_file():
        (folder / "locked.txt").symlink_to(_denied_file())
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["analyze", str(folder), "--json", str(out / "r.json"),
                                      "--markdown", str(out / "r.md")])
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "Traceback" not in result.output
    pdf_warning = err.index("warning: " + str(folder / "report.pdf"))
    assert pdf_warning < err.index("embedding")                 # told before the long part
    assert f"sub/b.txt: 1 byte(s) are not valid UTF-8 (at byte {cut})" in err
    assert err.rstrip().splitlines()[-1].startswith("warning: ") and "not analyzed" in err.splitlines()[-1]
    data = json.loads((out / "r.json").read_text(encoding="utf-8"))
    encodings = {d["id"]: d["encoding"] for d in data["documents"]}
    assert encodings == {"a": "utf-8", "sub/b": "utf-8 (1 bytes replaced)"}
    kinds = {Path(s["path"]).name: s["kind"] for s in data["skipped"]}
    assert kinds["report.pdf"] == "corrupt"                    # a PDF that is not one
    assert kinds.get("locked.txt", "unreadable") == "unreadable"
    assert md_text(str(folder / "report.pdf")) in (out / "r.md").read_text(encoding="utf-8")
    assert not [p for p in out.iterdir() if p.name.startswith(".")]   # no temporary left


# --- compare ---------------------------------------------------------------------------------

def test_compare_reads_a_tab_separated_file_and_shows_every_phase(tmp_path, encoder, scorer, capsys, caplog):
    caplog.set_level(logging.INFO, logger="corroborate")
    src = tmp_path / "pairs.tsv"
    pd.DataFrame({"s1": ["الجيش يدخل المدينة", "ارتفاع أسعار النفط"],
                  "s2": ["الجيش لم يدخل المدينة", (SEEDS / "004_2f5373c944bbeb12.txt").read_text(encoding="utf-8")],
                  "id": ["1", "2"]}).to_csv(src, sep="\t", index=False)
    out = compare_csv(src, tmp_path / "pred.csv", encoder, scorer, progress=True)
    assert list(out["id"]) == ["1", "2"] and "relation" in out.columns
    assert "read as tab-separated" in caplog.text
    err = capsys.readouterr().err
    for phase in ("splitting articles", "encoding", "scoring"):
        assert phase in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.tsv", "pred.csv"]


# --- English wire datelines ----------------------------------------------------------------

@pytest.mark.parametrize("line,wire", [
    ("BAGHDAD (Reuters) - Iraqi armed factions have halted attacks on U.S. forces, sources said.", "Reuters"),
    ("(AP) — Iraqi armed factions have halted attacks on U.S. forces, officials said on Monday.",
     "Associated Press"),
    ("WASHINGTON (AFP) — The Pentagon said three soldiers were killed in the drone attack.", "AFP"),
    ("بغداد (رويترز) - قالت مصادر إن الفصائل العراقية أوقفت هجماتها على القوات الأميركية.", "Reuters"),
    ("Iraqi officials told Reuters that the attacks on U.S. forces had stopped since February.", None),
    ("A man walks past a poster of the commander in Baghdad, Iraq, January 30. REUTERS/Thaier Sudani", None),
])
def test_wire_datelines_are_recognised_in_english_as_in_arabic(line, wire):
    body = "The factions said the attacks would stop until further notice."
    doc = Document(id="d", text=f"Headline of the story\n\n{line}\n{body}\n")
    assert relayed_wire(doc) == wire
    start = doc.text.index(body)
    [claim] = assign_origins([Claim("c-d:0", "d", start, start + len(body), body)], {"d": doc})
    assert claim.origin == (wire or "doc:d")          # the article relays the wire, else is its own origin
