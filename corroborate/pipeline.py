"""analyze(): runs the stages in order, from documents to an Analysis. The one place that
resolves defaults and loads models; every stage receives what it needs."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import paths
from .analysis import Analysis
from .bridge import FILE as bridge_file
from .bridge import BridgeModel, bridge_pairs, merge_pairs, use_encoder
from .bridge import available as bridge_available
from .cache import (
    CachingEncoder,
    CachingScorer,
    Store,
    default_cache_path,
    files_fingerprint,
)
from .claims import repeated_lines
from .cluster import cluster_claims, split_clusters
from .conflicts import (
    contrast_pairs,
    copy_holder,
    editions,
    find_conflicts,
    mark_conflicted,
    merge_conflicts,
    one_per_copy,
    says_both,
    title_subjects,
    two_subjects,
)
from .copies import assign_copy_origins, copy_components, drawn_on_one_text, find_reprints
from .denials import (
    DenialMatch,
    anchored,
    apart_from_deniers,
    denial_conflicts,
    denied_propositions,
    keep_apart,
    match_denials,
)
from .encode import Encoder, SentenceTransformerEncoder
from .engine import LocalEngine
from .errors import InputError
from .fetch import Intake
from .ingest import iter_inputs, nothing_read
from .matching import (
    anchor_words,
    attach_support,
    cluster_joins,
    copy_sets,
    gate_by_anchors,
    gate_by_editions,
    gate_by_numbers,
    gate_by_period,
    on_a_frame,
    raise_pairs,
    second_look,
    split_pairs,
    unclashed_copies,
    zero_pairs,
)
from .model import Claim, Cluster, Conflict, Document, Settings, Skipped
from .neighbours import Copies, candidates
from .origins import assign_origins, relayed_wire, score_independence
from .samefact import SameFactModel, same_fact_pairs
from .scoring import RelationScorer, SameFactCrossEncoder, load_scorer, same_fact_proba
from .stories import group_stories, story_of_documents
from .text.normalize import normalize_text

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True)
class Models:
    """Everything an analysis runs on: the sentence encoder, the same-fact scorer, the relation scorer."""

    encoder: Encoder
    same_fact: SameFactModel
    scorer: RelationScorer
    # `scorer` behind the cache of `load_models(cache=...)`: what analyze asks, so a pair is scored once
    cached_scorer: RelationScorer | None = None
    # English-Arabic pairs through multilingual USE (bridge.py); None without its file or package
    bridge: BridgeModel | None = None
    # the USE encoder behind the cache of `load_models(cache=...)`; None: bridge.py's own, uncached
    bridge_encoder: Encoder | None = None
    # the same-fact cross-encoder (`scoring.SameFactCrossEncoder`, cached like `cached_scorer`):
    # a second look at close calls; None without its folder
    second_look: RelationScorer | None = None


@functools.cache
def default_encoder(models: Path | None = None, *, batch_size: int = 32,
                    progress: bool = False, backend: str = "torch") -> SentenceTransformerEncoder:
    """The built-in e5 encoder of the model folder (`paths.models_dir`); built on first use."""
    folder = paths.encoder_dir(paths.models_dir(models))
    return SentenceTransformerEncoder(folder, build=True, batch_size=batch_size, progress=progress,
                                      backend=backend)


def load_models(settings: Settings | None = None, *, models: str | Path | None = None,
                progress: bool = False, cache: str | Path | bool | None = True) -> Models:
    """The models `settings` asks for, from the model folder `models` (default: see
    `paths.models_dir`). Files load once per process; the cross-encoder loads on first use.

    `cache` keeps claim vectors and relation scores between runs, so a text is embedded and
    a pair scored once: a path to the SQLite file, True for `cache.default_cache_path`
    (beside the model files), False or None for no cache.
    """
    settings = settings or Settings()
    folder = paths.models_dir(models)
    base = default_encoder(folder, batch_size=settings.batch_size, progress=progress,
                           backend=settings.encoder_backend)
    encoder = base if not settings.model else SentenceTransformerEncoder(
        settings.model, batch_size=settings.batch_size, progress=progress)
    store = _store(default_cache_path(folder) if cache is True else Path(cache)) if cache else None
    backend = settings.encoder_backend
    look = _second_look(folder, base.path, backend)
    if store is None:
        return Models(encoder=encoder, same_fact=_same_fact(folder), scorer=_scorer(folder, base, backend),
                      bridge=_bridge(folder), second_look=look)
    base = _caching_encoder(base, store)
    encoder = base if not settings.model else _caching_encoder(encoder, store)
    bridge = _bridge(folder)
    if look is not None:    # its answers change with its files, the backend and the pair order read
        key = f"samefact-cross-ab|{files_fingerprint(folder / paths.SAME_FACT_CROSS)}|{cross_backend(backend)}"
        look = _cached(look, store, key)
    return Models(encoder=encoder, same_fact=_same_fact(folder), scorer=_scorer(folder, base, backend),
                  cached_scorer=_caching_scorer(folder, base, store, backend), bridge=bridge,
                  bridge_encoder=_caching_encoder(use_encoder(), store) if bridge is not None else None,
                  second_look=look)


@functools.cache
def _store(path: Path) -> Store:
    return Store(path)


@functools.cache
def _caching_encoder(encoder: Encoder, store: Store) -> CachingEncoder:
    return CachingEncoder(encoder, store)


@functools.cache
def _second_look(folder: Path, base: Path, backend: str) -> SameFactCrossEncoder | None:
    adapter = folder / paths.SAME_FACT_CROSS
    if not (adapter / "meta.json").is_file():
        return None
    return SameFactCrossEncoder(adapter, base, backend=cross_backend(backend))


@functools.cache
def _cached(scorer, store: Store, key: str) -> CachingScorer:
    return CachingScorer(scorer, store, key)


@functools.cache
def _caching_scorer(folder: Path, base: CachingEncoder, store: Store, backend: str) -> CachingScorer:
    # the scores change with the relation files, the vectors the head reads and the backend
    key = f"relations|{files_fingerprint(folder / paths.RELATIONS)}|{base.key}|{cross_backend(backend)}"
    return CachingScorer(_scorer(folder, base, backend), store, key)


@functools.cache
def _bridge(folder: Path) -> BridgeModel | None:
    path = folder / bridge_file
    return BridgeModel.load(path) if path.is_file() and bridge_available() else None


@functools.cache
def _same_fact(folder: Path) -> SameFactModel:
    return SameFactModel.load(folder / paths.SAME_FACT)


def cross_backend(backend: str) -> str:
    """The cross-encoder backend for an encoder backend."""
    # the cross-encoder runs in float32 on ONNX whenever the encoder runs on ONNX: its int8
    # export would move the blend's answers, which were tuned in float32
    return "torch" if backend == "torch" else "onnx"


@functools.cache
def _scorer(folder: Path, base: Encoder, backend: str = "torch") -> RelationScorer:
    # the relation models were trained on the default encoder's vectors, whatever --model says
    return load_scorer(folder / paths.RELATIONS, base, base.path, backend=cross_backend(backend))


def read_documents(inputs: Sequence[Document] | Sequence[str | Path] | str | Path, *,
                   encoding: str | None = None, recursive: bool = True,
                   on_skip: Callable[[Skipped], None] | None = None,
                   progress: bool = False, intake: Intake | None = None) -> Iterator[Document]:
    """Documents as given, or read one file at a time from paths (files, folders and links;
    `intake`: see `iter_inputs`), the inputs that cannot be read passed to `on_skip`."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    if inputs and all(isinstance(x, Document) for x in inputs):
        from tqdm.auto import tqdm

        return iter(tqdm(list(inputs), desc="splitting", unit="doc", leave=False,
                         disable=not progress or len(inputs) < 50))
    return iter_inputs(list(inputs), encoding=encoding, recursive=recursive, on_skip=on_skip,
                       progress=progress, intake=intake)


