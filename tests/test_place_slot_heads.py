"""A place a sentence gives is read by what stands before its first comma (`reading.fills_slot` with
`place_heads`, setting `place_slot_heads`): "Paracas, Peru" answers "where was the summit … where
mexico passed the chair to peru" though the question names Peru, so that sentence keeps the lead of
the answer (`composing.slot_first`) instead of giving it to another summit's place. Without the
setting the place shares a word with the question and fills nothing. The real-model test answers
that question's shape over a small corpus this module writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import slot_first
from qa_service.deciding import Decision
from qa_service.reading import asked_in_context, fills_slot
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

WHERE = "where was the pacific alliance summit where mexico passed the chair to peru"
PARACAS = (
    "Mexico handed the pro tempore presidency of the Pacific Alliance to Peru at the summit held "
    "at Paracas, Peru, on 3 July 2015."
)
PARANAL = (
    "The presidents of Chile, Colombia, Mexico and Peru met at Paranal, in the Atacama Desert of "
    "Chile, for a summit of the Pacific Alliance."
)


@pytest.mark.fast
def test_a_place_in_the_questions_country_fills_the_slot_by_its_head() -> None:
    asked = asked_in_context(WHERE, "", slots=True, quoted=True, places=True)
    assert asked.kind == "place"
    assert fills_slot(asked, PARACAS, WHERE, place_heads=True)
    # Without the head reading, "Paracas, Peru" shares "Peru" with the question and fills nothing.
    assert not fills_slot(asked, PARACAS, WHERE)


@pytest.mark.fast
def test_the_place_in_the_questions_country_keeps_the_lead() -> None:
    asked = asked_in_context(WHERE, "", slots=True, quoted=True, places=True)
    first, other = cand(PARACAS), cand(PARANAL, start=300)
    decision = Decision("answer", [first, other], [1.0, 0.9])

    def lead(heads: bool) -> str:
        chosen = [first, other]
        return slot_first(WHERE, asked, WHERE, chosen, decision, 0.18, 3, place_heads=heads)[0].text

    assert lead(True) == PARACAS
    assert lead(False) == PARANAL


CORPUS = {
    "summits": document(
        "Pacific Alliance summits",
        "2016-01-10",
        "trade",
        [("Example source on the summits", "https://example.org/summits")],
        f"""\
        {PARACAS}
        {PARANAL}
        """,
    ),
}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("place-heads"), CORPUS | OTHER_TOPICS, embedder)


def test_the_place_in_the_questions_country_leads_on_a_real_model(service: QAService) -> None:
    said = answer_sentences(service, WHERE)
    assert "Paracas" in said[0], said


def test_without_the_setting_the_other_summit_leads_on_a_real_model(service: QAService) -> None:
    said = answer_sentences(service_with(service, place_slot_heads=False), WHERE)
    assert "Paranal" in said[0], said
