"""The best sentence must hold what kind of thing the question asks for, about the event it asks
about: on a real model and a real index built from a small corpus this module writes,

- "Who was Mexico's first consul in Lima?" finds "In October 1892, Mexico opened its first
  consulate in Lima.", which names no consul: declined (`decline_missing_person`), while "Who was
  Peru's first envoy to Mexico?" is answered with the envoy's name;
- "How many Mexican citizens live in Peru?" finds the census count of Peruvians living in Mexico: declined
  with what the corpus does say (its sentence names no place the direction check can read) (`decline_other_event`), while its twin is answered;
- "When did Interjet stop flying to Lima?" finds when Interjet began: declined, its twin answered.

With both checks off the three are answered with the sentences on the other thing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.constraints import opposite_event, other_people
from qa_service.reading import asks_for_person, names_new_person, person_names
from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "diplomats": document(
        "First diplomats between Mexico and Peru",
        "2024-05-01",
        "history, diplomacy",
        [("Example source on diplomats", "https://example.org/diplomats")],
        """\
        José de Morales y Ugalde was Peru's first envoy to Mexico, received in 1823.
        In October 1892, Mexico opened its first consulate in Lima.
        """,
    ),
    "community": document(
        "The Peruvian community in Mexico",
        "2024-05-01",
        "society",
        [("Example source on migration", "https://example.org/community")],
        """\
        In 2020, 8,670 Peruvian citizens lived in the country, according to Mexico's census.
        Most of them lived in Mexico City and Jalisco.
        """,
    ),
    "flights": document(
        "Flights between Mexico and Lima",
        "2024-05-01",
        "transport",
        [("Example source on flights", "https://example.org/flights")],
        "The Mexican airline Interjet began flying to Lima in May 2016, with seven daily frequencies from Mexico City.",
    ),
}

CONSUL = "Who was Mexico's first consul in Lima?"
ENVOY = "Who was Peru's first envoy to Mexico?"
MEXICANS = "How many Mexican citizens live in Peru?"
PERUVIANS = "How many Peruvian citizens live in Mexico?"
STOP = "When did Interjet stop flying to Lima?"
BEGIN = "When did Interjet begin flying to Lima?"


@pytest.mark.fast
def test_the_readers() -> None:
    assert asks_for_person(CONSUL) and asks_for_person("who signed the 2002 treaty")
    assert asks_for_person("name of mexico's envoy in lima")
    # a role in a subordinate clause is not what is asked; a country "represents" another
    assert not asks_for_person("Who was on Mexico's throne when Peru's envoy arrived?")
    assert not asks_for_person("Who represents Mexico's interests in Peru?")
    assert not asks_for_person(MEXICANS)
    # titles, sources and institutions are not people
    said = (
        "Peruvian Foreign Minister Elmer Schialer met the Supreme Court, according to El Comercio."
    )
    assert person_names(said) == ("Elmer Schialer",)
    assert person_names("In October 1892, Mexico opened its first consulate in Lima.") == ()
    assert names_new_person(CONSUL, said)
    assert not names_new_person("Who met Elmer Schialer?", said)
    census = "Mexico's 2020 census counted 8,670 Peruvian citizens living in the country."
    assert other_people(MEXICANS, census) and other_people(
        "mexican nationals residing in peru", census
    )
    assert not other_people(PERUVIANS, census)
    began = "The Mexican airline Interjet began flying to Lima in May 2016."
    assert opposite_event(STOP, began) and not opposite_event(BEGIN, began)
    assert not opposite_event(STOP, "Interjet stopped flying after it began in 2016.")


def _service(root: pytest.TempPathFactory, embedder: Embedder, on: bool) -> QAService:
    # The learned decline off, so that only these checks decide.
    return service_over(
        root.mktemp("answer-kind"),
        CORPUS,
        embedder,
        decline_model="constraints",
        decline_missing_person=on,
        decline_other_event=on,
        decline_unfilled_slot=on,
    )


def test_the_other_thing_is_declined_and_the_twins_answered(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=True)
    for question in (CONSUL, MEXICANS, STOP):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)
    # the decline says what the corpus does hold on the other direction
    assert "8,670 Peruvian citizens" in service.ask(MEXICANS).answer
    for question, expected in (
        (ENVOY, "Morales y Ugalde"),
        (PERUVIANS, "8,670"),
        (BEGIN, "May 2016"),
    ):
        resp = service.ask(question)
        assert resp.found and expected in resp.answer, (question, resp.answer)


def test_without_the_checks_the_other_thing_is_answered(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=False)
    for question, said in ((CONSUL, "1892"), (MEXICANS, "8,670"), (STOP, "May 2016")):
        resp = service.ask(question)
        assert resp.found and said in resp.answer, (question, resp.answer)
