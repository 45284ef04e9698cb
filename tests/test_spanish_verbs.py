"""Spanish verbs Apertium lacks or reads in the wrong sense, put as the corpus writes them.

Real Apertium. It does not know "ingresar" (to enter a country), "oponerse" or "postergar", so
the question loses its verb ("¿cuántos peruanos ingresaron a México?" asks "How many Peruvians
to Mexico"): `language._UNKNOWN_LATAM` gives them. It reads "presidir" always as "chair", so
"¿quién preside el Perú?" asks who chairs Peru, which no sentence about a president says:
before a country `spanish.presides` makes it "es presidente de". Each has a twin with the
reading off.
"""

from __future__ import annotations

import pytest

from qa_service import language, spanish
from qa_service.spanish import CorpusNames
from tests.conftest import needs_apertium

pytestmark = needs_apertium

NAMES = CorpusNames.from_texts(
    ["In 2023, 293,668 Peruvian citizens entered Mexico. Congress elected a president of Peru."]
)

# (question, what the translation must say, what Apertium alone says)
UNKNOWN = [
    ("cuantos peruanos ingresaron a mexico en 2023", "peruvians entered mexico", "peruvians to"),
    ("¿por qué se oponen a la mina?", "oppose", "why to"),
]
PRESIDES = [
    ("y ahora quien preside el peru", "who is president of peru", "chairs"),
    ("¿quién presidía México en 1932?", "was president of mexico", "chaired"),
]


def _said(question: str) -> str:
    language._english.cache_clear()
    return language.to_english(question, NAMES).lower()


@pytest.mark.parametrize(("question", "english", "apertium"), UNKNOWN + PRESIDES)
def test_the_verb_is_read_as_the_corpus_writes_it(
    question: str, english: str, apertium: str
) -> None:
    assert english in _said(question)


@pytest.mark.parametrize(("question", "english", "apertium"), UNKNOWN)
def test_without_the_word_the_verb_is_lost(
    monkeypatch: pytest.MonkeyPatch, question: str, english: str, apertium: str
) -> None:
    monkeypatch.setattr(language, "_UNKNOWN_LATAM", ())
    try:
        said = _said(question)
        assert english not in said and apertium in said, said
    finally:
        monkeypatch.undo()
        language._english.cache_clear()


@pytest.mark.parametrize(("question", "english", "apertium"), PRESIDES)
def test_without_the_reading_a_president_chairs(
    monkeypatch: pytest.MonkeyPatch, question: str, english: str, apertium: str
) -> None:
    monkeypatch.setattr(spanish, "PRESIDES", False)
    try:
        said = _said(question)
        assert english not in said and apertium in said, said
    finally:
        monkeypatch.undo()
        language._english.cache_clear()


def test_a_board_is_still_chaired() -> None:
    assert "chairs the board" in _said("¿quién preside el directorio de la empresa?")
