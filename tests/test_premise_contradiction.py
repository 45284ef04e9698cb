"""A question whose stated premise a sentence on the same act contradicts is answered first by it.

"Why does Peru get more Mexican FDI than anywhere else in Latin America" takes Peru as the first
destination; the corpus says it is the second, after Brazil. A why question's answer leads with a
sentence stating a cause, and the one ranking Peru second, which states none, comes after it: quoted
there, the premise stands. On a real model and index over a small corpus this module writes, the best
sentence within the premise margin, holding no fewer of the question's terms than the first sentence,
that says otherwise than the question states (a lower rank than the most it claims, a share of what it
says all of, one doer alone where it has two alike, the opposite act) leads
(`composing.premise_correction`, setting `premise_contradiction_first`,
`constraints.contradicts_premise`); with the setting off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import contradicts_premise
from tests.conftest import OTHER_TOPICS, answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "investment": document(
        "Mexican investment in Peru",
        "2022-08-15",
        "investment",
        [("Example source on investment", "https://example.org/investment")],
        """\
        Mexican firms invested in Peru because its mining and telecommunications markets were open to foreign capital.
        Peru is the second Latin American recipient of Mexican foreign direct investment after Brazil, according to Infobae.
        Mexican investment in Peru added up to almost 17 billion US dollars over ten years.
        """,
    ),
    **OTHER_TOPICS,
}
WRONG = "why does peru get more mexican fdi than anywhere else in latin america"
CORRECTION = "the second Latin American recipient"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-contradiction"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (WRONG, "Peru is the second recipient of Mexican investment, after Brazil.", True),
        ("which is the biggest buyer", "Peru was Mexico's third buyer in the region.", True),
        # "most" is as often "most recent" or "most of": no rank claimed
        ("most recent trade numbers", "Peru was Mexico's second partner in 2024.", False),
        ("what did lima's top diplomat say", "It was the third time Peru held the chair.", False),
        (
            "why did the protocol scrap every tariff on day one",
            "The protocol freed 92% of tariff lines at once.",
            True,
        ),
        # a share of another thing than the question says all of
        (
            "why did the protocol scrap every tariff on day one",
            "Trade would grow by about 8% on average.",
            False,
        ),
        (
            "why did peru refuse to sign the declaration, just like mexico",
            "Mexico was the only member that did not sign the declaration.",
            True,
        ),
        (
            "why did balcazar sack hugo de zela",
            "Balcázar swore in Hugo de Zela to continue as foreign minister.",
            True,
        ),
        (
            "why did chavez sign up with the party in 2025",
            "Chávez resigned from the party in December 2025.",
            True,
        ),
        # another's staying on contradicts no ousting
        (
            "why did jeri get ousted in feb 2026",
            "In February 2026 Balcázar swore in Hugo de Zela to continue as foreign minister.",
            False,
        ),
        # another year is another event; a question asking about something not done takes nothing as given
        (
            "why did chavez sign up with the party in 2025",
            "Chávez resigned from the party in 2019.",
            False,
        ),
        ("why did balcazar not sack de zela", "De Zela continued as foreign minister.", False),
    ],
)
def test_a_contradicted_premise(question: str, sentence: str, expected: bool) -> None:
    assert contradicts_premise(question, sentence) is expected


def test_the_contradiction_leads(service: QAService) -> None:
    first = answer_sentences(service, WRONG)[0]
    assert CORRECTION in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_contradiction_first is True
    off = service_with(service, premise_contradiction_first=False)
    assert CORRECTION not in answer_sentences(off, WRONG)[0]
