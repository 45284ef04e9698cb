"""Junk, floods and hostile input over real HTTP: every rejection a 4xx that says what to
change, never a 500; headers, CORS, document-id traversal, request ids, logs and metrics."""

from __future__ import annotations

import http.client
import io
import json
import logging
import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from pythonjsonlogger.json import JsonFormatter

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.service import QAService
from tests.conftest import LiveServer

JSON = {"content-type": "application/json"}
QUESTION_ROUTES = ("/api/ask", "/api/ask/stream", "/api/search")


@pytest.fixture(scope="module")
def tight(small_settings: Settings, small_service: QAService) -> Iterator[LiveServer]:
    """A server with small limits, so each can be crossed cheaply."""
    settings = small_settings.model_copy(
        update={
            "max_body_bytes": 2048,
            "max_question_chars": 200,
            "max_history_turns": 3,
            "max_history_chars": 300,
            "max_top_k": 5,
            "rate_limit_per_minute": 0,
        }
    )
    with LiveServer(settings, small_service) as server:
        yield server


def _raw(
    url: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request with the path sent byte for byte (no client-side normalising of '..')."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


# ------------------------------------------------------------------ bad input -> clear 4xx

JUNK: list[tuple[str, bytes, dict[str, str], int, str]] = [
    ("invalid JSON", b"{not json", JSON, 422, "not valid JSON"),
    ("truncated JSON", b'{"question": "When', JSON, 422, "not valid JSON"),
    ("empty body", b"", JSON, 422, "required"),
    ("array body", b"[1, 2, 3]", JSON, 422, "JSON object"),
    ("string body", b'"just a string"', JSON, 422, "JSON object"),
    ("not UTF-8", b'{"question": "caf\xe9 \xff\xfe"}', JSON, 400, "UTF-8"),
    ("text/plain", b'{"question": "hello"}', {"content-type": "text/plain"}, 422, "JSON object"),
    (
        "form encoded",
        b"question=hello",
        {"content-type": "application/x-www-form-urlencoded"},
        422,
        "JSON object",
    ),
    ("wrong type", b'{"question": 42}', JSON, 422, "question"),
    ("null question", b'{"question": null}', JSON, 422, "question"),
    ("unknown field", b'{"question": "When?", "admin": true}', JSON, 422, "unknown field 'admin'"),
    ("huge integer", b'{"question": "When?", "top_k": 1' + b"0" * 400 + b"}", JSON, 422, "top_k"),
    ("huge float", b'{"question": "When?", "top_k": 1e308}', JSON, 422, "top_k"),
    ("negative top_k", b'{"question": "When?", "top_k": -3}', JSON, 422, "top_k"),
    ("lone surrogate", b'{"question": "When \\ud800 was it?"}', JSON, 422, "surrogate"),
    ("deep nesting", b"[" * 900 + b"]" * 900, JSON, 422, "JSON object"),
    ("history not a list", b'{"question": "When?", "history": "hi"}', JSON, 422, "history"),
    (
        "turn with bad role",
        b'{"question": "When?", "history": [{"role": "system", "content": "x"}]}',
        JSON,
        422,
        "role",
    ),
]


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream"])
@pytest.mark.parametrize(
    ("name", "body", "headers", "status", "words"), JUNK, ids=[j[0] for j in JUNK]
)
def test_junk_gets_a_4xx_that_says_what_to_change(
    live_server: LiveServer,
    route: str,
    name: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
    words: str,
) -> None:
    code, hdrs, raw = _raw(live_server.url, "POST", route, body, headers)
    assert code == status, (name, raw[:300])
    assert hdrs["content-type"].startswith("application/json")
    detail = json.loads(raw)["detail"]
    assert isinstance(detail, str) and words in detail, detail


def test_search_rejects_junk_too(live_server: LiveServer) -> None:
    for body, words in [
        (b'{"query": ""}', "empty"),
        (b'{"query": "x", "top_k": 99}', "top_k"),
        (b'{"q": "x"}', "unknown field 'q'"),
        (b"\x00\x01", "JSON"),
    ]:
        code, _, raw = _raw(live_server.url, "POST", "/api/search", body, JSON)
        assert 400 <= code < 500 and words in json.loads(raw)["detail"], raw


def test_nul_bytes_and_control_characters_are_answered_not_crashed(live_server: LiveServer) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        json={"question": "When\x00 was APRA\x07 founded?\x1b[31m"},
        timeout=30,
    )
    assert r.status_code == 200
    assert r.json()["found"] is True and "1924" in r.json()["answer"]


