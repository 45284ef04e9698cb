""" "Now" questions on a real model and a real index built from a small corpus this module writes:
the statement dated latest leads, read to the day and from every close runner-up
(`composing.newest_first`). "Is Karla Ornelas still Mexico's chargé in Lima?" is answered by the
day she flew out of Lima (8 November 2025) before the day she was given her deadline (3 November
2025), which scores best on the question. With the rule taken out, the earlier statement leads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import answer_sentences, document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "mexican-mission": document(
        "Mexico's mission in Lima after the 2025 rupture",
        "2026-02-24",
        "diplomacy",
        [("Example source on the mission", "https://example.org/mission")],
        """\
        On 3 November 2025, Karla Ornelas remained Mexico's chargé d'affaires in Lima, heading the embassy, when José Jerí gave her a deadline to leave.
        The decision followed Peru's rupture of diplomatic relations with Mexico over an asylum.

        Consular services stayed open in both capitals.
        On 8 November 2025, Mexico's chargé d'affaires Karla Ornelas flew out of Lima.
        """,
    ),
}

NOW = "is karla ornelas still mexico's chargé in lima"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("latest-day"), CORPUS, embedder)


def test_the_statement_dated_latest_leads_a_now_answer(service: QAService) -> None:
    said = answer_sentences(service, NOW)
    assert "8 November 2025" in said[0], said


def test_without_the_rule_the_best_scored_earlier_statement_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import answering

    monkeypatch.setattr(answering, "newest_first", lambda chosen, *_, **__: chosen)
    said = answer_sentences(service, NOW)
    assert "3 November 2025" in said[0], said
