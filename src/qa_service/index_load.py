"""Loading a version and checking that its files agree, with a clear error when they do not."""

from __future__ import annotations

import datetime as dt
import json
import os
import weakref
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np
from pydantic import ValidationError

from qa_service.corpus import Document
from qa_service.index_format import (
    REQUIRED_FILES,
    IndexUnavailableError,
    Manifest,
    StoredChunk,
    current_path,
    read_manifest,
)
from qa_service.index_versions import take_lease

_REBUILD = "rebuild with `qa-service build --full`"
# What a broken or truncated file raises while it is read (faiss raises RuntimeError).
_READ_ERRORS = (OSError, ValueError, KeyError, ValidationError, RuntimeError, EOFError)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file, blank lines skipped."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_faiss(path: Path) -> faiss.Index:
    """The vector index of a version (the one place a FAISS file is opened)."""
    return faiss.read_index(str(path))


class IndexData:
    """A loaded, read-only index version: what retrieval and answering read."""

    manifest: Manifest
    documents: dict[str, Document]
    chunks: list[StoredChunk]
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    faiss: faiss.Index
    df: dict[str, int]
    n_chunks: int
    bm25: bm25s.BM25

    def __init__(self, path: Path) -> None:
        self.path = path
        missing = [name for name in REQUIRED_FILES if not (path / name).exists()]
        if missing:
            raise IndexUnavailableError(f"index file {path / missing[0]} is missing; {_REBUILD}")
        lease = take_lease(path)
        if lease is not None:  # released when the last reader drops this version
            weakref.finalize(self, os.close, lease)
        self._read_files()
        self._check_agreement()
        self.version = self.manifest.version
        self.chunk_index = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        # The newest source date, read once per version: "now" answers are dated against it
        # and /api/health reports it.
        self.newest: dt.date | None = max(
            (d.published for d in self.documents.values()), default=None
        )

    def _read_files(self) -> None:
        """Read every file in turn; an unreadable one is named in the error."""
        path, current = self.path, "manifest.json"
        try:
            self.manifest = read_manifest(path)
            current = "documents.jsonl"
            rows = _read_jsonl(path / current)
            self.documents = {d["doc_id"]: Document.model_validate(d) for d in rows}
            current = "chunks.jsonl"
            self.chunks = [StoredChunk.model_validate(c) for c in _read_jsonl(path / current)]
            current = "vectors.npy"
            self.vectors = np.load(path / current, mmap_mode="r")
            current = "sentence_vectors.npy"
            self.sentence_vectors = np.load(path / current, mmap_mode="r")
            current = "faiss.index"
            self.faiss = read_faiss(path / current)
            current = "terms.json"
            t = json.loads((path / current).read_text(encoding="utf-8"))
            self.df, self.n_chunks = t["df"], t["n"]
            current = "bm25"
            self.bm25 = bm25s.BM25.load(str(path / current), show_progress=False)
        except _READ_ERRORS as e:
            name = getattr(e, "filename", None) or path / current
            reason = (str(e).strip().splitlines() or [""])[0][:200]
            raise IndexUnavailableError(
                f"index file {name} cannot be read ({type(e).__name__}: {reason}); {_REBUILD}"
            ) from None

    def _check_agreement(self) -> None:
        """The files must count the same chunks, sentences and documents."""
        path, n = self.path, len(self.chunks)
        if self.vectors.shape[0] != n or self.faiss.ntotal != n or self.manifest.chunk_count != n:
            raise IndexUnavailableError(
                f"index files in {path} disagree on the number of chunks (chunks.jsonl {n}, vectors.npy "
                f"{self.vectors.shape[0]}, faiss.index {self.faiss.ntotal}); {_REBUILD}"
            )
        if self.sentence_vectors.shape[0] != self.manifest.sentence_count:
            raise IndexUnavailableError(
                f"index file {path / 'sentence_vectors.npy'} is truncated; {_REBUILD}"
            )
        orphans = {c.doc_id for c in self.chunks} - set(self.documents)
        if orphans or set(self.documents) != set(self.manifest.documents):
            raise IndexUnavailableError(
                f"index file {path / 'documents.jsonl'} does not hold the documents the manifest lists "
                f"({len(self.documents)} of {len(self.manifest.documents)}); {_REBUILD}"
            )

    def sentence_vectors_of(self, row: int) -> np.ndarray:
        """The sentence vectors of one chunk, copied out of the memory-mapped file."""
        c = self.chunks[row]
        return np.asarray(self.sentence_vectors[c.sent_offset : c.sent_offset + len(c.sentences)])


def load_index(index_dir: Path) -> IndexData:
    """The version in service; a clear IndexUnavailableError when there is none or it is broken.

    If a concurrent build switches CURRENT and prunes the version just read, the new
    CURRENT is read again rather than failing.
    """
    for _ in range(3):
        path = current_path(index_dir)
        if path is None:
            raise IndexUnavailableError(
                f"no index in {index_dir} (no {index_dir / 'CURRENT'}); build it with `qa-service build`"
            )
        try:
            if not path.is_dir():
                raise IndexUnavailableError(
                    f"{index_dir / 'CURRENT'} names {path}, which is missing; {_REBUILD}"
                )
            return IndexData(path)
        except IndexUnavailableError:
            if current_path(index_dir) == path:
                raise
    raise IndexUnavailableError(
        f"{index_dir / 'CURRENT'} keeps changing while it is read; try again"
    )
