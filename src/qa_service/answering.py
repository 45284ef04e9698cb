"""Grounded extractive answers, as typed stages over one index version.

    resolve (conversation.py: history, language, names) -> retrieve and fuse (retrieval.py)
      -> score sentences (scoring.py, a registered scorer) -> decide (deciding.py)
      -> compose (composing.py: sentences with their context, citations, framing)

No language model writes here: every sentence of an answer is quoted from a cited
passage, so a marker can never point at a passage that does not say it.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from qa_service.composing import (
    Composed,
    as_decided,
    cause_antecedent,
    cause_before,
    cause_first,
    cause_in_block,
    cause_slot,
    choose,
    choose_parts,
    completion_first,
    day_first,
    decline_text,
    event_reason,
    led_by_correction,
    newest_first,
    not_restated,
    not_shown,
    preface_for,
    premise_correction,
    reason_before_event,
    sibling_first,
    slot_first,
    with_cause,
    with_context,
    with_reason,
)
from qa_service.config import AnswerOptions
from qa_service.conversation import Resolved
from qa_service.deciding import Decider, Scored
from qa_service.index import IndexData
from qa_service.near_words import NearWords
from qa_service.parts import Part
from qa_service.ranker import DECLINE_FILE, RANKER_FILE, LinearModel
from qa_service.reading import asked_for
from qa_service.retrieval import Hit
from qa_service.schemas import AnswerSentence, Citation, Passage, SourceOut
from qa_service.scoring import (
    DEFAULT_SCORER,
    JOIN_MARGINS,
    SCORERS,
    Candidate,
    FeatureMaker,
    Scorer,
    feature_matrix,
    register,
)

__all__ = ["Answerer", "Composed"]

_RANKER = LinearModel.load(RANKER_FILE)
if _RANKER is not None:
    register("learned", _RANKER.logits)


def best_by_row(scored: Scored) -> dict[int, float]:
    """Each passage's best sentence score (candidates come best first, so a row's first is its best)."""
    best: dict[int, float] = {}
    for c, s in zip(scored.candidates, scored.scores, strict=False):
        best.setdefault(c.row, s)
    return best


class Answerer:
    """Composes answers from one loaded index version."""

    def __init__(
        self,
        data: IndexData,
        options: AnswerOptions | None = None,
        decline_model: LinearModel | None = None,
        near: NearWords | None = None,
    ) -> None:
        """`options`: the answer stage's switches and thresholds (config.AnswerOptions), read where they act;
        `near`: the question's words a passage holds in other words (the decider's term checks)."""
        o = options or AnswerOptions()
        name = o.sentence_scorer or DEFAULT_SCORER
        if name not in SCORERS:
            raise ValueError(
                f"unknown sentence scorer {name!r}; known: {', '.join(sorted(SCORERS))}"
            )
        self.data = data
        self.options = o
        self.max_sentences = o.answer_max_sentences
        self.features = FeatureMaker(data, o)
        self.scorer: Scorer = SCORERS[name]
        self.scorer_name = name
        if name == "learned" and o.models_dir is not None:
            trial = LinearModel.load(o.models_dir / RANKER_FILE.name)
            if trial is None:
                raise ValueError(f"no fitted ranker in {o.models_dir}")
            self.scorer = trial.logits
        if decline_model is None and o.decline_model == "learned":
            folder = o.models_dir if o.models_dir is not None else DECLINE_FILE.parent
            stored = LinearModel.load(folder / DECLINE_FILE.name)
            decline_model = (
                stored if stored is not None and stored.notes.get("scorer") == name else None
            )
        self.join_margin = JOIN_MARGINS[name]
        self.decider = Decider(decline_model, self.features, o, margin=self.join_margin, near=near)

    def score(
        self,
        resolved: Resolved,
        qvec: np.ndarray,
        hits: list[Hit],
        qvec_alone: np.ndarray | None = None,
        known: str = "",
    ) -> Scored:
        """Every candidate sentence with its score, best first (`known`: what the reader already has)."""
        cands = self.features.candidates(resolved, qvec, hits, qvec_alone, known)
        if not cands:
            return Scored([], [])
        scores = self.scorer(feature_matrix(cands))
        order = np.argsort(-scores, kind="stable")
        return Scored([cands[i] for i in order], [float(scores[i]) for i in order])

    @staticmethod
    def rerank(hits: list[Hit], scored: Scored) -> list[Hit]:
        """Passages ordered by the best sentence each holds: the one that answers comes first."""
        best = best_by_row(scored)
        return sorted(hits, key=lambda h: -best.get(h.row, -math.inf))

    def answer(
        self,
        resolved: Resolved,
        qvec: np.ndarray,
        hits: list[Hit],
        qvec_alone: np.ndarray | None = None,
        parts: list[Part] | None = None,
    ) -> tuple[Composed, list[Hit]]:
        """Score, decide and compose; also returns the passages in answer order, for evaluation.

        `parts`: the parts of a two-part question, each retrieved on its own; each gets its
        best sentence, so neither half goes unanswered.
        """
        scored = not_shown(self.score(resolved, qvec, hits, qvec_alone), resolved.shown)
        ranked = self.rerank(hits, scored)
        decision = self.decider.decide(resolved, scored, hits)
        if decision.answer:
            decision = not_restated(decision, resolved.shown)
        chosen = choose(decision, self.max_sentences, self.join_margin) if decision.answer else []
        event: Candidate | None = None  # a why question's event, and the reason told beside it
        reason: Candidate | None = None
        why = asked_for(resolved.question).kind == "cause"
        if why:
            chosen = with_cause(
                cause_first(chosen, decision), decision.ranked, self.doc_of, self.max_sentences
            )
            chosen = cause_before(chosen, decision.ranked, self.doc_of)
            if self.options.why_cause_slot and len(chosen) >= self.max_sentences:
                chosen = cause_slot(chosen, decision, self.join_margin)
            if self.options.why_cause_in_block:
                chosen = cause_in_block(chosen, scored.candidates)
            if self.options.why_cause_by_event:
                event, reason = event_reason(chosen, scored.candidates)
        elif not parts:
            chosen = newest_first(
                completion_first(chosen),
                resolved.question,
                decision,
                self.join_margin,
                self.max_sentences,
                lasting=self.options.now_lasting_ties,
            )
        if self.options.slot_filler_first and not parts and decision.answer:
            chosen = slot_first(
                resolved.question,
                self.features.asked(resolved.question, resolved.context),
                f"{resolved.question} {resolved.shown}",
                chosen,
                decision,
                self.join_margin,
                self.max_sentences,
                newest=self.options.slot_keeps_newest,
                place_heads=self.options.place_slot_heads,
            )
        if self.options.sibling_event_first and not parts:
            chosen = sibling_first(
                resolved.question,
                chosen,
                decision,
                max(self.join_margin, self.options.sibling_event_margin),
                self.max_sentences,
                months=self.options.sibling_month_marks,
            )
        if self.options.day_in_margin and not parts and decision.answer:
            chosen = day_first(
                resolved.question, chosen, decision, self.join_margin, self.max_sentences
            )
        correction = None
        if self.options.premise_denial_first and not parts:
            correction = premise_correction(
                resolved.question,
                chosen,
                decision,
                places=self.options.premise_place_first,
                undone=self.options.premise_undone_first,
                turned=self.options.premise_reversed_first,
                unkinded=self.options.premise_denial_unkinded,
                joint=self.options.premise_joint_first,
                excluded=self.options.premise_excluded_first,
                factual=self.options.premise_fact_first,
                lengths=self.options.premise_length_first,
                unanimity=self.decider.headed if self.options.premise_split_vote_first else None,
                swapped=self.decider.headed if self.options.premise_swapped_country_first else None,
                negated=self.options.premise_negated_term_first,
            )
            chosen = led_by_correction(chosen, correction, self.max_sentences)
        if reason is not None and not parts:
            # Not before a premise's correction, whether it was moved to the lead or led already.
            if self.options.why_reason_first and chosen and correction is None:
                chosen = reason_before_event(chosen, event, reason)
            chosen = with_reason(chosen, reason)  # last: the lead rules cut to the limit
        if why and not parts and self.options.why_cause_antecedent:
            chosen = cause_antecedent(chosen, scored.candidates)
        if parts:
            chosen = self.choose_for_parts(parts, chosen)
            for h in (h for p in parts for h in p.hits):
                if all(h.row != r.row for r in ranked):
                    ranked.append(h)
        if not chosen:
            composed = Composed(
                decline_text(resolved, decision),
                False,
                [],
                language=resolved.language,
                follow_up=resolved.follow_up,
            )
            return composed, ranked
        return self.compose(resolved, chosen, ranked), ranked

    def doc_of(self, row: int) -> str:
        """The document a passage row belongs to."""
        return self.data.chunks[row].doc_id

    def choose_for_parts(self, parts: list[Part], whole: list[Candidate]) -> list[Candidate]:
        """Each part's best sentence, then the whole question's choice; [] when a part has no answer.

        A part the decider declines on its own is answered only when the whole question is
        (the whole found it); when the whole is declined, every part must hold up alone.
        A later part is scored knowing the earlier parts' best sentences: a date, number or name
        they gave is not news (`kind`), so the second part of "when was it signed, and when did
        it start applying?" is not answered by another sentence with the signing date (on the
        seven tuning sets, 1 December 2026, with the elliptical part's kind
        (`reading.asked_in_context`) and "vs for" splits: multi-hop train .474 -> .526, held-out 1
        .471 -> .529, held-out 4 .538 -> .615, no case lost on any kind or set).
        """
        part_scored: list[Scored] = []
        decisions = []
        known: list[str] = []
        for p in parts:
            s = self.score(p.resolved, p.qvec, p.hits, p.alone, " ".join(known))
            d = self.decider.decide(p.resolved, s, p.hits)
            part_scored.append(s)
            decisions.append(d)
            best = as_decided(d, s).candidates
            if best:
                known.append(best[0].text)
        if not whole and not all(d.answer for d in decisions):
            return []
        ranked = [as_decided(d, s) for d, s in zip(decisions, part_scored, strict=True)]
        return choose_parts(
            ranked,
            whole,
            self.max_sentences + len(parts) - 1,
            margin=self.join_margin,
            runners=[self.features.asked(p.resolved.question, p.resolved.context) for p in parts]
            if self.options.part_close_runners
            else None,
            questions=[p.resolved.question for p in parts]
            if self.options.part_slot_filler
            else None,
        )

    def compose(self, resolved: Resolved, chosen: list[Candidate], hits: list[Hit]) -> Composed:
        """The chosen sentences with their context, numbered by passage, and the framing."""
        quotes = with_context(chosen, {c.row: self.data.chunks[c.row].start for c in chosen})
        numbers: dict[int, int] = {}
        quoted: dict[int, list[tuple[int, int]]] = {}
        sentences: list[AnswerSentence] = []
        for q in quotes:
            n = numbers.setdefault(q.row, len(numbers) + 1)
            quoted.setdefault(q.row, []).append((q.start, q.end))
            chunk = self.data.chunks[q.row]
            text = self.data.documents[chunk.doc_id].body[q.start : q.end]
            sentences.append(
                AnswerSentence(text=text, n=n, doc_id=chunk.doc_id, start=q.start, end=q.end)
            )
        by_row = {h.row: h for h in hits}
        citations = [
            self.citation(row, by_row[row].score, n, quoted[row]) for row, n in numbers.items()
        ]
        newest = max(self.data.documents[c.doc_id].published for c in citations)
        preface = preface_for(
            resolved, newest, self.options.today or dt.date.today(), self.options.now_until_when
        )
        body = " ".join(f"{s.text} [{s.n}]" for s in sentences)
        answer = f"{preface}\n{body}" if preface else body
        return Composed(
            answer, True, citations, sentences, preface, resolved.language, resolved.follow_up
        )

    def citation(
        self, row: int, score: float, n: int, quoted: list[tuple[int, int]] | None = None
    ) -> Citation:
        """A cited passage; its sources are those of the `quoted` sentences first, then the passage's others."""
        return Citation(n=n, **self.passage(row, score, quoted).model_dump())

    def passage(
        self, row: int, score: float, quoted: list[tuple[int, int]] | None = None
    ) -> Passage:
        """A retrieved chunk as the API shows it: text, offsets, its document's metadata and its sources."""
        c = self.data.chunks[row]
        doc = self.data.documents[c.doc_id]
        sources = [
            SourceOut(title=s.title, url=str(s.url))
            for s in doc.sources_for_ranges([*(quoted or []), (c.start, c.end)])
        ]
        return Passage(
            doc_id=c.doc_id,
            title=doc.title,
            url=sources[0].url if sources else doc.url,
            sources=sources,
            published=doc.published.isoformat(),
            chunk_id=c.chunk_id,
            text=c.text,
            start=c.start,
            end=c.end,
            score=round(float(score), 6),
        )
