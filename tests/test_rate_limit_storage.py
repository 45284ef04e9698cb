"""QA_RATE_LIMIT_STORAGE: counts kept per process by default, shared through a real Redis when asked."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
from pydantic import ValidationError

from qa_service.config import Settings
from qa_service.request_limits import RateLimiter
from tests.conftest import free_port


@pytest.mark.fast
@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "redis://", "memory://x", ""])
def test_an_unknown_store_is_refused_naming_the_setting(url: str) -> None:
    with pytest.raises(ValidationError, match="rate_limit_storage"):
        Settings(rate_limit_storage=url)


@pytest.mark.fast
def test_memory_counts_are_per_process() -> None:
    a, b = RateLimiter(3), RateLimiter(3)
    assert [a.hit("c") for _ in range(3)] == [None] * 3
    assert a.hit("c") is not None  # over the limit here
    assert b.hit("c") is None  # another process (replica) knows nothing of it


@pytest.fixture()
def redis_url() -> Iterator[str]:
    if not shutil.which("redis-server"):
        pytest.skip("needs Debian's redis-server (make deploy-deps installs it)")
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    import redis

    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_redis_counts_are_shared_between_replicas(redis_url: str) -> None:
    a, b = RateLimiter(4, redis_url), RateLimiter(4, redis_url)
    assert [(a if i % 2 else b).hit("client") for i in range(4)] == [None] * 4
    wait = b.hit("client")
    assert wait is not None and 1 <= wait <= 60  # the fifth is refused wherever it lands
    assert a.waiting("client") is not None
    assert a.hit("someone-else") is None
    admin = RateLimiter(4, redis_url, namespace="admin-auth")
    assert admin.hit("client") is None  # another limit's counts are its own


def test_a_store_that_is_down_lets_requests_through() -> None:
    down = RateLimiter(1, f"redis://127.0.0.1:{free_port()}/0")
    assert down.hit("client") is None and down.hit("client") is None
