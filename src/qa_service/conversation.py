"""Follow-up questions: resolve them against the chat history before retrieval.

A question that leans on earlier turns ("Who signed it?", "And when did it come into
force?") is given the words of the turn it leans on; a self-contained question is left
exactly as asked, so history never distorts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_service.language import Language, detect, to_english
from qa_service.lexicon import Lexicon
from qa_service.reading import person_names
from qa_service.schemas import Turn
from qa_service.spanish import CorpusNames
from qa_service.terms import terms

_REFERRING = re.compile(
    r"\b(it|its|he|him|his|she|her|hers|they|them|their|theirs|this|that|these|those|there|then|"
    r"the same|the former|the latter|the other|such)\b",
    re.IGNORECASE,
)
_CONTINUING = re.compile(
    r"^\s*(and|but|also|so|then|what about|how about|what else|why|and why|and when|and who)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"\b[A-ZÁÉÍÓÚÑ][\wáéíóúñ'-]+(?:\s+(?:de\s+la\s+|de\s+|del\s+|y\s+)?[A-ZÁÉÍÓÚÑ][\wáéíóúñ'-]+)*"
)
_MARKER = re.compile(r"\s*\[\d+\]")
# A pronoun standing for one person: "he" and "she" each stand for someone named before.
_HE = re.compile(r"\b(he|him|his|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(she|her|hers|herself)\b", re.IGNORECASE)


def answer_words(content: str) -> str:
    """The quoted words of an earlier answer, read back from the text a client sent.

    History arrives as plain text (the API takes turns as `content` strings, and clients
    may echo `answer` as it came), so the structured `preface`/`sentences` of that answer
    are not at hand: this drops a preface line and the " [n]" markers. The chat page
    sends the sentences already joined without markers, which this leaves as they are.
    """
    last_line = content.strip().split("\n")[-1]
    return _MARKER.sub("", last_line)[:400]


@dataclass
class Resolved:
    """The question as asked, and what retrieval should search for."""

    question: str  # in English, names written as the corpus writes them
    query: str
    original: str = ""  # as the user asked it
    language: Language = "en"
    context: str = ""
    follow_up: bool = False
    context_terms: list[str] = field(default_factory=list)
    shown: str = ""  # the answers the user was given, without markers: not news again
    referent_terms: list[str] = field(default_factory=list)  # who "he"/"she" stands for


def referents(question: str, earlier: list[str]) -> list[str]:
    """The people a question's "he"/"she" stand for: the first people the latest earlier text names.

    The subject of the last answer is named first ("Víctor Raúl Haya de la Torre founded APRA…"
    -> "who had him deported?"); a question with both "she" and "him" takes the first two. A
    question naming a person itself is left alone.
    """
    wanted = int(_HE.search(question) is not None) + int(_SHE.search(question) is not None)
    if not wanted or person_names(question):
        return []
    for text in reversed(earlier):
        people = list(dict.fromkeys(person_names(text)))
        if people:
            return people[:wanted]
    return []


def _names(text: str) -> list[str]:
    """Proper names in a text, sentence-initial words included only when multiword."""
    out = []
    for m in _NAME.finditer(text):
        name = m.group(0)
        if " " in name or m.start() > 0:
            out.append(name)
    return out


def needs_context(question: str) -> bool:
    """Does the question lean on earlier turns?"""
    if _REFERRING.search(question) or _CONTINUING.search(question):
        return True
    content = terms(question)
    return len(content) <= 1 and not _names(question)


def read(
    text: str, lexicon: Lexicon | None, corpus_names: CorpusNames | None = None
) -> tuple[str, Language]:
    """A question in English with the corpus's spelling of its names, and the language it was asked in.

    `corpus_names`: which words the translator must leave alone (`spanish.CorpusNames`).
    """
    language = (
        detect(corpus_names.without_names(text), corpus_names.more_english)
        if corpus_names
        else detect(text)
    )
    english = to_english(text, corpus_names) if language == "es" else text
    return (lexicon.normalise(english) if lexicon else english), language


def resolve(
    question: str,
    history: list[Turn],
    force: bool = False,
    lexicon: Lexicon | None = None,
    corpus_names: CorpusNames | None = None,
    carry_referent: bool = True,
) -> Resolved:
    """The standalone form of a question, given the turns before it (`force`: lean on them regardless)."""
    original = question
    question, language = read(question, lexicon, corpus_names)
    user_turns = [
        read(t.content, lexicon, corpus_names)[0]
        for t in history
        if t.role == "user" and t.content.strip()
    ]
    if not user_turns or not (force or needs_context(question)):
        return Resolved(question=question, query=question, original=original, language=language)
    context_parts = [user_turns[-1]]
    if needs_context(user_turns[-1]) and len(user_turns) > 1:
        context_parts.insert(0, user_turns[-2])
    last = history[-1]
    # Every answer the user was given: a follow-up may lean on the turn before last ("And when
    # did Peru open its own embassy?" after the consulate and the embassy answers).
    shown = " ".join(_MARKER.sub("", t.content) for t in history if t.role == "assistant")
    if last.role == "assistant" and last.content.strip():
        answer_text = answer_words(last.content)
        names = [n for n in _names(answer_text) if n.lower() not in " ".join(context_parts).lower()]
        if names:
            context_parts.append(" ".join(dict.fromkeys(names[:4])))
    context = " ".join(context_parts)
    earlier = [answer_words(t.content) if t.role == "assistant" else t.content for t in history]
    who = referents(question, earlier) if carry_referent else []
    return Resolved(
        question=question,
        query=f"{context} {question}",
        original=original,
        language=language,
        context=context,
        follow_up=True,
        context_terms=terms(context),
        shown=shown,
        referent_terms=terms(" ".join(who)),
    )
