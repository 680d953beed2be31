"""SaudiNewsNet days as `.jsonl` piles for `analyze` (one article a line: text, title, outlet,
published, url), from the ZIPs in ../shared/data/saudinewsnet. Development and measurement only:
none of its text is shipped.

    python bench/saudinewsnet.py 2015-08-10 --out /tmp/day.jsonl
    python bench/saudinewsnet.py 2015-08-04 2015-08-06 ... --out /tmp/week.jsonl
"""

from __future__ import annotations

import argparse
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from corpus import DATA

FOLDER = DATA / "saudinewsnet"
# the corpus's outlet ids, as the outlets name themselves in English
OUTLETS = {
    "aawsat": "Asharq Al-Awsat", "aleqtisadiya": "Al Eqtisadiya", "aljazirah": "Al Jazirah",
    "almadina": "Al Madina", "alriyadh": "Al Riyadh", "alwatan": "Al Watan", "alweeam": "Al Weeam",
    "alyaum": "Al Yaum", "arreyadi": "Arreyadi", "arriyadiyah": "Arriyadiyah", "okaz": "Okaz",
    "sabq": "Sabq", "was": "SPA", "3alyoum": "Ain Alyoum",
}


def days() -> list[str]:
    """The days the corpus holds, in order."""
    return sorted(p.stem for p in FOLDER.glob("*.zip"))


def articles(day: str) -> Iterator[dict]:
    """One day's articles with text, as `analyze` reads them from a `.jsonl` line."""
    with zipfile.ZipFile(FOLDER / f"{day}.zip") as z:
        records = json.loads(z.read(f"{day}.json").decode("utf-8"))
    for r in records:
        if not (r.get("content") or "").strip():
            continue
        yield {"text": r["content"], "title": r.get("title") or None,
               "outlet": OUTLETS.get(r["source"], r["source"]),
               "published": (r.get("date_extracted") or "")[:10] or None, "url": r.get("url") or None}


def write_days(selected: list[str], out: Path) -> int:
    """Write the articles of `selected` days to `out`, one JSON object a line; returns the count."""
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        for day in selected:
            for record in articles(day):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("days", nargs="*", help=f"days (default: 2015-08-10); the corpus has {', '.join(days())}")
    parser.add_argument("--out", type=Path, required=True, help="the .jsonl file to write")
    args = parser.parse_args()
    selected = args.days or ["2015-08-10"]
    unknown = sorted(set(selected) - set(days()))
    if unknown:
        parser.error(f"no such day in {FOLDER}: {', '.join(unknown)}")
    print(f"{write_days(selected, args.out)} articles -> {args.out}")


if __name__ == "__main__":
    main()
