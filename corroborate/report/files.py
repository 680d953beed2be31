"""Reports on disk: a report's markdown, pictures and JSON written as one set, all or nothing."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import CorroborateError
from .contract import to_json_dict
from .markdown import to_markdown

if TYPE_CHECKING:
    from ..analysis import Analysis
    from .review_marks import ReviewMarks

EX_IOERR = 74                # sysexits.h: an input/output error, the exit code of a failed write
STALE_SECONDS = 600          # a temporary file this old is a killed run's, whoever wrote it
_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class OutputError(CorroborateError):
    """An output file or folder cannot be written."""


class WriteError(OutputError):
    """Writing failed part-way (a full disk, an I/O error); nothing was replaced."""

    exit_code = EX_IOERR


def write_report(analysis: Analysis, *, name: str, markdown_path: Path | None = None,
                 json_path: Path | None = None, language: str = "en",
                 plots: bool = True, review: ReviewMarks | None = None,
                 json_extra: Mapping[str, object] | None = None, full: bool = False) -> dict[str, Path]:
    """Write the markdown report (with its pictures beside it) and/or the JSON; return what was written.

    `review`: the reviewers' decisions of a review store, shown in the markdown where they apply;
    `full`: every list whole in the markdown (see `markdown.to_markdown`; the JSON always is);
    `json_extra`: more top-level fields for the JSON (e.g. the review store's "review" block).

    The set is written all or nothing (`write_set`): every file is rendered first, then
    written under a temporary name, then all are renamed into place. A full disk or an I/O
    error raises `WriteError` naming the place (and, for a full disk, the space needed) and
    leaves the previous report set as it was, with no temporary file behind.
    """
    files: dict[str, tuple[Path, bytes]] = {}
    if markdown_path is not None:
        figures: dict[str, str] = {}
        if plots:
            import matplotlib.pyplot as plt

            from .plots import outlets_figure, timeline_figure

            for key, draw in (("outlets", outlets_figure), ("timeline", timeline_figure)):
                fig = draw(analysis)
                if fig is None:
                    continue
                png = io.BytesIO()
                fig.savefig(png, dpi=110, format="png")
                plt.close(fig)
                target = markdown_path.parent / f"{markdown_path.stem}-{key}.png"
                files[key] = (target, png.getvalue())
                figures[key] = target.name
        markdown = to_markdown(analysis, name=name, language=language, figures=figures, review=review,
                               full=full)
        files["markdown"] = (markdown_path, markdown.encode("utf-8"))
    if json_path is not None:
        data = to_json_dict(analysis)
        data.update(json_extra or {})
        files["json"] = (json_path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_set(list(files.values()))
    return {key: path for key, (path, _) in files.items()}


def _temporary(path: Path) -> tuple[int, str]:
    # the writer's pid in the name tells a later run whether the file is a killed run's
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")


def remove_stale_temporaries(path: Path | str, *, max_age: float = STALE_SECONDS) -> list[Path]:
    """Delete the temporary files a killed run left beside `path` (`.NAME.PID.XXXX.tmp`);
    return them. One is stale when the process that wrote it is gone or it is older than
    `max_age` seconds (a run writes its temporaries in well under a second)."""
    path = Path(path)
    pattern = re.compile(rf"^\.{re.escape(path.name)}\.(?:(\d+)\.)?[\w]+\.tmp$")
    removed = []
    try:
        candidates = [c for c in path.parent.iterdir() if pattern.match(c.name)]
    except OSError:
        return removed
    for tmp in candidates:
        pid = pattern.match(tmp.name).group(1)
        try:
            old = time.time() - tmp.stat().st_mtime > max_age
            if old or (pid is not None and int(pid) != os.getpid() and not _running(int(pid))):
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:                  # another user's process: alive
        return True
    return True


def human_size(n: float) -> str:
    """`n` bytes for a reader: 850 bytes, 64.0 KB, 2.1 MB."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def write_error(error: OSError, path: Path | str, *, needed: int | None = None,
                what: str = "the report") -> WriteError:
    """The one-line `WriteError` for an `OSError` met writing `path`: for a full disk, the
    place, the space `needed` and the space free; else the place and the system's reason."""
    path = Path(path)
    folder = path.parent
    if error.errno in _FULL:
        try:
            free = human_size(shutil.disk_usage(folder).free) + " free"
        except OSError:
            free = "free space unknown"
        need = f"{human_size(needed)} needed, " if needed else ""
        return WriteError(f"{folder}: no space left on its disk for {what} ({need}{free}); free some "
                          "space or choose another place. Nothing was replaced.")
    return WriteError(f"{path}: cannot be written ({error.strerror or type(error).__name__}); "
                      "choose another place. Nothing was replaced.")


