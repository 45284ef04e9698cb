"""The on-disk index, one import away: what callers use from the index_* modules.

index_format (files, manifest, fingerprint), index_versions (CURRENT, lock, leases,
pruning), index_load (reading and checking a version), index_plan (what a build must do)
and index_build (embed and write).
"""

from qa_service.index_build import BuildWriteError, build_index, make_faiss
from qa_service.index_format import (
    FINGERPRINT,
    FORMAT,
    IndexUnavailableError,
    Manifest,
    StoredChunk,
    current_path,
    current_version,
    read_manifest,
    versions_dir,
)
from qa_service.index_load import IndexData, load_index
from qa_service.index_plan import (
    BuildReport,
    Plan,
    chunking_settings,
    corpus_is_stale,
    make_chunker,
    plan_build,
)
from qa_service.index_versions import BuildLockedError, build_lock, build_owner

__all__ = [
    "FINGERPRINT",
    "FORMAT",
    "BuildLockedError",
    "BuildReport",
    "BuildWriteError",
    "IndexData",
    "IndexUnavailableError",
    "Manifest",
    "Plan",
    "StoredChunk",
    "build_index",
    "build_lock",
    "build_owner",
    "chunking_settings",
    "corpus_is_stale",
    "current_path",
    "current_version",
    "load_index",
    "make_chunker",
    "make_faiss",
    "plan_build",
    "read_manifest",
    "versions_dir",
]
