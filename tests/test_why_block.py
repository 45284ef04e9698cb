"""A why answer that states no cause takes the block's cause sentence (`composing.cause_in_block`,
`AnswerOptions.why_cause_in_block`): a report tells the event, its circumstances, then the reason a
few sentences on, naming no year, so the decider's year filter leaves it out and it is not next to
the first sentence. On a real model and a real index built from a small corpus this module writes,
the reason joins the answer; with the setting off, the answer holds the event alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import cause_in_block
from tests.conftest import APEC_2024, answer_sentences, document, service_over, service_with
from tests.test_stages import cand

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService


@pytest.mark.fast
def test_the_first_cause_a_few_sentences_on_in_the_block_joins() -> None:
    event = cand("On 4 January 2019 Mexico did not sign the declaration.", start=0)
    peru = cand("Peru signed it with twelve others.", start=60, previous=(0, 54))
    sources = cand("Officials said Mexico was not leaving.", start=100, previous=(60, 94))
    cause = cand(
        "The president said Mexico would respect the principles of non-intervention.",
        start=140,
        previous=(100, 138),
    )
    other = cand("The president said it was because of the principles of non-intervention.", row=1)
    block = [event, peru, sources, cause, other]
    assert cause_in_block([event, peru], block) == [event, peru, cause]
    # too far on, in another block, or a cause already quoted: the answer stays as it was
    assert cause_in_block([event, peru], block, hops=2) == [event, peru]
    assert cause_in_block([other], block) == [other]
    assert cause_in_block([event, cause], block) == [event, cause]


CORPUS = {
    "lima-group": document(
        "Mexico and Peru in the Lima Group",
        "2025-12-03",
        "forums",
        [("Example source on the Lima Group", "https://example.org/lima-group")],
        """\
        ## The Lima Group, 2017 to 2019

        Mexico and Peru were both founding members of the Lima Group, created in August 2017.
        On 4 January 2019 Mexico was the only member that did not sign the Lima Group declaration on Venezuela's new presidential term.
        Peru signed that declaration together with twelve other members.
        Peruvian officials said Mexico was not leaving the group.
        The Mexican president explained that Mexico would respect the constitutional principles of non-intervention and self-determination of peoples.
        """,
    ),
    "apec": APEC_2024,
}

WHY = "Why did Mexico refuse to sign the Lima Group declaration in January 2019?"
CAUSE = "non-intervention and self-determination"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    # `why_reason_first` and `why_cause_by_event` (2 December 2026, s14) would lead with, or add, a
    # sentence told beside the event ("Peruvian officials said…") by another path: off, so the block's
    # cause is what this module measures.
    yield service_over(
        tmp_path_factory.mktemp("why-block"),
        CORPUS,
        embedder,
        why_reason_first=False,
        why_cause_by_event=False,
    )


def test_the_block_cause_joins_the_why_answer(service: QAService) -> None:
    said = answer_sentences(service, WHY)
    assert "did not sign" in said[0], said
    assert CAUSE in said[-1], said


def test_without_the_setting_the_cause_is_missing(service: QAService) -> None:
    said = answer_sentences(service_with(service, why_cause_in_block=False), WHY)
    assert "did not sign" in said[0], said
    assert not any(CAUSE in s for s in said), said
