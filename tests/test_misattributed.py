"""A question that gives an act to someone the corpus does not give it to is corrected, not answered.

"Why did Chile refuse to hand the Pacific Alliance presidency to Peru?" presumes Chile refused;
the corpus says López Obrador did. On a real model and index over a small corpus this module
writes, the service declines and quotes the sentence that says who did it
(`constraints.misattributed`, setting `decline_misattributed`); the same act asked of the one who
did it is answered, and so are a passive sentence and a question that only points to its doer.
With the setting off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import misattributed
from tests.conftest import EMBASSIES, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "presidency-dispute": document(
        "The Pacific Alliance presidency dispute of 2023",
        "2023-08-02",
        "pacific-alliance",
        [("Example source on the presidency", "https://example.org/presidency")],
        """\
        In 2023 Andrés Manuel López Obrador refused to hand the Pacific Alliance presidency to Peru, because he did not recognise Dina Boluarte's government.
        Chile took over the presidency from Mexico and handed it to Peru on 1 August 2023.
        """,
    ),
    "embassies": EMBASSIES,
}
FALSE = "Why did Chile refuse to hand the Pacific Alliance presidency to Peru?"
CORRECTION = "López Obrador refused"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("misattributed"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "wrong"),
    [
        (
            FALSE,
            "In 2023 Andrés Manuel López Obrador refused to hand the Pacific Alliance presidency to Peru.",
            True,
        ),
        (
            "why did amlo refuse to hand the presidency to peru",
            "AMLO refused to hand it to Peru.",
            False,
        ),
        (
            "When did Peru open its embassy in Mexico City?",
            "Mexico opened its embassy in Lima.",
            False,
        ),
        (
            "why did Peru expel the ambassador",
            "Another ambassador had been expelled by Bolivia.",
            False,
        ),
        ("When did it enter into force?", "The agreement entered into force in 2015.", False),
        (
            "Why did the prosecutors reduce their request?",
            "For that reason the prosecutors reduced their request.",
            False,
        ),
    ],
)
def test_who_did_it_is_read_from_the_names_before_the_verb(
    question: str, sentence: str, wrong: bool
) -> None:
    assert (misattributed(question, [sentence]) == sentence) is wrong


def test_an_act_given_to_someone_else_is_declined_with_the_sentence_that_says_who(
    service: QAService,
) -> None:
    resp = service.ask(FALSE)
    assert not resp.found, resp.answer
    assert CORRECTION in resp.answer, resp.answer


def test_the_act_asked_of_the_one_who_did_it_is_answered(service: QAService) -> None:
    resp = service.ask(
        "Why did López Obrador refuse to hand the Pacific Alliance presidency to Peru?"
    )
    assert resp.found and "did not recognise" in resp.answer, resp.answer


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:

    off = service_with(service, decline_misattributed=False)
    assert Settings().decline_misattributed is True
    assert off.ask(FALSE).found
