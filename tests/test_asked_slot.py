"""The best sentences must fill the slot the question asks to fill, not only speak of its subject:
on a real model and a real index built from a small corpus this module writes,

- "Did the court grant Castillo's appeal?" finds "Castillo's appeal … was still pending in February
  2026" and the court's rejection of another motion: no outcome of the appeal stated, declined with
  what the corpus does hold; "Did the court grant the Ayala motion?" is answered by the sentence
  saying the court rejected it (an outcome either way);
- "Who was Mexico's envoy in Lima when Peru broke relations in 1932?" finds the 1932 break, which
  names no envoy: declined; "Who was Peru's chargé d'affaires in Mexico in 2025?" finds Mexico's
  chargé d'affaires in Lima: declined; "Who was Mexico's chargé d'affaires in Lima in 2025?" is
  answered with her name.

With the check off (`decline_unfilled_slot`) the first two are answered with the nearby sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import asked_outcome, fills_title, states_outcome, titles
from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "appeal": document(
        "Pedro Castillo's appeal",
        "2026-02-20",
        "justice",
        [("Example source on the appeal", "https://example.org/appeal")],
        """\
        Pedro Castillo's appeal against his sentence was still pending in February 2026.
        In January 2026 the court rejected the Ayala motion to suspend the sentence.
        """,
    ),
    "break": document(
        "The breaks of 1932 and 2025",
        "2025-11-10",
        "diplomacy",
        [("Example source on the breaks", "https://example.org/break")],
        """\
        In 1932 Peru broke relations with Mexico after a letter by Haya de la Torre reached Lima in a Mexican diplomatic pouch.
        In November 2025 Mexico's chargé d'affaires in Lima, Karla Ornelas, left Peru after the break.
        """,
    ),
}

APPEAL = "Did the court grant Castillo's appeal?"
MOTION = "Did the court grant the Ayala motion?"
ENVOY = "Who was Mexico's envoy in Lima when Peru broke relations in 1932?"
PERU_CHARGE = "Who was Peru's chargé d'affaires in Mexico in 2025?"
MEXICO_CHARGE = "Who was Mexico's chargé d'affaires in Lima in 2025?"


@pytest.mark.fast
def test_the_readers() -> None:
    pending = "Pedro Castillo's appeal against his sentence was still pending in February 2026."
    granted = asked_outcome(APPEAL)
    assert granted is not None
    assert not states_outcome(granted, pending)
    # an outcome either way, but on what the question asks about: not on another motion
    assert states_outcome(granted, "The court rejected Castillo's appeal.")
    assert states_outcome(granted, "The court did not grant Castillo's appeal.")
    assert not states_outcome(granted, "The court rejected the Ayala motion.")
    # an act only possible, or not yet done, is no outcome
    assert not states_outcome(
        granted, "A final conviction is needed before a pardon can be granted."
    )
    ruled = asked_outcome("has the court ruled on the appeal")
    assert ruled is not None
    assert not states_outcome(ruled, "The court has not yet ruled on the appeal.")
    # "who won X" needs X: another contest's winner is not the answer; "who did he beat in the
    # final round" names no X (the one beaten is asked)
    won = asked_outcome("who won the runoff in peru's 2026 presidential race")
    assert won is not None and won.thing == "runoff"
    assert not states_outcome(won, "Pedro Castillo won Peru's 2021 presidential election.")
    assert states_outcome(won, "Keiko Fujimori won the runoff.")
    beaten = asked_outcome("who did he beat in the final round?")
    assert beaten is not None and beaten.thing is None
    assert states_outcome(
        beaten, "José María Balcázar then beat María del Carmen Alva in a runoff."
    )
    # "what did X decide" is filled by the decision's own verb
    decided = asked_outcome("What did Peru's Congress decide about López Obrador in May 2023?")
    assert decided is not None
    assert states_outcome(decided, "Peru's Congress declared López Obrador persona non grata.")
    assert not states_outcome(decided, "Castillo expected to be acquitted on appeal.")
    # a reason, a description or a plain act asks for no outcome
    for question in (
        "why did peru decide to keep consular ties",
        "How did Peru's foreign minister describe Mexico's decision?",
        "When did Mexico open its embassy in Lima?",
    ):
        assert asked_outcome(question) is None, question
    assert titles("Peru's first envoy to Mexico") == [("envoy", "peru")]
    assert not fills_title(
        ENVOY, "In 1932 Peru broke relations after a letter by Haya de la Torre."
    )
    ornelas = "Mexico's chargé d'affaires in Lima, Karla Ornelas, left Peru."
    assert not fills_title(PERU_CHARGE, ornelas) and fills_title(MEXICO_CHARGE, ornelas)
    assert fills_title(
        "When did Peru recall its envoy?", "Peru broke relations."
    )  # no who-question


def _service(root: pytest.TempPathFactory, embedder: Embedder, on: bool) -> QAService:
    # The learned decline off, so that only the constraints decide.
    return service_over(
        root.mktemp("asked-slot"),
        CORPUS,
        embedder,
        decline_model="constraints",
        decline_unfilled_slot=on,
    )


def test_an_unfilled_slot_is_declined_and_a_filled_one_answered(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=True)
    for question in (APPEAL, ENVOY, PERU_CHARGE):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)
    # the decline says what the corpus does hold
    assert "still pending" in service.ask(APPEAL).answer
    for question, expected in ((MOTION, "rejected"), (MEXICO_CHARGE, "Karla Ornelas")):
        resp = service.ask(question)
        assert resp.found and expected in resp.answer, (question, resp.answer)


def test_without_the_check_the_nearby_sentence_is_answered(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=False)
    for question, said in ((APPEAL, "still pending"), (ENVOY, "1932")):
        resp = service.ask(question)
        assert resp.found and said in resp.answer, (question, resp.answer)
