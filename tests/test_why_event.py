"""A why answer takes the reason told beside the sentence that tells the question's event
(`composing.event_reason`, `AnswerOptions.why_cause_by_event`) and, when it opened with that event,
leads with the reason (`why_reason_first`): a report tells the act ("The Constitutional Court
ordered … release"), then what its source found ("The judges found that she had been held … without a
valid court order"), in no causal word, while the best-scored causes are another act's ("…
detention…, citing a risk of flight"). On a real model and a real index built from a small corpus
this module writes, the reason joins the answer; with the setting off, it is missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import event_reason, reason_before_event, with_reason
from qa_service.reading import reports_reason
from tests.conftest import APEC_2024, answer_sentences, document, service_over, service_with
from tests.test_stages import cand

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService


@pytest.mark.fast
def test_a_source_reporting_or_finding_reads_as_a_reason() -> None:
    assert reports_reason("The ministry said the revocation honoured the free movement of people.")
    assert reports_reason(
        "Peru's Constitutional Court ruled on 3 September 2025 that she was held."
    )
    assert reports_reason("Elmer Schialer recalled that he had served in Mexico.")
    assert not reports_reason("The Constitutional Court ordered her immediate release.")
    assert not reports_reason("Prosecutors were seeking a 25-year prison sentence against her.")


@pytest.mark.fast
def test_the_reason_beside_the_event_joins_and_leads() -> None:
    other = replace(
        cand("A judge ordered detention in 2023, citing a risk of flight.", row=1), lex=0.2
    )
    event = replace(cand("The court ordered her release on 3 September 2025.", start=0), lex=0.6)
    seeking = cand("Prosecutors were seeking a long sentence.", start=60, previous=(0, event.end))
    ruled = cand(
        "The court ruled that she had been held without a valid court order.",
        start=110,
        previous=(60, seeking.end),
    )
    candidates = [other, event, seeking, ruled]
    ev, reason = event_reason([event, other], candidates)
    assert ev is event and reason is ruled
    assert with_reason([event, other], reason) == [event, other, ruled]
    assert reason_before_event([event, other], ev, reason) == [ruled, event, other]
    # an answer led by another sentence keeps its lead; one quoting the reason takes nothing more
    assert reason_before_event([other, event], ev, reason) == [other, event]
    assert event_reason([event, ruled], candidates)[1] is None
    # too far from the event: no reason
    assert event_reason([event], candidates, hops=1)[1] is None


CORPUS = {
    "chavez-release": document(
        "Betssy Chávez in custody, 2023 to 2025",
        "2025-12-03",
        "justice",
        [("Example source on Betssy Chávez", "https://example.org/chavez")],
        """\
        ## Detention and release

        Betssy Chávez had been held in preventive detention since June 2023.
        The Constitutional Court ordered Betssy Chávez's immediate release on 3 September 2025, while her trial continued.
        Prosecutors were seeking a 25-year prison sentence against her.
        The judges found that she had been held for about a week without a valid court order.

        ## Conviction and asylum


        On 27 November 2025 Peru's Supreme Court sentenced Betssy Chávez to eleven years because the court found she had conspired to rebel.
        The Supreme Court issued a new arrest order against Betssy Chávez in November 2025, citing a risk of flight.
        Mexico granted asylum to Betssy Chávez in November 2025 because she alleged political persecution by Peru's courts.
        A Peruvian judge had ordered 18 months of preventive detention against Betssy Chávez in June 2023, citing a risk of flight.
        The judge cited a risk of flight because Chávez had missed court hearings.
        """,
    ),
    "apec": APEC_2024,
}

WHY = "Why did the Constitutional Court order Betssy Chávez freed in September 2025?"
REASON = "without a valid court order"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("why-event"), CORPUS, embedder)


def test_the_reason_beside_the_event_answers_the_why_first(service: QAService) -> None:
    said = answer_sentences(service, WHY)
    assert REASON in said[0], said
    assert "ordered" in said[1], said


def test_without_leading_the_reason_joins_last(service: QAService) -> None:
    said = answer_sentences(service_with(service, why_reason_first=False), WHY)
    assert "ordered" in said[0], said
    assert REASON in said[-1], said


def test_without_the_setting_the_reason_is_missing(service: QAService) -> None:
    said = answer_sentences(service_with(service, why_cause_by_event=False), WHY)
    assert not any(REASON in s for s in said), said
