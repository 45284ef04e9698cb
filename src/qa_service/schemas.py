"""Pydantic models at the edges: what the HTTP API and `ask --json` speak."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


def json_integer(v: object) -> object:
    """JSON Schema's integer: 5 and 5.0 pass, but not true or "5", which lax pydantic would take."""
    if isinstance(v, (bool, str, bytes)):
        raise ValueError("must be a whole number, such as 5, not text or true/false")
    return v


class Turn(BaseModel):
    """One earlier message of the conversation."""

    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(max_length=100_000)


class AskRequest(BaseModel):
    """A question, optionally with the conversation so far."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="The question, in plain words.", examples=["When did the Trade Integration Agreement enter into force?"])
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first.")
    top_k: int | None = Field(None, ge=1, le=20, description="Passages to consider (1..20).")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("question is empty: write a question")
        return v

    _top_k_is_integer = field_validator("top_k", mode="before")(json_integer)


class SearchRequest(BaseModel):
    """A query for passages, without composing an answer."""

    model_config = ConfigDict(extra="forbid")
    query: str
    top_k: int = Field(5, ge=1, le=20, description="Passages to return (1..20).")

    @field_validator("query")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("query is empty: write a few words to search for")
        return v

    _top_k_is_integer = field_validator("top_k", mode="before")(json_integer)


class Passage(BaseModel):
    """A retrieved passage with where it stands in its document."""

    doc_id: str
    title: str
    url: str | None
    published: str | None
    chunk_id: str
    text: str
    start: int
    end: int
    score: float


class Citation(Passage):
    """A passage the answer cites as `[n]`."""

    n: int


def new_answer_id() -> str:
    """A fresh answer id (uuid4 hex): what `POST /api/feedback` refers to."""
    return uuid.uuid4().hex


class AskResponse(BaseModel):
    """A grounded answer: every `[n]` in `answer` is one of `citations`."""

    id: str = Field(default_factory=new_answer_id, description="This answer's id; send it with POST /api/feedback.")
    answer: str
    found: bool
    citations: list[Citation]
    took_ms: float


class FeedbackRequest(BaseModel):
    """A reader's verdict on one answer."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[0-9a-f]{32}$", description="The `id` of the AskResponse judged.")
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=1000, description="Optional words on what was wrong or missing.")


class FeedbackResponse(BaseModel):
    status: Literal["recorded", "not_recorded"] = Field(
        description="`not_recorded` when the question log is off (QA_LOG_QUESTIONS=false)."
    )


class SearchResponse(BaseModel):
    results: list[Passage]


class Health(BaseModel):
    status: Literal["ok"]
    documents: int
    chunks: int
    index_version: str
    model: str


class SourceOut(BaseModel):
    title: str
    url: str


class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    published: str
    topics: list[str]
    sources: list[SourceOut]
    chunks: int


class DocumentFull(DocumentSummary):
    body: str


class DocumentList(BaseModel):
    documents: list[DocumentSummary]


class ReindexResponse(BaseModel):
    status: Literal["started", "running"]
    index_version: str


class ErrorResponse(BaseModel):
    detail: str | list
