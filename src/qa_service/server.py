"""The HTTP server stack: uvicorn's h11 protocol with limits at the edge.

uvicorn gives the keep-alive timeout (`timeout_keep_alive`), the header size cap (h11's
`max_incomplete_event_size`: past it, h11 refuses the request) and the proxy-header
handling (`forwarded_allow_ips`); it has no timeout for reading a request's header and no
hard cap on open connections (`limit_concurrency` still accepts and holds them), so this
module adds those two to its protocol class, plus a 431 for too many header fields.
Every connection the server drops is logged and counted, by why.

    uvicorn_config(app, settings, host, port)   # what `qa-service serve` and the tests run
"""

from __future__ import annotations

import asyncio
import errno
import logging
import resource
import socket
import time
from collections.abc import Callable
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from qa_service.config import Settings
from qa_service.request_limits import ASGIApp, Receive, Scope, Send, send_json

log = logging.getLogger("qa_service.server")
CLIENT_ERROR_KEY = (
    "qa_client_error"  # set in a request's scope state when the client broke the protocol
)


class _Throttled:
    """One warning per reason every `period` seconds, with how many happened since the last."""

    def __init__(self, period: float = 10.0) -> None:
        self.period = period
        self.last: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def warn(self, reason: str, message: str) -> None:
        """Count a refused connection and log it at most once per period, so floods cannot flood the log."""
        self.counts[reason] = self.counts.get(reason, 0) + 1
        now = time.monotonic()
        if now - self.last.get(reason, -self.period) >= self.period:
            log.warning("%s (%d since the last such line)", message, self.counts[reason])
            self.last[reason], self.counts[reason] = now, 0


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header read timeout, a connection cap and 431 for huge headers.

    `guarded_protocol` makes the subclass that carries the settings; its `count(reason)`
    is called for every connection these limits close (for metrics).
    """

    settings: Settings
    throttle: _Throttled
    header_timer: asyncio.TimerHandle | None = None

    @staticmethod
    def count(reason: str) -> None:
        """Called for every connection closed by these limits; `guarded_protocol` sets it."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Refuse a connection past the cap at once, and start the header timer."""
        super().connection_made(transport)
        if len(self.connections) > self.settings.max_connections:
            self.count("connection_limit")
            self.throttle.warn(
                "connection_limit",
                f"connection refused: {self.settings.max_connections} connections are open (QA_MAX_CONNECTIONS)",
            )
            body = b"too many open connections; try again shortly\n"
            transport.write(
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
                b"connection: close\r\nretry-after: 1\r\ncontent-length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            transport.close()
            return
        self._arm_header_timer()

    def _arm_header_timer(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(
                self.settings.header_timeout_seconds, self._header_timed_out
            )

    def _disarm_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def _header_timed_out(self) -> None:
        self.header_timer = None
        if self.transport.is_closing() or (
            self.cycle is not None and not self.cycle.response_complete
        ):
            return
        self.count("header_timeout")
        client = self.client[0] if self.client else "?"
        self.throttle.warn(
            "header_timeout",
            f"closed a connection from {client}: no complete request header within "
            f"{self.settings.header_timeout_seconds:g} s (QA_HEADER_TIMEOUT_SECONDS)",
        )
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        """Check header size and count before h11 parses them."""
        idle = self.cycle is None or self.cycle.response_complete
        before = self.cycle
        if idle:
            self._arm_header_timer()  # the next request's header has started arriving
        super().data_received(data)
        if self.cycle is not before:
            self._disarm_header_timer()  # a whole header was read: the request runs

    def connection_lost(self, exc: Exception | None) -> None:
        """Release this connection's place under the cap."""
        self._disarm_header_timer()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """Answer malformed or oversized headers with 431 where that is what happened."""
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.scope["state"][CLIENT_ERROR_KEY] = (
                "protocol"  # e.g. a malformed chunked body
            )
        pending = len(self.conn.trailing_data[0])
        if pending <= self.settings.max_header_bytes:
            self.count("protocol_error")
            self.throttle.warn(
                "protocol_error",
                f"invalid HTTP from {self.client[0] if self.client else '?'}: {msg}",
            )
            super().send_400_response(msg)
            return
        self.count("header_too_large")
        self.throttle.warn(
            "header_too_large",
            f"refused a request header over {self.settings.max_header_bytes} bytes (QA_MAX_HEADER_BYTES)",
        )
        body = f"the request header is larger than {self.settings.max_header_bytes} bytes (QA_MAX_HEADER_BYTES)\n".encode()
        for event in (
            h11.Response(
                status_code=431,
                headers=[
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"connection", b"close"),
                ],
                reason=b"Request Header Fields Too Large",
            ),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()


def guarded_protocol(
    settings: Settings, dropped: Callable[[str], None] | None = None
) -> type[H11Protocol]:
    """The guarded protocol for these settings; `dropped(reason)` counts each connection it closes."""
    count = dropped or (lambda reason: None)
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {"settings": settings, "throttle": _Throttled(), "count": staticmethod(count)},
    )


class HeaderCountLimit:
    """ASGI middleware: 431 when a request carries more than `max_count` header fields."""

    def __init__(self, app: ASGIApp, max_count: int) -> None:
        self.app = app
        self.max_count = max_count

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and len(scope.get("headers") or ()) > self.max_count:
            await send_json(
                send,
                431,
                {
                    "detail": f"the request has more than {self.max_count} header fields (QA_MAX_HEADER_COUNT)"
                },
                {"Connection": "close"},
            )
            return
        await self.app(scope, receive, send)


def uvicorn_config(
    app: Any, settings: Settings, host: str = "127.0.0.1", port: int = 8000, **kwargs: Any
) -> uvicorn.Config:
    """The server settings every run uses: limits from `settings`, proxies trusted only when listed."""
    metrics = getattr(getattr(app, "state", None), "metrics", None)
    dropped = (lambda reason: metrics.dropped.labels(reason).inc()) if metrics is not None else None
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(settings, dropped),
        timeout_keep_alive=settings.keep_alive_seconds,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise: only the listed proxies.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or [],
        server_header=False,
        **kwargs,
    )


def listen_socket(host: str, port: int) -> socket.socket:
    """Bind the listening socket now, so a taken port is reported before anything slow starts.

    Raises OSError with a one-line message saying what to do.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        if e.errno == errno.EADDRINUSE:
            raise OSError(
                e.errno,
                f"port {port} on {host} is already in use; choose another with --port "
                f"(make run PORT=...)",
            ) from None
        raise OSError(e.errno, f"cannot listen on {host}:{port}: {e.strerror}") from None
    sock.set_inheritable(True)
    return sock


def raise_open_file_limit(settings: Settings) -> int:
    """Raise the soft open-file limit to the hard one, so QA_MAX_CONNECTIONS fits below it; returns it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if settings.max_connections + 256 > soft:
        log.warning(
            "QA_MAX_CONNECTIONS=%d leaves too few of the %d open files this process may have; lower it",
            settings.max_connections,
            soft,
        )
    return soft
