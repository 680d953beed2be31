"""analyze(): runs the stages in order, from documents to an Analysis."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .claims import split_claims
from .cluster import cluster_claims, near_copies
from .conflicts import find_conflicts, mark_conflicted
from .encode import Encoder, SentenceTransformerEncoder, default_encoder
from .errors import InputError
from .ingest import read_inputs
from .model import Analysis, Claim, Document, Settings, Skipped
from .normalize import normalize_text
from .origins import assign_origins, score_independence
from .samefact import default_same_fact_model, same_fact_affinity
from .timescope import with_time

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def encoder_for(settings: Settings, *, progress: bool = False) -> Encoder:
    """The encoder `settings` asks for: a model directory, or the built-in e5 model."""
    if settings.model:
        return SentenceTransformerEncoder(settings.model, batch_size=settings.batch_size,
                                          progress=progress)
    encoder = default_encoder()
    if hasattr(encoder, "progress"):
        encoder.progress = progress
    return encoder


def analyze(inputs: Sequence[Document] | Sequence[str | Path] | str | Path, *,
            encoder: Encoder | None = None, vectors: np.ndarray | None = None,
            settings: Settings | None = None, encoding: str | None = None,
            relation_model=None, same_fact_model=None, log: Progress | None = None,
            progress_bar: bool = False) -> Analysis:
    """Split, embed, cluster and cross-check the claims of `inputs` (documents or paths).

    Paths are read with `read_inputs`; inputs that cannot be read are listed in
    `Analysis.skipped` and the rest are analyzed. `vectors` (one L2-normalised row per
    claim, in claim order) skips the encoder, as BERTopic's `embeddings=` does.
    `log` receives one line per stage (the CLI prints them on stderr).
    """
    settings = settings or Settings()
    log = log or _quiet
    skipped: list[Skipped] = []
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if inputs and all(isinstance(x, Document) for x in inputs):
        documents = list(inputs)
    else:
        documents, skipped = read_inputs(list(inputs), encoding=encoding)
    if not documents:
        raise InputError("No article could be read: "
                         + ("; ".join(s.reason for s in skipped) or "no inputs given"))
    log(f"read {len(documents)} documents" + (f", skipped {len(skipped)}" if skipped else ""))

    docs_by_id = {d.id: d for d in documents}
    claims: list[Claim] = []
    for doc in documents:
        found = split_claims(doc, min_chars=settings.min_claim_chars,
                             max_chars=settings.max_claim_chars)
        if not found:
            skipped.append(Skipped(str(doc.path or doc.id),
                                   f"{doc.path or doc.id}: no claims found (no sentence of "
                                   f"{settings.min_claim_chars}+ characters outside boilerplate)"))
        claims.extend(with_time(c, doc) for c in found)
    if not claims:
        raise InputError("No claims found in any input: "
                         + "; ".join(s.reason for s in skipped))
    claims = assign_origins(claims, docs_by_id, carry=settings.origin_carry)
    log(f"split {len(claims)} claims")

    if vectors is None:
        encoder = encoder or encoder_for(settings, progress=progress_bar)
        log(f"embedding {len(claims)} claims with {encoder.name}")
        vectors = encoder.encode([c.text for c in claims])
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape[0] != len(claims):
        raise ValueError(f"got {vectors.shape[0]} vectors for {len(claims)} claims")

    texts = [c.text for c in claims]
    copies = near_copies([normalize_text(t) for t in texts], fuzzy=settings.fuzzy)
    same_fact = same_fact_model or default_same_fact_model()
    affinity = same_fact_affinity(texts, vectors, floor=settings.similarity,
                                  k=settings.neighbours, model=same_fact)
    clusters = cluster_claims(claims, vectors, similarity=settings.same_fact,
                              min_docs=settings.min_docs, link=settings.link, copies=copies,
                              affinity=affinity)
    by_id = {c.id: c for c in claims}
    clusters = [score_independence(cl, by_id, docs_by_id) for cl in clusters]
    log(f"grouped into {len(clusters)} clusters; checking for conflicts")
    conflicts = find_conflicts(claims, clusters, vectors, docs_by_id, settings,
                               model=relation_model, k=settings.conflict_candidates,
                               window_days=settings.time_window_days,
                               near_copies=lambda i, j: bool(copies[i, j]))
    clusters = mark_conflicted(clusters, conflicts)
    log(f"found {len(conflicts)} conflicts")
    return Analysis(documents=tuple(documents), claims=tuple(claims), clusters=tuple(clusters),
                    conflicts=tuple(conflicts), settings=settings, skipped=tuple(skipped),
                    encoder=getattr(encoder, "name", None))
