"""Limits on what one request may carry and how often a client may ask.

The body is counted as it arrives, not only by its Content-Length header, so a chunked
upload cannot slip past the limit; the per-client rate uses the `limits` library's moving
window. Every rejection says what to change.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException
from limits import RateLimitItemPerMinute
from limits.errors import ConfigurationError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
log = logging.getLogger("qa_service.request_limits")


async def send_json(
    send: Send, status: int, payload: dict[str, object], headers: dict[str, str] | None = None
) -> None:
    """A complete JSON response straight from ASGI middleware (before the app runs)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def too_large(max_bytes: int) -> dict[str, object]:
    """The 413 body that names the limit and its setting."""
    return {
        "detail": f"request body is larger than {max_bytes} bytes (QA_MAX_BODY_BYTES); send a shorter question or history"
    }


class BodySizeLimit:
    """ASGI middleware: 413 when the declared or the actually streamed body exceeds `max_bytes`.

    The body (small by construction) is read here in full and replayed to the app, so the
    app never sees a body over the limit, whatever the headers claimed.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_json(
                    send,
                    400,
                    {"detail": "the Content-Length header is not a whole number; send a valid one"},
                )
                return
            if int(declared) > self.max_bytes:
                await send_json(send, 413, too_large(self.max_bytes))
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            piece = message.get("body", b"")
            size += len(piece)
            if size > self.max_bytes:
                await send_json(send, 413, too_large(self.max_bytes))
                return
            chunks.append(piece)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class RateLimiter:
    """Requests per client per minute, in a moving window kept in `storage`.

    `memory://` keeps the counts in this process; a `redis://` URL shares them between
    every worker and replica that names the same Redis. When the store cannot be reached
    the request is let through (logged): a rate limit down must not take answers down.
    """

    def __init__(
        self, per_minute: int, storage: str = "memory://", namespace: str = "questions"
    ) -> None:
        self.per_minute = per_minute
        self.namespace = namespace
        self.item = RateLimitItemPerMinute(per_minute) if per_minute > 0 else None
        try:
            store = storage_from_string(storage)
        except ConfigurationError as e:
            raise ValueError(f"QA_RATE_LIMIT_STORAGE={storage!r}: {e}") from None
        self.limiter = MovingWindowRateLimiter(store) if self.item else None

    def _wait(self, client: str, count: bool) -> int | None:
        if self.item is None or self.limiter is None:
            return None
        try:
            allowed = (self.limiter.hit if count else self.limiter.test)(
                self.item, self.namespace, client
            )
            if allowed:
                return None
            stats = self.limiter.get_window_stats(self.item, self.namespace, client)
        except Exception as e:  # the store is down: answer rather than fail
            log.warning("rate limit store unreachable (%s); request let through", e)
            return None
        return max(1, math.ceil(stats.reset_time - time.time()))

    def hit(self, client: str) -> int | None:
        """Count one request; None when allowed, else the seconds to wait before the next."""
        return self._wait(client, count=True)

    def waiting(self, client: str) -> int | None:
        """Without counting: None when the client may go on, else the seconds until it may."""
        return self._wait(client, count=False)

    def check(self, client: str) -> None:
        """Raise a 429 with Retry-After once a client is over its share."""
        wait = self.hit(client)
        if wait is not None:
            raise HTTPException(
                429,
                f"more than {self.per_minute} questions a minute from this client (QA_RATE_LIMIT_PER_MINUTE); "
                f"wait {wait} s and ask again",
                headers={"Retry-After": str(wait)},
            )


def check_text(field: str, value: str, max_chars: int | None = None, setting: str = "") -> None:
    """422 for text the model cannot read (lone surrogates) or that is over its limit."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise HTTPException(
            422,
            f"{field} holds an unpaired surrogate at character {e.start}, which is not valid Unicode; send UTF-8 text",
        ) from None
    if max_chars is not None and len(value) > max_chars:
        where = f" ({setting})" if setting else ""
        raise HTTPException(
            422, f"{field} is {len(value)} characters; the limit is {max_chars}{where}: shorten it"
        )


def check_top_k(top_k: int | None, max_top_k: int) -> None:
    """Refuse a top_k over the served limit with a 422 that names the setting."""
    if top_k is not None and top_k > max_top_k:
        raise HTTPException(
            422, f"top_k is {top_k}; use a value from 1 to {max_top_k} (QA_MAX_TOP_K)"
        )
