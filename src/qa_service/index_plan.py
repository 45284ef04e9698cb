"""Build planning: what changed between the corpus and the version in service, and why a
build must be full."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from qa_service.chunking import Chunker
from qa_service.config import Settings
from qa_service.corpus import CorpusError, Document, load_corpus
from qa_service.embedding import Embedder
from qa_service.index_format import (
    CHUNKER_NAME,
    FINGERPRINT,
    FORMAT,
    Manifest,
    current_path,
    read_manifest,
)


class BuildReport(BaseModel):
    """What a build did (or, dry, would do)."""

    added: list[str] = Field(default_factory=list)
    changed: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    chunks_embedded: int = 0
    chunks_total: int = 0
    full: bool = False
    full_reason: str | None = None
    version: str | None = None
    seconds: float = 0.0
    dry_run: bool = False
    wrote: bool = False
    skipped: list[str] = Field(
        default_factory=list, description="Corpus files left out, each with why."
    )

    def summary(self) -> str:
        """The closing line the CLI prints."""
        head = "would change" if self.dry_run else ("built" if self.wrote else "up to date")
        return (
            f"{head}: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.chunks_embedded} chunks embedded"
            + ("" if self.dry_run else f", {self.chunks_total} chunks in index")
            + (f" (full rebuild: {self.full_reason})" if self.full else "")
            + (f"; version {self.version}" if self.version and self.wrote else "")
            + (f" in {self.seconds:.1f}s" if self.wrote else "")
            + "".join(f"\nskipped {s}" for s in self.skipped)
        )


class Plan(BaseModel):
    """The difference between the corpus and the version in service."""

    report: BuildReport
    previous: str | None = None


def make_chunker(settings: Settings, embedder: Embedder) -> Chunker:
    """The chunker the settings describe, counting tokens with the embedder's tokenizer."""
    return Chunker(
        max_tokens=settings.chunk_max_tokens,
        overlap_sentences=settings.chunk_overlap_sentences,
        count_tokens=embedder.count_tokens,
        section_fill=settings.chunk_section_fill,
    )


def chunking_settings(settings: Settings) -> dict[str, int | str | float]:
    """The chunking options a manifest records, so a change in them forces a full build."""
    return {
        "chunker": CHUNKER_NAME,
        "max_tokens": settings.chunk_max_tokens,
        "overlap_sentences": settings.chunk_overlap_sentences,
        "section_fill": settings.chunk_section_fill,
    }


def _read_corpus(settings: Settings, skipped: list[str]) -> list[Document]:
    """The corpus documents; an unreadable file is reported like a malformed one."""
    try:
        return load_corpus(settings.corpus_dir, settings.max_document_bytes, skipped)
    except OSError as e:
        raise CorpusError(
            Path(e.filename or settings.corpus_dir), 0, f"cannot be read ({e.strerror or e})"
        ) from None


def _previous_manifest(prev_path: Path | None) -> Manifest | None:
    """The manifest of the version in service, or None when there is none or it is unreadable."""
    if prev_path is None:
        return None
    try:
        return read_manifest(prev_path)
    except (OSError, ValueError, ValidationError):
        return None


def full_build_reason(manifest: Manifest | None, model_name: str, settings: Settings) -> str | None:
    """Why the previous version cannot be reused at all, or None when it can."""
    if manifest is None:
        return "no usable index yet"
    if manifest.model != model_name:
        return f"embedding model changed ({manifest.model} -> {model_name})"
    now = chunking_settings(settings)
    if manifest.chunking != now:
        diff = ", ".join(
            f"{k} {manifest.chunking.get(k)} -> {v}"
            for k, v in now.items()
            if manifest.chunking.get(k) != v
        )
        return f"chunking settings changed ({diff})"
    if manifest.format != FORMAT or manifest.fingerprint != FINGERPRINT:
        return "index format changed"
    return None


def _sort_documents(report: BuildReport, docs: list[Document], manifest: Manifest | None) -> None:
    """File each document as added, changed, unchanged or removed, by content hash."""
    old = manifest.documents if manifest is not None else {}
    for d in docs:
        if d.doc_id not in old:
            report.added.append(d.doc_id)
        elif old[d.doc_id].content_hash != d.content_hash:
            report.changed.append(d.doc_id)
        else:
            report.unchanged.append(d.doc_id)
    report.removed = sorted(set(old) - {d.doc_id for d in docs})


def plan_build(
    settings: Settings, model_name: str, full: bool = False
) -> tuple[Plan, list[Document]]:
    """Parse the corpus and compare it with the current manifest by content hash."""
    skipped: list[str] = []
    docs = _read_corpus(settings, skipped)
    report = BuildReport(full=full, full_reason="--full" if full else None, skipped=skipped)
    prev_path = current_path(settings.index_dir)
    manifest = _previous_manifest(prev_path)
    reason = full_build_reason(manifest, model_name, settings)
    if reason is not None:  # a stated cause beats "--full"; "no index yet" does not
        keep_flag = manifest is None and report.full_reason is not None
        report.full, report.full_reason = True, report.full_reason if keep_flag else reason
    _sort_documents(report, docs, manifest)
    previous = None if report.full or prev_path is None else prev_path.name
    return Plan(report=report, previous=previous), docs


def corpus_is_stale(settings: Settings, model_name: str) -> bool:
    """Cheap check for `serve`: does the corpus differ from the index in service?"""
    try:
        plan, _ = plan_build(settings, model_name)
    except CorpusError:
        return current_path(settings.index_dir) is None
    r = plan.report
    return r.full or bool(r.added or r.changed or r.removed)
