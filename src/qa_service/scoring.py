"""Score sentences: the features that say how well a retrieved sentence answers a question.

Every sentence of the retrieved passages becomes a `Candidate` with general features
(meaning match, the question's weighted terms, the kind of thing asked for, whether the
question's years and names are there, recency for "now" questions). Scorers turn
features into one number; they are registered by name in `SCORERS`, so `qa-service eval
--scorer` can compare them on the same split. The default is the learned one
(`ranker.py`), fitted on the train split; `hand` is the weighted sum this service used
before, kept for comparison.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np

from qa_service.conversation import Resolved
from qa_service.index import IndexData
from qa_service.retrieval import Hit
from qa_service.terms import terms, words

_YEARS = r"1[5-9]\d\d|20\d\d"
_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
_YEAR = re.compile(rf"\b({_YEARS})\b")
_MONTH = re.compile(rf"\b({_MONTHS})\b")
_NUMBER_ITEM = re.compile(r"\d[\d,.]*")
_DAY = re.compile(r"\b\d{1,2} (?=[A-Z][a-z]+ \d{4})")
_DATE_LIKE = re.compile(rf"\b(?:\d{{1,2}} )?(?:{_MONTHS})(?: \d{{4}})?\b|\b(?:{_YEARS})\b(?!,\d)")
_META = re.compile(
    r"\b(this|its own|another|a separate|the present) (document|article|note)\b|\bsee the document\b",
    re.I,
)
_FULL_NAME = re.compile(r"\b[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+ (?:de |del |de la )?[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+")
_CAUSE = re.compile(
    r"\b(because|citing|cited|in response|due to|reason|as a result|so that|to stop|to curb|justif\w*|"
    r"on the grounds|argu\w*|in protest|to protest|after|over|following|accus\w*)\b",
    re.I,
)
_DEFINE = re.compile(
    r"^\s*(?:who|what)\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<x>.+?)\s*\??\s*$", re.I
)
_COPULA = re.compile(r"\b(is|was|are|were|served as|became|has been)\b", re.I)
_ENTITY = re.compile(r"(?<!^)(?<![.?!] )\b[A-ZÁÉÍÓÚÑ][\wáéíóúñ'-]+|\b[A-Z]{2,}\b")
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
_PRESENT = re.compile(
    r"\b(now|currently|current|today|nowadays|these days|at present|presently|still|latest|as of|"
    r"state of|status|right now|at the moment|recent(ly)?|any longer|anymore|yet)\b",
    re.I,
)
_PRESENT_START = re.compile(r"^\s*(are|is|do|does|has|have)\b", re.I)
_LEAD = r"^\s*(?:and|but|so|then)?\s*"
_ASKS_DATE = re.compile(
    _LEAD
    + r"(?:when|since when|in what year|on what (?:date|day))\b|\bwhat (?:year|date|day|month)\b|how long ago"
)
_ASKS_NAME = re.compile(
    _LEAD + r"(?:who|whom)\b|\bwhich (?:person|president|minister|ambassador|official|leader)\b"
)
_ASKS_QUANTITY = re.compile(r"how (much|many|long|large|big)|worth|\btotal\b")
_ASKS_CAUSE = re.compile(r"\bwhy\b|what (caused|led|prompted|triggered)|reason|how come")
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
# A sentence that leans on the one before it: it opens with a pronoun or a demonstrative.
_LEANS = re.compile(
    r"^(?:It|Its|That|This|These|Those|He|She|They|His|Her|Their|There|Such|Both|The (?:same|latter|former))\b"
)
_THE_NOUN = re.compile(r"^The ([a-z]+)\b")
_QUANTITY = frozenset(
    terms(
        "vote votes figure amount number total share percentage value population price count tally margin size"
    )
)

AskedKind = Literal["date", "quantity", "name", "cause", "describe", "list", "other"]


def asks_about_present(question: str) -> bool:
    """Is the question about the present state of affairs (so the answer must date itself)?"""
    return bool(_PRESENT.search(question) or _PRESENT_START.search(question))


def focus_terms(question: str) -> list[str]:
    """The thing asked for ('what goods', 'which members', 'who was the foreign minister')."""
    m = _FOCUS.match(question)
    return terms(m.group("focus")) if m else []


def question_entities(question: str, acronyms: bool = True) -> set[str]:
    """Terms of the names a question mentions (capitalised words past the first, and acronyms)."""
    names = [
        re.sub(r"['’]s$", "", w) for w in _ENTITY.findall(question) if w.lower() not in _CALENDAR
    ]
    if not acronyms:
        names = [w for w in names if not w.isupper()]
    return set(terms(" ".join(names)))


def question_years(question: str) -> list[str]:
    """The years a question names: an answer must speak of them."""
    return list(dict.fromkeys(_YEAR.findall(question)))


def leans_on_previous(sentence: str, previous: str) -> bool:
    """Does the sentence need the one before it to be understood ('That was…', 'The judge…')?"""
    if _LEANS.match(sentence):
        return True
    m = _THE_NOUN.match(sentence)
    return bool(m and previous and m.group(1) in set(words(previous)))


@dataclass(frozen=True)
class Asked:
    """What a question asks for, read once per question rather than once per sentence."""

    kind: AskedKind
    wanted: frozenset[str]  # the words a date, number or name should stand beside
    subject: frozenset[str]  # for "Who/What is X?", the terms of X


def asked_for(question: str) -> Asked:
    """The kind of answer a question wants, read from its opening ("Who was X when…" wants a name)."""
    q = question.lower()
    focus = frozenset(focus_terms(question))
    named = focus - question_entities(question)
    everything = frozenset(terms(question))
    m = _DEFINE.match(question)
    subject = frozenset(terms(m.group("x"))) if m else frozenset()
    kind: AskedKind = "other"
    wanted = frozenset[str]()
    if _ASKS_DATE.search(q):
        kind, wanted = "date", everything
    elif _ASKS_QUANTITY.search(q) or focus & _QUANTITY:
        kind, wanted = "quantity", named or everything
    elif _ASKS_NAME.search(q):
        kind, wanted = "name", named or everything
    elif _ASKS_CAUSE.search(q):
        kind = "cause"
    elif _DESCRIBE.search(q):
        kind = "describe"
    elif _LIST.match(q):
        kind = "list"
    return Asked(kind, wanted, subject)


def _defines(subject: frozenset[str], sentence: str) -> bool:
    head = " ".join(sentence.split()[:10])
    cop = _COPULA.search(sentence)
    return (
        bool(subject)
        and subject <= set(terms(head))
        and cop is not None
        and cop.start() < len(head) + 20
    )


def _novel(found: list[str], known: str) -> bool:
    asked = set(words(known))
    return any(not set(words(item)) <= asked for item in found)


def _share(wanted: frozenset[str], have: set[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 1.0


def answer_type_bonus(asked: Asked, sentence: str, known: str) -> float:
    """How well the sentence holds what the question asks for (a new date, number, name, cause, quote, list).

    A date, number or name counts in full only beside what the question says about it,
    half where it stands alone; one the conversation already holds (`known`) is not news.
    """
    if asked.subject and _defines(asked.subject, sentence):
        return 1.0
    if asked.kind in ("date", "quantity", "name"):
        if asked.kind == "date":
            found = _YEAR.findall(sentence) + _MONTH.findall(sentence) + _DAY.findall(sentence)
        elif asked.kind == "quantity":
            found = _NUMBER_ITEM.findall(_DATE_LIKE.sub(" ", sentence))
        else:
            found = _FULL_NAME.findall(sentence)
        return (
            (0.5 + 0.5 * _share(asked.wanted, set(terms(sentence))))
            if _novel(found, known)
            else 0.0
        )
    if asked.kind == "cause":
        return 1.0 if _CAUSE.search(sentence) else 0.0
    if asked.kind == "describe":
        return 1.0 if _QUOTE.search(sentence) else 0.5 if _SAYING.search(sentence) else 0.0
    if asked.kind == "list":
        return 1.0 if _ENUMERATION.search(sentence) else 0.0
    return 0.0


@dataclass
class Candidate:
    """A sentence that could answer, where it stands, and its features (`FEATURES`)."""

    row: int
    start: int
    end: int
    text: str
    previous: tuple[int, int] | None  # the sentence before it in the same block, if any
    leans: bool  # needs `previous` to be understood
    published_ord: int  # its document's date, for "now" answers
    # features
    sim: float  # cosine of the question and the sentence's in-context vector
    sim_gap: float  # sim minus the best sim among candidates
    sim_alone: float  # for a follow-up: cosine with the new question alone (else = sim)
    lex: float  # share of the question's weighted terms in the sentence
    ctx: float  # the same, counting title, section and previous sentence
    kind: float  # holds the kind of thing asked for
    passage_dense: float  # cosine of the question and the whole passage
    passage_gap: float  # passage_dense minus the best passage's
    fused: float  # the passage's fused retrieval score relative to the best
    bm25: float  # the passage's BM25 relative to the best
    passage_rank: float  # 1 / (1 + rank of the passage in fused order)
    meta: float  # talks about the corpus rather than the subject
    years_ok: float  # the question's years are in the sentence or its context (1 when none asked)
    entities_ok: float  # share of the question's names in the sentence and its passage
    entities_in_sentence: float  # share of the question's names in the sentence itself
    recency: float  # document date, 0 (oldest) to 1 (newest), on present-tense questions only
    leaning: float  # 1 when the sentence leans on the one before
    length: float  # words / 40, at most 1


FEATURES: tuple[str, ...] = tuple(
    f.name
    for f in fields(Candidate)
    if f.name not in ("row", "start", "end", "text", "previous", "leans", "published_ord")
)


def feature_matrix(cands: list[Candidate]) -> np.ndarray:
    """Rows of `FEATURES`, one per candidate."""
    return np.array([[getattr(c, f) for f in FEATURES] for c in cands], dtype=np.float64).reshape(
        len(cands), len(FEATURES)
    )


class FeatureMaker:
    """Builds the candidates of one question from one index version."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        n = max(1, data.n_chunks)
        self._n = n
        dates = [d.published.toordinal() for d in data.documents.values()] or [0]
        self._oldest, self._newest = min(dates), max(dates)

    def idf(self, term: str) -> float:
        df = self.data.df.get(term, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def weights(self, resolved: Resolved) -> dict[str, float]:
        """Question terms by IDF; the conversation's at half weight; the thing asked for double."""
        w: dict[str, float] = {}
        for t in resolved.context_terms:
            w[t] = max(w.get(t, 0.0), 0.5 * self.idf(t))
        for t in terms(resolved.question):
            w[t] = self.idf(t)
        for t in focus_terms(resolved.question):
            w[t] = w.get(t, 0.0) * 2.0
        return w

    def passage_terms(self, hits: list[Hit]) -> set[str]:
        """Every term of the retrieved passages, their titles and sections."""
        out: set[str] = set()
        for h in hits:
            c = self.data.chunks[h.row]
            out |= set(terms(f"{self.data.documents[c.doc_id].title} {c.section} {c.text}"))
        return out

    def signals(self, resolved: Resolved, hits: list[Hit], depth: int = 3) -> tuple[float, float]:
        """(best share of the question's weighted terms a top passage holds, the rarest question term none holds).

        A near-topic question the corpus cannot answer shares most of its words with some
        passage but not its most specific one ("2019", "GDP", a name): the second signal,
        the IDF of that term over the largest IDF, says how specific the missing word is.
        """
        weights = self.weights(resolved)
        held: set[str] = set()
        best = 0.0
        for h in hits[:depth]:
            c = self.data.chunks[h.row]
            pt = set(terms(f"{self.data.documents[c.doc_id].title} {c.section} {c.text}"))
            held |= pt
            best = max(best, self.coverage(weights, pt))
        top_idf = math.log(1 + (self._n + 0.5) / 0.5)
        missing = [self.idf(t) for t in terms(resolved.question) if t not in held]
        return best, (max(missing) / top_idf if missing else 0.0)

    @staticmethod
    def coverage(weights: dict[str, float], text_terms: set[str]) -> float:
        total = sum(weights.values())
        return sum(v for t, v in weights.items() if t in text_terms) / total if total else 0.0

    def candidates(
        self,
        resolved: Resolved,
        qvec: np.ndarray,
        hits: list[Hit],
        qvec_alone: np.ndarray | None = None,
    ) -> list[Candidate]:
        """Every distinct sentence of the retrieved passages, with its features."""
        if not hits:
            return []
        weights = self.weights(resolved)
        asked = asked_for(resolved.question)
        entities = question_entities(resolved.question)
        years = question_years(resolved.question)
        present = asks_about_present(resolved.question) or asks_about_present(resolved.original)
        q = qvec.ravel()
        q_alone = q if qvec_alone is None else qvec_alone.ravel()
        q_both = q if qvec_alone is None else (q + q_alone) / 2
        best_fused = hits[0].score or 1.0
        best_bm25 = max((h.bm25 for h in hits), default=0.0) or 1.0
        best_dense = max(h.dense for h in hits)
        span = max(1, self._newest - self._oldest)
        seen: set[tuple[str, int, int]] = set()
        out: list[Candidate] = []
        for rank, h in enumerate(hits):
            c = self.data.chunks[h.row]
            doc = self.data.documents[c.doc_id]
            head_terms = set(terms(f"{doc.title} {c.section}"))
            passage_terms = head_terms | set(terms(c.text))
            svecs = np.asarray(self.data.sentence_vectors_of(h.row))
            sims = svecs @ q_both if len(svecs) else np.zeros(0)
            sims_alone = svecs @ q_alone if len(svecs) else np.zeros(0)
            prev_span: tuple[int, int] | None = None
            prev_text = ""
            for (a, b), sim, sim_alone in zip(c.sentences, sims, sims_alone, strict=False):
                text = doc.body[a:b]
                # The previous sentence counts as context only inside the same block.
                same_block = prev_span is not None and "\n" not in doc.body[prev_span[1] : a]
                previous = prev_span if same_block else None
                before = prev_text if same_block else ""
                st = set(terms(text))
                key = (c.doc_id, a, b)
                if key not in seen and len(words(text)) >= 4:
                    seen.add(key)
                    context = f"{before} {text} {c.section} {doc.title}"
                    in_ctx = set(_YEAR.findall(context))
                    leans = leans_on_previous(text, before)
                    out.append(
                        Candidate(
                            row=h.row,
                            start=a,
                            end=b,
                            text=text,
                            previous=previous,
                            leans=leans,
                            published_ord=doc.published.toordinal(),
                            sim=float(sim),
                            sim_gap=0.0,
                            sim_alone=float(sim_alone),
                            lex=self.coverage(weights, st),
                            ctx=self.coverage(weights, st | head_terms | set(terms(before))),
                            kind=answer_type_bonus(asked, text, resolved.query),
                            passage_dense=h.dense,
                            passage_gap=h.dense - best_dense,
                            fused=h.score / best_fused,
                            bm25=h.bm25 / best_bm25,
                            passage_rank=1 / (1 + rank),
                            meta=1.0 if _META.search(text) else 0.0,
                            years_ok=(sum(y in in_ctx for y in years) / len(years))
                            if years
                            else 1.0,
                            entities_ok=_share(frozenset(entities), passage_terms | st),
                            entities_in_sentence=_share(frozenset(entities), st),
                            recency=(doc.published.toordinal() - self._oldest) / span
                            if present
                            else 0.0,
                            leaning=1.0 if leans else 0.0,
                            length=min(1.0, len(words(text)) / 40),
                        )
                    )
                prev_span, prev_text = (a, b), text
        best_sim = max((c.sim for c in out), default=0.0)
        for cand in out:
            cand.sim_gap = cand.sim - best_sim
        return out


# The weights this service ranked sentences by before the learned ranker (tuned by hand on
# the shared dev set): kept as the `hand` scorer to compare against.
HAND_WEIGHTS = {"sim": 1.0, "lex": 0.45, "ctx": 0.15, "kind": 0.3, "meta": -0.3}

Scorer = Callable[[np.ndarray], np.ndarray]


def hand_scorer(x: np.ndarray) -> np.ndarray:
    """The old hand-weighted sum."""
    w = np.array([HAND_WEIGHTS.get(f, 0.0) for f in FEATURES])
    return np.asarray(x @ w)


SCORERS: dict[str, Scorer] = {"hand": hand_scorer}
# The default, by measurement: top-1 accuracy of the answering sentence in 5-fold grouped
# cross-validation on the train split (308 questions): hand 0.583, logistic regression
# 0.547, pairwise logistic regression 0.573-0.580, LightGBM lambdarank 0.543-0.570. The
# learned ranker stays registered (`QA_SENTENCE_SCORER=learned`) for comparison.
DEFAULT_SCORER = "hand"
# How far below the best sentence, in each scorer's units, a runner-up may score and still
# join the answer (hand: the margin the shared dev set was tuned with; learned: logits).
JOIN_MARGINS = {"hand": 0.18, "learned": 2.0}


def register(name: str, scorer: Scorer) -> None:
    """Make a scorer selectable by name (`QA_SENTENCE_SCORER`, `qa-service eval --scorer`)."""
    SCORERS[name] = scorer
