"""A why answer that states no cause takes the sentence told right before its first one, where a
report tells what led to an act in no causal words ("The 2015 protests … left four people dead… The
Peruvian government declared a state of emergency on 22 May 2015"): `composing.cause_antecedent`,
setting `why_cause_antecedent`. On a real model and a real index built from a small corpus this
module writes, the answer quotes the deaths; with the setting off it does not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from tests.conftest import EMBASSIES, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

DECLARED = "The Peruvian government declared a state of emergency on 22 May 2015."
CORPUS = {
    "tia-maria": document(
        "The Tía María copper project",
        "2025-10-28",
        "mining",
        [("Example source on Tía María", "https://example.org/tia-maria")],
        f"""\
        Tía María is a copper project of Southern Copper in the Arequipa region of southern Peru.

        On 23 March 2015 residents of the Tambo Valley began an indefinite strike against Tía María. The 2015 protests lasted more than 60 days and left four people dead. {DECLARED}
        """,
    ),
    "embassies": EMBASSIES,
}
QUESTION = "why was there a state of emergency over tia maria in may 2015"
CAUSE = "left four people dead"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("why-antecedent"), CORPUS, embedder)


def test_the_answer_holds_the_act_and_what_led_to_it(service: QAService) -> None:
    resp = service.ask(QUESTION)
    assert resp.found, resp.answer
    assert "22 May 2015" in resp.answer and CAUSE in resp.answer, resp.answer


def test_without_the_antecedent_the_cause_is_not_quoted(service: QAService) -> None:
    assert Settings().why_cause_antecedent is True
    resp = service_with(service, why_cause_antecedent=False).ask(QUESTION)
    assert CAUSE not in resp.answer, resp.answer
