"""Reports on disk: the markdown with its pictures and the JSON, each written atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .contract import to_json
from .markdown import to_markdown

if TYPE_CHECKING:
    from ..analysis import Analysis


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
            from .plots import plot_outlets, plot_timeline

            markdown_path.parent.mkdir(parents=True, exist_ok=True)
            for key, func in (("outlets", plot_outlets), ("timeline", plot_timeline)):
                target = markdown_path.parent / f"{markdown_path.stem}-{key}.png"
                if func(analysis, target):
                    written[key] = target
                    figures[key] = target.name
        atomic_write(markdown_path, to_markdown(analysis, name=name, language=language,
                                                figures=figures))
        written["markdown"] = markdown_path
    if json_path is not None:
        atomic_write(json_path, to_json(analysis))
        written["json"] = json_path
    return written


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
