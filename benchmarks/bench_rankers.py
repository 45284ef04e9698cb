"""Sentence scorers compared on the train split: which one picks the answering sentence first.

For every train and regression case, the candidate sentences and their features are built
as the service builds them; a sentence that matches the case's `expect` is a positive.
Then, in 5-fold cross-validation grouped by question (a question's sentences never sit on
both sides), it prints the share of questions whose top-scored sentence is a positive, for
the hand weights and for learned rankers: logistic regression, pairwise logistic
regression (RankNet-style differences), and LightGBM's LambdaMART when lightgbm is
installed. The held-out split is never read.

    .venv/bin/python benchmarks/bench_rankers.py     # needs a built index (make build)
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

from qa_service.config import Settings
from qa_service.scoring import FEATURES, HAND_WEIGHTS
from qa_service.service import QAService
from qa_service.training import TRAIN_SETS, stacked_rows


def features(service: QAService) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every train-set candidate sentence as the service builds it (`training.stacked_rows`)."""
    return stacked_rows(service, list(TRAIN_SETS))


def top1(scores: np.ndarray, y: np.ndarray, q: np.ndarray, idx: np.ndarray) -> float:
    """Share of the questions in `idx` (with at least one positive) whose best-scored sentence is positive."""
    hits = n = 0
    for g in np.unique(q[idx]):
        m = idx[q[idx] == g]
        if y[m].any():
            n += 1
            hits += int(y[m][np.argmax(scores[m])])
    return hits / max(1, n)


def pairwise(
    x: np.ndarray, y: np.ndarray, q: np.ndarray, idx: np.ndarray, per: int = 20
) -> np.ndarray:
    rng = np.random.default_rng(0)
    diffs, labels = [], []
    for g in np.unique(q[idx]):
        m = idx[q[idx] == g]
        pos, neg = m[y[m] == 1], m[y[m] == 0]
        for a in pos:
            for b in rng.choice(neg, min(per, len(neg)), replace=False) if len(neg) else []:
                diffs += [x[a] - x[b], x[b] - x[a]]
                labels += [1, 0]
    d = np.array(diffs)
    scale = d.std(axis=0) + 1e-9
    lr = LogisticRegression(C=0.1, fit_intercept=False, max_iter=5000).fit(
        d / scale, np.array(labels)
    )
    return lr.coef_[0] / scale


def main() -> None:
    x, y, q = features(QAService(Settings(sentence_scorer="hand")))
    hand = np.array([HAND_WEIGHTS.get(f, 0.0) for f in FEATURES])
    results: dict[str, list[float]] = {"hand": [], "logistic": [], "pairwise_logistic": []}
    try:
        import lightgbm
    except ImportError:
        lightgbm = None
    if lightgbm is not None:
        results["lambdamart"] = []
    for train, test in GroupKFold(5).split(x, y, q):
        results["hand"].append(top1(x @ hand, y, q, test))
        sc = StandardScaler().fit(x[train])
        lr = LogisticRegression(class_weight="balanced", max_iter=5000).fit(
            sc.transform(x[train]), y[train]
        )
        results["logistic"].append(top1(lr.decision_function(sc.transform(x)), y, q, test))
        results["pairwise_logistic"].append(top1(x @ pairwise(x, y, q, train), y, q, test))
        if lightgbm is not None:
            order = train[np.argsort(q[train], kind="stable")]
            _, sizes = np.unique(q[order], return_counts=True)
            ranker = lightgbm.LGBMRanker(
                objective="lambdarank",
                num_leaves=4,
                n_estimators=300,
                learning_rate=0.03,
                verbose=-1,
                random_state=0,
            )
            ranker.fit(x[order], y[order], group=sizes)
            results["lambdamart"].append(top1(ranker.predict(x), y, q, test))
    summary = {k: round(float(np.mean(v)), 3) for k, v in results.items()}
    print(
        f"{len(np.unique(q))} questions, {len(y)} sentences; top-1 in grouped 5-fold CV: {summary}"
    )
    out = Path("benchmarks/results")
    out.mkdir(parents=True, exist_ok=True)
    (out / "rankers.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
