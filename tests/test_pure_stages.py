"""The pure stages one by one, without the model: the sentence scorer over given feature
rows, terms, Markdown reading, source-link rules, follow-up resolution, settings
validation and request limits."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi import HTTPException
from pydantic import ValidationError

from qa_service.config import Settings
from qa_service.conversation import Resolved, needs_context, resolve
from qa_service.corpus_check import url_problems
from qa_service.markup import markdown_to_blocks, split_sentences
from qa_service.reading import answer_type_bonus, asked_for, gives_cause
from qa_service.request_limits import RateLimiter, check_text, check_top_k
from qa_service.schemas import Turn
from qa_service.scoring import (
    CONTEXT_WEIGHT,
    DEFAULT_SCORER,
    HAND_WEIGHTS,
    SCORERS,
    feature_matrix,
    term_weights,
)
from qa_service.terms import fold, terms, words
from tests.test_stages import cand

pytestmark = pytest.mark.fast


# ---------------------------------------------------------------- the sentence scorer


@pytest.mark.parametrize("feature", sorted(HAND_WEIGHTS))
def test_the_default_scorer_ranks_by_every_weighted_feature(feature: str) -> None:
    """One feature raised, all else equal: the score moves the way its weight says."""
    base = cand("Peru broke off relations with Mexico on 3 November 2025.")
    raised = dataclasses.replace(base, **{feature: getattr(base, feature) + 0.5})
    low, high = SCORERS[DEFAULT_SCORER](feature_matrix([base, raised]))
    assert high - low == pytest.approx(0.5 * HAND_WEIGHTS[feature])
    assert (high > low) == (HAND_WEIGHTS[feature] > 0)


def test_the_scorer_prefers_the_sentence_closest_in_meaning_and_words() -> None:
    answer = dataclasses.replace(cand("Hugo de Zela announced the rupture."), sim=0.8, lex=0.9)
    aside = dataclasses.replace(cand("Consular relations were kept."), sim=0.4, lex=0.1)
    scores = SCORERS[DEFAULT_SCORER](feature_matrix([aside, answer]))
    assert scores[1] > scores[0]


# ---------------------------------------------------------------- terms and Markdown


def test_terms_fold_accents_stem_and_drop_stop_words() -> None:
    assert fold("Chávez") == "chavez"
    assert terms("The Peruvians signed the agreements in 2011") == [
        "peru",
        "sign",
        "agreement",
        "2011",
    ]
    assert words("Trade of 1,036 million, 2.5%") == ["trade", "of", "1036", "million", "2.5"]


def test_sentences_are_split_where_they_end_not_at_abbreviations() -> None:
    text = "Dr. Smith went to Lima. He met the minister on 6 April 2011. Then he left."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Dr. Smith went to Lima.",
        "He met the minister on 6 April 2011.",
        "Then he left.",
    ]


def test_markdown_is_read_into_headings_paragraphs_items_and_code() -> None:
    blocks = markdown_to_blocks("# Title\n\nA paragraph.\n\n- one\n- two\n\n```\ncode\n```\n")
    assert [b.kind for b in blocks] == ["heading", "paragraph", "item", "item", "code"]
    assert (blocks[0].text, blocks[0].level, blocks[1].text) == ("Title", 1, "A paragraph.")


# ---------------------------------------------------------------- `check-corpus` link rules


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org:443/a", "default port 443"),
        ("http://example.org/a b", "white space"),
        ("ftp://example.org/a", "not an http(s) address"),
        ("https://web.archive.org/web/2020/https://example.org/", "crawler artefact"),
        ("", "has no URL"),
    ],
)
def test_unclean_source_links_are_named(url: str, problem: str) -> None:
    assert any(problem in p for p in url_problems(url)), url_problems(url)


def test_a_clean_publisher_link_passes() -> None:
    assert url_problems("https://www.gob.mx/sre/prensa/comunicado-123") == []


# ---------------------------------------------------------------- follow-up questions

HISTORY = [
    Turn(role="user", content="When was the Trade Integration Agreement signed?"),
    Turn(role="assistant", content="It was signed in Lima on 6 April 2011 by Bruno Ferrari [1]."),
]


def test_a_follow_up_searches_with_the_turns_before_it() -> None:
    r = resolve("Who signed it?", HISTORY)
    assert r.follow_up and r.question == "Who signed it?"
    assert "Trade Integration Agreement" in r.query and "Bruno Ferrari" in r.context
    assert "[1]" not in r.query  # the citation marker is not searched for
    assert "agreement" in r.context_terms


def test_a_standalone_question_ignores_the_turns_before_it() -> None:
    r = resolve("When did Peru break off relations with Mexico?", HISTORY)
    assert not r.follow_up and r.query == r.question and r.context == ""
    assert needs_context("And in 2012?") and not needs_context("Who founded APRA in 1924?")


# ---------------------------------------------------------------- settings and request limits


@pytest.mark.parametrize(
    ("field", "value"),
    [("chunk_overlap_sentences", 9), ("chunk_overlap_sentences", -1), ("chunk_max_tokens", 0)],
)
def test_out_of_range_settings_are_refused_by_name(field: str, value: int) -> None:
    with pytest.raises(ValidationError, match=field):
        Settings(**{field: value})


def test_text_over_its_limit_or_not_unicode_gets_a_422_that_says_why() -> None:
    with pytest.raises(HTTPException) as err:
        check_text("question", "x" * 11, max_chars=10, setting="QA_MAX_QUESTION_CHARS")
    assert err.value.status_code == 422 and "QA_MAX_QUESTION_CHARS" in str(err.value.detail)
    with pytest.raises(HTTPException) as err:
        check_text("question", "bad \ud800 text")
    assert err.value.status_code == 422 and "surrogate at character 4" in str(err.value.detail)
    check_text("question", "x" * 10, max_chars=10)  # at the limit is fine
    with pytest.raises(HTTPException, match="top_k is 21"):
        check_top_k(21, 20)
    check_top_k(20, 20)


def test_the_rate_limit_counts_per_client_and_says_when_to_come_back() -> None:
    limiter = RateLimiter(2)
    limiter.check("a")
    limiter.check("a")
    limiter.check("b")  # another client has its own share
    with pytest.raises(HTTPException) as err:
        limiter.check("a")
    assert err.value.status_code == 429
    assert 1 <= int((err.value.headers or {})["Retry-After"]) <= 60
    off = RateLimiter(0)
    assert all(off.hit("a") is None for _ in range(100))


# ---------------------------------------------------------------- what a why question wants


@pytest.mark.parametrize(
    "question",
    [
        "Why did Peru require visas?",
        "What was behind 2025's jump in shipments?",
        "What was Mexico's motivation for the partnership?",
        "How did the minister argue that trade would survive?",
    ],
)
def test_questions_asking_for_a_cause_are_read_as_such(question: str) -> None:
    assert asked_for(question).kind == "cause"


def test_a_sentence_that_states_a_cause_beats_one_that_only_follows_an_event() -> None:
    asked = asked_for("Why did Peru require visas from Mexicans?")
    stated = [
        "ADEX attributed the rise mainly to a larger volume of goods.",
        "EFE linked the exclusion to the expulsion of the ambassador.",
        "Peru said it was applying the principle of reciprocity.",
        "The decision stemmed from a weakened relationship.",
    ]
    for sentence in stated:
        assert gives_cause(sentence), sentence
        assert answer_type_bonus(asked, sentence, "") == 1.0
    # "after" only places one event after another: half
    sequence = "The rule took effect on 6 May 2024, after a delay."
    assert not gives_cause(sequence)
    assert answer_type_bonus(asked, sequence, "") == 0.5
    assert answer_type_bonus(asked, "Peru required visas on 4 April 2024.", "") == 0.0


def test_the_conversation_s_terms_weigh_less_than_the_question_s_own() -> None:
    """A follow-up's news is in its own words; the earlier turn's words only place it."""
    resolved = Resolved(
        question="when was it signed?",
        query="the trade agreement when was it signed?",
        context="the trade agreement",
        follow_up=True,
        context_terms=terms("the trade agreement"),
    )
    w = term_weights(resolved, lambda _: 2.0)
    assert w["trade"] == pytest.approx(2.0 * CONTEXT_WEIGHT)
    assert w["sign"] == 2.0
    assert CONTEXT_WEIGHT < 0.5  # the old half weight let the earlier turn's sentence win
