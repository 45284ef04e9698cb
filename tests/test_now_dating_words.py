""" "Now" questions on a real model and a real index built from a small corpus this module writes:
the words that only date a question to the present ("currently") are not its subject, so the
decider's coverage does not ask a passage to hold them (`FeatureMaker.signals`). "How far along
is Tia Maria currently" is answered from the progress report; with those words counted, its
coverage falls (on the full corpus, below the decider's floor: held-out 5 h5-069 was declined)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "tia-maria": document(
        "Tía María, Southern Copper's project in Arequipa",
        "2025-10-28",
        "mining",
        [("Example source on the project", "https://example.org/tia-maria")],
        """\
        Tía María is a copper project of Southern Copper in the province of Islay, in the Arequipa region of southern Peru.
        Southern Copper officially resumed activities on the Tía María project on 1 July 2024.
        Tía María was 23% complete at the end of September 2025, according to Southern Copper.
        On 23 March 2015 residents of the Tambo Valley began an indefinite strike against Tía María.
        """,
    ),
}

NOW = "how far along is tia maria currently"
SUBJECT = "how far along is tia maria"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("dating-words"), CORPUS, embedder)


def _signals(service: QAService, question: str) -> tuple[float, float]:
    from qa_service.conversation import Resolved

    hits = service.prepare(NOW).hits  # the same passages for both readings
    return service.state.answerer.features.signals(
        Resolved(question=question, query=question), hits
    )


def test_a_now_question_is_read_by_its_subject(service: QAService) -> None:
    resp = service.ask(NOW)
    assert resp.found and "23%" in resp.answer, resp.answer
    assert _signals(service, NOW) == _signals(service, SUBJECT)


def test_counting_the_dating_words_lowers_its_coverage(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import scoring

    monkeypatch.setattr(scoring, "present_terms", lambda question: frozenset())
    assert _signals(service, NOW)[0] < _signals(service, SUBJECT)[0]
