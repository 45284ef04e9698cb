"""A topic and two things asked of it joined by "vs" or ", then" is a two-part question
(`parts._by_topic_slots` with `_SLOT_VS`, config `split_topic_versus`), as with "and": "pacific
alliance additional protocol: signing date vs the day it took effect" asks two dates. On a real model
and an index of a small corpus this module writes, each part is retrieved and answered on its own
and both dates are quoted; with the setting off the question is one part and takes no part's path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import parts
from qa_service.config import Settings
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "protocol": document(
        "The Additional Protocol of the Pacific Alliance",
        "2016-05-02",
        "trade",
        [("Example source on the protocol", "https://example.org/protocol")],
        """\
        ## Signing

        The Additional Protocol was signed in Cartagena de Indias, Colombia, on 10 February 2014, according to the Inter-American Development Bank.
        One Mexican trade magazine says instead that the protocol was signed in May 2013 at the seventh Pacific Alliance summit in Colombia.
        The Framework Agreement of the Pacific Alliance had already entered into force on 20 July 2015.

        ## Entry into force

        The Additional Protocol to the Framework Agreement entered into force on 1 May 2016, according to SICE.
        """,
    ),
}

VERSUS = "pacific alliance additional protocol: signing date vs the day it took effect"
THEN = "dates: mexico hands the presidency to chile, then chile hands it to peru"
OPEN = {"decline_model": "constraints", "min_term_coverage": 0.0}


@pytest.mark.fast
def test_versus_and_then_split_after_a_topic() -> None:
    assert parts.split_parts(VERSUS, versus=True) == [
        "pacific alliance additional protocol: signing date?",
        "pacific alliance additional protocol: the day it took effect?",
    ]
    assert parts.split_parts(THEN, versus=True) == [
        "dates: mexico hands the presidency to chile?",
        "dates: chile hands it to peru?",
    ]
    assert parts.split_parts(VERSUS) == [VERSUS]
    assert parts.split_parts(THEN) == [THEN]


@pytest.mark.fast
def test_versus_without_a_topic_is_not_split_here() -> None:
    # "peru's people vs its government" is one thing; only a topic's list of things asked splits.
    q = "how did peru's people vs its government react to the asylum"
    assert len(parts.split_parts(q, versus=True)) == 1


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("topic-versus"), CORPUS, embedder, **OPEN)


def test_each_date_is_quoted(service: QAService) -> None:
    assert len(service.prepare(VERSUS).parts) == 2
    said = " ".join(answer_sentences(service, VERSUS))
    assert "10 February 2014" in said, said
    assert "1 May 2016" in said, said


def test_off_the_question_is_one_part(service: QAService) -> None:
    off = service_with(service, split_topic_versus=False)
    assert off.prepare(VERSUS).parts == []


def test_on_by_default() -> None:
    assert Settings().split_topic_versus is True
