"""`qa-service train`: fit the sentence ranker and the decline model on the train split.

Labels come from the question sets themselves: a candidate sentence that matches a
case's `expect` is a positive. The ranker is a logistic regression over the features of
`scoring.py`; the decline model is a logistic regression over the best sentence's
answerability features (`answerability.DECLINE_FEATURES`), on the questions of the kinds it
decides, labelled "answer" for in-scope cases whose answer was retrieved and for false
premises whose best sentence states the correction, "decline" for out-of-scope cases. It
is fitted on every tuning set and its threshold set by predicting each set from the others
(`_threshold`). Never fit on the headline held-out (`evaluation.HELDOUT`), the judge.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from qa_service.answerability import DECLINE_FEATURES, USES_MODEL, decline_columns, uses_model
from qa_service.composing import not_shown
from qa_service.deciding import Decision, Scored
from qa_service.evaluation import HELDOUT, IN_SCOPE, Case, load_cases
from qa_service.ranker import DECLINE_FILE, RANKER_FILE, LinearModel
from qa_service.scoring import FEATURES, Candidate, feature_matrix
from qa_service.service import QAService

TRAIN_SETS = (
    Path("eval/train.jsonl"),
    Path("eval/regression/shared_dev.jsonl"),
    Path("eval/regression/project.jsonl"),
)
# The decline model is fitted on every tuning set (train, the retired held-outs 1 and 2, the
# regression sets): it decides few questions per set (those asking for a figure), and its
# threshold is set by predicting each set from the others. Never on held-out 9, the judge.
DECLINE_SETS = (
    Path("eval/train.jsonl"),
    Path("eval/heldout.jsonl"),
    Path("eval/heldout2.jsonl"),
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


def _threshold(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """The lowest probability an answerable question gets from a model fitted on the other question sets.

    Each set in turn is predicted by a model fitted on the rest (as a fresh set would be), and
    the threshold sits at the least sure of their answerable questions: declining an answerable
    question is what users complained of most, so the model declines only below every one of them.
    """
    p = np.full(len(y), np.nan)
    for g in np.unique(groups):
        test = groups == g
        if len(np.unique(y[~test])) < 2:
            continue
        scaler = StandardScaler().fit(x[~test])
        lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        lr.fit(scaler.transform(x[~test]), y[~test])
        p[test] = lr.predict_proba(scaler.transform(x[test]))[:, 1]
    answerable = p[(y == 1) & ~np.isnan(p)]
    return float(answerable.min()) if len(answerable) else 0.0


def _decline_label(case: Case, kept: Scored, cands: list[Candidate]) -> int | None:
    """1 to answer, 0 to decline, None when the case teaches nothing (in scope, answer not retrieved)."""
    if case.kind == "out_of_scope":
        return 0
    if case.kind == "false_premise":
        return int(case.passes(kept.candidates[0].text))
    if case.kind in IN_SCOPE and any(case.passes(c.text) for c in cands):
        return 1
    return None


def _decline_rows(
    service: QAService, paths: list[Path]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, set) of the questions the decline model decides: those of the kinds it
    is used on (`answerability.USES_MODEL`) that the question's own constraints did not decline."""
    qx, qy, qg = [], [], []
    for i, path in enumerate(paths):
        for case in load_cases(path):
            p = service.prepare(case.question, case.history)
            if not uses_model(p.resolved.question):
                continue
            answerer = p.state.answerer
            scored = not_shown(
                answerer.score(p.resolved, p.qvec, p.hits, p.alone), p.resolved.shown
            )
            kept = answerer.decider.constrain(p.resolved, scored, p.hits)
            if isinstance(kept, Decision):
                continue
            label = _decline_label(case, kept, scored.candidates)
            if label is None:
                continue
            qx.append(decline_columns(answerer.decider.features(p.resolved, kept, p.hits))[0])
            qy.append(label)
            qg.append(i)
    return np.array(qx), np.array(qy), np.array(qg)


def train_decline(
    service: QAService, paths: list[Path], echo: Callable[[str], None] = print
) -> LinearModel:
    """Fit the decline model on `paths` (never the held-out judge) and write it beside the code."""
    if any(p.name == HELDOUT.name for p in paths):
        raise ValueError(f"{HELDOUT} is the judge: the decline model must not be fitted on it")
    dx, dy, groups = _decline_rows(service, paths)
    names = ", ".join(str(p) for p in paths)
    decline, _, _ = _fit(dx, dy, DECLINE_FEATURES, names)
    decline.threshold = _threshold(dx, dy, groups)
    decline.notes = {
        "questions": len(dy),
        "answerable": int(dy.sum()),
        "scorer": service.state.answerer.scorer_name,
        "kinds": ", ".join(sorted(USES_MODEL)),
    }
    echo(
        f"decline model: {len(dy)} questions ({int(dy.sum())} to answer), threshold {decline.threshold:.3f}"
    )
    decline.save(DECLINE_FILE)
    echo(f"wrote {DECLINE_FILE}")
    return decline


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
    for case, p in prepared:
        cands = p.state.answerer.features.candidates(p.resolved, p.qvec, p.hits, p.alone)
        labels = (
            np.array([any(case.matches(c.text)) for c in cands], dtype=int)
            if cands
            else np.zeros(0, int)
        )
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

    ranker.save(RANKER_FILE)
    echo(f"wrote {RANKER_FILE}")
    decline = train_decline(service, list(DECLINE_SETS), echo)
    return ranker, decline
