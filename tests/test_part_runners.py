"""A part of a two-part question whose best sentence is a near miss is answered by its next close
sentence that holds a new date, number or name (`composing._close_runners`, config
`part_close_runners`). On a real model and an index of a small corpus this module writes, "when did
the last mexican diplomat, ornelas, leave peru" ranks two sources' sentences on the 3 November
deadline above the one giving her departure on 8 November; the second copy names its source, so
it is no repeat by its names. With the setting on the departure date is quoted; with it off the
copy takes its place and the date is not given."""

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
    "monroy": document(
        "The expulsion of Pablo Monroy",
        "2022-12-21",
        "diplomacy",
        [("Example source on Monroy", "https://example.org/monroy")],
        """\
        ## The expulsion

        Ana Cecilia Gervasi announced on Tuesday 20 December 2022 that the government of Peru had declared Ambassador Pablo Monroy persona non grata.
        Peru declared Pablo Monroy persona non grata on 20 December 2022 and gave him 72 hours to leave.
        Eleven days after the summons, on 20 December 2022, Peru declared Pablo Monroy persona non grata and ordered him to leave the country.
        """,
    ),
    "ornelas": document(
        "The rupture of November 2025",
        "2025-11-10",
        "diplomacy",
        [("Example source on the rupture", "https://example.org/rupture")],
        """\
        ## The last diplomat

        On 3 November 2025, José Jerí wrote on X that Mexico's chargé d'affaires, Karla Ornelas, had been told by the foreign minister that she had a peremptory deadline to leave Peru.
        On 3 November 2025, interim president José Jerí announced on X that Karla Ornelas had been given a peremptory deadline to leave Peru, according to La República.
        Karla Ornelas was Mexico's chargé d'affaires when Peru broke off relations, and she left Peru on 8 November 2025.
        With the departure of Karla Ornelas, Mexico no longer had a diplomatic representative in Peru.
        """,
    ),
}

QUESTION = (
    "when was monroy declared persona non grata and when did the last mexican diplomat, "
    "ornelas, leave peru"
)
OPEN = {"decline_model": "constraints", "min_term_coverage": 0.0}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("part-runners"), CORPUS, embedder, **OPEN)


def test_each_part_gets_its_date(service: QAService) -> None:
    assert len(parts.split_parts(QUESTION)) == 2
    sentences = answer_sentences(service, QUESTION)
    said = " ".join(sentences)
    assert "20 December 2022" in sentences[0], sentences
    assert "8 November 2025" in said, said


def test_without_close_runners_the_copy_crowds_out_the_date(service: QAService) -> None:
    said = " ".join(answer_sentences(service_with(service, part_close_runners=False), QUESTION))
    assert "20 December 2022" in said, said
    assert "8 November 2025" not in said, said


def test_on_by_default() -> None:
    assert Settings().part_close_runners is True
