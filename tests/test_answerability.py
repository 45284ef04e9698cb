"""Answerability: the constraint features (fast, pure) and the learned decline on the real
corpus, where a near-topic question the corpus cannot answer is declined and its answerable
twin is answered, and switching the learned decline off makes the first one answered again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from qa_service.answerability import (
    ANSWERABILITY_FEATURES,
    DECLINE_FEATURES,
    constraint_features,
    decline_columns,
    uses_model,
)
from qa_service.composing import decline_text
from qa_service.config import Settings
from qa_service.constraints import contradicts, question_start
from qa_service.conversation import Resolved
from qa_service.deciding import Decision
from qa_service.embedding import Embedder
from qa_service.index import build_index
from qa_service.ranker import DECLINE_FILE, LinearModel
from qa_service.service import QAService

ROOT = Path(__file__).resolve().parent.parent


def _idf(term: str) -> float:
    """A stand-in IDF: rare words are long ones."""
    return float(len(term))


def _features(question: str, sentence: str, context: str | None = None) -> dict[str, float]:
    row = constraint_features(question, sentence, context or sentence, _idf, 20.0)
    names = ANSWERABILITY_FEATURES[-len(row) :]
    return dict(zip(names, row, strict=True))


@pytest.mark.fast
def test_the_years_a_question_asks_about_are_read_from_the_sentence_itself() -> None:
    q = "How many Peruvians lived in Mexico in 2010?"
    on_year = _features(q, "In 2010, 5,000 Peruvians lived in Mexico.")
    other_year = _features(q, "In 2020, 8,670 Peruvians lived in Mexico.", "census 2010 2020")
    assert on_year["years_in_sentence"] == 1.0 and on_year["other_years_only"] == 0.0
    assert other_year["years_in_sentence"] == 0.0 and other_year["other_years_only"] == 1.0
    assert _features("How many Peruvians live in Mexico?", "8,670 lived there.")[
        "years_in_sentence"
    ] == (1.0)


@pytest.mark.fast
def test_the_rarest_question_word_missing_from_the_sentence_is_measured() -> None:
    q = "How many tonnes of copper did Toquepala produce?"
    lacking = _features(q, "Toquepala is a copper mine of Southern Copper.")
    holding = _features(q, "Toquepala produced 200,000 tonnes of copper.")
    assert lacking["missing_rare_sentence"] > holding["missing_rare_sentence"]


@pytest.mark.fast
def test_a_reversed_direction_counts_as_a_contradiction() -> None:
    q = "How many Mexicans live in Peru?"
    assert _features(q, "8,670 Peruvians lived in Mexico.")["contradicts"] == 1.0
    assert _features(q, "About 2,000 Mexicans live in Peru.")["contradicts"] == 0.0


@pytest.mark.fast
def test_the_learned_decline_decides_only_questions_asking_for_a_figure() -> None:
    assert uses_model("How many votes did the Senate cast?")
    assert uses_model("How much did Peru export to Mexico in 2024?")
    assert not uses_model("Why did Peru break off relations with Mexico?")
    assert not uses_model("Who founded APRA?")


@pytest.mark.fast
def test_the_decline_model_reads_its_own_columns() -> None:
    row = np.arange(len(ANSWERABILITY_FEATURES), dtype=float)[None, :]
    picked = decline_columns(row)[0].tolist()
    assert picked == [float(ANSWERABILITY_FEATURES.index(f)) for f in DECLINE_FEATURES]
    model = LinearModel.load(DECLINE_FILE)
    assert model is not None and tuple(model.features) == DECLINE_FEATURES


@pytest.fixture(scope="module")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """The real corpus, built into a folder of its own."""
    settings = Settings(
        corpus_dir=ROOT / "corpus", index_dir=tmp_path_factory.mktemp("real") / "index"
    )
    build_index(settings, embedder, progress=False)
    return settings


# Near-topic questions the corpus cannot answer (a census year it has no count for, a tax it
# never reports) and their answerable twins. None is a case of a question set.
UNANSWERABLE = (
    "How many Peruvians lived in Mexico at the 2010 census?",
    "How much tax did Southern Copper pay Peru in 2023?",
)
ANSWERABLE = {
    "How many Peruvians lived in Mexico at the 2020 census?": "8,670",
    "How much did Southern Copper say Tía María would cost?": "1,800 million",
}


def test_a_near_topic_figure_the_corpus_lacks_is_declined_and_its_twin_answered(
    corpus_settings: Settings, embedder: Embedder
) -> None:
    service = QAService(corpus_settings.model_copy(update={"decline_model": "learned"}), embedder)
    for q in UNANSWERABLE:
        resp = service.ask(q)
        assert not resp.found and resp.citations == [], (q, resp.answer)
    for q, figure in ANSWERABLE.items():
        resp = service.ask(q)
        assert resp.found and figure in resp.answer, (q, resp.answer)


def test_without_the_learned_decline_those_questions_are_answered(
    corpus_settings: Settings, embedder: Embedder
) -> None:
    """The declines above are the answerability model's: with it off they are answered (the
    checks that decline the same near-topic figures by rule, test_focus, test_figure_year,
    test_missing_figure and test_missing_amount, off too)."""
    off = {
        "decline_model": "constraints",
        "decline_missing_noun": False,
        "decline_figure_other_year": False,
        "decline_missing_figure": False,
        "decline_missing_amount": False,
    }
    service = QAService(corpus_settings.model_copy(update=off), embedder)
    assert all(service.ask(q).found for q in UNANSWERABLE)


@pytest.mark.fast
def test_each_decline_says_why_in_the_question_language() -> None:
    """A later date names the corpus's horizon, a contradicted premise leads with what the corpus
    says, a figure the model declines names the years the closest passages do speak of."""
    en = Resolved(question="Who won the runoff on 7 June 2026?", query="")
    es = Resolved(question="¿Quién ganó la segunda vuelta?", query="", language="es")
    horizon = Decision("after_horizon", horizon=dt.date(2026, 5, 17))
    assert decline_text(en, horizon).startswith("The corpus stops at 17 May 2026")
    assert decline_text(es, horizon).startswith("El corpus llega hasta el 17 de mayo de 2026")
    said = "Peru broke off relations with Mexico."
    corrected = decline_text(en, Decision("contradicted", holds=said))
    assert corrected.endswith(f"It says: {said}")
    figure = Decision("model", missing=["2019"], held_years=["2018", "2019", "2024"])
    text = decline_text(en, figure)
    assert "does not give this figure" in text and text.endswith("speak of 2018 and 2024.")
    assert "no da esta cifra" in decline_text(es, figure)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "start"),
    [
        ("¿Quién ganó el 12 de abril de 2026?", dt.date(2026, 4, 12)),
        ("¿Quién asumió el 28 de julio del 2026?", dt.date(2026, 7, 28)),
        ("Who took office on 28 July of the 2026?", dt.date(2026, 7, 28)),
        ("¿Qué pasó el 3 de setiembre de 2026?", dt.date(2026, 9, 3)),
        ("What did he say on 1st May 2026?", dt.date(2026, 5, 1)),
        ("¿Se restablecieron en septiembre de 2026?", dt.date(2026, 9, 1)),
        ("Who is due to take office on 28 July 2026?", None),
    ],
)
def test_a_question_date_is_read_in_spanish_too(question: str, start: dt.date | None) -> None:
    assert question_start(question) == start


@pytest.mark.fast
def test_a_verb_between_two_names_orders_them_within_one_clause() -> None:
    """ "Peruvian tourists visited Mexico" is the reverse of "Mexican tourists visited Peru"; a
    reporting clause after a comma ("…, according to Mexico's ambassador") orders nothing."""
    q = "How many Peruvian tourists visited Mexico in 2018?"
    said = (
        "In 2018 more than 90,000 Mexican tourists visited Peru, according to Mexico's ambassador."
    )
    assert contradicts(q, said)
    assert not contradicts(q, "In 2018 about 50,000 Peruvian tourists visited Mexico.")
    assert not contradicts("Did Mexico and Peru sign it?", "Peru and Mexico signed it.")
