"""Mutation check: break one behaviour at a time and show which tests notice.

Each mutation edits a temporary copy of src/ (never the working tree): switching off chunk
overlap, flattening the sentence scorer (every sentence scores the same), and a decider that
never declines. The named tests run against the copy (PYTHONPATH points at it) and the
script prints which failed. A mutation no test catches exits 1.

    python scripts/mutation_check.py             # fast and model tests
    python scripts/mutation_check.py --fast-only # only the fast tier (seconds, no model)
    python scripts/mutation_check.py --only decline  # one mutation
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True, kw_only=True)
class Mutation:
    """One deliberate break: a regex edit of one module, and the tests that should catch it."""

    name: str
    module: str  # file under src/qa_service
    pattern: str
    replacement: str
    fast_tests: tuple[str, ...]
    slow_tests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.fast_tests and not self.slow_tests:
            raise ValueError(f"mutation {self.name!r} names no test")
        re.compile(self.pattern)

    def apply(self, src: Path) -> None:
        """Edit the copy; exactly one match, so a refactor that moves the code is noticed."""
        path = src / "qa_service" / self.module
        text = path.read_text(encoding="utf-8")
        mutated, n = re.subn(self.pattern, self.replacement, text)
        if n != 1:
            raise SystemExit(
                f"{self.name}: {self.pattern!r} matches {n} times in {self.module} "
                "(expected 1): update the mutation to the code as it is now"
            )
        path.write_text(mutated, encoding="utf-8")

    def tests(self, fast_only: bool) -> tuple[str, ...]:
        """The node ids to run: the fast ones, and the model ones unless `fast_only`."""
        return self.fast_tests if fast_only else self.fast_tests + self.slow_tests


MUTATIONS = (
    Mutation(
        name="chunk overlap off",
        module="chunking.py",
        pattern=r"if not heading_break and self\.overlap:",
        replacement="if False:",
        fast_tests=(
            "tests/test_chunking.py::test_chunks_keep_the_budget_and_repeat_the_last_sentence_of_the_one_before",
            "tests/test_chunking.py::test_two_sentences_of_overlap_repeat_two",
        ),
        slow_tests=("tests/test_answers.py::test_chunker_respects_token_budget_and_overlap",),
    ),
    Mutation(
        name="sentence scorer flat (equal scores)",
        module="scoring.py",
        pattern=r"(\n[ \t]+)return .*\bx @ w\b.*",
        replacement=r"\1return np.zeros(len(x))",
        fast_tests=(
            "tests/test_pure_stages.py::test_the_default_scorer_ranks_by_every_weighted_feature",
            "tests/test_pure_stages.py::test_the_scorer_prefers_the_sentence_closest_in_meaning_and_words",
        ),
        slow_tests=("tests/test_answers.py::test_answer_picks_the_sentence_that_answers",),
    ),
    Mutation(
        name="decline check off (never declines)",
        module="deciding.py",
        pattern=r'(\n([ \t]+)if not hits or not scored\.candidates:\n[ \t]+return Decision\("nothing_retrieved"\)\n)',
        replacement=r'\1\2return Decision("answer", scored.candidates, scored.scores)\n',
        fast_tests=(),
        slow_tests=(
            "tests/test_answers.py::test_out_of_scope_question_is_declined",
            "tests/test_answers.py::test_a_question_near_the_corpus_it_cannot_answer_is_declined",
        ),
    ),
)


def copy_source(into: Path) -> Path:
    """A copy of src/ to mutate; returns its root (what PYTHONPATH points at)."""
    src = into / "src"
    shutil.copytree(REPO / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return src


def run_tests(src: Path, tests: tuple[str, ...], timeout: float) -> dict[str, str]:
    """Run `tests` against the code in `src`; 'passed' or 'FAILED' per test case."""
    report = src.parent / "report.xml"
    env = {**os.environ, "PYTHONPATH": str(src), "HF_HUB_OFFLINE": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "import qa_service; print(qa_service.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not where.startswith(str(src)):  # the copy, not an installed package, must be tested
        raise SystemExit(f"qa_service imports from {where}, not from the copy in {src}")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    cmd += [f"--junitxml={report}", *tests]
    subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, timeout=timeout)
    return parse_report(report)


def parse_report(report: Path) -> dict[str, str]:
    """Test outcomes from pytest's JUnit XML, keyed by file::name."""
    if not report.exists():
        return {"(pytest did not run)": "FAILED"}
    out: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        module = case.get("classname", "").replace(".", "/") + ".py"
        key = f"{module}::{case.get('name')}"
        failed = any(case.find(tag) is not None for tag in ("failure", "error"))
        skipped = case.find("skipped") is not None
        out[key] = "FAILED" if failed else "skipped" if skipped else "passed"
    report.unlink()
    return out


def check(
    mutation: Mutation | None, fast_only: bool, timeout: float, only: str | None = None
) -> dict[str, str]:
    """Outcomes of the tests of one mutation (None: its tests on the unchanged copy)."""
    with tempfile.TemporaryDirectory(prefix="qa-mutant-") as tmp:
        src = copy_source(Path(tmp))
        if mutation is None:
            chosen = [m for m in MUTATIONS if not only or m.name.startswith(only)]
            tests = tuple(t for m in chosen for t in m.tests(fast_only))
            return run_tests(src, tuple(dict.fromkeys(tests)), timeout)
        mutation.apply(src)
        return run_tests(src, mutation.tests(fast_only), timeout)


def main() -> int:
    """Baseline first (every named test must pass unchanged), then each mutation."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast-only", action="store_true", help="run only the fast tests")
    parser.add_argument("--only", help="run only the mutation whose name starts with this")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per pytest run")
    args = parser.parse_args()
    baseline = check(None, args.fast_only, args.timeout, args.only)
    broken = [t for t, r in baseline.items() if r != "passed"]
    if broken or not baseline:
        print("baseline: these tests fail without any mutation:", *broken, sep="\n  ")
        return 2
    print(f"baseline: {len(baseline)} test cases pass on the unchanged code\n")
    survivors = []
    for m in MUTATIONS:
        if args.only and not m.name.startswith(args.only):
            continue
        if not m.tests(args.fast_only):
            print(f"{m.name}: no fast test names it (run without --fast-only)")
            continue
        outcomes = check(m, args.fast_only, args.timeout)
        fast = {t for t in outcomes if t.split("[")[0] in m.fast_tests}
        caught = [t for t, r in outcomes.items() if r == "FAILED"]
        print(f"{m.name}: caught by {len(caught)} test(s), {len(fast & set(caught))} fast")
        for t, r in outcomes.items():
            print(f"  {r:7} {'fast' if t in fast else 'slow'}  {t}")
        if not caught:
            survivors.append(m.name)
    print("\nsurvived: " + ", ".join(survivors) if survivors else "\nevery mutation was caught")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
