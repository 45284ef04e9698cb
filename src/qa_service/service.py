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
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import SecretStr

from qa_service import lifeline
from qa_service.answering import Answerer, Composed
from qa_service.config import Settings
from qa_service.conversation import Resolved, resolve
from qa_service.embedding import Embedder
from qa_service.index import BuildReport, IndexData, build_index, current_version, load_index
from qa_service.lexicon import Lexicon
from qa_service.parts import Part, retrieve_parts
from qa_service.question_log import QuestionLog, QuestionRecord, utcnow
from qa_service.retrieval import Hit, Retriever
from qa_service.schemas import AskResponse, Passage, ReindexOutcome, Turn
from qa_service.scoring import question_entities

log = logging.getLogger(__name__)


class RebuildError(RuntimeError):
    """A rebuild failed; the message is the build's own (file and line for a bad document)."""


class RebuildCancelled(RebuildError):
    """The build was cancelled (its builder was sent SIGTERM); the index in service stays."""


def _ended(proc: subprocess.Popen[str], what: str) -> None:
    """Raise RebuildCancelled when a builder was ended by a cancel (SIGTERM)."""
    if proc.poll() == -signal.SIGTERM:
        raise RebuildCancelled(f"{what} was cancelled; the index in service was left as it was")


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child `qa-service` see exactly these settings."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("QA_")}
    for name, value in settings.model_dump().items():
        if value is None or isinstance(value, SecretStr):
            continue
        if isinstance(value, Path):
            value = value.resolve()
        env[f"QA_{name.upper()}"] = (
            json.dumps(value) if isinstance(value, list | dict) else str(value)
        )
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def _set_priority(pid: int, nice: int, idle: bool) -> None:
    """Set a child's CPU priority from outside, so even its start-up (imports, model load) yields to answers.

    On Linux both the policy and nice are per thread: every thread the child has is set
    (threads it starts later inherit from the thread that starts them).
    """
    task_dir = f"/proc/{pid}/task"
    tids = [int(t) for t in os.listdir(task_dir)] if os.path.isdir(task_dir) else [pid]
    for tid in tids:
        try:
            if hasattr(os, "SCHED_IDLE"):
                os.sched_setscheduler(
                    tid, os.SCHED_IDLE if idle else os.SCHED_OTHER, os.sched_param(0)
                )
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        except OSError:  # the thread (or the child) has already ended
            continue


def build_in_child(
    settings: Settings,
    full: bool = False,
    nice: int = 19,
    started: Callable[[subprocess.Popen[str]], None] | None = None,
) -> BuildReport:
    """Run `qa-service build --json` in the background and return its report.

    The child first runs only on CPU time the server leaves idle (SCHED_IDLE), so answers
    keep their latency during a reindex; if it has not finished after
    `settings.rebuild_idle_seconds` (a server kept busy all the time), it goes on at nice 19
    so that it is never starved.
    """
    cmd = [sys.executable, "-m", "qa_service.cli", "build", "--json"] + (["--full"] if full else [])
    env = lifeline.child_env(settings_env(settings))  # it ends itself if the server dies
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _set_priority(proc.pid, nice, idle=True)
    if started is not None:
        started(proc)
    try:
        stdout, stderr = proc.communicate(timeout=settings.rebuild_idle_seconds)
    except subprocess.TimeoutExpired:
        _set_priority(proc.pid, nice, idle=False)
        stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        _ended(proc, "the build")
        lines = [
            ln.removeprefix("error: ") for ln in stderr.splitlines() if ln.startswith("error: ")
        ]
        raise RebuildError(
            lines[0] if lines else f"build exited with {proc.returncode}: {stderr.strip()[-400:]}"
        )
    return BuildReport.model_validate_json(stdout.strip().splitlines()[-1])


class StandbyBuilder:
    """The standby build process: started once at background priority, then asked to build.

    While it builds it runs on idle CPU only, and at nice 19 after
    `settings.rebuild_idle_seconds` (as `build_in_child`). If it cannot be used (it died,
    or could not start), `build` raises OSError and the caller falls back to a one-off child.
    """

    def __init__(self, settings: Settings, nice: int = 19) -> None:
        self.settings = settings
        self.nice = nice
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        """Start the standby if it is not running (it loads the model in the background)."""
        if self.proc is None or self.proc.poll() is not None:
            # PASSIVE: its idle OpenMP threads sleep instead of spinning beside the server's.
            # QA_PARENT_PID: it ends itself when the server dies (lifeline.py), so it never builds as an orphan.
            env = lifeline.child_env({**settings_env(self.settings), "OMP_WAIT_POLICY": "PASSIVE"})
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "qa_service.build_worker"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            _set_priority(self.proc.pid, self.nice, idle=True)

    def build(self, full: bool = False) -> BuildReport:
        self.start()
        proc = self.proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"full": full}) + "\n")
        proc.stdin.flush()
        if not select.select([proc.stdout], [], [], self.settings.rebuild_idle_seconds)[0]:
            _set_priority(
                proc.pid, self.nice, idle=False
            )  # never starved by a server busy all the time
        line = proc.stdout.readline()
        _set_priority(proc.pid, self.nice, idle=True)
        if not line:
            proc.wait()
            self.close()
            _ended(proc, "the build")
            raise OSError("the standby builder ended without a report")
        data = json.loads(line)
        if "error" in data:
            raise RebuildError(data["error"])
        return BuildReport.model_validate(data)

    def cancel(self) -> bool:
        """End a build in progress (SIGTERM); the next build starts a new standby."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return False
        proc.terminate()
        return True

    def close(self) -> None:
        """End the standby (closing its input ends it)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()


