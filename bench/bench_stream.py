"""Memory of reading and splitting a folder: every text kept (the library default, and what a
review store needs) against each text let go once its claims are out (the CLI without --db).

Each way runs in a fresh process over the same folder of Baly articles (folds 1-3, as .txt)
and reports its peak resident memory and the Python memory still held by the documents and
claims at the end (tracemalloc, started after the imports).

    .venv/bin/python bench/bench_stream.py [--articles N] [--html]

`--html` writes each article as an HTML page (its lines as paragraphs): an HTML document also
holds its readable view and the view's map back into the page, one offset per character.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def measure(folder: str, keep: bool) -> dict:
    """In this process: split every article of `folder`, keeping texts or not."""
    import resource
    import time
    import tracemalloc

    from corroborate.engine import LocalEngine
    from corroborate.ingest import iter_inputs
    from corroborate.model import Settings
    from corroborate.pipeline import split_stream

    tracemalloc.start()
    start = time.perf_counter()
    docs, claims = split_stream(iter_inputs(folder), LocalEngine(), Settings(), keep_texts=keep)
    held, peak = tracemalloc.get_traced_memory()
    return {"keep_texts": keep, "documents": len(docs), "claims": len(claims),
            "seconds": round(time.perf_counter() - start, 1),
            "held_mb": round(held / 1e6, 1), "traced_peak_mb": round(peak / 1e6, 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--html", action="store_true", help="write the articles as HTML pages")
    parser.add_argument("--child", nargs=2, metavar=("FOLDER", "KEEP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], args.child[1] == "1")))
        return

    from corpus import baly_articles, write_articles

    articles = baly_articles(args.articles)
    with tempfile.TemporaryDirectory() as tmp:
        if args.html:
            folder = Path(tmp)
            for name, text in articles:
                body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
                (folder / f"{name}.html").write_text(
                    f"<!doctype html><html><head><title>{name}</title></head><body><article>\n{body}"
                    "</article></body></html>\n", encoding="utf-8")
        else:
            folder = write_articles(Path(tmp), articles)
        chars = sum(len(t) for _, t in articles)
        print(f"{len(articles)} {'HTML' if args.html else 'text'} files, {chars / 1e6:.1f} M characters of "
              f"article text; load average {os.getloadavg()[0]:.1f}", flush=True)
        for keep in (True, False):
            out = subprocess.run([sys.executable, __file__, "--child", str(folder), "1" if keep else "0"],
                                 check=True, capture_output=True, text=True).stdout
            print(out.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
