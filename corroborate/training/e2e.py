"""`corroborate eval e2e`: the end-to-end yardstick on Baly's multi-outlet news, next to a naive baseline.

For every claim of the chosen folds, the articles a search engine returned for it (many Arabic
outlets, each labelled agree / disagree / discuss / unrelated, with the line numbers that carry
the stance) are written as one corpus, `analyze` runs on it, and the report is scored against
those lines: do two outlets' agree lines land in one cluster, is an agree line paired with a
disagree line as a conflict, and so on (`score_corpus`, definitions in `METRICS`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from ..encode import CachedEncoder, Encoder
from ..ingest import meta_fields
from ..metadata import extract_metadata
from ..model import Document
from ..text.lexicon import words
from ..text.tokens import tokens

log = logging.getLogger(__name__)

MIN_ARTICLE_CHARS = 80        # shorter "articles" are error pages and stubs
BASELINE_LINE_CHARS = 40      # the baseline's claims: every line this long
BASELINE_COSINE = 0.92        # the baseline's cluster and conflict cosine
STANCE_LINES = ("agree", "disagree")


@dataclass(frozen=True)
class Article:
    doc_id: str                  # the file stem it is written under
    text: str
    url: str
    outlet: str                  # URL host, lower-cased, without "www."
    stance: str                  # agree / disagree / discuss / unrelated
    rationale: tuple[int, ...]   # indices into text.split("\n") that carry the stance


@dataclass(frozen=True)
class Corpus:
    claim_id: str
    fold: int
    claim: str
    articles: tuple[Article, ...]
    dropped: int = 0             # articles left out: shorter than MIN_ARTICLE_CHARS or a repeated text


@dataclass(frozen=True)
class PredictedClaim:
    id: str
    doc_id: str
    start: int
    end: int
    clusters: tuple[str, ...]    # its cluster first, then any it also supports


@dataclass(frozen=True)
class Prediction:
    """What a system said about one corpus, reduced to what the yardstick reads."""

    claims: tuple[PredictedClaim, ...]
    origins: Mapping[str, int]                 # cluster id -> independent origins
    conflicts: tuple[tuple[str, str], ...]     # claim id pairs
    seconds: float = 0.0


METRICS = (
    ("corroboration_recall", "corroboration recall",
     "agree-line pairs of two outlets with a claim on each in one cluster"),
    ("corroborated_status", "corroborated status",
     "the same, and that cluster counts >= 2 independent origins"),
    ("members_recall", "… by membership alone",
     "corroboration recall not counting `also_supports` (claims in one cluster only)"),
    ("conflict_recall", "conflict recall",
     "(agree line, disagree line) pairs of two documents with a conflict between claims on them"),
    ("false_conflicts", "false conflicts",
     "agree-line pairs of two outlets (both assert the claim) reported as a conflict"),
    ("merged_other_story", "merged with another story",
     "agree lines whose cluster also holds a claim of an article labelled unrelated"),
    ("conflicts_per_corpus", "conflicts per corpus", "reported conflicts, mean over corpora"),
    ("largest_cluster_share", "largest cluster's share",
     "the largest cluster's share of its corpus's claims, mean over corpora (a topic, not a fact, when large)"),
    ("claims_per_corpus", "claims per corpus", "claims, mean over corpora"),
    ("uncovered_lines", "rationale lines with no claim",
     "agree/disagree rationale lines on which no claim lies"),
    ("seconds_per_corpus", "seconds per corpus", "wall time of one analysis, mean over corpora"),
)


def outlet_of(url: str) -> str:
    """The outlet of a URL: its host, lower-cased, without a leading `www.`."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def fold_ids(data_dir: Path | str, folds: Iterable[int]) -> dict[str, int]:
    """claim id -> fold for the given folds, from `native/train_test_splits.txt`.

    Only the lines of the asked folds are read.
    """
    wanted = {f"Fold_{int(f)}": int(f) for f in folds}
    path = Path(data_dir) / "baly2018_unifiedfc" / "native" / "train_test_splits.txt"
    out: dict[str, int] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            name, _, ids = line.partition(":")
            if name.strip() in wanted:
                out.update((i, wanted[name.strip()]) for i in ids.split())
    missing = set(wanted.values()) - set(out.values())
    if missing:
        raise ValueError(f"{path}: no claim ids for fold(s) {sorted(missing)}")
    return out


