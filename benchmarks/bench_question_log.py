"""Answer latency with the question log on and off: two `qa-service serve` processes over the
same index, one logging to SQLite (the default), one with QA_LOG_QUESTIONS=false, asked the
same questions over HTTP in one run, interleaved (each question to both servers one right
after the other, the order flipping every round), so the ratios hold on a noisy machine. The log is then read back to check every question was written.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

ROUNDS = 7
QUESTIONS = 40
TARGET = 1.10  # logging may cost at most a tenth of an answer's time


def main() -> dict:
    import httpx

    qs = common.questions(QUESTIONS)
    index_dir = common.built_index()
    db = common.WORK / "bench-question-log.sqlite3"
    for leftover in db.parent.glob(db.name + "*"):
        leftover.unlink()
    on_env = {"QA_LOG_QUESTIONS": "true", "QA_LOG_DB": str(db)}
    off_env = {"QA_LOG_QUESTIONS": "false"}
    rounds: list[dict[str, float]] = []
    with (
        common.server(index_dir, on_env) as on,
        common.server(index_dir, off_env) as off,
        httpx.Client(base_url=on.url, timeout=30) as c_on,
        httpx.Client(base_url=off.url, timeout=30) as c_off,
    ):
        clients = {"on": c_on, "off": c_off}
        for q in qs[:5]:  # warm both
            for c in clients.values():
                c.post("/api/ask", json={"question": q}).raise_for_status()
        for r in range(ROUNDS):
            took: dict[str, list[float]] = {"on": [], "off": []}
            order = ["on", "off"] if r % 2 == 0 else ["off", "on"]
            for q in qs:
                for name in order:
                    t = time.perf_counter()
                    clients[name].post("/api/ask", json={"question": q}).raise_for_status()
                    took[name].append(time.perf_counter() - t)
            pairs = [
                a / b for a, b in zip(took["on"], took["off"], strict=False)
            ]  # the same question, one right after the other
            rounds.append(
                {
                    **{k: statistics.median(v) for k, v in took.items()},
                    "paired": statistics.median(pairs),
                }
            )
        time.sleep(1.0)  # the writer thread has long caught up; give it a moment anyway
    with sqlite3.connect(db) as conn:
        logged = conn.execute("SELECT count(*) FROM questions").fetchone()[0]
    conn.close()
    asked = len(qs) * ROUNDS + 5 + 1  # + the warm-up and the server's first answer
    ratio = [r["on"] / r["off"] for r in rounds]
    paired = [r["paired"] for r in rounds]
    return {
        "questions": len(qs),
        "rounds": rounds,
        "asked_with_log_on": asked,
        "rows_logged": logged,
        "rows": [
            common.row(
                "answer over HTTP, question log on (SQLite): median",
                [r["on"] * 1000 for r in rounds],
                "ms",
            ),
            common.row(
                "answer over HTTP, question log off: median",
                [r["off"] * 1000 for r in rounds],
                "ms",
            ),
            common.row(
                "answer median, log on / log off",
                ratio,
                "x",
                f"<= {TARGET}",
                statistics.median(ratio) <= TARGET,
            ),
            common.row(
                "same question, log on / log off (median of pairs)",
                paired,
                "x",
                f"<= {TARGET}",
                statistics.median(paired) <= TARGET,
            ),
            common.row(
                "questions in the log / questions asked",
                [logged / asked],
                "x",
                "1.0",
                logged == asked,
            ),
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
