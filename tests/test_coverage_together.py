"""A question joining two facts that two passages hold is not read as far off the corpus.

"sworn in + censured: the dates" asks for two events of one presidency, which the corpus tells in
two documents: neither passage alone holds enough of the question's terms for the far-off check
(`Settings.min_term_coverage`), both together do. On a real model and a real index over a small
corpus this module writes, the question is answered from both passages with
`coverage_across_passages` (`scoring.FeatureMaker.signals`) and declined as not covered without it.
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
    "sworn": document(
        "José Jerí takes office",
        "2025-10-11",
        "politics",
        [("Example source on the oath", "https://example.org/oath")],
        """\
        José Jerí was sworn in as president of Peru on 10 October 2025, after Congress removed Dina Boluarte.
        He had been president of Congress since July 2025.
        """,
    ),
    "censure": document(
        "Congress censures José Jerí",
        "2026-02-18",
        "politics",
        [("Example source on the censure", "https://example.org/censure")],
        """\
        Congress censured José Jerí on 17 February 2026 and he left the presidency.
        José María Balcázar was elected to succeed him the next day.
        """,
    ),
}
TWO_FACTS = "sworn in + censured: the dates"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(
        tmp_path_factory.mktemp("together"), CORPUS, embedder, decline_model="constraints"
    )


def coverage(service: QAService, question: str) -> float:
    p = service.prepare(question)
    return service.state.answerer.decider.coverage(p.resolved, p.hits)


def test_two_facts_in_two_passages_are_answered(service: QAService) -> None:
    assert Settings().coverage_across_passages is True
    resp = service.ask(TWO_FACTS)
    assert resp.found, resp.answer
    assert "17 February 2026" in resp.answer and "10 October 2025" in resp.answer, resp.answer


def test_the_passages_together_hold_more_of_the_question(service: QAService) -> None:
    off = service_with(service, coverage_across_passages=False)
    floor = service.settings.min_term_coverage
    assert coverage(off, TWO_FACTS) < floor <= coverage(service, TWO_FACTS)


def test_without_the_setting_the_question_is_declined_as_far_off(service: QAService) -> None:
    resp = service_with(service, coverage_across_passages=False).ask(TWO_FACTS)
    assert not resp.found, resp.answer