def _rationale(raw: str, n_lines: int) -> tuple[int, ...]:
    found = json.loads(raw) if raw and raw.strip() else []
    return tuple(sorted({int(i) for i in found if 0 <= int(i) < n_lines}))


def make_corpus(claim_id: str, fold: int, data: Mapping) -> Corpus:
    """One corpus from a claim's native JSON (parallel lists `article`, `url`, `stance`, `rationale`).

    Articles shorter than MIN_ARTICLE_CHARS are left out, and so is a second copy of one text
    (one file of it is read; `analyze` would skip the copy as a duplicate anyway).
    """
    articles, seen, dropped = [], set(), 0
    for n, (text, url, stance, raw) in enumerate(zip(data["article"], data["url"], data["stance"],
                                                     data["rationale"])):
        if len(text) < MIN_ARTICLE_CHARS or text in seen:
            dropped += 1
            continue
        seen.add(text)
        articles.append(Article(f"a{n:02d}", text, url, outlet_of(url), stance,
                                _rationale(raw, len(text.split("\n")))))
    return Corpus(claim_id, fold, data["claim"], tuple(articles), dropped)


def is_scored(corpus: Corpus) -> bool:
    """A corpus counts when at least two of its agree/disagree articles have rationale lines."""
    return sum(1 for a in corpus.articles if a.stance in STANCE_LINES and a.rationale) >= 2


def load_corpora(data_dir: Path | str, folds: Iterable[int] = (1, 2, 3), *,
                 limit: int | None = None) -> list[Corpus]:
    """The scored corpora of `folds`, sorted by claim id; the first `limit` of them if given."""
    ids = fold_ids(data_dir, folds)
    folder = Path(data_dir) / "baly2018_unifiedfc" / "native" / "dataset"
    missing = sorted(i for i in ids if not (folder / f"{i}.json").is_file())
    if missing:
        absent = sorted({ids[i] for i in missing})
        raise FileNotFoundError(
            f"{folder}: no corpus file for {len(missing)} of the {len(ids)} claims of fold(s) "
            f"{', '.join(map(str, absent))} (first: {missing[0]}.json); copy the corpus's "
            f"dataset/<claim id>.json files for those folds there, or ask for folds whose files it holds")
    corpora = []
    for claim_id in sorted(ids):
        data = json.loads((folder / f"{claim_id}.json").read_text(encoding="utf-8"))
        corpus = make_corpus(claim_id, ids[claim_id], data)
        if is_scored(corpus):
            corpora.append(corpus)
    return corpora[:limit] if limit else corpora


def write_corpus(corpus: Corpus, folder: Path) -> Path:
    """One UTF-8 `.txt` per article under `folder`, byte for byte, so offsets are offsets into it."""
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.txt"):
        stale.unlink()
    for a in corpus.articles:
        (folder / f"{a.doc_id}.txt").write_bytes(a.text.encode("utf-8"))
    return folder


def corpus_documents(corpus: Corpus) -> list[Document]:
    """The corpus's articles as documents with their outlet (URL host) and URL given, as the
    `.jsonl` reader gives them; ids and texts as `write_corpus` writes them."""
    docs = []
    for a in corpus.articles:
        meta = extract_metadata(a.text, hint={"outlet": a.outlet})
        docs.append(Document(id=a.doc_id, text=a.text, url=a.url, **meta_fields(meta)))
    return docs


