"""Figure 1: question latency, in process (QAService.ask) and over HTTP on loopback, as a
ratio to embedding the same question with the bare model, measured interleaved in one run.
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
TARGET_IN_PROCESS = 1.5
TARGET_HTTP = 2.5


def _bare_embed(model, q: str) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    model.encode([q], convert_to_numpy=True, show_progress_bar=False)
    return time.perf_counter() - t


def in_process(qs: list[str]) -> list[dict[str, float]]:
    """Per round: median embed, median and p95 ask (seconds)."""
    from qa_service.service import QAService

    emb = common.embedder()
    svc = QAService(common.settings_for(common.built_index()), emb)
    for q in qs[:5]:
        svc.ask(q)
        _bare_embed(emb.model, q)
    rounds = []
    for _ in range(ROUNDS):
        te, ta = [], []
        for q in qs:
            te.append(_bare_embed(emb.model, q))
            t = time.perf_counter()
            svc.ask(q)
            ta.append(time.perf_counter() - t)
        rounds.append(
            {
                "embed": statistics.median(te),
                "median": statistics.median(ta),
                "p95": common.percentile(ta, 95),
            }
        )
    close = getattr(svc, "close", None)
    if close:
        close()
    return rounds


def over_http(qs: list[str]) -> list[dict[str, float]]:
    """Per round: median embed (here), median and p95 of POST /api/ask on a keep-alive connection."""
    import httpx

    emb = common.embedder()
    rounds = []
    with (
        common.server(common.built_index()) as srv,
        httpx.Client(base_url=srv.url, timeout=30) as client,
    ):
        for q in qs[:5]:
            client.post("/api/ask", json={"question": q}).raise_for_status()
        for _ in range(ROUNDS):
            te, ta = [], []
            for q in qs:
                te.append(_bare_embed(emb.model, q))
                t = time.perf_counter()
                client.post("/api/ask", json={"question": q}).raise_for_status()
                ta.append(time.perf_counter() - t)
            rounds.append(
                {
                    "embed": statistics.median(te),
                    "median": statistics.median(ta),
                    "p95": common.percentile(ta, 95),
                }
            )
    return rounds


def _rows(where: str, rounds: list[dict[str, float]], target: float) -> list[dict]:
    med = [r["median"] / r["embed"] for r in rounds]
    p95 = [r["p95"] / r["embed"] for r in rounds]
    return [
        common.row(f"{where}: bare question embedding", [r["embed"] * 1000 for r in rounds], "ms"),
        common.row(f"{where}: ask median", [r["median"] * 1000 for r in rounds], "ms"),
        common.row(f"{where}: ask p95", [r["p95"] * 1000 for r in rounds], "ms"),
        common.row(
            f"{where}: ask median / embedding",
            med,
            "x",
            f"<= {target}",
            statistics.median(med) <= target,
        ),
        common.row(f"{where}: ask p95 / embedding", p95, "x"),
    ]


def main() -> dict:
    qs = common.questions(QUESTIONS)
    ip = in_process(qs)
    http = over_http(qs)
    return {
        "questions": len(qs),
        "rounds": ROUNDS,
        "in_process": ip,
        "http": http,
        "rows": _rows("latency in process", ip, TARGET_IN_PROCESS)
        + _rows("latency HTTP", http, TARGET_HTTP),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
