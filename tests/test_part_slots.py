"""A question that names what it asks by a noun, not a question word ("tia maria: price tag?",
"vote tally when…", "peru's ambassador in mexico in 2016"), is read for that kind when its sentences
are scored (`reading.asked_by_slot`, config `read_answer_slots`), as the parts of a two-part
question most often are. On a real model and an index of a small corpus this module writes, the
price part of a two-part question is answered by the sentence holding the cost, which names
neither the project nor the question's words; with the setting off, sentences about the project
without a figure rank first and the price is not given."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import parts, reading
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "tia-maria": document(
        "The Tía María copper project",
        "2025-11-01",
        "mining",
        [("Example source on Tía María", "https://example.org/tia-maria")],
        """\
        ## The project

        Tía María is a copper project of Southern Copper in the Tambo Valley of Arequipa, Peru.
        Residents of the Tambo Valley began a strike against Tía María in March 2015.
        Peru's Ministry of Energy and Mines granted the Tía María construction licence in July 2019.
        Southern Copper officially resumed work on the Tía María project in July 2024.
        Farmers in the valley said Tía María would contaminate the water of the Tambo river.

        ## Cost and schedule

        Southern Copper reported on the project's progress in October 2025.
        The company put the project's cost at 1,800 million US dollars in that report.
        Southern Copper expects Tía María to start producing copper in 2027.
        """,
    ),
}

PRICE_AND_START = "tia maria: price tag and when is production supposed to start"


# "price tag" is no word of this small corpus: without a floor on the question's terms found, the
# test is of which sentences answer, not of the decline.
OPEN = {"decline_model": "constraints", "min_term_coverage": 0.0}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("part-slots"), CORPUS, embedder, **OPEN)


def test_the_price_part_is_answered_by_the_sentence_holding_the_cost(service: QAService) -> None:
    assert parts.split_parts(PRICE_AND_START) == [
        "tia maria: price tag?",
        "tia maria: when is production supposed to start",
    ]
    said = " ".join(answer_sentences(service, PRICE_AND_START))
    assert "1,800 million" in said, said
    assert "2027" in said, said


def test_without_reading_the_slot_the_price_part_quotes_no_cost(service: QAService) -> None:
    # Its best sentences are about the project without a figure: the price part is declined as
    # a figure the corpus does not give, and with it the question.
    resp = service_with(service, read_answer_slots=False).ask(PRICE_AND_START)
    assert "1,800 million" not in resp.answer, resp.answer


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("tia maria: price tag?", "quantity"),
        ("vote tally when congress declared amlo persona non grata?", "quantity"),
        ("Compare the votes by which Peru's Congress declared Sheinbaum unwelcome.", "quantity"),
        ("For 2022, how far apart were the Peruvian totals for bilateral trade?", "quantity"),
        ("mexico's visa for peruvians - the date it actually started?", "date"),
        ("on which date was Mexico's own visa rule first meant to begin?", "date"),
        ("peru's ambassador in mexico at the 2017 artefact handover?", "name"),
        ("at the santiago handover in june 2023 who stood in for mexico?", "name"),
        # A question word that opens the question says what it asks: no slot is read.
        ("What did Sheinbaum say about the price of the visa?", "describe"),
        ("what about the prison term he received?", "other"),
    ],
)
def test_a_question_is_read_for_the_slot_it_names(question: str, kind: str) -> None:
    assert reading.asked_in_context(question, "", slots=True).kind == kind


@pytest.mark.fast
def test_a_part_asking_the_same_of_another_time_takes_its_contexts_kind() -> None:
    context = "vote tally when congress declared amlo persona non grata?"
    question = "what about when it did the same to sheinbaum?"
    assert reading.asked_in_context(question, context, slots=True).kind == "quantity"
    assert reading.asked_in_context(question, context).kind == "other"
    which_one = "which one signed its framework treaty at Paranal?"
    context = "Which Peruvian president launched the Pacific Alliance?"
    assert reading.asked_in_context(which_one, context, slots=True).kind == "name"
