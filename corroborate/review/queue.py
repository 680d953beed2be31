"""The review queue: searching, filtering, sorting and paging reviewed clusters; claims in their paragraphs.

Search goes through the project's one Arabic normaliser (`text.normalize.normalize_text`):
«ايران» finds «إيران», «الاميركية» «الأميركية», «قااني» «قاآني»; outlet names match in
Arabic or English (sources.tsv aliases); a query that is part of a cluster or claim id (or a
document id) finds those clusters.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..model import Claim, Cluster, Document
from ..report.sections import doc_names
from ..text import sources
from ..text.normalize import normalize_text
from .apply import Reviewed

SORTS = {
    "report": "size (report order)",
    "origins": "independent origins",
    "conflicts": "conflicts",
    "recent": "most recent",
}
T = TypeVar("T")


@dataclass(frozen=True)
class Filters:
    """What `review list` and the queue page narrow the clusters by; None means any."""

    status: str | None = None          # corroborated / relayed / single-source / conflicted
    outlet: str | None = None          # part of an outlet's name, in Arabic or English, any case
    reviewed: bool | None = None       # True: has a verdict or a decision in force
    conflicted: bool | None = None     # True: a member claim is in a conflict still flagged
    text: str | None = None            # part of a member claim's text (normalised), or of an id
    min_claims: int = 1
    sort: str = "report"               # a key of SORTS


@functools.cache
def outlet_keys(outlet: str) -> tuple[str, ...]:
    """An outlet's name and its other spellings (sources.tsv), normalised for matching."""
    names = {outlet}
    known = sources.BY_NAME.get(outlet) or sources.BY_NAME.get(sources.lookup(outlet) or "")
    if known is not None:
        names.update((known.name, *known.aliases))
    return tuple(sorted({normalize_text(n.strip("\"'«»")) for n in names if n.strip()}))


class ClaimTexts:
    """Normalised claim texts of one run, computed once (the reviewed view is rebuilt on every
    decision; claims do not change). Thread-safe; `warm()` fills it ahead of the first search."""

    def __init__(self, claims: Iterable[Claim]) -> None:
        self._claims = {c.id: c.text for c in claims}
        self._norm: dict[str, str] | None = None
        self._lock = threading.Lock()

    def warm(self) -> dict[str, str]:
        with self._lock:
            if self._norm is None:
                self._norm = {i: normalize_text(t) for i, t in self._claims.items()}
            return self._norm


