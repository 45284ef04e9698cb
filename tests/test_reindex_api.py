"""Reindex while serving: POST /api/admin/reindex on a live server (token rules, requests
during the rebuild and swap, the new version in /api/health), and `qa-service serve
--watch` as a real process picking up corpus edits and versions built elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.index import build_index
from qa_service.service import QAService, _set_priority
from tests.conftest import LiveServer, ServeProcess, write_corpus
from tests.test_index_lifecycle import BAD_DOC, REAL_CORPUS, append_sentence

TOKEN = "test-admin-token-1234"
QUESTIONS = [
    "When was APRA founded?",
    "Who signed the Trade Integration Agreement?",
    "Why did Peru break relations in 2025?",
]


@pytest.fixture(scope="module")
def admin(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[tuple[Settings, QAService, LiveServer]]:
    root = tmp_path_factory.mktemp("reindex")
    settings = Settings(
        corpus_dir=write_corpus(root / "corpus"),
        index_dir=root / "index",
        rate_limit_per_minute=0,
        admin_token=TOKEN,
    )
    build_index(settings, embedder, progress=False)
    service = QAService(settings, embedder)
    with LiveServer(settings, service) as server:
        yield settings, service, server
    service.close()


def test_reindex_is_disabled_without_a_token(admin) -> None:
    settings, service, _ = admin
    no_token = settings.model_copy(update={"admin_token": None})
    with LiveServer(no_token, service) as server:
        r = httpx.post(
            f"{server.url}/api/admin/reindex",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
    assert r.status_code == 404 and "QA_ADMIN_TOKEN" in r.json()["detail"]


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong-token", f"Basic {TOKEN}", "Bearer", TOKEN, f"Bearer {TOKEN}x"]
)
def test_reindex_needs_the_right_bearer_token(admin, header: str | None) -> None:
    _, service, server = admin
    headers = {"Authorization": header} if header is not None else {}
    r = httpx.post(f"{server.url}/api/admin/reindex", headers=headers, timeout=10)
    assert r.status_code == 401 and r.headers.get("www-authenticate") == "Bearer"
    assert not service.rebuilding


def test_reindex_swaps_without_failing_requests(admin) -> None:
    settings, service, server = admin
    before = httpx.get(f"{server.url}/api/health", timeout=10).json()
    for p in sorted(REAL_CORPUS.glob("*.md"))[
        :4
    ]:  # enough new chunks that the rebuild takes a few seconds
        shutil.copy(p, settings.corpus_dir / p.name)

    results: list[tuple[int, float]] = []
    stop = threading.Event()

    def client(n: int) -> None:
        with httpx.Client(timeout=60) as c:
            i = n
            while not stop.is_set():
                t0 = time.perf_counter()
                try:
                    code = c.post(
                        f"{server.url}/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]}
                    ).status_code
                except httpx.HTTPError:
                    code = -1
                results.append((code, time.perf_counter() - t0))
                i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        r = httpx.post(f"{server.url}/api/admin/reindex", headers=auth, timeout=10)
        assert r.status_code == 202 and r.json() == {
            "status": "started",
            "index_version": before["index_version"],
        }
        again = httpx.post(f"{server.url}/api/admin/reindex", headers=auth, timeout=10)
        assert again.status_code == 202 and again.json()["status"] == "queued"
        during = len(results)
        deadline = time.time() + 180
        health = before
        while time.time() < deadline and health["index_version"] == before["index_version"]:
            time.sleep(0.2)
            health = httpx.get(f"{server.url}/api/health", timeout=10).json()
        time.sleep(1.0)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)

    assert health["index_version"] != before["index_version"], (
        f"no swap; last error: {service.last_error}"
    )
    assert health["documents"] == before["documents"] + 4 and health["chunks"] > before["chunks"]
    deadline = time.time() + 120
    while service.rebuilding and time.time() < deadline:  # the queued follow-up build
        time.sleep(0.2)
    assert not service.rebuilding and service.last_outcome is not None
    assert service.last_outcome.outcome == "up to date"  # the edits were all in the first build
    assert (
        service.last_report is not None and service.last_report.version == health["index_version"]
    )
    assert len(results) > during > 0  # requests were answered while the rebuild ran
    assert [code for code, _ in results if code != 200] == []


# ---------------------------------------------------------------- serve --watch, a real process


def test_the_standby_builder_is_reused_and_replaced_when_it_dies(admin) -> None:
    """Rebuilds go to one standby process with its model loaded; a dead standby is started again."""
    settings, service, _ = admin
    append_sentence(settings, "rupture-2025", "The standby builder test added this sentence.")
    first = service.rebuild()
    assert first.changed == ["rupture-2025"] and first.chunks_embedded > 0
    standby = service.standby.proc
    assert standby is not None and standby.poll() is None
    append_sentence(settings, "rupture-2025", "The standby builder test added a second sentence.")
    assert service.rebuild().changed == ["rupture-2025"]
    assert service.standby.proc is standby  # the same process, model already loaded
    standby.kill()
    standby.wait()
    append_sentence(settings, "rupture-2025", "The standby builder test added a third sentence.")
    third = service.rebuild()
    assert third.changed == ["rupture-2025"] and service.state.data.version == third.version
    assert service.standby.proc is not None and service.standby.proc.pid != standby.pid


def test_serve_watch_rebuilds_on_edit_and_reloads_builds_made_elsewhere(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = Settings(corpus_dir=write_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index")
    build_index(settings, embedder, progress=False)
    server = ServeProcess(settings, "--watch", env={"QA_WATCH_DEBOUNCE_MS": "300"})
    try:
        server.wait_for(lambda: server.health()["status"] == "ok")
        server.wait_for(lambda: any("watching" in line for line in server.log), timeout=10)
        v1 = server.health()["index_version"]

        # an edit (saved in several quick writes) -> one rebuild -> served
        for i in range(3):
            append_sentence(
                settings, "rupture-2025", f"The ambassador Karla Ornelas left Lima on day {i + 4}."
            )
            time.sleep(0.05)
        server.wait_for(lambda: server.health()["index_version"] != v1)
        v2 = server.health()["index_version"]
        r = httpx.post(
            f"{server.url}/api/ask",
            json={"question": "When did the ambassador Karla Ornelas leave Lima?"},
            timeout=30,
        )
        assert r.status_code == 200 and "Ornelas" in r.json()["answer"]
        assert sum("corpus changed" in line for line in server.log) == 1, "".join(server.log)

        # a malformed document: logged with file and line, the served index stays
        (settings.corpus_dir / "bad-date.md").write_text(textwrap.dedent(BAD_DOC), encoding="utf-8")
        server.wait_for(lambda: any("rebuild failed" in line for line in server.log))
        failed = next(line for line in server.log if "rebuild failed" in line)
        assert (
            "bad-date.md:3: front matter field 'published'" in failed
            and f"still serving index {v2}" in failed
        )
        assert server.health()["index_version"] == v2
        (
            settings.corpus_dir / "bad-date.md"
        ).unlink()  # back to the served corpus: the next rebuild is a no-op
        server.wait_for(
            lambda: any("up to date: " in line and "serving" in line for line in server.log)
        )

        # a version switched in by a separate builder is picked up through CURRENT
        v3 = build_index(settings, embedder, full=True, progress=False).version
        server.wait_for(lambda: server.health()["index_version"] == v3)
        # The watcher logs the reload just after it swaps the version in (watch.CorpusWatcher._reload),
        # so /api/health can show v3 a moment before the line reaches the log: wait for it too.
        server.wait_for(
            lambda: any(f"index {v3} built elsewhere" in line for line in server.log), timeout=10
        )
    finally:
        server.stop()


def test_a_rebuild_child_runs_in_the_background_on_every_thread() -> None:
    """The build child's priority is set from outside on each of its threads: idle first, then nice 19."""
    code = "import threading, time; [threading.Thread(target=time.sleep, args=(5,)).start() for _ in range(3)]; time.sleep(5)"
    child = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.time() + 5
        while len(os.listdir(f"/proc/{child.pid}/task")) < 4 and time.time() < deadline:
            time.sleep(0.02)
        tids = [int(t) for t in os.listdir(f"/proc/{child.pid}/task")]
        assert len(tids) == 4
        _set_priority(child.pid, 19, idle=True)
        assert {os.sched_getscheduler(t) for t in tids} == {os.SCHED_IDLE}
        _set_priority(child.pid, 19, idle=False)
        assert {os.sched_getscheduler(t) for t in tids} == {os.SCHED_OTHER}
        assert {os.getpriority(os.PRIO_PROCESS, t) for t in tids} == {19}
    finally:
        child.kill()
        child.wait()
