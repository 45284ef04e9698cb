"""Reading a question and a sentence: what the question asks for (a date, a name, a cause...),
its years and names, and what a sentence offers toward that. Pure text rules, no model: the
scorer (`scoring.py`) turns them into features, the decider and composer reuse them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from qa_service.terms import (
    AUXILIARIES,
    CAPITALISED,
    CAPITALS,
    COUNTRIES,
    DEMONYMS,
    STOPWORDS,
    terms,
    words,
)

# Every question reads the same corpus sentences again: what a sentence holds is read once
# and kept (issue 15's profile: these regexes were ~15 % of an answer's own time). The size
# is terms.py's, which holds the same sentences' tokens.
SENTENCE_CACHE = 50_000

YEARS = r"1[5-9]\d\d|20\d\d"  # a regex alternation of the years the corpus can speak of
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = "|".join(MONTH_NAMES)  # a regex alternation of the month names
# Spanish month names, January first; a name with "|" lists its spellings, the written one
# first ("setiembre" is Peru's spelling of September).
# A question's month abbreviation ("on dec 7 2022", "in jan 2006") as the corpus spells the month.
# In the 52 documents no sentence writes "dec" or "nov"; questions in the tuning sets do about 60
# times. ("mar" is left out: it is a Spanish word and a name's part.)
MONTH_ABBREVIATIONS = {
    "jan": "january",
    "feb": "february",
    "apr": "april",
    "jun": "june",
    "jul": "july",
    "aug": "august",
    "sep": "september",
    "sept": "september",
    "oct": "october",
    "nov": "november",
    "dec": "december",
}

MONTH_NAMES_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre|setiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
YEAR = re.compile(rf"\b({YEARS})\b")
# "June 2026", "June of 2026", "junio de 2026": a month and its year (groups: month, year).
MONTH_YEAR = re.compile(rf"\b({MONTHS})\s+(?:of\s+|de\s+)?({YEARS})\b", re.I)
_MONTH = re.compile(rf"\b({MONTHS})\b")
_NUMBER_ITEM = re.compile(r"\d[\d,.]*")
_DAY = re.compile(r"\b\d{1,2} (?=[A-Z][a-z]+ \d{4})")
_DATE_LIKE = re.compile(rf"\b(?:\d{{1,2}} )?(?:{MONTHS})(?: \d{{4}})?\b|\b(?:{YEARS})\b(?!,\d)")
META = re.compile(
    r"\b(this|its own|another|a separate|the present) (document|article|note)\b|\bsee the document\b",
    re.I,
)
# The corpus records its own gaps ("The corpus does not know…", "No source consulted for this
# corpus reports…"; 15 such sentences in corpus/ on 30 November 2026): when the sentence that
# answers best is one of them, the question is declined with that sentence as what it holds.
# A claim check ("No source consulted gives a 2024 total of US$1.8 billion…") is not a gap: it
# denies one figure, so a question asking for the figure the corpus does hold is answered.
GAP = re.compile(
    r"\b(?:the corpus does not (?:know|cover|say)|no source (?:consulted )?(?:in|for) (?:the|this) corpus)\b",
    re.I,
)
_FULL_NAME = re.compile(r"\b[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+ (?:de |del |de la )?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")
# A sentence that gives a cause says so with a causal connective or verb ("because", "due to",
# "attributed … to", "linked … to", "stemmed from", "blamed … for"). Words that only place one
# event after another ("after", "following", "over") count half: on the why questions of the
# train split and held-out 1 they stood in most event sentences that did not give the cause
# (a date "after Congress removed…"), while the answering sentences ranked below the top one
# used the causal words. Why answered, 30 November 2026: train 0.345 -> 0.483, held-out 1
# 0.571 -> 0.571 (one gained, one lost); one held-out 1 false premise more affirmed.
_CAUSE = re.compile(
    r"\b(because|citing|cited|in response|due to|reasons?|as a result|so that|to stop|to curb|justif\w*|"
    r"on the grounds|argu\w*|in protest|to protest|accus\w*|attribut\w*|link(?:s|ed)\b.{1,60}\bto|"
    r"stem(?:s|med)? from|blam\w*|fear\w*|principles? of|in retaliation|led to|"
    r"(?:was|were) (?:caused|prompted|triggered|motivated) by|"
    # Motives in other words (issue 10): purpose, consequence, grounds, and the verbs that
    # English translations of Spanish reports use for them ("alleging", "invoking"). With
    # `_NOT_CAUSE` and `_NAMED_ACT`, why answered (train / held-out 1 / held-out 2, 1 December
    # 2026) .571/.524/.625 -> .607/.619/.625, first sentence .464/.381/.375 -> .464/.429/.417,
    # Spanish train +1, no case lost on any set. "explained" gained a held-out 2 why and
    # affirmed a train false premise ("Hugo de Zela explained that…"): left out.
    r"in order to|so as to|to (?:avoid|prevent|protect|ensure|force|pressure|preserve|punish)|"
    r"(?:results?|resulted) from|as a consequence|consequence of|in the wake of|in (?:light|view) of|"
    r"owing to|on account of|given that|(?:legal )?basis|grounds|motiv\w*|"
    r"(?:prompted|triggered|sparked|provoked|caused)|alleg\w*|invok\w*|"
    r"for (?:trying|attempting|having|refusing|failing)|"
    # grounds in law: "Under the convention, the territorial state must grant…", "…under the state
    # of emergency then in force" (why answered, four question sets, 1 December 2026, after
    # scoring.AGENT_BONUS: train 18 -> 19, held-out 1 14 -> 15, held-out 3 18 -> 19 of 28/21/25).
    # "article" too affirmed a held-out 1 false premise ("Under Article 45(c), the sending state…").
    r"under (?:the |an? |its )?(?:[\w'’-]+ ){0,3}?(?:convention|law|treaty|state of emergency|constitution)|"
    r"in (?:rejection|repudiation|defen[cs]e|solidarity) (?:of|with)|opponents? (?:[\w'’-]+ ){0,5}?(?:say|said|argue|fear|claim)|"
    # a stance with its reason: "defended the decree as an application of reciprocity"
    r"(?:defended|praised|welcomed|hailed) (?:[\w'’-]+ ){1,8}?as)\b",
    re.I,
)
# A person sanctioned "for" something: the cause ("Congress removed Pedro Castillo for 'moral
# incapacity'"); a thing removed "for" someone is not ("removed the visa requirement for
# Peruvian visitors"). Held-out 1: why .619 -> .667, Spanish .591 -> .636, nothing lost.
_SANCTION = re.compile(
    r"\b(?:[Rr]emov|[Ee]xpel|[Cc]ensur|[Ss]entenc|[Cc]onvict|[Dd]ismiss|[Pp]unish|[Ii]mpeach|[Cc]ondemn)\w* "
    r"(?:him|her|them|[A-ZÁÉÍÓÚ][\w'’-]*(?: (?:de |del )?[A-ZÁÉÍÓÚ][\w'’-]*){0,3}) for\b"
)
# A sentence whose subject names an act and ties it to what came before gives that act's
# cause: "The censure followed two investigations…", "The statement came one day after…",
# "The announcement came a few hours before Congress was due to debate…".
_NAMED_ACT = re.compile(
    r"^(?:The|This|That|Its|His|Her|Their)\s+(?:[\w'’-]+\s+){0,2}?[a-z][\w-]*\s+"
    r"(?:followed|came\s+(?:[\w-]+\s+){0,3}?(?:after|before|in response to|amid)|"
    # "The decision answered new statements by López Obrador questioning…". With "links … to"
    # (present tense) and the cause questions "what set off / sparked / provoked" (`_ASKS_CAUSE`;
    # two more wordings, each met in one question, since taken out), why answered (`qa-service
    # eval`, seven tuning sets, 1 December 2026) held-out 1 .667 -> .714, held-out 2 .750 -> .792,
    # first held-out 4 .600 -> .667 (.533 once those two wordings were taken out); no case lost.
    r"answered|responded\s+to|was\s+(?:a|an|in)\s+(?:response|reply|answer)\s+to)\b"
)
# Words of the cause pattern that, in these places, name a source or a schedule, not a cause:
# "as cited by EFE", "according to Construyendo, citing Gestión", "due to take effect on 20
# April", "the party linked to Pedro Castillo". On the why questions of the three tuning sets
# (1 December 2026) they made the top sentence of 9 of 43 first-sentence misses a "cause".
_NOT_CAUSE = re.compile(
    r"\b(?:as )?cited (?:by|in|here)\b|\bciting (?=[A-Z]|the (?:president|head|chair|director|official)\b)|"
    r"\bdue to (?=(?:take|start|end|begin|be|hand|host|debate|visit|expire|open|close|hold|sign|meet|"
    r"arrive|leave|return|come)\b)|\blinked to\b|"
    # A reason denied or only alluded to ("gave no reason for staying away", "for similar
    # reasons"), and the opening of a sentence that tells an effect (`_CONSEQUENCE`: "For that
    # reason the prosecution had reduced its request…"), state no cause.
    r"\bno reasons?\b|\bfor (?:similar|other) reasons\b|^(?:For (?:that|this|these|those) reasons?|As a (?:result|consequence))\b"
)
# A sentence that tells the effect of the one before it: "For that reason the prosecution had
# reduced its request…" (after "The court found that… his plan failed"), "Relations were therefore
# restored three weeks after the change of government" (after "Sánchez Cerro was assassinated…").
# For a why question, the one before holds the cause (`composing.cause_before`).
_CONSEQUENCE = re.compile(
    r"^(?:For (?:that|this|these|those) reasons?|As a (?:result|consequence)|(?:That|This) is why|"
    r"Consequently|Hence|Thus)\b|\btherefore\b"
)
_AFTER = re.compile(r"\b(after|over|following|followed)\b", re.I)
_DEFINE = re.compile(
    r"^\s*(?:who|what)\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<x>.+?)\s*\??\s*$", re.I
)
_COPULA = re.compile(r"\b(is|was|are|were|served as|became|has been)\b", re.I)
_ENTITY = re.compile(r"(?<!^)(?<![.?!] )\b[A-ZÁÉÍÓÚÑ][\wáéíóúñ'-]+|\b[A-Z]{2,}\b")
_CALENDAR = frozenset(
    [m.lower() for m in MONTH_NAMES]
    + ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
)
_PRESENT = re.compile(
    r"\b(now|currently|current|today|nowadays|these days|at present|presently|still|latest|as of|"
    r"state of|status|right now|at the moment|recent(ly)?|lately|any news|any longer|anymore|yet)\b",
    re.I,
)
# The words by which a question dates the thing it asks about to the reader's present ("the
# current foreign minister"): in a corpus sentence they speak of its source's own present ("until
# the end of the current presidential term", 2023). "Still" and "yet" are not among them: a
# sentence saying something still held ("Peruvian visitors still needed a Mexican visa") answers.
_NOW = re.compile(
    r"\b(?:current|currently|nowadays|presently|at present|at the moment|right now)\b", re.I
)
_PRESENT_START = re.compile(r"^\s*(are|is|do|does|has|have)\b", re.I)
# "Until when is Balcázar going to be in charge", "how much longer will…": the end of a state that
# holds now, so the answer is the newest statement of it, dated (`asks_about_present`, `until`).
# "Kept the preferences going until when?" (a past act, no present verb after it) is not.
_UNTIL_WHEN = re.compile(
    r"\b(?:until|till) when\s+(?:is|are|will|does|do)\b|\bhow (?:much )?longer\s+(?:is|are|will|does|do)\b",
    re.I,
)
# Where the question word may stand: first, or after a short setting ("At the OAS in late 2025,
# who…", "Tia Maria: when…"), as the parts of a two-part question and typed questions often open.
# A topic before the question ("jeri: sworn in when", "mexico's visa for peruvians - the start
# date"), then a conjunction.
_LEAD = r"^\s*(?:[^,:?]{1,60}(?:[,:]|\s[-–])\s*)?(?:and|but|so|then)?\s*"
_ASKS_DATE = re.compile(
    _LEAD
    + r"(?:when|since when|in what year|on what (?:date|day))\b|\bwhat (?:year|date|day|month)\b|how long ago"
)
# With no question word before it, a date is also asked by "when" at the end ("in force since
# when?") or by a slot named as a date ("start date and last day", split into "…: start date?"
# and "…: last day?"); "why did castillo go on tv … on that particular day" asks a cause.
_DATE_SLOT = re.compile(r"\bwhen\s*\??\s*$|\b(?:date|day)\s*\??\s*$")
_WH_WORD = re.compile(r"\b(?:who|whom|whose|what|which|why|how|where)\b")
_ASKS_NAME = re.compile(
    _LEAD
    + r"(?:who|whom)\b|\bwhich (?:\w+ )?(?:person|president|minister|ambassador|official|leader)\b"
)
# "How old" asks for a number too (an age: "aged 38"); it read as "other" before, so a sentence
# with the age gained no `kind` over one about the same person without it.
_ASKS_QUANTITY = re.compile(r"how (much|many|long|large|big|old)|worth|\btotal\b")
# A question that asks nothing in words of its own ("what about Balcázar?", "and Sheinbaum?")
# asks what the question before it asked (`asked_in_context`; with "how old", held-out 1 b-104
# gained: "…aged 83 at his election" ranked 6th for "what about Balcázar?", now first).
_ELLIPTICAL = re.compile(r"^\s*(?:and|what about|how about)\b(?:\s+[\w'’.-]+){1,6}\s*\??\s*$", re.I)
# "On what grounds", "what made / pushed / drove", "what grievances" ask for a cause too: why
# answered (train / held-out 1 / held-out 2, 1 December 2026) .607/.619/.625 -> .643/.619/.667,
# first sentence held-out 1 .429 -> .476 (3 gained, held-out 1 a-083 lost, no other kind moved).
_ASKS_CAUSE = re.compile(
    r"\bwhy\b|what (caused|led|prompted|triggered|set off|sparked|provoked)|"
    r"reason|how come|"
    r"what (?:was|is|were|lay) behind|motiv\w*|rationale|\bhow did\b.*\b(?:argue|justify|explain)\b|"
    r"on what (?:grounds|basis)|what (?:made|pushed|drove|drew|was drawing)\b|grievances?"
)
# The wordings that ask how a thing came about, or on what it rested, in other words: "what was
# Peru's justification", "Alva's argument for", "what explains…", "how did the SRE defend…", "how
# did X end up in / manage to / still pass…". Why questions of the tuning sets read as "other" or
# "list" without them (held-out 5 h5-033 gained, none lost: `qa-service eval`, eight tuning sets,
# 1 December 2026). "How is it that" lost held-out 4 h4-035 for nothing; "what got X to" and "what
# changed his mind" were each one tuning question's wording (taken out of `_ASKS_CAUSE` before), so
# none of the three is here.
_ASKS_GROUNDS = re.compile(
    r"justif\w*|\bargument for\b|\bwhat explains\b|"
    r"\bhow (?:did|could|does|do|was|were|can)\b.*\b(?:defend|end(?:ed)? up|manage|still)\b"
)
_DESCRIBE = re.compile(
    r"\bhow did\b.*\b(describe|react|respond|reply|call|characteri[sz]e|qualify|view)\b|\bwhat did\b.*\b(call|say)\b",
    re.I,
)
_QUOTE = re.compile(r"[\"“«][^\"“”«»]{2,}[\"”»]")
_SAYING = re.compile(
    r"\b(called|described|rejected|condemned|regretted|denounced|deplored|protested|termed|said|stated)\b",
    re.I,
)
_LIST = re.compile(r"^\s*(what|which)\s+(?:(?:are|were)\s+(?:the\s+)?(?:main\s+)?)?\w+s\b", re.I)
_ITEM = r"[\w'’-]+(?: [\w'’-]+){0,3}"
_ENUMERATION = re.compile(rf"\b(?:{_ITEM}, ){{2,}}{_ITEM},? (?:and|or)\b")
_FOCUS = re.compile(
    r"^\s*(?:what|which|who|how many|how much)\s+(?:(?:is|was|are|were|did|does|do)\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?:\w+'s\s+)?(?P<focus>\w+(?:\s+\w+)?)",
    re.I,
)
# A sentence that leans on the one before it: it opens with a pronoun or a demonstrative
# (`_POINTS_BACK`: it cannot be read without the one before), or with "The same".
_POINTS_BACK = (
    r"It|Its|That|This|These|Those|He|She|They|His|Her|Their|There|Such|Both|The (?:latter|former)"
)
_LEANS = re.compile(rf"^(?:{_POINTS_BACK}|The same)\b")
_OPENS_WITH_PRONOUN = re.compile(rf"^(?:{_POINTS_BACK})\b")
_THE_NOUN = re.compile(r"^The ([a-z]+)\b")
_QUANTITY = frozenset(
    terms(
        "vote votes figure amount number total share percentage value population price count tally margin size"
    )
)

# "Which hotel did…", "What job did…", "which artists did…", "how many tonnes…": the noun a question
# asks about. A "what/which" noun is read up to the first auxiliary or preposition ("What approval
# rating did" -> "rating"), or is the first word not a name when none follows ("Which Mexican
# doctrine says…" -> "doctrine"); a "how many/much" noun is the word after it.
_WH_NOUN = re.compile(r"^\s*(?:and\s+)?(?:what|which)\s+([\w'’-]+(?:\s+[\w'’-]+){0,3})", re.I)
_HOW_MANY_NOUN = re.compile(r"^\s*(?:and\s+)?how\s+(?:many|much)\s+([\w'’-]+)", re.I)
_NOUN_ENDS = AUXILIARIES | {"will", "of", "said"}
_VERB_FORM = re.compile(
    r"^[a-z]+ed$"
)  # "What happened", "Which … embassy sheltered": a verb ends the noun
# Nouns that only name the kind of answer (a date, a span, a figure, a cause, a part of something)
# or whose answer is a proper name the corpus writes under another title (an "envoy" is an
# "ambassador", a "country" is "Spain"): their absence from a passage says nothing.
_PLAIN_NOUNS = frozenset(
    terms(
        "day days year years yrs month months week weeks hour hours time times date age reason "
        "part else thing kind type way name number people money more less happened happen caused "
        "made share figure amount total percentage value price count tally margin size "
        "country nation place envoy ambassador diplomat minister president official leader chief "
        "head city party person"
    )
)


def _noun_phrase(words_: list[str]) -> list[str]:
    """The noun phrase after "what/which", head last: the words before an auxiliary ("approval
    rating did" -> approval rating), else the first word not a name ("fruit tops" -> fruit)."""
    phrase: list[str] = []
    for w in words_:
        if w.lower() in _NOUN_ENDS or _VERB_FORM.match(w):
            return phrase
        phrase.append(w)
    return [w for w in phrase if not w[:1].isupper()][:1]


# With `wide` (`AnswerOptions.wider_slot_wordings`): a figure asked by what it adds up to ("what did
# bilateral commerce add up to in 2017") or a rate ("what tariff rates did the 1832 treaty set").
_NAMES_FIGURE_WIDE = re.compile(
    r"\b(?:add(?:s|ed)?\s+up\s+to|amount(?:s|ed)?\s+to|tariff\s+rates?|rates?\s+of\s+tariff)\b",
    re.I,
)


def names_quantity(question: str, wide: bool = False) -> bool:
    """Does the question name a quantity ("what was the vote", "price of the visa", "the import number"),
    whatever it opens with? With `wide`, also what a thing adds up to, or a tariff rate."""
    return bool(term_set(question) & _QUANTITY) or (
        wide and _NAMES_FIGURE_WIDE.search(question) is not None
    )


def asked_nouns(question: str) -> frozenset[str]:
    """The terms of the noun phrase a question asks about ("What approval rating did…" -> approv, rate),
    none when its head is plain or a name: a passage that holds any of them speaks of the thing asked for."""
    how = _HOW_MANY_NOUN.match(question)
    what = _WH_NOUN.match(question)
    phrase = [how.group(1)] if how else _noun_phrase(what.group(1).split()) if what else []
    head = terms(phrase[-1]) if phrase else []
    names = question_entities(question)
    if not head or head[0] in _PLAIN_NOUNS or head[0] in names or YEAR.match(head[0]):
        return frozenset()
    return frozenset(t for t in terms(" ".join(phrase)) if t not in names)


# "which X" and "how many/much X" always name the thing asked for; "what X" often does not: "what
# brought", "what led" open on a verb, "what jab" uses the question's own word for what the corpus
# calls a remark. On the five tuning sets the what-nouns missing from every best passage were 1
# out-of-scope question and 3 answerable ones (held-out 3); the which-nouns 4 and none, the
# how-many nouns 8 and none (1 December 2026, deciding.lacks_focus).
_SURE_NOUN = re.compile(r"^\s*(?:and\s+)?(?:which|how\s+(?:many|much))\b", re.I)


def noun_is_asked(question: str) -> bool:
    """Does the question's wording make sure the noun after its question word is the thing asked for
    ("which hotel", "how many tonnes"), rather than a verb or the question's own word ("what brought")?"""
    return _SURE_NOUN.match(question) is not None


AskedKind = Literal["date", "quantity", "name", "place", "cause", "describe", "list", "other"]


def asks_about_present(question: str, until: bool = False) -> bool:
    """Is the question about the present state of affairs (so the answer must date itself)?
    With `until`, asking when a present state ends ("until when is…") is one too."""
    return bool(
        _PRESENT.search(question)
        or _PRESENT_START.search(question)
        or (until and _UNTIL_WHEN.search(question))
    )


# A question asking whether something still holds ("is Sheinbaum still persona non grata"), and a
# sentence saying that it did ("remained persona non grata under the declaration of 6 November
# 2025") rather than the act that began it ("declared … persona non grata on 6 November 2025").
_STILL = re.compile(r"\b(?:still|any ?more|any longer|no longer|yet)\b", re.I)
_LASTING = re.compile(
    r"\b(?:remain(?:s|ed)?|continu(?:es|ed)|still|kept|no longer|(?:had|has|have) no|maintain(?:s|ed))\b",
    re.I,
)


def asks_if_still(question: str) -> bool:
    """Does the question ask whether a state still holds ("still", "any longer", "yet")?"""
    return _STILL.search(question) is not None


def states_lasting(sentence: str) -> bool:
    """Does the sentence say a state lasted ("remained", "continued", "still", "no longer", "had no")?"""
    return _LASTING.search(sentence) is not None


def present_terms(question: str) -> frozenset[str]:
    """The terms by which a question dates itself to the present ("Who is the current foreign
    minister?": current): they say when, not what, so a sentence holding them ("…until the end
    of the current presidential term") is not about the question's subject for that."""
    return frozenset(t for m in _NOW.finditer(question) for t in terms(m.group(0)))


def focus_terms(question: str) -> list[str]:
    """The thing asked for ('what goods', 'which members', 'who was the foreign minister')."""
    m = _FOCUS.match(question)
    return terms(m.group("focus")) if m else []


def question_entities(question: str, acronyms: bool = True) -> set[str]:
    """Terms of the names a question mentions (capitalised words past the first, and acronyms)."""
    return set(_question_entities(question, acronyms))


# An answer reads its question's names some forty times (scoring, deciding, composing): kept per text.
@lru_cache(maxsize=4096)
def _question_entities(question: str, acronyms: bool) -> frozenset[str]:
    names = [
        re.sub(r"['’]s$", "", w) for w in _ENTITY.findall(question) if w.lower() not in _CALENDAR
    ]
    if not acronyms:
        names = [w for w in names if not w.isupper()]
    return frozenset(terms(" ".join(names)))


def question_years(question: str) -> list[str]:
    """The years a question names: an answer must speak of them."""
    return list(dict.fromkeys(YEAR.findall(question)))


# A month a question names, as the corpus spells it: a full name ("in november 2025"), an abbreviation
# (`MONTH_ABBREVIATIONS`: "nov 2025", "feb 2025") or a Spanish name left by the translation. "May" and
# "March" are also a verb and a noun ("may have", "the march on Lima"): they count only beside a day or
# a year, or after "in", "of", "early", "mid" or "late".
_MONTH_WORD = re.compile(
    r"\b("
    + "|".join([*(m for m in MONTH_NAMES if m not in ("May", "March")), *MONTH_ABBREVIATIONS])
    + "|"
    + "|".join(MONTH_NAMES_ES)
    + r")\b"
    + rf"|(?:\b(?:in|of|early|mid|late)\s+|\b\d{{1,2}}\s+)(may|march)\b|\b(may|march)(?=\s+(?:\d{{1,2}}\b|{YEARS}))",
    re.I,
)
_ES_MONTH = {
    spelling: MONTH_NAMES[i]
    for i, names in enumerate(MONTH_NAMES_ES)
    for spelling in names.split("|")
}


def question_months(question: str) -> frozenset[str]:
    """The months a question names, as English month names ("nov 2025" -> {"November"})."""
    out = set()
    for m in _MONTH_WORD.finditer(question):
        w = next(g for g in m.groups() if g).lower()
        name = _ES_MONTH.get(w) or MONTH_ABBREVIATIONS.get(w, w)
        out.add(name.capitalize())
    return frozenset(out)


def sentence_months(text: str) -> frozenset[str]:
    """The months a sentence names, in the corpus's spelling ("on 3 November 2025" -> {"November"})."""
    return frozenset(_MONTH.findall(text))


# The ordinal of an event ("the second visit", "Peru's first envoy", "when did it last meet"), each
# read as one rank; a translated Spanish question keeps Apertium's English words.
_ORDINALS = {
    "first": "1",
    "1st": "1",
    "second": "2",
    "2nd": "2",
    "third": "3",
    "3rd": "3",
    "fourth": "4",
    "fifth": "5",
    "last": "last",
    "latest": "last",
}
_ORDINAL = re.compile(rf"\b({'|'.join(_ORDINALS)})\b", re.I)


@lru_cache(maxsize=SENTENCE_CACHE)
def ordinals(text: str) -> frozenset[str]:
    """The ranks a text gives an event ("the second Mexican president to visit" -> {"2"})."""
    return frozenset(_ORDINALS[m.lower()] for m in _ORDINAL.findall(text))


# A rank past the first, in words or figures ("the fourth meeting", "its 4th session", "the 22nd
# fair"): the qualifier that picks one of a series of like events. The first (and the last) are left
# to `ordinals`: "first" is as often an adverb ("when did peru first…") as a rank.
_RANK_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_RANK = re.compile(rf"\b(?:({'|'.join(_RANK_WORDS)})|(\d{{1,3}})(?:st|nd|rd|th))\b", re.I)
# Not a rank of the thing asked: "a third country" (another one), "july 4th" or "the 4th of july"
# (a day), "the 21st century".
_NOT_RANK = re.compile(
    rf"\b(?:an?|one)\s+$|\b(?:{MONTHS})\s+$|^\s+(?:of\s+(?:{MONTHS})|century|centuries)\b", re.I
)


def _rank(m: re.Match[str]) -> int:
    """The number of a rank `_RANK` matched."""
    return _RANK_WORDS[m.group(1).lower()] if m.group(1) else int(m.group(2))


# A rank asked for by its number ("which numbered pan-american meeting", "what number cabinet chief
# was she", "peru became mexico's nth partner"): a rank in words or figures answers it ("the
# Tenth Inter-American Conference", "the fifth"), as a figure would.
_ASKS_RANK = re.compile(r"\b(?:what|which)\s+number\b(?!\s+of\b)|\bnumbered\b|\bnth\b", re.I)


def asks_for_rank(question: str) -> bool:
    """Does a question ask which number in a series a thing is ("which numbered meeting")?"""
    return _ASKS_RANK.search(question) is not None


def names_rank(text: str) -> bool:
    """Does a text name a rank, the first included ("the Tenth Conference", "its first", "22nd")?"""
    return bool(ranks(text)) or "1" in ordinals(text)


@lru_cache(maxsize=SENTENCE_CACHE)
def ranks(text: str) -> frozenset[int]:
    """The ranks past the first a text names, however written ("fourth", "4th" -> {4})."""
    return frozenset(_rank(m) for m in _RANK.finditer(text) if _rank(m) > 1)


def ranks_asked(question: str) -> frozenset[int]:
    """The ranks past the first a question gives the thing it asks about ("when did the council hold
    its 4th session" -> {4}), not "a third country", a day ("july 4th") or a century."""
    out = set()
    for m in _RANK.finditer(question):
        before, after = question[max(0, m.start() - 12) : m.start()], question[m.end() :]
        if _rank(m) > 1 and not (_NOT_RANK.search(before) or _NOT_RANK.match(after)):
            out.add(_rank(m))
    return frozenset(out)


@lru_cache(maxsize=SENTENCE_CACHE)
def gives_cause(sentence: str) -> bool:
    """Does the sentence state a cause in so many words ("because", "attributed to"), not just a sequence?"""
    return (
        _CAUSE.search(_NOT_CAUSE.sub(" ", sentence)) is not None
        or _NAMED_ACT.match(sentence) is not None
        or _SANCTION.search(sentence) is not None
    )


def follows_from_previous(sentence: str) -> bool:
    """Does the sentence tell the effect of the one before it ("For that reason…", "…therefore…")?"""
    return _CONSEQUENCE.search(sentence) is not None


# The one whose reasons a why question asks for: the words right after its question word and
# auxiliary ("why did Peru start…" -> Peru, "why was Sheinbaum sure…", "On what grounds did
# Congress remove…", "What made López Obrador reverse…"). Two words at most: the third is
# most often the verb or its object ("Castillo").
_AGENT = re.compile(
    r"(?:\bwhy|\bhow come|\bon what (?:grounds|basis)|\bwhat (?:made|led|prompted|pushed|drove))\s+"
    r"(?:(?:did|does|do|was|were|is|are|has|have|had|would|could|can|will)(?:n['’]?t)?\s+)?"
    r"(?P<x>[\w'’-]+(?:\s+[\w'’-]+)?)",
    re.I,
)
# An opening that sets the scene before the subject: "According to teleSUR English, Congress
# removed…", "Asked about commercial ties, Sheinbaum answered…", "On 24 November 2025, …".
_INTRO = re.compile(r"^(?:According to|Asked|On|In|At|After|During|Following|By)\b[^,]{0,60},\s*")
_SUBJECT_WORDS = 6  # the words of a sentence's opening read as its subject
# Verbs that follow a one-word agent ("why does Peru say…"): not the agent.
_AGENT_VERBS = frozenset(terms("say says said think thought want ask take make keep tell told"))


def asked_agent(question: str) -> frozenset[str]:
    """The terms of who a why question asks the reasons of (none when it does not say)."""
    m = _AGENT.search(question)
    found = terms(re.sub(r"['’]s\b", "", m.group("x"))) if m else []
    return frozenset(t for t in found if t not in _AGENT_VERBS and not YEAR.match(t))


# A verb by which the one a sentence opens with gives reasons ("Peru argued…", "Sheinbaum
# answered that…"): a sentence that only tells what they did ("Peru's National Police reinforced
# its watch…") is not their reason.
_STATES = re.compile(
    r"\b(?:said|says|argued|argues|accused|accuses|answered|explained|justified|defended|blamed|"
    r"cited|claimed|insisted|stated|told|wrote|added|adds|noted|replied|responded|recalled)\b"
)


@lru_cache(maxsize=SENTENCE_CACHE)
def speaker_terms(sentence: str) -> frozenset[str]:
    """The terms of who a sentence says is giving reasons: its opening words, past a scene-setting
    phrase, when a saying verb stands among them ("Peru's foreign ministry said…"); else none."""
    head = " ".join(_INTRO.sub("", sentence).split()[: _SUBJECT_WORDS + 2])
    m = _STATES.search(head)
    return term_set(head[: m.start()]) if m else frozenset()


# A finding or a recollection reported by its source ("Peru's Constitutional Court ruled … that
# Chávez had been held … without a valid court order", "Elmer Schialer recalled that he had
# served…"): with the saying verbs of `_STATES`, what a source gives as the reason of an act
# told beside it (`composing.cause_by_event`).
_FINDS = re.compile(
    r"\b(?:ruled|found|held|concluded|considered|recalled|noted)\b[^.;:]{0,60}?\bthat\b"
)


@lru_cache(maxsize=SENTENCE_CACHE)
def reports_reason(sentence: str) -> bool:
    """Does the sentence report what a source said, argued or found ("The Peruvian statement said
    Sheinbaum's words showed…", "…ruled on 3 September 2025 that…"), as reasons are told?"""
    body = _INTRO.sub("", sentence)
    head = " ".join(body.split()[: _SUBJECT_WORDS + 2])
    m = _FINDS.search(body)
    return bool(speaker_terms(sentence)) or (m is not None and m.start() < len(head))


def leans_on_previous(sentence: str, previous: str) -> bool:
    """Does the sentence need the one before it to be understood ('That was…', 'The judge…')?"""
    if _LEANS.match(sentence):
        return True
    m = _THE_NOUN.match(sentence)
    return bool(m and previous and m.group(1) in set(words(previous)))


def names_its_subject(sentence: str) -> bool:
    """Does a sentence name what it is about, even when it leans on the one before ("The court
    acquitted Castillo…", "The same profile says…"), rather than open with a pronoun ("He…")?"""
    return _OPENS_WITH_PRONOUN.match(sentence) is None


@dataclass(frozen=True)
class Asked:
    """What a question asks for, read once per question rather than once per sentence."""

    kind: AskedKind
    wanted: frozenset[str]  # the words a date, number or name should stand beside
    subject: frozenset[str]  # for "Who/What is X?", the terms of X
    counted: frozenset[str] = frozenset()  # for "how many X", the terms of X (else of the question)
    # for "where", the terms too common in the corpus to place anything ("Peru", "Lima"): a place
    # named by them alone is no answer (`places_in`)
    common: frozenset[str] = frozenset()


# "What term did amlo use for his removal", "what word did … use for Boluarte's govt", "what label
# did AMLO pin on…": the word someone used, which the corpus quotes ("a 'soft coup'").
_ASKS_WORD = re.compile(r"\b(?:what|which)\s+(?:term|word|phrase|expression|label|epithet)\b", re.I)


# A question asking where something happened or stands: "where did betsy chaves study law", "what
# city was amlo in for…", "cptpp signing ceremony location?", "born where". "Where did Mexico rank…",
# "where do things stand" ask a rank or a state, not a place.
_ASKS_PLACE = re.compile(
    _LEAD + r"where\b|\bwhere\s*\??\s*$|"
    r"\b(?:what|which)\s+(?:city|town|place|venue|location)\b|\b(?:location|venue)\s*\??\s*$",
    re.I,
)
_WHERE_NOT_PLACE = re.compile(r"\bwhere\b.*\b(?:rank\w*|stand\w*|stood|things)\b", re.I)
# A place a sentence gives: capitalised words after "in", "at" or "near" ("signed the CPTPP in
# Santiago, Chile", "held that day in Hermosillo, Sonora", "trained at the Universidad Nacional … in
# Tacna"); a month after "in" dates, it does not place.
_PLACE = re.compile(
    r"\b(?:[Ii]n|at|near)\s+(?:the\s+)?"
    r"([A-ZÁÉÍÓÚÑ][\w'’-]+(?:(?:\s+|,\s+)(?:de\s+|del\s+|de\s+la\s+)?[A-ZÁÉÍÓÚÑ][\w'’-]+)*)"
)
_MONTH_START = re.compile(rf"^(?:{MONTHS})\b")


def places_in(asked: Asked, sentence: str) -> tuple[str, ...]:
    """The places a sentence gives (`_PLACE`) that name more than the corpus's commonest words."""
    return tuple(p for p in _offers("place", sentence) if not term_set(p) <= asked.common)


def asks_place(question: str) -> bool:
    """Does a question ask where something happened or stands (`_ASKS_PLACE`)?"""
    return _ASKS_PLACE.search(question) is not None and _WHERE_NOT_PLACE.search(question) is None


def asked_in_context(
    question: str, context: str, slots: bool = False, quoted: bool = False, places: bool = False
) -> Asked:
    """What a question asks for; an elliptical one ("what about Balcázar?", "which one signed…")
    asks what its context did. With `slots`, a question read as asking nothing in particular is
    read for the slot it names (`asked_by_slot`); with `quoted`, one asking what word or term was
    used asks for a quote, as a how-described question does (`_ASKS_WORD`); with `places`, one
    asking where asks for a place (`asks_place`)."""
    asked = asked_for(question)
    if asked.kind == "other" and quoted and _ASKS_WORD.search(question):
        asked = Asked("describe", asked.wanted, asked.subject, asked.counted)
    if asked.kind == "other" and slots:
        asked = asked_by_slot(question) or asked
    if asked.kind == "other" and places and asks_place(question):
        asked = Asked("place", frozenset(terms(question)), asked.subject)
    if (
        asked.kind == "other"
        and context
        and (_ELLIPTICAL.match(question) or (slots and _SAME_AGAIN.match(question)))
    ):
        before = asked_in_context(context, "", slots, quoted, places)
        return Asked(before.kind, before.wanted | asked.wanted, asked.subject)
    return asked


# The slot a question names when no question word says what it asks, as typed questions and the
# parts of a two-part question often do ("tia maria: price tag?", "vote tally when congress
# declared…", "peru's ambassador in mexico at the 2017 handover", "the date it actually
# started", "Compare the votes by which…"), or when its question word is not where `asked_for`
# reads it ("on which date was…", "at the santiago handover in june 2023 who stood in for
# mexico?", "how far apart were the totals").
_WHICH_DATE = re.compile(r"\b(?:which|what)\s+(?:year|date|day|month)\b", re.I)
_SLOT_DATE = re.compile(r"\b(?:date|day|year)s?\b", re.I)
_OPENS_WH = re.compile(_LEAD + r"(?:who|whom|whose|what|which|why|how|where|when)\b", re.I)
_OPENS_YES_NO = re.compile(
    _LEAD + rf"(?:{'|'.join(sorted(AUXILIARIES))}|can|could|will|would)\b", re.I
)
_SLOT_QUANTITY = _QUANTITY | frozenset(terms("cost"))
_SLOT_ROLE = re.compile(
    r"\b(?:ambassador|envoy|consul|charg[eé]|(?:foreign\s+|prime\s+)?minister|premier|president|"
    r"spokes(?:man|woman|person))s?\b",
    re.I,
)
_FAR_APART = re.compile(r"\bhow\s+far\s+apart\b", re.I)
_FIRST_WH = re.compile(r"\b(who|whom|whose|what|which|why|how|where|when)\b", re.I)


def opens_yes_no(question: str) -> bool:
    """Does the question open on an auxiliary ("do peruvian tourists still need a visa"): a yes or no?"""
    return _OPENS_YES_NO.match(question) is not None


def has_question_word(question: str) -> bool:
    """Does the question hold a question word anywhere ("peru's exports to mexico in 2013?" does not)?"""
    return _FIRST_WH.search(question) is not None


# "which one signed…", "what about when it did the same to sheinbaum?" (a time or place, however
# long, not a thing of its own: "what about the prison term he got?"): the kind asked is the context's.
_SAME_AGAIN = re.compile(
    r"^\s*(?:and\s+)?(?:which\s+one|(?:what|how)\s+about\s+(?:when|in|at|on|during|after|before))\b",
    re.I,
)


# The words by which a question asks for a sum of money: what something cost, what was paid, spent,
# invested or earned, its price, fee, revenue or worth. A count or a span ("how many", "how long":
# "how many years did he spend…", "how many jobs had the investment created") asks for no sum.
_MONEY_ASKED = re.compile(
    r"\b(?:cost|costs|costing|spend|spent|spending|pay|paid|paying|invest|invested|investing|worth|"
    r"revenues?|prices?|fees?|budget|dollars?|earn|earned|income)\b",
    re.I,
)
_NO_SUM = re.compile(r"\bhow\s+(?:many|long|old)\b", re.I)
_WHAT_IS = re.compile(_LEAD + r"what\s+(?:is|was|are|were)\b", re.I)


# More words for a sum of money, read with `wide` (`AnswerOptions.wider_slot_wordings`): "how much
# money did the society send", "southern copper net profit from peru in 2025".
_MONEY_ASKED_WIDE = re.compile(r"\b(?:money|profits?|earnings|turnover)\b", re.I)


# With `nouns` (`AnswerOptions.money_asked_noun`): the sums a question names by a noun of what is paid
# ("what's the monthly stipend", "what fee does a peruvian pay"), and "what's" read as "what is".
_MONEY_NOUNS = frozenset(
    terms("fee price cost stipend salary wage fine bail allowance compensation payment budget")
)
_MONEY_ASKED_NOUN = re.compile(
    r"\b(?:stipends?|salar(?:y|ies)|wages?|fines?|bail|allowances?|compensation|payments?)\b", re.I
)
_WHATS = re.compile(r"\bwhat(?:['’]s|s)\b", re.I)


def asks_for_money(question: str, wide: bool = False, nouns: bool = False) -> bool:
    """Does a question ask for a sum of money ("how much did hosting apec 2024 cost peru", "what is
    mexico paying brazil to…", "price of the visa")? The words say what is paid, not how much of
    anything else; a "what is/was" question with such a word asks the sum too. With `wide`, also
    money, profit, earnings or turnover asked ("how much money did they send"). With `nouns`, a sum
    the question names by the noun it asks about ("what fee does a peruvian pay", "what's the monthly
    stipend"; `_MONEY_NOUNS`), "what's" read as "what is"."""
    if nouns:
        question = _WHATS.sub("what is", question)
    kind = asked_for(question).kind
    worded = (
        _MONEY_ASKED.search(question) is not None
        or (wide and _MONEY_ASKED_WIDE.search(question) is not None)
        or (nouns and _MONEY_ASKED_NOUN.search(question) is not None)
    )
    if not worded or _NO_SUM.search(question):
        return False
    if kind in ("date", "name", "cause"):
        return False  # "when did peru pay…", "who paid…", "why did it cost…"
    return (
        kind == "quantity"
        or names_quantity(question)
        or not has_question_word(question)
        or _WHAT_IS.match(question) is not None
        or (nouns and _money_noun_asked(question))
    )


def _money_noun_asked(question: str) -> bool:
    """Is the noun a "what/which" question asks about a sum paid ("what fee does…", "which price")?"""
    what = _WH_NOUN.match(question)
    phrase = _noun_phrase(what.group(1).split()) if what else []
    return bool(phrase) and bool(set(terms(phrase[-1])) & _MONEY_NOUNS)


# The act a sum is asked of, when it is paying or spending ("how much did grupo mexico pay for its
# mines", "how much money did mexican tourists spend"), with the words by which a sentence states a
# sum of that act: a sum invested, traded or exported is another act's (`money_of_act`).
_MONEY_ACTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"\b(?:pay|paid|paying|pays)\b", re.I),
        re.compile(
            r"\b(?:pay|paid|paying|pays|payments?|price[ds]?|cost\w*|fees?|fines?|bought|buy\w*|"
            r"purchas\w*|acqui\w*|sold|sale|damages|compensation|reparations?)\b",
            re.I,
        ),
    ),
    (
        re.compile(r"\b(?:spend|spent|spending|spends)\b", re.I),
        re.compile(
            r"\b(?:spend\w*|spent|expenditures?|cost\w*|budget\w*|paid|pay\w*|outlays?)\b", re.I
        ),
    ),
)


