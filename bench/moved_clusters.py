"""The corroborated clusters a change moves on a day nobody has read, as a blind reading sheet.

    python bench/bench_day.py /tmp/day2.jsonl --out /tmp/day2-base --cache
    CORROBORATE_HOME=/tmp/variant python bench/bench_day.py /tmp/day2.jsonl --out /tmp/day2-new --cache
    python bench/moved_clusters.py /tmp/day2-base/day.json /tmp/day2-new/day.json --out /tmp/moved

A cluster of two or more claims moved *out* when it is corroborated in the first report and
the cluster that holds most of its claims in the second is not; *in*, the other way round
(claim ids are stable across runs). Writes OUT/sheet.md (every moved cluster, shuffled, with
its outlets and claims and no sign of which way it moved: read each as one fact / two facts /
wrong) and OUT/key.tsv (row, direction, cluster id, member claim ids) to count the reading by.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path


def _moved(a: dict, b: dict) -> list[dict]:
    """Corroborated clusters of `a` (2+ claims) whose main successor in `b` is not corroborated."""
    by_id = {k["id"]: k for k in b["clusters"]}
    home = {c: k["id"] for k in b["clusters"] for c in k["claim_ids"]}
    out = []
    for k in a["clusters"]:
        if k["status"] != "corroborated" or len(k["claim_ids"]) < 2:
            continue
        ahead = Counter(home[c] for c in k["claim_ids"] if c in home)
        successor = by_id[ahead.most_common(1)[0][0]] if ahead else None
        if successor is None or successor["status"] != "corroborated":
            out.append(k)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path, help="the JSON report without the change")
    ap.add_argument("after", type=Path, help="the JSON report with it")
    ap.add_argument("--out", type=Path, required=True, help="folder for sheet.md and key.tsv")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    before, after = (json.loads(p.read_text(encoding="utf-8")) for p in (args.before, args.after))
    rows = [("out", k, before) for k in _moved(before, after)] + [("in", k, after) for k in _moved(after, before)]
    random.Random(args.seed).shuffle(rows)
    sheet, key = ["# Clusters to read: one fact / two facts / wrong\n"], ["row\tmoved\tcluster\tclaims"]
    for n, (way, k, report) in enumerate(rows, 1):
        claims = {c["id"]: c for c in report["claims"]}
        outlet = {d["id"]: d.get("outlet") or d["id"] for d in report["documents"]}
        sheet.append(f"## {n}. {len(k['claim_ids'])} claims, outlets: {', '.join(k['outlets'])}")
        sheet += [f"- ({outlet[claims[c]['doc_id']]}) «{claims[c]['text']}»" for c in k["claim_ids"]] + [""]
        key.append(f"{n}\t{way}\t{k['id']}\t{','.join(k['claim_ids'])}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sheet.md").write_text("\n".join(sheet) + "\n", encoding="utf-8")
    (args.out / "key.tsv").write_text("\n".join(key) + "\n", encoding="utf-8")
    ways = Counter(way for way, _, _ in rows)
    print(f"{ways['out']} moved out of corroborated, {ways['in']} in -> {args.out}/sheet.md, key.tsv")


if __name__ == "__main__":
    main()
