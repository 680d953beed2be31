"""Reviewers' decisions in the markdown report, each where it applies.

A verdict, a merge or a split shows under its cluster's heading, "belongs here" / "not this
fact" after the claim it was said of, "real conflict" (with the note) under the conflict, and
the verdicts, the pairs marked "not a conflict" and the decisions whose claims are not in this
run in a closing section. The review store (`corroborate.review`) fills a `ReviewMarks`;
`markdown.py` calls the four functions here and nothing else, so the report can be
reorganised without touching how decisions read. Names and notes are typed by reviewers and
are escaped like article text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Conflict
from .escape import md_code, md_text

if TYPE_CHECKING:
    from ..analysis import Analysis


@dataclass(frozen=True)
class Mark:
    """One reviewer's decision as the report shows it."""

    kind: str                          # verdict, belongs, not-this-fact, merged, split-off, split-rest,
                                       # real, not-real, orphaned
    reviewer: str
    note: str = ""
    decision: int | None = None        # its number in the decisions log
    date: str | None = None            # YYYY-MM-DD
    rating: str | None = None          # verdict: true, mostly-true, mixed, mostly-false, false, unproven
    clusters: tuple[str, ...] = ()     # merged: the clusters joined; not-this-fact, split-off: the one left
    count: int = 0                     # split-rest: claims split off
    since: str | None = None           # verdict: the cluster it was given on, which has changed since
    summary: str = ""                  # orphaned: the decision in one line
    detail: str = ""                   # orphaned: why it does not apply


@dataclass(frozen=True)
class ReviewMarks:
    """The decisions in force on one run, keyed by what they apply to."""

    clusters: Mapping[str, tuple[Mark, ...]] = field(default_factory=dict)
    claims: Mapping[str, tuple[Mark, ...]] = field(default_factory=dict)
    conflicts: Mapping[tuple[str, str], Mark] = field(default_factory=dict)     # sorted claim-id pair
    dismissed: tuple[tuple[Conflict, Mark], ...] = ()                          # marked not a conflict
    orphaned: tuple[Mark, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.clusters or self.claims or self.conflicts or self.dismissed or self.orphaned)


WORDS = {
    "en": {
        "ratings": {"true": "True", "mostly-true": "Mostly true", "mixed": "Mixed",
                    "mostly-false": "Mostly false", "false": "False", "unproven": "Unproven"},
        "verdict": "**Reviewers' verdict: {rating}**",
        "since": "given on {cluster}, which has changed since",
        "belongs": "✓ belongs here",
        "not-this-fact": "✗ not this fact: taken out of {cluster}",
        "merged": "Merged by reviewers: {clusters}",
        "split-off": "Split off by reviewers from {cluster}",
        "split-rest": "{n} claim(s) split off by reviewers",
        "real": "**Marked a real conflict by reviewers**",
        "not-real": "marked not a conflict",
        "who": "{reviewer}, {date}, decision #{id}",
        "section": "Reviewers' verdicts",
        "no_verdict": "No verdict yet.",
        "verdict_item": "- **{rating}** {cluster} ({n} claims, {sources} sources): «{claim}»{note} ({who})",
        "dismissed": "Marked not a conflict by reviewers ({n}):",
        "dismissed_item": "- «{a}» vs «{b}»{note} ({who})",
        "orphaned": "Decisions whose claims are not in this run ({n}; kept in the store for a run that has them):",
    },
    "ar": {
        "ratings": {"true": "صحيح", "mostly-true": "صحيح في الغالب", "mixed": "مختلط",
                    "mostly-false": "خاطئ في الغالب", "false": "خاطئ", "unproven": "غير مثبت"},
        "verdict": "**حكم المراجعين: {rating}**",
        "since": "صدر على {cluster} التي تغيّرت منذ ذلك",
        "belongs": "✓ ينتمي إلى هذه المجموعة",
        "not-this-fact": "✗ ليس هذه الواقعة: أُخرج من {cluster}",
        "merged": "دمجها المراجعون: {clusters}",
        "split-off": "فصلها المراجعون عن {cluster}",
        "split-rest": "فصل المراجعون عنها {n} ادعاء",
        "real": "**تعارض حقيقي بحسب المراجعين**",
        "not-real": "ليس تعارضاً بحسب المراجعين",
        "who": "{reviewer}، {date}، القرار #{id}",
        "section": "أحكام المراجعين",
        "no_verdict": "لا حكم بعد.",
        "verdict_item": "- **{rating}** {cluster} ({n} ادعاء، {sources} مصدر): «{claim}»{note} ({who})",
        "dismissed": "أزواج قال المراجعون إنها ليست تعارضاً ({n}):",
        "dismissed_item": "- «{a}» و«{b}»{note} ({who})",
        "orphaned": "قرارات ليست ادعاءاتها في هذا التشغيل ({n}؛ محفوظة لتشغيل يعيدها):",
    },
}


