"""What a question asserts, checked against the sentence that would be quoted (constraints.py)
and the decisions built on it (deciding.Decider), without the model."""

from __future__ import annotations

import datetime as dt

import pytest

from qa_service.constraints import (
    after_source,
    asks_about_corpus,
    asks_about_plans,
    contradicts,
    direction_pairs,
    is_meta,
    other_years,
    question_start,
    reverses,
    statement_date,
    swaps,
)

pytestmark = pytest.mark.fast


def test_names_linked_by_in_or_to_form_an_ordered_pair_a_demonym_meeting_its_country() -> None:
    assert direction_pairs("How many Mexican citizens live in Peru?") == {("mexi", "peru")}
    assert direction_pairs("In 2020, 8,670 Peruvian citizens lived in Mexico.") == {
        ("peru", "mexi")
    }
    assert direction_pairs("Mexico and Peru signed the agreement.") == set()


def test_a_sentence_on_the_other_direction_contradicts_the_question() -> None:
    question = "How many Mexican citizens live in Peru?"
    assert reverses(
        question, "According to the 2020 census, 8,670 Peruvian citizens lived in Mexico."
    )
    assert reverses(
        "How many pre-Columbian pieces has Peru returned to Mexico?",
        "In July 2017 Mexico returned to Peru 168 archaeological pieces.",
    )
    # the same direction, or a sentence that holds both, does not
    assert not reverses(
        "How many Peruvians live in Mexico?", "8,670 Peruvian citizens lived in Mexico."
    )
    assert not reverses(
        question, "Peruvians lived in Mexico, and 1,200 Mexican citizens lived in Peru."
    )


def test_another_name_in_the_questions_slot_contradicts_it() -> None:
    question = "Why did López Obrador give the rotating presidency to Colombia in 2023?"
    assert swaps(question, "López Obrador refused to hand the rotating presidency to Peru.")
    assert contradicts(question, "López Obrador refused to hand the rotating presidency to Peru.")
    # the question's own name anywhere in the sentence: no swap ("Cerro Paranal" for "Paranal")
    assert not swaps(
        "Why did they sign at Paranal?", "They signed in Chile, at Cerro Paranal, in 2012."
    )
    assert not contradicts(
        "Why did Castillo seek asylum in Mexico?", "He sought asylum in the Mexican embassy."
    )


def test_a_sentence_naming_only_other_years_is_not_on_the_questions_year() -> None:
    assert other_years(
        ["2024"], "For 2022, Mexico's Economy Secretariat reported US$1,222 million."
    )
    assert not other_years(["2024"], "In 2024, Peru exported US$888 million to Mexico.")
    assert not other_years(["2024"], "Peru exported more than it imported.")  # names no year
    assert not other_years(
        [], "For 2022, exports were US$1,222 million."
    )  # the question names none


def test_the_questions_date_is_read_at_its_finest_and_plans_are_left_alone() -> None:
    assert question_start("who was sworn in as peru's president on 28 july 2026?") == dt.date(
        2026, 7, 28
    )
    assert question_start("What happened in June 2026?") == dt.date(2026, 6, 1)
    assert question_start("How much did Peru export in 2019?") == dt.date(2019, 1, 1)
    assert question_start("Who will take office on 28 July 2026?") is None
    assert question_start("Who is Peru's president?") is None


def test_a_source_cannot_report_what_happened_after_it_was_published() -> None:
    published = dt.date(2026, 5, 17)
    assert after_source(dt.date(2026, 7, 28), published)
    assert not after_source(dt.date(2026, 1, 1), published)
    assert not after_source(None, published)


def test_the_document_about_the_corpus_answers_only_questions_about_the_corpus() -> None:
    assert is_meta(["about", "coverage", "limits"])
    assert not is_meta(["trade", "diplomacy"])
    assert asks_about_corpus("What period does the corpus cover?")
    assert not asks_about_corpus("Who is Peru's president?")


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("On 8 November 2025, Karla Ornelas left Peru.", dt.date(2026, 2, 24), (2025, 11, 8)),
        ("Teresa Mera was minister in November 2025.", dt.date(2026, 2, 24), (2025, 11, 0)),
        ("Peru's general election of 2026 was called.", dt.date(2026, 3, 10), (2026, 0, 0)),
        # A date after the source's own is a plan or a term, not when the statement held.
        (
            "He has been held since 7 December 2022, so his term runs until 21 May 2034.",
            dt.date(2026, 2, 20),
            (2022, 12, 7),
        ),
        ("The winner takes office on 28 July 2026.", dt.date(2026, 3, 10), (0, 0, 0)),
        ("Pablo Monroy was Mexico's ambassador to Peru.", dt.date(2026, 2, 24), (0, 0, 0)),
    ],
)
def test_statement_date_is_the_newest_date_its_source_could_report(
    sentence: str, published: dt.date, expected: tuple[int, int, int]
) -> None:
    assert statement_date(sentence, published) == expected


def test_a_question_about_plans_is_read_as_such() -> None:
    assert asks_about_plans("has tia maria started operating or when is it supposed to")
    assert not asks_about_plans("how far along is tia maria currently")
