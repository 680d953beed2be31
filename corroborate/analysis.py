"""The result of one analysis: documents, claims, clusters and conflicts, with its reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Claim, Cluster, Conflict, Document, Settings, Skipped, Story
from .report.contract import to_json
from .report.frames import (
    claims_frame,
    clusters_frame,
    conflicts_frame,
    documents_frame,
)
from .report.markdown import to_markdown


@dataclass(frozen=True)
class Analysis:
    """What `analyze` returns; `to_json()` is the report of ../shared/CONTRACT.md."""

    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    clusters: tuple[Cluster, ...]
    conflicts: tuple[Conflict, ...]
    settings: Settings = field(default_factory=Settings)
    skipped: tuple[Skipped, ...] = ()
    encoder: str | None = None
    timings: tuple[tuple[str, float], ...] = ()     # (stage, seconds) in the order they ran
    stories: tuple[Story, ...] = ()                 # groups of clusters about one story (a reading aid)

    def to_json(self) -> str:
        """The JSON report (../shared/CONTRACT.md), as a string."""
        return to_json(self)

    def to_markdown(self, *, name: str = "analysis", language: str = "en") -> str:
        """The markdown report, without pictures (write_report adds them)."""
        return to_markdown(self, name=name, language=language)

    @property
    def documents_df(self):
        """pandas DataFrame: one row per document."""
        return documents_frame(self)

    @property
    def claims_df(self):
        """pandas DataFrame: one row per claim, with its cluster and status."""
        return claims_frame(self)

    @property
    def clusters_df(self):
        """pandas DataFrame: one row per cluster."""
        return clusters_frame(self)

    @property
    def conflicts_df(self):
        """pandas DataFrame: one row per conflict."""
        return conflicts_frame(self)
