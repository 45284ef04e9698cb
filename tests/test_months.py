"""A question's month abbreviation ("dec 7 2022") counts as the month the corpus spells out
("7 December 2022") when the decider measures how much of the question the passages hold, on a
real model and a real index over a small corpus this module writes, and a capitalised one ("Nov
2012") is no name the passages lack. With the reading off (`coverage_spelled_months`), "dec" weighs
as a word no passage holds and "Nov" declines the question as naming something unknown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "vacancy": document(
        "The removal of Pedro Castillo",
        "2023-01-10",
        "politics",
        [("Example source on the vacancy vote", "https://example.org/vacancy")],
        """\
        On 7 December 2022 Peru's Congress voted 101 to 6 to remove President Pedro Castillo.
        Dina Boluarte was sworn in as president the same afternoon.
        """,
    ),
    "visas": document(
        "Visas between Mexico and Peru",
        "2024-04-20",
        "migration",
        [("Example source on visas", "https://example.org/visas")],
        "Mexico removed the visa requirement for Peruvian visitors in November 2012.",
    ),
}

ASKED = "congress vote to remove castillo dec 7 2022"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("months"), CORPUS, embedder)


def coverage(service: QAService, question: str) -> float:
    """The share of the question's weighted terms the best passage holds (the far-off check's)."""
    p = service.prepare(question)
    return p.state.answerer.features.signals(p.resolved, p.hits)[0]


def test_a_month_abbreviation_is_held_as_the_spelled_month(service: QAService) -> None:
    assert coverage(service, ASKED) == pytest.approx(1.0)


def test_without_the_reading_the_abbreviation_is_missing(service: QAService) -> None:
    off = service_with(service, coverage_spelled_months=False)
    assert coverage(off, ASKED) < coverage(service, ASKED)


NAMED = "When did Mexico remove the visa requirement for Peruvian visitors, in Nov 2012?"


def unknown(service: QAService, question: str) -> set[str]:
    """The names of the question no retrieved passage holds, as the decider reads them."""
    from qa_service.deciding import unknown_names

    p = service.prepare(question)
    maker = p.state.answerer.decider.maker
    return unknown_names(
        p.resolved, maker.passage_terms(p.hits), maker.options.coverage_spelled_months
    )


def test_a_capitalised_month_abbreviation_is_no_unknown_name(service: QAService) -> None:
    assert unknown(service, NAMED) == set()


def test_without_the_reading_the_abbreviation_is_an_unknown_name(service: QAService) -> None:
    off = service_with(service, coverage_spelled_months=False)
    assert unknown(off, NAMED) == {"nov"}
    assert not off.ask(NAMED).found
