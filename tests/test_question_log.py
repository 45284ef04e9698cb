"""The question log on a real SQLite file and a real PostgreSQL server: what is logged, feedback,
pruning, the off switch, and a locked, read-only or full database never failing an answer."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import event, inspect, select

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.question_log import (
    SCHEMA_VERSION,
    SQLITE_BUSY_MS,
    FeedbackRecord,
    QuestionLog,
    QuestionRecord,
    database_url,
    migrate,
    questions,
    schema_version,
    utcnow,
)
from qa_service.service import QAService
from tests.conftest import LiveServer, PostgresServer

FOUND_Q = "When was APRA founded?"
DECLINED_Q = "Which team won the 2014 FIFA World Cup?"


@pytest.fixture(params=["sqlite", "postgresql"])
def log_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty log database of each kind."""
    if request.param == "sqlite":
        return database_url(str(tmp_path / "log" / "questions.sqlite3"), tmp_path)
    pg: PostgresServer = request.getfixturevalue("postgres")
    return database_url(pg.create_database(), tmp_path)


@pytest.fixture
def logged(
    small_settings: Settings, embedder: Embedder, log_url: str
) -> Iterator[tuple[QAService, LiveServer]]:
    """A live server whose service logs to `log_url`."""
    settings = small_settings.model_copy(
        update={"log_db": log_url, "admin_token": SecretStr("gaps-token-123")}
    )
    service = QAService(settings, embedder, question_log=QuestionLog.from_settings(settings))
    with LiveServer(settings, service) as server:
        yield service, server
    service.close()


def ask(server: LiveServer, question: str, **extra: object) -> dict:
    r = httpx.post(f"{server.url}/api/ask", json={"question": question, **extra}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_questions_and_feedback_are_logged(logged) -> None:
    service, server = logged
    log = service.question_log
    assert log is not None
    found = ask(server, FOUND_Q)
    declined = ask(server, DECLINED_Q)
    follow = ask(
        server,
        "And who founded it?",
        history=[
            {"role": "user", "content": FOUND_Q},
            {"role": "assistant", "content": found["answer"]},
        ],
    )
    assert found["found"] and not declined["found"]
    ids = [found["id"], declined["id"], follow["id"]]
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids) and len(set(ids)) == 3

    r = httpx.post(
        f"{server.url}/api/feedback",
        json={"id": found["id"], "rating": "down", "comment": "  too short  "},
    )
    assert r.status_code == 202 and r.json() == {"status": "recorded"}
    # Feedback for an answer this process never gave (another replica's) is accepted too.
    other = "0" * 32
    assert (
        httpx.post(f"{server.url}/api/feedback", json={"id": other, "rating": "up"}).status_code
        == 202
    )
    assert log.flush()

    rows = {q.id: q for q in log.questions_since(utcnow() - dt.timedelta(minutes=10))}
    assert set(rows) == set(ids)
    f, d, fu = rows[found["id"]], rows[declined["id"]], rows[follow["id"]]
    assert (
        f.question == FOUND_Q
        and f.found
        and f.cited_docs == ["apra-1924"]
        and f.best_score
        and f.best_score > 0.3
    )
    assert f.rating == "down" and f.comment == "too short"
    assert not d.found and d.cited_docs == [] and d.rating is None
    assert fu.question == "And who founded it?"
    with log.engine.connect() as conn:
        stored = {r.id: r for r in conn.execute(select(questions))}
    assert stored[follow["id"]].follow_up and not stored[found["id"]].follow_up
    assert stored[found["id"]].index_version == service.state.data.version
    assert log.counts() == {"questions": 3, "feedback": 2}
    # Nothing about the asker: no address or agent columns, and the history text is not stored.
    columns = {c["name"] for c in inspect(log.engine).get_columns("questions")}
    assert not {"ip", "client", "user_agent", "history"} & columns
    assert found["answer"] not in json.dumps([list(r) for r in stored.values()], default=str)


def test_stream_done_event_carries_the_id_that_is_logged(logged) -> None:
    service, server = logged
    done = None
    with httpx.stream(
        "POST", f"{server.url}/api/ask/stream", json={"question": FOUND_Q}, timeout=60
    ) as r:
        event_name = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                event_name = line[7:]
            elif line.startswith("data: ") and event_name == "done":
                done = json.loads(line[6:])
    assert done is not None and len(done["id"]) == 32
    assert service.question_log.flush()
    assert [
        q.id for q in service.question_log.questions_since(utcnow() - dt.timedelta(minutes=5))
    ] == [done["id"]]


