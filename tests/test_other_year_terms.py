"""Of the sentences giving the question's act another year, the one holding most of its terms leads.

"Why did mexico wait until 1966 to open an embassy in lima?" (held-out 8 h8-084): 1966 is when Peru
opened its embassy in Mexico City; Mexico's in Lima dates from 1937. Among the sentences naming only
other years (`deciding.other_year_act`), a 2024 sentence on the Mexican embassy in Lima scored first;
"Mexico opened an embassy in Lima on 14 June 1937" holds one more of the question's terms (the act).
With `other_year_most_terms` it leads; off, the first found does.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from qa_service.config import Settings
from qa_service.deciding import Scored, other_year_act
from qa_service.scoring import Candidate

QUESTION = "why did mexico wait until 1966 to open an embassy in lima"
KEPT_BEST = (
    "The upgrade to embassy came four years after the two countries restored relations in 1933."
)
APPOINTMENTS = (
    "The Mexican embassy in Lima said it would give extraordinary appointments to people who had "
    "bought tickets before 6 April 2024."
)
OPENED = "Mexico opened an embassy in Lima on 14 June 1937."


def _scored(texts: list[str], scores: list[float]) -> Scored:
    return Scored([cast(Candidate, SimpleNamespace(text=t)) for t in texts], scores)


SCORED = _scored(
    [
        KEPT_BEST,
        "Peru inaugurated its embassy in Mexico City on 17 January 1966.",
        APPOINTMENTS,
        OPENED,
    ],
    [1.035, 0.947, 0.934, 0.933],
)
KEPT = _scored([KEPT_BEST], [1.035])


@pytest.mark.fast
def test_the_sentence_holding_most_of_the_question_leads() -> None:
    assert Settings().other_year_most_terms is True
    lead = other_year_act(QUESTION, SCORED, KEPT, 0.18, most_terms=True)
    assert lead is not None and lead.text == OPENED


@pytest.mark.fast
def test_without_the_setting_the_first_found_leads() -> None:
    lead = other_year_act(QUESTION, SCORED, KEPT, 0.18)
    assert lead is not None and lead.text == APPOINTMENTS
