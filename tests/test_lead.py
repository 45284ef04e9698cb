"""The answer's first sentence answers, even when it leans on the one before it.

"The letter was written by Juan Carlos Pérez Góngora" answers "who wrote the letter"; it
leans on the sentence before it ("The Mexican Business Council sent … a letter"), which is
quoted too. With the real model and index: the answering sentence leads and its context
follows (`composing.with_context`, `reading.names_its_subject`); a sentence opening with a
pronoun ("He…") still follows its context; with the rule off, the context leads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import composing
from tests.conftest import answer_sentences, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "business-letter-2023": """\
        ---
        title: "Mexican business leaders object to the trade pause"
        published: 2023-06-01
        topics: [trade]
        sources:
          - title: "Example source on the letter"
            url: https://example.org/letter
        ---
        The Mexican Business Council sent López Obrador a letter on 28 May 2023 rejecting the
        suspension of trade with Peru. The letter was written by Juan Carlos Pérez Góngora, the
        council's chair. He said that the president had rushed to block trade unilaterally.
        """,
}
WHO = "Who wrote the letter from the Mexican Business Council?"


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
