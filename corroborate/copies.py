"""Copies stage: the same words in several documents are one origin — a wire dispatch, a press
release, a ministry statement, a reprint — whether or not the reprint says so."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .model import Claim, Document
from .neighbours import Copies
from .origins import document_origin
from .text import sources
from .text.lexicon import words
from .text.tokens import tokens

# Clusters a run of words may appear in before it is a formula rather than one copied text.
# SaudiNewsNet 2015-08-10: the runs found in 3 or more clusters (100 of 8 words, 169 of 6) are
# mostly royal and official titles and offices' names, the rest a statement's phrase that
# several of its facts repeat (left to the other copy tests); read: a venue's name, a
# governor's title, the GCC secretary-general's (docs/origin-sample.md).
FORMULA_CLUSTERS = 3


def copy_components(copies: Copies, texts: Sequence[str] | None = None,
                    clusters: Sequence[Sequence[int]] = (), *, fuzzy: float = 88.0,
                    min_chars: int = 50, run: int = 0) -> np.ndarray:
    """A component number per claim: claims joined by a chain of near-verbatim copies share one.

    `copies` joins identical texts (one group) and pairs of groups found among neighbours. Inside
    each of `clusters` (index lists: claims already judged one fact) every two members of
    different documents are compared again on their normalised `texts`: rapidfuzz ratio >=
    `fuzzy`, or partial ratio >= `fuzzy` when the shorter has `min_chars` or more (a paper that
    cuts the wire's sentence in two, or joins two of them, still prints the wire's words), or,
    when `run` is above 0, the two share a run of `run` words in a row (a wire sentence that a
    site rewords around its core, or prints inside its own headline furniture) that is not a
    formula: a run found in `FORMULA_CLUSTERS` or more of `clusters` is a title or a name, and so
    is a run through a person's name («بن», «آل»: `name_link` in stopwords.tsv)."""
    parent = list(range(len(copies.group)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first: dict[int, int] = {}
    for i, g in enumerate(copies.group.tolist()):
        join(first.setdefault(g, i), i)
    for g, h in sorted(copies.pairs):
        join(first[g], first[h])
    runs: dict[int, set[tuple[str, ...]]] = {}

    def shingles(i: int) -> set[tuple[str, ...]]:
        if i not in runs:
            words = tokens(texts[i])
            runs[i] = {tuple(words[s:s + run]) for s in range(len(words) - run + 1)}
        return runs[i]

    formulas: set[tuple[str, ...]] = set()
    if run > 0 and texts is not None:
        # a run found in the facts of several clusters is a formula, not a copied text: a title
        # («خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود»), a venue, an office's name
        spread = Counter(s for members in clusters for s in set().union(*(shingles(i) for i in members)))
        formulas = {s for s, n in spread.items() if n >= FORMULA_CLUSTERS}
        # a run through a person's name («تركي بن عبدالله آل سعود») is the name, however rare
        links = words("name_link")
        formulas |= {s for s in spread if links.intersection(s)}
    for members in clusters:
        for a, i in enumerate(members):
            for j in members[a + 1:]:
                if root(i) == root(j) or texts is None:
                    continue
                x, y = texts[i], texts[j]
                if fuzz.ratio(x, y) >= fuzzy or \
                        min(len(x), len(y)) >= min_chars and fuzz.partial_ratio(x, y) >= fuzzy or \
                        run > 0 and not (shingles(i) & shingles(j)) <= formulas:
                    join(i, j)
    return np.array([root(i) for i in range(len(parent))], dtype=np.int64)


def drawn_on_one_text(claims: Sequence[Claim], component: np.ndarray, clusters: Sequence[Sequence[int]], *,
                      least: int, around: int = 2) -> np.ndarray:
    """`component` with two members of one cluster joined when the passages around them (the
    `around` claims before and after each, in its document) print copied text in `least` or
    more places in common: a passage two pages took from one text, one sentence of it reworded,
    cut short or spun by one of them (a paper's lightly edited AFP story beside the full
    dispatch; a site's synonym-spun Reuters copy). Copies elsewhere in the two pages do not
    count: a round-up that quotes a wire in one paragraph wrote the others itself. 0 leaves
    `component` as it is."""
    if least <= 0:
        return component
    rank: dict[int, int] = {}
    by_doc: dict[str, list[int]] = defaultdict(list)
    for i in sorted(range(len(claims)), key=lambda i: (claims[i].doc_id, claims[i].start)):
        rank[i] = len(by_doc[claims[i].doc_id])
        by_doc[claims[i].doc_id].append(i)
    spread = Counter(component.tolist())
    passages: dict[int, set[int]] = {}

    def near(i: int) -> set[int]:
        """The sets of copies (spanning two or more claims) in the passage around claim i."""
        if i not in passages:
            doc = by_doc[claims[i].doc_id]
            passages[i] = {int(component[k]) for k in doc[max(0, rank[i] - around):rank[i] + around + 1]
                           if spread[int(component[k])] > 1}
        return passages[i]

    edges = [(int(component[i]), int(component[j])) for members in clusters
             for x, i in enumerate(members) for j in members[x + 1:]
             if claims[i].doc_id != claims[j].doc_id and component[i] != component[j]
             and len((near(i) & near(j)) - {int(component[i]), int(component[j])}) >= least]
    if not edges:
        return component
    # the sets of copies the passages tie together, as `matching.anchor_words` joins near copies
    labels, index = np.unique(component, return_inverse=True)
    ends = np.searchsorted(labels, np.array(edges, dtype=np.int64))
    graph = coo_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])), shape=(len(labels), len(labels)))
    return connected_components(graph, directed=False)[1][index].astype(np.int64)


