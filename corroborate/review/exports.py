"""Exports of reviewed work: training pairs, ClaimReview JSON-LD, CSV of clusters and claims."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .apply import Reviewed
from .decisions import VERDICTS, Decision

PAIR_COLUMNS = ("s1", "s2", "label", "claim_a", "claim_b", "action", "decision", "reviewer")


def pair_labels(decisions: Sequence[Decision]) -> dict[tuple[str, str], tuple[str, Decision]]:
    """The pair labels the decisions in force imply, keyed by the sorted claim-id pair.

    Labels follow ../shared/data: `agree` = the same fact (claims kept together by a confirm
    or a merge), `disagree` = a conflict marked real, `other` = not the same fact (a reject, a
    split) or marked not a conflict. Pairs come from the claims the reviewer saw when
    deciding; a later decision on the same pair overrides an earlier one. Verdicts imply no pair.
    """
    undone = {d.payload.get("decision") for d in decisions if d.action == "undo"}
    labels: dict[tuple[str, str], tuple[str, Decision]] = {}

    def put(a: str, b: str, label: str, d: Decision) -> None:
        if a != b:
            labels[(min(a, b), max(a, b))] = (label, d)

    for d in decisions:
        if d.id in undone:
            continue
        p = d.payload
        if d.action in ("confirm", "reject"):
            for m in p.get("members", ()):
                put(p["claim"], m, "agree" if d.action == "confirm" else "other", d)
        elif d.action == "merge":
            groups = p.get("groups", ())
            for i, left in enumerate(groups):
                for right in groups[i + 1:]:
                    for a in left:
                        for b in right:
                            put(a, b, "agree", d)
        elif d.action == "split":
            moved = set(p.get("moved", ()))
            for a in moved:
                for b in p.get("members", ()):
                    if b not in moved:
                        put(a, b, "other", d)
        elif d.action == "conflict":
            put(p["claim_a"], p["claim_b"], "disagree" if p.get("real") else "other", d)
    return labels


def pair_rows(decisions: Sequence[Decision], texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """`s1,s2,label` rows (plus ids, action, decision, reviewer) for every labelled pair with known texts."""
    rows = []
    for (a, b), (label, d) in sorted(pair_labels(decisions).items()):
        if a in texts and b in texts:
            rows.append({"s1": texts[a], "s2": texts[b], "label": label, "claim_a": a, "claim_b": b,
                         "action": d.action, "decision": d.id, "reviewer": d.reviewer})
    return rows


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text with a header, standard quoting (Arabic text with commas and quotes survives)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def claimreview(reviewed: Reviewed, *, publisher: str,
                url: Callable[[str], str | None] = lambda cluster_id: None) -> list[dict[str, Any]]:
    """schema.org ClaimReview objects (JSON-LD) for the clusters that carry a verdict.

    `claimReviewed` is the cluster's first claim; each article stating it is an `appearance`.
    `url(cluster_id)` gives the desk's fact-check page, which Google asks for; None leaves it out.
    """
    claims = {c.id: c for c in reviewed.analysis.claims}
    docs = {d.id: d for d in reviewed.analysis.documents}
    found = []
    for cluster in reviewed.analysis.clusters:
        v = reviewed.verdicts.get(cluster.id)
        if v is None:
            continue
        label, value = VERDICTS[v.rating]
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
        if value is not None:
            rating.update(ratingValue=value, bestRating=5, worstRating=1)
        appearances = []
        for doc_id in cluster.doc_ids:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            work: dict[str, Any] = {"@type": "CreativeWork"}
            for key, value_ in (("url", doc.url), ("headline", doc.title), ("datePublished", doc.published)):
                if value_:
                    work[key] = value_
            if doc.outlet:
                work["publisher"] = {"@type": "Organization", "name": doc.outlet}
            appearances.append(work)
        item: dict[str, Any] = {
            "@context": "https://schema.org", "@type": "ClaimReview", "identifier": cluster.id,
            "claimReviewed": claims[cluster.claim_ids[0]].text, "inLanguage": "ar",
            "author": {"@type": "Organization", "name": publisher},
            "datePublished": (v.created_at or "")[:10] or None,
            "reviewRating": rating,
            "itemReviewed": {"@type": "Claim", "appearance": appearances},
        }
        if appearances:
            item["itemReviewed"]["firstAppearance"] = appearances[0]
        if v.note:
            item["reviewBody"] = v.note
        link = url(cluster.id)
        if link:
            item["url"] = link
        found.append({k: x for k, x in item.items() if x is not None})
    return found


CLUSTER_COLUMNS = ("cluster_id", "status", "claims", "independent_sources", "documents", "outlets",
                   "reviewed", "verdict", "verdict_note", "verdict_reviewer", "inherited_from", "first_claim")
CLAIM_COLUMNS = ("claim_id", "cluster_id", "cluster_status", "doc_id", "outlet", "start", "end", "text",
                 "attributed_to", "time", "origin", "in_conflict")


def cluster_rows(reviewed: Reviewed) -> list[dict[str, Any]]:
    """One row per reviewed cluster, with its verdict and note."""
    claims = {c.id: c for c in reviewed.analysis.claims}
    rows = []
    for k in reviewed.analysis.clusters:
        v = reviewed.verdicts.get(k.id)
        rows.append({"cluster_id": k.id, "status": k.status, "claims": len(k.claim_ids),
                     "independent_sources": k.independent_sources, "documents": ";".join(k.doc_ids),
                     "outlets": ";".join(k.outlets), "reviewed": int(reviewed.is_reviewed(k)),
                     "verdict": v.rating if v else "", "verdict_note": v.note if v else "",
                     "verdict_reviewer": v.reviewer if v else "",
                     "inherited_from": (v.inherited_from or "") if v else "",
                     "first_claim": claims[k.claim_ids[0]].text})
    return rows


def claim_rows(reviewed: Reviewed) -> list[dict[str, Any]]:
    """One row per claim, with the reviewed cluster it is in."""
    docs = {d.id: d for d in reviewed.analysis.documents}
    status = {k.id: k.status for k in reviewed.analysis.clusters}
    involved = {x.claim_a for x in reviewed.analysis.conflicts} | {x.claim_b for x in reviewed.analysis.conflicts}
    return [{"claim_id": c.id, "cluster_id": reviewed.cluster_of[c.id],
             "cluster_status": status[reviewed.cluster_of[c.id]], "doc_id": c.doc_id,
             "outlet": (docs[c.doc_id].outlet or "") if c.doc_id in docs else "", "start": c.start,
             "end": c.end, "text": c.text, "attributed_to": ";".join(c.attributed_to), "time": c.time or "",
             "origin": c.origin or "", "in_conflict": int(c.id in involved)}
            for c in reviewed.analysis.claims]


def review_json(reviewed: Reviewed) -> dict[str, Any]:
    """The "review" block `analyze --db` adds to the JSON report: verdicts, dismissed conflicts, outcomes."""
    return {
        "verdicts": [{"cluster_id": v.cluster_id, "verdict": v.rating, "note": v.note,
                      "reviewer": v.reviewer, "decided_at": v.created_at, "decision": v.decision_id,
                      "inherited_from": v.inherited_from}
                     for k in reviewed.analysis.clusters if (v := reviewed.verdicts.get(k.id))],
        "dismissed_conflicts": [{"claim_a": x.claim_a, "claim_b": x.claim_b} for x in reviewed.dismissed],
        "decisions": [{"id": o.decision.id, "action": o.decision.action, "status": o.status,
                       "detail": o.detail, "cluster_id": o.cluster_id} for o in reviewed.outcomes],
    }