def money_act(question: str) -> re.Pattern[str] | None:
    """The words a sentence states the sum of the question's act by, when it asks what was paid or
    spent (`_MONEY_ACTS`), else None."""
    return next((said for asked, said in _MONEY_ACTS if asked.search(question)), None)


def asked_by_slot(question: str) -> Asked | None:
    """The date, figure or name a question asks for by the slot it names, or None.

    "On which date" asks a date wherever it stands, "how far apart" a quantity. A question that
    does not open with a question word (after its topic) asks what its nouns name: a date slot
    ("signing date", "the date it actually started", "years each side…") a date; a figure's noun
    ("price", "tally", "votes", "totals") a quantity; a role ("peru's ambassador in mexico in
    2016") or a "who" that is its first question word, however far in, a name.
    """
    if opens_yes_no(question):
        return None  # "is karla ornelas still mexico's chargé in lima" asks whether, not who
    everything = frozenset(terms(question))
    opens = _OPENS_WH.match(question) is not None
    first_wh = _FIRST_WH.search(question)
    if _WHICH_DATE.search(question) or (not opens and _SLOT_DATE.search(question)):
        return Asked("date", everything, frozenset())
    if _FAR_APART.search(question) or (not opens and term_set(question) & _SLOT_QUANTITY):
        return Asked("quantity", everything, frozenset(), asked_nouns(question) or everything)
    who = first_wh is not None and first_wh.group(1).lower() in ("who", "whom")
    if not opens and (who or _SLOT_ROLE.search(question)):
        named = everything - question_entities(question)
        return Asked("name", named or everything, frozenset())
    return None