@dataclass(frozen=True)
class State:
    """One index version with the objects that read it."""

    data: IndexData
    retriever: Retriever
    answerer: Answerer
    lexicon: Lexicon


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

    def _open(self, data: IndexData) -> State:
        s = self.settings
        return State(
            data=data,
            retriever=Retriever(data, rrf_k=s.rrf_k),
            answerer=Answerer(
                data,
                max_sentences=s.answer_max_sentences,
                min_dense=s.min_dense_score,
                min_coverage=s.min_term_coverage,
                strong_dense=s.strong_dense_score,
                scorer=s.sentence_scorer,
                use_decline_model=s.decline_model == "learned",
                today=s.today,
            ),
            lexicon=Lexicon(
                (f"{d.title}\n{d.body}" for d in data.documents.values()),
                common=self.embedder.vocabulary,
            ),
        )

    # ------------------------------------------------------------ questions

    def retrieve(
        self, resolved: Resolved, top_k: int, state: State
    ) -> tuple[list[Hit], np.ndarray]:
        """Fused passages for a resolved question, and the question's vector."""
        qvec = self.embedder.encode_query(resolved.query)  # micro-batched with concurrent questions
        # A translated question is searched by its own words too: names and numbers match as typed.
        lexical = (
            resolved.query if resolved.language == "en" else f"{resolved.query} {resolved.original}"
        )
        return state.retriever.search(lexical, qvec, top_k, self.settings.candidates), qvec

    def prepare(
        self, question: str, history: list[Turn] | None = None, top_k: int | None = None
    ) -> Prepared:
        """Resolve a question against its conversation and retrieve its passages (stages 1-2)."""
        history = history or []
        k = top_k or self.settings.top_k
        state = self.state
        resolved = resolve(question, history, lexicon=state.lexicon)
        hits, qvec = self.retrieve(resolved, k, state)
        if history and not resolved.follow_up and not question_entities(resolved.question):
            # No pronoun, but no name either ("Which country mediated the restoration?"): when the
            # question alone finds nothing close, read it in the light of the conversation.
            best = max((h.dense for h in hits), default=0.0)
            if best < self.settings.strong_dense_score:
                leaning = resolve(question, history, force=True, lexicon=state.lexicon)
                hits2, qvec2 = self.retrieve(leaning, k, state)
                if max((h.dense for h in hits2), default=0.0) > best:
                    resolved, hits, qvec = leaning, hits2, qvec2
        alone = self.embedder.encode_query(resolved.question) if resolved.follow_up else None
        parts = retrieve_parts(resolved, lambda r: self.retrieve(r, k, state))
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
        """Passages best first: fused retrieval over a pool, reordered by the best sentence each holds."""
        state = self.state
        resolved = resolve(query, [], lexicon=state.lexicon)
        hits, qvec = self.retrieve(resolved, max(top_k, self.settings.top_k), state)
        ranked = state.answerer.rerank(hits, state.answerer.score(resolved, qvec, hits))
        return [state.answerer.passage(h.row, h.score) for h in ranked[:top_k]]

    # ------------------------------------------------------------ index lifecycle

    def reload(self) -> str:
        """Swap in the version CURRENT names, if it differs from the one in service.

        Works for versions built by another process too; a broken version raises
        IndexError_ and the one in service stays.
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
        iso = lambda t: dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")  # noqa: E731
        self.last_outcome = ReindexOutcome(
            outcome=outcome,  # type: ignore[arg-type]
            started_at=iso(started),
            finished_at=iso(time.time()),
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
        return self._queued_full is not None

    @property
    def rebuilding(self) -> bool:
        return self._build_lock.locked() or self._worker is not None

    def close(self) -> None:
        """Stop the standby builder and write out the question log (the embedder may be shared, so it stays)."""
        self.standby.close()
        if self.question_log is not None:
            self.question_log.close()
