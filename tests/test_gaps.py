"""The curators' scenario end to end, with the real model and an index of the real corpus:
30 questions over HTTP, 10 of them on three subjects the corpus does not cover; `qa-service
gaps` (the command, on SQLite) and `GET /api/admin/gaps` (on PostgreSQL) must show those
three subjects as the top three clusters with the right counts. (`format_report` is what the
command prints without --json.)"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from qa_service.config import Settings
from qa_service.embedding import Embedder
from qa_service.gaps import GapsReport, format_report, parse_since
from qa_service.index import build_index
from qa_service.question_log import QuestionLog, database_url
from qa_service.service import QAService, settings_env
from tests.conftest import LiveServer, PostgresServer

REPO = Path(__file__).resolve().parents[1]
TOKEN = "curator-token-5678"

COVERED = [
    "How long was Mexican ambassador Pablo Monroy given to leave Peru in December 2022?",
    "Which Peruvian foreign minister announced the expulsion of Mexico's ambassador in December 2022?",
    "On what date did Lilia Paredes and her children arrive in Mexico City?",
    "Where was Pedro Castillo heading when he was detained on 7 December 2022?",
    "What was the vote in Peru's Congress declaring López Obrador persona non grata?",
    "Which Peruvian supreme decree imposed a reciprocal visa on Mexican visitors in April 2024?",
    "Who represented Mexico at the APEC leaders' week in Lima in November 2024?",
    "On what date did the Strategic Partnership Agreement between Mexico and Peru take effect?",
    "To which country did Mexico hand the Pacific Alliance pro tempore presidency in June 2023?",
    "How many products does the Mexico–Peru Trade Integration Agreement cover?",
    "From what date has the CPTPP applied to Peru?",
    "What was the total value of Peru–Mexico trade in 2024 according to Mincetur?",
    "Which mines does Southern Copper operate in Peru?",
    "Since what year had ACE 8 tariff preferences between Mexico and Peru applied?",
    "Who was the first diplomatic envoy Peru sent to Mexico?",
    "In what year did Mexico open its first consulate in Lima?",
    "When did Peru open its embassy in Mexico City?",
    "Which Mexican president was the first to visit Peru?",
    "When was the Caracas Convention on Diplomatic Asylum signed?",
    "How many Peruvian citizens were living in Mexico at the 2020 census?",
]
NOT_COVERED = {
    "football": [
        "Who won the 1970 World Cup match between Peru and Mexico?",
        "When did the Mexican and Peruvian national football teams last play each other?",
        "Which Peruvian footballers have played in the Mexican league?",
        "How many goals did Mexico score against Peru in the Copa América?",
    ],
    "earthquakes": [
        "When was the last big earthquake in Peru?",
        "Did Mexico send rescuers to Peru after the 2007 Pisco earthquake?",
        "How strong was the 2017 Mexico City earthquake?",
    ],
    "weather": [
        "What is the weather like in Lima in July?",
        "When is the rainy season in Cusco?",
        "Does it ever rain in Lima?",
    ],
}


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Settings:
    """The project's own corpus, built into a temporary index."""
    root = tmp_path_factory.mktemp("gaps")
    settings = Settings(
        corpus_dir=REPO / "corpus", index_dir=root / "index", rate_limit_per_minute=0
    )
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture
def scenario(
    request: pytest.FixtureRequest, real_index: Settings, embedder: Embedder, tmp_path: Path
) -> Iterator[tuple[Settings, LiveServer]]:
    """A live server over the real index, logging to a fresh database, after the 30 questions."""
    if request.param == "sqlite":
        url = database_url(str(tmp_path / "questions.sqlite3"), tmp_path)
    else:
        pg: PostgresServer = request.getfixturevalue("postgres")
        url = database_url(pg.create_database("qa_gaps"), tmp_path)
    settings = real_index.model_copy(update={"log_db": url, "admin_token": SecretStr(TOKEN)})
    service = QAService(settings, embedder, question_log=QuestionLog.from_settings(settings))
    outside = [q for qs in NOT_COVERED.values() for q in qs]
    # Interleaved the way people ask: two covered questions, then one the corpus lacks.
    order = [q for i in range(10) for q in (COVERED[2 * i], COVERED[2 * i + 1], outside[i])]
    with LiveServer(settings, service) as server:
        wrong = []
        for q in order:
            body = httpx.post(f"{server.url}/api/ask", json={"question": q}, timeout=60).json()
            if body["found"] != (q in COVERED):
                wrong.append((q, body["found"]))
        assert not wrong, f"the service answered or declined these unexpectedly: {wrong}"
        assert service.question_log is not None and service.question_log.flush()
        assert service.question_log.counts()["questions"] == 30
        yield settings, server
    service.close()


