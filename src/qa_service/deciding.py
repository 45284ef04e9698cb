"""Decide: answer, or decline honestly.

Two kinds of check. The question's own constraints are hard: a year it names must be in
the sentence quoted (or the sentence before it, its section or title), and so must the
names it mentions (in the sentence's passage); when no candidate satisfies them the
question is declined, with what the corpus does hold. Then a learned decline model
(`training.py`) reads how well the best sentence answers (its ranker score, meaning
match, coverage of the question's terms) and declines below the threshold chosen on the
train split.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from qa_service.conversation import Resolved
from qa_service.ranker import LinearModel
from qa_service.retrieval import Hit
from qa_service.scoring import Candidate, FeatureMaker, question_entities, question_years

Reason = Literal["answer", "nothing_retrieved", "far_off", "missing_year", "missing_name", "model"]

# How well the best sentence answers, and whether the passages hold the question's words.
# (Features of the question's shape, such as being a follow-up or naming someone, were
# tried: the model learned the question sets' make-up from them, not answerability.)
DECISION_FEATURES: tuple[str, ...] = (
    "top_score",
    "top_sim",
    "top_lex",
    "top_ctx",
    "top_kind",
    "top_entities_in_sentence",
    "best_passage_dense",
    "log_bm25",
    "margin",
    "passage_coverage",
    "missing_rare",
)


@dataclass
class Scored:
    """The candidates of one question, best first, with their scores."""

    candidates: list[Candidate]
    scores: list[float]


@dataclass
class Decision:
    """Whether to answer, from which candidates (best first), and why."""

    reason: Reason
    ranked: list[Candidate] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    probability: float | None = None
    missing: list[str] = field(default_factory=list)  # the years the corpus has nothing on

    @property
    def answer(self) -> bool:
        return self.reason == "answer"


def question_features(
    resolved: Resolved, scored: Scored, hits: list[Hit], maker: FeatureMaker
) -> np.ndarray:
    """The decision's features (`DECISION_FEATURES`) for the best candidate of a question."""
    top = scored.candidates[0]
    coverage, missing_rare = maker.signals(resolved, hits)
    second = scored.scores[1] if len(scored.scores) > 1 else scored.scores[0] - 5.0
    row = [
        scored.scores[0],
        top.sim,
        top.lex,
        top.ctx,
        top.kind,
        top.entities_in_sentence,
        max(h.dense for h in hits),
        math.log1p(max(h.bm25 for h in hits)),
        scored.scores[0] - second,
        coverage,
        missing_rare,
    ]
    return np.asarray([row], dtype=np.float64)


def satisfying(resolved: Resolved, scored: Scored) -> tuple[list[Candidate], list[float]]:
    """The candidates that speak of every year the question names (all of them when it names none)."""
    keep = [
        (c, s) for c, s in zip(scored.candidates, scored.scores, strict=False) if c.years_ok >= 1.0
    ]
    return [c for c, _ in keep], [s for _, s in keep]


def unknown_names(resolved: Resolved, passages_terms: set[str]) -> set[str]:
    """Names the question gives (capitalised words, not acronyms) that no retrieved passage mentions."""
    return question_entities(resolved.question, acronyms=False) - passages_terms


class Decider:
    """Applies the hard constraints, then the learned decline model."""

    def __init__(
        self,
        model: LinearModel | None,
        maker: FeatureMaker,
        *,
        min_dense: float,
        min_coverage: float,
        strong_dense: float,
    ) -> None:
        self.model = model
        self.maker = maker
        # Far off the corpus: no passage close in meaning, or the passages hold few of the
        # question's words and are not close enough in meaning to make up for it.
        self.min_dense = min_dense
        self.min_coverage = min_coverage
        self.strong_dense = strong_dense

    def decide(self, resolved: Resolved, scored: Scored, hits: list[Hit]) -> Decision:
        if not hits or not scored.candidates:
            return Decision("nothing_retrieved")
        best_dense = max(h.dense for h in hits)
        if best_dense < self.min_dense:
            return Decision("far_off")
        if (
            best_dense < self.strong_dense
            and self.maker.signals(resolved, hits)[0] < self.min_coverage
        ):
            return Decision("far_off")
        if unknown_names(resolved, self.maker.passage_terms(hits)):
            return Decision("missing_name")
        ranked, scores = satisfying(resolved, scored)
        if not ranked:
            return Decision("missing_year", missing=question_years(resolved.question))
        kept = Scored(ranked, scores)
        probability = None
        if self.model is not None:
            probability = float(
                self.model.probability(question_features(resolved, kept, hits, self.maker))[0]
            )
            if probability < self.model.threshold:
                return Decision("model", ranked, scores, probability)
        return Decision("answer", ranked, scores, probability)
