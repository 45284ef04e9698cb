"""Learned linear models over named features, stored as JSON beside the code.

Both the sentence ranker and the decline model are logistic regressions fitted with
scikit-learn (`training.py`, `qa-service train`) on the train split. What is shipped is
only their arithmetic: feature names, the scaler's mean and scale, coefficients and
intercept, so answering needs numpy alone and a reader can see every weight.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pydantic import BaseModel

MODELS_DIR = Path(__file__).parent / "models"
RANKER_FILE = MODELS_DIR / "sentence_ranker.json"
DECLINE_FILE = MODELS_DIR / "decline.json"


class LinearModel(BaseModel):
    """A fitted, standardised logistic regression; `threshold` is for decisions on its probability."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float = 0.5
    trained_on: str = ""
    notes: dict[str, float | int | str] = {}

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Decision values for rows of `features`."""
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(z @ np.asarray(self.coef) + self.intercept)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """The logistic of the logits: the decline model's answerable probability."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(x))))

    def save(self, path: Path) -> None:
        """Write the fitted model as JSON beside the code, so it ships with the package."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.model_dump_json(indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearModel | None:
        """The model stored at `path`, or None when none has been trained yet."""
        if not path.exists():
            return None
        return cls.model_validate(json.loads(path.read_text(encoding="utf-8")))
