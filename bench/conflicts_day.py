"""The conflict stage alone on a day of press (a SaudiNewsNet day, `bench/saudinewsnet.py`), for
quick loops over conflict rules: `prepare` analyzes the pile once (vectors and relation scores go
to the models' cache) and keeps claims, clusters, vectors and copies; `run` recomputes the
conflicts with the current code and `--set` changes, prints how many of each kind per 1,000
articles, and writes each with both claims to `--jsonl`; `sample` prints a seeded sample of
that file for reading (docs/conflict-sample.md keeps the readings).

    python bench/conflicts_day.py prepare /tmp/day.jsonl
    python bench/conflicts_day.py run [--set conflict_threshold=0.8] [--jsonl /tmp/day-conflicts.jsonl]
    python bench/conflicts_day.py sample /tmp/day-conflicts.jsonl --n 50 --seed 19
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import time
from collections import Counter
from pathlib import Path

STORE = Path(".cache/conflicts_day")


def prepare(pile: Path) -> None:
    from corroborate.engine import LocalEngine
    from corroborate.pipeline import analyze, load_models, neighbour_pairs

    models = load_models()
    t0 = time.time()
    analysis = analyze([pile], models=models, keep_texts=False, progress_bar=True)
    claims = list(analysis.claims)
    vectors = models.encoder.encode([c.text for c in claims])
    _, copies = neighbour_pairs(claims, vectors, analysis.settings, LocalEngine())
    STORE.mkdir(parents=True, exist_ok=True)
    (STORE / f"{pile.stem}.pkl").write_bytes(pickle.dumps({
        "pile": str(pile), "documents": list(analysis.documents), "claims": claims,
        "clusters": list(analysis.clusters), "vectors": vectors, "copies": copies}))
    print(f"{len(analysis.documents)} documents, {len(claims)} claims, {len(analysis.conflicts)} conflicts, "
          f"{time.time() - t0:.0f} s -> {STORE / (pile.stem + '.pkl')}")


def run(name: str, changes: list[str], jsonl: Path | None) -> None:
    from corroborate.denials import match_denials
    from corroborate.model import Settings
    from corroborate.pipeline import check_conflicts, load_models

    d = pickle.loads((STORE / f"{name}.pkl").read_bytes())
    settings = Settings().changed(changes)
    models = load_models()
    t0 = time.time()
    claims = d["claims"]
    denied = match_denials(claims, d["vectors"], models.encoder, models.same_fact, k=settings.denial_candidates,
                           floor=settings.similarity, threshold=settings.denial_same_fact)
    conflicts = check_conflicts(claims, d["clusters"], d["vectors"], denied, models, settings, copies=d["copies"],
                                documents=d["documents"])
    per = 1000 / len(d["documents"])
    kinds = Counter(c.kind for c in conflicts)
    print(f"{len(conflicts)} conflicts ({len(conflicts) * per:.1f} per 1,000 articles), {time.time() - t0:.0f} s; "
          f"changed: {changes or 'none'}")
    print("  by kind:", {k: f"{n} ({n * per:.1f}/1,000)" for k, n in kinds.most_common()})
    print("  by first cue:", dict(Counter(c.cues[0].split(":")[0] for c in conflicts if c.cues)))
    if jsonl:
        by_id = {c.id: c for c in claims}
        docs = {x.id: x for x in d["documents"]}
        rows = [{"kind": x.kind, "temporal": x.temporal, "score": x.score, "explanation": x.explanation,
                 "said_by": list(x.said_by), "cues": list(x.cues),
                 "a": {"id": x.claim_a, "outlet": docs[by_id[x.claim_a].doc_id].outlet, "text": by_id[x.claim_a].text},
                 "b": {"id": x.claim_b, "outlet": docs[by_id[x.claim_b].doc_id].outlet, "text": by_id[x.claim_b].text}}
                for x in conflicts]
        jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def sample(jsonl: Path, n: int, seed: int) -> None:
    rows = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    for k, r in enumerate(random.Random(seed).sample(rows, min(n, len(rows))), 1):
        print(f"### {k}. {r['kind']} · {r['temporal']} · {r['score']}\n_{r['explanation']}_")
        for side in ("a", "b"):
            print(f"- {side.upper()} ({r[side]['outlet']}): «{r[side]['text']}»")
        print("- reading: \n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("pile", type=Path)
    r = sub.add_parser("run")
    r.add_argument("--name", default="day", help="the prepared pile's name (its file stem)")
    r.add_argument("--set", dest="changes", action="append", default=[], metavar="NAME=VALUE")
    r.add_argument("--jsonl", type=Path)
    s = sub.add_parser("sample")
    s.add_argument("jsonl", type=Path)
    s.add_argument("--n", type=int, default=50)
    s.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.pile)
    elif args.command == "run":
        run(args.name, args.changes, args.jsonl)
    else:
        sample(args.jsonl, args.n, args.seed)


if __name__ == "__main__":
    main()
