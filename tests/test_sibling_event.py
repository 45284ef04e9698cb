"""The sentence on the question's own event leads one on a sibling event of the same subject.

A subject has several events of one kind: Peru expelled Mexico's ambassador in December 2022 and
withdrew its own in February 2023. Asked about 2023, the sentence on 2022 shares more of the
question's words and scores best (the title's years let it pass the year check). On a real model
and index over a small corpus this module writes, the sentence naming the question's year leads
(`composing.sibling_first`, setting `sibling_event_first`); with the setting off the 2022 sentence
does. The rank of an event ("the first visit", "the second president to…") is read the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import _off_marks, _on_marks
from qa_service.config import Settings
from qa_service.reading import ordinals
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "visits": document(
        "Presidential visits between Mexico and Peru",
        "2024-11-15",
        "diplomacy",
        [("Example source on the visits", "https://example.org/visits")],
        """\
        Luis Echeverría was the second Mexican president to visit Peru, in 1974.
        Adolfo López Mateos was the first president of Mexico to travel to Peru, in January 1960.
        Mexican presidents have visited Peru several times since the 1960s, most often for summits.
        """,
    ),
    "expulsions": document(
        "Envoys expelled and withdrawn in 2022 and 2023",
        "2024-01-10",
        "diplomacy",
        [("Example source on the expulsions", "https://example.org/expulsions")],
        """\
        Peru expelled Mexico's ambassador Pablo Monroy on 20 December 2022, giving the ambassador 72 hours to leave Peru.
        In February 2023 Lima withdrew its own envoy from Mexico City for good.
        """,
    ),
}
QUESTION = "when did peru pull its ambassador out of mexico in 2023"
OWN = "In February 2023 Lima withdrew its own envoy"
SIBLING = "on 20 December 2022"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("sibling-event"), CORPUS, embedder)


@pytest.mark.fast
def test_the_ranks_of_an_event_are_read() -> None:
    assert ordinals("the second Mexican president to visit Peru") == {"2"}
    assert ordinals("when did it last meet, and its 1st session?") == {"last", "1"}
    assert ordinals("Mexico and Peru restored relations in 1933") == frozenset()


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "off", "on"),
    [
        (QUESTION, "Peru expelled Mexico's ambassador on 20 December 2022.", True, False),
        (QUESTION, "In February 2023 Lima withdrew its own envoy from Mexico City.", False, True),
        # A sentence naming no year neither marks another event nor names the question's.
        (QUESTION, "Lima withdrew its own envoy from Mexico City for good.", False, False),
        (
            "who was mexico's first president to visit peru",
            "Luis Echeverría was the second Mexican president to visit Peru, in 1974.",
            True,
            False,
        ),
        (
            "who was mexico's first president to visit peru",
            "Adolfo López Mateos was the first president of Mexico to travel to Peru.",
            False,
            True,
        ),
    ],
)
def test_a_sentence_is_read_on_or_off_the_questions_event(
    question: str, sentence: str, off: bool, on: bool
) -> None:
    assert _off_marks(question, sentence) is off
    assert _on_marks(question, sentence) is on


def test_the_sentence_on_the_asked_year_leads(service: QAService) -> None:
    sentences = answer_sentences(service, QUESTION)
    assert OWN in sentences[0], sentences


def test_without_the_setting_the_sibling_event_leads(service: QAService) -> None:
    off = service_with(service, sibling_event_first=False)
    assert Settings().sibling_event_first is True
    sentences = answer_sentences(off, QUESTION)
    assert SIBLING in sentences[0], sentences
