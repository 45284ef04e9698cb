"""Sentence-aware chunks with character offsets into the document body.

Each chunk keeps its document id, offsets, section heading, content hash and the spans
of its sentences: citations quote `body[start:end]` exactly, answers quote whole
sentences, and incremental rebuilds compare hashes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from qa_service.corpus import Document
from qa_service.markup import split_sentences

__all__ = ["Chunk", "Chunker", "embedding_text", "split_sentences"]

UnitKind = Literal["heading", "sentence"]
_ITEM_MARK = re.compile(r"^\s*(?:[-*•]\s+)")


class Chunk(BaseModel):
    """A passage of one document: what is embedded, retrieved and cited."""

    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    section: str
    content_hash: str
    sentences: list[tuple[int, int]]  # absolute body offsets of answerable sentences


class Chunker:
    """Packs a document's sentences into chunks of at most `max_tokens` word pieces."""

    def __init__(
        self,
        *,
        max_tokens: int,
        overlap_sentences: int,
        count_tokens: Callable[[str], int],
        section_fill: float = 0.0,
    ) -> None:
        if max_tokens < 8:
            raise ValueError(f"max_tokens must be at least 8, got {max_tokens}")
        if overlap_sentences < 0:
            raise ValueError(f"overlap_sentences must be 0 or more, got {overlap_sentences}")
        if not 0.0 <= section_fill <= 1.0:
            raise ValueError(f"section_fill must be between 0 and 1, got {section_fill}")
        self.max_tokens = max_tokens
        self.overlap = overlap_sentences
        self.count_tokens = count_tokens
        self.section_fill = (
            section_fill  # a heading opens a new chunk once the current one is this full
        )

    def _units(self, doc: Document) -> list[tuple[UnitKind, int, int, int, str]]:
        """(kind, start, end, tokens, section) for every heading and sentence of the body."""
        units: list[tuple[UnitKind, int, int, int, str]] = []
        section = ""
        for block in doc.blocks:
            text = doc.body[block.start : block.end]
            if block.kind == "heading":
                section = text
                units.append(("heading", block.start, block.end, self.count_tokens(text), section))
                continue
            for s, e in split_sentences(text):
                for ps, pe, n in self._fit(text, s, e):
                    mark = _ITEM_MARK.match(text[ps:pe])
                    if mark:
                        ps += mark.end()
                        n = self.count_tokens(text[ps:pe])
                    if ps < pe:
                        units.append(("sentence", block.start + ps, block.start + pe, n, section))
        return units

    def _fit(self, text: str, s: int, e: int) -> list[tuple[int, int, int]]:
        """Split a sentence longer than the token budget at word boundaries: (start, end, tokens)."""
        n = self.count_tokens(text[s:e])
        if n <= self.max_tokens:
            return [(s, e, n)]
        out: list[tuple[int, int]] = []
        words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
        cur_start = words[0][0]
        cur_end = words[0][0]
        for ws, we in words:
            if cur_end > cur_start and self.count_tokens(text[cur_start:we]) > self.max_tokens:
                out.append((cur_start, cur_end))
                cur_start = ws
            cur_end = we
        out.append((cur_start, cur_end))
        return [(a, b, self.count_tokens(text[a:b])) for a, b in out]

    def split(self, doc: Document) -> list[Chunk]:
        """Chunks in body order; a heading always opens a new chunk."""
        units = self._units(doc)
        groups: list[list[int]] = []
        current: list[int] = []
        tokens = 0
        for i, (kind, _s, _e, n, _sec) in enumerate(units):
            heading_break = kind == "heading" and tokens >= self.max_tokens * self.section_fill
            if current and (heading_break or tokens + n > self.max_tokens):
                groups.append(current)
                carry: list[int] = []
                if not heading_break and self.overlap:
                    sentences = [j for j in current if units[j][0] == "sentence"]
                    carry = sentences[-self.overlap :] if len(sentences) > self.overlap else []
                    if sum(units[j][3] for j in carry) + n > self.max_tokens:
                        carry = []
                current = carry
                tokens = sum(units[j][3] for j in current)
            current.append(i)
            tokens += n
        if current:
            groups.append(current)
        chunks: list[Chunk] = []
        for idx, group in enumerate(g for g in groups if any(units[j][0] == "sentence" for j in g)):
            start, end = units[group[0]][1], units[group[-1]][2]
            text = doc.body[start:end]
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}:{idx}",
                    doc_id=doc.doc_id,
                    start=start,
                    end=end,
                    text=text,
                    section=units[group[-1]][4],
                    content_hash=hashlib.sha256(f"{doc.title}\n{text}".encode()).hexdigest()[:16],
                    sentences=[
                        (units[j][1], units[j][2]) for j in group if units[j][0] == "sentence"
                    ],
                )
            )
        return chunks


def embedding_text(title: str, chunk: Chunk) -> tuple[str, int]:
    """The text the model reads for a chunk (title and section first) and where the body text starts in it."""
    prefix = title.strip()
    if chunk.section and not chunk.text.startswith(chunk.section):
        prefix = f"{prefix}. {chunk.section}"
    prefix += ".\n"
    return prefix + chunk.text, len(prefix)
