"""The sentence pool of a question about the present (`Settings.now_sentence_pool`,
`retrieval.Retriever.by_sentence`): a passage whose one answering sentence sits among sentences on
other matters is far from the question as a whole, so the fused search leaves it out; the pool adds
the passages holding the sentences nearest the question. On a real model and a real index built from a small corpus this module writes, with
one fused passage (`top_k=1`) the answer is found only with the pool."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "business-2015": document(
        "Mexican business in Peru, 2015",
        "2015-06-30",
        "trade",
        [("Example source on business", "https://example.org/business")],
        """\
        Mexican companies did business in Peru in mining, telecommunications and food in 2015.
        Peruvian firms did business with each other and with Mexican partners at a Lima fair in 2015.
        """,
    ),
    "cabinet-2026": document(
        "Peru's new cabinet, February 2026",
        "2026-02-24",
        "politics",
        [("Example source on the cabinet", "https://example.org/cabinet")],
        """\
        On 24 February 2026 the interim president swore in a new cabinet led by Denisse Miralles.
        The new cabinet kept Hugo de Zela as foreign minister and named new ministers of economy, health and education.
        Trade between Mexico and Peru went on after the diplomatic break of November 2025.
        The economy minister promised a budget review before the April 2026 election.
        The health minister announced a vaccination campaign in the Andean regions.
        The education minister said schools would reopen on 16 March 2026.
        """,
    ),
}

QUESTION = "are mexico and peru still doing business with each other"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(
        tmp_path_factory.mktemp("sentence-pool"), CORPUS, embedder, top_k=1, now_sentence_pool=1
    )


def test_the_pool_adds_the_passage_of_the_nearest_sentence(service: QAService) -> None:
    resp = service.ask(QUESTION)
    assert resp.found and "Trade between Mexico and Peru went on" in resp.answer, resp.answer


def test_without_the_pool_that_passage_is_not_weighed(service: QAService) -> None:
    resp = service_with(service, now_sentence_pool=0).ask(QUESTION)
    assert "Trade between Mexico and Peru went on" not in resp.answer, resp.answer