def _rank(doc: Document | None, order: int) -> tuple:
    """Which document of a set of copies is their source: a news agency's own dispatch first,
    then the earliest published, then the first read."""
    agency = doc is not None and (sources.kind_of(doc.outlet or "") == "agency"
                                  or bool(doc.dateline and doc.dateline.agency))
    return (not agency, (doc.published if doc and doc.published else "9999"), order)


@dataclasses.dataclass(frozen=True)
class Reprints:
    """What the copies stage decided: each copied claim's source claim, and each reprinted
    document's source document (both by id)."""

    claim_source: Mapping[str, str]
    doc_source: Mapping[str, str]


def find_reprints(claims: Sequence[Claim], docs_by_id: Mapping[str, Document], component: np.ndarray, *,
                  share: float) -> Reprints:
    """The source of every claim that copies another document's words, and of every document
    that reprints another's.

    `component[i]` numbers the set of near-verbatim copies claim i belongs to (`copy_components`).
    A set of copies across documents has one source claim:
    one that names a news agency as its source, else one that names any source, else the
    agency's own dispatch, else the earliest published, else the first read (`_rank`). A document at
    least `share` of whose claims are copies of one other document's claims reprints it,
    whatever it says or does not say about where the text comes from; the source of a pair of
    documents is ranked the same way. A document of the same outlet is never a reprint
    source (two pages of one outlet are one origin already)."""
    order = {}
    for c in claims:
        order.setdefault(c.doc_id, len(order))
    home = {d: document_origin(doc) for d, doc in docs_by_id.items()}
    members: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(component.tolist()):
        members[k].append(i)
    claim_source: dict[str, str] = {}
    shared: dict[str, Counter[str]] = defaultdict(Counter)     # doc -> other doc -> claims copied
    for indices in members.values():
        docs = {claims[i].doc_id for i in indices}
        if len(docs) < 2:
            continue
        # a copy that names the agency it comes from («وفقا لـ"الأناضول"») is the source of the rest,
        # then one that names any source of its own («نقلا عن روسيا اليوم»)
        source = min(indices, key=lambda i: (sources.kind_of(claims[i].origin or "") != "agency",
                                             claims[i].origin in (None, home.get(claims[i].doc_id)),
                                             _rank(docs_by_id.get(claims[i].doc_id), order[claims[i].doc_id]),
                                             claims[i].start))
        for i in indices:
            if claims[i].doc_id != claims[source].doc_id:
                claim_source[claims[i].id] = claims[source].id
        for a in docs:
            for b in docs - {a}:
                shared[a][b] += 1
    sizes = Counter(c.doc_id for c in claims)
    doc_source: dict[str, str] = {}
    for doc_id, others in shared.items():
        doc = docs_by_id.get(doc_id)
        for other, n in sorted(others.items(), key=lambda kv: (-kv[1], order[kv[0]])):
            source = docs_by_id.get(other)
            if n < share * sizes[doc_id]:
                break
            if doc and source and doc.outlet and doc.outlet == source.outlet:
                continue
            if _rank(source, order[other]) < _rank(doc, order[doc_id]):
                doc_source[doc_id] = other
                break
    return Reprints(claim_source=claim_source, doc_source=doc_source)


