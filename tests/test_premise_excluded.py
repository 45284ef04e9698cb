"""A question that takes as done to a person what never was is corrected first; of two denials, the
one told as done leads.

"Since castillo got asylum in mexico, which city does he live in now" takes his asylum as given; the
corpus says asylum went to his wife and children, not to him. The sentences on the asylum score best,
the one leaving him out lower: quoted after them, the premise stands. On a real model and index over
a small corpus this module writes, the sentence leaving the person out (`constraints.excludes_person`)
leads (`composing.premise_correction`, setting `premise_excluded_first`), and with the setting off the
premise is answered as if it held. "Why did amlo boycott the apec summit" is denied both by "he would
travel to San Francisco after all" and by "he was present in San Francisco": with `premise_fact_first`
the one told as done leads (`constraints.intended_denial`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service.config import Settings
from qa_service.constraints import excludes_person, intended_denial
from tests.conftest import answer_sentences, document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "asylum": document(
        "Mexico's asylum for the Castillo family",
        "2023-01-10",
        "asylum",
        [("Example source on the asylum", "https://example.org/asylum")],
        """\
        Pedro Castillo asked Mexico for asylum in December 2022 after his removal.
        Mexico granted asylum in Mexico to the Castillo family in December 2022.
        The Castillo family arrived in Mexico City on 21 December 2022 after Mexico granted them asylum.
        Asylum was eventually granted to Pedro Castillo's wife and children, not to Pedro Castillo himself.
        """,
    ),
    "apec": document(
        "López Obrador and the APEC summit of 2023",
        "2023-11-20",
        "apec",
        [("Example source on the summit", "https://example.org/apec")],
        """\
        In September 2023, López Obrador said he would skip the APEC summit in San Francisco because of Peru.
        In October 2023, López Obrador announced that he would travel to the APEC summit in San Francisco after all.
        López Obrador was present at the APEC summit in San Francisco in November 2023.
        """,
    ),
}
ASYLUM = "since castillo got asylum in mexico, which city does he live in now"
EXCLUSION = "not to Pedro Castillo himself"
BOYCOTT = "why did amlo boycott the 2023 apec summit in san francisco"
PRESENT = "was present at the APEC summit"
KNOWN = frozenset({"castillo", "pedro", "lilia", "paredes"})


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("premise-excluded"), CORPUS, embedder)


@pytest.mark.fast
@pytest.mark.parametrize(
    ("question", "sentence", "excluded"),
    [
        (
            ASYLUM,
            "Asylum was granted to his wife and children, not to Pedro Castillo himself.",
            True,
        ),
        (
            "how long did castillo stay in the mexican embassy",
            "Mexico never received Pedro Castillo.",
            True,
        ),
        (
            "how long did castillo stay in the mexican embassy",
            "Pedro Castillo remained in Peruvian custody.",
            True,
        ),
        # A sentence asked, only an investigation said: that reading fitted one tuning question
        # alone and was taken out.
        (
            "how many years did the court sentence lilia paredes to",
            "Lilia Paredes was under a preparatory criminal investigation.",
            False,
        ),
        # The person asked about is the wife: Castillo is only her owner.
        (
            "how long did castillo's family stay in the mexican embassy",
            "Asylum was granted to his wife and children, not to Pedro Castillo himself.",
            False,
        ),
        # Someone else left out.
        (ASYLUM, "Asylum was granted to the children, not to Betssy Chávez herself.", False),
        # A question asking what was not done takes nothing as given.
        (
            "why did castillo not get asylum in mexico",
            "Asylum was granted to his wife, not to Pedro Castillo himself.",
            False,
        ),
        # An investigation does not deny an asylum.
        (ASYLUM, "Pedro Castillo was under investigation.", False),
    ],
)
def test_a_person_left_out_of_the_act_excludes_them(
    question: str, sentence: str, excluded: bool
) -> None:
    assert excludes_person(question, sentence, KNOWN) is excluded


@pytest.mark.fast
@pytest.mark.parametrize(
    ("sentence", "intended"),
    [
        ("He announced that he would travel to San Francisco after all.", True),
        ("López Obrador was present in San Francisco in November 2023.", False),
        ("He also appeared in the official photograph, although he had said he would not.", False),
        # No denial at all is no intended denial.
        ("He said he would skip the summit.", False),
    ],
)
def test_a_denial_told_as_an_intention_is_read_as_one(sentence: str, intended: bool) -> None:
    assert intended_denial(BOYCOTT, sentence) is intended


def test_the_sentence_leaving_the_person_out_leads(service: QAService) -> None:
    first = answer_sentences(service, ASYLUM)[0]
    assert EXCLUSION in first, first


def test_the_denial_told_as_done_leads(service: QAService) -> None:
    first = answer_sentences(service, BOYCOTT)[0]
    assert PRESENT in first, first


def test_without_the_settings_the_premise_is_answered_as_if_it_held(service: QAService) -> None:
    assert Settings().premise_excluded_first is True
    assert Settings().premise_fact_first is True
    off = service_with(service, premise_excluded_first=False)
    assert EXCLUSION not in answer_sentences(off, ASYLUM)[0]
    off = service_with(service, premise_fact_first=False)
    assert PRESENT not in answer_sentences(off, BOYCOTT)[0]
