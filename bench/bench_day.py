"""A day of press through `analyze`: wall time and memory (resident now, and peak) at each stage,
the report's size, and the counts issue 20 asks about (copies counted as independent origins,
datelines and repeated footers kept as claims), in one JSON.

    python bench/saudinewsnet.py 2015-08-10 --out /tmp/day.jsonl
    python bench/bench_day.py /tmp/day.jsonl --out /tmp/day-report --json reports/bench-day.json
    python bench/bench_day.py /tmp/day.jsonl --out /tmp/day-v --set copy_run=0 --cache   # a variant's counts

Run it from another checkout to measure that code side by side (`cd ../base && python
../main/bench/bench_day.py ... --no-count`): it uses only `analyze`, `load_models` and
`write_report`; then count that report with this checkout's code
(`python bench/bench_day.py --count ../base-report/day.json`).
No cache (every claim embedded, every pair scored), one process, one heavy job on the machine.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import time
from pathlib import Path


def _memory() -> tuple[float, float]:
    """(resident MiB now, peak resident MiB) of this process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def counts(report: dict) -> dict[str, int]:
    """What issue 20 counts in a JSON report: corroborated clusters of near-verbatim copies
    only (every member at rapidfuzz ratio >= 90 with the first, normalised), those that
    include an SPA dispatch, dateline claims and claims an outlet repeats in 3+ articles."""
    from rapidfuzz import fuzz

    from corroborate.text.datelines import parse_dateline
    from corroborate.text.normalize import normalize_text

    docs = {d["id"]: d for d in report["documents"]}
    claims = {c["id"]: c for c in report["claims"]}
    norm = {i: normalize_text(c["text"]) for i, c in claims.items()}
    copies = spa = 0
    corroborated = [k for k in report["clusters"] if len(k["claim_ids"]) > 1 and k["independent_sources"] > 1]
    for k in corroborated:
        first = norm[k["claim_ids"][0]]
        if all(fuzz.ratio(first, norm[i]) >= 90 for i in k["claim_ids"][1:]):
            copies += 1
            spa += any(docs[claims[i]["doc_id"]].get("outlet") == "SPA" for i in k["claim_ids"])
    masked = collections.defaultdict(set)
    for i, c in claims.items():
        masked[(docs[c["doc_id"]].get("outlet"), re.sub(r"\d+", "0", norm[i]))].add(c["doc_id"])
    return {
        "documents": len(report["documents"]), "claims": len(claims), "clusters": len(report["clusters"]),
        "conflicts": len(report["conflicts"]), "stories": len(report.get("stories", ())),
        "corroborated_multi_claim": len(corroborated), "corroborated_copies_only": copies,
        "corroborated_copies_only_with_spa": spa,
        "dateline_claims": sum(1 for c in claims.values() if parse_dateline(c["text"].strip())),
        "outlet_repeated_claims": sum(len(ds) for (outlet, _), ds in masked.items() if outlet and len(ds) >= 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pile", type=Path, nargs="?", help="a .jsonl pile (bench/saudinewsnet.py) or a folder")
    parser.add_argument("--out", type=Path, help="folder for the report set")
    parser.add_argument("--count", type=Path, help="only count an existing JSON report (no analysis)")
    parser.add_argument("--no-count", action="store_true", help="measure only (for older checkouts)")
    parser.add_argument("--json", type=Path, help="where to write the measurements")
    parser.add_argument("--label", default=None, help="a name for this run in the JSON (default: the cwd)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="change one analysis setting (repeatable), e.g. --set copy_run=0")
    parser.add_argument("--cache", action="store_true",
                        help="use the vector and score cache: for the counts of a variant, not its time")
    args = parser.parse_args()
    if args.count:
        print(json.dumps(counts(json.loads(args.count.read_text(encoding="utf-8"))), indent=1))
        return
    if not args.pile or not args.out:
        parser.error("give a pile and --out (or --count REPORT.json)")

    from corroborate.model import Settings
    from corroborate.pipeline import analyze, load_models
    from corroborate.report.files import write_report

    settings = Settings().changed(args.set)

    stages: list[dict] = []
    start = time.perf_counter()

    def log(message: str) -> None:
        now, peak = _memory()
        stages.append({"after": message, "seconds": round(time.perf_counter() - start, 1),
                       "rss_mib": round(now), "peak_mib": round(peak)})
        print(f"{stages[-1]['seconds']:8.1f} s  {now:7.0f} MiB (peak {peak:7.0f})  {message}", flush=True)

    models = load_models(settings, cache=args.cache)
    log("models loaded")
    result = analyze([args.pile], models=models, settings=settings, log=log, keep_texts=False)
    args.out.mkdir(parents=True, exist_ok=True)
    written = write_report(result, name="day", markdown_path=args.out / "day.md", json_path=args.out / "day.json")
    log("report written")
    report = json.loads((args.out / "day.json").read_text(encoding="utf-8"))
    out = {
        "label": args.label or os.getcwd(), "pile": str(args.pile), "load_average": os.getloadavg(),
        "settings_changed": args.set, "cache": args.cache,
        "seconds": stages[-1]["seconds"], "peak_mib": stages[-1]["peak_mib"], "stages": stages,
        "bytes": {k: p.stat().st_size for k, p in sorted(written.items())} if isinstance(written, dict) else {},
        **({} if args.no_count else counts(report)),
    }
    print(json.dumps({k: v for k, v in out.items() if k != "stages"}, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