@lru_cache(maxsize=4096)
def asked_for(question: str) -> Asked:
    """The kind of answer a question wants, read from its opening ("Who was X when…" wants a name).

    Kept per question (an `Asked` is frozen): an answer's stages ask it a dozen times."""
    q = question.lower()
    focus = frozenset(focus_terms(question))
    named = focus - question_entities(question)
    everything = frozenset(terms(question))
    m = _DEFINE.match(question)
    subject = frozenset(terms(m.group("x"))) if m else frozenset()
    kind: AskedKind = "other"
    wanted = frozenset[str]()
    counted = frozenset[str]()
    if _ASKS_DATE.search(q) or (_DATE_SLOT.search(q) and not _WH_WORD.search(q)):
        kind, wanted = "date", everything
    elif _ASKS_QUANTITY.search(q) or focus & _QUANTITY:
        kind, wanted = "quantity", named or everything
        counted = asked_nouns(question) or wanted
    elif _ASKS_NAME.search(q):
        kind, wanted = "name", named or everything
    elif _ASKS_CAUSE.search(q) or _ASKS_GROUNDS.search(q):
        kind = "cause"
    elif _DESCRIBE.search(q):
        kind = "describe"
    elif _LIST.match(q):
        kind = "list"
    return Asked(kind, wanted, subject, counted)


