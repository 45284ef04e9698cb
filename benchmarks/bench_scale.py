"""Figure 5: vector search at 10k, 100k and 1M chunks: exact search against the
approximate index the service builds above `exact_search_max_chunks` (both made by
`qa_service.index.make_faiss`), with search latency, build time, memory per chunk and
recall@10 of the approximate index against exact search.

The vectors are generated, not embedded (embedding 1M passages would take hours on two
cores): each is a unit-normalised mix of two real sentence vectors from the built corpus
index plus Gaussian noise, so they sit on the same region of the sphere as real passages
and cluster like them. Queries are real questions from eval/questions.jsonl embedded with
the model. Built indexes are cached under the temp dir (their build time with them).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SIZES = (10_000, 100_000, 1_000_000)
QUERIES = 100
ROUNDS = 3
EXACT_TIMED = 30  # exact search at 1M is slow; time this many queries per round
TARGET_MS = 10.0
TARGET_RECALL = 0.95
NOISE = 0.03
SEED = 7


def generated(n: int, anchors, seed: int = SEED):  # type: ignore[no-untyped-def]
    """n unit vectors: a*s_i + b*s_j + noise over real sentence vectors s (cached as .npy)."""
    import numpy as np

    path = common.WORK / "scale" / f"vectors-{n}-{seed}.npy"
    if path.exists():
        return np.load(path, mmap_mode="r")
    rng = np.random.default_rng(seed)
    out = np.empty((n, anchors.shape[1]), np.float32)
    for s in range(0, n, 100_000):
        m = min(100_000, n - s)
        i, j = rng.integers(0, len(anchors), m), rng.integers(0, len(anchors), m)
        a = rng.uniform(0.5, 1.0, (m, 1)).astype(np.float32)
        b = rng.uniform(0.0, 0.5, (m, 1)).astype(np.float32)
        x = (
            a * anchors[i]
            + b * anchors[j]
            + rng.normal(0, NOISE, (m, anchors.shape[1])).astype(np.float32)
        )
        out[s : s + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return np.load(path, mmap_mode="r")


def built(kind: str, vectors, n: int):  # type: ignore[no-untyped-def]
    """(faiss index, build seconds, bytes on disk); approximate ones are cached."""
    import faiss
    import numpy as np

    from qa_service.index import make_faiss

    folder = common.WORK / "scale"
    tag = hashlib.sha256(inspect.getsource(make_faiss).encode()).hexdigest()[
        :10
    ]  # a changed choice rebuilds
    path, meta = folder / f"{kind}-{n}-{SEED}-{tag}.index", folder / f"{kind}-{n}-{SEED}-{tag}.json"
    if kind == "approx" and path.exists() and meta.exists():
        index = faiss.read_index(str(path))
        return index, json.loads(meta.read_text())["build_s"], path.stat().st_size
    t = time.perf_counter()
    index, _ = make_faiss(np.asarray(vectors), n if kind == "exact" else 0)
    build_s = time.perf_counter() - t
    faiss.write_index(index, str(path))
    size = path.stat().st_size
    if kind == "approx":
        meta.write_text(json.dumps({"build_s": build_s}))
    else:
        path.unlink()
    return index, build_s, size


def _describe(index) -> str:  # type: ignore[no-untyped-def]
    """A short tag of the approximate index's type and build parameters (cache key)."""
    import faiss

    inner = faiss.downcast_index(index)
    name = type(inner).__name__
    if hasattr(inner, "hnsw"):
        return f"{name}-M{inner.hnsw.nb_neighbors(0) // 2}-efc{inner.hnsw.efConstruction}"
    if hasattr(inner, "nlist"):
        return f"{name}-nlist{inner.nlist}"
    return name


def search_ms(index, queries, k: int = 10) -> list[float]:  # type: ignore[no-untyped-def]
    """Per-query latency (one query per call, as the service searches)."""
    out = []
    for q in queries:
        t = time.perf_counter()
        index.search(q.reshape(1, -1), k)
        out.append((time.perf_counter() - t) * 1000)
    return out


def recall_at_10(approx, exact_ids, queries) -> float:  # type: ignore[no-untyped-def]
    _, ids = approx.search(queries, 10)
    return statistics.mean(
        len(set(a) & set(e)) / 10 for a, e in zip(ids.tolist(), exact_ids.tolist(), strict=False)
    )


def one_size(n: int, anchors, queries) -> dict:  # type: ignore[no-untyped-def]
    vectors = generated(n, anchors)
    exact, exact_build, exact_bytes = built("exact", vectors, n)
    _, exact_ids = exact.search(queries, 10)
    ex_rounds = [statistics.median(search_ms(exact, queries[:EXACT_TIMED])) for _ in range(ROUNDS)]
    del exact
    approx, approx_build, approx_bytes = built("approx", vectors, n)
    ap_rounds = [statistics.median(search_ms(approx, queries)) for _ in range(ROUNDS)]
    ap_p95 = [common.percentile(search_ms(approx, queries), 95) for _ in range(ROUNDS)]
    recall = recall_at_10(approx, exact_ids, queries)
    return {
        "n": n,
        "approx_index": _describe(approx),
        "approx_params": _params(approx),
        "exact_search_ms": ex_rounds,
        "approx_search_ms": ap_rounds,
        "approx_search_p95_ms": ap_p95,
        "recall_at_10": recall,
        "exact_build_s": exact_build,
        "approx_build_s": approx_build,
        "exact_bytes_per_chunk": exact_bytes / n,
        "approx_bytes_per_chunk": approx_bytes / n,
    }


