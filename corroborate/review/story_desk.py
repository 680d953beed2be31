"""The stories page: a run's stories over the reviewed clusters, searched, sorted and paged.

A story (`stories.py`) is a reading aid: documents that tell one story and the facts
(clusters) it holds. Search goes through the same normaliser as the queue's, over a story's
label, its documents' titles and claims, and its id and its facts' ids.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Cluster, Conflict, Story
from ..text.normalize import normalize_text
from .apply import Reviewed
from .queue import ClaimTexts

if TYPE_CHECKING:
    from .. import Analysis

STORY_SORTS = {
    "origins": "independent origins",
    "documents": "documents",
    "conflicts": "conflicts",
}


@dataclass(frozen=True)
class StoryRow:
    """One story of the reviewed view, with what the page lists about it."""

    story: Story
    facts: tuple[Cluster, ...]         # its clusters, most independent origins first
    conflicts: tuple[Conflict, ...]    # kept conflicts with a claim among its facts
    position: int                      # place in the stories page's default order

    @property
    def several(self) -> bool:
        """Told by several documents (the stories a desk reads first)."""
        return len(self.story.doc_ids) > 1

    def kinds(self) -> list[tuple[str, int]]:
        """(conflict kind, how many), most first."""
        return Counter(x.kind for x in self.conflicts).most_common()


class StoryTexts:
    """The normalised text each story is searched by, built once per run: a story's documents do
    not change with decisions (its facts may). Thread-safe; `warm()` builds it."""

    def __init__(self, stories: Sequence[Story], titles: Mapping[str, str | None], claims: ClaimTexts,
                 claims_of_doc: Mapping[str, Sequence[str]]) -> None:
        self._stories, self._titles, self._claims, self._of_doc = stories, titles, claims, claims_of_doc
        self._text: dict[str, str] | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(cls, analysis: Analysis, claims: ClaimTexts) -> StoryTexts:
        """The search texts of `analysis`'s stories (claims: the run's normalised claim texts)."""
        of_doc: dict[str, list[str]] = {}
        for c in analysis.claims:
            of_doc.setdefault(c.doc_id, []).append(c.id)
        return cls(analysis.stories, {d.id: d.title for d in analysis.documents}, claims, of_doc)

    def warm(self) -> dict[str, str]:
        norm = self._claims.warm()
        with self._lock:
            if self._text is None:
                self._text = {s.id: "\n".join([normalize_text(s.label),
                                               *(normalize_text(self._titles.get(d) or "") for d in s.doc_ids),
                                               *(norm.get(c, "") for d in s.doc_ids for c in self._of_doc.get(d, ()))])
                              for s in self._stories}
            return self._text


class StoryDesk:
    """The stories of one reviewed view, ready to list: built once per view, cheap to query."""

    def __init__(self, reviewed: Reviewed, texts: StoryTexts | None = None) -> None:
        analysis = reviewed.analysis
        self.texts = texts or StoryTexts.of(analysis, ClaimTexts(analysis.claims))
        order = {k.id: i for i, k in enumerate(analysis.clusters)}
        self.story_of: dict[str, str] = {k.id: k.story for k in analysis.clusters if k.story is not None}
        facts: dict[str, list[Cluster]] = {}
        for k in analysis.clusters:
            if k.story is not None:
                facts.setdefault(k.story, []).append(k)
        touching: dict[str, list[Conflict]] = {}
        for x in analysis.conflicts:
            homes = {self.story_of.get(reviewed.cluster_of.get(c, "")) for c in (x.claim_a, x.claim_b)}
            for sid in homes - {None}:
                touching.setdefault(sid, []).append(x)
        # the run's order (independent origins first), stories told by several documents first
        ranked = sorted(analysis.stories, key=lambda s: len(s.doc_ids) < 2)
        self.rows: dict[str, StoryRow] = {
            s.id: StoryRow(s, tuple(sorted(facts.get(s.id, ()), key=lambda k: (
                -k.independent_sources, -len(k.doc_ids), -len(k.claim_ids), order[k.id]))),
                tuple(touching.get(s.id, ())), n)
            for n, s in enumerate(ranked)}
        rows = list(self.rows.values())
        self._sorted = {
            "origins": rows,
            "documents": sorted(rows, key=lambda r: (-len(r.story.doc_ids), -len(r.story.origins), r.position)),
            "conflicts": sorted(rows, key=lambda r: (-len(r.conflicts), r.position)),
        }

    def __len__(self) -> int:
        return len(self.rows)

    def story(self, story_id: str) -> StoryRow | None:
        return self.rows.get(story_id)

    def of_cluster(self, cluster_id: str) -> StoryRow | None:
        """The story a cluster of the view belongs to, if any."""
        sid = self.story_of.get(cluster_id)
        return self.rows.get(sid) if sid is not None else None

    def search(self, *, text: str | None = None, several: bool = False, sort: str = "origins") -> list[StoryRow]:
        """The stories whose label, titles or claims hold `text` (normalised), or whose id or a
        fact's id holds it as typed; only those told by several documents with `several`;
        in the order `sort` (a key of STORY_SORTS) names."""
        rows: Sequence[StoryRow] = self._sorted.get(sort, self._sorted["origins"])
        raw = " ".join((text or "").split()).casefold()
        query = normalize_text(text or "")
        if several:
            rows = [r for r in rows if r.several]
        if raw:
            found = self.texts.warm() if query else {}
            rows = [r for r in rows if (query and query in found.get(r.story.id, ""))
                    or raw in r.story.id.casefold() or any(raw in k.id.casefold() for k in r.facts)]
        return list(rows)