@lru_cache(maxsize=SENTENCE_CACHE)
def term_set(text: str) -> frozenset[str]:
    """The set of a text's terms (`terms`), kept per text."""
    return frozenset(terms(text))


@lru_cache(maxsize=SENTENCE_CACHE)
def word_set(text: str) -> frozenset[str]:
    """The set of a text's folded words (`words`), kept per text."""
    return frozenset(words(text))


@lru_cache(maxsize=SENTENCE_CACHE)
def _opening(sentence: str) -> tuple[frozenset[str], int, int | None]:
    """(terms of its first ten words, that head's length, where its first copula starts)."""
    head = " ".join(sentence.split()[:10])
    cop = _COPULA.search(sentence)
    return term_set(head), len(head), cop.start() if cop is not None else None


def _defines(subject: frozenset[str], sentence: str) -> bool:
    head_terms, head_len, cop = _opening(sentence)
    return bool(subject) and subject <= head_terms and cop is not None and cop < head_len + 20


def _novel(found: tuple[str, ...], known: str) -> bool:
    asked = word_set(known)
    return any(not word_set(item) <= asked for item in found)


@lru_cache(maxsize=SENTENCE_CACHE)
def _offers(kind: AskedKind, sentence: str) -> tuple[str, ...]:
    """The dates, numbers or names a sentence holds, for a question of that kind."""
    if kind == "date":
        return tuple(YEAR.findall(sentence) + _MONTH.findall(sentence) + _DAY.findall(sentence))
    if kind == "quantity":
        return tuple(_NUMBER_ITEM.findall(_DATE_LIKE.sub(" ", sentence)))
    if kind == "place":
        return tuple(p for p in _PLACE.findall(sentence) if not _MONTH_START.match(p))
    return tuple(_FULL_NAME.findall(sentence))


