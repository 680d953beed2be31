"""The markdown report a fact-checker reads: summary, corroborated, conflicts, conflicted, relayed, single-source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from .. import __version__
from ..matching import evidence_note
from ..model import Claim, Cluster, Conflict, OriginNote
from ..text.normalize import as_written
from .escape import md_code, md_link_target, md_text
from .review_marks import (
    ReviewMarks,
    claim_suffix,
    cluster_lines,
    cluster_suffix,
    conflict_lines,
    review_section,
)
from .sections import (
    Sections,
    doc_labels,
    number_ranges,
    outlet_grid,
    report_sections,
    timeline_rows,
)

if TYPE_CHECKING:
    from ..analysis import Analysis

# Every word the report itself writes, in each language it can be written in; article text,
# ids, outlet and agency names and numbers are not translated.
TEXT = {
    "en": {
        "title": "Corroboration report: {name}",
        "summary": "Summary",
        "documents": "Documents",
        "corroborated": "Corroborated: confirmed by independent origins",
        "conflicts": "Conflicts",
        "leads": "Each conflict below is a lead to check, not a verdict: read both claims.",
        "updates": "Updates over time (each claim true at its own time)",
        "contradictions": "Contradictions to check (same period)",
        "undated": "Conflicts with unknown timing",
        "conflicted": "Conflicted: clusters with a claim in a conflict",
        "relayed": "Relayed: several documents, one origin",
        "single": "Single-source claims",
        "picture": "Who reports what",
        "method": "Method and thresholds",
        "skipped": "Inputs not analyzed",
        "none": "None.",
        "comma": ", ",
        "semicolon": "; ",
        "sum_docs": "Documents: {n}",
        "sum_named": "{n} from named outlets ({names})",
        "more": "and {n} more",
        "sum_unnamed": "{n} without an outlet, shown by title or file name",
        "sum_dates": "Published: {first} to {last}",
        "sum_undated": "{n} undated",
        "sum_claims": "Claims: {n} in {k} clusters — {corroborated} corroborated, {conflicted} "
                      "conflicted, {relayed} relayed, {single} single-source",
        "sum_conflicts": "Conflicts: {n} — {updates} updates over time, {contradictions} "
                         "contradictions in the same period, {undated} with unknown timing",
        "sum_skipped": "Inputs not analyzed: {n} (listed at the end)",
        "doc_cols": ("shown as", "id", "outlet", "published", "cites", "claims", "title"),
        "cluster": "{n} claims in {d} documents",
        "cluster_one": "1 claim",
        "how_sure": "How sure",
        "origins": "{n} independent origin(s): {names}",
        "relays": "{n} document(s) relaying {names}",
        "anonymous": "rests only on anonymous sources",
        "in_conflicts": "in conflict {numbers}",
        "attributed": "attributed to",
        "time": "time",
        "undated_doc": "undated",
        "single_intro": "{n} claims, each told by one document only (a claim that document "
                        "repeats is listed under it).",
        "basis": {"explicit": "stated", "relative": "relative to publication", "published":
                  "publication date", "context": "from the article's context", "none": "none"},
        "says": "{label} ({time}) says «{gist}»{cue}; {other}, {when}, says «{gist_b}»{cue_b}.",
        "earlier": "{n} {unit} earlier ({time})",
        "later": "{n} {unit} later ({time})",
        "years": ("year", "years"),
        "months": ("month", "months"),
        "same_period": "in the same period ({time})",
        "unknown_time": "at a time not known",
        "same_doc": "the same article",
        "cues": {"outcome": "opposed outcome", "negation": "negation", "antonym": "opposite word",
                 "number": "different number", "date": "different date", "contrast": "contrast phrase",
                 "verdict": "opposed verdict", "life": "alive against dead", "denied_death": "a death denied"},
        "score_line": "score {score} · found among {scope}",
        "scopes": {"cluster": "the claims of one cluster", "neighbours": "each claim's most similar claims",
                   "document": "the claims of one article", "story": "the claims of one story"},
        "kinds": {"denial": "a denial", "contradiction": "a contradiction", "numbers": "different counts",
                  "contrast": "the article's own contrast"},
        "said_by": " · A said by {a}; B said by {b}",
        "table": ("", "A", "B"),
        "rows": ("source", "published", "time", "claim"),
        "timeline_alt": "timeline of the conflicting claims",
        "not_drawn": "Not on the timeline: {numbers} (a claim has no known time).",
        "beyond": "Not on the timeline: {numbers} (it draws the first {limit} only).",
        "outlets_alt": "claims per source in each cluster",
        "grid_note": "The picture shows the {k} clusters spanning most documents of the {n} that "
                     "span several, and the sources carrying most of them.",
        "grid_all": "The picture shows all {n} clusters that span several documents.",
        "grid_others": " {m} other sources are summed in its last row.",
        "version": "`corroborate {version}`; encoder `{encoder}`.",
        "precomputed": "precomputed vectors",
        "score_help": "**Score of a conflict**: how strongly the two claims are taken to be "
                      "incompatible, from 0 to 1. It is {contrast} when one claim opens with a "
                      "contrast phrase answering the other («على عكس ذلك»), {outcome} when one says "
                      "an effort worked or fighting stopped and the other that it failed or went "
                      "on (the same actor, and the relation model at least {rule} sure they "
                      "disagree) or when both name one thing and judge it a success and a failure, "
                      "and otherwise the relation model's probability that the two disagree. "
                      "Conflicts are reported from {threshold} up. The words in brackets are the "
                      "ones the conflict rests on, as the articles spell them.",
        "status_help": "**Status of a cluster**: corroborated = at least two independent origins "
                       "(sites relaying one wire story count once); relayed = several documents, "
                       "one origin; single-source = one document; conflicted = one of its claims "
                       "is in a conflict, whatever its origins (it is listed under Conflicted only).",
        "settings_cols": ("setting", "value"),
        "skip_kinds": {},
        "stories": "The stories",
        "stories_intro": "{n} stories told by several documents, ranked by independent origins{shown}. "
                         "A story groups facts about one event: it is a reading aid, never a "
                         "confirmation; only a fact (a cluster) is counted as confirmed.",
        "stories_shown": " (the first {k} shown; `--full` lists all)",
        "story_head": "{label} — {docs} documents, {outlets} outlets, {origins} independent origin(s)",
        "story_confirmed": "Confirmed by independent origins",
        "story_disputed": "Told by independent origins, but in a conflict",
        "story_relayed": "Rests on one origin that others relay",
        "story_single": "Worth checking: told by one document",
        "story_conflicts": "Conflicts",
        "story_more": "and {n} more",
        "fact_origins": "{n} origins: {names}",
        "fact_relayed": "{origin}, in {n} documents",
        "cut": "{shown} of {n} shown; the JSON lists all, `--full` prints all here.",
        "outlet_cols": ("outlet", "documents", "claims", "published"),
        "docs_cut": "{n} documents: counted per outlet here; the JSON lists each one, `--full` prints them.",
        "origin_note": "why fewer origins than outlets",
        "notes": {"copies": "{outlet} copies {origin}'s words", "reprints": "{outlet} reprints {origin}",
                  "relays": "{outlet} relays {origin} (dateline)", "attributes": "{outlet} attributes it to {origin}"},
    },
    "ar": {
        "title": "تقرير التحقق المتقاطع: {name}",          # name: a code span, Latin kept apart
        "summary": "الخلاصة",
        "documents": "المقالات",
        "corroborated": "ادعاءات مؤكدة من مصادر مستقلة",
        "conflicts": "التعارضات",
        "leads": "كل تعارض أدناه مؤشر يحتاج إلى تحقق وليس حكماً: اقرأ الادعاءين.",
        "updates": "تحديثات عبر الزمن (كل ادعاء صحيح في وقته)",
        "contradictions": "تناقضات تحتاج إلى تحقق (الفترة نفسها)",
        "undated": "تعارضات بتوقيت غير معروف",
        "conflicted": "مجموعات متعارضة: فيها ادعاء طرف في تعارض",
        "relayed": "ادعاءات منقولة: عدة مقالات ومصدر واحد",
        "single": "ادعاءات من مصدر واحد",
        "picture": "من ينشر ماذا",
        "method": "المنهج والعتبات",
        "skipped": "ملفات لم تُحلَّل",
        "none": "لا يوجد.",
        "comma": "، ",
        "semicolon": "؛ ",
        "sum_docs": "المقالات: {n}",
        "sum_named": "{n} من وسائل إعلام معروفة ({names})",
        "more": "و{n} غيرها",
        "sum_unnamed": "{n} بلا وسيلة معروفة، تظهر بعنوانها أو باسم ملفها",
        "sum_dates": "تاريخ النشر: من {first} إلى {last}",
        "sum_undated": "{n} بلا تاريخ",
        "sum_claims": "الادعاءات: {n} في {k} مجموعة — {corroborated} مؤكدة، {conflicted} متعارضة، "
                      "{relayed} منقولة، {single} من مصدر واحد",
        "sum_conflicts": "التعارضات: {n} — {updates} تحديثات عبر الزمن، {contradictions} تناقضات "
                         "في الفترة نفسها، {undated} بتوقيت غير معروف",
        "sum_skipped": "ملفات لم تُحلَّل: {n} (مذكورة في آخر التقرير)",
        "doc_cols": ("يظهر باسم", "المعرّف", "الوسيلة", "التاريخ", "المصادر", "الادعاءات", "العنوان"),
        "cluster": "{n} ادعاءات في {d} مقالات",
        "cluster_one": "ادعاء واحد",
        "how_sure": "درجة الثقة",
        "origins": "{n} مصدر مستقل: {names}",
        "relays": "{n} مقال ينقل عن {names}",
        "anonymous": "يستند فقط إلى مصادر مجهولة",
        "in_conflicts": "طرف في التعارض {numbers}",
        "attributed": "منسوب إلى",
        "time": "الزمن",
        "undated_doc": "بلا تاريخ",
        "single_intro": "{n} ادعاءً، يرويه مقال واحد فقط (وما يكرره المقال نفسه مذكور تحته).",
        "basis": {"explicit": "مذكور صراحة", "relative": "نسبةً إلى تاريخ النشر", "published": "تاريخ النشر",
                  "context": "من سياق المقال", "none": "غير معروف"},
        "says": "يقول {label} ({time}) «{gist}»{cue}؛ ويقول {other}، {when}، «{gist_b}»{cue_b}.",
        "earlier": "قبل ذلك بـ{n} {unit} ({time})",
        "later": "بعد ذلك بـ{n} {unit} ({time})",
        "years": ("سنة", "سنوات"),
        "months": ("شهر", "أشهر"),
        "same_period": "في الفترة نفسها ({time})",
        "unknown_time": "في وقت غير معروف",
        "same_doc": "المقال نفسه",
        "cues": {"outcome": "نتيجة معاكسة", "negation": "نفي", "antonym": "كلمة مضادة",
                 "number": "رقم مختلف", "date": "تاريخ مختلف", "contrast": "عبارة مقابلة",
                 "verdict": "حكم معاكس", "life": "حي مقابل ميت", "denied_death": "نفي وفاة"},
        "score_line": "الدرجة {score} · وُجد بين {scope}",
        "scopes": {"cluster": "ادعاءات مجموعة واحدة", "neighbours": "أقرب الادعاءات إلى كل ادعاء",
                   "document": "ادعاءات مقال واحد", "story": "ادعاءات قصة واحدة"},
        "kinds": {"denial": "نفي", "contradiction": "تناقض", "numbers": "أرقام مختلفة", "contrast": "مقابلة من المقال نفسه"},
        "said_by": " · يقول «أ» {a}، ويقول «ب» {b}",
        "table": ("", "أ", "ب"),
        "rows": ("المصدر", "تاريخ النشر", "الزمن", "الادعاء"),
        "timeline_alt": "الخط الزمني للادعاءات المتعارضة",
        "not_drawn": "غير مرسومة على الخط الزمني: {numbers} (أحد الادعاءين بلا زمن معروف).",
        "beyond": "غير مرسومة على الخط الزمني: {numbers} (يُرسم أول {limit} تعارضاً فقط).",
        "outlets_alt": "ادعاءات كل مصدر في كل مجموعة",
        "grid_note": "تعرض الصورة {k} مجموعة تمتد إلى أكبر عدد من المقالات من أصل {n} مجموعة تمتد "
                     "إلى أكثر من مقال، والمصادر التي تنقل أغلبها.",
        "grid_all": "تعرض الصورة كل المجموعات التي تمتد إلى أكثر من مقال، وعددها {n}.",
        "grid_others": " ويُجمع {m} مصدراً آخر في صفها الأخير.",
        "version": "الإصدار `corroborate {version}`؛ نموذج التضمين `{encoder}`.",
        "precomputed": "متجهات محسوبة مسبقاً",
        "score_help": "**درجة التعارض**: مدى رجحان أن الادعاءين لا يصحّان معاً، من 0 إلى 1. تكون "
                      "{contrast} حين يبدأ أحد الادعاءين بعبارة مقابلة ترد على الآخر («على عكس ذلك»)، "
                      "و{outcome} حين يقول أحدهما إن مسعى نجح أو إن القتال توقف ويقول الآخر إنه فشل أو "
                      "استمر (عن الفاعل نفسه، وبتقدير تعارض من نموذج العلاقات لا يقل عن {rule})، أو حين "
                      "يسمّي الادعاءان أمراً واحداً فيحكم عليه أحدهما بالنجاح والآخر بالفشل، وإلا فهي "
                      "احتمال التعارض الذي يقدّره نموذج العلاقات. لا يُذكر تعارض درجته "
                      "أقل من {threshold}. الكلمات بين المعقوفين هي التي يقوم عليها التعارض، بإملائها في "
                      "المقالات.",
        "status_help": "**حالة المجموعة**: مؤكدة = مصدران مستقلان على الأقل (المواقع التي تنقل خبر "
                       "وكالة واحدة تُحسب مرة واحدة)؛ منقولة = عدة مقالات ومصدر واحد؛ من مصدر واحد = "
                       "مقال واحد؛ متعارضة = أحد ادعاءاتها طرف في تعارض، أياً كانت مصادرها (وتُذكر تحت "
                       "المجموعات المتعارضة فقط).",
        "settings_cols": ("الإعداد", "القيمة"),
        "skip_kinds": {"missing": "الملف أو المجلد غير موجود", "unsupported": "نوع ملف غير مدعوم؛ "
                       "حوّله إلى نص أو صفحة ويب", "unreadable": "لا يمكن قراءته (صلاحيات)",
                       "not-file": "ليس ملفاً عادياً", "too-large": "الملف أكبر من الحد المسموح",
                       "empty": "ملف فارغ", "duplicate": "نسخة مطابقة لملف آخر", "binary": "ملف ثنائي "
                       "وليس نصاً", "undecodable": "ترميز غير معروف؛ حدّد الترميز", "id-clash":
                       "معرّفه مطابق لمعرّف ملف آخر", "bad-line": "سطر غير صالح", "no-articles":
                       "مجلد بلا مقالات", "no-claims": "لا ادعاءات فيه",
                       "hidden": "ملف مخفي (يبدأ اسمه بنقطة)", "link-loop": "رابط رمزي يعود إلى نفسه",
                       # links, feeds, PDF and Word files (fetch.py, formats.py)
                       "bad-url": "رابط غير صالح", "http-error": "الموقع ردّ بخطأ",
                       "timeout": "انتهت مهلة الاتصال بالموقع", "unreachable": "تعذّر الاتصال بالموقع",
                       "not-html": "الرابط لا يؤدي إلى صفحة ويب", "not-a-feed": "ليس موجز أخبار",
                       "no-text-layer": "ملف بلا طبقة نص؛ يلزم التعرف الضوئي على الحروف أولاً",
                       "encrypted": "ملف محمي بكلمة مرور", "corrupt": "ملف تالف أو غير مقروء"},
        "stories": "القصص",
        "stories_intro": "{n} قصة ترويها عدة مقالات، مرتبة حسب عدد المصادر المستقلة{shown}. تجمع القصة "
                         "وقائع حدث واحد لتسهيل القراءة، ولا تُعد تأكيداً: وحدها الواقعة (المجموعة) تُحسب مؤكدة.",
        "stories_shown": " (تظهر أول {k} منها؛ الخيار `--full` يذكرها كلها)",
        "story_head": "{label} — {docs} مقالات، {outlets} وسائل إعلام، {origins} مصدر مستقل",
        "story_confirmed": "مؤكدة من مصادر مستقلة",
        "story_disputed": "ترويها مصادر مستقلة، لكنها طرف في تعارض",
        "story_relayed": "تستند إلى مصدر واحد تنقل عنه وسائل أخرى",
        "story_single": "تستحق التحقق: يرويها مقال واحد",
        "story_conflicts": "التعارضات",
        "story_more": "و{n} غيرها",
        "fact_origins": "{n} مصادر: {names}",
        "fact_relayed": "{origin}، في {n} مقالات",
        "cut": "يظهر {shown} من {n}؛ ملف `JSON` يذكرها كلها، والخيار `--full` يطبعها كلها هنا.",
        "outlet_cols": ("الوسيلة", "المقالات", "الادعاءات", "تاريخ النشر"),
        "docs_cut": "{n} مقالاً: معدودة هنا حسب الوسيلة؛ ملف `JSON` يذكر كل مقال، والخيار `--full` يطبعها.",
        "origin_note": "لماذا المصادر أقل من الوسائل",
        "notes": {"copies": "{outlet} ينقل نص {origin} حرفياً", "reprints": "{outlet} يعيد نشر مقال {origin}",
                  "relays": "{outlet} ينقل عن {origin} (بحسب سطر المصدر)", "attributes": "{outlet} ينسبه إلى {origin}"},
    },
}

# A day of a country's press holds thousands of clusters: without --full, each list stops here
# (the JSON always holds everything) so the markdown stays a document a desk can open (< 1 MB).
LIMITS = {"stories": 30, "story_facts": 5, "clusters": 100, "single": 300, "documents": 100}


MAX_NAMED = 12                   # outlets the summary names before it gives a count


class _Lookup:
    def __init__(self, analysis: Analysis, h: Mapping, *, language: str = "en",
                 marks: ReviewMarks | None = None) -> None:
        self.docs = {d.id: d for d in analysis.documents}
        self.claims = {c.id: c for c in analysis.claims}
        self.labels = doc_labels(analysis.documents)
        self.h = h
        self.language = language
        self.marks = marks            # reviewers' decisions (review_marks.py), None without a store

    def label(self, doc_id: str) -> str:
        return self.labels.get(doc_id, doc_id)

    def date(self, doc_id: str) -> str:
        return md_text(self.docs[doc_id].published) or self.h["undated_doc"]

    def origin(self, origin: str) -> str:
        """An origin as the report names it: a document's own origin by the document's label."""
        return self.label(origin[4:]) if origin.startswith("doc:") else md_text(origin)


def _quote(text: str) -> str:
    """Article text on one line, escaped: no markup of an article survives into the report."""
    return md_text(text)


def _claim_line(claim: Claim, look: _Lookup) -> str:
    h = look.h
    line = (f"- **{look.label(claim.doc_id)}** · {look.date(claim.doc_id)} · "
            f"[{claim.start}:{claim.end}] — «{_quote(claim.text)}»")
    extra = []
    if claim.attributed_to:
        extra.append(f"{h['attributed']}: {h['comma'].join(md_text(a) for a in claim.attributed_to)}")
    if claim.time and claim.time_basis != "published":
        extra.append(f"{h['time']}: {md_text(claim.time)}")
    line += f" _({h['semicolon'].join(extra)})_" if extra else ""
    return line + claim_suffix(look.marks, claim.id, look.language)


def _note(note: OriginNote, look: _Lookup) -> str:
    """An origin note in the report's language, each side named as the report names it."""
    return look.h["notes"][note.how].format(outlet=look.origin(note.outlet), origin=look.origin(note.origin))


