"""Re-applying the decisions log to an analysis: the reviewed clusters, verdicts and conflicts of a run."""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..cluster import cluster_id
from ..model import Claim, Cluster, Conflict, Document, Story
from ..origins import score_independence
from ..report.review_marks import Mark, ReviewMarks
from .decisions import VERDICTS, Decision

if TYPE_CHECKING:
    from .. import Analysis

OUTCOMES = ("applied", "orphaned", "superseded", "undone")


@dataclass(frozen=True)
class Outcome:
    """What became of one decision in this run; `cluster_id` is where it now shows, if anywhere."""

    decision: Decision
    status: str                        # one of OUTCOMES
    detail: str
    cluster_id: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A reviewer's verdict as it applies to a cluster of this run."""

    cluster_id: str
    rating: str                        # a key of VERDICTS
    note: str
    reviewer: str
    created_at: str | None
    decision_id: int | None
    inherited_from: str | None = None  # the cluster id it was given on, when the cluster changed since

    @property
    def label(self) -> str:
        return VERDICTS[self.rating][0]


@dataclass(frozen=True)
class Reviewed:
    """An analysis with the reviewers' decisions applied, and what became of each decision.

    `analysis` still meets the output contract (its clusters partition its claims); conflicts
    that reviewers marked "not a conflict" move from it to `dismissed`.
    """

    analysis: Analysis
    outcomes: tuple[Outcome, ...] = ()
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)
    conflict_marks: Mapping[tuple[str, str], Decision] = field(default_factory=dict)
    dismissed: tuple[Conflict, ...] = ()
    reviewed_claims: frozenset[str] = frozenset()
    cluster_of: Mapping[str, str] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def _by_id(self) -> dict[str, Cluster]:
        return {cluster.id: cluster for cluster in self.analysis.clusters}

    def cluster(self, cluster_id: str) -> Cluster | None:
        """The cluster with this id in the reviewed view, or None."""
        return self._by_id.get(cluster_id)

    def conflict(self, claim_a: str, claim_b: str) -> Conflict | None:
        """The conflict between two claims (kept or dismissed), in either order, or None."""
        pair = {claim_a, claim_b}
        for x in (*self.analysis.conflicts, *self.dismissed):
            if {x.claim_a, x.claim_b} == pair:
                return x
        return None

    def is_reviewed(self, cluster: Cluster) -> bool:
        """A verdict, or any decision in force on one of its claims."""
        return cluster.id in self.verdicts or not self.reviewed_claims.isdisjoint(cluster.claim_ids)

    def outcomes_for(self, cluster: Cluster) -> list[Outcome]:
        """The outcomes that show on this cluster or name one of its claims."""
        members = set(cluster.claim_ids)
        return [o for o in self.outcomes
                if o.cluster_id == cluster.id or (o.decision.claim_ids() & members)]

    @property
    def orphaned(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "orphaned"]


