"""Does "the same fact" read on Saudi press teach what ANS and Baly's pairs did not? (issues 18
and 20: two facts in one cluster are most of what the day's and the week's readings find wrong.)

Run: python bench/saudinewsnet.py DATE --out /tmp/DATE.jsonl
     python bench/conflicts_day.py prepare /tmp/DATE.jsonl                 # a day's store, for sample
     .venv/bin/python bench/samefact_day.py sample --n 800 --out /tmp/sf   # sheets to read blind
     .venv/bin/python bench/samefact_day.py sample-reports --reports R/day.json --piles /tmp/DATE.jsonl
     .venv/bin/python bench/samefact_day.py train --name saudi [--half 1]  # the second look's cross-encoder
     .venv/bin/python bench/samefact_day.py score [--adapter DIR ...]

`sample` draws claim pairs of two outlets from the stored days of `bench/conflicts_day.py
prepare` (piles named by their date, so claim ids read c-DATE-LINE:START; never 2015-08-10 nor
2015-08-03, whose read clusters are the check): a random pair of two origins of a corroborated
cluster (what a corroboration rests on) and, for about a third, a claim's nearest claim of
another outlet in another cluster (a near miss). Each pair goes to a sheet with both articles'
titles, dates and the text before each claim, in random order, with nothing of the tool's
verdict. `sample-reports` draws member pairs the same way from `analyze`'s JSON reports (what
the shipped scorer now accepts), skipping pairs already read. The read pairs are
corroborate/data/samefact/saudinewsnet-pairs.tsv, which `corroborate train samefact` learns
from; their texts come from ../shared/data (`snn_frames`).
`train` trains the shipped second-look adapter (models/samefact-cross/) further on the read
pairs of one half of the days (`--half`) with Baly folds 1-2's pairs (`bench/samefact_crossenc.py
pairs` stores them). `score` prints ROC AUC of the scorer and each adapter on the read pairs (all
and by half) and on the read clusters of 2015-08-10 (`readings/day-2015-08-10-clusters.tsv`:
a cluster's links of two outlets, max/mean/min, against "one fact"; its store must be prepared).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import pickle
import random
import time
from pathlib import Path

import numpy as np

DAYS = Path(".cache/conflicts_day")
STORE = Path(".cache/samefact_day")
READINGS = Path(__file__).resolve().parent / "readings"
CHECK_DAYS = {"2015-08-10", "2015-08-03"}      # their read clusters are the check
# the two halves the read pairs are split in (by day) to train on one and score the other
HALVES = ({"2015-08-01", "2015-08-09", "2015-08-08", "2015-08-04", "2015-08-07", "2015-07-22", "2015-07-24",
           "2015-07-26"},
          {"2015-07-31", "2015-08-11", "2015-08-02", "2015-08-06", "2015-07-21", "2015-07-23", "2015-07-25",
           "2015-07-27"})
CONTEXT = 300


def _texts(pile: str) -> list[dict]:
    return [json.loads(line) for line in Path(pile).read_text(encoding="utf-8").splitlines() if line.strip()]


def _before(text: str, start: int) -> str:
    return " ".join(text[max(0, start - CONTEXT):start].split())


def sample(args) -> None:
    rng = random.Random(args.seed)
    names = sorted(p.stem for p in DAYS.glob("*.pkl") if p.stem not in CHECK_DAYS)
    per_day = math.ceil(args.n / len(names))
    rows = []
    for name in names:
        d = pickle.loads((DAYS / f"{name}.pkl").read_bytes())
        pile = _texts(d["pile"])
        claims = {c.id: c for c in d["claims"]}
        index = {c.id: k for k, c in enumerate(d["claims"])}
        vectors = np.asarray(d["vectors"], dtype=np.float32)
        cluster_of = {cid: k.id for k in d["clusters"] for cid in k.claim_ids}
        outlet = {x.id: x.outlet for x in d["documents"]}
        docs = {x.id: x for x in d["documents"]}
        members, near = [], []
        for k in d["clusters"]:
            if k.status != "corroborated" or len(k.doc_ids) < 2:
                continue
            cs = [claims[c] for c in k.claim_ids]
            two = [(a, b) for i, a in enumerate(cs) for b in cs[i + 1:]
                   if a.origin != b.origin and outlet[a.doc_id] != outlet[b.doc_id]]
            if two:
                members.append(rng.choice(two))
        pool = [c for c in d["claims"] if len(c.text) >= 40]
        for a in rng.sample(pool, min(len(pool), 400)):
            sims = vectors @ vectors[index[a.id]]
            for j in np.argsort(-sims)[1:40]:
                b = d["claims"][int(j)]
                if (outlet[b.doc_id] != outlet[a.doc_id] and cluster_of.get(b.id) != cluster_of.get(a.id)
                        and len(b.text) >= 40):
                    if sims[j] >= args.near_floor:
                        near.append((a, b))
                    break
        n_near = round(per_day * args.near_share)
        picked = [("member", p) for p in rng.sample(members, min(len(members), per_day - n_near))]
        picked += [("near", p) for p in rng.sample(near, min(len(near), per_day - len(picked)))]
        for kind, (a, b) in picked:
            if rng.random() < 0.5:
                a, b = b, a
            rows.append(_sheet_row(name, kind, pile, *(
                (c.id, c.doc_id, c.start, c.text, docs[c.doc_id].outlet, docs[c.doc_id].published,
                 docs[c.doc_id].title) for c in (a, b))))
        print(f"{name}: {len(members)} corroborated clusters, {len(near)} near misses; "
              f"{len(picked)} pairs drawn", flush=True)
    rng.shuffle(rows)
    _write_sheets(rows[:args.n], args.out, args.sheets)


def sample_reports(args) -> None:
    """Member pairs (two origins, two outlets) of the corroborated clusters of JSON reports of
    `analyze` on piles named by their date: what the scorer now accepts, to read blind; pairs
    already read (the training file and `readings/samefact-accepted-pairs.tsv`) are skipped."""
    from corroborate.training.samefact import read_pairs

    extra = READINGS / "samefact-accepted-pairs.tsv"
    read = read_pairs() + (read_pairs(extra) if extra.is_file() else [])
    seen = {frozenset((r["a_id"], r["b_id"])) for r in read}
    rng = random.Random(args.seed)
    per_report = math.ceil(args.n / len(args.reports))
    rows = []
    for path, pile_path in zip(args.reports, args.piles):
        report = json.loads(Path(path).read_text(encoding="utf-8"))
        day = Path(pile_path).stem
        if day in CHECK_DAYS:
            raise SystemExit(f"{pile_path}: {day} is a check day; draw from another")
        pile = _texts(pile_path)
        claims = {c["id"]: c for c in report["claims"]}
        docs = {d["id"]: d for d in report["documents"]}
        members = []
        for k in report["clusters"]:
            if k["status"] != "corroborated":
                continue
            cs = [claims[c] for c in k["claim_ids"]]
            two = [(a, b) for i, a in enumerate(cs) for b in cs[i + 1:]
                   if a["origin"] != b["origin"] and docs[a["doc_id"]].get("outlet") != docs[b["doc_id"]].get("outlet")
                   and frozenset((a["id"], b["id"])) not in seen]
            if two:
                members.append(rng.choice(two))
        for a, b in rng.sample(members, min(len(members), per_report)):
            if rng.random() < 0.5:
                a, b = b, a
            rows.append(_sheet_row(day, "member", pile, *(
                (c["id"], c["doc_id"], c["start"], c["text"], docs[c["doc_id"]].get("outlet"),
                 docs[c["doc_id"]].get("published"), docs[c["doc_id"]].get("title")) for c in (a, b))))
        print(f"{day}: {len(members)} corroborated clusters with an unread two-origin pair", flush=True)
    rng.shuffle(rows)
    _write_sheets(rows[:args.n], args.out, args.sheets)


def _sheet_row(day: str, kind: str, pile: list[dict], a: tuple, b: tuple) -> dict:
    """A pair as the sheets and the key hold it; each side (claim id, document id, start, text,
    outlet, date, title), its document found on the pile's line the id names."""
    row = {"date": day, "kind": kind, "a_id": a[0], "b_id": b[0]}
    for side, (_, doc_id, start, text, outlet, published, title) in (("a", a), ("b", b)):
        page = pile[int(doc_id.rsplit("-", 1)[1]) - 1]["text"]
        row.update({f"{side}_outlet": outlet or "", f"{side}_date": published or "", f"{side}_title": title or "",
                    f"{side}_before": _before(page, start), f"{side}_claim": text})
    return row


