"""SaudiNewsNet days as `.jsonl` piles for `analyze` (one article a line: text, title, outlet,
published, url), from the ZIPs in ../shared/data/saudinewsnet. Development and measurement only:
none of its text is shipped.

    python bench/saudinewsnet.py 2015-08-10 --out /tmp/day.jsonl
    python bench/saudinewsnet.py 2015-08-04 2015-08-06 ... --out /tmp/week.jsonl
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus import DATA

from corroborate.training.pairs import pile_records, snn_days, write_pile


def days() -> list[str]:
    """The days the corpus holds, in order."""
    return snn_days(DATA)


def articles(day: str):
    """One day's articles with text, as `analyze` reads them from a `.jsonl` line."""
    return pile_records(DATA, day)


def write_days(selected: list[str], out: Path) -> int:
    """Write the articles of `selected` days to `out`, one JSON object a line; returns the count."""
    return write_pile(DATA, selected, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("days", nargs="*", help=f"days (default: 2015-08-10); the corpus has {', '.join(days())}")
    parser.add_argument("--out", type=Path, required=True, help="the .jsonl file to write")
    args = parser.parse_args()
    selected = args.days or ["2015-08-10"]
    unknown = sorted(set(selected) - set(days()))
    if unknown:
        parser.error(f"no such day in {DATA / 'saudinewsnet'}: {', '.join(unknown)}")
    print(f"{write_days(selected, args.out)} articles -> {args.out}")


if __name__ == "__main__":
    main()
