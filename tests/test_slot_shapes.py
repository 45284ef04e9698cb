"""Three two-part shapes the splitter once read as one question (`parts.split_parts` with
`slot_shapes`, config `split_slot_shapes`): a question mark inside the question before "and"
("interjet's first lima flights - when? and …"), a topic's two-word clauses ("published when,
revoked when", `parts._by_list`) and two dates named by one noun ("castillo's sentencing date and
the date his term runs out", `parts._by_slot_pair`). On a real model and an index of a small corpus
this module writes, each part is retrieved and answered on its own and both dates are quoted; with
the setting off the question is one part and takes no part's path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import parts
from qa_service.config import Settings
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "visa-decree": document(
        "Peru's visa decree for Mexicans",
        "2024-04-12",
        "migration",
        [("Example source on the decree", "https://example.org/decree")],
        """\
        ## The decree

        Peru imposed a visa on Mexican visitors through Supreme Decree 011-2024-RE, published on 8 April 2024.
        The decree allowed a maximum stay of 180 calendar days a year.

        ## Its end

        Supreme Decree 012-2024-RE revoked the visa decree on 11 April 2024, three days later.
        Mexican visitors could again enter Peru without a visa.
        """,
    ),
}

LIST = "peru's visa decree for mexicans: published when, revoked when"
OPEN = {"decline_model": "constraints", "min_term_coverage": 0.0}


@pytest.mark.fast
def test_the_three_shapes_split() -> None:
    assert parts.split_parts(LIST, True, True, slot_shapes=True) == [
        "peru's visa decree for mexicans: published when?",
        "peru's visa decree for mexicans: revoked when?",
    ]
    q = "interjet's first lima flights - when? and mexican tourist numbers in peru for 2018"
    assert parts.split_parts(q, True, True, slot_shapes=True) == [
        "interjet's first lima flights - when?",
        "interjet's first lima flights - mexican tourist numbers in peru for 2018",
    ]
    q = "castillo's sentencing date and the date his term runs out"
    assert parts.split_parts(q, True, True, slot_shapes=True) == [
        "castillo's sentencing date?",
        "the date his term runs out?",
    ]
    for q in (LIST, "castillo's sentencing date and the date his term runs out"):
        assert parts.split_parts(q, True, True) == [q]


@pytest.mark.fast
def test_one_question_stays_whole() -> None:
    for q in (
        "balcazar: birthplace and age when congress picked him",  # one word is no clause
        "jeri: when",  # no second clause
        "trade between the date of signing and the date it took effect",  # one span
        "what was the date of the signing and the date it took effect",  # a question word asks both
    ):
        assert parts.split_parts(q, True, True, slot_shapes=True) == [q]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("slot-shapes"), CORPUS, embedder, **OPEN)


def test_each_date_is_quoted(service: QAService) -> None:
    assert len(service.prepare(LIST).parts) == 2
    said = " ".join(answer_sentences(service, LIST))
    assert "8 April 2024" in said, said
    assert "11 April 2024" in said, said


def test_off_the_question_is_one_part(service: QAService) -> None:
    off = service_with(service, split_slot_shapes=False)
    assert off.prepare(LIST).parts == []


def test_on_by_default() -> None:
    assert Settings().split_slot_shapes is True
