"""Two readings of the names a question gives, on a real model and a real index over a small corpus
this module writes. A capital written for its country's government ("Lima's lawmakers", "why did
lima complain to mexico") is that country (`capital_for_country`): a passage naming Peru holds it,
and "Peru's foreign ministry complained to Mexico" does not give the act to someone else. A name
part misspelt as an ordinary word ("Betsy Chavez") is respelled as the part the corpus writes beside
its neighbour ("Betssy Chávez"; `respell_name_parts`). With either reading off, the question is
declined."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "png": document(
        "López Obrador declared persona non grata",
        "2023-05-30",
        "diplomacy",
        [("Example source on the declaration", "https://example.org/png")],
        """\
        On 25 May 2023, Peru's Congress declared Andrés Manuel López Obrador persona non grata.
        López Obrador thanked the Peruvian legislators and called the declaration "a badge of pride".
        """,
    ),
    "videos": document(
        "Betssy Chávez in the Mexican residence",
        "2026-02-10",
        "asylum",
        [("Example source on the residence", "https://example.org/videos")],
        """\
        On 6 February 2026, Peru's foreign ministry complained to Mexico about videos Betssy Chávez had posted from the residence.
        Betssy Chávez is a lawyer trained at the Universidad Nacional Jorge Basadre Grohmann in Tacna.
        """,
    ),
}

CAPITAL = "How did Andrés Manuel López Obrador react when Lima's lawmakers declared him persona non grata?"
CAPITAL_DOER = "why did lima complain to mexico about the videos in feb 2026"
MISSPELT = "Where did Betsy Chavez get her law degree?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("names"), CORPUS, embedder)


def test_a_capital_is_held_by_a_passage_naming_its_country(service: QAService) -> None:
    resp = service.ask(CAPITAL)
    assert resp.found and "badge of pride" in resp.answer


def test_without_the_reading_the_capital_is_an_unknown_name(service: QAService) -> None:
    assert not service_with(service, capital_for_country=False).ask(CAPITAL).found


def test_a_capital_doer_is_its_country(service: QAService) -> None:
    from qa_service.constraints import misattributed

    said = ["On 6 February 2026, Peru's foreign ministry complained to Mexico about videos."]
    assert misattributed(CAPITAL_DOER, said, capitals=True) is None
    assert misattributed(CAPITAL_DOER, said, capitals=False) == said[0]
    assert service.ask(CAPITAL_DOER).found
    assert not service_with(service, capital_for_country=False).ask(CAPITAL_DOER).found


def test_a_name_part_misspelt_as_a_word_is_respelled(service: QAService) -> None:
    resp = service.ask(MISSPELT)
    assert resp.found and "Jorge Basadre" in resp.answer


def test_without_the_respelling_the_misspelt_part_is_an_unknown_name(service: QAService) -> None:
    assert not service_with(service, respell_name_parts=False).ask(MISSPELT).found
