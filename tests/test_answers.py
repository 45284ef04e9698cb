"""Chunk offsets, answer/citation consistency, follow-ups and the decline path, on a real
model and a real index built from a small corpus."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from qa_service.chunking import Chunker
from qa_service.corpus import load_corpus, parse_document
from qa_service.framing import NOT_COVERED
from qa_service.markup import markdown_to_blocks
from qa_service.reading import answer_type_bonus, asked_for
from qa_service.schemas import AskResponse, Turn
from qa_service.terms import terms

if TYPE_CHECKING:  # the service loads torch: the fast tests here do without it
    from qa_service.service import QAService

MARKER = re.compile(r"\[(\d+)\]")


def assert_grounded(resp: AskResponse) -> None:
    """Every marker names a citation, every citation is named, each marked sentence is in its citation."""
    numbers = {c.n for c in resp.citations}
    used = {int(n) for n in MARKER.findall(resp.answer)}
    assert used == numbers, (resp.answer, numbers)
    by_n = {c.n: c for c in resp.citations}
    for s in resp.sentences:
        assert s.text in by_n[s.n].text, (s.text, by_n[s.n].text)
        assert f"{s.text} [{s.n}]" in resp.answer


def test_chunk_text_is_the_body_between_offsets(small_service: QAService) -> None:
    data = small_service.state.data
    assert data.chunks
    for c in data.chunks:
        body = data.documents[c.doc_id].body
        assert c.text == body[c.start : c.end]
        for a, b in c.sentences:
            assert c.start <= a < b <= c.end


def test_chunker_respects_token_budget_and_overlap(small_settings, embedder) -> None:
    """With the model's own word pieces: every chunk within budget, and neighbours in one
    section share their boundary sentence (the overlap), so no sentence loses its context."""
    chunker = Chunker(max_tokens=24, overlap_sentences=1, count_tokens=embedder.count_tokens)
    for d in load_corpus(small_settings.corpus_dir):
        chunks = chunker.split(d)
        for c in chunks:
            assert c.text == d.body[c.start : c.end]
            sentence_tokens = [embedder.count_tokens(d.body[a:b]) for a, b in c.sentences]
            assert sum(sentence_tokens) <= 24 or len(c.sentences) == 1
    body = " ".join(f"Mexico and Peru signed accord number {n}." for n in range(1, 13))
    front = "---\ntitle: Accords\npublished: 2020-01-01\nsources:\n  - title: s\n    url: https://example.org/s\n---\n"
    doc = parse_document(Path("/generated/accords.md"), (front + body).encode("utf-8"))
    chunks = chunker.split(doc)
    assert len(chunks) >= 3
    for before, after in itertools.pairwise(chunks):
        assert after.sentences[0] == before.sentences[-1], (before.text, after.text)
        assert after.sentences[-1] > before.sentences[-1]
    assert len({s for c in chunks for s in c.sentences}) == 12


def test_citations_carry_document_metadata(small_service: QAService) -> None:
    resp = small_service.ask("When did the Trade Integration Agreement enter into force?")
    assert resp.found
    assert "1 February 2012" in resp.answer
    assert_grounded(resp)
    c = resp.citations[0]
    doc = small_service.state.data.documents[c.doc_id]
    assert doc.body[c.start : c.end] == c.text
    assert c.url == "https://example.org/agreement" and c.published == "2012-02-01"


def test_answer_picks_the_sentence_that_answers(small_service: QAService) -> None:
    resp = small_service.ask("Who announced the rupture of relations in 2025?")
    assert resp.found and "Hugo de Zela" in resp.answer
    assert_grounded(resp)


def test_out_of_scope_question_is_declined(small_service: QAService) -> None:
    for q in (
        "What is the tallest mountain in the world?",
        "How do I reset my home router password?",
    ):
        resp = small_service.ask(q)
        assert not resp.found, resp.answer
        assert resp.citations == [] and resp.answer == NOT_COVERED["en"]


def test_a_question_near_the_corpus_it_cannot_answer_is_declined(
    small_service: QAService,
) -> None:
    """Passages on the subject are found, but none answers: a year the corpus has nothing
    on, a name it never mentions, a figure it does not give. The decline check, not
    retrieval, has to say no here."""
    for q in (
        "When was the Trade Integration Agreement signed in 1990?",
        "Who signed the agreement for Chile?",
        "How many Mexican tourists visited Peru in 2012?",
    ):
        resp = small_service.ask(q)
        assert not resp.found, (q, resp.answer)
        assert resp.citations == [] and resp.sentences == []


def test_follow_up_is_resolved_against_history(small_service: QAService) -> None:
    history = [Turn(role="user", content="When was the Trade Integration Agreement signed?")]
    resp = small_service.ask("Who signed it?", history)
    assert resp.found and re.search("Ferrari|Ferreyros", resp.answer), resp.answer
    assert_grounded(resp)


def test_self_contained_question_ignores_history(small_service: QAService) -> None:
    alone = small_service.ask("Where was APRA founded?")
    with_history = small_service.ask(
        "Where was APRA founded?",
        [Turn(role="user", content="Who signed the Trade Integration Agreement?")],
    )
    assert alone.answer == with_history.answer and "Mexico City" in alone.answer


def test_present_state_question_shows_source_date(small_service: QAService) -> None:
    resp = small_service.ask("Are Mexico and Peru still in a diplomatic rupture now?")
    assert resp.found
    assert resp.preface is not None and "8 November 2025" in resp.preface
    assert resp.answer.startswith(resp.preface + "\n")
    assert_grounded(resp)


@pytest.mark.fast
def test_demonyms_count_as_their_country_and_several_is_not_sever() -> None:
    assert terms("Mexican exports to Peruvian buyers") == terms("Mexico exports to Peru buyers")
    assert "sever" not in terms("Several outlets give other dates")
    assert terms("Peru's foreign minister") == ["peru", "foreign", "minist"]


@pytest.mark.fast
def test_what_is_asked_for_is_read_from_the_question_opening() -> None:
    who = "Who was Peru's foreign minister when it broke relations with Mexico in 2025?"
    # a name beside "foreign minister" answers; a date alone (the "when" is a clause) does not
    assert (
        answer_type_bonus(
            asked_for(who), "Hugo de Zela became foreign minister on 14 October 2025.", who
        )
        == 1.0
    )
    assert (
        answer_type_bonus(asked_for(who), "Relations were broken on 3 November 2025.", who) == 0.0
    )
    how_many = "How many votes did the motion get?"
    assert (
        answer_type_bonus(asked_for(how_many), "The motion was voted on 6 November 2025.", how_many)
        == 0.0
    )
    assert (
        answer_type_bonus(asked_for(how_many), "The motion passed with 63 votes to 34.", how_many)
        == 1.0
    )
    describe = "How did Mexico's government react to the rupture?"
    assert (
        answer_type_bonus(
            asked_for(describe),
            'The SRE called the decision "excessive and disproportionate".',
            describe,
        )
        == 1.0
    )
    goods = "What goods does Mexico export to Peru?"
    assert (
        answer_type_bonus(
            asked_for(goods),
            "Mexico sells television screens, cars, tractors and medicines to Peru.",
            goods,
        )
        == 1.0
    )
    assert (
        answer_type_bonus(
            asked_for(goods), "In 2024, Peru imported US$1,619 million, a deficit for Peru.", goods
        )
        == 0.0
    )


@pytest.mark.fast
def test_bracketed_numbers_in_a_document_never_read_as_markers() -> None:
    blocks = markdown_to_blocks("The treaty [1] was signed in Lima, as the annex [ 3 ] records.\n")
    assert blocks[0].text == "The treaty (1) was signed in Lima, as the annex ( 3 ) records."


@pytest.mark.fast
def test_irregular_forms_and_sever_meet_break() -> None:
    assert terms("Why did Peru sever relations?") == terms("Why did Peru break relations?")
    assert terms("Peru broke off relations") == terms("Peru break off relations")


def test_a_date_the_corpus_does_not_name_is_declined_with_that_date(
    small_service: QAService,
) -> None:
    on_the_day = small_service.ask("Who announced the rupture on 3 November 2025?")
    assert on_the_day.found and "Hugo de Zela" in on_the_day.answer
    other_day = small_service.ask("Who announced the rupture on 5 November 2025?")
    assert not other_day.found and "5 November 2025" in other_day.answer