def _who(mark: Mark, w: Mapping) -> str:
    return w["who"].format(reviewer=md_text(mark.reviewer), date=mark.date or "?", id=mark.decision)


def _note(mark: Mark) -> str:
    return f" — {md_text(mark.note)}" if mark.note.strip() else ""


def _ids(ids: tuple[str, ...]) -> str:
    return " + ".join(md_code(i) for i in ids)


def _cluster_texts(marks: ReviewMarks | None, cluster_id: str, language: str) -> list[str]:
    """One text per decision on a cluster: its verdict, merges and splits."""
    if not marks:
        return []
    w = WORDS[language]
    texts = []
    for mark in marks.clusters.get(cluster_id, ()):
        if mark.kind == "verdict":
            text = w["verdict"].format(rating=w["ratings"].get(mark.rating or "", md_text(mark.rating)))
            since = f"; {w['since'].format(cluster=md_code(mark.since))}" if mark.since else ""
            texts.append(f"{text}{_note(mark)} ({_who(mark, w)}{since})")
        elif mark.kind == "merged":
            texts.append(f"{w['merged'].format(clusters=_ids(mark.clusters))}{_note(mark)} ({_who(mark, w)})")
        elif mark.kind == "split-off":
            texts.append(f"{w['split-off'].format(cluster=_ids(mark.clusters))}{_note(mark)} ({_who(mark, w)})")
        elif mark.kind == "split-rest":
            texts.append(f"{w['split-rest'].format(n=mark.count)}{_note(mark)} ({_who(mark, w)})")
    return texts


def cluster_lines(marks: ReviewMarks | None, cluster_id: str, language: str = "en") -> list[str]:
    """Blockquote lines under a cluster's heading: its verdict, merges and splits ([] when none)."""
    texts = _cluster_texts(marks, cluster_id, language)
    return [*(f"> {t}" for t in texts), ""] if texts else []


def cluster_suffix(marks: ReviewMarks | None, cluster_id: str, language: str = "en") -> str:
    """The same, after a line, for a cluster listed without a heading (a single-source claim)."""
    return "".join(f" · {t}" for t in _cluster_texts(marks, cluster_id, language))


def claim_suffix(marks: ReviewMarks | None, claim_id: str, language: str = "en") -> str:
    """Text after a claim's line: what reviewers said of its place ("" when nothing)."""
    if not marks:
        return ""
    w = WORDS[language]
    parts = []
    for mark in marks.claims.get(claim_id, ()):
        said = w[mark.kind].format(cluster=_ids(mark.clusters)) if mark.kind in ("belongs", "not-this-fact") else ""
        if said:
            parts.append(f"{said}{_note(mark)} ({_who(mark, w)})")
    return "".join(f" · {p}" for p in parts)


def conflict_lines(marks: ReviewMarks | None, conflict: Conflict, language: str = "en") -> list[str]:
    """A blockquote line under a conflict a reviewer marked ([] when unmarked)."""
    if not marks:
        return []
    mark = marks.conflicts.get(tuple(sorted((conflict.claim_a, conflict.claim_b))))
    if mark is None:
        return []
    w = WORDS[language]
    return [f"> {w['real'] if mark.kind == 'real' else w['not-real']}{_note(mark)} ({_who(mark, w)})", ""]


def review_section(marks: ReviewMarks | None, analysis: Analysis, excerpt: Callable[[str], str],
                   language: str = "en") -> list[str]:
    """The closing section: every verdict, the pairs marked not a conflict, the orphaned decisions.

    `excerpt(claim_id)` gives a claim's text as the report quotes it (escaped). Empty when
    nothing was reviewed, so a report without a store reads as before.
    """
    if not marks:
        return []
    w = WORDS[language]
    lines = [f"## {w['section']}", ""]
    for cluster in analysis.clusters:
        for mark in marks.clusters.get(cluster.id, ()):
            if mark.kind != "verdict":
                continue
            since = f"; {w['since'].format(cluster=md_code(mark.since))}" if mark.since else ""
            lines.append(w["verdict_item"].format(
                rating=w["ratings"].get(mark.rating or "", md_text(mark.rating)), cluster=md_code(cluster.id),
                n=len(cluster.claim_ids), sources=cluster.independent_sources,
                claim=excerpt(cluster.claim_ids[0]), note=_note(mark), who=_who(mark, w) + since))
    if len(lines) == 2:
        lines.append(w["no_verdict"])
    if marks.dismissed:
        lines += ["", w["dismissed"].format(n=len(marks.dismissed))]
        for conflict, mark in marks.dismissed:
            lines.append(w["dismissed_item"].format(a=excerpt(conflict.claim_a), b=excerpt(conflict.claim_b),
                                                    note=_note(mark), who=_who(mark, w)))
    if marks.orphaned:
        lines += ["", w["orphaned"].format(n=len(marks.orphaned))]
        lines += [f"- {md_text(m.summary)}: {md_text(m.detail)}{_note(m)} ({_who(m, w)})" for m in marks.orphaned]
    return [*lines, ""]
