"""Held-out 2 (eval/heldout2.jsonl, retired to tuning since held-out 3 became the headline) is
what it claims to be: the counts per kind the lead asked for, Spanish cases paired with English
cases of the same file, follow-ups with history, no question taken from an older set, and every
expected answer checkable against a sentence of the corpus documents the case's note names (the
same case-insensitive match `qa-service eval` uses, on the sentences the service itself splits the
corpus into).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from qa_service.corpus import load_corpus
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
HELDOUT2 = Path("eval/heldout2.jsonl")
# The counts asked for in the brief of the fresh held-out set (issue 10; 200 cases), after the
# corpus edit of 2026-11-30 (issue 11) removed sentences no publisher's page supports: six facts
# and one why case became out of scope, two half-answerable multihop cases were withdrawn to
# eval/withdrawn.jsonl (each case's note says so). The later edit the same day that replaced
# republished sources (agency articles read on other sites) made one fact and its Spanish twin
# out of scope and withdrew one follow-up and its Spanish twin (an out-of-scope case has no history).
# The edit of 2026-12-01 that removed the last republished sources (mx.investing.com,
# mediosdigitales.com.ar, vininews.com) made one fact (h2-039) and one now case with its Spanish
# twin (h2-103, h2-196) out of scope and withdrew three multihop cases (h2-077, h2-091, h2-092).
# The second edit of 2026-12-01 (sources that are not publishers) withdrew h2-083, whose second
# half (Peru's ratification date of the Caracas Convention) went with its only source.
COUNTS = {
    "fact": 42,
    "why": 24,
    "multihop": 19,
    "now": 14,
    "spanish": 27,
    "false_premise": 15,
    "out_of_scope": 37,
    "followup": 14,
}
# Two questions this alike are one question reworded (difflib ratio of the normalised text);
# the closest pair between held-out 2 and the older sets measured 0.88 when it was written.
SAME_QUESTION = 0.9
OLDER_SETS = sorted((ROOT / "eval" / "parts").glob("*.jsonl")) + sorted(
    (ROOT / "eval" / "regression").glob("*.jsonl")
)

pytestmark = pytest.mark.fast


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return load_cases(ROOT / HELDOUT2)


def test_counts_per_kind_and_unique_ids(cases: list[Case]) -> None:
    assert Counter(c.kind for c in cases) == COUNTS
    assert len({c.id for c in cases}) == len(cases)
    assert len({norm(c.question) for c in cases}) == len(cases)


def test_spanish_cases_pair_with_english_cases_of_this_file(cases: list[Case]) -> None:
    assert_spanish_pairs(cases)


def test_shapes_by_kind(cases: list[Case]) -> None:
    for c in cases:
        if c.kind == "out_of_scope":
            assert not c.expect and c.note, c.id
        else:
            assert c.expect and c.note, c.id
            for p in c.expect:
                re.compile(p)
        assert bool(c.history) == (c.kind == "followup" or c.id in spanish_followups(cases)), c.id
        if c.kind == "multihop":
            assert c.expect_mode == "all" and len(c.expect) >= 2, c.id


def test_no_question_comes_from_an_older_set(cases: list[Case]) -> None:
    older = older_questions(OLDER_SETS)
    assert len(older) > 400
    assert_none_reworded(cases, older, SAME_QUESTION)


def test_every_expect_matches_a_sentence_of_the_documents_named(cases: list[Case]) -> None:
    docs = {d.doc_id: d for d in load_corpus(ROOT / "corpus")}
    for c in cases:
        if c.kind == "out_of_scope":
            continue
        named = [d.strip() for d in c.note.split(":")[0].split(",")]
        assert_expect_found(c, docs, named)
        assert c.kind in IN_SCOPE | {"false_premise"}
