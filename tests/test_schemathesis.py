"""Schemathesis against the app's own OpenAPI schema, over real HTTP on loopback, with the
real model and index: every operation, valid and invalid data, a bounded number of cases.

It runs as schemathesis's own command (`schemathesis run`, all four phases: examples,
coverage, fuzzing, stateful) because its pytest plugin does not run under pytest 9. All
of its checks are on: no 5xx, only documented status codes and content types, responses
that match their schemas, invalid data rejected and valid data accepted. The admin
reindex and gaps calls are exercised too, without ever knowing the token, so they are only
ever refused (a valid token would rebuild the shared test index). Questions and feedback go
to a question log of the server's own, which must have stored every one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.question_log import QuestionLog
from qa_service.service import QAService
from tests.conftest import LiveServer

ST = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = int(os.environ.get("QA_FUZZ_EXAMPLES", "40"))
SEED = os.environ.get("QA_FUZZ_SEED", "20251125")


@pytest.fixture(scope="module")
def fuzz_server(
    small_settings: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The shared small index, served with a question log of its own, so fuzzed questions and feedback are written."""
    log_db = tmp_path_factory.mktemp("fuzz-log") / "questions.sqlite3"
    settings = small_settings.model_copy(
        update={"admin_token": SecretStr("not-guessable-" + "z" * 24), "log_db": str(log_db)}
    )
    service = QAService(settings, embedder, question_log=QuestionLog.from_settings(settings))
    with LiveServer(settings, service) as server:
        server.question_log = service.question_log  # type: ignore[attr-defined]
        yield server
    service.close()


def test_schema_lists_every_operation(fuzz_server: LiveServer) -> None:
    """Nothing is left out of the run: the schema names every API route, with its limits."""
    spec = httpx.get(f"{fuzz_server.url}/openapi.json").json()
    ops = {f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item}
    assert ops == {
        "POST /api/ask",
        "POST /api/ask/stream",
        "POST /api/search",
        "GET /api/documents",
        "GET /api/documents/{doc_id}",
        "GET /api/health",
        "GET /api/limits",
        "POST /api/admin/reindex",
        "GET /api/admin/reindex",
        "DELETE /api/admin/reindex",
        "POST /api/feedback",
        "GET /api/admin/gaps",
    }
    ask = spec["components"]["schemas"]["AskRequest"]["properties"]
    assert ask["question"]["maxLength"] == 1000 and ask["history"]["maxItems"] == 20
    assert spec["components"]["schemas"]["Turn"]["properties"]["content"]["maxLength"] == 2000


def test_schemathesis_finds_no_failure(fuzz_server: LiveServer, tmp_path: Path) -> None:
    cmd = [
        str(ST),
        "run",
        f"{fuzz_server.url}/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "2",
        "--request-timeout",
        "60",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    r = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=540,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    out = r.stdout + r.stderr
    summary = re.search(r"Test cases:\s*\n\s*(\d+) generated, (\d+) passed", out) or re.search(
        r"(\d+) generated", out
    )
    print(out[-3000:])
    assert r.returncode == 0, out[-6000:]
    assert summary and int(summary.group(1)) >= 11 * 10, out[-2000:]
    assert "Selected: 12/12" in out and "Tested: 12" in out
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert re.search(rf"✅\s+{phase}", out), (phase, out[-2000:])
    assert "5xx" not in re.sub(r"Expected: [^\n]*", "", out)
    # Whatever text the fuzzer sent (NUL, lone surrogates, 1,000-character comments) was stored.
    log = fuzz_server.question_log  # type: ignore[attr-defined]
    assert log.flush(60)
    assert log.stats.errors == 0 and log.stats.dropped == 0 and log.counts()["questions"] > 0, (
        log.stats
    )