def split_stream(documents: Iterable[Document], engine: LocalEngine, settings: Settings, *,
                 keep_texts: bool = True,
                 on_empty: Callable[[Document], None] | None = None) -> tuple[list[Document], list[Claim]]:
    """Split `documents` into claims (with their origins) as they arrive, `engine.split_batch`
    at a time; return the documents and the claims in order.

    Without `keep_texts` each document is kept `without_text` once its claims are out, so a
    folder's texts are never all in memory together (the report needs their metadata only).
    `on_empty` receives each document without a claim.
    """
    kept: list[Document] = []
    claims: list[Claim] = []
    stream = iter(documents)
    while batch := list(itertools.islice(stream, engine.split_batch)):
        for doc, found in zip(batch, engine.split(batch, settings)):
            if not found and on_empty:
                on_empty(doc)
            doc = dataclasses.replace(doc, wire=relayed_wire(doc))      # read while the text is here
            # a claim's origin may come from its document's dateline: found before the text goes
            claims.extend(assign_origins(found, {doc.id: doc}, carry=settings.origin_carry))
            kept.append(doc if keep_texts else doc.without_text())
    return kept, claims


def analyze(inputs: Sequence[Document] | Sequence[str | Path] | str | Path, *,
            models: Models | None = None, vectors: np.ndarray | None = None,
            settings: Settings | None = None, encoding: str | None = None,
            log: Progress | None = None, progress_bar: bool = False, recursive: bool = True,
            on_skip: Callable[[Skipped], None] | None = None,
            engine: LocalEngine | None = None, keep_texts: bool = True,
            intake: Intake | None = None) -> Analysis:
    """Split, embed, cluster and cross-check the claims of `inputs` (documents or paths).

    Paths are read with `iter_inputs`, one file at a time, and split as they are read;
    inputs that cannot be read are listed in `Analysis.skipped` and the rest are analyzed.
    `models` defaults to `load_models(settings)`. `vectors` (one L2-normalised row per claim,
    in claim order) skips the encoder, as BERTopic's `embeddings=` does. `log` receives one
    line per stage (the CLI prints them); `on_skip` receives each input that is skipped as
    soon as it is (`recursive`, and `intake` for links, feeds, PDF and Word files: see
    `iter_inputs`). `engine` runs splitting, embedding and the
    neighbour search (default: this process; `engine.DaskEngine` for a cluster, with identical
    results). Without `keep_texts`, `Analysis.documents` hold no texts (`Document.without_text`):
    a large folder is never in memory whole; the claims, spans and reports are the same.
    """
    settings = settings or Settings()
    engine = engine or LocalEngine()
    log = log or _quiet
    # each skip keyed by where the reading was: an input skipped while reading comes before the
    # next document, a document without claims right after itself, whatever batches the engine
    # splits in (the report lists them in reading order, the same on every engine)
    skips: list[tuple[tuple[int, int], Skipped]] = []
    position: dict[str, int] = {}

    def skip(item: Skipped, key: tuple[int, int] | None = None) -> None:
        skips.append((key or (len(position), 0), item))
        if on_skip:
            on_skip(item)

    def empty(doc: Document) -> None:
        # one line of a .jsonl pile is named by its id too: the file alone does not say which
        where = f"{doc.path} (id {doc.id})" if doc.path and doc.path.suffix.lower() == ".jsonl" else \
            str(doc.path or doc.id)
        skip(Skipped(str(doc.path or doc.id), f"{where}: no claims found (no sentence of "
                                              f"{settings.min_claim_chars}+ characters outside boilerplate)",
                     "no-claims"), (position[doc.id], 1))

    def counted(stream: Iterable[Document]) -> Iterator[Document]:
        for doc in stream:
            position[doc.id] = len(position)
            yield doc

    stream = read_documents(inputs, encoding=encoding, recursive=recursive, on_skip=skip, progress=progress_bar,
                            intake=intake)
    documents, claims = split_stream(counted(stream), engine, settings, keep_texts=keep_texts, on_empty=empty)
    skipped = [item for _, item in sorted(skips, key=lambda pair: pair[0])]
    if not documents:
        raise InputError(nothing_read(skipped))
    log(f"read {len(documents)} documents" + (f", skipped {len(skipped)}" if skipped else ""))
    if not claims:
        raise InputError("No claims found in any input: "
                         + "; ".join(s.reason for s in skipped))
    log(f"split {len(claims)} claims")
    timer = _Timer(log)
    docs_by_id = {d.id: d for d in documents}

    if vectors is not None and len(vectors) != len(claims):
        raise ValueError(f"got {len(vectors)} vectors for {len(claims)} claims")
    with timer("furniture"):
        claims, kept = drop_repeated_lines(claims, docs_by_id, settings)
        vectors = None if vectors is None else np.asarray(vectors, dtype=np.float32)[kept]
    models = models or load_models(settings, progress=progress_bar)
    encoded_with = None
    if vectors is None:
        encoded_with = models.encoder.name
        with timer("embed", f"embedding {len(claims)} claims with {models.encoder.name}"):
            before = getattr(models.encoder, "hits", None), getattr(models.encoder, "misses", None)
            vectors = embed(claims, models.encoder, engine)
        if None not in before:          # the vector cache: what a re-run or a grown pile did not embed again
            new, known = models.encoder.misses - before[1], models.encoder.hits - before[0]
            if new or known:            # (a Dask engine counts in a cache of its own)
                log(f"texts embedded now: {new}, from the cache: {known}")
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape[0] != len(claims):
        raise ValueError(f"got {vectors.shape[0]} vectors for {len(claims)} claims")
    with timer("neighbours"):
        pairs, copies = neighbour_pairs(claims, vectors, settings, engine, progress=progress_bar)
    with timer("same fact"):
        # the words that pin a claim to one event (`matching.anchor_words`), for every same-fact gate
        anchors = anchor_words(claims, copies, most=settings.anchor_texts) if settings.anchor_texts else None
        affinity = same_fact(claims, vectors, pairs, anchors, models, settings, progress=progress_bar)
    with timer("denials"):
        deniers = denied_propositions(claims)
        denied = match_denials(claims, vectors, models.encoder, models.same_fact, k=settings.denial_candidates,
                               floor=settings.similarity, threshold=settings.denial_same_fact, denied=deniers)
        days = editions(documents) if settings.outlet_days else {}

        def two_facts(scores):
            # two facts whatever they score: a denial beside a claim that denies nothing, and one
            # outlet's two days' reports (`denials.apart_from_deniers`, `matching.gate_by_editions`)
            return gate_by_editions(claims, apart_from_deniers(scores, deniers), days)
        affinity = two_facts(split_pairs(affinity, [(m.denier, m.target) for m in denied]))
    same_copies = unclashed_copies(claims, copies) if settings.number_gate else copies
    link = functools.partial(cluster_claims, claims, vectors, similarity=settings.same_fact,
                             min_docs=settings.min_docs, link=settings.link, copies=same_copies)
    try:
        with timer("second look"):
            affinity = look_again(claims, affinity, models, settings, progress=progress_bar)
        with timer("cluster"):
            clusters = link(affinity=affinity)
        with timer("join"):
            joined = join_clusters(claims, vectors, clusters, affinity, anchors, two_facts, models, settings,
                                   progress=progress_bar)
            if joined is not affinity:
                clusters = link(affinity=joined)
            clusters = keep_apart(claims, clusters, denied)
        if anchors is not None:
            with timer("frames"):
                clusters, affinity = undo_frames(claims, vectors, clusters, affinity, anchors, same_copies,
                                                 {d.id: d for d in documents}, settings)
    finally:
        release(models)
    with timer("copies"):
        claims, documents = trace_copies(claims, documents, copies, clusters, settings)
        docs_by_id = {d.id: d for d in documents}
    with timer("origins"):
        claims, clusters = count_origins(claims, clusters, affinity, docs_by_id, settings)
    with timer("stories"):
        stories, story_of = group_stories(claims, vectors, clusters, docs_by_id,
                                          similarity=settings.story_similarity)
        clusters = [dataclasses.replace(k, story=story_of.get(k.id)) for k in clusters]
    log(f"grouped into {len(clusters)} clusters; checking for conflicts")
    with timer("conflicts"):
        # the relation scorer reads the default encoder's vectors: hand them over when these are they
        conflicts = check_conflicts(claims, clusters, vectors, denied, models, settings, copies=copies,
                                    scorer_vectors=encoded_with is not None and not settings.model,
                                    progress=progress_bar, documents=documents)
        clusters = mark_conflicted(clusters, conflicts)
    log(f"found {len(conflicts)} conflicts")
    return Analysis(documents=tuple(documents), claims=tuple(claims), clusters=tuple(clusters),
                    conflicts=tuple(conflicts), settings=settings, skipped=tuple(skipped),
                    encoder=encoded_with, timings=tuple(timer.seconds.items()), stories=tuple(stories))


