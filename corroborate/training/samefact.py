"""Training the same-fact clustering scorer on the public Arabic pair sets."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..encode import Encoder
from ..samefact import FEATURES, KNOWN_FEATURES, SameFactModel, idf_table, pair_features
from ..text.content import content_stems
from .datasets import cached

log = logging.getLogger(__name__)

# Trained on news only (ANS headlines, Baly articles): ArNLI's image captions overlap almost
# word for word even when neutral, which taught the scorer to distrust shared words.
# Same fact = the same event slot: paraphrases and contradictions of one statement belong in
# one cluster (conflicts are then found inside it); neutral/unrelated pairs do not.
# the features the shipped scorer reads. Names, dates and unshared rare words
# (samefact.EXTRA_FEATURES) added nothing on Baly's cross-outlet pairs, but with the read pairs of
# Saudi press they tell one story's two facts apart better than without (docs/accuracy.md)
TRAINED_FEATURES = KNOWN_FEATURES
# Claim pairs of two outlets on real days of Saudi press, read blind: what `analyze` joins on a
# day of a country's press (46 % of the links inside corroborated clusters there are two facts of
# one story), which ANS headlines and Baly's search results do not show.
SNN_PAIRS = "saudinewsnet-pairs.tsv"     # in corroborate/data/samefact/
SNN_LABELS = {"same": 1, "conflict": 1, "different": 0}
SNN_WEIGHT = 3.0    # each read pair counts as 3 ANS/Baly pairs (1: the day's read clusters gain less)
# Yardstick corpora (claim ids) whose cross-outlet pairs the shipped scorer learns from: 17 of
# folds 1-2 (the claims with most agree pairs that we had embedded, and five false claims); two of
# fold 3 are only scored. All corpora of the folds train when these are None.
TRAIN_CORPORA = ("R-24", "R-33", "R-40", "R-52", "R-94", "R-210", "R-241", "R-259", "R-307", "R-472",
                 "R-505", "R-672", "V-7", "V-422", "V-458", "V-531", "V-600")
DEV_CORPORA = ("R-102", "V-442")

SAME = {"agree": 1, "disagree": 1, "entailment": 1, "contradiction": 1, "other": 0, "neutral": 0}


def _frame(texts: list[str], pairs: list[tuple[int, int]], labels: list[int], source: str) -> dict:
    return {"texts": texts, "pairs": pairs, "labels": labels, "source": source}


def pair_set(s1: Sequence[str], s2: Sequence[str], labels: Sequence[str], source: str, *,
             hard_negatives: bool = True, encoder=None) -> dict:
    """Labelled pairs of a pair set, plus each s1 with its nearest *other* s2 as a hard negative.

    The hard negatives are what clustering meets in real corpora: a headline about the
    same people and place, but another story.
    """
    texts = list(dict.fromkeys([*s1, *s2]))
    index = {t: i for i, t in enumerate(texts)}
    pairs = [(index[a], index[b]) for a, b in zip(s1, s2)]
    ys = [SAME[x] for x in labels]
    if hard_negatives:
        vectors = encoder.encode(texts)
        partner = {index[a]: set() for a in s1}
        for a, b in zip(s1, s2):
            partner[index[a]].add(index[b])
        right = sorted({index[b] for b in s2})
        sims = vectors[sorted(partner)] @ vectors[right].T
        for row, i in enumerate(sorted(partner)):
            for col in np.argsort(-sims[row]):
                j = right[col]
                if j not in partner[i] and texts[j] != texts[i]:
                    pairs.append((i, j))
                    ys.append(0)
                    break
    return _frame(texts, pairs, ys, source)


def featurize(frame: dict, encoder, names: Sequence[str] = FEATURES) -> np.ndarray:
    texts = frame["texts"]
    if not frame["pairs"]:
        return np.zeros((0, len(names)), dtype=np.float32)
    bags = [content_stems(t) for t in texts]
    return pair_features(texts, bags, idf_table(bags), _paired_vectors(texts, frame["pairs"], encoder),
                         frame["pairs"], names)


def _paired_vectors(texts: Sequence[str], pairs: Sequence[tuple[int, int]], encoder) -> np.ndarray:
    """The vectors of the texts in `pairs`, the only ones `pair_features` reads (zeros elsewhere):
    a day of press gives IDF through all its claims and pairs through a few dozen."""
    used = sorted({i for pair in pairs for i in pair})
    found = np.asarray(encoder.encode([texts[i] for i in used]), dtype=np.float32)
    vectors = np.zeros((len(texts), found.shape[1]), dtype=np.float32)
    vectors[used] = found
    return vectors


def read_pairs(path: Path | str | None = None) -> list[dict]:
    """The rows of a file of read pairs (`SNN_PAIRS`, or the TSV at `path`): pair, date, kind,
    a_id, b_id, label, note; its `#` lines are provenance."""
    import csv
    from importlib import resources

    text = Path(path).read_text(encoding="utf-8") if path else \
        resources.files("corroborate").joinpath("data", "samefact", SNN_PAIRS).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def snn_frames(data_dir: Path | str, path: Path | str | None = None, settings=None) -> list[dict]:
    """The read SaudiNewsNet pairs (`read_pairs`), one frame per day: its texts are all the
    claims `analyze` keeps from the day's pile (so IDF and rare words are taken as `analyze`
    takes them), its pairs the read ones in file order, same fact or conflict = 1."""
    from ..model import Settings
    from .pairs import split_day

    where = path or f"corroborate/data/samefact/{SNN_PAIRS}"
    rows = [r for r in read_pairs(path) if r["label"] in SNN_LABELS]
    settings = settings or Settings()
    frames = []
    days = sorted({r["date"] for r in rows})
    for done, day in enumerate(days, 1):
        log.info("read pairs: splitting SaudiNewsNet %s as analyze does (%d/%d)", day, done, len(days))
        source = Path(data_dir) / "saudinewsnet" / f"{day}.zip"
        if not source.is_file():
            raise FileNotFoundError(f"{source}: missing; the read pairs of {where} take their text from "
                                    "SaudiNewsNet (../shared/data/saudinewsnet), or train without them "
                                    "(`--saudinewsnet-weight 0`)")
        _, claims = split_day(data_dir, day, settings)
        index = {c.id: n for n, c in enumerate(claims)}
        read = [r for r in rows if r["date"] == day]
        missing = [x for r in read for x in (r["a_id"], r["b_id"]) if x not in index]
        if missing:
            raise ValueError(f"{where}: {len(missing)} claim(s) of {day}, e.g. {missing[0]}, are not among "
                             "the claims `analyze` now splits from that day; the splitter changed since "
                             "they were read: draw and read the pairs again (bench/samefact_day.py sample)")
        frames.append(_frame([c.text for c in claims], [(index[r["a_id"]], index[r["b_id"]]) for r in read],
                             [SNN_LABELS[r["label"]] for r in read], f"snn-{day}"))
    return frames


def _sets(data_dir: Path, encoder) -> tuple[list[dict], list[dict]]:
    # Baly enters through the yardstick corpora (cross-outlet pairs of claims, train_same_fact),
    # which replaced pairs of a claim and its best-matching article sentence; XNLI's NLI pairs are
    # no same-fact data (the old scorer reached F1 0.29 there), so they are no longer scored.
    read = lambda *p: pd.read_csv(data_dir.joinpath(*p), keep_default_na=False)  # noqa: E731
    ans_train, ans_dev = read("ans_stance", "train.csv"), read("ans_stance", "dev.csv")
    train = [pair_set(ans_train.s1, ans_train.s2, ans_train.label, "ans-train", encoder=encoder)]
    dev = [pair_set(ans_dev.s1, ans_dev.s2, ans_dev.label, "ans-dev", encoder=encoder)]
    return train, dev


def _scores(y: np.ndarray, p: np.ndarray) -> dict:
    from sklearn.metrics import f1_score, roc_auc_score

    return {"n": int(len(y)), "positives": int(y.sum()),
            "f1": round(float(f1_score(y, p >= 0.5)), 3),
            "auc": round(float(roc_auc_score(y, p)), 3) if 0 < y.sum() < len(y) else None}


def train_same_fact(data_dir: Path | str, out: Path, encoder: Encoder, *, seed: int = 42,
                    features: Sequence[str] = TRAINED_FEATURES, corpus_folds: Sequence[int] = (1, 2),
                    dev_folds: Sequence[int] = (3,), corpora: Sequence[str] | None = TRAIN_CORPORA,
                    dev_corpora: Sequence[str] | None = DEV_CORPORA, snn: bool = True,
                    snn_weight: float = SNN_WEIGHT) -> dict:
    """Fit the scorer, save it to `out`, return dev scores per set (ours and cosine alone).

    It learns from ANS pairs, from cross-outlet claim pairs of the yardstick corpora of
    `corpus_folds` (`corpus_frames`; only the claim ids in `corpora` when given) and, with
    `snn`, from the read SaudiNewsNet pairs (`snn_frames`), each weighing `snn_weight`; the
    corpora of `dev_folds` (`dev_corpora`) are scored, never trained on.
    """
    from sklearn.linear_model import LogisticRegression

    from .e2e import load_corpora

    encoder = cached(encoder)
    log.info("ANS pairs and their nearest other headlines")
    train, dev = _sets(Path(data_dir), encoder)
    def chosen(folds, ids):
        return [c for c in load_corpora(data_dir, folds) if ids is None or c.claim_id in ids]

    if corpus_folds:
        log.info("cross-outlet claim pairs of Baly folds %s", ", ".join(map(str, corpus_folds)))
        frames = corpus_frames(chosen(corpus_folds, corpora), encoder)
        train.append(_merged(frames, f"baly-corpora-f{''.join(map(str, corpus_folds))}"))
    if dev_folds:
        frames = corpus_frames(chosen(dev_folds, dev_corpora), encoder)
        dev.append(_merged(frames, f"baly-corpora-f{''.join(map(str, dev_folds))}"))
    if snn:
        train.append({**_merged(snn_frames(data_dir), "saudinewsnet-read"), "weight": snn_weight})
    log.info("features and the fit")
    x = np.vstack([_features(f, encoder, features) for f in train])
    y = np.concatenate([_labels(f) for f in train])
    weight = np.concatenate([np.full(_count(f), f.get("weight", 1.0)) for f in train])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    clf = LogisticRegression(class_weight="balanced", C=1.0, max_iter=2000, random_state=seed)
    clf.fit((x - mean) / scale, y, sample_weight=weight)
    cos = list(features).index("cosine")
    cosine_only = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)
    cosine_only.fit(x[:, [cos]], y, sample_weight=weight)
    model = SameFactModel(mean, scale, clf.coef_[0], clf.intercept_[0], features=features)
    report = {"train": {f["source"]: _count(f) for f in train}, "dev": {}}
    for frame in dev:
        xd, yd = _features(frame, encoder, features), np.asarray(_labels(frame))
        report["dev"][frame["source"]] = {"ours": _scores(yd, model.proba(xd)),
                                          "cosine only": _scores(yd, cosine_only.predict_proba(xd[:, [cos]])[:, 1])}
    encoder.save()
    model.meta = {"seed": seed, "trained_on": report["train"], "saudinewsnet_weight": snn_weight if snn else 0,
                  "dev_scores": report["dev"],
                  "coef_by_feature": dict(zip(features, np.round(clf.coef_[0], 3).tolist()))}
    model.save(Path(out))
    return report


def _merged(frames: list[dict], source: str) -> dict:
    """Several corpus frames as one training set that keeps each corpus's own IDF."""
    return {"parts": frames, "source": source}


