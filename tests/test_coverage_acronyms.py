"""An acronym the asker types in lowercase is held by a passage that writes it out.

"why did amlo call off the pa summit in cdmx" writes names as acronyms the corpus spells in full
("Andrés Manuel López Obrador", "Pacific Alliance"), so the far-off check's term
coverage (`Settings.min_term_coverage`) misses them. With `coverage_acronyms`
(`near_words.acronyms_held`), a question word of two to five letters the corpus never writes in
lowercase counts as held by a passage whose consecutive words begin with its letters; an ordinary word
("get" / "general election to") never does. On a real model and index over a small corpus this module
writes, the coverage is higher with the setting than without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.near_words import acronyms_held, lowercase_words, spells
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "summit": document(
        "The Pacific Alliance summit of 2022",
        "2022-11-20",
        "alliance",
        [("Example source on the summit", "https://example.org/summit")],
        """\
        Andrés Manuel López Obrador cancelled the Pacific Alliance summit planned in Ciudad de México for November 2022.
        He said Peru's Congress had not let Pedro Castillo travel to attend it.
        """,
    ),
}
QUESTION = "why did amlo call off the pa summit in cdmx"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    return service_over(
        tmp_path_factory.mktemp("acronyms"), CORPUS, embedder, decline_model="constraints"
    )


def coverage(service: QAService, question: str) -> float:
    p = service.prepare(question)
    return service.state.answerer.decider.coverage(p.resolved, p.hits)


@pytest.mark.fast
def test_the_readers() -> None:
    text = "Andrés Manuel López Obrador cancelled the Pacific Alliance summit in Ciudad de México."
    tokens = text.replace(".", "").split()
    assert spells("amlo", tokens) and spells("pa", tokens)
    assert not spells("pa", ["Peru", "approved"])  # two letters only from capitalised words
    ordinary = lowercase_words(["the general election took place", "voters get to choose"])
    assert acronyms_held("amlo and the pa", {"amlo", "pa"}, text, ordinary) == {"amlo", "pa"}
    election = "the General Election To Congress"
    assert acronyms_held("did she get votes", {"get"}, election, ordinary) == set()


def test_the_acronyms_are_held(service: QAService) -> None:
    assert service.settings.coverage_acronyms is True
    off = service_with(service, coverage_acronyms=False)
    assert coverage(off, QUESTION) < coverage(service, QUESTION)
