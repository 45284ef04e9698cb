"""Load and soak: 5,000+ questions at concurrency 16 over loopback against a `qa-service
serve` subprocess (the real corpus index), with zero errors expected, while the server's
memory (RSS) is sampled throughout: start, peak and end, and whether it levels off.

The mix is what a public service gets: questions from the project's question sets on
/api/ask, some streamed (/api/ask/stream, read to the final event), follow-ups with
history, passage searches, and a few bad requests that must stay 4xx under load.

    python benchmarks/bench_load.py [--questions 5000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

QUESTIONS = 5000
CONCURRENCY = 16
SAMPLE_EVERY = 0.2
FOLLOW_UPS = ["Who signed it?", "When was that?", "Why?", "What happened next?", "And where?"]


@dataclass
class Request:
    kind: str  # ask | stream | followup | search | bad
    route: str
    body: dict[str, Any]
    expect: int = 200


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    done: int = 0
    answered: int = 0
    declined: int = 0


def workload(n: int, seed: int = 7) -> list[Request]:
    """A fixed, shuffled mix: 65% ask, 15% stream, 10% follow-up, 8% search, 2% bad input."""
    rnd = random.Random(seed)
    qs = common.questions()
    dev = common.ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
    if dev.exists():
        qs += [
            json.loads(line)["question"]
            for line in dev.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    bad = [
        {"question": ""},
        {"question": "When?", "top_k": 0},
        {"question": 5},
        {"question": "x", "extra": 1},
    ]
    out: list[Request] = []
    for i in range(n):
        q = qs[i % len(qs)]
        r = rnd.random()
        if r < 0.65:
            out.append(Request("ask", "/api/ask", {"question": q}))
        elif r < 0.80:
            out.append(Request("stream", "/api/ask/stream", {"question": q}))
        elif r < 0.90:
            history = [
                {"role": "user", "content": q},
                {"role": "assistant", "content": "(an earlier answer)"},
            ]
            out.append(
                Request(
                    "followup", "/api/ask", {"question": rnd.choice(FOLLOW_UPS), "history": history}
                )
            )
        elif r < 0.98:
            out.append(Request("search", "/api/search", {"query": q, "top_k": rnd.randint(1, 10)}))
        else:
            out.append(Request("bad", "/api/ask", rnd.choice(bad), expect=422))
    return out


def _check(req: Request, status: int, body: bytes) -> str | None:
    """None when the response is right, else what was wrong."""
    if status != req.expect:
        return f"{req.kind}: HTTP {status} (expected {req.expect})"
    if req.expect != 200:
        return None if b'"detail"' in body else f"{req.kind}: 4xx without detail"
    if req.kind == "stream":
        events = re.findall(rb"^event: (\w+)$", body, re.MULTILINE)
        if not events or events[0] != b"citations" or events[-1] != b"done" or b"error" in events:
            return f"stream: events {events[:3]}...{events[-2:]}"
        return None
    data = json.loads(body)
    if req.kind == "search":
        return None if data.get("results") else "search: no results"
    return None if "answer" in data and "citations" in data else "ask: malformed answer"


async def drive(url: str, work: list[Request], concurrency: int, tally: Tally) -> float:
    """Closed loop: `concurrency` clients, each sending its next request when the last is done."""
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for w in work:
        queue.put_nowait(w)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def worker() -> None:
            while True:
                try:
                    req = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                try:
                    r = await client.post(req.route, json=req.body)
                    problem = _check(req, r.status_code, r.content)
                    if req.kind in ("ask", "followup") and problem is None:
                        if r.json()["found"]:
                            tally.answered += 1
                        else:
                            tally.declined += 1
                except httpx.HTTPError as e:
                    problem = f"{req.kind}: {type(e).__name__}: {e}"
                tally.latencies.setdefault(req.kind, []).append(time.perf_counter() - t)
                if problem:
                    tally.errors.append(problem)
                tally.done += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0


class MemorySampler(threading.Thread):
    """The server process's resident memory every SAMPLE_EVERY seconds, with progress."""

    def __init__(self, pid: int, tally: Tally) -> None:
        super().__init__(daemon=True)
        import psutil

        self.proc = psutil.Process(pid)
        self.tally = tally
        self.samples: list[tuple[float, int, float]] = []  # (seconds, requests done, RSS MB)
        self.stop = threading.Event()
        self.t0 = time.perf_counter()

    def rss_mb(self) -> float:
        return self.proc.memory_info().rss / 2**20

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.perf_counter() - self.t0, self.tally.done, self.rss_mb()))
            self.stop.wait(SAMPLE_EVERY)


def _rss_at(samples: list[tuple[float, int, float]], done: int) -> float:
    return next((mb for _, d, mb in samples if d >= done), samples[-1][2])


def server_errors_in_metrics(url: str) -> tuple[int, int]:
    """(all requests, 5xx responses) as the server's own Prometheus counters saw them."""
    import httpx

    text = httpx.get(f"{url}/metrics", timeout=30).text
    total = fives = 0
    for m in re.finditer(
        r'^qa_http_requests_total\{[^}]*status="(\d+)"[^}]*\} ([0-9.e+]+)$', text, re.MULTILINE
    ):
        total += int(float(m.group(2)))
        fives += int(float(m.group(2))) if m.group(1).startswith("5") else 0
    return total, fives


