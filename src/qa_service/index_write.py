"""Writing a version durably: its files in a temporary folder, renamed into place, then
CURRENT switched, so a build killed at any point leaves the version in service whole."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np
from pydantic import BaseModel

from qa_service.corpus import Document
from qa_service.index_format import Manifest, StoredChunk, versions_dir
from qa_service.index_versions import fsync_dir, write_current


class BuildWriteError(OSError):
    """Writing the new version failed (full disk, permissions); names the file."""


@dataclass(frozen=True, kw_only=True)
class Assembled:
    """A version's contents in memory, in document order, before anything is written."""

    chunks: list[StoredChunk]
    vectors: np.ndarray
    sentence_vectors: np.ndarray


@dataclass(frozen=True, kw_only=True)
class Lexical:
    """The term statistics and BM25 index of a version."""

    df: Counter[str]
    bm25: bm25s.BM25


# ---------------------------------------------------------------- durable writes


def _save_npy(path: Path, array: np.ndarray) -> None:
    with open(path, "wb") as f:
        np.save(f, np.ascontiguousarray(array, dtype=np.float32))
        f.flush()
        os.fsync(f.fileno())


def _write_jsonl(path: Path, rows: list[Document] | list[StoredChunk]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(r.model_dump_json() + "\n")
        f.flush()
        os.fsync(f.fileno())


def _write_json(path: Path, model: BaseModel) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(model.model_dump_json(indent=1))
        f.flush()
        os.fsync(f.fileno())


def _fsync_tree(root: Path) -> None:
    """Every file and folder below `root` on disk before the rename publishes it."""
    for p in sorted(root.rglob("*"), reverse=True):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
        elif p.is_dir():
            fsync_dir(p)
    fsync_dir(root)


def file_writers(
    docs: list[Document], data: Assembled, lexical: Lexical, index: faiss.Index
) -> list[tuple[str, Callable[[Path], None]]]:
    """Each data file of a version with the function that writes it (the manifest comes last)."""
    terms_json = json.dumps({"n": len(data.chunks), "df": lexical.df})
    return [
        ("documents.jsonl", lambda p: _write_jsonl(p, docs)),
        ("chunks.jsonl", lambda p: _write_jsonl(p, data.chunks)),
        ("vectors.npy", lambda p: _save_npy(p, data.vectors)),
        ("sentence_vectors.npy", lambda p: _save_npy(p, data.sentence_vectors)),
        ("faiss.index", lambda p: faiss.write_index(index, str(p))),
        ("terms.json", lambda p: p.write_text(terms_json, encoding="utf-8")),
        ("bm25", lambda p: lexical.bm25.save(str(p), show_progress=False)),
    ]


def publish(
    index_dir: Path,
    version: str,
    writers: list[tuple[str, Callable[[Path], None]]],
    manifest: Callable[[], Manifest],
) -> None:
    """Write into a temporary folder, rename it into place, then switch CURRENT.

    The manifest is written last (a version with a manifest is complete); a failure before
    the switch removes the temporary folder and names the file that could not be written.
    """
    vdir = versions_dir(index_dir)
    tmp = target = vdir / f".tmp-{version}"
    try:
        vdir.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        for name, write in [*writers, ("manifest.json", lambda p: _write_json(p, manifest()))]:
            target = tmp / name
            write(target)
        target = tmp
        _fsync_tree(tmp)
        target = vdir / version
        os.rename(tmp, target)
        fsync_dir(vdir)
        target = index_dir / "CURRENT"
        write_current(index_dir, version)
    except (OSError, RuntimeError) as e:  # faiss raises RuntimeError on I/O errors
        if target != index_dir / "CURRENT":
            shutil.rmtree(tmp, ignore_errors=True)
        reason = getattr(e, "strerror", None) or str(e)
        raise BuildWriteError(
            f"writing {target} failed ({reason}); the index in service was left as it was"
        ) from e
