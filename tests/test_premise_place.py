"""A question that puts an act at the wrong place is corrected in the first sentence.

"The TLC was inked in Mexico City in April 2011: who signed it?" takes the place as given; the
corpus says the agreement was signed in Lima. On a real model and index over a small corpus this
module writes, the sentence that puts the act elsewhere (`constraints.relocates`) leads the answer
(`composing.premise_correction`, setting `premise_place_first`); a question that names the right place
keeps its order, and with the setting off the wrong place is answered as if it held. The fast tests
read the other premise classes of the same round: an act whose opposite the corpus reports
(`constraints.denies`: a visa lifted, consular ties kept), an act the corpus gives to someone
else under another word for it (`constraints.misattributed` with `constraints.act_forms`), and an
act the corpus puts in another year (`deciding.other_year_act`, setting `lead_other_year_act`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.composing import led_by_correction, premise_correction
from qa_service.config import Settings
from qa_service.constraints import act_forms, denies, misattributed, places_act_there, relocates
from qa_service.deciding import Decision, Scored, other_year_act
from qa_service.scoring import Candidate
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "trade-2011": document(
        "The Mexico–Peru Trade Integration Agreement of 2011",
        "2012-02-01",
        "trade",
        [("Example source on the agreement", "https://example.org/tlc")],
        """\
        Peruvian media often call the Trade Integration Agreement the Peru–Mexico TLC (tratado de libre comercio).
        Officials from Mexico City travelled to the signing of the TLC in April 2011.
        The Trade Integration Agreement was signed in Lima on 6 April 2011.
        The agreement entered into force on 1 February 2012.
        """,
    ),
    "non-grata": document(
        "Peru's Congress and the Mexican presidents",
        "2023-05-26",
        "diplomacy",
        [("Example source on the votes", "https://example.org/votes")],
        """\
        On 25 May 2023, Peru's Congress declared Andrés Manuel López Obrador persona non grata by 65 votes to 40.
        In November 2022, Peru's Congress voted 58 to 51 against authorising Pedro Castillo's trip to Mexico.
        """,
    ),
}
YEAR_FALSE = "peru's congress made amlo non grata in 2022 - what was the final vote"
FALSE = "the tlc was inked in mexico city in april 2011 - who signed it"
CORRECTION = "signed in Lima"
KNOWN = frozenset({"mexico", "city", "lima", "colombian", "peru", "todo", "pueblo", "apec", "g20"})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-place"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "moved"),
    [
        (FALSE, "The Trade Integration Agreement was signed in Lima on 6 April 2011.", True),
        (
            "how long did alan garcia stay at mexico's embassy after the 1992 self coup",
            "Alan García later asked for asylum at the Colombian embassy.",
            True,
        ),
        (
            "why did betssy chavez resign from peru libre to join todo con el pueblo",
            "Betssy Chávez resigned from Todo con el Pueblo in a letter dated 24 December 2025.",
            True,
        ),
        # A place the question capitalises, whether or not the sentences write it.
        (
            "What day in 1924 was APRA founded in Chiclayo?",
            "APRA was founded in Mexico City on 7 May 1924.",
            True,
        ),
        # The right place; a sentence that names the asked place too; another act at another place.
        ("when was the agreement signed in lima", "The agreement was signed in Lima.", False),
        (
            "when did the council meet in mexico city",
            "The council met in Mexico City in 2016 and in Lima in 2017.",
            False,
        ),
        (
            "the tlc was inked in mexico city - who signed it",
            "Mexico opened its embassy in Lima.",
            False,
        ),
        (
            "what did sheinbaum talk about at the apec summit in lima 2024",
            "Sheinbaum attended the G20 summit in Brazil while declining to take part in APEC 2024.",
            False,
        ),
    ],
)
def test_an_act_put_at_another_place_is_read_as_the_same_act(
    question: str, sentence: str, moved: bool
) -> None:
    assert relocates(question, sentence, KNOWN) is moved


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "denied"),
    [
        (
            "what made mexico bring in a visa for peruvians back in 2012",
            "Mexico removed the visa requirement for Peruvian visitors in November 2012.",
            True,
        ),
        (
            "why did peru also sever consular links with mexico in nov 2025",
            "Mexico said that consular relations would be kept.",
            True,
        ),
        # Another year's lifting; what was kept is not what was asked broken off; the sentence
        # tells the asked act too.
        (
            "why did mexico impose a visa on peruvians in 2024",
            "Mexico removed the visa requirement for Peruvian visitors in November 2012.",
            False,
        ),
        (
            "why did peru sever consular links with mexico",
            "Trade between the two countries continued.",
            False,
        ),
        (
            "why did peru break off relations with mexico",
            "Peru broke off diplomatic relations and kept consular relations.",
            False,
        ),
    ],
)
def test_the_opposite_act_denies_what_was_asked(question: str, sentence: str, denied: bool) -> None:
    assert denies(question, sentence) is denied


@pytest.mark.fast
def test_an_act_is_read_under_the_words_the_retriever_takes_for_it() -> None:
    assert {"broke", "broken", "severed"} <= act_forms("sever")
    said = (
        "After Peru broke off diplomatic relations with Mexico in November 2025, Brazil took over."
    )
    assert misattributed("why did mexico sever diplomatic ties with lima in 2025", [said]) == said
    assert misattributed("why did peru sever diplomatic ties with mexico in 2025", [said]) is None


def test_the_sentence_putting_the_act_elsewhere_leads(service: QAService) -> None:
    first = answer_sentences(service, FALSE)[0]
    assert CORRECTION in first, first


def test_a_question_naming_the_right_place_keeps_its_order(service: QAService) -> None:
    first = answer_sentences(service, "when did the trade integration agreement enter into force")[
        0
    ]
    assert "1 February 2012" in first, first


TRUE_PLACE = "when did peru open its embassy in mexico city"


@pytest.mark.fast
def test_a_sentence_putting_the_act_at_the_asked_place_confirms_it() -> None:
    known = KNOWN
    assert places_act_there(TRUE_PLACE, "Peru opened its embassy in Mexico City in 1966.", known)
    assert not places_act_there(TRUE_PLACE, "Mexico opened its embassy in Lima in 1937.", known)
    # The asked place named for another thing confirms nothing.
    officials = "Officials from Mexico City travelled to the signing of the TLC in April 2011."
    assert not places_act_there(FALSE, officials, known)


def _scored(*texts: str) -> Scored:
    cands = [Candidate(i, 0, 0, t, None, False, 0, *([0.0] * 18)) for i, t in enumerate(texts)]
    return Scored(cands, [1.0 - 0.05 * i for i in range(len(texts))])


@pytest.mark.fast
def test_a_true_place_is_not_corrected_by_a_sibling_act_elsewhere() -> None:
    """A first sentence that puts the act where the question does keeps its place: the same act
    elsewhere, scored close, is a sibling, not a correction (retired tuning cases history-06 and
    h4-024 lost their first sentence to it before `constraints.places_act_there`)."""
    there = "Peru opened its embassy in Mexico City in 1966."
    sibling = "Peru opened its embassy in Buenos Aires in 1950."
    scored = _scored(there, sibling)
    decision = Decision("answer", scored.candidates, scored.scores)
    correction = premise_correction(TRUE_PLACE, scored.candidates, decision)
    kept = led_by_correction(scored.candidates, correction, 3)
    assert [c.text for c in kept] == [there, sibling]
    # Asked at another place, the sibling still reads as moving the act (it may correct that one).
    assert relocates(TRUE_PLACE.replace("mexico city", "lima"), sibling, KNOWN)


@pytest.mark.fast
def test_an_act_the_corpus_puts_in_another_year_is_found_among_all_candidates() -> None:
    declared = (
        "On 25 May 2023, Peru's Congress declared López Obrador persona non grata by 65 votes."
    )
    other = "The vote of 6 November 2022 was announced by the acting president of Congress."
    asked = "peru's congress made amlo non grata in 2022 - what was the final vote"
    found = other_year_act(asked, _scored(declared, other), _scored(other), 0.18)
    assert found is not None and found.text == declared
    # Asked of its own year, or of a span of time, the sentence is no correction.
    own = asked.replace("2022", "2023")
    assert other_year_act(own, _scored(declared, other), _scored(declared), 0.18) is None
    span = "how long after 2022 did peru's congress make amlo non grata"
    assert other_year_act(span, _scored(declared, other), _scored(other), 0.18) is None
    # A part of a two-part question: the year its other part names is not another year.
    whole = "amlo's non grata vote in 2023 vs the final vote of 2022"
    assert other_year_act(asked, _scored(declared, other), _scored(other), 0.18, whole) is None
    # A sentence that lacks what the kept best holds of the question is on another subject.
    vote = "The final vote of 2022 in Congress was 58 to 51."
    assert other_year_act(asked, _scored(declared, vote), _scored(vote), 0.18) is None


def test_an_act_put_in_another_year_is_answered_with_the_year_the_corpus_gives_first(
    service: QAService,
) -> None:
    first = answer_sentences(service, YEAR_FALSE)[0]
    assert "25 May 2023" in first, first


# With the place rule off, `slot_filler_first` (2 December 2026) would lead with the correction
# too, for another reason: the first sentence of "who signed it" ("Officials from Mexico City…")
# names no one the question does not, and "…signed in Lima on 6 April 2011" gives a date and a
# name. So the place case turns both off to show what the place rule alone does.
@pytest.mark.parametrize(
    ("setting", "question", "correction", "also_off"),
    [
        ("premise_place_first", FALSE, CORRECTION, ("slot_filler_first",)),
        ("lead_other_year_act", YEAR_FALSE, "25 May 2023", ()),
    ],
    ids=["place", "year"],
)
def test_without_the_setting_the_premise_is_answered_as_if_it_held(
    service: QAService, setting: str, question: str, correction: str, also_off: tuple[str, ...]
) -> None:
    off = service_with(service, **{name: False for name in (setting, *also_off)})
    assert getattr(Settings(), setting) is True
    first = answer_sentences(off, question)[0]
    assert correction not in first, first
