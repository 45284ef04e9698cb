"""Near words: a question's word held by a passage in another form or a synonym.

The decision stage asks whether the best passages hold the question's terms (`FeatureMaker.signals`'
coverage, `deciding.lacks_focus`' asked noun), and stems match only one form: "factories" is not
"plants", "paper" not "newspaper", "congresspeople" not "Congress", "govt" not "government". A word
the embedder puts close to one of the passage's words is held by it too. The words are encoded one
by one with the service's own model and kept (the corpus has a few thousand distinct words), so a
question costs the encoding of its few missing words.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np

from qa_service.terms import terms, words

Encode = Callable[[Sequence[str]], np.ndarray]


@lru_cache(maxsize=20_000)
def content_words(text: str) -> tuple[str, ...]:
    """A text's folded words that are terms (no stop words, no numbers), once each, in order.

    Kept per text: the same passages are checked again for every question that reaches them.
    """
    return tuple(w for w in dict.fromkeys(words(text)) if w.isalpha() and terms(w))


class NearWords:
    """Which of a question's terms a text holds through a word close to it in meaning."""

    def __init__(self, encode: Encode) -> None:
        """`encode`: unit vectors of texts (`Embedder.encode`), one row per text."""
        self._encode = encode
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def vectors(self, words_: Sequence[str]) -> np.ndarray:
        """The words' unit vectors, encoding only those not seen before."""
        with self._lock:
            new = [w for w in dict.fromkeys(words_) if w not in self._vectors]
        if new:
            encoded = np.asarray(self._encode(new), dtype=np.float32)
            with self._lock:
                self._vectors.update(zip(new, encoded, strict=True))
        with self._lock:
            return np.stack([self._vectors[w] for w in words_])

    def held(self, question: str, missing: Iterable[str], text: str, cosine: float) -> set[str]:
        """The `missing` terms of the question whose word has a word of `text` at or above `cosine`."""
        wanted = set(missing)
        asked = {w: t for w in content_words(question) for t in terms(w)[:1] if t in wanted}
        own = content_words(text)
        if not asked or not own:
            return set()
        sims = self.vectors(list(asked)) @ self.vectors(own).T
        return {t for (w, t), row in zip(asked.items(), sims, strict=True) if row.max() >= cosine}
