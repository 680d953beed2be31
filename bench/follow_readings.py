"""Clusters read by hand, followed into a new output: how a change moves the clusters whose
labels we already have, with no new reading. Each read cluster is followed to the cluster that
now holds most of its claims (claim ids are stable across runs), and counted as still
corroborated or not, by its label.

    python bench/follow_readings.py day /tmp/day-out/day.json [--base /tmp/day-head/day.json]
    python bench/follow_readings.py baly .cache/conflicts_e2e [--base /tmp/store-before] [--readings baly-sixth-40.tsv]

`day`: the 170 corroborated clusters of SaudiNewsNet 2015-08-10 read in three samples (60, 60
and 50: bench/readings/day-2015-08-10-clusters.tsv), in a report of `bench/saudinewsnet.py 2015-08-10`
(`corroborate analyze` or `bench/bench_day.py --out`). `baly`: the fifth 40 of Baly folds 1-3
(bench/readings/baly-fifth-40.tsv; `--readings` the sixth or seventh), in a store of
`bench/conflicts_e2e.py prepare`. A read cluster is right when it is still corroborated and was
one fact with a believable count (still the count read, where the readings keep it: `K`; a Baly
copy row: when its count now is the real one), or when it is no longer corroborated and was not
(a day cluster read "one fact, inflated" too: most were one text counted twice).
`--base` lists the read clusters whose fate differs between the two outputs.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import pickle
from collections import Counter
from pathlib import Path

READINGS = Path(__file__).parent / "readings"
DAY, BALY = "day-2015-08-10-clusters.tsv", "baly-fifth-40.tsv"


def _rows(name: str) -> list[dict]:
    with open(READINGS / name, encoding="utf-8") as fh:
        return list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))


def day_fates(report: Path) -> dict[str, tuple[str, int]]:
    """The read day clusters' fates in `report`: cluster id then -> (status now, origins now)."""
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    holder = {c: k for k in data["clusters"] for c in k["claim_ids"]}
    return {r["cluster"]: _fate([holder.get(c) for c in r["claims"].split(",")])
            for r in _rows(DAY)}


def baly_fates(store: Path, readings: str = BALY) -> dict[str, tuple[str, int]]:
    """The read Baly clusters' fates in a `conflicts_e2e.py prepare` store."""
    by_corpus: dict[str, list] = {}
    out = {}
    for r in _rows(readings):
        if r["corpus"] not in by_corpus:
            clusters = pickle.loads((Path(store) / f"{r['corpus']}.pkl").read_bytes())["clusters"]
            by_corpus[r["corpus"]] = [{"id": k.id, "claim_ids": k.claim_ids, "status": k.status,
                                       "independent_sources": k.independent_sources} for k in clusters]
        holder = {c: k for k in by_corpus[r["corpus"]] for c in k["claim_ids"]}
        out[r["cluster"]] = _fate([holder.get(c) for c in r["claims"].replace(",", " ").split()])
    return out


def _fate(holders: list) -> tuple[str, int]:
    found = [k for k in holders if k is not None]
    if not found:
        return "gone", 0
    most = Counter(k["id"] for k in found).most_common(1)[0][0]
    k = next(k for k in found if k["id"] == most)
    status = k["status"] if len(k["claim_ids"]) > 1 else "single"
    return status, k["independent_sources"]


def day_label(r: dict) -> str:
    if r["label"] == "one fact":
        return "one fact, believable" if r["origins"] == "believable" else "one fact, inflated"
    return f"{r['label']} ({r['subtype']})"


def baly_label(r: dict) -> str:
    if r["believable"] == "yes":
        return "one fact, believable"
    return "one fact, copies" if r["real_count"] else "two or more facts"


def right(kind: str, r: dict, fate: tuple[str, int]) -> bool:
    """Whether the read cluster's fate is the right answer for its label (the module's rule)."""
    corroborated = fate[0] == "corroborated"
    if KINDS[kind][2](r) == "one fact, believable":     # and still the count read, where the reading kept it
        return corroborated and (not r.get("K") or fate[1] == int(r["K"]))
    real = int(r["real_count"]) if kind == "baly" and r["real_count"] else 1
    if real > 1:        # copies among separately written texts: right when counted as those
        return corroborated and fate[1] == real
    return not corroborated


# each read set: its readings file, how to follow its clusters into an output, how to name a label
KINDS = {"day": (DAY, day_fates, day_label), "baly": (BALY, baly_fates, baly_label)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=("day", "baly"))
    ap.add_argument("output", type=Path, help="a day's JSON report, or a prepare store (folder)")
    ap.add_argument("--base", type=Path, help="another output of the same kind, to list what moved")
    ap.add_argument("--readings", help=f"the Baly sample to follow, a file of bench/readings/ (default {BALY}; "
                                       "baly-sixth-40.tsv, baly-seventh-40.tsv)")
    a = ap.parse_args()
    readings, fates_in, label = KINDS[a.kind]
    if a.readings:
        if a.kind != "baly":
            ap.error("--readings is for `baly`")
        readings, fates_in = a.readings, functools.partial(baly_fates, readings=a.readings)
    rows = _rows(readings)
    fates = fates_in(a.output)
    table: dict[str, Counter] = {}
    for r in rows:
        table.setdefault(label(r), Counter())[fates[r["cluster"]][0]] += 1
    for name in sorted(table):
        print(f"{name:32s} " + ", ".join(f"{s} {n}" for s, n in table[name].most_common()))
    still = [r for r in rows if fates[r["cluster"]][0] == "corroborated"]
    good = sum(1 for r in still if right(a.kind, r, fates[r["cluster"]]))
    print(f"{len(still)} of {len(rows)} read clusters still corroborated; {good} of them one fact with a "
          f"believable count ({good / max(len(still), 1):.0%}); right overall "
          f"{sum(right(a.kind, r, fates[r['cluster']]) for r in rows)} of {len(rows)}")
    if a.base:
        before = fates_in(a.base)
        for r in rows:
            if before[r["cluster"]] != fates[r["cluster"]]:
                print(f"  {r['cluster']} ({label(r)}): {before[r['cluster']]} -> {fates[r['cluster']]}")


if __name__ == "__main__":
    main()
