"""A day asked is looked for among the corpus's dated lines (`Settings.day_sentence_pool`,
`AnswerOptions.day_in_margin`).

"On what date did mexico notify peru that peruvians no longer needed visas (2012)": narrative sentences
give the month ("in November 2012") and match the question's words best; the day is in a chronology's
line ("On 9 November 2012, Mexico informed Peru …") among lines on other matters, so its passage as a
whole is far from the question. The sentence pool of a question asking for a day adds the passages
holding the nearest sentences that give a day in the question's year (`retrieval.Retriever.by_sentence`
with `wanted`); the missing-day check reads every sentence within the join margin of the best
(`deciding.lacks_day`), and the day leads the answer (`composing.day_first`). On a real model and a real
index built from a small corpus this module writes, with one fused passage (`top_k=1`) the day is found
and leads only with both settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import document, service_over, service_with

if TYPE_CHECKING:
    from qa_service.embedding import Embedder
    from qa_service.service import QAService

CORPUS = {
    "visas-2012": document(
        "Mexico lifts visas for Peruvians, 2012",
        "2012-11-20",
        "migration",
        [("Example source on visas", "https://example.org/visas")],
        """\
        Mexico removed the visa requirement for Peruvian visitors in November 2012, according to a news agency.
        Mexico had lifted the visa requirement for Peruvian tourists in November 2012 after talks with Peru.
        The 2012 exemption allowed Peruvians to stay up to 180 days without a visa.
        """,
    ),
    "chronology": document(
        "Chronology of Mexico–Peru relations, 2000-2015",
        "2015-12-31",
        "history",
        [("Example chronology", "https://example.org/chronology")],
        """\
        - On 4 March 2011, the presidents of Mexico and Peru signed a trade integration agreement in Lima.
        - On 28 April 2011, the Pacific Alliance was founded at a summit in Lima.
        - On 6 June 2012, the Pacific Alliance framework agreement was signed at Paranal, Chile.
        - On 9 November 2012, Mexico informed Peru that it was lifting the visa requirement for Peruvian visitors holding ordinary passports.
        - On 10 February 2014, the Pacific Alliance additional protocol was signed in Cartagena.
        - On 5 October 2015, the TPP negotiations concluded in Atlanta.
        """,
    ),
}
QUESTION = "on what date did mexico notify peru that peruvians no longer needed visas (2012)"
DAY = "9 November 2012"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    return service_over(tmp_path_factory.mktemp("day-sentences"), CORPUS, embedder, top_k=1)


def test_the_day_is_found_and_leads(service: QAService) -> None:
    assert service.settings.day_sentence_pool == 1 and service.settings.day_in_margin is True
    resp = service.ask(QUESTION)
    assert resp.found and resp.sentences[0].text.startswith(f"On {DAY}"), resp.answer


def test_without_the_pool_the_day_is_not_weighed(service: QAService) -> None:
    resp = service_with(service, day_sentence_pool=0).ask(QUESTION)
    assert DAY not in resp.answer, resp.answer


def test_without_the_margin_the_day_does_not_lead(service: QAService) -> None:
    resp = service_with(service, day_in_margin=False).ask(QUESTION)
    assert not resp.found or not resp.sentences[0].text.startswith(f"On {DAY}"), resp.answer
