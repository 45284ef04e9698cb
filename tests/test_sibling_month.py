"""A month the question names marks its event as a year does (`sibling_month_marks`).

A subject has several events in one year: Peru's foreign ministry protested Claudia Sheinbaum's
statements about Pedro Castillo in February 2025 and again in August 2025. Asked about February,
the August sentence shares more of the question's words and scores best; its year is the
question's, so the year marks cannot tell them apart. On a real model and index over a small
corpus this module writes, the sentence naming the question's month leads
(`composing.sibling_first` with `months`); with the setting off the August sentence does. The
February sentence scores about .24 below the August one: past the hand scorer's join margin (.18),
within `sibling_event_margin` (.3), so at the join margin alone the August sentence leads too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import _off_marks, _on_marks
from qa_service.config import Settings
from qa_service.reading import question_months, sentence_months
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "protests": document(
        "Peru's protests over Sheinbaum's statements on Castillo",
        "2025-09-01",
        "diplomacy",
        [("Example source on the protests", "https://example.org/protests")],
        """\
        Peru's foreign ministry protested Claudia Sheinbaum's statements about Pedro Castillo in a communiqué on 30 August 2025.
        In February 2025 Peru summoned Mexico's chargé d'affaires over the remarks on Castillo.
        Mexico's presidents have spoken about Peru's politics at their morning press conferences since 2022.
        """,
    ),
}
QUESTION = (
    "what did peru's foreign ministry do about sheinbaum's statements on castillo in feb 2025"
)
OWN = "In February 2025 Peru summoned"
SIBLING = "on 30 August 2025"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("sibling-month"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("peru's premier said in nov 2025", {"November"}),
        ("chavez walked out of prison in sept 2025", {"September"}),
        ("late august 2025, why", {"August"}),
        ("what happened on may 6", {"May"}),
        ("en diciembre de 2022", {"December"}),
        # "may" and "march" as a verb and a noun name no month.
        ("you may have heard of the march on lima", set()),
    ],
)
def test_the_months_a_question_names_are_read(text: str, months: set[str]) -> None:
    assert question_months(text) == months


@pytest.mark.fast
def test_a_sentence_naming_only_other_months_is_off_the_questions_event() -> None:
    august = "Peru protested Sheinbaum's statements on 30 August 2025."
    february = "In February 2025 Lima summoned Mexico's chargé d'affaires."
    assert sentence_months(august) == {"August"}
    assert _off_marks(QUESTION, august, months=True)
    assert not _off_marks(QUESTION, august)  # the year alone is the question's
    assert _on_marks(QUESTION, february, months=True)
    assert not _on_marks(QUESTION, august, months=True)
    # A sentence naming no month neither marks another event nor names the question's.
    assert not _off_marks(QUESTION, "Lima summoned Mexico's chargé d'affaires.", months=True)


def test_the_sentence_on_the_asked_month_leads(service: QAService) -> None:
    sentences = answer_sentences(service, QUESTION)
    assert OWN in sentences[0], sentences


def test_without_the_setting_the_other_months_event_leads(service: QAService) -> None:
    off = service_with(service, sibling_month_marks=False)
    assert Settings().sibling_month_marks is True
    sentences = answer_sentences(off, QUESTION)
    assert SIBLING in sentences[0], sentences


def test_at_the_join_margin_alone_the_other_months_event_leads(service: QAService) -> None:
    narrow = service_with(service, sibling_event_margin=0.0)
    assert Settings().sibling_event_margin > 0.18  # the hand scorer's join margin
    sentences = answer_sentences(narrow, QUESTION)
    assert SIBLING in sentences[0], sentences
