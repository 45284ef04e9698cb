"""A question asking which number in a series a thing is ("which numbered pan-american meeting")
names a quantity, so the figure check reads it (`deciding.lacks_figure`); its answer is a rank in
words ("the Tenth Inter-American Conference"), no figure. On a real model and a real index built
from a small corpus this module writes, the question is answered with the rank
(`rank_fills_number`) and declined as a figure the corpus does not give without it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import asks_for_rank, names_rank
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "convention": document(
        "The Caracas Convention on Diplomatic Asylum",
        "2024-05-01",
        "asylum",
        [("Example source on the convention", "https://example.org/convention")],
        """\
        The Convention on Diplomatic Asylum was signed on 28 March 1954 at the Tenth Inter-American Conference, held in Caracas, Venezuela.
        The Convention on Diplomatic Asylum lets the state that grants asylum decide whether a case is political.
        Mexico and Peru are among the states that ratified the Convention on Diplomatic Asylum.
        """,
    ),
}

NUMBERED = "the 1954 asylum treaty came out of which numbered pan-american meeting held in caracas"


@pytest.mark.fast
def test_the_reader() -> None:
    assert asks_for_rank(NUMBERED)
    assert asks_for_rank("what number cabinet chief was she under castillo")
    assert asks_for_rank("peru became mexico's nth partner")
    assert not asks_for_rank("what number of states ratified the convention")
    assert not asks_for_rank("how many states ratified the convention")
    assert names_rank("at the Tenth Inter-American Conference") and names_rank("its 22nd edition")
    assert names_rank("she was the first woman to hold the post")
    assert not names_rank("signed on 28 March 1954 in Caracas")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("rank-number"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_rank_in_words_answers_which_number(service: QAService) -> None:
    resp = service.ask(NUMBERED)
    assert resp.found and "Tenth" in resp.answer, resp.answer


def test_without_it_the_rank_is_no_figure(service: QAService) -> None:
    resp = service_with(service, rank_fills_number=False).ask(NUMBERED)
    assert not resp.found and "does not give this figure" in resp.answer, resp.answer
