"""The chat page in a real headless Chromium against the real server on loopback.

Every test also fails if the page logged a script error or a Content-Security-Policy
violation, so the page is checked to work under the CSP the app sends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from qa_service.config import Settings
from qa_service.service import QAService
from tests.chromium import needs_chromium
from tests.conftest import LiveServer

pytestmark = needs_chromium

SIGNED = "When was the Trade Integration Agreement signed?"
GUACAMOLE = "What is a good recipe for guacamole?"


@pytest.fixture
def problems() -> list[str]:
    return []


def _is_problem(kind: str, text: str) -> bool:
    """Console errors, except Chromium's own note on a failed request (the error tests cause those)."""
    return kind == "error" and not text.startswith("Failed to load resource")


def open_page(browser: Browser, url: str, problems: list[str], width: int = 1100) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}") if _is_problem(m.type, m.text) else None
        ),
    )
    page.goto(url)
    expect(page.locator("body")).to_have_class(re.compile(r"\bis-ready\b"))
    return page


@pytest.fixture
def page(browser: Browser, live_server: LiveServer, problems: list[str]) -> Iterator[Page]:
    pg = open_page(browser, live_server.url + "/", problems)
    yield pg
    pg.close()
    assert problems == [], problems


def ask(page: Page, question: str) -> None:
    """Type a question and send it with Enter, then wait for the answer to finish."""
    turns = page.locator(".turn-assistant").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    answer = page.locator(".turn-assistant").nth(turns)
    expect(answer).to_have_attribute("data-state", re.compile("done|error"), timeout=30_000)


def api_answer(url: str, question: str, history: list[dict[str, str]] | None = None) -> dict:
    r = httpx.post(
        f"{url}/api/ask", json={"question": question, "history": history or []}, timeout=30
    )
    r.raise_for_status()
    return r.json()


def test_streamed_answer_with_citations_and_sources(page: Page, live_server: LiveServer) -> None:
    expected = api_answer(live_server.url, SIGNED)
    assert expected["found"] and expected["citations"]
    ask(page, SIGNED)

    answer = page.locator(".turn-assistant").first
    expect(answer).to_have_attribute("data-state", "done")
    expect(answer).to_have_attribute("data-found", "true")
    # the answer arrived in several delta events and reads exactly as the server's answer
    assert int(answer.get_attribute("data-deltas") or 0) >= 2
    shown = answer.locator(".answer-text").inner_text()
    assert " ".join(shown.split()) == " ".join(
        re.sub(r"\[(\d+)\]", r"\1", expected["answer"]).split()
    )
    markers = answer.locator(".answer-text .marker")
    assert markers.count() == len(expected["sentences"])  # one marker after each quoted sentence
    assert page.locator(".turn-user .bubble").first.inner_text().endswith(SIGNED)

    # one line per cited document (a document cited twice is listed once, with both numbers)
    docs: dict[str, list[dict]] = {}
    for cite in expected["citations"]:
        docs.setdefault(cite["doc_id"], []).append(cite)
    sources = answer.locator(".source")
    assert sources.count() == len(docs)
    for i, (doc_id, cites) in enumerate(docs.items()):
        item = sources.nth(i)
        assert item.get_attribute("data-doc") == doc_id
        assert (item.get_attribute("data-ns") or "").split() == [str(c["n"]) for c in cites]
        link = item.locator("a.source-title")
        assert cites[0]["title"] in link.inner_text()
        own = (cites[0].get("sources") or [{"url": cites[0]["url"]}])[0][
            "url"
        ]  # the quoted sentence's own source
        assert link.get_attribute("href") == own
        assert link.get_attribute("target") == "_blank"
        assert set((link.get_attribute("rel") or "").split()) >= {"noopener", "noreferrer"}
        assert item.locator("time").get_attribute("datetime") == cites[0]["published"]
    expect(sources.first.locator("time")).to_have_text("1 February 2012")
    expect(answer.locator(".meta")).to_contain_text("answered in")


