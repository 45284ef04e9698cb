"""Spanish questions: the long-lived Apertium pipe, accents, names, and answers as good as English.

Real Apertium throughout (Debian's `apertium-eng-spa`, installed by `make setup`/`make test`);
the tests that need it are skipped, saying so, only where the binary is absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import apertium
from qa_service.language import detect, to_english
from qa_service.schemas import Turn
from qa_service.spanish import CorpusNames, restore_accents, still, which_noun
from tests.conftest import document, needs_apertium, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService


CORPUS = {
    "castillo-asylum": document(
        "Castillo's request for asylum",
        "2022-12-08",
        "asylum",
        [("Example source on the asylum request", "https://example.org/castillo")],
        """\
        Pedro Castillo asked Mexico for asylum on 7 December 2022, after Congress removed him.
        Police stopped Castillo on his way to the Mexican embassy in Lima. Castillo was taken to
        the Barbadillo prison, where Castillo has been held since.
        """,
    ),
    "chapultepec": document(
        "Chapultepec",
        "2020-01-10",
        "culture",
        [("Example source on Chapultepec", "https://example.org/chapultepec")],
        """\
        The castle on Chapultepec hill in Mexico City houses the National Museum of History.
        Chapultepec was a military academy and later a presidential residence.
        """,
    ),
    "trade-agreement": document(
        "The Trade Integration Agreement",
        "2012-02-01",
        "trade",
        [("Example source on the agreement", "https://example.org/agreement")],
        """\
        The Trade Integration Agreement between Mexico and Peru was signed in Lima on 6 April 2011.
        Bruno Ferrari and Eduardo Ferreyros signed the Trade Integration Agreement for their
        governments. The Mexican Senate approved the agreement on 15 December 2011.
        """,
    ),
    "rupture-2025": document(
        "The rupture of 3 November 2025",
        "2025-11-08",
        "diplomacy",
        [("Example source on the rupture", "https://example.org/rupture")],
        """\
        Peru broke off diplomatic relations with Mexico on 3 November 2025 because Mexico granted
        asylum to the former prime minister Betssy Chávez. Foreign Minister Hugo de Zela announced
        the rupture. Betssy Chávez still remains in the residence of the Mexican embassy in Lima.
        """,
    ),
}


# ---------------------------------------------------------------- fast: no model


@pytest.mark.fast
def test_text_survives_the_stream_format() -> None:
    text = "a [b] c^d$ e/f <g> @h \\i {j}"
    assert apertium.unescape(apertium.escape(text)).strip() == text
    assert "\0" not in apertium.escape("one\0two\nthree")


@pytest.mark.fast
def test_words_inside_names_do_not_make_an_english_question_spanish() -> None:
    assert detect("What did the Alianza del Pacífico decide in 2023?") == "en"
    assert detect("When did the Grupo de Lima meet in Lima?") == "en"
    assert detect("quien es el presidente del peru ahora") == "es"
    assert detect("Compara las votaciones del Congreso del Perú contra AMLO") == "es"


@pytest.mark.fast
@needs_apertium
def test_accents_are_restored_from_the_dictionary() -> None:
    assert restore_accents("¿cuando se firmo la convencion?") == "¿cuándo se firmó la convención?"
    assert restore_accents("por que rompio peru con mexico") == "por qué rompió Perú con México"
    assert restore_accents("¿y quien lo contrato?") == "¿y quién lo contrató?"
    # Left alone where the accentless word is right: a conjunction, an adjective, a noun.
    assert restore_accents("¿Qué dijo cuando llegó?") == "¿Qué dijo cuando llegó?"
    assert "pacífico" in restore_accents("¿dónde firmó la alianza del pacifico?")
    assert "motivo" in restore_accents("¿Por qué motivo vacó el Congreso?")


@pytest.mark.fast
@needs_apertium
def test_seguir_before_a_state_reads_as_still() -> None:
    assert (
        still("¿Sigue Betssy Chávez en la embajada?")
        == "¿Todavía está Betssy Chávez en la embajada?"
    )
    assert still("¿quién sigue al presidente?") == "¿quién sigue al presidente?"


@pytest.mark.fast
@needs_apertium
def test_por_que_before_a_bare_noun_asks_which() -> None:
    assert which_noun("¿y por qué región fue congresista?") == "¿y por cuál región fue congresista?"
    assert which_noun("¿Por qué motivo vacó?") == "¿Por qué motivo vacó?"  # "motivo": also a verb
    assert which_noun("¿Por qué México no firmó?") == "¿Por qué México no firmó?"


@pytest.mark.fast
@needs_apertium
def test_a_corpus_name_is_kept_and_an_ordinary_word_translated() -> None:
    names = CorpusNames.from_texts(CORPUS.values())  # Castillo 3 times as a name, castle once
    assert names.keeps("Castillo") and names.keeps("castillo")
    assert not names.keeps("embajada")  # not a name in the corpus
    english = to_english("¿Por qué pidió asilo castillo a México?", names)
    assert "castillo" in english.lower() and "castle" not in english.lower()
    assert to_english("¿Quién visitó el castillo?", None).lower().find("castle") >= 0


@pytest.mark.fast
@needs_apertium
def test_a_word_apertium_cannot_translate_is_dropped_unless_the_corpus_has_it() -> None:
    names = CorpusNames.from_texts(["Interjet flew to Lima. The airline Interjet began in 2016."])
    english = to_english("¿Por qué quiso indultar Interjet su ruta?", names)
    assert "indultar" not in english and "Interjet" in english
    assert " its " in english and " his " not in english  # "su" has no gender


@pytest.mark.fast
@needs_apertium
def test_latin_american_political_words_read_as_the_corpus_writes_them() -> None:
    # Apertium reads "canciller" the Peninsular way ("chancellor"); in Peru and Mexico it is
    # the foreign minister, and the corpus never says "chancellor".
    assert "foreign minister" in to_english("¿quién era el canciller peruano en 2024?").lower()
    assert "foreign ministers" in to_english("¿qué cancilleres firmaron?").lower()
    english = to_english("¿pidió el expresidente un indulto?").lower()
    assert "pardon" in english and "reprieve" not in english
    assert "chancell" not in to_english("la cancillería mexicana protestó").lower()
    # a minister is censured, not censored; a treaty enters into force; Peru pays in soles
    assert "censured" in to_english("¿por qué censuraron a la ministra?").lower()
    assert "entered into force" in to_english("¿cuándo entró en vigor el tratado?").lower()
    assert "soles" in to_english("pagó 12 millones de soles").lower()


@pytest.mark.fast
@needs_apertium
def test_latin_american_words_apertium_lacks_are_read_not_dropped() -> None:
    names = CorpusNames.from_texts(["Castillo was held. Castillo appealed."])
    assert "pardon" in to_english("¿por qué no puede indultar a Castillo?", names).lower()
    assert "removed" in to_english("¿por qué vacó el Congreso a Castillo?", names).lower()


@pytest.mark.fast
@needs_apertium
def test_the_pipe_stays_up_and_comes_back_after_it_dies() -> None:
    pipe = apertium.translator("spa-eng")
    assert apertium.translate("¿Quién firmó el acuerdo?") == "Who signed the agreement?"
    proc = pipe._proc
    assert proc is not None
    assert apertium.translate("la embajada") == "The embassy"
    assert pipe._proc is proc  # one process for every question
    pipe.close()
    assert apertium.translate("la embajada") == "The embassy"  # started again


# ---------------------------------------------------------------- real model and index


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("spanish"), CORPUS, embedder)


def _first(service: QAService, question: str, history: list[Turn] | None = None) -> str:
    resp = service.ask(question, history)
    assert resp.found, (question, resp.answer)
    return resp.citations[0].chunk_id


@needs_apertium
@pytest.mark.parametrize(
    ("spanish", "english"),
    [
        ("¿Por qué pidió asilo Castillo a México?", "Why did Castillo ask Mexico for asylum?"),
        (
            "¿cuando se firmo el acuerdo de integracion comercial?",
            "When was the Trade Integration Agreement signed?",
        ),
        ("¿Dónde está detenido Castillo?", "Where is Castillo held?"),
    ],
)
def test_a_spanish_question_gets_the_first_citation_of_its_english_twin(
    service: QAService, spanish: str, english: str
) -> None:
    resp = service.ask(spanish)
    assert resp.language == "es"
    assert _first(service, spanish) == _first(service, english)
    assert resp.citations[0].doc_id != "chapultepec"


@needs_apertium
def test_a_spanish_follow_up_leans_on_the_spanish_question_before_it(service: QAService) -> None:
    history = [
        Turn(role="user", content="¿quien firmo el acuerdo de integracion comercial?"),
        Turn(
            role="assistant",
            content="Bruno Ferrari and Eduardo Ferreyros signed the Trade Integration Agreement. [1]",
        ),
    ]
    resp = service.ask("¿y cuándo lo aprobó el Senado mexicano?", history)
    assert resp.language == "es" and resp.found
    assert "15 December 2011" in resp.answer


@needs_apertium
def test_a_spanish_now_question_is_dated_in_spanish(service: QAService) -> None:
    resp = service.ask("¿Sigue Betssy Chávez en la residencia de la embajada de México?")
    assert resp.language == "es" and resp.found
    assert resp.preface is not None and "fuente más reciente" in resp.preface
    assert "Chávez" in resp.answer


@needs_apertium
def test_a_spanish_question_the_corpus_does_not_cover_is_declined_in_spanish(
    service: QAService,
) -> None:
    resp = service.ask("¿Cuántos goles marcó Perú en el Mundial de 1970?")
    assert resp.language == "es" and not resp.found
    assert resp.answer.startswith("El corpus no cubre")
