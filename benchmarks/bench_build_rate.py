"""Figure 3: index build rate (chunks per second, full build of the real corpus with the
model already loaded) as a ratio to embedding the same chunk texts with the bare model at
the same batch size. Runs alternate, so both see the same machine.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

RUNS = 3
TARGET = 0.85


def chunk_texts(index_dir: Path) -> list[str]:
    """The exact texts the build gave the model, read back from the version it wrote."""
    from qa_service.chunking import embedding_text
    from qa_service.index import load_index

    data = load_index(index_dir)
    return [embedding_text(data.documents[c.doc_id].title, c)[0] for c in data.chunks]


def main() -> dict:
    from qa_service.index import build_index

    emb = common.embedder()
    index_dir = common.WORK / "build-rate"
    settings = common.settings_for(index_dir)
    emb.model.encode(["warm-up"] * 8, batch_size=settings.embedding_batch_size)
    builds, bare, ratios = [], [], []
    texts: list[str] = []
    for _ in range(RUNS):
        shutil.rmtree(index_dir, ignore_errors=True)
        t = time.perf_counter()
        build_index(settings, emb, full=True, progress=False)
        build_s = time.perf_counter() - t
        texts = chunk_texts(index_dir)
        t = time.perf_counter()
        emb.model.encode(texts, batch_size=settings.embedding_batch_size, show_progress_bar=False)
        bare_s = time.perf_counter() - t
        builds.append(len(texts) / build_s)
        bare.append(len(texts) / bare_s)
        ratios.append(bare_s / build_s)
    shutil.rmtree(index_dir, ignore_errors=True)
    return {
        "chunks": len(texts),
        "batch_size": settings.embedding_batch_size,
        "build_chunks_per_s": builds,
        "bare_chunks_per_s": bare,
        "rows": [
            common.row(f"build rate ({len(texts)} chunks, full build)", builds, "chunks/s"),
            common.row("bare model on the same texts", bare, "chunks/s"),
            common.row(
                "build rate / bare model",
                ratios,
                "x",
                f">= {TARGET}",
                statistics.median(ratios) >= TARGET,
            ),
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
