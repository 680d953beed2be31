"""Experiment: which of the encoder's matrix products can run in int8 without moving `make eval`.

Quantizes the exported float32 encoder (encoder.onnx) with ONNX Runtime's dynamic int8
quantization, leaving chosen matrix products in float32, and for each variant measures, in
one run: ANS dev macro-F1 with the shipped relation scorer (the number `make eval` reports;
the cross-encoder stays float32 and its answers are computed once), the cosine of its vectors
to float32's, and sentences/s on seed sentences (runs interleaved, median).

    .venv/bin/python bench/bench_int8.py --variants all ffn-out-fp32 ...

Only ANS dev is read (never a test split).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYERS = 12
# the six weight products of a BERT layer, by the node-name piece that marks them
PRODUCTS = {"q": "attention/self/query", "k": "attention/self/key", "v": "attention/self/value",
            "attn-out": "attention/output/dense", "ffn-in": "intermediate/dense", "ffn-out": "/output/dense"}


def excluded(variant: str, names: list[str]) -> list[str]:
    """Node names left in float32 by `variant`: "all" (none), "<product>-fp32" (that product in
    every layer; products joined by "+"), "layers-A-B-fp32" (layers A..B whole), or both joined by ","."""
    keep: set[str] = set()
    for part in variant.split(","):
        if part == "all":
            continue
        m = re.fullmatch(r"layers-(\d+)-(\d+)-fp32", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            keep |= {n for n in names for i in range(lo, hi + 1) if f"/layer.{i}/" in n}
            continue
        products = part.removesuffix("-fp32").split("+")
        for p in products:
            piece = PRODUCTS[p]
            hits = {n for n in names if piece in n and (p != "ffn-out" or "attention" not in n)}
            keep |= hits
    return sorted(keep)


def quantize(src: Path, dst: Path, exclude: list[str]) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(src, dst, op_types_to_quantize=["MatMul"], per_channel=True,
                     weight_type=QuantType.QInt8, nodes_to_exclude=exclude,
                     extra_options={"DefaultTensorType": 1})


class MemoCross:
    """The cross-encoder's answers computed once per pair: every variant reads the same ones."""

    def __init__(self, inner) -> None:
        self.inner, self.memo = inner, {}
        self.meta = inner.meta

    def predict_proba(self, s1, s2):
        import numpy as np

        todo = [(a, b) for a, b in zip(s1, s2) if (a, b) not in self.memo]
        if todo:
            p = self.inner.predict_proba([a for a, _ in todo], [b for _, b in todo])
            self.memo.update(zip(todo, p))
        return np.array([self.memo[(a, b)] for a, b in zip(s1, s2)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=["all", "ffn-out-fp32"])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=256, help="seed sentences per speed run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    import onnx
    import onnxruntime as ort

    from bench.bench_encoder import seed_sentences
    from corroborate import paths
    from corroborate.compare import compare_pairs
    from corroborate.encode import ensure_onnx
    from corroborate.pipeline import default_encoder
    from corroborate.scoring import load_scorer
    from corroborate.training.datasets import load_ans, macro_f1

    folder = paths.models_dir(None)
    base = default_encoder(folder, backend="onnx")
    onnx_dir = ensure_onnx(base.path.resolve())
    names = [n.name for n in onnx.load(str(onnx_dir / "encoder.onnx"), load_external_data=False).graph.node
             if n.op_type == "MatMul" and "/attention/self/MatMul" not in n.name]
    ans = load_ans(args.data, "dev")
    sentences, _ = seed_sentences(ROOT / "seeds", n=args.n)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(ans)} ANS dev pairs; {len(names)} weight products",
          flush=True)

    scorer = load_scorer(folder / paths.RELATIONS, base, base.path, backend="onnx")
    scorer.lazy._model = MemoCross(scorer.cross)
    reference = base.encode(sentences[:64])
    model = base.model()
    fp32_session = model.session
    sessions = {"float32": fp32_session}
    with tempfile.TemporaryDirectory() as tmp:
        for variant in args.variants:
            path = Path(tmp) / f"{len(sessions)}.onnx"
            skip = excluded(variant, names)
            quantize(onnx_dir / "encoder.onnx", path, skip)
            options = ort.SessionOptions()
            options.log_severity_level = 3
            sessions[variant] = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
            print(f"{variant}: {len(names) - len(skip)} of {len(names)} products in int8", flush=True)
        results = {}
        for name, session in sessions.items():
            model.session = session
            vectors = base.encode(sentences[:64])
            cos = (vectors * reference).sum(1)
            pred = compare_pairs(ans[["s1", "s2"]], base, scorer)
            f1 = macro_f1(ans.label.tolist(), pred.relation.tolist())["macro_f1"]
            results[name] = {"ans_dev": f1, "cos_min": float(cos.min()), "cos_mean": float(cos.mean()), "rates": []}
            print(f"{name}: ANS dev {f1:.4f}, cosine to float32 min {cos.min():.4f} mean {cos.mean():.4f}",
                  flush=True)
        for _ in range(args.repeats):
            for name, session in sessions.items():
                model.session = session
                t0 = time.perf_counter()
                base.encode(sentences)
                results[name]["rates"].append(len(sentences) / (time.perf_counter() - t0))
        model.session = fp32_session
    ref = statistics.median(results["float32"]["rates"])
    print(f"\nload average {os.getloadavg()[0]:.1f}")
    print("| variant | ANS dev macro-F1 | vs float32 | cosine min / mean | sentences/s | × float32 |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        rate = statistics.median(r["rates"])
        print(f"| {name} | {r['ans_dev']:.3f} | {100 * (r['ans_dev'] - results['float32']['ans_dev']):+.1f} | "
              f"{r['cos_min']:.4f} / {r['cos_mean']:.4f} | {rate:.1f} | {rate / ref:.2f} |")


if __name__ == "__main__":
    main()
