"""Request ids, structured (JSON) request logs and Prometheus metrics.

One ASGI middleware wraps every request: it takes the caller's `X-Request-ID` (or makes
one), echoes it, logs one JSON line per request and counts it by route template (never by
raw path, so junk URLs cannot blow up the number of series). Headers and bodies are never
logged, so neither is the admin token.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector
from pythonjsonlogger.json import JsonFormatter

from qa_service.request_limits import ASGIApp, Message, Receive, Scope, Send, send_json

ACCESS_LOG = "qa_service.access"
REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the `qa_service` loggers; safe to call more than once."""
    logger = logging.getLogger("qa_service")
    if any(getattr(h, "_qa_json", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", timestamp=False)
    )
    handler._qa_json = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def request_id_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's request id when it is a sane token, else a fresh one."""
    for k, v in headers:
        if k.lower() == b"x-request-id":
            given = v.decode("latin-1").strip()
            if _REQUEST_ID_RE.match(given):
                return given
            break
    return uuid.uuid4().hex


class IndexCollector(Collector):
    """Index size and freshness, read from the service at scrape time (never stale)."""

    def __init__(self, service: Callable[[], Any]) -> None:
        self.service = service

    def collect(self) -> Iterator[Any]:
        svc = self.service()
        if svc is None:
            return
        data = svc.state.data
        yield GaugeMetricFamily(
            "qa_index_documents", "Documents in the index in service.", value=len(data.documents)
        )
        yield GaugeMetricFamily(
            "qa_index_chunks", "Chunks (passages) in the index in service.", value=len(data.chunks)
        )
        built = dt.datetime.fromisoformat(data.manifest.built_at).timestamp()
        yield GaugeMetricFamily(
            "qa_index_built_timestamp_seconds",
            "When the index version in service was built (Unix time).",
            value=built,
        )
        last = getattr(svc, "last_reindex", None) or 0.0
        yield GaugeMetricFamily(
            "qa_last_reindex_timestamp_seconds",
            "When this process last swapped in a rebuilt index (Unix time; 0 = not since start).",
            value=float(last),
        )
        info = InfoMetricFamily("qa_index", "The index version in service and its embedding model.")
        info.add_metric([], {"version": data.version, "model": data.manifest.model})
        yield info


class Metrics:
    """The app's own registry (one per app, so tests can make many apps)."""

    def __init__(self, service: Callable[[], Any]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "qa_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "qa_http_request_duration_seconds",
            "Time to the end of the response, by method and route template.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.dropped = Counter(
            "qa_http_client_errors",
            "Requests and connections ended by the client or refused at the edge, by reason (none is a 5xx): "
            "disconnect, protocol_error, header_timeout, header_too_large, connection_limit.",
            ["reason"],
            registry=self.registry,
        )
        self.registry.register(IndexCollector(service))


def route_label(scope: Scope) -> str:
    """The matched route's template ('/api/documents/{doc_id}'), or 'unmatched'."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else "unmatched"


class RequestContext:
    """ASGI middleware: request id, fixed response headers, one JSON log line, metrics.

    An exception that escapes the app is logged with its traceback and answered as a
    JSON 500 carrying the request id, never as a bare traceback.
    """

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics,
        headers_for: Callable[[str], dict[str, str]],
        log_requests: bool = True,
    ) -> None:
        self.app = app
        self.log_requests = log_requests
        self.metrics = metrics
        self.headers_for = headers_for
        self.log = logging.getLogger(ACCESS_LOG)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id_from(scope.get("headers") or [])
        scope.setdefault("state", {})["request_id"] = rid
        extra = {**self.headers_for(scope["path"]), REQUEST_ID_HEADER: rid}
        replaced = {k.lower().encode() for k in extra}
        status = 500
        started = False
        disconnected = completed = False
        t0 = time.perf_counter()

        async def receive_watched() -> Message:
            nonlocal disconnected
            message = await receive()
            if (
                message["type"] == "http.disconnect" and not completed
            ):  # after the answer it is only the end
                disconnected = True
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started, completed
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                completed = True
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message["headers"] = [
                    *[(k, v) for k, v in message.get("headers", []) if k.lower() not in replaced],
                    *[(k.lower().encode(), v.encode()) for k, v in extra.items()],
                ]
            await send(message)

        outcome: str | None = None
        try:
            await self.app(scope, receive_watched, send_with_headers)
        except Exception:
            if disconnected:
                outcome = "client closed the connection"
            else:
                self.log.exception(
                    "unhandled error", extra={"request_id": rid, "path": scope["path"]}
                )
                status = 500
                if not started:
                    await send_json(
                        send,
                        500,
                        {"detail": f"internal error; quote request id {rid} when reporting it"},
                        extra,
                    )
        finally:
            seconds = time.perf_counter() - t0
            route = route_label(scope)
            method = scope["method"]
            client_error = (scope.get("state") or {}).get("qa_client_error")
            if not started and (disconnected or client_error):
                # The client hung up or broke the protocol before an answer: nginx's 499, or the 400 uvicorn sent.
                status = 400 if client_error == "protocol" else 499
                outcome = (
                    "client protocol error (400 sent by the server)"
                    if client_error
                    else "client closed the connection"
                )
                self.metrics.dropped.labels(
                    "protocol_error" if client_error else "disconnect"
                ).inc()
            elif disconnected and outcome is None and started:
                outcome = "client closed the connection during the response"
                self.metrics.dropped.labels("disconnect").inc()
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(seconds)
            client = scope.get("client")
            if self.log_requests:
                fields = {
                    "request_id": rid,
                    "method": method,
                    "path": scope["path"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "client": client[0] if client else None,
                }
                if outcome:
                    fields["outcome"] = outcome
                self.log.info("request", extra=fields)
