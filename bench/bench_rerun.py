"""Benchmark: a second `corroborate analyze` of a folder with one article added, against the first.

Writes N distinct Baly articles (dev folds 1-3) as .txt files, runs the CLI on them in a fresh
process with an empty cache, adds one article and runs it again in another fresh process. Each
stderr line of the CLI is time-stamped, so the time between them says where the seconds go.

Run: .venv/bin/python bench/bench_rerun.py [--articles 150]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import baly_articles, write_articles  # noqa: E402


def timed_run(args: list[str]) -> tuple[float, list[tuple[float, str]]]:
    """Wall seconds of `corroborate ARGS` in a fresh process, and its stderr lines with the
    second each arrived."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "corroborate", *args], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True, cwd=ROOT)
    lines = []
    for line in proc.stderr:
        if line.strip() and "\r" not in line:
            lines.append((time.perf_counter() - start, line.strip()))
    if proc.wait():
        raise SystemExit(f"corroborate {' '.join(args)} failed:\n" + "\n".join(x for _, x in lines[-10:]))
    return time.perf_counter() - start, lines


def stages(lines: list[tuple[float, str]], total: float) -> list[tuple[str, float]]:
    """Seconds from one stderr line to the next, named by the line that ends the step."""
    out, last = [], 0.0
    for at, text in lines:
        out.append((text[:70], at - last))
        last = at
    out.append(("(exit)", total - last))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    articles = baly_articles(args.articles + 1)
    with tempfile.TemporaryDirectory(dir=ROOT / ".cache") as tmp:
        tmp = Path(tmp)
        folder = write_articles(tmp / "articles", articles[:-1])
        cache = tmp / "cache.sqlite"                      # empty: the first run embeds everything
        common = ["analyze", str(folder), "--cache", str(cache), "--no-plots"]
        load = [os.getloadavg()[0]]
        first, first_lines = timed_run(common + ["--json", str(tmp / "one.json")])
        load.append(os.getloadavg()[0])
        write_articles(folder, articles[-1:])
        second, second_lines = timed_run(common + ["--json", str(tmp / "two.json")])
        load.append(os.getloadavg()[0])
        claims = json.loads((tmp / "two.json").read_text(encoding="utf-8"))["claims"]
    print(f"{args.articles} articles, then one more ({len(claims)} claims); load average "
          f"{' / '.join(f'{x:.1f}' for x in load)} (before / between / after); {os.cpu_count()} CPUs")
    print(f"first run {first:.1f} s, second run {second:.1f} s: {first / second:.1f}x faster\n")
    for name, lines, total in (("first", first_lines, first), ("second", second_lines, second)):
        print(f"{name} run, seconds up to each stderr line:")
        for text, seconds in stages(lines, total):
            print(f"  {seconds:7.1f}  {text}")
    if args.json:
        args.json.write_text(json.dumps({"articles": args.articles, "claims": len(claims),
                                         "first_seconds": round(first, 2), "second_seconds": round(second, 2),
                                         "load": load}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
