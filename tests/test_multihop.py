"""Two-part and why questions on a real model and a real index built from a small corpus this
module writes: each part of a two-part question is answered, first part first (a part whose
best sentence is a near miss also quotes its close runner-up), and a why
question is answered by the sentence that gives the cause. Each behaviour is also switched off
(the part split, the parts' runners-up, the cause feature) to show the answer then misses what the test asks for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import parts
from tests.conftest import answer_sentences, document, scorer_blind_to, service_over

if TYPE_CHECKING:
    from qa_service.deciding import Scored
    from qa_service.embedding import Embedder
    from qa_service.scoring import Candidate
    from qa_service.service import QAService

CORPUS = {
    "expulsion-2022": document(
        "The expulsion of Mexico's ambassador in 2022",
        "2023-01-10",
        "diplomacy",
        [("Example source on the expulsion", "https://example.org/expulsion")],
        """\
        ## The expulsion

        Peru expelled the Mexican ambassador Pablo Monroy on 20 December 2022.
        The Peruvian foreign ministry gave the Mexican ambassador 72 hours to leave Peru.
        Mexico's ambassador in Lima had been summoned by the Peruvian foreign ministry twice that month.
        Pablo Monroy was the third Mexican ambassador expelled from a Latin American country in a decade.

        ## The embassy afterwards

        Once Monroy had gone, the first secretary Karla Ornelas ran the embassy as chargé d'affaires.
        """,
    ),
    "tambo-strike": document(
        "The Tambo Valley and the Tía María mine",
        "2019-08-01",
        "mining",
        [("Example source on Tía María", "https://example.org/tia-maria")],
        """\
        Farmers of the Tambo Valley oppose the Tía María copper mine of Southern Peru.
        In 2015 the Tambo Valley farmers held an indefinite strike against the Tía María mine.
        The Tambo Valley farmers reject the Tía María mine because they fear that it will contaminate their irrigation water.
        """,
    ),
    "visas-2024": document(
        "Visas between Mexico and Peru in 2024",
        "2024-05-06",
        "migration",
        [("Example source on visas", "https://example.org/visas")],
        """\
        Mexico required visas of Peruvian visitors from 6 May 2024.
        Peru published a visa requirement for Mexicans on 8 April 2024 and revoked it on 11 April 2024.
        """,
    ),
}

TWO_PART = (
    "Which Mexican ambassador did Peru expel in 2022, and who ran the embassy once he had gone?"
)
WHY = "Why are the Tambo Valley farmers against the Tía María mine?"

# A part whose best sentence is a near miss: Boluarte's own rise holds every word of the first
# part but "interim"; Jerí's, which answers it, scores just below (composing._runner_up).
PRESIDENTS = {
    "presidents": document(
        "Peru's presidents, 2022-2026",
        "2026-02-20",
        "politics",
        [("Example source on Peru's presidents", "https://example.org/presidents")],
        """\
        Dina Boluarte became Peru's president after Congress removed Pedro Castillo.
        José Jerí became Peru's interim president on 10 October 2025, after Boluarte.
        Congress removed José Jerí on 17 February 2026.
        On 18 February 2026 Congress elected José María Balcázar to replace Jerí as interim president.
        """,
    ),
}
NEAR_MISS = (
    "Who became Peru's interim president after Boluarte was removed, and who replaced him in"
    " February 2026?"
)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("multihop"), CORPUS, embedder)


@pytest.fixture(scope="module")
def presidents(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("presidents"), PRESIDENTS, embedder)


def test_a_part_quotes_its_close_runner_up_when_its_best_is_a_near_miss(
    presidents: QAService,
) -> None:
    said = answer_sentences(presidents, NEAR_MISS)
    assert any("Jerí became" in s for s in said), said
    assert any("Balcázar" in s for s in said), said


def test_without_the_parts_runners_up_the_near_miss_answers_alone(
    presidents: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import answering, composing

    def bests_only(
        parts_: list[Scored],
        whole: list[Candidate],
        cap: int,
        margin: float | None = None,
        runners: object = None,
        questions: object = None,
    ) -> list[Candidate]:
        return composing.choose_parts(parts_, whole, cap)

    monkeypatch.setattr(answering, "choose_parts", bests_only)
    said = answer_sentences(presidents, NEAR_MISS)
    assert not any("Jerí became" in s for s in said), said
    assert any("Balcázar" in s for s in said), said


def test_a_two_part_question_answers_each_part_first_part_first(service: QAService) -> None:
    said = answer_sentences(service, TWO_PART)
    monroy = next(i for i, s in enumerate(said) if "Monroy" in s and "expelled" in s)
    ornelas = next(i for i, s in enumerate(said) if "Ornelas" in s)
    assert monroy < ornelas, said


def test_without_the_part_split_the_second_part_goes_unanswered(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "split_parts", lambda q, *_: [q])
    said = answer_sentences(service, TWO_PART)
    assert not any("Ornelas" in s for s in said), said


def test_a_why_question_is_answered_first_by_the_sentence_giving_the_cause(
    service: QAService,
) -> None:
    said = answer_sentences(service, WHY)
    assert re.search(r"because .*contaminate", said[0]), said


def test_without_the_cause_feature_the_why_answer_leads_with_the_event(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service import answering
    from qa_service.service import QAService

    scorer_blind_to(monkeypatch, "cause", "kind")
    # and without the move of a close cause-stating runner-up to the front (composing.cause_first)
    monkeypatch.setattr(answering, "cause_first", lambda chosen, decision: chosen)
    blind = QAService(service.settings, service.embedder)
    said = answer_sentences(blind, WHY)
    assert "because" not in said[0], said


@pytest.mark.fast
def test_a_part_split_at_a_comma_and_keeps_each_clause() -> None:
    assert parts.split_parts(
        "Peru's ambassador in Mexico at the 2017 handover, and Mexico's ambassador in Peru in 2016"
    ) == [
        "Peru's ambassador in Mexico at the 2017 handover?",
        "Mexico's ambassador in Peru in 2016",
    ]


@pytest.mark.fast
def test_a_part_does_not_quote_the_same_answer_told_by_another_source() -> None:
    from qa_service.composing import choose_parts
    from qa_service.deciding import Scored
    from tests.test_stages import cand

    recalled = cand("On 15 December 2022, Peru recalled its ambassador Manuel Gerardo Talavera.")
    again = cand("Manuel Gerardo Talavera had been called to Lima on 15 December 2022.", start=99)
    monroy = cand(
        "Peru expelled the Mexican ambassador Pablo Monroy on 20 December 2022.", start=200
    )
    chosen = choose_parts(
        [Scored([recalled], [2.0]), Scored([again, monroy], [1.9, 1.5])], [], max_sentences=3
    )
    assert chosen == [recalled, monroy]


@pytest.mark.fast
def test_a_parts_runner_up_must_name_the_questions_names_as_fully_as_its_best() -> None:
    from qa_service.composing import choose_parts
    from qa_service.deciding import Scored
    from tests.test_stages import cand

    mexico = cand("Mexico joined APEC in November 1993.")
    peru = cand("Peru became a member economy of that forum in 1998.", start=99)
    mexico.entities_in_sentence, peru.entities_in_sentence = 1.0, 0.5
    cptpp = cand("The CPTPP applied to Mexico from 30 December 2018.", start=200)
    scored = [Scored([mexico, peru], [1.6, 1.55]), Scored([cptpp], [1.0])]
    assert choose_parts(scored, [], max_sentences=4, margin=0.18) == [mexico, cptpp]
    peru.entities_in_sentence = 1.0
    assert choose_parts(scored, [], max_sentences=4, margin=0.18) == [mexico, cptpp, peru]


def test_with_the_cause_features_off_a_close_runner_up_that_states_the_cause_still_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """composing.cause_first alone: the event sentence scores best, the 'because' sentence
    within the margin below it goes first."""
    from qa_service.service import QAService

    scorer_blind_to(monkeypatch, "cause", "kind")
    blind = QAService(service.settings, service.embedder)
    said = answer_sentences(blind, WHY)
    assert "because" in said[0], said


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a list of questions, the topic kept in each part
        (
            "jeri: sworn in when, thrown out when",
            ["jeri: sworn in when?", "jeri: thrown out when?"],
        ),
        # "each" of a topic's two things
        (
            "los chancas and michiquillay - how much is each supposed to cost",
            [
                "how much is los chancas supposed to cost?",
                "how much is michiquillay supposed to cost?",
            ],
        ),
        # two things compared, joined by one word
        (
            "Compare the votes by which Congress declared Andrés Manuel López Obrador and Sheinbaum",
            [
                "Compare the votes by which Congress declared Andrés Manuel López Obrador?",
                "Compare the votes by which Congress declared Sheinbaum?",
            ],
        ),
        (
            "Compare the votes by which Peru's Congress declared AMLO and later Sheinbaum unwelcome.",
            [
                "Compare the votes by which Peru's Congress declared AMLO unwelcome?",
                "Compare the votes by which Peru's Congress declared Sheinbaum unwelcome?",
            ],
        ),
        (
            "in 2005 how did mexican investment in peru compare with peruvian investment in mexico",
            ["in 2005 mexican investment in peru?", "in 2005 peruvian investment in mexico?"],
        ),
        (
            "How old was José Jerí when he became president compared with Balcázar?",
            ["How old was José Jerí when he became president?", "what about Balcázar?"],
        ),
        # two coordinated things: ordinals, a repeated preposition, two verbs sharing an object
        (
            "first and second mexican presidents to set foot in peru?",
            [
                "first mexican presidents to set foot in peru?",
                "second mexican presidents to set foot in peru?",
            ],
        ),
        (
            "where did peru rank among mexico's trade partners in latin america and in the world",
            [
                "where did peru rank among mexico's trade partners in latin america?",
                "where did peru rank among mexico's trade partners in the world?",
            ],
        ),
        (
            "what did mexico export to and import from peru in 2025",
            [
                "what did mexico export to peru in 2025?",
                "what did mexico import from peru in 2025?",
            ],
        ),
        # two years, each closing a clause of its own after "and"
        (
            "peru exports to mexico: full 2024 and then jan to aug 2025",
            [
                "peru exports to mexico: full 2024 and then jan to aug",
                "peru exports to mexico: full then jan to aug 2025",
            ],
        ),
        # a preposition repeated after "vs"
        (
            "cptpp entry into force for mexico vs for peru?",
            ["cptpp entry into force for mexico?", "cptpp entry into force for peru?"],
        ),
    ],
)
def test_two_part_forms_split(question: str, expected: list[str]) -> None:
    assert parts.split_parts(question) == expected


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "When did Mexico and Peru sign the FTA?",
        "When was the treaty signed and ratified?",
        "How did trade between Mexico and Peru compare?",
        "When Dina Boluarte was sworn in, until what date did she say she'd govern?",
        "what jab did amlo make about peru's people vs its government in may 2023",
        "when did mexico and peru team up against the coup in bolivia",
        "Apart from Mexico, which governments signed the statement defending Castillo?",
        # a span of two years is one part
        "which prison was chavez locked up in between 2023 and 2025",
        "Which Mexican embassy did Haya de la Torre hide in between 1949 and 1954?",
        "Why do some sources date APRA to 1930 rather than 1924?",
    ],
)
def test_one_part_questions_do_not_split(question: str) -> None:
    assert parts.split_parts(question) == [question]


# A list of questions under a topic, with no "and" between them (parts._by_list).
LISTED = "Expulsion in 2022: which Mexican ambassador did Peru expel, who ran the embassy once he had gone?"


def _order(said: list[str]) -> tuple[int, int]:
    monroy = next(i for i, s in enumerate(said) if "Monroy" in s and "expelled" in s)
    return monroy, next(i for i, s in enumerate(said) if "Ornelas" in s)


def test_a_list_of_questions_answers_each_in_the_order_asked(service: QAService) -> None:
    said = answer_sentences(service, LISTED)
    monroy, ornelas = _order(said)
    assert monroy < ornelas, said


def test_without_the_list_split_the_answer_leads_with_the_second_question(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parts, "_by_list", lambda q, **_: [q])
    said = answer_sentences(service, LISTED)
    monroy, ornelas = _order(said)
    assert ornelas < monroy, said


@pytest.mark.fast
def test_a_parallel_sentence_with_its_own_figures_answers_the_other_part() -> None:
    from qa_service.composing import choose_parts
    from qa_service.deciding import Scored
    from tests.test_stages import cand

    chancas = cand("Los Chancas, in Apurímac, is expected to cost 2,600 million US dollars.")
    michi = cand(
        "Michiquillay, in Cajamarca, is expected to cost 2,500 million US dollars.", start=99
    )
    chosen = choose_parts([Scored([chancas], [1.3]), Scored([michi], [1.0])], [], max_sentences=3)
    assert chosen == [chancas, michi]