def _params(index) -> dict:  # type: ignore[no-untyped-def]
    import faiss

    inner = faiss.downcast_index(index)
    if hasattr(inner, "hnsw"):
        return {
            "M": inner.hnsw.nb_neighbors(0) // 2,
            "efConstruction": inner.hnsw.efConstruction,
            "efSearch": inner.hnsw.efSearch,
        }
    if hasattr(inner, "nprobe"):
        return {"nlist": inner.nlist, "nprobe": inner.nprobe}
    return {}


def plot(results: list[dict], path: Path) -> None:
    plt = common.pyplot()
    ns = [r["n"] for r in results]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label in (("exact_search_ms", "exact (flat)"), ("approx_search_ms", "approximate")):
        med = [statistics.median(r[key]) for r in results]
        lo = [m - min(r[key]) for m, r in zip(med, results, strict=False)]
        hi = [max(r[key]) - m for m, r in zip(med, results, strict=False)]
        a1.errorbar(ns, med, yerr=[lo, hi], marker="o", capsize=4, label=label)
    a1.axhline(TARGET_MS, ls="--", color="grey", label=f"target {TARGET_MS:g} ms at 1M")
    a1.set_xscale("log")
    a1.set_yscale("log")
    a1.set_xlabel("chunks (generated vectors, 384-d)")
    a1.set_ylabel("search latency, median ms (one query)")
    a1.legend()
    a1.set_title("Search latency")
    a2.plot(ns, [r["recall_at_10"] for r in results], marker="o", label="recall@10 vs exact")
    a2.axhline(TARGET_RECALL, ls="--", color="grey", label=f"target {TARGET_RECALL}")
    a2.set_xscale("log")
    a2.set_ylim(0.8, 1.005)
    a2.set_xlabel("chunks")
    a2.set_ylabel("recall@10")
    ax3 = a2.twinx()
    ax3.plot(
        ns,
        [r["approx_build_s"] for r in results],
        marker="s",
        color="tab:red",
        label="approx build s",
    )
    ax3.set_ylabel("approximate index build, s", color="tab:red")
    a2.legend(loc="lower left")
    a2.set_title("Approximate index: recall and build time")
    common.save_figure(plt, fig, path)


def main(sizes: tuple[int, ...] = SIZES) -> dict:
    import numpy as np

    from qa_service.index import load_index

    data = load_index(common.built_index())
    anchors = np.asarray(data.sentence_vectors, dtype=np.float32)
    queries = np.ascontiguousarray(
        common.embedder().encode(common.questions(QUERIES)), dtype=np.float32
    )
    results = []
    for n in sizes:
        t = time.perf_counter()
        results.append(one_size(n, anchors, queries))
        print(
            f"  {n:>9,} chunks: {json.dumps(results[-1])} ({time.perf_counter() - t:.0f} s)",
            flush=True,
        )
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    plot(results, common.RESULTS / "scale.png")
    rows = []
    for r in results:
        n = r["n"]
        last = n == max(sizes)
        rows += [
            common.row(f"scale {n:,}: exact search", r["exact_search_ms"], "ms"),
            common.row(
                f"scale {n:,}: approximate search ({r['approx_index']})",
                r["approx_search_ms"],
                "ms",
                f"<= {TARGET_MS:g}" if last else "",
                statistics.median(r["approx_search_ms"]) <= TARGET_MS if last else None,
            ),
            common.row(
                f"scale {n:,}: approximate recall@10 vs exact",
                [r["recall_at_10"]],
                "",
                f">= {TARGET_RECALL}" if last else "",
                r["recall_at_10"] >= TARGET_RECALL if last else None,
            ),
            common.row(f"scale {n:,}: build exact (flat)", [r["exact_build_s"]], "s"),
            common.row(f"scale {n:,}: build approximate", [r["approx_build_s"]], "s"),
            common.row(
                f"scale {n:,}: memory per chunk exact (flat)", [r["exact_bytes_per_chunk"]], "bytes"
            ),
            common.row(
                f"scale {n:,}: memory per chunk approximate", [r["approx_bytes_per_chunk"]], "bytes"
            ),
        ]
    return {
        "vectors": "generated (mix of two real sentence vectors + noise, unit length)",
        "queries": len(queries),
        "results": results,
        "plot": "scale.png",
        "rows": rows,
    }


if __name__ == "__main__":
    sizes = tuple(int(x) for x in sys.argv[1:]) or SIZES
    print(json.dumps(main(sizes)["rows"], indent=1))
