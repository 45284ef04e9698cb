"""Answerability: general features of (question, best sentence, retrieval scores) for the learned decline.

A near-topic question the corpus cannot answer still retrieves sentences on its subject; what
gives it away is what the best sentence lacks: the year the question asks about (the sentence
names another), the rarest word of the question (the thing counted: "tonnes", "seats",
"visitors"), the thing asked for (a number beside the question's words), or a name in the
question's place. Each feature is read from the question's own words and the sentence, never
from a list of entities, so the model (`training.py`) learns kinds of misses, not questions.

The learned decline is used only for the questions it paid on (`USES_MODEL`). Leave-one-set-out
AUC over the five tuning sets (1 December 2026): questions asking for a figure 0.79, for a
figure or a date 0.75, every other question 0.52 (no better than chance: there it would
only decline answerable questions).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from qa_service.constraints import contradicts
from qa_service.conversation import Resolved
from qa_service.reading import YEAR, AskedKind, asked_for, focus_terms, question_years, term_set
from qa_service.retrieval import Hit
from qa_service.scoring import Candidate, FeatureMaker
from qa_service.terms import terms

# The kinds of question the learned decline decides (reading.asked_for): those whose answer
# is a figure, which one sentence either states beside the question's words or does not.
USES_MODEL: frozenset[AskedKind] = frozenset({"quantity"})

# Every feature `answerability_features` reads, in its row's order.
ANSWERABILITY_FEATURES: tuple[str, ...] = (
    # how well the best sentence answers (scoring.Candidate's features) and retrieval's scores
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
    # the question's own constraints against the best sentence
    "years_in_sentence",
    "other_years_only",
    "focus_held",
    "missing_rare_sentence",
    "contradicts",
)
# The ones the decline model reads. Chosen by leave-one-set-out AUC over the five tuning sets
# on the questions asking for a figure (1 December 2026): all sixteen 0.745, the eleven of
# the previous model 0.713, these five 0.788 (fewer features, less of one set's make-up
# learned). The sentence's own rarest missing word carries most of the gain.
DECLINE_FEATURES: tuple[str, ...] = (
    "top_score",
    "top_ctx",
    "log_bm25",
    "missing_rare",
    "missing_rare_sentence",
)


def _rarest_missing(question: str, held: frozenset[str], idf: Callable[[str], float]) -> float:
    """The IDF of the rarest question term the text does not hold, over the largest IDF (0 when none)."""
    missing = [idf(t) for t in terms(question) if t not in held]
    return max(missing) if missing else 0.0


def constraint_features(
    question: str, sentence: str, context: str, idf: Callable[[str], float], top_idf: float
) -> list[float]:
    """How the sentence meets the question's own constraints: its years, its focus, its rarest word, its direction."""
    years = question_years(question)
    named = set(YEAR.findall(sentence))
    held = term_set(context)
    focus = [t for t in focus_terms(question) if t in set(terms(question))]
    return [
        sum(y in named for y in years) / len(years) if years else 1.0,
        float(bool(years) and bool(named) and not named & set(years)),
        sum(t in held for t in focus) / len(focus) if focus else 1.0,
        _rarest_missing(question, held, idf) / top_idf,
        float(contradicts(question, sentence)),
    ]


def answerability_features(
    resolved: Resolved,
    candidates: list[Candidate],
    scores: list[float],
    hits: list[Hit],
    maker: FeatureMaker,
    context: Callable[[Candidate], str],
) -> np.ndarray:
    """One row of `ANSWERABILITY_FEATURES` for the best candidate of a question."""
    top = candidates[0]
    coverage, missing_rare = maker.signals(resolved, hits)
    second = scores[1] if len(scores) > 1 else scores[0] - 5.0
    row = [
        scores[0],
        top.sim,
        top.lex,
        top.ctx,
        top.kind,
        top.entities_in_sentence,
        max(h.dense for h in hits),
        math.log1p(max(h.bm25 for h in hits)),
        scores[0] - second,
        coverage,
        missing_rare,
    ]
    row += constraint_features(resolved.question, top.text, context(top), maker.idf, maker.max_idf)
    return np.asarray([row], dtype=np.float64)


def decline_columns(row: np.ndarray) -> np.ndarray:
    """The `DECLINE_FEATURES` columns of rows of `ANSWERABILITY_FEATURES`."""
    return row[:, [ANSWERABILITY_FEATURES.index(f) for f in DECLINE_FEATURES]]


def uses_model(question: str) -> bool:
    """Does the learned decline decide this question (it asks for a figure)?"""
    return asked_for(question).kind in USES_MODEL
