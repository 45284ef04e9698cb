"""Latin American political words read as the corpus writes them, with the real model and index.

Apertium reads "censurar" a minister as "censor", "entrar en vigor" as "go in in force", and
does not know "indultar" at all; the Spanish question then lacks the one word that tells its
event from the next sentence's. `language._POLITICAL` and `_UNKNOWN_LATAM` put the corpus's
word back ("censured", "entered into force", "pardon"), and the first sentence answers; without
them a sentence about the same person's other event comes first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import language
from tests.conftest import answer_sentences, document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

pytestmark = needs_apertium

CORPUS = {
    "ruiz-minister": document(
        "Ana Ruiz at the Labour Ministry",
        "2022-06-01",
        "politics",
        [("Example source on the minister", "https://example.org/ruiz")],
        """\
        Ana Ruiz was appointed Labour Minister of Peru on 1 February 2022 by President Pedro
        Castillo. Peru's Congress censured Labour Minister Ana Ruiz on 5 May 2022 with 70 votes.
        """,
    ),
    "perez-prisoner": document(
        "The case of Juan Pérez",
        "2022-01-10",
        "justice",
        [("Example source on the case", "https://example.org/perez")],
        """\
        President Pedro Castillo received Juan Pérez at the palace on 3 March 2019. President
        Pedro Castillo pardoned Juan Pérez on 24 December 2021, citing his health.
        """,
    ),
}

CASES = [
    ("¿Cuándo censuraron a la ministra Ana Ruiz?", "5 May 2022"),
    ("¿Cuándo indultó Castillo a Juan Pérez?", "24 December 2021"),
]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("latam"), CORPUS, embedder)


@pytest.mark.parametrize(("question", "answer"), CASES)
def test_the_latin_american_word_puts_its_event_first(
    service: QAService, question: str, answer: str
) -> None:
    language._english.cache_clear()
    assert answer in answer_sentences(service, question)[0]


@pytest.mark.parametrize(("question", "answer"), CASES)
def test_read_the_peninsular_way_another_event_comes_first(
    service: QAService, monkeypatch: pytest.MonkeyPatch, question: str, answer: str
) -> None:
    monkeypatch.setattr(language, "_latin_american", lambda text: text)
    monkeypatch.setattr(language, "_UNKNOWN_LATAM", ())
    language._english.cache_clear()
    try:
        assert answer not in answer_sentences(service, question)[0]
    finally:
        monkeypatch.undo()
        language._english.cache_clear()