def assert_top_three(report: GapsReport) -> None:
    assert report.questions == 10
    top = report.clusters[:3]
    subjects = []
    for c in top:
        matched = [s for s, qs in NOT_COVERED.items() if set(c.examples) <= set(qs)]
        assert len(matched) == 1, f"a cluster mixes subjects: {c.examples}"
        subjects.append(matched[0])
        assert c.count == len(NOT_COVERED[matched[0]]) == c.declined and c.thumbs_down == 0
        assert len(c.examples) == min(3, c.count) and len(c.nearest) == 3
        assert all(0 < d.score < 1 for d in c.nearest)
    assert (
        sorted(subjects) == sorted(NOT_COVERED) and subjects[0] == "football"
    )  # 4 first, then the two of 3
    assert len(report.clusters) == 3


@pytest.mark.parametrize("scenario", ["sqlite"], indirect=True)
def test_gaps_command_shows_the_three_missing_subjects(scenario) -> None:
    settings, _ = scenario
    env = {**settings_env(settings), "PYTHONPATH": str(REPO / "src")}
    run = subprocess.run(
        [sys.executable, "-m", "qa_service.cli", "gaps", "--since", "1d", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = GapsReport.model_validate_json(run.stdout)
    assert_top_three(report)
    text = format_report(report)  # what the command prints without --json
    assert (
        text.startswith("10 questions declined or voted down")
        and "\n1. 4 questions (4 declined, 0 voted down)" in text
    )
    bad = subprocess.run(
        [sys.executable, "-m", "qa_service.cli", "gaps", "--since", "last tuesday"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2 and "30d" in bad.stderr


@pytest.mark.parametrize("scenario", ["postgresql"], indirect=True)
def test_admin_gaps_endpoint_shows_the_three_missing_subjects(scenario) -> None:
    _settings, server = scenario
    url = f"{server.url}/api/admin/gaps"
    assert httpx.get(url, timeout=30).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer nope"}, timeout=30).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = httpx.get(url, params={"since": "1d"}, headers=auth, timeout=120)
    assert r.status_code == 200, r.text
    assert_top_three(GapsReport.model_validate(r.json()))
    one = httpx.get(url, params={"since": "1d", "limit": 1}, headers=auth, timeout=120).json()
    assert [c["count"] for c in one["clusters"]] == [4]
    bad = httpx.get(url, params={"since": "yesterday-ish"}, headers=auth, timeout=30)
    assert bad.status_code == 422 and "30d" in bad.json()["detail"]
    later = httpx.get(url, params={"since": "2999-01-01"}, headers=auth, timeout=30).json()
    assert later["questions"] == 0 and later["clusters"] == []


def test_parse_since() -> None:
    now = parse_since("2026-11-30T12:00:00+00:00")
    assert parse_since("30d", now).isoformat() == "2026-10-31T12:00:00+00:00"
    assert parse_since("12h", now).isoformat() == "2026-11-30T00:00:00+00:00"
    assert parse_since("2w", now).isoformat() == "2026-11-16T12:00:00+00:00"
    assert parse_since("2026-11-01").isoformat() == "2026-11-01T00:00:00+00:00"
    for bad in ("", "30", "d30", "-5d", "tomorrow"):
        with pytest.raises(ValueError, match="30d"):
            parse_since(bad)
