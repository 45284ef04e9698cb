"""The fresh held-out set (eval/heldout4.jsonl) is what it claims to be: the counts per kind
the lead asked for, Spanish cases paired with English cases of the same file, follow-ups with
history, no question taken from any older set (the parts, the regression sets, train, held-out 1,
held-out 2 and held-out 3), cases spread over most of the corpus, and every expected answer checkable
against a sentence of the corpus documents the case's note names (the same case-insensitive match
`qa-service eval` uses, on the sentences the service itself splits the corpus into).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from qa_service.corpus import Document, load_corpus
from qa_service.evaluation import IN_SCOPE, Case, load_cases
from tests.heldout_checks import (
    assert_expect_found,
    assert_none_reworded,
    assert_spanish_pairs,
    norm,
    older_questions,
    spanish_followups,
)

ROOT = Path(__file__).resolve().parent.parent
HELDOUT4 = ROOT / "eval" / "heldout4.jsonl"
# The counts asked for in the brief of held-out 4 (120 cases).
COUNTS = {
    "fact": 27,
    "why": 15,
    "multihop": 13,
    "now": 9,
    "spanish": 18,
    "false_premise": 9,
    "out_of_scope": 20,
    "followup": 9,
}
# The brief asks for cases written from at least 35 of the corpus's 52 documents.
MIN_DOCUMENTS = 35
# Two questions this alike are one question reworded (difflib ratio of the normalised text),
# the threshold test_heldout2.py and test_heldout3.py use.
SAME_QUESTION = 0.9
OLDER_SETS = (
    sorted((ROOT / "eval" / "parts").glob("*.jsonl"))
    + sorted((ROOT / "eval" / "regression").glob("*.jsonl"))
    + [
        ROOT / "eval" / name
        for name in ("train.jsonl", "heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl")
    ]
)

pytestmark = pytest.mark.fast


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases(HELDOUT4)


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {d.doc_id: d for d in load_corpus(ROOT / "corpus")}


def _named(case: Case) -> list[str]:
    return [d.strip() for d in case.note.split(":")[0].split(",")]


def test_counts_per_kind_and_unique_ids(cases: list[Case]) -> None:
    assert Counter(c.kind for c in cases) == COUNTS
    assert [c.id for c in cases] == [f"h4-{i:03d}" for i in range(1, len(cases) + 1)]
    assert len({norm(c.question) for c in cases}) == len(cases)


def test_spanish_cases_pair_with_english_cases_of_this_file(cases: list[Case]) -> None:
    assert_spanish_pairs(cases)
    by_id = {c.id: c for c in cases}
    assert all(c.note == by_id[str(c.pair)].note for c in cases if c.kind == "spanish")


def test_shapes_by_kind(cases: list[Case]) -> None:
    followups_es = spanish_followups(cases)
    for c in cases:
        if c.kind == "out_of_scope":
            assert not c.expect and c.note.startswith("out of scope: "), c.id
        else:
            assert c.expect and c.note, c.id
            for p in c.expect:
                re.compile(p)
        assert bool(c.history) == (c.kind == "followup" or c.id in followups_es), c.id
        if c.history:
            # 1-3 earlier turns, each answered by a quoted corpus sentence with its marker.
            assert 1 <= len(c.history) // 2 <= 3, c.id
            assert [t.role for t in c.history] == ["user", "assistant"] * (len(c.history) // 2)
            assert all(t.content.endswith(" [1]") for t in c.history if t.role == "assistant")
        if c.kind == "multihop":
            assert c.expect_mode == "all" and len(c.expect) >= 2, c.id
        if c.kind == "false_premise":
            assert ": false: " in c.note, c.id


def test_no_question_comes_from_an_older_set(cases: list[Case]) -> None:
    older = older_questions(OLDER_SETS)
    assert len(older) > 1000
    assert_none_reworded(cases, older, SAME_QUESTION)


def test_every_expect_matches_a_sentence_of_the_documents_named(
    cases: list[Case], docs: dict[str, Document]
) -> None:
    for c in cases:
        if c.kind == "out_of_scope":
            continue
        assert_expect_found(c, docs, _named(c))
        assert c.kind in IN_SCOPE | {"false_premise"}


def test_cases_are_spread_over_the_corpus(cases: list[Case], docs: dict[str, Document]) -> None:
    covered = {d for c in cases if c.kind != "out_of_scope" for d in _named(c)}
    assert covered <= set(docs)
    assert len(covered) >= MIN_DOCUMENTS, sorted(set(docs) - covered)
