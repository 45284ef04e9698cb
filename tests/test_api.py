"""The HTTP API through a real uvicorn server on loopback, with the real model and index."""

from __future__ import annotations

import json

import httpx

from qa_service.schemas import AskResponse
from tests.test_answers import assert_grounded


def test_ask_returns_grounded_answer(live_server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        json={"question": "When was APRA founded?", "top_k": 3},
        timeout=30,
    )
    assert r.status_code == 200
    resp = AskResponse.model_validate(r.json())
    assert resp.found and "1924" in resp.answer and resp.took_ms > 0
    assert_grounded(resp)


def test_ask_declines_out_of_scope(live_server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/ask",
        json={"question": "Which team won the 2014 FIFA World Cup?"},
        timeout=30,
    )
    body = r.json()
    assert r.status_code == 200 and body["found"] is False and body["citations"] == []


def test_stream_sends_citations_then_pieces_then_done(live_server) -> None:
    events = []
    with httpx.stream(
        "POST",
        f"{live_server.url}/api/ask/stream",
        json={"question": "Who signed the Trade Integration Agreement?"},
        timeout=30,
    ) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in r.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                events.append((event, json.loads(line[6:])))
    names = [e for e, _ in events]
    assert names[0] == "citations" and names[-1] == "done" and "delta" in names
    done = events[-1][1]
    assert "".join(d["text"] for e, d in events if e == "delta") == done["answer"]
    assert events[0][1]["citations"] == done["citations"]


def test_search_documents_health(live_server) -> None:
    r = httpx.post(
        f"{live_server.url}/api/search",
        json={"query": "diplomatic pouch letter 1932", "top_k": 2},
        timeout=30,
    )
    assert r.status_code == 200
    results = r.json()["results"]
    assert 1 <= len(results) <= 2 and results[0]["doc_id"] == "apra-1924"
    docs = httpx.get(f"{live_server.url}/api/documents").json()["documents"]
    assert {d["doc_id"] for d in docs} == {"trade-agreement", "rupture-2025", "apra-1924"}
    one = httpx.get(f"{live_server.url}/api/documents/apra-1924").json()
    p = results[0]
    assert one["body"][p["start"] : p["end"]] == p["text"]
    health = httpx.get(f"{live_server.url}/api/health").json()
    assert health["status"] == "ok" and health["documents"] == 3 and health["chunks"] >= 3
    assert health["model"].endswith("all-MiniLM-L6-v2") and health["index_version"].startswith("v")
    assert health["sources_up_to"] == "2025-11-08"  # the newest `published` of the small corpus
    assert httpx.get(f"{live_server.url}/docs").status_code == 200


def test_bad_input_gets_clear_4xx(live_server) -> None:
    url = f"{live_server.url}/api/ask"
    cases = [
        ({"question": "   "}, 422, "empty"),
        ({"question": "x" * 5000}, 422, "limit"),
        ({"question": 42}, 422, "question"),
        ({"question": "When?", "top_k": 0}, 422, "top_k"),
        ({"question": "When?", "top_k": "many"}, 422, "top_k"),
        ({"question": "When?", "history": [{"role": "bot", "content": "x"}]}, 422, "role"),
    ]
    for body, status, word in cases:
        r = httpx.post(url, json=body, timeout=30)
        assert r.status_code == status, (body, r.text)
        assert word in r.json()["detail"], (body, r.json())
    r = httpx.get(f"{live_server.url}/api/documents/no-such-doc")
    assert r.status_code == 404 and "no document" in r.json()["detail"]
    r = httpx.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