class _Partition:
    """Claims in numbered groups; decisions move claims between groups."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self.group: dict[str, int] = {}
        self.members: dict[int, set[str]] = {}
        self._next = 0
        for ids in groups:
            self.new_group(ids)

    def new_group(self, ids: Iterable[str]) -> int:
        gid, self._next = self._next, self._next + 1
        self.members[gid] = set()
        self.move(ids, gid)
        return gid

    def move(self, ids: Iterable[str], gid: int) -> None:
        for claim in list(ids):
            old = self.group.get(claim)
            if old is not None:
                self.members[old].discard(claim)
                if not self.members[old]:
                    del self.members[old]
            self.group[claim] = gid
            self.members[gid].add(claim)

    def holding_most(self, ids: Iterable[str]) -> int:
        """The group holding most of `ids` (the oldest group on a tie)."""
        counts = Counter(self.group[c] for c in ids)
        return min(counts, key=lambda g: (-counts[g], g))


def _replay(decision: Decision, part: _Partition, present: set[str]) -> tuple[str, str]:
    """Apply one membership decision to `part`; return (status, detail)."""
    p = decision.payload
    if decision.action in ("confirm", "reject"):
        claim = p["claim"]
        partners = [m for m in p.get("members", ()) if m != claim]
        live = [m for m in partners if m in present]
        if claim not in present:
            return "orphaned", f"claim {claim} is not in this run"
        if partners and not live:
            return "orphaned", f"none of the other claims of {p.get('cluster')} is in this run"
        if decision.action == "confirm":
            if not live or part.group[claim] == part.holding_most(live):
                return "applied", "still with the claims it was confirmed with"
            part.move([claim], part.holding_most(live))
            return "applied", "kept with the claims it was confirmed with"
        if any(part.group[m] == part.group[claim] for m in live):
            part.new_group([claim])
            return "applied", f"kept out of the claims of {p.get('cluster')}"
        return "applied", f"already apart from the claims of {p.get('cluster')}"
    if decision.action == "merge":
        groups = [[m for m in g if m in present] for g in p.get("groups", ())]
        gone = [k for k, g in zip(p.get("clusters", ()), groups) if not g]
        live = [m for g in groups for m in g]
        if len(groups) - len(gone) < 2:
            return "orphaned", f"the claims of {', '.join(gone)} are not in this run"
        gids = sorted({part.group[m] for m in live})
        if len(gids) == 1:
            return "applied", "already one cluster in this run"
        part.move([m for g in gids[1:] for m in list(part.members[g])], gids[0])
        return "applied", f"kept {len(groups) - len(gone)} clusters merged"
    # split
    moved = [m for m in p.get("moved", ()) if m in present]
    rest = [m for m in p.get("members", ()) if m not in p.get("moved", ()) and m in present]
    if not moved or not rest:
        side = "moved claims" if not moved else "claims left behind"
        return "orphaned", f"none of the {side} of {p.get('cluster')} is in this run"
    rest_groups = {part.group[m] for m in rest}
    mixed = [m for m in moved if part.group[m] in rest_groups]
    if not mixed:
        return "applied", "already apart in this run"
    apart = [m for m in moved if m not in mixed]
    if apart:
        part.move(mixed, part.holding_most(apart))
    else:
        part.new_group(mixed)
    return "applied", f"kept {len(moved)} claim(s) apart from the other {len(rest)}"


def _regroup(ids: Sequence[str], claims: Mapping[str, Claim], docs: Mapping[str, Document]) -> Cluster:
    """A cluster whose members a reviewer changed: new id, sources counted again as the pipeline
    does."""
    doc_ids = tuple(dict.fromkeys(claims[i].doc_id for i in ids))
    return score_independence(Cluster(id=cluster_id(ids), claim_ids=tuple(ids), doc_ids=doc_ids), claims, docs)


def _place_verdicts(pending: Sequence[Decision], positions: Sequence[int], clusters: Sequence[Cluster],
                    present: set[str], results: dict[int, tuple[str, str, str | None]]) -> dict[str, Verdict]:
    """Put each verdict on the cluster holding most of its claims; record outcomes in `results`.

    Ties go to the cluster the verdict's claims make the larger share of, then the earlier
    one. Where several verdicts land on one cluster, the one most of its claims came from
    wins (then the later decision); the others are superseded.
    """
    cluster_of = {m: c.id for c in clusters for m in c.claim_ids}
    by_id = {c.id: c for c in clusters}
    rank = {c.id: i for i, c in enumerate(clusters)}
    homes: dict[str, list[tuple[int, Decision]]] = {}
    for pos, d in zip(positions, pending):
        counts = Counter(cluster_of[m] for m in d.payload["members"] if m in present)
        home = min(counts, key=lambda k: (-counts[k], -counts[k] / len(by_id[k].claim_ids), rank[k]))
        homes.setdefault(home, []).append((pos, d))
    verdicts: dict[str, Verdict] = {}
    for home, candidates in homes.items():
        members = set(by_id[home].claim_ids)
        shares = {pos: len(members & set(d.payload["members"])) for pos, d in candidates}
        winner, d = max(candidates, key=lambda c: (shares[c[0]], c[1].id or 0))
        given_on = d.payload.get("cluster")
        changed = set(d.payload["members"]) != members
        verdicts[home] = Verdict(home, d.payload["verdict"], d.note, d.reviewer, d.created_at, d.id,
                                 inherited_from=given_on if changed else None)
        detail = (f"inherited by {home} ({shares[winner]} of its {len(members)} claims came from "
                  f"{given_on})") if changed else ""
        for pos, _d in candidates:
            results[pos] = (("applied", detail, home) if pos == winner else
                            ("superseded", (f"{home} follows #{d.id}, which more of its claims came "
                                            "from or which is later"), home))
    return verdicts


def _mark_conflicts(conflicts: Sequence[Conflict], marks: Mapping[tuple[str, str], Decision]
                    ) -> tuple[list[Conflict], list[Conflict]]:
    """(kept, dismissed): "not a conflict" dismisses a flagged pair; "real" keeps it, or adds it
    back when this run no longer flags it. `marks` are keyed by the sorted claim-id pair."""
    kept: list[Conflict] = []
    dismissed: list[Conflict] = []
    for x in conflicts:
        mark = marks.get(tuple(sorted((x.claim_a, x.claim_b))))
        (dismissed if mark is not None and not mark.payload.get("real") else kept).append(x)
    flagged = {tuple(sorted((x.claim_a, x.claim_b))) for x in conflicts}
    for (a, b), d in sorted(marks.items()):
        if d.payload.get("real") and (a, b) not in flagged:
            why = d.payload.get("explanation")
            said = d.payload.get("said_by") or ()
            kept.append(Conflict(claim_a=a, claim_b=b, score=float(d.payload.get("score") or 1.0),
                                 temporal=d.payload.get("temporal") or "unknown",
                                 explanation=f"marked real by {d.reviewer}" + (f": {why}" if why else ""),
                                 scope="review", kind=d.payload.get("kind") or "contradiction",
                                 said_by=tuple(said) if len(said) == 2 else ()))
    return kept, dismissed


def _restory(stories: Sequence[Story], clusters: Sequence[Cluster], claims: Mapping[str, Claim]
             ) -> tuple[list[Cluster], tuple[Story, ...]]:
    """The run's stories over the reviewed clusters. An unchanged cluster keeps its story; one a
    reviewer changed joins the story most of its documents are in (the stories stage's rule), and
    a story whose facts changed lists them anew, with its origins counted again; the others are
    the pipeline's objects. Sorted as the stage sorts them (independent origins first)."""
    if not stories:
        return list(clusters), tuple(stories)
    story_of_doc = {d: s.id for s in stories for d in s.doc_ids}
    placed: list[Cluster] = []
    for c in clusters:
        if c.story is None:
            votes = Counter(story_of_doc[d] for d in c.doc_ids if d in story_of_doc)
            if votes:
                c = dataclasses.replace(c, story=min(votes, key=lambda s: (-votes[s], s)))
        placed.append(c)
    held: dict[str, list[Cluster]] = defaultdict(list)
    for c in placed:
        if c.story is not None:
            held[c.story].append(c)
    out = []
    for s in stories:
        facts = held.get(s.id, [])
        if {c.id for c in facts} == set(s.cluster_ids):
            out.append(s)
            continue
        origins = sorted({claims[i].origin or f"doc:{claims[i].doc_id}" for c in facts for i in c.claim_ids})
        out.append(dataclasses.replace(s, cluster_ids=tuple(c.id for c in facts), origins=tuple(origins)))
    out.sort(key=lambda s: (-len(s.origins), -len(s.doc_ids), s.id))
    return placed, tuple(out)


def apply_decisions(analysis: Analysis, decisions: Sequence[Decision]) -> Reviewed:
    """Re-apply the decisions log (oldest first) to a run's analysis.

    Membership decisions are replayed in order on the claims they named, so they hold even
    where the run clustered differently: a rejected claim leaves the cluster holding the
    claims it was rejected from, a merge joins the clusters now holding the merged claims,
    a split moves the split-off claims away from the rest, a confirm keeps a claim with its
    cluster. A verdict goes to the cluster holding most of the claims it was given on; where
    two verdicts land on one cluster, the one more of its claims came from wins (then the
    later). A decision none of whose claims (or one side of which) is in the run is
    "orphaned", and stays in the log for a later run that has them again. The run's stories
    follow the reviewed clusters (`_restory`).
    """
    claims = {c.id: c for c in analysis.claims}
    docs = {d.id: d for d in analysis.documents}
    order = {c.id: i for i, c in enumerate(analysis.claims)}
    present = set(claims)
    part = _Partition(c.claim_ids for c in analysis.clusters)
    undone_by = {d.payload.get("decision"): d.id for d in decisions if d.action == "undo"}

    results: dict[int, tuple[str, str, str | None]] = {}    # position -> status, detail, anchor claim
    marks: dict[tuple[str, str], int] = {}
    pending: list[int] = []
    for pos, d in enumerate(decisions):
        if d.action == "undo":
            results[pos] = ("applied", f"undid #{d.payload.get('decision')}", None)
        elif d.id in undone_by:
            results[pos] = ("undone", f"undone by #{undone_by[d.id]}", None)
        elif d.action in ("confirm", "reject", "merge", "split"):
            status, detail = _replay(d, part, present)
            anchor = d.payload.get("claim") or next(
                (m for m in (*d.payload.get("moved", ()), *sorted(d.claim_ids())) if m in present), None)
            results[pos] = (status, detail, anchor if status == "applied" else None)
        elif d.action == "conflict":
            a, b = d.payload["claim_a"], d.payload["claim_b"]
            if a not in present or b not in present:
                gone = " and ".join(x for x in (a, b) if x not in present)
                results[pos] = ("orphaned", f"claim {gone} is not in this run", None)
                continue
            if (a, b) in marks:
                earlier = marks[(a, b)]
                results[earlier] = ("superseded", f"the pair was marked again by #{d.id}", None)
            marks[(a, b)] = pos
            results[pos] = ("applied", "", a)
        elif d.action == "verdict":
            if not any(m in present for m in d.payload.get("members", ())):
                results[pos] = ("orphaned", (f"none of the claims of {d.payload.get('cluster')} "
                                             "is in this run"), None)
            else:
                pending.append(pos)

    # Final clusters: a group with exactly an original cluster's members keeps that cluster.
    originals = {frozenset(c.claim_ids): c for c in analysis.clusters}
    clusters: list[Cluster] = []
    for members in part.members.values():
        ids = sorted(members, key=order.__getitem__)
        clusters.append(originals.get(frozenset(ids)) or _regroup(ids, claims, docs))
    clusters.sort(key=lambda c: (-len(c.claim_ids), order[c.claim_ids[0]]))
    cluster_of = {m: c.id for c in clusters for m in c.claim_ids}
    verdicts = _place_verdicts([decisions[pos] for pos in pending], pending, clusters, present, results)

    live_marks = {pair: decisions[pos] for pair, pos in marks.items()}
    kept_conflicts, dismissed = _mark_conflicts(analysis.conflicts, live_marks)
    flagged = {tuple(sorted((x.claim_a, x.claim_b))) for x in analysis.conflicts}
    for pair, pos in marks.items():
        real = decisions[pos].payload.get("real")
        results[pos] = ("applied", "kept as a conflict" if real and pair in flagged else
                        "added back as a conflict" if real else "removed from the conflicts",
                        cluster_of[pair[0]])

    involved = {x.claim_a for x in kept_conflicts} | {x.claim_b for x in kept_conflicts}
    final: list[Cluster] = []
    for c in clusters:
        base = c.status if c.status != "conflicted" else score_independence(
            c, claims, docs).status
        status = "conflicted" if involved.intersection(c.claim_ids) else base
        final.append(c if status == c.status else dataclasses.replace(c, status=status))

    final, stories = _restory(analysis.stories, final, claims)

    outcomes = []
    for pos, d in enumerate(decisions):
        status, detail, anchor = results.get(pos, ("applied", "", None))
        where = anchor if anchor is None or anchor.startswith("k-") else cluster_of.get(anchor)
        outcomes.append(Outcome(d, status, detail, where))
    # A verdict marks its own cluster reviewed (see Reviewed.is_reviewed), not stray members.
    reviewed_claims = frozenset(m for o in outcomes if o.status == "applied"
                                and o.decision.action not in ("verdict", "undo")
                                for m in o.decision.claim_ids() if m in present)
    return Reviewed(analysis=dataclasses.replace(analysis, clusters=tuple(final), conflicts=tuple(kept_conflicts),
                                                 stories=stories),
                    outcomes=tuple(outcomes), verdicts=verdicts, conflict_marks=live_marks,
                    dismissed=tuple(dismissed), reviewed_claims=reviewed_claims, cluster_of=cluster_of)


def report_marks(reviewed: Reviewed) -> ReviewMarks:
    """The decisions in force, keyed by what they apply to, for the markdown report and the page.

    Verdicts, merges and splits go to the cluster now holding their claims; "belongs here" /
    "not this fact" to the claim (the latest of the two wins); conflict marks to the pair;
    decisions whose claims are not in this run to `orphaned`.
    """
    def mark(d: Decision, kind: str, **extra: object) -> Mark:
        return Mark(kind, d.reviewer, d.note, d.id, (d.created_at or "")[:10] or None, **extra)

    clusters: dict[str, list[Mark]] = {}
    claims: dict[str, Mark] = {}
    for home, v in reviewed.verdicts.items():
        clusters.setdefault(home, []).append(
            Mark("verdict", v.reviewer, v.note, v.decision_id, (v.created_at or "")[:10] or None,
                 rating=v.rating, since=v.inherited_from))
    orphaned = []
    for o in reviewed.outcomes:
        d, p = o.decision, o.decision.payload
        if o.status == "orphaned":
            orphaned.append(mark(d, "orphaned", summary=d.summary(), detail=o.detail))
        if o.status != "applied":
            continue
        if d.action in ("confirm", "reject") and p.get("claim") in reviewed.cluster_of:
            claims[p["claim"]] = mark(d, "belongs" if d.action == "confirm" else "not-this-fact",
                                      clusters=(p.get("cluster", ""),))
        elif d.action == "merge" and o.cluster_id:
            clusters.setdefault(o.cluster_id, []).append(mark(d, "merged", clusters=tuple(p.get("clusters", ()))))
        elif d.action == "split":
            moved = [m for m in p.get("moved", ()) if m in reviewed.cluster_of]
            rest = [m for m in p.get("members", ()) if m not in p.get("moved", ()) and m in reviewed.cluster_of]
            if moved:
                clusters.setdefault(reviewed.cluster_of[moved[0]], []).append(
                    mark(d, "split-off", clusters=(p.get("cluster", ""),)))
            if rest:
                clusters.setdefault(reviewed.cluster_of[rest[0]], []).append(
                    mark(d, "split-rest", count=len(p.get("moved", ()))))
    conflicts = {pair: mark(d, "real" if d.payload.get("real") else "not-real")
                 for pair, d in reviewed.conflict_marks.items()}
    dismissed = tuple((x, conflicts[tuple(sorted((x.claim_a, x.claim_b)))]) for x in reviewed.dismissed)
    return ReviewMarks(clusters={k: tuple(v) for k, v in clusters.items()},
                       claims={k: (v,) for k, v in claims.items()}, conflicts=conflicts,
                       dismissed=dismissed, orphaned=tuple(orphaned))
