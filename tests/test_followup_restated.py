"""Follow-ups on a real model and a real index built from a small corpus this module writes: a
second source's copy of the fact just shown ("The Pacific Alliance began on 28 April 2011 …,
according to SICE") is not the news a follow-up asks for ("whose idea was it?"), so it is not
quoted first (`composing.not_restated`). With the restatement share set out of reach, the copy
leads again (the test of the rule, not of the corpus)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import restates
from qa_service.schemas import Turn
from qa_service.terms import terms
from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "pacific-alliance": document(
        "The Pacific Alliance",
        "2024-05-02",
        "forums",
        [("Example source on the Pacific Alliance", "https://example.org/pa")],
        """\
        The Pacific Alliance began on 28 April 2011 with the Presidential Declaration of Lima, according to SICE.
        In 2010 Alan García, then president of Peru, wrote to Chile, Colombia and Mexico proposing a deep integration area.
        """,
    ),
    "lima-group": document(
        "The Lima Group",
        "2023-03-01",
        "forums",
        [("Example source on the Lima Group", "https://example.org/lg")],
        "Mexico and Peru were both founding members of the Lima Group, created on 8 August 2017.",
    ),
}

HISTORY = [
    Turn(role="user", content="When did the Pacific Alliance start?"),
    Turn(
        role="assistant",
        content="The Pacific Alliance began on 28 April 2011 with the Presidential Declaration of "
        "Lima, according to SICE and the preamble of the Framework Agreement. [1]",
    ),
]
FOLLOW_UP = "whose idea was it?"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("restated"), CORPUS, embedder)


@pytest.mark.fast
def test_restates_reads_the_share_of_shown_terms() -> None:
    shown = frozenset(terms(HISTORY[1].content))
    assert restates(
        "The Pacific Alliance began on 28 April 2011 with the Presidential Declaration of Lima.",
        shown,
    )
    assert not restates("In 2010 Alan García wrote to Chile, Colombia and Mexico.", shown)


def test_a_follow_up_does_not_lead_with_the_fact_just_shown(service: QAService) -> None:
    resp = service.ask(FOLLOW_UP, HISTORY)
    assert resp.found, resp.answer
    assert "García" in resp.sentences[0].text, resp.answer


def test_with_the_rule_out_of_reach_the_restatement_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import composing

    monkeypatch.setattr(composing, "RESTATES_SHARE", 1.01)
    resp = service.ask(FOLLOW_UP, HISTORY)
    assert resp.found, resp.answer
    assert resp.sentences[0].text.startswith("The Pacific Alliance began"), resp.answer
