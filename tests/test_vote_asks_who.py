"""A question asking who cast a vote is not asking its count (`Settings.vote_asks_who`).

"Which caucuses supplied the yes votes when congress branded sheinbaum unwelcome": the best sentence
names the caucuses, and a runner-up gives the count of another vote (on López Obrador). The check that
declines a vote's count asked for someone no counted sentence names (`deciding.vote_unnamed`) read the
question's "votes" as a count asked, and declined it: the sentence giving the count names no "Mex
Noticias". On a real model and index over a small corpus this
module writes, with the setting (off by default: one tuning case gained) the question is answered with the caucuses (`deciding.asks_who_voted`),
the count of a vote on someone the corpus gives none for is still declined, and with the setting off the
who question is declined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.deciding import asks_who_voted
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "png-amlo": document(
        "Peru's Congress declares López Obrador persona non grata (25 May 2023)",
        "2023-05-26",
        "png",
        [("Example source on the vote", "https://example.org/png")],
        """\
        The plenary of Peru's Congress approved the motion on 25 May 2023 with 65 votes in favour, 40 against and 2 abstentions.
        The motion said López Obrador had interfered in Peru's internal affairs.
        In January 2023 the Congress had declared former Bolivian president Evo Morales persona non grata.
        """,
    ),
    "png-sheinbaum": document(
        "Peru's Congress declares Sheinbaum persona non grata (6 November 2025)",
        "2025-11-07",
        "png",
        [("Example source on the second vote", "https://example.org/png2")],
        """\
        According to Mex Noticias, the votes in favour came from Fuerza Popular, Renovación Popular and Avanza País.
        The motion against Sheinbaum was approved with 67 votes in favour and 29 against, according to Infobae.
        The left-wing caucuses opposed the motion.
        """,
    ),
}
WHO = "which caucuses supplied the yes votes when congress declared sheinbaum unwelcome, per mex noticias"
MORALES = "how many lawmakers voted to declare evo morales unwelcome in peru"


@pytest.mark.fast
def test_who_and_which_ask_for_voters_not_a_count() -> None:
    assert asks_who_voted(WHO)
    assert asks_who_voted("which parties voted no")
    assert not asks_who_voted(MORALES)
    assert not asks_who_voted("what was the vote on sheinbaum")
    # "by which" is relative: the question compares counts.
    assert not asks_who_voted("compare the votes by which congress declared amlo unwelcome")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("vote-who"), CORPUS, embedder, decline_model="constraints"
    )


def test_who_voted_is_answered(service: QAService) -> None:
    service = service_with(service, vote_asks_who=True)
    resp = service.ask(WHO)
    assert resp.found and "Fuerza Popular" in resp.answer, resp.answer
    resp = service.ask(MORALES)
    assert not resp.found and resp.citations == [], resp.answer


def test_without_the_setting_who_voted_is_declined(service: QAService) -> None:
    resp = service_with(service, vote_asks_who=False).ask(WHO)
    assert not resp.found, resp.answer
