"""A sentence that gives the question's act the other way round leads the answer.

"On what day in 2025 did mexico sever relations with peru" takes Mexico as the one who broke them
off; the corpus says Peru broke off relations with Mexico. A sentence dating the day relations were
severed without saying who severed them scores best: quoted first, the premise stands. On a real model and index over a
small corpus this module writes, the sentence that gives the act to the one the question says it was
done to (`constraints.reverses_act`) comes first (`composing.premise_correction`, setting
`premise_reversed_first`); a question asked the right way round keeps its order, and with the
setting off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import reverses_act
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "rupture-2025": document(
        "The rupture of 3 November 2025",
        "2025-11-10",
        "diplomacy",
        [("Example source on the rupture", "https://example.org/rupture")],
        """\
        The rupture of 3 November 2025 was the first full break in diplomatic relations between Mexico and Peru since 1932.
        Relations between Mexico and Peru were severed on the day of the rupture, Monday 3 November 2025.
        On 3 November 2025, Peru broke off diplomatic relations with Mexico after Mexico granted asylum to Betssy Chávez.
        Juan Ramón de la Fuente was Mexico's foreign secretary when Peru broke off relations in November 2025.
        """,
    ),
}
FALSE = "on what day in 2025 did mexico sever relations with peru"
REVERSED = "Peru broke off diplomatic relations with Mexico"
KNOWN = frozenset({"mexico", "peru", "november", "juan", "ramon", "fuente", "betssy", "chavez"})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-reversed"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "reversed_"),
    [
        (FALSE, "On 3 November 2025, Peru broke off diplomatic relations with Mexico.", True),
        (
            "Why did Mexico expel Peru's ambassador in December 2022?",
            "On 20 December 2022, Peru expelled Mexico's ambassador Pablo Monroy.",
            True,
        ),
        # Asked the right way round.
        (
            "when did peru break off relations with mexico",
            "On 3 November 2025, Peru broke off diplomatic relations with Mexico.",
            False,
        ),
        # The doer is the one in the verb's own clause: here Peru, and Mexico is no one it was done to.
        (
            FALSE,
            "Juan Ramón de la Fuente was Mexico's foreign secretary when Peru broke off relations in 2025.",
            False,
        ),
        # Another act on another thing ("relations" not among its words).
        (FALSE, "Peru broke off talks with Mexico.", False),
        # A passive says nothing of who did it.
        (FALSE, "Relations were broken off by Peru with Mexico.", False),
    ],
)
def test_an_act_given_the_other_way_round_is_read(
    question: str, sentence: str, reversed_: bool
) -> None:
    assert reverses_act(question, sentence, KNOWN) is reversed_


def test_the_sentence_giving_the_act_the_other_way_round_leads(service: QAService) -> None:
    first = answer_sentences(service, FALSE)[0]
    assert REVERSED in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:

    off = service_with(service, premise_reversed_first=False)
    assert Settings().premise_reversed_first is True
    first = answer_sentences(off, FALSE)[0]
    assert REVERSED not in first, first
