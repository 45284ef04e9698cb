"""`qa-service eval`: score question sets against the service and two baselines.

A case passes a text when every (`expect_mode: all`) or any (`any`) of its `expect`
patterns matches it, case-insensitively. Retrieval metrics look for the first passage
whose text passes; the baselines (BM25 alone, dense over fixed 1,000-character chunks)
run on the same corpus and model so the comparison is like for like.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import faiss
import numpy as np
from pydantic import BaseModel, Field

from qa_service.config import Settings
from qa_service.schemas import Turn
from qa_service.service import QAService

K = 5


class Case(BaseModel):
    """One line of a question set."""

    id: str
    kind: Literal["fact", "followup", "out_of_scope"]
    question: str
    history: list[Turn] = Field(default_factory=list)
    expect: list[str] = Field(default_factory=list)
    expect_mode: Literal["any", "all"] = "any"

    def passes(self, text: str) -> bool:
        if not self.expect:
            return False
        hits = [re.search(p, text, re.IGNORECASE) is not None for p in self.expect]
        return all(hits) if self.expect_mode == "all" else any(hits)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                cases.append(Case.model_validate_json(line))
            except ValueError as e:
                raise ValueError(f"{path}:{i}: not a valid case: {e}") from None
    return cases


def _rank(case: Case, texts: list[str]) -> int | None:
    """1-based rank of the first passage that passes, or None."""
    return next((i for i, t in enumerate(texts, start=1) if case.passes(t)), None)


class _Tally:
    def __init__(self) -> None:
        self.n = 0
        self.answer_hits = 0
        self.hit1 = 0
        self.hit5 = 0
        self.rr = 0.0
        self.declined = 0

    def add(self, case: Case, answer: str | None, found: bool, texts: list[str]) -> bool:
        self.n += 1
        self.declined += not found
        r = _rank(case, texts) if case.kind != "out_of_scope" else None
        if r:
            self.hit1 += r == 1
            self.hit5 += r <= K
            self.rr += 1 / r
        ok = found and answer is not None and case.passes(answer)
        self.answer_hits += ok
        return ok

    def row(self, kind: str, with_answers: bool) -> dict[str, float | int | None]:
        n = max(1, self.n)
        if kind == "out_of_scope":
            return {"n": self.n, "declined": self.declined / n}
        return {
            "n": self.n,
            "answer_hit": self.answer_hits / n if with_answers else None,
            "hit@1": self.hit1 / n,
            "hit@5": self.hit5 / n,
            "mrr": self.rr / n,
            "wrongly_declined": self.declined / n if with_answers else None,
        }


class FixedChunkDense:
    """The tutorial pipeline: 1,000-character windows, embedded as they are, exact search."""

    def __init__(self, service: QAService, size: int = 1000) -> None:
        self.service = service
        self.texts: list[str] = []
        for d in service.state.data.documents.values():
            self.texts.extend(d.body[i : i + size] for i in range(0, len(d.body), size))
        vecs = service.embedder.encode(self.texts)
        self.index = faiss.IndexFlatIP(vecs.shape[1])
        self.index.add(vecs)

    def search(self, question: str, k: int = K) -> list[str]:
        q = self.service.embedder.encode([question])
        _, rows = self.index.search(q, k)
        return [self.texts[r] for r in rows[0] if r >= 0]


def evaluate_cases(
    service: QAService, cases: list[Case], baselines: bool, verbose: bool, echo: Callable[[str], None],
    dense_baseline: FixedChunkDense | None = None,
) -> dict[str, dict[str, dict[str, float | int | None]]]:
    systems: dict[str, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    data = service.state.data
    times = []
    for case in cases:
        t0 = time.perf_counter()
        composed, hits = service.answer(case.question, case.history)
        hits = hits[:K]
        times.append(time.perf_counter() - t0)
        texts = [data.chunks[h.row].text for h in hits]
        ok = systems["service"][case.kind].add(case, composed.answer, composed.found, texts)
        expected_ok = (not composed.found) if case.kind == "out_of_scope" else ok
        if verbose and not expected_ok:
            echo(f"  FAIL {case.id} [{case.kind}] {case.question}\n       -> {composed.answer[:300]!r}")
        if baselines and case.kind != "out_of_scope":
            bm = service.state.retriever.lexical(case.question, K)
            systems["bm25"][case.kind].add(case, None, True, [data.chunks[r].text for r, _ in bm])
            if dense_baseline is not None:
                systems["dense_1000"][case.kind].add(case, None, True, dense_baseline.search(case.question))
    out = {
        name: {kind: t.row(kind, name == "service") for kind, t in sorted(kinds.items())}
        for name, kinds in systems.items()
    }
    out["service"]["_latency_ms"] = {"median": float(np.median(times) * 1000) if times else 0.0}
    return out


def _table(results: dict, echo: Callable[[str], None]) -> None:
    cols = ["n", "answer_hit", "hit@1", "hit@5", "mrr", "wrongly_declined", "declined"]
    echo(f"{'system':<11} {'kind':<13} " + " ".join(f"{c:>16}" for c in cols))
    for name, kinds in results.items():
        for kind, row in kinds.items():
            if kind.startswith("_"):
                continue
            cells = []
            for c in cols:
                v = row.get(c)
                cells.append(f"{'':>16}" if v is None else f"{v:>16}" if isinstance(v, int) else f"{v:>16.3f}")
            echo(f"{name:<11} {kind:<13} " + " ".join(cells))


def evaluate_files(
    settings: Settings, paths: list[Path], baselines: bool = True, verbose: bool = False,
    echo: Callable[[str], None] = print,
) -> dict[str, dict]:
    """Evaluate each question set; print a table per set; return all metrics."""
    service = QAService(settings)
    dense = FixedChunkDense(service) if baselines else None
    results: dict[str, dict] = {}
    for path in paths:
        cases = load_cases(path)
        echo(f"\n{path} ({len(cases)} cases, index {service.state.data.version})")
        res = evaluate_cases(service, cases, baselines, verbose, echo, dense)
        _table(res, echo)
        echo(f"median time per question: {res['service']['_latency_ms']['median']:.1f} ms")
        results[str(path)] = res
    return results


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(evaluate_files(Settings(), [Path("eval/questions.jsonl")]), indent=2))
