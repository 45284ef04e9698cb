"""A question that takes a wrong length of a term as given is corrected first.

"What was the court's reasoning for handing betssy chavez 25 years" takes a 25-year sentence as
given; the corpus says the court gave her 11 years and 5 months (25 years was what prosecutors had
asked). (Had a better ranked sentence naming her given 25 years, nothing would lead: the corpus's
first word on the term would be the question's.) The sentences on the court's reasoning score best, the one giving the sentence lower: quoted
after them, or not at all, the premise stands. On a real model and index over a small corpus this
module writes, the best sentence that gives a length in the question's unit and names one of its
names leads when it gives another length (`composing.premise_correction`, setting
`premise_length_first`, `constraints.other_length`); with the setting off the premise is answered as
if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import gives_length, other_length, term_lengths
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "ruling": document(
        "The Supreme Court's ruling on Betssy Chávez",
        "2025-11-28",
        "ruling",
        [("Example source on the ruling", "https://example.org/ruling")],
        """\
        The court's reasoning was that Betssy Chávez had helped plan the failed attempt to dissolve Congress.
        The court reasoned that the plan failed, so no rebellion was consummated.
        Prosecutors had asked for 25 years in prison.
        The Supreme Court sentenced Betssy Chávez to 11 years and 5 months in prison on 27 November 2025.
        """,
    ),
}
WRONG = "what was the court's reasoning for handing betssy chavez 25 years"
RIGHT = "what was the court's reasoning for handing betssy chavez 11 years"
CORRECTION = "sentenced Betssy Chávez to 11 years and 5 months"
KNOWN = frozenset({"betssy", "chavez", "supreme", "court"})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-length"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "lengths"),
    [
        ("castillo got 25 yrs in nov 2025", {("25", "year")}),
        ("the six-year term", {("6", "year")}),
        ("to 11 years, 5 months and 15 days", {("11", "year"), ("5", "month"), ("15", "day")}),
        # An offset or an age is no term's length.
        ("22% more than 5 yrs earlier", set()),
        ("its share seven years after arriving", set()),
        ("Chávez was 33 years old", set()),
    ],
)
def test_the_lengths_a_text_gives(text: str, lengths: set[tuple[str, str]]) -> None:
    assert term_lengths(text) == lengths


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "gives", "other"),
    [
        (WRONG, "The Supreme Court sentenced Betssy Chávez to 11 years and 5 months.", True, True),
        # The question's own length, whoever's it was, corrects nothing.
        (WRONG, "Prosecutors had asked for 25 years in prison for Betssy Chávez.", True, False),
        (RIGHT, "The Supreme Court sentenced Betssy Chávez to 11 years and 5 months.", True, False),
        # Another unit, or none of the question's names, is no word on the term.
        (WRONG, "Betssy Chávez was held for 18 months.", False, False),
        (WRONG, "Pedro Castillo was sentenced to 11 years.", False, False),
    ],
)
def test_another_length_of_the_term(question: str, sentence: str, gives: bool, other: bool) -> None:
    assert gives_length(question, sentence, KNOWN) is gives
    assert other_length(question, sentence, KNOWN) is other


def test_the_other_length_leads(service: QAService) -> None:
    first = answer_sentences(service, WRONG)[0]
    assert CORRECTION in first, first


def test_the_right_length_is_not_corrected(service: QAService) -> None:
    first = answer_sentences(service, RIGHT)[0]
    assert CORRECTION not in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_length_first is True
    off = service_with(service, premise_length_first=False)
    assert CORRECTION not in answer_sentences(off, WRONG)[0]
