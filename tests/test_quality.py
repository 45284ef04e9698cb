"""Answer quality on the real corpus, per kind, with floors: a change that makes the service
answer worse fails here. Held-out 2 (`eval/heldout2.jsonl`) is the headline; held-out 1 is
retired (looked at six times, now tuned on); the regression sets are the two question sets
earlier work was tuned on.

Floors are the figures measured when the learned scorer was adopted (README, "Quality,
measured"), less a margin of about one question per kind, so a real regression fails and a
corpus edit that moves one answer does not. Raise them when the service gets better; never
lower them to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.evaluation import evaluate_cases, load_cases
from qa_service.index import build_index
from qa_service.service import QAService

ROOT = Path(__file__).resolve().parent.parent

# Held-out 2 (the headline, eval/heldout2.jsonl): its first measured run, 2026-11-30 evening
# (`qa-service eval`, eval/results/after.txt), less about one case per kind.
# Held-out 1 (retired, now a tuning set): re-measured the same evening after the corpus edit of
# issue 11 removed facts five of its cases asked for (converted to out of scope or withdrawn,
# eval/withdrawn.jsonl); fact (.712 -> .667) and spanish (.545 -> .455) fell by two cases each
# against the morning's figures, a regression recorded in the closing note, and these floors are
# the evening's figures less about one case, so a further fall fails.
FLOORS: dict[str, dict[str, float]] = {
    "eval/heldout2.jsonl": {
        "in_scope": 0.56,
        "fact": 0.75,
        "why": 0.50,
        "multihop": 0.30,
        "now": 0.46,
        "spanish": 0.43,
        "followup": 0.60,
        "out_of_scope": 0.12,
        "false_premise": 0.40,
    },
    "eval/heldout.jsonl": {
        "in_scope": 0.58,
        "fact": 0.64,
        "why": 0.42,
        "multihop": 0.21,
        "now": 0.46,
        "spanish": 0.43,
        "followup": 0.65,
        "out_of_scope": 0.11,
        "false_premise": 0.25,
    },
    "eval/regression/shared_dev.jsonl": {"fact": 0.89, "followup": 0.5, "out_of_scope": 0.75},
    "eval/regression/project.jsonl": {"fact": 0.78, "followup": 0.75, "out_of_scope": 0.75},
}


@pytest.fixture(scope="module")
def corpus_service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    """The service over the real corpus, built into a folder of its own."""
    settings = Settings(
        corpus_dir=ROOT / "corpus", index_dir=tmp_path_factory.mktemp("real") / "index"
    )
    build_index(settings, embedder, progress=False)
    return QAService(settings, embedder)


def _rates(service: QAService, name: str) -> dict[str, float]:
    res = evaluate_cases(
        service, load_cases(ROOT / name), baselines=False, verbose=False, echo=lambda _: None
    )
    kinds = res["kinds"]
    assert isinstance(kinds, dict)
    return {kind: float(row["ok"]) for kind, row in kinds.items()}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_stays_above_its_floors(corpus_service: QAService, name: str) -> None:
    rates = _rates(corpus_service, name)
    below = {
        k: (rates.get(k), floor) for k, floor in FLOORS[name].items() if rates.get(k, 0.0) < floor
    }
    assert not below, f"{name}: below floor (rate, floor): {below}"