def line_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each line of `text.split("\\n")`."""
    spans, at = [], 0
    for line in text.split("\n"):
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def _claims_on_lines(corpus: Corpus, prediction: Prediction) -> dict[tuple[str, int], list[PredictedClaim]]:
    """(doc id, line index) -> the claims whose span overlaps that line, for rationale lines."""
    by_doc: dict[str, list[PredictedClaim]] = {}
    for c in prediction.claims:
        by_doc.setdefault(c.doc_id, []).append(c)
    out = {}
    for a in corpus.articles:
        spans = line_spans(a.text)
        for n in a.rationale:
            lo, hi = spans[n]
            out[(a.doc_id, n)] = [c for c in by_doc.get(a.doc_id, ()) if c.start < hi and c.end > lo]
    return out


def score_corpus(corpus: Corpus, prediction: Prediction) -> Counter:
    """Counts for the yardstick on one corpus; `summarise` turns summed counts into rates.

    A claim is "on" a line when its span overlaps it. Pairs of lines are unordered and
    counted once; two articles of one outlet never make an agree pair. A claim is in its own
    cluster and in those it `also_supports` (`PredictedClaim.clusters`); "members" counts the
    first alone.
    """
    on = _claims_on_lines(corpus, prediction)
    clusters = {c.id: set(c.clusters) for c in prediction.claims}
    conflicts = {frozenset(p) for p in prediction.conflicts}
    stance_lines = [(a, n) for a in corpus.articles if a.stance in STANCE_LINES for n in a.rationale]
    agree = [(a, n) for a, n in stance_lines if a.stance == "agree"]
    disagree = [(a, n) for a, n in stance_lines if a.stance == "disagree"]
    unrelated_docs = {a.doc_id for a in corpus.articles if a.stance == "unrelated"}
    unrelated_clusters = {k for c in prediction.claims if c.doc_id in unrelated_docs for k in c.clusters}

    def cluster_set(a: Article, n: int) -> set[str]:
        return set().union(*(clusters[c.id] for c in on[(a.doc_id, n)]))

    def own_clusters(a: Article, n: int) -> set[str]:      # membership only, no also_supports
        return {c.clusters[0] for c in on[(a.doc_id, n)]}

    def conflicted(x: tuple[Article, int], y: tuple[Article, int]) -> bool:
        return any(frozenset((p.id, q.id)) in conflicts
                   for p in on[(x[0].doc_id, x[1])] for q in on[(y[0].doc_id, y[1])])

    sizes = Counter(c.clusters[0] for c in prediction.claims)
    counts = Counter(corpora=1, claims=len(prediction.claims), conflicts=len(prediction.conflicts),
                     largest_share=max(sizes.values()) / len(prediction.claims) if sizes else 0.0,
                     seconds=prediction.seconds, rationale_lines=len(stance_lines),
                     uncovered_lines=sum(1 for a, n in stance_lines if not on[(a.doc_id, n)]),
                     agree_lines=len(agree),
                     merged_other_story=sum(1 for a, n in agree if cluster_set(a, n) & unrelated_clusters))
    for x, y in combinations(agree, 2):
        if x[0].outlet == y[0].outlet:
            continue
        counts["agree_pairs"] += 1
        shared = cluster_set(*x) & cluster_set(*y)
        counts["corroborated"] += bool(shared)
        counts["corroborated_members"] += bool(own_clusters(*x) & own_clusters(*y))
        counts["corroborated_status"] += any(prediction.origins.get(k, 1) >= 2 for k in shared)
        counts["false_conflicts"] += conflicted(x, y)
    for x in agree:
        for y in disagree:
            if x[0].doc_id != y[0].doc_id:
                counts["agree_disagree_pairs"] += 1
                counts["conflict_hits"] += conflicted(x, y)
    return counts


def summarise(counts: Mapping[str, float]) -> dict[str, float | None]:
    """Rates from summed `score_corpus` counts (None where a rate has no denominator)."""
    def rate(num: str, den: str) -> float | None:
        return counts.get(num, 0) / counts[den] if counts.get(den) else None

    return {
        "corroboration_recall": rate("corroborated", "agree_pairs"),
        "corroborated_status": rate("corroborated_status", "agree_pairs"),
        "members_recall": rate("corroborated_members", "agree_pairs"),
        "conflict_recall": rate("conflict_hits", "agree_disagree_pairs"),
        "false_conflicts": rate("false_conflicts", "agree_pairs"),
        "merged_other_story": rate("merged_other_story", "agree_lines"),
        "conflicts_per_corpus": rate("conflicts", "corpora"),
        "largest_cluster_share": rate("largest_share", "corpora"),
        "claims_per_corpus": rate("claims", "corpora"),
        "uncovered_lines": rate("uncovered_lines", "rationale_lines"),
        "seconds_per_corpus": rate("seconds", "corpora"),
    }


def from_analysis(analysis, seconds: float = 0.0) -> Prediction:
    """The yardstick's view of an `Analysis`: claims with their clusters, origins, conflicts."""
    own = {i: k.id for k in analysis.clusters for i in k.claim_ids}
    claims = tuple(PredictedClaim(c.id, c.doc_id, c.start, c.end,
                                  (own[c.id], *getattr(c, "also_supports", ())))
                   for c in analysis.claims)
    return Prediction(claims, {k.id: k.independent_sources for k in analysis.clusters},
                      tuple((x.claim_a, x.claim_b) for x in analysis.conflicts), seconds)


