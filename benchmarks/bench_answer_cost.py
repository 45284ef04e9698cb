"""An answer over HTTP as a multiple of one bare question embedding, and where the rest goes.

A real `qa-service serve` on loopback answers a fixed list of questions (POST /api/ask, one
at a time); this process encodes the same questions with the same backend, interleaved
with the requests so both see the same machine load. The figure is median(answer over
HTTP) / median(bare embedding) (issue 15: at most 1.5x). Then one answer path is profiled
in-process with cProfile (`QAService.answer` over the same questions) and the functions
with the most time of their own are listed, with the embedding's share of the total.

    PYTHONPATH=src python benchmarks/bench_answer_cost.py [minilm-int8]

prints and writes benchmarks/results/answer_cost.json.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

QUESTIONS = 24  # the first in-scope held-out questions: enough for a stable median here
ROUNDS = 3  # each question asked this many times, after one warm-up round


def fixed_questions() -> list[str]:
    """The first in-scope questions of the held-out split (no history)."""
    from qa_service.evaluation import IN_SCOPE, load_cases

    cases = load_cases(common.ROOT / "eval" / "heldout.jsonl")
    return [c.question for c in cases if c.kind in IN_SCOPE and not c.history][:QUESTIONS]


def index_for(model: str) -> Path:
    """The corpus built with this backend (reused when bench_embedders built it already)."""
    from qa_service.embedding import Embedder
    from qa_service.index import build_index

    index_dir = common.WORK / "embedders" / model
    build_index(
        common.settings_for(index_dir, embedding_model=model), Embedder(model), progress=False
    )
    return index_dir


def http_vs_bare(model: str, index_dir: Path, qs: list[str]) -> dict[str, Any]:
    """Median HTTP answer and median bare embedding, interleaved question by question."""
    import httpx

    from qa_service.embedding import Embedder

    embedder = Embedder(model)
    http_ms: list[float] = []
    bare_ms: list[float] = []
    with (
        common.server(index_dir, {"QA_EMBEDDING_MODEL": model}) as srv,
        httpx.Client(timeout=60) as client,
    ):
        for rnd in range(ROUNDS + 1):
            for q in qs:
                t = time.perf_counter()
                embedder.encode_query(q)
                bare = (time.perf_counter() - t) * 1000
                t = time.perf_counter()
                r = client.post(f"{srv.url}/api/ask", json={"question": q})
                took = (time.perf_counter() - t) * 1000
                r.raise_for_status()
                if rnd:  # round 0 warms caches on both sides
                    bare_ms.append(bare)
                    http_ms.append(took)
    h, b = statistics.median(http_ms), statistics.median(bare_ms)
    return {
        "http_ms": round(h, 2),
        "bare_ms": round(b, 2),
        "ratio": round(h / b, 2),
        "n": len(http_ms),
    }


def own_cpu(model: str, index_dir: Path, qs: list[str]) -> dict[str, Any]:
    """CPU ms of one answer in-process with its question vectors computed beforehand.

    What an answer costs beyond the embedding, as CPU time of this process (less moved by
    other processes' load than wall time): the figure the scoring caches cut.
    """
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

    embedder = Embedder(model)
    service = QAService(common.settings_for(index_dir, embedding_model=model), embedder)
    vectors: dict[str, Any] = {}
    bare = embedder.encode_query

    def cached(text: str) -> Any:
        if text not in vectors:
            vectors[text] = bare(text)
        return vectors[text]

    embedder.encode_query = cached  # type: ignore[method-assign]
    for q in qs:
        service.answer(q)  # fills the vectors and every cache an answer warms
    cpu_ms = []
    for q in qs * ROUNDS:
        t = time.process_time()
        service.answer(q)
        cpu_ms.append((time.process_time() - t) * 1000)
    return {"cpu_ms_median": round(statistics.median(cpu_ms), 3), "n": len(cpu_ms)}


def profile(model: str, index_dir: Path, qs: list[str], top: int = 15) -> dict[str, Any]:
    """cProfile of the answer path in-process: own time per function and the embedding's share."""
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

    service = QAService(common.settings_for(index_dir, embedding_model=model), Embedder(model))
    for q in qs:
        service.answer(q)  # warm-up
    prof = cProfile.Profile()
    prof.enable()
    for q in qs * ROUNDS:
        service.answer(q)
    prof.disable()
    stats = pstats.Stats(prof)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    embed = sum(v[3] for k, v in raw.items() if k[2] == "encode_query")
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    own = [
        {"function": f"{Path(k[0]).name}:{k[1]} {k[2]}", "own_s": round(v[2], 3), "calls": v[1]}
        for k, v in rows
    ]
    by_stage = {
        name: round(sum(v[3] for k, v in raw.items() if k[2] == name) / total, 3)
        for name in ("encode_query", "resolve", "search", "answer", "score", "compose", "decide")
    }
    return {
        "total_s": round(total, 3),
        "embedding_share": round(embed / total, 3),
        "share_by_function": by_stage,
        "top_own_time": own,
    }


def main(model: str = "minilm") -> dict[str, Any]:
    """Both figures for one backend, printed and saved."""
    qs = fixed_questions()
    index_dir = index_for(model)
    cost = http_vs_bare(model, index_dir, qs)
    prof = profile(model, index_dir, qs)
    own = own_cpu(model, index_dir, qs)
    print(
        f"{model}: answer over HTTP {cost['http_ms']} ms = {cost['ratio']}x one bare embedding "
        f"({cost['bare_ms']} ms), median of {cost['n']}"
    )
    print(f"answer without its embedding: {own['cpu_ms_median']} CPU ms (median of {own['n']})")
    print(f"profile: {prof['total_s']} s, embedding {prof['embedding_share']:.0%} of it")
    for r in prof["top_own_time"]:
        print(f"  {r['own_s']:>8} s  {r['calls']:>7}  {r['function']}")
    data = {
        "machine": common.machine(),
        "load_average": os.getloadavg(),
        "model": model,
        "cost": cost,
        "without_embedding": own,
        "profile": prof,
    }
    common.save_json(f"answer_cost_{model}", data)
    return {
        "rows": [
            common.row(
                f"answer/embedding ({model})", [cost["ratio"]], "x", "<= 1.5", cost["ratio"] <= 1.5
            )
        ],
        **data,
    }


if __name__ == "__main__":
    main(*(sys.argv[1:2] or []))
