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
import subprocess
from functools import lru_cache
from typing import Literal

from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH

from qa_service import apertium
from qa_service.spanish import CorpusNames, restore_accents, still, which_noun
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
# A run of capitalised words, with the connectors Spanish and English names use ("Alianza del
# Pacífico", "Grupo de Lima"): its words say nothing of the language it is asked in.
_NAME_RUN = re.compile(
    r"(?<![¿¡])(?<!^)\b[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]*(?:\s+(?:(?:de|del|de la|y|of|the|and)\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñü'-]*)*"
)


def detect(text: str) -> Language:
    """'es' when the question's function words are mostly Spanish (an inverted ¿ settles it).

    Words inside names are not counted, so "What is the Alianza del Pacífico?" stays English.
    """
    if "¿" in text or "¡" in text:
        return "es"
    words = [fold(w) for w in _TOKEN.findall(_NAME_RUN.sub(" ", text.strip()))]
    es = sum(w in _ES and w not in _EN for w in words)
    en = sum(w in _EN and w not in _ES for w in words)
    return "es" if es > en else "en"


def _protect(text: str, names: CorpusNames | None) -> tuple[str, dict[str, str]]:
    """Replace each word the corpus uses as a name by a placeholder the translator passes through."""
    kept: dict[str, str] = {}

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if names is None or not names.keeps(word, _ES):
            return word
        key = f"Zq{len(kept)}x"
        kept[key] = word
        return key

    return _TOKEN.sub(swap, text), kept


def translator_available() -> bool:
    """Is Apertium's Spanish-English pair installed (`scripts/ensure-apertium.sh`)?"""
    return apertium.available("spa-eng")


_UNTRANSLATED = re.compile(r"(?<![\w*@#])[*@#]([\w'-]+)")


def _known_or_dropped(english: str, names: CorpusNames | None) -> str:
    """Words Apertium could not translate are kept where the corpus has them ("Interjet"),
    dropped where it does not: a Spanish "indultar" in an English query only makes the
    question look uncovered."""

    def keep(m: re.Match[str]) -> str:
        word = m.group(1)
        if names is None or word.startswith("Zq") or fold(word) in names.words:
            return word
        return _latam_unknown(word) or ""

    return re.sub(r"\s{2,}", " ", _UNTRANSLATED.sub(keep, english)).strip()


def _neutral_possessive(english: str) -> str:
    """ "its" for Apertium's "his": Spanish "su" says nothing of gender ("su ruta" is Interjet's
    route), and a "his" sends the question looking for a man."""
    return re.sub(r"\b(h)is\b", lambda m: "Its" if m.group(1) == "H" else "its", english)


# Apertium's Peninsular readings of Latin American political words, in the words the corpus
# uses: a "canciller" is a foreign minister, a "mandatario" a head of state, an "indulto" a
# pardon. The corpus never says "chancellor", "mandator" or "reprieve", so the Peninsular
# reading could only miss.
_POLITICAL = {
    "chancellor": "foreign minister",
    "chancellors": "foreign ministers",
    "chancellery": "foreign ministry",
    "chancelleries": "foreign ministries",
    "mandator": "president",
    "mandators": "presidents",
    "reprieve": "pardon",
    "reprieves": "pardons",
    "safe-conduct": "safe conduct",
    # More of the same kind, read off the Spanish first-sentence misses of the tuning sets
    # (1 December 2026): a minister is "censurado" by Congress (a censure, never censorship), a
    # "sol" is Peru's currency, a "directorio" a board, a "maestría" a master's degree, a
    # candidate "postula" (runs), a treaty "entra en vigor" (enters into force), and a "ruptura"
    # of relations is what the corpus calls the rupture.
    "censored": "censured",
    "censorship": "censure",
    "suns": "soles",
    "directory": "board",
    "mastery": "master's degree",
    "posits": "runs",
    "posited": "ran",
    "breaking": "rupture",
    "go in in force": "enter into force",
    "goes in in force": "enters into force",
    "went in in force": "entered into force",
    "will go in in force": "will enter into force",
    "entrance in force": "entry into force",
}
# Longest first, so "will go in in force" is read whole before "go in in force".
_POLITICAL_WORD = re.compile(
    r"\b(" + "|".join(map(re.escape, sorted(_POLITICAL, key=len, reverse=True))) + r")\b", re.I
)
# Latin American political verbs Apertium's dictionary lacks (it leaves them untranslated and
# `_known_or_dropped` would drop them), by the start of their forms (the first that fits): "indultar" a prisoner is to
# pardon him, "vacar" a president (Peru's "vacancia") is to remove him from office, a
# "subsecretario" is an undersecretary. Without them "¿por qué no puede indultar a Castillo?"
# asks "why can not to Castillo?".
_UNKNOWN_LATAM: tuple[tuple[str, str], ...] = (
    ("indult", "pardon"),
    ("vacaron", "removed"),
    ("vacar", "remove"),
    ("vaco", "removed"),
    ("vacancia", "removal"),
    ("subsecretari", "undersecretary"),
)


def _latam_unknown(word: str) -> str | None:
    """The English of a Latin American word Apertium does not know (`_UNKNOWN_LATAM`), if it is one."""
    folded = fold(word)
    return next((en for start, en in _UNKNOWN_LATAM if folded.startswith(start)), None)


def _latin_american(english: str) -> str:
    """Apertium's Peninsular words for Latin American political terms, in the corpus's words."""

    def swap(m: re.Match[str]) -> str:
        word = _POLITICAL[m.group(1).lower()]
        return word[0].upper() + word[1:] if m.group(1)[0].isupper() else word

    return _POLITICAL_WORD.sub(swap, english)


@lru_cache(maxsize=2048)
def _english(question: str, names: CorpusNames | None) -> str:
    protected, kept = _protect(which_noun(still(restore_accents(question))), names)
    english = _neutral_possessive(_known_or_dropped(apertium.translate_marked(protected), names))
    english = _latin_american(english)
    for key, word in kept.items():
        english = re.sub(rf"\b{key}\b", word, english, flags=re.I)
    return english


def to_english(question: str, names: CorpusNames | None = None) -> str:
    """The question in English, the corpus's names untouched; the question itself if it cannot be translated."""
    if not translator_available():
        log.warning("apertium is not installed: Spanish questions are searched as they are")
        return question
    try:
        english = _english(question, names)
    except (OSError, subprocess.SubprocessError, apertium.ApertiumError) as e:
        log.warning("translation failed (%s): searching the question as it is", e)
        return question
    return english or question
