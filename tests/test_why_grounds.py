"""Why questions in other words (`reading._ASKS_GROUNDS`): "what was Peru's justification for…",
"what explains…", "how did the SRE defend…", "how did it still pass…" ask for a cause as
"why" does. On a real model and a real index built from a small corpus this module writes, such a
question's answer leads with the stated reason; with those wordings not read, the event leads."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from qa_service import reading
from qa_service.reading import asked_for
from tests.conftest import answer_sentences, document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "what was peru's justification for demanding visas from mexican travellers in april 2024",
        "in the 2023 debate, what was maria del carmen alva's argument for making obrador non grata",
        "what explains mexico and peru patching things up in may 1933",
        "how did the SRE defend giving betssy chavez asylum",
        "How did Mexico and Peru manage to restore ties in 1933?",
        "how did haya de la torre end up in mexico in 1923",
        "the committee report said reject it, so how did the peru fta still pass mexico's senate",
    ],
)
def test_questions_asking_on_what_a_thing_rested_ask_for_a_cause(question: str) -> None:
    assert asked_for(question).kind == "cause"


@pytest.mark.fast
@pytest.mark.parametrize(
    "question",
    [
        "what changed in mexico peru trade once both were in the cptpp from 2018",
        "How many Peruvians refused entry did Mexico cite to justify the 2024 visa requirement?",
        "how did peru's foreign minister describe the decision",
    ],
)
def test_a_change_a_count_or_a_description_is_not_a_cause(question: str) -> None:
    assert asked_for(question).kind != "cause"


CORPUS = {
    "visas-peru-2024": document(
        "Peru's visa requirement for Mexicans, 2024",
        "2024-05-06",
        "migration",
        [("Example source on visas", "https://example.org/peru-visas")],
        """\
        On 6 April 2024, Peru announced that Mexican travellers would need a visa to enter Peru from 7 April 2024.
        Peru's foreign ministry said it was acting on the principle of reciprocity after Mexico's decision.
        Peruvian exporters asked both governments to keep trade flowing.
        """,
    ),
}

QUESTION = "what was peru's justification for demanding visas from mexican travellers in april 2024"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[QAService]:
    yield service_over(tmp_path_factory.mktemp("why-grounds"), CORPUS, embedder)


def test_a_justification_question_leads_with_the_reason(service: QAService) -> None:
    assert "reciprocity" in answer_sentences(service, QUESTION)[0]


def test_without_those_wordings_the_event_leads(
    service: QAService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "_ASKS_GROUNDS", re.compile(r"(?!)"))
    reading.asked_for.cache_clear()  # kept per question: read again with the wordings gone
    try:
        assert "reciprocity" not in answer_sentences(service, QUESTION)[0]
    finally:
        monkeypatch.undo()
        reading.asked_for.cache_clear()
