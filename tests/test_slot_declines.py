"""The slot a question asks must be filled by its best sentences, not only its words: on a real model
and a real index built from a small corpus this module writes,

- a count asked ("How many Peruvians applied for asylum in Mexico in 2024?") is not filled by the
  year's trade in dollars, and is declined (`count_of_things`);
- a day asked ("On what exact day in 1987 was the complementation agreement signed?") is not filled
  by the year alone, and is declined quoting what the corpus holds (`decline_missing_day`), while a
  day the corpus gives ("On what exact day was the integration agreement signed?") is answered;
- a role asked by its verb ("Who heads the Peruvian consulate in Tijuana?") is not filled by a
  sentence naming no one, and a sum asked as a profit ("the Lima society's net profit in 1862") by a
  sentence stating none (`wider_slot_wordings`);
- a country's title asked ("Who is Mexico's consul general in Lima?") is not filled by the title
  posted in that country ("Manuel Corpancho consul general in Mexico", Peru's) (`title_posting`).

With each setting off, the same sentences answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import (
    asks_for_count,
    asks_for_day,
    asks_for_money,
    asks_for_person,
    asks_for_rate,
    counts_of_things,
    fills_title,
    gives_day,
    gives_rate,
    names_quantity,
    term_set,
)
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "migration": document(
        "Peruvians in Mexico",
        "2025-11-10",
        "migration",
        [("Example source on migration", "https://example.org/migration")],
        """\
        In 2024, trade between Mexico and Peru totalled US$2,507 million, according to the trade ministry.
        In 2024, Peruvians in Mexico were the subject of a new visa requirement for visitors.
        Peruvians in Mexico worked mostly in the medical and culinary sectors in 2024.
        The Peruvian consulate in Tijuana opened in 2019 to serve Peruvians in the north of Mexico.
        """,
    ),
    "agreements": document(
        "Trade agreements",
        "2012-02-01",
        "trade",
        [("Example source on the agreements", "https://example.org/agreements")],
        """\
        The complementation agreement between Mexico and Peru dated from 1987 and was expanded in 2000.
        The integration agreement between Mexico and Peru was signed in Lima on 6 April 2011.
        """,
    ),
    "society": document(
        "The Lima society of 1862",
        "2020-05-01",
        "history",
        [("Example source on the society", "https://example.org/society")],
        """\
        In 1862 a society was founded in Lima to send material help to the Mexican republicans fighting the French.
        The Lima society's founders included a newspaper director and its chief editor.
        """,
    ),
    "consuls": document(
        "Consuls of the nineteenth century",
        "2020-05-01",
        "history",
        [("Example source on the consuls", "https://example.org/consuls")],
        "In 1861 the government in Lima named the poet Manuel Corpancho consul general in Mexico.",
    ),
}

COUNT = "How many Peruvians applied for asylum in Mexico in 2024?"
DAY = "On what exact day in 1987 was the complementation agreement signed?"
DAY_GIVEN = "On what exact day was the integration agreement signed?"
HEADS = "Who heads the Peruvian consulate in Tijuana?"
MONEY = "the Lima society's net profit in 1862"
CONSUL = "Who is Mexico's consul general in Lima?"


@pytest.mark.fast
def test_the_readers() -> None:
    assert asks_for_count("number of visa applications filed by peruvians at mexican consulates")
    assert asks_for_count("mexican tourists to peru in 2022, how many")
    assert not asks_for_count("how many tonnes of copper did the smelter produce")
    peruvians = term_set("peruvians")
    assert not counts_of_things("Trade totalled US$2,507 million in 2024.", peruvians)
    assert not counts_of_things("Exports grew 16.4% in 2022.", peruvians)
    assert not counts_of_things("A farming valley of about 12,800 hectares.", peruvians)
    assert not counts_of_things("Mexico was Peru's 20th trading partner.", peruvians)
    assert counts_of_things("850 Peruvians lived in that Mexican state.", peruvians)
    # a decree's number is no count for "how many", but "the number of the decree" asks for it
    decree = "Peru imposed a visa through Supreme Decree 011-2024-RE."
    assert not counts_of_things(decree, peruvians, codes=True)
    assert counts_of_things(decree, peruvians)
    assert asks_for_day("on what exact day in 1987 was ace 8 signed")
    assert asks_for_day("on which date did peru and mexico restore relations")
    assert not asks_for_day("when was ace 8 signed")
    assert gives_day("On 4 July 1974, the Commission approved the visit.")
    assert gives_day("held from 9 to 16 November 2024")
    assert not gives_day("ACE 8 dated from 1987 and was expanded in 2000.")
    question = "how much money did the lima society send to juarez's side"
    assert asks_for_money(question, wide=True) and not asks_for_money(question)
    question = "peru's consulate in mexico city, who heads it"
    assert asks_for_person(question, wide=True) and not asks_for_person(question)
    question = "who runs the mexican premises in lima"
    assert asks_for_person(question, wide=True) and not asks_for_person(question)
    assert not asks_for_person("which brazilian official is in charge of the premises", wide=True)
    corpancho = "Peru named Manuel Corpancho consul general in Mexico in 1861."
    question = "who is mexico's consul general in lima"
    assert fills_title(question, corpancho) and not fills_title(question, corpancho, posting=True)
    assert fills_title("who is peru's consul general in mexico", corpancho, posting=True)
    assert asks_for_rate("what is mexico's import duty on peruvian avocados")
    assert not asks_for_rate("what share of goods went duty free once the protocol kicked in")
    assert gives_rate("92% of goods became tariff-free") and gives_rate("exempt from duties")
    assert not gives_rate("more than 12,000 products enter Mexico with preferential tariffs")
    question = "what did bilateral commerce add up to in 2017"
    assert names_quantity(question, wide=True) and not names_quantity(question)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("slot-declines"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_count_is_not_filled_by_a_sum(service: QAService) -> None:
    assert service.settings.count_of_things is True
    resp = service.ask(COUNT)
    assert not resp.found and resp.citations == [], resp.answer


def test_a_day_is_not_filled_by_a_year(service: QAService) -> None:
    assert service.settings.decline_missing_day is True
    resp = service.ask(DAY)
    assert not resp.found and resp.citations == [], resp.answer
    # the decline quotes what the corpus does hold on the agreement
    assert "dated from 1987" in resp.answer, resp.answer
    resp = service.ask(DAY_GIVEN)
    assert resp.found and "6 April 2011" in resp.answer, resp.answer


def test_wider_wordings_of_a_role_and_a_sum(service: QAService) -> None:
    assert service.settings.wider_slot_wordings is True
    for question in (HEADS, MONEY):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)


def test_a_title_posted_at_home_is_another_countrys(service: QAService) -> None:
    assert service.settings.title_posting is True
    resp = service.ask(CONSUL)
    assert not resp.found and resp.citations == [], resp.answer


def test_without_the_settings_the_sentences_answer(service: QAService) -> None:
    off = service_with(
        service,
        count_of_things=False,
        decline_missing_day=False,
        wider_slot_wordings=False,
        title_posting=False,
        # The unit check declines MONEY's "net profit" too: off, so these settings are what decline.
        decline_other_unit=False,
    )
    resp = off.ask(CONSUL)
    assert resp.found and "Corpancho" in resp.answer, resp.answer
    assert off.ask(COUNT).found
    resp = off.ask(DAY)
    assert resp.found and "1987" in resp.answer, resp.answer
    for question in (HEADS, MONEY):
        resp = off.ask(question)
        assert resp.found, (question, resp.answer)
