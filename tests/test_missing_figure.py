"""A question asking for a figure is declined when its best sentences hold none: on a real model and a
real index built from a small corpus this module writes, "How many people were injured in the Tambo
Valley strike?" finds only sentences on the strike, none with a number, and is declined as a figure
the corpus does not give (`decline_missing_figure`), while "How many archaeological pieces did Mexico
return to Peru?" is answered with its figure. With the check off, the strike sentences answer the
count of the injured. A question that only names a quantity ("what was the vote…") is read
the same way (`reading.names_quantity`), and a count in words of what it names ("Fourteen states")
is its figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qa_service.reading import names_quantity
from tests.conftest import document, service_over

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "strike": document(
        "The Tambo Valley strike against Tía María",
        "2024-05-01",
        "mining, protest",
        [("Example source on the strike", "https://example.org/strike")],
        """\
        Residents of the Tambo Valley started an indefinite strike against the Tía María copper mine in July 2019.
        Farmers of the valley blocked the roads during the strike against the mine.
        The police cleared the blocked roads of the Tambo Valley during the strike.
        """,
    ),
    "heritage": document(
        "Archaeological pieces returned between Mexico and Peru",
        "2024-05-01",
        "culture",
        [("Example source on heritage", "https://example.org/heritage")],
        "In July 2017 Mexico returned to Peru 168 archaeological pieces recovered in Mexico.",
    ),
    "convention": document(
        "The Caracas Convention on Diplomatic Asylum",
        "2024-05-01",
        "asylum",
        [("Example source on the convention", "https://example.org/convention")],
        """\
        The Convention on Diplomatic Asylum lets the state that grants asylum decide whether a case is political.
        Mexico and Peru are among the states that ratified the Convention on Diplomatic Asylum.
        Fourteen states ratified the Convention.
        """,
    ),
}

INJURED = "How many people were injured in the Tambo Valley strike?"
PIECES = "How many archaeological pieces did Mexico return to Peru?"
# names a quantity without "how many"; its answer is a count written in words
RATIFIED = "caracas asylum convention - number of states that ratified"


@pytest.mark.fast
def test_the_reader() -> None:
    # a question naming a quantity asks for a figure, whatever it opens with
    assert names_quantity("what was the mexican senate vote to ratify the cptpp")
    assert names_quantity("price of the visa peruvians now need for mexico")
    assert not names_quantity("who signed the treaty for peru")


def _service(root: pytest.TempPathFactory, embedder: Embedder, on: bool) -> QAService:
    # The learned decline off, so that only the constraint checks decide.
    return service_over(
        root.mktemp("missing-figure"),
        CORPUS,
        embedder,
        decline_model="constraints",
        decline_missing_figure=on,
    )


def test_a_figure_no_sentence_gives_is_declined(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=True)
    resp = service.ask(INJURED)
    assert not resp.found and resp.citations == [], resp.answer
    assert "does not give this figure" in resp.answer
    resp = service.ask(PIECES)
    assert resp.found and "168" in resp.answer, resp.answer
    resp = service.ask(RATIFIED)  # "Fourteen states" is among its best sentences: not declined
    assert resp.found and resp.citations, resp.answer


def test_without_the_check_the_strike_answers_the_count(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> None:
    service = _service(tmp_path_factory, embedder, on=False)
    resp = service.ask(INJURED)
    assert resp.found and "strike" in resp.answer, resp.answer
