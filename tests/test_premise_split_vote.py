"""A question that takes a vote as unanimous is answered first by the vote's split.

"Why did every senator back the trade agreement in December 2011" takes a unanimous vote as given; the
corpus says the Senate approved it by 55 votes to 47. The sentences on the approval and its politics
score best, the tally lower: quoted after them, or not at all, the premise stands. On a real model and
index over a small corpus this module writes, the sentence stating a split vote (a tally with votes
against, or a ruling "by a majority") whose text, section and title hold the question's names and two of
its terms leads (`composing.premise_correction`, setting `premise_split_vote_first`,
`constraints.split_vote`); with the setting off the premise is answered as if it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import asserts_unanimity, split_vote, states_split
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "approval": document(
        "Mexico's Senate approves the trade agreement with Peru (December 2011)",
        "2011-12-16",
        "approval",
        [("Example source on the approval", "https://example.org/approval")],
        """\
        Mexico's Senate approved the trade agreement with Peru on 15 December 2011, although its committees had recommended rejecting it.
        The senators who backed the agreement said it would open markets for Mexican exporters.
        The agreement's supporters argued it would help Mexican industry compete in South America.
        The agreement was approved by 55 votes to 47.
        """,
    ),
}
WRONG = "why did every senator back the trade agreement in december 2011"
RIGHT = "why did senators back the trade agreement in december 2011"
CORRECTION = "55 votes to 47"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-split-vote"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "asserts"),
    [
        ("why was peru's congress unanimous when it branded sheinbaum unwelcome", True),
        ("why did every mexican senator back the peru fta in december 2011", True),
        ("why were all the supreme court judges in agreement when they convicted castillo", True),
        ("por que todos los jueces supremos estuvieron de acuerdo", True),
        # no voters named, or a member country: nothing said of a vote
        ("which products did all the exporters sell", False),
        ("number of grants each member country awards yearly", False),
        ("how many senators backed the agreement", False),
    ],
)
def test_a_premise_of_unanimity(question: str, asserts: bool) -> None:
    assert asserts_unanimity(question) is asserts


@pytest.mark.fast
@pytest.mark.parametrize(
    ("sentence", "split"),
    [
        ("The motion passed with 63 votes in favour, 34 against and 2 abstentions.", 2),
        ("The Senate approved it by 55 votes to 47.", 2),
        ("The ruling was adopted by a majority of the chamber.", 2),
        ("The 40 votes against came mainly from left-wing groups.", 1),
        # none against, or no vote at all, is no split
        ("It passed with 121 votes in favour and 0 against.", 0),
        ("The Senate approved the agreement on 15 December 2011.", 0),
    ],
)
def test_a_split_stated(sentence: str, split: int) -> None:
    assert states_split(sentence) == split


@pytest.mark.fast
def test_the_split_on_the_questions_vote() -> None:
    question = "peru's congress was unanimous in declaring amlo unwelcome"
    sentences = [
        "Peru's Congress refused Castillo's trip, by 51 votes in favour, 58 against.",
        "The 40 votes against came mainly from left-wing groups.",
        "The plenary approved the motion with 65 votes in favour, 40 against.",
    ]
    title = "Peru's Congress declares López Obrador persona non grata"
    headed = [f"{sentences[0]} The trip", f"{sentences[1]} {title}", f"{sentences[2]} {title}"]
    # the whole tally under the question's act, before a count against alone and another vote
    assert split_vote(question, sentences, headed) == 2
    assert split_vote("why did peru's congress declare amlo unwelcome", sentences, headed) is None


def test_the_split_leads(service: QAService) -> None:
    first = answer_sentences(service, WRONG)[0]
    assert CORRECTION in first, first


def test_no_unanimity_asserted_is_not_corrected(service: QAService) -> None:
    first = answer_sentences(service, RIGHT)[0]
    assert CORRECTION not in first, first


def test_without_the_setting_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_split_vote_first is True
    off = service_with(service, premise_split_vote_first=False)
    assert CORRECTION not in answer_sentences(off, WRONG)[0]