def _how_sure(cluster: Cluster, look: _Lookup) -> str:
    h = look.h
    names = h["comma"].join(look.origin(o) for o in cluster.origins) or h["none"]
    parts = [h["origins"].format(n=cluster.independent_sources, names=names)]
    docs_by_origin: dict[str, set[str]] = {}
    for claim in (look.claims[c] for c in cluster.claim_ids):
        if claim.origin:
            docs_by_origin.setdefault(claim.origin, set()).add(claim.doc_id)
    relays = sorted(o for o, docs in docs_by_origin.items() if len(docs) > 1)
    if relays:
        docs = sum(len(docs_by_origin[o]) for o in relays)
        parts.append(h["relays"].format(n=docs, names=h["comma"].join(look.origin(o) for o in relays)))
    if cluster.anonymous_only:
        parts.append("⚠ " + h["anonymous"])
    if cluster.origin_notes:
        parts.append(f"{h['origin_note']}: " + h["comma"].join(_note(n, look) for n in cluster.origin_notes))
    return f"_{h['how_sure']}: " + h["semicolon"].join(parts) + "_"


def _cluster_section(clusters: tuple[Cluster, ...], look: _Lookup,
                     in_conflicts: Mapping[str, list[int]] | None = None, *,
                     limit: int | None = None) -> list[str]:
    h = look.h
    lines = []
    for n, cluster in enumerate(clusters[:limit], 1):
        size = h["cluster_one"] if len(cluster.claim_ids) == 1 else h["cluster"].format(
            n=len(cluster.claim_ids), d=len(cluster.doc_ids))
        lines.append(f"### {n}. `{cluster.id}` — {size}")
        lines += cluster_lines(look.marks, cluster.id, look.language)
        sure = _how_sure(cluster, look)
        sure += evidence_note(cluster, look.claims, language="ar" if look.h is TEXT["ar"] else "en")
        numbers = sorted({k for c in cluster.claim_ids for k in (in_conflicts or {}).get(c, ())})
        if numbers:
            sure += " · " + h["in_conflicts"].format(numbers=h["comma"].join(f"#{k}" for k in numbers))
        lines += [sure, ""]
        lines.extend(_claim_line(look.claims[c], look) for c in cluster.claim_ids)
        lines.append("")
    if limit is not None and len(clusters) > limit:
        lines += [h["cut"].format(shown=limit, n=len(clusters)), ""]
    return lines or [h["none"], ""]


