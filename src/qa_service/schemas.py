"""Pydantic models at the edges: what the HTTP API and `ask --json` speak."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa_service.config import TOP_K_LIMIT


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
    question: str = Field(
        description="The question, in plain words.",
        examples=["When did the Trade Integration Agreement enter into force?"],
    )
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first.")
    top_k: int | None = Field(
        None, ge=1, le=TOP_K_LIMIT, description=f"Passages to consider (1..{TOP_K_LIMIT})."
    )

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
    top_k: int = Field(
        5, ge=1, le=TOP_K_LIMIT, description=f"Passages to return (1..{TOP_K_LIMIT})."
    )

    @field_validator("query")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("query is empty: write a few words to search for")
        return v

    _top_k_is_integer = field_validator("top_k", mode="before")(json_integer)


class SourceOut(BaseModel):
    """A source a reader can open to check what a passage says."""

    title: str
    url: str


class Passage(BaseModel):
    """A retrieved passage with where it stands in its document.

    `sources` are the sources of its sentences (for a citation: those of the quoted
    sentences first); `url` is the first of them.
    """

    doc_id: str
    title: str
    url: str | None
    sources: list[SourceOut] = Field(
        description="Sources of its sentences, first the ones the answer quotes."
    )
    published: str | None
    chunk_id: str
    text: str
    start: int
    end: int
    score: float


class Citation(Passage):
    """A passage the answer cites as `[n]`."""

    n: int


class AnswerSentence(BaseModel):
    """One quoted sentence of an answer, as data: where it stands and which citation holds it."""

    text: str
    n: int = Field(description="The citation (`citations[].n`) whose passage holds this sentence.")
    doc_id: str
    start: int = Field(description="Offset of the sentence in its document's body.")
    end: int


def new_answer_id() -> str:
    """A fresh answer id (uuid4 hex): what `POST /api/feedback` refers to."""
    return uuid.uuid4().hex


class AskResponse(BaseModel):
    """A grounded answer: every `[n]` in `answer` is one of `citations`.

    `answer` is `preface` (when there is one) on its own line, then each of `sentences`
    followed by " [n]"; clients should read `preface` and `sentences` rather than parse it.
    """

    id: str = Field(
        default_factory=new_answer_id,
        description="This answer's id; send it with POST /api/feedback.",
    )
    answer: str
    found: bool
    citations: list[Citation]
    took_ms: float
    language: Literal["en", "es"] = Field(
        "en", description="The question's language; framing is written in it."
    )
    preface: str | None = Field(
        None,
        description="A line before the quoted sentences: the date the answer speaks for, a warning, or a correction.",
    )
    sentences: list[AnswerSentence] = Field(
        default_factory=list, description="The quoted sentences, in order."
    )


class FeedbackRequest(BaseModel):
    """A reader's verdict on one answer."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[0-9a-f]{32}$", description="The `id` of the AskResponse judged.")
    rating: Literal["up", "down"]
    comment: str | None = Field(
        None, max_length=1000, description="Optional words on what was wrong or missing."
    )


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
    sources_up_to: str | None = Field(
        None,
        description="ISO date: the newest `published` of the documents in the index in service (null when it is empty).",
    )


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
    """`started`: a build began; `queued`: one is running, and one more build follows it, so this edit is served."""

    status: Literal["started", "queued"]
    index_version: str


class ReindexOutcome(BaseModel):
    """How one reindex ended."""

    outcome: Literal["built", "up to date", "failed", "cancelled"]
    started_at: str = Field(description="ISO time the build started.")
    finished_at: str
    seconds: float
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    chunks_embedded: int = 0
    version: str | None = Field(
        None, description="The version built (or already current); null when it failed."
    )
    error: str | None = Field(
        None,
        description="Why it failed: the build's own message (file and line for a bad document).",
    )
    skipped: list[str] = Field(
        default_factory=list, description="Corpus files left out, each with why."
    )


class ReindexStatus(BaseModel):
    """`GET /api/admin/reindex`: whether a build runs, whether another is queued, and how the last ones ended."""

    state: Literal["idle", "running"]
    queued: bool
    index_version: str
    last: ReindexOutcome | None = Field(
        None, description="The last reindex that ended, whatever its outcome."
    )
    last_report: ReindexOutcome | None = Field(None, description="The last reindex that succeeded.")
    last_error: str | None = Field(
        None, description="The error of the last reindex, when it failed; null after a success."
    )


class CancelResponse(BaseModel):
    status: Literal["cancelled", "idle"]
    index_version: str


class ErrorResponse(BaseModel):
    detail: str | list[Any]
