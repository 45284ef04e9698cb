"""Two things named and joined by "vs", with no question word nor topic, are two parts
(`parts._by_bare_versus`, config `split_bare_versus`): "mexican fdi stock in peru according to
proinversion vs the number mexico's foreign ministry gives" asks two figures. On a real model and an
index of a small corpus this module writes, each part is retrieved and answered on its own and both
figures are quoted; with the setting off the question is one part and takes no part's path."""

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
    "investment": document(
        "Mexican investment in Peru",
        "2024-05-02",
        "economy",
        [("Example source on investment", "https://example.org/investment")],
        """\
        ## Peruvian figures

        ProInversión put Mexico's stock of foreign direct investment in capital contributions at 577.7 million US dollars.
        Mexico ranked among the ten largest investors in Peru, according to ProInversión.

        ## Mexican figures

        Mexico's foreign ministry (SRE) says Mexican investment in Peru accumulated 14 billion dollars.
        The SRE counts the investment of Mexican companies through third countries as well.
        """,
    ),
}

VERSUS = "mexican fdi stock in peru according to proinversion vs the number mexico's foreign ministry gives"
OPEN = {"decline_model": "constraints", "min_term_coverage": 0.0}


@pytest.mark.fast
def test_bare_versus_splits_without_a_question_word() -> None:
    assert parts.split_parts(VERSUS, versus=True, bare_versus=True) == [
        "mexican fdi stock in peru according to proinversion?",
        "the number mexico's foreign ministry gives?",
    ]
    assert parts.split_parts(VERSUS, versus=True) == [VERSUS]
    # With a question word, "vs" joins two things of one question: not split here.
    q = "how did peru's people vs its government react to the asylum"
    assert parts.split_parts(q, versus=True, bare_versus=True) == [q]
    # Inside brackets it is an aside, not a second thing asked.
    q = "mexican fdi stock in peru (proinversion vs sre figures)"
    assert parts.split_parts(q, versus=True, bare_versus=True) == [q]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("bare-versus"), CORPUS, embedder, **OPEN)


def test_each_figure_is_quoted(service: QAService) -> None:
    assert len(service.prepare(VERSUS).parts) == 2
    said = " ".join(answer_sentences(service, VERSUS))
    assert "577.7" in said, said
    assert "14 billion" in said, said


def test_off_the_question_is_one_part(service: QAService) -> None:
    off = service_with(service, split_bare_versus=False)
    assert off.prepare(VERSUS).parts == []


def test_on_by_default() -> None:
    assert Settings().split_bare_versus is True
