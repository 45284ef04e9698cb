"""A count of people asked is filled only by a figure of the people asked: on a real model and a real
index built from a small corpus this module writes,

- "How many students won Mexico's scholarships in 2025?" is not answered by "more than 180 countries
  … 80 Mexican universities", and "How many people visited the Lima book fair in 2017?" not by "168
  archaeological pieces": figures of things count no people (`count_noun`);
- "How many Peruvians lived in Baja California in 2019?" is answered by the same sentence.

With the setting off, the figures of the other nouns answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import counted_head, counts_noun, figure_nouns, term_set
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "baja": document(
        "Peruvians in Baja California",
        "2020-05-01",
        "migration",
        [("Example source on migration", "https://example.org/baja")],
        """\
        In May 2019, 850 Peruvians lived in Baja California, according to Peru's consulate in Tijuana.
        Most of the Peruvians in Baja California worked in the medical and culinary sectors.
        """,
    ),
    "scholarships": document(
        "Mexico's scholarships",
        "2025-06-01",
        "education",
        [("Example source on the scholarships", "https://example.org/scholarships")],
        """\
        In 2025 Mexico's scholarship call was open to students of more than 180 countries, including Peru.
        The 2025 scholarships involved 80 Mexican universities and covered tuition and health insurance.
        """,
    ),
    "fair": document(
        "Mexico at the Lima book fair",
        "2018-01-10",
        "culture",
        [("Example source on the fair", "https://example.org/fair")],
        """\
        In July 2017 Mexico was guest of honour at the Lima book fair and returned 168 archaeological pieces to Peru.
        The Lima book fair of 2017 was held from 21 July to 6 August.
        """,
    ),
}

STUDENTS = "How many students won Mexico's scholarships in 2025?"
VISITORS = "How many people visited the Lima book fair in 2017?"
PERUVIANS = "How many Peruvians lived in Baja California in 2019?"


@pytest.mark.fast
def test_the_readers() -> None:
    assert counted_head("of the peruvians in baja california, how many are doctors") == "doctors"
    assert counted_head("how many peruvian students won amexcid scholarships in 2025") == "students"
    assert counted_head("peruvian visitors to mexico in 2019, how many") == "visitors"
    assert counted_head("the number of peru's decree putting visas on mexicans") is None
    assert figure_nouns("In 2017 Mexico returned 168 archaeological pieces to Peru.") == [
        ["archaeological", "pieces"]
    ]
    assert figure_nouns("The count rose to 850 in 2019.") == [[]]
    anyone = term_set("people")
    assert not counts_noun("Construction would create 9,000 jobs.", anyone, "people")
    assert counts_noun("About 9,000 workers were hired.", anyone, "people")
    assert counts_noun(
        "8,670 Peruvian citizens lived in Mexico.", term_set("peruvians"), "peruvians"
    )
    assert not counts_noun("It involved 80 Mexican universities.", term_set("students"), "students")
    assert counts_noun("Congress approved it by 87 votes.", term_set("lawmakers"), "lawmakers")
    # a count of things is left to its figures: "12,107 products" may count goods
    assert counts_noun("The agreement covers 12,107 products.", term_set("goods"), "goods")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("count-noun"), CORPUS, embedder, decline_model="constraints"
    )


def test_a_count_of_people_is_not_filled_by_another_noun(service: QAService) -> None:
    assert service.settings.count_noun is True
    for question in (STUDENTS, VISITORS):
        resp = service.ask(question)
        assert not resp.found and resp.citations == [], (question, resp.answer)
    resp = service.ask(PERUVIANS)
    assert resp.found and "850" in resp.answer, resp.answer


def test_without_the_setting_the_other_figures_answer(service: QAService) -> None:
    off = service_with(service, count_noun=False)
    for question in (STUDENTS, VISITORS):
        assert off.ask(question).found, question
