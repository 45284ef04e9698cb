"""Reindex under load: a live `qa-service serve` answers a steady stream of /api/ask
requests before, during and after POST /api/admin/reindex rebuilds and swaps the index.

The server runs as its own process on a free loopback port over a temp copy of the real
corpus; requests are sent open-loop at a fixed rate from a thread pool (a slow answer
never delays the next request). Targets: zero failed requests, and no response slower
than 3x the median.

    .venv/bin/python benchmarks/bench_reindex_load.py [--rate 6] [--before 6] [--after 6] [--edits 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
TOKEN = "bench-admin-token"
QUESTIONS = [
    "When did Peru break off diplomatic relations with Mexico?",
    "Who founded APRA and where?",
    "When did the Trade Integration Agreement enter into force?",
    "Why did Peru declare the Mexican ambassador persona non grata?",
    "What did Mexico say about the asylum granted to Betssy Chávez?",
    "Which country became Peru's protecting power in Mexico?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stats(latencies: list[float]) -> dict:
    if not latencies:
        return {"n": 0}
    q = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else latencies * 99
    )
    return {
        "n": len(latencies),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


def main(
    rate: float = 6.0,
    before: float = 6.0,
    after: float = 6.0,
    edits: int = 3,
    out: Path | None = None,
) -> dict:
    """Run the server, the load and the reindex; print and save the figures."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-reindex-"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")} | {
        "HF_HUB_OFFLINE": "1",
        "QA_CORPUS_DIR": str(shutil.copytree(REPO / "corpus", tmp / "corpus")),
        "QA_INDEX_DIR": str(tmp / "index"),
        "QA_ADMIN_TOKEN": TOKEN,
        "QA_RATE_LIMIT_PER_MINUTE": "0",
    }
    exe = REPO / ".venv" / "bin" / "qa-service"
    print("building the index of the corpus copy ...")
    subprocess.run([str(exe), "build", "--json"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    records: list[tuple[float, float, int, str]] = []  # (sent at, latency, status, phase)
    phase = "before"
    try:
        client = httpx.Client(
            timeout=30, limits=httpx.Limits(max_connections=32, max_keepalive_connections=32)
        )
        deadline = time.time() + 120
        while True:
            try:
                if client.get(f"{url}/api/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        # Warm up caches, the model's first calls and the connections, and give the standby
        # builder the seconds it takes to load its model (once per server start).
        warm_until = time.perf_counter() + 10
        while time.perf_counter() < warm_until:
            client.post(
                f"{url}/api/ask",
                json={"question": QUESTIONS[int(time.perf_counter() * 10) % len(QUESTIONS)]},
            )
        v_before = client.get(f"{url}/api/health").json()["index_version"]

        def ask(i: int, sent: float, ph: str) -> None:
            t = time.perf_counter()
            try:
                code = client.post(
                    f"{url}/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]}
                ).status_code
            except httpx.HTTPError:
                code = -1
            records.append((sent, time.perf_counter() - t, code, ph))

        stop = threading.Event()
        pool = ThreadPoolExecutor(max_workers=16)

        def generate() -> None:
            start, i = time.perf_counter(), 0
            while not stop.is_set():
                at = start + i / rate
                delay = at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                pool.submit(ask, i, time.perf_counter(), phase)
                i += 1

        gen = threading.Thread(target=generate, daemon=True)
        t_start = time.perf_counter()
        gen.start()
        time.sleep(before)

        phase = "during"
        for p in sorted((tmp / "corpus").glob("*.md"))[:edits]:
            p.write_text(
                p.read_text(encoding="utf-8")
                + "\nThe editors added this sentence for the benchmark.\n",
                encoding="utf-8",
            )
        t_reindex = time.perf_counter()
        r = client.post(f"{url}/api/admin/reindex", headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 202, r.text
        v_after = v_before
        while v_after == v_before and time.perf_counter() - t_reindex < 150:
            time.sleep(0.1)
            v_after = client.get(f"{url}/api/health").json()["index_version"]
        swap_s = time.perf_counter() - t_reindex
        phase = "after"
        time.sleep(after)
        stop.set()
        gen.join()
        pool.shutdown(wait=True)
        total_s = time.perf_counter() - t_start
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    lat = [lat for _, lat, code, _ in records if code == 200]
    failed = sum(1 for _, _, code, _ in records if code != 200)
    med = statistics.median(lat)
    window = [
        lat for _, lat, code, p in records if p != "before" and code == 200
    ]  # from the reindex call on
    results = {
        "benchmark": "reindex_load",
        "rate_per_second": rate,
        "seconds": round(total_s, 1),
        "requests": len(records),
        "failed": failed,
        "swapped": v_after != v_before,
        "reindex_to_swap_seconds": round(swap_s, 2),
        "documents_edited": edits,
        "overall": _stats(lat),
        "by_phase": {
            ph: _stats([lat for _, lat, code, p in records if p == ph and code == 200])
            for ph in ("before", "during", "after")
        },
        "max_over_median": round(max(lat) / med, 2),
        "reindex_window_max_over_median": round(max(window) / med, 2) if window else None,
        "target_max_over_median": 3.0,
        "cpu_count": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "timeline": [  # seconds from the start, latency ms, status, phase: to see where slow answers fall
            [round(sent - t_start, 3), round(lat * 1000, 1), code, ph]
            for sent, lat, code, ph in sorted(records)
        ],
    }
    for ph, st in results["by_phase"].items():
        print(f"{ph:>6}: {st}")
    print(
        f"{len(records)} requests at {rate}/s over {total_s:.0f}s, {failed} failed (target 0); swap {swap_s:.1f}s after "
        f"the reindex call; median {med * 1000:.1f} ms, max {max(lat) * 1000:.1f} ms = {results['max_over_median']}x "
        "the median (target <= 3x); "
        f"from the reindex call on, max {max(window) * 1000:.1f} ms = "
        f"{results['reindex_window_max_over_median']}x"
    )
    out = out or RESULTS / "reindex_load.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {out}")
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rate", type=float, default=6.0, help="requests per second")
    ap.add_argument("--before", type=float, default=6.0, help="seconds of load before the reindex")
    ap.add_argument("--after", type=float, default=6.0, help="seconds of load after the swap")
    ap.add_argument("--edits", type=int, default=3, help="documents edited before the reindex")
    a = ap.parse_args()
    main(a.rate, a.before, a.after, a.edits)
