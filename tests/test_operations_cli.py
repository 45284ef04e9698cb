"""Operations through the real `qa-service` command (issue 12): `serve` starts cleanly
after a `kill -9` at any moment, a taken port is one line, `ask --history`, no model
progress bars, the index and corpus checked before the model loads, `make run PORT=`,
and /docs rendered by a real Chromium with every request outside loopback blocked."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from qa_service import lifeline
from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.index import build_index, build_owner, current_path, current_version
from qa_service.service import settings_env
from tests.conftest import LiveServer, ServeProcess, free_port, write_corpus
from tests.test_index_lifecycle import REAL_CORPUS, REPO

TOKEN = "ops-cli-token-9911"
ADMIN_ENV = {"QA_ADMIN_TOKEN": TOKEN}
CLI = [sys.executable, "-m", "qa_service.cli"]


def _wait(what, timeout: float, step: float = 0.1):  # type: ignore[no-untyped-def]
    deadline = time.time() + timeout
    while time.time() < deadline:
        if value := what():
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s")


def test_serve_starts_cleanly_after_kill_9_at_any_moment(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = Settings(corpus_dir=write_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index")
    version = build_index(settings, embedder, progress=False).version
    servers: list[ServeProcess] = []
    try:
        # 1. killed while its standby builder is building a reindex
        first = ServeProcess(settings, env=ADMIN_ENV)
        servers.append(first)
        first.wait_healthy()
        for p in sorted(REAL_CORPUS.glob("*.md"))[:16]:
            shutil.copy(p, settings.corpus_dir / p.name)
        r = httpx.post(
            f"{first.url}/api/admin/reindex",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )
        assert r.json()["status"] == "started"
        builder = _wait(lambda: build_owner(settings.index_dir), 180)
        assert builder != first.proc.pid
        first.kill9()
        _wait(lambda: not lifeline.alive(builder), 5)  # the builder died with its server
        time.sleep(1)
        assert current_version(settings.index_dir) == version  # and switched nothing in on its own

        # 2. killed during its own start-up build (the corpus is now stale)
        second = ServeProcess(settings, env=ADMIN_ENV)
        servers.append(second)
        assert _wait(lambda: build_owner(settings.index_dir), 300) == second.proc.pid
        second.kill9()

        # 3. the next start builds, serves the whole corpus and prints no traceback
        third = ServeProcess(settings, env=ADMIN_ENV)
        servers.append(third)
        health = third.wait_healthy()
        assert health["documents"] == 3 + 16 and health["index_version"] != version
        log = "".join(third.log)
        assert "Traceback" not in log and "BuildLockedError" not in log, log
    finally:
        for s in servers:
            s.stop()


def test_serve_on_a_taken_port_says_so_in_one_line_before_loading_anything(
    small_settings: Settings,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = settings_env(small_settings)
        out = subprocess.run(
            [
                sys.executable,
                "-X",
                "importtime",
                "-m",
                "qa_service.cli",
                "serve",
                "--port",
                str(port),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    said = [ln for ln in out.stderr.splitlines() if not ln.startswith("import time:")]
    assert out.returncode == 1 and "serving" not in out.stdout
    assert said == [
        f"error: port {port} on 127.0.0.1 is already in use; choose another with --port (make run PORT=...)"
    ]
    assert "sentence_transformers" not in out.stderr  # said before the model was even imported


def test_ask_takes_a_conversation_from_a_file_and_prints_no_progress_bars(
    tmp_path: Path, small_settings: Settings
) -> None:
    history = tmp_path / "history.json"
    history.write_text(
        json.dumps(
            [
                {"role": "user", "content": "What is the Trade Integration Agreement?"},
                {
                    "role": "assistant",
                    "content": "The Trade Integration Agreement between Mexico and Peru was signed in Lima.",
                },
            ]
        ),
        encoding="utf-8",
    )
    env = settings_env(small_settings)
    out = subprocess.run(
        [*CLI, "ask", "Who signed it?", "--history", str(history), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["found"] and "Ferrari" in answer["answer"] and "Ferreyros" in answer["answer"]
    assert "Loading weights" not in out.stderr and "it/s" not in out.stderr, out.stderr

    history.write_text('[{"role": "robot", "content": "hi"}]', encoding="utf-8")
    bad = subprocess.run(
        [*CLI, "ask", "Who signed it?", "--history", str(history)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "history file" in bad.stderr and "0.role" in bad.stderr
    assert "Traceback" not in bad.stderr


BAD = """\
    ---
    title: "Broken"
    published: not a date
    sources:
      - title: "x"
        url: https://example.org/x
    ---
    Body.
    """


def test_a_broken_index_or_corpus_is_reported_before_the_model_loads(
    tmp_path: Path, small_settings: Settings
) -> None:
    index = tmp_path / "index"
    shutil.copytree(small_settings.index_dir, index)
    faiss_file = current_path(index) / "faiss.index"  # type: ignore[operator]
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    env = settings_env(small_settings.model_copy(update={"index_dir": index}))
    timed = [sys.executable, "-X", "importtime", "-m", "qa_service.cli"]
    runs = {
        "ask": subprocess.run(
            [*timed, "ask", "When was APRA founded?"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    }

    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "broken.md").write_text(textwrap.dedent(BAD), encoding="utf-8")
    fresh = settings_env(Settings(corpus_dir=corpus, index_dir=tmp_path / "none"))
    runs["serve"] = subprocess.run(
        [*timed, "serve", "--port", str(free_port())],
        env=fresh,
        capture_output=True,
        text=True,
        timeout=120,
    )
    runs["build"] = subprocess.run(
        [*timed, "build"], env=fresh, capture_output=True, text=True, timeout=120
    )
    for name, out in runs.items():
        said = "\n".join(ln for ln in out.stderr.splitlines() if not ln.startswith("import time:"))
        assert out.returncode == 1, (name, said)
        assert (
            "faiss.index" if name == "ask" else "broken.md:3: front matter field 'published'"
        ) in said, (name, said)
        assert "sentence_transformers" not in out.stderr and "| torch" not in out.stderr, name


def test_make_run_takes_port_and_host() -> None:
    out = subprocess.run(
        ["make", "-n", "-C", str(REPO), "run", "PORT=8765", "HOST=127.0.0.2"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "serve --host 127.0.0.2 --port 8765" in out.stdout


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="browser tests need Debian's Chromium at /usr/bin/chromium"
)
def test_docs_render_offline_in_a_real_browser(live_server: LiveServer) -> None:
    from playwright.sync_api import expect, sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()

            def only_loopback(route) -> None:  # type: ignore[no-untyped-def]
                if route.request.url.startswith(live_server.url):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", only_loopback)
            page.goto(f"{live_server.url}/docs")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text(
                "qa-service", timeout=30_000
            )
            expect(page.locator(".opblock-summary-path").first).to_be_visible()
            assert page.locator(".opblock").count() >= 7
        finally:
            browser.close()
    assert outside == []
