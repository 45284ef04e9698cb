"""A question's chat words are no missing content for the far-off check.

"wouldn't peru let betssy go yet" is tokenised "wouldn" + "t", and neither those nor "yet" are words
a passage on the safe conduct holds; weighed by the corpus's IDF they were the heaviest terms of the
question, so its passages held too little of it (`Settings.min_term_coverage`) and it was declined
as far off the corpus. Read by their part of speech (Apertium's English analyser,
`function_words.function_terms`), they count only where a passage holds them
(`coverage_function_words`, `scoring.unmissed`). On a real model and a real index over a small
corpus this module writes, the question is answered with the setting and declined without it; a
question off the corpus keeps its decline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.function_words import function_terms, is_function_word
from tests.conftest import OTHER_TOPICS, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    **OTHER_TOPICS,
    "asylum": document(
        "Safe conduct for a former prime minister",
        "2026-03-02",
        "asylum",
        [("Example source on the safe conduct", "https://example.org/conduct")],
        """\
        Peru granted Betssy Chávez a safe conduct on 27 February 2026, after four months in the Mexican embassy residence in Lima.
        She flew to Mexico City the next day.
        """,
    ),
}
CHATTY = "wouldn't peru let betssy go yet"
OFF_TOPIC = "wouldn't peru have won the football world cup yet, per the papers"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(
        tmp_path_factory.mktemp("function-words"), CORPUS, embedder, decline_model="constraints"
    )


def coverage(service: QAService, question: str) -> float:
    p = service.prepare(question)
    return service.state.answerer.decider.coverage(p.resolved, p.hits)


def test_function_words_by_part_of_speech() -> None:
    assert function_terms(CHATTY) == {"wouldn", "t", "go", "yet"}
    assert function_terms("couldnt she leave, per the papers? thats what got him") >= {
        "couldnt",
        "per",
        "that",
        "got",
    }
    # Nouns, adjectives, names, words the analyser lacks and adverbs alone carry content.
    for word in ("football", "embassy", "old", "today", "betssy", "indulto", "let"):
        assert not is_function_word(word), word


def test_a_chatty_question_is_answered(service: QAService) -> None:
    assert Settings().coverage_function_words is True
    resp = service.ask(CHATTY)
    assert resp.found, resp.answer
    assert "27 February 2026" in resp.answer, resp.answer


def test_its_chat_words_weighed_as_missing_content(service: QAService) -> None:
    off = service_with(service, coverage_function_words=False)
    floor = service.settings.min_term_coverage
    assert coverage(off, CHATTY) < floor <= coverage(service, CHATTY)


def test_without_the_setting_it_is_declined_as_far_off(service: QAService) -> None:
    resp = service_with(service, coverage_function_words=False).ask(CHATTY)
    assert not resp.found, resp.answer


def test_a_question_off_the_corpus_is_still_declined(service: QAService) -> None:
    resp = service.ask(OFF_TOPIC)
    assert not resp.found, resp.answer
