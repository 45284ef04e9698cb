"""The embedding backends named by QA_EMBEDDING_MODEL: real models, a real index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa_service.config import Settings
from qa_service.embedding import (
    BACKEND_NAMES,
    BACKENDS,
    BUNDLED_MODEL_NAME,
    Embedder,
    ModelNotFoundError,
    resolve_model_path,
)
from qa_service.index import build_index, load_index
from qa_service.service import QAService
from tests.conftest import write_corpus

QUESTIONS = [
    "When was the Trade Integration Agreement signed?",
    "Why did Peru break off relations with Mexico in 2025?",
    "¿Dónde se fundó el APRA?",
]
PASSAGES = [
    "Peru broke off relations on 3 November 2025. Mexico had granted asylum to Betssy Chávez.",
    "APRA was founded in Mexico City on 7 May 1924.",
]
SPANS = [[(0, 43), (44, 88)], [(0, 46)]]


@pytest.mark.fast
def test_every_backend_has_a_recorded_name_and_the_default_keeps_todays() -> None:
    assert set(BACKENDS) == set(BACKEND_NAMES)
    # Indexes built before backends existed record this name: they must stay valid.
    assert resolve_model_path(None) == (None, BUNDLED_MODEL_NAME)
    assert resolve_model_path("minilm-int8") == (None, BACKEND_NAMES["minilm-int8"])


@pytest.mark.fast
def test_an_unknown_model_is_refused_with_the_names_it_could_be(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="minilm-int8"):
        resolve_model_path("minilm-int4")
    with pytest.raises(ModelNotFoundError, match="sentence-transformers model folder"):
        resolve_model_path(str(tmp_path))


@pytest.fixture(scope="module")
def int8() -> Embedder:
    return Embedder("minilm-int8")


def test_int8_onnx_matches_the_torch_model_vector_for_vector(
    embedder: Embedder, int8: Embedder
) -> None:
    assert int8.name == BACKEND_NAMES["minilm-int8"] and int8.dim == embedder.dim == 384
    q_torch, q_int8 = embedder.encode(QUESTIONS), int8.encode(QUESTIONS)
    assert np.allclose(np.linalg.norm(q_int8, axis=1), 1.0, atol=1e-5)
    # int8 weights move each vector a little; 0.99 cosine is far above any two different texts
    assert (q_torch * q_int8).sum(axis=1).min() > 0.99
    assert (q_int8 @ q_int8.T)[0, 1] < 0.9  # and different questions stay apart
    c_torch, s_torch = embedder.encode_passages(PASSAGES, SPANS)
    c_int8, s_int8 = int8.encode_passages(PASSAGES, SPANS)
    assert (c_torch * c_int8).sum(axis=1).min() > 0.99
    for a, b in zip(s_torch, s_int8, strict=True):
        assert a.shape == b.shape and (a * b).sum(axis=1).min() > 0.99
    assert (s_int8[0][0] @ s_int8[0][1]) < 0.95  # per-sentence vectors, not the chunk's twice
    assert int8.count_tokens(PASSAGES[0]) == embedder.count_tokens(PASSAGES[0])
    assert int8.encode_query(QUESTIONS[1]) @ embedder.encode_query(QUESTIONS[1]) > 0.99


def test_an_index_built_with_the_int8_backend_answers_through_the_service(
    tmp_path: Path, int8: Embedder
) -> None:
    settings = Settings(
        corpus_dir=write_corpus(tmp_path / "corpus"),
        index_dir=tmp_path / "index",
        embedding_model="minilm-int8",
        rate_limit_per_minute=0,
    )
    build_index(settings, int8, progress=False)
    assert load_index(settings.index_dir).manifest.model == BACKEND_NAMES["minilm-int8"]
    service = QAService(settings, int8)
    composed, _ = service.answer("Why did Peru break off relations with Mexico?")
    assert composed.found and "asylum" in composed.answer
    top = service.search("Where was APRA founded?", 1)[0]
    assert top.doc_id == "apra-1924"