def _labels(frame: dict) -> list[int]:
    return [y for f in frame["parts"] for y in f["labels"]] if "parts" in frame else list(frame["labels"])


def _count(frame: dict) -> int:
    return len(_labels(frame))


def _features(frame: dict, encoder, names: Sequence[str]) -> np.ndarray:
    if "parts" in frame:
        return np.vstack([featurize(f, encoder, names) for f in frame["parts"]] or
                         [np.zeros((0, len(names)), dtype=np.float32)])
    return featurize(frame, encoder, names)


# --- cross-outlet pairs from the end-to-end corpora (issue 10) ---------------------------------

def corpus_claims(corpus, settings=None) -> tuple[list, list]:
    """The claims `analyze` would split from one yardstick corpus, and its documents."""
    import tempfile

    from ..claims import split_claims
    from ..ingest import read_inputs
    from ..model import Settings
    from .e2e import write_corpus

    settings = settings or Settings()
    with tempfile.TemporaryDirectory() as tmp:
        docs, _ = read_inputs(write_corpus(corpus, Path(tmp) / corpus.claim_id))
    claims = [c for d in docs for c in split_claims(d, min_chars=settings.min_claim_chars,
                                                   max_chars=settings.max_claim_chars)]
    return claims, docs


def label_claims(corpus, claims) -> list[str]:
    """Per claim: "A" on an agree rationale line, "D" on a disagree one, "U" in an article
    labelled unrelated, "N" elsewhere (other lines of agree/disagree/discuss articles)."""
    from .e2e import line_spans

    articles = {a.doc_id: a for a in corpus.articles}
    out = []
    for c in claims:
        a = articles[c.doc_id]
        spans = line_spans(a.text)
        on = any(c.start < spans[n][1] and c.end > spans[n][0] for n in a.rationale)
        out.append("U" if a.stance == "unrelated" else
                   ("A" if a.stance == "agree" else "D") if on and a.stance in ("agree", "disagree") else "N")
    return out


