"""A qualifier the question sets must be held by the sentence that answers it: on a real model and a
real index built from a small corpus this module writes,

- a rank past the first ("When did the council hold its fourth meeting?", "its 4th meeting") is not
  met by sentences on the series that name other ranks ("The third meeting took place…"), and is
  declined quoting the best of them (`decline_missing_rank`), while a rank the corpus names ("its
  second meeting") is answered;
- a Spanish question is not declined for a "name" Apertium made ("sheinbaum explico alguna vez por
  que no fue al apec de lima?" reads "Sheinbaum Explained some time why…"): only names the asker
  typed are looked for in the passages (`translated_names_typed`).

With each setting off, the same sentences answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import ranks, ranks_asked
from tests.conftest import document, needs_apertium, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "council": document(
        "The partnership council",
        "2021-01-10",
        "diplomacy",
        [("Example source on the council", "https://example.org/council")],
        """\
        The partnership council of Mexico and Peru met in Mexico City on 17 March 2016, in Lima on 20 July 2017 and in Mexico City on 7 January 2020.
        The second meeting of the council, in Lima on 20 July 2017, adopted a consular programme.
        The third meeting of the council took place in Mexico City on 7 January 2020.
        """,
    ),
    "apec-2024": document(
        "APEC 2024 in Lima",
        "2024-11-20",
        "diplomacy",
        [("Example source on APEC 2024", "https://example.org/apec")],
        """\
        Claudia Sheinbaum did not attend the APEC summit in Lima in November 2024.
        Claudia Sheinbaum gave no reason for not travelling to the APEC summit in Lima.
        """,
    ),
}

FOURTH = "When did the partnership council hold its fourth meeting?"
FOURTH_SHORT = "when did the partnership council hold its 4th meeting"
SECOND = "When did the partnership council hold its second meeting?"
SPANISH = "sheinbaum explico alguna vez por que no fue al apec de lima?"


@pytest.mark.fast
def test_the_readers() -> None:
    assert ranks_asked(FOURTH) == {4} and ranks_asked(FOURTH_SHORT) == {4}
    assert ranks("The third meeting took place in 2020.") == {3}
    assert ranks("the 22nd Lima International Book Fair") == {22}
    # no rank of the thing asked: another one, a day, a century, the first
    assert not ranks_asked("why did mexico need a third country to look after its embassy")
    assert not ranks_asked("what happened on july 4th") and not ranks_asked("on the 4th of july")
    assert not ranks_asked("in the 21st century") and not ranks_asked("mexico's 1st consulate")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("rank-day"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_rank_no_sentence_names_is_declined(service: QAService) -> None:
    assert service.settings.decline_missing_rank is True
    for question in (FOURTH, FOURTH_SHORT):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)
    resp = service.ask(SECOND)
    assert resp.found and "20 July 2017" in resp.answer, resp.answer


@needs_apertium
def test_a_translated_question_is_held_to_the_names_typed(service: QAService) -> None:
    assert service.settings.translated_names_typed is True
    resp = service.ask(SPANISH)
    assert resp.found and "Sheinbaum" in resp.answer, resp.answer
    off = service_with(service, translated_names_typed=False)
    assert not off.ask(SPANISH).found


def test_without_the_settings_the_sentences_answer(service: QAService) -> None:
    off = service_with(service, decline_missing_rank=False)
    for question in (FOURTH, FOURTH_SHORT):
        resp = off.ask(question)
        assert resp.found, (question, resp.answer)
