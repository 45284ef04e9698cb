"""The deployment's one builder: watch the corpus and publish index versions for replicas.

`python -m qa_service.publisher` builds at start, then after every burst of corpus edits
(debounced by QA_WATCH_DEBOUNCE_MS), into QA_INDEX_DIR; the replicas serve no builds of
their own and swap to whatever index/CURRENT names (workers.Follower). A failed build is
logged with its file and line, and CURRENT stays on the last good version.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import watchfiles

from qa_service.config import Settings, get_settings
from qa_service.embedding import Embedder
from qa_service.index import build_index

log = logging.getLogger("qa_service.publisher")


def publish(settings: Settings, embedder: Embedder) -> None:
    """One incremental build; its summary (or its error) goes to the log."""
    try:
        report = build_index(settings, embedder, progress=False)
    except Exception as e:  # a bad edit: the replicas keep the last good version
        log.error("build failed: %s; CURRENT unchanged", e)
        return
    log.info("published %s: %s", report.version, report.summary().replace("\n", "; "))


def main() -> None:
    """Build now, then on every corpus change, until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s publisher: %(message)s")
    settings = get_settings()
    embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
    publish(settings, embedder)
    corpus = settings.corpus_dir.resolve()
    log.info("watching %s", corpus)
    for _ in watchfiles.watch(
        corpus,
        watch_filter=lambda _c, p: Path(p).suffix == ".md" and not Path(p).name.startswith("."),
        step=settings.watch_debounce_ms,
        raise_interrupt=False,
    ):
        publish(settings, embedder)
    sys.exit(0)


if __name__ == "__main__":
    main()
