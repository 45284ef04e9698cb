"""Spanish questions as typed: the corpus's names in any case, idioms and question openings.

Real Apertium (and, for the answers, the real model and index). People type "haya de la torre"
and "méxico" in lowercase; word by word Apertium makes the first "it have to the Tower" and
cannot read the second at all. `CorpusNames.name_runs` keeps a name of several words whole,
`CorpusNames.capitalised` writes a lowercase name as the corpus does, and `language._IDIOMS` /
`_SPENT` read "¿qué edad tenía…?", "llevaron a…" as English says them. Each test has a twin
with the feature off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import language
from qa_service.spanish import CorpusNames
from tests.conftest import answer_sentences, document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

pytestmark = needs_apertium

CORPUS = {
    "haya-in-mexico": document(
        "Haya de la Torre in Mexico",
        "2020-01-01",
        "exile",
        [("Example source on the exile", "https://example.org/haya")],
        """\
        Víctor Raúl Haya de la Torre reached Mexico in 1923 after his deportation from Peru.
        In Mexico, Haya de la Torre worked for José Vasconcelos at the Ministry of Education.
        Haya de la Torre founded APRA there in 1924.
        """,
    ),
    "tower-accounts": document(
        "A glass tower in Mexico City",
        "2020-01-02",
        "business",
        [("Example source on the tower", "https://example.org/tower")],
        """\
        Ana Gómez worked for the owners of a glass tower in Mexico City, where she kept the
        building's accounts for a decade.
        """,
    ),
}
QUESTION = "¿para quién trabajó haya de la torre en méxico?"


def _names() -> CorpusNames:
    return CorpusNames.from_texts(CORPUS.values())


def _fresh() -> None:
    language._english.cache_clear()


def test_a_name_of_several_words_is_kept_whatever_its_case() -> None:
    _fresh()
    english = language.to_english(QUESTION, _names())
    assert "Haya de la Torre" in english and "Mexico" in english


def test_without_name_runs_the_name_is_translated_word_by_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(language, "NAME_RUNS", False)
    _fresh()
    try:
        assert "Haya de la Torre" not in language.to_english(QUESTION, _names())
    finally:
        monkeypatch.undo()
        _fresh()


IDIOMS = [
    ("¿Qué edad tenía Ana Gómez?", "how old was"),
    ("¿a dónde llevaron a Ana Gómez?", "where they took"),
    ("¿qué llevó a Ana Gómez a renunciar?", "what led"),
    ("¿Por qué el Perú necesitaba el visto bueno de México?", "needed the approval"),
]


@pytest.mark.parametrize(("question", "english"), IDIOMS)
def test_idioms_and_question_openings_read_as_english_says_them(
    question: str, english: str
) -> None:
    _fresh()
    assert english in language.to_english(question, _names()).lower()


@pytest.mark.parametrize(("question", "english"), IDIOMS)
def test_word_by_word_the_idioms_are_lost(
    monkeypatch: pytest.MonkeyPatch, question: str, english: str
) -> None:
    monkeypatch.setattr(language, "_idioms", lambda text: text)
    monkeypatch.setattr(language, "_SPENT", ())
    monkeypatch.setattr(language, "NAME_RUNS", False)
    _fresh()
    try:
        assert english not in language.to_english(question, _names()).lower()
    finally:
        monkeypatch.undo()
        _fresh()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("names"), CORPUS, embedder)


def test_the_lowercase_name_finds_its_sentence(service: QAService) -> None:
    """End to end (the search also reads the Spanish words, so here the twin with the runs off
    answers too: the translation tests above are where the feature shows)."""
    _fresh()
    assert "Vasconcelos" in answer_sentences(service, QUESTION)[0]
