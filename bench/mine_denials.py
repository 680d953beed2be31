"""Denials on real news, no model: SaudiNewsNet denials and the reports they answer, and Baly
folds 1-3 rationale lines. Numbers and the reading are in docs/denials.md.

Run:
    .venv/bin/python bench/mine_denials.py saudinewsnet [--cache .cache/saudinewsnet-claims.jsonl]
        [--out reports/denials] [--sample 50] [--pairs-sample 30] [--seed 31]
    .venv/bin/python bench/mine_denials.py baly

saudinewsnet: every article of the 18 days split with `split_claims`, and `denial` run on each
sentence (the split is the slow part, about 4 min of CPU; `--cache` keeps it for a rerun). Then,
for each denial whose proposition is not just a pointer («نفى ذلك»), the sentences of OTHER
outlets within +-2 days that share at least two of its rare words (idf over all sentences) are
scored by rapidfuzz token_set_ratio on normalised text; the best three at >= 60 are written as
pairs. Writes OUT/saudinewsnet-denials.jsonl (every denial: ids, cue, speaker, proposition) and
OUT/saudinewsnet-pairs.jsonl (denial x other sentence, with scores and whether the other sentence
itself denies or reports), and prints a seeded sample of each to read. The corpus has no licence:
its text is for development and measurement only and is never shipped in the package.

baly: the rationale lines of agree and disagree articles of folds 1-3 (never 4-5), and how many
of each carry a denial.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import random
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

from corroborate.claims import split_claims
from corroborate.model import Document
from corroborate.text.denials import denial, report_of
from corroborate.text.lexicon import words
from corroborate.text.normalize import normalize_text
from corroborate.text.tokens import tokens
from corroborate.training.e2e import fold_ids

sys.path.insert(0, str(Path(__file__).resolve().parent))
import saudinewsnet  # bench/saudinewsnet.py: the corpus reader

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
WINDOW_DAYS = 2
MIN_SHARED = 2          # rare words a candidate must share with the proposition
TOP = 3                 # pairs kept per denial
MIN_RATIO = 60          # token_set_ratio a pair needs


def load_claims(cache: Path | None) -> list[dict]:
    """Every sentence of the 18 days: id, doc, day, outlet, text (from `cache` when it exists)."""
    if cache and cache.exists():
        with open(cache, encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    out = []
    for day in saudinewsnet.days():
        for i, r in enumerate(saudinewsnet.articles(day)):
            doc = Document(id=f"{day}-{i}", text=r["text"], outlet=r["outlet"])
            out.extend({"id": c.id, "doc": doc.id, "day": day, "outlet": r["outlet"], "text": c.text}
                       for c in split_claims(doc))
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with open(cache, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(c, ensure_ascii=False) + "\n" for c in out)
    return out


def _terms(text: str, stop: frozenset[str]) -> set[str]:
    return {t for t in tokens(text) if len(t) >= 3 and t not in stop and not t.isdigit()}


def _day_number(day: str) -> int:
    y, m, d = map(int, day.split("-"))
    return y * 372 + m * 31 + d          # only differences within a month or two are used


def mine(claims: list[dict]) -> tuple[list[dict], list[dict]]:
    """(denials, pairs): every denial found, and its candidate reports in other outlets."""
    found = []
    for c in claims:
        d = denial(c["text"])
        if d:
            found.append({**{k: c[k] for k in ("id", "doc", "day", "outlet", "text")},
                          "cue": d.cue, "speaker": d.speaker, "proposition": d.proposition,
                          "span": list(d.span), "form": d.form, "anaphoric": d.anaphoric})
    stop = words("stopword") | words("denial_anaphor")
    queries = {}
    seen_props: set[str] = set()
    for i, d in enumerate(found):
        key = normalize_text(d["proposition"])
        if d["anaphoric"] or key in seen_props:
            continue                     # a relayed copy of one denial is mined once
        seen_props.add(key)
        terms = _terms(d["proposition"], stop)
        if len(terms) >= 3:
            queries[i] = terms
    wanted = set().union(*queries.values()) if queries else set()
    df: collections.Counter[str] = collections.Counter()
    postings: dict[str, list[int]] = collections.defaultdict(list)
    for j, c in enumerate(claims):
        ts = _terms(c["text"], stop)
        df.update(ts)
        for t in ts & wanted:
            postings[t].append(j)
    n = len(claims)
    idf = {t: math.log(n / (1 + df[t])) for t in wanted}
    pairs = []
    for i, terms in queries.items():
        d = found[i]
        rare = {t for t in terms if idf[t] >= math.log(n / 200)}      # in fewer than ~200 sentences
        score: collections.Counter[int] = collections.Counter()
        hits: dict[int, list[str]] = collections.defaultdict(list)
        for t in rare:
            for j in postings.get(t, ()):
                score[j] += idf[t]
                hits[j].append(t)
        day = _day_number(d["day"])
        prop = normalize_text(d["proposition"])
        ranked = []
        for j, _ in score.most_common(200):
            c = claims[j]
            if len(hits[j]) < MIN_SHARED or c["outlet"] == d["outlet"] or c["doc"] == d["doc"] \
                    or abs(_day_number(c["day"]) - day) > WINDOW_DAYS:
                continue
            ratio = fuzz.token_set_ratio(prop, normalize_text(c["text"]))
            if ratio >= MIN_RATIO:
                ranked.append((ratio, len(hits[j]), j))
        for ratio, shared, j in sorted(ranked, reverse=True)[:TOP]:
            c = claims[j]
            other = denial(c["text"])
            rep = report_of(c["text"])
            pairs.append({"denial_id": d["id"], "denial_outlet": d["outlet"], "denial_day": d["day"],
                          "denial_text": d["text"], "speaker": d["speaker"], "proposition": d["proposition"],
                          "other_id": c["id"], "other_outlet": c["outlet"], "other_day": c["day"],
                          "other_text": c["text"], "token_set_ratio": round(ratio, 1), "shared_rare": shared,
                          "other_denies": other is not None,
                          "other_reports": rep.proposition if rep else None})
    return found, pairs


def run_saudinewsnet(args: argparse.Namespace) -> None:
    t0 = time.process_time()
    claims = load_claims(args.cache)
    t1 = time.process_time()
    found, pairs = mine(claims)
    t2 = time.process_time()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("saudinewsnet-denials.jsonl", found), ("saudinewsnet-pairs.jsonl", pairs)):
        with open(args.out / name, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    forms = collections.Counter(d["form"] for d in found)
    print(f"sentences: {len(claims)} in {len({c['doc'] for c in claims})} articles; "
          f"denials: {len(found)} ({dict(forms)}), anaphoric {sum(d['anaphoric'] for d in found)}; "
          f"on 2015-08-10: {sum(d['day'] == '2015-08-10' for d in found)}")
    print(f"pairs: {len(pairs)} for {len({p['denial_id'] for p in pairs})} denials; other sentence "
          f"denies too: {sum(p['other_denies'] for p in pairs)}; reports: {sum(bool(p['other_reports']) for p in pairs)}")
    print(f"CPU s: split {t1 - t0:.0f}, mine {t2 - t1:.0f}; load average {os.getloadavg()[0]:.2f}")
    rng = random.Random(args.seed)
    print(f"\n== {args.sample} denials drawn with random.Random({args.seed}) ==")
    for d in rng.sample(found, min(args.sample, len(found))):
        print(f"- {d['id']} [{d['form']}{', anaphoric' if d['anaphoric'] else ''}] {d['cue']} | "
              f"{d['speaker']}\n  S: {d['text']}\n  X: {d['proposition']}")
    fresh = [p for p in pairs if not p["other_denies"]]
    print(f"\n== {args.pairs_sample} pairs (other sentence not itself a denial) drawn with random.Random({args.seed}) ==")
    for p in random.Random(args.seed).sample(fresh, min(args.pairs_sample, len(fresh))):
        print(f"- {p['denial_id']} ({p['denial_outlet']}) x {p['other_id']} ({p['other_outlet']}) "
              f"ratio {p['token_set_ratio']}\n  X: {p['proposition']}\n  O: {p['other_text']}")


def run_baly(args: argparse.Namespace) -> None:
    ids = fold_ids(DATA, (1, 2, 3))          # folds 4-5 are withheld: never read
    folder = DATA / "baly2018_unifiedfc" / "native" / "dataset"
    lines = {"agree": 0, "disagree": 0}
    hits: dict[str, list[tuple[str, str, str]]] = {"agree": [], "disagree": []}
    for cid in sorted(ids):
        record = json.loads((folder / f"{cid}.json").read_text(encoding="utf-8"))
        seen: set[tuple[str, int]] = set()
        for text, stance, raw in zip(record["article"], record["stance"], record["rationale"]):
            if stance not in lines:
                continue
            split = text.split("\n")
            for i in json.loads(raw) if raw and raw.strip() else []:
                if not 0 <= int(i) < len(split) or (text, int(i)) in seen:
                    continue
                seen.add((text, int(i)))
                lines[stance] += 1
                d = denial(split[int(i)])
                if d:
                    hits[stance].append((cid, d.cue, d.proposition))
    for stance in ("disagree", "agree"):
        n, k = lines[stance], len(hits[stance])
        print(f"{stance} rationale lines: {n}, with a denial: {k} ({100 * k / max(1, n):.1f} %)")
        for cid, cue, prop in hits[stance]:
            print(f"  {cid} {cue} | {prop[:150]}")
    print(f"load average {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("saudinewsnet", help="denials of the 18 days and the reports they answer")
    s.add_argument("--cache", type=Path, default=ROOT / ".cache" / "saudinewsnet-claims.jsonl",
                   help="the split sentences, kept for a rerun (.cache/ is not in git)")
    s.add_argument("--out", type=Path, default=ROOT / "reports" / "denials")
    s.add_argument("--sample", type=int, default=50, help="denials to print for reading")
    s.add_argument("--pairs-sample", type=int, default=30, help="pairs to print for reading")
    s.add_argument("--seed", type=int, default=31)
    sub.add_parser("baly", help="Baly folds 1-3 rationale lines with a denial")
    args = parser.parse_args()
    (run_saudinewsnet if args.what == "saudinewsnet" else run_baly)(args)


if __name__ == "__main__":
    main()
