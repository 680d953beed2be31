"""Load test of the review page: concurrent clients post decisions over loopback; none may be lost.

Starts `corroborate serve` on a free loopback port over a fresh store holding one run built
from the seed articles' lines (no model needed), then CLIENTS threads post DECISIONS
decisions in all (verdicts, confirms and conflict marks, each with a unique note), each
with its session cookie and CSRF token. Stops by itself (also at --deadline seconds), then
checks that every accepted decision is in the store exactly once and that
`PRAGMA integrity_check` says ok. Prints decisions/s and latency percentiles.

Run: .venv/bin/python bench/bench_review_load.py [--clients 20] [--decisions 1000]
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def desk_analysis(docs: int, lines_per_doc: int, seed: int = 42):
    """An analysis over the seed articles' lines, cut into `docs` documents: 1-3 claim clusters, 20 conflicts."""
    from corroborate import Analysis
    from corroborate.cluster import cluster_id
    from corroborate.model import Claim, Cluster, Conflict, Document

    lines = [line for path in sorted((ROOT / "seeds").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if len(line) >= 25]
    rng = random.Random(seed)
    documents, claims = [], []
    for d in range(docs):
        chosen = [lines[(d * lines_per_doc + i) % len(lines)] for i in range(lines_per_doc)]
        doc = Document(id=f"d{d:03d}", text="\n".join(chosen) + "\n", outlet=f"Outlet {d % 7}",
                       published=f"2024-02-{1 + d % 28:02d}", title=chosen[0][:60])
        documents.append(doc)
        start = 0
        for line in chosen:
            claims.append(Claim(id=f"c-{doc.id}:{start}", doc_id=doc.id, start=start, end=start + len(line),
                                text=line, origin=doc.outlet))
            start += len(line) + 1
    order = list(range(len(claims)))
    rng.shuffle(order)
    clusters, i = [], 0
    while i < len(order):
        size = rng.choice((1, 1, 2, 3))
        members = sorted(order[i:i + size])
        i += size
        ids = tuple(claims[m].id for m in members)
        origins = tuple(sorted({claims[m].origin for m in members}))
        clusters.append(Cluster(id=cluster_id(ids), claim_ids=ids,
                                doc_ids=tuple(dict.fromkeys(claims[m].doc_id for m in members)),
                                outlets=origins, origins=origins, independent_sources=len(origins),
                                status="corroborated" if len(origins) > 1 else "single-source"))
    conflicts = [Conflict(claim_a=a.id, claim_b=b.id, score=0.7, temporal="unknown", explanation="bench")
                 for a, b in (rng.sample(claims, 2) for _ in range(20))]
    return Analysis(documents=tuple(documents), claims=tuple(claims), clusters=tuple(clusters),
                    conflicts=tuple(conflicts))


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen([sys.executable, "-m", "corroborate", "serve", "--db", str(db), "--port", "0",
                              "--reviewer", "bench"], stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = child.stderr.readline()
    found = re.search(r"(http://\S+/)", line)
    if not found:
        child.kill()
        raise SystemExit(f"server did not start: {line}{child.stderr.read()}")
    return child, found.group(1)


class Client(threading.Thread):
    def __init__(self, number: int, base: str, jobs: list[dict], deadline: float) -> None:
        super().__init__(daemon=True)
        self.number, self.jobs, self.deadline = number, jobs, deadline
        url = urlparse(base)
        self.host, self.port = url.hostname, url.port
        self.latencies: list[float] = []
        self.accepted: list[str] = []
        self.failures: list[str] = []

    def request(self, method: str, path: str, body: str | None = None, cookie: str = ""):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        conn.close()
        return response, data

    def run(self) -> None:
        response, page = self.request("GET", "/")
        cookie = response.getheader("Set-Cookie", "").split(";")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        for job in self.jobs:
            if time.monotonic() > self.deadline:
                self.failures.append("deadline reached")
                return
            start = time.perf_counter()
            response, text = self.request("POST", "/decide", urlencode({**job, "csrf_token": token}), cookie)
            self.latencies.append(time.perf_counter() - start)
            if response.status == 303:
                self.accepted.append(job["note"])
            else:
                self.failures.append(f"{response.status} {text[:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--decisions", type=int, default=1000, help="decisions posted in all")
    parser.add_argument("--docs", type=int, default=40, help="documents in the run (10 claims each)")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds before clients give up")
    args = parser.parse_args()

    from corroborate.review.store import ReviewStore

    analysis = desk_analysis(args.docs, 10)
    rng = random.Random(7)
    jobs = []
    for i in range(args.decisions):
        kind = rng.choice(("verdict", "verdict", "confirm", "conflict"))
        note = f"bench-{i} ملاحظة"
        if kind == "verdict":
            jobs.append({"action": "verdict", "cluster": rng.choice(analysis.clusters).id,
                         "verdict": rng.choice(("true", "false", "mixed")), "note": note})
        elif kind == "confirm":
            jobs.append({"action": "confirm", "claim": rng.choice(analysis.claims).id, "note": note})
        else:
            x = rng.choice(analysis.conflicts)
            jobs.append({"action": "conflict", "claim_a": x.claim_a, "claim_b": x.claim_b,
                         "real": rng.choice(("0", "1")), "note": note})

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.db"
        with ReviewStore(db) as store:
            store.record_run(analysis)
        server, base = start_server(db)
        try:
            deadline = time.monotonic() + args.deadline
            clients = [Client(n, base, jobs[n::args.clients], deadline) for n in range(args.clients)]
            start = time.perf_counter()
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
        accepted = [note for c in clients for note in c.accepted]
        failures = [f for c in clients for f in c.failures]
        latencies = sorted(x for c in clients for x in c.latencies)
        with ReviewStore(db, create=False) as store:
            integrity = store.integrity_check()
            stored = [d.note for d in store.decisions()]
    lost = sorted(set(accepted) - set(stored))
    doubled = len(stored) - len(set(stored))
    p50, p95 = statistics.quantiles(latencies, n=100)[49], statistics.quantiles(latencies, n=100)[94]
    print(f"clients {args.clients}, posted {len(latencies)}, accepted {len(accepted)}, refused {len(failures)}, "
          f"in store {len(stored)}, lost {len(lost)}, stored twice {doubled}, integrity_check {integrity}")
    print(f"run: {len(analysis.documents)} documents, {len(analysis.claims)} claims, "
          f"{len(analysis.clusters)} clusters")
    print(f"decisions/s {len(accepted) / wall:.1f}  latency p50 {p50 * 1000:.0f} ms  "
          f"p95 {p95 * 1000:.0f} ms  max {latencies[-1] * 1000:.0f} ms  wall {wall:.1f} s")
    for f in failures[:5]:
        print("refused:", f)
    return 0 if not lost and not failures and not doubled and integrity == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())
