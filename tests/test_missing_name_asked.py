"""A name asked of a thing is filled only by a name: on a real model and a real index built from a
small corpus this module writes, "What's the name of the Peruvian company that planned a jewellery
plant in Querétaro?" finds only the ambassador who spoke of the company and is declined
(`decline_missing_name_asked`), the decline quoting what the corpus does say, while "What was the name of
the Peruvian frigate that carried aid to Veracruz?" is answered with the frigate's name. With the
setting off, the ambassador's sentence answers the first question."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import asked_name_noun, names_new_thing, terms
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "jewellery": document(
        "A Peruvian jewellery plant in Mexico",
        "2025-11-10",
        "economy",
        [("Example source on the plant", "https://example.org/plant")],
        """\
        In May 2016 the ambassador Ernesto Campos said a Peruvian company planned to open a jewellery plant in Querétaro.
        Campos did not name the company.
        The plant was to employ workers from Querétaro.
        """,
    ),
    "frigate": document(
        "Peruvian aid to Mexico in the 1860s",
        "2025-11-10",
        "history",
        [("Example source on the aid", "https://example.org/aid")],
        """\
        The Peruvian frigate Amazonas carried aid to Veracruz in 1865.
        The aid was raised by Peruvian liberals.
        """,
    ),
}

COMPANY = "What's the name of the Peruvian company that planned a jewellery plant in Querétaro?"
FRIGATE = "What was the name of the Peruvian frigate that carried aid to Veracruz?"


@pytest.mark.fast
def test_the_reader() -> None:
    assert asked_name_noun(COMPANY) == (True, False)
    assert asked_name_noun("name of the guy who wrote the letter") == (True, True)
    assert asked_name_noun("1836 - castilla hid on a french warship, what was it called") == (
        True,
        False,
    )
    assert asked_name_noun("who wrote the letter") == (False, False)
    speaker = "In May 2016 the ambassador Ernesto Campos said a Peruvian company planned a plant in Querétaro."
    assert not names_new_thing(COMPANY, speaker, persons=False)
    assert names_new_thing("name of the guy who spoke of the plant", speaker, persons=True)
    # a person named by a part of the name is still a person; a source is no answer
    people = frozenset(terms("Ernesto Campos"))
    assert not names_new_thing(COMPANY, "Campos did not name the company.", False, people)
    assert not names_new_thing(
        COMPANY, "A plant was planned, according to Crónica del Poder.", False
    )
    assert names_new_thing(FRIGATE, "The Peruvian frigate Amazonas carried aid to Veracruz.", False)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("name-asked"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_name_the_corpus_lacks_is_declined(service: QAService) -> None:
    assert service.settings.decline_missing_name_asked is True
    resp = service.ask(COMPANY)
    assert not resp.found and resp.citations == [], resp.answer
    resp = service.ask(FRIGATE)
    assert resp.found and "Amazonas" in resp.answer, resp.answer


def test_without_the_setting_the_speaker_answers(service: QAService) -> None:
    resp = service_with(service, decline_missing_name_asked=False).ask(COMPANY)
    assert resp.found and "Ernesto Campos" in resp.answer, resp.answer
