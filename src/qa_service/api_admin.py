"""Admin routes (Bearer QA_ADMIN_TOKEN): the gaps report and reindexing."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from sqlalchemy.exc import SQLAlchemyError

from qa_service.api_deps import ERRORS, admin, settings_of, svc
from qa_service.gaps import GapsReport, find_gaps, parse_since
from qa_service.schemas import CancelResponse, ReindexResponse, ReindexStatus
from qa_service.security import check_admin
from qa_service.service import QAService

router = APIRouter(tags=["service"], responses=ERRORS)
reindex_router = APIRouter(tags=["service"], responses=ERRORS, dependencies=[Depends(admin)])


@router.get("/api/admin/gaps", response_model=GapsReport)
def gaps(
    request: Request,
    since: str = Query("30d", max_length=40, description="30d, 12h, 2w, or an ISO date."),
    limit: int = Query(20, ge=1, le=200, description="Clusters to return, largest first."),
    authorization: str | None = Header(None),
    service: QAService = Depends(svc),
) -> GapsReport:
    """What the corpus could not answer: declined and voted-down questions in clusters (Bearer QA_ADMIN_TOKEN)."""
    settings = settings_of(request)
    check_admin(settings.admin_token, authorization, "the gaps report")
    if service.question_log is None:
        raise HTTPException(
            404, "the question log is off (QA_LOG_QUESTIONS=false), so there are no gaps to report"
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


@reindex_router.post("/api/admin/reindex", response_model=ReindexResponse, status_code=202)
def reindex(service: QAService = Depends(svc)) -> ReindexResponse:
    """Rebuild from the corpus in the background and swap the new index in (Bearer QA_ADMIN_TOKEN).

    During a build, requests are coalesced into one more build after it (`queued`), so the last edit is served.
    """
    status = service.request_rebuild()
    return ReindexResponse(status=status, index_version=service.state.data.version)


@reindex_router.get("/api/admin/reindex", response_model=ReindexStatus)
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


@reindex_router.delete("/api/admin/reindex", response_model=CancelResponse)
def cancel_reindex(service: QAService = Depends(svc)) -> CancelResponse:
    """Cancel the running build and any queued one; the index in service stays."""
    cancelled = service.cancel_rebuild()
    return CancelResponse(
        status="cancelled" if cancelled else "idle", index_version=service.state.data.version
    )
