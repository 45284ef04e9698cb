"""A figure belongs to its year: on a real model and a real index built from a small corpus this
module writes, "How much did Peruvian exports to Mexico reach in 2025?" finds a document on 2024-2025
trade whose figure sentence names only 2024; it is declined (naming 2025 and what the corpus does
speak of) instead of answered with 2024's figure, and its 2024 twin is answered. With the check off
(`decline_figure_other_year`) the 2025 question gets 2024's figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.deciding import Scored, figure_of_other_year
from qa_service.scoring import Candidate
from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "trade-2025": document(
        "Peru-Mexico trade, 2024-2025",
        "2025-11-10",
        "economy",
        [("Example source on trade", "https://example.org/trade")],
        """\
        Peruvian exports to Mexico reached 888 million dollars in 2024, according to Mincetur.
        In 2025 Mexico remained among Peru's ten main trading partners, according to the same ministry.
        Grapes and paprika were among the goods Peru sold to Mexico.
        """,
    ),
}

ASKED_2025 = "How much did Peruvian exports to Mexico reach in 2025?"
ASKED_2024 = "How much did Peruvian exports to Mexico reach in 2024?"


def _best(text: str) -> Scored:
    cand = Candidate(0, 0, 0, text, None, False, 0, *([0.0] * 18))
    return Scored([cand], [1.0])


@pytest.mark.fast
def test_a_figure_sentence_naming_only_other_years_is_another_years_figure() -> None:
    said = _best("Peruvian exports to Mexico reached 888 million dollars in 2024.")
    assert figure_of_other_year(ASKED_2025, said)
    assert not figure_of_other_year(ASKED_2024, said)
    # a sentence naming no year, or a question not asking for a figure, is left to the other checks
    assert not figure_of_other_year(ASKED_2025, _best("Exports reached 888 million dollars."))
    assert not figure_of_other_year("When were relations restored in 1933?", said)
    # a span asked for ("how long after … 2025") is answered by other years by nature
    assert not figure_of_other_year("How long after 2025 did exports reach 888 million?", said)
    assert not figure_of_other_year("How many years after 2025 did exports grow?", said)


def _service(root: pytest.TempPathFactory, embedder: Embedder, on: bool) -> QAService:
    # The learned decline off, so that only this check decides.
    return service_over(
        root.mktemp("figure-year"),
        CORPUS,
        embedder,
        decline_model="constraints",
        decline_figure_other_year=on,
    )


def test_a_figure_of_a_year_the_corpus_lacks_is_declined_and_its_twin_answered(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=True)
    resp = service.ask(ASKED_2025)
    assert not resp.found and resp.citations == [], resp.answer
    assert "2025" in resp.answer and "2024" in resp.answer, resp.answer
    # what the corpus does hold is said without the year it lacks
    assert "It does for 2024." in resp.answer, resp.answer
    twin = service.ask(ASKED_2024)
    assert twin.found and "888 million" in twin.answer, twin.answer


def test_without_the_check_the_other_years_figure_is_answered(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=False)
    resp = service.ask(ASKED_2025)
    assert resp.found and "888 million" in resp.answer, resp.answer
