"""A Spanish answer against its English twin: median time of each, in the same run.

The Spanish cases of the tuning sets that name an English `pair` are answered in-process
(`QAService.ask`, the real index in `index/`), each Spanish question right after its
English twin so both see the same machine load; one warm-up round first (it starts the
Apertium pipe and loads the model). Also times the translation alone.

    PYTHONPATH=src python benchmarks/bench_spanish.py [NAME]

prints and writes benchmarks/results/NAME.json (default `spanish`). Run against an older
checkout's `src` (PYTHONPATH) to compare: the script needs nothing newer than `QAService.ask`.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SETS = ["eval/train.jsonl", "eval/heldout.jsonl", "eval/heldout2.jsonl"]  # never held-out 3
ROUNDS = 1  # a second round would be answered from the caches (embeddings, translations)


def pairs() -> list[tuple[str, str]]:
    """(Spanish, English) questions of the tuning sets' Spanish cases with a twin and no history."""
    from qa_service.evaluation import load_cases

    out = []
    for name in SETS:
        cases = load_cases(ROOT / name)
        by_id = {c.id: c for c in cases}
        for c in cases:
            twin = by_id.get(c.pair or "")
            if c.kind == "spanish" and twin is not None and not c.history:
                out.append((c.question, twin.question))
    return out


def main() -> None:
    from qa_service.config import Settings
    from qa_service.language import to_english
    from qa_service.service import QAService

    service = QAService(Settings(index_dir=ROOT / "index"))
    questions = pairs()
    warm, questions = questions[:3], questions[3:]
    for es, en in warm:  # warm-up: the model, the Apertium pipe; not measured again
        service.ask(es), service.ask(en)
    es_ms: list[float] = []
    en_ms: list[float] = []
    tr_ms: list[float] = []
    for _ in range(ROUNDS):
        for es, en in questions:
            for question, times in ((en, en_ms), (es, es_ms)):
                t0 = time.perf_counter()
                service.ask(question)
                times.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            names = getattr(service.state, "names", None)  # older checkouts have no name table
            to_english(es + " ", names) if names else to_english(es + " ")  # past the cache
            tr_ms.append((time.perf_counter() - t0) * 1000)
    result = {
        "pairs": len(questions),
        "rounds": ROUNDS,
        "median_spanish_ms": round(statistics.median(es_ms), 1),
        "median_english_ms": round(statistics.median(en_ms), 1),
        "median_translation_ms": round(statistics.median(tr_ms), 2),
    }
    print(json.dumps(result, indent=2))
    out = HERE / "results" / f"{sys.argv[1] if len(sys.argv) > 1 else 'spanish'}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