def test_feedback_rejects_bad_input_with_422(live_server) -> None:
    url = f"{live_server.url}/api/feedback"
    good = {"id": "a" * 32, "rating": "down"}
    cases = [
        ({**good, "rating": "meh"}, "rating"),
        ({**good, "id": "not-an-id"}, "id"),
        ({**good, "comment": "x" * 1001}, "comment"),
        ({**good, "extra": 1}, "extra"),
        ({"rating": "up"}, "id"),
    ]
    for body, word in cases:
        r = httpx.post(url, json=body, timeout=10)
        assert r.status_code == 422 and word in r.json()["detail"], (body, r.text)
    assert httpx.post(url, json={**good, "comment": "x" * 1000}, timeout=10).status_code == 202


def test_old_rows_are_pruned(log_url: str) -> None:
    log = QuestionLog(
        log_url, retention_days=0
    )  # 0: keeps everything, so the rows can be written first
    now = utcnow()
    ages = [1, 30, 89, 91, 400]
    for i, days in enumerate(ages):
        log.record(
            QuestionRecord(
                id=f"{i:032x}",
                asked_at=now - dt.timedelta(days=days),
                question=f"question {days} days old",
                follow_up=False,
                found=False,
                best_score=0.1,
                cited_docs=[],
                language="en",
                index_version="v1",
            )
        )
        log.feedback(
            FeedbackRecord(
                answer_id=f"{i:032x}",
                given_at=now - dt.timedelta(days=days),
                rating="down",
                comment=None,
            )
        )
    assert log.flush()
    assert log.counts() == {"questions": 5, "feedback": 5}
    log.close()
    # A server started with the default retention prunes at once, in its writer thread.
    pruning = QuestionLog(log_url, retention_days=90)
    deadline = time.time() + 30
    while pruning.stats.pruned < 4 and time.time() < deadline:
        time.sleep(0.05)
    assert pruning.stats.pruned == 4  # two questions and their two votes are past 90 days
    left = pruning.questions_since(now - dt.timedelta(days=1000))
    assert sorted(q.question for q in left) == [
        "question 1 days old",
        "question 30 days old",
        "question 89 days old",
    ]
    assert pruning.counts() == {"questions": 3, "feedback": 3}
    assert (
        pruning.prune(now + dt.timedelta(days=61)) == 4
    )  # later, the 30- and 89-day-old ones go too
    pruning.close()


def test_off_switch_logs_nothing(
    small_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    db = tmp_path / "off.sqlite3"
    settings = small_settings.model_copy(
        update={"log_questions": False, "log_db": str(db), "admin_token": SecretStr("t" * 16)}
    )
    assert QuestionLog.from_settings(settings) is None
    service = QAService(settings, embedder, question_log=QuestionLog.from_settings(settings))
    with LiveServer(settings, service) as server:
        resp = ask(server, FOUND_Q)
        r = httpx.post(
            f"{server.url}/api/feedback", json={"id": resp["id"], "rating": "up"}, timeout=10
        )
        assert r.status_code == 202 and r.json() == {"status": "not_recorded"}
        gaps = httpx.get(
            f"{server.url}/api/admin/gaps",
            headers={"Authorization": "Bearer " + "t" * 16},
            timeout=30,
        )
        assert gaps.status_code == 404 and "QA_LOG_QUESTIONS" in gaps.json()["detail"]
    assert not db.exists() and not list(tmp_path.glob("*.sqlite3*"))


def test_schema_is_versioned_and_migrated_once(log_url: str) -> None:
    log = QuestionLog(log_url, start=False)
    log.ensure_schema()
    assert migrate(log.engine) == SCHEMA_VERSION  # already there: nothing to do
    with log.engine.begin() as conn:
        assert [r.version for r in conn.execute(select(schema_version))] == list(
            range(1, SCHEMA_VERSION + 1)
        )
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION + 1))
    with pytest.raises(RuntimeError, match="newer than this qa-service"):
        migrate(log.engine)
    log.close()


def _timed_asks(server: LiveServer, n: int) -> list[float]:
    took = []
    for i in range(n):
        t0 = time.perf_counter()
        body = ask(server, FOUND_Q if i % 2 else DECLINED_Q)
        took.append(time.perf_counter() - t0)
        assert body["answer"]
    return took


