"""`qa-service serve --workers 2`, for real: gunicorn's master, two forked workers, the real model.

Every worker keeps the server's own protocol limits, one of them keeps the builder, a
reindex asked of any worker is published once and every worker swaps to it within a
few seconds, and stopping the master leaves no process behind.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.conftest import SMALL_CORPUS, document, free_port, write_corpus

pytestmark = pytest.mark.timeout(400)
TOKEN = "workers-test-token"
NEW_DOC = document(
    "The Cusco cooking exchange",
    "2026-02-01",
    "culture",
    [("Example source on the exchange", "https://example.org/cooking")],
    "Cooks from Puebla and Cusco began a cooking exchange on 2 February 2026.",
)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, subprocess.Popen[bytes]]]:
    tmp = tmp_path_factory.mktemp("workers")
    corpus = write_corpus(tmp / "corpus", SMALL_CORPUS)
    port = free_port()
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "QA_CORPUS_DIR": str(corpus),
        "QA_INDEX_DIR": str(tmp / "index"),
        "QA_ADMIN_TOKEN": TOKEN,
        "QA_REQUEST_LOG": "false",
        "QA_MAX_HEADER_BYTES": "4096",
    }
    cmd = [sys.executable, "-m", "qa_service.cli", "serve", "--port", str(port), "--workers", "2"]
    log = open(tmp / "serve.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        assert proc.poll() is None, (tmp / "serve.log").read_text()
        assert time.monotonic() < deadline, "the server did not come up"
        try:
            httpx.get(f"{url}/api/health", timeout=5).raise_for_status()
            break
        except httpx.HTTPError:
            time.sleep(0.5)
    yield url, corpus, proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _workers(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    return [
        c
        for c in psutil.Process(proc.pid).children()
        if "build_worker" not in " ".join(c.cmdline())
    ]


def _versions(url: str, n: int = 16) -> set[str]:
    """index_version from `n` fresh connections, which the kernel spreads over the workers."""
    seen = set()
    for _ in range(n):
        with httpx.Client() as c:
            seen.add(c.get(f"{url}/api/health", timeout=10).json()["index_version"])
    return seen


def test_every_worker_keeps_the_protocol_limits(
    served: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    url, _, proc = served
    deadline = time.monotonic() + 30  # gunicorn forks workers after the first one answers
    while len(_workers(proc)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_workers(proc)) == 2
    port = int(url.rsplit(":", 1)[1])
    for _ in range(6):  # fresh connections: both workers answer some of them
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 16000)
            head = b""  # the header never ends: the guarded protocol refuses it at 4 KB
            while piece := s.recv(4096):
                head += piece
        assert head.startswith(b"HTTP/1.1 431") and b"QA_MAX_HEADER_BYTES" in head, head


def test_a_reindex_reaches_every_worker(served: tuple[str, Path, subprocess.Popen[bytes]]) -> None:
    url, corpus, proc = served
    (old,) = _versions(url)
    (corpus / "cooking-exchange.md").write_text(textwrap.dedent(NEW_DOC))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for _ in range(2):  # two asks, likely to different workers: still one build
        assert httpx.post(f"{url}/api/admin/reindex", headers=auth, timeout=10).status_code in (
            200,
            202,
        )
    index_dir = corpus.parent / "index"
    deadline = time.monotonic() + 180
    while (index_dir / "CURRENT").read_text().strip() == old:
        assert time.monotonic() < deadline, "no version was published"
        time.sleep(0.3)
    published, new = time.monotonic(), (index_dir / "CURRENT").read_text().strip()
    while _versions(url) != {new}:
        assert time.monotonic() - published < 10, "workers still on the old version"
    assert time.monotonic() - published < 10
    r = httpx.post(
        f"{url}/api/ask",
        json={"question": "When did the Cusco cooking exchange begin?"},
        timeout=60,
    )
    assert "cooking-exchange" in {c["doc_id"] for c in r.json()["citations"]}
    builders = [
        c
        for c in psutil.Process(proc.pid).children(recursive=True)
        if "build_worker" in " ".join(c.cmdline())
    ]
    assert len(builders) == 1, builders  # one standby builder for all the workers


def test_stopping_the_master_ends_every_process(
    served: tuple[str, Path, subprocess.Popen[bytes]],
) -> None:
    _, _, proc = served
    family = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    _gone, alive = psutil.wait_procs(family, timeout=15)
    assert alive == [], [json.dumps(p.cmdline()) for p in alive]
