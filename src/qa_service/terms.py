"""Words for lexical matching: accent-folded, stop words dropped, stemmed.

BM25, the decline check and sentence scoring all use these same terms, so a word counts
the same way everywhere.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

_WORD = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")
# The auxiliaries a question is built with ("did", "was", "could"): no term of what it asks,
# and where the noun after "what/which" ends (`reading.asked_nouns`).
# A capitalised word as names are written, accents and apostrophes included ("López", "O’Higgins"):
# what the readers of names (reading, spanish, lexicon) build their runs of names from.
CAPITALISED = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñü'’-]+"
AUXILIARIES = frozenset(
    ["did", "does", "do", "was", "were", "is", "are", "has", "have", "had", "could", "would", "can"]
)
QUESTION_WORDS = AUXILIARIES | frozenset(
    [
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "whose",
        "why",
        "how",
        "about",
        "tell",
        "me",
        "please",
        "there",
        "their",
        "its",
        "it",
        "his",
        "her",
        "he",
        "she",
        "they",
        "them",
    ]
)
# "several" stems to "sever" and would match "sever relations"; "s" is what is left of "Peru's".
STOPWORDS = frozenset(STOPWORDS_EN) | QUESTION_WORDS | {"several", "s"}
# A demonym counts as its country, so "Mexican exports" matches "what does Mexico export".
DEMONYMS = {
    "mexican": "mexico",
    "mexicans": "mexico",
    "peruvian": "peru",
    "peruvians": "peru",
    "chilean": "chile",
    "chileans": "chile",
    "colombian": "colombia",
    "colombians": "colombia",
    "brazilian": "brazil",
    "brazilians": "brazil",
    "bolivian": "bolivia",
    "bolivians": "bolivia",
    "ecuadorian": "ecuador",
    "ecuadorians": "ecuador",
    "venezuelan": "venezuela",
    "venezuelans": "venezuela",
    "argentine": "argentina",
    "argentinian": "argentina",
    "argentines": "argentina",
    "spanish": "spain",
    "french": "france",
    "american": "america",
    "americans": "america",
}
# Irregular verb forms the stemmer leaves apart, and "sever" for breaking off relations:
# "Why did Peru sever relations?" must find "Peru broke off relations". ("rupture" was
# tried too: it made "break" so common that "the 1932 break" was declined.)
WORD_FORMS = {
    "broke": "break",
    "broken": "break",
    "sever": "break",
    "severed": "break",
    "severs": "break",
    "took": "take",
    "taken": "take",
    "gave": "give",
    "given": "give",
    "sought": "seek",
    "fled": "flee",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "began": "begin",
    "begun": "begin",
    "met": "meet",
    "held": "hold",
    "chose": "choose",
    "chosen": "choose",
    "won": "win",
    "sent": "send",
    "spoke": "speak",
    "spoken": "speak",
    "wrote": "write",
    "written": "write",
    "grew": "grow",
    "grown": "grow",
    "fell": "fall",
    "fallen": "fall",
    "rose": "rise",
    "risen": "rise",
    "sold": "sell",
    "bought": "buy",
    "paid": "pay",
    "kept": "keep",
    "brought": "bring",
    "told": "tell",
    "came": "come",
    "went": "go",
}
NORMAL = {**DEMONYMS, **WORD_FORMS}
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer objects are not thread-safe: one per thread.
    s = getattr(_local, "stemmer", None)
    if s is None:
        s = _local.stemmer = Stemmer.Stemmer("english")
    return s


def stems(words_: list[str]) -> list[str]:
    """The stems of words as they are (no folding, no stop words dropped)."""
    return list(_stemmer().stemWords(words_))


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'Chávez' matches 'Chavez'."""
    if text.isascii():
        return text.lower()
    nfkd = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


# Every question scores the same corpus sentences again: caching their tokens takes the
# lexical work of an answer from several milliseconds to a fraction of one.
@lru_cache(maxsize=50_000)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w.replace(",", "") for w in _WORD.findall(fold(text)))


@lru_cache(maxsize=50_000)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(
        _stemmer().stemWords([NORMAL.get(w, w) for w in _words(text) if w not in STOPWORDS])
    )


def words(text: str) -> list[str]:
    """Folded word tokens; numbers keep their separators ('1,036', '2.5')."""
    return list(_words(text))


def terms(text: str) -> list[str]:
    """Stemmed content words, stop words removed: what lexical matching compares."""
    return list(_terms(text))


# The countries the demonyms name, as terms: names that a lowercase question gives too ("peru").
COUNTRIES = frozenset(terms(" ".join(sorted(set(DEMONYMS.values())))))

# Capitals a question writes for their country's government ("why did Lima call its ambassadors home
# from Buenos Aires, La Paz, Bogotá…", "protested to Paris and London"), where the corpus names the
# country ("Argentina, Bolivia, Colombia", "the courts of France and Britain"). Read by the
# unknown-name check and the misattributed-act check (config `capital_for_country`).
CAPITALS = {
    "lima": "peru",
    "mexico city": "mexico",
    "buenos aires": "argentina",
    "la paz": "bolivia",
    "bogota": "colombia",
    "santiago": "chile",
    "quito": "ecuador",
    "caracas": "venezuela",
    "brasilia": "brazil",
    "madrid": "spain",
    "paris": "france",
    "london": "britain",
    "washington": "america",
}


# Other names of a country than its demonyms: "the courts of France and Britain", "British".
_COUNTRY_ALIASES = {"britain": "british united kingdom", "america": "united states"}


def country_terms(country: str) -> frozenset[str]:
    """A country's terms and those of its demonyms ("france", "french"): how a passage names it."""
    names = [country, _COUNTRY_ALIASES.get(country, "")]
    names += [d for d, c in DEMONYMS.items() if c == country]
    return frozenset(terms(" ".join(names)))


_CAPITAL = re.compile(rf"\b({'|'.join(CAPITALS)})\b")


def capitals_named(text: str) -> dict[str, str]:
    """The capitals a text names (folded, as in `CAPITALS`), each with its country."""
    folded = " ".join(words(text))
    return {cap: CAPITALS[cap] for cap in _CAPITAL.findall(folded)}