def test_locked_sqlite_never_delays_or_fails_an_answer(
    small_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    db = tmp_path / "locked.sqlite3"
    settings = small_settings.model_copy(update={"log_db": str(db)})
    log = QuestionLog.from_settings(settings)
    assert log is not None
    log.ensure_schema()
    service = QAService(settings, embedder, question_log=log)
    with LiveServer(settings, service) as server:
        locker = sqlite3.connect(db, timeout=0)
        locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        try:
            took = _timed_asks(server, 6)
            time.sleep(
                SQLITE_BUSY_MS / 1000 + 0.5
            )  # the writer gives up on the first batch meanwhile
        finally:
            locker.rollback()
            locker.close()
        # Every answer went out at answer speed, though the writer waits up to 2 s on the lock.
        assert max(took) < SQLITE_BUSY_MS / 1000, took
        assert log.flush(30)
        assert (
            log.stats.errors >= 1
            and log.stats.dropped >= 1
            and "locked" in (log.stats.last_error or "")
        )
        metrics = httpx.get(f"{server.url}/metrics").text
        assert (
            "qa_question_log_errors_total" in metrics and "qa_question_log_dropped_total" in metrics
        )
        # Once the lock is gone, questions are logged again.
        before = log.counts()["questions"]
        ask(server, FOUND_Q)
        assert log.flush()
        assert log.counts()["questions"] == before + 1
    service.close()


def _read_only_url(kind: str, tmp_path: Path, postgres_fixture) -> str:
    if kind == "sqlite":
        db = tmp_path / "ro.sqlite3"
        QuestionLog(database_url(str(db), tmp_path), start=False).ensure_schema()
        return f"sqlite:///file:{db}?mode=ro&uri=true"
    url = postgres_fixture.create_database("qa_ro")
    QuestionLog(database_url(url, tmp_path), start=False).ensure_schema()
    name = url.rsplit("/", 1)[1]
    postgres_fixture.execute(url, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    return database_url(url, tmp_path)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_read_only_database_is_counted_and_answers_go_out(
    kind: str,
    small_settings: Settings,
    embedder: Embedder,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    pg = request.getfixturevalue("postgres") if kind == "postgresql" else None
    url = _read_only_url(kind, tmp_path, pg)
    settings = small_settings.model_copy(update={"log_db": url})
    log = QuestionLog.from_settings(settings)
    assert log is not None
    service = QAService(settings, embedder, question_log=log)
    with LiveServer(settings, service) as server:
        took = _timed_asks(server, 4)
        r = httpx.post(
            f"{server.url}/api/feedback", json={"id": "b" * 32, "rating": "down"}, timeout=10
        )
        assert r.status_code == 202
        assert log.flush(30)
    service.close()
    assert max(took) < 2.0, took
    assert log.stats.written == 0 and log.stats.dropped == 5 and log.stats.errors >= 1
    assert "read-only" in (log.stats.last_error or "").replace("readonly", "read-only")


def test_full_database_is_counted_and_answers_go_out(
    small_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    """SQLite's page limit fails writes with the SQLITE_FULL error ("database or disk is full") a full disk gives."""
    db = tmp_path / "full.sqlite3"
    settings = small_settings.model_copy(update={"log_db": str(db)})
    full = QuestionLog(database_url(str(db), tmp_path), start=False)
    full.ensure_schema()
    conn = sqlite3.connect(db)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    full.engine.dispose()

    def no_room(conn: sqlite3.Connection, _record: object) -> None:
        """From here on no connection may grow the file (a rollback journal, so the limit holds at each commit)."""
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute(f"PRAGMA max_page_count={pages}")

    event.listen(full.engine, "connect", no_room)
    full.start()
    service = QAService(settings, embedder, question_log=full)
    with LiveServer(settings, service) as server:
        # Long questions fill the free room of the table's pages in a few rows.
        for i in range(20):
            assert ask(server, f"{FOUND_Q} {'padding ' * 110}{i}")["answer"]
            assert full.flush(30)
            if full.stats.errors:
                break
    service.close()
    assert full.stats.errors >= 1 and full.stats.dropped >= 1
    assert "full" in (full.stats.last_error or "")


def test_voted_down_answers_are_gaps_until_voted_up(logged) -> None:
    service, server = logged
    auth = {"Authorization": "Bearer gaps-token-123"}
    url = f"{server.url}/api/admin/gaps"
    assert httpx.get(url, headers={"Authorization": "Bearer wrong"}, timeout=30).status_code == 401
    good = ask(server, "Who signed the Trade Integration Agreement?")
    ask(server, FOUND_Q)  # answered and never voted on: not a gap
    assert good["found"]
    fb = {"id": good["id"], "rating": "down", "comment": "I wanted the date too"}
    assert httpx.post(f"{server.url}/api/feedback", json=fb, timeout=10).status_code == 202
    assert service.question_log.flush()
    report = httpx.get(url, params={"since": "1h"}, headers=auth, timeout=60).json()
    assert report["questions"] == 1
    [c] = report["clusters"]
    assert c["count"] == 1 and c["thumbs_down"] == 1 and c["declined"] == 0
    assert c["examples"] == ["Who signed the Trade Integration Agreement?"]
    assert (
        c["comments"] == ["I wanted the date too"]
        and c["nearest"][0]["doc_id"] == "trade-agreement"
    )
    # The reader's latest vote counts.
    assert (
        httpx.post(
            f"{server.url}/api/feedback", json={"id": good["id"], "rating": "up"}, timeout=10
        ).status_code
        == 202
    )
    assert service.question_log.flush()
    assert httpx.get(url, params={"since": "1h"}, headers=auth, timeout=60).json()["questions"] == 0


def test_gaps_endpoint_is_off_without_an_admin_token(live_server) -> None:
    r = httpx.get(
        f"{live_server.url}/api/admin/gaps", headers={"Authorization": "Bearer x"}, timeout=10
    )
    assert r.status_code == 404 and "QA_ADMIN_TOKEN" in r.json()["detail"]


def test_unreachable_database_never_fails_an_answer(
    small_settings: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    """A PostgreSQL URL nobody listens on: answers go out, the rows are counted as dropped."""
    from tests.conftest import free_port

    url = database_url(f"postgresql://qa@127.0.0.1:{free_port()}/nowhere", tmp_path)
    settings = small_settings.model_copy(update={"log_db": url})
    log = QuestionLog.from_settings(settings)
    service = QAService(settings, embedder, question_log=log)
    with LiveServer(settings, service) as server:
        took = _timed_asks(server, 3)
        assert log is not None and log.flush(60)
    service.close()
    assert (
        max(took) < 2.0
        and log.stats.written == 0
        and log.stats.dropped == 3
        and log.stats.errors >= 1
    )


def test_database_setting_forms(tmp_path: Path) -> None:
    assert database_url(None, tmp_path) == f"sqlite:///{tmp_path.resolve()}/questions.sqlite3"
    assert database_url("logs/q.db", tmp_path) == f"sqlite:///{Path('logs/q.db').resolve()}"
    assert (
        database_url("postgresql://qa:pw@db.internal:5433/log", tmp_path)
        == "postgresql+psycopg://qa:pw@db.internal:5433/log"
    )
    assert database_url("sqlite:////var/q.db", tmp_path) == "sqlite:////var/q.db"
    for bad in ("mysql://u@h/db", "postgresql://u@h:notaport/db"):
        with pytest.raises(ValueError, match="QA_LOG_DB"):
            database_url(bad, tmp_path)


def test_replicas_opening_a_new_log_together_create_it_once(log_url: str) -> None:
    """Four engines (as four replicas would) migrate one empty database at the same moment."""
    import threading

    logs = [QuestionLog(log_url, start=False) for _ in range(4)]
    errors: list[BaseException] = []
    gate = threading.Barrier(len(logs))

    def open_it(log: QuestionLog) -> None:
        gate.wait()
        try:
            log.ensure_schema()
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=open_it, args=(log,)) for log in logs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    with logs[0].engine.connect() as conn:
        assert [r.version for r in conn.execute(select(schema_version))] == list(
            range(1, SCHEMA_VERSION + 1)
        )
    for log in logs:
        log.close()


def test_feedback_is_rate_limited_like_questions(
    small_settings: Settings, small_service: QAService
) -> None:
    settings = small_settings.model_copy(update={"rate_limit_per_minute": 3})
    with LiveServer(settings, small_service) as server:
        codes = [
            httpx.post(
                f"{server.url}/api/feedback", json={"id": "c" * 32, "rating": "up"}, timeout=10
            ).status_code
            for _ in range(4)
        ]
        asked = httpx.post(f"{server.url}/api/ask", json={"question": FOUND_Q}, timeout=30)
    assert (
        codes == [202, 202, 202, 429] and asked.status_code == 429
    )  # one budget per client for both
