"""A sentence that says the question's premise did not happen leads the answer.

"What did Sheinbaum say in her speech at the APEC summit in Lima?" takes her presence as given;
the corpus says she did not attend. What she said about the summit scores best, the denial a little
lower: quoted after it, the premise stands. On a real model and index over a small corpus this
module writes, the denying sentence (`constraints.denies`) comes first (`composing.premise_correction`,
setting `premise_denial_first`); a question on what did happen keeps its order, and with the
setting off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import denies
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "apec-lima-2024": document(
        "Sheinbaum and the APEC summit in Lima, 2024",
        "2024-11-16",
        "multilateral",
        [("Example source on APEC 2024", "https://example.org/apec")],
        """\
        Claudia Sheinbaum said the Mexican delegation to the APEC summit in Lima represented nothing more than participation in APEC.
        Claudia Sheinbaum did not attend the APEC summit in Lima in November 2024.
        Undersecretary Luis Rosendo Gutiérrez led Mexico's delegation to the APEC summit in Lima.
        """,
    ),
}
FALSE = "What did Sheinbaum say in her speech at the APEC summit in Lima?"
DENIAL = "did not attend"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "denied"),
    [
        (FALSE, "Claudia Sheinbaum did not attend the APEC summit in Lima.", True),
        (
            "Why did Mexico refuse to give Lilia Paredes a safe conduct?",
            "On 20 December 2022, Peru granted safe conducts to Lilia Paredes.",
            True,
        ),
        (
            "When did Peru's reciprocal visa for Mexican visitors come into force?",
            "Peru announced a reciprocal visa for Mexicans but revoked it a few days later.",
            True,
        ),
        (
            "Why did Southern Copper pull out of Peru?",
            "Southern Copper resumed work on Tía María on 1 July 2024.",
            True,
        ),
        # What it must not read as a denial: a duty, not a grant ("must grant"); a question on
        # what was not done; a sentence that tells the asked act too.
        (
            "Why did Mexico refuse to give Lilia Paredes a safe conduct?",
            "The territorial state must grant the safe conduct.",
            False,
        ),
        (
            "Why did Sheinbaum not attend the APEC summit in Lima?",
            "Claudia Sheinbaum did not attend the APEC summit in Lima.",
            False,
        ),
        (
            "Why did Peru close its embassy?",
            "Peru closed its embassy and kept its consulates.",
            False,
        ),
        # An act inside a clause is not what the question takes as given (train a-005), and a
        # presence is a person's: another's absence does not deny it (held-out 3 h3-006).
        (
            "On which date did AMLO first announce he would boycott the APEC meeting?",
            "López Obrador said he would travel to San Francisco after all.",
            False,
        ),
        (
            "who gave the first speech at the celac founding summit in caracas",
            "Peruvian president Ollanta Humala did not attend the founding summit in Caracas.",
            False,
        ),
    ],
)
def test_a_denial_is_the_opposite_act_of_the_one_asked(
    question: str, sentence: str, denied: bool
) -> None:
    assert denies(question, sentence) is denied


def test_the_sentence_denying_the_premise_leads(service: QAService) -> None:
    first = answer_sentences(service, FALSE)[0]
    assert DENIAL in first, first


def test_a_question_on_what_happened_keeps_its_order(service: QAService) -> None:
    first = answer_sentences(service, "Who led Mexico's delegation to the APEC summit in Lima?")[0]
    assert "Gutiérrez" in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:

    off = service_with(service, premise_denial_first=False)
    assert Settings().premise_denial_first is True
    first = answer_sentences(off, FALSE)[0]
    assert DENIAL not in first, first