def test_marker_reveals_the_cited_passage_with_the_sentence_highlighted(
    page: Page, live_server: LiveServer
) -> None:
    expected = api_answer(live_server.url, SIGNED)
    ask(page, SIGNED)
    answer = page.locator(".turn-assistant").first
    passage = answer.locator(".passage")
    expect(passage).to_be_hidden()

    first = expected["answer"].split("[1]")[0].strip()  # the sentence before the first marker
    cite = next(c for c in expected["citations"] if c["n"] == 1)
    marker = answer.locator(".marker").first
    expect(marker).to_have_attribute("aria-expanded", "false")
    marker.click()
    expect(passage).to_be_visible()
    expect(marker).to_have_attribute("aria-expanded", "true")
    expect(passage.locator(".passage-title")).to_have_text(cite["title"])
    assert " ".join(passage.locator(".passage-text").inner_text().split()) == " ".join(
        cite["text"].split()
    )
    expect(passage.locator("mark.quoted")).to_have_text(first)
    assert first in cite["text"]
    expect(answer.locator('.source[data-ns~="1"]')).to_have_class(re.compile(r"\bis-active\b"))

    marker.click()  # a second click closes it
    expect(passage).to_be_hidden()
    expect(marker).to_have_attribute("aria-expanded", "false")


def test_follow_up_uses_the_history(page: Page) -> None:
    ask(page, SIGNED)
    first_answer = page.locator(".turn-assistant").first.locator(".answer-text").inner_text()
    with page.expect_request("**/api/ask/stream") as req:
        ask(page, "Who signed it?")
    body = json.loads(req.value.post_data or "{}")
    assert body["question"] == "Who signed it?"
    assert [t["role"] for t in body["history"]] == ["user", "assistant"]
    assert body["history"][0]["content"] == SIGNED
    assert "[" not in body["history"][1]["content"]  # markers are stripped from the history
    assert " ".join(body["history"][1]["content"].split())[:40] in " ".join(first_answer.split())

    second = page.locator(".turn-assistant").nth(1)
    expect(second).to_have_attribute("data-found", "true")
    assert re.search(r"Ferrari|Ferreyros", second.locator(".answer-text").inner_text())


def test_history_is_fitted_to_the_limits_the_server_serves(
    browser: Browser, small_settings: Settings, small_service: QAService, problems: list[str]
) -> None:
    """The page trims history to GET /api/limits, not to a copy of the defaults."""
    settings = small_settings.model_copy(update={"max_history_turns": 2})
    with LiveServer(settings, small_service) as server:
        served = httpx.get(f"{server.url}/api/limits", timeout=10).json()
        assert served["max_history_turns"] == 2
        assert served["max_history_chars"] == small_settings.max_history_chars
        pg = open_page(browser, server.url + "/", problems)
        ask(pg, SIGNED)
        ask(pg, "Who signed it?")
        with pg.expect_request("**/api/ask/stream") as req:
            ask(pg, "When did it enter into force?")
        history = json.loads(req.value.post_data or "{}")["history"]
        assert [t["role"] for t in history] == ["user", "assistant"]  # 4 turns fit the defaults
        assert history[0]["content"] == "Who signed it?"
        pg.close()
    assert problems == [], problems


def test_not_covered_has_its_own_look(page: Page) -> None:
    ask(page, GUACAMOLE)
    answer = page.locator(".turn-assistant").first
    expect(answer).to_have_attribute("data-found", "false")
    expect(answer.locator(".card")).to_have_class(re.compile(r"\bcard-notfound\b"))
    expect(answer.locator(".card-label")).to_have_text("Not covered by the corpus")
    expect(answer.locator(".answer-text")).to_contain_text("does not cover")
    assert answer.locator(".marker").count() == 0
    expect(answer.locator(".sources")).to_be_hidden()


