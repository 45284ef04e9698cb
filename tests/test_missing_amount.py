"""A sum of money asked is not filled by a date or a count: on a real model and a real index built from
a small corpus this module writes, "How much did hosting the forum cost Peru?" finds only the forum's
dates and delegations and is declined (`decline_missing_amount`), the decline quoting what the corpus
does say of the forum, while "How much did the new museum cost?" is answered with its cost. With the
setting off, the forum's dates answer the first question."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.constraints import states_money
from qa_service.reading import asks_for_money
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "forum": document(
        "The Lima forum",
        "2025-11-10",
        "diplomacy",
        [("Example source on the forum", "https://example.org/forum")],
        """\
        Peru hosted the Pacific forum in Lima in November 2024, with 21 delegations attending.
        Peru's hosting of the Pacific forum drew 3 heads of government to Lima.
        The Pacific forum closed with a joint declaration on trade signed by 21 delegations.
        """,
    ),
    "museum": document(
        "The national museum",
        "2025-11-10",
        "culture",
        [("Example source on the museum", "https://example.org/museum")],
        """\
        The new national museum in Lima cost 40 million dollars to build, according to the culture ministry.
        The museum opened to visitors in 2021.
        """,
    ),
}

FORUM = "How much did hosting the Pacific forum cost Peru?"
MUSEUM = "How much did the new national museum cost?"


@pytest.mark.fast
def test_the_reader() -> None:
    assert asks_for_money("how much did hosting apec 2024 cost peru")
    assert asks_for_money("what is mexico paying brazil to look after its embassy in lima")
    assert asks_for_money("price of the visa peruvians now need for mexico")
    # a count or a span is no sum, whatever words it uses
    assert not asks_for_money("how many jobs had mexican investment created in peru")
    assert not asks_for_money("how many years did haya de la torre spend in the embassy")
    assert not asks_for_money("when did mexico pay the indemnity")
    assert not asks_for_money("who signed the trade agreement")
    assert states_money("The court ordered them to pay 12 million soles, about US$3.55 million.")
    assert states_money("Southern Copper had invested about 9,000 million US dollars.")
    assert not states_money("Peru hosted the forum from 9 to 16 November 2024.")
    assert not states_money("The agreement lets more than 12,000 products enter with preferences.")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("missing-amount"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_sum_the_corpus_lacks_is_declined(service: QAService) -> None:
    assert service.settings.decline_missing_amount is True
    resp = service.ask(FORUM)
    assert not resp.found and resp.citations == [], resp.answer
    assert "does not give this sum of money" in resp.answer, resp.answer
    # what the corpus does hold on the forum, in one line
    assert "The closest it holds: Peru" in resp.answer and "Pacific forum" in resp.answer, (
        resp.answer
    )
    resp = service.ask(MUSEUM)
    assert resp.found and "40 million dollars" in resp.answer, resp.answer


def test_without_the_check_the_dates_answer(service: QAService) -> None:
    service = service_with(service, decline_missing_amount=False)
    resp = service.ask(FORUM)
    assert resp.found and "November 2024" in resp.answer, resp.answer
