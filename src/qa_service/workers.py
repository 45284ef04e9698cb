"""`qa-service serve --workers N`: gunicorn's pre-fork master running uvicorn workers.

The master loads the model once and forks; the workers share its weights copy-on-write
and memory-map the index's vectors, so a second worker costs a fraction of the first.
Each worker keeps the server's own limits (`server.guarded_protocol`), follows
index/CURRENT, and only one process per index folder keeps the standby builder: the one
holding `index/.builder.lock`. Other workers hand a reindex to it through a request file.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication
from uvicorn_worker import UvicornWorker

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.service import QAService

log = logging.getLogger("qa_service.workers")
# Swaps are reported on the corpus watcher's logger, which `serve --watch` always shows.
swap_log = logging.getLogger("qa_service.watch")

# How often a process checks index/CURRENT and the reindex request file: one small read a
# second; issue 15 asks for every worker on a new version "within a few seconds".
FOLLOW_SECONDS = 1.0
LOCK_NAME = ".builder.lock"
REQUEST_NAME = ".reindex-requested"


def thread_share(workers: int, cores: int | None = None) -> int:
    """Each worker's share of the cores, so N workers' math kernels do not oversubscribe them."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // workers)


def limit_threads(threads: int) -> None:
    """Cap the intra-op threads of torch and FAISS's OpenMP in this process (a worker's share).

    Measured (benchmarks/results/workers.json, issue 15): with every worker running as many
    threads as cores, 2 workers at concurrency 8 were no faster than 1 worker.
    """
    torch = sys.modules.get("torch")  # only the torch backends load it; never import it here
    if torch is not None:
        torch.set_num_threads(threads)
    with contextlib.suppress(ImportError, AttributeError):
        import faiss

        faiss.omp_set_num_threads(threads)


def claim_builder(index_dir: Path) -> int | None:
    """Take the folder's builder lock (held until this process ends); None when another has it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def leave_request(index_dir: Path, full: bool) -> None:
    """Ask the builder-holding process for a reindex (a full one stays full until taken)."""
    path = index_dir / REQUEST_NAME
    with contextlib.suppress(OSError):
        full = full or path.read_text(encoding="utf-8").strip() == "full"
    tmp = index_dir / f".{REQUEST_NAME}.{os.getpid()}.tmp"
    tmp.write_text("full" if full else "incremental", encoding="utf-8")
    os.replace(tmp, path)


def take_request(index_dir: Path) -> bool | None:
    """The pending reindex request (True: full), removed; None when there is none."""
    path = index_dir / REQUEST_NAME
    try:
        kind = path.read_text(encoding="utf-8").strip()
        path.unlink()
    except OSError:
        return None
    return kind == "full"


class Follower:
    """A daemon thread: swap in the version index/CURRENT names; as builder, take reindex requests."""

    def __init__(self, service: QAService, builder: bool, period: float = FOLLOW_SECONDS) -> None:
        self.service = service
        self.builder = builder
        self.period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="follow-current", daemon=True)

    def start(self) -> Follower:
        """Start following (returns self, for chaining)."""
        self._thread.start()
        return self

    def _run(self) -> None:
        index_dir = self.service.settings.index_dir
        while not self._stop.wait(self.period):
            try:
                if self.builder and (full := take_request(index_dir)) is not None:
                    self.service.request_rebuild(full)
                before = self.service.state.data.version
                if (after := self.service.reload()) != before:
                    # the same line the corpus watcher writes: whichever swaps first says so
                    swap_log.info(
                        "index %s built elsewhere: now serving it (was %s)", after, before
                    )
            except Exception as e:  # a half-written or broken version: keep serving this one
                log.warning("index/CURRENT not followed this time: %s", e)

    def stop(self) -> None:
        """Stop following (the thread ends within one period)."""
        self._stop.set()


def attach(service: QAService, watch: bool) -> Follower:
    """Make `service` follow CURRENT, and either keep the standby builder or delegate reindexes to it."""
    settings = service.settings
    builder = claim_builder(settings.index_dir) is not None
    if builder:
        if watch:
            from qa_service.watch import start_watcher

            start_watcher(service)
        if watch or settings.admin_token is not None:
            service.standby.start()  # loads its model in the background, so a reindex need not
    else:
        service.delegate = lambda full: leave_request(settings.index_dir, full)
    return Follower(service, builder).start()


def _worker_class(settings: Settings, app: Any) -> type[UvicornWorker]:
    """uvicorn's gunicorn worker with the server's own config (limits, proxies, guarded protocol)."""
    from qa_service.server import uvicorn_config

    class QAWorker(UvicornWorker):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.config = uvicorn_config(
                app,
                settings,
                log_config=None,
                access_log=False,
                timeout_notify=self.timeout,
                callback_notify=self.callback_notify,
            )

    return QAWorker


class _Master(BaseApplication):  # type: ignore[misc]
    """gunicorn run from Python: options set here, the app already built (preloaded)."""

    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self.app, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        """Hand the CLI's options to gunicorn's configuration."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        """The app each worker serves, built from the master's loaded service."""
        return self.app


def serve_workers(
    settings: Settings, embedder: Embedder, host: str, port: int, workers: int, watch: bool
) -> None:
    """Run `workers` forked processes on host:port until SIGTERM/SIGINT (gunicorn's master)."""
    from qa_service.api import create_app
    from qa_service.question_log import QuestionLog

    app = create_app(settings, None)
    services: list[QAService] = []
    # The index is read here, in the master, so every worker shares its pages until a swap
    # (no model call: OpenMP is not fork-safe); its question log and threads start per worker.
    preloaded = QAService(settings, embedder)
    threads = thread_share(workers)

    def pre_fork(server: Any, worker: Any) -> None:
        # The master's objects go to a generation the collector never scans, so a worker's
        # collections do not write to (and so copy) the pages it shares with the master.
        gc.collect()
        gc.freeze()

    def post_fork(server: Any, worker: Any) -> None:
        limit_threads(threads)
        service = preloaded
        service.question_log = QuestionLog.from_settings(settings)
        service.reload()  # a worker forked after a swap starts on the version in service
        app.state.service = service
        services.append(service)
        attach(service, watch)

    def worker_exit(server: Any, worker: Any) -> None:
        for service in services:
            service.close()

    def on_exit(server: Any) -> None:
        # The workers have closed their services; tearing down the master's interpreter
        # (the model's tensors and modules) took over 30 s on a loaded machine: skip it.
        logging.shutdown()
        os._exit(0)

    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    _Master(
        app,
        {
            "bind": [bind],
            "workers": workers,
            "worker_class": _worker_class(settings, app),
            "pre_fork": pre_fork,
            "post_fork": post_fork,
            "worker_exit": worker_exit,
            "on_exit": on_exit,
            # A busy worker answers in its thread pool, its event loop still beats; 120 s
            # only ends a worker that is truly stuck (gunicorn's 30 s default is a cold start).
            "timeout": 120,
            "graceful_timeout": 10,
            "keepalive": settings.keep_alive_seconds,
            "accesslog": None,
            "proc_name": "qa-service",
            "control_socket_disable": True,  # no ~/.gunicorn socket shared by every server on the machine
        },
    ).run()
