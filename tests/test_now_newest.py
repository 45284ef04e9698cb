""" "Now" questions on a real model and a real index built from a small corpus this module writes:
among the sentences an answer quotes, one naming a newer year than the best-scored one leads
(`composing.newest_first`): "peru's trade and tourism minister right now" is answered by the
minister of November 2025 before an undated profile of a minister of Castillo's government.
With the rule taken out, the undated profile leads (the test of the rule, not of the corpus)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import answer_sentences, document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "whos-who": document(
        "Who's who in Mexico–Peru relations",
        "2026-03-10",
        "people",
        [("Example source on Peru's ministers", "https://example.org/ministers")],
        """\
        Roberto Sánchez Palomino is a congressman of Juntos por el Perú who served as Minister of Foreign Trade and Tourism in Pedro Castillo's government.
        Teresa Mera was Peru's Minister of Foreign Trade and Tourism in November 2025 and said the rupture should not significantly affect trade.
        """,
    ),
}

NOW = "peru's trade and tourism minister right now - who?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("newest"), CORPUS, embedder)


def test_the_newer_statement_leads_a_now_answer(service: QAService) -> None:
    said = answer_sentences(service, NOW)
    assert "Mera" in said[0], said


def test_without_the_rule_the_undated_profile_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import answering

    monkeypatch.setattr(answering, "newest_first", lambda chosen, *_, **__: chosen)
    said = answer_sentences(service, NOW)
    assert "Sánchez" in said[0], said
