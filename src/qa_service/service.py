"""The running service: one embedder, the index version in service, and hot swaps.

Requests read `self.state` once and use that snapshot to the end, so a swap (one
reference assignment) never mixes two versions inside one answer. Rebuilds run in a
background child process, a standby builder with the model already loaded
(`build_worker.py`): the server's request threads keep the CPU and the model, a reindex
starts no interpreter beside them, and a crashing build cannot take the server down.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, cast

import numpy as np

from qa_service.answering import Answerer, Composed, best_by_row
from qa_service.building import RebuildCancelled as RebuildCancelled
from qa_service.building import RebuildError as RebuildError
from qa_service.building import StandbyBuilder, build_in_child
from qa_service.building import _set_priority as _set_priority
from qa_service.building import settings_env as settings_env
from qa_service.config import Settings
from qa_service.conversation import Resolved, resolve
from qa_service.embedding import Embedder
from qa_service.index import BuildReport, IndexData, build_index, current_version, load_index
from qa_service.lexicon import Lexicon
from qa_service.near_words import NearWords
from qa_service.parts import Part, retrieve_parts
from qa_service.question_log import QuestionLog, QuestionRecord, utcnow
from qa_service.reading import (
    asks_about_present,
    asks_for_day,
    gives_day,
    question_entities,
    question_years,
)
from qa_service.retrieval import Hit, Retriever, passage_order
from qa_service.schemas import AskResponse, Passage, ReindexOutcome, Turn
from qa_service.spanish import CorpusNames

log = logging.getLogger(__name__)
Outcome = Literal["built", "up to date", "failed", "cancelled"]


def _iso(t: float) -> str:
    """A UTC timestamp as ISO 8601 to the second, as the reindex status reports it."""
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")


def _once(encode: Callable[[str], np.ndarray]) -> Callable[[str], np.ndarray]:
    """`encode` remembering its vectors for one answer: a text the answer embeds twice (a question
    part searched by its own words and then scored alone, a follow-up requeried and then scored
    without its conversation) is encoded once. Per answer, not per process: a question asked again
    is encoded again, as a bare embedding is (no memory held between answers)."""
    seen: dict[str, np.ndarray] = {}

    def memo(text: str) -> np.ndarray:
        if text not in seen:
            seen[text] = encode(text)
        return seen[text]

    return memo


@dataclass(frozen=True)
class State:
    """One index version with the objects that read it."""

    data: IndexData
    retriever: Retriever
    answerer: Answerer
    lexicon: Lexicon
    names: CorpusNames  # the words a Spanish question's translation must keep (spanish.py)


def _gives_day_of(question: str) -> Callable[[str], bool]:
    """Whether a sentence gives a day with its month ("On 9 November 2012, …"), in a year the
    question names when it names one: what a question asking for a day wants."""
    years = question_years(question)
    return lambda text: gives_day(text) and (not years or any(y in text for y in years))


@dataclass(frozen=True)
class Prepared:
    """A question resolved and retrieved, ready to be scored and answered."""

    state: State
    resolved: Resolved
    hits: list[Hit]
    qvec: np.ndarray
    alone: np.ndarray | None  # a follow-up's own vector, without the conversation
    parts: list[Part] = field(default_factory=list)  # a two-part question's parts, each retrieved


class QAService:
    """Answers questions from the current index; swaps in new versions without a pause."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder | None = None,
        question_log: QuestionLog | None = None,
    ) -> None:
        """`question_log`: where `ask` records each question for curators (`serve` passes one; eval and tests need not)."""
        self.settings = settings
        data = load_index(
            settings.index_dir
        )  # a broken index is reported before the model loads (seconds)
        self.question_log = question_log
        self.embedder = embedder or Embedder(
            settings.embedding_model, settings.embedding_batch_size
        )
        # The question's words a passage holds in other words, on the service's model (kept across swaps).
        self._near = NearWords(self.embedder.encode)
        self.state = self._open(data)
        self._build_lock = threading.Lock()
        self._swap_lock = threading.Lock()
        self._queue_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._queued_full: bool | None = (
            None  # a reindex asked for during a build: one more build follows
        )
        self._cancel = threading.Event()
        self._child: subprocess.Popen[str] | None = None
        self.last_reindex: float | None = None
        self.last_report: BuildReport | None = None
        self.last_error: str | None = None
        self.last_outcome: ReindexOutcome | None = None
        self.last_success: ReindexOutcome | None = None
        self.standby = StandbyBuilder(settings)
        # Set when another process on this index keeps the builder (workers.py): hand it the reindex.
        self.delegate: Callable[[bool], None] | None = None

    def _open(self, data: IndexData) -> State:
        s = self.settings
        return State(
            data=data,
            retriever=Retriever(data, rrf_k=s.rrf_k),
            answerer=Answerer(data, s.answer_options(), near=self._near),
            lexicon=Lexicon(
                (f"{d.title}\n{d.body}" for d in data.documents.values()),
                common=self.embedder.vocabulary,
                name_parts=s.respell_name_parts,
                spare_inflections=s.respell_spares_inflections,
            ),
            names=self._names(data),
        )

    def _names(self, data: IndexData) -> CorpusNames:
        """The corpus's names a Spanish question's translation keeps, read as the settings say."""
        names = CorpusNames.from_texts(f"{d.title}\n{d.body}" for d in data.documents.values())
        names.titles_translated = self.settings.spanish_titles_translated
        names.asked_nouns = self.settings.spanish_asked_nouns
        names.more_english = self.settings.language_more_english
        names.names_unaccented = self.settings.spanish_names_unaccented
        names.final_el = self.settings.spanish_final_el
        names.hyphen_names = self.settings.spanish_hyphen_names
        names.bare_quien = self.settings.spanish_bare_quien
        names.esta_verb = self.settings.spanish_esta_verb
        names.places_written = self.settings.spanish_places_written
        names.personal_a = self.settings.spanish_personal_a
        names.clause_verb = self.settings.spanish_clause_verb
        names.office_phrases = self.settings.spanish_office_phrases
        return names

    # ------------------------------------------------------------ questions

    def retrieve(
        self,
        resolved: Resolved,
        top_k: int,
        state: State,
        encode: Callable[[str], np.ndarray] | None = None,
    ) -> tuple[list[Hit], np.ndarray]:
        """Fused passages for a resolved question, and the question's vector (`encode`: the
        answer's own memo of `Embedder.encode_query`, so a text it met before is not encoded again)."""
        qvec = (encode or self.embedder.encode_query)(resolved.query)  # micro-batched
        # A translated question is searched by its names and numbers as typed, too.
        lexical = (
            resolved.query
            if resolved.language == "en"
            else f"{resolved.query} {state.names.as_typed(resolved.original)}"
        )
        return state.retriever.search(lexical, qvec, top_k, self.settings.candidates), qvec

    def prepare(
        self, question: str, history: list[Turn] | None = None, top_k: int | None = None
    ) -> Prepared:
        """Resolve a question against its conversation and retrieve its passages (stages 1-2)."""
        history = history or []
        k = top_k or self.settings.top_k
        state = self.state
        encode = _once(self.embedder.encode_query)
        carry = self.settings.carry_referent
        resolved = resolve(
            question, history, lexicon=state.lexicon, corpus_names=state.names, carry_referent=carry
        )
        hits, qvec = self.retrieve(resolved, k, state, encode)
        if history and not resolved.follow_up and not question_entities(resolved.question):
            # No pronoun, but no name either ("Which country mediated the restoration?"): when the
            # question alone finds nothing close, read it in the light of the conversation.
            best = max((h.dense for h in hits), default=0.0)
            if best < self.settings.follow_up_requery_score:
                leaning = resolve(
                    question,
                    history,
                    force=True,
                    lexicon=state.lexicon,
                    corpus_names=state.names,
                    carry_referent=carry,
                )
                hits2, qvec2 = self.retrieve(leaning, k, state, encode)
                if max((h.dense for h in hits2), default=0.0) > best:
                    resolved, hits, qvec = leaning, hits2, qvec2
        if asks_about_present(resolved.question, until=self.settings.now_until_when):
            seen = {h.row for h in hits}
            hits = hits + state.retriever.by_sentence(qvec, self.settings.now_sentence_pool, seen)
        elif asks_for_day(resolved.question):
            # A day is given in a dated list ("- On 9 November 2012, Mexico informed Peru …"), one
            # line among others on other matters: the passage as a whole is far from the question.
            seen = {h.row for h in hits}
            hits = hits + state.retriever.by_sentence(
                qvec,
                self.settings.day_sentence_pool,
                seen,
                _gives_day_of(resolved.question),
                among=state.retriever.day_sentences(),
            )
        alone = encode(resolved.question) if resolved.follow_up else None
        parts = retrieve_parts(
            resolved,
            lambda r: self.retrieve(r, k, state, encode),
            encode,
            versus=self.settings.split_topic_versus,
            bare_versus=self.settings.split_bare_versus,
            slot_shapes=self.settings.split_slot_shapes,
        )
        return Prepared(state, resolved, hits, qvec, alone, parts)

    def answer(
        self, question: str, history: list[Turn] | None = None, top_k: int | None = None
    ) -> tuple[Composed, list[Hit]]:
        """Compose an answer; also returns the passages in answer order, for evaluation."""
        p = self.prepare(question, history, top_k)
        return p.state.answerer.answer(p.resolved, p.qvec, p.hits, p.alone, p.parts)

    def ask(
        self, question: str, history: list[Turn] | None = None, top_k: int | None = None
    ) -> AskResponse:
        """Answer a question (with its conversation), timed and logged for curators."""
        t0 = time.perf_counter()
        state = self.state
        composed, hits = self.answer(question, history, top_k)
        resp = AskResponse(
            answer=composed.answer,
            found=composed.found,
            citations=composed.citations,
            took_ms=round((time.perf_counter() - t0) * 1000, 2),
            language=composed.language,
            preface=composed.preface,
            sentences=composed.sentences,
        )
        if self.question_log is not None:
            self._log_question(question, composed.follow_up, resp, hits, state.data.version)
        return resp

    def _log_question(
        self, question: str, follow_up: bool, resp: AskResponse, hits: list[Hit], version: str
    ) -> None:
        """Queue the question for the log (returns at once; the log's writer thread stores it).

        Nothing here may fail the answer: an unexpected error is logged and the answer goes out.
        """
        assert self.question_log is not None
        try:
            self.question_log.record(
                QuestionRecord(
                    id=resp.id,
                    asked_at=utcnow(),
                    question=question,
                    follow_up=follow_up,
                    found=resp.found,
                    best_score=round(max(h.dense for h in hits), 4) if hits else None,
                    cited_docs=list(dict.fromkeys(c.doc_id for c in resp.citations)),
                    language=resp.language,
                    index_version=version,
                )
            )
        except Exception:
            log.exception("a question could not be queued for the question log")

    def search(self, query: str, top_k: int) -> list[Passage]:
        """Passages best first: fused retrieval over a pool, reordered by the best sentence each
        holds and the passage's own cosine and BM25 (`retrieval.passage_order`)."""
        state, s = self.state, self.settings
        resolved = resolve(query, [], lexicon=state.lexicon, corpus_names=state.names)
        hits, qvec = self.retrieve(resolved, max(top_k, s.search_pool), state)
        best = best_by_row(state.answerer.score(resolved, qvec, hits))
        ranked = passage_order(
            hits, best, dense_weight=s.search_dense_weight, bm25_weight=s.search_bm25_weight
        )
        return [state.answerer.passage(h.row, h.score) for h in ranked[:top_k]]

    # ------------------------------------------------------------ index lifecycle

    def reload(self) -> str:
        """Swap in the version CURRENT names, if it differs from the one in service.

        Works for versions built by another process too; a broken version raises
        IndexUnavailableError and the one in service stays.
        """
        with self._swap_lock:  # two reloads must not finish out of order
            if current_version(self.settings.index_dir) != self.state.data.version:
                data = load_index(self.settings.index_dir)
                if data.version != self.state.data.version:
                    self.state = self._open(data)
            return self.state.data.version

    def rebuild(self, full: bool = False, in_process: bool = False) -> BuildReport:
        """Build a new version from the corpus and swap it in; one rebuild at a time.

        By default the standby builder does it (see module docstring), or a one-off child
        process when the standby cannot be used; `in_process` builds with this service's
        embedder instead (no model load, but it competes with requests for the model lock
        and the CPU). Every rebuild ends with one log line saying how it ended.
        """
        with self._build_lock:
            self._cancel.clear()
            started, t0 = time.time(), time.perf_counter()
            try:
                if in_process:
                    report = build_index(self.settings, self.embedder, full=full, progress=False)
                else:
                    report = self._build_outside(full)
                self.reload()
            except Exception as e:
                if self._cancel.is_set() and not isinstance(e, RebuildCancelled):
                    e = RebuildCancelled(
                        "the build was cancelled; the index in service was left as it was"
                    )
                cancelled = isinstance(e, RebuildCancelled)
                self.last_error = None if cancelled else str(e)
                self._record("cancelled" if cancelled else "failed", started, t0, error=str(e))
                if cancelled:
                    log.warning(
                        "rebuild cancelled; still serving index %s", self.state.data.version
                    )
                else:
                    log.error(
                        "rebuild failed: %s; still serving index %s", e, self.state.data.version
                    )
                raise e from None
            self.last_report, self.last_error = report, None
            self.last_reindex = time.time()
            self._record("built" if report.wrote else "up to date", started, t0, report=report)
            log.info(
                "rebuild done: %s; serving %s",
                report.summary().replace("\n", "; "),
                self.state.data.version,
            )
            return report

    def _build_outside(self, full: bool) -> BuildReport:
        """The standby builds; if it is unusable, a one-off child does (unless the build was cancelled)."""
        try:
            return self.standby.build(full)
        except (OSError, ValueError) as e:  # a broken standby: the one-off child still works
            if self._cancel.is_set():
                raise RebuildCancelled(
                    "the build was cancelled; the index in service was left as it was"
                ) from None
            log.warning("standby builder unusable (%s): building in a new child process", e)
            self.standby.close()

        def started(proc: subprocess.Popen[str]) -> None:
            self._child = proc
            if self._cancel.is_set():
                proc.terminate()

        try:
            return build_in_child(self.settings, full=full, started=started)
        finally:
            self._child = None

    def _record(
        self,
        outcome: str,
        started: float,
        t0: float,
        report: BuildReport | None = None,
        error: str | None = None,
    ) -> None:
        r = report or BuildReport()
        self.last_outcome = ReindexOutcome(
            outcome=cast(Outcome, outcome),
            started_at=_iso(started),
            finished_at=_iso(time.time()),
            seconds=round(time.perf_counter() - t0, 3),
            added=len(r.added),
            changed=len(r.changed),
            removed=len(r.removed),
            unchanged=len(r.unchanged),
            chunks_embedded=r.chunks_embedded,
            version=r.version if report is not None else None,
            error=error,
            skipped=r.skipped,
        )
        if report is not None:
            self.last_success = self.last_outcome

    def request_rebuild(self, full: bool = False) -> Literal["started", "queued"]:
        """Start a rebuild in the background, or, when one runs, queue exactly one more after it.

        Requests that arrive during a build are coalesced into that one follow-up build,
        which reads the corpus when it starts: the last edit is always served.
        """
        if self.delegate is not None:
            self.delegate(full)
            return "queued"
        with self._queue_lock:
            if self._worker is not None:
                self._queued_full = bool(self._queued_full) or full
                return "queued"
            self._worker = threading.Thread(
                target=self._rebuild_loop, args=(full,), daemon=True, name="reindex"
            )
            self._worker.start()
            return "started"

    def _rebuild_loop(self, full: bool) -> None:
        while True:
            with contextlib.suppress(Exception):
                self.rebuild(full)
            with self._queue_lock:
                if self._queued_full is None:
                    self._worker = None
                    return
                full, self._queued_full = self._queued_full, None

    def cancel_rebuild(self) -> bool:
        """Drop a queued rebuild and end the running one; False when there was nothing to cancel."""
        with self._queue_lock:
            queued, self._queued_full = self._queued_full is not None, None
        running = self._build_lock.locked()
        if running:
            self._cancel.set()
            child = self._child
            if child is not None and child.poll() is None:
                child.terminate()
            else:
                self.standby.cancel()
        return running or queued

    @property
    def rebuild_queued(self) -> bool:
        """Whether a reindex is waiting behind the one running."""
        return self._queued_full is not None

    @property
    def rebuilding(self) -> bool:
        """Whether a reindex is running now."""
        return self._build_lock.locked() or self._worker is not None

    def close(self) -> None:
        """Stop the standby builder and write out the question log (the embedder may be shared, so it stays)."""
        self.standby.close()
        if self.question_log is not None:
            self.question_log.close()