# --- the stages, in the order `analyze` runs them ------------------------------------------

def drop_repeated_lines(claims: Sequence[Claim], docs_by_id: Mapping[str, Document],
                        settings: Settings) -> tuple[list[Claim], np.ndarray]:
    """Furniture learned from the pile: `claims` without the lines an outlet repeats in
    `settings.furniture_repeats` or more of its documents (`claims.repeated_lines`), and the
    indices of the claims kept."""
    outlets = {d: doc.outlet for d, doc in docs_by_id.items()}
    drop = repeated_lines(claims, outlets, repeats=settings.furniture_repeats)
    kept = np.array([i for i, c in enumerate(claims) if c.id not in drop], dtype=np.int64)
    return [claims[i] for i in kept], kept


def split_pile(source: Path | str, settings: Settings) -> tuple[list[Document], list[Claim]]:
    """The documents of `source` (a pile, a file or a folder) and the claims `analyze` keeps from
    them (split, then the lines an outlet repeats dropped), with nothing embedded: what the ids
    of claims read by hand refer to (`training.samefact.snn_frames`, bench scripts)."""
    documents, claims = split_stream(read_documents(source), LocalEngine(), settings)
    claims, _ = drop_repeated_lines(claims, {d.id: d for d in documents}, settings)
    return documents, claims


