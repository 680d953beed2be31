"""The markdown report a fact-checker reads: summary, corroborated, conflicts, relayed, single-source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .. import __version__
from ..model import Claim, Cluster, Conflict
from ..text.normalize import normalize_text

if TYPE_CHECKING:
    from ..analysis import Analysis

HEADINGS = {
    "en": {
        "title": "Corroboration report: {name}",
        "summary": "Summary",
        "documents": "Documents",
        "corroborated": "Corroborated: confirmed by independent origins",
        "conflicts": "Conflicts",
        "updates": "Updates over time (each claim true at its own time)",
        "contradictions": "Contradictions to check (same period)",
        "undated": "Conflicts with unknown timing",
        "relayed": "Relayed: several documents, one origin",
        "single": "Single-source claims",
        "picture": "Who reports what",
        "method": "Method and thresholds",
        "skipped": "Inputs not analyzed",
        "how_sure": "How sure",
        "none": "none",
        "doc_cols": ("document", "outlet", "published", "cites", "claims", "title"),
        "cluster": "{n} claims in {d} documents",
        "origins": "{n} independent origin(s): {names}",
        "relays": "{n} document(s) relaying {names}",
        "anonymous": "rests only on anonymous sources",
        "attributed": "attributed to",
        "time": "time",
        "versus": "vs",
        "update_line": "In {ta} {oa} reported «{xa}»; in {tb} {ob} reported «{xb}».",
    },
    "ar": {
        "title": "تقرير التحقق المتقاطع: {name}",
        "summary": "الخلاصة",
        "documents": "المقالات",
        "corroborated": "ادعاءات مؤكدة من مصادر مستقلة",
        "conflicts": "التعارضات",
        "updates": "تحديثات عبر الزمن (كل ادعاء صحيح في وقته)",
        "contradictions": "تناقضات تحتاج إلى تحقق (الفترة نفسها)",
        "undated": "تعارضات بتوقيت غير معروف",
        "relayed": "ادعاءات منقولة: عدة مقالات ومصدر واحد",
        "single": "ادعاءات من مصدر واحد",
        "picture": "من ينشر ماذا",
        "method": "المنهج والعتبات",
        "skipped": "ملفات لم تُحلَّل",
        "how_sure": "درجة الثقة",
        "none": "لا يوجد",
        "doc_cols": ("المقال", "الوسيلة", "التاريخ", "المصادر", "الادعاءات", "العنوان"),
        "cluster": "{n} ادعاءات في {d} مقالات",
        "origins": "{n} مصدر مستقل: {names}",
        "relays": "{n} مقال ينقل عن {names}",
        "anonymous": "يستند فقط إلى مصادر مجهولة",
        "attributed": "منسوب إلى",
        "time": "الزمن",
        "versus": "مقابل",
        "update_line": "في {ta} نقلت {oa} «{xa}»، وفي {tb} نقلت {ob} «{xb}».",
    },
}


class _Lookup:
    def __init__(self, analysis: Analysis) -> None:
        self.docs = {d.id: d for d in analysis.documents}
        self.claims = {c.id: c for c in analysis.claims}

    def outlet(self, doc_id: str) -> str:
        return self.docs[doc_id].outlet or doc_id

    def date(self, doc_id: str) -> str:
        return self.docs[doc_id].published or "n.d."


def _quote(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _claim_line(claim: Claim, look: _Lookup, h: Mapping) -> str:
    line = (f"- **{look.outlet(claim.doc_id)}** · {look.date(claim.doc_id)} · "
            f"`{claim.doc_id}` [{claim.start}:{claim.end}] — «{_quote(claim.text)}»")
    extra = []
    if claim.attributed_to:
        extra.append(f"{h['attributed']}: {', '.join(claim.attributed_to)}")
    if claim.time and claim.time_basis != "published":
        extra.append(f"{h['time']}: {claim.time}")
    return line + (f" _({'; '.join(extra)})_" if extra else "")


def _how_sure(cluster: Cluster, look: _Lookup, h: Mapping) -> str:
    parts = [h["origins"].format(n=cluster.independent_sources,
                                 names=", ".join(cluster.origins) or h["none"])]
    docs_by_origin: dict[str, set[str]] = {}
    for claim in (look.claims[c] for c in cluster.claim_ids):
        if claim.origin:
            docs_by_origin.setdefault(claim.origin, set()).add(claim.doc_id)
    relays = sorted(o for o, docs in docs_by_origin.items() if len(docs) > 1)
    if relays:
        docs = sum(len(docs_by_origin[o]) for o in relays)
        parts.append(h["relays"].format(n=docs, names=", ".join(relays)))
    if cluster.anonymous_only:
        parts.append("⚠ " + h["anonymous"])
    return f"_{h['how_sure']}: " + "; ".join(parts) + "_"


def _cluster_section(clusters: list[Cluster], look: _Lookup, h: Mapping) -> list[str]:
    lines = []
    for n, cluster in enumerate(clusters, 1):
        lines.append(f"### {n}. `{cluster.id}` — " + h["cluster"].format(
            n=len(cluster.claim_ids), d=len(cluster.doc_ids)))
        lines.append(_how_sure(cluster, look, h))
        lines.append("")
        lines.extend(_claim_line(look.claims[c], look, h) for c in cluster.claim_ids)
        lines.append("")
    return lines


def _conflict_block(conflict: Conflict, number: int, look: _Lookup, h: Mapping) -> list[str]:
    """One conflict; `number` is its place in `Analysis.conflicts`, as on the timeline picture."""
    a, b = look.claims[conflict.claim_a], look.claims[conflict.claim_b]
    head = f"**#{number} {conflict.explanation}** (score {conflict.score:.2f}, {conflict.scope})"
    if conflict.temporal == "different-period":
        anchors = _cue_words(conflict)
        (first, fa), (second, sa) = sorted(zip((a, b), anchors), key=lambda p: p[0].time or "")
        head += " — " + h["update_line"].format(
            ta=first.time, oa=look.outlet(first.doc_id), xa=_gist(first.text, fa),
            tb=second.time, ob=look.outlet(second.doc_id), xb=_gist(second.text, sa))
    rows = ["| | A | B |", "|---|---|---|"]
    rows.append(f"| outlet | {look.outlet(a.doc_id)} | {look.outlet(b.doc_id)} |")
    rows.append(f"| published | {look.date(a.doc_id)} | {look.date(b.doc_id)} |")
    rows.append(f"| {h['time']} | {a.time or '?'} ({a.time_basis or '-'}) | "
                f"{b.time or '?'} ({b.time_basis or '-'}) |")
    rows.append(f"| claim | `{a.id}` «{_quote(a.text)}» | `{b.id}` «{_quote(b.text)}» |")
    return [head, "", *rows, ""]


def _cue_words(conflict: Conflict) -> tuple[str | None, str | None]:
    """The words of claim a and claim b that the first "X vs Y" cue names, if any."""
    for cue in conflict.cues:
        detail = cue.split(": ", 1)[-1]
        if " vs " in detail:
            left, right = detail.split(" vs ", 1)
            return left.split()[-1], right.split(" (")[0].split()[-1]
    return None, None


def _gist(text: str, anchor: str | None = None, words: int = 12) -> str:
    """About `words` words of a claim around `anchor` (a normalised cue word), for one line."""
    parts = _quote(text).split()
    at = next((i for i, w in enumerate(parts) if anchor and anchor in normalize_text(w)), 0)
    start = max(0, min(at - words // 2, len(parts) - words))
    piece = " ".join(parts[start:start + words])
    return ("… " if start else "") + piece + (" …" if start + words < len(parts) else "")


def to_markdown(analysis: Analysis, *, name: str = "analysis", language: str = "en",
                figures: Mapping[str, str] | None = None) -> str:
    """The human report. `figures` maps "outlets"/"timeline" to image paths relative to the report."""
    h = HEADINGS[language]
    look = _Lookup(analysis)
    figures = figures or {}
    by_status: dict[str, list[Cluster]] = {}
    for cluster in analysis.clusters:
        by_status.setdefault(cluster.status, []).append(cluster)
    outlets = sorted({d.outlet for d in analysis.documents if d.outlet})
    unnamed = sum(1 for d in analysis.documents if not d.outlet)
    dates = sorted(d.published for d in analysis.documents if d.published)
    out = [f"# {h['title'].format(name=name)}", "", f"## {h['summary']}", ""]
    line = f"- {len(analysis.documents)} documents from {len(outlets)} named outlet(s)"
    line += f": {', '.join(outlets)}" if outlets else ""
    out.append(line + (f"; {unnamed} with no outlet found" if unnamed else ""))
    if dates:
        out.append(f"- published {dates[0]} – {dates[-1]}")
    status_counts = ", ".join(f"{len(v)} {k}" for k, v in sorted(by_status.items()))
    out.append(f"- {len(analysis.claims)} claims in {len(analysis.clusters)} clusters ({status_counts})")
    out.append(f"- {len(analysis.conflicts)} conflicts")
    out += ["", f"## {h['documents']}", "", "| " + " | ".join(h["doc_cols"]) + " |",
            "|" + "---|" * len(h["doc_cols"])]
    counts = Counter(c.doc_id for c in analysis.claims)
    for d in analysis.documents:
        out.append(f"| `{d.id}` | {d.outlet or '?'} | {d.published or '?'} | "
                   f"{', '.join(d.cited_sources) or '-'} | {counts[d.id]} | {_quote(d.title or '')} |")
    out += ["", f"## {h['corroborated']}", ""]
    corroborated = by_status.get("corroborated", []) + [
        c for c in by_status.get("conflicted", []) if c.independent_sources >= 2]
    out += _cluster_section(corroborated, look, h) or [h["none"], ""]

    out += [f"## {h['conflicts']}", ""]
    if figures.get("timeline"):
        out += [f"![timeline]({figures['timeline']})", ""]
    sections = (("different-period", "updates"), ("same-period", "contradictions"),
                ("unknown", "undated"))
    if not analysis.conflicts:
        out += [h["none"], ""]
    for temporal, key in sections:
        chosen = [(n, c) for n, c in enumerate(analysis.conflicts, 1) if c.temporal == temporal]
        if chosen:
            out += [f"### {h[key]}", ""]
            for number, conflict in chosen:
                out += _conflict_block(conflict, number, look, h)

    out += [f"## {h['relayed']}", ""]
    relayed = by_status.get("relayed", []) + [
        c for c in by_status.get("conflicted", []) if c.independent_sources < 2 and len(c.doc_ids) > 1]
    out += _cluster_section(relayed, look, h) or [h["none"], ""]

    singles = [c for c in analysis.clusters if c not in corroborated and c not in relayed]
    out += [f"## {h['single']}", "", f"{len(singles)} claims.", "", "<details>", "",
            *[_claim_line(look.claims[cid], look, h) for c in singles for cid in c.claim_ids],
            "", "</details>", ""]
    if figures.get("outlets"):
        out += [f"## {h['picture']}", "", f"![outlets × clusters]({figures['outlets']})", ""]
    out += [f"## {h['method']}", "",
            f"corroborate {__version__}; encoder `{analysis.encoder or 'precomputed vectors'}`.", "",
            "| setting | value |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in analysis.settings.as_dict().items()]
    if analysis.skipped:
        out += ["", f"## {h['skipped']}", ""] + [f"- {s.reason}" for s in analysis.skipped]
    text = "\n".join(out).rstrip() + "\n"
    if language == "ar":
        text = f'<div dir="rtl" lang="ar">\n\n{text}\n</div>\n'
    return text


