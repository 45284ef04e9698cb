"""A sentence that denies the asked act is measured against the best without the asked kind's credit.

"The day betssy chavez flew to mexico after her asylum was approved?" is read as asking a date
(`reading.asked_by_slot`, setting `read_answer_slots`): every dated sentence on her asylum gains the
answer kind's weight, and "could not leave Peru", which holds no date because there was no flight,
falls outside the premise margin; answered with the dated sentences, the premise stands. With
`premise_denial_unkinded`, a denial is compared with the best sentence without what holding the
asked kind adds to either (`composing.premise_correction`, `composing.KIND_WEIGHT`), and leads; a denial
the sentence itself negates ("It should not be assumed that…") is none (`constraints.denies` with
`affirmed`), and a few more opposite acts are read (`constraints._AFFIRMED_DENIALS`: a refusal to
be present and presence, a resignation and a removal, a closing and keeping open). On a real model and index over a small corpus this module writes; with the setting
off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import denies
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "chavez-asylum-2025": document(
        "Betssy Chávez's asylum in the Mexican embassy in Lima",
        "2026-02-20",
        "asylum",
        [("Example source on the asylum", "https://example.org/asylum")],
        """\
        On 3 November 2025, Peru broke off relations with Mexico after Mexico granted asylum to Betssy Chávez.
        On 26 January 2026, Claudia Sheinbaum said that Betssy Chávez was still in the Mexican embassy.
        On 27 November 2025, a Peruvian court sentenced Betssy Chávez to eleven years in prison.
        Lilia Paredes and her children flew from Lima to Mexico City on 21 December 2022 after Peru granted them safe conducts.
        Betssy Chávez, for her part, could not leave Peru without a safe conduct.
        """,
    ),
}
FALSE = "the day betssy chavez flew to mexico after her asylum was approved?"
DENIAL = "could not leave Peru"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    # The answer slots on, as served: the denial must lead although the question reads as asking a date.
    assert Settings().read_answer_slots is True
    yield service_over(tmp_path_factory.mktemp("premise-unkinded"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "denied"),
    [
        # A denial the sentence negates is none: "not be assumed" assumes nothing.
        (
            "why did peru refuse to recognise the new government",
            "It should not be assumed that Peru recognised it; the decision was never approved.",
            False,
        ),
        (
            "why did peru refuse to approve the agreement",
            "Peru's Congress approved the agreement in 2012.",
            True,
        ),
        # A refusal to be present is denied by presence.
        (
            "why did amlo refuse to be in the apec leaders photo in san francisco",
            "López Obrador also appeared in the official photograph of the APEC leaders.",
            True,
        ),
        # A resignation is denied by a removal of whom the question names, not of another.
        (
            "why did pablo monroy resign his post as mexico's envoy in lima",
            "Peru declared Mexico's ambassador in Lima, Pablo Monroy, persona non grata.",
            True,
        ),
        (
            "why did pablo monroy resign his post as mexico's envoy in lima",
            "Peru declared another diplomat persona non grata.",
            False,
        ),
        # A resignation told is none denied.
        (
            "why did pablo monroy resign his post",
            "Pablo Monroy resigned before he could be expelled.",
            False,
        ),
        # A closing is denied by keeping it open.
        (
            "why did mexico shut its embassy in lima in february 2023",
            "Mexico announced at that time that it would keep its embassy in Peru open.",
            True,
        ),
    ],
)
def test_a_denial_must_be_affirmed(question: str, sentence: str, denied: bool) -> None:
    known = frozenset(
        {"pablo", "monroy", "lima", "mexico", "peru", "amlo", "apec", "san", "francisco"}
    )
    assert denies(question, sentence, undone=True, known=known, affirmed=True) is denied


@pytest.mark.fast
def test_without_affirmed_a_negated_grant_still_reads_as_one() -> None:
    sentence = "It should not be assumed that Peru assumed the presidency."
    assert denies("why did peru refuse the presidency", sentence) is True
    assert denies("why did peru refuse the presidency", sentence, affirmed=True) is False


def test_the_denial_leads_although_the_question_reads_as_asking_a_date(
    service: QAService,
) -> None:
    first = answer_sentences(service, FALSE)[0]
    assert DENIAL in first, first


def test_a_question_on_a_trip_that_was_made_keeps_its_date_first(service: QAService) -> None:
    first = answer_sentences(
        service, "the day lilia paredes flew to mexico city with her children"
    )[0]
    assert "21 December 2022" in first, first


def test_without_the_setting_the_dated_sentences_answer_as_if_she_flew(
    service: QAService,
) -> None:
    off = service_with(service, premise_denial_unkinded=False)
    assert Settings().premise_denial_unkinded is True
    first = answer_sentences(off, FALSE)[0]
    assert DENIAL not in first, first
