"""Streaming: time from sending `POST /api/ask/stream` to its first server-sent event
(`citations`), and to the final `done` event, on a warm server over loopback.

The first event is what a person waits for before the page shows anything; the target is
a median of at most 100 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

ROUNDS = 5
QUESTIONS = 40
TARGET_FIRST_EVENT_MS = 100


def _one(client, question: str) -> tuple[float, float, str]:  # type: ignore[no-untyped-def]
    """Seconds to the first event, seconds to `done`, and the first event's name."""
    t = time.perf_counter()
    first, first_name, done = 0.0, "", 0.0
    with client.stream("POST", "/api/ask/stream", json={"question": question}) as resp:
        resp.raise_for_status()
        for line in resp.iter_lines():
            if line.startswith("event:"):
                name = line.split(":", 1)[1].strip()
                if not first_name:
                    first, first_name = time.perf_counter() - t, name
                if name in ("done", "error"):
                    done = time.perf_counter() - t
    if not done:
        raise RuntimeError(f"stream for {question!r} ended without a done event")
    return first, done, first_name


def main() -> dict:
    import httpx

    qs = common.questions(QUESTIONS)
    rounds: list[dict[str, float]] = []
    first_names: set[str] = set()
    with (
        common.server(common.built_index()) as srv,
        httpx.Client(base_url=srv.url, timeout=30) as client,
    ):
        for q in qs[:5]:
            _one(client, q)
        for _ in range(ROUNDS):
            firsts, dones = [], []
            for q in qs:
                f, d, name = _one(client, q)
                firsts.append(f * 1000)
                dones.append(d * 1000)
                first_names.add(name)
            rounds.append(
                {
                    "first_median": statistics.median(firsts),
                    "first_p95": common.percentile(firsts, 95),
                    "done_median": statistics.median(dones),
                }
            )
    med = [r["first_median"] for r in rounds]
    return {
        "questions": len(qs),
        "rounds": ROUNDS,
        "first_event_names": sorted(first_names),
        "samples": rounds,
        "rows": [
            common.row(
                "stream: first event (citations)",
                med,
                "ms",
                f"<= {TARGET_FIRST_EVENT_MS}",
                statistics.median(med) <= TARGET_FIRST_EVENT_MS,
            ),
            common.row("stream: first event p95", [r["first_p95"] for r in rounds], "ms"),
            common.row("stream: done event", [r["done_median"] for r in rounds], "ms"),
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
