"""Micro-batching: questions that arrive while the model is busy share its next call.

One worker thread owns the model call. It never waits for a batch to fill: a lone
question is encoded at once (latency stays that of one model call plus a thread hop),
and questions that queue up during a call are taken together by the next one. On a CPU,
a forward pass over 8 short questions costs far less than 8 passes over one, so under
concurrent load the throughput rises with the queue instead of serialising on a lock.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")


class BatcherClosedError(RuntimeError):
    """The batcher was closed; no more items are taken."""


class MicroBatcher(Generic[T]):
    """Runs `fn(items) -> rows` over whatever items are queued, `max_batch` at most per call."""

    def __init__(
        self,
        fn: Callable[[Sequence[T]], np.ndarray],
        max_batch: int = 32,
        name: str = "micro-batcher",
    ) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be at least 1, got {max_batch}")
        self._fn = fn
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[tuple[T, Future[np.ndarray]] | None] = queue.SimpleQueue()
        self._closed = False
        self.calls = 0  # model calls made (for tests and benchmarks)
        self.items = 0  # items encoded
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, item: T) -> Future[np.ndarray]:
        """A future for this item's row."""
        if self._closed:
            raise BatcherClosedError("the batcher is closed")
        fut: Future[np.ndarray] = Future()
        self._queue.put((item, fut))
        return fut

    def __call__(self, item: T, timeout: float | None = None) -> np.ndarray:
        """The row for one item; blocks the calling thread (not the event loop: routes run in threads)."""
        return self.submit(item).result(timeout)

    def close(self) -> None:
        """Stop taking items; queued ones are still answered."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join(timeout=30)

    def _take(self) -> tuple[list[tuple[T, Future[np.ndarray]]], bool]:
        """Block for the first item, then take whatever else is already queued."""
        first = self._queue.get()
        if first is None:
            return [], True
        batch = [first]
        stop = False
        while len(batch) < self._max_batch:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt is None:
                stop = True
                break
            batch.append(nxt)
        return batch, stop

    def _run(self) -> None:
        while True:
            batch, stop = self._take()
            live = [(item, fut) for item, fut in batch if fut.set_running_or_notify_cancel()]
            if live:
                try:
                    rows = self._fn([item for item, _ in live])
                    if len(rows) != len(live):
                        raise RuntimeError(
                            f"batch function returned {len(rows)} rows for {len(live)} items"
                        )
                except BaseException as e:
                    for _, fut in live:
                        fut.set_exception(e)
                else:
                    self.calls += 1
                    self.items += len(live)
                    for (_, fut), r in zip(live, rows, strict=False):
                        fut.set_result(r)
            if stop:
                return
