"""The question micro-batcher: concurrent questions share model calls and each caller
gets its own row, equal to encoding it alone."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from qa_service.batching import BatcherClosedError, MicroBatcher


@pytest.mark.fast
def test_queued_items_share_one_call_and_keep_their_rows() -> None:
    gate, entered = threading.Event(), threading.Event()
    seen: list[list[int]] = []

    def fn(items):  # type: ignore[no-untyped-def]
        if not seen:
            entered.set()
            gate.wait(5)  # hold the first call so the rest queue up behind it
        seen.append(list(items))
        return np.array([[i * 10.0] for i in items])

    b: MicroBatcher[int] = MicroBatcher(fn, max_batch=8)
    first = b.submit(0)
    assert entered.wait(5)
    rest = [b.submit(i) for i in range(1, 6)]
    gate.set()
    assert first.result(5)[0] == 0.0
    assert [f.result(5)[0] for f in rest] == [10.0, 20.0, 30.0, 40.0, 50.0]
    assert seen == [[0], [1, 2, 3, 4, 5]]
    assert (b.calls, b.items) == (2, 6)
    b.close()
    with pytest.raises(BatcherClosedError):
        b.submit(9)


@pytest.mark.fast
def test_max_batch_is_respected() -> None:
    gate = threading.Event()
    sizes: list[int] = []

    def fn(items):  # type: ignore[no-untyped-def]
        gate.wait(5)
        sizes.append(len(items))
        return np.zeros((len(items), 1))

    b: MicroBatcher[int] = MicroBatcher(fn, max_batch=3)
    futs = [b.submit(i) for i in range(10)]
    gate.set()
    for f in futs:
        f.result(5)
    assert max(sizes) <= 3 and sum(sizes) == 10
    b.close()


@pytest.mark.fast
def test_an_error_reaches_every_caller_of_the_batch_and_the_batcher_survives() -> None:
    calls = {"n": 0}

    def fn(items):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("boom")
        return np.ones((len(items), 2))

    b: MicroBatcher[str] = MicroBatcher(fn)
    with pytest.raises(ValueError, match="boom"):
        b("x", timeout=5)
    assert b("y", timeout=5).tolist() == [1.0, 1.0]
    b.close()


def test_embedder_encode_query_matches_encode_under_concurrency(embedder) -> None:  # type: ignore[no-untyped-def]
    qs = [
        "When was the Trade Integration Agreement signed?",
        "Who founded APRA?",
        "Why did Peru break off relations with Mexico in 2025?",
        "How many products does the agreement cover?",
    ] * 4
    alone = embedder.encode(qs[:4])
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(embedder.encode_query, qs))
    for i, v in enumerate(got):
        assert v.shape == (embedder.dim,)
        assert (
            float(np.dot(v, alone[i % 4])) > 0.9999
        )  # padding in a shared batch must not change the vector
