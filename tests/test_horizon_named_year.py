"""A question about a year after the corpus's newest source is answered when a source names that year.

The corpus cannot report what happened after its newest source, so a question about a later time is
declined ("The corpus stops at ..."). But a source can name a later year as a plan or a term ("his
sentence runs until 21 May 2034"): with `horizon_spares_named_year` such a question is answered from
the sentence that names the year. Checked on the real model and an index of a small corpus written
here, and with the setting off.
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
    "sentence": document(
        "The former president's sentence",
        "2025-11-27",
        "justice",
        [("Example source on the sentence", "https://example.org/sentence")],
        """\
        On 27 November 2025 the court sentenced the former president to eleven years in prison for conspiracy.
        He has been in custody since 7 December 2022, so his sentence runs until 21 May 2034.
        """,
    ),
    "mine": document(
        "The copper mine",
        "2026-03-10",
        "mining",
        [("Example source on the mine", "https://example.org/mine")],
        """\
        On 10 March 2026 the company said the copper mine was 40% complete.
        """,
    ),
}
QUESTION = "how did they work out that the former president gets out of prison in 2034"
LATER = "how complete was the copper mine in 2031"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("horizon"), CORPUS, embedder)


def test_a_later_year_a_source_names_is_answered_from_it(service: QAService) -> None:
    resp = service.ask(QUESTION)
    assert resp.found, resp.answer
    assert any("21 May 2034" in s.text for s in resp.sentences), resp.answer


def test_a_later_year_no_source_names_is_still_beyond_the_corpus(service: QAService) -> None:
    resp = service.ask(LATER)
    assert not resp.found and "stops at 10 March 2026" in resp.answer, resp.answer


def test_without_the_setting_the_named_year_is_beyond_the_corpus(service: QAService) -> None:
    assert Settings().horizon_spares_named_year is True
    resp = service_with(service, horizon_spares_named_year=False).ask(QUESTION)
    assert not resp.found and "stops at 10 March 2026" in resp.answer, resp.answer
