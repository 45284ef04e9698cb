"""A sentence that says the question's act was never done leads the answer.

"The day betssy chavez flew to mexico after her asylum was approved?" takes her trip as given; the
corpus says she could not leave Peru without a safe conduct. Sentences on the asylum and on another
person's flight score best, the denial lower: quoted after them, the premise stands. On a real model
and index over a small corpus this module writes, the sentence saying the act was never done
(`constraints.denies` with `undone`, its pairs `constraints._UNDONE`) comes first
(`composing.premise_correction`, setting `premise_undone_first`), the question's names read case-blind;
a question on a trip that was made keeps its order, and with the setting off the premise is
answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import denies, question_names
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "chavez-asylum-2025": document(
        "Betssy Chávez's asylum in the Mexican embassy in Lima",
        "2026-02-20",
        "asylum",
        [("Example source on the asylum", "https://example.org/asylum")],
        """\
        Peru learned on 3 November 2025 that Betssy Chávez had been given asylum in the residence of the Mexican embassy in Lima.
        Mexico asked Peru for a safe conduct so that Betssy Chávez could travel to Mexico after her asylum was approved.
        Lilia Paredes and her children flew from Lima to Mexico City on 21 December 2022 after Peru granted them safe conducts.
        Betssy Chávez, for her part, could not leave Peru without a safe conduct.
        """,
    ),
}
FALSE = "the day betssy chavez flew to mexico after her asylum was approved?"
DENIAL = "could not leave Peru"
KNOWN = frozenset({"betssy", "chavez", "lima", "mexico", "peru", "sheinbaum", "apec", "lilia"})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    # As served: read_answer_slots reads "the day betssy chavez flew…" as asking a date, and the
    # denial (no date) is measured against the best without that credit (premise_denial_unkinded,
    # tests/test_premise_unkinded.py), so the two rules work together.
    assert Settings().read_answer_slots and Settings().premise_denial_unkinded
    yield service_over(tmp_path_factory.mktemp("premise-undone"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "undone"),
    [
        (FALSE, "Betssy Chávez, for her part, could not leave Peru without a safe conduct.", True),
        (
            "what flight did betssy chavez take to mexico city after getting asylum",
            "Betssy Chávez could not travel to Mexico without a safe conduct.",
            True,
        ),
        # A trip is a person's: another's inability to leave says nothing of hers.
        (FALSE, "Pedro Castillo could not leave Peru.", False),
        # A trip that was made is told outside any denial.
        (FALSE, "Betssy Chávez flew to Mexico, although she could not leave Peru at first.", False),
        (
            "sheinbaum's apec lima speech - main points?",
            "Claudia Sheinbaum did not attend the APEC summit in Lima.",
            True,
        ),
        (
            "once peru granted betssy chavez safe conduct, on what date did she fly to mexico",
            "Peru had not granted a safe conduct to Betssy Chávez by February 2026.",
            True,
        ),
        (
            "mexico's senate passed the peru tlc unanimously in dec 2011 right?",
            "On 15 December 2011, Mexico's Senate approved the agreement by 55 votes to 47.",
            True,
        ),
        # Dates are no vote count.
        (
            "mexico's senate passed the peru tlc unanimously in dec 2011 right?",
            "The Senate met from 13 to 15 December 2011.",
            False,
        ),
    ],
)
def test_an_act_never_done_is_denied(question: str, sentence: str, undone: bool) -> None:
    assert denies(question, sentence, undone=True, known=KNOWN) is undone
    # Without `undone` only the opposite acts of `_DENIALS` are read.
    assert denies(question, sentence) is False


@pytest.mark.fast
def test_a_lowercase_question_names_whom_the_corpus_writes_capitalised() -> None:
    assert question_names(FALSE, KNOWN) == {"betssi", "chavez"}  # terms: stemmed
    # A country is named by nearly every sentence.
    assert "mexico" not in question_names(FALSE, KNOWN)


def test_the_sentence_saying_the_act_was_never_done_leads(service: QAService) -> None:
    first = answer_sentences(service, FALSE)[0]
    assert DENIAL in first, first


def test_a_question_on_a_trip_that_was_made_keeps_its_order(service: QAService) -> None:
    first = answer_sentences(
        service, "the day lilia paredes flew to mexico city with her children"
    )[0]
    assert "21 December 2022" in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    off = service_with(service, premise_undone_first=False)
    assert Settings().premise_undone_first is True
    first = answer_sentences(off, FALSE)[0]
    assert DENIAL not in first, first
