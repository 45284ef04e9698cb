"""What `qa-service serve` does before and while it serves: checks, the start-up build, the server.

What is quick to check comes first (the port, the corpus, the index), and only then the
model loads, so a mistake is reported in seconds. One worker runs uvicorn in this
process; more run under gunicorn's master (workers.py), forked after the model loads.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

from qa_service.config import Settings

Warn = Callable[[str], None]


class StartupError(RuntimeError):
    """`serve` cannot start; the message says what to do (the CLI prints it and exits 1)."""


def check_index(settings: Settings, warn: Warn) -> bool:
    """Is a build needed first? Raises StartupError for a broken index or an unusable corpus."""
    from qa_service.corpus import CorpusError
    from qa_service.embedding import ModelNotFoundError, resolve_model_path
    from qa_service.index import IndexUnavailableError, current_path, load_index, plan_build

    try:
        _, model_name = resolve_model_path(settings.embedding_model)
    except ModelNotFoundError as e:
        raise StartupError(str(e)) from None
    have_index = current_path(settings.index_dir) is not None
    try:
        r = plan_build(settings, model_name)[0].report
        stale = r.full or bool(r.added or r.changed or r.removed)
    except CorpusError as e:
        if not have_index:
            raise StartupError(str(e)) from None
        warn(f"warning: {e}; serving the last good index")
        stale = False
    if not stale:
        try:
            load_index(settings.index_dir)  # a broken index is named now, before the model loads
        except IndexUnavailableError as e:
            raise StartupError(str(e)) from None
    return stale


def startup_build(settings: Settings, build: Callable[[], str], warn: Warn) -> None:
    """Run the start-up build; without any index its failure is fatal, else the last good one serves."""
    from qa_service.building import RebuildError
    from qa_service.corpus import CorpusError
    from qa_service.index import BuildLockedError, BuildWriteError, current_path

    try:
        warn(build())
    except (CorpusError, BuildLockedError, BuildWriteError, RebuildError) as e:
        if current_path(settings.index_dir) is None:
            raise StartupError(str(e)) from None
        warn(f"warning: {e}; serving the last good index")


def run(
    settings: Settings, sock: socket.socket, workers: int, watch: bool, say: Warn, warn: Warn
) -> None:
    """Build if stale, load the model and serve on `sock` until stopped."""
    from qa_service.building import build_in_child
    from qa_service.embedding import Embedder
    from qa_service.index import IndexUnavailableError, build_index
    from qa_service.question_log import QuestionLog
    from qa_service.service import QAService

    stale = check_index(settings, warn)
    if (
        stale and workers > 1
    ):  # no model work in the master before it forks (OpenMP is not fork-safe)
        startup_build(settings, lambda: build_in_child(settings, nice=0).summary(), warn)
    embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
    if stale and workers == 1:
        startup_build(settings, lambda: build_index(settings, embedder).summary(), warn)
    host, port = sock.getsockname()[:2]
    if workers > 1:
        from qa_service.workers import serve_workers

        sock.close()  # gunicorn binds the same address itself, for its workers to share
        say(f"serving on http://{host}:{port} with {workers} workers")
        serve_workers(settings, embedder, host, port, workers, watch)
        return
    try:
        question_log = QuestionLog.from_settings(settings)
        service = QAService(settings, embedder, question_log=question_log)
    except (ValueError, IndexUnavailableError) as e:
        raise StartupError(str(e)) from None
    _serve_one(settings, service, sock, watch, say)


def _serve_one(
    settings: Settings, service: object, sock: socket.socket, watch: bool, say: Warn
) -> None:
    """uvicorn in this process, with the server's limits; the service follows index/CURRENT."""
    import uvicorn

    from qa_service.api import create_app
    from qa_service.server import uvicorn_config
    from qa_service.service import QAService
    from qa_service.workers import attach

    assert isinstance(service, QAService)
    follower = attach(service, watch)
    app_ = create_app(settings, service)
    host, port = sock.getsockname()[:2]
    say(f"serving index {service.state.data.version} on http://{host}:{port}")
    try:
        uvicorn.Server(
            uvicorn_config(app_, settings, host, port, log_level="info", access_log=False)
        ).run(sockets=[sock])
    finally:
        follower.stop()
        service.close()
