"""A trade figure is of one measure and one year: on a real model and a real index built from a small
corpus this module writes, "How much did Peru sell to Mexico in 2016?" finds only the 2016 bilateral
total and is declined (`decline_other_measure`), while "How much did Mexico export to Peru in 2022?"
is answered with Mexico's exports; "How much did Peru import from Mexico in 2020?" finds a 2018 figure
its source published in 2020 and is declined as a year the corpus has nothing on, naming 2018
(`figure_source_years` off). The first decline names what the corpus gives instead ("total trade
for 2016"). With both settings the other way, the total answers the first question
and the 2018 figure the third."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.constraints import (
    Measure,
    measure_said,
    states_measure,
    trade_measure,
    without_source,
)
from qa_service.framing import measure_words
from tests.conftest import document, service_over

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
        Bilateral trade between Mexico and Peru totalled 1.96 billion dollars in 2016, according to Mexico's foreign ministry.
        For 2022, Mexico's Economy Secretariat reported Mexican exports to Peru of about 1,222 million dollars.
        Peru imported goods worth 1,924 million dollars from Mexico in 2018, according to figures published by Infomercado in May 2020.
        """,
    ),
}

SOLD_2016 = "How much did Peru sell to Mexico in 2016?"
MEXICO_2022 = "How much did Mexico export to Peru in 2022?"
IMPORTED_2020 = "How much did Peru import from Mexico in 2020?"


@pytest.mark.fast
def test_the_reader() -> None:
    assert trade_measure("how much did peru sell to mexico in 2016 (not the total)") == Measure(
        "flow", "peru", "mexico"
    )
    assert trade_measure("value of goods peru bought from mexico in 2016") == Measure(
        "flow", "mexico", "peru"
    )
    assert trade_measure("what was mexico's trade surplus with peru in 2016") == Measure("balance")
    assert trade_measure("mx peru trade in 2020 (covid year), total?") == Measure("total")
    assert trade_measure("who signed the trade agreement") is None
    flow = Measure("flow", "peru", "mexico")
    assert states_measure(flow, "Peru's exports to Mexico grew 16.4% to 629 million dollars.")
    assert states_measure(flow, "Mexico imported 653 million dollars of goods from Peru.")
    assert not states_measure(flow, "Mexican exports to Peru were about 481 million dollars.")
    assert not states_measure(flow, "Bilateral trade totalled 1.96 billion dollars in 2016.")
    total = Measure("total")
    assert states_measure(total, "Bilateral trade totalled 1.96 billion dollars in 2016.")
    assert not states_measure(total, "The agreement covers a total of 12,107 products.")
    # the clause naming the source dates the report, not the figure; an opening one is kept
    said = (
        "Peru imported 1,924 million dollars in 2018, according to figures published in May 2020."
    )
    assert without_source(said) == "Peru imported 1,924 million dollars in 2018"
    assert without_source("According to Mincetur, trade grew in 2024.").startswith("According")
    # the measure a decline names
    assert measure_said("Mexican exports to Peru were 481 million dollars.") == Measure(
        "flow", "mexico", "peru"
    )
    assert measure_words("flow", "mexico", "peru", "en") == "Mexico's sales to Peru"
    assert measure_words("total", None, None, "es") == "el comercio total"


def _service(root: pytest.TempPathFactory, embedder: Embedder, on: bool) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        root.mktemp("trade-measure"),
        CORPUS,
        embedder,
        decline_model="constraints",
        decline_other_measure=on,
        figure_source_years=not on,
        # `figure_subject` (2 December 2026, s14) declines the same nearby figures by another path
        # (neither best sentence links the two countries the way the question asks): off with the checks.
        figure_subject=on,
    )


def test_a_figure_of_another_measure_or_year_is_declined(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=True)
    resp = service.ask(SOLD_2016)
    assert not resp.found and resp.citations == [], resp.answer
    assert "does not give this figure" in resp.answer, resp.answer
    # what the corpus does hold: the measure its closest sentence gives, and for which year
    assert "The closest one gives total trade for 2016." in resp.answer, resp.answer
    resp = service.ask(MEXICO_2022)
    assert resp.found and "1,222 million" in resp.answer, resp.answer
    resp = service.ask(IMPORTED_2020)
    assert not resp.found and resp.citations == [], resp.answer
    assert "2020" in resp.answer and "It does for 2018." in resp.answer, resp.answer


def test_without_the_checks_the_nearby_figures_answer(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=False)
    resp = service.ask(SOLD_2016)
    assert resp.found and "1.96 billion" in resp.answer, resp.answer
    resp = service.ask(IMPORTED_2020)
    assert resp.found and "1,924 million" in resp.answer, resp.answer
