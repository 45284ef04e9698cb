"""The question's language, and Spanish questions read in English.

The corpus is written in English. A Spanish question is translated with Apertium
(Debian's `apertium-eng-spa`: offline, rule-based, maintained for two decades) and then
answered like an English one, so it finds the same passages. Names the corpus knows are
protected first, since a dictionary translator turns "Castillo" into "Castle" and "Grupo
México" into "Group Mexico". The framing around the quotes (declines, dates, warnings) is
then written back in Spanish (`framing.py`).
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections.abc import Collection
from functools import lru_cache
from typing import Literal

from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

from qa_service.terms import fold

log = logging.getLogger(__name__)

Language = Literal["en", "es"]
_TOKEN = re.compile(r"[\wÁÉÍÓÚÑáéíóúñü'-]+")
_ES = frozenset(fold(w) for w in STOPWORDS_SPANISH) | {
    "quien",
    "quienes",
    "cuando",
    "donde",
    "cual",
    "cuales",
    "cuanto",
    "cuantos",
    "cuanta",
    "cuantas",
    "porque",
    "sigue",
    "siguen",
    "hoy",
    "ahora",
    "actualmente",
}
_EN = frozenset(STOPWORDS_EN) | {
    "who",
    "when",
    "where",
    "which",
    "why",
    "how",
    "what",
    "did",
    "does",
    "is",
    "are",
    "was",
    "were",
}
# People type Spanish questions without accents; the translator needs them on the
# question words ("que paso" reads as "that step", "qué pasó" as "what happened").
_ACCENTLESS = {
    "que": "qué",
    "quien": "quién",
    "quienes": "quiénes",
    "cuando": "cuándo",
    "donde": "dónde",
    "como": "cómo",
    "cual": "cuál",
    "cuales": "cuáles",
    "cuanto": "cuánto",
    "cuanta": "cuánta",
    "cuantos": "cuántos",
    "cuantas": "cuántas",
    "paso": "pasó",
}
_OPENING = re.compile(r"^(\s*¿?\s*)(?:(por)\s+)?(\w+)", re.I)
_TIMEOUT_S = 10.0


def detect(text: str) -> Language:
    """'es' when the question's function words are mostly Spanish (an inverted ¿ settles it)."""
    if "¿" in text or "¡" in text:
        return "es"
    words = [fold(w) for w in _TOKEN.findall(text)]
    es = sum(w in _ES and w not in _EN for w in words)
    en = sum(w in _EN and w not in _ES for w in words)
    return "es" if es > en else "en"


def _accent_opening(question: str) -> str:
    """Accents on the opening question word ('por que' -> 'por qué'), which the translator relies on."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(3)
        accented = _ACCENTLESS.get(word.lower())
        if accented is None or accented == "pasó":
            return m.group(0)
        if word[0].isupper():
            accented = accented.capitalize()
        return f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}{accented}"

    text = _OPENING.sub(fix, question, count=1)
    return re.sub(r"\b(qué|Qué)\s+paso\b", r"\1 pasó", text)


def _protect(text: str, names: Collection[str]) -> tuple[str, dict[str, str]]:
    """Replace each word the corpus uses as a name by a placeholder the translator passes through."""
    kept: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if fold(word) not in names:
            return word
        key = f"Zq{len(kept)}x"
        kept[key] = word
        return key

    return _TOKEN.sub(swap, text), kept


@lru_cache(maxsize=1)
def translator_available() -> bool:
    """Is Apertium's Spanish-English pair installed (`scripts/ensure-debian-packages.sh`)?"""
    return shutil.which("apertium") is not None


@lru_cache(maxsize=2048)
def _apertium(text: str) -> str:
    out = subprocess.run(
        ["apertium", "-u", "spa-eng"],
        input=text,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
        check=True,
    )
    return out.stdout.strip()


def to_english(question: str, names: Collection[str] = ()) -> str:
    """The question in English, the corpus's names untouched; the question itself if it cannot be translated."""
    if not translator_available():
        log.warning("apertium is not installed: Spanish questions are searched as they are")
        return question
    protected, kept = _protect(_accent_opening(question), names)
    try:
        english = _apertium(protected)
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("translation failed (%s): searching the question as it is", e)
        return question
    for key, word in kept.items():
        english = re.sub(rf"\b{key}\b", word, english, flags=re.I)
    return english or question
