"""The noun a question asks about must be where the answer is: on a real model and a real index
built from a small corpus this module writes, "Which hotel did López Obrador stay in…" shares the
corpus's names (López Obrador, APEC, San Francisco) but no passage holds a hotel, so it is
declined instead of answered with the trip; a question whose noun the corpus holds is answered.
With the check off (`FOCUS_DEPTH` empty) the hotel question is answered with a nearby fact.

By default (`decline_missing_noun`) only the nouns a question's wording makes sure of are checked,
those after "which" and "how many/much": "How many tonnes of copper did Toquepala produce" is
declined where the corpus gives Toquepala's workers, not its tonnes, and its twin asking for the
workers is answered; a "what" question is left to the full check (`decline_missing_focus`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import deciding
from qa_service.config import Settings
from qa_service.reading import asked_nouns, noun_is_asked
from tests.conftest import TRADE, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "apec-2023": document(
        "López Obrador and APEC San Francisco, 2023",
        "2023-11-20",
        "forums",
        [("Example source on APEC 2023", "https://example.org/apec-2023")],
        """\
        López Obrador announced on 9 October 2023 that he would travel to San Francisco to meet Joe Biden during the APEC summit.
        López Obrador was present in San Francisco in November 2023 when Peru received the APEC chair for 2024.
        At the summit López Obrador held a bilateral meeting with Joe Biden on 17 November 2023.
        """,
    ),
    "trade": TRADE,
    "toquepala": document(
        "Southern Copper's Toquepala mine",
        "2025-02-01",
        "economy, mining",
        [("Example source on Toquepala", "https://example.org/toquepala")],
        """\
        Toquepala is an open-pit copper mine of Southern Copper, Grupo México's subsidiary, in the Tacna region of Peru.
        Southern Copper's Toquepala mine employed about 2,000 workers in 2024, according to the company.
        """,
    ),
}

HOTEL = "Which hotel did López Obrador stay in during APEC San Francisco?"
FRUIT = "Which fruit did Peru sell most to Mexico in 2024?"
TONNES = "How many tonnes of copper did Toquepala produce in 2024?"
WORKERS = "How many workers did Toquepala employ in 2024?"
JOB = "What job did López Obrador hold at the APEC summit in San Francisco?"


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "noun"),
    [
        (HOTEL, {"hotel"}),
        ("What job did Lilia Paredes take in Mexico?", {"job"}),
        ("Which fruit tops Peru's farm sales to Mexico?", {"fruit"}),
        ("Which Mexican doctrine says that no recognition is needed?", {"doctrin"}),
        ("What approval rating did AMLO say Boluarte had?", {"approv", "rate"}),
        ("How many tonnes of copper did Toquepala produce in 2024?", {"tonn"}),
        # plain nouns: the kind of answer, or a title the corpus writes otherwise
        ("What day did López Obrador say he would attend?", set()),
        ("Which Mexican envoy had been thrown out of Bolivia?", set()),
        ("Which country mediated the restoration?", set()),
        ("What tally did Noroeste give for the vote?", set()),
        ("how many yrs did prosecutors first want?", set()),
        ("What said López Obrador when Congress declared him persona non grata?", set()),
        ("Who lodged the complaint?", set()),
    ],
)
def test_the_noun_a_question_asks_about(question: str, noun: set[str]) -> None:
    assert asked_nouns(question) == noun


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(
        tmp_path_factory.mktemp("focus"), CORPUS, embedder, decline_missing_focus=True
    )


def test_a_question_whose_noun_no_passage_holds_is_declined(service: QAService) -> None:
    resp = service.ask(HOTEL)
    assert not resp.found, resp.answer


def test_a_question_whose_noun_the_corpus_holds_is_answered(service: QAService) -> None:
    resp = service.ask(FRUIT)
    assert resp.found and "Grapes" in resp.answer, resp.answer


def test_without_the_check_the_hotel_question_is_answered_with_the_trip(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deciding, "FOCUS_DEPTH", {})
    resp = service.ask(HOTEL)
    assert resp.found and "San Francisco" in resp.answer, resp.answer


def test_the_full_check_is_off_by_default(service: QAService) -> None:
    # Measured on held-out 3 it declined three answerable "what" questions for one unanswerable one
    # (config.Settings.decline_missing_focus), so a service with default settings leaves those to
    # the scorer: the "what job" question is answered, the "which hotel" one is not.

    default = service_with(service, decline_missing_focus=False)
    assert Settings().decline_missing_focus is False and Settings().decline_missing_noun is True
    assert default.ask(JOB).found
    assert not default.ask(HOTEL).found


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sure"),
    [
        (HOTEL, True),
        (TONNES, True),
        ("and how much tax did Southern Copper pay?", True),
        ("What job did Lilia Paredes take in Mexico?", False),
        ("what brought Peña Nieto to Lima in December 2014", False),
    ],
)
def test_which_and_how_many_make_the_noun_sure(question: str, sure: bool) -> None:
    assert noun_is_asked(question) is sure


@pytest.fixture(scope="module")
def nouns_only(service: QAService) -> QAService:
    """The default check alone: the learned decline off, so only the noun decides."""

    update = {"decline_missing_focus": False, "decline_model": "constraints"}
    return service_with(service, **update)


def test_a_figure_whose_counted_noun_no_passage_holds_is_declined(nouns_only: QAService) -> None:
    resp = nouns_only.ask(TONNES)
    assert not resp.found and resp.citations == [], resp.answer
    answered = nouns_only.ask(WORKERS)
    assert answered.found and "2,000" in answered.answer, answered.answer


def test_without_the_noun_check_the_figure_is_answered_with_a_nearby_fact(
    nouns_only: QAService,
) -> None:

    # The unit check (decline_other_unit) declines "how many tonnes" too: off here, so the noun
    # check alone is what stands between the question and the nearby fact.
    off = service_with(nouns_only, decline_missing_noun=False, decline_other_unit=False)
    resp = off.ask(TONNES)
    assert resp.found and "Toquepala" in resp.answer, resp.answer
    assert off.ask(HOTEL).found


def test_a_spanish_question_is_not_held_to_apertiums_noun(nouns_only: QAService) -> None:
    # "How many jobs did the mine have": Apertium renders "empleos" as "uses", a noun no passage
    # holds; read on the translation, the noun check would decline a question the corpus answers
    # (it does with `resolved.language == "en"` taken out of Decider.decide).
    resp = nouns_only.ask("¿cuántos empleos tenía la mina Toquepala en 2024?")
    assert resp.found and "2,000" in resp.answer, resp.answer