# The numbers one to twenty in words: counts (`_COUNT_WORDS`) and lengths of time
# (`constraints.term_lengths`) are written with them.
CARDINALS: dict[str, int] = {
    w: i
    for i, w in enumerate(
        [
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ],
        start=1,
    )
}
# Counts the corpus writes in words ("Fourteen states ratified the Convention", "The Additional
# Protocol has nineteen chapters"), with the two words after them, where what is counted stands;
# "one" is left out, it is most often no count ("one of").
_COUNT_WORDS = re.compile(
    rf"\b(?:{'|'.join(w for w in CARDINALS if w != 'one')}|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|dozen|hundred)\s+([\w'’-]+)(?:\s+([\w'’-]+))?",
    re.I,
)


@lru_cache(maxsize=SENTENCE_CACHE)
def counts(sentence: str, counted: frozenset[str]) -> tuple[str, ...]:
    """The numbers a sentence holds for a how-many question: its figures, and its counts in words
    of what is `counted` ("Fourteen states ratified…" for "how many states ratified it"). A count
    in words of anything else ("their two minor children" for "how many Peruvians have asked for
    asylum") is no answer: crediting every one let the decline model answer an out-of-scope and
    a false-premise question (tuning sets, 1 December 2026)."""
    return _offers("quantity", sentence) + tuple(
        m.group(0)
        for m in _COUNT_WORDS.finditer(sentence)
        if term_set(" ".join(w for w in m.groups() if w)) & counted
    )


def cause_strength(sentence: str) -> float:
    """1 for a sentence that states a cause in causal words, 0.5 for one that only places events in sequence."""
    return 1.0 if gives_cause(sentence) else 0.5 if _AFTER.search(sentence) else 0.0


@lru_cache(maxsize=SENTENCE_CACHE)
def answer_items(sentence: str) -> frozenset[str]:
    """The dates, numbers and full names a sentence holds: what it can answer with."""
    kinds: tuple[AskedKind, ...] = ("date", "quantity", "name")
    return frozenset(item.strip().lower() for k in kinds for item in _offers(k, sentence))


@lru_cache(maxsize=SENTENCE_CACHE)
def _holds(kind: AskedKind, sentence: str) -> float:
    """How well a sentence holds a cause, a description or a list, whatever the question."""
    if kind == "cause":
        return cause_strength(sentence)
    if kind == "describe":
        return 1.0 if _QUOTE.search(sentence) else 0.5 if _SAYING.search(sentence) else 0.0
    if kind == "list":
        return 1.0 if _ENUMERATION.search(sentence) else 0.0
    return 0.0


def share(wanted: frozenset[str], have: set[str] | frozenset[str]) -> float:
    """The share of wanted names that are present (1 when none are wanted)."""
    return len(wanted & have) / len(wanted) if wanted else 1.0


def fills_slot(asked: Asked, sentence: str, given: str, place_heads: bool = False) -> bool:
    """Does a sentence hold what the question asks for beyond what the question (and the answers
    shown) already give (`given`): a date, number or name none of whose words `given` holds, or, for
    a describe question, a quote?

    `answer_type_bonus` credits a "who" question's kind to a sentence naming only the question's own
    people ("Martín Vizcarra arrived in Mexico City…" for "vizcarra in mexico city … who received him
    on arrival"); a name counts here only when it shares no word with `given` and does not open with
    a function word ("In July", "The English" read as names by `_FULL_NAME`). With `place_heads`, a
    place is read by what stands before its first comma: "Paracas, Peru" gives Paracas for "where was
    the summit … where mexico passed the chair to peru", though the question names Peru.
    """
    if asked.kind == "describe":
        return _QUOTE.search(sentence) is not None
    if asked.kind not in ("date", "quantity", "name", "place"):
        return False
    if asked.kind == "quantity":
        return _novel(counts(sentence, asked.counted), given)
    found = places_in(asked, sentence) if asked.kind == "place" else _offers(asked.kind, sentence)
    if asked.kind == "place" and place_heads:
        found = tuple(f.split(",")[0].strip() for f in found)
    if asked.kind in ("name", "place"):
        have = word_set(given)
        found = tuple(
            f for f in found if not word_set(f) & have and f.split()[0].lower() not in STOPWORDS
        )
    return _novel(found, given)


def answer_type_bonus(asked: Asked, sentence: str, known: str) -> float:
    """How well the sentence holds what the question asks for (a new date, number, name, cause, quote, list).

    A date, number or name counts in full only beside what the question says about it,
    half where it stands alone; one the conversation already holds (`known`) is not news.
    """
    if asked.subject and _defines(asked.subject, sentence):
        return 1.0
    if asked.kind in ("date", "quantity", "name", "place"):
        found = (
            counts(sentence, asked.counted)
            if asked.kind == "quantity"
            else places_in(asked, sentence)
            if asked.kind == "place"
            else _offers(asked.kind, sentence)
        )
        return (
            (0.5 + 0.5 * share(asked.wanted, term_set(sentence))) if _novel(found, known) else 0.0
        )
    return _holds(asked.kind, sentence)


