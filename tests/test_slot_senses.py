"""The slot check reads a word in the sense it has where it stands.

"who at peru's state attorney's office filed charges against castillo" asks for a person, but not for a
chargé d'affaires: an unaccented "charges" (or "in charge") is no title, so a sentence naming the
attorney answers it. "what did it tell him about asylum rules" asks for what was said, not how a
ruling came out: an act's verb after a determiner or with an "-s" is a noun. On a real model and index
over a small corpus this module writes, both are answered with `slot_word_senses`
(`reading.fills_title`, `reading.asked_outcome`, `deciding.unfilled_slot`) and declined without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import asked_outcome, titles
from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "coup": document(
        "Castillo's attempted dissolution of Congress",
        "2022-12-09",
        "politics",
        [("Example source on the complaint", "https://example.org/complaint")],
        """\
        The Peruvian State Attorney, Daniel Soria, filed a criminal complaint against Pedro Castillo for dissolving Congress.
        Peru's Ministry of Foreign Affairs summoned the Mexican ambassador Pablo Monroy on 9 December 2022.
        The ministry told Monroy that asylum required meeting every requirement of the treaties in force.
        """,
    ),
}
CHARGES = (
    "who at peru's state attorney's office filed charges against castillo for dissolving congress"
)
RULES = "when lima summoned monroy on 9 december 2022 what did it tell him about asylum rules"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        tmp_path_factory.mktemp("slot-senses"), CORPUS, embedder, decline_model="constraints"
    )


@pytest.mark.fast
def test_the_readers() -> None:
    assert titles("who filed charges against castillo", senses=True) == []
    assert titles("who's in charge in peru", senses=True) == []
    assert titles("who filed charges against castillo") != []
    assert titles("who was the mexican charge in lima", senses=True) != []
    assert titles("who was peru's charge d'affaires in mexico", senses=True) != []
    assert asked_outcome("what did it tell him about asylum rules", nouns=True) is None
    assert asked_outcome("what day did the dof print the rule on visas", nouns=True) is None
    assert asked_outcome("what did it tell him about asylum rules") is not None
    assert asked_outcome("did the court rule on castillo's appeal", nouns=True) is not None
    assert asked_outcome("what did the court rule", nouns=True) is not None


def test_words_in_their_sense_are_answered(service: QAService) -> None:
    assert service.settings.slot_word_senses is True
    resp = service.ask(CHARGES)
    assert resp.found and "Soria" in resp.answer, resp.answer
    resp = service.ask(RULES)
    assert resp.found and "treaties in force" in resp.answer, resp.answer


def test_without_the_setting_they_are_declined(service: QAService) -> None:
    off = service_with(service, slot_word_senses=False)
    assert not off.ask(CHARGES).found
    assert not off.ask(RULES).found
