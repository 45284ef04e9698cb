"""The answer path's stages one by one, without the model: reading the question (language,
names), features, the decision's hard constraints, composition and framing."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pytest

from qa_service import framing
from qa_service.composing import (
    as_decided,
    choose,
    choose_parts,
    completion_first,
    not_shown,
    with_cause,
    with_context,
)
from qa_service.conversation import Resolved, resolve
from qa_service.deciding import (
    Decision,
    Scored,
    corpus_gap,
    dated,
    dates_named,
    satisfying,
    years_held,
)
from qa_service.language import detect, to_english
from qa_service.lexicon import Lexicon
from qa_service.parts import retrieve_parts, split_parts
from qa_service.reading import asked_for, counts, leans_on_previous, present_terms, question_years
from qa_service.retrieval import Hit
from qa_service.schemas import Turn
from qa_service.scoring import Candidate, subject_weights
from qa_service.spanish import CorpusNames

pytestmark = pytest.mark.fast

CORPUS = [
    "Andrés Manuel López Obrador refused to recognise Dina Boluarte. Later, Andrés Manuel López Obrador "
    "spoke again. The Pacific Alliance met in Lima, and the Pacific Alliance presidency was disputed.",
    "Grupo México owns Southern Copper. Pedro Castillo asked Mexico for asylum. Claudia Sheinbaum answered.",
]


def cand(
    text: str,
    *,
    row: int = 0,
    start: int = 0,
    previous: tuple[int, int] | None = None,
    leans: bool = False,
    kind: float = 0.0,
    years_ok: float = 1.0,
    entities_ok: float = 1.0,
) -> Candidate:
    return Candidate(
        row=row,
        start=start,
        end=start + len(text),
        text=text,
        previous=previous,
        leans=leans,
        published_ord=0,
        sim=0.5,
        sim_gap=0.0,
        sim_alone=0.5,
        lex=0.5,
        ctx=0.5,
        kind=kind,
        passage_dense=0.5,
        passage_gap=0.0,
        fused=1.0,
        bm25=1.0,
        passage_rank=1.0,
        meta=0.0,
        years_ok=years_ok,
        entities_ok=entities_ok,
        entities_in_sentence=entities_ok,
        recency=0.0,
        leaning=1.0 if leans else 0.0,
        length=0.5,
    )


def test_acronyms_and_misspelt_names_are_written_as_the_corpus_writes_them() -> None:
    lex = Lexicon(CORPUS, common=["coast", "status", "word", "castle"])
    assert lex.normalise("What did AMLO say?") == "What did Andrés Manuel López Obrador say?"
    assert lex.normalise("what did the PA decide") == "what did the Pacific Alliance decide"
    assert lex.normalise("What does Grupo Mexcio own?") == "What does Grupo México own?"
    assert lex.normalise("when did castiyo ask for asylum") == "when did Castillo ask for asylum"
    assert lex.normalise("what did sheimbaum answer") == "what did Sheinbaum answer"
    # words the corpus itself uses, and ordinary words, are left alone
    assert (
        lex.normalise("Did Boluarte answer the asylum question?")
        == "Did Boluarte answer the asylum question?"
    )
    assert (
        lex.normalise("Did the word of PPK's critics hurt?")
        == "Did the word of PPK's critics hurt?"
    )
    assert (
        lex.normalise("What did AMLO's team say?")
        == "What did Andrés Manuel López Obrador's team say?"
    )


# Names the corpus writes that are ordinary words too, as the corpus's capitalised titles write them.
_TITLED = [*CORPUS, "The report was titled Mining in Peru. The senator said Welcome to Lima."]
_ORDINARY = ["mind", "welcome", "diplomatic", "castle"]


def test_a_form_of_an_ordinary_word_is_not_respelled_as_a_name() -> None:
    lex = Lexicon(_TITLED, common=_ORDINARY, spare_inflections=True)
    assert lex.normalise("who is minding the embassy") == "who is minding the embassy"
    assert lex.normalise("why was she declared unwelcome") == "why was she declared unwelcome"
    # misspelt names are still respelled
    assert lex.normalise("what does Grupo Mexcio own") == "what does Grupo México own"


def test_without_sparing_inflections_ordinary_words_become_names() -> None:
    lex = Lexicon(_TITLED, common=_ORDINARY)
    assert lex.normalise("who is minding the embassy") == "who is Mining the embassy"
    assert lex.normalise("why was she declared unwelcome") == "why was she declared Welcome"


def test_english_function_words_shared_with_spanish_do_not_tip_the_language() -> None:
    assert detect("where's he from") == "en"
    assert detect("has peru granted chavez her safe conduct yet") == "en"
    assert detect("donde nacio el") == "es"


def test_without_the_fuller_english_list_he_and_has_read_as_spanish() -> None:
    assert detect("where's he from", more_english=False) == "es"
    assert detect("has peru granted chavez her safe conduct yet", more_english=False) == "es"


def test_language_is_read_from_function_words_not_accents() -> None:
    assert detect("¿Quién es Betssy Chávez?") == "es"
    assert detect("por que peru rompio relaciones con mexico") == "es"
    assert detect("Who is Betssy Chávez?") == "en"
    assert detect("When did Perú and México sign the agreement?") == "en"


@pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apertium-eng-spa is installed by `make setup`"
)
def test_spanish_questions_are_translated_with_the_corpus_names_kept() -> None:
    names = CorpusNames.from_texts(CORPUS * 2)  # each name used twice: enough to be kept
    english = to_english("¿Por qué Castillo pidió asilo a México?", names)
    assert "Castillo" in english and "Castle" not in english
    assert english.lower().startswith("why")
    assert to_english("quien es el presidente del peru ahora", names).lower().startswith("who")


def test_a_sentence_that_leans_on_the_previous_one_is_recognised() -> None:
    assert leans_on_previous("That was the first break since 1932.", "Peru broke off relations.")
    assert leans_on_previous("The judge ordered her release.", "A judge in Lima heard the case.")
    assert not leans_on_previous(
        "The Trade Integration Agreement entered into force in 2012.", "It was signed in 2011."
    )


def test_questions_naming_a_year_keep_only_sentences_that_speak_of_it() -> None:
    resolved = Resolved(question="What was bilateral trade in 2019?", query="")
    assert question_years(resolved.question) == ["2019"]
    scored = Scored([cand("Trade reached US$2.5 billion in 2024.", years_ok=0.0)], [3.0])
    kept, _ = satisfying(resolved, scored)
    assert kept == []
    ok = Scored([cand("Trade reached US$1.9 billion in 2019.")], [3.0])
    assert satisfying(resolved, ok)[0] == ok.candidates


def test_close_runners_up_join_but_near_repeats_do_not() -> None:
    first = cand("Bruno Ferrari and Eduardo Ferreyros signed the agreement.", start=0)
    repeat = cand("The agreement was signed by Bruno Ferrari and Eduardo Ferreyros.", start=100)
    second = cand("It entered into force on 1 February 2012.", start=200)
    decision = Decision("answer", [first, repeat, second], [5.0, 4.8, 4.5])
    assert choose(decision, 3, margin=2.0) == [first, second]
    far = Decision("answer", [first, second], [5.0, 1.0])  # too far below the best
    assert choose(far, 3, margin=2.0) == [first]


def test_a_leaning_sentence_is_quoted_with_the_one_before_it() -> None:
    leaning = cand(
        "That was the first rupture since 1932.", start=50, previous=(10, 48), leans=True
    )
    quotes = with_context([leaning], {0: 0})
    assert [(q.start, q.end) for q in quotes] == [(10, 48), (50, 50 + len(leaning.text))]
    # not when the sentence it leans on lies outside the cited passage
    assert [(q.start, q.end) for q in with_context([leaning], {0: 20})] == [
        (50, 50 + len(leaning.text))
    ]


def test_a_first_sentence_that_names_its_subject_leads_its_context() -> None:
    text = "The court acquitted Castillo of the other charges."
    named = cand(text, start=50, previous=(10, 48), leans=True)
    assert [(q.start, q.end) for q in with_context([named], {0: 0})] == [
        (50, 50 + len(text)),
        (10, 48),
    ]
    # a runner-up keeps its context before it
    first = cand("Peru broke off relations on 3 November 2025.", start=200)
    assert [(q.start, q.end) for q in with_context([first, named], {0: 0})][1:] == [
        (10, 48),
        (50, 50 + len(text)),
    ]


def test_now_answers_warn_when_their_newest_source_is_old() -> None:
    today = dt.date(2026, 11, 30)
    fresh = framing.as_of(dt.date(2026, 10, 1), today, "en")
    assert fresh.startswith("As of 1 October 2026") and "changed" not in fresh
    stale = framing.as_of(dt.date(2026, 2, 24), today, "en")
    assert "24 February 2026" in stale and "9 months" in stale and "changed" in stale
    assert "24 de febrero de 2026" in framing.as_of(dt.date(2026, 2, 24), today, "es")
    assert framing.not_covered("es").startswith("El corpus no cubre")


def test_a_date_finer_than_a_year_must_be_in_the_sentence_context() -> None:
    on_the_day = cand("Sánchez and Fujimori qualified for the runoff of 7 June 2026.")
    same_year = cand("Peru held a general election in 2026.", start=100)
    scored = Scored([same_year, on_the_day], [3.0, 2.0])
    for question in ("Who won the 7 June 2026 runoff?", "Who won the runoff on June 7, 2026?"):
        kept = dated(Resolved(question=question, query=""), scored, lambda c: c.text)
        assert kept.candidates == [on_the_day] and kept.scores == [2.0]
    month = Resolved(question="Were relations restored in September 2026?", query="")
    assert dated(month, scored, lambda c: c.text).candidates == []
    assert dates_named(month.question) == ["September 2026"]
    assert dates_named("Who won the 7 June 2026 runoff?") == ["7 June 2026"]
    # a question naming only a year leaves every candidate to the year check
    year_only = Resolved(question="Who won the 2026 runoff?", query="")
    assert dated(year_only, scored, lambda c: c.text) == scored


def test_the_corpus_recording_its_own_gap_declines_with_that_sentence() -> None:
    gap = cand("No source consulted for this corpus reports the result of the runoff.")
    fact = cand("Sánchez and Fujimori qualified for the runoff.", start=100)
    assert corpus_gap(Scored([gap, fact], [3.0, 2.0])) == gap.text
    assert corpus_gap(Scored([fact, gap], [3.0, 2.0])) is None
    decision = Decision("corpus_gap", holds=gap.text)
    assert gap.text in framing.not_covered("en", decision.holds)
    # A claim check denies one figure; it is not the corpus saying what it lacks, and a
    # question asking for the figure the corpus does hold is answered.
    check = cand("No source consulted gives a 2024 total of US$1.8 billion, so it is not repeated.")
    assert corpus_gap(Scored([check, fact], [3.0, 2.0])) is None
    assert corpus_gap(Scored([cand("The corpus does not know who won.")], [3.0])) is not None


def test_a_missing_year_decline_says_which_years_the_corpus_has() -> None:
    best = [cand("Trade reached US$1.9 billion in 2018 and US$2.5 billion in 2024.", years_ok=0.0)]
    held = years_held(Scored(best, [3.0]))
    assert held == ["2018", "2024"]
    assert framing.missing_years(["2019"], "en", held).endswith("It does for 2018 and 2024.")
    assert "Sí los tiene para 2018 y 2024." in framing.missing_years(["2019"], "es", held)


def test_a_two_part_question_is_split_at_its_second_question_word() -> None:
    parts = split_parts(
        "Which ambassador did Peru expel in 2022, and who ran the embassy once he had gone?"
    )
    assert parts[0] == "Which ambassador did Peru expel in 2022?"
    # a second part that refers back is left as asked: it is searched with the first (below)
    assert parts[1] == "who ran the embassy once he had gone?"
    # one that does not refer back is asked as it stands, no names of the first added to it
    assert split_parts("When was APRA founded, and in what year did Peru break with Mexico?")[
        1
    ] == ("in what year did Peru break with Mexico?")
    # "and" inside one question does not split it, nor does a tail too short to ask anything
    assert split_parts("Which ministers of Mexico and Peru signed it?") == [
        "Which ministers of Mexico and Peru signed it?"
    ]
    assert len(split_parts("When was it signed and why?")) == 1


def test_a_second_part_that_refers_back_is_searched_with_the_first_as_its_context() -> None:
    asked: list[Resolved] = []

    def retrieve(r: Resolved) -> tuple[list[Hit], np.ndarray]:
        asked.append(r)
        return [], np.zeros(3, dtype=np.float32)

    q = "Who signed the trade integration deal for Peru, and when did it start applying?"
    parts = retrieve_parts(Resolved(question=q, query=q, original=q), retrieve)
    first, second = (p.resolved for p in parts)
    assert first.question == first.query == "Who signed the trade integration deal for Peru?"
    assert not first.follow_up
    # "it" is the deal: the first part is the second's context, its terms weighed as a follow-up's
    assert second.question == "when did it start applying?"
    assert second.follow_up and second.context == first.question
    assert second.query == f"{first.question} {second.question}"
    assert {"trade", "deal"} <= set(second.context_terms)


def test_a_question_comparing_two_years_asks_about_each_year() -> None:
    parts = split_parts("Compare Peru's 2024 and 2025 export totals to Mexico.")
    assert parts == [
        "Compare Peru's 2024 export totals to Mexico.",
        "Compare Peru's 2025 export totals to Mexico.",
    ]
    parts = split_parts("How did Mexico-Peru trade in 2004 compare with 2024?")
    assert parts == [
        "How did Mexico-Peru trade in 2004 compare?",
        "How did Mexico-Peru trade compare with 2024?",
    ]
    # two years without a comparison are one question
    assert len(split_parts("What happened between 2022 and 2025?")) == 1


def test_each_part_of_a_two_part_question_gets_its_best_sentence_first() -> None:
    signer = cand("Bruno Ferrari and Eduardo Ferreyros signed the agreement.", start=0)
    repeat = cand("The agreement was signed by Bruno Ferrari and Eduardo Ferreyros.", start=100)
    force = cand("The agreement entered into force on 1 February 2012.", start=200)
    other = cand("Trade grew after the agreement.", start=300)
    parts = [Scored([signer, repeat], [5.0, 4.9]), Scored([force, signer], [4.0, 1.0])]
    # the whole question's own choice found only the first half
    chosen = choose_parts(parts, [repeat, signer, other], max_sentences=3)
    assert chosen == [signer, force, other]
    assert choose_parts(parts, [], max_sentences=1) == [signer]


def test_a_second_part_whose_best_sentence_the_first_already_quoted_gives_its_runner_up() -> None:
    signer = cand("Ferreyros signed the agreement in April 2011.", start=0)
    force = cand("The agreement entered into force on 1 February 2012.", start=100)
    parts = [Scored([signer], [5.0]), Scored([signer, force], [4.0, 3.0])]
    assert choose_parts(parts, [], max_sentences=3) == [signer, force]


def test_a_part_answers_from_the_candidates_its_decision_kept() -> None:
    other_year = cand("Ebrard ran the ministry in 2022.", start=0, years_ok=0.0)
    asked_year = cand("De la Fuente ran the ministry in 2025.", start=100)
    scored = Scored([other_year, asked_year], [5.0, 4.0])
    kept = Decision("answer", [asked_year], [4.0])
    assert as_decided(kept, scored).candidates == [asked_year]
    # a part the decider declines keeps its own ranking: the whole question may still answer
    assert as_decided(Decision("missing_year"), scored) is scored


def test_a_follow_up_does_not_quote_again_what_the_previous_answer_showed() -> None:
    history = [
        Turn(role="user", content="What was ACE 8?"),
        Turn(role="assistant", content="ACE 8 was the trade agreement before 2011. [1]"),
    ]
    resolved = resolve("What took its place?", history)
    assert resolved.follow_up and resolved.shown == "ACE 8 was the trade agreement before 2011."
    old = cand("ACE 8 was the trade agreement before 2011.", start=0)
    new = cand("The Trade Integration Agreement replaced ACE 8 in 2012.", start=100)
    kept = not_shown(Scored([old, new], [5.0, 4.0]), resolved.shown)
    assert kept.candidates == [new] and kept.scores == [4.0]
    # when nothing else was found, the old sentence stays rather than no answer
    assert not_shown(Scored([old], [5.0]), resolved.shown).candidates == [old]
    # a question that does not lean on the conversation carries nothing shown
    assert resolve("Who signed the 2011 agreement?", history).shown == ""


def test_a_why_answer_whose_best_sentence_states_no_cause_brings_the_sentence_after_it() -> None:
    event = cand("Residents of the valley began an indefinite strike against the mine.", start=0)
    cause = cand(
        "They say the mine will contaminate their land.", start=70, previous=(0, event.end)
    )
    elsewhere = cand("The project lies next to the valley.", row=1, start=0)
    ranked = [event, elsewhere, cause]
    doc = {0: "tia-maria", 1: "tia-maria-2"}.__getitem__
    assert with_cause([event, elsewhere], ranked, doc, 3) == [event, cause, elsewhere]
    # never past the answer's length, and never when the best sentence gives the cause itself
    assert with_cause([event, elsewhere, elsewhere], ranked, doc, 3) == [
        event,
        elsewhere,
        elsewhere,
    ]
    because = cand("Residents went on strike because the mine would contaminate their land.")
    assert with_cause([because], [because, cause], doc, 3) == [because]
    # the sentence after must be in the same document's block
    other = cand("Another document's sentence.", row=1, start=70, previous=(0, event.end))
    assert with_cause([event], [event, other], doc, 3) == [event]


def test_a_chosen_sentence_that_completes_the_best_one_leads_it() -> None:
    scene = cand("In May 2019 Peru's consulate said that 850 Peruvians lived in Baja California.")
    scene.ctx = 0.5
    answer = cand(
        "Most of those 850 Peruvians worked in the medical and culinary sectors.",
        start=scene.end + 1,
        previous=(scene.start, scene.end),
    )
    answer.ctx = 0.8
    elsewhere = cand("Peru's consulate in Tijuana opened in 2010.", row=1)
    assert completion_first([scene, elsewhere, answer]) == [answer, scene, elsewhere]
    # not when it adds less than COMPLETES of the question's weight to the best
    answer.ctx = 0.55
    assert completion_first([scene, answer]) == [scene, answer]
    # nor when it opens with a pronoun: it cannot stand first
    answer.ctx = 0.8
    answer.text = "They worked mostly in the medical and culinary sectors."
    assert completion_first([scene, answer]) == [scene, answer]
    # nor when it follows another sentence than the best
    answer.text, answer.previous = "Most of those 850 Peruvians worked in medicine.", (0, 5)
    assert completion_first([scene, answer]) == [scene, answer]


def test_the_words_that_date_a_question_to_the_present_do_not_weigh_on_sentences() -> None:
    assert present_terms("Who is the current foreign minister of Peru?") == {"current"}
    assert present_terms("Who currently has custody of the embassy?") == {"current"}
    # "still" is what a sentence that answers says ("visitors still needed a visa")
    assert present_terms("Do Peruvian tourists still need a visa for Mexico?") == frozenset()
    weights = {"current": 2.0, "foreign": 1.0, "minist": 1.5}
    assert subject_weights(weights, "Who is the current foreign minister?") == {
        "foreign": 1.0,
        "minist": 1.5,
    }
    assert subject_weights(weights, "Who was foreign minister in 2023?") == weights


def test_a_count_in_words_answers_how_many_of_what_is_counted() -> None:
    states = asked_for("How many states ratified the Caracas Convention?").counted
    assert counts("Fourteen states ratified the Convention.", states) == (
        "Fourteen states ratified",
    )
    assert counts("It entered into force in 1954 with 2 ratifications.", states) == ("2",)
    asylum = asked_for("how many peruvians have asked mexico for asylum since 2022").counted
    assert counts("Mexico granted asylum to his wife and their two minor children.", asylum) == ()
