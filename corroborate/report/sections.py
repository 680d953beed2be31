"""What each part of a report lists: the one place the markdown, its summary and the pictures count from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Cluster, Conflict, Document
from .escape import md_code, md_text

if TYPE_CHECKING:
    from ..analysis import Analysis

TEMPORAL_SECTIONS = (("different-period", "updates"), ("same-period", "contradictions"),
                     ("unknown", "undated"))


@dataclass(frozen=True)
class Sections:
    """The clusters and conflicts each report section lists, in report order.

    Every cluster is in exactly one of the four cluster lists, the one its `status` names;
    every conflict is in one of the three conflict lists, numbered (from 1) by its place in
    `Analysis.conflicts`, as on the timeline picture.
    """

    corroborated: tuple[Cluster, ...]
    conflicted: tuple[Cluster, ...]
    relayed: tuple[Cluster, ...]
    single: tuple[Cluster, ...]
    updates: tuple[tuple[int, Conflict], ...]
    contradictions: tuple[tuple[int, Conflict], ...]
    undated: tuple[tuple[int, Conflict], ...]

    @property
    def clusters(self) -> int:
        return len(self.corroborated) + len(self.conflicted) + len(self.relayed) + len(self.single)

    @property
    def conflicts(self) -> int:
        return len(self.updates) + len(self.contradictions) + len(self.undated)


def report_sections(analysis: Analysis) -> Sections:
    """Split the clusters by status and the conflicts by timing, for the report and its summary."""
    by_status: dict[str, list[Cluster]] = {}
    for cluster in analysis.clusters:
        by_status.setdefault(cluster.status, []).append(cluster)
    unknown = set(by_status) - {"corroborated", "conflicted", "relayed", "single-source"}
    if unknown:
        raise ValueError(f"cluster status {sorted(unknown)} has no report section")
    numbered = list(enumerate(analysis.conflicts, 1))
    timing = {key: tuple((n, c) for n, c in numbered if c.temporal == temporal)
              for temporal, key in TEMPORAL_SECTIONS}
    return Sections(corroborated=tuple(by_status.get("corroborated", ())),
                    conflicted=tuple(by_status.get("conflicted", ())),
                    relayed=tuple(by_status.get("relayed", ())),
                    single=tuple(by_status.get("single-source", ())), **timing)


def _short_title(title: str, words: int = 5) -> str:
    parts = title.split()
    return "«" + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + "»"


def _doc_bases(documents: Sequence[Document]) -> dict[str, tuple[str, bool, int | None]]:
    """Document id -> (base name, is it a file name, number among documents sharing the name)."""
    base: dict[str, tuple[str, bool]] = {}
    for d in documents:
        if d.outlet and d.outlet.strip():
            base[d.id] = (" ".join(d.outlet.split()), False)
        elif d.title and d.title.strip():
            base[d.id] = (_short_title(d.title), False)
        else:
            suffix = d.path.suffix if d.path is not None and d.path.suffix != ".jsonl" else ""
            base[d.id] = (f"{d.id}{suffix}", True)
    shared = {name for name, n in Counter(base.values()).items() if n > 1}
    seen: Counter[tuple[str, bool]] = Counter()
    named = {}
    for d in documents:
        number = None
        if base[d.id] in shared:
            seen[base[d.id]] += 1
            number = seen[base[d.id]]
        named[d.id] = (*base[d.id], number)
    return named


def doc_names(documents: Sequence[Document]) -> dict[str, str]:
    """Document id -> its display name as plain text, unique within `documents`: the one name
    the report (`doc_labels`) and the review page give a document.

    The name is the outlet; for a document without one, the first words of its title in «»,
    else its file name. Documents that would share a name are numbered in input order:
    "Al Jazeera (2)".
    """
    return {i: name + (f" ({n})" if n else "") for i, (name, _, n) in _doc_bases(documents).items()}


def doc_labels(documents: Sequence[Document]) -> dict[str, str]:
    """Document id -> `doc_names`' name as markdown: escaped, a file name as `code`."""
    return {i: (md_code(name) if is_file else md_text(name)) + (f" ({n})" if n else "")
            for i, (name, is_file, n) in _doc_bases(documents).items()}


@dataclass(frozen=True)
class TimelineRows:
    """The conflicts the timeline draws (numbered as in the report) and those it leaves out."""

    shown: tuple[int, ...]
    untimed: tuple[int, ...]         # a claim without a time: nothing to place
    beyond: tuple[int, ...]          # over the picture's row limit


def timeline_rows(analysis: Analysis, *, limit: int = 30) -> TimelineRows:
    """Which conflicts the timeline picture draws: those whose two claims both have a time,
    at most `limit` of them, in report order."""
    times = {c.id: c.time for c in analysis.claims}
    timed, untimed = [], []
    for n, conflict in enumerate(analysis.conflicts, 1):
        (timed if times.get(conflict.claim_a) and times.get(conflict.claim_b) else untimed).append(n)
    return TimelineRows(shown=tuple(timed[:limit]), untimed=tuple(untimed), beyond=tuple(timed[limit:]))


def number_ranges(numbers: Sequence[int], sep: str = ", ") -> str:
    """[3, 4, 5, 9] -> "#3–#5, #9"."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(f"#{run[0]}" if len(run) == 1 else f"#{run[0]}–#{run[-1]}")
        run = [n]
    if run:
        out.append(f"#{run[0]}" if len(run) == 1 else f"#{run[0]}–#{run[-1]}")
    return sep.join(out)


@dataclass(frozen=True)
class OutletGrid:
    """What the outlets picture draws: claims per source (rows) in the largest clusters (columns)."""

    clusters: tuple[Cluster, ...]
    rows: tuple[str, ...]                    # the last is "other N sources" when `others`
    counts: tuple[tuple[int, ...], ...]      # counts[row][column]: claims
    multi_doc: int                           # clusters spanning several documents, in all
    others: int                              # sources summed in the last row


def outlet_grid(analysis: Analysis, *, max_clusters: int = 30, max_rows: int = 20) -> OutletGrid | None:
    """The `max_clusters` clusters spanning most documents and the `max_rows` sources carrying
    most of them; the other sources are summed in one last row. None when no cluster spans
    several documents. A source is an outlet, or a document's id when it has none."""
    order = {c.id: n for n, c in enumerate(analysis.clusters)}
    multi = sorted((c for c in analysis.clusters if len(c.doc_ids) > 1),
                   key=lambda c: (-len(c.doc_ids), -len(c.claim_ids), order[c.id]))
    if not multi:
        return None
    shown = multi[:max_clusters]
    source = {d.id: d.outlet or d.id for d in analysis.documents}
    doc_of = {c.id: c.doc_id for c in analysis.claims}
    cells: dict[str, Counter[int]] = {}
    for j, cluster in enumerate(shown):
        for cid in cluster.claim_ids:
            cells.setdefault(source[doc_of[cid]], Counter())[j] += 1
    ranked = sorted(cells, key=lambda s: (-len(cells[s]), -sum(cells[s].values()), s))
    rows, rest = ranked[:max_rows], ranked[max_rows:]
    counts = [tuple(cells[s][j] for j in range(len(shown))) for s in rows]
    labels = list(rows)
    if rest:
        labels.append(f"other {len(rest)} sources")
        counts.append(tuple(sum(cells[s][j] for s in rest) for j in range(len(shown))))
    return OutletGrid(clusters=tuple(shown), rows=tuple(labels), counts=tuple(counts),
                      multi_doc=len(multi), others=len(rest))
