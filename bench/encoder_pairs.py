"""Print a seeded random sample of the news encoder's training pairs, for reading by hand.

From a pairs file that `corroborate train encoder` wrote (OUT/pairs.jsonl), or mined afresh from
one SaudiNewsNet day with the current encoder. Development only: the text is SaudiNewsNet's and
Baly's, never shipped.

    python bench/encoder_pairs.py --pairs .cache/encoder-news/pairs.jsonl --kind snn-story -n 50 --seed 1
    python bench/encoder_pairs.py --day 2015-08-09 --per-day 400 --kind snn-story -n 30
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus import DATA

from corroborate.training.pairs import KINDS, describe, read_pairs, sample, snn_pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pairs", type=Path, help="a pairs.jsonl written by `corroborate train encoder`")
    source.add_argument("--day", help="mine this SaudiNewsNet day now (e.g. 2015-08-09)")
    parser.add_argument("--per-day", type=int, help="with --day: only N articles of it (seeded)")
    parser.add_argument("--kind", choices=KINDS, default="snn-story", help="which pairs (default: snn-story)")
    parser.add_argument("-n", type=int, default=50, help="how many pairs (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="sampling seed (default 1)")
    args = parser.parse_args()
    if args.pairs:
        pairs = read_pairs(args.pairs, [args.kind])[args.kind]
        stats = None
    else:
        from corroborate.pipeline import default_encoder
        from corroborate.training.datasets import cached

        encoder = cached(default_encoder(backend="onnx"))
        kinds = ("snn-title", "snn-story") if args.kind.startswith("snn-") else ()
        if not kinds:
            parser.error("--day mines SaudiNewsNet pairs only (snn-title, snn-story)")
        got = snn_pairs(DATA, [args.day], encoder, kinds=kinds, per_day=args.per_day)
        encoder.save()
        pairs, stats = got.pairs[args.kind], dict(got.stats)
    picked = sample(pairs, args.n, seed=args.seed)
    print(f"# {len(picked)} of {len(pairs)} {args.kind} pairs (seed {args.seed})\n")
    if stats:
        print("Mining counts: " + ", ".join(f"{k} {v}" for k, v in stats.items()) + "\n")
    print("Mark each: same fact / same story, other fact / other story / copy.\n")
    for n, pair in enumerate(picked, 1):
        print(describe(pair, n))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
