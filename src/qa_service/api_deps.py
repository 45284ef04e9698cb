"""What the routes share: the service, the settings, the rate limits and the admin check.

Each is read from `app.state`, set once by `create_app`, so the routers hold no closures.
"""

from __future__ import annotations

import hmac
from typing import cast

from fastapi import Header, HTTPException, Request

from qa_service.config import Settings
from qa_service.request_limits import RateLimiter, check_text, check_top_k
from qa_service.schemas import AskRequest, ErrorResponse
from qa_service.service import QAService

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 404, 413, 422, 429, 431, 503)
}


def svc(request: Request) -> QAService:
    """The service answering in this app (swapped whole on reindex, so read per request)."""
    return cast(QAService, request.app.state.service)


def settings_of(request: Request) -> Settings:
    """The settings this app was made with."""
    return cast(Settings, request.app.state.settings)


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def limit_rate(request: Request) -> None:
    """Questions per client per minute (QA_RATE_LIMIT_PER_MINUTE): 429 with Retry-After over it."""
    cast(RateLimiter, request.app.state.rate).check(_client(request))


def check_limits(req: AskRequest, request: Request) -> AskRequest:
    """The question and history within the configured sizes, or a 422 that says which limit."""
    settings = settings_of(request)
    check_text("question", req.question, settings.max_question_chars, "QA_MAX_QUESTION_CHARS")
    check_top_k(req.top_k, settings.max_top_k)
    if len(req.history) > settings.max_history_turns:
        raise HTTPException(
            422,
            f"history has {len(req.history)} turns; send at most the last {settings.max_history_turns} (QA_MAX_HISTORY_TURNS)",
        )
    size = sum(len(t.content) for t in req.history)
    if size > settings.max_history_chars:
        raise HTTPException(
            422,
            f"history holds {size} characters; send at most {settings.max_history_chars} (QA_MAX_HISTORY_CHARS): drop the oldest turns",
        )
    for i, turn in enumerate(req.history):
        check_text(
            f"history.{i}.content", turn.content, settings.max_turn_chars, "QA_MAX_TURN_CHARS"
        )
    return req


def admin(request: Request, authorization: str | None = Header(None)) -> None:
    """Bearer QA_ADMIN_TOKEN; failed attempts per client are limited (QA_ADMIN_AUTH_FAILURES_PER_MINUTE)."""
    settings = settings_of(request)
    token = settings.admin_token.get_secret_value() if settings.admin_token else ""
    if not token:
        raise HTTPException(
            404, "reindexing over HTTP is disabled: no QA_ADMIN_TOKEN is configured"
        )
    failures = cast(RateLimiter, request.app.state.admin_failures)
    client = _client(request)
    wait = failures.waiting(client)
    if wait is not None:
        raise HTTPException(
            429,
            f"too many failed admin authentications from this client (QA_ADMIN_AUTH_FAILURES_PER_MINUTE); "
            f"wait {wait} s",
            headers={"Retry-After": str(wait)},
        )
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        failures.hit(client)
        raise HTTPException(
            401,
            "a valid 'Authorization: Bearer <token>' header is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
