"""The standby builder: a child process that loads the model once and builds on request.

A reindex beside a live server used to start a fresh `qa-service build`, and importing torch
and loading the model next to the server slowed its answers for a few seconds (up to 4x the
median on 2 cores, even at idle CPU priority). The standby pays that once, in the
background, and a reindex then only embeds what changed. Protocol: one JSON line in
(`{"full": false}`), one JSON line out (the build report, or `{"error": "..."}`); the end of
its input ends it, and so does its server's death, even in the middle of a build
(`lifeline.py`): it never outlives the server. SIGTERM cancels a build.

    python -m qa_service.build_worker      # run by QAService, not by hand
"""

from __future__ import annotations

import json
import sys

from qa_service.config import get_settings
from qa_service.corpus import CorpusError
from qa_service.embedding import Embedder, ModelNotFoundError
from qa_service.index import BuildLockedError, BuildWriteError, build_index
from qa_service.lifeline import die_with_parent


def describe(error: Exception) -> str:
    """The one line a failed build reports (file and line for a bad document)."""
    if isinstance(error, CorpusError | BuildLockedError | ModelNotFoundError | BuildWriteError):
        return str(error)
    if isinstance(error, OSError):
        return f"build failed: {error}"
    return f"build failed: {type(error).__name__}: {error}"


def main() -> None:
    """Serve builds to the parent over pipes until it dies: one model load for many builds."""
    die_with_parent()
    settings = get_settings()
    embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            full = bool(json.loads(line).get("full", False))
            out = build_index(settings, embedder, full=full, progress=False).model_dump_json()
        except Exception as e:
            out = json.dumps({"error": describe(e)})
        sys.stdout.write(out + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
