"""The question log's database: its tables, their migrations, and the engine for a URL.

A SQLite file beside the index by default, or PostgreSQL when `QA_LOG_DB` is a
`postgresql://` URL so replicas share one log; the schema is versioned in a
`schema_version` table and migrated forward on open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_FILE = "questions.sqlite3"
SQLITE_BUSY_MS = 2000  # how long the writer waits on a locked database (SQLite file, PostgreSQL table) before counting an error
_MIGRATION_LOCK = (
    7_311_001  # PostgreSQL advisory lock id: replicas starting together migrate one at a time
)

metadata = MetaData()
questions = Table(
    "questions",
    metadata,
    Column("id", String(32), primary_key=True, comment="the AskResponse id (uuid4 hex)"),
    Column("asked_at", DateTime(timezone=True), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("follow_up", Boolean, nullable=False),
    Column("found", Boolean, nullable=False, index=True),
    Column(
        "best_score",
        Float,
        nullable=True,
        comment="cosine of the question and the best retrieved passage",
    ),
    Column("cited_docs", JSON, nullable=False),
    Column("language", String(8), nullable=True),
    Column("index_version", String(64), nullable=False),
)
# Feedback has its own table: it may arrive before the writer has stored the question, or
# for an answer another replica gave (its question is in that replica's log, or in the shared one).
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("answer_id", String(32), nullable=False, index=True),
    Column("given_at", DateTime(timezone=True), nullable=False, index=True),
    Column("rating", String(4), nullable=False),
    Column("comment", Text, nullable=True),
)
schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[questions, feedback], checkfirst=True)


# Each step moves the schema one version forward; append new steps, never edit old ones.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def database_url(configured: str | None, index_dir: Path) -> str:
    """The SQLAlchemy URL for `QA_LOG_DB`: a URL as given (postgresql:// gets psycopg 3), a path, or the default file."""
    if not configured:
        path = Path(index_dir) / DEFAULT_FILE
    elif "://" in configured:
        try:
            url = make_url(configured)
        except (ArgumentError, ValueError):
            raise ValueError(
                "QA_LOG_DB is not a valid database URL; use a file path, sqlite:///PATH or postgresql://USER@HOST/DB"
            ) from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        elif not url.drivername.startswith(("postgresql", "sqlite")):
            raise ValueError(
                f"QA_LOG_DB: unsupported database {url.drivername!r}; use a file path, sqlite:/// or postgresql://"
            )
        return url.render_as_string(hide_password=False)
    else:
        path = Path(configured)
    return f"sqlite:///{path.expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL, so `qa-service gaps` reads while the server writes; a short busy wait on a lock."""
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
    except Exception:
        pass
    finally:
        cur.close()


def make_engine(url: str) -> Engine:
    """An engine for the log; SQLite files get their folder created and WAL turned on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if (
            parsed.database
            and parsed.database != ":memory:"
            and not parsed.database.startswith("file:")
        ):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A locked table or a slow server fails the write after a few seconds (counted) instead of stalling the writer.
    options = f"-c lock_timeout={SQLITE_BUSY_MS} -c statement_timeout={4 * SQLITE_BUSY_MS}"
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=2,
        connect_args={"connect_timeout": 5, "options": options},
    )


def migrate(engine: Engine) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before.

    One transaction that holds the database's write lock from its start (SQLite's BEGIN
    IMMEDIATE, a PostgreSQL advisory lock), so two processes opening a new log at once
    create it once.
    """
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "BEGIN IMMEDIATE"
            )  # pysqlite would otherwise run the DDL outside any transaction
        elif engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
        metadata.create_all(conn, tables=[schema_version], checkfirst=True)
        found = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
        if found > SCHEMA_VERSION:
            raise RuntimeError(
                f"the question log's schema is version {found}, newer than this qa-service knows ({SCHEMA_VERSION})"
            )
        for version in range(found + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version - 1](conn)
            conn.execute(insert(schema_version).values(version=version))
        return found
