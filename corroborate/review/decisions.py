"""Review decisions: what a reviewer said, with the claims it was said about, checked against the current view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CorroborateError

if TYPE_CHECKING:
    from .apply import Reviewed

ACTIONS = ("confirm", "reject", "merge", "split", "conflict", "verdict", "undo")

# ClaimReview's reviewRating: name shown to readers and ratingValue on a 1 (false) to 5 (true)
# scale; "unproven" has no place on that scale, so it carries a name only.
VERDICTS: dict[str, tuple[str, int | None]] = {
    "true": ("True", 5),
    "mostly-true": ("Mostly true", 4),
    "mixed": ("Mixed", 3),
    "mostly-false": ("Mostly false", 2),
    "false": ("False", 1),
    "unproven": ("Unproven", None),
}


class DecisionError(CorroborateError):
    """A decision cannot be made as asked (unknown id, nothing to split, ...)."""


@dataclass(frozen=True)
class Decision:
    """One line of the append-only decisions log.

    `payload` holds the claim ids the reviewer saw (cluster members, the claims moved by a
    split, the conflict pair), so the decision can be re-applied to a later run whose
    cluster ids differ. `id`, `created_at` and `run_id` are set by the store.
    """

    action: str
    target: str                        # cluster id, claim id, "claim_a|claim_b" or decision id
    reviewer: str
    payload: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    id: int | None = None
    created_at: str | None = None
    run_id: int | None = None

    def claim_ids(self) -> set[str]:
        """Every claim id the decision names."""
        p = self.payload
        found = set(p.get("members", ())) | set(p.get("moved", ()))
        for group in p.get("groups", ()):
            found.update(group)
        found.update(x for x in (p.get("claim"), p.get("claim_a"), p.get("claim_b")) if x)
        return found

    def summary(self) -> str:
        """One line for logs and pages, e.g. `#4 verdict k-1a2b: false`."""
        p = self.payload
        what = {
            "confirm": lambda: f"confirm {p.get('claim')} in {p.get('cluster')}",
            "reject": lambda: f"reject {p.get('claim')} from {p.get('cluster')}",
            "merge": lambda: "merge " + " + ".join(p.get("clusters", ())),
            "split": lambda: f"split {len(p.get('moved', ()))} claim(s) out of {p.get('cluster')}",
            "conflict": lambda: (f"conflict {p.get('claim_a')} vs {p.get('claim_b')}: "
                                 + ("real" if p.get("real") else "not a conflict")),
            "verdict": lambda: f"verdict {p.get('cluster')}: {p.get('verdict')}",
            "undo": lambda: f"undo #{p.get('decision')}",
        }[self.action]()
        return f"#{self.id} {what}" if self.id is not None else what


def _check_reviewer(reviewer: str) -> str:
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise DecisionError("A decision needs a reviewer name: pass --reviewer NAME.")
    return reviewer


def _cluster(view: Reviewed, cluster_id: str):
    cluster = view.cluster(cluster_id)
    if cluster is None:
        raise DecisionError(f"No cluster {cluster_id} in the current view (ids change when members "
                            "change): list the current ones with `corroborate review list`.")
    return cluster


def _claim_cluster(view: Reviewed, claim_id: str):
    cluster_id = view.cluster_of.get(claim_id)
    if cluster_id is None:
        raise DecisionError(f"No claim {claim_id} in the latest run: claim ids look like "
                            "c-DOC:START; `corroborate review show CLUSTER` lists them.")
    return view.cluster(cluster_id)


def confirm(view: Reviewed, claim_id: str, *, reviewer: str, note: str = "") -> Decision:
    """The claim belongs in its current cluster: re-applied, it is kept with those claims."""
    cluster = _claim_cluster(view, claim_id)
    return Decision("confirm", claim_id, _check_reviewer(reviewer), note=note,
                    payload={"claim": claim_id, "cluster": cluster.id, "members": list(cluster.claim_ids)})


def reject(view: Reviewed, claim_id: str, *, reviewer: str, note: str = "") -> Decision:
    """The claim does not belong in its current cluster: it leaves it, now and in later runs."""
    cluster = _claim_cluster(view, claim_id)
    if len(cluster.claim_ids) < 2:
        raise DecisionError(f"Claim {claim_id} is alone in cluster {cluster.id}: there is nothing "
                            "to reject it from. To join it to another cluster, merge the two.")
    return Decision("reject", claim_id, _check_reviewer(reviewer), note=note,
                    payload={"claim": claim_id, "cluster": cluster.id, "members": list(cluster.claim_ids)})


def merge(view: Reviewed, cluster_ids: Sequence[str], *, reviewer: str, note: str = "") -> Decision:
    """The clusters state one fact: they become one cluster, now and in later runs."""
    ids = list(dict.fromkeys(cluster_ids))
    if len(ids) < 2:
        raise DecisionError("A merge needs at least two different cluster ids, e.g. "
                            "`corroborate review merge k-1a2b k-3c4d`.")
    clusters = [_cluster(view, i) for i in ids]
    return Decision("merge", "+".join(ids), _check_reviewer(reviewer), note=note,
                    payload={"clusters": ids, "groups": [list(c.claim_ids) for c in clusters]})


def split(view: Reviewed, cluster_id: str, claim_ids: Sequence[str], *, reviewer: str,
          note: str = "") -> Decision:
    """`claim_ids` state another fact than the rest of the cluster: they move to a cluster of their own."""
    cluster = _cluster(view, cluster_id)
    moved = list(dict.fromkeys(claim_ids))
    strangers = [c for c in moved if c not in cluster.claim_ids]
    if strangers:
        raise DecisionError(f"{', '.join(strangers)} not in cluster {cluster_id}: name claims "
                            f"from `corroborate review show {cluster_id}`.")
    if not moved or len(moved) >= len(cluster.claim_ids):
        raise DecisionError(f"A split of {cluster_id} moves some of its claims, not none or all: "
                            "name the claims that state the other fact.")
    return Decision("split", cluster_id, _check_reviewer(reviewer), note=note,
                    payload={"cluster": cluster_id, "members": list(cluster.claim_ids), "moved": moved})


def mark_conflict(view: Reviewed, claim_a: str, claim_b: str, *, real: bool, reviewer: str,
                  note: str = "") -> Decision:
    """Two claims conflict (`real`) or do not; the mark follows the pair into later runs."""
    for claim_id in (claim_a, claim_b):
        _claim_cluster(view, claim_id)
    if claim_a == claim_b:
        raise DecisionError("A conflict needs two different claims.")
    a, b = sorted((claim_a, claim_b))
    found = view.conflict(a, b)
    payload: dict[str, Any] = {"claim_a": a, "claim_b": b, "real": bool(real)}
    if found is not None:
        said = list(found.said_by) if found.claim_a == a else list(reversed(found.said_by))
        payload.update(score=found.score, temporal=found.temporal, explanation=found.explanation,
                       kind=found.kind, said_by=said)
    return Decision("conflict", f"{a}|{b}", _check_reviewer(reviewer), note=note, payload=payload)


def verdict(view: Reviewed, cluster_id: str, rating: str, *, reviewer: str, note: str = "") -> Decision:
    """A verdict on the fact a cluster states, with the reviewer's note; it follows the cluster."""
    if rating not in VERDICTS:
        raise DecisionError(f"Unknown verdict {rating!r}: use one of {', '.join(VERDICTS)}.")
    cluster = _cluster(view, cluster_id)
    return Decision("verdict", cluster_id, _check_reviewer(reviewer), note=note,
                    payload={"cluster": cluster_id, "members": list(cluster.claim_ids), "verdict": rating})


def undo(decisions: Sequence[Decision], decision_id: int | None = None, *, reviewer: str,
         note: str = "") -> Decision:
    """Undo one decision (default: the latest one still in force); the log keeps both lines."""
    undone = {d.payload.get("decision") for d in decisions if d.action == "undo"}
    live = [d for d in decisions if d.action != "undo" and d.id not in undone]
    if decision_id is None:
        if not live:
            raise DecisionError("Nothing to undo: no decision is in force.")
        decision_id = live[-1].id
    by_id = {d.id: d for d in decisions}
    if decision_id not in by_id:
        raise DecisionError(f"No decision #{decision_id}: see `corroborate review log` for ids.")
    if by_id[decision_id].action == "undo":
        raise DecisionError(f"#{decision_id} is itself an undo; make the decision again instead.")
    if decision_id in undone:
        raise DecisionError(f"#{decision_id} is already undone.")
    return Decision("undo", str(decision_id), _check_reviewer(reviewer), note=note,
                    payload={"decision": decision_id})
