"""On a question about the present, an older sentence that fills the asked slot does not displace the
newest statement on the subject (`composing.slot_first` with `newest`, setting `slot_keeps_newest`).

"who handles mexico's stuff in peru diplomatically nowadays" is answered by "In January 2026 … Brazil
represented Mexico's diplomatic interests in Peru", which holds no name `reading.fills_slot` reads; the
rupture of November 2025 names Betssy Chávez, a name the question does not give, and holds no more of
the question's words: it stays behind the newer statement. A question not about the present, or an
older sentence holding more of the question's words, is led by the slot filler as before. The
real-model test answers the held-out question's shape over a small corpus this module writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import slot_first
from qa_service.deciding import Decision
from qa_service.reading import asked_in_context
from tests.conftest import (
    OTHER_TOPICS,
    answer_sentences,
    document,
    service_over,
    service_with,
)
from tests.test_stages import cand

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

NOW = "who handles mexico's stuff in peru diplomatically nowadays"
NEWEST = replace(
    cand(
        "In January 2026 Mexico and Peru had no diplomatic relations, and Brazil represented "
        "Mexico's diplomatic interests in Peru."
    ),
    recency=1.0,
    lex=0.1,
)
OLDER = replace(
    cand(
        "On 3 November 2025, Peru broke off diplomatic relations with Mexico after Mexico granted "
        "asylum to former prime minister Betssy Chávez.",
        start=200,
    ),
    recency=0.5,
    lex=0.1,
)
DECISION = Decision("answer", [NEWEST, OLDER], [1.28, 1.20])


def _lead(question: str, decision: Decision, newest: bool) -> str:
    chosen = list(decision.ranked)
    asked = asked_in_context(question, "", slots=True)
    return slot_first(question, asked, question, chosen, decision, 0.18, 3, newest=newest)[0].text


@pytest.mark.fast
def test_the_newest_statement_keeps_the_lead_of_a_present_question() -> None:
    assert _lead(NOW, DECISION, newest=True) == NEWEST.text
    # Without the setting, the older sentence naming someone new leads.
    assert _lead(NOW, DECISION, newest=False) == OLDER.text


@pytest.mark.fast
def test_an_older_filler_holding_more_of_the_question_still_leads() -> None:
    richer = replace(OLDER, lex=0.3)
    decision = Decision("answer", [NEWEST, richer], [1.28, 1.20])
    assert _lead(NOW, decision, newest=True) == richer.text


@pytest.mark.fast
def test_a_question_not_about_the_present_is_led_by_the_filler() -> None:
    past = Decision(
        "answer", [replace(NEWEST, recency=0.0), replace(OLDER, recency=0.0)], [1.28, 1.20]
    )
    assert _lead(NOW, past, newest=True) == OLDER.text


CORPUS = {
    "representation": document(
        "Brazil and the representation of Mexico in Peru",
        "2026-02-24",
        "diplomacy",
        [("Example source on the representation", "https://example.org/representation")],
        """\
        In January 2026 Brazil represented Mexico in Peru, as the two countries had no diplomatic relations.
        After Peru broke off diplomatic relations with Mexico on 3 November 2025, Mexico's diplomatic interests and representation in Peru were left to the chargé d'affaires Karla Ornelas.
        """,
    ),
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("slot-newest"), CORPUS | OTHER_TOPICS, embedder)


def test_the_newest_statement_leads_on_a_real_model(service: QAService) -> None:
    said = answer_sentences(service, NOW)
    assert "Brazil" in said[0], said


def test_without_the_setting_the_older_filler_leads_on_a_real_model(service: QAService) -> None:
    said = answer_sentences(service_with(service, slot_keeps_newest=False), NOW)
    assert "Ornelas" in said[0], said
