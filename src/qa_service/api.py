"""FastAPI app assembly: middleware, error handlers and the routers, grouped by concern.

Model and index work runs in the thread pool (sync routes), so the event loop only moves
bytes; every bad input is a 4xx with a message that says what to change. The routes live in
api_questions, api_documents, api_admin, api_health and api_page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from qa_service import api_admin, api_documents, api_health, api_page, api_questions
from qa_service.api_errors import add_error_handlers
from qa_service.config import Settings, get_settings
from qa_service.observability import Metrics, RequestContext, configure_logging
from qa_service.question_log import QuestionLog, QuestionLogCollector
from qa_service.request_limits import BodySizeLimit, RateLimiter
from qa_service.security import CSP, add_cors, security_headers
from qa_service.server import HeaderCountLimit
from qa_service.service import QAService

__all__ = ["CSP", "create_app"]
ROUTERS = (
    api_questions.router,
    api_documents.router,
    api_admin.router,
    api_admin.reindex_router,
    api_health.router,
    api_page.router,
)


def _lifespan(settings: Settings) -> Any:
    """Make the service at start-up unless one was given, and close what was made here."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        made = getattr(app.state, "service", None) is None
        if made:
            app.state.service = QAService(
                settings, question_log=QuestionLog.from_settings(settings)
            )
        yield
        if made:
            app.state.service.close()

    return lifespan


def _add_middleware(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """Outermost last: request id, headers, logs and metrics wrap CORS, which wraps the size limits."""
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeaderCountLimit, max_count=settings.max_header_count)
    add_cors(app, settings.cors_origins)
    app.add_middleware(
        RequestContext,
        metrics=metrics,
        headers_for=security_headers,
        log_requests=settings.request_log,
    )


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """The app; `service` may be given (tests, `serve` after a build) or is made at start-up."""
    settings = settings or get_settings()
    # FastAPIOffline serves /docs and /redoc with Swagger UI and ReDoc from the package, not a CDN.
    app = FastAPIOffline(
        title="qa-service",
        summary="Answers with citations over a curated corpus on Mexico–Peru relations.",
        version="0.1.0",
        lifespan=_lifespan(settings),
    )
    app.state.service = service
    app.state.settings = settings
    app.state.rate = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_storage)
    app.state.admin_failures = RateLimiter(
        settings.admin_auth_failures_per_minute, settings.rate_limit_storage, "admin-auth"
    )
    app.state.metrics = metrics = Metrics(lambda: getattr(app.state, "service", None))
    metrics.registry.register(
        QuestionLogCollector(
            lambda: getattr(getattr(app.state, "service", None), "question_log", None)
        )
    )
    if settings.request_log:
        configure_logging()
    _add_middleware(app, settings, metrics)
    add_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    api_page.mount_static(app)
    _document_limits(app, settings)
    return app


def _document_limits(app: FastAPI, settings: Settings) -> None:
    """Put the configured limits into the OpenAPI schema, so what it calls valid is what is accepted."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            apply_limits(generate(), settings)
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def apply_limits(schema: dict[str, Any], settings: Settings) -> None:
    """Write the configured sizes into the request models of an OpenAPI schema."""
    models = schema.get("components", {}).get("schemas", {})
    text = {"minLength": 1, "maxLength": settings.max_question_chars, "pattern": r"\S"}
    for model, field in (("AskRequest", "question"), ("SearchRequest", "query")):
        props = models.get(model, {}).get("properties", {})
        if field in props:
            props[field].update(text)
        if "top_k" in props:
            for option in props["top_k"].get("anyOf", [props["top_k"]]):
                if option.get("type") == "integer":
                    option["maximum"] = settings.max_top_k
    history = models.get("AskRequest", {}).get("properties", {}).get("history")
    if history is not None:
        history["maxItems"] = settings.max_history_turns
    content = models.get("Turn", {}).get("properties", {}).get("content")
    if content is not None:
        content["maxLength"] = min(settings.max_turn_chars, settings.max_history_chars)