def embed(claims: Sequence[Claim], encoder: Encoder, engine: LocalEngine) -> np.ndarray:
    """One L2-normalised vector per claim; a text printed by several outlets is encoded once."""
    texts = [c.text for c in claims]
    distinct = list(dict.fromkeys(texts))
    vectors = np.asarray(engine.encode(encoder, distinct), dtype=np.float32)
    if len(distinct) == len(texts):
        return vectors
    row = {t: n for n, t in enumerate(distinct)}
    return vectors[[row[t] for t in texts]]


def neighbour_pairs(claims: Sequence[Claim], vectors: np.ndarray, settings: Settings,
                    engine: LocalEngine, *, progress: bool = False) -> tuple[list[tuple[int, int]], Copies]:
    """The claim pairs worth scoring (each claim's nearest neighbours) and the near-verbatim
    copies among them; nothing n x n (`neighbours.candidates`)."""
    return candidates([normalize_text(c.text) for c in claims], vectors, k=settings.neighbours,
                      floor=settings.similarity, fuzzy=settings.fuzzy, copy_k=settings.copy_candidates,
                      search=functools.partial(engine.knn, progress=progress))


def trace_copies(claims: Sequence[Claim], documents: Sequence[Document], copies: Copies,
                 clusters: Sequence[Cluster], settings: Settings) -> tuple[list[Claim], list[Document]]:
    """The same words in several documents are one origin: each copied claim takes its
    source's origin, and each reprinted document names the one it reprints. Copies are the
    neighbour search's (`copies`) and, inside each cluster, every two members that print the
    same words (`copies.copy_components`)."""
    docs_by_id = {d.id: d for d in documents}
    index = {c.id: i for i, c in enumerate(claims)}
    members = [[index[i] for i in k.claim_ids] for k in clusters if len(k.doc_ids) > 1]
    component = copy_components(copies, [normalize_text(c.text) for c in claims], members,
                                fuzzy=settings.fuzzy, run=settings.copy_run)
    component = drawn_on_one_text(claims, component, members, least=settings.copy_documents,
                                  around=settings.copy_around)
    found = find_reprints(claims, docs_by_id, component, share=settings.reprint_share)
    claims = assign_copy_origins(claims, docs_by_id, found)
    documents = [dataclasses.replace(d, reprint_of=found.doc_source[d.id]) if d.id in found.doc_source else d
                 for d in documents]
    return claims, documents


