"""Full build vs one-document-changed rebuild on the real corpus (copied to a temp dir).

Runs are interleaved (full, one-doc, full, ...) so that load from other processes falls on
both kinds alike; the model is loaded and warmed once, outside the timings (both kinds
pay the same model load when run as `qa-service build`, reported separately).
Target: the one-document rebuild takes at most 10% of the full build (medians) and
embeds only that document's chunks.

    .venv/bin/python benchmarks/bench_rebuild.py [--full-runs 3] [--one-runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.index import build_index, load_index

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"


def _edit(path: Path, n: int) -> None:
    """A realistic small edit: one sentence appended to the body."""
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"\nA correction was published on day {n} of the review.\n",
        encoding="utf-8",
    )


def main(full_runs: int = 3, one_runs: int = 5, out: Path | None = None) -> dict:
    """Measure, print and save the figures; returns them."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-rebuild-"))
    try:
        corpus = shutil.copytree(REPO / "corpus", tmp / "corpus")
        settings = Settings(corpus_dir=corpus, index_dir=tmp / "index", keep_versions=2)
        t0 = time.perf_counter()
        embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
        embedder.encode(["warm up"])
        model_load_s = time.perf_counter() - t0
        t = time.perf_counter()
        first = build_index(settings, embedder, progress=False)  # no index yet: the first full run
        full_s: list[float] = [time.perf_counter() - t]
        print(f"full     run 1: {full_s[0]:6.2f}s  {first.chunks_embedded:3d} chunks embedded")
        docs = sorted(corpus.glob("*.md"))
        one_s: list[float] = []
        one_runs_detail: list[dict] = []
        full_chunks = first.chunks_total
        for i in range(max(full_runs, one_runs)):
            if i < one_runs:
                doc = docs[(i * 7) % len(docs)]
                _edit(doc, i)
                t = time.perf_counter()
                r = build_index(settings, embedder, progress=False)
                one_s.append(time.perf_counter() - t)
                doc_chunks = load_index(settings.index_dir).manifest.documents[doc.stem].chunks
                assert r.changed == [doc.stem] and r.chunks_embedded == doc_chunks, r.summary()
                one_runs_detail.append(
                    {
                        "doc": doc.stem,
                        "chunks_embedded": r.chunks_embedded,
                        "doc_chunks": doc_chunks,
                        "seconds": round(one_s[-1], 3),
                    }
                )
                print(
                    f"one-doc  run {i + 1}: {one_s[-1]:6.2f}s  {r.chunks_embedded:3d} chunks embedded ({doc.stem})"
                )
            if i + 1 < full_runs:
                t = time.perf_counter()
                r = build_index(settings, embedder, full=True, progress=False)
                full_s.append(time.perf_counter() - t)
                full_chunks = r.chunks_embedded
                print(
                    f"full     run {i + 2}: {full_s[-1]:6.2f}s  {r.chunks_embedded:3d} chunks embedded"
                )
        med_full, med_one = statistics.median(full_s), statistics.median(one_s)
        results = {
            "benchmark": "rebuild",
            "corpus_documents": len(docs),
            "corpus_chunks": full_chunks,
            "model_load_seconds": round(model_load_s, 2),
            "full_build_seconds": [round(x, 3) for x in full_s],
            "one_doc_rebuild_seconds": [round(x, 3) for x in one_s],
            "median_full_seconds": round(med_full, 3),
            "median_one_doc_seconds": round(med_one, 3),
            "ratio_one_doc_to_full": round(med_one / med_full, 4),
            "target_ratio": 0.10,
            "chunks_embedded_full": full_chunks,
            "chunks_embedded_one_doc": [d["chunks_embedded"] for d in one_runs_detail],
            "one_doc_runs": one_runs_detail,
            "cpu_count": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"median full build {med_full:.2f}s ({full_chunks} chunks), median one-document rebuild {med_one:.2f}s "
        f"({statistics.median(results['chunks_embedded_one_doc'])} chunks): ratio {results['ratio_one_doc_to_full']:.1%} "
        f"(target <= 10%); model load {model_load_s:.1f}s not included"
    )
    out = out or RESULTS / "rebuild.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {out}")
    return results


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full-runs", type=int, default=3)
    ap.add_argument("--one-runs", type=int, default=5)
    args = ap.parse_args()
    main(args.full_runs, args.one_runs)
