"""A question asking where is answered by the sentence naming the place.

"pacific treaty signing ceremony location?": the sentence on the treaty's ratification shares the
question's words and scores best, but names no place; the one saying it was signed "in Valparaíso,
Chile" holds what is asked. Read as asking for a place (`reading.asks_place`, setting
`read_place_slot`), it leads; without the reading, the ratification does. A place the corpus's
passages nearly all name ("in Lima" in a corpus on Peru) places nothing (`reading.places_in`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.reading import Asked, asked_in_context, asks_place, fills_slot, places_in
from tests.conftest import APEC_2024, answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "treaty": document(
        "The Pacific Treaty",
        "2021-08-01",
        "trade",
        [("Example source on the treaty", "https://example.org/treaty")],
        """\
        Peru deposited its ratification of the Pacific Treaty with the depositary on 21 July 2021, years after the signing.

        The Pacific Treaty entered into force for Peru on 19 September 2021.

        Eleven economies signed the treaty in Valparaíso, Chile, on 8 March 2018: Australia, Brunei Darussalam, Canada, Chile, Japan, Mexico, Malaysia, New Zealand, Peru, Singapore and Viet Nam.
        """,
    ),
    # Passages on other subjects: a place one passage in four or more names is too common to answer
    # where (`reading.places_in`), so the corpus holds more than the two passages the tests ask about.
    "apec": APEC_2024,
    **{
        f"visit-{year}": document(
            f"A visit to Peru in {year}",
            f"{year}-05-01",
            "diplomacy",
            [(f"Example source on {year}", f"https://example.org/visit-{year}")],
            f"A Mexican delegation visited Lima in {year} to discuss trade and culture with Peru.",
        )
        for year in (2014, 2015, 2016, 2017)
    },
}
WHERE = "pacific treaty signing ceremony location?"
PLACE = "Valparaíso"
RATIFIED = "deposited its ratification"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("place-slot"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("where did betsy chaves study law", True),
        ("what city was amlo in for the feb 17 2023 press conference", True),
        ("cptpp signing ceremony location?", True),
        ("melchor de talamantes - born where", True),
        # A rank or a state, not a place.
        ("Where did Mexico rank among Peru's trade partners in 2014?", False),
        ("peru 2026 election, where do things stand", False),
        ("when was the cptpp signed", False),
    ],
)
def test_a_question_asking_where_asks_for_a_place(question: str, place: bool) -> None:
    assert asks_place(question) is place
    kind = asked_in_context(question, "", slots=True, places=True).kind
    assert (kind == "place") is place or kind not in ("other", "place")


@pytest.mark.fast
def test_a_place_fills_the_slot_unless_the_question_or_the_corpus_gives_it_everywhere() -> None:
    asked = Asked("place", frozenset(), frozenset(), common=frozenset({"lima", "peru"}))
    assert places_in(asked, "Eleven economies signed it in Santiago, Chile, on 8 March 2018.")
    assert fills_slot(asked, "It was signed in Santiago, Chile.", WHERE)
    # A month dates, it does not place; the corpus's commonest places and the question's own are no answer.
    assert not places_in(asked, "In March 2018 eleven economies signed it.")
    assert not fills_slot(asked, "It was signed in Lima.", WHERE)
    assert not fills_slot(asked, "It was signed in Santiago.", "was it signed in santiago")


def test_the_sentence_naming_the_place_leads(service: QAService) -> None:
    sentences = answer_sentences(service, WHERE)
    assert PLACE in sentences[0], sentences


def test_without_the_place_reading_the_ratification_leads(service: QAService) -> None:
    off = service_with(service, read_place_slot=False)
    assert Settings().read_place_slot is True
    sentences = answer_sentences(off, WHERE)
    assert RATIFIED in sentences[0], sentences