def same_fact(claims: Sequence[Claim], vectors: np.ndarray, pairs: Sequence[tuple[int, int]],
              anchors: Sequence[frozenset[str]] | None, models: Models, settings: Settings, *,
              progress: bool = False):
    """p(same fact) of the candidate pairs, in pair form: the same-fact scorer, English-Arabic
    pairs through USE, the period, number and anchor gates (`matching.gate_by_period`,
    `gate_by_numbers`, `gate_by_anchors`) and the article's own contrast phrases."""
    texts = [c.text for c in claims]
    affinity = same_fact_pairs(texts, vectors, models.same_fact, floor=settings.similarity,
                               k=settings.neighbours, anchored_score=settings.anchored_same_fact,
                               pairs=pairs, progress=progress)
    if models.bridge is not None:     # an English original and its Arabic relay: USE's view
        across = bridge_pairs(texts, [c.doc_id for c in claims], models.bridge, k=settings.neighbours,
                              encoder=models.bridge_encoder)
        if len(across[0]):
            affinity = merge_pairs(affinity, across)
    affinity = gate(claims, affinity, anchors, settings)
    # «على عكس ذلك ...»: the article itself says this claim is not the fact of the one before
    return split_pairs(affinity, contrast_pairs(claims))


def gate(claims: Sequence[Claim], affinity, anchors: Sequence[frozenset[str]] | None, settings: Settings):
    """The same-fact scores (pair form) with the pairs that are two facts whatever their words
    set to 0: two periods, two counts of one thing, no shared anchor (`anchors`: each claim's
    `matching.anchor_words`, None when `settings.anchor_texts` is off)."""
    if settings.period_gate:    # topic is not fact: claims of two periods are two facts
        affinity = gate_by_period(claims, affinity, window_days=settings.time_window_days)
    if settings.number_gate:    # two prices, two tolls: two facts
        affinity = gate_by_numbers(claims, affinity)
    if anchors is not None:     # a formula, or a pattern told of many subjects, is no fact
        affinity = gate_by_anchors(claims, affinity, anchors)
    return affinity


