"""Routes over the corpus as the index in service sees it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from qa_service.api_deps import ERRORS, svc
from qa_service.corpus import DOC_ID_RE
from qa_service.schemas import DocumentFull, DocumentList, DocumentSummary, SourceOut
from qa_service.service import QAService

router = APIRouter(tags=["corpus"])


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


@router.get("/api/documents", response_model=DocumentList)
def documents(service: QAService = Depends(svc)) -> DocumentList:
    """Every document in the index in service."""
    ids = sorted(service.state.data.documents)
    return DocumentList(documents=[_summary(service, i) for i in ids])


@router.get("/api/documents/{doc_id}", response_model=DocumentFull, responses=ERRORS)
def document(doc_id: str, service: QAService = Depends(svc)) -> DocumentFull:
    """One document with its body: citation offsets index into `body`."""
    data = service.state.data
    if not DOC_ID_RE.match(doc_id) or doc_id not in data.documents:
        raise HTTPException(404, f"no document with id {doc_id!r}; GET /api/documents lists them")
    return DocumentFull(**_summary(service, doc_id).model_dump(), body=data.documents[doc_id].body)
