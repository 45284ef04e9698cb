"""The question log: what people asked, whether the corpus answered, and their feedback.

Curators read it (`qa-service gaps`) to learn what the corpus declines and which answers
readers judged wrong. It lives in a real database through SQLAlchemy: a SQLite file
beside the index by default, or PostgreSQL when `QA_LOG_DB` is a `postgresql://` URL so
replicas share one log. The schema is versioned in a `schema_version` table and migrated
forward on open.

Writing never slows or fails an answer: `record` and `feedback` only put a row on a
bounded queue; one background thread writes it. A locked, read-only or full database is
logged and counted (`qa_question_log_errors_total`, `qa_question_log_dropped_total`) and
the answer has already gone out. Nothing about the asker is stored: no IP address, no
user agent, no conversation text beyond the question itself.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import delete, func, insert, or_, select

from qa_service.config import Settings
from qa_service.question_log_db import (
    SCHEMA_VERSION,
    SQLITE_BUSY_MS,
    database_url,
    feedback,
    make_engine,
    migrate,
    questions,
    schema_version,
)

log = logging.getLogger(__name__)
__all__ = [
    "SCHEMA_VERSION",
    "SQLITE_BUSY_MS",
    "FeedbackRecord",
    "LoggedQuestion",
    "QuestionLog",
    "QuestionLogCollector",
    "QuestionRecord",
    "database_url",
    "migrate",
    "questions",
    "schema_version",
    "utcnow",
]

Rating = Literal["up", "down"]
QUEUE_SIZE = 10_000  # rows waiting for the writer; past this a row is dropped (and counted), never waited for
BATCH_SIZE = 500  # rows written in one transaction
PRUNE_EVERY_SECONDS = 3600.0  # old rows are deleted at start and then about once an hour


@dataclass(frozen=True)
class QuestionRecord:
    """One answered or declined question, as stored."""

    id: str
    asked_at: dt.datetime
    question: str
    follow_up: bool
    found: bool
    best_score: float | None
    cited_docs: list[str]
    language: str | None
    index_version: str


@dataclass(frozen=True)
class FeedbackRecord:
    """A reader's thumbs up or down on one answer."""

    answer_id: str
    given_at: dt.datetime
    rating: Rating
    comment: str | None


@dataclass
class LoggedQuestion:
    """A question read back for curators, with the latest feedback on its answer."""

    id: str
    asked_at: dt.datetime
    question: str
    found: bool
    best_score: float | None
    cited_docs: list[str]
    rating: Rating | None = None
    comment: str | None = None


@dataclass
class LogStats:
    """Counters the metrics page shows."""

    written: int = 0
    errors: int = 0
    dropped: int = 0
    pruned: int = 0
    last_error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def _clean(text: str | None) -> str | None:
    """Text every backend stores: PostgreSQL refuses NUL characters, no backend takes lone surrogates."""
    if text is None:
        return None
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def utcnow() -> dt.datetime:
    """Aware UTC now: rows compare across machines and time zones."""
    return dt.datetime.now(dt.UTC)


