"""The `compare` stage: relation and similarity for each (s1, s2) row of a pairs table."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np

from .bridge import BridgeModel, use_encoder
from .claims import script_of, split_claims
from .encode import Encoder
from .errors import InputError
from .model import RELATIONS as LABELS
from .model import Document, Settings
from .progress import bar
from .scoring import RelationScorer, score_in_chunks
from .text.tokens import stem_set, stems, tokens

log = logging.getLogger(__name__)

OUTPUT_COLUMNS = ("relation", "similarity", "p_agree", "p_disagree", "p_other")
_SPLIT = re.compile(r"(?<=[.!?؟。])\s+|\n+|(?<=[.!?؟])(?=[^\W\d_])")


def split_sentences(text: str, *, min_chars: int = 20) -> list[str]:
    """Sentences of an article, as the claim splitter cuts them (boilerplate dropped)."""
    parts = [c.text for c in split_claims(Document(id="s2", text=text))]
    parts = [p.strip() for p in parts if p and len(p.strip()) >= min_chars]
    return parts or [text.strip()]


def is_article(text: str, *, long_chars: int = Settings.article_chars) -> bool:
    """True when `text` is longer than `long_chars`, or has too many sentences, to be a single claim."""
    return len(text) > long_chars or len(_SPLIT.split(text.strip())) > 3


def candidate_order(claim: str, sentences: list[str]) -> list[int]:
    """Indices of `sentences`, those sharing most of the claim's word stems first (per word,
    a little less for long sentences), ties in article order."""
    key = stem_set(tokens(claim))

    def overlap(s: str) -> float:
        toks = tokens(s)
        hits = sum(1 for t in toks if stems(t) & key)
        return hits / (1 + 0.05 * len(toks))

    return sorted(range(len(sentences)), key=lambda i: (-overlap(sentences[i]), i))


def _candidates(claim: str, sentences: list[str], limit: int) -> list[str]:
    # a cheap stem-overlap ranking keeps encoding cost flat for 30,000-character scraped pages
    if len(sentences) <= limit:
        return sentences
    return [sentences[i] for i in sorted(candidate_order(claim, sentences)[:limit])]


def _encode(encoder, texts: list[str], progress: bool, step: int = 256) -> dict[str, np.ndarray]:
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    vecs = []
    with bar(progress, "encoding", "sentence", len(unique)) as shown:
        for i in range(0, len(unique), step):
            vecs.append(encoder.encode(unique[i:i + step]))
            shown.update(len(vecs[-1]))
    return dict(zip(unique, np.vstack(vecs)))


def _aggregate(p: np.ndarray, sims: np.ndarray, *, top_k: int,
               related_cosine: float) -> tuple[np.ndarray, float]:
    """One probability row for an article from its sentences' rows and cosines."""
    top = np.argsort(-sims, kind="stable")[:top_k]
    best = float(sims[top[0]])
    pt = p[top]
    # a single clear refutation or confirmation among the closest sentences decides,
    # as a fact-checker reading the article would; the rest of the page is context
    agg = np.array([pt[:, 0].max(), pt[:, 1].max(), pt[:, 2].min()])
    agg = agg / agg.sum()
    related = 1.0 / (1.0 + np.exp(-(best - related_cosine) / 0.01))
    agg = related * agg + (1.0 - related) * np.array([0.0, 0.0, 1.0])
    return agg, best


