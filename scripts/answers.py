"""Tuning tool: dump every tuning case's answer, and compare two dumps case by case.

A round of tuning measures a change as cases gained and lost, not as a rate: `dump` writes one
JSON line per case (set, kind, question, ok, first sentence ok, declined, answer) with the
settings the environment gives (`QA_*`), and `compare` says which cases moved between two dumps,
split into DEV (tuning sets read freely) and CHECK (held-outs 1-4 and the fresh Spanish set,
counted only). The headline held-out and every later one are refused: they are never tuned on.

    PYTHONPATH=src .venv/bin/python scripts/answers.py dump --out /tmp/base.jsonl
    PYTHONPATH=src .venv/bin/python scripts/answers.py dump --shard 1/2 --out /tmp/a1.jsonl &
    QA_SOME_SETTING=0 PYTHONPATH=src .venv/bin/python scripts/answers.py dump \
        --ids-from /tmp/base.jsonl --ids h12-079,h9-012 --out /tmp/off.jsonl
    PYTHONPATH=src .venv/bin/python scripts/answers.py compare /tmp/base.jsonl /tmp/new.jsonl
    PYTHONPATH=src .venv/bin/python scripts/answers.py floors /tmp/new.jsonl s22 [--write]
    PYTHONPATH=src .venv/bin/python scripts/answers.py rules eval/heldout19.jsonl --ids h19-017,h19-021

`rules` answers the chosen cases once as configured, then once with each rule setting (every
default-true boolean setting but the logs) switched off, and prints what each gains and loses.

`floors` raises tests/test_quality.py's floors where a dump's rate, less one case, is above them.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel

from qa_service.config import Settings, get_settings
from qa_service.evaluation import DEFAULT_SETS, HELDOUT, IN_SCOPE, Case, judge, load_cases
from qa_service.service import QAService

app = typer.Typer(add_completion=False, no_args_is_help=True)
CHECK_SETS = frozenset(
    {
        "eval/heldout.jsonl",
        "eval/heldout2.jsonl",
        "eval/heldout3.jsonl",
        "eval/heldout4.jsonl",
        "eval/spanish_fresh.jsonl",
    }
)
_NUMBER = re.compile(r"heldout(\d+)\.jsonl$")


def _held_number(path: str) -> int | None:
    m = _NUMBER.search(path)
    return int(m.group(1)) if m else None


def forbidden(path: str) -> bool:
    """The headline held-out and every held-out written after it are never tuned on."""
    n, headline = _held_number(path), _held_number(HELDOUT.as_posix())
    return n is not None and headline is not None and n >= headline


def tuning_sets() -> list[str]:
    """Every default set that may be tuned on, in the order `qa-service eval` reports them."""
    return [p.as_posix() for p in DEFAULT_SETS if not forbidden(p.as_posix())]


class Line(BaseModel):
    """One case's answer as dumped."""

    id: str
    set: str
    kind: str
    question: str
    ok: bool
    first: bool
    found: bool
    answer: str


def _cases(paths: list[str], wanted: set[str]) -> list[tuple[str, Case]]:
    """The cases of the sets (all, or only the wanted ids), refusing any set never tuned on."""
    bad = [p for p in paths if forbidden(p)]
    if bad:
        raise typer.BadParameter(f"never tuned on: {', '.join(bad)}")
    return [(p, c) for p in paths for c in load_cases(Path(p)) if not wanted or c.id in wanted]


def _answer(service: QAService, path: str, case: Case) -> Line:
    """One case answered and judged as `qa-service eval` judges it."""
    composed, hits = service.answer(case.question, case.history)
    texts = [service.state.data.chunks[h.row].text for h in hits[:5]]
    o = judge(case, composed, texts)
    return Line(
        id=case.id,
        set=path,
        kind=case.kind,
        question=case.question,
        ok=o.ok,
        first=o.first_ok,
        found=o.found,
        answer=o.answer,
    )


def _ids(ids: str, ids_file: Path | None) -> set[str]:
    wanted = {i.strip() for i in ids.split(",") if i.strip()}
    if ids_file:
        wanted |= {w for w in re.split(r"[\s,]+", ids_file.read_text(encoding="utf-8")) if w}
    return wanted


@app.command()
def dump(
    out: Annotated[Path, typer.Option(help="JSONL to write, one line per case.")],
    files: Annotated[list[str] | None, typer.Argument(help="Sets (default: tuning)")] = None,
    ids: Annotated[str, typer.Option(help="Only these case ids, comma-separated.")] = "",
    ids_file: Annotated[Path | None, typer.Option(help="Only the ids in this file.")] = None,
    shard: Annotated[str, typer.Option(help="I/N: every Nth case from the Ith.")] = "1/1",
) -> None:
    """Answer every case of the sets with the environment's settings and write the outcomes."""
    i, n = (int(x) for x in shard.split("/"))
    cases = _cases(files or tuning_sets(), _ids(ids, ids_file))[i - 1 :: n]
    service = QAService(get_settings())
    with out.open("w", encoding="utf-8") as f:
        for path, case in cases:
            f.write(_answer(service, path, case).model_dump_json() + "\n")
    typer.echo(f"{len(cases)} cases -> {out}")


# Settings that switch a reading or a decline of the answer stage, not an operation of the service.
NOT_RULES = frozenset({"request_log", "log_questions"})


