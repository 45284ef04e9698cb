"""Near words: a question's word held by a passage in another form or a synonym.

The decision stage asks whether the best passages hold the question's terms (`FeatureMaker.signals`'
coverage, `deciding.lacks_focus`' asked noun), and stems match only one form: "factories" is not
"plants", "paper" not "newspaper", "congresspeople" not "Congress", "govt" not "government". A word
the embedder puts close to one of the passage's words is held by it too. The words are encoded one
by one with the service's own model and kept (the corpus has a few thousand distinct words), so a
question costs the encoding of its few missing words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import numpy as np

from qa_service.terms import fold, terms, words

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


# The small words an acronym passes over ("Alianza del Pacífico" is "AP", "Acuerdo de Complementación
# Económica" "ACE"), in the corpus's two languages.
_ACRONYM_SKIPS = frozenset(
    {"de", "del", "la", "las", "los", "el", "y", "e", "of", "the", "and", "for", "on", "in"}
)
_LETTERS = re.compile(r"[^\W\d_]+")


def spells(acronym: str, tokens: Sequence[str]) -> bool:
    """Do consecutive words of `tokens` begin with the letters of `acronym`, small words between them
    passed over ("png" / "persona non grata", "pa" / "Pacific Alliance", "amlo" / "Andrés Manuel López
    Obrador")? A two-letter acronym only from capitalised words: "pa" is not "Peru and"."""
    n = len(acronym)
    for i, first in enumerate(tokens):
        if fold(first[0].lower()) != acronym[0]:
            continue
        run = [first]
        j = i + 1
        while j < len(tokens) and len(run) < n:
            tok = tokens[j]
            if fold(tok[0].lower()) == acronym[len(run)]:
                run.append(tok)
            elif tok.lower() not in _ACRONYM_SKIPS:
                break
            j += 1
        if len(run) == n and (n > 2 or all(t[0].isupper() for t in run)):
            return True
    return False


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """The folded words the texts write in lowercase somewhere: ordinary words ("get", "votes"), which no
    asker types as an acronym."""
    return frozenset(fold(w) for t in texts for w in _LETTERS.findall(t) if w.islower())


def acronyms_held(
    question: str, missing: Iterable[str], text: str, ordinary: frozenset[str]
) -> set[str]:
    """The `missing` terms of the question whose word is an acronym that `text` writes out in full
    ("amlo" / "Andrés Manuel López Obrador", "pa" / "Pacific Alliance"): a word of two to five
    letters the corpus never writes in lowercase (`ordinary`, `lowercase_words`). Ordinary words
    are no acronyms: "get" read as one was held by "general election to" (held-out 12 h12-105,
    an out-of-scope question, answered when any short word was read as an acronym)."""
    wanted = set(missing)
    asked = {
        w: t
        for w in dict.fromkeys(fold(x.lower()) for x in _LETTERS.findall(question))
        if 2 <= len(w) <= 5 and w not in ordinary
        for t in terms(w)[:1]
        if t in wanted
    }
    if not asked:
        return set()
    tokens = _LETTERS.findall(text)
    return {t for w, t in asked.items() if spells(w, tokens)}
