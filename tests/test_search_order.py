"""/api/search's order: the best sentence of each passage weighed with the passage's own match.

Real model, real FAISS and BM25 index over a small corpus written here. The question names
the subject of one document (Interjet's route to Lima, over a whole passage); another
document holds a single sentence that repeats the question's words about something else.
By its best sentence alone the stray sentence comes first; the passage's BM25 and cosine
put the passage about the subject first.
"""

from __future__ import annotations

import pytest

from qa_service.embedding import Embedder
from qa_service.service import QAService
from tests.conftest import document, service_over, service_with

CORPUS = {
    "interjet-lima": document(
        "Interjet's route between Mexico City and Lima",
        "2013-06-01",
        "transport",
        [("Example source on the route", "https://example.org/interjet")],
        """\
        Interjet, the Mexican low-cost airline, flew a route from Mexico City to Lima. The Lima route
        was Interjet's first in South America, and Interjet flew the route to Lima with an Airbus
        A320. Flights began in 2012.
        """,
    ),
    "viva-aerobus": document(
        "Viva Aerobus, a domestic airline",
        "2019-03-01",
        "transport",
        [("Example source on the viva", "https://example.org/viva")],
        """\
        Viva Aerobus flew only inside Mexico and kept its fleet small. Its pilots trained in
        Monterrey, and its cabin crews wore green uniforms. Nobody at Viva Aerobus could say in what
        year Interjet started its route to Lima. Viva Aerobus sold cheap seats to Cancún, Tijuana
        and Mérida, and its check-in desks opened two hours before each departure. The company
        painted its aircraft in bright colours and sold snacks on board.
        """,
    ),
    "trade-fair": document(
        "A trade fair in Guadalajara",
        "2018-09-01",
        "trade",
        [("Example source on the fair", "https://example.org/fair")],
        """\
        Peruvian exporters showed coffee and textiles at a fair in Guadalajara. The fair started that
        year with buyers from several Mexican states, and the next year it started again with signed
        orders.
        """,
    ),
}
QUESTION = "In what year did Interjet start its route to Lima?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    return service_over(tmp_path_factory.mktemp("search-order"), CORPUS, embedder)


def test_the_passage_about_the_subject_comes_first(service: QAService) -> None:
    results = service.search(QUESTION, 3)
    assert results[0].doc_id == "interjet-lima", [r.doc_id for r in results]


def test_by_the_best_sentence_alone_the_stray_sentence_wins(service: QAService) -> None:
    """The case above is one the passage weights decide: without them the order flips."""
    alone = service_with(service, search_dense_weight=0.0, search_bm25_weight=0.0)
    assert alone.search(QUESTION, 3)[0].doc_id == "viva-aerobus"
