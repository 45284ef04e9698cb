"""The held-out sets written for issue 10 (eval/heldout3.jsonl to eval/heldout19.jsonl, retired to
tuning; eval/heldout20.jsonl, the headline, written blind while held-out 18 had its second look and
held-out 19 its first, before any run of the service on it; eval/heldout21.jsonl, written blind
while held-out 19 had its second look and held-out 20 its first, in reserve and in no default set)
are what they claim to be: the counts per kind their briefs asked for, Spanish
cases paired with English cases of the same file, follow-ups with history, no question taken from
any older set (the parts, the regression sets, train, the earlier held-outs), cases spread over
most of the corpus, and every expected answer checkable against a sentence of the corpus documents
the case's note names (the same case-insensitive match `qa-service eval` uses, on the sentences the
service itself splits the corpus into).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from qa_service.corpus import Document, load_corpus
from qa_service.evaluation import DEFAULT_SETS, HELDOUT, IN_SCOPE, Case, load_cases, set_label
from tests.heldout_checks import (
    assert_expect_found,
    assert_none_reworded,
    assert_spanish_pairs,
    norm,
    older_questions,
    spanish_followups,
)

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "eval"
# Two questions this alike are one question reworded (difflib ratio of the normalised text),
# the threshold test_heldout2.py uses; the closest pair between held-out 3 and the older sets
# measured 0.81 when it was written, between held-out 4 and its older sets 0.82.
SAME_QUESTION = 0.9
EARLIER = sorted((EVAL / "parts").glob("*.jsonl")) + sorted((EVAL / "regression").glob("*.jsonl"))


# The counts per kind of the 140-case sets (held-outs 5 and 6), each written to the same brief.
COUNTS_140 = {
    "fact": 30,
    "why": 18,
    "multihop": 16,
    "now": 10,
    "spanish": 20,
    "false_premise": 12,
    "out_of_scope": 24,
    "followup": 10,
}


@dataclass(frozen=True)
class HeldOut:
    """One held-out set and what its brief asked for."""

    path: Path
    prefix: str  # its ids: h3-001, h3-002, …
    counts: dict[str, int]
    min_documents: int  # of the corpus's 52 documents
    older: tuple[str, ...]  # the eval/ files written before it


def _older(n: int) -> tuple[str, ...]:
    """The eval files written before held-out n: the train split and held-outs 1 to n - 1."""
    return ("train.jsonl", "heldout.jsonl", *(f"heldout{k}.jsonl" for k in range(2, n)))


SETS = [
    HeldOut(
        EVAL / "heldout3.jsonl",
        "h3",
        # issue 10; 200 cases
        {
            "fact": 45,
            "why": 25,
            "multihop": 22,
            "now": 15,
            "spanish": 30,
            "false_premise": 15,
            "out_of_scope": 33,
            "followup": 15,
        },
        40,
        _older(3),
    ),
    HeldOut(
        EVAL / "heldout4.jsonl",
        "h4",
        # written 2026-12-01 after held-out 3 had been looked at four times; 120 cases
        {
            "fact": 27,
            "why": 15,
            "multihop": 13,
            "now": 9,
            "spanish": 18,
            "false_premise": 9,
            "out_of_scope": 20,
            "followup": 9,
        },
        35,
        _older(4),
    ),
    HeldOut(
        EVAL / "heldout5.jsonl",
        "h5",
        # written 2026-12-01 after held-out 4 had been looked at twice; 140 cases
        COUNTS_140,
        38,
        _older(5),
    ),
    HeldOut(
        EVAL / "heldout6.jsonl",
        "h6",
        # written 2026-12-01 after held-out 5 had been looked at twice; 140 cases
        COUNTS_140,
        40,
        _older(6),
    ),
    HeldOut(
        EVAL / "heldout7.jsonl",
        "h7",
        # written 2026-12-01 after held-out 6 had been looked at three times; 140 cases
        COUNTS_140,
        40,
        _older(7),
    ),
    HeldOut(
        EVAL / "heldout8.jsonl",
        "h8",
        # written 2026-12-01 after held-out 7 had been looked at twice; 140 cases
        COUNTS_140,
        40,
        _older(8),
    ),
    HeldOut(
        EVAL / "heldout9.jsonl",
        "h9",
        # written 2026-12-02 after held-out 8 had been looked at twice; 140 cases
        COUNTS_140,
        40,
        _older(9),
    ),
    HeldOut(
        EVAL / "heldout10.jsonl",
        "h10",
        # written 2026-12-02 after held-out 9 had been looked at once (its second look follows this round); 140 cases
        COUNTS_140,
        40,
        _older(10),
    ),
    HeldOut(
        EVAL / "heldout11.jsonl",
        "h11",
        # written 2026-12-02 after held-out 10 had been looked at once (its second look follows this round); 140 cases
        COUNTS_140,
        40,
        _older(11),
    ),
    HeldOut(
        EVAL / "heldout12.jsonl",
        "h12",
        # written 2026-12-02 after held-out 11 had been looked at once (its second look follows the next round); 140 cases
        COUNTS_140,
        40,
        _older(12),
    ),
    HeldOut(
        EVAL / "heldout13.jsonl",
        "h13",
        # written blind 2026-12-02 during the round that gives held-out 11 its second look and
        # held-out 12 its first; the headline for one round, retired after its second look; 140 cases
        COUNTS_140,
        40,
        _older(13),
    ),
    HeldOut(
        EVAL / "heldout14.jsonl",
        "h14",
        # written blind 2026-12-02 during the round that gives held-out 12 its second look and
        # held-out 13 its first; the headline for one round, retired after its second look; 140 cases
        COUNTS_140,
        40,
        _older(14),
    ),
    HeldOut(
        EVAL / "heldout15.jsonl",
        "h15",
        # written blind 2026-12-02 during the round that gives held-out 13 its second look and
        # held-out 14 its first; the headline for one round, retired after its second look; 140 cases
        COUNTS_140,
        40,
        _older(15),
    ),
    HeldOut(
        EVAL / "heldout16.jsonl",
        "h16",
        # written blind 2026-12-03 during the round that gives held-out 14 its second look and
        # held-out 15 its first; the headline for one round, retired after its second look; 140 cases
        COUNTS_140,
        40,
        _older(16),
    ),
    HeldOut(
        EVAL / "heldout17.jsonl",
        "h17",
        # written blind 2026-12-03 during the round that gives held-out 15 its second look
        # and makes held-out 16 the headline; the headline for one round, retired after its second look
        COUNTS_140,
        40,
        _older(17),
    ),
    HeldOut(
        EVAL / "heldout18.jsonl",
        "h18",
        # written blind 2026-12-03 during the round that gives held-out 16 its second look
        # and makes held-out 17 the headline; the headline for one round, retired after its second look
        COUNTS_140,
        40,
        _older(18),
    ),
    HeldOut(
        EVAL / "heldout19.jsonl",
        "h19",
        # written blind 2026-12-03 during the round that gives held-out 17 its second look
        # and makes held-out 18 the headline; the headline for one round, retired after its second look
        COUNTS_140,
        40,
        _older(19),
    ),
    HeldOut(
        EVAL / "heldout20.jsonl",
        "h20",
        # written blind 2026-12-03 during the round that gives held-out 18 its second look
        # and makes held-out 19 the headline; the headline since the round after (its first look)
        COUNTS_140,
        40,
        _older(20),
    ),
    HeldOut(
        EVAL / "heldout21.jsonl",
        "h21",
        # written blind 2026-12-03 during the round that gives held-out 19 its second look
        # and makes held-out 20 the headline; in reserve; 140 cases
        COUNTS_140,
        40,
        _older(21),
    ),
]

pytestmark = pytest.mark.fast
each_set = pytest.mark.parametrize("held", SETS, ids=[h.prefix for h in SETS])


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    return {d.doc_id: d for d in load_corpus(ROOT / "corpus")}


def _named(case: Case) -> list[str]:
    return [d.strip() for d in case.note.split(":")[0].split(",")]


@each_set
def test_counts_per_kind_and_unique_ids(held: HeldOut) -> None:
    cases = load_cases(held.path)
    assert Counter(c.kind for c in cases) == held.counts
    assert [c.id for c in cases] == [f"{held.prefix}-{i:03d}" for i in range(1, len(cases) + 1)]
    assert len({norm(c.question) for c in cases}) == len(cases)


@each_set
def test_spanish_cases_pair_with_english_cases_of_this_file(held: HeldOut) -> None:
    cases = load_cases(held.path)
    assert_spanish_pairs(cases)
    by_id = {c.id: c for c in cases}
    assert all(c.note == by_id[str(c.pair)].note for c in cases if c.kind == "spanish")


@each_set
def test_shapes_by_kind(held: HeldOut) -> None:
    cases = load_cases(held.path)
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


@each_set
def test_no_question_comes_from_an_older_set(held: HeldOut) -> None:
    older = older_questions(EARLIER + [EVAL / name for name in held.older])
    assert len(older) > 1000
    assert_none_reworded(load_cases(held.path), older, SAME_QUESTION)


@each_set
def test_every_expect_matches_a_sentence_of_the_documents_named(
    held: HeldOut, docs: dict[str, Document]
) -> None:
    for c in load_cases(held.path):
        if c.kind == "out_of_scope":
            continue
        assert_expect_found(c, docs, _named(c))
        assert c.kind in IN_SCOPE | {"false_premise"}


@each_set
def test_cases_are_spread_over_the_corpus(held: HeldOut, docs: dict[str, Document]) -> None:
    cases = load_cases(held.path)
    covered = {d for c in cases if c.kind != "out_of_scope" for d in _named(c)}
    assert covered <= set(docs)
    assert len(covered) >= held.min_documents, sorted(set(docs) - covered)


def test_eval_reports_heldout20_first_as_the_headline_and_the_older_ones_retired() -> None:
    held = SETS[17]
    assert held.path.relative_to(ROOT) == HELDOUT and DEFAULT_SETS[0] == HELDOUT
    assert [p.name for p in DEFAULT_SETS[:20]] == [
        "heldout20.jsonl",
        "heldout19.jsonl",
        "heldout18.jsonl",
        "heldout17.jsonl",
        "heldout16.jsonl",
        "heldout15.jsonl",
        "heldout14.jsonl",
        "heldout13.jsonl",
        "heldout12.jsonl",
        "heldout11.jsonl",
        "heldout10.jsonl",
        "heldout9.jsonl",
        "heldout8.jsonl",
        "heldout7.jsonl",
        "heldout6.jsonl",
        "heldout5.jsonl",
        "heldout4.jsonl",
        "heldout3.jsonl",
        "heldout2.jsonl",
        "heldout.jsonl",
    ]
    assert set_label(held.path).startswith("held-out 20, the headline: written before any run")
    assert all("headline" not in set_label(p) for p in DEFAULT_SETS[1:])
    assert all("heldout21" not in p.name for p in DEFAULT_SETS)
    retired = [set_label(p) for p in DEFAULT_SETS[1:20]]
    assert [r.split(",")[0] for r in retired] == [
        "retired: held-out 19",
        "retired: held-out 18",
        "retired: held-out 17",
        "retired: held-out 16",
        "retired: held-out 15",
        "retired: held-out 14",
        "retired: held-out 13",
        "retired: held-out 12",
        "retired: held-out 11",
        "retired: held-out 10",
        "retired: held-out 9",
        "retired: held-out 8",
        "retired: held-out 7",
        "retired: held-out 6",
        "retired: held-out 5",
        "retired: held-out 4",
        "retired: held-out 3",
        "retired: held-out 2",
        "retired: held-out 1",
    ]