# "Who was Mexico's first consul…", "name of Brazil's ambassador…", "who signed the 2002 treaty":
# a question asking for the person holding a role. The role must stand in the main clause, before
# "when", "while" or "given" ("Who was on Mexico's throne when Peru's envoy arrived?" asks for a
# monarch, not an envoy: train b-041 was declined without this). "represent" is left out: a country
# represents another ("Who represents Mexico's interests in Peru?" -> Brazil, shared d16).
_ASKS_PERSON = re.compile(
    r"^\s*(?:[^,:?]{1,60}[,:]\s*)?(?:and\s+)?(?:who|whom)\b|\bname\s+of\b", re.I
)
_ROLE = re.compile(
    r"\b(?:consuls?|envoys?|ambassadors?|charg[eé]s?|signator\w*|signed|sign|delegates?|"
    r"spokes(?:man|woman|person)|negotiators?|ministers?|secretary|head)\b",
    re.I,
)
_SUBORDINATE = re.compile(r"\b(?:when|while|after|before|during|given)\b.*$", re.I | re.S)
_NAME_RUN = re.compile(rf"{CAPITALISED}(?:\s+(?:de\s+|del\s+|de la\s+|y\s+)?{CAPITALISED})+")
# Capitalised words that open a run without being part of a person's name: titles, articles,
# demonyms ("Peruvian Foreign Minister Elmer Schialer" is Elmer Schialer).
_NAME_TITLES = frozenset(
    terms(
        "the in on at by after for from during a an president former foreign minister economy "
        "secretary undersecretary ambassador general prime first mexican peruvian chilean "
        "colombian brazilian bolivian ecuadorian venezuelan argentine spanish american south north "
        "mexico peru brazil chile colombia"
    )
)
# Words that make a run of capitalised words a month, an institution, a place or a title of a
# work rather than a person ("Supreme Court", "Lima Group", "Prensa Latina", "Mexico City").
_NOT_PERSON = frozenset(
    terms(
        " ".join(MONTH_NAMES)
        + " Court Congress Ministry Council Convention Agreement Group Alliance "
        "Embassy City Palace Chamber Republic Government Senate Party Summit Assembly Organization "
        "Organisation States Nations Union Wikipedia Fair Day Declaration Doctrine Treaty Protocol "
        "Bank Fund Institute University Universidad Commission Office Secretariat Affairs Relations "
        "International National Pacific Copper Grupo Southern Noticias Week News Latina Valley"
    )
)
_ARTICLES = frozenset({"El", "La", "Los", "Las"})
_ATTRIBUTION = re.compile(r"\baccording to\b.*$", re.S)


# With `wide` (`AnswerOptions.wider_slot_wordings`): a role a who-question names by its verb ("peru's
# consulate in mexico city, who heads it", "who runs…", "who leads…"). ("Which … official /
# diplomat" was read too, and dropped: on the twelve tuning sets (2 December 2026) it declined one
# out-of-scope question, held-out 8 h8-093, and two answered ones whose person `person_names` misses
# ("US National Security Adviser Jake Sullivan", train a-006; project history-04).)
_ROLE_ACT = re.compile(
    r"\b(?:heads|headed|leads|in\s+charge|runs|ran|chairs|chaired|directs)\b", re.I
)


def asks_for_person(question: str, wide: bool = False) -> bool:
    """Does the question ask for the person holding a role ("Who was Mexico's first consul in Lima?",
    "name of Brazil's ambassador", "who signed the treaty")? With `wide`, also a role named by its
    verb ("who heads it", "who runs it")."""
    if _ASKS_PERSON.search(question) is None:
        return False
    main = _SUBORDINATE.sub("", question)
    return _ROLE.search(main) is not None or (wide and _ROLE_ACT.search(main) is not None)


@lru_cache(maxsize=SENTENCE_CACHE)
def person_names(sentence: str) -> tuple[str, ...]:
    """The names of people a sentence gives: runs of two or more capitalised words, past their titles,
    that name no month, institution or place; a source named after "according to" is no answer."""
    out: list[str] = []
    for m in _NAME_RUN.finditer(_ATTRIBUTION.sub("", sentence)):
        parts = m.group(0).split()
        while parts and set(terms(re.sub(r"['’]s$", "", parts[0]))) <= _NAME_TITLES:
            parts = parts[1:]
        if len(parts) < 2 or parts[0] in _ARTICLES or term_set(" ".join(parts)) & _NOT_PERSON:
            continue
        out.append(" ".join(parts))
    return tuple(out)


def names_new_person(question: str, sentence: str) -> bool:
    """Does the sentence name a person the question does not (by any part of the name)?"""
    asked = term_set(question)
    return any(not term_set(p) & asked for p in person_names(sentence))


# A question asking how an act of deciding or contending came out: "did the court grant Castillo's
# appeal", "has the Supreme Court ruled on…", "who won the runoff", "what did the appeals court
# decide". The corpus often holds its subject but only the act pending ("the appeal was still
# pending in February 2026", "was running for the Senate"), and that sentence was quoted as the
# answer. The verbs are those whose act has an outcome; each stands with its opposites, since a
# sentence stating either outcome answers ("did the court grant…" / "the court rejected…").
def _lower_set(text: str) -> frozenset[str]:
    """The words of a space-separated list, as written (lowercase)."""
    return frozenset(text.split())


_OUTCOMES: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (verbs, _lower_set(done))
    for verbs, done in (
        ("grant deny refuse", "granted denied refused rejected"),
        ("win won lose lost beat defeat", "won lost beat defeated winner"),
        ("approve reject", "approved rejected approval"),
        ("accept", "accepted rejected declined"),
        ("convict acquit", "convicted acquitted conviction acquittal"),
        ("uphold upheld overturn annul", "upheld overturned annulled"),
        ("ratify", "ratified ratification"),
        ("rule", "ruled ruling"),
        ("decide", "decided decision"),
        ("agree", "agreed agreement"),
        ("elect", "elected"),
        ("appoint", "appointed named appointment"),
    )
)
# The terms of the verbs a question asks the outcome of, each with the words by which a sentence
# states that outcome done, either way (`_OUTCOMES`: the verb's past, its opposites', their nouns).
_OUTCOME_WORDS: dict[str, frozenset[str]] = {}
# The same terms with their verbs as a denial writes them ("did not grant", "never ratify").
_NOT_DONE_WORDS: dict[str, frozenset[str]] = {}
for _verbs, _done in _OUTCOMES:
    for _term in terms(_verbs):
        _OUTCOME_WORDS[_term] = _OUTCOME_WORDS.get(_term, frozenset()) | _done
        _NOT_DONE_WORDS[_term] = _NOT_DONE_WORDS.get(_term, frozenset()) | _lower_set(_verbs)
# "What did X decide / agree / rule" asks for the content of a decision, which a sentence states by
# the decision's own verb ("What did Peru's Congress decide about López Obrador?" / "declared him
# persona non grata"): any of these fills it.
_DECIDING = frozenset(terms("decide agree rule conclude resolve determine"))
_DECISIONS = _lower_set(
    "decided decision ruled ruling declared approved rejected granted denied refused ordered "
    "sentenced acquitted convicted upheld overturned annulled dismissed agreed agreement "
    "resolved voted passed ratified elected won lost beat defeated accepted concluded"
)
# Words that, within two words before the verb, leave the act undone: "before a pardon can be
# granted", "59 needed to win", "would decide", "has not yet ruled". A plain "not" is an outcome
# ("the court did not grant…").
_UNDONE = frozenset(
    {"can", "could", "would", "will", "may", "might", "should", "must", "shall", "to", "yet"}
)
_UNDONE_WINDOW = 2
_NEGATIONS = frozenset({"not", "never", "didn't", "didn’t"})
_ACT_AUX = re.compile(r"\b(?:did|does|do|has|have|had)\b", re.I)
_WHO_ACTS = re.compile(_LEAD + r"(?:who|whom)\s+(?P<verb>[a-z]+)\b(?P<rest>.*)$", re.I)
_WHAT = re.compile(_LEAD + r"what\b", re.I)
_WHO_WAS_DONE_TO = re.compile(_LEAD + r"(?:who|whom)\s+(?:did|does|do|has|have|had)\b", re.I)
# How many words after "did/has" the act's verb may stand ("did Peru's Supreme Court rule").
_ACT_WORDS = 6
_TOKENS = re.compile(r"[\w'’]+")


def _main_clause(question: str) -> str:
    """The question without a subordinate clause after its first word ("who was Mexico's envoy in Lima
    when Peru broke relations" -> "who was Mexico's envoy in Lima"; "when did Lima ratify it" stays)."""
    first = re.match(r"\s*\S+", question)
    cut = first.end() if first else 0
    return question[:cut] + _SUBORDINATE.sub("", question[cut:])


@dataclass(frozen=True)
class Outcome:
    """The outcome a question asks for: the words a sentence must state it by (one is enough), and
    the first term of what the act was done to ("Castillo's appeal", "the runoff"), which it must name:
    the court rejecting another motion is not the outcome of his appeal."""

    stated: frozenset[str]  # lowercase words, one of which states the outcome done
    thing: str | None = None
    denied: frozenset[str] = frozenset()  # verbs that state it after "not" ("did not grant")


