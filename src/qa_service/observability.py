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
        """Index and model gauges read at scrape time, so /metrics never goes stale."""
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
        ex = _Exchange(receive, send, {**self.headers_for(scope["path"]), REQUEST_ID_HEADER: rid})
        t0 = time.perf_counter()
        try:
            await self.app(scope, ex.receive_watched, ex.send_with_headers)
        except Exception:
            if ex.disconnected:
                ex.outcome = "client closed the connection"
            else:
                self.log.exception(
                    "unhandled error", extra={"request_id": rid, "path": scope["path"]}
                )
                ex.status = 500
                if not ex.started:
                    detail = f"internal error; quote request id {rid} when reporting it"
                    await send_json(send, 500, {"detail": detail}, ex.extra)
        finally:
            self._finish(scope, ex, rid, time.perf_counter() - t0)

    def _settle_dropped(self, scope: Scope, ex: _Exchange) -> None:
        """Count a client that hung up or broke the protocol, and say so in the outcome."""
        client_error = (scope.get("state") or {}).get("qa_client_error")
        if not ex.started and (ex.disconnected or client_error):
            # The client hung up or broke the protocol before an answer: nginx's 499, or the 400 uvicorn sent.
            ex.status = 400 if client_error == "protocol" else 499
            ex.outcome = (
                "client protocol error (400 sent by the server)"
                if client_error
                else "client closed the connection"
            )
            self.metrics.dropped.labels("protocol_error" if client_error else "disconnect").inc()
        elif ex.disconnected and ex.outcome is None and ex.started:
            ex.outcome = "client closed the connection during the response"
            self.metrics.dropped.labels("disconnect").inc()

    def _finish(self, scope: Scope, ex: _Exchange, rid: str, seconds: float) -> None:
        """Metrics by route and status, and one JSON log line, for every request."""
        route = route_label(scope)
        method = scope["method"]
        self._settle_dropped(scope, ex)
        self.metrics.requests.labels(method, route, str(ex.status)).inc()
        self.metrics.latency.labels(method, route).observe(seconds)
        if not self.log_requests:
            return
        client = scope.get("client")
        fields = {
            "request_id": rid,
            "method": method,
            "path": scope["path"],
            "route": route,
            "status": ex.status,
            "duration_ms": round(seconds * 1000, 2),
            "client": client[0] if client else None,
        }
        if ex.outcome:
            fields["outcome"] = ex.outcome
        self.log.info("request", extra=fields)


class _Exchange:
    """One request's progress as the middleware sees it: status sent, disconnects, headers to add."""

    def __init__(self, receive: Receive, send: Send, extra: dict[str, str]) -> None:
        self._receive, self._send, self.extra = receive, send, extra
        self._replaced = {k.lower().encode() for k in extra}
        self.status = 500
        self.started = self.disconnected = self.completed = False
        self.outcome: str | None = None

    async def receive_watched(self) -> Message:
        """The app's receive, noting a disconnect that comes before the answer is complete."""
        message = await self._receive()
        if message["type"] == "http.disconnect" and not self.completed:
            self.disconnected = True  # after the answer it is only the end
        return message

    async def send_with_headers(self, message: Message) -> None:
        """The app's send, with the fixed headers put on the response start."""
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.completed = True
        if message["type"] == "http.response.start":
            self.status, self.started = message["status"], True
            message["headers"] = [
                *[(k, v) for k, v in message.get("headers", []) if k.lower() not in self._replaced],
                *[(k.lower().encode(), v.encode()) for k, v in self.extra.items()],
            ]
        await self._send(message)
