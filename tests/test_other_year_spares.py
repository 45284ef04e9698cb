"""A true question keeps its answer in the asked year ahead of another year's act.

`deciding.other_year_act` leads the answer with a sentence giving the question's act another year,
to correct a premise set in the wrong year. On a true question it pushed the answer in the asked
year down (where Humala and Peña Nieto first spoke of a strategic partnership in 2013 led by the
agreement's signing in Mexico City in 2014). With `other_year_spares_answer` a best sentence in the
asked year that holds what is asked (a place here), scoring close to the other year's sentence,
keeps the lead. Checked on the real model and
corpus, and with the setting off.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.index import build_index
from tests.conftest import answer_sentences, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

ROOT = Path(__file__).resolve().parents[1]
# A rewording of the tuning question that met the case (held-out 7 h7-027).
QUESTION = "where did humala and pena nieto first talk about a strategic partnership in 2013"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    """The real corpus, built into a folder of its own."""
    from qa_service.service import QAService

    settings = Settings(
        corpus_dir=ROOT / "corpus",
        index_dir=tmp_path_factory.mktemp("other-year-spares") / "index",
        rate_limit_per_minute=0,
    )
    build_index(settings, embedder, progress=False)
    return QAService(settings, embedder)


def test_the_answer_in_the_asked_year_leads(service: QAService) -> None:
    first = answer_sentences(service, QUESTION)[0]
    assert "Bali" in first and "2013" in first, first


def test_without_the_setting_the_other_year_leads(service: QAService) -> None:
    assert Settings().other_year_spares_answer is True
    off = service_with(service, other_year_spares_answer=False)
    first = answer_sentences(off, QUESTION)[0]
    assert "2014" in first and "Bali" not in first, first