# --- the naive baseline -------------------------------------------------------------------

def _negated(text: str) -> bool:
    negators = words("negator")
    return any(t in negators or (t[:1] in "وف" and t[1:] in negators) for t in tokens(text))


def average_linkage(vectors: np.ndarray, threshold: float) -> np.ndarray:
    """Cluster labels by average linkage on cosine, merging while the average is >= `threshold`."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    dist = np.maximum(pdist(vectors, metric="cosine"), 0.0)
    return fcluster(linkage(dist, method="average"), t=1.0 - threshold + 1e-9, criterion="distance")


def baseline(corpus: Corpus, encoder: Encoder) -> Prediction:
    """Every line of BASELINE_LINE_CHARS+ characters is a claim; average linkage at e5 cosine
    >= BASELINE_COSINE makes clusters (origins = distinct outlets); a conflict is a
    cross-document pair at that cosine where exactly one side has a negation word (cues.tsv)."""
    t0 = time.perf_counter()
    found = []
    for a in corpus.articles:
        for start, end in line_spans(a.text):
            line = a.text[start:end]
            stripped = line.strip()
            if len(stripped) >= BASELINE_LINE_CHARS:
                s = start + line.index(stripped)
                found.append((a, s, s + len(stripped), stripped))
    if not found:
        return Prediction((), {}, (), time.perf_counter() - t0)
    vectors = encoder.encode([f[3] for f in found])
    labels = average_linkage(vectors, BASELINE_COSINE)
    ids = [f"{a.doc_id}:{s}" for a, s, _, _ in found]
    claims = tuple(PredictedClaim(i, a.doc_id, s, e, (f"b{labels[n]}",))
                   for n, (i, (a, s, e, _)) in enumerate(zip(ids, found)))
    outlets: dict[str, set[str]] = {}
    for (a, *_), c in zip(found, claims):
        outlets.setdefault(c.clusters[0], set()).add(a.outlet)
    negated = [_negated(f[3]) for f in found]
    sims = vectors @ vectors.T
    conflicts = tuple((ids[i], ids[j]) for i, j in zip(*np.nonzero(np.triu(sims >= BASELINE_COSINE, 1)))
                      if found[i][0].doc_id != found[j][0].doc_id and negated[i] != negated[j])
    return Prediction(claims, {k: len(v) for k, v in outlets.items()}, conflicts,
                      time.perf_counter() - t0)


# --- caching -------------------------------------------------------------------------------

class NeverDisagrees:
    """A relation scorer that says "other" to every pair: `analyze` then reports only the
    conflicts its rules find (contrast, outcome) and never pays for the relation model. For
    quick loops on clustering (`run_e2e(..., model_conflicts=False)`), not for the table."""

    def predict_proba(self, s1: Sequence[str], s2: Sequence[str], v1: np.ndarray | None = None,
                      v2: np.ndarray | None = None) -> np.ndarray:
        out = np.zeros((len(list(s1)), 3), dtype=np.float32)
        out[:, 2] = 1.0
        return out


# --- the run --------------------------------------------------------------------------------

def _conflict_rows(corpus: Corpus, analysis, prediction: Prediction) -> list[dict]:
    """One JSON-able row per reported conflict: both claims, where they sit, what the lines say."""
    articles = {a.doc_id: a for a in corpus.articles}
    claims = {c.id: c for c in analysis.claims}
    on_rationale = {c.id for found in _claims_on_lines(corpus, prediction).values() for c in found}

    def side(claim_id: str) -> dict:
        c = claims[claim_id]
        a = articles.get(c.doc_id)
        return {"doc": c.doc_id, "outlet": a.outlet if a else None, "stance": a.stance if a else None,
                "on_rationale_line": claim_id in on_rationale, "start": c.start, "end": c.end,
                "text": c.text}

    rows = []
    for x in analysis.conflicts:
        a, b = side(x.claim_a), side(x.claim_b)
        pair = {a["stance"], b["stance"]} if a["on_rationale_line"] and b["on_rationale_line"] else set()
        gold = ("agree-vs-disagree" if pair == {"agree", "disagree"} and a["doc"] != b["doc"]
                else "agree-vs-agree" if pair == {"agree"} and a["outlet"] != b["outlet"] else "unlabelled")
        rows.append({"corpus": corpus.claim_id, "fold": corpus.fold, "claim": corpus.claim,
                     "gold": gold, "score": round(float(x.score), 3), "temporal": x.temporal,
                     "explanation": x.explanation, "cues": list(x.cues), "scope": x.scope,
                     "a": a, "b": b})
    return rows


def run_e2e(data_dir: Path | str, folds: Sequence[int] = (1, 2, 3), *, models, settings=None,
            limit: int | None = None, cache_dir: Path | str | None = None,
            corpora_dir: Path | str | None = None,
            conflicts_out: Path | str | None = None, per_corpus_out: Path | str | None = None,
            with_baseline: bool = True, model_conflicts: bool = True, outlets: bool = True,
            progress: Callable[[str], None] | None = None) -> dict:
    """Run `analyze` (and the baseline) on every scored corpus of `folds`; return the yardstick.

    `models` (a `pipeline.Models`) is loaded once by the caller; `load_models` already keeps
    vectors and relation scores in its cache, so a second run is warm. `cache_dir` adds a
    `CachedEncoder` there (for models loaded without that cache). Corpora are written
    to `corpora_dir/<claim id>/` (kept, to rerun `analyze` on one) or to a temporary folder.
    `conflicts_out` gets one JSON line per reported conflict (`_conflict_rows`) and
    `per_corpus_out` one line of counts per corpus, both as each corpus finishes.
    `model_conflicts=False` skips the relation model (`NeverDisagrees`): clustering loops in
    seconds per corpus, conflict figures not comparable. With `outlets` each article is
    analyzed knowing its outlet (its URL's host) and URL, as a desk knows where each article
    comes from (`corpus_documents`); without, as bare `.txt` files (every article its own
    origin unless its text names one: the yardstick before issue 20).
    Returns {"folds", "corpora", "systems": {"corroborate": {counts, rates}, "baseline": ...},
    "per_corpus": [...], "settings", "date", "load"}.
    """
    from ..pipeline import analyze

    progress = progress or (lambda message: None)
    corpora = load_corpora(data_dir, folds, limit=limit)
    for path in (conflicts_out, per_corpus_out):   # begun afresh once the corpora are read: a run
        if path:                                    # that cannot start leaves the last one's files
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text("", encoding="utf-8")
    encoder = CachedEncoder(models.encoder, cache_dir) if cache_dir else models.encoder
    scorer = models.scorer if model_conflicts else NeverDisagrees()
    cached = dataclasses.replace(models, encoder=encoder, scorer=scorer)

    def save() -> None:
        if isinstance(encoder, CachedEncoder):
            encoder.save()
    totals = {"corroborate": Counter(), "baseline": Counter()}
    per_corpus, conflict_rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(corpora_dir) if corpora_dir else Path(tmp)
        saved = time.perf_counter()
        try:
            for n, corpus in enumerate(corpora, 1):
                folder = write_corpus(corpus, root / corpus.claim_id)
                t0 = time.perf_counter()
                analysis = analyze(corpus_documents(corpus) if outlets else folder, models=cached,
                                   settings=settings)
                ours = from_analysis(analysis, time.perf_counter() - t0)
                counts = {"corroborate": score_corpus(corpus, ours)}
                rows = _conflict_rows(corpus, analysis, ours)
                conflict_rows.extend(rows)
                if conflicts_out:       # as each corpus finishes, so a stopped run leaves them
                    with open(conflicts_out, "a", encoding="utf-8") as fh:
                        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
                if with_baseline:
                    counts["baseline"] = score_corpus(corpus, baseline(corpus, encoder))
                for system, c in counts.items():
                    totals[system].update(c)
                per_corpus.append({"corpus": corpus.claim_id, "fold": corpus.fold,
                                   **{s: dict(c) for s, c in counts.items()}})
                if per_corpus_out:      # a stopped run still leaves the corpora it finished
                    with open(per_corpus_out, "a", encoding="utf-8") as fh:
                        fh.write(json.dumps(per_corpus[-1]) + "\n")
                progress(f"[{n}/{len(corpora)}] {corpus.claim_id} (fold {corpus.fold}): "
                         f"{len(ours.claims)} claims, {len(ours.conflicts)} conflicts, "
                         f"{ours.seconds:.1f} s")
                if time.perf_counter() - saved > 120:   # a stopped run loses at most two minutes
                    save()
                    saved = time.perf_counter()
        finally:
            save()
    systems = {s: {"counts": dict(c), "rates": summarise(c)} for s, c in totals.items() if c}
    return {"folds": list(folds), "limit": limit, "corpora": len(corpora),
            "articles": sum(len(c.articles) for c in corpora), "systems": systems,
            "per_corpus": per_corpus, "conflict_gold": dict(Counter(r["gold"] for r in conflict_rows)),
            "settings": (settings.as_dict() if settings is not None else None),
            "model_conflicts": model_conflicts,
            "date": time.strftime("%Y-%m-%d"), "load": [round(x, 2) for x in os.getloadavg()]}


def _fmt(value: float | None, name: str) -> str:
    if value is None:
        return "—"
    if name.endswith("_per_corpus"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def _fraction(counts: Mapping, name: str) -> str:
    parts = {"corroboration_recall": ("corroborated", "agree_pairs"),
             "members_recall": ("corroborated_members", "agree_pairs"),
             "corroborated_status": ("corroborated_status", "agree_pairs"),
             "conflict_recall": ("conflict_hits", "agree_disagree_pairs"),
             "false_conflicts": ("false_conflicts", "agree_pairs"),
             "merged_other_story": ("merged_other_story", "agree_lines"),
             "uncovered_lines": ("uncovered_lines", "rationale_lines")}.get(name)
    return f" ({int(counts.get(parts[0], 0))}/{int(counts.get(parts[1], 0))})" if parts else ""


def to_markdown(result: Mapping, *, command: str | None = None) -> str:
    """The yardstick as a markdown table: one row per metric, one column per system."""
    systems = list(result["systems"])
    head = {"corroborate": "corroborate", "baseline": "naive baseline"}
    lines = [f"Folds {', '.join(map(str, result['folds']))}"
             + (f" (first {result['limit']} corpora)" if result.get("limit") else "")
             + f": {result['corpora']} corpora, {result['articles']} articles. "
             f"Run {result['date']}, load average {', '.join(map(str, result['load']))}.",
             ""]
    if command:
        lines += [f"Command: `{command}`", ""]
    if result.get("model_conflicts") is False:
        lines += ["Clusters only: the relation model was not asked, so the conflict rows are the "
                  "rules' alone.", ""]
    lines += ["| metric | " + " | ".join(head.get(s, s) for s in systems) + " | meaning |",
              "|---|" + "---|" * len(systems) + "---|"]
    for name, label, meaning in METRICS:
        cells = [_fmt(result["systems"][s]["rates"][name], name)
                 + _fraction(result["systems"][s]["counts"], name) for s in systems]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {meaning} |")
    gold = result.get("conflict_gold") or {}
    if gold:
        lines += ["", "Reported conflicts by the lines they sit on: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(gold.items())) + "."]
    lines += [
        "",
        "Definitions (issue 10): a claim is *on* a line when its span overlaps it; lines are",
        "`article.split(\"\\n\")`; an outlet is the URL host without `www.`. Corpora: every claim of",
        f"the folds whose articles of {MIN_ARTICLE_CHARS}+ characters include at least two agree/disagree",
        "articles with rationale lines. The baseline: every line of "
        f"{BASELINE_LINE_CHARS}+ characters is a claim, average linkage",
        f"at e5 cosine >= {BASELINE_COSINE}, origins = outlets, a conflict is a cross-document pair at that",
        "cosine where exactly one side has a negation word (cues.tsv `negator`). Seconds are wall time",
        "with the embedding cache as it was (a cold cache embeds every claim once).",
    ]
    return "\n".join(lines) + "\n"


_FOLDS = re.compile(r"^\s*\d+(\s*,\s*\d+)*\s*$")


def parse_folds(text: str) -> tuple[int, ...]:
    """"1,2,3" -> (1, 2, 3)."""
    if not _FOLDS.match(text):
        raise ValueError(f"--folds takes fold numbers separated by commas, e.g. 1,2,3; got {text!r}")
    return tuple(int(x) for x in text.split(","))