# --- the stories: what a desk reads first on a large pile ----------------------------------

def _fact_line(cluster: Cluster, look: _Lookup, detail: str) -> str:
    first = look.claims[cluster.claim_ids[0]]
    return f"  - «{_gist(first.text, None, 16)}» ({md_code(cluster.id)}; {detail})"


def _stories_section(analysis: Analysis, look: _Lookup, in_conflicts: Mapping[str, list[int]], *,
                     full: bool) -> list[str]:
    """The stories told by several documents, ranked as `Analysis.stories` is (independent
    origins first): per story its confirmed facts, the facts several origins tell but a
    conflict disputes, the facts that rest on one relayed origin, single-document facts worth
    checking (anonymous sources first) and its conflicts."""
    h = look.h
    told = [s for s in analysis.stories if len(s.doc_ids) > 1]
    if not told:
        return []
    limit = None if full else LIMITS["stories"]
    facts = None if full else LIMITS["story_facts"]
    shown = "" if full or len(told) <= LIMITS["stories"] else h["stories_shown"].format(k=LIMITS["stories"])
    clusters = {k.id: k for k in analysis.clusters}
    out = [f"## {h['stories']}", "", h["stories_intro"].format(n=len(told), shown=shown), ""]
    for n, story in enumerate(told[:limit], 1):
        members = [clusters[k] for k in story.cluster_ids if k in clusters]
        out += [f"### {n}. " + h["story_head"].format(label=f"«{_gist(story.label, None, 14)}»",
                                                    docs=len(story.doc_ids), outlets=len(story.outlets),
                                                    origins=len(story.origins)), ""]
        # a fact in a conflict is not confirmed, however many origins tell it
        confirmed = [k for k in members if k.independent_sources >= 2 and k.status != "conflicted"]
        disputed = [k for k in members if k.independent_sources >= 2 and k.status == "conflicted"]
        relayed = [k for k in members if k.independent_sources < 2 and len(k.doc_ids) > 1]
        single = sorted((k for k in members if len(k.doc_ids) == 1),
                        key=lambda k: (not k.anonymous_only, -len(k.claim_ids)))

        def origins(k: Cluster) -> str:
            return h["fact_origins"].format(n=k.independent_sources,
                                            names=h["comma"].join(look.origin(o) for o in k.origins))

        def conflicts_of(k: Cluster) -> str:
            numbers = sorted({x for c in k.claim_ids for x in in_conflicts.get(c, ())})
            return h["in_conflicts"].format(numbers=h["comma"].join(f"#{x}" for x in numbers))

        for key, chosen, detail in (
                ("story_confirmed", confirmed, origins),
                ("story_disputed", disputed, lambda k: f"{origins(k)} · {conflicts_of(k)}"),
                ("story_relayed", relayed, lambda k: h["fact_relayed"].format(
                    origin=h["comma"].join(look.origin(o) for o in k.origins), n=len(k.doc_ids))),
                ("story_single", single, lambda k: look.label(k.doc_ids[0])
                 + (" · ⚠ " + h["anonymous"] if k.anonymous_only else ""))):
            if not chosen:
                continue
            out.append(f"- **{h[key]}** ({len(chosen)})")
            out += [_fact_line(k, look, detail(k)) for k in chosen[:facts]]
            if facts is not None and len(chosen) > facts:
                out.append("  - " + h["story_more"].format(n=len(chosen) - facts))
        numbers = sorted({x for k in members for c in k.claim_ids for x in in_conflicts.get(c, ())})
        if numbers:
            out.append(f"- **{h['story_conflicts']}**: " + number_ranges(numbers, h["comma"]))
        out.append("")
    if limit is not None and len(told) > limit:
        out += [h["cut"].format(shown=limit, n=len(told)), ""]
    return out


