"""A sum asked as paid is the price's, not any sum: on a real model and a real index built from a small
corpus this module writes, "How much did Grupo Andes pay for the Norte mine?" finds the group's
investment and the mine's purchase without its price and is declined (`money_of_act` with
`decline_missing_amount`), while "How much did Grupo Sur pay for the Costa mine?" is answered with the
price. With the setting off, the investment answers the first question."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import money_act
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "andes": document(
        "Grupo Andes in Peru",
        "2025-11-10",
        "economy",
        [("Example source on Grupo Andes", "https://example.org/andes")],
        """\
        Grupo Andes bought the Norte mine in southern Peru in 1999.
        Grupo Andes has invested about 2 billion dollars in the Norte mine since then, according to the ministry.
        The Norte mine employs 3,000 workers.
        """,
    ),
    "sur": document(
        "Grupo Sur in Peru",
        "2025-11-10",
        "economy",
        [("Example source on Grupo Sur", "https://example.org/sur")],
        """\
        Grupo Sur paid 300 million dollars for the Costa mine in 2001, according to the ministry.
        The Costa mine lies on the coast of Peru.
        """,
    ),
}

ANDES = "How much did Grupo Andes pay for the Norte mine?"
SUR = "How much did Grupo Sur pay for the Costa mine?"


@pytest.mark.fast
def test_the_reader() -> None:
    paid = money_act("how much did grupo mexico pay for its peruvian mines")
    assert paid is not None
    assert paid.search("Grupo Sur paid 300 million dollars for the Costa mine.")
    assert paid.search("It bought the mine for 300 million dollars.")
    assert not paid.search("Grupo Andes has invested about 2 billion dollars in Peru.")
    spent = money_act("how much money did mexican tourists spend in peru in 2018")
    assert spent is not None
    assert spent.search("Mexican tourists spent 90 million dollars in Peru in 2018.")
    assert not spent.search("Peru imported goods worth 1,924 million dollars from Mexico in 2018.")
    # other sums asked keep any sum as their filler
    assert money_act("how much has cinepolis invested in peru") is None
    assert money_act("what was mexico peru trade worth in 2021") is None


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("money-act"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_price_the_corpus_lacks_is_declined(service: QAService) -> None:
    assert service.settings.money_of_act is True
    resp = service.ask(ANDES)
    assert not resp.found and resp.citations == [], resp.answer
    assert "does not give this sum of money" in resp.answer, resp.answer
    resp = service.ask(SUR)
    assert resp.found and "300 million dollars" in resp.answer, resp.answer


def test_without_the_setting_the_investment_answers(service: QAService) -> None:
    resp = service_with(service, money_of_act=False).ask(ANDES)
    assert resp.found and "2 billion dollars" in resp.answer, resp.answer