def rule_settings() -> list[str]:
    """The answer stage's rules: every boolean setting that is on by default, but the logs."""
    return [
        name
        for name, field in Settings.model_fields.items()
        if field.annotation is bool and field.default is True and name not in NOT_RULES
    ]


@app.command()
def rules(
    files: Annotated[list[str], typer.Argument(help="Sets the cases are in (tuning sets only).")],
    ids: Annotated[str, typer.Option(help="Only these case ids, comma-separated.")] = "",
    ids_file: Annotated[Path | None, typer.Option(help="Only the ids in this file.")] = None,
    only: Annotated[str, typer.Option(help="Only these rules, comma-separated.")] = "",
) -> None:
    """Each rule's worth on the cases: what switching it off alone gains (+) and loses (-)."""
    cases = _cases(files, _ids(ids, ids_file))
    base = get_settings()
    known = rule_settings()
    names = [r.strip() for r in only.split(",") if r.strip()] or known
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise typer.BadParameter(f"not a rule setting: {', '.join(unknown)}")
    service = QAService(base)
    ref = {c.id: _answer(service, p, c).ok for p, c in cases}
    typer.echo(f"{sum(ref.values())} of {len(cases)} cases right with every rule as configured")
    for name in names:
        service = QAService(base.model_copy(update={name: False}))
        now = {c.id: _answer(service, p, c).ok for p, c in cases}
        up = sorted(k for k in now if now[k] and not ref[k])
        down = sorted(k for k in now if ref[k] and not now[k])
        if up or down:
            typer.echo(f"{name} off: +{len(up)} {' '.join(up)}  -{len(down)} {' '.join(down)}")


def _read(path: Path) -> dict[tuple[str, str], Line]:
    lines = (Line.model_validate_json(s) for s in path.read_text(encoding="utf-8").splitlines())
    return {(x.set, x.id): x for x in lines}


@app.command()
def compare(
    base: Path,
    new: Path,
    show: Annotated[bool, typer.Option(help="Print each moved case's question.")] = True,
) -> None:
    """Cases gained and lost (ok, and first sentence) between two dumps, DEV and CHECK apart."""
    a, b = _read(base), _read(new)
    common = sorted(a.keys() & b.keys())
    for part in ("DEV", "CHECK"):
        keys = [k for k in common if (k[0] in CHECK_SETS) == (part == "CHECK")]
        for field in ("ok", "first"):
            up = [k for k in keys if getattr(b[k], field) and not getattr(a[k], field)]
            down = [k for k in keys if getattr(a[k], field) and not getattr(b[k], field)]
            was = sum(getattr(a[k], field) for k in keys)
            now = sum(getattr(b[k], field) for k in keys)
            typer.echo(f"{part} {field}: {was} -> {now} (+{len(up)} -{len(down)}) of {len(keys)}")
            for sign, moved in (("+", up), ("-", down)):
                for k in moved:
                    q = f" {b[k].question[:90]!r}" if show else ""
                    typer.echo(f"   {sign} {k[1]} [{b[k].kind}]{q}")
    changed = sum(a[k].answer != b[k].answer for k in common)
    only = len(a.keys() ^ b.keys())
    typer.echo(f"answers changed: {changed} of {len(common)}; in one dump only: {only}")


QUALITY = Path(__file__).resolve().parent.parent / "tests" / "test_quality.py"


def _counts(lines: list[Line]) -> dict[str, tuple[int, int]]:
    """(ok, n) per kind, and over the in-scope kinds as `in_scope`."""
    by: dict[str, list[bool]] = defaultdict(list)
    for x in lines:
        by[x.kind].append(x.ok)
        if x.kind in IN_SCOPE:
            by["in_scope"].append(x.ok)
    return {k: (sum(v), len(v)) for k, v in by.items()}


@app.command()
def floors(
    dump_file: Path,
    tag: Annotated[str, typer.Argument(help="Round tag for the comment, e.g. s22.")],
    write: Annotated[bool, typer.Option(help="Edit tests/test_quality.py in place.")] = False,
) -> None:
    """Floors a dump would raise: its rate less one case, two decimals, where above the floor."""
    by_set: dict[str, list[Line]] = defaultdict(list)
    for x in _read(dump_file).values():
        by_set[x.set].append(x)
    text = QUALITY.read_text(encoding="utf-8")
    for name, lines in sorted(by_set.items()):
        start = text.find(f'    "{name}": {{')
        if start < 0:
            continue
        end = text.find("\n    }", start)
        block = text[start:end]
        for kind, (ok, n) in sorted(_counts(lines).items()):
            new = math.floor(100 * (ok - 1) / n) / 100
            line = re.search(rf'^( +"{kind}": )([0-9.]+),(.*)$', block, re.MULTILINE)
            if not line or new <= float(line.group(2)):
                continue
            typer.echo(f"{name} {kind}: {line.group(2)} -> {new} ({ok}/{n})")
            stamp = f"  # raised {date.today().isoformat()} ({tag}): {ok / n:.3f} ({ok}/{n})"
            block = block.replace(line.group(0), f"{line.group(1)}{new},{stamp}")
        text = text[:start] + block + text[end:]
    if write:
        QUALITY.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    app()
