"""Function words: a question's words that say nothing of its subject, read by their part of speech.

The far-off check (`FeatureMaker.signals`) weighs each question term by its IDF over the corpus, so
a word the corpus rarely or never writes weighs the most. Chat words are such words: "per the
guardian", "has he ruled yet", "the moves that got him thrown out", "wouldn't" (tokenised "wouldn" +
"t"), "couldnt". They are no subject a passage should hold. Apertium's English analyser (the
`eng-spa` pair the service already installs for Spanish) gives every reading of a word; a word is a
function word when none of its readings is a noun, a proper noun, an adjective or a number, and
what it can be is a preposition, conjunction, determiner, pronoun, auxiliary, adverb (not an
adverb alone: "today") or interjection, or a verb whose lemma is one of English's common words (scikit-learn's stop-word list:
"get", "give", "take", "keep"). A contraction written without its apostrophe ("couldnt", "thats")
is read with it. A word the analyser does not know (a name, "amlo", "indulto") is content.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from qa_service import apertium
from qa_service.terms import terms

log = logging.getLogger(__name__)

MODE = "eng-spa"
# The word classes that name a subject (Apertium's tags): what keeps a word in the far-off check.
_CONTENT_TAGS = frozenset({"n", "np", "adj", "num"})
# The classes that carry none: prepositions, conjunctions, determiners, pronouns, relatives,
# auxiliaries and the verbs "be", "have", "do" as auxiliaries, adverbs, interjections, the genitive.
_FUNCTION_TAGS = frozenset(
    {
        "pr",
        "cnjcoo",
        "cnjsub",
        "cnjadv",
        "det",
        "predet",
        "prn",
        "rel",
        "vaux",
        "vbmod",
        "vbser",
        "vbhaver",
        "vbdo",
        "adv",
        "preadv",
        "ij",
        "gen",
    }
)
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)*")
_TAG = re.compile(r"<([^>]+)>")


@lru_cache(maxsize=1)
def _common_lemmas() -> frozenset[str]:
    """English's common words (scikit-learn's stop-word list, 318 words)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _function(readings: list[str]) -> bool:
    """Do all of a word's readings (`lemma<tag>…`, parts joined by '+') carry no content?

    An adverb alone is no function word: adverbs are an open class ("today", "abroad", "annually"
    name a time or a place); one that is also a conjunction or a preposition is ("yet", "up")."""
    if not readings:
        return False
    adverbs_only = True
    for reading in readings:
        for part in reading.split("+"):
            tags = _TAG.findall(part)
            if not tags or tags[0] in _CONTENT_TAGS:
                return False
            lemma = part.split("<", 1)[0].lower()
            if tags[0] == "vblex" and lemma in _common_lemmas():
                adverbs_only = False
                continue
            if tags[0] not in _FUNCTION_TAGS:
                return False
            adverbs_only = adverbs_only and tags[0] == "adv"
    return not adverbs_only


def _with_apostrophe(word: str) -> list[str]:
    """A word as the contraction it may be, written without its apostrophe ("couldnt", "thats")."""
    return [
        f"{word[: -len(t)]}'{t}"
        for t in ("t", "s", "ll", "re", "ve", "d", "m")
        if word.endswith(t) and len(word) > len(t) + 1 and (t != "t" or word.endswith("nt"))
    ]


@lru_cache(maxsize=4096)
def is_function_word(word: str) -> bool:
    """Does a word carry no content by its part of speech (module doc)? False when Apertium is missing."""
    try:
        readings = apertium.analyse([word], MODE).get(word, [])
        if readings:
            return _function(readings)
        guesses = _with_apostrophe(word)
        if not guesses:
            return False
        found = apertium.analyse(guesses, MODE)
        return any("+" in "".join(found[g]) and _function(found[g]) for g in guesses)
    except (apertium.ApertiumError, OSError):
        log.warning("apertium's English analyser is unavailable: no function words read")
        return False


def function_terms(question: str) -> frozenset[str]:
    """The question's terms (`terms.terms`) that only its function words give."""
    content: set[str] = set()
    function: set[str] = set()
    for m in _WORD.finditer(question.replace("’", "'")):
        word = m.group(0).lower()
        (function if is_function_word(word) else content).update(terms(word))
    return frozenset(function - content)
