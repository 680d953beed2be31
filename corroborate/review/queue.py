"""The review queue: filtering reviewed clusters, and each claim shown inside its article paragraph."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Claim, Cluster, Document
from .apply import Reviewed


@dataclass(frozen=True)
class Filters:
    """What `review list` and the queue page narrow the clusters by; None means any."""

    status: str | None = None          # corroborated / relayed / single-source / conflicted
    outlet: str | None = None          # substring of an outlet name, any case
    reviewed: bool | None = None       # True: has a verdict or a decision in force
    conflicted: bool | None = None     # True: a member claim is in a conflict still flagged
    text: str | None = None            # substring of a member claim's text
    min_claims: int = 1


def filter_clusters(reviewed: Reviewed, filters: Filters) -> list[Cluster]:
    """The clusters of the reviewed view that pass `filters`, in report order."""
    claims = {c.id: c for c in reviewed.analysis.claims}
    outlets_of = {d.id: (d.outlet or "") for d in reviewed.analysis.documents}
    involved = {x.claim_a for x in reviewed.analysis.conflicts} | {x.claim_b for x in reviewed.analysis.conflicts}
    found = []
    for cluster in reviewed.analysis.clusters:
        if len(cluster.claim_ids) < filters.min_claims:
            continue
        if filters.status and cluster.status != filters.status:
            continue
        if filters.outlet:
            names = {*cluster.outlets, *(outlets_of.get(d, "") for d in cluster.doc_ids)}
            if not any(filters.outlet.casefold() in n.casefold() for n in names):
                continue
        if filters.reviewed is not None and reviewed.is_reviewed(cluster) != filters.reviewed:
            continue
        if filters.conflicted is not None and bool(involved.intersection(cluster.claim_ids)) != filters.conflicted:
            continue
        if filters.text and not any(filters.text.casefold() in claims[i].text.casefold()
                                    for i in cluster.claim_ids):
            continue
        found.append(cluster)
    return found


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
