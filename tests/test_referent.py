"""A follow-up's "he"/"she" stands for a person named before, and that person's name weighs like a
word of the question (`conversation.referents`, `carry_referent`): on a real model and a real index
built from a small corpus this module writes, "how long did he stay in mexico?" after an answer on
Haya de la Torre founding APRA quotes Haya de la Torre's stay; with the feature off the
conversation's names weigh only as context, and his stay is not quoted (measured: the question is
declined as a figure the corpus does not give)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.conversation import referents
from qa_service.schemas import Turn
from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "apra": document(
        "APRA founded in Mexico",
        "2024-05-01",
        "history",
        [("Example source on APRA", "https://example.org/apra")],
        """\
        Víctor Raúl Haya de la Torre founded APRA in Mexico City on 7 May 1924.
        Haya de la Torre stayed in Mexico from November 1923 until the summer of 1924.
        """,
    ),
    "exiles": document(
        "Exiles in Mexico",
        "2024-05-01",
        "history",
        [("Example source on exiles", "https://example.org/exiles")],
        """\
        The Cuban poet Julio Antonio Mella stayed in Mexico for six years, from 1923 to 1929.
        The Venezuelan writer Rufino Blanco Fombona stayed in Mexico for three years.
        """,
    ),
}

HISTORY = [
    Turn(role="user", content="where was apra founded?"),
    Turn(
        role="assistant",
        content="Víctor Raúl Haya de la Torre founded APRA in Mexico City on 7 May 1924. [1]",
    ),
]
QUESTION = "how long did he stay in mexico?"


@pytest.mark.fast
def test_the_reader() -> None:
    earlier = [
        "who is guido croxatto",
        "Claudia Sheinbaum received Guido Croxatto on 20 February 2025.",
    ]
    assert referents("what did she promise him?", earlier) == [
        "Claudia Sheinbaum",
        "Guido Croxatto",
    ]
    assert referents("when did he arrive?", earlier) == ["Claudia Sheinbaum"]
    assert referents("when was it signed?", earlier) == []  # no person pronoun
    assert referents("did Pedro Castillo meet him?", earlier) == []  # names its own person


def _service(root: pytest.TempPathFactory, embedder: Embedder, on: bool) -> QAService:
    return service_over(root.mktemp("referent"), CORPUS, embedder, carry_referent=on)


def test_he_is_the_person_of_the_last_answer(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    resp = _service(tmp_path_factory, embedder, on=True).ask(QUESTION, HISTORY)
    assert resp.found and resp.sentences, resp.answer
    assert "November 1923" in resp.sentences[0].text, resp.answer


def test_without_the_referent_his_stay_is_not_quoted(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    resp = _service(tmp_path_factory, embedder, on=False).ask(QUESTION, HISTORY)
    # declined as a figure the corpus does not give, or answered by another exile's stay
    assert "November 1923" not in resp.answer, resp.answer
