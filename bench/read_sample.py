"""A seeded random sample of a JSON report's conflicts or corroborated clusters, printed for
reading by hand (docs/ keeps each reading beside its item).

    python bench/read_sample.py /tmp/day/day.json conflicts --n 50 --seed 20
    python bench/read_sample.py /tmp/day/day.json clusters --n 50 --seed 18 [--status corroborated]

Each item comes with its id, the outlets and origins, and every claim's text (clusters) or
both claims with who says them and the conflict's kind and explanation (conflicts).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def conflict_items(report: dict, n: int, seed: int) -> list[str]:
    claims = {c["id"]: c for c in report["claims"]}
    docs = {d["id"]: d for d in report["documents"]}
    chosen = random.Random(seed).sample(report["conflicts"], min(n, len(report["conflicts"])))
    out = []
    for k, x in enumerate(chosen, 1):
        lines = [f"### {k}. {x.get('kind', '?')} · {x['temporal']} · score {x['score']}",
                 f"_{x['explanation']}_"]
        for side, cid in (("A", x["claim_a"]), ("B", x["claim_b"])):
            c = claims[cid]
            who = docs[c["doc_id"]].get("outlet") or c["doc_id"]
            lines.append(f"- {side} ({who}; {', '.join(c.get('attributed_to') or []) or '-'}): «{c['text']}»")
        out.append("\n".join(lines) + "\n- reading: ")
    return out


def cluster_items(report: dict, n: int, seed: int, status: str) -> list[str]:
    claims = {c["id"]: c for c in report["claims"]}
    docs = {d["id"]: d for d in report["documents"]}
    pool = [k for k in report["clusters"] if len(k["claim_ids"]) > 1 and
            (k["status"] == status or status == "any" or (status == "multi-origin" and k["independent_sources"] > 1))]
    chosen = random.Random(seed).sample(pool, min(n, len(pool)))
    out = []
    for j, k in enumerate(chosen, 1):
        lines = [f"### {j}. `{k['id']}` · {k['status']} · {k['independent_sources']} origin(s): "
                 f"{', '.join(k['origins'])}"]
        notes = k.get("origin_notes") or []
        if notes:
            lines.append("_" + "; ".join(f"{x['outlet']} {x['how']} {x['origin']}" for x in notes) + "_")
        for cid in k["claim_ids"]:
            c = claims[cid]
            lines.append(f"- {docs[c['doc_id']].get('outlet') or c['doc_id']} ({c.get('origin')}): «{c['text']}»")
        out.append("\n".join(lines) + "\n- reading: ")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path)
    parser.add_argument("what", choices=["conflicts", "clusters"])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--status", default="corroborated",
                        help="clusters: corroborated, relayed, conflicted, multi-origin or any")
    args = parser.parse_args()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    items = (conflict_items(report, args.n, args.seed) if args.what == "conflicts"
             else cluster_items(report, args.n, args.seed, args.status))
    print("\n\n".join(items))


if __name__ == "__main__":
    main()
