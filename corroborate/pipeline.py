"""analyze(): runs the stages in order, from documents to an Analysis. The one place that
resolves defaults and loads models; every stage receives what it needs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import paths
from .analysis import Analysis
from .claims import split_claims
from .cluster import cluster_claims
from .conflicts import find_conflicts, mark_conflicted
from .encode import Encoder, SentenceTransformerEncoder
from .errors import InputError
from .ingest import read_inputs
from .model import Claim, Document, Settings, Skipped
from .neighbours import near_copies
from .origins import assign_origins, score_independence
from .samefact import SameFactModel, same_fact_affinity
from .scoring import RelationScorer, load_scorer
from .text.normalize import normalize_text
from .timescope import with_time

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True)
class Models:
    """Everything an analysis runs on: the sentence encoder, the same-fact scorer, the relation scorer."""

    encoder: Encoder
    same_fact: SameFactModel
    scorer: RelationScorer


@functools.cache
def default_encoder(models: Path | None = None, *, batch_size: int = 32,
                    progress: bool = False) -> SentenceTransformerEncoder:
    """The built-in e5 encoder of the model folder (`paths.models_dir`); built on first use."""
    folder = paths.encoder_dir(paths.models_dir(models))
    return SentenceTransformerEncoder(folder, build=True, batch_size=batch_size, progress=progress)


def load_models(settings: Settings | None = None, *, models: str | Path | None = None,
                progress: bool = False) -> Models:
    """The models `settings` asks for, from the model folder `models` (default: see
    `paths.models_dir`). Files load once per process; the cross-encoder loads on first use."""
    settings = settings or Settings()
    folder = paths.models_dir(models)
    base = default_encoder(folder, batch_size=settings.batch_size, progress=progress)
    encoder = base if not settings.model else SentenceTransformerEncoder(
        settings.model, batch_size=settings.batch_size, progress=progress)
    return Models(encoder=encoder, same_fact=_same_fact(folder),
                  scorer=_scorer(folder, base))


@functools.cache
def _same_fact(folder: Path) -> SameFactModel:
    return SameFactModel.load(folder / paths.SAME_FACT)


@functools.cache
def _scorer(folder: Path, base: SentenceTransformerEncoder) -> RelationScorer:
    # the relation models were trained on the default encoder's vectors, whatever --model says
    return load_scorer(folder / paths.RELATIONS, base, base.path)


def read_documents(inputs: Sequence[Document] | Sequence[str | Path] | str | Path, *,
                   encoding: str | None = None) -> tuple[list[Document], list[Skipped]]:
    """Documents as given, or read from paths (files and folders) with the inputs skipped."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if inputs and all(isinstance(x, Document) for x in inputs):
        return list(inputs), []
    return read_inputs(list(inputs), encoding=encoding)


def analyze(inputs: Sequence[Document] | Sequence[str | Path] | str | Path, *,
            models: Models | None = None, vectors: np.ndarray | None = None,
            settings: Settings | None = None, encoding: str | None = None,
            log: Progress | None = None, progress_bar: bool = False) -> Analysis:
    """Split, embed, cluster and cross-check the claims of `inputs` (documents or paths).

    Paths are read with `read_inputs`; inputs that cannot be read are listed in
    `Analysis.skipped` and the rest are analyzed. `models` defaults to `load_models(settings)`.
    `vectors` (one L2-normalised row per claim, in claim order) skips the encoder, as
    BERTopic's `embeddings=` does. `log` receives one line per stage (the CLI prints them).
    """
    settings = settings or Settings()
    log = log or _quiet
    documents, skipped = read_documents(inputs, encoding=encoding)
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

    models = models or load_models(settings, progress=progress_bar)
    encoded_with = None
    if vectors is None:
        encoded_with = models.encoder.name
        log(f"embedding {len(claims)} claims with {models.encoder.name}")
        vectors = models.encoder.encode([c.text for c in claims])
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape[0] != len(claims):
        raise ValueError(f"got {vectors.shape[0]} vectors for {len(claims)} claims")

    texts = [c.text for c in claims]
    copies = near_copies([normalize_text(t) for t in texts], fuzzy=settings.fuzzy)
    affinity = same_fact_affinity(texts, vectors, models.same_fact, floor=settings.similarity,
                                  k=settings.neighbours, anchored_score=settings.anchored_same_fact)
    clusters = cluster_claims(claims, vectors, similarity=settings.same_fact,
                              min_docs=settings.min_docs, link=settings.link, copies=copies,
                              affinity=affinity)
    by_id = {c.id: c for c in claims}
    clusters = [score_independence(cl, by_id, docs_by_id) for cl in clusters]
    log(f"grouped into {len(clusters)} clusters; checking for conflicts")
    conflicts = find_conflicts(claims, clusters, vectors, models.scorer, settings,
                               near_copies=lambda i, j: bool(copies[i, j]))
    clusters = mark_conflicted(clusters, conflicts)
    log(f"found {len(conflicts)} conflicts")
    return Analysis(documents=tuple(documents), claims=tuple(claims), clusters=tuple(clusters),
                    conflicts=tuple(conflicts), settings=settings, skipped=tuple(skipped),
                    encoder=encoded_with)
