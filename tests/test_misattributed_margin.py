"""Who did the question's act is read in every sentence within the join margin, not only the best five.

"Why did ollanta humala sign the lima declaration that founded the pacific alliance?" gives Humala an act
the corpus gives to Alan García; the sentence saying so stood seventh among the tuning set's candidates,
0.18 below the best, where `constraints.misattributed` did not read it (`deciding.ACT_DEPTH`). With
`misattributed_in_margin` the decider reads down to the join margin (`Decider.act_sentences`); a
sentence past the best five must hold two of the words after the act (`constraints.FAR_OBJECTS`), so a
sentence on another refusal that shares one word ("castillo's") declines nothing.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest

from qa_service.config import AnswerOptions, Settings
from qa_service.constraints import misattributed
from qa_service.deciding import ACT_DEPTH, Decider, Scored
from qa_service.scoring import Candidate, FeatureMaker

FALSE = "why did ollanta humala sign the lima declaration that founded the pacific alliance"
GARCIA = (
    "The presidents of Peru, Mexico, Chile and Colombia, Alan García, Felipe Calderón, Sebastián "
    "Piñera and Juan Manuel Santos, signed the Lima Declaration in the Peruvian capital."
)
# Five sentences the decider reads first, none on who signed the declaration.
BEST = [
    "The creation of the Pacific Alliance in 2011 deepened the bilateral relationship.",
    "Ollanta Humala and Enrique Peña Nieto met in Bali during the 2013 APEC forum.",
    "On 17 July 2014, Ollanta Humala and Enrique Peña Nieto signed a Strategic Partnership Agreement.",
    "Peru's presidency said relations would soon lead to the signing of a partnership agreement.",
    "The Pacific Alliance began on 28 April 2011 with the Presidential Declaration of Lima.",
]


def _scored(texts: list[str], scores: list[float]) -> Scored:
    cands = [cast(Candidate, SimpleNamespace(text=t)) for t in texts]
    return Scored(cands, scores)


def _decider(on: bool) -> Decider:
    options = AnswerOptions(misattributed_in_margin=on)
    return Decider(None, cast(FeatureMaker, None), options, margin=0.18)


@pytest.mark.fast
def test_the_sentences_within_the_join_margin_are_read() -> None:
    assert Settings().misattributed_in_margin is True
    kept = _scored(
        [*BEST, "A sentence further down.", GARCIA, "Far below."],
        [1.04, 1.03, 0.92, 0.92, 0.87, 0.87, 0.864, 0.5],
    )
    read = _decider(True).act_sentences(kept)
    assert GARCIA in read and "Far below." not in read
    assert misattributed(FALSE, read, depth=ACT_DEPTH) == GARCIA


@pytest.mark.fast
def test_without_the_setting_only_the_best_five_are_read() -> None:
    kept = _scored(
        [*BEST, "A sentence further down.", GARCIA], [1.04, 1.03, 0.92, 0.92, 0.87, 0.87, 0.864]
    )
    read = _decider(False).act_sentences(kept)
    assert read == BEST
    assert misattributed(FALSE, read, depth=ACT_DEPTH) is None


@pytest.mark.fast
def test_a_far_sentence_sharing_one_word_after_the_act_declines_nothing() -> None:
    question = "why did boluarte's government refuse safe conduct to castillo's wife and kids"
    other = (
        "Mexican President Andrés Manuel López Obrador refused to recognise Dina Boluarte as "
        "president of Peru after Pedro Castillo's removal."
    )
    assert misattributed(question, [other]) == other  # read among the best five, it would
    assert misattributed(question, [*BEST, other], depth=ACT_DEPTH) is None
