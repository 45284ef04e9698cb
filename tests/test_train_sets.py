"""Choosing what the learned models are fitted on: `qa-service train --exclude` leaves a set out of
both models (so a model can be measured on a set it never saw), `--all-tuning` fits on every tuning
set, a file that is not a tuning set is refused, `--out-dir` writes a trial's models elsewhere, and
`QA_MODELS_DIR` serves that trial's ranker (on a real model and index) instead of the shipped one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from qa_service import training
from qa_service.cli import app
from qa_service.embedding import Embedder
from qa_service.ranker import RANKER_FILE, LinearModel
from qa_service.scoring import feature_matrix
from tests.conftest import SMALL_CORPUS, service_over, service_with

ROOT = Path(__file__).resolve().parent.parent
H7 = Path("eval/heldout7.jsonl")


@pytest.fixture
def fitted(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The arguments `qa-service train` hands to the fitting, which is not run."""
    got: dict[str, object] = {}

    def fake(service: object, paths: list[Path], **kw: object) -> None:
        got.update(kw, ranker=paths)

    monkeypatch.setattr(training, "train", fake)
    monkeypatch.setattr("qa_service.service.QAService", lambda settings: None)
    monkeypatch.chdir(ROOT)
    return got


@pytest.mark.fast
def test_exclude_leaves_the_set_out_of_both_models(fitted: dict[str, object]) -> None:
    args = ["train", "--all-tuning", "--exclude", str(H7), "--out-dir", "/tmp/trial"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stdout
    assert fitted["ranker"] == fitted["decline_paths"]
    assert fitted["ranker"] == [p for p in training.TUNING_SETS if p != H7]
    assert fitted["out_dir"] == Path("/tmp/trial")


@pytest.mark.fast
def test_without_exclude_every_tuning_set_is_fitted(fitted: dict[str, object]) -> None:
    result = CliRunner().invoke(app, ["train", "--all-tuning"])
    assert result.exit_code == 0, result.stdout
    assert H7 in fitted["ranker"] and H7 in fitted["decline_paths"]  # type: ignore[operator]
    assert fitted["out_dir"] is None  # the shipped models


@pytest.mark.fast
def test_default_sets_and_a_file_that_is_not_a_tuning_set(
    fitted: dict[str, object], tmp_path: Path
) -> None:
    assert CliRunner().invoke(app, ["train"]).exit_code == 0
    assert fitted["ranker"] == list(training.TRAIN_SETS)
    assert fitted["decline_paths"] == list(training.DECLINE_SETS)
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text("", encoding="utf-8")
    result = CliRunner().invoke(app, ["train", str(fresh)])
    assert result.exit_code != 0 and "not a tuning set" in result.output
    with pytest.raises(ValueError, match="not a tuning set"):
        training.check_sets([Path("eval/withdrawn.jsonl")])


CASES = (
    '{"id": "t-1", "kind": "fact", "question": "When did the Trade Integration Agreement enter '
    'into force?", "expect": ["1 February 2012"]}\n'
    '{"id": "t-2", "kind": "fact", "question": "When did Peru break off diplomatic relations '
    'with Mexico?", "expect": ["3 November 2025"]}\n'
)


def test_models_dir_serves_the_trial_ranker(tmp_path: Path, embedder: Embedder) -> None:
    service = service_over(tmp_path, SMALL_CORPUS, embedder)
    cases = tmp_path / "cases.jsonl"
    cases.write_text(CASES, encoding="utf-8")
    x, y, qid = training.ranker_rows(service, cases)
    assert y.sum() >= 2 and len(np.unique(qid)) == 2
    trial = training.fit_ranker(x, y, str(cases))
    trial.coef = [-c for c in trial.coef]  # unlike any shipped ranker: its order is reversed
    trial.save(tmp_path / "models" / RANKER_FILE.name)

    served = service_with(service, sentence_scorer="learned", models_dir=tmp_path / "models")
    p = served.prepare("When did Peru break off diplomatic relations with Mexico?")
    cands = served.state.answerer.features.candidates(p.resolved, p.qvec, p.hits, p.alone)
    rows = feature_matrix(cands)
    assert np.allclose(served.state.answerer.scorer(rows), trial.logits(rows))

    shipped = LinearModel.load(RANKER_FILE)
    assert shipped is not None
    default = service_with(service, sentence_scorer="learned")
    assert np.allclose(default.state.answerer.scorer(rows), shipped.logits(rows))
