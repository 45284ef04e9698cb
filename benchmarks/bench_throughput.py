"""Figure 2: throughput over HTTP at concurrency 1, 4, 8 and 16, from a load generator in
its own process against a `qa-service serve` subprocess (real corpus index, loopback).

The load generator is Debian's `wrk` (C, one thread) when it is installed, else the
Python one below (httpx, asyncio); `QA_BENCH_CLIENT=python` forces the Python one. Both
are closed loops (each client sends its next question when the last is answered) and
both report their own CPU use: on 2 cores, a client's CPU is taken from the server.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

LEVELS = (1, 4, 8, 16)
RUNS = 3
SECONDS = 4.0
WARMUP = 0.5
TARGET = 1.5


def client() -> str:
    """The load generator these runs use: 'wrk' when installed, unless QA_BENCH_CLIENT=python."""
    if os.environ.get("QA_BENCH_CLIENT", "wrk") == "python" or shutil.which("wrk") is None:
        return "python"
    return "wrk"


def load(url: str, qs: list[str], concurrency: int, seconds: float) -> dict:
    """Closed-loop load by the chosen generator (`client()`)."""
    if client() == "wrk":
        return load_wrk(url, qs, concurrency, seconds)
    return load_python(url, qs, concurrency, seconds)


_WRK_SCRIPT = """
local qs = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, qs[(i %% #qs) + 1])
end
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format("WRK requests=%%d us=%%d errors=%%d p50=%%d\\n", s.requests, s.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50)))
end
"""


def load_wrk(url: str, qs: list[str], concurrency: int, seconds: float) -> dict:
    """Closed-loop load from wrk (one C thread, `concurrency` connections) after a 1 s warm-up."""
    bodies = ",".join("[==[" + json.dumps({"question": q}) + "]==]" for q in qs)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_WRK_SCRIPT % bodies)
    try:
        args = ["wrk", "-t1", f"-c{concurrency}", "--timeout", "60s", "-s", f.name, url]
        # wrk takes whole seconds only
        subprocess.run([*args[:3], "-d1s", *args[3:]], capture_output=True, check=True)
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            [*args[:3], f"-d{max(1, round(seconds))}s", *args[3:]],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    finally:
        os.unlink(f.name)
    m = re.search(r"WRK requests=(\d+) us=(\d+) errors=(\d+) p50=(\d+)", out)
    if m is None:
        raise RuntimeError(f"wrk printed no summary: {out}")
    n, us, errors, p50 = (int(g) for g in m.groups())
    wall = us / 1e6
    cpu = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    return {
        "concurrency": concurrency,
        "ok": n - errors,
        "errors": errors,
        "seconds": wall,
        "rps": (n - errors) / wall,
        "latency_median_ms": p50 / 1000,
        "client": "wrk",
        "client_cpu_share": cpu / wall,
    }


def load_python(url: str, qs: list[str], concurrency: int, seconds: float) -> dict:
    """Closed-loop load: `concurrency` clients each send the next question as soon as the last is answered."""
    import httpx

    async def run() -> dict:
        ok = errors = 0
        lat: list[float] = []
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            t_start = time.perf_counter()
            t_count = t_start + WARMUP
            t_end = t_count + seconds

            async def worker(i: int) -> None:
                nonlocal ok, errors
                n = i
                while True:
                    t = time.perf_counter()
                    if t >= t_end:
                        return
                    try:
                        r = await client.post("/api/ask", json={"question": qs[n % len(qs)]})
                        good = r.status_code == 200
                    except httpx.HTTPError:
                        good = False
                    done = time.perf_counter()
                    n += concurrency
                    if t >= t_count and done <= t_end:
                        lat.append(done - t)
                        if good:
                            ok += 1
                        else:
                            errors += 1
                    elif not good and t >= t_count:
                        errors += 1

            cpu0 = time.process_time()
            await asyncio.gather(*(worker(i) for i in range(concurrency)))
            cpu = time.process_time() - cpu0
            wall = time.perf_counter() - t_start
        return {
            "concurrency": concurrency,
            "ok": ok,
            "errors": errors,
            "seconds": seconds,
            "rps": ok / seconds,
            "latency_median_ms": statistics.median(lat) * 1000 if lat else None,
            "client": "python",
            "client_cpu_share": cpu / wall,
        }

    return asyncio.run(run())


def measure(url: str) -> dict[int, list[dict]]:
    qs = common.questions()
    out: dict[int, list[dict]] = {c: [] for c in LEVELS}
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        pool.submit(load, url, qs, 2, 1.0).result()  # warm the server and the generator
        for _ in range(RUNS):
            for c in LEVELS:  # levels interleaved, so drift on the machine hits them all alike
                out[c].append(pool.submit(load, url, qs, c, SECONDS).result())
    return out


def plot(out: dict[int, list[dict]], path: Path) -> None:
    plt = common.pyplot()
    xs = list(out)
    med = [statistics.median(r["rps"] for r in out[c]) for c in xs]
    lo = [m - min(r["rps"] for r in out[c]) for m, c in zip(med, xs, strict=False)]
    hi = [max(r["rps"] for r in out[c]) - m for m, c in zip(med, xs, strict=False)]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.errorbar(
        xs, med, yerr=[lo, hi], marker="o", capsize=4, label="POST /api/ask (median, min-max)"
    )
    ax.axhline(med[0] * TARGET, ls="--", color="grey", label=f"target at c8: {TARGET}x c1")
    common.concurrency_axes(
        ax, xs, "answers per second", "Throughput over HTTP (loopback, real corpus)"
    )
    common.save_figure(plt, fig, path)


def main() -> dict:
    with common.server(common.built_index()) as srv:
        out = measure(srv.url)
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    plot(out, common.RESULTS / "throughput.png")
    rows = []
    c1 = [r["rps"] for r in out[1]]
    for c in LEVELS:
        rps = [r["rps"] for r in out[c]]
        errors = sum(r["errors"] for r in out[c])
        rows.append(
            common.row(
                f"throughput c{c} (errors: {errors})",
                rps,
                "req/s",
                "no errors" if c == 8 else "",
                errors == 0 if c == 8 else None,
            )
        )
    c8 = [r["rps"] for r in out[8]]
    ratio = [b / a for a, b in zip(c1, c8, strict=False)]
    errors8 = sum(r["errors"] for r in out[8])
    rows.append(
        common.row(
            "throughput c8 / c1",
            ratio,
            "x",
            f">= {TARGET}, no errors",
            statistics.median(ratio) >= TARGET and errors8 == 0,
        )
    )
    return {
        "levels": {str(c): v for c, v in out.items()},
        "seconds_per_run": SECONDS,
        "runs": RUNS,
        "plot": "throughput.png",
        "rows": rows,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
