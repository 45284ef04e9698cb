"""Dense + BM25 search, reciprocal-rank fusion, near-duplicate removal.

Dense search finds paraphrases; BM25 finds exact names, numbers and dates. Fusing by rank
needs no score calibration between the two; the embedder's calibration (`calibration.py`)
weighs its ranking against BM25's and puts its cosines on the scale the thresholds use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qa_service.calibration import Calibration, calibration_for
from qa_service.index import IndexData
from qa_service.reading import gives_day
from qa_service.terms import terms, words


@dataclass
class Hit:
    """One retrieved passage: a row of the chunk store and how it was found."""

    row: int
    score: float  # fused score (reciprocal rank fusion)
    dense: float  # cosine of question and passage, calibrated (`Calibration.passage`)
    bm25: float


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return max(inter, 0) / max(1, min(a[1] - a[0], b[1] - b[0]))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


class Retriever:
    """Searches one loaded index version."""

    def __init__(
        self, data: IndexData, rrf_k: int = 60, calibration: Calibration | None = None
    ) -> None:
        self.data = data
        self.rrf_k = rrf_k
        self.calibration = calibration or calibration_for(data.manifest.model)
        # A plain view of the memory-mapped vectors: indexing a np.memmap row builds a memmap
        # object each time (a tenth of an answer's own time in a profile, bench_answer_cost.py).
        self._vectors = np.asarray(data.vectors)
        self._words: dict[int, set[str]] = {}  # each chunk's word set, for near-duplicate checks
        # The chunk row of each stored sentence, in the order of the sentence vectors.
        self._sentence_rows = np.repeat(
            np.arange(data.n_chunks), [len(c.sentences) for c in data.chunks]
        )
        self._sentence_texts: list[str] | None = None  # each stored sentence's text, read once
        self._day_sentences: np.ndarray | None = None  # those giving a day and month, found once

    def _chunk_words(self, row: int) -> set[str]:
        ws = self._words.get(row)
        if ws is None:
            ws = self._words[row] = set(words(self.data.chunks[row].text))
        return ws

    def _cosine(self, row: int, qvec: np.ndarray) -> float:
        """One chunk's calibrated cosine with the question, for a chunk the dense search did not return."""
        return self.calibration.passage(float(np.dot(self._vectors[row], qvec.ravel())))

    def dense(self, qvec: np.ndarray, n: int) -> list[tuple[int, float]]:
        """The nearest chunks by calibrated cosine (FAISS inner product over unit vectors)."""
        if self.data.faiss.ntotal == 0:
            return []
        scores, rows = self.data.faiss.search(
            np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32), n
        )
        cal = self.calibration.passage
        return [
            (int(r), float(cal(float(s))))
            for r, s in zip(rows[0], scores[0], strict=False)
            if r >= 0
        ]

    def sentence_text(self, i: int) -> str:
        """The text of stored sentence `i` (in the order of the sentence vectors)."""
        if self._sentence_texts is None:
            self._sentence_texts = [
                c.text[a - c.start : b - c.start] for c in self.data.chunks for a, b in c.sentences
            ]
        return self._sentence_texts[i]

    def day_sentences(self) -> np.ndarray:
        """The stored sentences giving a day with its month (`reading.gives_day`), found once per
        index: a day question's `by_sentence` reads only these instead of testing every sentence of
        the corpus when none in the asked year gives one."""
        if self._day_sentences is None:
            n = self.data.sentence_vectors.shape[0]
            self._day_sentences = np.flatnonzero(
                [gives_day(self.sentence_text(i)) for i in range(n)]
            )
        return self._day_sentences

    def by_sentence(
        self,
        qvec: np.ndarray,
        n: int,
        skip: set[int],
        wanted: Callable[[str], bool] | None = None,
        among: np.ndarray | None = None,
    ) -> list[Hit]:
        """The n passages not in `skip` holding the sentences nearest the question, nearest
        first: a passage whose one answering sentence sits among others on other matters is
        far from the question as a whole ("Consular relations … continued" in a paragraph on
        the new cabinet), so neither the passage cosine nor BM25 ranks it high. With `wanted`,
        only the sentences whose text it accepts are read (those giving a day, for a day asked);
        with `among`, only those sentence numbers (a superset of what `wanted` accepts)."""
        if n <= 0 or self.data.sentence_vectors.shape[0] == 0:
            return []
        sims = np.asarray(self.data.sentence_vectors) @ qvec.ravel()
        order = np.argsort(-sims)
        if among is not None:
            keep = np.zeros(len(sims), dtype=bool)
            keep[among] = True
            order = order[keep[order]]
        found: list[Hit] = []
        for i in order:
            row = int(self._sentence_rows[i])
            if row in skip or any(h.row == row for h in found):
                continue
            if wanted is not None and not wanted(self.sentence_text(int(i))):
                continue
            found.append(Hit(row=row, score=0.0, dense=self._cosine(row, qvec), bm25=0.0))
            if len(found) >= n:
                break
        return found

    def lexical(self, query: str, n: int) -> list[tuple[int, float]]:
        """The best chunks by BM25 over the stemmed terms."""
        q = terms(query)
        if not q or self.data.n_chunks == 0:
            return []
        scores = self.data.bm25.get_scores(q)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(int(r), float(scores[r])) for r in top if scores[r] > 0]

    def search(self, query: str, qvec: np.ndarray, k: int, candidates: int = 40) -> list[Hit]:
        """The k best distinct passages for a query and its vector."""
        hits: dict[int, Hit] = {}
        weight = self.calibration.dense_weight
        for rank, (row, s) in enumerate(self.dense(qvec, candidates)):
            hits[row] = Hit(row=row, score=weight / (self.rrf_k + rank + 1), dense=s, bm25=0.0)
        for rank, (row, s) in enumerate(self.lexical(query, candidates)):
            h = hits.get(row)
            if h is None:
                h = hits[row] = Hit(row=row, score=0.0, dense=self._cosine(row, qvec), bm25=s)
            h.score += 1 / (self.rrf_k + rank + 1)
            h.bm25 = s
        ranked = sorted(hits.values(), key=lambda h: -h.score)
        return self._distinct(ranked, k)

    def _distinct(self, ranked: list[Hit], k: int) -> list[Hit]:
        """Drop passages that repeat one already kept (overlapping chunks, restated text)."""
        kept: list[Hit] = []
        kept_words: list[set[str]] = []
        for h in ranked:
            c = self.data.chunks[h.row]
            ws = self._chunk_words(h.row)
            dup = False
            for other, ow in zip(kept, kept_words, strict=False):
                oc = self.data.chunks[other.row]
                if (
                    oc.doc_id == c.doc_id and _overlap((oc.start, oc.end), (c.start, c.end)) > 0.5
                ) or _jaccard(ws, ow) > 0.8:
                    dup = True
                if dup:
                    break
            if not dup:
                kept.append(h)
                kept_words.append(ws)
                if len(kept) >= k:
                    break
        return kept


def passage_order(
    hits: list[Hit], best_sentence: dict[int, float], *, dense_weight: float, bm25_weight: float
) -> list[Hit]:
    """Passages best first by their best sentence's score plus how well the whole passage matches.

    The best sentence alone lets a passage that merely repeats the question's words in one
    sentence outrank the passage about the question's subject; the passage's own cosine and
    its BM25 (a share of the pool's best, so the weight means the same on every question)
    weigh that subject back in. A passage with no candidate sentence goes last.
    """
    top_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0

    def key(h: Hit) -> float:
        best = best_sentence.get(h.row, -math.inf)
        return best + dense_weight * h.dense + bm25_weight * h.bm25 / top_bm25

    return sorted(hits, key=lambda h: -key(h))
