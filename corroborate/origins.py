"""Origins stage: who each claim rests on, and how many independent origins back each cluster."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from .claims import script_of
from .model import Claim, Cluster, Document, OriginNote
from .text import sources
from .text.attribution import is_anonymous as _unnamed
from .text.lines import is_caption, is_latin_line
from .text.normalize import normalize_text


# what follows an English wire dateline's agency («(AFP) -», «Reuters —»); a credit has none
_DATELINE_DASH = re.compile(r"\s*\)?\s*[-–—]")
_LATIN = re.compile(r"[A-Za-z]")


def _credit(text: str, start: int, end: int) -> bool:
    """Whether the agency named at `text[start:end]` is a picture's or a page's credit, not what
    the claim rests on: written in Latin letters inside an Arabic claim, with no dash after it
    as an English dateline has («… بوتين وبشار الأسد في موسكو ( AFP ) وورد أيضا …», «AP Photo /
    Denis Balibouse / Pool», RT's «| | | | Reuters الرئيسان …»). Arabic news names its sources in
    Arabic («فرانس برس», «رويترز»); Baly folds 1-3, read: docs/accuracy.md."""
    return bool(_LATIN.search(text[start:end])) and script_of(text) == "arabic" \
        and not _DATELINE_DASH.match(text[end:end + 4])


def _named_sources(claim: Claim) -> list[str]:
    """Agencies/outlets the claim itself names as its source, in order of mention; an agency
    named only in a credit (`_credit`) is not one."""
    found = [(n, sources.kind_of(n) == "agency" and _credit(claim.text, a, b))
             for n, a, b in sources.find_sources(claim.text) if sources.kind_of(n) != "photo"]
    named = [n for n, credit in found if not credit]
    credit_only = {n for n, credit in found if credit} - set(named)
    names = [a for a in claim.attributed_to if a in sources.BY_NAME and a not in credit_only]
    if not is_caption(claim.text) and not is_latin_line(claim.text):
        names += named
    return list(dict.fromkeys(n for n in names if sources.kind_of(n) != "photo"))


def is_anonymous(claim: Claim) -> bool:
    """True when the claim rests only on unnamed sources («مصادر», «مسؤول طلب عدم ذكر اسمه»)."""
    return claim.anonymous or _unnamed(claim.attributed_to, claim.text)


# An English wire dateline: an upper-case place (AP style may add a region or a date, «GAZA CITY,
# Gaza Strip (AP) —», «DUBAI, Sept 3 (Reuters) -»), the agency in brackets, then a dash.
_ENGLISH_DATELINE = re.compile(
    r"\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}(?:,\s*[A-Z][\w.'’\- ]{0,30})?\s*)?"
    r"(?P<agency>\([^()]{2,40}\))\s*(?:--|[-–—:])")


# «في مقابلة مع رويترز», «خلال حوار مع وكالة "رويترز"», «في حديث لوكالة سبوتنيك»: the agency
# that held the interview is what a page built on it relays (Baly folds 1-3: R-471's eight pages
# of one Reuters interview, V-7's Sputnik one; none on the SaudiNewsNet day; docs/accuracy.md)
_INTERVIEW = re.compile(r"(?:مقابل[ةه]|حوار|حديث)\s+(?:خاص[ةه]?\s+)?(?:مع|لـ?)\s*(?:وكال[ةه]\s*)?[\"«“]?\s*$")


def relayed_wire(doc: Document, *, lines: int = 8, interview_lines: int = 4) -> str | None:
    """The wire agency a document relays, from its dateline (`Document.dateline`, `wire`) or one
    in its first `lines` lines, or the agency that held the interview its first `interview_lines`
    lines quote (further down, an analysis recalling an old interview: R-40's fifth line), else
    None."""
    if doc.wire:
        return doc.wire
    if doc.dateline and doc.dateline.agency:
        return doc.dateline.agency
    seen = 0
    for line in doc.body.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > lines:
            break
        if is_caption(line):
            continue
        if is_latin_line(line):
            # an English dateline («BAGHDAD (Reuters) -», «(AP) —»); any other English line is a
            # caption or a quote, whose agency names are no dateline
            m = _ENGLISH_DATELINE.match(line)
            wire = m and next((n for n, _, _ in sources.find_sources(m.group("agency"))
                               if sources.kind_of(n) == "agency"), None)
            if wire:
                return wire
            continue
        for name, start, end in sources.find_sources(line):
            if sources.kind_of(name) != "agency":
                continue
            before, after = line[:start], line[end:end + 3]
            # a dateline: at most a place name before, a dash/bracket/colon around the agency
            if len(before.split()) <= 2 and (re.search(r"[-–—(]\s*$", before) or re.match(r"\s*[)\-–—:]", after)
                                             or len(line.split()) <= 4) \
                    or seen <= interview_lines and _INTERVIEW.search(before[-40:]):
                return name
    return None


def document_origin(doc: Document) -> str:
    """The origin a document's own unattributed claims count as: its wire, its outlet, or itself."""
    return relayed_wire(doc) or doc.outlet or f"doc:{doc.id}"


def assign_origins(claims: Sequence[Claim], docs_by_id: Mapping[str, Document], *,
                   carry: int = 3) -> list[Claim]:
    """Fill `Claim.origin` and `Claim.anonymous` for every claim, keeping the input order.

    The origin of a claim is, first match wins: an agency/outlet the claim names as its
    source («قالت مصادر لـ"رويترز"», attributed_to "Reuters"); the outlet named by one
    of the previous `carry` claims of the same
    document (a relay goes on for a few sentences: «ووصفت المصادر ...», «ونقلت الوكالة ...»);
    the wire in the document's dateline; the document's outlet; "doc:<id>" when the outlet
    is unknown (such a document is its own origin). Anonymous sources reported by a named
    outlet keep that outlet as origin (the outlet vouches) and set `anonymous`.
    Speakers (officials, analysts) are not origins: two outlets that each heard a minister
    are two independent reports, and the speaker phrases in attributed_to are free text.
    """
    order = sorted(range(len(claims)), key=lambda i: (claims[i].doc_id, claims[i].start, claims[i].id))
    out: list[Claim | None] = [None] * len(claims)
    last: dict[str, tuple[str, int]] = {}      # doc id -> (outlet last named, claims since)
    fallback: dict[str, str] = {}
    for i in order:
        claim = claims[i]
        doc = docs_by_id.get(claim.doc_id)
        if claim.doc_id not in fallback:
            fallback[claim.doc_id] = document_origin(doc) if doc else f"doc:{claim.doc_id}"
        named = _named_sources(claim)
        if named:
            origin = named[0]
            last[claim.doc_id] = (origin, 0)
        else:
            previous, since = last.get(claim.doc_id, (None, carry))
            origin = previous if previous and since < carry else fallback[claim.doc_id]
            if previous:
                last[claim.doc_id] = (previous, since + 1)
        out[i] = dataclasses.replace(claim, origin=origin, anonymous=is_anonymous(claim))
    done = [c for c in out if c is not None]
    return _headlines_to_their_story(done, docs_by_id, fallback)


def _headlines_to_their_story(claims: list[Claim], docs_by_id: Mapping[str, Document],
                              fallback: Mapping[str, str]) -> list[Claim]:
    """A headline that names no source summarises its own article: when most of the article's
    attributed claims rest on one origin («رويترز: …», «قالت المصادر لرويترز»), the headline
    takes that origin instead of counting as one of its own."""
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        by_doc.setdefault(c.doc_id, []).append(i)
    out = list(claims)
    for doc_id, indices in by_doc.items():
        doc = docs_by_id.get(doc_id)
        title = normalize_text(doc.title or "").strip() if doc else ""
        own = fallback.get(doc_id)
        attributed = Counter(claims[i].origin for i in indices if claims[i].origin != own)
        if not title or not attributed:
            continue
        origin, n = attributed.most_common(1)[0]
        if n < 2 or 2 * n < sum(attributed.values()):
            continue
        for i in indices:
            text = normalize_text(claims[i].text).strip()
            if claims[i].origin == own and (text == title or fuzz.ratio(text, title) >= 90):
                out[i] = dataclasses.replace(claims[i], origin=origin)
    return out


def origin_notes(members: Sequence[Claim], docs_by_id: Mapping[str, Document]) -> tuple[OriginNote, ...]:
    """Why outlets count as fewer origins, one note per outlet whose claim rests on another:
    Okaz copies SPA's words, Al Yaum reprints SPA, Al Madina relays SPA (its dateline),
    Al Riyadh attributes it to Reuters."""
    notes = set()
    for claim in members:
        doc = docs_by_id.get(claim.doc_id)
        outlet = doc.outlet if doc and doc.outlet else f"doc:{claim.doc_id}"
        origin = claim.origin or f"doc:{claim.doc_id}"
        if origin == outlet:
            continue
        how = ("copies" if claim.copy_of else "reprints" if doc and doc.reprint_of
               else "relays" if doc and doc.wire == origin else "attributes")
        notes.add(OriginNote(outlet=outlet, how=how, origin=origin))
    return tuple(sorted(notes, key=lambda n: (n.outlet, n.how, n.origin)))


def _one_voice_per_document(members: Sequence[Claim], docs_by_id: Mapping[str, Document]) -> list[Claim]:
    """`members` less the claims that rest on their own document while another member of the
    same document states the fact on someone else's word: one article does not confirm what
    it reports from Reuters by restating it unattributed (its headline, its summary line).
    Baly folds 1-3, 40 corroborated clusters read: 3 counted a page's headline as the outlet
    and its body as Reuters (docs/origin-sample.md)."""
    # what each document speaks as: its wire, its outlet (a page that names its own site,
    # «- بوابة الأهرام», still speaks for itself), or itself
    voices = {}
    for d in {c.doc_id for c in members}:
        doc = docs_by_id.get(d)
        voices[d] = {f"doc:{d}"} | ({document_origin(doc), doc.outlet} if doc else set())

    def own(c: Claim) -> bool:
        """Whether `c` rests on its own document (or names no origin)."""
        return c.origin is None or c.origin in voices[c.doc_id]

    elsewhere = {c.doc_id for c in members if not own(c)}
    return [c for c in members if c.doc_id not in elsewhere or not own(c)]


def score_independence(cluster: Cluster, claims_by_id: Mapping[str, Claim],
                       docs_by_id: Mapping[str, Document]) -> Cluster:
    """Fill outlets, origins, independent_sources, status and anonymous_only for one cluster.

    Claims need `origin` set (see `assign_origins`). Status: "corroborated" with at least two
    distinct origins, "relayed" with several documents but one origin, else "single-source".
    Only the members count, and a document's unattributed restatement of a fact it attributes
    in another member does not (`_one_voice_per_document`). Claims of other clusters that also
    state this one's fact (`also_supports`) are shown beside it but add no origin: on a day of
    Saudi press 333 of 889 corroborated clusters were corroborated only through such a claim,
    and 1 or 2 of 8 drawn were one fact (docs/accuracy.md).
    """
    members = [claims_by_id[i] for i in cluster.claim_ids]
    outlets = []
    for claim in members:
        doc = docs_by_id.get(claim.doc_id)
        outlets.append(doc.outlet if doc and doc.outlet else f"doc:{claim.doc_id}")
    origins = [c.origin or f"doc:{c.doc_id}" for c in _one_voice_per_document(members, docs_by_id)]
    notes = origin_notes(members, docs_by_id) if len(set(outlets)) > len(set(origins)) else ()
    outlets, origins = tuple(sorted(set(outlets))), tuple(sorted(set(origins)))
    if len(origins) >= 2:
        status = "corroborated"
    elif len(set(cluster.doc_ids)) >= 2:
        status = "relayed"
    else:
        status = "single-source"
    return dataclasses.replace(cluster, outlets=outlets, origins=origins,
                               independent_sources=len(origins), status=status,
                               anonymous_only=bool(members) and all(c.anonymous for c in members),
                               origin_notes=notes)
