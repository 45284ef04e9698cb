"""`make bench`: run every `benchmarks/bench_*.py` module's `main()`, print one table and
write `benchmarks/results/` (one JSON per module, summary.json, summary.md, PNG plots),
with the machine the figures were measured on.

    python benchmarks/run.py                 # everything
    python benchmarks/run.py latency scale   # only modules whose name contains a word
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402

ORDER = ("latency", "throughput", "build_rate", "cold_start", "scale")


def modules(words: list[str]) -> list[Path]:
    """bench_*.py files, the core figures first, then any others alphabetically."""
    found = sorted(HERE.glob("bench_*.py"))

    def key(p: Path) -> tuple[int, str]:
        name = p.stem.removeprefix("bench_")
        return (ORDER.index(name) if name in ORDER else len(ORDER), name)

    found.sort(key=key)
    return [p for p in found if not words or any(w in p.stem for w in words)]


def run_one(path: Path) -> tuple[dict[str, Any] | None, float, str | None]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = mod  # so a spawned load-generator process can import it by name
    t = time.perf_counter()
    try:
        spec.loader.exec_module(mod)
        out = mod.main()
        return (out if isinstance(out, dict) else None), time.perf_counter() - t, None
    except Exception:
        return None, time.perf_counter() - t, traceback.format_exc()


def fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"
    return "" if x is None else str(x)


def table(rows: list[dict[str, Any]]) -> str:
    """A Markdown table: it prints readably and pastes into the README as is."""
    head = ["figure", "median", "min", "max", "unit", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        lines.append(
            "| "
            + " | ".join(
                [
                    r["figure"],
                    fmt(r["median"]),
                    fmt(r["min"]),
                    fmt(r["max"]),
                    r.get("unit", ""),
                    r.get("target", ""),
                    met,
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    common.WORK.mkdir(parents=True, exist_ok=True)
    info = common.machine()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    print(
        f"machine: {info['cpu']}, {info['usable_cores']} cores, {info['ram_gb']} GB RAM, "
        f"torch {info.get('torch')}, faiss {info.get('faiss')}",
        flush=True,
    )
    all_rows: list[dict[str, Any]] = []
    runs: dict[str, Any] = {}
    failed = []
    for path in modules(argv):
        name = path.stem.removeprefix("bench_")
        print(f"\n== {name}", flush=True)
        out, seconds, error = run_one(path)
        runs[name] = {"seconds": round(seconds, 1), "error": error}
        if error:
            failed.append(name)
            print(error, file=sys.stderr, flush=True)
            continue
        rows = [dict(r, bench=name) for r in (out or {}).get("rows", [])]
        all_rows.extend(rows)
        if out is not None:
            common.save_json(name, {"machine": info, "measured_at": started, **out})
        if rows:
            print(table(rows), flush=True)
        print(f"({seconds:.0f} s)", flush=True)
    if argv:  # a partial run keeps the other benchmarks' figures from the last summary
        old = common.RESULTS / "summary.json"
        if old.exists():
            prev = json.loads(old.read_text(encoding="utf-8"))
            kept = [r for r in prev.get("rows", []) if r.get("bench") not in runs]
            all_rows = kept + all_rows
            runs = {
                **{k: v for k, v in prev.get("benchmarks", {}).items() if k not in runs},
                **runs,
            }
    summary = {"machine": info, "measured_at": started, "benchmarks": runs, "rows": all_rows}
    common.save_json("summary", summary)
    md = (
        f"Measured {started} on {info['cpu']} ({info['usable_cores']} cores, {info['ram_gb']} GB RAM), "
        f"Python {info['python']}, torch {info.get('torch')}, faiss {info.get('faiss')}.\n\n{table(all_rows)}\n"
    )
    (common.RESULTS / "summary.md").write_text(md, encoding="utf-8")
    print("\n== all figures\n" + table(all_rows))
    print(f"\nresults in {common.RESULTS}" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
