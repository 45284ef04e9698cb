"""A question that has two countries act together, when one had not yet done it, is corrected first.

"When peru and mexico both started under the cptpp on day one in dec 2018, what changed for their trade?"
takes a shared start as given; the corpus says Mexico was a party from 30 December 2018 and that Peru
had not yet ratified the agreement then. The sentences on Mexico's start score best, the one saying
Peru had not yet done it lower (it holds no date): quoted after them, the premise stands. On a real
model and index over a small corpus this module writes, the sentence saying one of the joined had not
yet done it (`constraints.split_joint`) leads (`composing.premise_correction`, setting
`premise_joint_first`); a true question on the shared date keeps its answer, and with the setting off
the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import split_joint
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "cptpp": document(
        "The CPTPP, Mexico and Peru",
        "2024-01-10",
        "trade",
        [("Example source on the CPTPP", "https://example.org/cptpp")],
        """\
        The CPTPP entered into force on 30 December 2018, after Australia, Canada, Japan, Mexico, New Zealand, Singapore and Viet Nam ratified it.
        Mexico was therefore a party to the CPTPP from its first day in force, 30 December 2018.
        Mexico was among the countries trading under the CPTPP's terms from 30 December 2018.
        Peru had not yet ratified the agreement at that time.
        The CPTPP entered into force for Peru on 19 September 2021.
        From 19 September 2021, Mexico and Peru were both bound by the CPTPP.
        """,
    ),
}
FALSE = "when peru and mexico both started under the cptpp on day one in dec 2018, what changed for their trade"
DENIAL = "had not yet ratified"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-joint"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "split"),
    [
        (FALSE, "Peru had not yet ratified the agreement at that time.", True),
        (
            "when in 2018 did peru ratify the cptpp together with mexico",
            "At that time, Peru was yet to ratify it.",
            True,
        ),
        # Nothing joined: "when did Peru ratify" asks of Peru alone.
        (
            "when did peru ratify the cptpp",
            "Peru had not yet ratified the agreement at that time.",
            False,
        ),
        # Both joined named as not yet: no one of them is set apart.
        (FALSE, "Mexico and Peru had not yet traded under it.", False),
        # Someone the question does not join.
        (FALSE, "Chile had not yet ratified the agreement at that time.", False),
        # Another year's state of things.
        (FALSE, "In 2016 Peru had not yet ratified the TPP.", False),
        # A question asking what was not done takes no shared act as given.
        ("why did peru and mexico not both ratify in 2018", "Peru had not yet ratified it.", False),
    ],
)
def test_one_of_the_joined_not_yet_acting_splits_them(
    question: str, sentence: str, split: bool
) -> None:
    assert split_joint(question, sentence) is split


def test_the_sentence_saying_one_had_not_yet_acted_leads(service: QAService) -> None:
    first = answer_sentences(service, FALSE)[0]
    assert DENIAL in first, first


def test_a_true_question_on_the_shared_start_keeps_its_answer(service: QAService) -> None:
    first = answer_sentences(
        service, "from what date were mexico and peru both bound by the cptpp"
    )[0]
    assert "19 September 2021" in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_joint_first is True
    off = service_with(service, premise_joint_first=False)
    first = answer_sentences(off, FALSE)[0]
    assert DENIAL not in first, first
