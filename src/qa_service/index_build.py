"""The embed-and-write pipeline: embed what changed, assemble a version, write it, switch.

A failure (CorpusError naming file and line, BuildWriteError, BuildLockedError) leaves
CURRENT and every existing version as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from collections.abc import Callable
from typing import Literal

import bm25s
import faiss
import numpy as np
from tqdm import tqdm

from qa_service.chunking import Chunk, embedding_text
from qa_service.config import Settings
from qa_service.corpus import Document
from qa_service.embedding import Embedder
from qa_service.index_format import (
    FINGERPRINT,
    DocEntry,
    IndexUnavailableError,
    Manifest,
    StoredChunk,
    current_path,
    current_version,
    read_manifest,
    versions_dir,
)
from qa_service.index_load import IndexData
from qa_service.index_plan import BuildReport, Plan, chunking_settings, make_chunker, plan_build
from qa_service.index_versions import build_lock, prune
from qa_service.index_write import Assembled, BuildWriteError, Lexical, file_writers, publish
from qa_service.terms import terms

FaissKind = Literal["flat", "hnsw", "ivf"]
__all__ = ["BuildWriteError", "build_index", "make_faiss"]
Reuse = dict[str, tuple[list[StoredChunk], np.ndarray, np.ndarray]]
# Chunks per progress step: a few model batches, so the bar moves while batches stay full.
_STEP_BATCHES = 4
_IVF_ADD_SLICE = 200_000  # rows added to an IVF index at a time: no second full float32 copy


def make_faiss(vectors: np.ndarray, exact_max: int) -> tuple[faiss.Index, FaissKind]:
    """Exact inner-product search up to `exact_max` vectors, an inverted-file index above it.

    IVF-Flat with about sqrt(n) lists, 32 probed per question: at 1M generated chunks it
    builds in well under a minute on two cores and answers in a few ms with recall@10
    above 0.95 against exact search (benchmarks/bench_scale.py); HNSW reached the same
    recall only after a build several times longer.
    """
    n, d = vectors.shape
    if n <= exact_max:
        index: faiss.Index = faiss.IndexFlatIP(d)
        if n:
            index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return index, "flat"
    nlist = max(1, min(int(np.sqrt(n)), n // 39))  # faiss wants >= 39 training points per list
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(d), d, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).choice(n, size=min(n, 64 * nlist), replace=False)
    ivf.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
    for s in range(0, n, _IVF_ADD_SLICE):
        ivf.add(np.ascontiguousarray(vectors[s : s + _IVF_ADD_SLICE], dtype=np.float32))
    ivf.nprobe = min(32, nlist)
    return ivf, "ivf"


# ---------------------------------------------------------------- the steps of a build


def _new_version(docs: list[Document]) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    digest = hashlib.sha256("".join(sorted(d.content_hash for d in docs)).encode()).hexdigest()[:8]
    return f"v{stamp}-{digest}"


def _reusable(settings: Settings, plan: Plan) -> Reuse:
    """Stored chunks and vectors of unchanged documents, by document id.

    An unreadable previous version turns the build into a full one instead of failing.
    """
    report = plan.report
    if not plan.previous:
        return {}
    try:
        prev = IndexData(versions_dir(settings.index_dir) / plan.previous)
    except IndexUnavailableError as e:
        report.full, report.full_reason = True, f"previous version unreadable ({str(e)[:120]})"
        return {}
    keep = set(report.unchanged)
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(prev.chunks):
        if c.doc_id in keep:
            by_doc.setdefault(c.doc_id, []).append(i)
    reuse: Reuse = {}
    empty = np.zeros((0, prev.manifest.dim), np.float32)
    for doc_id, rows in by_doc.items():
        sents = np.concatenate([prev.sentence_vectors_of(i) for i in rows] or [empty])
        reuse[doc_id] = ([prev.chunks[i] for i in rows], np.array(prev.vectors[rows]), sents)
    return reuse


def _embed(
    settings: Settings, embedder: Embedder, to_embed: list[tuple[Document, Chunk]], progress: bool
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """(chunk vector, sentence vectors) of each new chunk, by chunk id.

    Longest first, so each model batch holds texts of like length and pads little
    (the model sorts within one call; this sorts across the calls the progress bar needs).
    """
    new_vecs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    bar = tqdm(
        total=len(to_embed), unit="chunk", desc="embedding", disable=not progress or not to_embed
    )
    step = max(settings.embedding_batch_size * _STEP_BATCHES, 64)
    inputs = sorted(
        ((c, *embedding_text(d.title, c)) for d, c in to_embed), key=lambda x: -len(x[1])
    )
    for s in range(0, len(inputs), step):
        batch = inputs[s : s + step]
        texts = [text for _, text, _ in batch]
        spans = [
            [(a - c.start + shift, b - c.start + shift) for a, b in c.sentences]
            for c, _, shift in batch
        ]
        cv, sv = embedder.encode_passages(texts, spans)
        for (c, _, _), v, svs in zip(batch, cv, sv, strict=True):
            new_vecs[c.chunk_id] = (v, svs)
        bar.update(len(batch))
    bar.close()
    return new_vecs


def _assemble(
    docs: list[Document],
    reuse: Reuse,
    embedded: dict[str, list[Chunk]],
    new_vecs: dict[str, tuple[np.ndarray, np.ndarray]],
    dim: int,
) -> Assembled:
    """Reused and new chunks in document order, each told where its sentence vectors start."""
    stored: list[StoredChunk] = []
    vec_rows: list[np.ndarray] = []
    sent_rows: list[np.ndarray] = []
    offset = 0
    for d in docs:
        if d.doc_id in reuse:
            chunks, vecs, sents = reuse[d.doc_id]
            bounds = np.cumsum([0] + [len(c.sentences) for c in chunks])
            pairs: list[tuple[Chunk, np.ndarray, np.ndarray]] = [
                (c, v, sents[a:b])
                for c, v, a, b in zip(chunks, vecs, bounds[:-1], bounds[1:], strict=True)
            ]
        else:
            pairs = [(c, *new_vecs[c.chunk_id]) for c in embedded.get(d.doc_id, [])]
        for c, v, svs in pairs:
            fields = c.model_dump(exclude={"sent_offset"})
            stored.append(StoredChunk(**fields, sent_offset=offset))
            vec_rows.append(v)
            sent_rows.append(svs)
            offset += len(c.sentences)
    empty = np.zeros((0, dim), np.float32)
    return Assembled(
        chunks=stored,
        vectors=np.stack(vec_rows).astype(np.float32) if vec_rows else empty,
        sentence_vectors=np.concatenate(sent_rows).astype(np.float32) if sent_rows else empty,
    )


def _lexical(docs: list[Document], chunks: list[StoredChunk]) -> Lexical:
    """Document frequencies and a BM25 index over each chunk's title, section and text."""
    titles = {d.doc_id: d.title for d in docs}
    chunk_terms = [terms(f"{titles[c.doc_id]} {c.section} {c.text}") for c in chunks]
    bm25 = bm25s.BM25()
    bm25.index([ts or ["\u2205"] for ts in chunk_terms], show_progress=False)
    return Lexical(df=Counter(t for ts in chunk_terms for t in set(ts)), bm25=bm25)