def look_again(claims: Sequence[Claim], affinity, models: Models, settings: Settings, *,
               progress: bool = False):
    """The same-fact scores with the close calls between two documents read again by the
    same-fact cross-encoder (`matching.second_look`, `settings.second_look_*`): what clusters
    are made of. The same as `affinity` without that model or with the look switched off."""
    if models.second_look is None or not settings.second_look_pairs or \
            settings.second_look_high <= settings.second_look_low:
        return affinity
    return second_look(claims, affinity, functools.partial(same_fact_proba, models.second_look,
                                                           progress=progress),
                       low=settings.second_look_low, high=settings.second_look_high,
                       most=settings.second_look_pairs, around=settings.same_fact,
                       window_days=settings.time_window_days)


def join_clusters(claims: Sequence[Claim], vectors: np.ndarray, clusters: Sequence[Cluster], affinity,
                  anchors: Sequence[frozenset[str]] | None, two_facts: Callable, models: Models,
                  settings: Settings, *, progress: bool = False):
    """The same-fact scores with the claim pairs across two clusters that tell one fact in two
    wordings raised (`matching.cluster_joins`: their most central claims read by the same-fact
    scorer and the cross-encoder, averaged), through the same gates as the first scores (and
    `two_facts`, which sets the pairs that are two facts whatever they score to 0: a denial
    beside a claim that denies nothing); the same `affinity` when nothing joins, the
    cross-encoder is missing or `settings.join_*` say no."""
    if models.second_look is None or not settings.join_similarity or not settings.join_pairs:
        return affinity
    texts = [c.text for c in claims]

    def score(pairs: list[tuple[int, int]]) -> np.ndarray:
        first = models.same_fact.score(texts, vectors, pairs)
        second = same_fact_proba(models.second_look, [texts[i] for i, _ in pairs],
                                 [texts[j] for _, j in pairs], progress=progress)
        return (first + second) / 2

    raised = cluster_joins(claims, vectors, clusters, score, similarity=settings.join_similarity,
                           k=settings.join_neighbours, most=settings.join_pairs, threshold=settings.same_fact,
                           window_days=settings.time_window_days)
    if not len(raised[0]):
        return affinity
    return raise_pairs(affinity, two_facts(gate(claims, raised, anchors, settings)))


def undo_frames(claims: Sequence[Claim], vectors: np.ndarray, clusters: Sequence[Cluster], affinity,
                anchors: Sequence[frozenset[str]], copies: Copies, docs_by_id: Mapping[str, Document],
                settings: Settings) -> tuple[list[Cluster], object]:
    """`clusters` with each one that rests on a sentence pattern other stories tell too, not on
    one fact (`matching.on_a_frame`; the stories as `stories.story_of_documents` groups the
    documents by these clusters), split into its sets of near-verbatim copies (a text several
    outlets print stays one cluster, relayed), and `affinity` (pair form) without the links
    between that cluster's documents, so that none of them supports the other's fact either."""
    if not settings.frame_texts:
        return list(clusters), affinity
    stories = story_of_documents(claims, vectors, clusters, docs_by_id, similarity=settings.story_similarity)
    framed = set(on_a_frame(claims, clusters, anchors, copies, stories, least=settings.frame_texts))
    if not framed:
        return list(clusters), affinity
    index = {c.id: i for i, c in enumerate(claims)}
    text_set = copy_sets(copies)
    undone = np.full(len(claims), -1, dtype=np.int64)
    parts: dict[str, list[list[str]]] = {}
    for n in sorted(framed):
        copied: dict[int, list[str]] = {}
        for c in clusters[n].claim_ids:
            undone[index[c]] = n
            copied.setdefault(int(text_set[index[c]]), []).append(c)
        # a set of copies spanning fewer than min_docs documents is single claims (`cluster_claims`)
        parts[clusters[n].id] = [g for ids in copied.values() for g in
                                 ([ids] if len({claims[index[c]].doc_id for c in ids}) >= settings.min_docs
                                  else [[c] for c in ids])]
    return split_clusters(claims, clusters, parts), zero_pairs(
        affinity, lambda i, j: undone[i] >= 0 and undone[i] == undone[j] and claims[i].doc_id != claims[j].doc_id)


