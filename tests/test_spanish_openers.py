"""Spanish question openers, adverbs and prepositions read as English says them.

Real Apertium (and, for the answer, the real model and index). Apertium reads "¿desde qué
año…?" as "From which year…", drops an adverb its dictionary lacks ("denunció penalmente":
the criminal complaint becomes any report), makes "compra X al Perú" "buys X to Peru" (the
trade turned round), "entre enero y octubre" "among January and October", and after "y
ahora" takes an unaccented "quien" for "the one who". `language._since`, `_adverb`, `_SPENT`
and `spanish._LEAD_IN` put each right; each test has a twin with the feature off.
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
    "soria-complaint": document(
        "The complaint against Juan Pérez",
        "2022-12-08",
        "justice",
        [("Example source on the complaint", "https://example.org/complaint")],
        """\
        The State Attorney, Daniel Soria, filed a criminal complaint against Juan Pérez on
        8 December 2022. A newspaper reported that Juan Pérez spent November 2022 in Cusco.
        """,
    ),
    "peru-in-the-forum": document(
        "Peru in the Pacific forum",
        "2020-01-01",
        "trade",
        [("Example source on the forum", "https://example.org/forum")],
        "Peru has been a member of the Pacific forum since 1998. Mexico buys paprika from Peru.",
    ),
}

# (question, what the translation must say, what Apertium alone says, the switch that turns
# the reading off)
CASES = [
    ("¿desde qué año es el perú miembro del foro?", "since which year", "from which year", "since"),
    ("¿Desde cuándo es el Perú miembro?", "since when", "from when", "since"),
    ("quien denuncio penalmente a juan perez", "criminal", None, "adverb"),
    ("¿qué compra méxico al perú?", "from peru", "to peru", "spent"),
    ("¿cuánto exportó méxico entre enero y octubre de 2005?", "between january", None, "spent"),
    ("y ahora quien preside el foro", "now who", "the one who", "lead_in"),
]


def _names() -> CorpusNames:
    return CorpusNames.from_texts(CORPUS.values())


def _fresh() -> None:
    language._english.cache_clear()


def _switch_off(monkeypatch: pytest.MonkeyPatch, switch: str) -> None:
    if switch == "since":
        monkeypatch.setattr(language, "_since", lambda spanish, english: english)
    elif switch == "adverb":
        monkeypatch.setattr(language, "_adverb", lambda word, names: None)
    elif switch == "spent":
        monkeypatch.setattr(language, "_SPENT", ())
    else:
        monkeypatch.setattr(spanish, "_LEAD_IN", frozenset({"y", "e"}))


@pytest.mark.parametrize(("question", "english", "apertium", "switch"), CASES)
def test_the_spanish_reading_is_put_as_english_says_it(
    question: str, english: str, apertium: str | None, switch: str
) -> None:
    _fresh()
    assert english in language.to_english(question, _names()).lower()


@pytest.mark.parametrize(("question", "english", "apertium", "switch"), CASES)
def test_word_by_word_the_reading_is_lost(
    monkeypatch: pytest.MonkeyPatch, question: str, english: str, apertium: str | None, switch: str
) -> None:
    _switch_off(monkeypatch, switch)
    _fresh()
    names = _names()
    if switch == "lead_in":
        names.bare_quien = False  # a bare "quien" reads as "quién" too (QA_SPANISH_BARE_QUIEN)
    try:
        said = language.to_english(question, names).lower()
        assert english not in said
        assert apertium is None or apertium in said
    finally:
        monkeypatch.undo()
        _fresh()


def test_since_is_not_put_for_from_where() -> None:
    """ "¿desde dónde…?" asks from where: it keeps its "from"."""
    _fresh()
    assert (
        language.to_english("¿desde dónde habló juan pérez?", _names())
        .lower()
        .startswith("from where")
    )


QUESTION = "¿quién denunció penalmente a juan pérez?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("openers"), CORPUS, embedder)


def test_the_adverb_finds_the_criminal_complaint(service: QAService) -> None:
    """End to end: "denunció penalmente" finds the complaint, not the newspaper's report."""
    _fresh()
    assert "Soria" in answer_sentences(service, QUESTION)[0]


def test_without_the_adverb_the_report_comes_first(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _switch_off(monkeypatch, "adverb")
    _fresh()
    try:
        assert "Soria" not in answer_sentences(service, QUESTION)[0]
    finally:
        monkeypatch.undo()
        _fresh()
