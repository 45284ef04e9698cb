"""A full why answer takes one more sentence for the cause (`composing.cause_slot`,
`Settings.why_cause_slot`): when the event and its setting fill the answer, the best close
runner-up that states a cause joins past the limit. On a real model and a real index built from
a small corpus this module writes (answers of two sentences, so the limit is met), the motion's
reason joins the vote and the debate; with the setting off, the answer stops at the debate."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import cause_slot
from qa_service.deciding import Decision
from tests.conftest import answer_sentences, document, service_over
from tests.test_stages import cand

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService


@pytest.mark.fast
def test_a_close_runner_up_that_states_a_cause_joins_a_full_answer() -> None:
    vote = cand("On 25 May 2023 Congress declared the president persona non grata.")
    debate = cand("Lawmakers debated the declaration for four hours.", start=80)
    tally = cand("Two lawmakers abstained in the final count.", start=160)
    cause = cand(
        "The motion cited his remarks as a breach of the principle of non-interference.", start=240
    )
    ranked = [vote, debate, tally, cause]
    chosen = [vote, debate, tally]
    assert cause_slot(chosen, Decision("answer", ranked, [1.0, 0.95, 0.9, 0.85]), 0.18) == [
        *chosen,
        cause,
    ]
    # below the join margin, or stating no cause: the answer stays as it was
    assert cause_slot(chosen, Decision("answer", ranked, [1.0, 0.95, 0.9, 0.7]), 0.18) == chosen
    plain = cand("The session closed late in the evening.", start=240)
    ranked = [vote, debate, tally, plain]
    assert cause_slot(chosen, Decision("answer", ranked, [1.0, 0.95, 0.9, 0.85]), 0.18) == chosen


CORPUS = {
    "congress-vote-2023": document(
        "Peru's Congress declares the Mexican president persona non grata, May 2023",
        "2023-05-26",
        "diplomacy",
        [("Example source on the vote", "https://example.org/vote")],
        """\
        On 25 May 2023, Peru's Congress declared the Mexican president persona non grata by 65 votes to 40.
        Lawmakers in Lima debated the persona non grata declaration against the Mexican president for four hours in May 2023.
        Lawmakers celebrated in the chamber once the tally against the Mexican president was read out.
        The motion cited the president's remarks as a breach of the principle of non-interference.
        """,
    ),
    "congress-2023-profile": document(
        "Peru's Congress in 2023",
        "2023-12-01",
        "politics",
        [("Example source on Congress", "https://example.org/congress")],
        "The Mexican president was barred from Peruvian territory by the vote in Congress of May 2023.",
    ),
    "pacific-alliance": document(
        "The Pacific Alliance presidency, 2023",
        "2023-08-01",
        "forums",
        [("Example source on the Pacific Alliance", "https://example.org/pa")],
        """\
        Mexico held the pro tempore presidency of the Pacific Alliance in 2022.
        Chile took over the presidency on 1 August 2023.
        """,
    ),
}

WHY = "Why did Peru's Congress vote to declare the Mexican president persona non grata in May 2023?"


@pytest.fixture(scope="module", params=[True, False], ids=["slot", "no-slot"])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Iterator[QAService]:
    yield service_over(
        tmp_path_factory.mktemp("why-slot"),
        CORPUS,
        embedder,
        answer_max_sentences=2,
        why_cause_slot=request.param,
        # `why_cause_in_block` (2 December 2026) would add the same cause by another path (the
        # answer states none, and the motion's sentence follows in the block): off with the slot.
        why_cause_in_block=request.param,
        # `why_cause_by_event` and `why_reason_first` (2 December 2026, s14) add the motion's sentence,
        # told beside the vote, and lead with it, by a third path: off with the slot too.
        why_cause_by_event=request.param,
        why_reason_first=request.param,
    )


def test_a_full_why_answer_takes_the_cause_only_with_the_setting(service: QAService) -> None:
    sentences = answer_sentences(service, WHY)
    assert "persona non grata by 65 votes" in sentences[0]
    assert "debated" in sentences[1]
    if service.settings.why_cause_slot:
        assert sentences[2:] == [
            "The motion cited the president's remarks as a breach of the principle of non-interference."
        ]
    else:
        assert len(sentences) == 2
