"""A figure asked in a unit is not filled by a figure in another: on a real model and a real index built
from a small corpus this module writes, "tonnes of paprika peru shipped to mexico in 2022" finds only
the 2022 trade figure in dollars and "total mexican fdi in peru in 2024" only the 2024 trade total,
and both are declined (`decline_other_unit`), while "los andes project size in hectares?" is answered
with its area. With the setting off, the trade
figures answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.constraints import figure_units, states_units
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "trade": document(
        "Mexico-Peru trade",
        "2025-11-10",
        "economy",
        [("Example source on trade", "https://example.org/trade")],
        """\
        Peru's exports of paprika to Mexico were worth 40 million dollars in 2022, according to the ministry.
        In 2024, trade between Mexico and Peru totalled 2,507 million dollars, according to the ministry.
        """,
    ),
    "andes": document(
        "The Los Andes project",
        "2025-11-10",
        "economy",
        [("Example source on Los Andes", "https://example.org/andes")],
        "The Los Andes copper project covers 5,000 hectares in southern Peru, according to the company.",
    ),
}

TONNES = "tonnes of paprika peru shipped to mexico in 2022"
FDI = "total mexican fdi in peru in 2024"
HECTARES = "los andes project size in hectares?"


@pytest.mark.fast
def test_the_unit_reader() -> None:
    assert figure_units(FDI) and figure_units(TONNES)
    assert figure_units("who signed the trade agreement") == []
    fdi = figure_units(FDI)
    assert states_units(fdi, ["Mexican investment in Peru reached 900 million dollars."])
    assert not states_units(fdi, ["In 2024, trade totalled 2,507 million dollars."])
    arrivals = figure_units("2023 arrivals of peruvians in mexico")
    assert states_units(arrivals, ["In 2023, 293,668 Peruvian citizens entered Mexico."])
    assert not states_units(arrivals, ["850 Peruvians lived in that Mexican state."])
    profit = figure_units("southern copper net profit from peru in 2025")
    assert not states_units(profit, ["Southern Copper had invested about 9,000 million dollars."])


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("figure-unit"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_figure_in_another_unit_is_declined(service: QAService) -> None:
    assert service.settings.decline_other_unit is True
    for question in (TONNES, FDI):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)
    resp = service.ask(HECTARES)
    assert resp.found and "5,000 hectares" in resp.answer, resp.answer


def test_without_the_setting_the_other_figures_answer(service: QAService) -> None:
    service = service_with(service, decline_other_unit=False)
    resp = service.ask(TONNES)
    assert resp.found and "40 million dollars" in resp.answer, resp.answer
    resp = service.ask(FDI)
    assert resp.found and "2,507 million dollars" in resp.answer, resp.answer