def _aware(t: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time in the log is UTC."""
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


class QuestionLog:
    """The log: a bounded queue in front of one writer thread, plus the reads curators need."""

    def __init__(self, url: str, retention_days: int = 90, start: bool = True) -> None:
        self.url = url
        self.retention_days = retention_days
        self.stats = LogStats()
        self.engine = make_engine(url)  # connects on first use, in the writer thread
        self.ready = False
        self._schema_lock = threading.Lock()
        self._queue: queue.Queue[QuestionRecord | FeedbackRecord | None] = queue.Queue(QUEUE_SIZE)
        self._thread: threading.Thread | None = None
        self._next_prune = 0.0
        if start:
            self.start()

    def start(self) -> None:
        """Start the writer thread (it opens the database, then writes what is queued)."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="question-log", daemon=True)
            self._thread.start()

    @property
    def backend(self) -> str:
        """The database dialect (sqlite, postgresql), for health and metrics."""
        return self.engine.dialect.name

    # ------------------------------------------------------------ writing (never blocks)

    def record(self, row: QuestionRecord) -> None:
        """Queue one question for writing; returns at once."""
        self._put(row)

    def feedback(self, row: FeedbackRecord) -> None:
        """Queue one piece of feedback for writing; returns at once."""
        self._put(row)

    def _put(self, row: QuestionRecord | FeedbackRecord) -> None:
        try:
            self._queue.put_nowait(row)
        except queue.Full:
            with self.stats.lock:
                self.stats.dropped += 1

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued row has been written (or failed); False on timeout."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, stop the writer and release the database."""
        if self._thread is not None and self._thread.is_alive():
            self.flush(timeout)
            with contextlib.suppress(queue.Full):
                self._queue.put(None, timeout=1)
            self._thread.join(timeout)
        self._thread = None
        self.engine.dispose()

    @classmethod
    def from_settings(cls, settings: Settings, start: bool = True) -> QuestionLog | None:
        """The log the settings ask for, or None when QA_LOG_QUESTIONS is false."""
        if not settings.log_questions:
            return None
        return cls(
            database_url(settings.log_db, settings.index_dir),
            settings.log_retention_days,
            start=start,
        )

    def ensure_schema(self) -> None:
        """Create or migrate the tables now (the writer does it on its own; readers call this)."""
        with self._schema_lock:
            if not self.ready:
                migrate(self.engine)
                self.ready = True

    def _run(self) -> None:
        try:
            self.ensure_schema()
        except Exception as e:
            # A log that cannot be opened must not stop the service: each write tries again.
            self._error("the question log could not be opened", e)
        else:
            self._maybe_prune()
        while True:
            try:
                first = self._queue.get(timeout=60)
            except queue.Empty:
                self._maybe_prune()
                continue
            batch = [first]
            while len(batch) < BATCH_SIZE:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = None in batch
            rows = [r for r in batch if r is not None]
            try:
                if rows:
                    self._write(rows)
                self._maybe_prune()
            finally:
                for _ in batch:
                    self._queue.task_done()
            if stop:
                return

    def _write(self, rows: Sequence[QuestionRecord | FeedbackRecord]) -> None:
        qs = [
            {**r.__dict__, "question": _clean(r.question)}
            for r in rows
            if isinstance(r, QuestionRecord)
        ]
        fb = [
            {**r.__dict__, "comment": _clean(r.comment)}
            for r in rows
            if isinstance(r, FeedbackRecord)
        ]
        try:
            self.ensure_schema()  # the database may have come back (a server started, a lock released)
            with self.engine.begin() as conn:
                if qs:
                    conn.execute(insert(questions), qs)
                if fb:
                    conn.execute(insert(feedback), fb)
        except Exception as e:
            self._error(f"{len(rows)} question-log rows were not written", e)
            with self.stats.lock:
                self.stats.dropped += len(rows)
            return
        with self.stats.lock:
            self.stats.written += len(rows)

    def _error(self, what: str, e: BaseException) -> None:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0][:300]
        with self.stats.lock:
            self.stats.errors += 1
            self.stats.last_error = reason
        log.warning("%s: %s", what, reason)

    def _maybe_prune(self) -> None:
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + PRUNE_EVERY_SECONDS
            try:
                self.prune()
            except Exception as e:
                self._error("old question-log rows could not be pruned", e)

    # ------------------------------------------------------------ maintenance and reads

    def prune(self, now: dt.datetime | None = None) -> int:
        """Delete questions and feedback older than the retention period; returns rows deleted."""
        if self.retention_days <= 0:
            return 0
        self.ensure_schema()
        cutoff = (now or utcnow()) - dt.timedelta(days=self.retention_days)
        with self.engine.begin() as conn:
            n = conn.execute(delete(questions).where(questions.c.asked_at < cutoff)).rowcount
            n += conn.execute(delete(feedback).where(feedback.c.given_at < cutoff)).rowcount
        with self.stats.lock:
            self.stats.pruned += n
        return n

    def counts(self) -> dict[str, int]:
        """Rows in each table (for tests and the operator)."""
        self.ensure_schema()
        with self.engine.connect() as conn:
            return {
                "questions": conn.execute(select(func.count()).select_from(questions)).scalar()
                or 0,
                "feedback": conn.execute(select(func.count()).select_from(feedback)).scalar() or 0,
            }

    def questions_since(self, since: dt.datetime) -> list[LoggedQuestion]:
        """Every question asked since `since`, oldest first, with the latest feedback on its answer."""
        return list(self._read(questions.c.asked_at >= since))

    def gaps_since(self, since: dt.datetime, limit: int = 5000) -> list[LoggedQuestion]:
        """Declined questions and thumbs-down answers since `since` (the newest `limit`), oldest first.

        A reader's latest vote counts: an answer first voted down and then up is not a gap.
        """
        downs = select(feedback.c.answer_id).where(feedback.c.rating == "down")
        cond = (questions.c.asked_at >= since) & or_(
            questions.c.found.is_(False), questions.c.id.in_(downs)
        )
        rows = [q for q in self._read(cond, newest=limit) if not q.found or q.rating == "down"]
        return rows

    def _read(self, cond: Any, newest: int | None = None) -> Iterator[LoggedQuestion]:
        self.ensure_schema()
        stmt = select(questions).where(cond)
        if newest is not None:
            stmt = stmt.order_by(questions.c.asked_at.desc()).limit(newest)
        with self.engine.connect() as conn:
            found = [
                LoggedQuestion(
                    id=r.id,
                    asked_at=_aware(r.asked_at),
                    question=r.question,
                    found=r.found,
                    best_score=r.best_score,
                    cited_docs=list(r.cited_docs or []),
                )
                for r in conn.execute(stmt)
            ]
            by_id = {q.id: q for q in found}
            ids = list(by_id)
            for i in range(0, len(ids), 500):  # IN lists stay short enough for any backend
                fb = conn.execute(
                    select(feedback)
                    .where(feedback.c.answer_id.in_(ids[i : i + 500]))
                    .order_by(feedback.c.given_at, feedback.c.id)
                )
                for f in fb:
                    q = by_id[f.answer_id]
                    q.rating, q.comment = f.rating, f.comment  # later feedback replaces earlier
        found.sort(key=lambda q: q.asked_at)
        yield from found


class QuestionLogCollector:
    """Prometheus counters for the log, read at scrape time from whichever log the service holds."""

    def __init__(self, get_log: Callable[[], QuestionLog | None]) -> None:
        self.get_log = get_log

    def collect(self) -> Iterator[Any]:
        """Log counters at scrape time: rows written and writes failed."""
        from prometheus_client.core import CounterMetricFamily

        ql = self.get_log()
        if ql is None:
            return
        with ql.stats.lock:
            s = (ql.stats.written, ql.stats.errors, ql.stats.dropped, ql.stats.pruned)
        for name, doc, value in (
            (
                "qa_question_log_written",
                "Question-log rows (questions and feedback) written.",
                s[0],
            ),
            (
                "qa_question_log_errors",
                "Question-log writes that failed (locked, read-only or full database).",
                s[1],
            ),
            (
                "qa_question_log_dropped",
                "Question-log rows not written (queue full or a failed write).",
                s[2],
            ),
            (
                "qa_question_log_pruned",
                "Question-log rows deleted as older than QA_LOG_RETENTION_DAYS.",
                s[3],
            ),
        ):
            yield CounterMetricFamily(name, doc, value=value)
