"""On a question asking whether a state still holds, a sentence saying it lasted wins a tie of
dates over the act that began it (`composing.newest_first`, `AnswerOptions.now_lasting_ties`):
"is Sheinbaum still persona non grata" is answered by "remained persona non grata under the
declaration of 6 November 2025" before "declared … persona non grata on 6 November 2025"."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from qa_service.composing import newest_first
from qa_service.deciding import Decision
from tests.test_stages import cand

DAY = dt.date(2026, 2, 24).toordinal()
DECLARED = replace(
    cand("Peru's Congress declared Claudia Sheinbaum persona non grata on 6 November 2025."),
    recency=1.0,
    published_ord=DAY,
)
REMAINED = replace(
    cand(
        "Claudia Sheinbaum remained persona non grata under the declaration of 6 November 2025.",
        start=100,
    ),
    recency=1.0,
    published_ord=DAY,
)
DECISION = Decision("answer", [DECLARED, REMAINED], [1.0, 0.96])


@pytest.mark.fast
def test_the_lasting_state_wins_a_tie_of_dates_on_a_still_question() -> None:
    still = "is sheinbaum still persona non grata for peru"
    chosen = [DECLARED, REMAINED]
    assert newest_first(chosen, still, DECISION, 0.18, 3, lasting=True)[0] is REMAINED
    # off, or a question that does not ask whether it still holds: the best keeps the lead
    assert newest_first(chosen, still, DECISION, 0.18, 3) == chosen
    now = "is sheinbaum persona non grata for peru right now"
    assert newest_first(chosen, now, DECISION, 0.18, 3, lasting=True) == chosen
