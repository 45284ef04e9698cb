"""A question that takes as given what the corpus says did not happen is declined, not affirmed.

On a real model and a real index built from a small corpus this module writes, "What did
Balcázar decide about Castillo's pardon?" finds sentences on the pardon request that score
about as high as the corpus's own statement that no source reports a decision; answered with
them the question's premise (a decision) is affirmed. With `decline_close_gap` the gap statement,
close to the best sentence and naming what the question names, declines it and is quoted as what
the corpus holds; a question the corpus answers is still answered. With the setting off the
premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "pardon-request": document(
        "Castillo's pardon request to Balcázar, 2026",
        "2026-02-24",
        "castillo",
        [("Example source on the pardon request", "https://example.org/pardon")],
        """\
        Pedro Castillo filed a request for a pardon with interim president José María Balcázar on 16 February 2026.
        Walter Ayala said that José María Balcázar had publicly promised to pardon Pedro Castillo before his election by Congress, and that Balcázar had become more cautious once in office.
        Walter Ayala said Pedro Castillo expected José María Balcázar to rule on the pardon within days.
        José María Balcázar said before the request arrived that no one had asked him to pardon Pedro Castillo and that a pardon was not on his government's agenda.
        No source consulted for this corpus reports a decision by José María Balcázar on Pedro Castillo's pardon request, nor a date by which one was expected, up to 24 February 2026.
        """,
    ),
    "asylum": document(
        "Betssy Chávez in the Mexican embassy",
        "2026-01-30",
        "asylum",
        [("Example source on the asylum", "https://example.org/asylum")],
        """\
        Mexico granted diplomatic asylum to Betssy Chávez in its embassy residence in Lima on 3 November 2025.
        Peru broke off diplomatic relations with Mexico the same day.
        """,
    ),
}

DECISION = "What did Balcázar decide about Castillo's pardon?"
GAP = "No source consulted for this corpus reports a decision"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("close-gap"), CORPUS, embedder)


def test_a_premise_the_corpus_says_did_not_happen_is_declined_with_its_statement(
    service: QAService,
) -> None:
    resp = service.ask(DECISION)
    assert not resp.found, resp.answer
    assert GAP in resp.answer, resp.answer


def test_a_question_the_corpus_answers_is_still_answered(service: QAService) -> None:
    resp = service.ask("When did Castillo file his pardon request with Balcázar?")
    assert resp.found and "16 February 2026" in resp.answer, resp.answer


def test_a_gap_statement_on_other_names_does_not_decline(service: QAService) -> None:
    resp = service.ask("When did Peru break off relations with Mexico?")
    assert resp.found and "same day" in resp.answer, resp.answer


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:

    # The asked-outcome check (decline_unfilled_slot) declines this question on its own, since no
    # sentence states Balcázar's decision: off too, so that only the gap statement's part shows.
    off = service_with(service, decline_close_gap=False, decline_unfilled_slot=False)
    assert Settings().decline_close_gap is True
    resp = off.ask(DECISION)
    assert resp.found and not resp.answer.startswith(GAP), resp.answer