def _write_sheets(rows: list[dict], out: Path, sheets: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    keep = ["pair", "date", "kind", "a_id", "b_id"]
    show = ["pair"] + [f"{s}_{f}" for s in "ab" for f in ("outlet", "date", "title", "before", "claim")]
    for k, r in enumerate(rows, 1):
        r["pair"] = k
    (out / "key.tsv").write_text(_tsv(rows, keep), encoding="utf-8")
    size = math.ceil(len(rows) / sheets)
    for s in range(sheets):
        part = rows[s * size:(s + 1) * size]
        (out / f"sheet{s + 1}.tsv").write_text(_tsv(part, show + ["label", "note"]), encoding="utf-8")
    print(f"{len(rows)} pairs -> {out}/sheet1..{sheets}.tsv (key: {out}/key.tsv)")


def _tsv(rows: list[dict], fields: list[str]) -> str:
    out = ["\t".join(fields)]
    for r in rows:
        out.append("\t".join(str(r.get(f, "")).replace("\t", " ").replace("\n", " ") for f in fields))
    return "\n".join(out) + "\n"


def _read_tsv(path: Path) -> list[dict]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if x and not x.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


LABELS = {"different": 0, "same": 1, "conflict": 2}


def labelled() -> list[dict]:
    """The read pairs with both claims' texts, in `snn_frames`' order (by day, then as read);
    `unclear` is left out. `frame` and `at`: the day's frame and the pair's place in it."""
    from corpus import DATA

    from corroborate.training.samefact import read_pairs, snn_frames

    rows = [r for r in read_pairs() if r["label"] in LABELS]
    out = []
    for frame in snn_frames(DATA):
        day = frame["source"].removeprefix("snn-")
        for at, (r, (i, j)) in enumerate(zip([r for r in rows if r["date"] == day], frame["pairs"])):
            out.append({**r, "day": day, "a": frame["texts"][i], "b": frame["texts"][j], "y": LABELS[r["label"]],
                        "frame": frame, "at": at})
    return out


def _split(rows: list[dict]) -> tuple[set, set]:
    return HALVES


def _baly(n: int, seed: int) -> list[dict]:
    from samefact_crossenc import _load_pairs

    rows = [r for r in _load_pairs() if r["fold"] in (1, 2)]
    rng = random.Random(seed)
    return rng.sample(rows, min(n, len(rows)))


def train(args) -> None:
    from samefact_crossenc import fit

    from corroborate import paths

    rows = labelled()
    if args.half:
        keep = _split(rows)[args.half - 1]
        rows = [r for r in rows if r["day"] in keep]
    print(f"{len(rows)} labelled SaudiNewsNet pairs of {len({r['day'] for r in rows})} days", flush=True)
    rows = rows + _baly(args.baly, args.seed)
    fit(rows, paths.models_dir() / paths.SAME_FACT_CROSS, STORE / args.name, args)


def _proba(adapter: Path, a: list[str], b: list[str]) -> np.ndarray:
    from samefact_crossenc import _proba as both_orders

    return both_orders(adapter, a, b)


def _auc(y, p) -> str:
    from sklearn.metrics import roc_auc_score

    return f"{roc_auc_score(y, p):.3f}" if 0 < sum(y) < len(y) else "-"


def scorer_proba(day: str, pairs: list[tuple[str, str]]) -> np.ndarray:
    """The shipped same-fact scorer's p(same fact) for claim-id pairs of a stored day, its idf
    taken over the day's claims as `analyze` takes it."""
    from corroborate.pipeline import load_models
    from corroborate.samefact import idf_table, pair_features
    from corroborate.text.content import content_stems

    d = pickle.loads((DAYS / f"{day}.pkl").read_bytes())
    index = {c.id: k for k, c in enumerate(d["claims"])}
    texts = [c.text for c in d["claims"]]
    bags = [content_stems(t) for t in texts]
    scorer = load_models().same_fact
    rows = pair_features(texts, bags, idf_table(bags), np.asarray(d["vectors"], dtype=np.float32),
                         [(index[a], index[b]) for a, b in pairs], scorer.features)
    return scorer.proba(rows)


def _read_proba(rows: list[dict]) -> np.ndarray:
    """The shipped scorer on the read pairs, each day's frame featurised as training does."""
    from corroborate.pipeline import load_models
    from corroborate.training.samefact import featurize

    models = load_models()
    frames = {id(r["frame"]): r["frame"] for r in rows}.values()     # each day's frame once, in order
    out = [models.same_fact.proba(featurize(f, models.encoder, models.same_fact.features)) for f in frames]
    return np.concatenate(out) if out else np.zeros(0)


def read_clusters(max_pairs: int, seed: int) -> list[dict]:
    """The day's read clusters with their cross-outlet member pairs (texts of day.pkl)."""
    d = pickle.loads((DAYS / "2015-08-10.pkl").read_bytes())
    claims = {c.id: c for c in d["claims"]}
    outlet = {x.id: x.outlet for x in d["documents"]}
    rng = random.Random(seed)
    out = []
    for r in _read_tsv(READINGS / "day-2015-08-10-clusters.tsv"):
        cs = [claims[c] for c in r["claims"].split(",") if c in claims]
        two = [(a, b) for i, a in enumerate(cs) for b in cs[i + 1:] if outlet[a.doc_id] != outlet[b.doc_id]]
        if not two:
            continue
        two = rng.sample(two, min(max_pairs, len(two)))
        out.append({"row": f"{r['sample']}{r['row']}", "one_fact": r["label"] == "one fact",
                    "believable": r["origins"] == "believable", "pairs": [(a.text, b.text) for a, b in two],
                    "ids": [(a.id, b.id) for a, b in two]})
    return out


def _scorer_parts(part: str, clusters: list[dict], rows: list[dict]) -> np.ndarray:
    if part == "day":
        return scorer_proba("2015-08-10", [p for k in clusters for p in k["ids"]])
    return _read_proba(rows)


def score(args) -> None:
    from corroborate import paths

    adapters = ["scorer", paths.models_dir() / paths.SAME_FACT_CROSS] + [Path(x) for x in args.adapter]
    rows = labelled()
    halves = _split(rows) if rows else (set(), set())
    clusters = read_clusters(args.max_pairs, args.seed)
    flat = [p for k in clusters for p in k["pairs"]]
    cache = STORE / "scores.pkl"
    done = pickle.loads(cache.read_bytes()) if cache.is_file() else {}
    y_one = [k["one_fact"] for k in clusters]
    print(f"read clusters of 2015-08-10 with pairs of two outlets: {len(clusters)} ({sum(y_one)} one fact), "
          f"{len(flat)} pairs; labelled pairs {len(rows)} ({sum(r['y'] > 0 for r in rows)} same fact or conflict)")
    for adapter in adapters:
        key = "scorer" if adapter == "scorer" else str(Path(adapter).resolve())
        todo = {"day": flat, "labelled": [(r["a"], r["b"]) for r in rows]}
        for part, pairs in todo.items():
            k = (key, part, len(pairs), args.max_pairs, args.seed)
            if k not in done:
                t0 = time.time()
                if adapter == "scorer":
                    done[k] = _scorer_parts(part, clusters, rows)
                else:
                    done[k] = _proba(adapter, [a for a, _ in pairs], [b for _, b in pairs]) if pairs else np.zeros(0)
                print(f"  ({adapter}: {part} {len(pairs)} pairs in {time.time() - t0:.0f}s)", flush=True)
                STORE.mkdir(parents=True, exist_ok=True)
                cache.write_bytes(pickle.dumps(done))
        p_day = done[(key, "day", len(flat), args.max_pairs, args.seed)]
        p_lab = done[(key, "labelled", len(rows), args.max_pairs, args.seed)]
        at, per = 0, []
        for k in clusters:
            per.append(p_day[at:at + len(k["pairs"])])
            at += len(k["pairs"])
        line = [f"{str(adapter)[-40:]:<40}", "read clusters AUC max/mean/min "
                + "/".join(_auc(y_one, [f(v) for v in per]) for f in (np.max, np.mean, np.min))]
        if rows:
            y = [int(r["y"] > 0) for r in rows]
            line.append(f"labelled AUC all {_auc(y, p_lab)}")
            for h, days in enumerate(halves, 1):
                m = [r["day"] in days for r in rows]
                line.append(f"half {h} {_auc([v for v, t in zip(y, m) if t], p_lab[np.array(m)])}")
        print("  ".join(line))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--n", type=int, default=800)
    s.add_argument("--sheets", type=int, default=4)
    s.add_argument("--near-share", type=float, default=0.3)
    s.add_argument("--near-floor", type=float, default=0.85, help="a near miss's least cosine")
    s.add_argument("--seed", type=int, default=7)
    s.add_argument("--out", type=Path, default=Path("/tmp/sf"))
    r = sub.add_parser("sample-reports", help="member pairs of the corroborated clusters of analyze's JSON reports")
    r.add_argument("--reports", nargs="+", type=Path, required=True, help="day.json of each day")
    r.add_argument("--piles", nargs="+", type=Path, required=True, help="each report's pile, DATE.jsonl")
    r.add_argument("--n", type=int, default=400)
    r.add_argument("--sheets", type=int, default=2)
    r.add_argument("--seed", type=int, default=11)
    r.add_argument("--out", type=Path, default=Path("/tmp/sf2"))
    t = sub.add_parser("train")
    t.add_argument("--name", default="saudi")
    t.add_argument("--half", type=int, default=0, help="train on one half of the days (1 or 2), 0: all")
    t.add_argument("--baly", type=int, default=800, help="Baly folds 1-2 pairs mixed in, against forgetting")
    t.add_argument("--epochs", type=int, default=2)
    t.add_argument("--lr", type=float, default=1e-4)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=42)
    c = sub.add_parser("score")
    c.add_argument("--adapter", nargs="*", default=[])
    c.add_argument("--max-pairs", type=int, default=12, help="pairs of two outlets per read cluster")
    c.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    {"sample": sample, "sample-reports": sample_reports, "train": train, "score": score}[args.cmd](args)


if __name__ == "__main__":
    main()
