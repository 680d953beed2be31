"""The `compare` stage: relation and similarity for each (s1, s2) row of a pairs table."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from corroborate.cues import stems, tokens
from corroborate.errors import InputError
from corroborate.relations import LABELS, RelationModel, default_relation_model

OUTPUT_COLUMNS = ("relation", "similarity", "p_agree", "p_disagree", "p_other")
LONG_CHARS = 600           # longer s2 is treated as an article, not one claim
MAX_SENTENCES = 12         # article sentences scored against s1, picked by word overlap first
TOP_K = 3                  # most similar sentences whose relations decide the article's
RELATED_COSINE = 0.86      # below this best-sentence cosine an article is taken as unrelated;
                           # e5 cosines of unrelated Arabic news sentences sit around 0.78-0.84
_SPLIT = re.compile(r"(?<=[.!?؟。])\s+|\n+|(?<=[.!?؟])(?=[^\W\d_])")


def split_sentences(text: str, *, min_chars: int = 20) -> list[str]:
    """Sentences of an article; uses the claim splitter when it exists, else punctuation."""
    try:
        from corroborate.claims import split_claims
        from corroborate.model import Document

        parts = [c.text for c in split_claims(Document(id="s2", text=text))]
    except ImportError:
        parts = _SPLIT.split(text)
    parts = [p.strip() for p in parts if p and len(p.strip()) >= min_chars]
    return parts or [text.strip()]


def is_article(text: str) -> bool:
    """True when `text` is too long, or has too many sentences, to be a single claim."""
    return len(text) > LONG_CHARS or len(_SPLIT.split(text.strip())) > 3


def _candidates(claim: str, sentences: list[str], limit: int) -> list[str]:
    # a cheap stem-overlap ranking keeps encoding cost flat for 30,000-character scraped pages
    if len(sentences) <= limit:
        return sentences
    key = set().union(*(stems(t) for t in tokens(claim))) if claim.strip() else set()

    def overlap(s: str) -> float:
        toks = tokens(s)
        hits = sum(1 for t in toks if stems(t) & key)
        return hits / (1 + 0.05 * len(toks))

    order = sorted(range(len(sentences)), key=lambda i: (-overlap(sentences[i]), i))
    return [sentences[i] for i in sorted(order[:limit])]


def _encode(encoder, texts: list[str], progress: bool) -> dict[str, np.ndarray]:
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    step = 256
    chunks = range(0, len(unique), step)
    if progress:
        from tqdm import tqdm

        chunks = tqdm(chunks, desc="encoding", unit="batch")
    vecs = np.vstack([encoder.encode(unique[i:i + step]) for i in chunks])
    return dict(zip(unique, vecs))


def _aggregate(p: np.ndarray, sims: np.ndarray) -> tuple[np.ndarray, float]:
    """One probability row for an article from its sentences' rows and cosines."""
    top = np.argsort(-sims, kind="stable")[:TOP_K]
    best = float(sims[top[0]])
    pt = p[top]
    # a single clear refutation or confirmation among the closest sentences decides,
    # as a fact-checker reading the article would; the rest of the page is context
    agg = np.array([pt[:, 0].max(), pt[:, 1].max(), pt[:, 2].min()])
    agg = agg / agg.sum()
    related = 1.0 / (1.0 + np.exp(-(best - RELATED_COSINE) / 0.01))
    agg = related * agg + (1.0 - related) * np.array([0.0, 0.0, 1.0])
    return agg, best


def compare_pairs(df, *, encoder=None, model: RelationModel | None = None, progress: bool = False):
    """Copy `df` (columns s1, s2, any others) and add relation, similarity, p_agree/p_disagree/p_other.

    A long s2 (an article) is split into sentences; similarity is the best sentence's cosine
    and the relation comes from the TOP_K most similar sentences.
    """
    import pandas as pd

    missing = [c for c in ("s1", "s2") if c not in df.columns]
    if missing:
        raise InputError(f"pairs table lacks column(s) {', '.join(missing)}; it needs a header with s1,s2.")
    if len(df) == 0:
        out = df.copy()
        for col in OUTPUT_COLUMNS:
            out[col] = pd.Series(dtype=str if col == "relation" else float)
        return out
    if encoder is None:
        from corroborate.encode import default_encoder

        encoder = default_encoder()
    model = model or default_relation_model()
    s1 = ["" if x is None or x != x else str(x) for x in df["s1"]]
    s2 = ["" if x is None or x != x else str(x) for x in df["s2"]]
    # every (row, piece) pair to score; a short s2 is its own single piece
    rows, left, right = [], [], []
    for i, (a, b) in enumerate(zip(s1, s2)):
        pieces = _candidates(a, split_sentences(b), MAX_SENTENCES) if is_article(b) else [b]
        rows += [i] * len(pieces)
        left += [a] * len(pieces)
        right += pieces
    vec = _encode(encoder, left + right, progress)
    v1 = np.array([vec[t] for t in left], dtype=np.float32).reshape(len(left), -1)
    v2 = np.array([vec[t] for t in right], dtype=np.float32).reshape(len(right), -1)
    p = model.predict_proba(left, right, v1, v2, encoder=encoder)
    sims = np.sum(v1 * v2, axis=1)
    rows = np.array(rows)
    probs = np.zeros((len(df), len(LABELS)))
    similarity = np.zeros(len(df))
    for i in range(len(df)):
        idx = np.flatnonzero(rows == i)
        if len(idx) == 1 and not is_article(s2[i]):
            probs[i], similarity[i] = p[idx[0]], sims[idx[0]]
        else:
            probs[i], similarity[i] = _aggregate(p[idx], sims[idx])
    probs = probs / probs.sum(axis=1, keepdims=True)
    out = df.copy()
    out["relation"] = [LABELS[j] for j in probs.argmax(axis=1)]
    out["similarity"] = np.round(similarity, 4)
    for j, lab in enumerate(LABELS):
        out[f"p_{lab}"] = probs[:, j]
    return out


def compare_csv(in_path: Path | str, out_path: Path | str, *, encoder=None,
                model: RelationModel | None = None, progress: bool = False):
    """Read a pairs CSV (UTF-8, BOM allowed), run compare_pairs, write the predictions CSV."""
    import pandas as pd

    in_path = Path(in_path)
    try:
        df = pd.read_csv(in_path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except UnicodeDecodeError as e:
        raise InputError(f"{in_path}: not valid UTF-8 (byte {e.start}). Save it as UTF-8 and retry.") from e
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{in_path}: not a readable CSV ({e}). It needs a header with s1,s2.") from e
    missing = [c for c in ("s1", "s2") if c not in df.columns]
    if missing:
        raise InputError(f"{in_path}: missing column(s) {', '.join(missing)}; the header must "
                         f"include s1,s2 (found: {', '.join(map(str, df.columns)) or 'none'}).")
    out = compare_pairs(df, encoder=encoder, model=model, progress=progress)
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(out_path, index=False, encoding="utf-8")
    return out
