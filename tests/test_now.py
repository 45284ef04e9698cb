""" "Now" questions on a real model and a real index built from a small corpus this module
writes: a who's-who published in 2026 tells who held a post in 2022, 2024 and 2026, and "who is
foreign minister now" is answered first by the 2026 sentence. With the scorer blind to recency,
an older holder of the post comes first (the test of the feature, not of the corpus)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import answer_sentences, document, scorer_blind_to, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "whos-who": document(
        "Who's who in Peru's foreign ministry",
        "2026-02-24",
        "people",
        [("Example source on Peru's foreign ministers", "https://example.org/ministers")],
        """\
        Ana Gervasi was Peru's foreign minister in December 2022 and expelled Mexico's ambassador.
        Elmer Schialer was Peru's foreign minister during the APEC meetings in Lima in November 2024.
        On 24 February 2026 the interim president kept Hugo de Zela on as foreign minister.
        """,
    ),
    "apec-2024": document(
        "APEC in Lima, 2024",
        "2024-11-16",
        "forums",
        [("Example source on APEC 2024", "https://example.org/apec")],
        """\
        Peru hosted the APEC leaders' meetings in Lima in November 2024.
        Mexico sent a delegation led by its economy secretary.
        """,
    ),
}

NOW = "Who is Peru's foreign minister now?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("now"), CORPUS, embedder)


def test_a_now_question_leads_with_the_newest_holder_of_the_post(service: QAService) -> None:
    said = answer_sentences(service, NOW)
    assert "de Zela" in said[0], said


def test_blind_to_recency_an_older_holder_comes_first(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service.service import QAService

    scorer_blind_to(monkeypatch, "recency")
    blind = QAService(service.settings, service.embedder)
    said = answer_sentences(blind, NOW)
    assert "de Zela" not in said[0], said
