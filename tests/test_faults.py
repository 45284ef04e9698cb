"""Faults on disk, seen the way a person sees them: through the `qa-service` command in a
subprocess. A broken index or corpus file gets one clear line naming the file (and line)
and what to do, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa_service.config import Settings
from qa_service.index import IndexUnavailableError, current_path, load_index
from tests.conftest import write_corpus

CLI = Path(sys.executable).with_name("qa-service")


def run_cli(*args: str, corpus: Path, index: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "QA_CORPUS_DIR": str(corpus),
        "QA_INDEX_DIR": str(index),
    }
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=300)


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: max(1, p.stat().st_size // 2)])


def _empty(p: Path) -> None:
    p.write_bytes(b"")


INDEX_FAULTS = [
    ("faiss.index", _truncate),
    ("vectors.npy", _truncate),
    ("sentence_vectors.npy", _empty),
    ("chunks.jsonl", Path.unlink),
    ("manifest.json", _truncate),
    ("terms.json", _empty),
    ("bm25/vocab.index.json", Path.unlink),
    ("bm25/data.csc.index.npy", _truncate),
    ("documents.jsonl", _empty),
]


def _damaged_copy(src: Path, dst: Path, name: str, damage) -> Path:  # type: ignore[no-untyped-def]
    shutil.copytree(src, dst)
    target = current_path(dst) / name  # type: ignore[operator]
    damage(target)
    return target


@pytest.mark.parametrize(("name", "damage"), INDEX_FAULTS, ids=[f[0] for f in INDEX_FAULTS])
def test_every_damaged_index_file_is_named(
    tmp_path: Path, small_settings: Settings, name: str, damage
) -> None:  # type: ignore[no-untyped-def]
    """In-process, for every kind of file: the loader's error names it and says how to rebuild."""
    target = _damaged_copy(small_settings.index_dir, tmp_path / "index", name, damage)
    with pytest.raises(IndexUnavailableError) as err:
        load_index(tmp_path / "index")
    text = str(err.value)
    assert (str(target) in text or str(target.parent) in text) and "qa-service build --full" in text


CLI_INDEX_FAULTS = [INDEX_FAULTS[0], INDEX_FAULTS[3], INDEX_FAULTS[8]]


@pytest.fixture(scope="module")
def cli_index_runs(
    tmp_path_factory: pytest.TempPathFactory, small_settings: Settings
) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """`qa-service ask` against each damaged copy, run side by side (each loads the model)."""
    root = tmp_path_factory.mktemp("damaged")
    jobs = {}
    for name, damage in CLI_INDEX_FAULTS:
        index = root / name.replace("/", "_")
        jobs[name] = (_damaged_copy(small_settings.index_dir, index, name, damage), index)
    jobs["(no index)"] = (root / "nothing" / "CURRENT", root / "nothing")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            k: pool.submit(
                run_cli,
                "ask",
                "When was APRA founded?",
                corpus=small_settings.corpus_dir,
                index=index,
            )
            for k, (_, index) in jobs.items()
        }
        return {k: (jobs[k][0], f.result()) for k, f in futures.items()}


@pytest.mark.parametrize("name", [f[0] for f in CLI_INDEX_FAULTS] + ["(no index)"])
def test_ask_with_damaged_index_names_the_file_and_the_fix(cli_index_runs, name: str) -> None:  # type: ignore[no-untyped-def]
    target, r = cli_index_runs[name]
    assert r.returncode != 0
    assert "Traceback" not in r.stderr + r.stdout
    assert str(target) in r.stderr, r.stderr
    assert "qa-service build" in r.stderr


FM = "---\ntitle: A document\npublished: 2020-01-01\nsources:\n  - title: s\n    url: https://example.org/s\n---\n"
CORPUS_FAULTS = [
    (
        "latin-1",
        ("---\ntitle: Caf\xe9\npublished: 2020-01-01\n---\nBody.\n").encode("latin-1"),
        2,
        "not UTF-8",
    ),
    (
        "broken-yaml",
        b"---\npublished: 2020-01-01\ntitle: Mexico: Peru\nsources: []\n---\nBody.\n",
        3,
        "not valid YAML",
    ),
    (
        "unclosed",
        b"---\ntitle: ok\npublished: 2020-01-01\nThe body starts but the front matter never ends.\n",
        1,
        "never closed",
    ),
    ("bad-date", FM.replace("2020-01-01", "someday").encode(), 3, "published"),
    ("empty", b"", 1, "empty"),
    ("no-body", FM.encode(), 1, "no body text"),
]


@pytest.mark.fast
@pytest.mark.parametrize(
    ("doc_id", "data", "line", "words"), CORPUS_FAULTS, ids=[f[0] for f in CORPUS_FAULTS]
)
def test_bad_corpus_file_reported_by_name_and_line(
    tmp_path: Path, doc_id: str, data: bytes, line: int, words: str
) -> None:
    """Parsed directly: fast, and every kind of fault is covered."""
    from qa_service.corpus import CorpusError, load_corpus

    corpus = write_corpus(tmp_path / "corpus")
    (corpus / f"{doc_id}.md").write_bytes(data)
    with pytest.raises(CorpusError) as err:
        load_corpus(corpus)
    assert err.value.path == corpus / f"{doc_id}.md" and err.value.line == line
    assert str(err.value).startswith(f"{corpus / doc_id}.md:{line}: ") and words in str(err.value)


CLI_CORPUS_FAULTS = [CORPUS_FAULTS[0], CORPUS_FAULTS[1], CORPUS_FAULTS[4]]


@pytest.fixture(scope="module")
def cli_build_runs(
    tmp_path_factory: pytest.TempPathFactory, small_settings: Settings
) -> dict[str, tuple[Path, Path, str, subprocess.CompletedProcess[str]]]:
    """`qa-service build` over a corpus holding each bad file, beside a good index, side by side."""
    root = tmp_path_factory.mktemp("badcorpus")
    jobs = {}
    for doc_id, data, _line, _words in CLI_CORPUS_FAULTS:
        corpus = write_corpus(root / doc_id / "corpus")
        (corpus / f"{doc_id}.md").write_bytes(data)
        index = root / doc_id / "index"
        shutil.copytree(small_settings.index_dir, index)
        jobs[doc_id] = (corpus, index, (index / "CURRENT").read_text())
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            k: pool.submit(run_cli, "build", corpus=c, index=i) for k, (c, i, _) in jobs.items()
        }
        return {k: (*jobs[k], f.result()) for k, f in futures.items()}


@pytest.mark.parametrize(
    ("doc_id", "data", "line", "words"), CLI_CORPUS_FAULTS, ids=[f[0] for f in CLI_CORPUS_FAULTS]
)
def test_build_reports_bad_corpus_file_without_traceback(
    cli_build_runs, doc_id: str, data: bytes, line: int, words: str
) -> None:  # type: ignore[no-untyped-def]
    corpus, index, before, r = cli_build_runs[doc_id]
    assert r.returncode != 0 and "Traceback" not in r.stderr + r.stdout
    assert f"{corpus / doc_id}.md:{line}:" in r.stderr and words in r.stderr, r.stderr
    assert "left as it was" in r.stderr
    assert (index / "CURRENT").read_text() == before
