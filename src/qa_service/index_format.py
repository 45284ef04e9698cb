"""What an index version holds on disk: its files, its manifest and its format fingerprint.

Layout of `index/`:
    CURRENT                 name of the version in service (replaced atomically)
    versions/<version>/     manifest.json, documents.jsonl, chunks.jsonl, vectors.npy,
                            sentence_vectors.npy, faiss.index, terms.json, bm25/
    .build.lock             held while a build runs (.build.owner says who holds it)
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from qa_service.chunking import Chunk

# Bump by hand only when the file layout changes meaning (2: demonyms and word forms fold in
# terms, "[n]" in a body reads "(n)"; 3: documents keep the sources of each statement).
# Edits to the code that decides what a version holds are caught by FINGERPRINT below.
FORMAT = 3
CHUNKER_NAME = "sentence-v2"  # v2: Bling Fire sentence breaker
REQUIRED_FILES = (
    "manifest.json",
    "documents.jsonl",
    "chunks.jsonl",
    "vectors.npy",
    "sentence_vectors.npy",
    "faiss.index",
    "terms.json",
    "bm25",
)


# The modules whose code decides what a version stores: terms.py (word lists, stemming,
# folding) feeds terms.json and BM25; corpus.py, markup.py and chunking.py decide the
# documents, chunks and offsets; embedding.py pools the sentence vectors. The model name
# and chunking settings are compared on their own (they are in the manifest).
INDEX_SOURCES = tuple(
    Path(__file__).with_name(f"{name}.py")
    for name in ("terms", "corpus", "markup", "chunking", "embedding")
)


def source_fingerprint(paths: Iterable[Path]) -> str:
    """A hash of the code in `paths` (comments and layout ignored), so an edit that can change
    what an index holds forces a full rebuild with no hand-kept version number to bump."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        digest.update(ast.dump(tree).encode("utf-8"))
    return digest.hexdigest()[:16]


FINGERPRINT = source_fingerprint(INDEX_SOURCES)


class IndexUnavailableError(RuntimeError):
    """The index on disk is missing or unreadable; says which file and how to rebuild."""


class StoredChunk(Chunk):
    """A chunk as stored: with the row where its sentence vectors start."""

    sent_offset: int = 0


class DocEntry(BaseModel):
    """What the manifest remembers of one document, to tell what changed."""

    content_hash: str
    chunks: int


class Manifest(BaseModel):
    """Everything a later build or a loader must know about a version."""

    format: int = FORMAT
    fingerprint: str = ""  # versions built before the fingerprint existed read as changed
    version: str
    model: str
    dim: int
    chunking: dict[str, int | str | float]
    built_at: str
    build_seconds: float = 0.0
    faiss_kind: Literal["flat", "hnsw", "ivf"] = "flat"
    chunk_count: int
    sentence_count: int
    documents: dict[str, DocEntry]


def versions_dir(index_dir: Path) -> Path:
    """Where the versions live, so every module agrees on the layout."""
    return index_dir / "versions"


def current_version(index_dir: Path) -> str | None:
    """The version named by CURRENT, or None when there is no index yet."""
    try:
        name = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def current_path(index_dir: Path) -> Path | None:
    """The folder of the version in service, or None when there is no index yet."""
    v = current_version(index_dir)
    return versions_dir(index_dir) / v if v else None


def read_manifest(path: Path) -> Manifest:
    """A version's manifest, validated, so callers can trust its fields."""
    return Manifest.model_validate_json((path / "manifest.json").read_text(encoding="utf-8"))