def plot(samples: list[tuple[float, int, float]], path: Path, n: int, concurrency: int) -> None:
    plt = common.pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4))
    ax.plot([d for _, d, _ in samples], [mb for _, _, mb in samples], lw=1.2)
    ax.set_xlabel("requests completed")
    ax.set_ylabel("server RSS (MiB)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Server memory under load ({n} requests, concurrency {concurrency})")
    common.save_figure(plt, fig, path)


def run(
    questions: int = QUESTIONS, concurrency: int = CONCURRENCY, index_dir: Path | None = None
) -> dict[str, Any]:
    index = index_dir or common.built_index()
    work = workload(questions)
    tally = Tally()
    with common.server(index) as srv:
        sampler = MemorySampler(srv.proc.pid, tally)
        rss_after_start = sampler.rss_mb()
        sampler.start()
        seconds = asyncio.run(drive(srv.url, work, concurrency, tally))
        time.sleep(2.0)  # let the server settle before the end reading
        sampler.stop.set()
        sampler.join()
        rss_end = sampler.rss_mb()
        metric_total, metric_5xx = server_errors_in_metrics(srv.url)
        log_path = Path(srv.log.name)
    samples = sampler.samples
    rss = [mb for _, _, mb in samples]
    half, tenth = _rss_at(samples, questions // 2), _rss_at(samples, questions // 10)
    lat_all = sorted(x for xs in tally.latencies.values() for x in xs)
    access_lines = sum(
        1
        for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        if '"name": "qa_service.access"' in line
    )
    result = {
        "questions": questions,
        "concurrency": concurrency,
        "seconds": round(seconds, 2),
        "requests_per_second": round(questions / seconds, 2),
        "errors": len(tally.errors),
        "error_examples": tally.errors[:10],
        "server_5xx_by_metrics": metric_5xx,
        "requests_by_metrics": metric_total,
        "json_access_log_lines": access_lines,
        "answered": tally.answered,
        "declined": tally.declined,
        "by_kind": {k: len(v) for k, v in tally.latencies.items()},
        "latency_ms": {
            k: {
                "p50": round(common.percentile(sorted(v), 50) * 1000, 1),
                "p95": round(common.percentile(sorted(v), 95) * 1000, 1),
                "p99": round(common.percentile(sorted(v), 99) * 1000, 1),
            }
            for k, v in [("all", lat_all), *sorted(tally.latencies.items())]
        },
        "rss_mb": {
            "after_start": round(rss_after_start, 1),
            "start": round(rss[0], 1),
            "at_10pct": round(tenth, 1),
            "at_50pct": round(half, 1),
            "peak": round(max(rss), 1),
            "end": round(rss_end, 1),
            "growth_second_half": round(rss_end - half, 1),
        },
        "rss_samples": [
            (round(t, 1), d, round(mb, 1)) for t, d, mb in samples[:: max(1, len(samples) // 300)]
        ],
        "plot": "load.png",
    }
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    plot(samples, common.RESULTS / "load.png", questions, concurrency)
    return result


def rows(r: dict[str, Any]) -> list[dict[str, Any]]:
    mem = r["rss_mb"]
    lat = r["latency_ms"]["all"]
    grow_pct = 100 * mem["growth_second_half"] / mem["at_50pct"]
    return [
        common.row(
            f"load: {r['questions']} requests at c{r['concurrency']}, errors",
            [r["errors"]],
            "errors",
            "0",
            r["errors"] == 0 and r["server_5xx_by_metrics"] == 0,
        ),
        common.row("load: throughput", [r["requests_per_second"]], "req/s"),
        {
            "figure": "load: latency p50 (p95..p99)",
            "median": lat["p50"],
            "min": lat["p95"],
            "max": lat["p99"],
            "n": r["questions"],
            "unit": "ms",
            "target": "",
            "met": None,
        },
        {
            "figure": "load: server RSS start (peak..end)",
            "median": mem["start"],
            "min": mem["peak"],
            "max": mem["end"],
            "n": len(r["rss_samples"]),
            "unit": "MiB",
            "target": "",
            "met": None,
        },
        common.row(
            "load: RSS growth over the second half",
            [mem["growth_second_half"]],
            "MiB",
            "levels off (< 5% growth)",
            grow_pct < 5,
        ),
    ]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--questions", type=int, default=QUESTIONS)
    p.add_argument("--concurrency", type=int, default=CONCURRENCY)
    p.add_argument(
        "--index-dir",
        type=Path,
        default=None,
        help="A built index (default: the real corpus, built into a temp dir).",
    )
    args = p.parse_args(argv if argv is not None else [])
    result = run(args.questions, args.concurrency, args.index_dir)
    result["rows"] = rows(result)
    return result


if __name__ == "__main__":
    out = main(sys.argv[1:])
    common.save_json("load", {"machine": common.machine(), **out})
    summary = {k: v for k, v in out.items() if k not in ("rss_samples", "rows")}
    print(json.dumps(summary, indent=1))
