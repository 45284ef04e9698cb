"""The index format fingerprint: editing what decides an index's contents forces a rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_service.config import Settings
from qa_service.index_format import (
    FINGERPRINT,
    INDEX_SOURCES,
    Manifest,
    source_fingerprint,
    versions_dir,
)
from qa_service.index_plan import chunking_settings, plan_build
from qa_service.index_versions import write_current
from tests.conftest import write_corpus

TERMS_PY = next(p for p in INDEX_SOURCES if p.name == "terms.py")
WORD_FORM = '    "severed": "break",\n'


@pytest.mark.fast
def test_a_changed_word_list_changes_the_fingerprint(tmp_path: Path) -> None:
    source = TERMS_PY.read_text(encoding="utf-8")
    assert WORD_FORM in source
    copy = tmp_path / "terms.py"
    copy.write_text(source, encoding="utf-8")
    before = source_fingerprint([copy])
    assert before == source_fingerprint([TERMS_PY])
    copy.write_text(source.replace(WORD_FORM, WORD_FORM + '    "sundered": "break",\n'), "utf-8")
    assert source_fingerprint([copy]) != before
    copy.write_text(source.replace("# Irregular verb forms", "# Verb forms"), encoding="utf-8")
    assert source_fingerprint([copy]) == before  # a comment is not a change of format


@pytest.mark.fast
def test_the_fingerprint_covers_every_module_that_shapes_an_index() -> None:
    names = {p.name for p in INDEX_SOURCES}
    assert {"terms.py", "chunking.py", "markup.py", "corpus.py"} <= names
    assert all(p.is_file() for p in INDEX_SOURCES)
    assert source_fingerprint(INDEX_SOURCES) == FINGERPRINT


def _plan_against(tmp_path: Path, fingerprint: str) -> tuple[bool, str | None]:
    """Plan a build of a small corpus against a stored manifest with `fingerprint`."""
    settings = Settings(corpus_dir=write_corpus(tmp_path / "corpus"), index_dir=tmp_path / "index")
    _, docs = plan_build(settings, "model-x")
    manifest = Manifest(
        fingerprint=fingerprint,
        version="v1",
        model="model-x",
        dim=4,
        chunking=chunking_settings(settings),
        built_at="2026-01-01T00:00:00+00:00",
        chunk_count=0,
        sentence_count=0,
        documents={d.doc_id: {"content_hash": d.content_hash, "chunks": 1} for d in docs},
    )
    folder = versions_dir(settings.index_dir) / "v1"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(manifest.model_dump_json(), encoding="utf-8")
    write_current(settings.index_dir, "v1")
    report = plan_build(settings, "model-x")[0].report
    return report.full, report.full_reason


@pytest.mark.fast
def test_an_index_built_with_another_fingerprint_is_rebuilt_in_full(tmp_path: Path) -> None:
    assert _plan_against(tmp_path / "old", "0" * 16) == (True, "index format changed")
    assert _plan_against(tmp_path / "same", FINGERPRINT) == (False, None)
