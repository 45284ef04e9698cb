"""The sentence holding what a question asks for leads one that only sets its scene.

"vizcarra in mexico city for the 2018 inauguration - who received him on arrival": the sentence on
his arrival shares the question's words and scores best, but the only names it holds are the
question's own; the next sentence names who received him. On a real model and index over a small
corpus this module writes, the sentence with the new name leads (`composing.slot_first`, setting
`slot_filler_first`); with the setting off the arrival does. "What term did amlo use…" asks for
the word he used, which the corpus quotes (`reading.asked_in_context`, setting `read_asked_word`):
read so, the quoted sentence leads; without the reading, the one on the same day in the question's
words does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import _unsourced
from qa_service.config import Settings
from qa_service.reading import asked_for, asked_in_context, fills_slot
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "inauguration": document(
        "Martín Vizcarra at the inauguration in Mexico City, 2018",
        "2019-01-10",
        "diplomacy",
        [("Example source on the inauguration", "https://example.org/inauguration")],
        """\
        Martín Vizcarra arrived in Mexico City for the inauguration on the night of Friday 30 November 2018.
        The ceremony was held in the Congress of the Union on 1 December 2018.
        Martín Vizcarra was received in Mexico City by Graciela Márquez Colín, who was about to become Mexico's economy secretary.
        """,
    ),
    "ouster": document(
        "López Obrador on the removal of Pedro Castillo",
        "2023-01-15",
        "diplomacy",
        [("Example source on the ouster", "https://example.org/ouster")],
        """\
        On 8 December 2022 López Obrador said the removal of Pedro Castillo from office was the work of Peru's economic and political elites.
        The Mexican president described the removal as a "soft coup".
        Peru's Congress had voted to remove Castillo on 7 December 2022.
        """,
    ),
}
WHO = "vizcarra in mexico city for the 2018 inauguration - who received him on arrival"
FILLER = "Graciela Márquez Colín"
SCENE = "arrived in Mexico City"
TERM = "what term did lopez obrador use for the removal of castillo on 8 december 2022"
QUOTED = '"soft coup"'
SAID = "the work of Peru's economic and political elites"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("slot-first"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("sentence", "fills"),
    [
        # The question's own names fill nothing.
        ("Martín Vizcarra arrived in Mexico City on 30 November 2018.", False),
        ("Martín Vizcarra was received by Graciela Márquez Colín.", True),
        # A capitalised opening is no name ("In July", "The English").
        ("In July the visit was recorded.", False),
    ],
)
def test_a_name_fills_the_slot_only_when_the_question_does_not_give_it(
    sentence: str, fills: bool
) -> None:
    assert fills_slot(asked_in_context(WHO, "", slots=True), sentence, WHO) is fills


@pytest.mark.fast
def test_a_question_asking_the_word_used_asks_for_a_quote() -> None:
    assert asked_for(TERM).kind == "other"
    assert asked_in_context(TERM, "", slots=True, quoted=True).kind == "describe"
    assert asked_in_context(TERM, "", slots=True).kind == "other"
    asked = asked_in_context(TERM, "", quoted=True)
    assert fills_slot(asked, 'He called it a "soft coup".', TERM)
    assert not fills_slot(asked, "He spoke about it at length.", TERM)


def test_the_sentence_naming_who_leads(service: QAService) -> None:
    sentences = answer_sentences(service, WHO)
    assert FILLER in sentences[0], sentences


def test_without_the_setting_the_scene_leads(service: QAService) -> None:
    off = service_with(service, slot_filler_first=False)
    assert Settings().slot_filler_first is True
    sentences = answer_sentences(off, WHO)
    assert SCENE in sentences[0], sentences


def test_the_quoted_term_leads(service: QAService) -> None:
    sentences = answer_sentences(service, TERM)
    assert QUOTED in sentences[0], sentences


def test_without_the_word_reading_the_statement_in_the_questions_words_leads(
    service: QAService,
) -> None:
    off = service_with(service, read_asked_word=False)
    assert Settings().read_asked_word is True
    sentences = answer_sentences(off, TERM)
    assert SAID in sentences[0], sentences


@pytest.mark.fast
def test_a_source_clause_telling_the_asked_act_is_kept() -> None:
    question = "what day was decree 011-2024-RE, the visa for mexicans, published"
    sentence = (
        "Peru imposed the visa through Supreme Decree 011-2024-RE, published on 8 April 2024."
    )
    assert _unsourced(sentence, question) == sentence
    reported = "Infobae reported in June 2025 that Big Cola still exists in Mexico."
    assert _unsourced(reported, "big cola - when did it get into mexico") == "Infobae"