def release(models: Models) -> None:
    """Let the same-fact cross-encoder go: its memory is the conflict stage's next."""
    if hasattr(models.second_look, "release"):
        models.second_look.release()


def count_origins(claims: Sequence[Claim], clusters: Sequence[Cluster], affinity,
                  docs_by_id: Mapping[str, Document], settings: Settings) -> tuple[list[Claim], list[Cluster]]:
    """Claims with `also_supports` (one sentence, two facts: `matching.attach_support`), and
    clusters with their independent origins and status (`origins.score_independence`)."""
    claims = attach_support(claims, clusters, affinity, threshold=settings.support_same_fact,
                            window_days=settings.time_window_days)
    by_id = {c.id: c for c in claims}
    return claims, [score_independence(cl, by_id, docs_by_id) for cl in clusters]


def check_conflicts(claims: Sequence[Claim], clusters: Sequence[Cluster], vectors: np.ndarray,
                    denied: Sequence[DenialMatch], models: Models, settings: Settings, *,
                    copies: Copies | None = None, scorer_vectors: bool = False,
                    progress: bool = False, documents: Sequence[Document] | None = None) -> list[Conflict]:
    """Claim pairs that cannot both be true: those the cues and the relation scorer find
    (`conflicts.find_conflicts`) and the denials (`denials.denial_conflicts`), one per pair.
    The `documents`' titles tell two documents' subjects apart (`conflicts.title_subjects`), and
    their outlets and days one outlet's edition of a day (`conflicts.editions`)."""
    anchors = None
    if copies is not None and settings.conflict_anchor_texts:
        anchors = anchor_words(claims, copies, most=settings.conflict_anchor_texts)
    subjects = title_subjects({d.id: d.title for d in documents}, most=settings.title_texts) if documents else None
    one_text = None
    if copies is not None and settings.one_text:
        holds = copy_holder(claims, copies)
        one_text = says_both(claims, holds)
        # a paper that prints the report and, beside it, the denial does not stand against the denial
        denied = [m for m in denied if not holds(claims[m.target].doc_id, m.denier, m.target)]
    found = find_conflicts(claims, clusters, vectors, models.cached_scorer or models.scorer, settings,
                           near_copies=copies, scorer_vectors=scorer_vectors, progress=progress,
                           same_fact=models.same_fact, anchors=anchors, subjects=subjects,
                           editions=editions(documents) if documents else None, one_text=one_text)
    if anchors is not None:
        denied = anchored(claims, denied, anchors)
    if subjects is not None:
        denied = [m for m in denied if not two_subjects(subjects, claims[m.denier].doc_id, claims[m.target].doc_id)]
    merged = merge_conflicts(found, denial_conflicts(claims, denied, window_days=settings.time_window_days))
    return one_per_copy(merged, claims)


class _Timer:
    """Seconds per stage; `log` hears a stage's `message` as it starts and its time as it ends
    (when it took a second or more)."""

    def __init__(self, log: Progress) -> None:
        self.log, self.seconds = log, {}

    @contextlib.contextmanager
    def __call__(self, stage: str, message: str | None = None):
        if message:
            self.log(message)
        start = time.perf_counter()
        try:
            yield
        finally:
            took = time.perf_counter() - start
            self.seconds[stage] = round(self.seconds.get(stage, 0.0) + took, 3)
            if took >= 1.0:         # the long stages of a large pile; a small run stays quiet
                self.log(f"{stage}: {took:.1f} s")