def corpus_frames(corpora, encoder, *, floor: float = 0.80, k: int = 20, settings=None) -> list[dict]:
    """Labelled claim pairs from yardstick corpora, one frame per corpus (its texts are the
    corpus's claims, so IDF is taken as `analyze` takes it), among each claim's `k` nearest
    (cosine >= `floor`).

    Same fact (1): claims on agree rationale lines of two outlets (both assert the claim in
    their own words). Different (0): a rationale-line claim against a claim of an article
    labelled unrelated (another story of the same search), and against a claim of another
    stance or discuss article that is on none of its rationale lines and is further from the
    corpus's claim than every rationale-line claim (another fact of the same story; claims as
    close as those may restate it unmarked, so they are left out). Pairs inside one article
    are left out: clustering splits those back anyway.
    """
    from ..neighbours import nearest_pairs

    frames = []
    for corpus in corpora:
        claims, _ = corpus_claims(corpus, settings)
        if len(claims) < 2:
            continue
        labels = label_claims(corpus, claims)
        outlet = {a.doc_id: a.outlet for a in corpus.articles}
        vectors = encoder.encode([c.text for c in claims] + [corpus.claim])
        to_claim = vectors[:-1] @ vectors[-1]
        stance = [n for n, lab in enumerate(labels) if lab in "AD"]
        if not stance:
            continue
        restates = float(min(to_claim[n] for n in stance))
        pairs, ys = [], []
        for i, j in nearest_pairs(vectors[:-1], floor=floor, k=k):
            a, b = claims[i], claims[j]
            if a.doc_id == b.doc_id:
                continue
            la, lb = labels[i], labels[j]
            if la == lb == "A" and outlet[a.doc_id] != outlet[b.doc_id]:
                y = 1
            elif {la, lb} in ({"A", "U"}, {"D", "U"}):
                y = 0
            elif la in "AD" and lb == "N" and to_claim[j] < restates or \
                    lb in "AD" and la == "N" and to_claim[i] < restates:
                y = 0
            else:
                continue
            pairs.append((i, j))
            ys.append(y)
        frame = _frame([c.text for c in claims], pairs, ys, corpus.claim_id)
        frame["fold"] = corpus.fold
        frames.append(frame)
    return frames