def test_user_input_is_rendered_as_text(page: Page) -> None:
    question = '<img src=x onerror="window.__pwned=1"><b>bold</b> guacamole?'
    ask(page, question)
    bubble = page.locator(".turn-user .bubble").first
    assert bubble.inner_text().endswith(question)
    assert page.locator(".log img, .log b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_server_unreachable_says_so(
    browser: Browser, small_settings, small_service, problems: list[str]
) -> None:
    server = LiveServer(small_settings, small_service).__enter__()
    page = open_page(browser, server.url + "/", problems)
    server.__exit__(None, None, None)  # the page stays open; its server is gone
    page.fill("#question", SIGNED)
    page.press("#question", "Enter")
    answer = page.locator(".turn-assistant").first
    expect(answer).to_have_attribute("data-state", "error", timeout=30_000)
    alert = answer.locator("[role=alert]")
    expect(alert.locator(".error-title")).to_have_text("Could not reach the service")
    expect(alert.locator(".error-text")).to_have_text(
        "Check your internet connection, then try again."
    )
    expect(alert.locator(".error-detail")).to_contain_text(
        "qa-service serve"
    )  # for developers, folded away
    expect(alert.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.locator("#send")).to_be_enabled()
    page.close()
    assert problems == [], problems


def test_http_error_shows_the_servers_detail(page: Page) -> None:
    ask(page, "Why " * 300 + "?")  # 1201 characters: over the 1000-character limit
    answer = page.locator(".turn-assistant").first
    expect(answer).to_have_attribute("data-state", "error")
    alert = answer.locator("[role=alert]")
    # plain words for the reader; the API's detail (with the setting's name) only for developers
    expect(alert.locator(".error-title")).to_have_text("Your question is too long")
    expect(alert.locator(".error-text")).to_have_text(
        "Shorten it to 1,000 characters or fewer and send it again."
    )
    expect(alert.locator(".error-detail")).to_contain_text("HTTP 422")
    expect(alert.locator(".error-detail")).to_contain_text("the limit is 1000")
    expect(alert.locator(".error-detail")).to_be_hidden()
    assert "QA_" not in alert.inner_text()
    assert page.input_value("#question") == "Why " * 300 + "?"  # back in the box, to be shortened


def test_keyboard_starters_and_new_conversation(
    browser: Browser, live_server: LiveServer, problems: list[str]
) -> None:
    page = open_page(browser, live_server.url + "/", problems)
    expect(page.locator("#welcome")).to_be_visible()
    # Shift+Enter adds a line and sends nothing
    page.fill("#question", "line one")
    page.press("#question", "Shift+Enter")
    page.keyboard.type("line two")
    assert page.input_value("#question") == "line one\nline two"
    assert page.locator(".turn").count() == 0

    starter = page.locator(".starter").first
    text = starter.inner_text()
    starter.click()
    expect(page.locator(".turn-assistant").first).to_have_attribute(
        "data-state", "done", timeout=30_000
    )
    expect(page.locator("#welcome")).to_be_hidden()
    assert page.locator(".turn-user").first.inner_text().endswith(text)

    page.get_by_role("button", name="New conversation").click()
    assert page.locator(".turn").count() == 0
    expect(page.locator("#welcome")).to_be_visible()
    with page.expect_request("**/api/ask/stream") as req:
        ask(page, GUACAMOLE)
    assert json.loads(req.value.post_data or "{}")["history"] == []
    page.close()
    assert problems == [], problems


def test_phone_width_and_labels(
    browser: Browser, live_server: LiveServer, problems: list[str]
) -> None:
    page = open_page(browser, live_server.url + "/", problems, width=360)
    ask(page, SIGNED)
    page.locator(".answer-text .marker").first.click()
    ask(page, GUACAMOLE)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for selector in ("#question", "#send", "#new-conversation"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, selector
    expect(page.get_by_label("Your question")).to_be_visible()
    expect(page.get_by_role("button", name="Send question")).to_be_visible()
    expect(page.locator("#log")).to_have_attribute("aria-live", "polite")
    page.close()
    assert problems == [], problems
