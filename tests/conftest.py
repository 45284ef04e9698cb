"""Shared fixtures: the real model, a small corpus written by the test, a real index
built from it, and a real uvicorn server on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from typing import TYPE_CHECKING

import httpx
import pytest

from qa_service import apertium
from qa_service.config import Settings

# Tests that translate Spanish need Debian's apertium-eng-spa (scripts/ensure-apertium.sh, run by
# `make test`); without it they are skipped, said so.
needs_apertium = pytest.mark.skipif(
    not apertium.available("spa-eng"),
    reason="apertium-eng-spa is not installed (scripts/ensure-apertium.sh, run by `make test`)",
)

# The model, index, server and API modules load torch, FAISS, scikit-learn and FastAPI
# (~8 s here); they are imported inside the fixtures that need them so the fast tier
# (`pytest -m fast`) never pays for them.
if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from qa_service.embedding import Embedder
    from qa_service.service import QAService


def document(
    title: str, published: str, topics: str, sources: list[tuple[str, str]], body: str
) -> str:
    """A corpus document in the project's format (front matter, then the text) for a test that
    writes its own corpus: the test spells out only what it varies, not the front matter's shape.
    `topics` is the list's inside ("diplomacy, asylum"); `sources` are (title, url) pairs."""
    lines = [
        "---",
        f'title: "{title}"',
        f"published: {published}",
        f"topics: [{topics}]",
        "sources:",
    ]
    for name, url in sources:
        lines += [f'  - title: "{name}"', f"    url: {url}"]
    lines.append("---")
    text = textwrap.dedent(body)
    return "\n".join(lines) + "\n" + (text if text.endswith("\n") else text + "\n")


# A document on another subject, for a test corpus whose answer must be told apart from it.
APEC_2024 = document(
    "APEC in Lima, 2024",
    "2024-11-20",
    "forums",
    [("Example source on APEC", "https://example.org/apec")],
    "Peru hosted the APEC leaders' summit in Lima in November 2024.",
)

SMALL_CORPUS = {
    "trade-agreement": document(
        "The Trade Integration Agreement",
        "2012-02-01",
        "trade",
        [("Example source on the agreement", "https://example.org/agreement")],
        """\
        ## Signing

        The Trade Integration Agreement between Mexico and Peru was signed in Lima on 6 April 2011.
        Bruno Ferrari and Eduardo Ferreyros signed the Trade Integration Agreement for their governments.

        ## Entry into force

        The Trade Integration Agreement entered into force on 1 February 2012. The agreement covers
        12,107 products, according to the example source.
        """,
    ),
    "rupture-2025": document(
        "The rupture of 3 November 2025",
        "2025-11-08",
        "diplomacy, asylum",
        [("Example source on the rupture", "https://example.org/rupture")],
        """\
        Peru broke off diplomatic relations with Mexico on 3 November 2025 because Mexico granted
        asylum to the former prime minister Betssy Chávez. Foreign Minister Hugo de Zela announced
        the rupture and called the asylum an unfriendly act. Consular relations were kept.
        """,
    ),
    "apra-1924": document(
        "APRA, founded in Mexico City",
        "1933-05-23",
        "history",
        [("Example source on APRA", "https://example.org/apra")],
        """\
        Víctor Raúl Haya de la Torre founded APRA in Mexico City on 7 May 1924.

        - Relations were broken in 1932 over a letter carried in a Mexican diplomatic pouch.
        - Relations were restored on 23 May 1933 with Spanish mediation.
        """,
    ),
}


