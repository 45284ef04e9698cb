"""Spanish typed as people type it in a chat box, read in the Spanish Apertium knows.

Real Apertium (and, for the answer, the real model and index). An opening "oye" is "It hears",
"¿me dices…?" "You say me", "chamba", "ahorita" and "q" are dropped as unknown, a month typed
short ("nov 2025") is lost, "no iba a entrar" is "did not go to go in". `spanish.colloquial` and
`spanish.going_to` put each right; each test has a twin with the feature off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import language, spanish
from tests.conftest import answer_sentences, document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

pytestmark = needs_apertium

# (question, a word its English must hold, the same with the feature off)
COLLOQUIAL = [
    ("oye desde cuando brasil representa al peru en venezuela", "since when", "hears"),
    ("por q el peru rompio relaciones con mexico en nov 2025", "november", "nov 2025"),
    ("cuanta chamba habia generado la inversion", "work", "chamba"),
    ("la mama de betssy chavez es candidata a algo ahorita?", "mother", "breast"),
]
GOING_TO = [("el peru no iba a entrar a la embajada", "would not", "did not go to go")]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    language._english.cache_clear()
    yield
    language._english.cache_clear()


@pytest.mark.parametrize(
    ("switch", "question", "english", "without"),
    [("COLLOQUIAL", *c) for c in COLLOQUIAL] + [("GOING_TO", *c) for c in GOING_TO],
)
def test_read_in_standard_spanish(
    monkeypatch: pytest.MonkeyPatch, switch: str, question: str, english: str, without: str
) -> None:
    assert english in language.to_english(question).lower()
    monkeypatch.setattr(spanish, switch, False)
    language._english.cache_clear()
    assert without in language.to_english(question).lower()


CORPUS = {
    "peru-breaks": document(
        "Peru and Mexico fall out",
        "2025-12-01",
        "diplomacy",
        [("Example source on the rupture", "https://example.org/rupture")],
        """\
        In May 2023 Peru withdrew its ambassador from Mexico for consultations. In November
        2025 Peru broke off diplomatic relations with Mexico over an asylum request.
        """,
    ),
}
QUESTION = "oye q hizo el peru con mexico en nov 2025"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("colloquial"), CORPUS, embedder)


def test_the_colloquial_question_finds_its_answer(service: QAService) -> None:
    language._english.cache_clear()
    assert "broke off" in answer_sentences(service, QUESTION)[0]


def test_without_the_colloquial_reading_the_word_asked_about_is_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "November" in language.to_english(QUESTION)
    monkeypatch.setattr(spanish, "COLLOQUIAL", False)
    language._english.cache_clear()
    assert "November" not in language.to_english(QUESTION)
