"""Verdicts on one named thing (`cues.verdict`, `conflicts.verdict_pairs`) on real news, no model:
every pair of claims of two documents and two origins that judge one named thing a success and
a failure, before any other gate of the conflict stage but the share of rare words the two must
have (`share`, IDF over the pile's claims; `min_subject` in Settings). An upper bound on the conflicts the
`verdicts` setting can add, written out for reading.

    .venv/bin/python bench/verdicts.py saudinewsnet [--days 2015-07-21 ...] [--out /tmp/verdicts.jsonl]
    .venv/bin/python bench/verdicts.py seeds

saudinewsnet: each day's pile (`training.pairs.write_pile`) split as `analyze` splits it
(`training.pairs.split_day`, furniture dropped), then the pairs inside each day and, over all the
days given together, the pairs of two days. Counts per day and in all; every pair goes to --out
with both texts, outlets and dates. Development and measurement only: no text is shipped.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from corpus import DATA, ROOT

from corroborate.conflicts import judged_apart, shared_subject, verdict_pairs
from corroborate.cues import verdict
from corroborate.model import Settings
from corroborate.pipeline import split_pile
from corroborate.training.pairs import snn_days, split_day


def rows(claims, documents, pairs):
    share = shared_subject([c.text for c in claims])[0] if pairs else None
    for i, j in pairs:
        a, b = claims[i], claims[j]
        yield {"a": a.id, "b": b.id, "thing": judged_apart(a.text, b.text), "share": round(share(i, j), 3),
               "sign_a": verdict(a.text)[0], "sign_b": verdict(b.text)[0],
               "outlet_a": documents[a.doc_id].outlet, "outlet_b": documents[b.doc_id].outlet,
               "date_a": documents[a.doc_id].published, "date_b": documents[b.doc_id].published,
               "text_a": a.text, "text_b": b.text}


def saudinewsnet(days: list[str], out: Path) -> None:
    settings = Settings()
    every_claim, every_document, total = [], {}, 0
    with open(out, "w", encoding="utf-8") as f:
        for day in days:
            t0 = time.time()
            documents, claims = split_day(DATA, day, settings)
            documents = {d.id: d for d in documents}
            judged = sum(1 for c in claims if verdict(c.text)[0])
            pairs = verdict_pairs(claims)
            kept = 0
            for row in rows(claims, documents, pairs):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                kept += row["share"] >= settings.min_subject
            total += len(pairs)
            print(f"{day}: {len(documents)} documents, {len(claims)} claims, {judged} with a verdict, "
                  f"{len(pairs)} pairs judged apart, {kept} sharing min_subject, {time.time() - t0:.0f} s", flush=True)
            every_claim += claims
            every_document.update(documents)
        across = [(i, j) for i, j in verdict_pairs(every_claim)
                  if every_document[every_claim[i].doc_id].published[:10]
                  != every_document[every_claim[j].doc_id].published[:10]]
        f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(every_claim, every_document, across))
    print(f"{len(days)} days: {total} pairs inside a day, {len(across)} across two days -> {out}")


def seeds(out: Path) -> None:
    documents, claims = split_pile(ROOT / "seeds", Settings())
    documents = {d.id: d for d in documents}
    pairs = verdict_pairs(claims)
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(claims, documents, pairs))
    print(f"seeds: {len(claims)} claims, {len(pairs)} pairs judged apart -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", choices=("saudinewsnet", "seeds"))
    parser.add_argument("--days", nargs="*", help="SaudiNewsNet days (default: all 18)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/verdicts.jsonl"))
    args = parser.parse_args()
    if args.corpus == "seeds":
        seeds(args.out)
    else:
        saudinewsnet(args.days or snn_days(DATA), args.out)


if __name__ == "__main__":
    main()
