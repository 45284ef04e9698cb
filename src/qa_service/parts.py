"""Two-part questions: split them, so each part is retrieved and answered on its own.

"When did Mexico join APEC, and from when did the CPTPP apply to it?" asks two things; one
search for the whole finds the passage of one half and the answer quotes only that half.
A question splits where a second question word follows "and" ("…, and who ran the embassy
once he had gone?"), or where it compares two years ("Compare the 2024 and 2025 export
totals"). A second part that refers back ("when did it…") is searched with the first as its
context, as a follow-up is; one that does not is asked as it stands. (Appending the first
part's names to every second part, as before, made them required names of a self-contained
part: "in what year did Peru first break relations with Mexico (APRA)?" quoted an APRA
sentence without the year. Dropping it: multi-hop train 0.286 -> 0.333, held-out 1 unchanged,
30 November 2026.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import zip_longest

import numpy as np

from qa_service.conversation import Resolved, needs_context
from qa_service.reading import YEAR
from qa_service.retrieval import Hit
from qa_service.terms import terms

_WH = (
    r"who|whom|whose|when|where|which|what|why|how|since when|from when|until when|"
    r"in what|in which|on what|on which|at what|by how (?:much|many)|for how long"
)
# "…, and who…" / "… and when…": the second question starts at the conjunction; so does a
# second clause after ", and" ("…, and does Peru have one in Mexico City?", "…, and Mexico's
# ambassador in Peru in 2016").
_SECOND = re.compile(rf",?\s+and\s+(?=(?:{_WH})\b)|,\s+and\s+", re.I)
_COMPARES = re.compile(r"\b(compar\w*|versus|vs\.?|differ\w*|apart|against)\b", re.I)
_LINK = r"(?:and|versus|vs\.?|with|to|against|in)"
MIN_PART_WORDS = 3  # a shorter "part" ("and why?") is not a question of its own


def _by_year(question: str) -> list[str]:
    years = list(dict.fromkeys(YEAR.findall(question)))
    if len(years) != 2 or not _COMPARES.search(question):
        return [question]
    out = []
    for keep, drop in (years, years[::-1]):
        # The other year goes with the word that links it to this one ("2024 and", "with 2024").
        link = rf"\s*(?:\b{_LINK}\s+{drop}\b|\b{drop}\s+{_LINK}\b|\b{drop}\b)"
        part = re.sub(r"\s+([,.?])", r"\1", re.sub(link, "", question, count=1, flags=re.I))
        out.append(part if keep in part else question)
    return out


def split_parts(question: str) -> list[str]:
    """The standalone parts of a two-part question, or [question] when it asks one thing."""
    pieces = [p.strip(" ,") for p in _SECOND.split(question, maxsplit=1)]
    if len(pieces) == 2 and all(len(p.split()) >= MIN_PART_WORDS for p in pieces):
        first, second = pieces
        return [f"{first.rstrip('?')}?", second]
    return _by_year(question)


def _as_part(resolved: Resolved, text: str, first: str | None) -> Resolved:
    """One part as its own question; a later part leans on the first, as a follow-up does.

    A later part often names its subject only through the first: by a pronoun ("when did it…")
    or by leaving it out ("…, and who did Mexico send", "…, and which in Peru?"). As with a
    follow-up, the first part is its context, searched with it and weighed low
    (scoring.CONTEXT_WEIGHT), while the part's own words say what is asked; its names are not
    made required (appending them to the part's question did that: "in what year did Peru first
    break relations with Mexico (APRA)?" quoted an APRA sentence without the year).
    """
    if first is None:
        return replace(resolved, question=text, query=f"{resolved.context} {text}".strip())
    context = f"{resolved.context} {first}".strip()
    return replace(
        resolved,
        question=text,
        query=f"{context} {text}",
        context=context,
        follow_up=True,
        context_terms=terms(context),
    )


def interleave(first: list[Hit], second: list[Hit]) -> list[Hit]:
    """Two rankings of passages as one, alternating, each passage once, as long as the longer."""
    out: list[Hit] = []
    seen: set[int] = set()
    for pair in zip_longest(first, second):
        for h in pair:
            if h is not None and h.row not in seen:
                seen.add(h.row)
                out.append(h)
    return out[: max(len(first), len(second))]


@dataclass(frozen=True)
class Part:
    """One part of a question, resolved and retrieved on its own."""

    resolved: Resolved
    qvec: np.ndarray
    hits: list[Hit]
    alone: np.ndarray | None = None  # a later part's own words, without the first as context


def retrieve_parts(
    resolved: Resolved,
    retrieve: Callable[[Resolved], tuple[list[Hit], np.ndarray]],
    encode: Callable[[str], np.ndarray] | None = None,
) -> list[Part]:
    """Each part of a two-part question with its own passages; [] for a one-part question.

    `encode` gives a later part's vector without the first part, so its sentences are scored
    on what it asks (as a follow-up's are) and not on the first part's answer again.
    """
    texts = split_parts(resolved.question)
    if len(texts) < 2:
        return []
    parts = []
    for i, text in enumerate(texts):
        r = _as_part(resolved, text, texts[0] if i else None)
        hits, qvec = retrieve(r)
        if i and not needs_context(text):
            # Its own words name what it asks ("how many entered Mexico in 2023"): the first
            # part's words would otherwise fill its passages with the first part's answer.
            own, _ = retrieve(replace(r, query=text))
            hits = interleave(own, hits)
        alone = encode(text) if encode is not None and r.follow_up else None
        parts.append(Part(r, qvec, hits, alone))
    return parts