# Other topics, so that a small test corpus's places and names are not among its commonest words
# (`CORPUS | OTHER_TOPICS`).
OTHER_TOPICS = {
    f"other-{i}": document(
        title,
        "2016-01-10",
        "culture",
        [(f"Example source {i}", f"https://example.org/other-{i}")],
        f"""\
        {text}
        """,
    )
    for i, (title, text) in enumerate(
        [
            (
                "Avocado exports",
                "Peruvian avocado growers shipped more fruit to Asian markets in 2015.",
            ),
            (
                "A book fair",
                "The Guadalajara book fair welcomed writers from thirty countries in 2014.",
            ),
            (
                "Football",
                "The two national football teams played a friendly match in Denver in 2013.",
            ),
            ("Cuisine", "Ceviche and mole were presented together at a cooking festival in 2012."),
            ("Mining", "A copper company announced a new smelter project in Ilo in 2011."),
        ]
    )
}


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under `-m fast`, leave unimported the test modules that mark no test fast.

    Collecting them imports torch, Playwright and schemathesis (~15 s here) only to deselect
    every test they hold; a module with a fast test carries `pytest.mark.fast` in its text.
    """
    if config.option.markexpr.strip() != "fast" or not collection_path.name.startswith("test_"):
        return None
    if collection_path.suffix != ".py":
        return None
    return "mark.fast" not in collection_path.read_text(encoding="utf-8") or None


def write_corpus(folder: Path, docs: dict[str, str] = SMALL_CORPUS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in docs.items():
        (folder / f"{doc_id}.md").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


# Peru's exports to Mexico: a document on trade beside a test's own (its figures and its fruit are
# not what the test asks).
TRADE = document(
    "Peru's exports to Mexico",
    "2025-03-01",
    "economy",
    [("Example source on trade", "https://example.org/trade")],
    """\
    Peru's exports to Mexico reached 888 million dollars in 2024.
    Grapes were the fruit Peru sold most to Mexico in 2024, according to the trade ministry.
    """,
)


# A second document, off the subject of the test's own: the question's passage must win against it.
EMBASSIES = document(
    "Embassies of Mexico and Peru",
    "2020-01-01",
    "diplomacy",
    [("Example source on the embassies", "https://example.org/embassies")],
    "Mexico opened its embassy in Lima on 14 June 1937.",
)


def service_over(
    root: Path, docs: dict[str, str], embedder: Embedder, **settings: object
) -> QAService:
    """A service over a corpus the test writes under `root`, its index built there (real model,
    real FAISS index); rate limit and question log off; `settings` override the rest."""
    from qa_service.index import build_index
    from qa_service.service import QAService

    built = Settings(
        corpus_dir=write_corpus(root / "corpus", docs),
        index_dir=root / "index",
        rate_limit_per_minute=0,
        log_questions=False,
    ).model_copy(update=settings)
    build_index(built, embedder, progress=False)
    return QAService(built, embedder)


def service_with(service: QAService, **settings: object) -> QAService:
    """The same index and model under other settings: an answer-stage switch needs no second build."""
    from qa_service.service import QAService

    return QAService(service.settings.model_copy(update=settings), service.embedder)


def answer_sentences(service: QAService, question: str) -> list[str]:
    """The quoted sentences of an answer the test expects found, in answer order."""
    resp = service.ask(question)
    assert resp.found, resp.answer
    return [s.text for s in resp.sentences]


def scorer_blind_to(monkeypatch: pytest.MonkeyPatch, *features: str) -> None:
    """Serve with the default scorer blind to `features` (their columns zeroed)."""
    import numpy as np

    from qa_service import scoring

    cols = [scoring.FEATURES.index(f) for f in features]
    scorer = scoring.SCORERS[scoring.DEFAULT_SCORER]

    def blind(x: np.ndarray) -> np.ndarray:
        x = x.copy()
        x[:, cols] = 0.0
        return scorer(x)

    monkeypatch.setitem(scoring.SCORERS, scoring.DEFAULT_SCORER, blind)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    from qa_service.embedding import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def small_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """Settings over a small corpus with its index built (shared, read-only: do not edit it)."""
    from qa_service.index import build_index

    root = tmp_path_factory.mktemp("small")
    settings = Settings(
        corpus_dir=write_corpus(root / "corpus"), index_dir=root / "index", rate_limit_per_minute=0
    )
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def small_service(small_settings: Settings, embedder: Embedder) -> QAService:
    from qa_service.service import QAService

    return QAService(small_settings, embedder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """A real uvicorn server in a thread, on a free loopback port."""

    def __init__(self, settings: Settings, service: QAService) -> None:
        import uvicorn

        from qa_service.api import create_app
        from qa_service.server import uvicorn_config

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The same server stack and limits as `qa-service serve`.
        config = uvicorn_config(
            create_app(settings, service), settings, "127.0.0.1", self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class ServeProcess:
    """`qa-service serve` as a real process on a free loopback port, its stderr collected."""

    def __init__(self, settings: Settings, *args: str, env: dict[str, str] | None = None) -> None:
        from qa_service.service import settings_env

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "qa_service.cli", "serve", "--port", str(self.port), *args],
            env=settings_env(settings) | (env or {}),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)

    def health(self) -> dict:
        """GET /api/health (raises httpx.HTTPError while the server is not up)."""
        return httpx.get(f"{self.url}/api/health", timeout=10).json()

    def wait_for(self, what, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
        """Poll `what()` until true, failing with the server's log if it ends or time runs out."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            assert self.proc.poll() is None, "serve ended:\n" + "".join(self.log[-30:])
            try:
                if what():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError("timed out; server log:\n" + "".join(self.log[-30:]))

    def wait_healthy(self, timeout: float = 300) -> dict:
        """The first /api/health answer."""
        self.wait_for(self.health, timeout)
        return self.health()

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def live_server(small_settings: Settings, small_service: QAService) -> Iterator[LiveServer]:
    with LiveServer(small_settings, small_service) as server:
        yield server


# ---------------------------------------------------------------- a throwaway PostgreSQL


def _postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server programs (newest version), or of pg_ctl on PATH."""
    import glob
    import shutil

    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(p.split("/")[4]),
        reverse=True,
    )
    on_path = shutil.which("pg_ctl")
    for cand in [*found, on_path]:
        if cand:
            return Path(cand).resolve().parent
    return None


class PostgresServer:
    """A PostgreSQL cluster made with initdb in a temporary folder, on a free loopback port.

    PostgreSQL refuses to run as root, so as root (CI) the cluster belongs to the
    `postgres` user that Debian's package creates. Trust authentication on loopback only;
    fsync off: the cluster is thrown away after the tests.
    """

    def __init__(self) -> None:
        import pwd
        import shutil
        import subprocess
        import tempfile

        bindir = _postgres_bin()
        if bindir is None:
            pytest.fail(
                "PostgreSQL is not installed: run `bash scripts/ensure-postgresql.sh` (make test does)"
            )
        self.bindir = bindir
        self.user = "postgres" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="qa-pg-"))
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        self.data = self.root / "data"
        self.port = free_port()
        self._shutil, self._subprocess = shutil, subprocess
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "qa",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.root} -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            opts,
            "start",
        )
        self._n = 0

    def _run(self, program: str, *args: str) -> None:
        r = self._subprocess.run(
            [str(self.bindir / program), *args],
            user=self.user,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.root,
        )
        if r.returncode != 0:
            raise RuntimeError(f"{program} failed ({r.returncode}): {r.stderr.strip()[-800:]}")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://qa@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, prefix: str = "qa_test") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        self._n += 1
        name = f"{prefix}_{self._n}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def execute(self, url: str, sql: str) -> None:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            self._shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched once per test module (tests/chromium.py)."""
    from playwright.sync_api import sync_playwright

    from tests.chromium import ARGS, CHROMIUM

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
