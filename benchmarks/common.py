"""Shared helpers for the benchmarks: statistics, the machine, a built index of the real
corpus in a temp dir, a `qa-service serve` subprocess on a free loopback port, and files.

Every `bench_*.py` module has `main() -> dict | None`. A dict may carry `"rows"`: a list
of table rows `{"figure", "median", "min", "max", "unit", "target", "met"}` that
`run.py` prints and saves; anything else in the dict is saved as the module's JSON.
"""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CORPUS = ROOT / "corpus"
WORK = Path(os.environ.get("QA_BENCH_TMP", Path(tempfile.gettempdir()) / "qa-bench"))
VENV_BIN = Path(sys.executable).parent


def summarize(samples: Sequence[float]) -> dict[str, float]:
    """Median with min and max (and p95, n) of repeated measurements."""
    xs = sorted(float(x) for x in samples)
    return {
        "median": statistics.median(xs),
        "min": xs[0],
        "max": xs[-1],
        "p95": percentile(xs, 95),
        "n": len(xs),
    }


def percentile(samples: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without importing numpy here."""
    xs = sorted(samples)
    if not xs:
        return float("nan")
    pos = (len(xs) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def row(
    figure: str, samples: Sequence[float], unit: str, target: str = "", ok: bool | None = None
) -> dict[str, Any]:
    """One table row: the median of `samples` with its min and max."""
    s = summarize(samples)
    return {
        "figure": figure,
        "median": s["median"],
        "min": s["min"],
        "max": s["max"],
        "n": s["n"],
        "unit": unit,
        "target": target,
        "met": ok,
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu": cpu,
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    for mod in ("torch", "faiss", "sentence_transformers", "numpy", "uvicorn", "fastapi"):
        with suppress(Exception):
            info[mod] = __import__(mod).__version__
    return info


def questions(limit: int | None = None) -> list[str]:
    """The project's own question set: realistic lengths and vocabulary."""
    path = ROOT / "eval" / "train.jsonl"  # the set was split into train and held-out
    qs = [
        json.loads(line)["question"]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return qs[:limit] if limit else qs


@lru_cache(maxsize=1)
def embedder():  # type: ignore[no-untyped-def]
    """The service's embedder, loaded once per benchmark process."""
    from qa_service.embedding import Embedder

    return Embedder()


def settings_for(index_dir: Path, corpus_dir: Path = CORPUS, **kw: Any):  # type: ignore[no-untyped-def]
    from qa_service.config import Settings

    return Settings(corpus_dir=corpus_dir, index_dir=index_dir, rate_limit_per_minute=0, **kw)


@lru_cache(maxsize=1)
def built_index() -> Path:
    """The real corpus built once into a temp dir (incremental: a second run reuses it)."""
    from qa_service.index import build_index

    index_dir = WORK / "index"
    build_index(settings_for(index_dir), embedder(), progress=False)
    return index_dir


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(index_dir: Path) -> dict[str, str]:
    """Environment of a benchmark server: the temp index, no rate limit (it would 429 the load)."""
    env = dict(os.environ)
    env.update(
        QA_INDEX_DIR=str(index_dir),
        QA_CORPUS_DIR=str(CORPUS),
        QA_RATE_LIMIT_PER_MINUTE="0",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )
    return env


class Server:
    """A `qa-service serve` subprocess on a free loopback port."""

    def __init__(self, index_dir: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(WORK / f"serve-{self.port}.log", "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "qa-service"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            env={**server_env(index_dir), **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )

    def wait_answer(
        self,
        question: str = "When was the Trade Integration Agreement signed?",
        timeout: float = 180,
    ) -> float:
        """Seconds from launch until the first question is answered."""
        import httpx

        deadline = self.started + timeout
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"server exited with {self.proc.returncode}; see {self.log.name}"
                    )
                try:
                    r = client.post(f"{self.url}/api/ask", json={"question": question})
                    if r.status_code == 200 and r.json()["answer"]:
                        return time.perf_counter() - self.started
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        raise TimeoutError(f"server did not answer within {timeout}s; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@contextmanager
def server(index_dir: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A running server that has answered one question (`env`: extra environment, such as QA_ settings)."""
    WORK.mkdir(parents=True, exist_ok=True)
    s = Server(index_dir, env)
    try:
        s.wait_answer()
        yield s
    finally:
        s.stop()


def save_json(name: str, data: Any) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return path


def pyplot():  # type: ignore[no-untyped-def]
    """matplotlib without a display."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def concurrency_axes(ax: Any, levels: Sequence[int], ylabel: str, title: str) -> None:
    """Axes of an answers-per-second plot over concurrent clients (throughput, workers)."""
    ax.set_xlabel("concurrent clients")
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(levels))
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(loc="lower right")


def save_figure(plt: Any, fig: Any, path: Path) -> None:
    """Lay out, write at the README's resolution, and free the figure."""
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
