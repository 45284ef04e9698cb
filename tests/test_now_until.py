"""'Until when is … going to be in charge' asks about the present (`reading.asks_about_present`,
`AnswerOptions.now_until_when`): the end of a state that holds now, so the answer is dated like
any 'now' answer. On a real model and a real index built from a small corpus this module writes,
the answer carries the date line; with the setting off, it does not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.reading import asks_about_present
from tests.conftest import APEC_2024, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService


@pytest.mark.fast
def test_until_when_with_a_present_verb_asks_about_the_present() -> None:
    assert asks_about_present("until when is balcazar going to be in charge", until=True)
    assert asks_about_present("how much longer will jeri be president", until=True)
    assert not asks_about_present("until when is balcazar going to be in charge")
    # a past act's end: no present verb after "until when"
    assert not asks_about_present("the fifth protocol kept the preferences going until when?", True)


CORPUS = {
    "interim-2026": document(
        "Peru's interim presidency, 2026",
        "2026-02-24",
        "politics",
        [("Example source on the oath", "https://example.org/oath")],
        "On 18 February 2026, José María Balcázar took charge of Peru as interim president and swore to stay in charge until 28 July 2026.",
    ),
    "apec": APEC_2024,
}

UNTIL = "until when is balcazar going to be in charge"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("now-until"), CORPUS, embedder)


def test_the_answer_is_dated(service: QAService) -> None:
    resp = service.ask(UNTIL)
    assert resp.found and "28 July 2026" in resp.answer, resp.answer
    assert resp.preface is not None


def test_without_the_setting_it_is_not(service: QAService) -> None:
    resp = service_with(service, now_until_when=False).ask(UNTIL)
    assert resp.found and resp.preface is None, resp.answer