def write_set(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every (path, bytes) or none: each goes to a temporary name beside its target,
    synced to disk, and only when all are whole are they renamed into place.

    Stale temporaries of these names (from a killed run) are removed first. On an `OSError`
    the temporaries are removed and `WriteError` is raised; the files already at the paths
    (the previous set) are untouched.
    """
    temps: list[str] = []
    current = files[0][0] if files else Path(".")
    for path, _ in files:
        if path.is_dir():            # a rename onto it would fail half-way through the set
            raise OutputError(f"{path}: is a folder; give a file name, e.g. {path / 'report.json'}")
    try:
        for path, _ in files:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(path)
        for path, data in files:
            current = path
            fd, tmp = _temporary(path)
            temps.append(tmp)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())        # a full disk may only say so when the data goes out
            os.chmod(tmp, 0o644)            # mkstemp makes 0600; a report is meant to be shared
        for (path, _), tmp in zip(files, temps):
            current = path
            os.replace(tmp, path)
    except OSError as e:
        _remove(temps)
        here = [len(data) for path, data in files if path.parent == current.parent]
        raise write_error(e, current, needed=sum(here)) from None
    except BaseException:
        _remove(temps)
        raise


def _remove(temps: Sequence[str]) -> None:
    for tmp in temps:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


@contextlib.contextmanager
def atomic_file(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path` (mode "w" text UTF-8, or "wb"); rename it onto
    `path` when the block ends without error, else delete it.

    Readers of `path` see the old file or the whole new one, never half of it, and two runs
    writing into one folder do not share a temporary name. A full disk or an I/O error while
    writing raises `WriteError` (see `write_error`) with the old file kept.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        fd, tmp = _temporary(path)
    except OSError as e:
        raise write_error(e, path, what=path.name) from None
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)            # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except OSError as e:
        _remove([tmp])
        if e.errno in (*_FULL, errno.EIO, errno.EROFS):
            raise write_error(e, path, what=path.name) from None
        raise
    except BaseException:
        _remove([tmp])
        raise


def atomic_write(path: Path | str, content: str | bytes) -> None:
    """Write `content` (text as UTF-8, or bytes) to `path` atomically (see `atomic_file`)."""
    with atomic_file(path, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)


def atomic_save(path: Path | str, save: Callable[[IO], object]) -> None:
    """Let `save(file)` write a binary file (e.g. `Figure.savefig`) and put it at `path` atomically."""
    with atomic_file(path, "wb") as f:
        save(f)


def check_writable(path: Path | str, *, folder: bool = False) -> None:
    """Raise `OutputError` unless a file (or, with `folder`, a folder) can be written at `path`.

    Checked before any work starts, so a report is never lost after minutes of analysis. It
    creates nothing: it writes and removes a probe file in the nearest existing folder.
    """
    path = Path(path)
    if path.is_dir() and not folder:
        raise OutputError(f"{path}: is a folder; give a file name, e.g. {path / 'report.json'}")
    if path.exists() and folder and not path.is_dir():
        raise OutputError(f"{path}: is a file, not a folder; give a folder for the reports")
    existing = path if folder else path.parent
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(f"{path}: {existing} is a file, not a folder; choose another place")
    try:
        fd, probe = tempfile.mkstemp(dir=existing, prefix=".corroborate-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        why = ("permission denied" if isinstance(e, PermissionError)
               else "it takes no new files" if e.errno == errno.ENOENT      # /proc, /sys
               else e.strerror or type(e).__name__)
        raise OutputError(f"{path}: cannot write in {existing} ({why}); choose a folder you can "
                          "write to") from None
