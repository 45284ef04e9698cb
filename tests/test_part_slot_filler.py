"""A part of a two-part question whose best sentence holds none of what the part asks is answered
by its close sentence that does (`composing._slot_filler`, config `part_slot_filler`). On a real
model and an index of a small corpus this module writes, "trade integration agreement: number of
products covered and how many senators voted yes" asks a count of products and a count of votes;
the votes part's best sentence says which senators voted yes, sharing its words and holding no
number, and the vote (55 in favour) sits just below it. With one sentence a part, the setting on
quotes the vote; with it off the senators' sentence takes the part's place and no vote is given."""

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
    "aic": document(
        "The Trade Integration Agreement",
        "2012-02-01",
        "trade",
        [("Example source on the agreement", "https://example.org/aic")],
        """\
        ## The agreement

        The Trade Integration Agreement (Acuerdo de Integración Comercial, AIC) is the free trade agreement between Mexico and Peru.
        The Trade Integration Agreement covers a total of 12,107 products, according to the Economy Secretariat.
        The Senate of Mexico approved the Trade Integration Agreement with Peru on 15 December 2011.
        The vote was 55 in favour and 47 against.
        Senators of the PRI and PAN voted yes on the Trade Integration Agreement.
        """,
    ),
    "apec": document(
        "Mexico and Peru in APEC",
        "2024-11-16",
        "diplomacy",
        [("Example source on APEC", "https://example.org/apec")],
        """\
        ## APEC

        Mexico joined APEC in 1993 and Peru joined APEC in 1998.
        Peru hosted the APEC leaders' meeting in Lima in November 2024.
        """,
    ),
}

QUESTION = "trade integration agreement: number of products covered and how many senators voted yes"
# One sentence a part (the limit is answer_max_sentences + parts - 1): each part's own sentence.
OPEN = {"decline_model": "constraints", "min_term_coverage": 0.0, "answer_max_sentences": 1}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("part-slot-filler"), CORPUS, embedder, **OPEN)


def test_each_part_gets_its_number(service: QAService) -> None:
    assert len(parts.split_parts(QUESTION)) == 2
    said = " ".join(answer_sentences(service, QUESTION))
    assert "12,107" in said, said
    assert "55 in favour" in said, said


def test_without_the_filler_a_sentence_without_the_count_takes_the_part(service: QAService) -> None:
    said = " ".join(answer_sentences(service_with(service, part_slot_filler=False), QUESTION))
    assert "12,107" in said, said
    assert "55 in favour" not in said, said


def test_on_by_default() -> None:
    assert Settings().part_slot_filler is True