def _agencies(doc: Document | None) -> set[str]:
    """The news agencies a document names among its sources (`Document.cited_sources`)."""
    return {a for a in doc.cited_sources if sources.kind_of(a) == "agency"} if doc else set()


def assign_copy_origins(claims: Sequence[Claim], docs_by_id: Mapping[str, Document],
                        reprints: Reprints) -> list[Claim]:
    """`claims` with the origin of copied words set to their source's origin (`copy_of` names
    the source claim), and the claims of a reprinted document that rest on the document
    itself given the origin of the document it reprints. The same words are one origin even
    where a copy names a source of its own: the source claim is the copy that names one
    (`find_reprints`) and the rest take its origin («… بحسب روسيا اليوم» on one site and the
    same sentence unattributed on three others is one report). Where the source claim names
    none, but every page printing the words names one and the same agency among its sources,
    the words are that agency's. A claim of a reprinted document that names a source of its
    own keeps it.

    Chains resolve to their start: a paper that reprints a paper that reprints the agency's
    dispatch takes the agency as origin, and a copy of a claim takes that claim's origin after
    its own document's reprint is resolved."""
    by_id = {c.id: c for c in claims}
    home = {d: document_origin(doc) for d, doc in docs_by_id.items()}

    def first_document(doc_id: str) -> str:
        seen = {doc_id}
        while doc_id in reprints.doc_source and reprints.doc_source[doc_id] not in seen:
            doc_id = reprints.doc_source[doc_id]
            seen.add(doc_id)
        return doc_id

    def own_source(c: Claim) -> bool:
        return c.origin not in (None, home.get(c.doc_id))

    # words several pages print alike, every one of them naming the same one agency among its
    # sources, are that agency's words, even where the page their source is taken from prints
    # them in its own voice (Baly folds 1-3: Sputnik's headline, copied by jpnews-sy, over a
    # story both pages credit to Reuters; docs/accuracy.md)
    printed_by: dict[str, set[str]] = defaultdict(set)      # a set of copies' source -> its documents
    for copy, source in reprints.claim_source.items():
        printed_by[source] |= {by_id[copy].doc_id, by_id[source].doc_id}
    agencies = {d: _agencies(docs_by_id.get(d)) for docs in printed_by.values() for d in docs}   # once a page
    for source, docs in printed_by.items():
        if not own_source(by_id[source]):
            credited = set.intersection(*(agencies[d] for d in docs))
            if len(credited) == 1:
                by_id[source] = dataclasses.replace(by_id[source], origin=next(iter(credited)))

    def resolved(c: Claim) -> Claim:
        """`c` with its document's reprint applied (not its words' copy)."""
        if c.doc_id in reprints.doc_source and not own_source(c):
            return dataclasses.replace(c, origin=home[first_document(c.doc_id)])
        return c

    out = []
    for c in claims:
        c = by_id[c.id]
        source = reprints.claim_source.get(c.id)
        if source is not None:
            c = dataclasses.replace(c, origin=resolved(by_id[source]).origin, copy_of=source)
        else:
            c = resolved(c)
        out.append(c)
    return out
