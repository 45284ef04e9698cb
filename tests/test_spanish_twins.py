"""Spanish questions read as their English twins read (held-outs 7 and 8, 2 December 2026).

Real Apertium. A Spanish question lost its twin's answer where the translation lost a word:
"según que articulo" was "according to that articulated", "en que penal" "in what criminal",
"la razon de México" kept "razón" as the daily La Razón, "preside el consejo de ministros"
"chairs", "sigue siendo" "still is being". Each switch has its off twin; the dictionary entries
(phrases, idioms) have none and are checked against what Apertium says without them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qa_service import apertium, language, spanish
from qa_service.spanish import CorpusNames, restore_accents
from tests.conftest import needs_apertium

pytestmark = needs_apertium


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    language._english.cache_clear()
    yield
    language._english.cache_clear()


# A corpus naming a daily "La Razón" (as a source) more often than it writes "reason".
TEXTS = [
    "Mexico required visas, according to the Peruvian daily La Razón. Pedro Castillo was removed.",
    "The order was signed on Monday, La Razón reported. Pedro Castillo stayed in prison.",
    "La Razón said the route led north, as La Razón had said before. One reason was migration.",
]


def test_title_word_typed_lowercase_is_translated() -> None:
    names = CorpusNames.from_texts(TEXTS)
    english = language.to_english("cual fue la razon de mexico para exigir visa", names)
    assert "reason" in english.lower()
    kept = language.to_english("donde esta castillo", names).lower()  # a name stays one
    assert "castillo" in kept and "castle" not in kept


def test_title_word_kept_with_the_switch_off() -> None:
    names = CorpusNames.from_texts(TEXTS)
    names.titles_translated = False
    english = language.to_english("cual fue la razon de mexico para exigir visa", names)
    assert "razón" in english.lower() and "reason" not in english.lower()


@pytest.mark.parametrize(
    ("question", "accented", "without"),
    [
        (
            "brasil representa a mexico en peru segun que articulo de viena",
            "según qué artículo",
            "según que articuló",
        ),
        (
            "en que articulo de la convencion de viena se baso mexico",
            "qué artículo",
            "qué articuló",
        ),
    ],
)
def test_asked_noun(question: str, accented: str, without: str) -> None:
    assert accented in restore_accents(question, asked_nouns=True)
    assert without in restore_accents(question, asked_nouns=False)


def test_asked_noun_keeps_the_past_where_no_other_verb() -> None:
    """ "qué critico amlo" has no verb but "critico": it asks what AMLO criticised."""
    assert "qué criticó" in restore_accents("que critico amlo de boluarte", asked_nouns=True)
    # nor is a conjunction's "que" before a lowercase name a question word
    after = restore_accents("llevo los papeles para que castillo los firmara", asked_nouns=True)
    assert "para que castillo" in after


@pytest.mark.parametrize(
    ("question", "english", "apertium_says"),
    [
        ("en qué penal se leyó la sentencia", "prison", "penal"),
        ("¿dónde se leyó la sentencia contra Castillo?", "read the ruling", "sentence"),
        ("¿Jerí sigue siendo presidente interino?", "still is interim", "being"),
        ("el comercio sigue a pesar de la ruptura", "continues in spite", "follows"),
        ("¿quién preside hoy el consejo de ministros?", "heads", "chairs"),
        ("¿y quién preside su gabinete?", "heads", "chairs"),
        ("¿por qué México se apartó del grupo?", "broke away from", "averted"),
        ("¿por qué Perú llamó a consultas a su embajador?", "for consultations", "surgeries"),
        ("el protocolo: dónde se firmó y desde cuándo rige", "when it is in force", "govern"),
    ],
)
def test_phrase_read_as_meant(question: str, english: str, apertium_says: str) -> None:
    assert english in language.to_english(question).lower()
    assert apertium_says in apertium.translate(question).lower()
    assert english not in apertium.translate(question).lower()


def test_presides_a_country_unchanged() -> None:
    assert spanish.presides("¿quién preside el Perú?") == "¿quién es presidente de Perú?"
