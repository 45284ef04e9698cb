"""`qa-service train`: fit the sentence ranker and the decline model on the train split.

Labels come from the question sets themselves: a candidate sentence that matches a
case's `expect` is a positive. The ranker is a logistic regression over the features of
`scoring.py`; the decline model is a logistic regression over the best sentence's
features (`deciding.DECISION_FEATURES`), labelled "answer" for in-scope cases whose
answer was retrieved and for false premises whose best sentence states the correction,
"decline" for out-of-scope cases. Its threshold is chosen on cross-validated
probabilities, where answering the answerable and declining the rest add up best. Never fit on the held-out split.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import StandardScaler

from qa_service.deciding import (
    DECISION_FEATURES,
    Scored,
    corpus_gap,
    dated,
    question_features,
    satisfying,
    unknown_names,
)
from qa_service.evaluation import IN_SCOPE, Case, load_cases
from qa_service.ranker import DECLINE_FILE, RANKER_FILE, LinearModel
from qa_service.scoring import DEFAULT_SCORER, FEATURES, SCORERS, Candidate, feature_matrix
from qa_service.service import Prepared, QAService

TRAIN_SETS = (
    Path("eval/train.jsonl"),
    Path("eval/regression/shared_dev.jsonl"),
    Path("eval/regression/project.jsonl"),
)
# Regularisation of both models (inverse strength, scikit-learn's C); 1.0 is its default and
# the train split showed no gain from others within 0.1-10.
C = 1.0
MIN_ANSWERED = 0.9


def _fit(
    x: np.ndarray, y: np.ndarray, names: tuple[str, ...], trained_on: str
) -> tuple[LinearModel, LogisticRegression, StandardScaler]:
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(
        (x - scaler.mean_) / scale, y
    )
    model = LinearModel(
        features=list(names),
        mean=scaler.mean_.tolist(),
        scale=scale.tolist(),
        coef=lr.coef_[0].tolist(),
        intercept=float(lr.intercept_[0]),
        trained_on=trained_on,
    )
    return model, lr, scaler


def _threshold(x: np.ndarray, y: np.ndarray) -> float:
    """The threshold on cross-validated probabilities where answering the answerable and declining
    the rest add up best (Youden's J), among those that still answer MIN_ANSWERED of the answerable:
    a wrong decline of a question the corpus answers is what users complained of most."""
    scaler = StandardScaler().fit(x)
    z = scaler.transform(x)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    p = cross_val_predict(
        LogisticRegression(C=C, class_weight="balanced", max_iter=5000),
        z,
        y,
        cv=folds,
        method="predict_proba",
    )[:, 1]
    candidates = [t for t in np.unique(p) if (p[y == 1] >= t).mean() >= MIN_ANSWERED] or [
        float(p.min())
    ]
    j = [(p[y == 1] >= t).mean() + (p[y == 0] < t).mean() for t in candidates]
    return float(candidates[int(np.argmax(j))])


def _decline_rows(
    per_case: list[tuple[Case, Prepared, list[Candidate], np.ndarray]],
    scorer: Callable[[np.ndarray], np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """One row per question the decline model decides: those its constraints did not decline."""
    qx, qy = [], []
    for case, p, cands, labels in per_case:
        if not cands:
            continue
        scores = scorer(feature_matrix(cands))
        order = np.argsort(-scores, kind="stable")
        scored = Scored([cands[i] for i in order], [float(scores[i]) for i in order])
        kept, kept_scores = satisfying(p.resolved, scored)
        decider = p.state.answerer.decider
        both = dated(p.resolved, Scored(kept, kept_scores), decider.context)
        kept, kept_scores = both.candidates, both.scores
        if (
            not kept
            or corpus_gap(both) is not None
            or unknown_names(p.resolved, p.state.answerer.features.passage_terms(p.hits))
        ):
            continue  # declined by the question's own constraints, before the model
        top_ok = case.passes(kept[0].text)
        if case.kind == "out_of_scope":
            label = 0
        elif case.kind == "false_premise":
            label = int(top_ok)
        elif case.kind in IN_SCOPE and labels.any():
            label = 1
        else:
            continue  # in scope but not retrieved: nothing the decision can learn from
        qx.append(
            question_features(
                p.resolved, Scored(kept, kept_scores), p.hits, p.state.answerer.features
            )[0]
        )
        qy.append(label)
    return np.array(qx), np.array(qy)


def train(
    service: QAService,
    paths: list[Path],
    echo: Callable[[str], None] = print,
    dump: Path | None = None,
) -> tuple[LinearModel, LinearModel]:
    """Fit both models on the cases of `paths` and write them beside the code."""
    cases: list[Case] = [c for p in paths for c in load_cases(p)]
    prepared = [(c, service.prepare(c.question, c.history)) for c in cases]
    xs, ys = [], []
    per_case = []
    for case, p in prepared:
        cands = p.state.answerer.features.candidates(p.resolved, p.qvec, p.hits, p.alone)
        labels = (
            np.array([any(case.matches(c.text)) for c in cands], dtype=int)
            if cands
            else np.zeros(0, int)
        )
        per_case.append((case, p, cands, labels))
        if cands and case.kind != "out_of_scope":
            xs.append(feature_matrix(cands))
            ys.append(labels)
    x, y = np.vstack(xs), np.concatenate(ys)
    if dump:
        qid = np.concatenate([np.full(len(v), i) for i, v in enumerate(ys)])
        np.savez(dump.with_suffix(".ranker.npz"), x=x, y=y, qid=qid)
    names = ", ".join(str(p) for p in paths)
    ranker, _, _ = _fit(x, y, FEATURES, names)
    ranker.notes = {"sentences": len(y), "positives": int(y.sum())}
    echo(f"ranker: {len(y)} sentences ({int(y.sum())} positive) from {len(xs)} questions")

    # The decline model reads the default scorer's scores: it decides on what is served.
    scorer = SCORERS[DEFAULT_SCORER] if DEFAULT_SCORER != "learned" else ranker.logits
    dx, dy = _decline_rows(per_case, scorer)
    if dump:
        np.savez(dump, x=dx, y=dy)
    decline, _, _ = _fit(dx, dy, DECISION_FEATURES, names)
    decline.threshold = _threshold(dx, dy)
    decline.notes = {
        "questions": len(dy),
        "answerable": int(dy.sum()),
        "scorer": DEFAULT_SCORER,
    }
    echo(
        f"decline model: {len(dy)} questions ({int(dy.sum())} to answer), threshold {decline.threshold:.3f}"
    )
    ranker.save(RANKER_FILE)
    decline.save(DECLINE_FILE)
    echo(f"wrote {RANKER_FILE} and {DECLINE_FILE}")
    return ranker, decline
