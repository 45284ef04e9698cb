"""Per-embedder calibration: cosines mapped onto one scale, the dense ranking weighed in fusion."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from pydantic import ValidationError

from qa_service.calibration import (
    CALIBRATIONS,
    FIT_QUANTILES,
    IDENTITY,
    Calibration,
    calibration_for,
    fit_affine,
)
from qa_service.config import Settings
from qa_service.embedding import BACKEND_NAMES, BUNDLED_MODEL_NAME
from tests.conftest import write_corpus

if TYPE_CHECKING:  # the index and service modules load FAISS: only the model tests import them
    from qa_service.service import QAService


@pytest.mark.fast
def test_the_fit_sends_a_compressed_scale_onto_the_reference_percentiles() -> None:
    rng = np.random.default_rng(0)
    reference = rng.uniform(0.1, 0.8, 400)
    compressed = 0.7 + 0.25 * rng.uniform(0.1, 0.8, 400)  # e5-like: high and narrow
    scale, offset = fit_affine(compressed.tolist(), reference.tolist())
    mapped = Calibration(passage_scale=scale, passage_offset=offset).passage(compressed)
    assert np.allclose(
        np.quantile(mapped, FIT_QUANTILES), np.quantile(reference, FIT_QUANTILES), atol=1e-3
    )
    assert scale > 3.0  # the narrow scale is stretched, not merely shifted


@pytest.mark.fast
def test_a_fit_without_spread_or_a_non_positive_slope_is_refused() -> None:
    with pytest.raises(ValueError, match="no spread"):
        fit_affine([0.8] * 10, [0.2, 0.5, 0.9])
    with pytest.raises(ValidationError):
        Calibration(passage_scale=0.0)
    with pytest.raises(ValidationError):
        Calibration(dense_weight=-1.0)


@pytest.mark.fast
def test_minilm_keeps_its_own_scale_and_e5_small_has_a_fitted_map() -> None:
    assert calibration_for(BUNDLED_MODEL_NAME) is IDENTITY
    assert calibration_for(BACKEND_NAMES["minilm-int8"]) is IDENTITY
    e5 = calibration_for(BACKEND_NAMES["e5-small"])
    assert e5 is CALIBRATIONS[BACKEND_NAMES["e5-small"]]
    # e5's cosines sit high and close together: its map must stretch and lower them
    assert e5.passage_scale > 1.5 and e5.passage(0.85) < 0.85
    assert e5.sentence_scale > 1.5 and e5.sentence(0.85) < 0.85


def test_hits_carry_calibrated_cosines_and_fusion_weighs_the_dense_ranking(
    small_service: QAService,
) -> None:
    from qa_service.retrieval import Retriever

    data = small_service.state.data
    query = "When did the agreement between Mexico and Peru enter into force?"
    qvec = small_service.embedder.encode_query(query)
    raw = Retriever(data)
    cal = Calibration(passage_scale=2.0, passage_offset=-0.5, dense_weight=3.0)
    tuned = Retriever(data, calibration=cal)
    vectors = np.asarray(data.vectors)
    dense_rank = {row: i for i, (row, _) in enumerate(raw.dense(qvec, 40))}
    lex_rank = {row: i for i, (row, _) in enumerate(raw.lexical(query, 40))}
    hits = tuned.search(query, qvec, k=5)
    assert hits
    for h in hits:
        assert h.dense == pytest.approx(2.0 * float(vectors[h.row] @ qvec.ravel()) - 0.5, abs=1e-5)
        expected = sum(
            w / (60 + ranks[h.row] + 1)
            for w, ranks in ((3.0, dense_rank), (1.0, lex_rank))
            if h.row in ranks
        )
        assert h.score == pytest.approx(expected)


def test_e5_small_cosines_meet_the_thresholds_set_on_minilms_scale(tmp_path: Path) -> None:
    from qa_service.embedding import Embedder
    from qa_service.index import build_index
    from qa_service.retrieval import Retriever
    from qa_service.service import QAService

    e5 = Embedder("e5-small")
    settings = Settings(
        corpus_dir=write_corpus(tmp_path / "corpus"),
        index_dir=tmp_path / "index",
        embedding_model="e5-small",
        rate_limit_per_minute=0,
    )
    build_index(settings, e5, progress=False)
    service = QAService(settings, e5)
    retriever = service.state.retriever
    assert retriever.calibration is calibration_for(BACKEND_NAMES["e5-small"])

    def best(question: str) -> tuple[float, float]:
        qvec = e5.encode_query(question)
        raw = max(s for _, s in Retriever(service.state.data, calibration=IDENTITY).dense(qvec, 5))
        return raw, max(s for _, s in retriever.dense(qvec, 5))

    on_raw, on_topic = best("Why did Peru break off relations with Mexico?")
    off_raw, off_topic = best("How do I bake sourdough bread?")
    # Raw e5 cosines sit above every MiniLM threshold, even for bread; calibrated, they part.
    assert off_raw > settings.strong_dense_score
    assert on_topic > settings.strong_dense_score > settings.min_dense_score > off_topic
    assert on_raw > off_raw
    composed, _ = service.answer("Why did Peru break off relations with Mexico?")
    assert composed.found and "asylum" in composed.answer
    assert not service.answer("How do I bake sourdough bread?")[0].found
