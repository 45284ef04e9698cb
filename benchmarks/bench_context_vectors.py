"""A sentence read with its context, by each embedder: does it pick the answering sentence first?

For every in-scope case of the tuning sets (`scripts/answers.py`'s, never the headline held-out or a
later one), the candidate sentences are built as the service builds them, each with its hand score;
a sentence that holds the case's answer (`Case.passes`) is a positive. Each model then reads the
question and every candidate sentence, alone ("s") and with its document's title and the sentence
before it in the same block ("c"), and the script prints, DEV and CHECK apart, how many questions'
top-scored candidate is a positive under the hand score plus `w` times that cosine (its gap to the
question's best), for a grid of `w`. Saves benchmarks/results/context_vectors.json. What this found,
and why it did not carry over to served answers (branch s23-context): README, twentieth round.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_context_vectors.py minilm e5-small mpnet
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from answers import CHECK_SETS, tuning_sets

import common
from qa_service.composing import not_shown
from qa_service.config import get_settings
from qa_service.embedding import load_encoder, normalize
from qa_service.evaluation import load_cases
from qa_service.service import QAService

WEIGHTS = (0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0)


def collect() -> list[dict]:
    """Each in-scope tuning case's candidates: text, context text, hand score, positive or not."""
    service = QAService(get_settings())
    rows = []
    for path in tuning_sets():
        for case in load_cases(Path(path)):
            if case.kind == "out_of_scope":
                continue
            p = service.prepare(case.question, case.history)
            answerer, data = p.state.answerer, p.state.data
            scored = not_shown(
                answerer.score(p.resolved, p.qvec, p.hits, p.alone), p.resolved.shown
            )
            cands = []
            for c, score in zip(scored.candidates, scored.scores, strict=True):
                doc = data.documents[data.chunks[c.row].doc_id]
                before = doc.body[c.previous[0] : c.previous[1]] if c.previous else ""
                title = doc.title
                context = f"{title.strip()}. {before} {c.text}".replace("  ", " ")
                cands.append((c.text, context, score, case.passes(c.text)))
            rows.append(
                {"check": path in CHECK_SETS, "question": p.resolved.question, "cands": cands}
            )
    return rows


def cosines(model: str, rows: list[dict]) -> dict[str, list[np.ndarray]]:
    """Per question, the model's cosine of the question with each candidate alone and in context."""
    enc = load_encoder(model, 32)
    qs = sorted({r["question"] for r in rows})
    texts = sorted({t for r in rows for c in r["cands"] for t in c[:2]})
    t0 = time.perf_counter()
    q = dict(zip(qs, normalize(enc.encode(qs, query=True)), strict=True))
    v = dict(zip(texts, normalize(enc.encode(texts, query=False)), strict=True))
    print(f"{model}: {len(qs)} questions, {len(texts)} texts in {time.perf_counter() - t0:.0f} s")
    return {
        mode: [np.array([v[c[i]] @ q[r["question"]] for c in r["cands"]]) for r in rows]
        for i, mode in enumerate(("s", "c"))
    }


def main(models: list[str]) -> None:
    rows = [r for r in collect() if any(c[3] for c in r["cands"])]
    check = np.array([r["check"] for r in rows])
    hand = [np.array([c[2] for c in r["cands"]]) for r in rows]
    pos = [np.array([c[3] for c in r["cands"]]) for r in rows]

    def top1(scores: list[np.ndarray]) -> dict[str, int]:
        ok = np.array([p[int(np.argmax(s))] for s, p in zip(scores, pos, strict=True)])
        return {"DEV": int(ok[~check].sum()), "CHECK": int(ok[check].sum())}

    out: dict = {
        "machine": common.machine(),
        "questions": {"DEV": int((~check).sum()), "CHECK": int(check.sum())},
        "hand": top1(hand),
        "models": {},
    }
    print(f"questions with a positive: {out['questions']}; hand alone top-1 {out['hand']}")
    for model in models:
        cos = cosines(model, rows)
        res = out["models"][model] = {}
        for mode, per_q in cos.items():
            res[mode] = {"alone": top1(per_q)}
            for w in WEIGHTS:
                res[mode][str(w)] = top1(
                    [h + w * (x - x.max()) for h, x in zip(hand, per_q, strict=True)]
                )
                print(f"{model} {mode} w={w}: {res[mode][str(w)]}")
    common.save_json("context_vectors", out)


if __name__ == "__main__":
    main(sys.argv[1:] or ["minilm", "e5-small"])
