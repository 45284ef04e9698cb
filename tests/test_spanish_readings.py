"""Misreadings of typed Spanish (rounds 19 and 20, 3 December 2026), each with its switch off.

Real Apertium. A Spanish question lost its English twin's answer where: an "el" ending the
question was dropped as an article ("¿quién viajó con el?"), a lowercase "navidad" became a name
the corpus never writes, a name Apertium does not know took a common word's accent ("bruno" ->
"bruño"), a hyphened name lost its unknown half, a bare "quien" was "the one who", and "esta"
before no noun was "this".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa_service import language
from qa_service.spanish import CorpusNames
from tests.conftest import needs_apertium

pytestmark = needs_apertium

TEXTS = [
    "At the signing Bruno Ferrari said Mexican capital in Peru was large, and Bruno Ferrari signed.",
    "Javier González-Olaechea said the measure hurt the bloc. González-Olaechea spoke in Lima.",
    "Police guarded the residence over Christmas. Brazil represents Mexico in Peru.",
    "The premier took office in Lima. Mexico and Brazil signed, and Peru agreed.",
]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    language._english.cache_clear()
    yield
    language._english.cache_clear()


def _english(question: str, **switches: bool) -> str:
    names = CorpusNames.from_texts(TEXTS)
    for key, value in switches.items():
        setattr(names, key, value)
    return language.to_english(question, names)


def test_final_el_is_the_pronoun() -> None:
    assert _english("quien viajo con el").lower().endswith("with him")
    assert "him" not in _english("quien viajo con el", final_el=False).lower()


def test_place_capitalised_only_where_the_corpus_writes_it() -> None:
    question = "por que la policia reforzo la vigilancia en la residencia en navidad 2025"
    assert "Navidad" not in _english(question)
    assert "Navidad" in _english(question, places_written=False)
    assert "Brazil" in _english("por que brasil representa a mexico")  # a place still is one


def test_unknown_name_keeps_its_spelling() -> None:
    question = "cuanta plata mexicana habia en peru segun bruno ferrari"
    assert "Bruno Ferrari" in _english(question)
    assert "bruño" in _english(question, names_unaccented=False).lower()


def test_hyphened_name_kept_whole() -> None:
    question = "por que el canciller gonzalez-olaechea dijo eso"
    assert "olaechea" in _english(question).lower()
    assert "olaechea" not in _english(question, hyphen_names=False).lower()


def test_bare_quien_asks() -> None:
    question = "y la premier peruana de ahorita quien es"
    assert "the one who" not in _english(question).lower()
    assert "the one who" in _english(question, bare_quien=False).lower()


def test_esta_before_no_noun_is_the_verb() -> None:
    question = "tia maria ya esta produciendo o todavia"
    assert "this" not in _english(question).lower().split()
    assert "this" in _english(question, esta_verb=False).lower().split()


def test_personal_a_marks_an_object() -> None:
    # Round 20: "representa a México" was "represents to Mexico", an object read as a direction.
    question = "brasil representa a mexico en peru segun que articulo"
    assert "represents mexico" in _english(question).lower()
    assert "represents to mexico" in _english(question, personal_a=False).lower()
    assert "to mexico" in _english("cuando viajo castillo a mexico").lower()  # a direction stays


def test_clause_takes_its_own_verb() -> None:
    # Round 21: "tenia" after "cuántos años" was "taenia" (a tapeworm) because the question had
    # verbs in other clauses ("nació", "eligieron"); its own clause has none.
    question = "donde nacio balcazar y cuantos años tenia cuando lo eligieron"
    assert "taenia" not in _english(question).lower()
    assert "taenia" in _english(question, clause_verb=False).lower()


def test_office_phrases() -> None:
    # Round 21: "a la fecha" (as of today) was "to the date", "está a cargo de" "is to charge of".
    question = "y a la fecha quien esta a cargo de la cancilleria peruana?"
    said = _english(question).lower()
    assert "today" in said and "in charge of" in said and "to the date" not in said
    off = _english(question, office_phrases=False).lower()
    assert "to the date" in off and "in charge of" not in off
    assert "today" not in _english("a la fecha de la firma quien era canciller").lower()
