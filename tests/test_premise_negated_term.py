"""A question whose premise the corpus denies in words of its own is answered first by the denial.

"What consular services is Brazil now giving Mexicans in Peru" takes Brazil's role as consular; the corpus
says Brazil would deal only with diplomatic matters, "not consular or economic ones". The sentences on
Brazil's role score best, the denial lower: quoted after them, the premise stands. On a real model and
index over a small corpus this module writes, the best sentence within the premise margin, holding a
name the question gives, that negates a term the question holds ("not consular", "not a rupture",
"rather than", "without offering evidence") leads (`composing.premise_correction`, setting
`premise_negated_term_first`, `constraints.negates_term`); with the setting off the premise is answered
as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import negates_term
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "brazil": document(
        "Brazil as Mexico's protecting power in Peru (2026)",
        "2026-02-09",
        "protecting power",
        [("Example source on the protecting power", "https://example.org/brazil")],
        """\
        Peru's foreign ministry thanked Brazil in November 2025 for consular help to more than 40,000 Peruvians in Venezuela.
        Brazil has represented Mexico's diplomatic interests in Peru as a protecting power since the weekend of 24 and 25 January 2026.
        On 24 January 2026, the Brazilian flag was raised over the Mexican embassy in Lima, according to Infobae.
        Brazil's government confirmed the arrangement and said it would deal only with diplomatic matters, not consular or economic ones, according to the Peruvian newspaper Correo.
        """,
    ),
}
WRONG = "what consular services is brazil now giving mexicans in peru"
CORRECTION = "not consular"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-negated-term"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (WRONG, "It would deal only with diplomatic matters, not consular ones.", True),
        (
            "why did amlo cut ties when he paused relations",
            "He insisted the pause was not a rupture of relations.",
            False,
        ),
        ("why was it a rupture", "He insisted it was not a rupture of relations.", True),
        ("what evidence did he give", "He said so without offering evidence.", True),
        ("what evidence did he give", "He acted rather than waited for evidence.", False),
        # an act not done is read by `denies`, not here
        ("when did mexico receive castillo", "Mexico never received Pedro Castillo.", False),
        # a question asking about something not done takes nothing as given
        ("why was the role not consular", "It was not consular.", False),
    ],
)
def test_a_negated_term(question: str, sentence: str, expected: bool) -> None:
    assert negates_term(question, sentence) is expected


def test_the_denial_leads(service: QAService) -> None:
    first = answer_sentences(service, WRONG)[0]
    assert CORRECTION in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_negated_term_first is True
    off = service_with(service, premise_negated_term_first=False)
    assert CORRECTION not in answer_sentences(off, WRONG)[0]
