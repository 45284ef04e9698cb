"""Routes that answer: ask, ask as a stream, search, and feedback on an answer."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from qa_service.api_deps import ERRORS, check_limits, limit_rate, settings_of, svc
from qa_service.question_log import FeedbackRecord, utcnow
from qa_service.request_limits import check_text, check_top_k
from qa_service.schemas import (
    AskRequest,
    AskResponse,
    FeedbackRequest,
    FeedbackResponse,
    SearchRequest,
    SearchResponse,
)
from qa_service.service import QAService

router = APIRouter(tags=["questions"], dependencies=[Depends(limit_rate)], responses=ERRORS)
# Characters per streamed piece: small enough that the page shows the answer forming.
PIECE_CHARS = 24


def sse(event: str, data: object) -> str:
    """One server-sent event, as the page's reader expects it."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def pieces(answer: str, size: int = PIECE_CHARS) -> Iterator[str]:
    """The answer in small word-aligned pieces (joined, exactly the answer), so the page can show it forming."""
    buf = ""
    for token in re.findall(r"\s*\S+\s*", answer) or [answer]:
        buf += token
        if len(buf) >= size:
            yield buf
            buf = ""
    if buf:
        yield buf


@router.post("/api/ask", response_model=AskResponse)
def ask(req: AskRequest = Depends(check_limits), service: QAService = Depends(svc)) -> AskResponse:
    """Answer a question with citations; `history` carries the conversation so far."""
    return service.ask(req.question, req.history, req.top_k)


def _events(service: QAService, req: AskRequest) -> Iterator[str]:
    """citations, then delta pieces, then done; an error event if the answer fails midway."""
    try:
        resp = service.ask(req.question, req.history, req.top_k)
        cites = [c.model_dump() for c in resp.citations]
        yield sse("citations", {"citations": cites, "found": resp.found})
        for piece in pieces(resp.answer):
            yield sse("delta", {"text": piece})
        yield sse("done", resp.model_dump())
    except Exception as e:
        yield sse("error", {"detail": f"the answer could not be completed: {type(e).__name__}"})


@router.post("/api/ask/stream", response_class=StreamingResponse)
def ask_stream(
    req: AskRequest = Depends(check_limits), service: QAService = Depends(svc)
) -> StreamingResponse:
    """The same answer as server-sent events: `citations`, then `delta` pieces, then `done` (or `error`)."""
    return StreamingResponse(
        iterate_in_threadpool(_events(service, req)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.post("/api/search", response_model=SearchResponse)
def search(
    req: SearchRequest, request: Request, service: QAService = Depends(svc)
) -> SearchResponse:
    """Passages for a query, best first, without composing an answer."""
    settings = settings_of(request)
    check_text("query", req.query, settings.max_question_chars, "QA_MAX_QUESTION_CHARS")
    check_top_k(req.top_k, settings.max_top_k)
    return SearchResponse(results=service.search(req.query, req.top_k))


@router.post("/api/feedback", response_model=FeedbackResponse, status_code=202)
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