def _manifest(
    *,
    settings: Settings,
    embedder: Embedder,
    docs: list[Document],
    data: Assembled,
    kind: FaissKind,
    version: str,
    seconds: float,
) -> Manifest:
    """The manifest of a new version: what a later build or a loader must know."""
    per_doc = Counter(c.doc_id for c in data.chunks)
    return Manifest(
        fingerprint=FINGERPRINT,
        version=version,
        model=embedder.name,
        dim=embedder.dim,
        chunking=chunking_settings(settings),
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        build_seconds=round(seconds, 3),
        faiss_kind=kind,
        chunk_count=len(data.chunks),
        sentence_count=int(data.sentence_vectors.shape[0]),
        documents={
            d.doc_id: DocEntry(content_hash=d.content_hash, chunks=per_doc[d.doc_id]) for d in docs
        },
    )


def _write_version(
    settings: Settings,
    embedder: Embedder,
    docs: list[Document],
    plan: Plan,
    progress: bool,
    t0: float,
    on_plan: Callable[[BuildReport], None] | None = None,
) -> BuildReport:
    """Embed what is new, reuse what is not, and publish the result as a new version."""
    report = plan.report
    reuse = _reusable(settings, plan)
    chunker = make_chunker(settings, embedder)
    embedded = {d.doc_id: chunker.split(d) for d in docs if d.doc_id not in reuse}
    to_embed = [(d, c) for d in docs for c in embedded.get(d.doc_id, [])]
    report.chunks_embedded = len(to_embed)
    if on_plan is not None:
        on_plan(report)
    new_vecs = _embed(settings, embedder, to_embed, progress)
    data = _assemble(docs, reuse, embedded, new_vecs, embedder.dim)
    lexical = _lexical(docs, data.chunks)
    index, kind = make_faiss(data.vectors, settings.exact_search_max_chunks)
    version = _new_version(docs)
    report.version, report.chunks_total = version, len(data.chunks)

    def manifest() -> Manifest:
        report.seconds = time.perf_counter() - t0
        return _manifest(
            settings=settings,
            embedder=embedder,
            docs=docs,
            data=data,
            kind=kind,
            version=version,
            seconds=report.seconds,
        )

    publish(settings.index_dir, version, file_writers(docs, data, lexical, index), manifest)
    report.seconds = time.perf_counter() - t0
    report.wrote = True
    return report


def _dry_run(settings: Settings, embedder: Embedder, full: bool) -> BuildReport:
    """What a build would do, with the chunks it would embed counted, and nothing written."""
    plan, docs = plan_build(settings, embedder.name, full=full)
    report = plan.report
    report.dry_run = True
    if report.full or report.added or report.changed:
        chunker = make_chunker(settings, embedder)
        todo = (
            set(report.added)
            | set(report.changed)
            | (set(report.unchanged) if report.full else set())
        )
        report.chunks_embedded = sum(len(chunker.split(d)) for d in docs if d.doc_id in todo)
    return report


def build_index(
    settings: Settings,
    embedder: Embedder,
    full: bool = False,
    dry_run: bool = False,
    progress: bool = True,
    on_plan: Callable[[BuildReport], None] | None = None,
) -> BuildReport:
    """Build or update the index; only added or changed documents are embedded again.

    `on_plan` is called with the report (counts, chunks to embed, full or not) once the
    plan is known and before any embedding, so a terminal can say what will happen.
    A failure (CorpusError naming file and line, BuildWriteError, BuildLockedError)
    leaves CURRENT and every existing version as they were.
    """
    t0 = time.perf_counter()
    if dry_run:
        return _dry_run(settings, embedder, full)
    # plan under the lock: another build may just have switched CURRENT
    with build_lock(settings.index_dir):
        plan, docs = plan_build(settings, embedder.name, full=full)
        report = plan.report
        if not report.full and not (report.added or report.changed or report.removed):
            report.version = current_version(settings.index_dir)
            path = current_path(settings.index_dir)
            report.chunks_total = read_manifest(path).chunk_count if path else 0
            return report
        report = _write_version(settings, embedder, docs, plan, progress, t0, on_plan)
        prune(settings.index_dir, settings.keep_versions)
        return report
