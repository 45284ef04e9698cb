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

import common  # noqa: E402

RUNS = 3
TARGET = 0.85


def chunk_texts(settings, emb) -> list[str]:  # type: ignore[no-untyped-def]
    """The exact texts a build gives the model."""
    from qa_service.chunking import Chunker, embedding_text
    from qa_service.corpus import load_corpus

    chunker = Chunker(settings.chunk_max_tokens, settings.chunk_overlap_sentences, emb.count_tokens)
    return [embedding_text(d.title, c)[0] for d in load_corpus(settings.corpus_dir) for c in chunker.split(d)]


def main() -> dict:
    from qa_service.index import build_index

    emb = common.embedder()
    index_dir = common.WORK / "build-rate"
    settings = common.settings_for(index_dir)
    texts = chunk_texts(settings, emb)
    emb.model.encode(texts[:64], batch_size=settings.embedding_batch_size)  # warm-up
    builds, bare, ratios = [], [], []
    for _ in range(RUNS):
        shutil.rmtree(index_dir, ignore_errors=True)
        t = time.perf_counter()
        report = build_index(settings, emb, full=True, progress=False)
        build_s = time.perf_counter() - t
        assert report.chunks_total == len(texts), (report.chunks_total, len(texts))
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
            common.row("build rate / bare model", ratios, "x", f">= {TARGET}", statistics.median(ratios) >= TARGET),
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
