"""A question that gives one country's act to the country it was done to is declined, not answered.

"What made mexico kick out peru's ambassador in december 2022" takes as given that Mexico expelled
Peru's envoy; the corpus says Peru expelled Mexico's. On a real model and index over a small corpus
this module writes, the service declines and quotes the sentence that gives the act to Peru
(`constraints.side_reversed`, setting `premise_side_reversed`); the act asked of the country that did
it is answered. With the setting off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import act_side, side_reversed, sided_act
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "expulsion": document(
        "The expulsion of Mexico's ambassador in 2022",
        "2023-01-05",
        "diplomacy",
        [("Example source on the expulsion", "https://example.org/expulsion")],
        """\
        On 20 December 2022, Peru declared Mexico's ambassador Pablo Monroy persona non grata and gave him 72 hours to leave.
        Peru's foreign minister said the ambassador was expelled because of Mexico's repeated statements on Peru's internal affairs.
        Mexico rejected the decision and said consular relations would continue.
        """,
    ),
    "trade": document(
        "Trade between Mexico and Peru",
        "2024-03-01",
        "trade",
        [("Example source on trade", "https://example.org/trade")],
        "Mexico and Peru signed a trade integration agreement in Lima in April 2011.",
    ),
}
FALSE = "what made mexico kick out peru's ambassador in december 2022"
TRUE = "why did peru expel mexico's ambassador in december 2022"
CORRECTION = "Peru declared Mexico's ambassador"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-side"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "doer", "others"),
    [
        (FALSE, "mexico", {"peru"}),
        ("how come lima recalled its envoy from mexico city", "peru", {"mexico"}),
        ("what led the mexican government to protest to peru", "mexico", {"peru"}),
        # A passive opening puts the one the act was done to first.
        ("why was the peruvian ambassador expelled from mexico", None, set()),
        # One country only: nothing to turn round.
        ("why did peru's congress declare sheinbaum persona non grata", None, set()),
    ],
)
def test_the_doer_is_the_country_right_after_the_opening(
    question: str, doer: str | None, others: set[str]
) -> None:
    asked = sided_act(question)
    assert (asked.doer if asked else None) == doer
    assert (asked.others if asked else set()) == others


@pytest.mark.fast
@pytest.mark.parametrize(
    ("sentence", "side"),
    [
        ("Peru declared Mexico's ambassador persona non grata.", ("peru", {"mexico"})),
        # The clause that tells the act in the past, not the one that only names its noun.
        (
            "Mexico had lost its own ambassador, Pablo Monroy, when Peru expelled him.",
            ("peru", set()),
        ),
        # A passive act: the country before it is the one it was done to.
        ("Another Mexican ambassador had been expelled from Bolivia in 2019.", None),
        # A country's people are not its government.
        ("Mexicans could obtain the Peruvian ambassador's visa.", None),
        # A demonym that qualifies the act's noun is whose it is.
        (
            "EFE linked Peru's exclusion to the expulsion of Mexican ambassador Pablo Monroy.",
            ("peru", {"mexico"}),
        ),
    ],
)
def test_a_sentence_gives_the_act_to_the_first_country_of_its_clause(
    sentence: str, side: tuple[str, set[str]] | None
) -> None:
    assert act_side(sentence, {"ambassador", "expel"}) == side


@pytest.mark.fast
def test_a_sentence_giving_the_act_to_the_asked_doer_keeps_the_premise() -> None:
    turned = "On 20 December 2022, Peru declared Mexico's ambassador persona non grata."
    kept = "In 2022 Mexico declared Peru's ambassador persona non grata."
    assert side_reversed(FALSE, [turned]) == turned
    assert side_reversed(FALSE, [turned, kept]) is None
    assert side_reversed(TRUE, [turned]) is None


def test_an_act_given_to_the_other_country_is_declined_with_the_sentence_that_says_who(
    service: QAService,
) -> None:
    resp = service.ask(FALSE)
    assert not resp.found, resp.answer
    assert CORRECTION in resp.answer, resp.answer


def test_the_act_asked_of_the_country_that_did_it_is_answered(service: QAService) -> None:
    resp = service.ask(TRUE)
    assert resp.found, resp.answer


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_side_reversed is True
    off = service_with(service, premise_side_reversed=False)
    assert off.ask(FALSE).found
