"""A question's word held by a passage in another word (near_words.py), on a real model and a real
index built from a small corpus this module writes: "Which paper reported…" is answered from a
passage that says "newspaper" (`near_words_focus`; declined without it, as the asked noun is in no
passage), and the far-off check's coverage counts "congresspeople" as held by "Congress"
(`near_words_coverage`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pytest

from qa_service.near_words import NearWords, content_words
from tests.conftest import TRADE, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "vote": document(
        "Peru's Congress declares López Obrador persona non grata",
        "2023-02-10",
        "diplomacy",
        [("Example source on the vote", "https://example.org/vote")],
        """\
        Peru's Congress declared López Obrador persona non grata on 9 February 2023.
        The Lima newspaper La República reported that the motion passed by 67 votes to 29.
        Fourteen members of Congress abstained in the vote, according to the same report.
        """,
    ),
    "trade": TRADE,
}

PAPER = "Which paper reported the 67-29 tally of the persona non grata vote on López Obrador?"
CONGRESSPEOPLE = "how many congresspeople abstained when lopez obrador was made persona non grata"


def _letters(texts: Sequence[str]) -> np.ndarray:
    """A stand-in encoder: words with the same first letter are the same vector."""
    rows = np.zeros((len(texts), 26), dtype=np.float32)
    for i, t in enumerate(texts):
        rows[i, ord(t[0]) - ord("a")] = 1.0
    return rows


@pytest.mark.fast
def test_a_missing_term_is_held_by_a_close_word_only() -> None:
    near = NearWords(_letters)
    held = near.held("which paper reported it", {"paper", "report"}, "the press said", 0.9)
    assert held == {"paper"}
    assert near.held("which paper", {"paper"}, "the daily said", 0.9) == set()
    assert content_words("The 2 papers, the paper") == ("papers", "paper")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(
        tmp_path_factory.mktemp("near"), CORPUS, embedder, decline_model="constraints"
    )


def test_the_asked_noun_in_another_word_is_answered(service: QAService) -> None:
    resp = service.ask(PAPER)
    assert resp.found and "La República" in resp.answer, resp.answer


def test_without_near_words_the_asked_noun_is_missing(service: QAService) -> None:
    resp = service_with(service, near_words_focus=False).ask(PAPER)
    assert not resp.found, resp.answer


def test_coverage_counts_a_term_held_in_another_word(service: QAService) -> None:
    def coverage(s: QAService) -> float:
        p = s.prepare(CONGRESSPEOPLE)
        return s.state.answerer.decider.coverage(p.resolved, p.hits)

    assert coverage(service) > coverage(service_with(service, near_words_coverage=False))
