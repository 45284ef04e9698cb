"""`serve --watch`: rebuild and swap when corpus files change; reload when CURRENT changes.

watchfiles (Rust `notify`) reports changes; its `step` is the quiet time that debounces a
burst of saves into one rebuild. Changes made while a rebuild runs are kept by the
watcher and trigger the next one. A failed build is logged with the file and line and
the index in service stays. A version switched in by a separate `qa-service build` is
noticed through CURRENT and loaded.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import watchfiles
from watchfiles import Change

from qa_service.service import QAService

log = logging.getLogger("qa_service.watch")


def _ensure_handler() -> None:
    """Make the watcher's messages visible even when nothing configures logging.

    The fallback handler stays silent once the app configures the root logger, so
    lines are never printed twice.
    """
    log.setLevel(logging.INFO)
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s qa_service.watch: %(message)s")
        )
        handler.addFilter(lambda record: not _handled_above())
        log.addHandler(handler)


def _handled_above() -> bool:
    """Does a parent logger (qa_service, root) have a handler of its own?"""
    parent = log.parent if log.propagate else None
    while parent is not None:
        if parent.handlers:
            return True
        parent = parent.parent if parent.propagate else None
    return False


class CorpusWatcher:
    """A daemon thread watching the corpus folder and the index's CURRENT file."""

    def __init__(self, service: QAService, debounce_ms: int | None = None) -> None:
        self.service = service
        self.corpus_dir = service.settings.corpus_dir.resolve()
        self.index_dir = service.settings.index_dir.resolve()
        self.current_file = self.index_dir / "CURRENT"
        self.step_ms = (
            debounce_ms if debounce_ms is not None else service.settings.watch_debounce_ms
        )
        self.rebuilds = 0
        self.reloads = 0
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="corpus-watcher")

    # ------------------------------------------------------------ what counts as a change

    def _is_corpus_file(self, path: Path) -> bool:
        return (
            path.suffix == ".md"
            and not path.name.startswith(".")
            and path.is_relative_to(self.corpus_dir)
        )

    def _filter(self, change: Change, raw: str) -> bool:
        path = Path(raw)
        return path == self.current_file or self._is_corpus_file(path)

    # ------------------------------------------------------------ lifecycle

    def start(self) -> CorpusWatcher:
        """Start watching the corpus folder; returns once the watcher is ready."""
        self._thread.start()
        self._ready.wait(timeout=10)
        return self

    def stop(self) -> None:
        """Stop watching and wait for the thread to end."""
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        paths = [self.corpus_dir, self.index_dir]
        log.info("watching %s (debounce %d ms)", self.corpus_dir, self.step_ms)
        for changes in watchfiles.watch(
            *paths,
            watch_filter=self._filter,
            step=self.step_ms,
            debounce=max(4 * self.step_ms, 1600),
            stop_event=self._stop,
            rust_timeout=500,
            yield_on_timeout=True,  # an empty batch every 0.5 s: proves the watch is in place
            raise_interrupt=False,
        ):
            self._ready.set()
            touched = sorted({Path(p) for _, p in changes if self._is_corpus_file(Path(p))})
            if touched:
                self._rebuild(touched)
            elif any(Path(p) == self.current_file for _, p in changes):
                self._reload()

    def _rebuild(self, touched: list[Path]) -> None:
        names = ", ".join(p.name for p in touched[:5]) + (" ..." if len(touched) > 5 else "")
        log.info("corpus changed (%s): rebuilding", names)
        try:
            self.service.rebuild()  # logs one line with its outcome
        except Exception as e:
            self.last_error = str(e)
            return
        self.rebuilds += 1
        self.last_error = None

    def _reload(self) -> None:
        before = self.service.state.data.version
        try:
            after = self.service.reload()
        except Exception as e:
            self.last_error = str(e)
            log.error(
                "CURRENT changed but the version cannot be loaded: %s; still serving %s", e, before
            )
            return
        if after != before:
            self.reloads += 1
            log.info("index %s built elsewhere: now serving it (was %s)", after, before)


def start_watcher(service: QAService, debounce_ms: int | None = None) -> CorpusWatcher:
    """Start watching in a daemon thread (what `qa-service serve --watch` calls)."""
    _ensure_handler()
    return CorpusWatcher(service, debounce_ms).start()