class Desk:
    """Search, filters and sort keys over one reviewed view (built once per view, cheap to query)."""

    def __init__(self, reviewed: Reviewed, texts: ClaimTexts | None = None) -> None:
        analysis = reviewed.analysis
        self.reviewed = reviewed
        self.texts = texts or ClaimTexts(analysis.claims)
        self.docs: dict[str, Document] = {d.id: d for d in analysis.documents}
        self.claims: dict[str, Claim] = {c.id: c for c in analysis.claims}
        self.names = doc_names(analysis.documents)        # one display name per document, as in the report
        self.order = {k.id: i for i, k in enumerate(analysis.clusters)}
        conflicts: dict[str, int] = {}
        for x in analysis.conflicts:
            for cid in {reviewed.cluster_of.get(x.claim_a), reviewed.cluster_of.get(x.claim_b)} - {None}:
                conflicts[cid] = conflicts.get(cid, 0) + 1
        self.conflicts = conflicts                         # cluster id -> kept conflicts touching it
        self.involved = {c for x in analysis.conflicts for c in (x.claim_a, x.claim_b)}

    def latest(self, cluster: Cluster) -> str:
        """The newest publication date among the cluster's documents ("" when none is dated)."""
        return max((self.docs[d].published or "" for d in cluster.doc_ids if d in self.docs), default="")

    def doc_list(self, cluster: Cluster) -> list[str]:
        """The display names of the cluster's documents, in order, each once."""
        return list(dict.fromkeys(self.names.get(d, d) for d in cluster.doc_ids))

    def origin_name(self, origin: str) -> str:
        """An origin as the page names it: a document's own origin by the document's display name."""
        return self.names.get(origin[4:], origin[4:]) if origin.startswith("doc:") else origin

    def _outlet_match(self, cluster: Cluster, query: str) -> bool:
        for doc_id in cluster.doc_ids:
            doc = self.docs.get(doc_id)
            keys = outlet_keys(doc.outlet) if doc is not None and doc.outlet else ()
            if any(query in k for k in keys) or query in normalize_text(self.names.get(doc_id, "")):
                return True
        return False

    def _text_match(self, cluster: Cluster, query: str, raw: str, norm: Mapping[str, str]) -> bool:
        if raw and (raw in cluster.id.casefold() or any(raw in c.casefold() for c in cluster.claim_ids)):
            return True
        return bool(query) and any(query in norm.get(c, "") for c in cluster.claim_ids)

    def search(self, filters: Filters) -> list[Cluster]:
        """The clusters that pass `filters`, in the order `filters.sort` names."""
        reviewed = self.reviewed
        found: Sequence[Cluster] = reviewed.analysis.clusters
        outlet = normalize_text(filters.outlet or "")
        raw = " ".join((filters.text or "").split()).casefold()
        query = normalize_text(filters.text or "")
        norm = self.texts.warm() if query else {}
        if (filters.status or outlet or raw or filters.reviewed is not None
                or filters.conflicted is not None or filters.min_claims > 1):
            found = [k for k in found
                     if len(k.claim_ids) >= filters.min_claims
                     and (not filters.status or k.status == filters.status)
                     and (filters.reviewed is None or reviewed.is_reviewed(k) == filters.reviewed)
                     and (filters.conflicted is None
                          or bool(self.involved.intersection(k.claim_ids)) == filters.conflicted)
                     and (not outlet or self._outlet_match(k, outlet))
                     and (not raw or self._text_match(k, query, raw, norm))]
        if filters.sort == "origins":
            return sorted(found, key=lambda k: -k.independent_sources)
        if filters.sort == "conflicts":
            return sorted(found, key=lambda k: -self.conflicts.get(k.id, 0))
        if filters.sort == "recent":         # newest first, undated last; ties keep report order
            return sorted(found, key=self.latest, reverse=True)
        return list(found)


def filter_clusters(reviewed: Reviewed, filters: Filters) -> list[Cluster]:
    """The clusters of the reviewed view that pass `filters` (see `Desk.search`)."""
    return Desk(reviewed).search(filters)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, its number (from 1), how many pages and items in all."""

    items: Sequence[T]
    number: int
    pages: int
    total: int
    first: int                   # 1-based position of the first item (0 when empty)


def paginate(items: Sequence[T], number: int, per: int) -> Page[T]:
    """Page `number` (clamped to 1..pages) of `items`, `per` to a page."""
    pages = max(1, -(-len(items) // per))
    number = min(max(1, number), pages)
    start = (number - 1) * per
    return Page(items[start:start + per], number, pages, len(items), start + 1 if items else 0)


@dataclass(frozen=True)
class InContext:
    """A claim's paragraph cut in three, so a template can escape each part and mark the middle."""

    before: str
    span: str
    after: str


def _paragraph(text: str, start: int, end: int, width: int) -> InContext:
    # A paragraph is the run of lines between blank lines; seeds put one paragraph a line.
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    before, after = text[left:start], text[end:right]
    if len(before) > width:
        before = "…" + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + "…"
    return InContext(before, text[start:end], after)


def claim_in_context(doc: Document, claim: Claim, *, width: int = 400) -> InContext:
    """The claim's span inside its paragraph, at most `width` characters either side.

    Claim offsets index `doc.text`; for HTML the paragraph comes from the readable view
    (`doc.view`), so the page shows article text, not markup.
    """
    if doc.view is None:
        return _paragraph(doc.text, claim.start, claim.end, width)
    offsets: Sequence[int] = doc.view.offsets
    start = bisect.bisect_left(offsets, claim.start)
    end = max(start, bisect.bisect_left(offsets, claim.end))
    return _paragraph(doc.view.text, start, min(end, len(doc.view.text)), width)
