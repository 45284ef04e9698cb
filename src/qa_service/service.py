"""The running service: one embedder, the index version in service, and hot swaps.

Requests read `self.state` once and use that snapshot to the end, so a swap (one
reference assignment) never mixes two versions inside one answer.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from qa_service.answering import Answerer, Composed
from qa_service.config import Settings
from qa_service.conversation import resolve
from qa_service.embedding import Embedder
from qa_service.index import BuildReport, IndexData, build_index, load_index
from qa_service.retrieval import Hit, Retriever
from qa_service.schemas import AskResponse, Passage, Turn


@dataclass(frozen=True)
class State:
    """One index version with the objects that read it."""

    data: IndexData
    retriever: Retriever
    answerer: Answerer


class QAService:
    """Answers questions from the current index; swaps in new versions without a pause."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or Embedder(settings.embedding_model, settings.embedding_batch_size)
        self.state = self._open(load_index(settings.index_dir))
        self._build_lock = threading.Lock()
        self.last_reindex: float | None = None

    def _open(self, data: IndexData) -> State:
        s = self.settings
        return State(
            data=data,
            retriever=Retriever(data, rrf_k=s.rrf_k),
            answerer=Answerer(data, s.answer_max_sentences, s.min_dense_score, s.min_term_coverage, s.strong_dense_score),
        )

    # ------------------------------------------------------------ questions

    def retrieve(self, query: str, top_k: int, state: State | None = None) -> tuple[State, list[Hit], object]:
        state = state or self.state
        qvec = self.embedder.encode([query])[0]
        hits = state.retriever.search(query, qvec, top_k, self.settings.candidates)
        return state, hits, qvec

    def answer(self, question: str, history: list[Turn] | None = None, top_k: int | None = None) -> tuple[Composed, list[Hit]]:
        """Compose an answer; also returns the hits, for evaluation."""
        resolved = resolve(question, history or [])
        state, hits, qvec = self.retrieve(resolved.query, top_k or self.settings.top_k)
        return state.answerer.compose(resolved, qvec, hits), hits  # type: ignore[arg-type]

    def ask(self, question: str, history: list[Turn] | None = None, top_k: int | None = None) -> AskResponse:
        t0 = time.perf_counter()
        composed, _ = self.answer(question, history, top_k)
        return AskResponse(
            answer=composed.answer,
            found=composed.found,
            citations=composed.citations,
            took_ms=round((time.perf_counter() - t0) * 1000, 2),
        )

    def search(self, query: str, top_k: int) -> list[Passage]:
        state, hits, _ = self.retrieve(query, top_k)
        return [state.answerer.passage(h.row, h.score) for h in hits]

    # ------------------------------------------------------------ index lifecycle

    def reload(self) -> str:
        """Swap in the version CURRENT names, if it differs from the one in service."""
        data = load_index(self.settings.index_dir)
        if data.version != self.state.data.version:
            self.state = self._open(data)
        return self.state.data.version

    def rebuild(self, full: bool = False) -> BuildReport:
        """Build a new version from the corpus and swap it in; one rebuild at a time."""
        with self._build_lock:
            report = build_index(self.settings, self.embedder, full=full, progress=False)
            self.reload()
            self.last_reindex = time.time()
            return report

    @property
    def rebuilding(self) -> bool:
        return self._build_lock.locked()
