"""The JSON report: the fields ../shared/CONTRACT.md promises, plus settings and skipped inputs."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..model import SCHEMA, Document

if TYPE_CHECKING:
    from ..analysis import Analysis


def _shown(path: Path | None) -> str | None:
    """A path as given, or relative to the working directory when it was absolute."""
    if path is None:
        return None
    if Path(path).is_absolute():
        try:
            return os.path.relpath(path)
        except ValueError:
            pass
    return str(path)


def document_json(doc: Document) -> dict:
    path = _shown(doc.path)
    return {"id": doc.id, "path": path, "title": doc.title, "outlet": doc.outlet,
            "published": doc.published, "published_from": doc.published_from,
            "cited_sources": list(doc.cited_sources),
            "url": doc.url, "fetched": doc.fetched, "source_path": _shown(doc.source_path),
            "encoding": doc.encoding, "length": doc.chars,
            "dateline": asdict(doc.dateline) if doc.dateline else None, "wire": doc.wire,
            "reprint_of": doc.reprint_of}


def _lists(record: Mapping) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in record.items()}


def to_json_dict(analysis: Analysis) -> dict:
    """The JSON report as a dict: ../shared/CONTRACT.md's fields plus settings and skipped inputs."""
    return {
        "schema": SCHEMA,
        "version": __version__,
        "encoder": analysis.encoder,
        "settings": analysis.settings.as_dict(),
        "documents": [document_json(d) for d in analysis.documents],
        "claims": [_lists(asdict(c)) for c in analysis.claims],
        "clusters": [_lists(asdict(c)) for c in analysis.clusters],
        "conflicts": [_lists(asdict(c)) for c in analysis.conflicts],
        "stories": [_lists(asdict(s)) for s in analysis.stories],
        "skipped": [asdict(s) for s in analysis.skipped],
    }


def to_json(analysis: Analysis) -> str:
    return json.dumps(to_json_dict(analysis), ensure_ascii=False, indent=2) + "\n"
