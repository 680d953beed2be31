"""Reports on disk: the markdown with its pictures and the JSON, each written atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import CorroborateError
from .contract import to_json
from .markdown import to_markdown

if TYPE_CHECKING:
    from ..analysis import Analysis


class OutputError(CorroborateError):
    """An output file or folder cannot be written."""


def write_report(analysis: Analysis, *, name: str, markdown_path: Path | None = None,
                 json_path: Path | None = None, language: str = "en",
                 plots: bool = True) -> dict[str, Path]:
    """Write the markdown report (with its pictures beside it) and/or the JSON; return what was written.

    Each file is written to a temporary name and renamed, so an interrupted run never
    leaves a half-written report over a good one.
    """
    written: dict[str, Path] = {}
    if markdown_path is not None:
        figures: dict[str, str] = {}
        if plots:
            import matplotlib.pyplot as plt

            from .plots import outlets_figure, timeline_figure

            for key, draw in (("outlets", outlets_figure), ("timeline", timeline_figure)):
                fig = draw(analysis)
                if fig is None:
                    continue
                target = markdown_path.parent / f"{markdown_path.stem}-{key}.png"
                atomic_save(target, lambda f: fig.savefig(f, dpi=110, format="png"))
                plt.close(fig)
                written[key] = target
                figures[key] = target.name
        atomic_write(markdown_path, to_markdown(analysis, name=name, language=language,
                                                figures=figures))
        written["markdown"] = markdown_path
    if json_path is not None:
        atomic_write(json_path, to_json(analysis))
        written["json"] = json_path
    return written


@contextlib.contextmanager
def atomic_file(path: Path | str, mode: str = "w") -> Iterator[IO]:
    """Open a temporary file beside `path` (mode "w" text UTF-8, or "wb"); rename it onto
    `path` when the block ends without error, else delete it.

    Readers of `path` see the old file or the whole new one, never half of it, and two runs
    writing into one folder do not share a temporary name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": ""} if "b" not in mode else {})) as f:
            yield f
        os.chmod(tmp, 0o644)            # mkstemp makes 0600; a report is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
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
