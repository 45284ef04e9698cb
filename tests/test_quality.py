"""Answer quality on the real corpus, per kind, with floors: a change that makes the service
answer worse fails here. Held-out 20 (`eval/heldout20.jsonl`) is the headline; held-outs 19, 18, 17,
16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2 and 1 are retired (looked at two, two, two, two,
two, two, two, two, two, two, two, two, two, three, two, two, four, three and six times, now tuned
on); held-out 21 is in reserve, run by no test here; the regression sets are the two question sets earlier
work was tuned on.

Floors are measured figures (README, "Quality, measured"; the comment at each says which run),
less a margin of about one question per kind, so a real regression fails and a corpus edit
that moves one answer does not. Raise them when the service gets better; never
lower them to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.evaluation import evaluate_cases, load_cases
from qa_service.index import build_index
from qa_service.service import QAService

ROOT = Path(__file__).resolve().parent.parent

# Floors: measured rates less about one case per kind; each comment names its run. First set
# from the figures of 2026-11-30, 22:57 UTC (eval/results/session3.txt) and raised since, never
# lowered for a change (project out_of_scope once, for a change of the set: see there).
FLOORS: dict[str, dict[str, float]] = {
    # Held-out 20, the headline: its first look after the twenty-first round (`qa-service eval -v
    # --no-baselines eval/heldout20.jsonl eval/heldout19.jsonl`, eval/results/s24_heldout_looks.txt);
    # each rate less one case. Against its baseline (eval/results/heldout20_before.txt) no answer's
    # verdict moved and every rate, first sentence included (0.404), is the same.
    "eval/heldout20.jsonl": {
        "in_scope": 0.59,  # 0.606 (63/104)
        "fact": 0.5,  # 0.533 (16/30)
        "why": 0.77,  # 0.833 (15/18)
        "multihop": 0.5,  # 0.562 (9/16)
        "now": 0.3,  # 0.400 (4/10)
        "spanish": 0.55,  # 0.600 (12/20)
        "followup": 0.6,  # 0.700 (7/10)
        "out_of_scope": 0.41,  # 0.458 (11/24)
        "false_premise": 0.33,  # 0.417 (5/12)
    },
    # Held-out 19 (the headline from 3 December 2026, 18:30 UTC, to 20:30 UTC, now retired): its first
    # look after the twentieth round (`qa-service eval -v --no-baselines eval/heldout19.jsonl
    # eval/heldout18.jsonl`, eval/results/s23_heldout_looks.txt); each rate less one case. Against its
    # baseline (eval/results/heldout19_before.txt) no answer's verdict moved and every rate, first
    # sentence included (0.394), is the same; nor at its second look after the twenty-first round
    # (eval/results/s24_heldout_looks.txt).
    "eval/heldout19.jsonl": {
        "in_scope": 0.57,  # 0.587 (61/104)
        "fact": 0.53,  # 0.567 (17/30)
        "why": 0.61,  # 0.667 (12/18)
        "multihop": 0.31,  # 0.375 (6/16)
        "now": 0.4,  # 0.500 (5/10)
        "spanish": 0.6,  # 0.650 (13/20)
        "followup": 0.7,  # 0.800 (8/10)
        "out_of_scope": 0.41,  # 0.458 (11/24)
        "false_premise": 0.33,  # 0.417 (5/12)
    },
    # Held-out 18 (the headline from 3 December 2026, 15:30 UTC, to 18:30 UTC, now retired): its first
    # look after the nineteenth round's merges (`qa-service eval -v --no-baselines eval/heldout18.jsonl
    # eval/heldout17.jsonl`, eval/results/s22_heldout_looks.txt);
    # each rate less one case. Against its baseline (eval/results/heldout18_before.txt) no answer's
    # verdict moved and every rate, first sentence included (0.413), is the same; nor at its second look
    # after the twentieth round (eval/results/s23_heldout_looks.txt).
    "eval/heldout18.jsonl": {
        "in_scope": 0.6,  # 0.615 (64/104)
        "fact": 0.63,  # 0.667 (20/30)
        "why": 0.33,  # 0.389 (7/18)
        "multihop": 0.5,  # 0.562 (9/16)
        "now": 0.6,  # 0.700 (7/10)
        "spanish": 0.6,  # 0.650 (13/20)
        "followup": 0.7,  # 0.800 (8/10)
        "out_of_scope": 0.33,  # 0.375 (9/24)
        "false_premise": 0.58,  # 0.667 (8/12)
    },
    # Held-out 17 (the headline from 3 December 2026, 12:00 UTC, to 15:30 UTC, now retired): its first
    # look after the eighteenth round's merges (`qa-service eval -v --no-baselines eval/heldout17.jsonl
    # eval/heldout16.jsonl`, eval/results/s21_heldout_looks.txt); each rate less one case. Against its
    # baseline (eval/results/heldout17_before.txt) no answer's verdict moved; first sentence 0.356 ->
    # 0.346; nor at its second look after the nineteenth round's merges (s22_heldout_looks.txt).
    "eval/heldout17.jsonl": {
        "in_scope": 0.67,  # 0.683 (71/104)
        "fact": 0.6,  # 0.633 (19/30)
        "why": 0.55,  # 0.611 (11/18)
        "multihop": 0.5,  # 0.562 (9/16)
        "now": 0.6,  # 0.700 (7/10)
        "spanish": 0.75,  # 0.800 (16/20)
        "followup": 0.8,  # 0.900 (9/10)
        "out_of_scope": 0.62,  # 0.667 (16/24)
        "false_premise": 0.25,  # 0.333 (4/12)
    },
    # Held-out 16 (the headline until 3 December 2026, 12:00 UTC, now retired): its first look after the
    # seventeenth round's merges (`qa-service eval -v --no-baselines eval/heldout16.jsonl
    # eval/heldout15.jsonl`, eval/results/s20_heldout_looks.txt); each rate less one case. Against its
    # baseline (eval/results/heldout16_before.txt) no case moved, nor at its second look after the
    # eighteenth round's merges (eval/results/s21_heldout_looks.txt).
    "eval/heldout16.jsonl": {
        "in_scope": 0.65,  # 0.663 (69/104)
        "fact": 0.6,  # 0.633 (19/30)
        "why": 0.5,  # 0.556 (10/18)
        "multihop": 0.56,  # 0.625 (10/16)
        "now": 0.6,  # 0.700 (7/10)
        "spanish": 0.65,  # 0.700 (14/20)
        "followup": 0.8,  # 0.900 (9/10)
        "out_of_scope": 0.54,  # raised 2026-12-03 (s22): 0.583 (14/24)
        "false_premise": 0.25,  # 0.333 (4/12)
    },
    # Held-out 15 (the headline until 3 December 2026, 08:30 UTC, now retired): its first look after the
    # sixteenth round's merges (`qa-service eval -v --no-baselines eval/heldout15.jsonl
    # eval/heldout14.jsonl`, eval/results/s19_heldout_looks.txt); each rate less one case; raised where
    # its second look, after the seventeenth round's merges, moved (eval/results/s20_heldout_looks.txt:
    # false premises +h15-077), less one case. Against its baseline (eval/results/heldout15_before.txt)
    # every kind's rate at the first look was the same (fact +h15-007 -h15-030), first sentence 0.375 -> 0.365.
    "eval/heldout15.jsonl": {
        "in_scope": 0.59,  # raised 2026-12-03 (s21): 0.606 (63/104)
        "fact": 0.66,  # 0.700 (21/30)
        "why": 0.38,  # raised 2026-12-03 (s21): 0.444 (8/18)
        "multihop": 0.62,  # 0.688 (11/16)
        "now": 0.4,  # 0.500 (5/10)
        "spanish": 0.4,  # 0.450 (9/20)
        "followup": 0.8,  # 0.900 (9/10)
        "out_of_scope": 0.62,  # raised 2026-12-03 (s22): 0.667 (16/24)
        "false_premise": 0.25,  # raised 2026-12-03, its second look (s20), 0.333 (4/12)
    },
    # Held-out 14 (the headline until 3 December 2026, 03:45 UTC, now retired): its first look after the
    # fifteenth round's merges (`qa-service eval -v --no-baselines eval/heldout14.jsonl
    # eval/heldout13.jsonl`, eval/results/s18_heldout_looks.txt); each rate less one case; raised where its
    # second look, after the sixteenth round's merges, moved (eval/results/s19_heldout_looks.txt: why
    # +h14-043), less one case. Against its baseline (eval/results/heldout14_before.txt) every kind's
    # rate at the first look was the same (in scope +h14-010 -h14-054), first sentence 0.356 -> 0.365.
    "eval/heldout14.jsonl": {
        "in_scope": 0.65,  # raised 2026-12-03 (s21): 0.663 (69/104)
        "fact": 0.56,  # 0.600 (18/30)
        "why": 0.5,  # raised 2026-12-03, its second look (s19), 0.556 (10/18)
        "multihop": 0.56,  # 0.625 (10/16)
        "now": 0.7,  # 0.800 (8/10)
        "spanish": 0.7,  # raised 2026-12-03 (s21): 0.750 (15/20)
        "followup": 0.7,  # 0.800 (8/10)
        "out_of_scope": 0.45,  # 0.500 (12/24)
        "false_premise": 0.41,  # raised 2026-12-03 (s20): 0.500 (6/12)
    },
    # Held-out 13 (the headline until 2 December 2026, 21:15 UTC, now retired): its first look after the
    # fourteenth round's merges (`qa-service eval -v --no-baselines eval/heldout13.jsonl
    # eval/heldout12.jsonl`, eval/results/s17_heldout_looks.txt); each rate less one case; raised where its
    # second look, after the fifteenth round's merges, moved (eval/results/s18_heldout_looks.txt), less one
    # case. Against its baseline (eval/results/heldout13_before.txt) now rose 0.400 -> 0.500 and false
    # premises fell 0.500 -> 0.417 (h13-081, declined before only because "unwelcome" was read as "Welcome").
    "eval/heldout13.jsonl": {
        "in_scope": 0.64,  # raised 2026-12-03 (s20): 0.654 (68/104)
        "fact": 0.6,  # 0.633 (19/30)
        "why": 0.5,  # raised 2026-12-03 (s20): 0.556 (10/18)
        "multihop": 0.62,  # 0.688 (11/16)
        "now": 0.5,  # raised 2026-12-03 (s20): 0.600 (6/10)
        "spanish": 0.65,  # raised 2026-12-03 (s19): 0.700 (14/20)
        "followup": 0.7,  # 0.800 (8/10)
        "out_of_scope": 0.75,  # raised 2026-12-03 (s22): 0.792 (19/24)
        "false_premise": 0.33,  # 0.417 (5/12)
    },
    # Held-out 12 (the headline until 2 December 2026, 16:10 UTC, now retired): its first look after the
    # thirteenth round's merges (`qa-service eval -v --no-baselines eval/heldout12.jsonl
    # eval/heldout11.jsonl`, eval/results/s16_heldout_looks.txt), at or above its baseline
    # (eval/results/heldout12_before.txt) on every kind; each rate less one case; raised where its second
    # look, after the fourteenth round's merges, moved (eval/results/s17_heldout_looks.txt), less one case.
    "eval/heldout12.jsonl": {
        "in_scope": 0.64,  # raised 2026-12-03 (s20): 0.654 (68/104)
        "fact": 0.76,  # 0.800 (24/30)
        "why": 0.44,  # 0.500 (9/18)
        "multihop": 0.5,  # 0.562 (9/16)
        "now": 0.5,  # raised 2026-12-02 (s17), its second look (s17) 0.600 (6/10)
        "spanish": 0.65,  # raised 2026-12-03 (s20): 0.700 (14/20)
        "followup": 0.5,  # 0.600 (6/10)
        "out_of_scope": 0.7,  # raised 2026-12-02 (s18): 0.750 (18/24)
        "false_premise": 0.41,  # raised 2026-12-03 (s21): 0.500 (6/12)
    },
    # Held-out 11 (the headline until 2 December 2026, 13:00 UTC, now retired): its first look after the
    # twelfth round's merges (`qa-service eval -v --no-baselines eval/heldout11.jsonl
    # eval/heldout10.jsonl`, eval/results/s15_heldout_looks.txt), at or above its baseline
    # (eval/results/heldout11_before.txt) on every kind; each rate less one case; raised where its second
    # look, after the thirteenth round's merges, moved (eval/results/s16_heldout_looks.txt), less one case.
    "eval/heldout11.jsonl": {
        "in_scope": 0.71,  # raised 2026-12-03 (s21): 0.721 (75/104)
        "fact": 0.63,  # raised 2026-12-03 (s21): 0.667 (20/30)
        "why": 0.77,  # raised 2026-12-03 (s21): 0.833 (15/18)
        "multihop": 0.75,  # raised 2026-12-03 (s19): 0.812 (13/16)
        "now": 0.3,  # 0.400 (4/10)
        "spanish": 0.65,  # raised 2026-12-02 (s17): 0.700 (14/20)
        "followup": 0.8,  # 0.900 (9/10)
        "out_of_scope": 0.45,  # raised 2026-12-03 (s22): 0.500 (12/24)
        "false_premise": 0.5,  # raised 2026-12-03 (s20): 0.583 (7/12)
    },
    # Held-out 10 (the headline until 2 December 2026, 09:20 UTC, now retired): its baseline
    # (eval/results/heldout10_before.txt, the eleventh round's start) and its first look after that
    # round's merges (eval/results/s14_heldout9_second_look.txt) gave the same figures, case for case;
    # each rate less one case; raised where its second look, after the twelfth round's merges, moved
    # (eval/results/s15_heldout_looks.txt), less one case.
    "eval/heldout10.jsonl": {
        "in_scope": 0.65,  # raised 2026-12-03 (s19): 0.663 (69/104)
        "fact": 0.73,  # raised 2026-12-03 (s19): 0.767 (23/30)
        "why": 0.55,  # 0.611 (11/18)
        "multihop": 0.37,  # raised 2026-12-03 (s19): 0.438 (7/16)
        "now": 0.5,  # raised 2026-12-02 (s17): 0.600 (6/10)
        "spanish": 0.55,  # raised 2026-12-03 (s19): 0.600 (12/20)
        "followup": 0.9,  # raised 2026-12-03 (s19): 1.000 (10/10)
        "out_of_scope": 0.58,  # raised 2026-12-02 (s16): 0.625 (15/24)
        "false_premise": 0.33,  # raised 2026-12-03 (s19): 0.417 (5/12)
    },
    # Held-out 9 (the headline until 2 December 2026, 06:20 UTC, now retired): its first look, after
    # the tenth round's merges (`qa-service eval -v --no-baselines eval/heldout9.jsonl
    # eval/heldout8.jsonl`, eval/results/s13_heldout9_first_look.txt), each rate less one case; raised
    # where its second look, after the eleventh round's merges, moved
    # (eval/results/s14_heldout9_second_look.txt), less one case.
    "eval/heldout9.jsonl": {
        "in_scope": 0.75,  # raised 2026-12-03 (s21): 0.769 (80/104)
        "fact": 0.8,  # raised 2026-12-03 (s21): 0.833 (25/30)
        "why": 0.66,  # raised 2026-12-03 (s21): 0.722 (13/18)
        "multihop": 0.56,  # raised 2026-12-02 (s16): 0.625 (10/16)
        "now": 0.5,  # 0.600 (6/10)
        "spanish": 0.85,  # raised 2026-12-03 (s21): 0.900 (18/20)
        "followup": 0.7,  # 0.800 (8/10)
        "out_of_scope": 0.58,  # raised 2026-12-03 (s22): 0.625 (15/24)
        "false_premise": 0.75,  # raised 2026-12-03 (s20): 0.833 (10/12)
    },
    # Held-out 8 (the headline until 2 December 2026, 02:30 UTC, now retired): its first look, after
    # the ninth round's merges (eval/results/s12_heldout8_first_look.txt), each rate less one case;
    # raised after the tenth round had tuned on it (eval/results/s13_tuning_after.txt) to those rates
    # less one case.
    "eval/heldout8.jsonl": {
        "in_scope": 0.81,  # raised 2026-12-03 (s20): 0.827 (86/104)
        "fact": 0.8,  # raised 2026-12-03 (s20): 0.833 (25/30)
        "why": 0.88,  # raised 2026-12-03 (s19): 0.944 (17/18)
        "multihop": 0.81,  # raised 2026-12-02 (s16): 0.875 (14/16)
        "now": 0.5,  # 0.600 (6/10)
        "spanish": 0.7,  # raised 2026-12-03 (s20): 0.750 (15/20)
        "followup": 0.8,  # raised 2026-12-02 (s17): 0.900 (9/10)
        "out_of_scope": 0.83,  # raised 2026-12-03 (s19): 0.875 (21/24)
        "false_premise": 0.83,  # raised 2026-12-02 (s14): 0.917 (11/12)
    },
    # Held-out 7 (the headline until 1 December 2026, 23:45 UTC, now retired): its first look,
    # after the eighth round's merges (eval/results/heldout7_first_look.txt), each rate less one
    # case; in-scope, multihop and out of scope raised to its second look, after the ninth round's
    # merges (eval/results/s12_heldout8_first_look.txt, same run), less one case.
    "eval/heldout7.jsonl": {
        "in_scope": 0.72,  # raised 2026-12-03 (s21): 0.731 (76/104)
        "fact": 0.83,  # raised 2026-12-03 (s21): 0.867 (26/30)
        "why": 0.55,  # raised 2026-12-03 (s19): 0.611 (11/18)
        "multihop": 0.62,  # raised 2026-12-02 (s15): 0.688 (11/16)
        "now": 0.6,  # raised 2026-12-02 (s17): 0.700 (7/10)
        "spanish": 0.6,  # raised 2026-12-02 (s15): 0.650 (13/20)
        "followup": 0.7,  # .800 (8/10)
        "out_of_scope": 0.83,  # raised 2026-12-02 (s18): 0.875 (21/24)
        "false_premise": 0.75,  # raised 2026-12-03 (s20): 0.833 (10/12)
    },
    # Held-out 6 (the headline until 1 December 2026, 19:15 UTC, now retired): its baseline, run
    # once on the service as it stood when the set was committed (eab435c; `qa-service eval
    # eval/heldout6.jsonl`, eval/results/heldout6_before.txt), each rate less one case; in-scope,
    # multihop and out of scope raised to its second look at the end of that round
    # (eval/results/heldout6_final.txt) less one case; raised again after the eighth round had tuned
    # on it (eval/results/s11_tuning_after.txt), to those rates less one case.
    "eval/heldout6.jsonl": {
        "in_scope": 0.79,  # raised 2026-12-03 (s21): 0.808 (84/104)
        "fact": 0.8,  # raised 2026-12-03 (s21): 0.833 (25/30)
        "why": 0.72,  # raised 2026-12-02 (s14): 0.778 (14/18)
        "multihop": 0.62,  # raised 2026-12-02 (s15): 0.688 (11/16)
        "now": 0.7,  # raised 2026-12-02 (s14): 0.800 (8/10)
        "spanish": 0.85,  # raised 2026-12-03 (s19): 0.900 (18/20)
        "followup": 0.7,  # raised 2026-12-02 (s16): 0.800 (8/10)
        "out_of_scope": 0.83,  # raised 2026-12-02 (s18): 0.875 (21/24)
        "false_premise": 0.83,  # raised 2026-12-02 (s15): 0.917 (11/12)
    },
    # Held-out 5 (the headline until 1 December 2026, 16:20 UTC, now retired): its one look, at
    # the end of that day's fourth round (`qa-service eval`, eval/results/s8_final.txt), each rate
    # less one case; raised after the fifth round had tuned on it (eval/results/s10_tuning_after.txt)
    # to those rates less one case.
    "eval/heldout5.jsonl": {
        "in_scope": 0.84,  # raised 2026-12-03 (s21): 0.856 (89/104)
        "fact": 0.9,  # raised 2026-12-03 (s21): 0.933 (28/30)
        "why": 0.88,  # raised 2026-12-02 (s13): 0.944 (17/18)
        "multihop": 0.81,  # raised 2026-12-01 (s12): .875 (14/16)
        "now": 0.7,  # raised 2026-12-02 (s17): 0.800 (8/10)
        "spanish": 0.7,  # raised 2026-12-02 (s15): 0.750 (15/20)
        "followup": 0.6,  # .700 (7/10)
        "out_of_scope": 0.83,  # raised 2026-12-03 (s19): 0.875 (21/24)
        # .750 (9/12) after the two premise margins fitted to one question each were taken out
        # (h5-079, h5-085; eval/results/s10_tuning_after.txt had .917 with them), less one case;
        # raised 2026-12-01 (s12, the unkinded denial, which reads h5-079 generally): .833 (10/12)
        "false_premise": 0.83,  # raised 2026-12-03 (s20): 0.917 (11/12)
    },
    # Held-out 4 (the headline until 1 December 2026, 13:40 UTC, now retired): its second look
    # (1 December 2026, `qa-service eval`, eval/results/s7_final.txt; the first look,
    # eval/results/s7_first_look.txt, led to the two mends of commit "Two mends of the new
    # declines"), each rate less one case; raised at the end of that day, after it had been
    # tuned on (eval/results/s8_final.txt), to those rates less one case.
    "eval/heldout4.jsonl": {
        "in_scope": 0.81,  # raised 2026-12-02 (s13): 0.824 (75/91)
        "fact": 0.92,  # raised 2026-12-02 (s13): 0.963 (26/27)
        "why": 0.6,  # .667 (10/15)
        "multihop": 0.53,  # .615 (8/13)
        "now": 0.77,  # .889 (8/9)
        "spanish": 0.77,  # raised 2026-12-01 (s11): .833 (15/18)
        "followup": 0.77,  # .889 (8/9)
        "out_of_scope": 0.75,  # raised 2026-12-03 (s21): 0.800 (16/20)
        "false_premise": 0.77,  # raised 2026-12-02 (s13): 0.889 (8/9)
    },
    # Held-out 3 (the headline until the end of 1 December 2026, now retired): its second look
    # (after the merge of that day's work; `qa-service eval eval/heldout3.jsonl …`, eval/results/s6_after.txt), each rate less
    # one case; why and false_premise raised after its fourth look (eval/results/s6_final.txt,
    # the why-answer work). Nothing was tuned on it.
    "eval/heldout3.jsonl": {
        "in_scope": 0.82,  # raised 2026-12-03 (s20): 0.829 (126/152)
        "fact": 0.82,  # raised 2026-12-03 (s20): 0.844 (38/45)
        "why": 0.8,  # raised 2026-12-02 (s14): 0.840 (21/25)
        "multihop": 0.77,  # raised 2026-12-02 (s13): 0.818 (18/22)
        "now": 0.8,  # raised 2026-12-02 (s14): 0.867 (13/15)
        "spanish": 0.7,  # raised 2026-12-01 (s7): .733 (22/30), less one case
        "followup": 0.86,  # .933 (14/15)
        # raised 1 December 2026 (s7-oos: the asked-noun and figure-year declines): .364 (12/33)
        # by `qa-service eval --no-baselines` on the six tuning sets, less one case
        "out_of_scope": 0.69,  # raised 2026-12-03 (s19): 0.727 (24/33)
        "false_premise": 0.93,  # raised 2026-12-02 (s15): 1.000 (15/15)
    },
    "eval/heldout2.jsonl": {
        "in_scope": 0.78,  # raised 2026-12-03 (s21): 0.793 (111/140)
        "fact": 0.8,  # raised 2026-12-03 (s21): 0.833 (35/42)
        "why": 0.83,  # raised 2026-12-02 (s17): 0.875 (21/24)
        "multihop": 0.63,  # raised 2026-12-01 (s7): .684 (13/19), less one case
        "now": 0.57,  # raised 2026-12-02 (s14): 0.643 (9/14)
        # raised 2026-12-01 (s6: "now" recency, Latin American political words): .667 by
        # `qa-service eval --no-baselines` on the five tuning sets, less one case
        "spanish": 0.74,  # raised 2026-12-02 (s13): 0.778 (21/27)
        "followup": 0.78,
        # raised 1 December 2026 from 0.12 (s5-honest: learned decline of figure questions,
        # verb-ordered directions): 0.265 (9/34) by `qa-service eval --no-baselines` on
        # eval/heldout2.jsonl, less one case; from 0.23 (s7-oos: the asked-noun and figure-year
        # declines): .405 (15/37), less one case
        "out_of_scope": 0.64,  # raised 2026-12-02 (s15): 0.676 (25/37)
        "false_premise": 0.93,  # raised 2026-12-02 (s14): 1.000 (15/15)
    },
    "eval/heldout.jsonl": {
        "in_scope": 0.74,  # raised 2026-12-02 (s13): 0.753 (113/150)
        "fact": 0.73,  # raised 2026-12-02 (s13): 0.761 (35/46)
        "why": 0.8,  # raised 2026-12-02 (s13): 0.857 (18/21)
        "multihop": 0.47,  # raised 2026-12-02 (s13): 0.529 (9/17)
        # now raised 2026-12-01 (s6: "now" recency): .800 by the same eval, less one case.
        # Spanish stays .54: .636 before the second corpus edit of that day, .591 (13/22) after
        # it (b-178, "¿quién es el canciller … actualmente?", lost its 2026 sentence to a
        # re-chunked document), less one case.
        "now": 0.73,
        "spanish": 0.77,  # raised 2026-12-02 (s13): 0.818 (18/22)
        "followup": 0.68,  # raised 2026-12-02 (s13): 0.724 (21/29)
        # raised 1 December 2026 from 0.14 (s5-honest): 0.333 (7/21) by the same eval on
        # eval/heldout.jsonl, less one case; from 0.28 (s7-oos: the asked-noun and figure-year
        # declines): .522 (12/23), less one case
        "out_of_scope": 0.73,  # raised 2026-12-03 (s22): 0.783 (18/23)
        "false_premise": 0.83,  # raised 2026-12-02 (s13): 0.917 (11/12)
    },
    "eval/regression/shared_dev.jsonl": {"fact": 0.89, "followup": 0.5, "out_of_scope": 0.75},
    # out_of_scope lowered 0.75 -> 0.6 on 2026-12-01 because the SET changed, not the service: the
    # corpus edit of issue 11 removed the answers of economy-10 and economy-11 (their only sources
    # were republished copies), so both became out-of-scope cases (8 -> 10), and both are answered
    # with a nearby fact; measured 0.70 (7/10) by `qa-service eval ... eval/regression/project.jsonl`,
    # less one case. Raised 0.6 -> 0.8 (s7-oos: economy-10, a 2025 figure answered with 2024's, is
    # declined by the figure-year check): 0.90 (9/10), less one case. followup raised 0.81 -> 0.85
    # on 2026-12-02 (s14, eval/results/s14_tuning_after.txt): 0.929 (13/14), less one case.
    "eval/regression/project.jsonl": {"fact": 0.82, "followup": 0.85, "out_of_scope": 0.8},
}


@pytest.fixture(scope="module")
def corpus_service(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> QAService:
    """The service over the real corpus, built into a folder of its own."""
    settings = Settings(
        corpus_dir=ROOT / "corpus", index_dir=tmp_path_factory.mktemp("real") / "index"
    )
    build_index(settings, embedder, progress=False)
    return QAService(settings, embedder)


def _rates(service: QAService, name: str) -> dict[str, float]:
    res = evaluate_cases(
        service, load_cases(ROOT / name), baselines=False, verbose=False, echo=lambda _: None
    )
    kinds = res["kinds"]
    assert isinstance(kinds, dict)
    return {kind: float(row["ok"]) for kind, row in kinds.items()}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_stays_above_its_floors(corpus_service: QAService, name: str) -> None:
    rates = _rates(corpus_service, name)
    below = {
        k: (rates.get(k), floor) for k, floor in FLOORS[name].items() if rates.get(k, 0.0) < floor
    }
    assert not below, f"{name}: below floor (rate, floor): {below}"
