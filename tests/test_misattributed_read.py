"""Who did a question's act is read from more than the capitalised words before the sentence's verb.

The misattributed-act decline (`constraints.misattributed`) compared the names before a sentence's
verb with the question's doer, so "why did the government declare an emergency…" was declined by
"The Peruvian government declared a state of emergency…" (a doer given by its role), "when did peru
name … corpancho" by "President Ramón Castilla named…" (a president for their country), and "where
did celac hold its founding summit" by "The Pacific Alliance summit held at Paracas…" (a participle).
With `misattributed_read_doers` (`constraints.Doers`, read from the corpus) those true premises are
answered, while a premise naming the wrong country or the wrong passive's agent is still declined.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import doers, misattributed
from tests.conftest import EMBASSIES, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

EMERGENCY = "The Peruvian government declared a state of emergency over Tía María on 22 May 2015."
NAMED = "President Ramón Castilla named Manuel Nicolás Corpancho chargé d'affaires in Mexico in November 1861."
WHOSE = "Peru's president at the time was Marshal Ramón Castilla."
CORPUS = {
    "emergency": document(
        "The Tía María emergency of 2015",
        "2015-06-01",
        "mining",
        [("Example source on Tía María", "https://example.org/tia-maria")],
        f"{EMERGENCY}\nThe protests against the Tía María copper mine had left three dead.\n",
    ),
    "corpancho": document(
        "Manuel Nicolás Corpancho in Mexico",
        "2010-01-01",
        "diplomacy",
        [("Example source on Corpancho", "https://example.org/corpancho")],
        f"{NAMED}\n{WHOSE}\n",
    ),
    "embassies": EMBASSIES,
}
KNOWN = doers([EMERGENCY, NAMED, WHOSE, "The treaty was signed by Chile and Colombia in 2011."])
TRUE_ROLE = "why did the government declare an emergency over tia maria in may 2015"
TRUE_COUNTRY = "when did peru name the poet corpancho as its charge d'affaires in mexico"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("misattributed_read"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "wrong"),
    [
        (TRUE_ROLE, EMERGENCY, False),
        ("why did the mexican government declare an emergency over tia maria", EMERGENCY, True),
        (TRUE_COUNTRY, NAMED, False),
        ("when did mexico name the poet corpancho as its charge d'affaires in lima", NAMED, True),
        (
            "where did celac hold its founding summit in dec 2011",
            "The Pacific Alliance summit held at Paracas, Peru, on 1–3 July 2015 preceded the entry into force.",
            False,
        ),
        (
            "why did mexico sign the treaty in 2011",
            "The treaty was signed by Chile and Colombia in 2011.",
            True,
        ),
        (
            "why did torre tagle complain to mexico about chavez",
            "Peru's foreign ministry complained to Mexico about Chávez.",
            False,
        ),
    ],
)
def test_who_did_it_is_read_from_roles_presidents_agents_and_participles(
    question: str, sentence: str, wrong: bool
) -> None:
    assert (misattributed(question, [sentence], True, known=KNOWN) == sentence) is wrong


@pytest.mark.fast
def test_the_corpus_says_whose_president_someone_was() -> None:
    assert KNOWN.presidents["cast"] == "peru"


def test_a_true_premise_given_by_role_or_country_is_answered(service: QAService) -> None:
    assert Settings().misattributed_read_doers is True
    for question in (TRUE_ROLE, TRUE_COUNTRY):
        resp = service.ask(question)
        assert resp.found, (question, resp.answer)


def test_a_premise_naming_the_wrong_country_is_still_declined(service: QAService) -> None:
    resp = service.ask("why did the mexican government declare an emergency over tia maria in 2015")
    assert not resp.found, resp.answer


def test_without_the_setting_the_true_premises_are_declined(service: QAService) -> None:
    off = service_with(service, misattributed_read_doers=False)
    for question in (TRUE_ROLE, TRUE_COUNTRY):
        assert not off.ask(question).found, question