# ------------------------------------------------------------------ configured limits


def test_body_limit_checks_declared_length(tight: LiveServer) -> None:
    r = httpx.post(
        f"{tight.url}/api/ask",
        content=b'{"question": "' + b"a" * 3000 + b'"}',
        headers=JSON,
        timeout=30,
    )
    assert r.status_code == 413
    assert "2048 bytes" in r.json()["detail"] and "QA_MAX_BODY_BYTES" in r.json()["detail"]


def test_body_limit_counts_a_chunked_body_without_length(tight: LiveServer) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(40):
            yield b"b" * 100
        yield b'"}'

    r = httpx.post(f"{tight.url}/api/ask", content=pieces(), headers=JSON, timeout=30)
    assert r.status_code == 413 and "2048" in r.json()["detail"]

    def small() -> Iterator[bytes]:
        yield b'{"question": "When was '
        yield b'APRA founded?"}'

    ok = httpx.post(f"{tight.url}/api/ask", content=small(), headers=JSON, timeout=30)
    assert ok.status_code == 200 and "1924" in ok.json()["answer"]


def test_a_malformed_length_header_is_a_400(tight: LiveServer) -> None:
    """Only the malformed header is sent, no body: a body the server never reads would make it
    reset the connection on close, sometimes before the client has read the 400."""
    host, port = tight.url.removeprefix("http://").split(":")
    request = (
        b"POST /api/ask HTTP/1.1\r\nHost: " + host.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: abc\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        head = b""
        while b"\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    assert head.startswith(b"HTTP/1.1 400"), head[:200]


def test_question_history_and_top_k_limits(tight: LiveServer) -> None:
    url = f"{tight.url}/api/ask"
    cases = [
        ({"question": "q" * 201}, "QA_MAX_QUESTION_CHARS"),
        (
            {"question": "When?", "history": [{"role": "user", "content": "hi"}] * 4},
            "QA_MAX_HISTORY_TURNS",
        ),
        (
            {"question": "When?", "history": [{"role": "user", "content": "h" * 200}] * 2},
            "QA_MAX_HISTORY_CHARS",
        ),
        ({"question": "When?", "top_k": 6}, "from 1 to 5"),
        (
            {"question": "When?", "history": [{"role": "user", "content": "a \ud800"}]},
            "history.0.content",
        ),
    ]
    for body, words in cases:
        r = httpx.post(url, content=json.dumps(body).encode(), headers=JSON, timeout=30)
        assert r.status_code == 422, (body, r.text)
        assert words in r.json()["detail"], r.json()
    r = httpx.post(f"{tight.url}/api/search", json={"query": "q" * 201}, timeout=30)
    assert r.status_code == 422 and "the limit is 200" in r.json()["detail"]
    within = {
        "question": "When was APRA founded?",
        "top_k": 5,
        "history": [{"role": "user", "content": "Tell me about APRA."}] * 3,
    }
    assert httpx.post(url, json=within, timeout=30).status_code == 200


def test_rate_limit_per_client_gives_429_with_retry_after(
    small_settings: Settings, small_service: QAService
) -> None:
    settings = small_settings.model_copy(update={"rate_limit_per_minute": 3})
    with LiveServer(settings, small_service) as server:
        codes = [
            httpx.post(f"{server.url}/api/search", json={"query": "APRA"}, timeout=30).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 200]
        for route, body in (
            ("/api/ask", {"question": "When?"}),
            ("/api/ask/stream", {"question": "When?"}),
            ("/api/search", {"query": "APRA"}),
        ):
            r = httpx.post(f"{server.url}{route}", json=body, timeout=30)
            assert r.status_code == 429, route
            wait = int(r.headers["retry-after"])
            assert 1 <= wait <= 60
            assert (
                "QA_RATE_LIMIT_PER_MINUTE" in r.json()["detail"]
                and f"wait {wait} s" in r.json()["detail"]
            )
        # reading the corpus and health checks are not rationed
        assert httpx.get(f"{server.url}/api/health").status_code == 200
        assert httpx.get(f"{server.url}/api/documents").status_code == 200


# ------------------------------------------------------------------ headers, CORS, traversal


def test_a_wrong_method_names_every_method_of_the_path(live_server: LiveServer) -> None:
    """405 lists all the routes on a path, also when they come from included routers."""
    r = httpx.request("OPTIONS", f"{live_server.url}/api/admin/reindex", timeout=10)
    assert r.status_code == 405 and r.headers["allow"] == "DELETE, GET, POST"
    assert r.json()["detail"] == "OPTIONS is not allowed here; use DELETE, GET, POST"
    r = httpx.put(f"{live_server.url}/api/ask", timeout=10)
    assert r.status_code == 405 and r.headers["allow"] == "POST"


@pytest.mark.parametrize(
    "path", ["/", "/api/health", "/api/documents/nope", "/static/app.js", "/no/such/route"]
)
def test_security_headers_on_every_response(live_server: LiveServer, path: str) -> None:
    r = httpx.get(f"{live_server.url}{path}")
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"  # no inline script, no outside origin
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "http" not in csp and "unsafe" not in csp
    assert directives["frame-ancestors"] == "'none'" and r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_docs_page_still_works_with_its_own_policy(live_server: LiveServer) -> None:
    r = httpx.get(f"{live_server.url}/docs")
    assert r.status_code == 200 and "swagger" in r.text.lower()
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_cors_is_closed_unless_configured(
    live_server: LiveServer, small_settings: Settings, small_service: QAService
) -> None:
    preflight = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    r = httpx.options(f"{live_server.url}/api/ask", headers=preflight)
    assert "access-control-allow-origin" not in r.headers
    r = httpx.post(
        f"{live_server.url}/api/search",
        json={"query": "APRA"},
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers

    settings = small_settings.model_copy(update={"cors_origins": ["https://good.example"]})
    with LiveServer(settings, small_service) as server:
        ok = httpx.options(
            f"{server.url}/api/ask", headers={**preflight, "Origin": "https://good.example"}
        )
        assert (
            ok.status_code == 200
            and ok.headers["access-control-allow-origin"] == "https://good.example"
        )
        bad = httpx.options(f"{server.url}/api/ask", headers=preflight)
        assert bad.headers.get("access-control-allow-origin") != "https://evil.example"
        r = httpx.get(f"{server.url}/api/health", headers={"Origin": "https://good.example"})
        assert r.headers["access-control-allow-origin"] == "https://good.example"
        assert "x-request-id" in r.headers["access-control-expose-headers"].lower()


TRAVERSALS = [
    "/api/documents/..%2F..%2F..%2Fetc%2Fpasswd",
    "/api/documents/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/api/documents/..%252F..%252Fetc%252Fpasswd",
    "/api/documents/%2e%2e",
    "/api/documents/..",
    "/api/documents/../../etc/passwd",
    "/api/documents/....%2F%2F....%2F%2Fetc%2Fpasswd",
    "/api/documents/%c0%ae%c0%ae%2fetc%2fpasswd",
    "/api/documents/apra-1924%00.md",
    "/api/documents/apra-1924%2F..%2F..%2Fmanifest.json",
    "/api/documents/APRA-1924",
    "/api/documents/%2Fetc%2Fpasswd",
    "/api/documents/manifest",
    "/static/../../config.py",
    "/static/%2e%2e/config.py",
    "/static/..%2Fconfig.py",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/..%5c..%5cconfig.py",
    "/static//etc/passwd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_outside_the_index_can_be_read(live_server: LiveServer, path: str) -> None:
    code, _, raw = _raw(live_server.url, "GET", path)
    assert code == 404, (code, raw[:200])
    text = raw.decode("utf-8", "replace")
    for leak in ("root:x:", "pydantic_settings", "[build-system]", "chunk_count", "import "):
        assert leak not in text, (path, text[:200])


def test_a_valid_document_id_still_reads(live_server: LiveServer) -> None:
    r = httpx.get(f"{live_server.url}/api/documents/apra-1924")
    assert r.status_code == 200 and "Haya de la Torre" in r.json()["body"]


# ------------------------------------------------------------------ admin token, request ids, logs, metrics


@pytest.fixture()
def captured_logs() -> Iterator[io.StringIO]:
    """The service's JSON log lines, as a deployment would see them on stderr."""
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger("qa_service")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield buf
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def test_admin_token_checked_and_never_logged(
    tmp_path: Path, small_settings: Settings, embedder: Embedder, captured_logs: io.StringIO
) -> None:
    index = tmp_path / "index"
    shutil.copytree(small_settings.index_dir, index)
    secret = "tok-Zq8v-very-secret-5521"
    settings = small_settings.model_copy(
        update={"index_dir": index, "admin_token": SecretStr(secret)}
    )
    with LiveServer(settings, QAService(settings, embedder)) as server:
        url = f"{server.url}/api/admin/reindex"
        for given in (None, "Bearer wrong", f"Bearer {secret}x", secret[:-1], f"Basic {secret}"):
            r = httpx.post(url, headers={"Authorization": given} if given else {})
            assert r.status_code == 401 and "Bearer" in r.json()["detail"], given
        r = httpx.post(url, headers={"Authorization": f"Bearer {secret}"})
        assert r.status_code == 202 and r.json()["status"] in ("started", "queued")
    logs = captured_logs.getvalue()
    assert '"route": "/api/admin/reindex"' in logs and '"status": 401' in logs
    assert secret not in logs and secret[:-1] not in logs
    assert secret not in repr(settings) and secret not in settings.model_dump_json()


def test_request_id_is_echoed_or_made_and_logged_as_json(
    live_server: LiveServer, captured_logs: io.StringIO
) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        json={"question": "When was APRA founded?"},
        headers={"X-Request-ID": "trace-42.abc"},
        timeout=30,
    )
    assert r.headers["x-request-id"] == "trace-42.abc"
    made = httpx.get(f"{live_server.url}/api/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    bad = httpx.get(
        f"{live_server.url}/api/health",
        headers={"X-Request-ID": "evil id\twith spaces" + "x" * 200},
    )
    assert re.fullmatch(r"[0-9a-f]{32}", bad.headers["x-request-id"])
    lines = [json.loads(line) for line in captured_logs.getvalue().splitlines() if line.strip()]
    mine = [rec for rec in lines if rec.get("request_id") == "trace-42.abc"]
    assert len(mine) == 1
    rec = mine[0]
    assert (
        rec["name"] == "qa_service.access"
        and rec["method"] == "POST"
        and rec["route"] == "/api/ask"
    )
    assert rec["status"] == 200 and rec["duration_ms"] > 0 and rec["client"] == "127.0.0.1"
    assert any(rec.get("request_id") == made for rec in lines)


def test_metrics_count_requests_by_route_and_report_the_index(live_server: LiveServer) -> None:
    base = live_server.url
    httpx.post(f"{base}/api/ask", json={"question": "When was APRA founded?"}, timeout=30)
    httpx.post(f"{base}/api/ask", json={"question": ""}, timeout=30)
    httpx.get(f"{base}/api/documents/apra-1924")
    httpx.get(f"{base}/random/junk/path-{id(base)}")
    r = httpx.get(f"{base}/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    text = r.text

    def value(pattern: str) -> float:
        m = re.search(rf"^{pattern} ([0-9.e+]+)$", text, re.MULTILINE)
        assert m, pattern
        return float(m.group(1))

    assert value(r'qa_http_requests_total\{method="POST",route="/api/ask",status="200"\}') >= 1
    assert value(r'qa_http_requests_total\{method="POST",route="/api/ask",status="422"\}') >= 1
    assert (
        value(
            r'qa_http_requests_total\{method="GET",route="/api/documents/\{doc_id\}",status="200"\}'
        )
        >= 1
    )
    assert value(r'qa_http_requests_total\{method="GET",route="unmatched",status="404"\}') >= 1
    assert "junk" not in text  # raw paths never become labels
    assert value(r'qa_http_request_duration_seconds_count\{method="POST",route="/api/ask"\}') >= 2
    health = httpx.get(f"{base}/api/health").json()
    assert value("qa_index_documents") == health["documents"] == 3
    assert value("qa_index_chunks") == health["chunks"]
    assert value("qa_index_built_timestamp_seconds") > 1.7e9
    assert "qa_last_reindex_timestamp_seconds" in text
    assert f'version="{health["index_version"]}"' in text
