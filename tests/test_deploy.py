"""The reference deployment, for real: nginx, Redis, one builder and two replicas with the real model.

A steady stream of questions goes through nginx while the corpus is edited and the
builder publishes a version, and while one replica is killed and restarted: no request
may fail, and every replica ends on the new version. Then one client goes over the
shared rate limit and gets 429 from both replicas.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import SMALL_CORPUS, document, write_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))
from stack import Stack

pytestmark = [
    pytest.mark.skipif(
        not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists())
        or not shutil.which("redis-server"),
        reason="needs Debian's nginx and redis-server (make deploy-deps installs them)",
    ),
    pytest.mark.timeout(420),
]

RATE = 20  # questions per client per minute in this stack: the probe below goes past it quickly
QUESTIONS = [
    "When was the Trade Integration Agreement signed?",
    "Why did Peru break off relations with Mexico in 2025?",
    "When did the Trade Integration Agreement enter into force?",
]
NEW_DOC = document(
    "The Lima friendship bridge",
    "2026-03-01",
    "culture",
    [("Example source on the bridge", "https://example.org/bridge")],
    "The Lima friendship bridge was opened by the mayors of Lima and Oaxaca on 14 March 2026.",
)


class Stream:
    """Questions through nginx at a steady pace from ten client addresses, every outcome kept."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.outcomes: list[tuple[int, str, str]] = []  # status, upstream, error
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(2)]

    def _run(self, worker: int) -> None:
        n = 0
        while not self._stop.is_set():
            source = f"127.0.0.{10 + (n * 2 + worker) % 10}"  # each address stays under RATE
            with httpx.Client(transport=httpx.HTTPTransport(local_address=source)) as c:
                try:
                    r = c.post(
                        f"{self.url}/api/ask",
                        json={"question": QUESTIONS[n % len(QUESTIONS)]},
                        timeout=90,
                    )
                    self.outcomes.append((r.status_code, r.headers.get("x-upstream", ""), ""))
                except httpx.HTTPError as e:
                    self.outcomes.append((0, "", repr(e)))
            n += 1
            self._stop.wait(1.0)

    def __enter__(self) -> Stream:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join()

    def failures(self) -> list[tuple[int, str, str]]:
        return [o for o in self.outcomes if o[0] != 200]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp_path = tmp_path_factory.mktemp("deploy")
    corpus = write_corpus(tmp_path / "corpus", SMALL_CORPUS)
    s = Stack(corpus, tmp_path / "index", tmp_path / "run", rate_per_minute=RATE)
    try:
        s.start()
        yield s
    finally:
        s.stop()


def _versions(stack: Stack) -> set[str]:
    return {str(stack.health(i)["index_version"]) for i in range(stack.replicas)}


def test_reindex_and_kill_under_a_steady_stream(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.port}"
    old = _versions(stack)
    assert len(old) == 1
    with Stream(url) as stream:
        time.sleep(5)
        (stack.corpus_dir / "friendship-bridge.md").write_text(textwrap.dedent(NEW_DOC))
        deadline = time.monotonic() + 120
        while (stack.index_dir / "CURRENT").read_text().strip() in old:
            assert time.monotonic() < deadline, "the builder published no new version"
            time.sleep(0.5)
        new = (stack.index_dir / "CURRENT").read_text().strip()
        while _versions(stack) != {new}:  # replicas follow CURRENT within a few seconds
            assert time.monotonic() < deadline, f"replicas on {_versions(stack)}, not {new}"
            time.sleep(0.5)
        time.sleep(3)
        stack.kill_replica(0)
        time.sleep(3)
        stack.start_replica(0)  # waits for its /api/health
        time.sleep(5)
    assert stream.failures() == [], stream.failures()
    assert len(stream.outcomes) >= 20
    assert _versions(stack) == {new}
    answered_by = {o[1] for o in stream.outcomes}
    assert len(answered_by) >= 2, answered_by  # both replicas took questions
    r = httpx.post(f"{url}/api/ask", json={"question": "Who opened the Lima friendship bridge?"})
    assert r.status_code == 200 and "friendship-bridge" in {
        c["doc_id"] for c in r.json()["citations"]
    }


def test_rate_limit_is_shared_by_the_replicas(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.port}/api/ask"
    statuses: list[tuple[int, str]] = []
    with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.99")) as c:
        for _ in range(RATE + 6):
            r = c.post(url, json={"question": QUESTIONS[0]}, timeout=90)
            statuses.append((r.status_code, r.headers.get("x-upstream", "")))
    ok = [s for s in statuses if s[0] == 200]
    refused = [s for s in statuses if s[0] == 429]
    # In-process counts would let RATE through each replica (2 x RATE); Redis lets RATE in all.
    assert len(ok) == RATE and len(refused) == 6, statuses
    assert len({u for _, u in refused}) == 2, refused  # 429 from whichever replica answers
    # Another client is not affected, and X-Forwarded-For sent by a client is not believed.
    other = httpx.post(
        url, json={"question": QUESTIONS[1]}, headers={"X-Forwarded-For": "127.0.0.99"}
    )
    assert other.status_code == 200
