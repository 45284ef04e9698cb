"""What an answer costs beyond one question embedding (benchmarks/bench_answer_cost.py): no text
embedded twice in one answer, and the readings an answer repeats kept per text. The model tests
count the real model's calls through a wrapper on the service's own `Embedder`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
import pytest

from qa_service.constraints import known_names, other_years, term_lengths
from qa_service.parts import split_parts
from qa_service.reading import asked_for, question_entities
from qa_service.service import _once
from qa_service.spanish import CorpusNames
from qa_service.terms import CAPITALISED, fold

if TYPE_CHECKING:
    from qa_service.service import QAService

# A two-part question whose second part names what it asks on its own: that part is searched by its
# own words and then scored by them alone, the same text twice (two model calls before the memo).
TWO_PARTS = "betssy chavez as premier: start date and last day"


def counting(service: QAService, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the service's embedder encodes as questions, in order (the real model still runs)."""
    texts: list[str] = []
    real = service.embedder.encode_query

    def encode_query(text: str) -> np.ndarray:
        texts.append(text)
        return real(text)

    monkeypatch.setattr(service.embedder, "encode_query", encode_query)
    return texts


def test_a_one_part_question_is_encoded_once(
    small_service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = counting(small_service, monkeypatch)
    small_service.answer("When did Mexico open its embassy in Lima?")
    assert texts == ["When did Mexico open its embassy in Lima?"]


def test_a_two_part_question_encodes_each_text_once(
    small_service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(split_parts(TWO_PARTS)) == 2
    texts = counting(small_service, monkeypatch)
    small_service.answer(TWO_PARTS)
    assert len(texts) == len(set(texts)) == 4, texts  # the whole, two parts, the second alone


@pytest.mark.fast
def test_once_encodes_a_text_once_per_answer() -> None:
    calls: list[str] = []

    def encode(text: str) -> np.ndarray:
        calls.append(text)
        return np.full(3, float(len(calls)), dtype=np.float32)

    memo = _once(encode)
    first = memo("a")
    assert memo("a") is first and calls == ["a"]
    memo("b")
    assert calls == ["a", "b"]
    assert _once(encode)("a")[0] == 3.0  # a new answer encodes again: nothing held between answers


SENTENCE = "In 2022 Betssy Chávez served 11 years, 5 months and 15 days, said Peru's court."


@pytest.mark.fast
def test_kept_readings_equal_a_fresh_reading() -> None:
    question = "How long did Betssy Chávez serve under Castillo in 2022?"
    assert (
        question_entities(question)
        == question_entities(question)
        == {"betssi", "chavez", "castillo"}
    )
    entities = question_entities(question)
    entities.add("mutated")  # a caller's copy: the kept reading is not changed
    assert "mutated" not in question_entities(question)
    assert asked_for(question) is asked_for(question)
    assert term_lengths(SENTENCE) == {("11", "year"), ("5", "month"), ("15", "day")}
    assert other_years(["2023"], SENTENCE) and not other_years(["2022"], SENTENCE)
    fresh = {fold(w.lower()) for w in re.findall(CAPITALISED, SENTENCE)}
    assert known_names([SENTENCE]) == fresh == {"in", "betssy", "chavez", "peru's"}
    assert known_names([SENTENCE], inside=True) == fresh - {"in"}


@pytest.mark.fast
def test_corpus_names_writes_reads_a_replaced_text() -> None:
    names = CorpusNames(text="the pacific alliance met in lima")
    assert names.writes("Pacific Alliance") and not names.writes("peaceful alliance")
    names.text = "the peaceful alliance"
    assert names.writes("peaceful alliance") and not names.writes("Pacific Alliance")


@pytest.mark.fast
def test_corpus_names_writes_keeps_a_bounded_memory() -> None:
    """Questions of ever new words cannot grow the kept answers without bound."""
    from qa_service.spanish import _WRITTEN_MAX

    names = CorpusNames(text="the pacific alliance met in lima")
    for i in range(_WRITTEN_MAX + 10):
        assert not names.writes(f"word{i}")
    assert len(names._written) <= _WRITTEN_MAX
    assert names.writes("Pacific Alliance")
