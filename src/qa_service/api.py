"""FastAPI app: routes, schemas, errors, the static chat page.

Model and index work runs in the thread pool (sync routes), so the event loop only moves
bytes; every bad input is a 4xx with a message that says what to change.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import iterate_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from qa_service.config import Settings, get_settings
from qa_service.corpus import DOC_ID_RE
from qa_service.gaps import GapsReport, find_gaps, parse_since
from qa_service.observability import Metrics, RequestContext, configure_logging
from qa_service.question_log import FeedbackRecord, QuestionLog, QuestionLogCollector, utcnow
from qa_service.request_limits import BodySizeLimit, RateLimiter, check_text, check_top_k
from qa_service.schemas import (
    AskRequest,
    AskResponse,
    CancelResponse,
    DocumentFull,
    DocumentList,
    DocumentSummary,
    ErrorResponse,
    FeedbackRequest,
    FeedbackResponse,
    Health,
    ReindexResponse,
    ReindexStatus,
    SearchRequest,
    SearchResponse,
    SourceOut,
)
from qa_service.security import CSP, add_cors, check_admin, security_headers
from qa_service.server import HeaderCountLimit
from qa_service.service import QAService

WEB_DIR = Path(__file__).parent / "web"
ERRORS = {code: {"model": ErrorResponse} for code in (400, 401, 404, 413, 422, 429, 431, 503)}
__all__ = ["CSP", "create_app"]
_UNREADABLE_BODY = "There was an error parsing the body"
_UNREADABLE_HINT = 'the request body could not be read as JSON; send a UTF-8 JSON object such as {"question": "..."}'


def _error_text(err: dict) -> str:
    """One validation error in words that say what to change (never echoing the input)."""
    loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
    kind = err.get("type", "")
    msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    if kind == "json_invalid":
        ctx = err.get("ctx") or {}
        return f"the body is not valid JSON ({ctx.get('error', msg)}); send a JSON object"
    if kind == "extra_forbidden":
        return f"unknown field '{loc}': remove it"
    if kind == "missing":
        return f"field '{loc}' is required" if loc else "a JSON body is required"
    if kind in ("model_attributes_type", "dict_type", "model_type"):
        return f'{loc or "the body"} must be a JSON object, e.g. {{"question": "..."}}'
    return f"{loc}: {msg}" if loc else msg


def _validation_message(exc: RequestValidationError) -> str:
    errors = list(exc.errors())
    parts = [_error_text(e) for e in errors[:10]]
    if len(errors) > 10:
        parts.append(f"and {len(errors) - 10} more problems")
    return "; ".join(parts) or "invalid request"


def create_app(settings: Settings | None = None, service: QAService | None = None) -> FastAPI:
    """The app; `service` may be given (tests, `serve` after a build) or is made at start-up."""
    settings = settings or get_settings()

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

    # FastAPIOffline serves /docs and /redoc with Swagger UI and ReDoc from the package, not a CDN.
    app = FastAPIOffline(
        title="qa-service",
        summary="Answers with citations over a curated corpus on Mexico–Peru relations.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.metrics = metrics = Metrics(lambda: getattr(app.state, "service", None))
    metrics.registry.register(
        QuestionLogCollector(
            lambda: getattr(getattr(app.state, "service", None), "question_log", None)
        )
    )
    if settings.request_log:
        configure_logging()
    rate = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_storage)
    admin_failures = RateLimiter(
        settings.admin_auth_failures_per_minute, settings.rate_limit_storage, "admin-auth"
    )
    # Outermost last: request id, headers, logs and metrics wrap CORS, which wraps the size limits.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeaderCountLimit, max_count=settings.max_header_count)
    add_cors(app, settings.cors_origins)
    app.add_middleware(
        RequestContext,
        metrics=metrics,
        headers_for=security_headers,
        log_requests=settings.request_log,
    )

    def svc(request: Request) -> QAService:
        return request.app.state.service

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = _UNREADABLE_HINT if exc.detail == _UNREADABLE_BODY else exc.detail
        if exc.status_code == 404 and detail == "Not Found":
            detail = (
                "no such page or API route; the chat page is at / and the API is listed at /docs"
            )
        headers = exc.headers
        if exc.status_code == 405 and detail == "Method Not Allowed":
            # Starlette's Allow names only the first route on the path; a path may have several (the admin reindex).
            methods = sorted(
                {
                    m
                    for r in request.app.router.routes
                    if isinstance(r, APIRoute) and r.path_regex.match(request.url.path)
                    for m in r.methods or ()
                }
            )
            allow = ", ".join(methods) or {
                k.lower(): v for k, v in (exc.headers or {}).items()
            }.get("allow", "")
            headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"} | {
                "Allow": allow
            }
            detail = f"{request.method} is not allowed here; use {allow or 'another method'}"
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)

    def limit_rate(request: Request) -> None:
        """Questions per client per minute (QA_RATE_LIMIT_PER_MINUTE): 429 with Retry-After over it."""
        rate.check(request.client.host if request.client else "unknown")

    def check_limits(req: AskRequest) -> AskRequest:
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

    @app.post(
        "/api/ask",
        response_model=AskResponse,
        responses=ERRORS,
        tags=["questions"],
        dependencies=[Depends(limit_rate)],
    )
    def ask(
        req: AskRequest = Depends(check_limits), service: QAService = Depends(svc)
    ) -> AskResponse:
        """Answer a question with citations; `history` carries the conversation so far."""
        return service.ask(req.question, req.history, req.top_k)

    @app.post(
        "/api/ask/stream",
        responses=ERRORS,
        tags=["questions"],
        response_class=StreamingResponse,
        dependencies=[Depends(limit_rate)],
    )
    def ask_stream(
        req: AskRequest = Depends(check_limits), service: QAService = Depends(svc)
    ) -> StreamingResponse:
        """The same answer as server-sent events: `citations`, then `delta` pieces, then `done` (or `error`)."""

        def events() -> Iterator[str]:
            try:
                resp = service.ask(req.question, req.history, req.top_k)
                cites = [c.model_dump() for c in resp.citations]
                yield _sse("citations", {"citations": cites, "found": resp.found})
                for piece in _pieces(resp.answer):
                    yield _sse("delta", {"text": piece})
                yield _sse("done", resp.model_dump())
            except Exception as e:
                yield _sse(
                    "error", {"detail": f"the answer could not be completed: {type(e).__name__}"}
                )

        return StreamingResponse(
            iterate_in_threadpool(events()),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    @app.post(
        "/api/search",
        response_model=SearchResponse,
        responses=ERRORS,
        tags=["questions"],
        dependencies=[Depends(limit_rate)],
    )
    def search(req: SearchRequest, service: QAService = Depends(svc)) -> SearchResponse:
        """Passages for a query, best first, without composing an answer."""
        check_text("query", req.query, settings.max_question_chars, "QA_MAX_QUESTION_CHARS")
        check_top_k(req.top_k, settings.max_top_k)
        return SearchResponse(results=service.search(req.query, req.top_k))

    @app.post(
        "/api/feedback",
        response_model=FeedbackResponse,
        status_code=202,
        responses=ERRORS,
        tags=["questions"],
        dependencies=[Depends(limit_rate)],
    )
    def feedback(req: FeedbackRequest, service: QAService = Depends(svc)) -> FeedbackResponse:
        """Thumbs up or down (and an optional comment) on an answer, by the `id` it came with.

        Accepted without looking the id up: the answer may have come from another replica,
        and the log is written in the background. Voted-down answers show in `qa-service gaps`.
        """
        if service.question_log is None:
            return FeedbackResponse(status="not_recorded")
        comment = req.comment.strip() if req.comment and req.comment.strip() else None
        service.question_log.feedback(
            FeedbackRecord(answer_id=req.id, given_at=utcnow(), rating=req.rating, comment=comment)
        )
        return FeedbackResponse(status="recorded")

    @app.get("/api/admin/gaps", response_model=GapsReport, responses=ERRORS, tags=["service"])
    def gaps(
        since: str = Query("30d", max_length=40, description="30d, 12h, 2w, or an ISO date."),
        limit: int = Query(20, ge=1, le=200, description="Clusters to return, largest first."),
        authorization: str | None = Header(None),
        service: QAService = Depends(svc),
    ) -> GapsReport:
        """What the corpus could not answer: declined and voted-down questions in clusters (Bearer QA_ADMIN_TOKEN)."""
        check_admin(settings.admin_token, authorization, "the gaps report")
        if service.question_log is None:
            raise HTTPException(
                404,
                "the question log is off (QA_LOG_QUESTIONS=false), so there are no gaps to report",
            )
        try:
            start = parse_since(since)
        except ValueError as e:
            raise HTTPException(422, str(e)) from None
        try:
            return find_gaps(
                service.question_log,
                service.embedder,
                service.state.retriever,
                start,
                settings.gaps_distance,
                limit,
            )
        except SQLAlchemyError as e:
            raise HTTPException(
                503, f"the question log cannot be read: {type(e).__name__}; see the server log"
            ) from None

    def _summary(service: QAService, doc_id: str) -> DocumentSummary:
        data = service.state.data
        d = data.documents[doc_id]
        return DocumentSummary(
            doc_id=d.doc_id,
            title=d.title,
            published=d.published.isoformat(),
            topics=d.topics,
            sources=[SourceOut(title=s.title, url=str(s.url)) for s in d.sources],
            chunks=data.manifest.documents[doc_id].chunks,
        )

    @app.get("/api/documents", response_model=DocumentList, tags=["corpus"])
    def documents(service: QAService = Depends(svc)) -> DocumentList:
        """Every document in the index in service."""
        return DocumentList(
            documents=[_summary(service, i) for i in sorted(service.state.data.documents)]
        )

    @app.get(
        "/api/documents/{doc_id}", response_model=DocumentFull, responses=ERRORS, tags=["corpus"]
    )
    def document(doc_id: str, service: QAService = Depends(svc)) -> DocumentFull:
        """One document with its body: citation offsets index into `body`."""
        data = service.state.data
        if not DOC_ID_RE.match(doc_id) or doc_id not in data.documents:
            raise HTTPException(
                404, f"no document with id {doc_id!r}; GET /api/documents lists them"
            )
        return DocumentFull(
            **_summary(service, doc_id).model_dump(), body=data.documents[doc_id].body
        )

    @app.get("/api/health", response_model=Health, tags=["service"])
    def health(service: QAService = Depends(svc)) -> Health:
        """Liveness plus what is being served, and how recent its newest source is (the chat page shows it)."""
        data = service.state.data
        newest = max((d.published for d in data.documents.values()), default=None)
        return Health(
            status="ok",
            documents=len(data.documents),
            chunks=len(data.chunks),
            index_version=data.version,
            model=data.manifest.model,
            sources_up_to=newest.isoformat() if newest else None,
        )

    def admin(request: Request, authorization: str | None = Header(None)) -> None:
        """Bearer QA_ADMIN_TOKEN; failed attempts per client are limited (QA_ADMIN_AUTH_FAILURES_PER_MINUTE)."""
        token = settings.admin_token.get_secret_value() if settings.admin_token else ""
        if not token:
            raise HTTPException(
                404, "reindexing over HTTP is disabled: no QA_ADMIN_TOKEN is configured"
            )
        client = request.client.host if request.client else "unknown"
        wait = admin_failures.waiting(client)
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
            admin_failures.hit(client)
            raise HTTPException(
                401,
                "a valid 'Authorization: Bearer <token>' header is required",
                headers={"WWW-Authenticate": "Bearer"},
            )

    @app.post(
        "/api/admin/reindex",
        response_model=ReindexResponse,
        status_code=202,
        responses=ERRORS,
        tags=["service"],
        dependencies=[Depends(admin)],
    )
    def reindex(service: QAService = Depends(svc)) -> ReindexResponse:
        """Rebuild from the corpus in the background and swap the new index in (Bearer QA_ADMIN_TOKEN).

        During a build, requests are coalesced into one more build after it (`queued`), so the last edit is served.
        """
        status = service.request_rebuild()
        return ReindexResponse(status=status, index_version=service.state.data.version)

    @app.get(
        "/api/admin/reindex",
        response_model=ReindexStatus,
        responses=ERRORS,
        tags=["service"],
        dependencies=[Depends(admin)],
    )
    def reindex_status(service: QAService = Depends(svc)) -> ReindexStatus:
        """Whether a build runs or is queued, and how the last reindex ended (counts, version, duration, error)."""
        return ReindexStatus(
            state="running" if service.rebuilding else "idle",
            queued=service.rebuild_queued,
            index_version=service.state.data.version,
            last=service.last_outcome,
            last_report=service.last_success,
            last_error=service.last_error,
        )

    @app.delete(
        "/api/admin/reindex",
        response_model=CancelResponse,
        responses=ERRORS,
        tags=["service"],
        dependencies=[Depends(admin)],
    )
    def cancel_reindex(service: QAService = Depends(svc)) -> CancelResponse:
        """Cancel the running build and any queued one; the index in service stays."""
        cancelled = service.cancel_rebuild()
        return CancelResponse(
            status="cancelled" if cancelled else "idle", index_version=service.state.data.version
        )

    @app.get("/metrics", include_in_schema=False)
    def metrics_page() -> Response:
        """Prometheus metrics: requests and latency by route, index size, last reindex."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html")

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    _document_limits(app, settings)
    return app


def _document_limits(app: FastAPI, settings: Settings) -> None:
    """Put the configured limits into the OpenAPI schema, so what it calls valid is what is accepted."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            apply_limits(generate(), settings)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def apply_limits(schema: dict, settings: Settings) -> None:
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


def _sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _pieces(answer: str, size: int = 24) -> Iterator[str]:
    """The answer in small word-aligned pieces (joined, exactly the answer), so the page can show it forming."""
    buf = ""
    for token in re.findall(r"\s*\S+\s*", answer) or [answer]:
        buf += token
        if len(buf) >= size:
            yield buf
            buf = ""
    if buf:
        yield buf
