"""Checks every held-out set must pass, shared by tests/test_heldout2.py and test_heldout_sets.py:
no question reworded from an older set, and every `expect` found in a sentence of the
documents a case names (the same case-insensitive match `qa-service eval` uses, on the
sentences the service itself splits the corpus into)."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from qa_service.corpus import Document
from qa_service.evaluation import Case
from qa_service.markup import split_sentences


def norm(question: str) -> str:
    """Lower case, words only: two questions differing in punctuation are one question."""
    return " ".join(re.sub(r"[^\w]+", " ", question.lower()).split())


def older_questions(paths: list[Path]) -> list[str]:
    """Every question of the older sets, normalised."""
    return [
        norm(json.loads(line)["question"])
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def assert_none_reworded(cases: list[Case], older: list[str], same: float) -> None:
    """No case's question is within difflib ratio `same` of an older question."""
    for c in cases:
        q = norm(c.question)
        close = [
            o
            for o in older
            if difflib.SequenceMatcher(None, q, o).quick_ratio() >= same
            and difflib.SequenceMatcher(None, q, o).ratio() >= same
        ]
        assert not close, (c.id, c.question, close)


def document_sentences(doc: Document) -> list[str]:
    """The sentences of a document's non-heading blocks, split as the service splits them."""
    out: list[str] = []
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        text = doc.body[block.start : block.end]
        out.extend(text[a:b] for a, b in split_sentences(text))
    return out


def assert_expect_found(c: Case, docs: dict[str, Document], named: list[str]) -> None:
    """The case's expect (all or any of its patterns) matches sentences of the named documents."""
    assert all(d in docs for d in named), (c.id, named)
    sentences = [s for d in named for s in document_sentences(docs[d])]
    found = [any(re.search(p, s, re.IGNORECASE) for s in sentences) for p in c.expect]
    assert all(found) if c.expect_mode == "all" else any(found), (c.id, c.expect, found)


def assert_spanish_pairs(cases: list[Case]) -> None:
    """Each Spanish case pairs with its own English twin of the same file and accepts every
    answer the twin accepts (the same fact asked in Spanish)."""
    by_id = {c.id: c for c in cases}
    spanish = [c for c in cases if c.kind == "spanish"]
    assert all(c.pair in by_id and by_id[c.pair].kind != "spanish" for c in spanish)
    assert len({c.pair for c in spanish}) == len(spanish)
    assert all(c.pair is None for c in cases if c.kind != "spanish")
    for c in spanish:
        en = by_id[str(c.pair)]
        assert c.expect_mode == en.expect_mode, c.id
        if c.expect_mode == "any":
            assert set(en.expect) <= set(c.expect), c.id
        else:
            assert len(c.expect) == len(en.expect), c.id
            assert all(
                s == e or s.startswith(e + "|") for s, e in zip(c.expect, en.expect, strict=True)
            ), c.id


def spanish_followups(cases: list[Case]) -> set[str]:
    """The Spanish cases whose twin is a follow-up: they carry a history too."""
    by_id = {c.id: c for c in cases}
    return {c.id for c in cases if c.pair and by_id[c.pair].kind == "followup"}