# Words before which a verb of `_OUTCOMES` is a noun ("the rule making peruvians get visas"), with
# `asked_outcome`'s `nouns`.
_DETERMINERS = frozenset(
    {"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "new", "any"}
)


def _noun_sense(word: str, before: str) -> bool:
    """Is an act's word a noun where it stands: after a determiner ("the rule"), or with an "-s" that
    no verb after "did/has" takes ("asylum rules")?"""
    prior = _TOKENS.findall(before)[-1:]
    plural = word.endswith("s") and not word.endswith("ss") and terms(word[:-1]) == terms(word)
    return plural or bool(prior and prior[0].lower() in _DETERMINERS)


def asked_outcome(question: str, nouns: bool = False) -> Outcome | None:
    """The outcome of an act of deciding or contending that the question asks for (`_OUTCOMES`), None
    when it asks for something else; a "why" question asks for a cause, not an outcome. With `nouns`,
    an act's word used as a noun is none (`_noun_sense`: "what did it tell him about asylum rules")."""
    if asked_for(question).kind == "cause":
        return None
    main = _main_clause(question)
    m = _WHO_ACTS.match(main)
    if m and (verb := terms(m.group("verb"))) and verb[0] in _OUTCOME_WORDS:
        return _outcome(verb[0], m.group("rest"))
    aux = _ACT_AUX.search(main)
    if aux is None:
        return None
    rest = main[aux.end() :]
    for word in _TOKENS.findall(rest)[:_ACT_WORDS]:
        found = terms(word)
        if word.islower() and found and found[0] in _OUTCOME_WORDS:
            at = rest.index(word)
            if nouns and _noun_sense(word, rest[:at]):
                continue
            after = rest[at + len(word) :]
            if _WHAT.match(main) and found[0] in _DECIDING:
                return Outcome(_DECISIONS, _thing(after))
            # "who did he beat in the final round": the one it was done to is asked, not named.
            return _outcome(found[0], "" if _WHO_WAS_DONE_TO.match(main) else after)
    return None


def _thing(after: str) -> str | None:
    """The first term after the act's verb, its year aside: what the act was done to or about."""
    found = [t for t in terms(after) if not YEAR.fullmatch(t)]
    return found[0] if found else None


def _outcome(verb: str, after: str) -> Outcome:
    """The outcome of the act `verb` names, done to what follows it."""
    return Outcome(_OUTCOME_WORDS[verb], _thing(after), _NOT_DONE_WORDS[verb])


@lru_cache(maxsize=SENTENCE_CACHE)
def _lower_words(sentence: str) -> tuple[str, ...]:
    """A sentence's words, lowercased, in order."""
    return tuple(w.lower() for w in _TOKENS.findall(sentence))


def states_outcome(outcome: Outcome, sentence: str) -> bool:
    """Does the sentence state the outcome as done, either way ("granted", "did not grant"; not "can be
    granted", "needed to win", "has not yet ruled"), on the thing asked about when the question names one?"""
    if outcome.thing is not None and outcome.thing not in term_set(sentence):
        return False
    said = _lower_words(sentence)
    for i, word in enumerate(said):
        before = set(said[max(0, i - _UNDONE_WINDOW) : i])
        if _UNDONE & before:
            continue
        if word in outcome.stated or (word in outcome.denied and _NEGATIONS & before):
            return True
    return False


# The titles a who-question may ask the holder of, whose holder a sentence names beside the title
# ("Mexico's chargé d'affaires, Karla Ornelas"); an act ("who signed") or a "head" of something is
# no title a sentence must repeat.
_TITLE = re.compile(
    r"\b(?:consuls?|envoys?|ambassadors?|charg[eé]s?|delegates?|spokes(?:man|woman|person)|"
    r"negotiators?|ministers?|secretary)\b",
    re.I,
)
# An unaccented "charges", or "charge" after "in", is no title unless "d'affaires" follows: "filed
# charges against Castillo", "who's in charge" name no chargé, "the mexican charge" does (`fills_title`
# with `senses`).
_IN_CHARGE = re.compile(r"\bin\s+$", re.I)
_AFFAIRES = re.compile(r"^\s+d['’]affaires", re.I)
_OWNER_WORDS = 3  # a title's country stands in the three words before it ("Peru's first envoy")


def _other_sense(text: str, m: re.Match[str]) -> bool:
    """Is the title `m` found in `text` the word's other sense ("filed charges", "in charge")?"""
    word = m.group(0).lower()
    other = word == "charges" or (word == "charge" and _IN_CHARGE.search(text[: m.start()]))
    return bool(other) and not _AFFAIRES.match(text[m.end() :])


def _title_matches(text: str, senses: bool = False) -> list[re.Match[str]]:
    """The titles `_TITLE` finds in a text; with `senses`, not a word in its other sense
    (`_other_sense`)."""
    return [m for m in _TITLE.finditer(text) if not (senses and _other_sense(text, m))]


ABROAD = "abroad"  # the owner of a title posted in the asked country: another country's


def titles(text: str, senses: bool = False) -> list[tuple[str, str | None]]:
    """The titles a text names, each with the country it names just before it ("Peru's first envoy"
    -> (envoy, peru); "the Colombian ambassador" -> (ambassador, colombia)), or None. `senses`: as
    `_title_matches`."""
    out: list[tuple[str, str | None]] = []
    for m in _title_matches(text, senses):
        before = _TOKENS.findall(text[: m.start()])[-_OWNER_WORDS:]
        owners = [t for w in before for t in terms(re.sub(r"['’]s$", "", w)) if t in COUNTRIES]
        out.append((terms(m.group(0))[0], owners[-1] if owners else None))
    return out


# Where a title is posted: "in" or "to" a country or its capital, at most two words after it
# ("consul general in Mexico", "ambassador to Peru", "chargé d'affaires in Lima").
_POSTED = re.compile(
    r"^\W*(?:[\w'’-]+\s+){0,2}?(?:in|to)\s+([A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)


def _posted_in(after: str) -> str | None:
    """The country a title is posted in, from the text after it, or None."""
    m = _POSTED.match(after)
    if m is None:
        return None
    place = m.group(1)
    first = terms(place)[:1]
    if first and first[0] in COUNTRIES:
        return first[0]
    capital = CAPITALS.get(" ".join(words(place)), CAPITALS.get(words(place)[0], ""))
    return terms(capital)[0] if capital else None


def posted_titles(text: str, senses: bool = False) -> list[tuple[str, str | None]]:
    """The titles a text names without their country's name before them, each with the country it is
    posted in ("Corpancho, consul general in Mexico" -> (consul, mexico)), or None. `senses`: as
    `_title_matches`."""
    out: list[tuple[str, str | None]] = []
    for m in _title_matches(text, senses):
        out.append((terms(m.group(0))[0], _posted_in(text[m.end() :])))
    return out


def fills_title(question: str, sentence: str, posting: bool = False, senses: bool = False) -> bool:
    """Does the sentence name the title a who-question asks the holder of ("who was Mexico's envoy in
    Lima"), as the same country's when both name one? A sentence on the subject without the title
    ("In 1932 Peru broke relations after a letter…"), or with another country's ("Mexico's chargé
    d'affaires" for "Peru's chargé d'affaires"), does not say who held it. With `posting`, a title
    posted in the asked country itself is another country's ("consul general in Mexico" for "Mexico's
    consul in Lima": no country posts a consul at home)."""
    asked = dict(titles(_SUBORDINATE.sub("", question), senses))
    if not asked or not asks_for_person(question):
        return True
    said = [(t, o) for t, o in titles(sentence, senses) if t in asked]
    if posting:
        said = [
            (t, ABROAD if o is None and p is not None and p == asked[t] else o)
            for (t, o), (_, p) in zip(
                said,
                [tp for tp in posted_titles(sentence, senses) if tp[0] in asked],
                strict=False,
            )
        ]
    if not said:
        return False
    if any(o is not None and o == asked[t] for t, o in said):
        return True
    return not any(o is not None and asked[t] is not None for t, o in said)


# A count asked: "how many Peruvians", "number of visa applications", "count of recipients". A count
# of a unit ("how many tonnes / dollars / hectares / years") asks for a measure, and is left to
# `counts`: its figure is the measure.
_ASKS_COUNT = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bcount\s+of\b", re.I)
_COUNTS_UNIT = re.compile(
    r"\bhow\s+many\s+(?:tonnes|tons|dollars|soles|pesos|euros|hectares|percent|km|kilomet(?:re|er)s|"
    r"met(?:re|er)s|years|months|weeks|days|hours|times)\b",
    re.I,
)
# Figures that count no people or things: a sum of money ("US$2,507 million", "700 million
# dollars"), a share ("16.4%"), an area or weight ("12,800 hectares") or an ordinal ("the 43rd
# country", "its 20th trading partner"); for "how many", also a decree's or article's number
# ("Supreme Decree 011-2024-RE", "Article 45"), which "the number of peru's decree" asks for
# (held-out 8 h8-059).
_NOT_A_COUNT = re.compile(
    r"(?:US\$|\$|S/\.?)\s*\d[\d,.]*(?:\s*(?:million|billion|bn))?"
    r"|\d[\d,.]*\s*(?:(?:million|billion|bn|thousand)\s+)?(?:US\s+)?(?:dollars?|soles|pesos|euros?)\b"
    r"|\d[\d,.]*\s*(?:%|percent\b|per\s+cent\b)"
    r"|\d[\d,.]*\s*(?:(?:million|thousand)\s+)?(?:hectares|tonnes|tons|km|kilomet(?:re|er)s|met(?:re|er)s|"
    r"square)\b"
    r"|\b\d+(?:st|nd|rd|th)\b",
    re.I,
)
_CODE = re.compile(r"\b\d+-\d{4}(?:-[A-Z]+)?\b|\b(?:No\.|Article|article)\s+\d+")
_HOW_MANY = re.compile(r"\bhow\s+many\b", re.I)


def asks_how_many(question: str) -> bool:
    """Does a question say "how many" (which never asks for a decree's number, as "number of" may)?"""
    return _HOW_MANY.search(question) is not None


def asks_for_count(question: str) -> bool:
    """Does a question ask how many people or things ("how many peruvians applied for asylum", "number
    of visa applications", "mexican tourists to peru in 2022, how many"), not a measure ("how many tonnes")?"""
    return _ASKS_COUNT.search(question) is not None and _COUNTS_UNIT.search(question) is None


def counts_of_things(
    sentence: str, counted: frozenset[str], codes: bool = False
) -> tuple[str, ...]:
    """The numbers of `counts` that can count people or things: not a sum of money, a share, an area
    or weight or an ordinal ("trade totalled US$2,507 million" counts no visa
    applications, "a valley of about 12,800 hectares" no inhabitants); with `codes`, nor a
    decree's or article's number."""
    plain = _NOT_A_COUNT.sub(" ", sentence)
    return counts(_CODE.sub(" ", plain) if codes else plain, counted)


# A day asked, not a year: "on what exact day in 1987", "which date", "on which days exactly". "When"
# is left out: a year or a month answers it.
_ASKS_DAY = re.compile(
    r"\b(?:what|which)\s+(?:exact\s+|precise\s+)?(?:day|date)s?\b|\bexact(?:ly)?\s+(?:day|date)s?\b"
    r"|\b(?:day|date)s?\s+exactly\b",
    re.I,
)
# A day with its month: "7 June", "June 7", "7 de junio".
DAY_AND_MONTH = re.compile(
    rf"\b\d{{1,2}}\s+(?:de\s+)?(?:{MONTHS}|{'|'.join(MONTH_NAMES_ES)})\b|\b(?:{MONTHS})\s+\d{{1,2}}\b(?!\d)",
    re.I,
)


def asks_for_day(question: str) -> bool:
    """Does a question ask for a day ("on what exact day in 1987 was ace 8 signed"), which a year or a
    month does not give?"""
    return _ASKS_DAY.search(question) is not None and asked_for(question).kind != "cause"


def gives_day(sentence: str) -> bool:
    """Does a sentence give a day with its month ("On 4 July 1974", "from 9 to 16 November")?"""
    return DAY_AND_MONTH.search(sentence) is not None


# A rate of duty asked, with `wide` (`AnswerOptions.wider_slot_wordings`): "what tariff does mexico put
# on peruvian paprika", "what is mexico's import duty on peruvian avocados". ("Which product got no
# tariff preference" asks a product; "what share of goods went duty free" a share.)
_ASKS_RATE = re.compile(
    r"\bwhat\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:[\w'’-]+['’]s\s+)?(?:import\s+)?"
    r"(?:tariffs?|dut(?:y|ies))\b(?![\s-]+free)",
    re.I,
)
# What fills a rate of duty: a share, or none at all ("duty-free", "zero tariff", "exempt").
_GIVES_RATE = re.compile(
    r"\d[\d.,]*\s*(?:%|percent\b|per\s+cent\b)|\b(?:duty|tariff)[\s-]free\b|\bzero\b|\bexempt",
    re.I,
)


def asks_for_rate(question: str) -> bool:
    """Does a question ask for a rate of duty ("what tariff does mexico put on peruvian paprika")?"""
    return _ASKS_RATE.search(question) is not None


def gives_rate(sentence: str) -> bool:
    """Does a sentence give a rate of duty: a share, or none ("tariff-free", "exempt")?"""
    return _GIVES_RATE.search(sentence) is not None


# The noun a count asks for: the words after "how many", "number of" or "count of" (and after "are"
# in "how many are doctors"), up to a function word, a verb in -ed/-ing or the end of the clause; its
# last word is the head ("how many mexican university students are enrolled" -> students).
_COUNT_OPENING = re.compile(
    r"\b(?:how\s+many(?:\s+(?:of\s+them\s+)?(?:are|were))?|number\s+of|count\s+of)(?:\s+|\s*\??\s*$)",
    re.I,
)
# Words a counted noun phrase stops at: function words, and a few of place, time and comparison.
_RUN_STOP = STOPWORDS | frozenset(
    [
        "from",
        "than",
        "per",
        "each",
        "during",
        "between",
        "since",
        "after",
        "before",
        "over",
        "under",
        "up",
        "out",
        "because",
        "while",
        "until",
        "against",
        "towards",
        "toward",
        "through",
        "within",
        "among",
        "across",
        "via",
        "last",
        "next",
        "so",
        "more",
        "less",
        "also",
        "still",
        "only",
        "almost",
        "nearly",
        "some",
        "all",
    ]
)
_RUN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A figure, and the noun phrase after it (past a multiplier): "168 archaeological pieces", "2,852
# million dollars", "850 Peruvians".
_FIGURE = re.compile(r"(?<![\w.,])\d[\d,.]*")
_AFTER_FIGURE = re.compile(r"\s+(?:(?:million|billion|thousand|hundred)\s+)?(?=[^\W\d_])")
# Nouns for people by their role, read by their ending ("workers", "visitors", "tourists", "students",
# "residents", "migrants", "Peruvians", "employees"), beside the plain ones below.
_PERSON_ENDING = re.compile(r"(?:ers|ors|ists|ents|ants|ans|ees)$")
_PERSON_NOUNS = frozenset(
    [
        "people",
        "persons",
        "individuals",
        "citizens",
        "nationals",
        "population",
        "community",
        "staff",
        "police",
        "children",
        "women",
        "men",
    ]
)
# Plurals without an -s that a counted noun phrase may end on.
_PLURALS = frozenset(["people", "staff", "police", "children", "women", "men", "personnel"])


def _run_words(text: str) -> list[str]:
    """The words of a noun phrase from the start of `text`, up to a function word or a verb form."""
    out: list[str] = []
    for m in _RUN_WORD.finditer(text):
        w = m.group(0).lower()
        if w in _RUN_STOP or (out and (w.endswith("ed") or w.endswith("ing"))):
            break
        if w.endswith("ed") or w.endswith("ing"):
            return []
        out.append(w)
        if text[m.end() : m.end() + 1] in (",", ";", ":", ".", ")"):
            break
    return out


def counted_head(question: str) -> str | None:
    """The head noun of the thing a count question asks how many of ("how many people went…" ->
    "people"), or None when the question names none (or no count is asked)."""
    m = _COUNT_OPENING.search(question)
    if m is None:
        return None
    after = _head(_run_words(question[m.end() :]))
    if after is None and not question[m.end() :].strip(" ?"):
        # "peruvian visitors to mexico in 2019, how many": the thing counted opens the question.
        return _head(_run_words(question))
    return after


def _head(run: list[str]) -> str | None:
    """The head of a counted noun phrase: its first plural ("peruvian students won" -> students, the
    verb after it unread), or None when it has none ("one refinery", "people live" read as people)."""
    return next(
        (
            w
            for w in run
            if not w.endswith(("'s", "’s"))
            and (w.endswith("s") or w in _PLURALS or w.endswith("people"))
        ),
        None,
    )


# Nouns a count question may ask of people for sure (its head is read strictly: "members", "partners",
# "agreements" end as words for people do, but count countries and treaties too).
_SURE_PEOPLE = _PERSON_NOUNS | frozenset(
    [
        "students",
        "tourists",
        "visitors",
        "travellers",
        "travelers",
        "passengers",
        "workers",
        "employees",
        "migrants",
        "immigrants",
        "emigrants",
        "residents",
        "refugees",
        "asylees",
        "doctors",
        "lawmakers",
        "legislators",
        "congresspeople",
        "voters",
    ]
)


def _names_people(head: str) -> bool:
    """Does a count question's head name people for sure: a word for people or a people ("Peruvians")?"""
    return head in _SURE_PEOPLE or (head in DEMONYMS and head.endswith("s"))


# What people cast or fill, one each: a count of them counts people ("approved by 87 votes").
_PER_PERSON = frozenset(["votes", "abstentions", "ballots", "seats", "signatures", "members"])


def _is_person(word: str) -> bool:
    """Is a noun one for people (a plain one, a demonym's plural or a role's ending) or for what
    people cast one each (`_PER_PERSON`)?"""
    return (
        word in _PERSON_NOUNS
        or word in _PER_PERSON
        or word.endswith("people")
        or _PERSON_ENDING.search(word) is not None
    )


def figure_nouns(sentence: str) -> list[list[str]]:
    """The noun phrase each figure of a sentence counts, read after it ("168 archaeological pieces"
    -> [archaeological, pieces]); an empty one where a function word, a verb or a stop follows
    ("rose to 850 in 2019", "850, according to…"). Dates and decree numbers are no figures."""
    plain = _DATE_LIKE.sub(" ", _CODE.sub(" ", sentence))
    out: list[list[str]] = []
    for m in _FIGURE.finditer(plain):
        after = _AFTER_FIGURE.match(plain, m.end())
        out.append(_run_words(plain[after.end() :]) if after else [])
    return out


def counts_noun(sentence: str, counted: frozenset[str], head: str, codes: bool = False) -> bool:
    """Does a sentence count the thing a count question asks for: a count in words of it
    (`counts`), or a figure of people or things (`counts_of_things`), which for a count of people
    must be one of people (`counts_asked_noun`: "9,000 jobs" counts no people at work, "168
    archaeological pieces" no visitors to a fair)?"""
    found = counts_of_things(sentence, counted, codes)
    if not found:
        return False
    spelled = any(
        term_set(" ".join(w for w in m.groups() if w)) & counted
        for m in _COUNT_WORDS.finditer(sentence)
    )
    if spelled or not _names_people(head):
        # A count of things ("how many goods does it list": "12,107 products") is left to the
        # figures alone: their nouns vary with the source's wording, a count of people's less so.
        return True
    return counts_asked_noun(_CODE.sub(" ", sentence) if codes else sentence, head)


def counts_asked_noun(sentence: str, head: str) -> bool:
    """Can a figure of the sentence count the people a question counts (`counted_head`)? A figure of
    people does ("850 Peruvians", "9,000 workers", "87 votes"), and one with no noun after it (read
    as a count of anything); a figure of things does not ("9,000 jobs", "168 archaeological pieces",
    "80 Mexican institutions"). A sum of money, a share or an area counts nothing (`counts_of_things`)."""
    plain = _NOT_A_COUNT.sub(" ", sentence)
    want = set(terms(head))
    for run in figure_nouns(plain):
        noun = _head(run)
        if noun is None or want & set(terms(" ".join(run))) or _is_person(noun):
            return True
    return False


# A name asked of a thing ("name of the peruvian company planning a jewellery factory", "what's the
# name of the ship", "what was the french warship called"): the answer is a name the question does
# not give. The asked noun is read after "name of" up to a clause ("who", "that", a verb in -ing or
# -ed); a person's noun there (`_PERSON_NOUNS`) lets a person's name fill it, any other noun only a
# name that is no person's (`person_names`): "ambassador Ernesto Campos said a Peruvian company…"
# names the speaker, not the company.
_NAME_OF = re.compile(r"\bname\s+of\s+(?P<rest>[^?]*)", re.I)
_CALLED = re.compile(
    _LEAD + r"what\s+(?:is|was|were|are)\b(?P<rest>[^?]*?)\bcalled\s*\??\s*$", re.I
)
_NAME_CLAUSE = _lower_set(
    "who whom whose that which where when in of at for on from with to by as after before during "
    "is was were are did does do has have had"
)
_PERSON_NOUNS = frozenset(
    terms(
        "guy man woman person people judge general lawyer attorney president minister ambassador "
        "diplomat envoy consul official leader head procurador prosecutor journalist writer author "
        "spokesman spokeswoman spokesperson chargé charge premier coordinator director manager chief "
        "senator congressman congresswoman lawmaker deputy secretary officer commander mayor governor "
        "negotiator signatory delegate representative founder owner chairman wife husband son "
        "daughter mother father"
    )
)
# Capitalised words that open a sentence or a clause without naming anything ("In May 2016…").
_NO_NAME_WORDS = _lower_set(
    "the a an in on at after before during by for from when while under since until its his her "
    "their this that these those it he she they we there each both some many most two three"
)
_NAME_TOKEN = re.compile(rf"{CAPITALISED}|\b[A-Z]{{2,}}\b|[\"“«][^\"“”«»]{{2,}}[\"”»]")


# Months and weekdays: a date is no name.
_CALENDAR_TERMS = frozenset(
    terms(" ".join(MONTH_NAMES) + " Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
)


def asked_name_noun(question: str) -> tuple[bool, bool]:
    """Does a question ask for the name of something ("name of the peruvian company…", "what was the
    warship called"), and is that something a person (`_PERSON_NOUNS`)?"""
    m = _NAME_OF.search(question) or _CALLED.match(question)
    if m is None:
        return False, False
    phrase: list[str] = []
    for word in m.group("rest").split():
        low = word.lower().strip(",.;:")
        if low in _NAME_CLAUSE or re.fullmatch(r"[a-z]+(?:ing|ed)", low):
            break
        phrase.append(low)
    return True, bool(set(terms(" ".join(phrase))) & _PERSON_NOUNS)


def names_new_thing(
    question: str, sentence: str, persons: bool, people: frozenset[str] = frozenset()
) -> bool:
    """Does a sentence give a name the question does not: a capitalised word or run, an acronym or a
    quoted title, not a month, a country or a source named after "according to"; a person's name
    only when `persons`. Without it, `people`'s terms are no name either: the parts of the persons the
    sentences around it name ("Campos did not name the company" after "ambassador Ernesto Campos")."""
    text = _ATTRIBUTION.sub("", sentence)
    asked = term_set(question) | COUNTRIES | _CALENDAR_TERMS
    if not persons:
        for person in person_names(text):
            text = text.replace(person, " ")
        asked |= people
    for m in _NAME_TOKEN.finditer(text):
        word = m.group(0)
        if re.sub(r"['’]s$", "", word).lower() in _NO_NAME_WORDS:
            continue
        if set(terms(word)) - asked:
            return True
    return False