# --- one sentence per conflict -------------------------------------------------------------

def _cue_words(conflict: Conflict, a: Claim, b: Claim) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(kind, word as the claim spells it) for claim a and for claim b, from the conflict's cues.

    Cues name normalised words ("outcome: توقف vs غير ناجحه", "negation: لا only in b",
    "antonym: علق vs استئناف" with stems); each is found again in its claim's own text.
    """
    sides: tuple[list, list] = ([], [])
    for cue in conflict.cues:
        kind, _, detail = cue.partition(": ")
        if kind == "negation":
            word, _, side = detail.rpartition(" only in ")
            pairs = [(0 if side == "a" else 1, word)]
        elif kind == "contrast":
            pairs = [(n, detail) for n, claim in enumerate((a, b)) if as_written(claim.text, detail, whole=True)]
        elif " vs " in detail:
            left, right = detail.split(" vs ", 1)
            right = right.split(" (")[0]                      # "3 vs 5 (جنود)": the noun
            if kind == "date":                                # "year 2020 vs 2021"
                left = left.split()[-1]
            pairs = [(0, left), (1, right)]
        else:
            continue
        for side, word in pairs:
            claim = (a, b)[side]
            # antonym cues name stems («علق» of «ستعلق»); the others name whole words
            sides[side].append((kind, as_written(claim.text, word, whole=kind != "antonym") or word))
    return sides


def _gist(text: str, anchor: str | None, words: int = 12) -> str:
    """About `words` words of a claim around `anchor` (words of the claim), for one sentence."""
    parts = text.split()
    at = 0
    if anchor:
        first = anchor.split()[0]
        at = next((i for i, w in enumerate(parts) if first in w), 0)
    start = max(0, min(at - words // 2, len(parts) - words))
    piece = md_text(" ".join(parts[start:start + words]))
    return ("… " if start else "") + piece + (" …" if start + words < len(parts) else "")


def _years(iso: str) -> float:
    parts = [int(p) for p in iso.split("-")]
    month = parts[1] if len(parts) > 1 else 7
    day = parts[2] if len(parts) > 2 else 15
    return parts[0] + (month - 1) / 12 + (day - 1) / 365


def _when(conflict: Conflict, time_a: str | None, time_b: str | None, h: Mapping) -> str:
    """When claim b speaks, told from claim a: "3 years earlier (2021-08)"."""
    if conflict.temporal == "unknown" or not time_a or not time_b:
        return h["unknown_time"]
    if conflict.temporal == "same-period":
        return h["same_period"].format(time=time_b)
    gap = _years(time_b) - _years(time_a)
    n, unit = (round(abs(gap)), h["years"]) if abs(gap) >= 1 else (max(1, round(abs(gap) * 12)), h["months"])
    return h["earlier" if gap < 0 else "later"].format(n=n, unit=unit[n != 1], time=time_b)


def conflict_sentence(conflict: Conflict, look: _Lookup) -> str:
    """One plain sentence: who says what, when, and the words (as spelt) the conflict rests on."""
    h = look.h
    a, b = look.claims[conflict.claim_a], look.claims[conflict.claim_b]
    words_a, words_b = _cue_words(conflict, a, b)

    def bracket(words: list[tuple[str, str]]) -> str:
        kinds: dict[str, list[str]] = {}           # one word named by several cues is shown once
        for kind, word in words:
            kinds.setdefault(word, [])
            if h["cues"].get(kind, kind) not in kinds[word]:
                kinds[word].append(h["cues"].get(kind, kind))
        parts = [f"{h['comma'].join(k)}: «{md_text(w)}»" for w, k in kinds.items()]
        return f" [{h['semicolon'].join(parts)}]" if parts else ""

    time_a = a.time or look.docs[a.doc_id].published
    time_b = b.time or look.docs[b.doc_id].published
    return h["says"].format(
        label=look.label(a.doc_id), time=time_a or h["undated_doc"],
        gist=_gist(a.text, words_a[0][1] if words_a else None), cue=bracket(words_a),
        other=h["same_doc"] if a.doc_id == b.doc_id else look.label(b.doc_id),
        when=_when(conflict, time_a, time_b, h),
        gist_b=_gist(b.text, words_b[0][1] if words_b else None), cue_b=bracket(words_b))


def _conflict_block(conflict: Conflict, number: int, look: _Lookup) -> list[str]:
    """One conflict; `number` is its place in `Analysis.conflicts`, as on the timeline picture."""
    h = look.h
    a, b = look.claims[conflict.claim_a], look.claims[conflict.claim_b]
    scope = h["scopes"].get(conflict.scope, conflict.scope)
    rows = ["| " + " | ".join(h["table"]) + " |", "|---|---|---|"]
    source, published, time, claim = h["rows"]
    rows.append(f"| {source} | {look.label(a.doc_id)} | {look.label(b.doc_id)} |")
    rows.append(f"| {published} | {look.date(a.doc_id)} | {look.date(b.doc_id)} |")
    rows.append(f"| {time} | {_time_cell(a, h)} | {_time_cell(b, h)} |")
    rows.append(f"| {claim} | «{_quote(a.text)}» [{a.start}:{a.end}] | «{_quote(b.text)}» [{b.start}:{b.end}] |")
    said = (h["said_by"].format(a=look.origin(conflict.said_by[0]), b=look.origin(conflict.said_by[1]))
            if len(conflict.said_by) == 2 else "")
    return [f"**#{number}** {conflict_sentence(conflict, look)}", "",
            "_" + h["kinds"].get(conflict.kind, md_text(conflict.kind)) + " · "
            + h["score_line"].format(score=f"{conflict.score:.2f}", scope=scope) + said + "_", "",
            *conflict_lines(look.marks, conflict, look.language), *rows, ""]


def _time_cell(claim: Claim, h: Mapping) -> str:
    basis = h["basis"].get(claim.time_basis or "none", claim.time_basis)
    return f"{md_text(claim.time) or '?'} ({basis})"


# --- the report ----------------------------------------------------------------------------

def _summary(analysis: Analysis, s: Sections, h: Mapping) -> list[str]:
    per_outlet = Counter(d.outlet for d in analysis.documents if d.outlet)
    outlets = sorted(per_outlet, key=lambda o: (-per_outlet[o], o))
    if len(outlets) > MAX_NAMED:          # a pile from many sites: the biggest, then a count
        outlets = outlets[:MAX_NAMED] + [h["more"].format(n=len(outlets) - MAX_NAMED)]
    named = sum(per_outlet.values())
    unnamed = len(analysis.documents) - named
    parts = []
    if named:
        parts.append(h["sum_named"].format(n=named, names=h["comma"].join(md_text(o) for o in outlets)))
    if unnamed:
        parts.append(h["sum_unnamed"].format(n=unnamed))
    out = ["- " + h["sum_docs"].format(n=len(analysis.documents))
           + (" — " + h["semicolon"].join(parts) if parts else "")]
    dates = sorted(d.published for d in analysis.documents if d.published)
    if dates:
        line = h["sum_dates"].format(first=dates[0], last=dates[-1])
        if len(dates) < len(analysis.documents):
            line += f" ({h['sum_undated'].format(n=len(analysis.documents) - len(dates))})"
        out.append("- " + line)
    out.append("- " + h["sum_claims"].format(
        n=sum(len(c.claim_ids) for part in (s.corroborated, s.conflicted, s.relayed, s.single) for c in part),
        k=s.clusters, corroborated=len(s.corroborated), conflicted=len(s.conflicted),
        relayed=len(s.relayed), single=len(s.single)))
    out.append("- " + h["sum_conflicts"].format(n=s.conflicts, updates=len(s.updates),
                                                contradictions=len(s.contradictions),
                                                undated=len(s.undated)))
    if analysis.skipped:
        out.append("- " + h["sum_skipped"].format(n=len(analysis.skipped)))
    return out


def to_markdown(analysis: Analysis, *, name: str = "analysis", language: str = "en",
                figures: Mapping[str, str] | None = None, review: ReviewMarks | None = None,
                full: bool = False) -> str:
    """The human report. `figures` maps "outlets"/"timeline" to image paths relative to the report;
    `review` holds the reviewers' decisions of a review store, each shown where it applies.

    Every count in the summary is the length of a list a section prints (`report_sections`),
    and all text the report writes itself is in `language` ("en" or "ar"). The stories come
    first. Without `full`, long lists stop at `LIMITS` and say how many they leave to the JSON,
    so a day of a country's press stays a report one can open.
    """
    h = TEXT[language]
    look = _Lookup(analysis, h, language=language, marks=review)
    figures = figures or {}
    s = report_sections(analysis)
    shown = md_code(name) if language == "ar" else md_text(name)
    out = [f"# {h['title'].format(name=shown)}", "", f"## {h['summary']}", "", *_summary(analysis, s, h), ""]
    in_conflicts: dict[str, list[int]] = {}
    for n, conflict in enumerate(analysis.conflicts, 1):
        for cid in (conflict.claim_a, conflict.claim_b):
            in_conflicts.setdefault(cid, []).append(n)
    out += _stories_section(analysis, look, in_conflicts, full=full)
    limit = None if full else LIMITS["clusters"]

    out += [f"## {h['documents']}", ""]
    counts = Counter(c.doc_id for c in analysis.claims)
    if full or len(analysis.documents) <= LIMITS["documents"]:
        out += ["| " + " | ".join(h["doc_cols"]) + " |", "|" + "---|" * len(h["doc_cols"])]
        for d in analysis.documents:
            title = f"«{_quote(d.title)}»" if d.title and d.title.strip() else "-"
            out.append(f"| {look.label(d.id)} | {md_code(d.id)} | {md_text(d.outlet) or '-'} | "
                       f"{md_text(d.published) or '-'} | {h['comma'].join(md_text(s) for s in d.cited_sources) or '-'} "
                       f"| {counts[d.id]} | {title} |")
    else:
        out += [h["docs_cut"].format(n=len(analysis.documents)), "",
                "| " + " | ".join(h["outlet_cols"]) + " |", "|" + "---|" * len(h["outlet_cols"])]
        per: dict[str, list] = {}
        for d in analysis.documents:
            per.setdefault(d.outlet or "-", []).append(d)
        for outlet, docs in sorted(per.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            dates = sorted(d.published for d in docs if d.published)
            span = (dates[0] if dates[0] == dates[-1] else f"{dates[0]} – {dates[-1]}") if dates else "-"
            out.append(f"| {md_text(outlet)} | {len(docs)} | {sum(counts[d.id] for d in docs)} | {md_text(span)} |")

    out += ["", f"## {h['corroborated']}", "", *_cluster_section(s.corroborated, look, limit=limit)]

    out += [f"## {h['conflicts']}", "", h["leads"] if s.conflicts else h["none"], ""]
    if figures.get("timeline"):
        out += [f"![{h['timeline_alt']}]({md_link_target(figures['timeline'])})", ""]
        rows = timeline_rows(analysis)
        if rows.untimed:
            out += [h["not_drawn"].format(numbers=number_ranges(rows.untimed, h["comma"])), ""]
        if rows.beyond:
            out += [h["beyond"].format(numbers=number_ranges(rows.beyond, h["comma"]), limit=len(rows.shown)), ""]
    for key in ("updates", "contradictions", "undated"):
        chosen = getattr(s, key)
        if chosen:
            out += [f"### {h[key]}", ""]
            for number, conflict in chosen:
                out += _conflict_block(conflict, number, look)

    out += [f"## {h['conflicted']}", "", *_cluster_section(s.conflicted, look, in_conflicts, limit=limit)]
    out += [f"## {h['relayed']}", "", *_cluster_section(s.relayed, look, limit=limit)]

    single = s.single if full else s.single[:LIMITS["single"]]
    out += [f"## {h['single']}", "", h["single_intro"].format(n=len(s.single)), "", "<details>", ""]
    for cluster in single:
        first, *rest = (look.claims[c] for c in cluster.claim_ids)
        out.append(_claim_line(first, look) + cluster_suffix(look.marks, cluster.id, look.language))
        out += ["  " + _claim_line(c, look) for c in rest]
    out += ["", "</details>", ""]
    if len(single) < len(s.single):
        out += [h["cut"].format(shown=len(single), n=len(s.single)), ""]

    if figures.get("outlets"):
        out += [f"## {h['picture']}", "", f"![{h['outlets_alt']}]({md_link_target(figures['outlets'])})", ""]
        grid = outlet_grid(analysis)
        if grid is not None:
            note = (h["grid_all"] if len(grid.clusters) == grid.multi_doc else h["grid_note"]).format(
                k=len(grid.clusters), n=grid.multi_doc)
            out += [note + (h["grid_others"].format(m=grid.others) if grid.others else ""), ""]

    out += review_section(review, analysis, lambda c: _gist(look.claims[c].text, None, 16), language)

    settings = analysis.settings
    out += [f"## {h['method']}", "",
            h["version"].format(version=__version__, encoder=analysis.encoder or h["precomputed"]), "",
            h["score_help"].format(contrast=settings.contrast_score, outcome=settings.outcome_score,
                                   threshold=settings.conflict_threshold, rule=settings.rule_threshold), "",
            h["status_help"], "",
            "| " + " | ".join(h["settings_cols"]) + " |", "|---|---|"]
    out += [f"| {md_code(k)} | {md_code(str(v))} |" for k, v in settings.as_dict().items()]
    if analysis.skipped:
        out += ["", f"## {h['skipped']}", ""]
        for item in analysis.skipped:
            said = h["skip_kinds"].get(item.kind)
            out.append(f"- {md_code(str(item.path))} — {said}" if said else f"- {md_text(item.reason)}")
    text = "\n".join(out).rstrip() + "\n"
    if language == "ar":
        text = f'<div dir="rtl" lang="ar">\n\n{text}\n</div>\n'
    return text
