"""Routes that say how the service is: health (with what is served) and Prometheus metrics."""

from __future__ import annotations

from typing import cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, Field

from qa_service.api_deps import settings_of, svc
from qa_service.observability import Metrics
from qa_service.schemas import Health
from qa_service.service import QAService

router = APIRouter()


class Limits(BaseModel):
    """The request limits this server enforces, so the chat page trims to them instead of copying them."""

    max_question_chars: int = Field(
        description="Longest question accepted (QA_MAX_QUESTION_CHARS)."
    )
    max_history_turns: int = Field(description="Most turns in `history` (QA_MAX_HISTORY_TURNS).")
    max_turn_chars: int = Field(description="Most characters in one turn (QA_MAX_TURN_CHARS).")
    max_history_chars: int = Field(
        description="Most characters across the history (QA_MAX_HISTORY_CHARS)."
    )
    max_top_k: int = Field(description="Largest `top_k` (QA_MAX_TOP_K).")


@router.get("/api/limits", response_model=Limits, tags=["service"])
def limits(request: Request) -> Limits:
    """What a request may hold; the chat page reads this to fit its history to the server."""
    s = settings_of(request)
    return Limits(
        max_question_chars=s.max_question_chars,
        max_history_turns=s.max_history_turns,
        max_turn_chars=s.max_turn_chars,
        max_history_chars=s.max_history_chars,
        max_top_k=s.max_top_k,
    )


@router.get("/api/health", response_model=Health, tags=["service"])
def health(service: QAService = Depends(svc)) -> Health:
    """Liveness plus what is being served, and how recent its newest source is (the chat page shows it)."""
    data = service.state.data
    newest = data.newest
    return Health(
        status="ok",
        documents=len(data.documents),
        chunks=len(data.chunks),
        index_version=data.version,
        model=data.manifest.model,
        sources_up_to=newest.isoformat() if newest else None,
    )


@router.get("/metrics", include_in_schema=False)
def metrics_page(request: Request) -> Response:
    """Prometheus metrics: requests and latency by route, index size, last reindex."""
    metrics = cast(Metrics, request.app.state.metrics)
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
