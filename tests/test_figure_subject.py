"""A figure asked of one subject is not filled by another subject's: on a real model and a real index
built from a small corpus this module writes, "how much has grupo andina invested in its mexican
plants" finds Andina's plants (no sum) and Grupo Norte's investment (another group's sum) and is
declined, as is "how much peruvian money has been invested in mexico", which finds only Mexican
investment in Peru (`figure_subject`); the same questions of Grupo Norte and of Mexican money are
answered. With the setting off, the other subject's figures answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.constraints import figure_reversed, names_countries
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "andina": document(
        "Andina in Mexico",
        "2025-11-10",
        "economy",
        [("Example source on Andina", "https://example.org/andina")],
        "Ten years after its arrival Andina had six bottling plants in Mexico, according to the company.",
    ),
    "norte": document(
        "Grupo Norte in Peru",
        "2025-11-10",
        "economy",
        [("Example source on Grupo Norte", "https://example.org/norte")],
        "Grupo Norte had invested about 900 million dollars in its plants in Peru, according to the ministry.",
    ),
    "investment": document(
        "Mexican investment",
        "2025-11-10",
        "economy",
        [("Example source on investment", "https://example.org/investment")],
        "Mexican investment in Peru added up to almost 17 billion dollars over ten years.",
    ),
}

ANDINA = "how much has grupo andina invested in its mexican plants"
NORTE = "how much has grupo norte invested in its plants in peru"
PERUVIAN = "how much peruvian money has been invested in mexico"
MEXICAN = "how much mexican money has been invested in peru"


@pytest.mark.fast
def test_the_direction_reader() -> None:
    assert names_countries(PERUVIAN) == "how much Peruvian money has been invested in Mexico"
    said = ["Mexican investment in Peru added up to almost 17 billion dollars."]
    assert figure_reversed(PERUVIAN, said)
    assert not figure_reversed(MEXICAN, said)
    assert not figure_reversed("how much has grupo norte invested", said)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("figure-subject"), CORPUS, embedder, decline_model="constraints"
    )


def test_another_subjects_figure_is_declined(service: QAService) -> None:
    assert service.settings.figure_subject is True
    for question in (ANDINA, PERUVIAN):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)
    resp = service.ask(NORTE)
    assert resp.found and "900 million dollars" in resp.answer, resp.answer
    resp = service.ask(MEXICAN)
    assert resp.found and "17 billion dollars" in resp.answer, resp.answer


def test_without_the_setting_the_other_figures_answer(service: QAService) -> None:
    service = service_with(service, figure_subject=False)
    resp = service.ask(ANDINA)
    assert resp.found and "900 million dollars" in resp.answer, resp.answer
    resp = service.ask(PERUVIAN)
    assert resp.found and "17 billion dollars" in resp.answer, resp.answer
