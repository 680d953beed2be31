"""Stories stage: documents that tell one story (an event, a topic of the day), and the facts
(clusters) each story holds. A story is a reading aid for a large pile, never a corroboration:
only a cluster — one fact — is counted as confirmed."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from .cluster import GroupGraph, link_groups
from .model import Claim, Cluster, Document, Story
from .neighbours import knn, pairs_of


def story_id(doc_ids: Sequence[str]) -> str:
    """A story's id depends only on its documents, so an unchanged story keeps its id."""
    return "s-" + hashlib.sha1("\n".join(sorted(doc_ids)).encode("utf-8")).hexdigest()[:12]


def lead_vectors(claims: Sequence[Claim], vectors: np.ndarray, *, lead: int) -> tuple[list[str], np.ndarray]:
    """Document ids in order of first claim, and one L2-normalised vector per document: the mean
    of its first `lead` claims' vectors (a news story says what it is about in its lead)."""
    rows: dict[str, list[int]] = {}
    for i, c in enumerate(claims):
        got = rows.setdefault(c.doc_id, [])
        if len(got) < lead:
            got.append(i)
    docs = list(rows)
    means = np.stack([vectors[rows[d]].mean(axis=0) for d in docs]) if docs else np.zeros((0, vectors.shape[1]))
    norms = np.linalg.norm(means, axis=1, keepdims=True)
    return docs, (means / np.where(norms > 0, norms, 1)).astype(np.float32)


def group_documents(doc_vectors: np.ndarray, *, similarity: float, k: int,
                    linked: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """A story label per document: average linkage over each document's `k` nearest documents
    (lead-vector cosine, `similarity` or more to merge); `linked` index pairs (a reprint and
    its source, documents sharing a fact) count as cosine 1."""
    n = len(doc_vectors)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    index, cosine = knn(doc_vectors, k=k, floor=-np.inf)
    pairs = pairs_of(index, cosine, floor=-np.inf, k=k)
    values = {(i, j): float(doc_vectors[i] @ doc_vectors[j]) for i, j in pairs}
    for i, j in linked:
        if i != j:
            values[(min(i, j), max(i, j))] = 1.0
    keys = sorted(values)
    rows = np.array([i for i, _ in keys], dtype=np.int64)
    cols = np.array([j for _, j in keys], dtype=np.int64)
    total = np.array([values[p] for p in keys], dtype=np.float64)
    ones = np.ones(len(keys), dtype=np.int64)
    graph = GroupGraph(sizes=np.ones(n, dtype=np.int64), rows=rows, cols=cols, total=total,
                       count=ones, least=total.copy(), most=total.copy())
    return link_groups(graph, similarity=similarity, link="average")


def story_of_documents(claims: Sequence[Claim], vectors: np.ndarray, clusters: Sequence[Cluster],
                       docs_by_id: Mapping[str, Document], *, similarity: float, k: int = 10,
                       lead: int = 3) -> dict[str, str]:
    """Document id -> its story's id: documents grouped by their leads (`group_documents`), with
    every two documents that share a fact of several documents or reprint one another linked.
    `vectors[i]` belongs to `claims[i]` (rows L2-normalised)."""
    docs, doc_vectors = lead_vectors(claims, vectors, lead=lead)
    at = {d: n for n, d in enumerate(docs)}
    linked = []
    for cl in clusters:
        if cl.independent_sources >= 2 or len(cl.doc_ids) >= 2:
            first = at[cl.doc_ids[0]]
            linked.extend((first, at[d]) for d in cl.doc_ids[1:])
    for d in docs:
        source = docs_by_id[d].reprint_of if d in docs_by_id else None
        if source in at:
            linked.append((at[d], at[source]))
    labels = group_documents(doc_vectors, similarity=similarity, k=k, linked=linked)
    members: dict[int, list[str]] = defaultdict(list)
    for d, label in zip(docs, labels.tolist()):
        members[label].append(d)
    return {d: story_id(ds) for ds in members.values() for d in ds}


def group_stories(claims: Sequence[Claim], vectors: np.ndarray, clusters: Sequence[Cluster],
                  docs_by_id: Mapping[str, Document], *, similarity: float, k: int = 10,
                  lead: int = 3) -> tuple[list[Story], dict[str, str]]:
    """Stories (`story_of_documents`), sorted by (-independent origins, -documents, id); and
    cluster id -> story id.

    A fact belongs to the story most of its documents are in; a story is labelled with its
    fact told by the most documents, else its first document's title. `vectors[i]` belongs to
    `claims[i]` (rows L2-normalised)."""
    story_of_doc = story_of_documents(claims, vectors, clusters, docs_by_id, similarity=similarity, k=k, lead=lead)
    members: dict[str, list[str]] = defaultdict(list)
    for d, sid in story_of_doc.items():
        members[sid].append(d)
    text_of = {c.id: c.text for c in claims}
    facts: dict[str, list[Cluster]] = defaultdict(list)
    story_of_cluster = {}
    for cl in clusters:
        votes = Counter(story_of_doc[d] for d in cl.doc_ids if d in story_of_doc)
        if not votes:
            continue
        sid = min(votes, key=lambda s: (-votes[s], s))
        story_of_cluster[cl.id] = sid
        facts[sid].append(cl)
    origin_of = {c.id: c.origin or f"doc:{c.doc_id}" for c in claims}
    stories = []
    for ds in members.values():
        sid = story_of_doc[ds[0]]
        held = facts.get(sid, [])
        told = max(held, key=lambda k: (len(k.doc_ids), k.independent_sources, -len(k.claim_ids)), default=None)
        title = next((docs_by_id[d].title for d in ds if d in docs_by_id and docs_by_id[d].title), None)
        label = text_of[told.claim_ids[0]] if told is not None and len(told.doc_ids) > 1 else title or \
            (text_of[told.claim_ids[0]] if told is not None else sid)
        origins = sorted({origin_of[i] for k in held for i in k.claim_ids})
        outlets = sorted({docs_by_id[d].outlet or f"doc:{d}" for d in ds if d in docs_by_id})
        stories.append(Story(id=sid, cluster_ids=tuple(k.id for k in held), doc_ids=tuple(ds), label=label,
                             outlets=tuple(outlets), origins=tuple(origins)))
    stories.sort(key=lambda s: (-len(s.origins), -len(s.doc_ids), s.id))
    return stories, story_of_cluster
