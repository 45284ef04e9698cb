"""The answer's first sentence answers, even when it leans on the one before it or completes it.

"The letter was written by Juan Carlos Pérez Góngora" answers "who wrote the letter"; it
leans on the sentence before it ("The Mexican Business Council sent … a letter"), which is
quoted too. With the real model and index: the answering sentence leads and its context
follows (`composing.with_context`, `reading.names_its_subject`); a sentence opening with a
pronoun ("He…") still follows its context; with the rule off, the context leads. A sentence
that completes the best one ("Most of those 850 Peruvians worked in…" after "…850 Peruvians
lived in that Mexican state") leads it (`composing.completion_first`); without, the scene leads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import answering, composing
from tests.conftest import answer_sentences, document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "business-letter-2023": document(
        "Mexican business leaders object to the trade pause",
        "2023-06-01",
        "trade",
        [("Example source on the letter", "https://example.org/letter")],
        """\
        The Mexican Business Council sent López Obrador a letter on 28 May 2023 rejecting the
        suspension of trade with Peru. The letter was written by Juan Carlos Pérez Góngora, the
        council's chair. He said that the president had rushed to block trade unilaterally.
        """,
    ),
    "peruvians-in-baja-california": document(
        "Peruvians in Baja California",
        "2019-05-20",
        "migration",
        [("Example source on the community", "https://example.org/community")],
        """\
        In May 2019 Peru's representation in Baja California said that 850 Peruvians lived in
        that Mexican state. Most of those 850 Peruvians worked in the medical and culinary
        sectors, according to a newspaper from Tijuana.
        """,
    ),
}
WHO = "Who wrote the letter from the Mexican Business Council?"
FIELDS = "peruvians in baja california in 2019 mostly worked in what fields"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("lead"), CORPUS, embedder)


def test_the_answering_sentence_leads_its_context(service: QAService) -> None:
    sentences = answer_sentences(service, WHO)
    assert sentences[0].startswith("The letter was written by")
    assert any(s.startswith("The Mexican Business Council sent") for s in sentences[1:])


def test_without_the_rule_the_context_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(composing, "names_its_subject", lambda sentence: False)
    sentences = answer_sentences(service, WHO)
    assert sentences[0].startswith("The Mexican Business Council sent")
    assert sentences[1].startswith("The letter was written by")


def test_the_sentence_that_completes_the_best_one_leads_it(service: QAService) -> None:
    sentences = answer_sentences(service, FIELDS)
    assert sentences[0].startswith("Most of those 850 Peruvians worked")
    assert sentences[1].startswith("In May 2019 Peru's representation")


def test_without_completion_first_the_scene_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answering, "completion_first", lambda chosen: chosen)
    sentences = answer_sentences(service, FIELDS)
    assert sentences[0].startswith("In May 2019 Peru's representation")
    assert sentences[1].startswith("Most of those 850 Peruvians worked")
