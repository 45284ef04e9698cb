"""Grounded extractive answers: the retrieved sentences that best answer the question,
each followed by the `[n]` of the passage that holds it, or an honest "not covered".

No language model writes here: every sentence of an answer is quoted from a cited
passage, so a marker can never point at a passage that does not say it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np

from qa_service.conversation import Resolved
from qa_service.index import IndexData
from qa_service.retrieval import Hit
from qa_service.schemas import Citation, Passage
from qa_service.terms import terms, words

NOT_COVERED = (
    "The corpus does not cover this question: none of its documents on Mexico–Peru relations "
    "has a passage that answers it."
)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")
_NUMBER = re.compile(r"\d")
_NAME2 = re.compile(r"\b[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+ (?:de |del |de la )?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")
_CAUSE = re.compile(r"\b(because|after|over|citing|cited|in response|due to|reason|since|following|as a result)\b", re.I)
_PRESENT = re.compile(
    r"\b(now|currently|current|today|nowadays|these days|at present|presently|still|latest|as of|"
    r"state of|status|right now|at the moment|recent(ly)?)\b",
    re.I,
)
_PRESENT_START = re.compile(r"^\s*(are|is|do|does|has|have)\b", re.I)


@dataclass
class Composed:
    """An answer before it is timed and sent."""

    answer: str
    found: bool
    citations: list[Citation]


@dataclass
class _Candidate:
    hit_rank: int
    row: int
    start: int
    end: int
    text: str
    score: float


def asks_about_present(question: str) -> bool:
    """Is the question about the present state of affairs (so the answer must date itself)?"""
    return bool(_PRESENT.search(question) or _PRESENT_START.search(question))


def _answer_type_bonus(question: str, sentence: str) -> float:
    q = question.lower()
    if re.search(r"\bwhen\b|what (year|date|day|month)|since when|how long ago", q):
        return 1.0 if (_YEAR.search(sentence) or _MONTH.search(sentence)) else 0.0
    if re.search(r"how (much|many)|what (share|percentage|amount|value|figure)|worth|total", q):
        return 1.0 if _NUMBER.search(sentence) else 0.0
    if re.search(r"^\s*(who|whom)\b|\bwho (is|was|were|signed|announced)", q):
        return 1.0 if _NAME2.search(sentence) else 0.0
    if re.search(r"\bwhy\b|what (caused|led|prompted|triggered)|reason", q):
        return 1.0 if _CAUSE.search(sentence) else 0.0
    return 0.0


def format_date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B %Y')}"


class Answerer:
    """Composes answers from one loaded index version."""

    def __init__(self, data: IndexData, max_sentences: int = 3, min_dense: float = 0.3,
                 min_coverage: float = 0.4, strong_dense: float = 0.55) -> None:
        self.data = data
        self.max_sentences = max_sentences
        self.min_dense = min_dense
        self.min_coverage = min_coverage
        self.strong_dense = strong_dense
        n = max(1, data.n_chunks)
        self._max_idf = math.log(1 + (n + 0.5) / 0.5)

    def idf(self, term: str) -> float:
        df = self.data.df.get(term, 0)
        n = max(1, self.data.n_chunks)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _weights(self, resolved: Resolved) -> dict[str, float]:
        w: dict[str, float] = {}
        for t in resolved.context_terms:
            w[t] = max(w.get(t, 0.0), 0.5 * self.idf(t))
        for t in terms(resolved.question):
            w[t] = self.idf(t)
        return w

    @staticmethod
    def _coverage(weights: dict[str, float], text_terms: set[str]) -> float:
        total = sum(weights.values())
        return sum(v for t, v in weights.items() if t in text_terms) / total if total else 0.0

    def is_covered(self, resolved: Resolved, hits: list[Hit]) -> bool:
        """Relevant enough to answer? Both meaning (cosine) and the question's rare words count."""
        if not hits:
            return False
        best_dense = max(h.dense for h in hits)
        if best_dense < self.min_dense:
            return False
        if best_dense >= self.strong_dense:
            return True
        weights = self._weights(resolved)
        cov = 0.0
        for h in hits[:3]:
            c = self.data.chunks[h.row]
            title = self.data.documents[c.doc_id].title
            cov = max(cov, self._coverage(weights, set(terms(f"{title} {c.section} {c.text}"))))
        return cov >= self.min_coverage

    def compose(self, resolved: Resolved, qvec: np.ndarray, hits: list[Hit]) -> Composed:
        """The answer for a question, its vector and its retrieved passages."""
        if not self.is_covered(resolved, hits):
            return Composed(NOT_COVERED, False, [])
        weights = self._weights(resolved)
        q = qvec.ravel()
        best_fused = hits[0].score if hits else 1.0
        seen: set[tuple[str, int, int]] = set()
        cands: list[_Candidate] = []
        for rank, h in enumerate(hits):
            c = self.data.chunks[h.row]
            doc = self.data.documents[c.doc_id]
            ctx_terms = set(terms(f"{doc.title} {c.section}"))
            svecs = self.data.sentence_vectors_of(h.row)
            sims = svecs @ q if len(svecs) else np.zeros(0)
            for (a, b), sim in zip(c.sentences, sims):
                key = (c.doc_id, a, b)
                text = doc.body[a:b]
                if key in seen or len(words(text)) < 4:
                    continue
                seen.add(key)
                st = set(terms(text))
                lex = self._coverage(weights, st)
                ctx = self._coverage(weights, st | ctx_terms)
                score = (
                    float(sim)
                    + 0.45 * lex
                    + 0.15 * ctx
                    + 0.12 * _answer_type_bonus(resolved.question, text)
                    + 0.10 * (h.score / best_fused)
                )
                cands.append(_Candidate(rank, h.row, a, b, text, score))
        if not cands:
            return Composed(NOT_COVERED, False, [])
        cands.sort(key=lambda x: -x.score)
        chosen = [cands[0]]
        for cand in cands[1:]:
            if len(chosen) >= self.max_sentences:
                break
            if cand.score < cands[0].score - 0.12:
                break
            cw = set(words(cand.text))
            if any(len(cw & set(words(x.text))) / max(1, len(cw)) > 0.6 for x in chosen):
                continue
            chosen.append(cand)
        return self._render(resolved, chosen, hits)

    def _render(self, resolved: Resolved, chosen: list[_Candidate], hits: list[Hit]) -> Composed:
        numbers: dict[int, int] = {}
        parts: list[str] = []
        for cand in chosen:
            n = numbers.setdefault(cand.row, len(numbers) + 1)
            parts.append(f"{cand.text} [{n}]")
        by_row = {h.row: h for h in hits}
        citations = [self.citation(row, by_row[row].score, n) for row, n in numbers.items()]
        answer = " ".join(parts)
        if asks_about_present(resolved.question):
            newest = max(self.data.documents[c.doc_id].published for c in citations)
            answer = f"As of {format_date(newest)}, the date of the latest source cited:\n{answer}"
        return Composed(answer, True, citations)

    def citation(self, row: int, score: float, n: int) -> Citation:
        return Citation(n=n, **self.passage(row, score).model_dump())

    def passage(self, row: int, score: float) -> Passage:
        """A retrieved chunk as the API shows it: text, offsets and its document's metadata."""
        c = self.data.chunks[row]
        doc = self.data.documents[c.doc_id]
        return Passage(
            doc_id=c.doc_id,
            title=doc.title,
            url=doc.url,
            published=doc.published.isoformat(),
            chunk_id=c.chunk_id,
            text=c.text,
            start=c.start,
            end=c.end,
            score=round(float(score), 6),
        )
