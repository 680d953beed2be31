"""Who says it: the claims' `attributed_to` against speakers labelled by hand.

`readings/attribution-*.tsv` hold claims drawn at random from a pile (every claim of the pile
equally likely, attributed or not), each with the 350 characters before it and the speaker a
reader wrote without seeing the tool's answer: the source as the text names it (title and full
name), `^speaker` when the claim's frame has no subject of its own and the sentence before names
who goes on speaking (`^?` when it does not show), `-` when the claim is the outlet's own
narration. This script splits the pile again with this checkout's code and judges each claim:

- right: the tool names the labelled speaker (same words, a leading و/ف and quotes aside, or the
  canonical name of the outlet or agency the label spells in Arabic);
- partial: one contains the other (a name cut short, or an object run on);
- wrong: another speaker; false: a speaker where the label says none; missed: none where it
  names one; unknown: `^?` with a speaker the reader could not check.

    python bench/saudinewsnet.py 2015-08-10 --out /tmp/day.jsonl
    python bench/attribution.py score /tmp/day.jsonl bench/readings/attribution-dev-2015-08-10.tsv
    python bench/attribution.py score baly bench/readings/attribution-test-baly.tsv   # Baly folds 1-3
    python bench/attribution.py sample /tmp/wk23.jsonl 150 --seed 11 --out F.tsv        # a new sample

Add `--show` to print every claim not judged right. Run from another checkout
(`PYTHONPATH=../base python bench/attribution.py ...`) to score that code on the same labels.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
KINDS = ("right", "partial", "wrong", "false", "missed", "unknown", "unscored")


def documents(pile: str) -> list:
    """The pile's documents: a .jsonl / folder through `load_documents`, or `baly` for the
    yardstick's corpora of Baly folds 1-3 as `make eval-e2e` writes them."""
    if pile == "baly":
        from corroborate.training.e2e import corpus_documents, load_corpora

        return [d for corpus in load_corpora(ROOT.parent / "shared" / "data", [1, 2, 3])
                for d in corpus_documents(corpus)]
    from corroborate.ingest import load_documents

    return load_documents(pile)


def claims(pile: str) -> dict:
    """Claim id -> (claim, document), split with this checkout's code."""
    from corroborate.engine import split_documents
    from corroborate.model import Settings

    docs = documents(pile)
    return {c.id: (c, d) for d, found in zip(docs, split_documents(docs, Settings())) for c in found}


def _words(text: str) -> str:
    from corroborate.text.normalize import normalize_text

    words = re.sub(r"[«»\"“”'،,:؛.()]", " ", normalize_text(text or "")).split()
    if words and words[0][:1] in "وف" and len(words[0]) > 3:
        words[0] = words[0][1:]
    return " ".join(words)


def judge(tool: tuple[str, ...], gold: str) -> str:
    """One of KINDS but 'unscored', for the tool's `attributed_to` against a label."""
    from corroborate.text import sources

    gold = gold.strip().lstrip("^").strip()
    if gold == "?":
        return "unknown" if tool else "missed"
    if gold in ("-", ""):
        return "right" if not tool else "false"
    if not tool:
        return "missed"
    wanted = [g.strip() for g in gold.split("|")]
    names = {n for g in wanted for n, _, _ in sources.find_sources(g)}
    labels = [_words(g) for g in wanted]
    found = "wrong"
    for said in tool:
        if said in names or _words(said) in labels:
            return "right"
        if any(_words(said) and (_words(said) in g or g in _words(said)) for g in labels):
            found = "partial"
    return found


def read_labels(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def score(pile: str, labels: Path, show: bool = False) -> dict[str, int]:
    split = claims(pile)
    counts = dict.fromkeys(KINDS, 0)
    for row in read_labels(labels):
        if row["id"] not in split:
            counts["unscored"] += 1
            continue
        tool = tuple(split[row["id"]][0].attributed_to)
        kind = judge(tool, row["gold"])
        counts[kind] += 1
        if show and kind != "right":
            print(f"{kind:8s} tool: {' | '.join(tool) or '-'} · label: {row['gold']} · {row['claim'][:90]}")
    return counts


def sample(pile: str, n: int, seed: int, out: Path) -> None:
    split = claims(pile)
    ids = sorted(split)
    random.Random(seed).shuffle(ids)
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t")
        writer.writerow(["id", "before", "claim", "gold"])
        for cid in ids[:n]:
            claim, doc = split[cid]
            before = doc.text[max(0, claim.start - 350):claim.start].replace("\n", " ⏎ ").replace("\t", " ")
            writer.writerow([cid, before, claim.text.replace("\t", " ").replace("\n", " "), ""])


def main() -> None:
    import logging
    import os

    logging.disable(logging.WARNING)      # a pile's skipped duplicates are no news here
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score", help="judge this code's attributed_to against a labels file")
    p.add_argument("pile", help="the pile the labels were drawn from (.jsonl, folder, or 'baly')")
    p.add_argument("labels", type=Path)
    p.add_argument("--show", action="store_true", help="print every claim not judged right")
    p = sub.add_parser("sample", help="draw claims to label")
    p.add_argument("pile")
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "sample":
        sample(args.pile, args.n, args.seed, args.out)
        return
    counts = score(args.pile, args.labels, show=args.show)
    n = sum(counts.values())
    print(f"{args.labels.name}: {n} claims, " + ", ".join(f"{k} {v}" for k, v in counts.items())
          + f"; right {counts['right'] / n:.3f}, right or partial {(counts['right'] + counts['partial']) / n:.3f}"
          + f" (load average {', '.join(f'{x:.2f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
