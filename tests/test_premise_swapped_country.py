"""A question that gives a country another country's role is answered first by the corpus's country.

"Why did Rafael Ortega stay holed up at the Mexican embassy in Lima" takes the embassy as Mexico's;
the corpus says he sought asylum at the Colombian embassy. The sentences on why he stayed score
best, the one naming the embassy lower: quoted after them, or not at all, the premise stands. On a real
model and index over a small corpus this module writes, the best ranked sentence on the event (holding
the question's names) that gives the role (an embassy, a consulate, a protecting power) to a country the
question does not name, and not to the question's, leads (`composing.premise_correction`, setting
`premise_swapped_country_first`, `constraints.swapped_country`); with the setting off the premise is
answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import _ROLE, _role_countries, swapped_country
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "ortega": document(
        "The asylum of Rafael Ortega (1949-1954)",
        "1954-04-06",
        "asylum",
        [("Example source on the asylum", "https://example.org/ortega")],
        """\
        Rafael Ortega stayed holed up in Lima because the government refused him a safe conduct.
        Rafael Ortega stayed holed up in Lima because the government called him a common criminal.
        Rafael Ortega had sought asylum at the Colombian embassy on the night of 3 January 1949.
        """,
    ),
}
WRONG = "why did rafael ortega stay holed up at the mexican embassy in lima"
CORRECTION = "Colombian embassy"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-swapped-country"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("text", "role", "countries"),
    [
        ("how long did he stay at the mexican mission in lima", "embassy", {"mexico"}),
        ("he was sheltered in the embassy of Colombia", "embassy", {"colombia"}),
        (
            "why did mexico ask colombia to be its protecting power",
            "protecting power",
            {"colombia"},
        ),
        # a capital after the noun is where the embassy is, not whose
        ("how long did he stay at the embassy in lima", "embassy", set()),
        # a language's name is no holder
        ("the Spanish-language article showed both embassies", "embassy", set()),
    ],
)
def test_a_country_in_a_role(text: str, role: str, countries: set[str]) -> None:
    assert _role_countries(text, _ROLE[role]) == countries


SENTENCES = [
    "Rafael Ortega stayed holed up for five years.",
    "Betssy Chávez stayed in the Mexican embassy in Lima.",
    "Rafael Ortega had sought asylum at the Colombian embassy in Lima.",
]
HEADED = [f"{s} The asylum of Rafael Ortega" for s in SENTENCES]


@pytest.mark.fast
def test_the_swapped_country_on_the_questions_event() -> None:
    known = frozenset({"rafael", "ortega"})
    # another asylum's Mexican embassy (no name of the question) does not confirm the premise
    assert swapped_country(WRONG, SENTENCES, HEADED, known) == 2
    # the question's own country in the role: nothing swapped
    right = "why did rafael ortega stay holed up at the colombian embassy in lima"
    assert swapped_country(right, SENTENCES, HEADED, known) is None
    # no country given a role
    assert (
        swapped_country("how long did rafael ortega stay holed up", SENTENCES, HEADED, known)
        is None
    )


def test_the_corpus_country_leads(service: QAService) -> None:
    first = answer_sentences(service, WRONG)[0]
    assert CORRECTION in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_swapped_country_first is True
    off = service_with(service, premise_swapped_country_first=False)
    assert CORRECTION not in answer_sentences(off, WRONG)[0]
