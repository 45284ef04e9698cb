"""Spanish names and words read in the corpus's own English: its glosses, its Spanish names, its words.

Real Apertium (and, for the answer, the real model and index). The corpus introduces a Spanish
name with its English ("The Mexican Business Council (Consejo Empresarial Mexicano)"): a
question naming it in Spanish is read with that English (`CorpusNames.english`), not Apertium's
"business council Mexican" or "alliance of the peaceful". A Spanish name the corpus writes as it
is ("Data México") and whose translation it never writes ("it dates Mexico") is kept
(`SPANISH_RUNS`). Of the dictionary's translations of a word, the one the corpus writes is used
("carta": letter, not card; `CorpusNames.choose_written`). Each test has a twin with the feature off.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import language, spanish
from qa_service.spanish import CorpusNames
from tests.conftest import answer_sentences, document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

pytestmark = needs_apertium

CORPUS = {
    "business-letter": document(
        "A business letter on the trade pause",
        "2023-06-01",
        "trade",
        [("Example source on the letter", "https://example.org/letter")],
        """\
        The Mexican Business Council (Consejo Empresarial Mexicano) sent the president a letter
        on 28 May 2023 rejecting the pause in trade with Peru. The letter was signed by its
        chairman, Rolando Vega Sáenz. A second letter followed in June, and a third letter in July.
        """,
    ),
    "trade-figures": document(
        "Trade figures from Data México",
        "2026-01-10",
        "trade",
        [("Example source on the figures", "https://example.org/figures")],
        """\
        According to Data México, the government's portal, Mexico exported 481 million dollars
        to Peru in 2025. Data México also gives imports of 653 million dollars from Peru.
        Its dates are those of the customs office; the portal dates each series, and the dates
        are monthly. The ministry updates it every month, and it keeps the older series.
        """,
    ),
}
LETTER = "¿quién firmó la carta del consejo empresarial mexicano?"
DATA = "segun data mexico cuanto exporto mexico a peru en 2025"


def _names() -> CorpusNames:
    return CorpusNames.from_texts(CORPUS.values())


def _english(question: str, monkeypatch: pytest.MonkeyPatch | None = None, **off: bool) -> str:
    """The question read in English, with the named switches of `spanish`/`language` set."""
    language._english.cache_clear()
    try:
        for name, value in off.items():
            assert monkeypatch is not None
            monkeypatch.setattr(spanish if hasattr(spanish, name) else language, name, value)
        return language.to_english(question, _names())
    finally:
        if monkeypatch is not None:
            monkeypatch.undo()
        language._english.cache_clear()


def test_the_corpus_glosses_a_spanish_name_in_english() -> None:
    assert _names().english["consejo empresarial mexicano"][1] == "Mexican Business Council"
    assert "Mexican Business Council" in _english(LETTER)


def test_without_glosses_the_name_is_translated_word_by_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "Mexican Business Council" not in _english(LETTER, monkeypatch, GLOSSES=False)


def test_a_cited_source_beside_a_name_is_no_gloss() -> None:
    """ "José Jerí (El Comercio)": Apertium's "The Commerce" shares no word with the name."""
    assert spanish._glosses("Alianza del Pacífico", "Pacific Alliance")
    assert not spanish._glosses("El Comercio", "José Jerí")


def test_a_word_is_read_as_the_corpus_writes_it() -> None:
    assert "letter" in _english(LETTER).lower()


def test_without_written_words_apertium_picks_its_first_translation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "card" in _english(LETTER, monkeypatch, WRITTEN_WORDS=False).lower()


def test_a_spanish_name_the_corpus_writes_is_kept() -> None:
    assert "Data México" in _english(DATA)


def test_without_spanish_runs_it_is_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Data México" not in _english(DATA, monkeypatch, SPANISH_RUNS=False)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("glosses"), CORPUS, embedder)


def test_the_spanish_question_finds_the_signatory(service: QAService) -> None:
    language._english.cache_clear()
    assert any("Vega Sáenz" in s for s in answer_sentences(service, LETTER))
