"""A sum named by the noun a question asks about is a sum asked: on a real model and a real index built
from a small corpus this module writes, "What fee does a Peruvian pay for the Mexican visa?" finds only
the visa's rules and dates and is declined (`money_asked_noun` with `decline_missing_amount`), while "What
fee does the national museum charge?" is answered with its fee. With the setting off, the visa's rules
answer the first question."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import asks_for_money
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "visa": document(
        "Mexico's visa for Peruvians",
        "2025-11-10",
        "migration",
        [("Example source on the visa", "https://example.org/visa")],
        """\
        Peruvian visitors have needed a visa to enter Mexico since May 2024.
        A Peruvian must apply for the Mexican visa in person at a Mexican consulate.
        The Mexican visa for Peruvians replaced the electronic authorisation used since 2012.
        """,
    ),
    "museum": document(
        "The national museum",
        "2025-11-10",
        "culture",
        [("Example source on the museum", "https://example.org/museum")],
        """\
        The national museum in Lima charges an entrance fee of 30 soles, according to the culture ministry.
        The museum opened to visitors in 2021.
        """,
    ),
}

VISA = "What fee does a Peruvian pay for the Mexican visa?"
MUSEUM = "What fee does the national museum charge?"


@pytest.mark.fast
def test_the_reader() -> None:
    assert asks_for_money("what fee does a peruvian pay for the mexican visa", nouns=True)
    assert asks_for_money(
        "what's the monthly stipend on a pacific alliance mobility grant", nouns=True
    )
    assert asks_for_money("whats the salary of a peruvian doctor in tijuana", nouns=True)
    # without the setting, neither wording is read as a sum
    assert not asks_for_money("what fee does a peruvian pay for the mexican visa")
    assert not asks_for_money("what's the monthly stipend on a pacific alliance mobility grant")
    # a sum's noun that is not the thing asked about asks for no sum
    assert not asks_for_money("what rules govern the fee for the visa", nouns=True)
    assert not asks_for_money("when was the fee for the visa introduced", nouns=True)
    assert not asks_for_money("what's the name of the grant", nouns=True)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("money-noun"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_fee_the_corpus_lacks_is_declined(service: QAService) -> None:
    assert service.settings.money_asked_noun is True
    resp = service.ask(VISA)
    assert not resp.found and resp.citations == [], resp.answer
    assert "does not give this sum of money" in resp.answer, resp.answer
    resp = service.ask(MUSEUM)
    assert resp.found and "30 soles" in resp.answer, resp.answer


def test_without_the_setting_the_rules_answer(service: QAService) -> None:
    resp = service_with(service, money_asked_noun=False).ask(VISA)
    assert resp.found and "visa" in resp.answer, resp.answer
