"""A vote's count asked for someone the corpus gives no vote on is declined.

"How many lawmakers voted to declare evo morales unwelcome in peru": the corpus says Congress declared
Evo Morales persona non grata, but gives the counts of other votes only (on López Obrador, on Gustavo
Petro). Its best sentences give those counts; answered with them, another vote's count is offered as
the one asked. On a real model and index over a small corpus this module writes, a question asking for
a vote's count is declined when every best sentence giving one holds, in its own words, section and
title, none of a name the question gives (`deciding.vote_unnamed`, setting `decline_vote_unnamed`);
the vote on Petro, whose sentence names him, is answered, and with the setting off the other votes'
counts answer the question on Morales.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "png": document(
        "Peru's Congress declares López Obrador persona non grata (25 May 2023)",
        "2023-05-26",
        "png",
        [("Example source on the vote", "https://example.org/png")],
        """\
        The plenary of Peru's Congress approved the motion on 25 May 2023 with 65 votes in favour, 40 against and 2 abstentions.
        The motion said López Obrador had interfered in Peru's internal affairs.
        In January 2023 the Congress had declared former Bolivian president Evo Morales persona non grata.
        In February 2023 the Congress had declared Colombian President Gustavo Petro persona non grata with 72 votes in favour, 29 against and 7 abstentions.
        """,
    ),
}
MORALES = "how many lawmakers voted to declare evo morales unwelcome in peru"
PETRO = "how many lawmakers voted to declare gustavo petro unwelcome in peru"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("vote-unnamed"), CORPUS, embedder, decline_model="constraints"
    )


def test_another_votes_count_is_declined(service: QAService) -> None:
    assert service.settings.decline_vote_unnamed is True
    resp = service.ask(MORALES)
    assert not resp.found and resp.citations == [], resp.answer
    resp = service.ask(PETRO)
    assert resp.found and "72 votes" in resp.answer, resp.answer


def test_without_the_setting_another_votes_count_answers(service: QAService) -> None:
    service = service_with(service, decline_vote_unnamed=False)
    resp = service.ask(MORALES)
    assert resp.found and "votes in favour" in resp.answer, resp.answer
