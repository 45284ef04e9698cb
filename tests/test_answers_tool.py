"""scripts/answers.py, the tuning tool: it refuses the headline held-out and every later one (they
are never tuned on), counts the retired ones as tuning sets, and raises a floor only to a dump's
rate less one case."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa_service.evaluation import HELDOUT

pytestmark = pytest.mark.fast
ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("answers_tool", ROOT / "scripts" / "answers.py")
assert _spec and _spec.loader
answers = importlib.util.module_from_spec(_spec)
sys.modules["answers_tool"] = answers
_spec.loader.exec_module(answers)


def _number(path: Path) -> int:
    return int(path.stem.removeprefix("heldout"))


def test_the_headline_and_later_held_outs_are_refused() -> None:
    n = _number(HELDOUT)
    assert answers.forbidden(HELDOUT.as_posix())
    assert answers.forbidden(f"eval/heldout{n + 1}.jsonl")
    assert not answers.forbidden(f"eval/heldout{n - 1}.jsonl")
    assert not answers.forbidden("eval/heldout.jsonl")
    assert HELDOUT.as_posix() not in answers.tuning_sets()
    assert f"eval/heldout{n - 1}.jsonl" in answers.tuning_sets()
    result = CliRunner().invoke(answers.app, ["dump", "--out", "/dev/null", HELDOUT.as_posix()])
    assert result.exit_code != 0 and "never tuned on" in result.output


def _line(kind: str, ok: bool, i: int) -> str:
    return answers.Line(
        id=f"x{i}",
        set="eval/heldout5.jsonl",
        kind=kind,
        question="q",
        ok=ok,
        first=ok,
        found=ok,
        answer="a",
    ).model_dump_json()


def test_floors_rise_to_the_rate_less_one_case(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    # 20 fact cases, all ok: the floor may rise to 0.95 (19/20); 4 out-of-scope, 1 ok: 0/4 = 0.
    lines = [_line("fact", True, i) for i in range(20)]
    lines += [_line("out_of_scope", i == 0, 20 + i) for i in range(4)]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(answers.app, ["floors", str(dump), "t"])
    assert result.exit_code == 0, result.output
    text = answers.QUALITY.read_text(encoding="utf-8")
    block = text[text.find('"eval/heldout5.jsonl"') :]
    fact = float(block.split('"fact": ', 1)[1].split(",", 1)[0])
    assert (f"fact: {fact} -> 0.95 (20/20)" in result.output) == (fact < 0.95)
    assert "out_of_scope" not in result.output


def test_rules_are_the_answer_stages_switches_and_refuse_what_is_not_one() -> None:
    from qa_service.config import Settings

    names = answers.rule_settings()
    defaults = Settings()
    assert names and all(getattr(defaults, n) is True for n in names)
    assert "decline_other_measure" in names and "spanish_final_el" in names
    assert not answers.NOT_RULES & set(names)
    result = CliRunner().invoke(answers.app, ["rules", HELDOUT.as_posix()])
    assert result.exit_code != 0 and "never tuned on" in result.output
    result = CliRunner().invoke(
        answers.app, ["rules", "eval/heldout.jsonl", "--ids", "x", "--only", "request_log"]
    )
    assert result.exit_code != 0 and "not a rule setting" in result.output