def compare_pairs(df, encoder: Encoder, scorer: RelationScorer, *, settings: Settings | None = None,
                  progress: bool = False, bridge: BridgeModel | None = None, bridge_encoder: Encoder | None = None):
    """Copy `df` (columns s1, s2, any others) and add relation, similarity, p_agree/p_disagree/p_other.

    A long s2 (an article, see `settings.article_chars`) is split into sentences; the
    `settings.article_sentences` sharing most words with s1 are scored, similarity is the
    best sentence's cosine and the relation comes from the `settings.article_top_k` most
    similar sentences. A row whose s1 or s2 is empty (or only spaces) is not scored: it gets
    relation "other" (p_other 1) and no similarity, and a warning names its rows.
    With a `bridge` that has a relation part, a sentence in English against one in Arabic
    takes its similarity (the USE cosine, from `bridge_encoder` or bridge.py's own) and its
    relation from it (`bridge.BridgeModel.relation_proba`), not from the Arabic scorer.
    """
    settings = settings or Settings()
    import pandas as pd

    missing = [c for c in ("s1", "s2") if c not in df.columns]
    if missing:
        raise InputError(f"pairs table lacks column(s) {', '.join(missing)}; it needs a header with s1,s2.")
    if len(df) == 0:
        out = df.copy()
        for col in OUTPUT_COLUMNS:
            out[col] = pd.Series(dtype=str if col == "relation" else float)
        return out
    s1 = ["" if x is None or x != x else str(x) for x in df["s1"]]
    s2 = ["" if x is None or x != x else str(x) for x in df["s2"]]
    # an empty side asserts nothing: scoring it gave "agree" (0.74) to an empty row
    blank = [i for i, (a, b) in enumerate(zip(s1, s2)) if not a.strip() or not b.strip()]
    if blank:
        shown = ", ".join(str(i + 1) for i in blank[:10]) + (", …" if len(blank) > 10 else "")
        log.warning("%d row(s) with an empty s1 or s2 (row %s, counted from 1 after the header): "
                    "relation other, no similarity; fill both in to score them", len(blank), shown)
    skip = set(blank)
    across = _across_scripts(s1, s2, skip, settings) if bridge is not None and bridge.relation else []
    skip.update(across)
    # every (row, piece) pair to score; a short s2 is its own single piece
    rows, left, right = [], [], []
    for i, (a, b) in bar(progress, "splitting articles", "row", len(s1), enumerate(zip(s1, s2))):
        if i in skip:
            continue
        long = is_article(b, long_chars=settings.article_chars)
        pieces = _candidates(a, split_sentences(b), settings.article_sentences) if long else [b]
        rows += [i] * len(pieces)
        left += [a] * len(pieces)
        right += pieces
    if left:
        vec = _encode(encoder, left + right, progress)
        v1 = np.array([vec[t] for t in left], dtype=np.float32).reshape(len(left), -1)
        v2 = np.array([vec[t] for t in right], dtype=np.float32).reshape(len(right), -1)
        p = score_in_chunks(scorer, left, right, v1, v2, progress=progress)
        sims = np.sum(v1 * v2, axis=1)
    rows = np.array(rows)
    probs = np.zeros((len(df), len(LABELS)))
    similarity = np.zeros(len(df))
    if across:
        use = bridge_encoder or use_encoder()
        va, vb = use.encode([s1[i] for i in across]), use.encode([s2[i] for i in across])
        probs[across] = bridge.relation_proba(va, vb)
        similarity[across] = np.einsum("ij,ij->i", va, vb)
    done = set(across)
    for i in range(len(df)):
        if i in done:
            continue
        if i in skip:
            probs[i, LABELS.index("other")], similarity[i] = 1.0, np.nan
            continue
        idx = np.flatnonzero(rows == i)
        if len(idx) == 1 and not is_article(s2[i], long_chars=settings.article_chars):
            probs[i], similarity[i] = p[idx[0]], sims[idx[0]]
        else:
            probs[i], similarity[i] = _aggregate(p[idx], sims[idx], top_k=settings.article_top_k,
                                                 related_cosine=settings.related_cosine)
    probs = probs / probs.sum(axis=1, keepdims=True)
    out = df.copy()
    out["relation"] = [LABELS[j] for j in probs.argmax(axis=1)]
    out["similarity"] = np.round(similarity, 4)
    for j, lab in enumerate(LABELS):
        out[f"p_{lab}"] = probs[:, j]
    return out


def _across_scripts(s1: list[str], s2: list[str], skip: set[int], settings: Settings) -> list[int]:
    """Rows (not in `skip`) of one sentence in English against one in Arabic, either way round;
    an article s2 goes through its Arabic sentences as before."""
    return [i for i, (a, b) in enumerate(zip(s1, s2)) if i not in skip
            and not is_article(b, long_chars=settings.article_chars) and script_of(a) != script_of(b)]


def compare_csv(in_path: Path | str, out_path: Path | str, encoder: Encoder, scorer: RelationScorer, *,
                settings: Settings | None = None, progress: bool = False, bridge: BridgeModel | None = None,
                bridge_encoder: Encoder | None = None):
    """Read a pairs table (CSV, or tab- or semicolon-separated; UTF-8, BOM allowed), run
    compare_pairs (English-Arabic rows through `bridge`), write the predictions CSV atomically."""
    import pandas as pd

    from .report.files import atomic_file

    in_path = Path(in_path)
    sep = sniff_delimiter(in_path)
    try:
        df = pd.read_csv(in_path, sep=sep, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except UnicodeDecodeError as e:
        raise InputError(f"{in_path}: not valid UTF-8 (byte {e.start}). Save it as UTF-8 and retry.") from e
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"{in_path}: not a readable CSV ({e}). It needs a header with s1,s2.") from e
    missing = [c for c in ("s1", "s2") if c not in df.columns]
    if missing:
        raise InputError(f"{in_path}: missing column(s) {', '.join(missing)}; the header must "
                         f"include s1,s2 (found: {', '.join(map(str, df.columns)) or 'none'}).")
    if sep != ",":
        log.info("%s: read as %s-separated", in_path, _SEPARATORS[sep])
    out = compare_pairs(df, encoder, scorer, settings=settings, progress=progress, bridge=bridge,
                        bridge_encoder=bridge_encoder)
    with atomic_file(out_path, "w") as f:
        out.to_csv(f, index=False)
    return out


_SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon"}


def sniff_delimiter(path: Path) -> str:
    """The delimiter whose split of the header line names both s1 and s2 (comma when none does)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as f:
            header = f.readline().rstrip("\r\n")
    except OSError:
        return ","
    for sep in _SEPARATORS:
        names = [c.strip().strip('"') for c in header.split(sep)]
        if "s1" in names and "s2" in names:
            return sep
    return ","
