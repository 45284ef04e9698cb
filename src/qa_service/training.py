"""`qa-service train`: fit the sentence ranker and the decline model on the train split.

Labels come from the question sets themselves: a candidate sentence that matches a
case's `expect` is a positive. The ranker is a logistic regression over the features of
`scoring.py`; the decline model is a logistic regression over the best sentence's
answerability features (`answerability.DECLINE_FEATURES`), on the questions of the kinds it
decides, labelled "answer" for in-scope cases whose answer was retrieved and for false
premises whose best sentence states the correction, "decline" for out-of-scope cases. It
is fitted on every tuning set and its threshold set by predicting each set from the others
(`_threshold`). Only the tuning sets (`TUNING_SETS`) may be fitted on; `choose_sets` leaves one out,
so a model can be measured on a set it never saw (`qa-service train --exclude`).
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
from qa_service.evaluation import HELDOUT, IN_SCOPE, SET_LABELS, Case, load_cases
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
# threshold is set by predicting each set from the others. Never on the headline held-out
# (evaluation.HELDOUT), the judge.
DECLINE_SETS = (
    Path("eval/train.jsonl"),
    Path("eval/heldout.jsonl"),
    Path("eval/heldout2.jsonl"),
    Path("eval/regression/shared_dev.jsonl"),
    Path("eval/regression/project.jsonl"),
)
# Every file a model may be fitted on: every question set `qa-service eval` knows but the headline
# held-out (the train split, the retired held-outs, the fresh Spanish twins, the regression sets),
# so retiring a held-out in `evaluation.SET_LABELS` makes it one. A file not named here (the judge)
# is refused by `check_sets`, so no model ever sees it.
TUNING_SETS = tuple(p for p in SET_LABELS if p != HELDOUT)


def check_sets(paths: list[Path]) -> None:
    """Refuse any file that is not a tuning set: fitting on a fresh held-out makes its figures meaningless."""
    known = {p.as_posix() for p in TUNING_SETS}
    for p in paths:
        if p.as_posix() not in known:
            raise ValueError(
                f"{p} is not a tuning set (training.TUNING_SETS): no model may be fitted on it"
            )


def choose_sets(base: list[Path], exclude: list[Path]) -> list[Path]:
    """`base` less the files of `exclude` (leave-one-set-out: fit on the rest, measure on the one left out)."""
    out = {p.as_posix() for p in exclude}
    return [p for p in base if p.as_posix() not in out]


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


def fit_decline(
    dx: np.ndarray, dy: np.ndarray, groups: np.ndarray, trained_on: str, scorer: str
) -> LinearModel:
    """The decline model on rows of `_decline_rows`, its threshold set by predicting each set from the others."""
    decline, _, _ = _fit(dx, dy, DECLINE_FEATURES, trained_on)
    decline.threshold = _threshold(dx, dy, groups)
    decline.notes = {
        "questions": len(dy),
        "answerable": int(dy.sum()),
        "scorer": scorer,
        "kinds": ", ".join(sorted(USES_MODEL)),
    }
    return decline


def train_decline(
    service: QAService,
    paths: list[Path],
    echo: Callable[[str], None] = print,
    out: Path = DECLINE_FILE,
) -> LinearModel:
    """Fit the decline model on `paths` (tuning sets only) and write it to `out` (default: beside the code)."""
    check_sets(paths)
    dx, dy, groups = _decline_rows(service, paths)
    names = ", ".join(str(p) for p in paths)
    decline = fit_decline(dx, dy, groups, names, service.state.answerer.scorer_name)
    echo(
        f"decline model: {len(dy)} questions ({int(dy.sum())} to answer), threshold {decline.threshold:.3f}"
    )
    decline.save(out)
    echo(f"wrote {out}")
    return decline


def ranker_rows(service: QAService, path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, question number) of every candidate sentence of the in-scope questions of `path`:
    a sentence that matches the case's `expect` is a positive."""
    xs, ys = [], []
    for case in load_cases(path):
        if case.kind == "out_of_scope":
            continue
        p = service.prepare(case.question, case.history)
        cands = p.state.answerer.features.candidates(p.resolved, p.qvec, p.hits, p.alone)
        if cands:
            xs.append(feature_matrix(cands))
            ys.append(np.array([any(case.matches(c.text)) for c in cands], dtype=int))
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0, int), np.zeros(0, int)
    qid = np.concatenate([np.full(len(v), i) for i, v in enumerate(ys)])
    return np.vstack(xs), np.concatenate(ys), qid


def stacked_rows(
    service: QAService, paths: list[Path]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`ranker_rows` of every file of `paths` in one table, each question numbered across the files."""
    xs, ys, qs, offset = [], [], [], 0
    for path in paths:
        x, y, q = ranker_rows(service, path)
        xs.append(x)
        ys.append(y)
        qs.append(q + offset)
        offset += int(q.max()) + 1 if len(q) else 0
    return np.vstack(xs), np.concatenate(ys), np.concatenate(qs)


def fit_ranker(x: np.ndarray, y: np.ndarray, trained_on: str) -> LinearModel:
    """The sentence ranker: a logistic regression of "answers the question" on the sentence features."""
    ranker, _, _ = _fit(x, y, FEATURES, trained_on)
    ranker.notes = {"sentences": len(y), "positives": int(y.sum())}
    return ranker


def train(
    service: QAService,
    paths: list[Path],
    echo: Callable[[str], None] = print,
    dump: Path | None = None,
    decline_paths: list[Path] | None = None,
    out_dir: Path | None = None,
) -> tuple[LinearModel, LinearModel]:
    """Fit the ranker on `paths` and the decline model on `decline_paths` (default `DECLINE_SETS`), tuning
    sets only; write both to `out_dir` (default: beside the code, the shipped models)."""
    decline_paths = list(DECLINE_SETS) if decline_paths is None else decline_paths
    check_sets(paths + decline_paths)
    x, y, qid = stacked_rows(service, paths)
    if dump:
        np.savez(dump.with_suffix(".ranker.npz"), x=x, y=y, qid=qid)
    ranker = fit_ranker(x, y, ", ".join(str(p) for p in paths))
    questions = len(np.unique(qid))
    echo(f"ranker: {len(y)} sentences ({int(y.sum())} positive) from {questions} questions")
    ranker_out = out_dir / RANKER_FILE.name if out_dir else RANKER_FILE
    ranker.save(ranker_out)
    echo(f"wrote {ranker_out}")
    decline_out = out_dir / DECLINE_FILE.name if out_dir else DECLINE_FILE
    decline = train_decline(service, decline_paths, echo, decline_out)
    return ranker, decline
