"""The speed fixes of issue 15 that need no model: each worker's thread share, and the
per-sentence facts scoring now reads once per text instead of once per question."""

from __future__ import annotations

import pytest

from qa_service.reading import YEAR, Asked, answer_type_bonus, term_set
from qa_service.scoring import sentence_facts
from qa_service.terms import terms, words
from qa_service.workers import thread_share

pytestmark = pytest.mark.fast


def test_thread_share_splits_the_cores_among_workers() -> None:
    assert thread_share(1, cores=2) == 2
    assert thread_share(2, cores=2) == 1
    assert thread_share(2, cores=8) == 4
    assert thread_share(4, cores=2) == 1  # never zero threads
    with pytest.raises(ValueError, match="at least 1"):
        thread_share(0, cores=2)


SENTENCES = [
    "It was signed in Lima on 12 March 2012, as this document explains.",
    "Trade between Mexico and Peru grew to 1,036 million dollars in 2019 and 2020.",
    "Peru broke off relations.",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_sentence_facts_match_a_fresh_reading(text: str) -> None:
    facts = sentence_facts(text)
    assert facts.terms == frozenset(terms(text)) == term_set(text)
    assert facts.n_words == len(words(text))
    assert facts.years == frozenset(YEAR.findall(text))
    assert facts.meta == ("this document" in text)
    assert sentence_facts(text) is facts  # kept, not read again


def test_context_years_read_piece_by_piece_equal_the_joined_reading() -> None:
    """Scoring unites each piece's years; the old code read them from the pieces joined by spaces."""
    pieces = ["ended in 1999", "2000s began", "Treaty 1532-1533", "no year 20255"]
    joined = frozenset(YEAR.findall(" ".join(pieces)))
    united = frozenset().union(*(sentence_facts(p).years for p in pieces))
    assert united == joined == {"1999", "1532", "1533"}


def test_answer_type_bonus_reads_kept_facts_per_question_kind() -> None:
    sentence = "Mexico and Peru signed the agreement in April 2011 in Lima."
    date = Asked("date", frozenset(terms("when agreement signed")), frozenset())
    assert answer_type_bonus(date, sentence, "When was the agreement signed?") == 1.0
    # the same date already in the conversation is not news
    assert answer_type_bonus(date, sentence, "signed in April 2011") == 0.0
    cause = Asked("cause", frozenset(), frozenset())
    assert answer_type_bonus(cause, sentence, "") == 0.0
    assert answer_type_bonus(cause, "They left because of the asylum dispute.", "") == 1.0
