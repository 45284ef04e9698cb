"""What a Spanish question leaves unsaid, or unaccented, said in English.

Real Apertium (and, for the answer, the real model and index). Spanish drops the subject
pronoun: Apertium takes "¿qué día…" for the subject of "llegaron" and writes "Which day
arrived to Mexico", so a follow-up loses the "they" that says it leans on the last turn
(`spanish.dropped_subject`). Typed without accents, "¿qué edad tenia?" asks the age of a
tapeworm and "¿qué paso con…?" about a step (`spanish._wanted_verb`). And "ese año" is "this
year" to Apertium, a question about now (`spanish.distal`). Each test has a twin with the
feature off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import language, spanish
from qa_service.schemas import Turn
from qa_service.spanish import CorpusNames
from tests.conftest import document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

pytestmark = needs_apertium

CORPUS = {
    "family-asylum": document(
        "Asylum for the family of Juan Pérez",
        "2023-01-05",
        "asylum",
        [("Example source on the family", "https://example.org/family")],
        """\
        Mexico granted asylum to Ana Ruiz, the wife of Juan Pérez, and to their two children in
        December 2022. Ana Ruiz and the children arrived in Mexico on 21 December 2022.
        """,
    ),
    "visits": document(
        "Visits to Mexico",
        "2019-01-05",
        "visits",
        [("Example source on the visits", "https://example.org/visits")],
        """\
        The trade delegation arrived in Mexico on Friday 30 November 2018 for the fair.
        Peru's ministers arrived in Mexico on 2 March 2019 for the forum.
        """,
    ),
}

# (question, what the translation must say, what it says with the feature off, the switch)
CASES = [
    ("¿qué día llegaron a méxico?", "they", "which day arrived to mexico", "DROPPED_SUBJECTS"),
    ("que temen", "they", "what dread", "DROPPED_SUBJECTS"),
    ("y que edad tenia en ese momento", "how old was", "taenia", "VERB_WANTED"),
    ("que paso con la esposa y los hijos", "what happened", "step", "VERB_WANTED"),
    ("¿quién gobernaba ese año?", "that year", "this year", "DISTAL"),
    ("y que edad tenia en ese momento", "that moment", "this moment", "DISTAL"),
]


def _names() -> CorpusNames:
    return CorpusNames.from_texts(CORPUS.values())


def _fresh() -> None:
    language._english.cache_clear()


@pytest.mark.parametrize(("question", "english", "off", "switch"), CASES)
def test_the_unsaid_is_said_in_english(question: str, english: str, off: str, switch: str) -> None:
    _fresh()
    said = language.to_english(question, _names()).lower()
    assert english in said, said


@pytest.mark.parametrize(("question", "english", "off", "switch"), CASES)
def test_with_the_feature_off_apertium_says_it_word_by_word(
    monkeypatch: pytest.MonkeyPatch, question: str, english: str, off: str, switch: str
) -> None:
    monkeypatch.setattr(spanish, switch, False)
    _fresh()
    try:
        said = language.to_english(question, _names()).lower()
        assert english not in said and off in said, said
    finally:
        monkeypatch.undo()
        _fresh()


@pytest.mark.parametrize(
    "question",
    [
        "¿qué dijeron los congresistas?",  # the plural subject is there
        "¿qué día llegaron Ana Ruiz y sus hijos?",  # two joined: a plural subject
        "¿cuántos votos le dieron?",  # a plural asked phrase can be the subject
        "¿por qué censuraron a Juan?",  # "por qué": Apertium writes "they" itself
        "¿cuándo llegaron a México?",  # likewise after "cuándo"
    ],
)
def test_a_subject_is_not_added_where_one_is_said_or_apertium_writes_it(question: str) -> None:
    assert spanish.dropped_subject(question) == question


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("que motivo dio lima para echar al embajador", "motivo"),  # "dio" is the verb
        ("que argumento dio maria del carmen alva", "argumento"),
        ("que edad tenia jeri cuando asumio", "tenia"),  # "asumio": a verb elsewhere
    ],
)
def test_a_noun_stays_a_noun_where_the_question_has_its_verb(question: str, kept: str) -> None:
    assert kept in spanish.restore_accents(question).split()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("subjects"), CORPUS, embedder)


HISTORY = [
    Turn(role="user", content="¿qué pasó con la esposa y los hijos de Juan Pérez?"),
    Turn(
        role="assistant",
        content="México dio asilo a Ana Ruiz, esposa de Juan Pérez, y a sus hijos. [1]",
    ),
]


def _first(service: QAService) -> str:
    _fresh()
    resp = service.ask("que dia llegaron a mexico", HISTORY)
    assert resp.found, resp.answer
    return resp.sentences[0].text


def test_the_follow_up_asks_when_the_family_arrived(service: QAService) -> None:
    """End to end: "llegaron" with no subject is "they", the family of the last turn."""
    assert "21 December 2022" in _first(service)


def test_without_the_subject_the_question_stands_alone(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spanish, "DROPPED_SUBJECTS", False)
    try:
        assert "21 December 2022" not in _first(service)
    finally:
        monkeypatch.undo()
        _fresh()
