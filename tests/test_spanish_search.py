"""A Spanish question is searched by its translation and by its names and numbers as typed, not
by its Spanish common words: "presidente" and "ahora" match the corpus's Spanish quotations,
never its English statements (`CorpusNames.as_typed`). Real Apertium, model and index; the twin
searches by the whole Spanish question, as the service did before, and finds the quotation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.spanish import CorpusNames
from tests.conftest import document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

pytestmark = needs_apertium

CORPUS = {
    "interim-president": document(
        "Peru's interim presidents",
        "2026-02-24",
        "politics",
        [("Example source on the presidency", "https://example.org/presidency")],
        """\
        Congress elected José María Balcázar interim president of Peru on 18 February 2026.
        Balcázar replaced José Jerí, whom Congress had censured the day before.
        """,
    ),
    "congress-quote": document(
        "A vote in Peru's Congress",
        "2025-11-06",
        "congress",
        [("Example source on the vote", "https://example.org/vote")],
        """\
        Fernando Rospigliosi announced the result as acting head of Congress.
        He told the chamber: "el presidente del Congreso anuncia ahora el resultado de la votación".
        """,
    ),
}
QUESTION = "¿quién es el presidente del perú ahora?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("es-search"), CORPUS, embedder)


def _word_search_first(service: QAService) -> str:
    """The document the word search (BM25, before fusion with the embedding) puts first."""
    hits = service.prepare(QUESTION).hits
    best = max(hits, key=lambda h: h.bm25)
    return service.state.data.chunks[best.row].doc_id


def test_as_typed_keeps_names_and_numbers_only() -> None:
    names = CorpusNames.from_texts(["Ana met Balcázar in Perú.", "Then Perú and Balcázar agreed."])
    assert names.as_typed("¿quién presidía el Perú en 2026, Balcázar?") == "Perú 2026 Balcázar"


def test_the_spanish_question_finds_the_statement(service: QAService) -> None:
    assert _word_search_first(service) == "interim-president"
    assert "Balcázar" in service.ask(QUESTION).sentences[0].text


def test_searched_by_its_spanish_words_it_finds_the_quotation(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CorpusNames, "as_typed", lambda self, question: question)
    assert _word_search_first(service) == "congress-quote"
